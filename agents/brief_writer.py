"""The brief-writer: turn a chat request, product facts, persona and channel into a brief.

A 135M model cannot be trusted to structure a brief, so this agent is deterministic: it reads
the request for directives ("shorter", "warmer", "for TikTok"), takes facts from the product
file and voice, length and required elements from the brand data. Text in the request or the
product file is data: phrases that try to instruct the agents are dropped and recorded.
"""

from __future__ import annotations

import re
import time
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from langgraph.runtime import Runtime

from agents.context import Context
from agents.errors import BriefError
from agents.state import Brief, StudioState
from knowledge.brand import Brand, Product, parse_product
from knowledge.errors import ProductFileError
from knowledge.rulebook import parse_jurisdictions

MAX_REQUEST_CHARS = 2000
MAX_KEY_FACTS = 8
DATA = Path(__file__).parent / "data" / "requests.yaml"


@lru_cache(maxsize=1)
def request_rules() -> dict[str, Any]:
    return yaml.safe_load(DATA.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _injection_patterns() -> list[re.Pattern[str]]:
    return [re.compile(p) for p in request_rules()["injection_patterns"]]


def find_injections(text: str) -> list[str]:
    """Return the phrases in ``text`` that try to instruct the agents."""
    return [m.group(0) for p in _injection_patterns() for m in p.finditer(text or "")]


def strip_injections(text: str) -> str:
    for pattern in _injection_patterns():
        text = pattern.sub(" ", text)
    return re.sub(r"\s{2,}", " ", text).strip()


def read_directives(request: str) -> tuple[list[str], float, str | None, str | None]:
    """Return (directive ids, length scale, tone override, channel hint) found in a request."""
    text = request.lower()
    rules = request_rules()
    directives, scale, tone = [], 1.0, None
    for name, spec in rules["directives"].items():
        if any(_has_cue(text, cue) for cue in spec["cues"]):
            directives.append(name)
            scale *= float(spec.get("length_scale", 1.0))
            tone = spec.get("tone", tone)
    channel = next(
        (ch for ch, cues in rules["channel_hints"].items() if any(_has_cue(text, c) for c in cues)),
        None,
    )
    occasion = next((o for o in rules["occasions"] if _has_cue(text, str(o).lower())), None)
    if occasion:
        directives.append(f"occasion:{occasion}")
    return directives, scale, tone, channel


def _has_cue(text: str, cue: str) -> bool:
    cue = str(cue).lower()
    if cue.isascii():
        return re.search(rf"(?<![a-z0-9]){re.escape(cue)}(?![a-z0-9])", text) is not None
    return cue in text


def build_brief(
    brand: Brand,
    product: Product,
    channel_id: str,
    persona_id: str,
    language: str | None,
    jurisdictions: list[str] | tuple[str, ...] | None,
    request: str = "",
    sponsored: bool = False,
) -> Brief:
    """Assemble a brief; raise BriefError or BrandDataError with a one-line reason."""
    request = (request or "").strip()
    if len(request) > MAX_REQUEST_CHARS:
        raise BriefError(
            f"request is {len(request)} characters; keep it under {MAX_REQUEST_CHARS} "
            "(put product details in the product file)"
        )
    channel = brand.channel(channel_id)
    persona = brand.persona(persona_id)
    lang = language or product.language or "en"
    if lang not in ("en", "zh"):
        raise BriefError(f"unsupported language '{lang}'; use en or zh")
    directives, scale, tone_override, _ = read_directives(request)
    low, high, unit = channel.limits(lang).bounds()
    high = max(int(round(high * scale)), low + 1) if scale != 1.0 else high
    low = min(int(round(low * scale)), high - 1) if scale < 1.0 else low
    facts = product.fact_lines()[:MAX_KEY_FACTS]
    if product.price is not None and not any(f.startswith("price:") for f in facts):
        facts.append(product.fact_lines()[-1])
    must_include = list(channel.required_elements)
    if sponsored and "disclosure" not in must_include:
        must_include.append("disclosure")
    guidelines = brand.guidelines
    must_avoid = sorted(set(guidelines.words_to_avoid.get(lang)) | set(persona.avoid.get(lang)))
    tone = tone_override or persona.tone
    if channel.tone.style:
        tone = f"{tone}; {channel.tone.style}"
    return Brief(
        product_id=product.id,
        product_name=product.name,
        category=product.category,
        language=lang,  # type: ignore[arg-type]
        channel=channel.id,
        persona=persona.id,
        jurisdictions=list(parse_jurisdictions(list(jurisdictions) if jurisdictions else None)),
        key_facts=facts,
        reference_facts=product.fact_lines(),
        audience=persona.description.get(lang) or persona.name.get(lang),
        needs=persona.needs.get(lang),
        tone=tone,
        length_min=low,
        length_max=high,
        length_unit=unit,  # type: ignore[arg-type]
        must_include=must_include,
        must_avoid=must_avoid,
        directives=directives,
        request=strip_injections(request),
        sponsored=sponsored,
    )


def write_brief(state: StudioState, runtime: Runtime[Context]) -> dict[str, Any]:
    """Turn the request, product, persona and channel into a structured brief."""
    started = time.perf_counter()
    ctx = runtime.context
    try:
        product = parse_product(state.get("product") or {}, source="product")
    except ProductFileError as exc:
        raise BriefError(str(exc)) from None
    request = state.get("request", "")
    events = [
        {"source": "request", "kind": "prompt_injection", "text": phrase}
        for phrase in find_injections(request)
    ]
    for key, value in product.facts.items():
        for phrase in find_injections(f"{key} {value}"):
            events.append(
                {"source": f"product.facts.{key}", "kind": "prompt_injection", "text": phrase}
            )
    brief = build_brief(
        ctx.brand,
        product,
        state.get("channel") or "product_page",
        state.get("persona") or "general",
        state.get("language"),
        state.get("jurisdictions"),
        request,
        bool(state.get("sponsored")),
    )
    if events:
        brief.key_facts = [strip_injections(f) for f in brief.key_facts]
        brief.reference_facts = [strip_injections(f) for f in brief.reference_facts]
    return {
        "brief": brief.model_dump(),
        "revision": 0,
        "max_revisions": ctx.max_revisions,
        "security_events": events,
        "timings": {"write_brief": time.perf_counter() - started},
    }
