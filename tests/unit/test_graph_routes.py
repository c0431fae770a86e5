"""Every route of the graph, driven by a scripted fake chat model (no weights)."""

from __future__ import annotations

from typing import Any

import pytest
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.types import Command

from agents.review import route_after_compliance
from studio.graph import build_graph
from tests.conftest import GOOD_BOTTLE_COPY, RISKY_BOTTLE_COPY

OFF_TOPIC = "Le vélo est rouge et très rapide aujourd'hui."


def run(
    context: Any, product: dict[str, Any], thread: str = "t1", **inputs: Any
) -> tuple[Any, dict]:
    graph = build_graph(checkpointer=InMemorySaver())
    config = {"configurable": {"thread_id": thread}}
    state = {"product": product, "channel": "product_page", "persona": "general", **inputs}
    graph.invoke(state, config, context=context)
    return graph, graph.get_state(config)


def test_approved_first_time(make_context, bottle):
    graph, snapshot = run(make_context([GOOD_BOTTLE_COPY]), bottle)
    values = snapshot.values
    assert values["stop_reason"] == "approved"
    assert values["revision"] == 0
    assert values["draft"] == GOOD_BOTTLE_COPY
    assert values["critique"]["approved"] and values["compliance"]["passed"]
    assert len(values["drafts"]) == 1


def test_approved_after_revision_uses_feedback(make_context, bottle):
    context = make_context([OFF_TOPIC, OFF_TOPIC, GOOD_BOTTLE_COPY, GOOD_BOTTLE_COPY])
    graph, snapshot = run(context, bottle)
    values = snapshot.values
    assert values["stop_reason"] == "approved"
    assert values["revision"] == 1
    assert not values["drafts"][0]["critique"]["approved"]
    revision_prompt = context.llm.calls[1][-1].content
    assert "Fix these:" in revision_prompt
    assert "state more product facts" in revision_prompt
    assert "name the product: Fernhill Trail Bottle 500 ml" in revision_prompt


def test_stops_at_max_revisions_when_never_approved(make_context, bottle):
    context = make_context([OFF_TOPIC], max_revisions=1, fallback_composer=False)
    graph, snapshot = run(context, bottle)
    values = snapshot.values
    assert values["stop_reason"] == "max_revisions"
    assert len(values["drafts"]) == 2
    assert not snapshot.next


def test_composed_fallback_rescues_last_round(make_context, bottle):
    context = make_context([OFF_TOPIC], max_revisions=1)
    graph, snapshot = run(context, bottle)
    values = snapshot.values
    assert values["stop_reason"] == "approved"
    assert values["draft_source"] == "composed"


def test_blocking_findings_go_to_legal_review_and_resume(make_context, bottle):
    context = make_context([RISKY_BOTTLE_COPY], max_revisions=1, fallback_composer=False)
    graph, snapshot = run(context, bottle, thread="legal")
    assert snapshot.next == ("request_legal_review",)
    payload = snapshot.tasks[0].interrupts[0].value
    assert any(f["match"].lower() == "best" for f in payload["findings"])
    config = {"configurable": {"thread_id": "legal"}}
    # an edit that still has a blocking finding does not clear the pause
    graph.invoke(
        Command(resume={"decision": "edit", "text": "The best bottle.", "comment": "x"}),
        config,
        context=context,
    )
    assert graph.get_state(config).next == ("request_legal_review",)
    graph.invoke(
        Command(
            resume={
                "decision": "edit",
                "text": GOOD_BOTTLE_COPY,
                "comment": "removed superlatives",
                "reviewer": "lee",
            }
        ),
        config,
        context=context,
    )
    final = graph.get_state(config)
    assert not final.next
    assert final.values["stop_reason"] == "needs_legal_review"
    assert final.values["review"]["outcome"] == "approved"
    assert final.values["review"]["reviewer"] == "lee"
    assert final.values["draft"] == GOOD_BOTTLE_COPY


def test_a_claim_in_the_product_name_goes_to_legal_review_without_revising(make_context, bottle):
    # every draft must name the product, so revising cannot remove a superlative in its name
    name = "The Best Bottle in the World"
    copy = GOOD_BOTTLE_COPY.replace("Fernhill Trail Bottle 500 ml", name)
    context = make_context([copy], max_revisions=2, fallback_composer=False)
    graph, snapshot = run(context, {**bottle, "name": name}, thread="named")
    assert snapshot.next == ("request_legal_review",)
    values = snapshot.values
    assert len(values["drafts"]) == 1 and values["revision"] == 0
    assert values["compliance"]["unrevisable"]
    assert values["compliance"]["in_product_name"]


def test_the_same_rule_outside_the_name_is_not_carried_by_it(make_context, bottle):
    # the name trips the rule, but this draft never names the product exactly: its own
    # superlative can be revised away
    name = "The Best Bottle in the World"
    context = make_context([RISKY_BOTTLE_COPY], max_revisions=1, fallback_composer=False)
    graph, snapshot = run(context, {**bottle, "name": name}, thread="elsewhere")
    first = snapshot.values["drafts"][0]["compliance"]
    assert not first["passed"] and first["in_product_name"] == [] and not first["unrevisable"]


def test_a_claim_outside_the_product_name_is_still_revised(make_context, bottle):
    context = make_context([RISKY_BOTTLE_COPY], max_revisions=1, fallback_composer=False)
    graph, snapshot = run(context, bottle, thread="revisable")
    assert snapshot.next == ("request_legal_review",)
    values = snapshot.values
    assert not values["drafts"][0]["compliance"]["unrevisable"]
    assert values["drafts"][0]["compliance"]["in_product_name"] == []
    assert len(values["drafts"]) == 2  # the revision round was spent before escalating


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        ({"critique": {"approved": True}, "compliance": {"passed": True}}, "finish_run"),
        (
            {"critique": {"approved": False}, "compliance": {"passed": True}, "revision": 0},
            "write_draft",
        ),
        (
            {"critique": {"approved": False}, "compliance": {"passed": True}, "revision": 2},
            "finish_run",
        ),
        (
            {"critique": {"approved": True}, "compliance": {"passed": False}, "revision": 2},
            "request_legal_review",
        ),
        (
            {
                "critique": {"approved": True},
                "compliance": {"passed": True, "needs_human": True},
                "revision": 2,
            },
            "request_legal_review",
        ),
        (
            {
                "critique": {"approved": True},
                "compliance": {"passed": False, "unrevisable": True},
                "revision": 0,
            },
            "request_legal_review",
        ),
        (  # the critic still has fixes to ask for: revise first, escalate later
            {
                "critique": {"approved": False},
                "compliance": {"passed": False, "unrevisable": True},
                "revision": 0,
            },
            "write_draft",
        ),
    ],
)
def test_route_after_compliance(state, expected):
    assert route_after_compliance({"max_revisions": 2, **state}) == expected


def test_graph_shape_snapshot():
    mermaid = build_graph().get_graph().draw_mermaid()
    for edge in (
        "__start__ --> write_brief;",
        "write_brief --> retrieve_examples;",
        "retrieve_examples --> write_draft;",
        "write_draft --> critique_draft;",
        "critique_draft --> check_compliance;",
        "check_compliance -.-> write_draft;",
        "check_compliance -.-> finish_run;",
        "check_compliance -.-> request_legal_review;",
        "finish_run --> __end__;",
        "request_legal_review --> __end__;",
    ):
        assert edge in mermaid


def test_llm_rounds_stop_when_the_model_cannot_write_the_language(make_context, brand):
    product = brand.products["ppsu-baby-bottle"].model_dump()
    context = make_context([GOOD_BOTTLE_COPY])
    graph, snapshot = run(context, product, persona="new_parent")
    values = snapshot.values
    assert len(context.llm.calls) == 1  # round 0 only: English replies for a Chinese brief
    assert values["draft_source"] == "composed"
    assert any("skipped" in s for s in values["llm_stats"])
    assert values["stop_reason"] in ("approved", "max_revisions")
