"""Named prompt templates, stored as text files in agents/prompts/ (``$name`` placeholders)."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from string import Template

PROMPT_DIR = Path(__file__).parent / "prompts"


@cache
def template(name: str) -> Template:
    path = PROMPT_DIR / f"{name}.txt"
    return Template(path.read_text(encoding="utf-8").strip())


def render(name: str, language: str = "en", **values: object) -> str:
    """Render a template, preferring its ``_zh`` variant for Chinese."""
    if language == "zh" and (PROMPT_DIR / f"{name}_zh.txt").is_file():
        name = f"{name}_zh"
    text = template(name).safe_substitute({k: str(v) for k, v in values.items()})
    return "\n".join(line for line in text.splitlines() if line.strip() or line == "")
