"""The studio as one object: resources loaded once per process, runs, resumes and checks."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from functools import cached_property
from typing import Any

from langchain_core.language_models import BaseChatModel
from langgraph.types import Command

from agents.brief_writer import build_brief
from agents.compliance.checker import CONTRACT_FIELDS, ComplianceChecker
from agents.context import Context
from agents.critic import Critic
from agents.errors import BriefError, GenerationError, ModelLoadError
from agents.review import content_hash
from knowledge.brand import Brand, Product
from knowledge.embeddings import Embedder
from knowledge.errors import StudioError
from knowledge.index import BuildResult, build_index, load_index
from knowledge.retrieval import FaissRetriever
from knowledge.rulebook import Rulebook
from studio.graph import build_graph
from studio.review_desk import ReviewDesk
from studio.settings import Settings
from studio.store import Store

EventHandler = Callable[[str, Any], None]


class Studio:
    """Loads each heavy resource on first use and keeps it for the life of the process."""

    def __init__(self, settings: Settings, llm: BaseChatModel | None = None) -> None:
        self.settings = settings
        self._llm = llm
        self.load_seconds: dict[str, float] = {}

    def _timed(self, name: str, load: Callable[[], Any]) -> Any:
        started = time.perf_counter()
        value = load()
        self.load_seconds[name] = round(time.perf_counter() - started, 3)
        return value

    @cached_property
    def brand(self) -> Brand:
        return Brand(self.settings.brand_dir)

    @cached_property
    def rulebook(self) -> Rulebook:
        return self._timed("rulebook", lambda: Rulebook(self.settings.rulebook_dir))

    @cached_property
    def checker(self) -> ComplianceChecker:
        return ComplianceChecker(self.rulebook, semantic=self.settings.compliance_layer)

    @cached_property
    def embedder(self) -> Embedder:
        return self._timed("embeddings", lambda: Embedder(self.settings.embeddings))

    @cached_property
    def retriever(self) -> FaissRetriever:
        loaded = self._timed(
            "index",
            lambda: load_index(
                self.settings.index_path,
                self.embedder,
                expected_corpus_hash=self.brand.corpus_hash(),
            ),
        )
        return FaissRetriever(loaded, self.embedder, self.settings.performance_weight)

    @cached_property
    def llm(self) -> BaseChatModel:
        if self._llm is not None:
            return self._llm
        from agents.llm import load_chat_model

        return self._timed(
            "llm",
            lambda: load_chat_model(
                self.settings.llm, cache_dir=self.settings.model_cache_path, seed=self.settings.seed
            ),
        )

    @cached_property
    def store(self) -> Store:
        return Store(self.settings.database_path)

    @cached_property
    def reviews(self) -> ReviewDesk:
        return ReviewDesk(self)

    @cached_property
    def graph(self) -> Any:
        return build_graph(checkpointer=self.store.checkpointer)

    @cached_property
    def context(self) -> Context:
        retriever = self.retriever  # fail fast on a missing index, before the LLM loads
        return Context(
            llm=self.llm,
            brand=self.brand,
            retriever=retriever,
            checker=self.checker,
            embedder=self.embedder,
            critic=Critic(self.brand, self.embedder, retriever, self.checker),
            max_revisions=self.settings.max_revisions,
            n_candidates=self.settings.n_candidates,
            seed=self.settings.seed,
            examples_k=self.settings.examples_k,
            temperature=self.settings.temperature,
        )

    @property
    def llm_name(self) -> str:
        return str(getattr(self.llm, "model_name", self.settings.llm))

    def build_index(self, force: bool = False, progress: bool = True) -> BuildResult:
        return build_index(self.brand, self.embedder, self.settings.index_path, force, progress)

    def validate_request(
        self,
        product: Product,
        channel: str,
        persona: str,
        language: str | None,
        jurisdictions: list[str] | None,
        request: str,
    ) -> None:
        """Raise a one-line StudioError before any model loads if the input cannot work."""
        build_brief(self.brand, product, channel, persona, language, jurisdictions, request)

    def generate(
        self,
        product: Product,
        channel: str = "product_page",
        persona: str = "general",
        language: str | None = None,
        jurisdictions: list[str] | None = None,
        request: str = "",
        sponsored: bool = False,
        thread_id: str | None = None,
        on_event: EventHandler | None = None,
        previous_copy: str = "",
        owner: str | None = None,
        conversation: str | None = None,
    ) -> dict[str, Any]:
        """Run the graph for one brief and return the DESIGN.md `generate --json` object.

        ``previous_copy`` is the copy a follow-up request ("shorter", "warmer") revises.
        """
        self.validate_request(product, channel, persona, language, jurisdictions, request)
        started = time.perf_counter()
        context = self.context
        load_seconds = dict(self.load_seconds)
        thread_id = thread_id or uuid.uuid4().hex[:12]
        inputs: dict[str, Any] = {
            "request": request,
            "product": product.model_dump(),
            "channel": channel,
            "persona": persona,
            "language": language or product.language or "en",
            "jurisdictions": list(jurisdictions or []),
            "sponsored": sponsored,
            "previous_copy": previous_copy,
        }
        self.store.start_run(thread_id, inputs["product"], inputs, owner, conversation)
        error = self._drive(inputs, thread_id, context, on_event)
        return self._finish(thread_id, started, load_seconds, error)

    def resume(
        self,
        thread_id: str,
        decision: dict[str, Any] | None = None,
        on_event: EventHandler | None = None,
    ) -> dict[str, Any]:
        """Resume a paused run: with a reviewer's decision, or continue an interrupted one.

        A run stopped mid-way (the process died) continues from its last checkpoint; a run
        waiting for legal review needs a decision.
        """
        config = {"configurable": {"thread_id": thread_id}}
        snapshot = self.graph.get_state(config)
        if not snapshot or not snapshot.values:
            raise StudioError(f"no run with thread id '{thread_id}'")
        waiting = "request_legal_review" in (snapshot.next or ())
        if decision is not None and not waiting:
            raise StudioError(f"run '{thread_id}' is not waiting for legal review")
        if decision is None and waiting:
            raise StudioError(f"run '{thread_id}' waits for legal review: give a --decision")
        if decision is None and not snapshot.next and snapshot.values.get("stop_reason"):
            raise StudioError(f"run '{thread_id}' has already finished")
        started = time.perf_counter()
        graph_input: Command | None = Command(resume=decision) if decision is not None else None
        error = self._drive(graph_input, thread_id, self.context, on_event)
        return self._finish(thread_id, started, {}, error)

    def _drive(
        self, graph_input: Any, thread_id: str, context: Context, on_event: EventHandler | None
    ) -> str | None:
        config = {"configurable": {"thread_id": thread_id}}
        try:
            for mode, payload in self.graph.stream(
                graph_input,
                config,
                context=context,
                stream_mode=["updates", "messages", "custom"],
                durability="sync",
            ):
                if on_event is not None:
                    on_event(mode, payload)
        except BriefError:
            return "error:brief"
        except GenerationError:
            return "error:generation"
        except ModelLoadError:
            return "error:model"
        except StudioError:
            return "error:data"
        return None

    def state(self, thread_id: str) -> dict[str, Any]:
        snapshot = self.graph.get_state({"configurable": {"thread_id": thread_id}})
        return dict(snapshot.values or {})

    def _finish(
        self, thread_id: str, started: float, load_seconds: dict[str, float], error: str | None
    ) -> dict[str, Any]:
        snapshot = self.graph.get_state({"configurable": {"thread_id": thread_id}})
        values = dict(snapshot.values or {})
        paused = "request_legal_review" in (snapshot.next or ())
        stop_reason = (
            error
            or ("needs_legal_review" if paused else values.get("stop_reason"))
            or ("error:incomplete")
        )
        result = to_contract(values, stop_reason, self, thread_id)
        result["timings_s"] = {
            "total": round(time.perf_counter() - started, 3),
            **{k: round(v, 3) for k, v in (values.get("timings") or {}).items()},
            **{f"load_{k}": v for k, v in load_seconds.items()},
        }
        result["paused"] = paused
        if paused:
            result["review_id"] = self.reviews.enqueue_run(thread_id, result)
        status = "paused" if paused else ("error" if error else "done")
        self.store.finish_run(
            thread_id,
            status,
            stop_reason,
            result["copy"],
            content_hash(result["copy"]),
            {
                "approved": result["approved"],
                "scores": result["scores"],
                "findings": len(result["findings"]),
                "review": result.get("review"),
            },
        )
        return result


def to_contract(
    values: dict[str, Any], stop_reason: str, studio: Studio, thread_id: str
) -> dict[str, Any]:
    """Shape the final graph state as the `studio generate --json` contract."""
    critique = values.get("critique") or {}
    compliance = values.get("compliance") or {}
    review = values.get("review")
    copy = values.get("draft", "")
    candidates = sorted(values.get("candidates") or [], key=lambda c: -c.get("overall", 0.0))
    variants = [c["text"] for c in candidates if c["text"] != copy][:3]
    approved = stop_reason == "approved" or bool(review and review.get("outcome") == "approved")
    stats = [s for s in values.get("llm_stats") or [] if s.get("seconds")]
    tokens = sum(s.get("generated_tokens", 0) for s in stats)
    seconds = sum(s.get("seconds", 0.0) for s in stats)
    return {
        "copy": copy,
        "variants": variants,
        "approved": approved,
        "stop_reason": stop_reason,
        "revisions": int(values.get("revision", 0)),
        "scores": critique.get("scores", {}),
        "findings": [{k: f[k] for k in CONTRACT_FIELDS} for f in compliance.get("findings", [])],
        "retrieved": [
            {
                "id": r["id"],
                "score": r["score"],
                "kind": r.get("kind"),
                "performance": r.get("performance"),
            }
            for r in values.get("retrieved") or []
        ],
        "timings_s": {},
        "llm": studio.llm_name,
        "rulebook_version": studio.rulebook.version,
        "thread_id": thread_id,
        "source": values.get("draft_source"),
        "feedback": critique.get("feedback", []),
        "security_events": values.get("security_events") or [],
        "review": review,
        "index_version": studio.retriever.version,
        "tokens_per_s": round(tokens / seconds, 2) if seconds else None,
    }
