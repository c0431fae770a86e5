"""All graph wiring in one factory: `build_graph(checkpointer=None)`."""

from __future__ import annotations

from typing import Any

from langgraph.graph import END, START, StateGraph

from agents.brief_writer import write_brief
from agents.compliance.node import check_compliance
from agents.context import Context
from agents.copywriter import retrieve_examples, write_draft
from agents.critic import critique_draft
from agents.review import finish_run, request_legal_review, route_after_compliance
from agents.state import StudioInput, StudioOutput, StudioState


def build_graph(checkpointer: Any = None) -> Any:
    """Compile the studio graph: brief → retrieve → draft → critique → compliance → route."""
    builder = StateGraph(
        StudioState, context_schema=Context, input_schema=StudioInput, output_schema=StudioOutput
    )
    builder.add_node(write_brief)
    builder.add_node(retrieve_examples)
    builder.add_node(write_draft)
    builder.add_node(critique_draft)
    builder.add_node(check_compliance)
    builder.add_node(finish_run)
    builder.add_node(request_legal_review)
    builder.add_edge(START, "write_brief")
    builder.add_edge("write_brief", "retrieve_examples")
    builder.add_edge("retrieve_examples", "write_draft")
    builder.add_edge("write_draft", "critique_draft")
    builder.add_edge("critique_draft", "check_compliance")
    builder.add_conditional_edges("check_compliance", route_after_compliance)
    builder.add_edge("finish_run", END)
    builder.add_edge("request_legal_review", END)
    return builder.compile(checkpointer=checkpointer)
