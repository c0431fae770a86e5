"""Suites are JSONL files of generation cases and detector cases (format in the README)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field, ValidationError

from knowledge.errors import StudioError

SUITES_DIR = Path(__file__).parent / "suites"
GOLDEN_DIR = Path(__file__).parent / "golden"  # the compliance golden set is a detector suite


class GenerationCase(BaseModel):
    """A brief to run through the whole graph, with what its result must and must not contain."""

    id: str
    type: Literal["generation"] = "generation"
    product: str | dict[str, Any]  # bundled product id or an inline product object
    channel: str = "product_page"
    persona: str = "general"
    language: str | None = None
    jurisdictions: list[str] = Field(default_factory=list)
    request: str = ""
    sponsored: bool = False
    must_include: list[str] = Field(default_factory=list)
    must_not_include: list[str] = Field(default_factory=list)
    expected_findings: list[str] = Field(default_factory=list)  # categories flagged in some draft
    expect_security_event: bool = False


class DetectorCase(BaseModel):
    """A sentence with the compliance categories (and rules) it should or should not trigger."""

    id: str
    type: Literal["detector"] = "detector"
    text: str
    categories: list[str] = Field(default_factory=list)
    rules: list[str] = Field(default_factory=list)
    kind: str = ""
    language: str = ""
    product_category: str | None = None
    jurisdictions: list[str] = Field(default_factory=list)


Case = GenerationCase | DetectorCase


def resolve_suite(name_or_path: str) -> Path:
    """Accept a path, or a bundled suite name such as `smoke` or `generation`."""
    path = Path(name_or_path)
    if path.is_file():
        return path
    for folder in (SUITES_DIR, GOLDEN_DIR):
        bundled = folder / f"{name_or_path}.jsonl"
        if bundled.is_file():
            return bundled
    names = ", ".join(sorted(p.stem for d in (SUITES_DIR, GOLDEN_DIR) for p in d.glob("*.jsonl")))
    raise StudioError(f"suite not found: {name_or_path} (a .jsonl path or one of: {names})")


def load_suite(path: Path) -> list[Case]:
    """Read and validate every case; a bad line is a one-line error naming the line."""
    cases: list[Case] = []
    seen: set[str] = set()
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            raise StudioError(f"{path} line {lineno}: invalid JSON ({exc.msg})") from None
        kind = data.get("type") or (
            "detector" if "text" in data and "product" not in data else "generation"
        )
        model = DetectorCase if kind == "detector" else GenerationCase
        try:
            case = model.model_validate({**data, "type": kind})
        except ValidationError as exc:
            err = exc.errors()[0]
            where = ".".join(str(p) for p in err["loc"])
            raise StudioError(f"{path} line {lineno}: {where}: {err['msg']}") from None
        if case.id in seen:
            raise StudioError(f"{path} line {lineno}: duplicate case id '{case.id}'")
        seen.add(case.id)
        cases.append(case)
    if not cases:
        raise StudioError(f"suite {path} has no cases")
    return cases
