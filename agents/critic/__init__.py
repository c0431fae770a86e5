"""The critic: scores copy the way a brand lead would and says exactly what to fix.

``signals`` holds the measurements, ``scorer`` turns them into a verdict with feedback (weights
and gates in ``agents/data/critic.yaml``), ``node`` is the graph node that picks the best of n.
"""

from agents.critic.node import critique_draft, fixed_rule_ids, rank_key
from agents.critic.scorer import Critic
from agents.critic.signals import (
    count_length,
    element_present,
    find_invented,
    sentiment,
    split_sentences,
)

__all__ = [
    "Critic",
    "count_length",
    "critique_draft",
    "element_present",
    "find_invented",
    "fixed_rule_ids",
    "rank_key",
    "sentiment",
    "split_sentences",
]
