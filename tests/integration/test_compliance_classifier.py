"""The trained compliance classifier with the bundled MiniLM: retraining reproduces the file,
it loads once per process and flags paraphrases the rules miss."""

from __future__ import annotations

import numpy as np
import pytest

from agents.compliance.checker import ComplianceChecker
from agents.compliance.classifier import (
    ClassifierModel,
    load_classifier_layer,
    model_path,
    train,
)
from knowledge.embeddings import BUNDLED_EMBEDDINGS
from knowledge.rulebook import JURISDICTIONS, Rulebook

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def rulebook() -> Rulebook:
    return Rulebook()


@pytest.fixture(scope="module")
def layered(rulebook: Rulebook) -> ComplianceChecker:
    return ComplianceChecker(rulebook, JURISDICTIONS, semantic="classifier")


def test_retraining_reproduces_the_committed_model(rulebook, layered):
    from eval.train.train_compliance_classifier import training_examples

    committed = ClassifierModel.from_yaml(model_path(rulebook).read_text(encoding="utf-8"))
    fresh = train(training_examples(), layered.semantic.encoder, BUNDLED_EMBEDDINGS)
    assert fresh.trained_on == committed.trained_on
    assert fresh.thresholds == committed.thresholds
    assert np.allclose(fresh.coef, committed.coef, atol=2e-3)
    assert np.allclose(fresh.intercept, committed.intercept, atol=1e-4)


def test_layer_is_loaded_once_per_process(rulebook, layered):
    assert load_classifier_layer(rulebook) is layered.semantic


@pytest.mark.parametrize(
    ("text", "category"),
    [
        pytest.param(
            "Your knee pain will be a thing of the past.",
            "medical_claim",
            marks=pytest.mark.xfail(
                strict=True, reason="known miss: the CV-chosen EN medical threshold is strict"
            ),
        ),
        ("If it doesn't work for you, you pay nothing.", "guarantee_risk_free"),
        ("不管用全额退款", "guarantee_risk_free"),
    ],
)
def test_paraphrase_is_flagged_under_a_rule_of_its_category(rulebook, layered, text, category):
    found = [f for f in layered.check(text).findings if f.category == category]
    assert found
    assert all(f.rule_id in {r.id for r in rulebook.rules} for f in found)


@pytest.mark.parametrize(
    "text",
    [
        "Double-walled steel keeps coffee warm all morning.",
        "这款杯子容量500毫升，适合通勤。",
        "Free returns within 30 days of delivery.",
    ],
)
def test_plain_copy_is_not_flagged(layered, text):
    assert not layered.check(text).findings
