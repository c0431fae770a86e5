"""The compliance checker: contract examples, every rulebook example, tricks, evidence, verdicts."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest

from agents.compliance.checker import ComplianceChecker
from agents.compliance.normalize import normalize
from knowledge.errors import RulebookError
from knowledge.rulebook import CATEGORIES, RULEBOOK_DIR, Rulebook, parse_jurisdictions

RULEBOOK = Rulebook()
ALL = ("cn", "us", "eu", "uk", "platform")
CHECKER = ComplianceChecker(RULEBOOK, ALL)
EXAMPLES = [
    pytest.param(rule, text, kind, id=f"{rule.id}-{kind}-{n}")
    for rule in RULEBOOK.rules
    for kind in ("positive", "negative")
    for n, text in enumerate(getattr(rule.examples, kind))
]


@pytest.mark.parametrize(("rule", "text", "kind"), EXAMPLES)
def test_rulebook_examples(rule, text, kind):
    if not rule.in_force(dt.date.today()):
        pytest.skip(f"{rule.id} is not in force yet")
    fired = {f.rule_id for f in CHECKER.check(text).findings + CHECKER.check(text).cleared}
    if kind == "positive":
        assert rule.id in fired, f"{rule.id} should fire on: {text}"
    else:
        assert rule.id not in fired, f"{rule.id} should not fire on: {text}"


@pytest.mark.parametrize("text", ["这是最好的保温杯", "This serum cures eczema"])
def test_contract_examples_are_flagged(checker, text):
    result = checker.check(text)
    assert result.verdict in ("revise", "legal_review")
    assert result.findings


@pytest.mark.parametrize(
    "text", ["最近很多顾客回购这款杯子", "Our cured leather wallet lasts for years"]
)
def test_contract_examples_pass(checker, text):
    result = checker.check(text)
    assert result.verdict == "pass", [f.rule_id for f in result.findings]


def test_finding_matches_contract_fields(checker):
    data = checker.check("这是最好的保温杯").contract()
    assert set(data) == {"text", "verdict", "findings", "rulebook_version"}
    finding = data["findings"][0]
    assert set(finding) == {
        "rule_id",
        "category",
        "severity",
        "start",
        "end",
        "match",
        "jurisdictions",
        "legal_basis",
        "remedy",
    }
    assert finding["match"] == "最好" and (finding["start"], finding["end"]) == (2, 4)
    assert finding["category"] == "absolute_superlative"
    assert finding["legal_basis"] and finding["remedy"]


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("這是最好的保溫杯", "最好"),  # traditional characters
        ("这是最 好的保温杯", "最 好"),  # spacing
        ("ＢＥＳＴ bottle ever", "ＢＥＳＴ"),  # full-width
        ("This cream cur3s eczema", "cur3s"),  # leetspeak
    ],
)
def test_obfuscation_is_undone_and_spans_point_at_the_original(checker, text, match):
    result = checker.check(text)
    assert result.findings, text
    spans = {text[f.start : f.end] for f in result.findings}
    assert any(match in span for span in spans), spans


def test_normalize_keeps_offsets():
    norm = normalize("Ｎｏ．１ 最 好")
    assert norm.text == "no.1 最好"
    start = norm.text.index("最好")
    assert norm.span(start, start + 2) == (5, 8)


@pytest.mark.parametrize(
    ("text", "normalised"),
    [
        ("C L I N I C A L L Y   P R O V E N serum", "clinically proven serum"),  # word gap kept
        ("3co-fr1endly straws", "eco-friendly straws"),  # leading leet digit
        ("N O N - T O X I C paint", "non-toxic paint"),  # a spaced hyphen joins the halves
        ("Sizes S - M - L, well - known", "sizes s-m-l, well - known"),
        ("3rd gen, 5g, 300ml, @HydroPeak", "3rd gen, 5g, 300ml, @hydropeak"),  # left alone
        ("l0west 3v3r, 4x4, mp3", "lowest ever, 4x4, mp3"),  # a leading digit before more leet
        ("祛🌟痘⏰精华", "祛痘精华"),  # emoji wedged between Chinese characters
        ("全网zui低, 保 zheng 有效", "全网最低, 保 zheng 有效"),  # only listed pinyin words
        ("ｂ ａ ｏ 证有效, huánbǎo材质", "保证有效, 环保材质"),  # spaced and toned pinyin
        ("Jian and Bao ship today", "jian and bao ship today"),  # no Chinese, no pinyin
        # leet at a word's end, in runs and with "!"; codes and punctuation left alone
        (
            "cur3 insomnia, gr33n, R!SK-FR33, sc!ent!f!c",
            "cure insomnia, green, risk-free, scientific",
        ),
        (
            "SPF30, USB3, Type-C30, X100, Win10, Wow!Great",
            "spf30, usb3, type-c30, x100, win10, wow!great",
        ),
        # a sound-alike or variant character only where it dodges a rule word
        ("全網醉低價，保證有傚", "全网最低价,保证有效"),
        ("喝醉了也不怕", "喝醉了也不怕"),
        ("the n0.1 whey, ec0-fr1endly, ps3-like", "the no.1 whey, eco-friendly, ps3-like"),
        ("喝了 shou 了十斤, 脱发 zhi 好了", "喝了瘦了十斤, 脱发治好了"),
        # an ambiguous syllable is read from the character it touches
        ("三甲yi院推jian, 权威jian测, wu效退kuan", "三甲医院推荐, 权威检测, 无效退款"),
        ("一件yi服", "一件yi服"),
        # marks NFKC would spell out, a euro sign inside a word, digits spaced before %
        ("proven™ fr€e, 提升 9 9 %, costs €20", "proven free, 提升 99%, costs €20"),
    ],
)
def test_normalize_undoes_spaced_words_and_leading_leet(text, normalised):
    assert normalize(text).text == normalised


@pytest.mark.parametrize(
    ("text", "normalised"),
    [
        # one separator per spaced word; Latin small capitals; dingbat digits
        ("C-A-R-B-O-N N-E-U-T-R-A-L, R.I.S.K-F.R.E.E", "carbon neutral, risk-free"),
        ("ʟɪᴍɪᴛᴇᴅ ᴛɪᴍᴇ, #➊, ❷", "limited time, #1, 2"),
        ("蕞好用的粉底", "最好用的粉底"),
        # pinyin for a character the rulebook's words pair with its neighbour
        ("无xiao退kuan，包you效", "无效退款,包有效"),
        ("纯tian然、0tian加, xiao炎祛痘, zheng府机关", "纯天然、0添加, 消炎祛痘, 政府机关"),
        # Latin next to Chinese that pairs with no rule word stays as written
        ("ins风的杯子, iPhone充电, ta说好看, a字裙", "ins风的杯子, iphone充电, ta说好看, a字裙"),
    ],
)
def test_normalize_with_the_rulebook_lexicon(checker, text, normalised):
    assert normalize(text, checker._pinyin).text == normalised


def test_a_finding_on_a_replaced_syllable_keeps_the_syllable(checker):
    found = [
        f for f in checker.check("无xiao退kuan").findings if f.category == "guarantee_risk_free"
    ]
    assert found and found[0].match == "无xiao退kuan"


def test_every_category_has_rules_in_both_languages():
    for category in CATEGORIES:
        rules = [r for r in RULEBOOK.rules if r.category == category]
        assert rules, category
        examples = [t for r in rules for t in r.examples.positive]
        assert any(any("\u4e00" <= c <= "\u9fff" for c in t) for t in examples), category
        assert any(t.isascii() for t in examples), category


def test_evidence_clears_require_evidence_and_is_cited():
    rule = next(
        r
        for r in RULEBOOK.rules
        if r.severity == "require_evidence" and r.evidence_keys and r.examples.positive
    )
    text = rule.examples.positive[0]
    plain = CHECKER.check(text)
    assert any(f.rule_id == rule.id for f in plain.findings)
    backed = CHECKER.check(text, evidence={rule.evidence_keys[0]: "certificate no. 123"})
    assert not any(f.rule_id == rule.id for f in backed.findings)
    cleared = [f for f in backed.cleared if f.rule_id == rule.id]
    assert cleared and "certificate no. 123" in (cleared[0].cleared_by or "")


def test_jurisdictions_filter_rules(checker):
    cn_only = checker.check("这是最好的保温杯", jurisdictions="cn")
    assert all("cn" in f.jurisdictions for f in cn_only.findings)
    assert cn_only.findings


def test_rules_not_yet_in_force_do_not_fire():
    future = [r for r in RULEBOOK.rules if r.effective_from]
    rule = max(future, key=lambda r: r.effective_from)
    before = ComplianceChecker(RULEBOOK, ALL, today=rule.effective_from - dt.timedelta(days=1))
    text = rule.examples.positive[0]
    assert rule.id not in {
        f.rule_id for f in before.check(text).findings + before.check(text).cleared
    }


def test_unknown_jurisdiction_is_a_clear_error():
    with pytest.raises(RulebookError, match="unknown jurisdiction 'mars'"):
        parse_jurisdictions("cn,mars")


def test_malformed_rulebook_is_a_clear_error(tmp_path):
    (tmp_path / "bad.yaml").write_text(
        "jurisdiction: cn\nversion: '1'\nrules:\n  - id: X\n"
        "    category: nonsense\n    severity: block\n"
        "    legal_basis: {law: L}\n",
        encoding="utf-8",
    )
    with pytest.raises(RulebookError, match="unknown category"):
        Rulebook(tmp_path)


@pytest.fixture
def books(tmp_path):
    """A copy of the bundled rulebooks to edit."""
    folder = tmp_path / "books"
    shutil.copytree(RULEBOOK_DIR, folder)
    return folder


def test_a_rulebook_with_broken_yaml_is_one_line_naming_the_line(books):
    (books / "uk.yaml").write_text("rules:\n  - id: [unclosed\n", encoding="utf-8")
    with pytest.raises(RulebookError) as caught:
        Rulebook(books)
    message = str(caught.value)
    assert "\n" not in message and "uk.yaml is not valid YAML: line 3" in message, message


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        # a claim denied, or the word only mentioned (knowledge/rulebooks/context/denials.yaml)
        ("This cream will not treat eczema or any skin condition.", False),
        ("We no longer call this bottle eco-friendly, because we can't yet prove it.", False),
        ("我们暂时不把这款产品称为“环保”，因为还没有完成评估。", False),
        ("Not intended to diagnose, treat, cure or prevent any disease.", False),
        ("本品不能代替药物。", False),
        # a word quoted by a rule or a warning, a claim declined, a plain "is not"
        ("门店海报上不得使用“最佳”“国家级”等用语。", False),
        ("请不要相信任何声称“根治”的宣传。", False),
        ("Our style guide bans phrases like 'clinically proven' without a study.", False),
        ("We won't claim it's the best kettle ever made; it boils fast.", False),
        ("我们不敢说它是最好的，只是回购的人多。", False),
        ("这双鞋不是万能的，湿滑路面请慢行。", False),
        ("The film lid is not yet recyclable.", False),
        ("本店不做任何好评返现。", False),
        # a rule that does not let the seller use the word, and the quoted words listed after it
        ("广告法不允许我们说“最”和“第一”，所以这里只给大家列参数。", False),
        ("Marketplace rules don't let sellers call a product 'the best' or 'No.1'.", False),
        # the term named as a kind of advert, a question the copy answers no
        ("看到“一周瘦十斤”这种广告请谨慎，我们店只卖普通跳绳。", False),
        ("Skip the 'miracle cure' hype: this is a moisturiser.", False),
        ("Pure wool? No, it's a 60/40 wool-cotton blend.", False),
        # quoted words that are the claim, a question answered yes, "no" after a full stop
        ("我们是“最好”和“第一”的品牌。", True),
        ("It is 'the best' or 'No.1' of all kettles.", True),
        ("Clinically proven? No kidding, it is.", True),
        ("Clinically proven. No, really!", True),
        ("三天瘦十斤？不，是一周！", True),
        ("Cure acne? No problem!", True),
        # the same terms used as claims, and cues that deny nothing
        ("This cream treats eczema.", True),
        ("It's eco-friendly.", True),
        ("Don't settle: it's the best serum.", True),
        ("品质无可替代", True),
    ],
)
def test_a_denied_or_mentioned_claim_is_not_a_finding(checker, text, flagged):
    assert bool(checker.check(text).findings) is flagged


@pytest.mark.parametrize(
    ("edited", "addition"),
    [
        ("cn.yaml", "\n# edited\n"),
        ("context/denials.yaml", "  - 'never ever $'\n"),
        ("context/exemptions.yaml", "\n"),
    ],
)
def test_rulebook_version_changes_with_any_rulebook_file(books, edited, addition):
    before = Rulebook(books).version
    path = books / edited
    path.write_text(path.read_text(encoding="utf-8") + addition, encoding="utf-8")
    assert Rulebook(books).version != before


def test_a_rule_naming_an_unknown_shared_exemption_is_a_clear_error(books):
    path = books / "us.yaml"
    text = path.read_text(encoding="utf-8")
    assert "exemption_refs: [own_older_model," in text
    path.write_text(
        text.replace("exemption_refs: [own_older_model,", "exemption_refs: [own_oldr_model,", 1),
        encoding="utf-8",
    )
    with pytest.raises(RulebookError, match="US-FTC-5-objective-superiority.*own_oldr_model"):
        Rulebook(books)


def test_shared_exemptions_reach_every_rule_that_names_them():
    from knowledge.rulebook import Rulebook

    book = Rulebook()
    shared = book.shared_exemptions.exemptions
    takers = {name: [r for r in book.rules if name in r.exemption_refs] for name in shared}
    assert all(takers.values()), [n for n, rules in takers.items() if not rules]  # none unused
    for name, rules in takers.items():
        for rule in rules:
            assert set(shared[name].patterns) <= set(rule.exemption_patterns), (name, rule.id)


def test_no_exemption_pattern_is_copied_into_two_rules():
    """A context that holds under several rules is written once, in context/exemptions.yaml."""
    import yaml

    from knowledge.rulebook import RULEBOOK_DIR

    owners: dict[str, list[str]] = {}
    for path in sorted(RULEBOOK_DIR.glob("*.yaml")):
        for rule in yaml.safe_load(path.read_text(encoding="utf-8"))["rules"]:
            for pattern in rule.get("exemption_patterns") or []:
                owners.setdefault(pattern, []).append(rule["id"])
    copied = {p[:60]: ids for p, ids in owners.items() if len(ids) > 1}
    assert not copied


@pytest.mark.parametrize(
    ("text", "rule_ids"),
    [
        # one shared exemption, several jurisdictions' superiority rules
        ("Lighter than our previous model, by 40 g.", ()),
        ("Voted best skillet by Good Housekeeping in 2024.", ()),
        # the claim next to it is still flagged under each rule
        (
            "Lighter than every other skillet on the market.",
            ("EU-UCPD-6-objective-superiority", "US-FTC-5-objective-superiority"),
        ),
    ],
)
def test_a_shared_exemption_clears_each_rule_that_takes_it(checker, text, rule_ids):
    found = {f.rule_id for f in checker.check(text).findings}
    assert set(rule_ids) <= found
    if not rule_ids:
        assert not found


@pytest.mark.parametrize(
    "text",
    [
        # review cases: a denial cue in another clause, or not about this product
        "Never say never: this cream cures eczema",
        "We don't say it often, but this balm cures eczema.",
        "Can't say enough good things, it cured my eczema",
        "Not intended to diagnose, but it cures eczema.",
        "Other creams won't cure eczema. Ours will.",
        "不能错过的最低价",
        "谁说不能根治脚气？",
        "并非夸大：根治脚气",
        "本品不具有副作用，治疗功能显著",
        # exemptions that need their context, not a keyword
        "Made from recycled ocean plastic, no licence required.",
        "100% organic, no certificate needed.",
        "The best on the market.",
        "Our detox treatment flushes toxins from your body.",
        "It won't break down in the cupboard, yet breaks down in your compost.",
        "Was $200, the price other shops charged from 2024, now $49.",
        "Another 3 days at half price!",
        "100% ingredients of natural origin.",
        # the quoted, declined and "is not" denials stop at their clause
        "Not yet convinced? This is the best serum.",
        "It is not yet proven, yet it cures acne.",
        "We won't claim much: this balm cures eczema.",
        "不是吹，这是全网最低价。",
        "Forget phrases like 'good enough': this is the best stove made.",
        "Hurry, this deal ends tonight, then hurry home.",
        # this round's exemptions keep to their context
        "Lighter than our previous model and every rival tent.",
        "The best time to buy? Now: it's the best tent on the market.",
        # EU: an announced reduction needs its prior price, dated or not
        "Sale: 20% off all cushions from June 1 to June 14.",
        "Number one in our own range, and number one in the world.",
        "Nothing compares: it cures eczema.",
        "我们没有夸张，这就是全网最低价。",
        # review cases for this stop's denials and exemptions
        "Can't tell you enough, clinically proven to cure acne",
        "We never promise miracles, this cream cures eczema in 7 days",
        "We can't promise you'll love it, it is the best bottle on the market",
        "主播不会说假话全网最低价",
        "Why not cure your eczema naturally?",
        "这难道不是最好的吗？",
        "国内口感最佳的挂耳咖啡",
        "行业第一台静音破壁机",
        "全网第一瓶真正24小时保冷的杯子",
        "The best bottle in its category, made since 2019.",
        "The best way to stay hydrated is the Steel Bottle.",
        "Built for the best sound in its class.",
        "Was €120, now €45 from 1 to 14 June.",
        "Was $120 (price from other retailers), now $45.",
        "40% off all tumblers this week, no code needed.",
        "会员专享原价399今天3折",
        "原价999，6月1日至6月18日限时售价199",
        "Lowest price in the last 30 days across all retailers.",
        "Fully recyclable and biodegradable in most areas.",
        "Recyclable and home compostable, check your local council.",
        "Composition: 100% natural, 100% organic.",
        "抑菌率99%，激活毛囊修复受损肌肤，依据GB/T 20944检测",
        "Colder than our own, and anything else you can buy.",
    ],
)
def test_denials_and_exemptions_let_no_real_claim_through(checker, text):
    assert checker.check(text).findings, text


@pytest.mark.parametrize(
    ("text", "normalised"),
    [
        ("Omega3, Gen3, Boost30, Pro3", "omega3, gen3, boost30, pro3"),  # codes, not leetspeak
        ("这支口红让你嘴好看, 喝醉好开心", "这支口红让你嘴好看, 喝醉好开心"),  # not a dodged 最
        ("zhi 好了, shou 后", "治好了, shou 后"),  # an ambiguous syllable needs its neighbour
    ],
)
def test_normalize_leaves_codes_and_ordinary_words_alone(text, normalised):
    assert normalize(text).text == normalised


def test_a_finding_on_replaced_pinyin_keeps_the_whole_syllable(checker):
    found = checker.check("无效退kuan").findings
    assert found and found[0].match == "无效退kuan"


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        # the sale price with the 30-day lowest price stated in the same sentence (EU Art. 6a)
        ("双十一活动价199元，活动前30天内最低成交价259元，活动时间11月1日至11月11日。", False),
        ("Now £45 (the lowest price in the last 30 days before this sale was £60).", False),
        ("双十一活动价199元，全网最低价。", True),
        ("Now £45, the lowest price in the last 30 days across all retailers.", True),
        # a superlative within the brand's own range, a dated media roundup, a disclosed paid
        # expert (not under the Chinese rule: medical staff may not endorse cosmetics there)
        ("This is the lightest tent we have ever made, at 1.1 kg including poles.", False),
        ("The lightest tent we have ever made, and lighter than every other tent.", True),
        ("Featured in The Guardian's 'Best budget kettles' roundup, 12 March 2024.", False),
        ("The best kettle on the market, featured in 2024.", True),
        # usage "best" and care advice
        ("Best paired with grilled fish or a light summer salad.", False),
        ("Rated IPX4, so keep it out of the river itself.", False),
        ("Every bottle keeps plastic out of the river.", True),
    ],
)
def test_prior_price_usage_best_and_care_advice_in_context(checker, text, flagged):
    assert bool([f for f in checker.check(text).findings if f.blocking]) is flagged


@pytest.mark.parametrize(
    ("text", "jurisdictions"),
    [
        # review of stop 14: exemptions and denials must not reach into another claim
        ("全网最低价，近30天最低价199元", "cn"),
        ("别家都没有这个价，活动前30天内最低价199元", "cn"),
        ("Lowest price ever, lowest price in the last 30 days was £19.", None),
        ("Was £80, now £40, lowest price in the last 30 days: £40", None),
        ("Dermatologists recommend it, and our founder Amy is a paid ambassador.", None),
        ("Doctors recommend it; our model Amy is a paid ambassador.", None),
        ("The best sunscreen in our range, and frankly in the whole world.", None),
        ("不得不说最好用的还是这款面霜", None),
        ("谁说学生党不可以用最好的？", None),
        ("不得不用最好的", None),
        ("Cures eczema? No-brainer.", None),
        ("Clinically proven? No-brainer.", None),
        ("Don't let anyone say we aren't 'the best'.", None),
        ("Don't let anyone tell you that you can't use 'the best' sunscreen.", None),
        ("广告法不让我们说“便宜”，“最好”才是大家的评价", None),
        (
            "The rules don't let us call it 'greasy', 'clinically proven' is what trials showed.",
            None,
        ),
        ("Our style guide bans 'greasy', 'clinically proven' is what the trial showed.", None),
        ("Featured in our newsletter: the best cream on the market, since 2019.", None),
    ],
)
def test_review_cases_where_a_denial_or_exemption_reached_another_claim(
    checker, text, jurisdictions
):
    assert [f for f in checker.check(text, jurisdictions=jurisdictions).findings if f.blocking]


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        # a quoted word the seller does not shout, write, say or use
        ("不喊“全网最低价”了，我们就老老实实标价：89元。", False),
        ("我们不写“零添加”，配料表每一项都印在包装背面。", False),
        ("“瘦身”这个词我们不会用，这条裤子就是高腰剪裁。", False),
        ("很多博主叫它“天花板”，我们自己不这么说，按需购买就好。", False),
        ("明星同款？不是的，这只是我们设计师自己喜欢的颜色。", False),
        ("We won't tell you this is the best tent in the world, only that it kept us dry.", False),
        ("'Best bottle ever' isn't something we can measure, so here are the specs.", False),
        ("The words 'clinically proven' never go on our labels without a published trial.", False),
        # a former price with the period it was charged, under China's reference-price rule too
        ("Spring sale: $89, down from $120, our regular price from 1 January to 31 March.", False),
        # affirming look-alikes stay claims
        ("不得不说“最好用”的就是它", True),
        ("“最好用”的面霜就是它", True),
        ("不用说“最好”，大家都知道", True),
        ("I can't tell you how much this is the best tent ever.", True),
        ("明星同款？是的，全网最低价！", True),
        ("大家都叫它“天花板”，因为它就是最好的。", True),
        ("“最好”的面霜，这个词我们敢用。", True),
        ("We won't tell you twice: the best tent in the world.", True),
    ],
)
def test_quoted_words_the_seller_does_not_use_are_not_claims(checker, text, flagged):
    assert bool([f for f in checker.check(text).findings if f.blocking]) is flagged


@pytest.mark.parametrize(
    "text",
    [
        # review of stop 15: the new denials must not clear claims that affirm or presuppose
        "Doctors won't tell you this tea cures diabetes.",
        "Big pharma won't tell you that turmeric cures arthritis.",
        "Cures eczema, skip rivals' hype.",  # a possessive, not a closing quote
        "Clinically proven, unlike rivals' ads.",
        "我们不能不提“全网最低价”。",
        "我们不会不写“零添加”。",
        "谁说我们不喊“全网最低价”？",
        "为什么不写“零添加”？因为它本来就是。",
        "先不提“全网最低价”，品质也是行业第一。",
        "“全网最低价”这个说法我们不用多说，大家都懂。",
        # mixed separators inside one word still join
        "B E.S T serum ever",
        "c.u-r.e.s eczema",
        # 最好用 is usage advice only before how to use it
        "这款最好用啊！",
        "最好用神器。",
        "全网最好用呀！",
    ],
)
def test_review_cases_where_a_new_denial_or_spelling_let_a_claim_through(checker, text):
    assert [f for f in checker.check(text).findings if f.blocking], text


@pytest.mark.parametrize(
    ("text", "match"),
    [
        # a finding keeps the whole syllable written as pinyin, at either end
        ("本品xiao炎止痛。", "xiao炎"),
        ("quan网最低", "quan网最低"),
        ("zhi疗脱发", "zhi疗脱发"),
    ],
)
def test_a_finding_starting_or_ending_on_pinyin_keeps_the_syllable(checker, text, match):
    assert match in {f.match for f in checker.check(text).findings}


@pytest.mark.parametrize(
    "text", ["手机壳内置芯片，防AI换脸诈骗。", "新增防AI骚扰电话功能。", "最好用温水清洗。"]
)
def test_capital_acronyms_are_not_pinyin_and_usage_advice_is_not_a_claim(checker, text):
    assert not [f for f in checker.check(text).findings if f.blocking], text


def test_a_denial_that_does_not_compile_is_one_line_naming_it(books):
    path = books / "context" / "denials.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "  - '(unclosed'\n", encoding="utf-8")
    with pytest.raises(RulebookError) as caught:
        Rulebook(books)
    message = str(caught.value)
    assert "\n" not in message and "denials" in message and "(unclosed" in message, message
