"""The chat conversation logic behind the page, and the page's own handlers, with the fake LLM."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest

from agents.llm import ScriptedChatModel
from knowledge.embeddings import HashingEmbedder
from studio.service import Studio
from studio.settings import Settings
from studio.ui import render
from studio.ui.session import Conversation, Options, TurnRunner, compose_request
from studio.users import User, Users
from tests.conftest import GOOD_BOTTLE_COPY, RISKY_BOTTLE_COPY

CARL = User("carl", "copywriter", "")


def make_studio(tmp_path, replies: list[str]) -> Studio:
    studio = Studio(
        Settings(home=tmp_path, max_revisions=0, n_candidates=1, compliance_layer="rules"),
        llm=ScriptedChatModel(replies=replies),
    )
    studio.__dict__["embedder"] = HashingEmbedder()
    studio.build_index(progress=False)
    return studio


def run(runner: TurnRunner, conversation: Conversation, message: str, **options):
    options.setdefault("product_id", "steel-bottle-500")
    return list(runner.run_turn(CARL, conversation, message, Options(**options)))


@pytest.mark.parametrize(
    ("message", "options", "expected"),
    [
        ("   ", {}, "Type a request first"),
        ("x" * 2500, {}, "keep it under 2,000"),
        ("hi", {"pasted_facts": "{not json"}, "not valid JSON (line 1"),
        ("hi", {"pasted_facts": '{"name": "A"}'}, "pasted facts"),
        ("hi", {"pasted_facts": "x" * 20_001}, "keep them under 20,000"),
        ("hi", {"product_id": ""}, "pick a product"),
        ("hi", {"channel": "fax"}, "channel"),
        ("hi", {"language": "fr"}, "unsupported language"),
    ],
)
def test_bad_input_gets_one_line_in_the_page_and_nothing_runs(tmp_path, message, options, expected):
    studio = make_studio(tmp_path, [GOOD_BOTTLE_COPY])
    conversation = Conversation(owner="carl")
    views = run(TurnRunner(studio), conversation, message, **options)
    assert len(views) == 1 and views[0].done
    assert expected in views[0].status and "\n" not in views[0].status
    assert "Traceback" not in views[0].status
    assert conversation.messages == [] and studio.store.runs() == []


def test_a_turn_streams_progress_then_keeps_the_result(tmp_path):
    studio = make_studio(tmp_path, [GOOD_BOTTLE_COPY])
    conversation = Conversation(owner="carl")
    views = run(TurnRunner(studio), conversation, "Copy for the bottle page")
    assert not views[0].done and views[-1].done
    assert any("**Brief**" in v.activity for v in views)
    assert "Approved" in views[-1].status
    assert conversation.copy == GOOD_BOTTLE_COPY
    assert conversation.messages[0] == {"role": "user", "content": "Copy for the bottle page"}
    assert conversation.messages[-1]["content"].endswith(GOOD_BOTTLE_COPY)
    assert conversation.examples and conversation.examples[0][0]
    run_row = studio.store.runs(owner="carl")[0]
    assert run_row["conversation"] == conversation.id and run_row["status"] == "done"


def test_a_follow_up_revises_the_current_copy_and_can_switch_channel(tmp_path):
    llm = ScriptedChatModel(replies=[GOOD_BOTTLE_COPY, "Trail Bottle 500 ml. 24 h cold. Shop now."])
    studio = make_studio(tmp_path, [])
    studio._llm = llm
    runner = TurnRunner(studio)
    conversation = Conversation(owner="carl")
    run(runner, conversation, "Copy for the bottle page")
    first = conversation.result
    run(runner, conversation, "shorter, for the 618 sale banner")
    second = studio.state(conversation.result["thread_id"])
    assert conversation.channel == "promo_banner"
    assert second["previous_copy"] == first["copy"]
    assert "shorter" in second["brief"]["directives"]
    assert second["brief"]["channel"] == "promo_banner"
    assert first["copy"][:40] in str(llm.calls[-1])  # the follow-up prompt quotes the copy
    assert len(studio.store.runs(owner="carl")) == 2
    assert len(conversation.messages) == 4


def test_follow_ups_keep_the_first_request_and_the_latest_ones():
    conversation = Conversation(requests=["first", "a", "b", "c", "d"])
    assert compose_request(conversation, "e").split("\n") == ["first", "b", "c", "d", "e"]


def test_render_marks_findings_and_escapes_html():
    finding = {"rule_id": "R1", "severity": "block", "start": 4, "end": 8, "remedy": "say <less>"}
    html = render.highlight("The best <b>bottle</b>", [finding])
    assert "<mark class='finding sev-block' data-rule='R1'" in html
    assert "&lt;b&gt;" in html and "say &lt;less&gt;" in html
    assert render.highlight("", []).count("No copy yet") == 1


def test_export_carries_the_approval_only_for_the_same_copy():
    result = {"copy": "x", "scores": {"overall": 0.8}, "findings": []}
    approval = {"id": 3, "decided_by": "rita", "decided_at": "t", "final_hash": "h"}
    assert json.loads(render.export_document(result, approval))["legal_approval"]["review_id"] == 3
    assert json.loads(render.export_document(result, None))["legal_approval"] is None


@pytest.fixture
def page(tmp_path):
    from studio.ui.app import Page

    studio = make_studio(tmp_path, [RISKY_BOTTLE_COPY])
    studio.__dict__["context"] = studio.context.__class__(
        **{**studio.context.__dict__, "fallback_composer": False, "fact_sentences": False}
    )
    users = Users(tmp_path / "users.yaml")
    users.add("carl", "copywriter", "carl-password")
    users.add("rita", "reviewer", "rita-password")
    return Page(studio, users)


def request_as(name: str) -> SimpleNamespace:
    return SimpleNamespace(username=name)


def send_as_carl(page, jurisdictions: list[str]) -> list[tuple]:
    """Every view the page yields for one bottle-page message from copywriter carl."""
    options = ("steel-bottle-500", "", "general", "product_page", "auto", jurisdictions, False)
    return list(page.send("Copy for the bottle page", None, *options, request_as("carl")))


def test_the_page_queues_a_paused_run_and_only_a_reviewer_can_decide(page):
    outputs = send_as_carl(page, [])
    conversation = outputs[-1][-1]
    assert "legal review" in outputs[-1][4]
    rows, picker = page.queue("pending", "all", "all")
    assert rows[0][0] == conversation.review_id and picker["value"] == conversation.review_id
    view = page.open_item(conversation.review_id)
    assert (
        "<mark" in view[0]
        and view[4] == page.studio.store.review(conversation.review_id)["content_hash"]
    )
    refused = page.decide("approve", conversation.review_id, "ok", "", view[4], request_as("carl"))
    assert refused.startswith("Not recorded: only reviewers")
    done = page.decide(
        "edit", conversation.review_id, "cleaned up", GOOD_BOTTLE_COPY, view[4], request_as("rita")
    )
    assert "approved by rita" in done
    assert page.audit()[0][2:5] == ["rita", "reviewer", "edit"]
    assert page.header(request_as("carl"))[1]["interactive"] is False
    assert page.header(request_as("rita"))[1]["interactive"] is True
    runs, _ = page.my_runs(request_as("rita"))
    assert runs == []  # rita never sees carl's threads


def test_the_page_picks_variants_exports_and_submits_copy(page, tmp_path):
    page.studio._llm = ScriptedChatModel(replies=[GOOD_BOTTLE_COPY])
    page.studio.__dict__.pop("context")
    outputs = send_as_carl(page, ["us"])
    conversation = outputs[-1][-1]
    assert conversation.copy == conversation.result["copy"] and conversation.jurisdictions == ["us"]
    view, text, rows, note = page.pick_variant(RISKY_BOTTLE_COPY, conversation)
    assert "<mark" in view and rows and conversation.copy == RISKY_BOTTLE_COPY
    assert "revise" in note
    exported, message = page.export(conversation, request_as("carl"))
    document = json.loads(Path(exported["value"]).read_text(encoding="utf-8"))
    assert document["copy"] == RISKY_BOTTLE_COPY and document["legal_approval"] is None
    assert "no legal approval" in message
    assert page.submit_for_review(conversation, request_as("carl")).startswith("Submitted")
    item = page.studio.store.review(conversation.review_id)
    assert item["origin"] == "submitted" and item["jurisdictions"] == "us"
    page.decide(
        "approve", item["id"], "ok for launch", "", item["content_hash"], request_as("rita")
    )
    _, message = page.export(conversation, request_as("carl"))
    assert "with legal approval" in message


class Crash(Exception):
    """Stands for the server dying in the middle of a run."""


def test_a_run_cut_off_mid_way_shows_as_interrupted_and_resumes(page, brand):
    page.studio._llm = ScriptedChatModel(replies=[GOOD_BOTTLE_COPY])
    page.studio.__dict__.pop("context")

    def die_after_the_brief(mode, payload):
        if mode == "updates" and "write_brief" in payload:
            raise Crash

    with pytest.raises(Crash):
        page.studio.generate(
            brand.products["steel-bottle-500"], owner="carl", on_event=die_after_the_brief
        )
    rows, picker = page.my_runs(request_as("carl"))
    assert rows[0][2] == "interrupted" and picker["value"] == rows[0][0]
    assert page.resume_run(rows[0][0], request_as("rita")) == "That run belongs to someone else."
    assert "finished: approved" in page.resume_run(rows[0][0], request_as("carl"))
    rows, picker = page.my_runs(request_as("carl"))
    assert rows[0][2] == "done" and picker["value"] is None


def test_variants_say_whether_they_are_vetted_and_leave_out_junk():
    candidates = [
        {"text": "kept copy", "overall": 0.8, "approved": True, "blocking_findings": 0},
        {"text": "risky", "overall": 0.7, "approved": True, "blocking_findings": 2},
        {"text": "junk", "overall": 0.1, "approved": False, "blocking_findings": 0},
    ]
    choices = render.variant_choices("kept copy", candidates)
    assert [value for _, value in choices] == ["kept copy", "risky"]
    assert choices[0][0].startswith("kept · ✓ approved · 0.80")
    assert "2 blocking finding(s)" in choices[1][0]
