"""Turn run events and results into what the page shows: HTML, tables and markdown."""

from __future__ import annotations

import html
import json
from typing import Any

SEVERITY_CLASS = {
    "block": "sev-block",
    "require_evidence": "sev-evidence",
    "require_qualifier": "sev-qualifier",
    "warn": "sev-warn",
}
FINDING_COLUMNS = ["rule", "severity", "match", "category", "legal basis", "remedy"]
EXAMPLE_COLUMNS = ["id", "kind", "relevance", "past performance", "text"]
QUEUE_COLUMNS = ["id", "status", "origin", "product", "channel", "categories", "jurisdictions"]
QUEUE_COLUMNS += ["submitted by", "submitted at"]


def highlight(text: str, findings: list[dict[str, Any]]) -> str:
    """HTML of the copy with each finding's span marked; the rule and remedy show on hover."""
    if not text:
        return "<div class='copy-view empty'>No copy yet.</div>"
    spans = sorted(
        (f for f in findings if isinstance(f.get("start"), int) and isinstance(f.get("end"), int)),
        key=lambda f: (f["start"], -f["end"]),
    )
    parts: list[str] = []
    cursor = 0
    for finding in spans:
        start, end = max(finding["start"], cursor), min(finding["end"], len(text))
        if start >= end:
            continue
        parts.append(html.escape(text[cursor:start]))
        tip = f"{finding.get('rule_id')} ({finding.get('severity')}): {finding.get('remedy', '')}"
        parts.append(
            f"<mark class='finding {SEVERITY_CLASS.get(finding.get('severity', ''), '')}' "
            f"data-rule='{html.escape(str(finding.get('rule_id')), quote=True)}' "
            f"title='{html.escape(tip, quote=True)}'>{html.escape(text[start:end])}</mark>"
        )
        cursor = end
    parts.append(html.escape(text[cursor:]))
    return f"<div class='copy-view'>{''.join(parts)}</div>"


def variant_choices(
    copy: str, candidates: list[dict[str, Any]], limit: int = 4
) -> list[tuple[str, str]]:
    """(label, text) pairs: the kept copy first, then the last round's best other candidates.

    Each label says whether the critic approved it and whether compliance blocks it, so a
    copywriter never picks an unvetted draft by accident; drafts scoring under 0.3 are left out.
    """
    ranked = sorted(candidates, key=lambda c: -float(c.get("overall") or 0.0))
    by_text = {c["text"]: c for c in ranked}
    kept = [copy] if copy else []
    others = [
        c["text"] for c in ranked if c["text"] != copy and float(c.get("overall") or 0) >= 0.3
    ]
    choices = []
    for text in (kept + others)[:limit]:
        candidate = by_text.get(text, {})
        verdict = "✓ approved" if candidate.get("approved") else "not approved"
        if candidate.get("blocking_findings"):
            verdict += f", {candidate['blocking_findings']} blocking finding(s)"
        score = float(candidate.get("overall") or 0.0)
        label = f"{'kept · ' if text == copy else ''}{verdict} · {score:.2f} — {text}"
        choices.append((label, text))
    return choices


def finding_rows(findings: list[dict[str, Any]]) -> list[list[str]]:
    return [
        [
            str(f.get("rule_id", "")),
            str(f.get("severity", "")),
            str(f.get("match", "")),
            str(f.get("category", "")),
            str(f.get("legal_basis", "")),
            str(f.get("remedy", "")),
        ]
        for f in findings
    ]


def example_rows(retrieved: list[dict[str, Any]]) -> list[list[Any]]:
    return [
        [
            r.get("id", ""),
            r.get("kind", ""),
            round(float(r.get("score") or 0.0), 3),
            "" if r.get("performance") is None else round(float(r["performance"]), 2),
            str(r.get("text", ""))[:160],
        ]
        for r in retrieved
    ]


def scores_markdown(result: dict[str, Any]) -> str:
    scores = result.get("scores") or {}
    verdict = "approved" if result.get("approved") else "not approved"
    lines = [
        f"**{verdict}** · stop reason `{result.get('stop_reason')}` · "
        f"revisions {result.get('revisions', 0)} · source `{result.get('source')}`",
        "",
        " · ".join(f"{k} **{v:.2f}**" for k, v in scores.items() if isinstance(v, int | float)),
    ]
    feedback = result.get("feedback") or []
    if feedback:
        lines += ["", "**What the critic asked to fix**"]
        lines += [f"{n}. {html.escape(str(line))}" for n, line in enumerate(feedback, 1)]
    return "\n".join(lines)


def brief_line(brief: dict[str, Any]) -> str:
    return (
        f"**Brief** · {brief.get('channel')} · {brief.get('language')} · "
        f"{brief.get('length_min')}–{brief.get('length_max')} {brief.get('length_unit')} · "
        f"tone: {brief.get('tone')} · must include: {', '.join(brief.get('must_include') or [])}"
        + (f" · adjust: {', '.join(brief['directives'])}" if brief.get("directives") else "")
    )


def node_line(node: str, update: dict[str, Any]) -> str | None:
    """One line of the activity log for a finished node, or None for nodes not shown."""
    if node == "write_brief":
        line = brief_line(update.get("brief") or {})
        events = update.get("security_events") or []
        if events:
            line += f"\n\n⚠ {len(events)} instruction(s) in the input were ignored and recorded"
        return line
    if node == "retrieve_examples":
        copies = [r for r in update.get("retrieved", []) if r.get("kind") == "copy"]
        best = max((float(r.get("performance") or 0.0) for r in copies), default=0.0)
        return f"**Examples** · {len(copies)} past copies (top past performance {best:.2f})"
    if node == "write_draft":
        return (
            f"**Copywriter** · round {update.get('revision', 0)}: "
            f"{len(update.get('candidates', []))} candidates"
        )
    if node == "critique_draft":
        critique = update.get("critique") or {}
        verdict = "approved" if critique.get("approved") else "not approved"
        overall = float((critique.get("scores") or {}).get("overall", 0.0))
        return f"**Critic** · {verdict}, overall {overall:.2f}"
    if node == "check_compliance":
        compliance = update.get("compliance") or {}
        return (
            f"**Compliance** · {compliance.get('verdict')} "
            f"({len(compliance.get('findings', []))} findings)"
        )
    if node == "request_legal_review":
        return "**Legal review** · paused: the run waits for a reviewer"
    return None


def export_document(result: dict[str, Any], approval: dict[str, Any] | None) -> str:
    """The final copy with its scores, findings and approval as a JSON document."""
    keys = ["copy", "variants", "approved", "stop_reason", "revisions", "scores", "findings"]
    keys += ["feedback", "llm", "rulebook_version", "index_version", "thread_id"]
    document = {k: result.get(k) for k in keys}
    document["legal_approval"] = (
        {
            "review_id": approval["id"],
            "decided_by": approval["decided_by"],
            "decided_at": approval["decided_at"],
            "content_hash": approval["final_hash"],
        }
        if approval
        else None
    )
    return json.dumps(document, ensure_ascii=False, indent=2)


def queue_rows(items: list[dict[str, Any]]) -> list[list[Any]]:
    return [
        [
            i["id"],
            i["status"],
            i["origin"],
            i.get("product") or "",
            i.get("channel") or "",
            i.get("categories") or "",
            i.get("jurisdictions") or "",
            i.get("submitted_by") or "",
            i.get("submitted_at") or "",
        ]
        for i in items
    ]


def evidence_markdown(item: dict[str, Any]) -> str:
    facts = (item.get("facts") or {}).get("facts") or {}
    evidence = item.get("evidence") or {}
    lines = [f"**Product** · {html.escape(str(item.get('product') or ''))}"]
    if facts:
        lines.append("")
        lines += [f"- {html.escape(str(k))}: {html.escape(str(v))}" for k, v in facts.items()]
    lines.append("")
    if evidence:
        lines.append("**Evidence on file**")
        lines += [f"- {html.escape(str(k))}: {html.escape(str(v))}" for k, v in evidence.items()]
    else:
        lines.append("**Evidence on file** · none")
    return "\n".join(lines)
