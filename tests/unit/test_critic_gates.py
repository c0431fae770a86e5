"""The critic's voice and fluency gates: whole-word avoided words, garbled output fails."""

from __future__ import annotations

import pytest

from agents.brief_writer import build_brief
from agents.critic.signals import garbled, leftovers, word_in
from knowledge.brand import Brand


def test_avoided_words_match_whole_words_only():
    assert not word_in("vegetable-tanned, salt-cured leather", "cure")
    assert word_in("it is a cure for dry skin", "cure")
    assert word_in("our #1 pick", "#1")


def test_cured_leather_is_not_the_avoided_word_cure(make_context, brand: Brand):
    product = brand.products["bifold-wallet"]
    brief = build_brief(brand, product, "product_page", "general", "en", None)
    assert "cure" in brief.must_avoid
    critic = make_context(["x"]).critic
    cured = critic.score("Cut from salt-cured, vegetable-tanned full-grain cowhide.", brief)
    assert "cure" not in cured.evidence["avoided_words"]
    cure = critic.score("A cure for messy pockets.", brief)
    assert "cure" in cure.evidence["avoided_words"]
    assert "replace the word 'cure'" in cure.feedback


GIBBERISH = [
    "明示护王父毎众林，曾前建设一个名称“Taiwan”，后来回原姓化新的“Precious and Beautiful China”…",
    "切换- 将新闻技巧推进- 对前昆脚- 围架- 和玩- 原型- 将新闻技巧简单化学****![img](https://i.luckybookdragon.",
]


@pytest.mark.parametrize("text", GIBBERISH)
def test_markup_links_and_word_salad_fail_the_fluency_gate(make_context, brand: Brand, text):
    assert garbled(text, "zh")
    product = brand.products["ceramic-mug-350"]
    brief = build_brief(brand, product, "social_post", "general", "zh", None)
    critique = make_context(["x"]).critic.score(text, brief, product.evidence)
    assert not critique.gates["fluency"] and not critique.approved


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("### Features\nLight and warm.", "en", ["###"]),
        ("See www.example.com for more.", "en", ["www.example.com"]),
        ("**Bold** claims here.", "en", ["**Bold**"]),
        ("蕨山充电宝支持USB-C PD快充。#蕨山", "zh", []),
        ("#ad Six card slots, 1.2 cm thick. #Fernhill #EDC", "en", []),
        ("轻薄羽绒服，机洗也不怕。", "zh", []),
    ],
)
def test_garbled_lists_markup_and_mixed_script(text, language, expected):
    assert garbled(text, language) == expected


def test_selling_other_catalogue_products_fails_the_grounding_gate(make_context, brand: Brand):
    product = brand.products["oat-hand-cream"]
    brief = build_brief(brand, product, "cs_reply", "general", "zh", None)
    critic = make_context(["x"]).critic
    reply = "感谢您的咨询。蕨山燕麦护手霜50克是无香精配方，吸收后不黏手。"
    upsell = reply + "我们还有粗陶马克杯和双层玻璃泡茶杯，欢迎进店逛逛。"
    plain = critic.score(reply, brief, product.evidence)
    sold = critic.score(upsell, brief, product.evidence)
    assert plain.evidence["other_products"] == [] and not plain.invented
    assert sold.evidence["other_products"] == ["粗陶马克杯", "双层玻璃泡茶杯"]
    assert not sold.gates["grounding"] and not sold.approved
    assert not sold.invented  # the mug's and tumbler's materials are not claims about the cream
    assert any("不要顺带推销其他商品" in f for f in sold.feedback)


def test_an_ordinal_is_not_the_avoided_ranking_word():
    assert not word_in("早上第一杯咖啡，用的是这只马克杯", "第一")
    assert word_in("全网销量第一", "第一")
    assert word_in("第一次用就爱上了，全网第一", "第一")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<|assistant|>好的，以下是推荐消息：您好，[顾客姓名]！", ["<|assistant|>", "[顾客姓名]"]),
        ("Hi [Customer Name], meet the bottle. {name} costs $29.", ["[Customer Name]", "{name}"]),
        ("推荐给您。（此处填写推荐理由）点击了解详情。", ["（此处填写推荐理由）"]),
        ("Sizes S/M/L (add a scarf for winter). [Sold out in red]", []),
        # review cases: labels, a strikethrough price and a service reply's 好的 are copy
        ("[Customer favourite] The Trail Bottle. [Price drop] Now $24.", []),
        ("有问题可以联系我们（请添加客服微信领取）。以下是尺码参考：S码", []),
        ("好的，已为您登记，24小时内补发。<s>$39</s> $29", []),
    ],
)
def test_template_tokens_and_unfilled_placeholders_are_leftovers(text, expected):
    found = leftovers(text)
    assert all(e in found for e in expected), found
    assert bool(found) == bool(expected), found


def test_a_recommendation_that_quotes_private_browsing_fails(make_context, brand: Brand):
    product = brand.products["organic-cotton-swaddle"]
    brief = build_brief(brand, product, "recommendation", "new_parent", "en", None)
    critic = make_context(["x"]).critic
    text = (
        "Hi Laura, we noticed you've been up browsing sleep tips at 3 a.m., so we picked the "
        "Fernhill Organic Cotton Muslin Swaddle 2-pack for you: 4 layers of GOTS-certified "
        "organic cotton muslin, 120 × 120 cm. Tap to see it."
    )
    critique = critic.score(text, brief, product.evidence)
    assert critique.evidence["private_cues"] == ["we noticed you"]
    assert not critique.gates["elements"] and not critique.approved
    assert "don't mention what we know about them" in critique.feedback[0]
    plain = critic.score(text.replace("we noticed you've been up browsing", "up for"), brief)
    assert plain.evidence["private_cues"] == []


def test_private_cues_match_curly_apostrophes_and_chinese_and_spare_a_cart_cta(
    make_context, brand: Brand
):
    product = brand.products["organic-cotton-swaddle"]
    critic = make_context(["x"]).critic
    en = build_brief(brand, product, "recommendation", "new_parent", "en", None)
    zh = build_brief(brand, product, "recommendation", "new_parent", "zh", None)
    assert critic.score("Hi! You\u2019ve been browsing swaddles, so here is ours.", en).evidence[
        "private_cues"
    ] == ["you've been browsing"]
    assert critic.score("您好，我们注意到您最近浏览了包巾。", zh).evidence["private_cues"]
    cart = "Hi! The Fernhill swaddle is 120 × 120 cm. Pop one in your cart today."
    assert critic.score(cart, en).evidence["private_cues"] == []


def test_a_service_reply_is_judged_on_avoided_words_not_on_embedding_similarity(
    make_context, brand: Brand
):
    # critic.yaml: cs_reply min_voice_similarity -1.0 (the reply follows the question)
    product = brand.products["quiet-earbuds"]
    brief = build_brief(brand, product, "cs_reply", "general", "en", None)
    critic = make_context(["x"]).critic
    reply = (
        "Thanks for your question. Yes, the Quiet Earbuds support multipoint. If pairing gives "
        "you trouble, reply with both device models and we'll send steps within 24 hours."
    )
    assert critic.score(reply, brief).gates["voice"]
    hype = critic.score(reply.replace("Yes,", "Yes, it's an amazing pair and"), brief)
    assert hype.evidence["avoided_words"] and not hype.gates["voice"]


def test_any_fact_on_record_grounds_a_sentence_not_only_the_briefs_first_lines(
    make_context, brand: Brand
):
    # the wallet's warranty is past the brief's first facts; "hand-wash only" states
    # "dishwasher safe: no" (critic.yaml fact_limits)
    product = brand.products["bifold-wallet"]
    brief = build_brief(brand, product, "recommendation", "general", "en", None)
    assert not any(f.startswith("warranty") for f in brief.key_facts)
    critic = make_context(["x"]).critic
    text = (
        "Hi Sam, the Fernhill Bifold Wallet is vegetable-tanned full-grain cowhide. "
        "It carries a 5-year warranty. One thing to know: it doesn't block RFID."
    )
    scored = critic.score(text, brief, product.evidence)
    assert scored.evidence["grounded_share"] == 1.0 and scored.gates["grounding"]
    bottle = brand.products["steel-bottle-500"]
    reply = build_brief(brand, bottle, "cs_reply", "general", "en", None)
    said = critic.score("I'm sorry. It's hand-wash only, and that's easy to miss.", reply)
    assert "dishwasher safe: no" in said.evidence["facts_stated"]


def test_first_of_a_counted_thing_is_not_the_ranking_word():
    assert not word_in("宝宝的第一条包巾，洗了十几次", "第一")
    assert word_in("销量第一的包巾", "第一")
    assert word_in("行业第一台静音破壁机", "第一")  # a rank in a scope
    assert word_in("第一瓶真正24小时保冷的杯子", "第一")  # a first-ever claim


def test_a_fact_past_the_briefs_key_facts_needs_its_key_named(brand: Brand):
    from agents.critic.signals import fact_lines, facts_stated

    brief = build_brief(brand, brand.products["quiet-earbuds"], "cs_reply", "general", "en", None)
    lines, strict_from = fact_lines(brief)
    assert lines[strict_from:]  # the warranty is past the key facts
    said = [
        lines[i] for i in facts_stated("Grab 2 pairs for the weekend.", brief, lines, strict_from)
    ]
    assert said == []
    said = [lines[i] for i in facts_stated("It has a 2-year warranty.", brief, lines, strict_from)]
    assert any(s.startswith("warranty") for s in said)


def test_link_on_the_profile_page_is_a_call_to_action(make_context, brand: Brand):
    product = brand.products["hydrating-serum-30"]
    brief = build_brief(brand, product, "social_post", "general", "zh", None)
    critic = make_context(["x"]).critic
    post = "蕨山保湿精华，1.5%玻尿酸加2%泛醇，无香精，质地清爽。{cta} #护肤日常"
    assert critic.score(post.format(cta="链接在主页"), brief).gates["elements"]
    assert not critic.score(post.format(cta=""), brief).gates["elements"]


@pytest.mark.parametrize(
    ("product_id", "language", "reply"),
    [
        (
            "ceramic-mug-350",
            "zh",
            "非常抱歉杯子到手时杯口有磕损，给您添麻烦了。麻烦您拍一张破损处的照片，连同订单号一起"
            "发给我们，我们确认后会在24小时内为您补发一只同色的新杯子，旧杯不用寄回。",
        ),
        (
            "steel-bottle-500",
            "en",
            "Sorry your bottle arrived with a dent; that's not how it should reach you. Reply with "
            "your order number and we'll send a replacement by Friday.",
        ),
        (
            "down-jacket-700",
            "en",
            "Sorry to hear fibres are coming through the shell; that isn't right on a new "
            "jacket. Send a photo with your order number and we'll reply by Friday with a "
            "repair or replacement.",
        ),
    ],
)
def test_a_reply_about_an_order_problem_needs_no_product_fact(
    make_context, brand: Brand, product_id, language, reply
):
    # critic.yaml: cs_reply order_issue (a chipped mug, a dented bottle, a replacement)
    brief = build_brief(brand, brand.products[product_id], "cs_reply", "general", language, None)
    critic = make_context(["x"]).critic
    scored = critic.score(reply, brief)
    assert not scored.evidence["facts_stated"] and scored.gates["grounding"]
    # the same reply on another channel, or a reply with no order problem in it, still needs a
    # fact, and a refund or a courier alone is no order problem
    banner = build_brief(
        brand, brand.products[product_id], "recommendation", "general", language, None
    )
    assert not critic.score(reply, banner).gates["grounding"]
    chat = {
        "en": "Thanks for asking! Any other questions, just ask.",
        "zh": "感谢咨询，有问题随时问。",
    }
    assert not critic.score(chat[language], brief).gates["grounding"]
    for plain in ("If not, we offer a full refund.", "支持顺丰快递，退货包运费。"):
        assert not critic.score(plain, brief).gates["grounding"]
    # an invented fact in an order reply still fails
    claim = {"en": " It keeps drinks cold for 60 hours.", "zh": "这只杯子能装500毫升。"}
    assert not critic.score(reply + claim[language], brief).gates["facts"]


def test_a_product_named_by_its_alias_in_the_other_language(make_context, brand: Brand):
    # product files' `aliases`: a Chinese banner names the Enamelled Dutch Oven as 珐琅铸铁锅
    from agents.critic.signals import name_mentioned

    oven = brand.products["enamel-dutch-oven-24"]
    assert "珐琅铸铁锅" in oven.aliases
    assert name_mentioned("珐琅铸铁锅现价$149，点击选购", oven.name, brand)
    assert not name_mentioned("铸铁锅现价$149，点击选购", oven.name, brand)
    brief = build_brief(brand, oven, "promo_banner", "general", "zh", None)
    critic = make_context(["x"]).critic
    banner = critic.score("珐琅铸铁锅24厘米$149，8–10月售价$189｜去看看", brief, oven.evidence)
    assert banner.gates["elements"], banner.feedback


def test_a_service_promise_states_no_product_fact(brand: Brand):
    # "within 24 hours" is when we reply, not the bottle's 24 hours of cold
    from agents.critic.signals import facts_stated

    bottle = brand.products["steel-bottle-500"]
    reply = build_brief(brand, bottle, "cs_reply", "general", "en", None)
    promise = "Sorry about that. Reply with your order number and we'll answer within 24 hours."
    assert not [reply.key_facts[i] for i in facts_stated(promise, reply)]
    claim = "It keeps drinks cold for 24 hours."
    assert any("24" in reply.key_facts[i] for i in facts_stated(claim, reply))
