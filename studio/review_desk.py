"""The legal review queue: what enters it, who may decide, and the audit trail of every decision.

Runs that the graph pauses for legal review enter the queue by themselves; a copywriter can
submit any copy. Only reviewers decide. A decision names the content hash the reviewer saw, so
changed copy always needs a new approval, and an edit is checked again before it is approved.
A decision on a paused run resumes that run from its SQLite checkpoint.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from agents.review import DECISIONS, content_hash
from knowledge.errors import StudioError
from studio.users import User

if TYPE_CHECKING:
    from studio.service import Studio

OUTCOME = {"approve": "approved", "edit": "approved", "reject": "rejected"}


class ReviewError(StudioError):
    """A review decision that cannot be taken as asked (stale copy, blocking edit, no comment)."""


class PermissionDeniedError(StudioError):
    """The user's role does not allow this action."""


def categories_of(findings: list[dict[str, Any]]) -> str:
    return ",".join(sorted({str(f.get("category")) for f in findings if f.get("category")}))


class ReviewDesk:
    """Queue, decisions and audit trail over the studio's store."""

    def __init__(self, studio: Studio) -> None:
        self.studio = studio
        self.store = studio.store

    def enqueue_run(self, thread_id: str, result: dict[str, Any]) -> int:
        """Queue a run the graph paused for legal review (once per pause)."""
        values = self.studio.state(thread_id)
        brief = values.get("brief") or {}
        product = values.get("product") or {}
        findings = list((values.get("compliance") or {}).get("findings", []))
        copy = result.get("copy") or values.get("draft", "")
        digest = content_hash(copy)
        for item in self.store.reviews(status="pending", thread_id=thread_id):
            if item["content_hash"] == digest:
                return int(item["id"])
        run = self.store.run(thread_id) or {}
        return self._queue(
            copy=copy,
            findings=findings,
            product=product,
            thread_id=thread_id,
            origin="run",
            actor=run.get("owner") or "studio",
            role="system",
            channel=brief.get("channel"),
            language=brief.get("language"),
            jurisdictions=list(brief.get("jurisdictions") or []),
            provenance={
                "rulebook_version": result.get("rulebook_version"),
                "model": result.get("llm"),
                "index_version": result.get("index_version"),
            },
            comment=f"run stopped with {len(findings)} finding(s) needing a human",
        )

    def submit(
        self,
        user: User,
        copy: str,
        product: dict[str, Any],
        channel: str | None,
        language: str | None,
        jurisdictions: list[str] | None,
        thread_id: str | None = None,
        comment: str = "",
        provenance: dict[str, Any] | None = None,
    ) -> int:
        """Queue copy a copywriter wants legal to look at; findings come from a fresh check."""
        copy = (copy or "").strip()
        if not copy:
            raise ReviewError("there is no copy to submit yet: write or paste some first")
        checked = self.studio.checker.check(
            copy, product.get("category"), product.get("evidence") or {}, jurisdictions
        )
        provenance = provenance or {}
        return self._queue(
            copy=copy,
            findings=[f.as_dict() for f in checked.findings],
            product=product,
            thread_id=thread_id,
            origin="submitted",
            actor=user.name,
            role=user.role,
            channel=channel,
            language=language,
            jurisdictions=list(jurisdictions or self.studio.checker.jurisdictions),
            provenance={
                "rulebook_version": self.studio.rulebook.version,
                "model": provenance.get("llm"),
                "index_version": provenance.get("index_version"),
            },
            comment=comment,
        )

    def _queue(
        self,
        *,
        copy: str,
        findings: list[dict[str, Any]],
        product: dict[str, Any],
        thread_id: str | None,
        origin: str,
        actor: str,
        role: str,
        channel: str | None,
        language: str | None,
        jurisdictions: list[str],
        provenance: dict[str, Any],
        comment: str,
    ) -> int:
        """Add one item to the queue and its audit row (action enqueue or submit)."""
        digest = content_hash(copy)
        review_id = self.store.add_review(
            {
                "thread_id": thread_id,
                "origin": origin,
                "submitted_by": actor,
                "product": product.get("name"),
                "channel": channel,
                "language": language,
                "jurisdictions": ",".join(jurisdictions),
                "categories": categories_of(findings),
                "copy": copy,
                "content_hash": digest,
                "findings": findings,
                "evidence": product.get("evidence") or {},
                "facts": product,
                **provenance,
            }
        )
        self.store.log(
            actor=actor,
            role=role,
            action="enqueue" if origin == "run" else "submit",
            review_id=review_id,
            thread_id=thread_id,
            content_hash=digest,
            comment=comment,
            **provenance,
        )
        return review_id

    def decide(
        self,
        review_id: int,
        user: User,
        decision: str,
        comment: str,
        text: str | None = None,
        seen_hash: str | None = None,
    ) -> dict[str, Any]:
        """Approve, reject, or edit and approve one queued item; return the updated item."""
        item = self.store.review(review_id)
        if item is None:
            raise ReviewError(f"no review item #{review_id}")
        if not user.can_approve:
            self.store.log(
                actor=user.name,
                role=user.role,
                action="refused",
                review_id=review_id,
                thread_id=item["thread_id"],
                content_hash=item["content_hash"],
                rulebook_version=item["rulebook_version"],
                comment=f"tried to {decision}",
            )
            raise PermissionDeniedError(
                f"only reviewers can decide review items; {user.name} is a {user.role}"
            )
        if decision not in DECISIONS:
            raise ReviewError(f"unknown decision '{decision}'; use approve, reject or edit")
        if not (comment or "").strip():
            raise ReviewError("a comment is required with every decision")
        if item["status"] != "pending":
            raise ReviewError(
                f"item #{review_id} was already {item['status']} by {item['decided_by']} "
                f"at {item['decided_at']}"
            )
        if seen_hash is not None and seen_hash != item["content_hash"]:
            raise ReviewError(
                f"the copy of item #{review_id} changed since you opened it; reload and review "
                "the current copy"
            )
        final = item["copy"]
        if decision == "edit":
            final = (text or "").strip()
            if not final:
                raise ReviewError("an edit needs the edited copy")
            self._refuse_blocking(item, final)
        run_result = None
        if item["origin"] == "run" and item["thread_id"]:
            run_result = self._resume_run(item, user, decision, comment, final)
        final_hash = content_hash(final)
        decided = {
            "status": OUTCOME[decision],
            "decided_by": user.name,
            "decided_at": _now(),
            "decision": decision,
            "comment": comment.strip(),
            "final_copy": final,
            "final_hash": final_hash,
        }
        self.store.update_review(review_id, **decided)
        self.store.log(
            actor=user.name,
            role=user.role,
            action=decision,
            review_id=review_id,
            thread_id=item["thread_id"],
            content_hash=final_hash,
            rulebook_version=item["rulebook_version"],
            model=item["model"],
            index_version=item["index_version"],
            comment=comment.strip(),
            detail={"reviewed_hash": item["content_hash"], "outcome": OUTCOME[decision]},
        )
        return {**(self.store.review(review_id) or {}), "run": run_result}

    def _refuse_blocking(self, item: dict[str, Any], text: str) -> None:
        facts = item.get("facts") or {}
        jurisdictions = [j for j in (item.get("jurisdictions") or "").split(",") if j]
        checked = self.studio.checker.check(
            text, facts.get("category"), item.get("evidence") or {}, jurisdictions or None
        )
        blocking = [f for f in checked.findings if f.blocking]
        if blocking:
            first = blocking[0]
            raise ReviewError(
                f"the edited copy still has {len(blocking)} blocking finding(s), first "
                f"'{first.match}' [{first.rule_id}]: {first.remedy}"
            )

    def _resume_run(
        self, item: dict[str, Any], user: User, decision: str, comment: str, final: str
    ) -> dict[str, Any]:
        thread_id = str(item["thread_id"])
        result = self.studio.resume(
            thread_id,
            {"decision": decision, "comment": comment, "text": final, "reviewer": user.name},
        )
        if result.get("paused") or result["stop_reason"].startswith("error:"):
            raise ReviewError(
                f"run {thread_id} did not finish with the decision ({result['stop_reason']})"
            )
        return result

    def approval_for(self, copy: str) -> dict[str, Any] | None:
        """The approval covering exactly this copy, if any."""
        return self.store.approval_for(content_hash(copy))


def _now() -> str:
    import time

    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
