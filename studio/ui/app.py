"""The Gradio studio: co-writing chat, the legal review queue, the audit trail and my runs.

Handlers here are thin: they read the logged-in user from the request, call the conversation
runner (`studio.ui.session`) or the review desk (`studio.review_desk`), and render the result.
Every user-fixable problem is shown in the page as a one-line message.
"""

from __future__ import annotations

import contextlib
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import gradio as gr

from agents.review import content_hash
from knowledge.errors import StudioError
from knowledge.rulebook import CATEGORIES, JURISDICTIONS
from studio.service import Studio
from studio.ui import render
from studio.ui.session import Conversation, Options, TurnRunner, TurnView
from studio.users import User, Users

ALL = "all"
CSS = """
.copy-view { line-height: 1.6; padding: 8px; border: 1px solid #ddd; border-radius: 6px;
  white-space: pre-wrap; }
mark.finding { padding: 0 2px; border-radius: 3px; cursor: help; }
mark.sev-block { background: #ffb3b3; } mark.sev-evidence { background: #ffd699; }
mark.sev-qualifier { background: #fff0a0; } mark.sev-warn { background: #d6ecff; }
#status, #review-status { font-weight: 600; }
"""


class Page:
    """Holds what the handlers share: the studio, users, the turn runner and the export folder."""

    def __init__(self, studio: Studio, users: Users) -> None:
        self.studio = studio
        self.users = users
        self.runner = TurnRunner(studio)
        self.exports = Path(tempfile.mkdtemp(prefix="studio-exports-"))

    def user(self, request: gr.Request | None) -> User:
        user = self.users.get(getattr(request, "username", None))
        if user is None:
            raise StudioError("you are not logged in")
        return user

    # ----- chat -----------------------------------------------------------------------------

    def send(
        self,
        message: str,
        conversation: Conversation | None,
        product_id: str,
        pasted: str,
        persona: str,
        channel: str,
        language: str,
        jurisdictions: list[str],
        sponsored: bool,
        request: gr.Request,
    ) -> Iterator[tuple[Any, ...]]:
        user = self.user(request)
        if conversation is None or conversation.owner != user.name:
            conversation = Conversation(owner=user.name)
        options = Options(
            product_id=product_id or None,
            pasted_facts=pasted or "",
            persona=persona or "general",
            channel=channel or "product_page",
            language=language or "auto",
            jurisdictions=list(jurisdictions or []),
            sponsored=bool(sponsored),
        )
        before = conversation.result
        final: TurnView | None = None
        for view in self.runner.run_turn(user, conversation, message, options):
            if view.done:
                final = view
                break
            yield (
                view.messages,
                gr.update(),
                view.activity,
                view.stream,
                view.status,
                *([gr.update()] * 6),
                conversation,
            )
        if final is None:
            return
        result = conversation.result
        if result is None or result is before or result["stop_reason"].startswith("error:"):
            # nothing is lost: the message stays in the box for another try
            yield (
                conversation.messages,
                gr.update(),
                final.activity,
                final.stream,
                final.status,
                *([gr.update()] * 6),
                conversation,
            )
            return
        yield (
            conversation.messages,
            "",
            final.activity,
            "",
            final.status,
            *self.result_views(conversation),
            conversation,
        )

    def result_views(self, conversation: Conversation) -> tuple[Any, ...]:
        result = conversation.result or {}
        findings = result.get("findings") or []
        choices = render.variant_choices(result.get("copy", ""), conversation.candidates)
        return (
            render.highlight(result.get("copy", ""), findings),
            result.get("copy", ""),
            gr.update(choices=choices, value=result.get("copy") or None),
            render.finding_rows(findings),
            render.scores_markdown(result),
            conversation.examples,
        )

    def pick_variant(self, variant: str, conversation: Conversation | None) -> tuple[Any, ...]:
        if not variant or conversation is None or conversation.result is None:
            return gr.update(), gr.update(), gr.update(), "No copy yet."
        checked = self.studio.checker.check(
            variant,
            (conversation.product or {}).get("category"),
            (conversation.product or {}).get("evidence") or {},
            conversation.jurisdictions or None,
        )
        findings = [f.as_dict() for f in checked.findings]
        conversation.copy = variant
        return (
            render.highlight(variant, findings),
            variant,
            render.finding_rows(findings),
            f"Variant picked ({checked.verdict}); follow-ups now revise it.",
        )

    def export(self, conversation: Conversation | None, request: gr.Request) -> Any:
        self.user(request)
        if conversation is None or conversation.result is None:
            return gr.update(value=None), "Nothing to export yet: write some copy first."
        result = {**conversation.result, "copy": conversation.copy}
        approval = self.studio.reviews.approval_for(conversation.copy)
        path = self.exports / f"copy-{conversation.id}-{content_hash(conversation.copy)}.json"
        path.write_text(render.export_document(result, approval), encoding="utf-8")
        note = "with legal approval" if approval else "no legal approval for this exact copy"
        return gr.update(value=str(path)), f"Exported {path.name} ({note})."

    def submit_for_review(self, conversation: Conversation | None, request: gr.Request) -> str:
        user = self.user(request)
        if conversation is None or not conversation.copy or conversation.result is None:
            return "There is no copy to submit yet."
        result = conversation.result
        if result.get("paused") and conversation.review_id:
            return f"Already in the review queue as item #{conversation.review_id}."
        product = conversation.product or {}
        review_id = self.studio.reviews.submit(
            user,
            conversation.copy,
            product,
            conversation.channel,
            conversation.language,
            conversation.jurisdictions or None,
            thread_id=result.get("thread_id"),
            provenance=result,
        )
        conversation.review_id = review_id
        return f"Submitted to the review queue as item #{review_id}."

    def new_conversation(self, request: gr.Request) -> tuple[Any, ...]:
        user = self.user(request)
        return (
            Conversation(owner=user.name),
            [],
            "",
            "",
            "New conversation.",
            render.highlight("", []),
            "",
            gr.update(choices=[], value=None),
            [],
            "",
            [],
        )

    # ----- review queue ---------------------------------------------------------------------

    def queue(self, status: str, category: str, jurisdiction: str) -> tuple[Any, Any]:
        items = self.studio.store.reviews(
            status=None if status == ALL else status,
            category=None if category == ALL else category,
            jurisdiction=None if jurisdiction == ALL else jurisdiction,
        )
        choices = [
            (f"#{i['id']} · {i['status']} · {i.get('product') or ''}", i["id"]) for i in items
        ]
        return render.queue_rows(items), gr.update(
            choices=choices, value=choices[0][1] if choices else None
        )

    def open_item(self, review_id: int | None) -> tuple[Any, ...]:
        item = self.studio.store.review(int(review_id)) if review_id else None
        if item is None:
            return render.highlight("", []), [], "", "", "", "Pick an item from the queue."
        shown = item["final_copy"] if item["status"] != "pending" else item["copy"]
        decided = (
            f"{item['status']} by {item['decided_by']} at {item['decided_at']}: {item['comment']}"
            if item["status"] != "pending"
            else f"pending · content hash {item['content_hash']}"
        )
        return (
            render.highlight(item["copy"], item["findings"]),
            render.finding_rows(item["findings"]),
            render.evidence_markdown(item),
            shown,
            item["content_hash"],
            f"Item #{item['id']} ({item['origin']}, rulebook `{item['rulebook_version']}`): "
            f"{decided}",
        )

    def decide(
        self,
        decision: str,
        review_id: int | None,
        comment: str,
        edited: str,
        seen_hash: str,
        request: gr.Request,
    ) -> str:
        user = self.user(request)
        if not review_id:
            return "Pick an item from the queue first."
        try:
            item = self.studio.reviews.decide(
                int(review_id),
                user,
                decision,
                comment,
                text=edited if decision == "edit" else None,
                seen_hash=seen_hash or None,
            )
        except StudioError as exc:
            return f"Not recorded: {exc}"
        return f"Item #{item['id']} {item['status']} by {user.name}; the audit trail has it."

    def approve(
        self, review_id: int | None, comment: str, edited: str, seen: str, request: gr.Request
    ) -> str:
        return self.decide("approve", review_id, comment, edited, seen, request)

    def edit_and_approve(
        self, review_id: int | None, comment: str, edited: str, seen: str, request: gr.Request
    ) -> str:
        return self.decide("edit", review_id, comment, edited, seen, request)

    def reject(
        self, review_id: int | None, comment: str, edited: str, seen: str, request: gr.Request
    ) -> str:
        return self.decide("reject", review_id, comment, edited, seen, request)

    # ----- audit and runs -------------------------------------------------------------------

    def audit(self) -> list[list[Any]]:
        columns = ["id", "at", "actor", "role", "action", "review_id", "content_hash", "comment"]
        return [[row[c] for c in columns] for row in self.studio.store.audit(limit=200)]

    def audit_export(self, request: gr.Request) -> Any:
        self.user(request)
        path = self.exports / "audit.csv"
        path.write_text(self.studio.store.audit_csv(), encoding="utf-8")
        return gr.update(value=str(path))

    def my_runs(self, request: gr.Request) -> tuple[Any, Any]:
        user = self.user(request)
        rows, resumable = [], []
        for run in self.studio.store.runs(owner=user.name):
            status = run["status"]
            if status == "running" and run["thread_id"] not in self.runner.active:
                status = "interrupted"
                resumable.append(run["thread_id"])
            rows.append(
                [
                    run["thread_id"],
                    run["created_at"],
                    status,
                    run["stop_reason"] or "",
                    run["channel"],
                    run["product_name"],
                ]
            )
        return rows, gr.update(choices=resumable, value=resumable[0] if resumable else None)

    def resume_run(self, thread_id: str | None, request: gr.Request) -> str:
        user = self.user(request)
        run = self.studio.store.run(thread_id or "")
        if not thread_id or run is None:
            return "Pick an interrupted run first."
        if run.get("owner") != user.name:
            return "That run belongs to someone else."
        if thread_id in self.runner.active:
            return "That run is still going."
        try:
            with self.runner.lock:
                result = self.studio.resume(thread_id)
        except StudioError as exc:
            return f"Not resumed: {exc}"
        return f"Run {thread_id} finished: {result['stop_reason']}."

    def header(self, request: gr.Request) -> tuple[Any, ...]:
        user = self.user(request)
        reviewer = user.can_approve
        note = (
            "You can approve, reject, or edit and approve."
            if reviewer
            else "Only reviewers can decide; you can read the queue."
        )
        return (
            f"**Content Studio** · signed in as **{user.name}** ({user.role})",
            *([gr.update(interactive=reviewer)] * 3),
            note,
        )


def build_app(studio: Studio, users: Users) -> gr.Blocks:
    """Build the page; `launch_app` serves it behind the login."""
    page = Page(studio, users)
    brand = studio.brand
    products = [(f"{p.name} ({pid})", pid) for pid, p in sorted(brand.products.items())]
    personas = [(f"{p.name.en} / {p.name.zh}", pid) for pid, p in brand.personas.items()]
    channels = [(f"{c.name.en} / {c.name.zh}", cid) for cid, c in brand.channels.items()]
    with gr.Blocks(title="Content Studio", analytics_enabled=False) as demo:
        conversation = gr.State(None)
        with gr.Row():
            header = gr.Markdown("**Content Studio**", elem_id="header")
            gr.Button("Log out", link="/logout", size="sm", scale=0, elem_id="logout")
        with gr.Tabs():
            with gr.Tab("Write", id="write"):
                with gr.Row():
                    with gr.Column(scale=1, min_width=260):
                        product = gr.Dropdown(
                            products, value=products[0][1], label="Product", elem_id="product"
                        )
                        with gr.Accordion("…or paste product facts (JSON)", open=False):
                            pasted = gr.Textbox(
                                lines=6,
                                label="Product facts",
                                placeholder='{"name": "...", "category": "...", "facts": {...}}',
                                elem_id="pasted-facts",
                            )
                        persona = gr.Dropdown(
                            personas, value="general", label="Persona", elem_id="persona"
                        )
                        channel = gr.Dropdown(
                            channels, value="product_page", label="Channel", elem_id="channel"
                        )
                        language = gr.Radio(["auto", "en", "zh"], value="auto", label="Language")
                        jurisdictions = gr.CheckboxGroup(
                            list(JURISDICTIONS), value=[], label="Jurisdictions (none = default)"
                        )
                        sponsored = gr.Checkbox(label="Sponsored post (needs #ad)")
                        new = gr.Button("New conversation", elem_id="new-conversation")
                    with gr.Column(scale=3):
                        chat = gr.Chatbot(label="Co-writing chat", height=420, elem_id="chat")
                        with gr.Row():
                            message = gr.Textbox(
                                placeholder="Describe what you need, or ask for a change "
                                "(shorter, warmer, for the 618 sale banner)…",
                                show_label=False,
                                scale=5,
                                elem_id="message",
                            )
                            send = gr.Button("Send", variant="primary", scale=1, elem_id="send")
                        status = gr.Markdown(elem_id="status")
                        stream = gr.Textbox(
                            label="Draft tokens as they arrive", lines=3, elem_id="draft-stream"
                        )
                with gr.Row():
                    with gr.Column(scale=3):
                        copy_view = gr.HTML(render.highlight("", []), elem_id="copy-view")
                        final_copy = gr.Textbox(
                            label="Final copy", lines=4, buttons=["copy"], elem_id="final-copy"
                        )
                        variants = gr.Radio([], label="Variants", elem_id="variants")
                        with gr.Row():
                            export = gr.Button("Export copy + scores + findings", elem_id="export")
                            export_file = gr.File(label="Export", elem_id="export-file")
                            submit = gr.Button("Submit for legal review", elem_id="submit-review")
                    with gr.Column(scale=2):
                        scores = gr.Markdown(elem_id="scores")
                        activity = gr.Markdown(elem_id="activity")
                findings = gr.Dataframe(
                    headers=render.FINDING_COLUMNS,
                    label="Compliance findings (rule, legal basis, remedy)",
                    elem_id="findings",
                    wrap=True,
                )
                examples = gr.Dataframe(
                    headers=render.EXAMPLE_COLUMNS,
                    label="Retrieved examples with their past performance",
                    elem_id="examples",
                    wrap=True,
                )
            with gr.Tab("Review queue", id="review"):
                with gr.Row():
                    status_filter = gr.Dropdown(
                        [ALL, "pending", "approved", "rejected"],
                        value="pending",
                        label="Status",
                        elem_id="filter-status",
                    )
                    category_filter = gr.Dropdown([ALL, *CATEGORIES], value=ALL, label="Category")
                    juris_filter = gr.Dropdown(
                        [ALL, *JURISDICTIONS], value=ALL, label="Jurisdiction"
                    )
                    refresh = gr.Button("Refresh", elem_id="refresh-queue")
                queue_table = gr.Dataframe(
                    headers=render.QUEUE_COLUMNS, label="Queue", elem_id="queue"
                )
                item = gr.Dropdown([], label="Item", elem_id="review-item")
                item_status = gr.Markdown(elem_id="item-status")
                with gr.Row():
                    with gr.Column(scale=3):
                        item_view = gr.HTML(render.highlight("", []), elem_id="item-view")
                        item_findings = gr.Dataframe(
                            headers=render.FINDING_COLUMNS,
                            label="Findings",
                            wrap=True,
                            elem_id="item-findings",
                        )
                    with gr.Column(scale=2):
                        item_evidence = gr.Markdown(elem_id="item-evidence")
                seen_hash = gr.Textbox(visible=False)
                edited = gr.Textbox(
                    label="Copy (edit here to edit and approve)", lines=4, elem_id="review-edit"
                )
                comment = gr.Textbox(label="Comment (required)", elem_id="review-comment")
                role_note = gr.Markdown(elem_id="role-note")
                with gr.Row():
                    approve = gr.Button("Approve", variant="primary", elem_id="approve")
                    edit_approve = gr.Button("Edit and approve", elem_id="edit-approve")
                    reject = gr.Button("Reject", variant="stop", elem_id="reject")
                review_status = gr.Markdown(elem_id="review-status")
            with gr.Tab("Audit trail", id="audit"):
                audit_refresh = gr.Button("Refresh", elem_id="refresh-audit")
                audit_table = gr.Dataframe(
                    headers=["id", "at", "actor", "role", "action", "review", "hash", "comment"],
                    label="Audit trail (newest first)",
                    elem_id="audit",
                    wrap=True,
                )
                audit_csv = gr.Button("Export CSV", elem_id="audit-export")
                audit_file = gr.File(label="audit.csv", elem_id="audit-file")
            with gr.Tab("My runs", id="runs"):
                runs_refresh = gr.Button("Refresh", elem_id="refresh-runs")
                runs_table = gr.Dataframe(
                    headers=["thread", "started", "status", "stop reason", "channel", "product"],
                    elem_id="runs",
                )
                resumable = gr.Dropdown([], label="Interrupted runs", elem_id="resumable")
                resume = gr.Button("Resume", elem_id="resume")
                resume_status = gr.Markdown(elem_id="resume-status")

        chat_outputs = [chat, message, activity, stream, status, copy_view, final_copy, variants]
        chat_outputs += [findings, scores, examples, conversation]
        chat_inputs = [message, conversation, product, pasted, persona, channel, language]
        chat_inputs += [jurisdictions, sponsored]
        send.click(page.send, chat_inputs, chat_outputs)
        message.submit(page.send, chat_inputs, chat_outputs)
        new.click(
            page.new_conversation,
            None,
            [conversation, chat, activity, stream, status, copy_view, final_copy, variants]
            + [findings, scores, examples],
        )
        variants.input(
            page.pick_variant, [variants, conversation], [copy_view, final_copy, findings, status]
        )
        export.click(page.export, [conversation], [export_file, status])
        submit.click(page.submit_for_review, [conversation], [status])

        filters = [status_filter, category_filter, juris_filter]
        for trigger in (refresh.click, status_filter.change, category_filter.change):
            trigger(page.queue, filters, [queue_table, item])
        juris_filter.change(page.queue, filters, [queue_table, item])
        item.change(
            page.open_item,
            [item],
            [item_view, item_findings, item_evidence, edited, seen_hash, item_status],
        )
        for button, handler in (
            (approve, page.approve),
            (edit_approve, page.edit_and_approve),
            (reject, page.reject),
        ):
            button.click(
                handler,
                [item, comment, edited, seen_hash],
                [review_status],
            ).then(page.queue, filters, [queue_table, item])

        audit_refresh.click(page.audit, None, [audit_table])
        audit_csv.click(page.audit_export, None, [audit_file])
        runs_refresh.click(page.my_runs, None, [runs_table, resumable])
        resume.click(page.resume_run, [resumable], [resume_status])

        demo.load(page.header, None, [header, approve, edit_approve, reject, role_note])
        demo.load(page.queue, filters, [queue_table, item])
        demo.load(page.audit, None, [audit_table])
        demo.load(page.my_runs, None, [runs_table, resumable])
    return demo


def warm_up(studio: Studio) -> threading.Thread:
    """Load the index, embeddings and LLM in the background so the first message is quick."""

    def load() -> None:
        with contextlib.suppress(StudioError):  # the first message shows the one-line error
            _ = studio.context

    thread = threading.Thread(target=load, daemon=True, name="warm-up")
    thread.start()
    return thread


def launch_app(studio: Studio, users: Users, host: str, port: int) -> None:
    """Serve the studio behind the login until interrupted."""
    demo = build_app(studio, users)
    warm_up(studio)
    demo.queue(default_concurrency_limit=4).launch(
        server_name=host,
        server_port=port,
        auth=users.authenticate,
        auth_message="Content Studio: sign in as a copywriter or reviewer.",
        css=CSS,
        theme=gr.themes.Default(
            font=["ui-sans-serif", "system-ui", "sans-serif"],
            font_mono=["ui-monospace", "monospace"],
        ),
        show_error=False,
        quiet=False,
    )
