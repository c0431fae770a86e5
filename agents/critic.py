"""The critic: score a draft the way a brand lead would and say exactly what to fix.

Signals (each 0..1, with its evidence): facts (numbers and attributes checked against the
product), elements (what the channel requires), length, brand voice (embedding similarity to the
brand's top copy, avoided words), fluency (repetition, leftovers, language, truncation) and
sentiment fit (VADER for English, SnowNLP for Chinese).
"""

from __future__ import annotations

import re
import time
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import yaml
from langgraph.runtime import Runtime

from agents.compliance.normalize import is_cjk
from agents.context import Context
from agents.state import Brief, Candidate, Critique, StudioState
from knowledge.brand import Brand, Channel

DATA = Path(__file__).parent / "data" / "critic.yaml"
_NUMBER = re.compile(r"(?<![\w.])(\d+(?:[.,]\d+)?)(?:\s*(?:/|-|～|~|至|to)\s*(\d+(?:\.\d+)?))?")
_LEFTOVERS = re.compile(
    r"<\|im_(?:start|end)\|>|<\|endoftext\|>|^\s*(?:assistant|user|system)\s*:|\bas an ai\b|"
    r"\bhere(?:'s| is) (?:a|the|your)\b|\bproduct description:|\bfacts?:",
    re.IGNORECASE | re.MULTILINE,
)
_SENTENCE_END = re.compile(r"[.!?。！？…)\]」』\"'”’~～]$|[#\w\u4e00-\u9fff]+$")
_EMOJI = re.compile("[\U0001f300-\U0001faff\u2600-\u27bf]")
_HASHTAG = re.compile(r"#[\w\u4e00-\u9fff]+")


@lru_cache(maxsize=1)
def critic_config() -> dict[str, Any]:
    return yaml.safe_load(DATA.read_text(encoding="utf-8"))


def channel_config(channel: str) -> dict[str, Any]:
    config = critic_config()
    merged = dict(config["default"])
    merged.update(config.get("channels", {}).get(channel, {}))
    return merged


def count_length(text: str, unit: str) -> int:
    """Count Chinese by characters (CJK and alphanumerics), English by words."""
    if unit == "chars":
        return sum(1 for c in text if is_cjk(c) or c.isalnum())
    return len(re.findall(r"[A-Za-z0-9][\w'’\-/.]*", text))


def cjk_ratio(text: str) -> float:
    letters = [c for c in text if c.isalpha()]
    return sum(1 for c in letters if is_cjk(c)) / len(letters) if letters else 0.0


def _canonical_number(raw: str) -> str:
    value = raw.replace(",", "")
    if "." in value:
        value = value.rstrip("0").rstrip(".")
    return value.lstrip("0") or "0"


def _numbers(text: str) -> set[str]:
    return {_canonical_number(g) for m in _NUMBER.finditer(text) for g in m.groups() if g}


def allowed_numbers(brief: Brief, evidence: dict[str, str] | None = None) -> set[str]:
    source = " ".join(brief.key_facts) + " " + brief.product_name
    source += " " + " ".join((evidence or {}).values())
    return _numbers(source)


def find_invented(text: str, brief: Brief, evidence: dict[str, str] | None = None) -> list[str]:
    """List numbers and attributes in ``text`` that the product facts do not support."""
    allowed = allowed_numbers(brief, evidence)
    invented = []
    for m in _NUMBER.finditer(text):
        values = [_canonical_number(g) for g in m.groups() if g]
        if any(v not in allowed for v in values):
            end = m.end()
            unit = re.match(r"\s*(?:%|°[cCfF]?|℃|[a-zA-Z]+|[\u4e00-\u9fff]{1,3})", text[end:])
            invented.append(text[m.start() : end + (unit.end() if unit else 0)].strip())
    facts = (" ".join(brief.key_facts) + " " + brief.product_name).lower()
    lowered = text.lower()
    for term in critic_config()["attributes"][brief.language] + (
        critic_config()["attributes"]["en"] if brief.language == "zh" else []
    ):
        term = str(term).lower()
        if term.isascii():
            hit = re.search(rf"(?<![a-z]){re.escape(term)}(?![a-z])", lowered)
        else:
            hit = term in lowered  # type: ignore[assignment]
        if hit and term not in facts:
            invented.append(term)
    return list(dict.fromkeys(invented))


_STOP = {"with", "from", "that", "this", "your", "have", "made", "each", "into", "only", "about"}


def fact_cues(brief: Brief) -> list[set[str]]:
    """For each key fact, the numbers and words whose presence means the copy states it."""
    cues = []
    for line in brief.key_facts:
        key, _, value = line.partition(":")
        value = value.strip().lower()
        found = set(_numbers(value)) - {"0"}
        found |= {w for w in re.findall(r"[a-z][a-z\-/]{3,}", value) if w not in _STOP}
        found |= {
            value[i : i + 2]
            for i in range(len(value) - 1)
            if is_cjk(value[i]) and is_cjk(value[i + 1])
        }
        if value in ("yes", "true"):
            found |= {w for w in re.findall(r"[a-z]{4,}", key.lower()) if w not in _STOP}
        cues.append(found)
    return cues


def facts_stated(text: str, brief: Brief) -> list[int]:
    """Indexes of the brief's key facts that ``text`` states."""
    lowered = text.lower()
    numbers = _numbers(lowered)
    stated = []
    for index, cues in enumerate(fact_cues(brief)):
        if any((c in numbers) if c[0].isdigit() else (c in lowered) for c in cues if c):
            stated.append(index)
    return stated


def grounded_share(text: str, brief: Brief, brand: Brand) -> float:
    """Share of content sentences (not a bare call to action) that name the product or a fact."""
    floor = 8 if brief.length_unit == "chars" else 4
    sentences = [s for s in split_sentences(text) if count_length(s, brief.length_unit) >= floor]
    if not sentences:
        return 0.0
    grounded = sum(
        1
        for s in sentences
        if facts_stated(s, brief) or name_mentioned(s, brief.product_name, brand)
    )
    return grounded / len(sentences)


def split_sentences(text: str) -> list[str]:
    parts = re.split(r"(?<=[.!?。！？])\s*", text.strip())
    return [p.strip() for p in parts if p.strip()]


def element_present(element: str, text: str, brief: Brief, brand: Brand, channel: Channel) -> bool:
    lowered = text.lower()
    if element == "product_name":
        return name_mentioned(text, brief.product_name, brand)
    if element == "hashtag":
        return len(_HASHTAG.findall(text)) >= max(channel.hashtags.min, 1)
    if element == "benefit":
        facts = " ".join(brief.key_facts).lower()
        return (
            bool(_numbers(text) & _numbers(facts))
            or any(len(w) > 3 and w in lowered for w in re.findall(r"[a-z][a-z\-]+", facts))
            or any(
                chunk in text
                for f in brief.key_facts
                for chunk in re.findall(r"[\u4e00-\u9fff]{2,}", f)
            )
        )
    cues = brand.element_cues.get(element, {}).get(brief.language, [])
    cues = cues + (
        brand.element_cues.get(element, {}).get("en", []) if brief.language == "zh" else []
    )
    return any(_cue_in(lowered, cue) for cue in cues)


def _cue_in(text: str, cue: str) -> bool:
    if cue.isascii() and cue[:1].isalnum():
        return re.search(rf"(?<![a-z0-9]){re.escape(cue)}", text) is not None
    return cue in text


def name_mentioned(text: str, name: str, brand: Brand) -> bool:
    brand_names = {brand.guidelines.brand_name("en").lower(), brand.guidelines.brand_name("zh")}
    lowered = text.lower()
    words = [w for w in re.findall(r"[a-z]{3,}", name.lower()) if w not in brand_names]
    if words and sum(w in lowered for w in words) >= max(1, (len(words) + 1) // 2):
        return True
    core = re.sub("|".join(re.escape(b) for b in brand_names if b), "", name)
    chunks = re.findall(r"[\u4e00-\u9fff]{2,}", core)
    return any(chunk[-2:] in text for chunk in chunks)


def repetition_ratio(text: str, language: str) -> float:
    tokens = list(re.sub(r"\s", "", text)) if language == "zh" else re.findall(r"\w+", text.lower())
    n = 4 if language == "zh" else 3
    grams = [tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1)]
    if not grams:
        return 0.0
    counts = Counter(grams)
    repeated = sum(c - 1 for c in counts.values() if c > 1)
    return repeated / len(grams)


@lru_cache(maxsize=1)
def _vader() -> Any:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def sentiment(text: str, language: str) -> float:
    """Return sentiment on -1..1 (VADER compound for English, SnowNLP mapped for Chinese)."""
    if not text.strip():
        return 0.0
    if language == "zh":
        from snownlp import SnowNLP

        return round(2 * float(SnowNLP(text).sentiments) - 1, 4)
    return round(float(_vader().polarity_scores(text)["compound"]), 4)


@dataclass
class Scored:
    critique: Critique
    overall: float


class Critic:
    """Score copy against a brief; holds nothing but references to loaded resources."""

    def __init__(self, brand: Brand, embedder: Any, retriever: Any) -> None:
        self.brand, self.embedder, self.retriever = brand, embedder, retriever
        self._centroids: dict[tuple[str, str], np.ndarray | None] = {}

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

    def score(
        self,
        text: str,
        brief: Brief,
        evidence: dict[str, str] | None = None,
        vector: np.ndarray | None = None,
    ) -> Critique:
        channel = self.brand.channel(brief.channel)
        config = channel_config(brief.channel)
        scores: dict[str, float] = {}
        gates: dict[str, bool] = {}
        feedback: list[tuple[int, str]] = []
        zh = brief.language == "zh"
        detail: dict[str, Any] = {}

        invented = find_invented(text, brief, evidence)
        scores["facts"] = 1.0 if not invented else max(0.0, 0.5 - 0.15 * len(invented))
        gates["facts"] = not invented
        for claim in invented[:5]:
            feedback.append(
                (
                    0,
                    (
                        f"删除“{claim}”——商品参数里没有这一项"
                        if zh
                        else f"remove the claim '{claim}' — not in the product facts"
                    ),
                )
            )

        stated = facts_stated(text, brief)
        share = grounded_share(text, brief, self.brand)
        min_facts = min(int(config["min_facts"]), len(brief.key_facts))
        scores["grounding"] = 0.5 * min(1.0, len(stated) / max(min_facts, 1)) + 0.5 * share
        gates["grounding"] = len(stated) >= min_facts and share >= float(config["min_grounded"])
        detail["facts_stated"] = [brief.key_facts[i] for i in stated]
        detail["grounded_share"] = round(share, 3)
        if len(stated) < min_facts:
            missing_facts = [f for i, f in enumerate(brief.key_facts) if i not in stated][:3]
            feedback.append(
                (
                    1,
                    (
                        f"写出更多商品参数，例如：{'；'.join(missing_facts)}"
                        if zh
                        else f"state more product facts, e.g. {'; '.join(missing_facts)}"
                    ),
                )
            )
        if share < float(config["min_grounded"]):
            feedback.append(
                (
                    1,
                    "每句话都要围绕商品和参数"
                    if zh
                    else "keep every sentence about the product and its facts",
                )
            )

        ratio = cjk_ratio(text)
        gates["language"] = ratio >= 0.5 if zh else ratio <= 0.1
        if not gates["language"]:
            feedback.append((1, "全文用中文写" if zh else "write the whole copy in English"))

        length = count_length(text, brief.length_unit)
        low, high = brief.length_min, brief.length_max
        tolerance = float(config["length_tolerance"])
        if low <= length <= high:
            scores["length"] = 1.0
        else:
            target = low if length < low else high
            scores["length"] = max(0.0, 1 - abs(length - target) / max(target, 1))
        gates["length"] = low * (1 - tolerance) <= length <= high * (1 + tolerance)
        unit_zh = "字" if brief.length_unit == "chars" else "个词"
        if length > high:
            feedback.append(
                (
                    2,
                    f"缩短到{high}{unit_zh}以内"
                    if zh
                    else f"shorten to at most {high} {brief.length_unit}",
                )
            )
        elif length < low:
            feedback.append(
                (
                    2,
                    f"扩写到至少{low}{unit_zh}"
                    if zh
                    else f"lengthen to at least {low} {brief.length_unit}",
                )
            )
        detail["length"] = {"count": length, "min": low, "max": high, "unit": brief.length_unit}

        missing = [
            e
            for e in brief.must_include
            if not element_present(e, text, brief, self.brand, channel)
        ]
        scores["elements"] = 1 - len(missing) / max(len(brief.must_include), 1)
        gates["elements"] = not missing
        for element in missing:
            feedback.append((3, _element_feedback(element, brief)))
        hashtags, emoji = len(_HASHTAG.findall(text)), len(_EMOJI.findall(text))
        if hashtags > channel.hashtags.max or emoji > channel.emoji.max:
            gates["elements"] = False
            scores["elements"] = max(0.0, scores["elements"] - 0.3)
            feedback.append(
                (
                    3,
                    (
                        f"话题标签最多{channel.hashtags.max}个、表情最多{channel.emoji.max}个"
                        if zh
                        else f"use at most {channel.hashtags.max} hashtags and "
                        f"{channel.emoji.max} emoji"
                    ),
                )
            )

        repeated = repetition_ratio(text, brief.language)
        leftovers = [m.group(0) for m in _LEFTOVERS.finditer(text)]
        truncated = bool(text.strip()) and not _SENTENCE_END.search(text.strip())
        fluency = (
            1.0 - min(repeated * 2, 0.6) - (0.4 if leftovers else 0) - (0.2 if truncated else 0)
        )
        scores["fluency"] = max(0.0, fluency)
        gates["fluency"] = (
            repeated < 0.15 and not leftovers and not truncated and bool(text.strip())
        )
        if repeated >= 0.15:
            feedback.append((4, "不要重复同样的词句" if zh else "stop repeating the same phrases"))
        if leftovers:
            feedback.append(
                (
                    4,
                    (
                        f"删掉多余的“{leftovers[0]}”"
                        if zh
                        else f"remove the leftover text '{leftovers[0].strip()}'"
                    ),
                )
            )
        if truncated:
            feedback.append((4, "把最后一句写完整" if zh else "finish the last sentence"))

        avoided = [w for w in brief.must_avoid if w and _cue_in(text.lower(), w.lower())]
        voice = 0.5
        centroid = self._centroid(brief.channel, brief.language)
        if centroid is not None and text.strip():
            vec = vector if vector is not None else self.embedder.encode([text])[0]
            similarity = float(np.dot(vec, centroid))
            detail["voice_similarity"] = round(similarity, 4)
            voice = min(1.0, max(0.0, (similarity - 0.2) / 0.45))
        scores["voice"] = max(0.0, voice - 0.25 * len(avoided))
        for word in avoided[:3]:
            feedback.append((5, f"不用“{word}”这类词" if zh else f"replace the word '{word}'"))

        polarity = sentiment(text, brief.language)
        lo, hi = channel.tone.sentiment_min, channel.tone.sentiment_max
        distance = 0.0 if lo <= polarity <= hi else min(abs(polarity - lo), abs(polarity - hi))
        scores["sentiment"] = max(0.0, 1 - 2 * distance)
        detail["sentiment"] = polarity
        if polarity < lo:
            feedback.append(
                (6, "语气更积极、温暖一些" if zh else "make the tone warmer and more positive")
            )
        elif polarity > hi:
            feedback.append((6, "语气收一收，少些夸张" if zh else "tone it down; less hype"))

        weights = config["weights"]
        overall = sum(weights[k] * scores[k] for k in weights) / sum(weights.values())
        scores["overall"] = round(overall, 4)
        scores = {k: round(v, 4) for k, v in scores.items()}
        approved = (
            all(gates.get(g, True) for g in config["gates"]) and overall >= config["threshold"]
        )
        ordered = [message for _, message in sorted(feedback, key=lambda item: item[0])]
        return Critique(
            scores=scores,
            gates=gates,
            approved=approved,
            feedback=ordered,
            invented=invented,
            evidence=detail,
        )


def _element_feedback(element: str, brief: Brief) -> str:
    zh = brief.language == "zh"
    messages = {
        "cta": ("加一句行动引导，如“立即购买”", "add a call to action, e.g. 'Shop now'"),
        "price": ("写明价格或优惠", "state the price or the offer"),
        "product_name": (
            f"提到商品名“{brief.product_name}”",
            f"name the product: {brief.product_name}",
        ),
        "benefit": ("写出一条具体好处（用参数说话）", "give one concrete benefit from the facts"),
        "greeting": ("开头打个招呼", "open with a greeting"),
        "apology": ("先致歉或表示理解", "acknowledge the customer or apologise first"),
        "next_step": ("给出具体的下一步", "give a concrete next step"),
        "disclosure": ("加上广告标识 #广告", "add the disclosure #ad"),
        "hashtag": ("加1到3个话题标签", "add one to three hashtags"),
    }
    zh_text, en_text = messages.get(element, (f"加上{element}", f"add the {element}"))
    return zh_text if zh else en_text


def rank_key(candidate: Candidate) -> tuple[int, int, int, int, float]:
    """Sort key: approved and clean first; never a reintroduced violation; then the critic.

    Among drafts that are not both, a well-written draft with a flagged span beats a compliant
    draft the critic rejects: if rounds run out, a legal reviewer can clear one phrase.
    """
    clean = candidate.blocking_findings == 0
    return (
        int(candidate.approved and clean and not candidate.reintroduced),
        -len(candidate.reintroduced),
        int(candidate.approved),
        -candidate.blocking_findings,
        candidate.overall,
    )


def critique_draft(state: StudioState, runtime: Runtime[Context]) -> dict[str, Any]:
    """Score every candidate, keep the best one, and say what to fix."""
    started = time.perf_counter()
    ctx = runtime.context
    brief = Brief.model_validate(state["brief"])
    evidence = (state.get("product") or {}).get("evidence") or {}
    critic = ctx.critic
    candidates = [Candidate.model_validate(c) for c in state.get("candidates", [])]
    fixed = fixed_rule_ids(state.get("drafts", []))
    texts = [c.text for c in candidates]
    vectors = ctx.embedder.encode(texts) if texts else []
    critiques = []
    for candidate, vector in zip(candidates, vectors, strict=True):
        critique = critic.score(candidate.text, brief, evidence, vector=vector)
        result = ctx.checker.check(candidate.text, brief.category, evidence, brief.jurisdictions)
        candidate.overall = critique.scores["overall"]
        candidate.approved = critique.approved
        candidate.language_ok = critique.gates["language"] and critique.gates["fluency"]
        candidate.blocking_findings = sum(1 for f in result.findings if f.blocking)
        candidate.reintroduced = sorted({f.rule_id for f in result.findings} & fixed)
        critiques.append(critique)
    if not candidates:
        empty = Critique(
            scores={"overall": 0.0},
            gates={"generated": False},
            approved=False,
            feedback=["write the copy"],
        )
        return {
            "draft": "",
            "critique": empty.model_dump(),
            "timings": {"critique_draft": time.perf_counter() - started},
        }
    best = max(range(len(candidates)), key=lambda i: rank_key(candidates[i]))
    return {
        "draft": candidates[best].text,
        "draft_source": candidates[best].source,
        "candidates": [c.model_dump() for c in candidates],
        "critique": critiques[best].model_dump(),
        "timings": {"critique_draft": time.perf_counter() - started},
    }


def fixed_rule_ids(drafts: list[dict[str, Any]]) -> set[str]:
    """Rule ids that fired on an earlier draft and were absent from a later one."""
    fixed: set[str] = set()
    seen: set[str] = set()
    for draft in drafts:
        current = {f["rule_id"] for f in (draft.get("compliance") or {}).get("findings", [])}
        fixed |= seen - current
        seen |= current
    return fixed
