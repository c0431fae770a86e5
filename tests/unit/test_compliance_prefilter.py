"""The regex prefilter skips only patterns that cannot match: same hits as running every one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from agents.compliance.checker import ComplianceChecker
from agents.compliance.normalize import normalize
from agents.compliance.prefilter import PatternPrefilter, required_literals
from knowledge.rulebook import Rulebook

RULEBOOK = Rulebook()
CHECKER = ComplianceChecker(RULEBOOK, ("cn", "us", "eu", "uk", "platform"))
GOLDEN = Path(__file__).resolve().parents[2] / "eval" / "golden" / "compliance.jsonl"


def _texts() -> list[str]:
    texts = [t for r in RULEBOOK.rules for t in r.examples.positive + r.examples.negative]
    lines = GOLDEN.read_text(encoding="utf-8").splitlines()
    return texts + [json.loads(line)["text"] for line in lines if line.strip()]


def _every_pattern(text: str) -> list[tuple[int, int, int]]:
    return [
        (idx, m.start(), m.end())
        for idx, pattern in CHECKER._patterns
        for m in pattern.finditer(text)
        if m.end() > m.start()
    ]


def test_prefiltered_hits_equal_running_every_pattern():
    for text in _texts():
        norm = normalize(text).text
        assert sorted(CHECKER._pattern_hits(norm)) == sorted(_every_pattern(norm)), text


@pytest.mark.parametrize(
    ("pattern", "anchors"),
    [
        (r"\bwas:? ?[$£] ?\d", {"was"}),
        (r"(?:仅|只)(?:剩|余) ?\d+", {"仅", "只"}),
        (r"\blose (?:up to )?\d+ ?(?:kg|lbs?)\b", {"lose "}),
        (r"(?:^|\s)#gifted\b", {"#gifted"}),
        (r"\d+%", {"%"}),
        (r"(?:a|)\d", None),  # an empty alternative: no required literal
        (r"\w+ly", {"ly"}),
    ],
)
def test_required_literals(pattern, anchors):
    found = required_literals(pattern)
    assert (found if found is None else set(found)) == anchors


def test_patterns_without_anchors_always_run():
    prefilter = PatternPrefilter([r"\d+ ?\w+", r"\bbest\b"])
    assert prefilter.candidates("nothing here") == [0]
    assert prefilter.candidates("the best") == [0, 1]
