"""Routing after compliance, the end of a run, and the pause for human legal review."""

from __future__ import annotations

import hashlib
import time
from typing import Any, Literal

from langgraph.runtime import Runtime
from langgraph.types import interrupt

from agents.context import Context
from agents.state import Brief, StudioState

Route = Literal["write_draft", "finish_run", "request_legal_review"]
DECISIONS = ("approve", "reject", "edit")


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def route_after_compliance(state: StudioState) -> Route:
    """Done when approved and compliant; revise while rounds are left; else stop or escalate."""
    compliance = state.get("compliance") or {}
    approved = bool((state.get("critique") or {}).get("approved"))
    compliant = bool(compliance.get("passed"))
    needs_human = bool(compliance.get("needs_human"))
    if approved and compliant and not needs_human:
        return "finish_run"
    if approved and not compliant and compliance.get("unrevisable"):
        # the critic is satisfied and only the product's own name carries the blocking claim
        return "request_legal_review"
    if int(state.get("revision", 0)) < int(state.get("max_revisions", 2)):
        return "write_draft"
    if not compliant or needs_human:
        return "request_legal_review"
    return "finish_run"


def finish_run(state: StudioState) -> dict[str, Any]:
    """Record why the run stopped."""
    approved = bool((state.get("critique") or {}).get("approved"))
    compliant = bool((state.get("compliance") or {}).get("passed"))
    return {"stop_reason": "approved" if approved and compliant else "max_revisions"}


def request_legal_review(state: StudioState, runtime: Runtime[Context]) -> dict[str, Any]:
    """Pause the run for a legal reviewer; resume with approve, reject, or edit and approve.

    An edited text is checked again before it can be approved: compliance fails closed, so an
    edit that still has blocking findings pauses the run again.
    """
    ctx = runtime.context
    brief = Brief.model_validate(state["brief"])
    evidence = (state.get("product") or {}).get("evidence") or {}
    text = state.get("draft", "")
    payload = {
        "draft": text,
        "content_hash": content_hash(text),
        "findings": (state.get("compliance") or {}).get("findings", []),
        "product": (state.get("product") or {}).get("name"),
        "channel": brief.channel,
        "jurisdictions": brief.jurisdictions,
    }
    while True:
        decision = interrupt(payload)
        kind = str((decision or {}).get("decision", "")).lower()
        if kind not in DECISIONS:
            payload = {**payload, "error": f"unknown decision '{kind}'"}
            continue
        final_text = str(decision.get("text") or text) if kind == "edit" else text
        if kind == "edit":
            result = ctx.checker.check(final_text, brief.category, evidence, brief.jurisdictions)
            if any(f.blocking for f in result.findings):
                payload = {
                    **payload,
                    "draft": final_text,
                    "content_hash": content_hash(final_text),
                    "findings": [f.as_dict() for f in result.findings],
                    "error": "the edited copy still has blocking findings",
                }
                continue
        review = {
            "outcome": "rejected" if kind == "reject" else "approved",
            "decision": kind,
            "reviewer": decision.get("reviewer", ""),
            "comment": decision.get("comment", ""),
            "text": final_text,
            "content_hash": content_hash(final_text),
            "decided_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        }
        update: dict[str, Any] = {"review": review, "stop_reason": "needs_legal_review"}
        if kind == "edit":
            update["draft"] = final_text
            update["draft_source"] = "edited"
        return update
