"""Score copy against a brief the way a brand lead would: signals, gates, overall, feedback."""

from __future__ import annotations

from typing import Any

import numpy as np

from agents.critic import signals as sig
from agents.state import Brief, Critique
from knowledge.brand import Brand


class Critic:
    """Holds the loaded resources the signals need; `score` is pure given them."""

    def __init__(self, brand: Brand, embedder: Any, retriever: Any, checker: Any = None) -> None:
        self.brand, self.embedder, self.retriever, self.checker = (
            brand,
            embedder,
            retriever,
            checker,
        )
        self._centroids: dict[tuple[str, str], np.ndarray | None] = {}
        self._voice: dict[str, np.ndarray] = {}

    def _centroid(self, channel: str, language: str) -> np.ndarray | None:
        key = (channel, language)
        if key not in self._centroids:
            centroid = getattr(self.retriever, "centroid", None)
            filters = {
                "kind": "copy",
                "channel": channel,
                "language": language,
                "tier": ["excellent", "good"],
            }
            self._centroids[key] = centroid(filters) if centroid else None
        return self._centroids[key]

    def _voice_vector(self, language: str) -> np.ndarray:
        if language not in self._voice:
            text = self.brand.guidelines.voice_description(language)
            self._voice[language] = self.embedder.encode([text])[0]
        return self._voice[language]

    def score(
        self,
        text: str,
        brief: Brief,
        evidence: dict[str, str] | None = None,
        vector: np.ndarray | None = None,
    ) -> Critique:
        channel = self.brand.channel(brief.channel)
        cfg = sig.channel_config(brief.channel)
        zh = brief.language == "zh"
        scores: dict[str, float] = {}
        gates: dict[str, bool] = {}
        feedback: list[tuple[int, str]] = []
        detail: dict[str, Any] = {}

        def say(priority: int, en: str, zh_text: str) -> None:
            feedback.append((priority, zh_text if zh else en))

        # risky claims a brand lead would never sign (the compliance node cites the law)
        blocking = []
        if self.checker is not None:
            result = self.checker.check(text, brief.category, evidence, brief.jurisdictions)
            blocking = [f for f in result.findings if f.blocking]

        # facts: every number, attribute, certification and efficacy claim must be supported
        others = [p.name for p in self.brand.products.values() if p.name != brief.product_name]
        invented = sig.find_invented(text, brief, evidence, others)
        claimed = [f for f in blocking if f.category in sig.config()["unsupported_claims"]]
        invented += [
            sig.Invented(f.match, f.start, f.end, "claim")
            for f in claimed
            if not any(i.start <= f.start < i.end for i in invented)
            and not sig.disclaimed(text, f.start, f.end)
            and not sig.claim_in_facts(f.match, brief, evidence)
        ]
        scores["facts"] = 1.0 if not invented else max(0.0, 0.4 - 0.1 * len(invented))
        gates["facts"] = not invented
        detail["invented"] = [vars(i) for i in invented]
        for item in invented:
            say(
                0,
                f"remove the claim '{item.text}' — not in the product facts",
                f"删除“{item.text}”——商品参数里没有这一项",
            )

        # grounding: state enough facts, keep sentences about the product
        # every fact on record counts (a reply that cites the warranty states a fact even
        # when the brief's first lines are capacity and material)
        lines, strict_from = sig.fact_lines(brief)
        stated = sig.facts_stated(text, brief, lines, strict_from)
        share = sig.grounded_share(text, brief, self.brand)
        min_facts = min(int(cfg["min_facts"]), len(brief.key_facts))
        min_grounded = float(cfg["min_grounded"])
        order_issue = cfg.get("order_issue")
        if order_issue and sig.cue_pattern("order_issue").search(text):
            # a reply about the order (damage, delivery, a replacement) need not sell the product
            min_facts = min(min_facts, int(order_issue["min_facts"]))
            min_grounded = min(min_grounded, float(order_issue["min_grounded"]))
        fact_part = min(1.0, len(stated) / min_facts) if min_facts else 1.0
        scores["grounding"] = 0.5 * fact_part + 0.5 * (share if min_grounded > 0 else 1.0)
        gates["grounding"] = len(stated) >= min_facts and share >= min_grounded
        # copy for one product that sells others from the catalogue is off the brief
        sold = [] if cfg.get("allow_other_products") else sig.products_named(text, brief, others)
        if sold:
            gates["grounding"] = False
            scores["grounding"] = max(0.0, scores["grounding"] - 0.3)
            say(
                1,
                f"keep to the {brief.product_name}; don't sell other products here",
                f"只写{brief.product_name}，不要顺带推销其他商品",
            )
        detail["other_products"] = sold
        detail["facts_stated"] = [lines[i] for i in stated]
        detail["grounded_share"] = round(share, 3)
        if len(stated) < min_facts:
            said = {lines[i] for i in stated}
            missing = [f for f in brief.key_facts if f not in said][:3]
            say(
                1,
                f"state more product facts, e.g. {'; '.join(missing)}",
                f"写出更多商品参数，例如：{'；'.join(missing)}",
            )
        if share < min_grounded:
            say(
                1, "keep every sentence about the product and its facts", "每句话都要围绕商品和参数"
            )

        # language
        ratio = sig.cjk_ratio(text)
        gates["language"] = ratio >= 0.5 if zh else ratio <= 0.1
        if not gates["language"]:
            say(1, "write the whole copy in English", "全文用中文写")

        # length
        length = sig.count_length(text, brief.length_unit)
        low, high = brief.length_min, brief.length_max
        tolerance = float(cfg["length_tolerance"])
        target = low if length < low else high
        scores["length"] = (
            1.0 if low <= length <= high else max(0.0, 1 - abs(length - target) / max(target, 1))
        )
        gates["length"] = low * (1 - tolerance) <= length <= high * (1 + tolerance)
        detail["length"] = {"count": length, "min": low, "max": high, "unit": brief.length_unit}
        unit_zh = "字" if brief.length_unit == "chars" else "个词"
        if length > high:
            say(2, f"shorten to at most {high} {brief.length_unit}", f"缩短到{high}{unit_zh}以内")
        elif length < low:
            say(2, f"lengthen to at least {low} {brief.length_unit}", f"扩写到至少{low}{unit_zh}")

        # channel elements, hashtags, emoji
        missing_elements = [
            e
            for e in brief.must_include
            if not sig.element_present(e, text, brief, self.brand, channel)
        ]
        scores["elements"] = 1 - len(missing_elements) / max(len(brief.must_include), 1)
        gates["elements"] = not missing_elements
        for element in missing_elements:
            en_text, zh_text = ELEMENT_FEEDBACK.get(
                element, (f"add the {element}", f"加上{element}")
            )
            if element == "disclosure" and not channel.disclosure_fold:
                en_text, zh_text = "add the disclosure #ad", "加上广告标识 #广告"
            say(3, en_text.format(name=brief.product_name), zh_text.format(name=brief.product_name))
        plain = text.lower().replace("\u2019", "'")  # "You’ve been browsing"
        private = [c for c in channel.private_cues.get(brief.language, []) if sig.cue_in(plain, c)]
        detail["private_cues"] = private
        if private:  # "we noticed you've been browsing...": the channel forbids it
            gates["elements"] = False
            scores["elements"] = max(0.0, scores["elements"] - 0.5)
            say(
                1,
                f"don't mention what we know about them ('{private[0]}')",
                f"不要提及顾客的浏览或购买记录（“{private[0]}”）",
            )
        hashtags, emoji = sig.count_hashtags(text), sig.count_emoji(text)
        detail["hashtags"], detail["emoji"] = hashtags, emoji
        if hashtags > channel.hashtags.max or emoji > channel.emoji.max:
            gates["elements"] = False
            scores["elements"] = max(0.0, scores["elements"] - 0.3)
            say(
                3,
                f"use at most {channel.hashtags.max} hashtags and {channel.emoji.max} emoji",
                f"话题标签最多{channel.hashtags.max}个、表情最多{channel.emoji.max}个",
            )

        # fluency and degeneration
        repeated = sig.repetition_ratio(text, brief.language)
        left = sig.leftovers(text) + sig.garbled(text, brief.language)
        cut = sig.truncated(text)
        scores["fluency"] = max(
            0.0, 1.0 - min(repeated * 2, 0.6) - (0.4 if left else 0) - (0.2 if cut else 0)
        )
        gates["fluency"] = repeated < 0.15 and not left and not cut and bool(text.strip())
        detail["repetition"] = round(repeated, 3)
        if repeated >= 0.15:
            say(4, "stop repeating the same phrases", "不要重复同样的词句")
        if left:
            say(4, f"remove the leftover text '{left[0]}'", f"删掉多余的“{left[0]}”")
        if cut:
            say(4, "finish the last sentence", "把最后一句写完整")

        # brand voice: similarity to top copy and to the voice description; words to avoid/use
        avoided = [w for w in brief.must_avoid if w and sig.word_in(text.lower(), w.lower())]
        wanted = [
            w
            for w in self.brand.guidelines.words_to_use.get(brief.language)
            if w and sig.cue_in(text.lower(), w.lower())
        ]
        similarity = 0.0
        centroid = self._centroid(brief.channel, brief.language)
        if text.strip():
            vec = vector if vector is not None else self.embedder.encode([text])[0]
            top = float(np.dot(vec, centroid)) if centroid is not None else 0.5
            guide = float(np.dot(vec, self._voice_vector(brief.language)))
            similarity = 0.75 * top + 0.25 * guide
            detail["voice_similarity"] = {"top_copy": round(top, 4), "guidelines": round(guide, 4)}
        voice = min(1.0, max(0.0, (similarity - 0.1) / 0.45)) + min(0.1, 0.05 * len(wanted))
        scores["voice"] = max(0.0, min(1.0, voice) - 0.3 * len(avoided))
        gates["voice"] = not avoided and similarity >= float(cfg["min_voice_similarity"])
        detail["avoided_words"], detail["wanted_words"] = avoided, wanted
        for word in avoided[:3]:
            say(5, f"replace the word '{word}'", f"不用“{word}”这类词")
        if similarity < float(cfg["min_voice_similarity"]) and text.strip():
            say(
                5,
                "write in the brand's voice: plain, warm, specific",
                "用品牌的语气写：朴实、温暖、具体",
            )

        scores["claims"] = 1.0 if not blocking else 0.0
        gates["claims"] = not blocking
        detail["claim_rules"] = sorted({f.rule_id for f in blocking})

        # tone for the channel and persona
        polarity = sig.sentiment(text, brief.language)
        lo, hi = channel.tone.sentiment_min, channel.tone.sentiment_max
        distance = 0.0 if lo <= polarity <= hi else min(abs(polarity - lo), abs(polarity - hi))
        scores["sentiment"] = max(0.0, 1 - 2 * distance)
        detail["sentiment"] = {"value": polarity, "range": [lo, hi]}
        if polarity < lo:
            say(6, "make the tone warmer and more positive", "语气更积极、温暖一些")
        elif polarity > hi:
            say(6, "tone it down; less hype", "语气收一收，少些夸张")

        # readability
        scores["readability"], detail["readability"] = sig.readability(text, brief.language)
        if scores["readability"] < 0.6:
            say(7, "use shorter sentences and plainer words", "句子短一些，用词平实一些")

        weights = cfg["weights"]
        mean = sum(weights[k] * scores[k] for k in weights) / sum(weights.values())
        failed = [g for g in cfg["gates"] if not gates.get(g, True)]
        overall = max(0.0, mean - float(cfg["gate_penalty"]) * len(failed))
        scores = {k: round(v, 4) for k, v in scores.items()}
        scores["overall"] = round(overall, 4)
        approved = not failed and overall >= float(cfg["threshold"])
        ordered = [message for _, message in sorted(feedback, key=lambda item: item[0])]
        return Critique(
            scores=scores,
            gates=gates,
            approved=approved,
            feedback=ordered,
            invented=[i.text for i in invented],
            evidence=detail,
        )


ELEMENT_FEEDBACK = {
    "cta": ("add a call to action, e.g. 'Shop now'", "加一句行动引导，如“立即购买”"),
    "price": ("state the price or the offer", "写明价格或优惠"),
    "product_name": ("name the product: {name}", "提到商品名“{name}”"),
    "benefit": ("give one concrete benefit from the facts", "写出一条具体好处（用参数说话）"),
    "greeting": ("open with a greeting", "开头打个招呼"),
    "apology": ("acknowledge the customer or apologise first", "先致歉或表示理解"),
    "next_step": ("give a concrete next step", "给出具体的下一步"),
    "disclosure": (
        "put the disclosure #ad at the start, before the 'more' fold",
        "把广告标识 #广告 放在开头（不用展开就能看到）",
    ),
    "timeframe": (
        "say when the next step happens, e.g. 'within 24 hours'",
        "写明下一步的时间，如“24小时内”",
    ),
    "hashtag": ("add one to three hashtags", "加1到3个话题标签"),
}
