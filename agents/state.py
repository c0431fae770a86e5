"""The graph's state and the structured results the agents exchange.

State values are plain JSON-able data (dicts, lists, strings) so every step checkpoints to
SQLite as is; the pydantic models below validate and document their shape.
"""

from __future__ import annotations

import operator
from typing import Annotated, Any, Literal, TypedDict

from pydantic import BaseModel, Field

StopReason = str  # "approved" | "max_revisions" | "needs_legal_review" | "error:<kind>"
CandidateSource = Literal["llm", "repaired", "assembled", "composed", "edited"]


class Brief(BaseModel):
    """What the copywriter must write, built from the request, product, persona and channel."""

    product_id: str
    product_name: str
    category: str
    language: Literal["en", "zh"]
    channel: str
    persona: str
    jurisdictions: list[str]
    key_facts: list[str]
    reference_facts: list[str] = Field(default_factory=list)
    audience: str
    needs: list[str] = Field(default_factory=list)
    tone: str
    length_min: int
    length_max: int
    length_unit: Literal["words", "chars"]
    must_include: list[str]
    must_avoid: list[str]
    directives: list[str] = Field(default_factory=list)
    request: str = ""
    sponsored: bool = False


class Candidate(BaseModel):
    text: str
    source: CandidateSource = "llm"
    overall: float = 0.0
    approved: bool = False
    blocking_findings: int = 0
    reintroduced: list[str] = Field(default_factory=list)
    language_ok: bool | None = None


class Critique(BaseModel):
    """The critic's verdict on one draft: scores in 0..1, gates, and ordered feedback."""

    scores: dict[str, float]
    gates: dict[str, bool]
    approved: bool
    feedback: list[str]
    invented: list[str] = Field(default_factory=list)
    evidence: dict[str, Any] = Field(default_factory=dict)


class Draft(BaseModel):
    """One revision round: the candidates, the one kept, and what the critic and checker said."""

    revision: int
    text: str
    source: CandidateSource
    candidates: list[Candidate]
    critique: dict[str, Any] | None = None
    compliance: dict[str, Any] | None = None


def merge_timings(
    left: dict[str, float] | None, right: dict[str, float] | None
) -> dict[str, float]:
    """Add up per-node seconds across revision rounds."""
    merged = dict(left or {})
    for key, value in (right or {}).items():
        merged[key] = round(merged.get(key, 0.0) + value, 4)
    return merged


class StudioInput(TypedDict, total=False):
    request: str
    product: dict[str, Any]
    channel: str
    persona: str
    language: str
    jurisdictions: list[str]
    sponsored: bool
    previous_copy: str


class StudioState(StudioInput, total=False):
    brief: dict[str, Any]
    retrieved: list[dict[str, Any]]
    candidates: list[dict[str, Any]]
    draft: str
    draft_source: str
    critique: dict[str, Any]
    compliance: dict[str, Any]
    drafts: Annotated[list[dict[str, Any]], operator.add]
    revision: int
    max_revisions: int
    stop_reason: StopReason
    review: dict[str, Any]
    security_events: Annotated[list[dict[str, Any]], operator.add]
    llm_stats: Annotated[list[dict[str, Any]], operator.add]
    timings: Annotated[dict[str, float], merge_timings]


class StudioOutput(TypedDict, total=False):
    draft: str
    candidates: list[dict[str, Any]]
    critique: dict[str, Any]
    compliance: dict[str, Any]
    drafts: list[dict[str, Any]]
    revision: int
    stop_reason: StopReason
    retrieved: list[dict[str, Any]]
    review: dict[str, Any]
    security_events: list[dict[str, Any]]
    llm_stats: list[dict[str, Any]]
    timings: dict[str, float]
    brief: dict[str, Any]
