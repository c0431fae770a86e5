"""The semantic compliance layer with the bundled MiniLM: paraphrases, benign copy, dev split."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from agents.compliance.checker import ComplianceChecker
from agents.compliance.semantic import load_semantic_layer
from eval.metrics import detector_scores
from knowledge.rulebook import JURISDICTIONS, Rulebook

pytestmark = pytest.mark.integration
GOLDEN = Path(__file__).resolve().parents[2] / "eval" / "golden" / "compliance.jsonl"


@pytest.fixture(scope="module")
def rulebook() -> Rulebook:
    return Rulebook()


@pytest.fixture(scope="module")
def layered(rulebook: Rulebook) -> ComplianceChecker:
    return ComplianceChecker(rulebook, JURISDICTIONS, semantic=True)


def test_layer_is_loaded_once_per_process(rulebook, layered):
    assert load_semantic_layer(rulebook) is layered.semantic


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("Your knee pain will be a thing of the past.", "medical_claim"),
        ("库存不多了，抓紧时间", "false_urgency"),
        ("专家一致好评", "false_endorsement"),
    ],
)
def test_paraphrase_without_trigger_word_is_flagged(rulebook, layered, text, category):
    assert category not in {f.category for f in ComplianceChecker(rulebook).check(text).findings}
    found = [f for f in layered.check(text).findings if f.category == category]
    assert found and all(f.layer == "semantic" for f in found)
    assert all(f.rule_id in {r.id for r in rulebook.rules} for f in found)


@pytest.mark.parametrize(
    ("text", "category"),
    [
        # paraphrases this test once needed the semantic layer for; the dev2/dev3 rounds (Nov
        # 2026) added their shapes to the rules ("you pay nothing", 不管用…退款)
        ("If it doesn't work for you, you pay nothing.", "guarantee_risk_free"),
        ("不管用全额退款", "guarantee_risk_free"),
    ],
)
def test_paraphrases_the_rules_learned_stay_flagged_with_the_layer(
    rulebook, layered, text, category
):
    assert category in {f.category for f in ComplianceChecker(rulebook).check(text).findings}
    assert category in {f.category for f in layered.check(text).findings}


@pytest.mark.parametrize(
    "text",
    [
        "The lid is dishwasher safe.",
        "Holds 500 ml and fits most cup holders.",
        "这款杯子容量500毫升",
        "Ships within two working days.",
    ],
)
def test_plain_copy_passes(layered, text):
    assert layered.check(text).verdict == "pass"


def test_dev_split_keeps_recall_and_false_blocks_within_target(layered):
    rows = [json.loads(line) for line in GOLDEN.read_text("utf-8").splitlines() if line]
    dev = [r for r in rows if r["split"] == "dev"]
    batched = layered.semantic.scan_many([r["text"] for r in dev])  # one batched encode
    scored = []
    for row, hits in zip(dev, batched, strict=True):
        result = layered.check(
            row["text"], row.get("product_category"), None, JURISDICTIONS, semantic_hits=hits
        )
        scored.append(
            {
                "expected": row["categories"],
                "found": sorted({f.category for f in result.findings}),
                "blocking": sorted({f.category for f in result.findings if f.blocking}),
                "kind": row["kind"],
            }
        )
    scores = detector_scores(scored)
    assert scores["recall"] >= 0.95
    assert scores["precision"] >= 0.95
    assert scores["false_block_rate"] <= 0.05
