"""The critic agrees with a brand lead on copy it was not tuned on (real MiniLM embeddings)."""

from __future__ import annotations

import pytest

from agents.critic import Critic
from eval.critic_report import DEFAULT_SET, is_dev, load_items, score_items, summarise

pytestmark = pytest.mark.integration


def test_critic_matches_brand_lead_ratings_on_held_back_copy(studio):
    critic = Critic(studio.brand, studio.embedder, studio.retriever, studio.checker)
    paths = sorted(DEFAULT_SET.parent.glob("*.jsonl"))
    rows = score_items(critic, studio.brand, [i for p in paths for i in load_items(p)])
    held = [r for r in rows if not is_dev(r["split"])]
    summary = summarise(held)
    assert summary["items"] >= 50
    assert summary["spearman"] >= 0.6, summary
    assert summary["approve_accuracy"] >= 0.85, summary
    invented = summarise([r for r in rows if "invented_fact" in r["flaws"]])
    # Regression guard at the measured level (0.928 over all 69 items with an invented fact).
    # The target in the critic issue is 0.95; misses are efficacy claims the rulebook lacks.
    assert invented["invented_recall"] >= 0.9, invented
