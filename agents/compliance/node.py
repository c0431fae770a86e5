"""The compliance node: check the kept draft and record the round."""

from __future__ import annotations

import re
import time
from typing import Any

from langgraph.runtime import Runtime

from agents.context import Context
from agents.critic.node import fixed_rule_ids
from agents.state import Brief, Draft, StudioState


def check_compliance(state: StudioState, runtime: Runtime[Context]) -> dict[str, Any]:
    """Check the kept draft against the brief's jurisdictions and record the revision round."""
    started = time.perf_counter()
    ctx = runtime.context
    brief = Brief.model_validate(state["brief"])
    evidence = (state.get("product") or {}).get("evidence") or {}
    text = state.get("draft", "")
    result = ctx.checker.check(text, brief.category, evidence, brief.jurisdictions)
    reintroduced = sorted(
        {f.rule_id for f in result.findings} & fixed_rule_ids(state.get("drafts", []))
    )
    blocking = [f for f in result.findings if f.blocking]
    name = str((state.get("product") or {}).get("name") or "")
    # where the draft names the product exactly: a finding there is carried by the name
    spans = [(m.start(), m.end()) for m in re.finditer(re.escape(name), text)] if name else []
    in_name = {f.rule_id for f in blocking if any(f.start < e and s < f.end for s, e in spans)}
    compliance = {
        "verdict": result.verdict,
        "passed": result.passed,
        "findings": [f.as_dict() for f in result.findings],
        "cleared": [f.as_dict() for f in result.cleared],
        "needs_human": any(f.escalate for f in result.findings),
        "reintroduced": reintroduced,
        # Copy must name the product, so no revision can remove a claim its own name carries:
        # such a draft goes to legal review at once instead of spending the revision budget.
        "in_product_name": sorted(in_name),
        "unrevisable": bool(blocking) and all(f.rule_id in in_name for f in blocking),
        "rulebook_version": result.rulebook_version,
    }
    revision = int(state.get("revision", 0))
    draft = Draft(
        revision=revision,
        text=text,
        source=state.get("draft_source", "llm"),  # type: ignore[arg-type]
        candidates=state.get("candidates", []),  # type: ignore[arg-type]
        critique=state.get("critique"),
        compliance=compliance,
    )
    return {
        "compliance": compliance,
        "drafts": [draft.model_dump()],
        "timings": {"check_compliance": time.perf_counter() - started},
    }
