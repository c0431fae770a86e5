"""The semantic layer with a weight-free embedder: spans, citations, fail-closed, evidence."""

from __future__ import annotations

import shutil

import pytest

from agents.compliance.checker import CONTRACT_FIELDS, ComplianceChecker
from agents.compliance.semantic import SemanticLayer, split_units
from knowledge.embeddings import HashingEmbedder
from knowledge.errors import RulebookError
from knowledge.rulebook import Rulebook, SemanticCategory, SemanticExemplars

RULEBOOK = Rulebook()
ALL = ("cn", "us", "eu", "uk", "platform")
CLAIM = "Wave farewell to your aching knees within a fortnight"
PRICE = "Shops charge double for the very same kettle"


def _layer(threshold: float = 0.9) -> SemanticLayer:
    exemplars = SemanticExemplars(
        version="test",
        categories={
            "medical_claim": SemanticCategory(
                rules=["CN-AD-17-disease-treatment", "UK-CAP-12.1-medical-claim"],
                threshold={"en": threshold},
                claims={"en": [CLAIM], "zh": ["膝盖再也不疼了"]},
            ),
            "price_claim": SemanticCategory(
                rules=["US-FTC-233-former-price"],
                threshold={"en": threshold},
                claims={"en": [PRICE]},
            ),
            "false_urgency": SemanticCategory(  # no threshold: never fires
                rules=["US-FTC-5-false-urgency"], claims={"en": ["Grab yours before they vanish"]}
            ),
        },
    )
    return SemanticLayer(exemplars, HashingEmbedder())


LAYER = _layer()
CHECKER = ComplianceChecker(RULEBOOK, ALL, semantic=LAYER)
PLAIN = ComplianceChecker(RULEBOOK, ALL)


def test_units_are_sentences_and_chinese_clauses_with_spans():
    text = "Light and tough. It keeps tea hot!  这款杯子很轻，保温十二小时。"
    units = split_units(text)
    assert [u.text for u in units] == [
        "Light and tough.",
        "It keeps tea hot!",
        "这款杯子很轻，保温十二小时。",
        "这款杯子很轻，",
        "保温十二小时。",
    ]
    assert all(text[u.start : u.end] == u.text for u in units)
    assert [u.language for u in units] == ["en", "en", "zh", "zh", "zh"]


def test_paraphrase_with_no_trigger_word_is_flagged_under_a_real_rule():
    text = f"Soft merino socks. {CLAIM}."
    assert not PLAIN.check(text).findings
    result = CHECKER.check(text)
    semantic = [f for f in result.findings if f.layer == "semantic"]
    assert {f.rule_id for f in semantic} == {
        "CN-AD-17-disease-treatment",
        "UK-CAP-12.1-medical-claim",
    }
    finding = semantic[0]
    assert finding.category == "medical_claim" and finding.severity == "block"
    assert text[finding.start : finding.end] == finding.match == f"{CLAIM}."
    assert finding.legal_basis and finding.remedy
    assert tuple(finding.contract()) == CONTRACT_FIELDS
    assert result.verdict != "pass"


def test_semantic_findings_follow_the_jurisdictions():
    result = CHECKER.check(CLAIM, jurisdictions="cn")
    assert {f.rule_id for f in result.findings} == {"CN-AD-17-disease-treatment"}
    assert not CHECKER.check(CLAIM, jurisdictions="us").findings  # no US rule for socks listed


def test_uncalibrated_category_never_fires():
    assert not CHECKER.check("Grab yours before they vanish").findings


@pytest.mark.parametrize(
    "text",
    [
        "这是最好的保温杯",
        "This serum cures eczema and is clinically proven.",
        f"{CLAIM}. The best socks ever.",
        "Our cured leather wallet lasts for years",
    ],
)
def test_semantic_layer_only_adds_findings(text):
    plain = {(f.rule_id, f.start, f.end) for f in PLAIN.check(text).findings}
    layered = {(f.rule_id, f.start, f.end) for f in CHECKER.check(text).findings}
    assert plain <= layered


def test_no_semantic_duplicate_where_the_lexicon_already_flags_the_category():
    text = "Say goodbye to arthritis pain with these socks."
    layer = _layer(threshold=0.0)  # everything scores above zero
    result = ComplianceChecker(RULEBOOK, ALL, semantic=layer).check(text)
    medical = [f for f in result.findings if f.category == "medical_claim"]
    assert medical and all(f.layer == "rules" for f in medical)


def test_evidence_clears_a_semantic_require_evidence_finding_and_is_cited():
    result = CHECKER.check(PRICE, jurisdictions="us")
    assert [f.rule_id for f in result.findings] == ["US-FTC-233-former-price"]
    backed = CHECKER.check(
        PRICE, evidence={"price_history": "RRP £80, Argos 2025"}, jurisdictions="us"
    )
    assert not backed.findings
    assert "RRP £80, Argos 2025" in (backed.cleared[0].cleared_by or "")


def test_bundled_exemplars_load_and_cite_rules_of_their_category():
    assert RULEBOOK.semantic is not None
    ids = {r.id: r.category for r in RULEBOOK.rules}
    for category, spec in RULEBOOK.semantic.categories.items():
        assert spec.claims.get("en") and spec.claims.get("zh"), category
        assert all(ids[rule_id] == category for rule_id in spec.rules)


def test_exemplar_citing_another_category_is_a_clear_error(tmp_path):
    folder = tmp_path / "books"
    shutil.copytree(RULEBOOK.folder, folder)
    path = folder / "semantic" / "exemplars.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("rules: [CN-AD-17-disease-treatment", "rules: [CN-AD-9-3-superlative", 1),
        encoding="utf-8",
    )
    with pytest.raises(RulebookError, match="not a medical_claim rule"):
        Rulebook(folder)


def test_exemplars_change_the_rulebook_version(tmp_path):
    folder = tmp_path / "books"
    shutil.copytree(RULEBOOK.folder, folder)
    before = Rulebook(folder).version
    path = folder / "semantic" / "exemplars.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert Rulebook(folder).version != before


def test_batched_hits_give_the_same_result_as_checking_one_by_one():
    texts = [f"Soft socks. {CLAIM}.", PRICE, "这是最好的保温杯", "Plain copy about a lid."]
    batched = LAYER.scan_many(texts)
    for text, hits in zip(texts, batched, strict=True):
        one = CHECKER.check(text).contract()
        assert CHECKER.check(text, semantic_hits=hits).contract() == one


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("This cream will not treat eczema; it is a plain moisturiser.", "medical_claim"),
        ("Now £45 (the lowest price in the last 30 days before this sale was £60).", "price_claim"),
    ],
)
def test_a_paraphrase_hit_does_not_reflag_words_the_rules_cleared_in_context(text, category):
    """The semantic layer adds findings, but not over words the rules cleared by a denial or
    an exemption inside the same hit."""
    from agents.compliance.semantic import SemanticHit

    assert not CHECKER.check(
        text, semantic_hits=[SemanticHit(category, 0, len(text), 0.95)]
    ).findings
    # the same hit over a sentence with nothing cleared in it is still cited
    claim = "Say goodbye to sore knees for good."
    found = CHECKER.check(claim, semantic_hits=[SemanticHit("medical_claim", 0, len(claim), 0.95)])
    assert found.findings and all(f.layer == "semantic" for f in found.findings)


def test_a_disclosed_paid_expert_is_cited_only_where_experts_may_not_endorse():
    """context/exemptions.yaml disclosed_paid_endorser clears the EU, UK and US endorsement
    rules; China's rule stands (medical staff may not endorse cosmetics there)."""
    from agents.compliance.semantic import SemanticHit

    rules = [
        "CN-AD-33-38-endorsement",
        "EU-UCPD-AnnexI-2-4-trust-marks",
        "UK-CAP-3.45-endorsement",
        "US-FTC-255-expert-endorsement",
    ]
    exemplars = SemanticExemplars(
        version="test",
        categories={
            "false_endorsement": SemanticCategory(
                rules=rules, threshold={"en": 0.9}, claims={"en": ["Doctors swear by it"]}
            )
        },
    )
    checker = ComplianceChecker(RULEBOOK, ALL, semantic=SemanticLayer(exemplars, HashingEmbedder()))
    disclosed = (
        "Dermatologist Dr. Amy Chen is a paid consultant to our brand and helped formulate it."
    )
    hit = [SemanticHit("false_endorsement", 0, len(disclosed), 0.95)]
    assert {f.rule_id for f in checker.check(disclosed, semantic_hits=hit).findings} == {rules[0]}
    plain = "Dermatologist Dr. Amy Chen helped formulate it."
    hit = [SemanticHit("false_endorsement", 0, len(plain), 0.95)]
    assert {f.rule_id for f in checker.check(plain, semantic_hits=hit).findings} == set(rules)


def test_a_title_does_not_end_a_sentence():
    units = [
        u.text for u in split_units("Dermatologist Dr. Amy Chen is a consultant. She loves it.")
    ]
    assert units == ["Dermatologist Dr. Amy Chen is a consultant.", "She loves it."]


def test_a_paraphrase_next_to_a_cleared_word_is_still_cited():
    """Blanking the cleared words leaves the other claim in the sentence, so the hit stands."""
    from agents.compliance.semantic import SemanticHit

    text = f"This cream will not treat eczema. {CLAIM}."
    hit = [SemanticHit("medical_claim", 0, len(text), 0.95)]
    found = CHECKER.check(text, semantic_hits=hit).findings
    assert [f for f in found if f.layer == "semantic"]


def test_no_dot_one_is_a_number_and_no_dot_ends_a_sentence():
    assert [u.text for u in split_units("It is No. 1 in sales. Buy one today.")] == [
        "It is No. 1 in sales.",
        "Buy one today.",
    ]
    assert len(split_units("We say no. This balm heals eczema.")) == 2


def test_a_unit_too_short_for_a_claim_is_left_out():
    """A price or a bare number carries no claim for the paraphrase layers ("$78.", "Now $39.",
    "现价¥69，"); two words or three Chinese characters can ("Reverses aging.", "斑没了。")."""
    text = (
        "The tee is 100% merino. $78. Now $39. Reverses aging. "
        "约780克，斑没了，现价¥69，点击看看吧。"
    )
    assert [(u.text, u.short) for u in split_units(text)] == [
        ("The tee is 100% merino.", False),
        ("Reverses aging.", True),  # scored, but a hit needs SHORT_UNIT_SCORE
        ("约780克，斑没了，现价¥69，点击看看吧。", False),
        ("斑没了，", True),
        ("点击看看吧。", False),
    ]
