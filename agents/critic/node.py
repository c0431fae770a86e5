"""The critic node: score every candidate, keep the best, and say what to fix."""

from __future__ import annotations

import time
from typing import Any

from langgraph.runtime import Runtime

from agents.context import Context
from agents.state import Brief, Candidate, Critique, StudioState


def rank_key(candidate: Candidate) -> tuple[int, int, int, int, float]:
    """Sort key: approved and clean first; never a reintroduced violation; then the critic.

    Among drafts that are not both, a well-written draft with a flagged span beats a compliant
    draft the critic rejects: if rounds run out, a legal reviewer can clear one phrase.
    """
    clean = candidate.blocking_findings == 0
    return (
        int(candidate.approved and clean and not candidate.reintroduced),
        -len(candidate.reintroduced),
        int(candidate.approved),
        -candidate.blocking_findings,
        candidate.overall,
    )


def fixed_rule_ids(drafts: list[dict[str, Any]]) -> set[str]:
    """Rule ids that fired on an earlier draft and were absent from a later one."""
    fixed: set[str] = set()
    seen: set[str] = set()
    for draft in drafts:
        current = {f["rule_id"] for f in (draft.get("compliance") or {}).get("findings", [])}
        fixed |= seen - current
        seen |= current
    return fixed


def critique_draft(state: StudioState, runtime: Runtime[Context]) -> dict[str, Any]:
    """Score every candidate, keep the best one, and say what to fix."""
    started = time.perf_counter()
    ctx = runtime.context
    brief = Brief.model_validate(state["brief"])
    evidence = (state.get("product") or {}).get("evidence") or {}
    candidates = [Candidate.model_validate(c) for c in state.get("candidates", [])]
    if not candidates:
        empty = Critique(
            scores={"overall": 0.0},
            gates={"generated": False},
            approved=False,
            feedback=["write the copy"],
        )
        return {
            "draft": "",
            "critique": empty.model_dump(),
            "timings": {"critique_draft": time.perf_counter() - started},
        }
    fixed = fixed_rule_ids(state.get("drafts", []))
    vectors = ctx.embedder.encode([c.text for c in candidates])
    critiques = []
    for candidate, vector in zip(candidates, vectors, strict=True):
        critique = ctx.critic.score(candidate.text, brief, evidence, vector=vector)
        result = ctx.checker.check(candidate.text, brief.category, evidence, brief.jurisdictions)
        candidate.overall = critique.scores["overall"]
        candidate.approved = critique.approved
        candidate.language_ok = critique.gates["language"] and critique.gates["fluency"]
        candidate.blocking_findings = sum(1 for f in result.findings if f.blocking)
        candidate.reintroduced = sorted({f.rule_id for f in result.findings} & fixed)
        critiques.append(critique)
    best = max(range(len(candidates)), key=lambda i: rank_key(candidates[i]))
    return {
        "draft": candidates[best].text,
        "draft_source": candidates[best].source,
        "candidates": [c.model_dump() for c in candidates],
        "critique": critiques[best].model_dump(),
        "timings": {"critique_draft": time.perf_counter() - started},
    }
