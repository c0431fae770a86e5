"""The trained claim classifier with a weight-free embedder: training, persistence, findings."""

from __future__ import annotations

import numpy as np
import pytest

from agents.compliance.checker import CONTRACT_FIELDS, ComplianceChecker
from agents.compliance.classifier import (
    FLOOR,
    NEVER,
    ClassifierLayer,
    ClassifierModel,
    Example,
    data_digest,
    model_path,
    train,
)
from knowledge.embeddings import HashingEmbedder
from knowledge.rulebook import CATEGORIES, Rulebook

RULEBOOK = Rulebook()
ALL = ("cn", "us", "eu", "uk", "platform")
PAIN = [
    "Wave farewell to your aching knees",
    "Wave farewell to stiff aching joints",
    "Wave farewell to aching backs for good",
    "Wave farewell to your aching shoulders",
    "Wave farewell to aching feet forever",
    "Wave farewell to those aching hips",
    "膝盖再也不疼了",
    "腰再也不疼了",
    "脖子再也不疼了",
    "肩膀再也不疼了",
]
PLAIN = [
    "A soft merino sock for long walks",
    "A soft cotton tee for lazy days",
    "A warm wool hat for cold mornings",
    "A sturdy steel bottle for the office",
    "A light nylon bag for day trips",
    "A quiet fan for the bedroom",
    "柔软的羊毛袜子",
    "结实的不锈钢水杯",
    "轻便的尼龙背包",
    "安静的卧室风扇",
    "保暖的羊毛帽子",
    "舒适的棉质T恤",
]


def _examples() -> list[Example]:
    out = [
        Example(t, "zh" if t[0] > "\u2e80" else "en", frozenset({"medical_claim"})) for t in PAIN
    ]
    out += [Example(t, "zh" if t[0] > "\u2e80" else "en", frozenset(), True) for t in PLAIN]
    return out


MODEL = train(_examples(), HashingEmbedder(), "hashing-384")
LAYER = ClassifierLayer(MODEL, HashingEmbedder(), RULEBOOK.semantic)  # type: ignore[arg-type]
CHECKER = ComplianceChecker(RULEBOOK, ALL, semantic=LAYER)
RULES = ComplianceChecker(RULEBOOK, ALL)


def test_training_is_deterministic_and_survives_the_file_round_trip():
    again = train(_examples(), HashingEmbedder(), "hashing-384")
    assert again.to_yaml() == MODEL.to_yaml()
    loaded = ClassifierModel.from_yaml(MODEL.to_yaml())
    assert loaded.thresholds == MODEL.thresholds and loaded.categories == MODEL.categories
    assert np.array_equal(loaded.coef, MODEL.coef)
    assert np.allclose(loaded.intercept, MODEL.intercept)
    assert loaded.trained_on == data_digest(_examples())


def test_thresholds_are_per_category_and_language_within_bounds():
    assert set(MODEL.thresholds) == set(CATEGORIES)
    for limits in MODEL.thresholds.values():
        assert set(limits) == {"en", "zh"}
        assert all(FLOOR <= v <= NEVER for v in limits.values())
    # a category with no positive examples never fires
    assert MODEL.thresholds["price_claim"] == {"en": NEVER, "zh": NEVER}


def test_classifier_finding_cites_a_real_rule_with_span_and_contract():
    text = "Soft socks. Wave farewell to your aching ankles."
    assert not RULES.check(text).findings
    result = CHECKER.check(text)
    found = [f for f in result.findings if f.layer == "semantic"]
    assert found and {f.category for f in found} == {"medical_claim"}
    ids = {r.id: r for r in RULEBOOK.rules}
    for finding in found:
        assert ids[finding.rule_id].category == "medical_claim"
        assert text[finding.start : finding.end] == finding.match
        assert tuple(finding.contract()) == CONTRACT_FIELDS
    assert result.verdict != "pass"


def test_plain_copy_is_not_flagged():
    assert not CHECKER.check("A soft wool sock for cold mornings").findings


@pytest.mark.parametrize(
    "text",
    [
        "这是最好的保温杯",
        "This serum cures eczema and is clinically proven.",
        "Best served chilled",
    ],
)
def test_classifier_only_adds_findings(text):
    plain = {(f.rule_id, f.start, f.end) for f in RULES.check(text).findings}
    layered = {(f.rule_id, f.start, f.end) for f in CHECKER.check(text).findings}
    assert plain <= layered


def test_batched_scan_matches_one_by_one():
    texts = ["Soft socks. Wave farewell to your aching knees.", "膝盖再也不疼了", "A lid."]
    for text, hits in zip(texts, LAYER.scan_many(texts), strict=True):
        assert CHECKER.check(text, semantic_hits=hits).contract() == CHECKER.check(text).contract()


def test_unknown_semantic_layer_name_is_an_error():
    with pytest.raises(ValueError, match="similarity or classifier"):
        ComplianceChecker(RULEBOOK, ALL, semantic="magic")


def test_committed_model_is_trained_on_the_current_training_data():
    """Edit the corpus, a rule example or dev and this fails until the model is retrained:
    python eval/train/train_compliance_classifier.py"""
    from eval.train.train_compliance_classifier import training_examples

    model = ClassifierModel.from_yaml(model_path(RULEBOOK).read_text(encoding="utf-8"))
    assert model.categories == sorted(CATEGORIES)
    assert model.coef.shape[0] == len(CATEGORIES)
    examples = training_examples()
    assert model.trained_on == data_digest(examples) and model.n_train == len(examples)


def test_retrained_classifier_changes_the_rulebook_version(tmp_path):
    import shutil

    folder = tmp_path / "books"
    shutil.copytree(RULEBOOK.folder, folder)
    before = Rulebook(folder).version
    (folder / "semantic" / "classifier.yaml").write_text(MODEL.to_yaml(), encoding="utf-8")
    assert Rulebook(folder).version != before
