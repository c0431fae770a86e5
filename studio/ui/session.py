"""One chat conversation: turn each message into a run and stream what the agents do.

This module knows nothing about Gradio; the page (`studio.ui.app`) renders the `TurnView`s it
yields, and unit tests drive it with the fake chat model.
"""

from __future__ import annotations

import json
import queue
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from agents.brief_writer import MAX_REQUEST_CHARS, read_directives
from knowledge.brand import Product, parse_product
from knowledge.errors import ProductFileError, StudioError
from studio.service import Studio
from studio.ui import render
from studio.users import User

MAX_FACTS_CHARS = 20_000
FOLLOW_UPS_KEPT = 4
REFRESH_S = 0.15


@dataclass
class Options:
    """What the copywriter picked beside the chat."""

    product_id: str | None = None
    pasted_facts: str = ""
    persona: str = "general"
    channel: str = "product_page"
    language: str = "auto"
    jurisdictions: list[str] = field(default_factory=list)
    sponsored: bool = False


@dataclass
class Conversation:
    """A chat thread: its messages, the copy it has reached, and the runs behind it."""

    id: str = field(default_factory=lambda: "c-" + uuid.uuid4().hex[:10])
    owner: str = ""
    messages: list[dict[str, str]] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    product: dict[str, Any] | None = None
    channel: str | None = None
    copy: str = ""
    result: dict[str, Any] | None = None
    examples: list[list[Any]] = field(default_factory=list)
    review_id: int | None = None
    jurisdictions: list[str] = field(default_factory=list)
    language: str | None = None
    candidates: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class TurnView:
    """Everything the page shows while and after a turn runs."""

    messages: list[dict[str, str]]
    activity: str = ""
    stream: str = ""
    status: str = ""
    done: bool = False


def read_product(studio: Studio, options: Options) -> Product:
    """The pasted facts when given, else the picked bundled product; one-line errors."""
    pasted = (options.pasted_facts or "").strip()
    if pasted:
        if len(pasted) > MAX_FACTS_CHARS:
            raise ProductFileError(
                f"pasted facts are {len(pasted):,} characters; keep them under {MAX_FACTS_CHARS:,}"
            )
        try:
            data = json.loads(pasted)
        except json.JSONDecodeError as exc:
            raise ProductFileError(
                f"pasted facts are not valid JSON (line {exc.lineno}, column {exc.colno}); "
                'expected {"name": ..., "category": ..., "facts": {...}}'
            ) from None
        return parse_product(data, source="pasted facts")
    if not options.product_id:
        raise ProductFileError("pick a product or paste its facts as JSON")
    products = studio.brand.products
    if options.product_id not in products:
        raise ProductFileError(f"unknown product '{options.product_id}'")
    return products[options.product_id]


def compose_request(conversation: Conversation, message: str) -> str:
    """The request for this turn: the first message plus the latest follow-ups."""
    requests = [*conversation.requests, message]
    kept = requests[:1] + requests[1:][-FOLLOW_UPS_KEPT:]
    return "\n".join(kept)[-MAX_REQUEST_CHARS:]


class TurnRunner:
    """Runs turns one at a time (one local model), streaming events to the page."""

    def __init__(self, studio: Studio) -> None:
        self.studio = studio
        self.lock = threading.Lock()
        self.active: set[str] = set()

    def run_turn(
        self, user: User, conversation: Conversation, message: str, options: Options
    ) -> Iterator[TurnView]:
        """Yield views while the agents work; the conversation holds the result at the end."""
        message = (message or "").strip()
        if not message:
            yield TurnView(conversation.messages, status="Type a request first.", done=True)
            return
        if len(message) > MAX_REQUEST_CHARS:
            yield TurnView(
                conversation.messages,
                status=f"Your message is {len(message):,} characters; keep it under "
                f"{MAX_REQUEST_CHARS:,} (put product details in the facts box).",
                done=True,
            )
            return
        try:
            product = self._product_for(conversation, options)
        except StudioError as exc:
            yield TurnView(conversation.messages, status=str(exc), done=True)
            return
        follow_up = bool(conversation.copy)
        hint = read_directives(message)[3]
        channel = hint if follow_up and hint else conversation.channel or options.channel
        request = compose_request(conversation, message)
        language = None if options.language in ("", "auto") else options.language
        try:
            self.studio.validate_request(
                product, channel, options.persona, language, options.jurisdictions, request
            )
        except StudioError as exc:
            yield TurnView(conversation.messages, status=str(exc), done=True)
            return
        messages = [*conversation.messages, {"role": "user", "content": message}]
        note = f" (switched to {channel})" if channel != conversation.channel and follow_up else ""
        yield from self._stream(
            user, conversation, product, channel, language, request, options, messages, note
        )

    def _product_for(self, conversation: Conversation, options: Options) -> Product:
        kept = conversation.product
        same = kept is not None and options.product_id in (None, "", kept.get("id"))
        if kept is not None and same and not (options.pasted_facts or "").strip():
            return parse_product(kept, source="conversation")
        return read_product(self.studio, options)

    def _stream(
        self,
        user: User,
        conversation: Conversation,
        product: Product,
        channel: str,
        language: str | None,
        request: str,
        options: Options,
        messages: list[dict[str, str]],
        note: str,
    ) -> Iterator[TurnView]:
        events: queue.Queue[tuple[str, Any]] = queue.Queue()
        thread_id = uuid.uuid4().hex[:12]

        def work() -> None:
            with self.lock:
                events.put(("started", None))
                self.active.add(thread_id)
                try:
                    result = self.studio.generate(
                        product,
                        channel=channel,
                        persona=options.persona,
                        language=language,
                        jurisdictions=options.jurisdictions or None,
                        request=request,
                        sponsored=options.sponsored,
                        thread_id=thread_id,
                        on_event=lambda mode, payload: events.put((mode, payload)),
                        previous_copy=conversation.copy,
                        owner=user.name,
                        conversation=conversation.id,
                    )
                    events.put(("done", result))
                except StudioError as exc:
                    events.put(("error", str(exc)))
                except Exception as exc:  # noqa: BLE001 - shown in the page, never a traceback
                    events.put(("error", f"internal error: {type(exc).__name__}: {exc}"))
                finally:
                    self.active.discard(thread_id)

        waiting = self.lock.locked()
        threading.Thread(target=work, daemon=True, name=f"turn-{thread_id}").start()
        log: list[str] = []
        stream = ""
        status = "Waiting for another run to finish…" if waiting else "Working…"
        view_messages = [*messages, {"role": "assistant", "content": "…"}]
        last_yield = 0.0
        yield TurnView(view_messages, "", "", status)
        while True:
            try:
                mode, payload = events.get(timeout=REFRESH_S)
            except queue.Empty:
                continue
            if mode == "started":
                status = f"Working{note}…"
            elif mode == "error":
                yield TurnView(conversation.messages, "\n\n".join(log), stream, payload, True)
                return
            elif mode == "done":
                yield self._finish(conversation, messages, request, channel, product, payload, log)
                return
            elif mode == "messages":
                chunk, meta = payload
                if meta.get("langgraph_node") == "write_draft":
                    stream += str(getattr(chunk, "content", "") or "")
            elif mode == "custom" and isinstance(payload, dict) and payload.get("token"):
                stream += str(payload["token"])
            elif mode == "updates":
                for node, update in (payload or {}).items():
                    line = render.node_line(node, update or {})
                    if line:
                        log.append(line)
                    if node == "retrieve_examples":
                        conversation.examples = render.example_rows(
                            (update or {}).get("retrieved", [])
                        )
                    if node == "write_draft":
                        stream += "\n\n"
            now = time.monotonic()
            if now - last_yield >= REFRESH_S:
                last_yield = now
                view_messages[-1] = {
                    "role": "assistant",
                    "content": "\n\n".join(log) + (f"\n\n*drafting…* {stream[-600:]}"),
                }
                yield TurnView(view_messages, "\n\n".join(log), stream, status)

    def _finish(
        self,
        conversation: Conversation,
        messages: list[dict[str, str]],
        request: str,
        channel: str,
        product: Product,
        result: dict[str, Any],
        log: list[str],
    ) -> TurnView:
        conversation.requests = request.split("\n")
        final_state = self.studio.state(result["thread_id"])
        brief = final_state.get("brief") or {}
        conversation.candidates = list(final_state.get("candidates") or [])
        conversation.jurisdictions = list(brief.get("jurisdictions") or [])
        conversation.language = brief.get("language")
        conversation.product = product.model_dump()
        conversation.channel = channel
        conversation.result = result
        if result["stop_reason"].startswith("error:"):
            status = f"The run stopped with {result['stop_reason']}; your message is kept."
            answer = "\n\n".join(log) + f"\n\n**Stopped:** {result['stop_reason']}"
        else:
            conversation.copy = result["copy"]
            conversation.review_id = result.get("review_id")
            status = {
                "approved": "Approved by the critic and compliance.",
                "max_revisions": "Revision budget used up: the best draft is shown.",
                "needs_legal_review": "Sent to legal review: a reviewer will decide.",
            }.get(result["stop_reason"], result["stop_reason"])
            in_name = (final_state.get("compliance") or {}).get("in_product_name") or []
            if result["stop_reason"] == "needs_legal_review" and in_name:
                status += f" The product's name itself carries {', '.join(in_name)}."
            answer = "\n\n".join(log) + "\n\n---\n\n" + result["copy"]
        conversation.messages = [*messages, {"role": "assistant", "content": answer}]
        return TurnView(conversation.messages, "\n\n".join(log), "", status, True)
