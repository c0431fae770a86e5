"""The critic's signals as pure functions of (text, brief, ...), each with its evidence.

Ranges: every ``*_score`` is 0..1; sentiment is -1..1; counts are counts.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from agents.compliance.normalize import is_cjk
from agents.state import Brief
from knowledge.brand import Brand, Channel

DATA = Path(__file__).resolve().parents[1] / "data" / "critic.yaml"
_NUMBER = re.compile(r"(?:(?<![A-Za-z0-9.])|(?<=SPF)|(?<=spf))(\d+(?:[.,]\d+)*)")
_UNIT = re.compile(
    r"\s*(?:-\s*)?(fl\.?\s*oz|克/平方米|%|°\s*[cf]?|℃|[a-zA-Z²]+(?:/[a-zA-Z0-9²]+)*|[\u4e00-\u9fff]{1,3})",
    re.IGNORECASE,
)
_EMOJI = re.compile("[\U0001f300-\U0001faff\u2600-\u27bf]")
_HASHTAG = re.compile(r"#[\w\u4e00-\u9fff]+")
_ACRONYM = re.compile(r"(?<![A-Za-z0-9])([A-Z][A-Z0-9]*(?:[-+][A-Z0-9+]+)*[A-Z0-9+])(?![a-z])")
_CAMEL = re.compile(r"(?<![\w#@])(?:[a-z]+[A-Z]|[A-Z][a-z]+[A-Z])[A-Za-z0-9]*(?![\w])")
_SHOUTING = re.compile(r"(?<![A-Za-z])[A-Z]{3,}(?![a-z])")
_LEFTOVERS = re.compile(
    # chat-template tokens of any model family: <|assistant|>, <|eot_id|>, </s>, [INST]
    r"<\|[a-z_]+\|>|\[/?inst\]|<(?:start|end)_of_turn>|"
    r"^\s*(?:assistant|user|system)\s*:|\bas an ai\b|"
    r"\bhere(?:'s| is) (?:a|the|your)\b|\bproduct description\s*:|\bfacts?\s*:|^\s*sure[!,.]|"
    # unfilled placeholders: [Customer Name], [顾客姓名], {name}, （此处填写推荐理由）
    r"\[\s*(?:(?:customer|product|first|your|shop)[ _]?)?(?:name|link|url|price)\s*\]"
    r"|\[\s*(?:顾客|客户|商品|产品)?(?:姓名|名字|名称|链接|价格)\s*\]|\{\{?\s*[a-z_]{2,20}\s*\}\}?|"
    r"[（(]\s*(?:(?:此处|这里)(?:填写|插入|添加)|填写|插入|insert|fill in)[^）)\n]{0,20}[）)]|"
    r"以下是[^。\n]{0,6}(?:文案|消息|回复|描述|推荐语|帖子)[：:]",
    re.IGNORECASE | re.MULTILINE,
)
_SENTENCE_END = re.compile(r"[.!?。！？…)\]」』\"'”’~～]$|[#\w\u4e00-\u9fff]+$")
_NEGATION_EN = re.compile(
    # up to three words, not across "and"/"but" ("it won't rust and is dishwasher safe")
    r"(?:\bnot\b|\bcannot\b(?! (?:beat|go wrong|wait|resist|believe|get enough|miss))"
    r"|n't\b|\bno\b|\bnon-?|\bwithout\b|\bfree of\b|\bisn't\b)"
    r"[^\w,;]*(?:(?!(?:and|but|or|yet)\b)\w+[^\w,;]+){0,3}$"
)
_NEGATION_ZH = re.compile(r"(?:不(?!怕)|非|无|没有|不是|并非)[\u4e00-\u9fff]{0,3}$")


_CJK = re.compile(r"[\u4e00-\u9fff]")


@lru_cache(maxsize=1)
def config() -> dict[str, Any]:
    return yaml.safe_load(DATA.read_text(encoding="utf-8"))


def channel_config(channel: str) -> dict[str, Any]:
    merged = dict(config()["default"])
    merged.update(config().get("channels", {}).get(channel, {}))
    return merged


# ---- counting -------------------------------------------------------------------------------


def count_length(text: str, unit: str) -> int:
    """Count Chinese by characters (CJK and alphanumerics), English by words."""
    if unit == "chars":
        return sum(1 for c in text if is_cjk(c) or c.isalnum())
    return len(re.findall(r"[A-Za-z0-9][\w'’\-/.]*", text))


def cjk_ratio(text: str) -> float:
    letters = [c for c in text if c.isalpha()]
    return sum(1 for c in letters if is_cjk(c)) / len(letters) if letters else 0.0


def split_sentences(text: str) -> list[str]:
    # a point between digits ("2.4 kg") or inside a word ("fl.oz") ends no sentence
    parts = re.split(r"(?<=[!?。！？])\s*|(?<=\.)(?![\dA-Za-z])\s*", text.strip())
    return [p.strip() for p in parts if p.strip()]


# ---- facts ----------------------------------------------------------------------------------


def canonical_number(raw: str) -> str:
    value = raw.replace(",", "")
    if "." in value:
        value = value.rstrip("0").rstrip(".")
    return value.lstrip("0") or "0"


@lru_cache(maxsize=512)
def canonical_unit(raw: str) -> str:
    unit = raw.strip().lower().replace(" ", "").lstrip("-")
    for canonical, variants in config()["units"].items():
        if unit in variants or unit == canonical:
            return canonical
    return ""


@dataclass(frozen=True)
class Quantity:
    value: str
    unit: str
    start: int
    end: int
    text: str


@lru_cache(maxsize=1)
def vocabulary() -> dict[str, list[str]]:
    """Materials, certifications and features: canonical name -> every spelling, canonical
    first, lowercased."""
    merged = {**config()["attributes"], **config()["features"]}
    return {name: [f.lower() for f in (name, *forms)] for name, forms in merged.items()}


@lru_cache(maxsize=1)
def _en_number() -> re.Pattern[str]:
    words = "|".join(config()["number_words_en"])
    return re.compile(rf"\b({words})\b(?=[\s-]+[a-z])", re.IGNORECASE)


_ZH_NUMBER = re.compile(r"[零一二两三四五六七八九十百千万]+(?=[\u4e00-\u9fff])")
_ZH_PERCENT = re.compile(r"百分之([零一二两三四五六七八九十百]+|\d+(?:\.\d+)?)")
_WAN = re.compile(r"\s*(万|亿|billion\b|bn\b|million\b)", re.IGNORECASE)
_SCALE = {"万": 1e4, "亿": 1e8, "billion": 1e9, "bn": 1e9, "million": 1e6}
_SPF = re.compile(r"spf\s*(?:值)?\s*(?:高达|达到|达|up to|of)?\s*$", re.IGNORECASE)
_BELOW_ZERO = re.compile(
    r"(?:零下|负|\bminus\s+|(?:^|(?<=[\s(:：，,至到~～\u4e00-\u9fff]))[-−])$", re.IGNORECASE
)
_RANGE = re.compile(
    r"\s*(?:-|–|~|～|to|至|到|(?:×|x|\*)\s*[\u4e00-\u9fff]{0,3})\s*$", re.IGNORECASE
)


def zh_numeral(token: str) -> int | None:
    """Parse a Chinese numeral such as 二十四, 两 or 一万二千; None if it is not one."""
    digits = config()["zh_digits"]
    total, section, current = 0, 0, 0
    for ch in token:
        if ch in digits:
            current = digits[ch]
        elif ch in "十百千":
            section += (current or 1) * {"十": 10, "百": 100, "千": 1000}[ch]
            current = 0
        elif ch == "万":
            total += ((section + current) or 1) * 10000
            section, current = 0, 0
        else:
            return None
    return total + section + current


def _warranty_term(text: str, unit: str, end: int) -> bool:
    """A number word with years or months before a warranty word ("one-year warranty",
    "三年质保") states a term to check; "three months in" only narrates."""
    if unit not in ("year", "month"):
        return False
    after = text[end : end + 12].lower().lstrip(" -")
    return any(after.startswith(w) for w in config()["warranty_words"])


_SYSTEM = re.compile(r"\s*(?:US|U\.S\.|UK|imperial)\s+(?=[a-z])")
_LASTING = re.compile(
    r"(?:\blast(?:s|ing)?(?:\s+for)?|\bgood for|够用|能用|可以用|可用)\s*"
    r"(?:about|around|roughly|up to|nearly|约|大约|差不多)?\s*$",
    re.IGNORECASE,
)


def _lasting(text: str, unit: str, start: int) -> bool:
    """A number word with a duration after "lasts" ("one tube lasts about six months",
    "一罐够用两个月") states how long the product lasts, a claim to check."""
    return unit in ("day", "week", "month", "year") and bool(
        _LASTING.search(text[max(0, start - 24) : start])
    )


@lru_cache(maxsize=1)
def _counted_parts() -> tuple[re.Pattern[str], re.Pattern[str]]:
    parts = config()["counted_parts"]
    return re.compile(parts["en"], re.IGNORECASE), re.compile(parts["zh"])


def _counted(text: str, start: int, end: int) -> bool:
    """A number word that counts the product's parts ("six microphones", "六个麦克风") or the
    coats it was made with ("pre-seasoned with three coats of oil"; not the care advice "give it
    two coats of oil")."""
    en, zh = _counted_parts()
    return bool(
        en.match(text, end)
        or zh.match(text, end)
        or (_COATS.match(text, end) and _MADE_WITH.search(text[max(0, start - 30) : start]))
    )


_COATS = re.compile(r"(?i)\s+(?:[a-z-]+\s+)?(?:coats?|layers?) of\b")
_MADE_WITH = re.compile(
    r"(?i)\b(?:pre-?seasoned|seasoned|finished|glazed|coated|treated|lacquered|sealed)"
    r"(?: with| in)?\s+$"
)


# Chinese tenths: 九成 is 90 %, 九成五 is 95 % (not 九成新 "nine-tenths new", 一成不变, 八成是
# "probably", 成功, 成本 …; 九成五星好评 is 90 % five-star)
_ZH_TENTHS = re.compile(
    r"(?<![一二三四五六七八九十百千万\d])([一二三四五六七八九])成"
    r"([一二三四五六七八九](?![星天年个次]))?"
    r"(?![功本人为型分品交长就熟色年员果新衣套不是会左把以都])"
)


def _unit_at(text: str, end: int) -> tuple[str, int]:
    """The canonical unit right after position ``end`` and where it ends ("", end if none)."""
    match = _UNIT.match(text, end)
    if not match:
        return "", end
    raw = match.group(1)
    unit = canonical_unit(raw)
    if not unit and len(raw) > 1 and is_cjk(raw[0]):
        for size in range(
            len(raw) - 1, 0, -1
        ):  # "年质保" -> 年, "块钱" -> 块, "勒克斯照" -> 勒克斯
            unit = canonical_unit(raw[:size])
            if unit:
                return unit, match.end() - (len(raw) - size)
        return "", end
    return (unit, match.end()) if unit else ("", end)


@lru_cache(maxsize=1)
def _noun_unit_patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    tail = r")\s*(?:[:：]|is|of|约|为|达)?\s*$"
    return tuple(
        (str(unit), re.compile("(?:" + "|".join(re.escape(n) for n in nouns) + tail))
        for unit, nouns in config()["noun_units"].items()
    )


def _noun_unit(before: str) -> str:
    """The unit a noun right before a bare number implies ("蓬松度712" -> fill), or ""."""
    lowered = before.lower()
    return next((unit for unit, pattern in _noun_unit_patterns() if pattern.search(lowered)), "")


def quantities(text: str) -> list[Quantity]:
    """Numbers in ``text`` (digits, English number words, Chinese numerals) with their units.

    "1.5万" is 15000 and "百分之九十" is 90 %; in a range ("20-30 hours", "0-3个月") the first
    number takes the unit of the second.
    """
    spans: list[tuple[int, int, str, str]] = []
    for m in _NUMBER.finditer(text):
        value, end = canonical_number(m.group(1)), m.end()
        wan = _WAN.match(text, end)
        if wan:  # "1.5万", "100亿", "10 billion"
            scale = _SCALE[wan.group(1).lower()]
            value = canonical_number(f"{float(value.replace(',', '')) * scale:.2f}")
            end = wan.end()
        spans.append((m.start(), end, value, ""))
    spans += [
        (m.start(), m.end(), str(config()["number_words_en"][m.group(1).lower()]), "")
        for m in _en_number().finditer(text)
    ]
    for m in _ZH_NUMBER.finditer(text):
        if m.group(0) in ("千", "百") and text[m.end() : m.end() + 1] in ("克", "米", "瓦", "卡"):
            continue  # 千克 is a kilogram, not a thousand grams
        parsed = zh_numeral(m.group(0))
        if parsed is not None:
            spans.append((m.start(), m.end(), str(parsed), ""))
    for m in _ZH_TENTHS.finditer(text):
        tenths = zh_numeral(m.group(1))
        extra = (zh_numeral(m.group(2)) or 0) if m.group(2) else 0
        if tenths is not None:
            spans.append((m.start(), m.end(), str(tenths * 10 + extra), "pct"))
    for m in _ZH_PERCENT.finditer(text):
        raw = m.group(1)
        value = canonical_number(raw) if raw[0].isdigit() else str(zh_numeral(raw))
        spans.append((m.start(), m.end(), value, "pct"))
    spans = [s for s in spans if not any(o[0] < s[0] < o[1] for o in spans)]  # 百分之[九十]
    measures = set(config()["measure_units"])
    found: list[Quantity] = []
    for start, number_end, value, fixed in sorted(spans):
        unit, end = (fixed, number_end) if fixed else _unit_at(text, number_end)
        qualified = None if unit else _SYSTEM.match(text, number_end)
        if qualified:  # "4.4 US quarts", "17 UK fl oz"
            unit, end = _unit_at(text, qualified.end())
            end = end if unit else number_end
        if not text[start].isdigit() and (
            (
                unit not in measures
                and not _warranty_term(text, unit, end)
                and not _lasting(text, unit, start)
                and not _counted(text, start, number_end)
            )
            or text[number_end:end].strip().lower() == "in"
        ):
            # number words count only with a measurement unit ("二十四小时", "two litres");
            # "one in slate" is a colour, not an inch
            continue
        if unit == "inch" and re.match(
            r"\s*in\s+(?!across|wide|long|tall|high|deep|thick|diameter)[a-z]",
            text[number_end : end + 12],
        ):
            unit, end = "", number_end  # "80 to 110 in natural": the word "in", not inches
        sign = _CURRENCY_SIGN.search(text[max(0, start - 2) : start])
        if not unit and sign:  # "$20", "¥159": money, not a bare 20 that "n=20" supports
            unit = _SIGN_UNITS.get(sign.group(0).strip(), "")
        if not unit:  # "蓬松度712": the noun names the unit
            unit = _noun_unit(text[max(0, start - 16) : start])
        if not unit and _SPF.search(text[max(0, start - 10) : start]):
            unit = "spf"  # "SPF值高达50" is a sun-protection factor, not a bare 50
        if unit in ("c", "f") and _BELOW_ZERO.search(text[max(0, start - 8) : start]):
            value = canonical_number(f"-{value}")  # "零下20℃", "-20 °C", "minus 10 degrees"
        found.append(Quantity(value, unit, start, end, text[start:end]))
    for index in range(len(found) - 2, -1, -1):  # right to left: "38 × 30 × 12 cm"
        q, following = found[index], found[index + 1]
        if not q.unit and following.unit and _RANGE.match(text[q.end : following.start]):
            found[index] = Quantity(q.value, following.unit, q.start, q.end, q.text)
    return found


@dataclass(frozen=True)
class FactSheet:
    """What the product facts, name, price and evidence support."""

    text: str  # lowercased
    numbers: frozenset[str]
    pairs: frozenset[tuple[str, str]]
    lines: tuple[tuple[str, frozenset[tuple[str, str]]], ...] = ()  # (line, its pairs)

    @property
    def compact(self) -> str:
        """The facts without whitespace: "RG0 无危害类" supports "RG0无危害类"."""
        return re.sub(r"\s+", "", self.text)


def fact_sheet(brief: Brief, evidence: dict[str, str] | None = None) -> FactSheet:
    lines = list(brief.reference_facts or brief.key_facts) + [brief.product_name]
    lines += [str(v) for v in (evidence or {}).values()]
    numbers: set[str] = set()
    pairs: set[tuple[str, str]] = set()
    by_line: list[tuple[str, frozenset[tuple[str, str]]]] = []
    key_units = config()["key_units"]
    for line in lines:
        key, _, value = line.rpartition(":") if ":" in line else ("", "", line)
        implied = next(
            (
                u
                for suffix, u in key_units.items()
                if key.strip().lower().replace(" ", "_").endswith(suffix)
            ),
            "",
        )
        line_pairs = {(q.value, q.unit or implied) for q in quantities(line)}
        numbers |= {value for value, _ in line_pairs}
        pairs |= line_pairs
        by_line.append((line.lower(), frozenset(line_pairs)))
    # the offer the user asked for ("618满300减40", "20% off until Sunday") supports its own
    # numbers, and nothing else of the request: asking for "waterproof" does not make it so
    offer = {(q.value, q.unit) for q in quantities(brief.request)} if brief.request else set()
    numbers |= {value for value, _ in offer}
    pairs |= offer
    return FactSheet(
        " ".join(lines).lower(),
        frozenset(numbers),
        frozenset(pairs),
        tuple(by_line),
    )


@dataclass(frozen=True)
class Invented:
    text: str
    start: int
    end: int
    kind: str  # number | attribute | claim | certification


def _sentence_around(text: str, start: int, end: int) -> tuple[str, str]:
    """The part of the sentence holding ``text[start:end]`` before and after it, lowercased."""
    lowered = text.lower()
    head = max(lowered.rfind(c, 0, start) for c in ".!?。！？\n") + 1
    tails = [i for i in (lowered.find(c, end) for c in ".!?。！？\n") if i >= 0]
    return lowered[head:start], lowered[end : min(tails, default=len(lowered))]


@lru_cache(maxsize=1)
def _dates() -> re.Pattern[str]:
    return re.compile("|".join(config()["date_patterns"]), re.IGNORECASE)


@lru_cache(maxsize=1)
def _not_product() -> re.Pattern[str]:
    return re.compile("|".join(config()["not_product_numbers"]), re.IGNORECASE)


def _in_hashtag(text: str, start: int) -> bool:
    """True when ``start`` lies inside a hashtag: "#EDC" and "#wireless" tag a topic."""
    return any(h.start() <= start < h.end() for h in _HASHTAG.finditer(text))


def _exempt_number(text: str, q: Quantity, channel: str) -> bool:
    """Numbers that are not product claims: times of day, service promises, hashtags."""
    lowered = text.lower()
    after = lowered[q.end : q.end + 16]
    from_number = lowered[q.start : q.start + 24]
    before = lowered[max(0, q.start - 14) : q.start]
    if before.endswith("#"):
        return True  # "#1" is a ranking claim: the compliance checker owns it
    if re.match(r"\s*(?:a\.?m\.?|p\.?m\.?|点|:\d\d)", after) or re.search(
        r"(?:上午|下午|晚上)$", before
    ):
        return True
    if any(d.start() <= q.start < d.end() for d in _dates().finditer(text)):
        return True  # "9月15日止", "until 31 October": an offer's dates, not a product claim
    if any(u.start() <= q.start < u.end() for u in _not_product().finditer(text)):
        return True  # "倒计时10分钟", "22 km", "深蹲5组": a countdown, the writer's workout
    service = config()["service_numbers"]
    if _policy().match(lowered, q.end):
        # a return window is a policy claim, checked like a spec unless the law gives it
        return q.unit == "day" and float(q.value) == service["statutory_days"]
    if channel not in service["channels"]:
        return False
    if any(p in from_number for p in service["after"]):
        return True
    # "within 2 business days", "24小时内", "退您20元": a time or an amount of money;
    # "缩水率控制在1%以内" is a product claim whatever the sentence says about service
    service_unit = q.unit in ("hour", "minute", "day", "week", "month", "usd", "cny") or not q.unit
    scoped = service_unit and (
        any(before.rstrip().endswith(p) for p in service["before"])
        or any(p in from_number for p in service["within_after"])
    )
    head, tail = _sentence_around(text, q.start, q.end)
    return scoped and any(cue_in(head + " " + tail, c) for c in service["context"])


@lru_cache(maxsize=1)
def _other_objects() -> re.Pattern[str]:
    """Things copy may name beside the product (critic.yaml `other_objects`), longest first."""
    things = sorted((t.lower() for t in config()["other_objects"]), key=len, reverse=True)
    return re.compile("|".join(re.escape(t) for t in things))


@lru_cache(maxsize=1)
def _policy() -> re.Pattern[str]:
    """What follows a return window's number and unit: "无理由退换", " return", " to return"."""
    phrases = "|".join(re.escape(p) for p in config()["service_numbers"]["policy_after"])
    return re.compile(rf"\s*(?:内)?(?:{phrases})")


_TIME_UNITS = ("minute", "hour", "day")
_STILL = re.compile(r"(?i)\b(?:still|yet)\b|还是|仍然|依然|还(?=[是有很挺])")


def _within_rated_time(text: str, q: Quantity, sheet: FactSheet) -> bool:
    """A use story inside the rated time: "three hours into the hike the water was still cold"
    for a bottle rated 24 hours. Past it ("48 hours into the trip … still ice-cold") is a claim."""
    head, tail = _sentence_around(text, q.start, q.end)
    if not _STILL.search(f"{head} {tail}"):
        return False
    value = float(q.value)
    return any(u == q.unit and float(v) >= value for v, u in sheet.pairs if _is_float(v))


_ADJUSTABLE = re.compile(r"(?i)调|adjustable|dimmable|settings?|modes?|档|可选")
_RANGE_DASH = re.compile(r"\s*(?:-|–|—|~|～|至|到|to)\s*")


def _within_fact_range(q: Quantity, sheet: FactSheet) -> bool:
    """A setting inside an adjustable range the facts give: "4000K" for a lamp adjustable
    2700K-5000K (not 45℃ for a glass rated -20℃ to 120℃)."""
    if not _is_float(q.value):
        return False
    value = float(q.value)
    for line, _ in sheet.lines:
        if not _ADJUSTABLE.search(line):
            continue  # a tolerance ("-20℃至120℃") is not a setting the shopper picks
        found = quantities(line)
        for low, high in zip(found, found[1:], strict=False):
            unit = high.unit or low.unit
            if (
                unit == q.unit
                and low.unit in ("", unit)
                and low.end <= high.start
                and _RANGE_DASH.fullmatch(line[low.end : high.start])
                and _is_float(low.value)
                and _is_float(high.value)
                and float(low.value) <= value <= float(high.value)
            ):
                return True
    return False


_COOKING = re.compile(
    r"(?i)^\s*(?:on (?:the |a )?(?:lowest |low |gentle |slow )?(?:flame|heat|hob|stove)"
    r"|in the oven)\b"
)
_COOKING_BEFORE = re.compile(
    r"(?i)(?:\b(?:simmer|brais|stew|bak|roast|slow-cook|cook)(?:e|ed|es|ing|s)?(?: for)?"
    r"|(?:小火|文火|慢)?(?:炖|煮|焖|烤|煲|熬)(?:了|上)?)\s*$"
)


def _cooking_time(text: str, q: Quantity) -> bool:
    """How long the dish cooked, not how long the product lasts: "four hours on the lowest
    flame", "炖了四个小时"."""
    return bool(
        _COOKING.match(text[q.end : q.end + 40])
        or _COOKING_BEFORE.search(text[max(0, q.start - 20) : q.start])
    )


def _is_float(value: str) -> bool:
    try:
        float(value)
    except ValueError:
        return False
    return True


def find_invented(
    text: str,
    brief: Brief,
    evidence: dict[str, str] | None = None,
    other_names: Sequence[str] = (),
) -> list[Invented]:
    """Numbers, attributes and certifications in ``text`` that the facts do not support.

    ``other_names`` are the catalogue's other products: a material in one of their names
    ("双层玻璃泡茶杯" in a hand-cream reply) names that product, it claims nothing about this one.
    """
    sheet = fact_sheet(brief, evidence)
    list_counts = _list_counts(text, brief)  # counts of listed facts ("四种菌株"), found once
    named = _name_spans(text, brief.product_name, other_names)
    full_names = _full_name_spans(text, other_names)
    invented: list[Invented] = []
    found = quantities(text)
    unknown = {(q.value, q.unit) for q in found if untested(text, q.start, q.end)}
    for q in found:
        if _exempt_number(text, q, brief.channel) or any(a <= q.start < b for a, b in full_names):
            continue  # "our Cast Iron Skillet 26 cm": the number names another product
        if (q.value, q.unit) in unknown:
            continue  # "16英寸的我们还没有实测过": the copy says it does not know
        supported = (q.value, q.unit) in sheet.pairs if q.unit else q.value in sheet.numbers
        if not supported and q.unit and _CJK.search(q.text):
            # "150克面料" is how Chinese copy states a 150 gsm fabric; "150 grams of wool" in
            # English is a different claim
            compatible = config()["unit_compatible"].get(q.unit, [])
            supported = any((q.value, u) in sheet.pairs for u in compatible)
        if not supported and q.unit and (q.value, "") in sheet.pairs:
            # a bare number in the facts with its unit only implied ("doors: 2"); a time or a
            # share is never implied ("3-season" supports no "3 minutes")
            supported = q.unit in config()["implied_units"]
        if not supported and q.unit:
            supported = _converted_supported(q, sheet)
        if not supported and q.unit:
            supported = _approximation_supported(text, q, sheet)
        if not supported and (_is_money(text, q) or text[q.end : q.end + 1] == "¢"):
            supported = _offer_arithmetic_supported(text, q, sheet) or (
                _per_unit_price_supported(text, q, sheet)
            )
        if not supported:
            supported = _step_supported(text, q, sheet)
        if not supported and q.unit in _TIME_UNITS:
            supported = _within_rated_time(text, q, sheet)
        if not supported and q.unit:
            supported = _within_fact_range(q, sheet)
        if not supported and q.unit in _TIME_UNITS:
            supported = _cooking_time(text, q)
        if not supported:
            supported = _counts_a_list(q, list_counts)
        if supported and not _lead_supported(text, q, sheet):
            supported = False  # "整灯功率12W": 12 W is the adapter, the lamp draws 10 W
        if supported and not _bound_supported(text, q, sheet):
            supported = False  # "30克蛋白质": 30 g is the serving, the protein is 24 g
        if not supported:
            invented.append(Invented(q.text.strip(), q.start, q.end, "number"))
    lowered = text.lower()
    # things the shopper carries with the product ("折叠伞" in a tote): their features are
    # not the product's
    objects = [(m.start(), m.end()) for m in _other_objects().finditer(lowered)]
    mentioned = [
        (span, canonical)
        for canonical, forms in vocabulary().items()
        for form in forms
        for span in _find_forms(lowered, form, text, [*named, *objects])
    ]
    for canonical, forms in vocabulary().items():
        if _affirmed(forms, sheet) and not _denied(forms, sheet):
            continue
        if canonical.endswith("-free") and _free_from_supported(canonical[:-5], sheet):
            continue
        own = [
            sp
            for sp, name in mentioned
            if name == canonical
            # 铜 inside 黄铜: the copy names brass, not copper
            and not any(
                other != canonical and a <= sp[0] and sp[1] <= b and b - a > sp[1] - sp[0]
                for (a, b), other in mentioned
            )
        ]
        if any(_negated(lowered, a) or untested(text, a, b) for a, b in own):
            continue  # the copy denies it ("does not have RFID blocking"): later mentions too
        if own:  # the longest spelling, at its first place
            a, b = min(own, key=lambda sp: (-(sp[1] - sp[0]), sp[0]))
            invented.append(Invented(text[a:b], a, b, "attribute"))
    for free in _FREE_FROM.finditer(lowered):
        thing = next(g for g in free.groups() if g).strip()
        if (
            thing
            and not _free_from_supported(thing, sheet)
            and not _affirmed_form(free.group(0), sheet)
        ):
            invented.append(
                Invented(text[free.start() : free.end()], free.start(), free.end(), "attribute")
            )
    for pattern in claim_patterns():
        for claim in pattern.finditer(text):
            core = next((g for g in claim.groups() if g), claim.group(0)).lower()
            if (
                _core_supported(core, sheet)
                or _affirmed_form(core, sheet)  # "终身保修" for a lifetime warranty on record
                or any(i.start <= claim.start() < i.end for i in invented)
                or _negated(lowered, claim.start())
                or disclaimed(text, claim.start(), claim.end())
            ):
                continue
            invented.append(Invented(claim.group(0).strip(), claim.start(), claim.end(), "claim"))
    for item in _option_counts(text, list_counts):
        if not any(i.start < item.end and item.start < i.end for i in invented):
            invented.append(item)
    for item in _listed_options(text, sheet) + _separate_items_included(text, sheet):
        if not any(i.start < item.end and item.start < i.end for i in invented):
            invented.append(item)
    ignore = set(config()["acronyms_ignore"])
    for acronym in _ACRONYM.finditer(text):
        token = acronym.group(1)
        if token in ignore or len(token) < 2 or token.lower() in sheet.text:
            continue
        if "-" in token and all(
            re.search(rf"(?<![\w-]){re.escape(part.lower())}(?![\w-])", sheet.text)
            for part in token.split("-")
        ):
            continue  # a range of listed options: "S-XXL" for a tee in S, M, L, XL and XXL
        if sum(c.isalpha() for c in token) > 5 and not any(c.isdigit() for c in token):
            continue  # a shouted word, not an acronym
        if (
            "+" not in token
            and not any(c.isdigit() for c in token)
            and _SHOUTING.search(
                text[max(0, acronym.start() - 12) : acronym.end() + 12].replace(token, "", 1)
            )
        ):
            continue  # next to other capitalised words: shouting, not a certification
        if any(i.start <= acronym.start() < i.end for i in invented) or _in_hashtag(
            text, acronym.start()
        ):
            continue
        invented.append(Invented(token, acronym.start(), acronym.end(), "certification"))
    camel_ignore = {w.lower() for w in config()["camel_case_ignore"]}
    for camel in _CAMEL.finditer(text):
        token = camel.group(0)
        if (
            token.lower() in camel_ignore
            or canonical_unit(token)  # "mAh", "dB" are units
            or token.lower() in sheet.text
            or any(i.start <= camel.start() < i.end for i in invented)
            or _in_hashtag(text, camel.start())
            or any(a <= camel.start() < b for a, b in named)
        ):
            continue
        # "aptX", "MagSafe", "iPhone": a named technology or compatibility the facts lack
        invented.append(Invented(token, camel.start(), camel.end(), "feature"))
    seen: set[str] = set()
    unique = []
    for item in sorted(invented, key=lambda i: i.start):
        inside = any(
            o.start <= item.start and item.end <= o.end and o.end - o.start > item.end - item.start
            for o in invented
        )  # "送一" inside "买一送一": list the whole claim once
        if item.text.lower() not in seen and not inside:
            seen.add(item.text.lower())
            unique.append(item)
    return unique


# words that end a list item rather than continue it ("rust, navy or olive and see the …")
_LIST_END = (
    "and|or|to|for|see|in|on|at|with|the|a|an|from|then|shop|order|get|pick|add|buy|grab|check"
    "|find|take|tap|click|head|browse|try|pop|bring|keep|make|choose|save|enjoy"
)
_OPTIONS_EN = re.compile(
    r"(?i)\b(?:comes? in|available in|in|colou?rs?:?|choose(?: from)?|sizes?:?)\s+"
    r"((?:[a-z]+(?: [a-z]+)?, )+[a-z]+(?: [a-z]+)?"
    rf"(?:,? (?:and|or) (?!(?:{_LIST_END})\b)[a-z]+(?: (?!(?:{_LIST_END})\b)[a-z]+)?)+)\b"
)
_OPTIONS_ZH = re.compile(
    r"(?:(?<=[有选是：:，,。！\s])|^)((?:[\u4e00-\u9fff]{1,5}[、和])+[\u4e00-\u9fff]{1,5}?)"
    r"(?:[一二两三四五六七八九十\d]+[种款个]?(?:颜)?色|色)?(?:可选|任选|供选|都有|有货)"
)


_COUNT = r"([一二两三四五六七八九十\d]+)"
_COUNT_EN = r"\b(\d+|two|three|four|five|six|seven|eight|nine|ten)"
# list facts whose length a count in the copy must match: colours, probiotic strains, sizes
_LIST_COUNTS = {
    ("colors", "colours"): re.compile(
        rf"(?i)(?:有|共)?{_COUNT}\s*(?:个|种|款)?(?:颜色|色)(?=可选|任选|供选|都有|[，。、！,.!\s]|$)"
        rf"|{_COUNT_EN} (?:colou?rs|colou?rways|shades)\b"
    ),
    ("strains",): re.compile(
        rf"(?i){_COUNT}\s*(?:种|株|大)(?:益生菌|活性?菌)?菌株|{_COUNT}\s*(?:种|大)益生菌"
        rf"|{_COUNT_EN} (?:probiotic |live |bacterial |different )?strains\b"
    ),
    ("sizes",): re.compile(  # not 选大一码, 一物一码
        rf"(?i)(?<![大小拍偏物]){_COUNT}\s*(?:个)?(?:码|尺码)(?![数子])|{_COUNT_EN} sizes\b"
    ),
}


def _list_counts(text: str, brief: Brief) -> list[tuple[re.Match[str], int, int]]:
    """Each count of a listed fact in the copy: (match, the count, the list's length)."""
    words = config()["number_words_en"]
    found = []
    for keys, pattern in _LIST_COUNTS.items():
        line = next((f for f in brief.key_facts if f.split(":")[0].strip().lower() in keys), None)
        if line is None:
            continue
        offered = len([c for c in re.split(r"[,，、]", line.partition(":")[2]) if c.strip()])
        for m in pattern.finditer(text):
            raw = next(g for g in m.groups() if g)
            count = (
                int(raw)
                if raw.isdigit()
                else words.get(raw.lower())
                if raw.isascii()
                else zh_numeral(raw)
            )
            if count is not None:
                found.append((m, count, offered))
    return found


def _counts_a_list(q: Quantity, list_counts: list[tuple[re.Match[str], int, int]]) -> bool:
    """A digit that counts a listed fact right: "6 sizes" for a tee in six, "3种菌株"."""
    return any(
        m.start() <= q.start < m.end() and count == offered for m, count, offered in list_counts
    )


def _option_counts(text: str, list_counts: list[tuple[re.Match[str], int, int]]) -> list[Invented]:
    """A count of options the facts do not list: "有五个颜色可选" for a tee in three colours,
    "四种菌株" for a powder with three strains."""
    found = []
    for m, count, offered in list_counts:
        before = text[max(0, m.start() - 6) : m.start()].lower()
        if any(w in before for w in ("另外", "其他", "其余", "另", "other", "more")):
            continue  # "另外两个颜色", "the other two colours": part of the range, not all
        if count != offered:
            found.append(Invented(m.group(0).strip(), m.start(), m.end(), "attribute"))
    return found


_LIST_BREAKS = {
    *("a", "an", "the", "in", "on", "with", "your", "our", "for", "to", "at", "by", "of"),
    *("are", "is", "include", "includes"),
}
_LIST_LEADS = {"in", "are", "is", "include", "includes"}  # the word before the first option


def _list_tail(items: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """The list proper: "in a daypack, in moss, slate or sand" lists moss, slate and sand."""
    for index in range(len(items) - 1, -1, -1):
        part, at = items[index]
        first, _, rest = part.partition(" ")
        if first.lower() in _LIST_BREAKS:
            head = [(rest, at + len(first) + 1)] if rest and first.lower() in _LIST_LEADS else []
            return head + items[index + 1 :]
    return items


def _listed_options(text: str, sheet: FactSheet) -> list[Invented]:
    """Options in a list whose other entries are facts: "comes in charcoal, oat, forest and
    navy" for a tee offered in three colours names one that does not exist."""
    found = []
    lists = ((_OPTIONS_EN, r",\s*(?:and |or )?|\s+(?:and|or)\s+"), (_OPTIONS_ZH, "[、和]"))
    for pattern, split in lists:
        for m in pattern.finditer(text):
            start = m.start(1)
            items = []
            for part in re.split(f"({split})", m.group(1)):
                if part and not re.fullmatch(split, part):
                    items.append((part, start))
                start += len(part)
            items = _list_tail(items)
            known = [
                bool(_form_pattern(part.lower()).search(sheet.text))
                or part.rstrip("色") + "色" in sheet.text
                for part, _ in items
            ]
            if sum(known) < 2:
                continue  # not a list of this product's options
            found += [
                Invented(part, at, at + len(part), "attribute")
                for (part, at), ok in zip(items, known, strict=True)
                if not ok
            ]
    return found


def _separate_items_included(text: str, sheet: FactSheet) -> list[Invented]:
    """An item the facts sell separately, said to come in the box: "comes with both an S and
    an M teat" when the facts say "S号，可另购M/L号"."""
    items: set[str] = set()
    for m in cue_pattern("sold_separately").finditer(sheet.text):
        raw = m.group(1) or m.group(2) or ""
        items |= {p.strip() for p in re.split(r"[/、,和]|\band\b|\bor\b", raw) if p.strip()}
    found: list[Invented] = []
    if not items:
        return found
    for sentence in re.finditer(r"[^.!?。！？;；,，]+", text):  # one clause at a time
        part = sentence.group(0)
        if not cue_pattern("included").search(part) or re.search(
            r"(?i)separately|另购|单独|\bbuy\b|购买", part
        ):
            continue
        for item in items:
            size = len(item) == 1 and item.isalpha()  # a size letter: "M", not the "m" in "cm"
            pattern = rf"(?<![A-Za-z0-9]){re.escape(item.upper() if size else item)}(?![A-Za-z0-9])"
            for m in re.finditer(pattern, part, 0 if size else re.IGNORECASE):
                if not _negated(part.lower(), m.start()):
                    at = sentence.start() + m.start()
                    found.append(Invented(m.group(0), at, at + len(m.group(0)), "claim"))
    return found


def claim_in_facts(span: str, brief: Brief, evidence: dict[str, str] | None = None) -> bool:
    """True when a compliance finding's span states what the facts affirm: "不含香精" for a
    product whose facts say "fragrance free: yes" is a fact, not an unsupported claim."""
    sheet = fact_sheet(brief, evidence)
    lowered = span.lower()
    if _core_supported(lowered, sheet):
        return True
    for forms in vocabulary().values():
        if any(f in lowered for f in forms):
            return _affirmed(forms, sheet) and not _denied(forms, sheet)
    return False


_FREE_FROM = re.compile(
    r"\b([a-z]{3,12})-free\b|\bfree (?:from|of) ([a-z]{3,15})"
    r"|不含([\u4e00-\u9fff]{1,4}?)(?=[，。、,.！!\s]|$)"
)


@lru_cache(maxsize=1)
def claim_patterns() -> list[re.Pattern[str]]:
    """The YAML claim patterns with each {name} replaced by its claim_terms alternation."""
    terms = config()["claim_terms"]

    def expand(match: re.Match[str]) -> str:
        name = match.group(1)
        return "(?:" + "|".join(terms[name]) + ")" if name in terms else match.group(0)

    return [re.compile(re.sub(r"\{([a-z_]+)\}", expand, p)) for p in config()["claim_patterns"]]


@lru_cache(maxsize=1)
def _approximation_cues() -> dict[str, re.Pattern[str]]:
    cues = config()["approximations"]
    return {
        kind: re.compile(rf"(?:{'|'.join(cues[kind])})\s*$", re.IGNORECASE)
        for kind in ("about", "under", "over")
    }


def _approximation_supported(text: str, q: Quantity, sheet: FactSheet) -> bool:
    """True when ``q`` is stated as a bound or an approximation the facts satisfy: "under 300 g"
    for 280 g, "不到80克" for 78 g, "about 17 fl oz" for 500 ml (a fact within `within`)."""
    before = text[max(0, q.start - 16) : q.start]
    kind = next((k for k, cue in _approximation_cues().items() if cue.search(before)), None)
    if kind is None:
        return False
    within = config()["approximations"]["within"]
    value = float(q.value.replace(",", ""))
    for fact in _facts_in_unit(q.unit, sheet):
        if kind == "about" and abs(fact - value) <= within * value:
            return True
        if kind == "under" and value * (1 - within) <= fact <= value:
            return True
        if kind == "over" and value <= fact <= value * (1 + within):
            return True
    return False


def _facts_in_unit(unit: str, sheet: FactSheet, same_unit: bool = True) -> list[float]:
    """Every fact quantity expressed in ``unit`` (converted where the units measure alike);
    with ``same_unit=False`` only the converted ones."""
    values = []
    for fact_value, fact_unit in sheet.pairs:
        try:
            fact = float(fact_value.replace(",", ""))
        except ValueError:
            continue
        if fact_unit == unit:
            if same_unit:
                values.append(fact)
            continue
        for group in config()["conversions"]["groups"]:
            if unit in group and fact_unit in group:
                values.append(fact * group[fact_unit] / group[unit])
    return values


_CURRENCY_SIGN = re.compile(r"[$¥￥£€]\s*$")
_SIGN_UNITS = {"$": "usd", "¥": "cny", "￥": "cny"}


def _is_money(text: str, q: Quantity) -> bool:
    return q.unit in ("usd", "cny", "pct", "zhe") or bool(
        _CURRENCY_SIGN.search(text[max(0, q.start - 2) : q.start])
    )


def _real_prices(sheet: FactSheet) -> set[float]:
    return {
        float(v)
        for v, u in sheet.pairs
        if u in ("usd", "cny")
        or (not u and float(v) >= 1)
        and any(w in line for line, pairs in sheet.lines if (v, u) in pairs for w in _PRICE_WORDS)
    }


_PER_UNIT = re.compile(
    r"(?i)每(?:份|次|粒|天|杯|勺|袋|包|条|支|片)|算下来|折合"
    r"|\bper (?:serving|scoop|day|cup|gummy|sachet)"
    r"|\ba (?:serving|scoop|day|cup)\b|\bworks out"
)


def _per_unit_price_supported(text: str, q: Quantity, sheet: FactSheet) -> bool:
    """A price per serving worked out from the price and the count of servings: "一罐30份，
    每份不到8元" for ¥239 (7.97), "about $1.10 a serving" for $34 and 30 servings."""
    if q.unit in ("pct", "zhe") or not _PER_UNIT.search(text[max(0, q.start - 8) : q.end + 14]):
        return False  # the cue must sit by the number: "每袋约4.95元", "53¢ a serving"
    counts = {float(v) for v, u in sheet.pairs if u in config()["days_from_counts"]}
    value = float(q.value.replace(",", ""))
    if re.match(r"\s*(?:¢|cents?\b)", text[q.end : q.end + 7]):
        value /= 100  # "about 53¢ a serving"
    return any(
        abs(value - r / n) <= 0.06 * (r / n) for r in _real_prices(sheet) for n in counts if n > 1
    )


def _step_supported(text: str, q: Quantity, sheet: FactSheet) -> bool:
    """The step between listed sizes: "comes in 5 cm steps from 80 to 110" for sizes 80, 85 …
    110 (at least three evenly spaced numbers in one fact line)."""
    if not q.unit or q.unit in _TIME_UNITS:
        return False
    near = text[max(0, q.start - 6) : q.end + 12]
    if not re.search(r"(?i)\bsteps?\b|\bincrements?\b|间隔|一档|每档|相差", near):
        return False
    value = float(q.value.replace(",", ""))
    for _line, pairs in sheet.lines:
        numbers = sorted({float(v) for v, _u in pairs if _is_float(v)})
        gaps = {round(b - a, 6) for a, b in itertools.pairwise(numbers)}
        if len(numbers) >= 3 and gaps == {value}:
            return True
    return False


def _offer_arithmetic_supported(text: str, q: Quantity, sheet: FactSheet) -> bool:
    """True when an offer's number follows by one step of arithmetic from the real price and
    the copy's other offer numbers: "$149, was $189, save $40" (the evidence's was-price),
    "20% off: $23.20" for a $29 bottle, "2 jars for $28 (save $4)" at $16 a jar. An offer
    price with nothing to check it against stays unsupported. (Requiring the request to name
    the discount as well was measured and dropped: most brand leads accept a discount whose
    arithmetic is right, dev pool Spearman 0.771 -> 0.752.)"""
    real = _real_prices(sheet)
    if not real:
        return False
    value = float(q.value.replace(",", ""))
    copy_money = [
        float(o.value.replace(",", ""))
        for o in quantities(text)
        if o.start != q.start and _is_money(text, o) and o.unit not in ("pct", "zhe")
    ]
    percents = [
        _percent_off(o) for o in quantities(text) if o.unit in ("pct", "zhe") and o.start != q.start
    ]
    counts = (1, *_multibuy_counts(text))  # "2 jars for $28", "两条装¥159"

    def near(a: float, b: float) -> bool:
        return abs(a - b) < 0.011

    if q.unit in ("pct", "zhe"):  # the discount itself: "20% off" for $29 -> $23.20, 9折
        off = _percent_off(q)
        return any(near(r * (1 - off / 100), c) for r in real for c in copy_money)
    for r in real:
        for n in counts:
            whole = n * r
            if any(near(whole * (1 - pc / 100), value) for pc in percents):
                return True
            if any(near(whole - c, value) or near(c / n, value) for c in copy_money):
                return True
    return False


def _percent_off(q: Quantity) -> float:
    """The discount a percentage or a 折 states: "20%" is 20, "9折" 10, "85折" 15."""
    value = float(q.value.replace(",", ""))
    if q.unit != "zhe":
        return value
    return 100 - (value * 10 if value < 10 else value)


_MULTIBUY = re.compile(
    r"(?i)([2-6]|two|three|four|five|six|两|二|三|四|五|六)\s*"
    r"(?:jars?|packs?|bottles?|pairs?|tubes?|boxes?|tins?|for\b|件|条|瓶|盒|支|袋|罐|装|个|只|双)"
)
_COUNT_WORDS = {
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "两": 2,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
}


def _multibuy_counts(text: str) -> set[int]:
    found = set()
    for m in _MULTIBUY.finditer(text):
        token = m.group(1).lower()
        found.add(int(token) if token.isdigit() else _COUNT_WORDS[token])
    return found


_PRICE_WORDS = ("price", "was", "价", "原价", "usd", "cny", "$", "¥")


def _converted_supported(q: Quantity, sheet: FactSheet) -> bool:
    """True when a fact in another unit of the same measure gives ``q`` once converted
    ("0.4升" for 400 ml, "480 °F" for 250 °C), or a count of servings gives its days."""
    conversions = config()["conversions"]
    value = float(q.value.replace(",", ""))
    if q.unit == "day":
        counts = config()["days_from_counts"]
        if any(u in counts and float(v.replace(",", "")) == value for v, u in sheet.pairs):
            return True

    tolerance = conversions["tolerance"]
    if any(
        abs(value - fact) <= tolerance * max(abs(value), abs(fact), 1e-9)
        for fact in _facts_in_unit(q.unit, sheet, same_unit=False)
    ):
        return True
    if q.unit not in ("c", "f"):
        return False
    for fact_value, fact_unit in sheet.pairs:
        if {q.unit, fact_unit} != {"c", "f"}:
            continue
        fact = float(fact_value.replace(",", ""))
        celsius = (value - 32) * 5 / 9 if q.unit == "f" else value
        fact_c = (fact - 32) * 5 / 9 if fact_unit == "f" else fact
        if abs(celsius - fact_c) <= 3:  # "about 480 °F" for 250 °C
            return True
    return False


def _lead_supported(text: str, q: Quantity, sheet: FactSheet) -> bool:
    """A quantity after a leading noun ("功率12W") needs a fact line of that key or naming the
    noun with that quantity; any other quantity needs nothing more."""
    before = text[max(0, q.start - 12) : q.start].lower()
    kinds = config()["leading_noun_units"]
    for key, names in config()["leading_nouns"].items():
        if q.unit and q.unit not in kinds.get(key, [q.unit]):
            continue  # "rated at 37 Wh" is not a power; a bare number is still checked
        if not any(
            re.search(rf"{re.escape(n)}\s*(?:is|of|:|：|约|为|达|about)?\s*$", before)
            for n in names
        ):
            continue
        compatible = [q.unit, *config()["unit_compatible"].get(q.unit, [])]
        for line, pairs in sheet.lines:
            line_key, _, value = line.rpartition(":")
            line_key = line_key.strip()
            keyed = (
                line_key == key or line_key.startswith(f"{key} per") or line_key.endswith(f" {key}")
            )
            if not (keyed or any(n in value for n in names)):
                continue
            line_sheet = FactSheet(line, frozenset(v for v, _ in pairs), pairs)
            if any((q.value, u) in pairs for u in compatible) or _converted_supported(
                q, line_sheet
            ):
                return True
        return False
    return True


def _bound_supported(text: str, q: Quantity, sheet: FactSheet) -> bool:
    """A quantity of a named nutrient ("30克蛋白质", "5 g of sugar") needs a fact line that
    names the nutrient with that quantity; any other quantity needs nothing more."""
    after = text[q.end : q.end + 24].lower()
    for forms in config()["bound_nouns"].items():
        names = [forms[0], *forms[1]]
        if not any(re.match(rf"\s*(?:of\s+|的)?{re.escape(n)}", after) for n in names):
            continue
        compatible = [q.unit, *config()["unit_compatible"].get(q.unit, [])]
        return any(
            any(n in line for n in names) and any((q.value, u) in pairs for u in compatible)
            for line, pairs in sheet.lines
        )
    return True


def _core_supported(core: str, sheet: FactSheet) -> bool:
    """True when the facts name the claim's core ("clinically" matches "clinical trial")."""
    core = core.strip()
    if not core or core in sheet.text or re.sub(r"\s+", "", core) in sheet.compact:
        return True
    if core.isascii() and " " not in core and len(core) >= 6:
        return core[: max(6, len(core) - 4)] in sheet.text
    if len(core) > 2 and all(is_cjk(c) for c in core):
        return core[1:] in sheet.text  # one stray leading character: 份蛋白质 -> 蛋白质
    return False


def untested(text: str, start: int, end: int) -> bool:
    """True when the clause says the feature was never tested ("洗碗机我们目前没有相关测试
    资料", "our record doesn't list them as vegan"); a cue in another clause ("waterproof to
    50 m, though we haven't tested salt water") leaves the claim standing."""
    lowered = text.lower()
    head = max(lowered.rfind(c, 0, start) for c in _CLAUSE_ENDS) + 1
    tails = [i for i in (lowered.find(c, end) for c in _CLAUSE_ENDS) if i >= 0]
    clause = lowered[head : min(tails, default=len(lowered))]
    return any(cue in clause for cue in config()["untested"])


_CLAUSE_ENDS = ".!?。！？\n,，;；"


def _full_name_spans(text: str, others: Sequence[str]) -> list[tuple[int, int]]:
    """Where ``text`` names another product by its whole name less the brand word
    ("Cast Iron Skillet 26 cm", "有机棉纱布包巾 两条装"), spaces optional between words."""
    spans = []
    for name in others:
        words = name.split()[1:]
        if sum(len(w) for w in words) < 6:
            continue
        pattern = r"\s*".join(re.escape(w) for w in words)
        spans += [(m.start(), m.end()) for m in re.finditer(pattern, text, re.IGNORECASE)]
    return spans


def disclaimed(text: str, start: int, end: int) -> bool:
    """True when the sentence disclaims the claim ("we can't say it relieves constipation")."""
    head, _ = _sentence_around(text, start, end)
    return any(d in head for d in config()["disclaimers"])


def _name_spans(text: str, own: str, others: Sequence[str]) -> list[tuple[int, int]]:
    """Where ``text`` names another product by a Chinese part of its name ("双层玻璃泡茶杯").

    English parts are ordinary words ("Leather"), so only parts with three or more Chinese
    characters and no digits ("400毫升" is a number) count.
    """
    own_parts = set(own.lower().split())
    spans = []
    for name in others:
        for part in name.lower().split():
            cjk = sum(is_cjk(c) for c in part)
            if part in own_parts or cjk < 3 or any(c.isdigit() for c in part):
                continue
            spans += [(m.start(), m.end()) for m in re.finditer(re.escape(part), text.lower())]
    return spans


def products_named(text: str, brief: Brief, others: Sequence[str]) -> list[str]:
    """The other catalogue products ``text`` names (by a Chinese part of their name)."""
    return list(dict.fromkeys(text[a:b] for a, b in _name_spans(text, brief.product_name, others)))


@lru_cache(maxsize=4096)
def _form_pattern(form: str) -> re.Pattern[str]:
    """An English spelling matches as whole words ("app" is not in "apple")."""
    if form.isascii():
        return re.compile(rf"(?<![a-z]){re.escape(form)}(?![a-z])")
    return re.compile(re.escape(form))


def _find_forms(
    lowered: str, form: str, text: str = "", skip: Sequence[tuple[int, int]] = ()
) -> list[tuple[int, int]]:
    """Every occurrence of ``form`` outside a hashtag ("#wireless" tags a topic) and outside
    the ``skip`` spans."""
    tags = [(h.start(), h.end()) for h in _HASHTAG.finditer(text or lowered)]
    return [
        (m.start(), m.end())
        for m in _form_pattern(form).finditer(lowered)
        if not any(a <= m.start() < b for a, b in (*tags, *skip))
    ]


def _find_form(
    lowered: str, form: str, text: str = "", skip: Sequence[tuple[int, int]] = ()
) -> tuple[int, int] | None:
    """The first occurrence of ``form`` outside a hashtag and outside the ``skip`` spans."""
    found = _find_forms(lowered, form, text, skip)
    return found[0] if found else None


def _free_from_supported(thing: str, sheet: FactSheet) -> bool:
    """A "free from X" claim needs the facts to say so, not merely to mention X."""
    t = re.escape(thing)
    return (
        re.search(
            rf"{t}[- ]free(?!\s*:\s*(?:no|false))|free[ _]from[^.;]*{t}|(?:不含|无){t}"
            rf"|{t}\s*:\s*(?:no|none|0)\b",
            sheet.text,
        )
        is not None
    )


def _affirmed_form(span: str, sheet: FactSheet) -> bool:
    """True when ``span`` is a spelling of an attribute the facts affirm in any language:
    "lead-free" for a mug whose facts say 无铅釉面, "不含香精" for "fragrance free: yes"."""
    for name, forms in vocabulary().items():
        if span.lower() in forms:
            if name.endswith("-free") and _free_from_supported(name[: -len("-free")], sheet):
                return True  # "不含麸质" for facts "free_from: gluten"
            return _affirmed(forms, sheet) and not _denied(forms, sheet)
    return False


def _affirmed(forms: list[str], sheet: FactSheet) -> bool:
    """True when the facts name one of ``forms`` other than to deny it ("不可明火加热")."""
    return any(
        not _fact_negated(sheet.text, m.start())
        for form in forms
        for m in re.finditer(re.escape(form.lower()), sheet.text)
    )


@lru_cache(maxsize=1)
def _fact_negation() -> re.Pattern[str]:
    cues = config()["fact_negations"]
    en = "|".join(re.escape(c) for c in cues["en"])
    zh = "|".join(re.escape(c) for c in cues["zh"])
    return re.compile(rf"(?:\b(?:{en})\s+(?:[a-z]+\s+)?|(?:{zh})[\u4e00-\u9fff]{{0,2}})$")


def _fact_negated(fact_text: str, start: int) -> bool:
    return _fact_negation().search(fact_text[max(0, start - 16) : start]) is not None


def _denied(forms: list[str], sheet: FactSheet) -> bool:
    """True when the facts say the product does NOT have this attribute ("leakproof: no")."""
    return any(
        re.search(rf"{re.escape(f.lower().replace('-', ' '))}\s*:\s*(?:no|false)\b", sheet.text)
        or re.search(rf"{re.escape(f.lower())}\s*:\s*(?:no|false)\b", sheet.text)
        for f in forms
    )


def _negated(lowered: str, start: int) -> bool:
    window = lowered[max(0, start - 24) : start]
    return bool(_NEGATION_EN.search(window) or _NEGATION_ZH.search(window))


def fact_lines(brief: Brief) -> tuple[list[str], int]:
    """The brief's key facts, then every other fact on record; and where the others start."""
    extra = [f for f in brief.reference_facts if f not in brief.key_facts]
    return [*brief.key_facts, *extra], len(brief.key_facts)


def _key_named(key: str, lowered: str) -> bool:
    """The copy names the fact's key ("warranty", 质保) or its feature, not only a number or
    a two-character overlap with its value."""
    key = key.strip().lower()
    words = [w for w in re.findall(r"[a-z]{4,}", key) if w not in _STOP]
    if any(w in lowered for w in words):
        return True
    if "warranty" in key and any(w in lowered for w in config()["warranty_words"]):
        return True
    return any(_form_pattern(f).search(lowered) for f in _feature_forms(key))


def facts_stated(
    text: str, brief: Brief, lines: Sequence[str] | None = None, strict_from: int | None = None
) -> list[int]:
    """Indexes of the brief's key facts (or of ``lines``) that ``text`` states. Lines from
    ``strict_from`` on (facts past the brief's key facts) count only when the copy also names
    their key: "Grab 2 pairs" does not state "warranty: 2-year warranty"."""
    lowered = text.lower()
    # a date, a time of day or a service promise ("within 24 hours") states no product fact,
    # even when the number matches one ("keeps cold hours: 24")
    numbers = {q.value for q in quantities(text) if not _exempt_number(text, q, brief.channel)}
    stated = []
    for index, line in enumerate(brief.key_facts if lines is None else lines):
        key, _, value = line.partition(":")
        if strict_from is not None and index >= strict_from and not _key_named(key, lowered):
            continue
        value = value.strip().lower()
        cues = {q.value for q in quantities(value)} - {"0"}
        cues |= {w for w in re.findall(r"[a-z][a-z\-/]{3,}", value) if w not in _STOP}
        cues |= {
            value[i : i + 2]
            for i in range(len(value) - 1)
            if is_cjk(value[i]) and is_cjk(value[i + 1])
        }
        if value in ("yes", "true"):
            cues |= {w for w in re.findall(r"[a-z]{4,}", key.lower()) if w not in _STOP}
        # in either language, as whole words: "dishwasher safe: yes" is stated by "能进洗碗机",
        # "防泼水处理" by "water-repellent"
        forms = _line_forms(value) | (_feature_forms(key) if value in ("yes", "true") else set())
        said = any((c in numbers) if c[0].isdigit() else (c in lowered) for c in cues if c) or any(
            _form_pattern(f).search(lowered) for f in forms
        )
        if not said and value in ("no", "false"):  # "not leakproof", "不能进洗碗机": a limit
            said = any(
                _negated(lowered, m.start())
                for f in _feature_forms(key)
                for m in _form_pattern(f).finditer(lowered)
            ) or any(p in lowered for p in _fact_limits(key))
        if said:
            stated.append(index)
    return stated


def _fact_limits(key: str) -> list[str]:
    """Phrases that state a "no" fact as a limit ("hand-wash only" for "dishwasher safe: no")."""
    limits: dict[str, list[str]] = config().get("fact_limits", {})
    return limits.get(key.strip().lower().replace("_", " "), [])


@lru_cache(maxsize=4096)
def _line_forms(value: str) -> frozenset[str]:
    """Every spelling, in both languages, of the attributes a fact line names (the line
    "20D再生尼龙面料，防泼水处理" is stated by "recycled nylon" or "water-repellent")."""
    forms: set[str] = set()
    for spellings in vocabulary().values():
        at = next(
            (m.start() for f in spellings if len(f) >= 2 for m in _form_pattern(f).finditer(value)),
            -1,
        )
        if at >= 0 and not _fact_negated(value, at):
            forms |= set(spellings)
    return frozenset(forms)


@lru_cache(maxsize=1024)
def _feature_forms(key: str) -> frozenset[str]:
    """Every spelling, in both languages, of the attribute a fact key names."""
    key = key.strip().lower().replace("_", " ")
    return frozenset(
        form
        for spellings in vocabulary().values()
        if key in spellings or key.replace(" ", "-") in spellings
        for form in spellings
    )


_STOP = {"with", "from", "that", "this", "your", "have", "made", "each", "into", "only", "about"}


def name_mentioned(text: str, name: str, brand: Brand) -> bool:
    brand_names = {brand.guidelines.brand_name("en").lower(), brand.guidelines.brand_name("zh")}
    lowered = text.lower()
    aliases = [a for p in brand.products.values() if p.name == name for a in p.aliases]
    if any(alias.lower() in lowered for alias in aliases if alias.strip()):
        return True  # "珐琅铸铁锅" names the Enamelled Dutch Oven 24 cm
    words = [w for w in re.findall(r"[a-z]{3,}", name.lower()) if w not in brand_names]
    if words and sum(w in lowered for w in words) >= max(1, (len(words) + 1) // 2):
        return True
    core = re.sub("|".join(re.escape(b) for b in brand_names if b), "", name)
    chunks = re.findall(r"[\u4e00-\u9fff]{2,}", core)
    if any(chunk[-2:] in text for chunk in chunks):
        return True
    # copy in the other language than the name ("Fernhill Leather Tote" for 蕨山 植鞣真皮托特包)
    # can only name the product in translation: the brand name there stands for it
    name_zh, text_zh = cjk_ratio(core) >= 0.5, cjk_ratio(text) >= 0.5
    brand_here = brand.guidelines.brand_name("zh" if text_zh else "en")
    return name_zh != text_zh and bool(brand_here) and brand_here.lower() in lowered


def grounded_share(text: str, brief: Brief, brand: Brand) -> float:
    """Share of content sentences that name the product or state one of its facts."""
    floor = 8 if brief.length_unit == "chars" else 4
    cues = [
        c
        for element in ("cta", "greeting", "apology", "next_step", "disclosure")
        for c in brand.element_cues.get(element, {}).get(brief.language, [])
    ]
    content = [
        s
        for s in split_sentences(_HASHTAG.sub(" ", text))
        if count_length(s, brief.length_unit) >= floor
    ]
    # any fact on record grounds a sentence, not only the few the brief puts first
    lines, strict_from = fact_lines(brief)
    grounded = [
        bool(
            facts_stated(s, brief, lines, strict_from)
            or name_mentioned(s, brief.product_name, brand)
        )
        for s in content
    ]
    # a greeting, a call to action or a disclosure need not state a fact, but one that does
    # ("Hi, the Down Jacket is worth a look: 700-fill, about 330 g") counts as grounded
    counted = [
        ok
        for s, ok in zip(content, grounded, strict=True)
        if ok or not any(cue_in(s.lower(), c) for c in cues)
    ]
    if not counted:
        return 1.0 if text.strip() else 0.0
    return sum(counted) / len(counted)


# ---- channel fit ----------------------------------------------------------------------------


def cue_in(text: str, cue: str) -> bool:
    return cue_at(text, cue) >= 0


def cue_at(text: str, cue: str) -> int:
    """Where the cue first starts in the (lowercased) text, or -1."""
    if cue.isascii() and cue[:1].isalnum():
        found = re.search(rf"(?<![a-z0-9]){re.escape(cue)}", text)
        return found.start() if found else -1
    return text.find(cue)


def word_in(text: str, word: str) -> bool:
    """Whole-word match for ASCII words ("cure" is not in "cured leather"), substring otherwise;
    uses of a word that ``avoided_word_uses`` lists as harmless ("第一杯咖啡") do not count."""
    if word.isascii() and word[:1].isalnum():
        return re.search(rf"(?<![a-z0-9]){re.escape(word)}(?![a-z0-9])", text) is not None
    harmless = config().get("avoided_word_uses", {}).get(word)
    if harmless:
        text = re.sub(harmless, " ", text)
    return word in text


@lru_cache(maxsize=16)
def cue_pattern(name: str) -> re.Pattern[str]:
    """A cue regex from critic.yaml's `cue_patterns` (its alternatives joined), with {range}
    standing for a number or a range of numbers in words or digits ("24", "3-5", "two")."""
    number = r"(?:\d+|a|an|one|two|three|four|five|six|seven|ten|twelve)"
    rng = rf"{number}(?:\s*[-–~]\s*{number})?"
    parts = [p.replace("{range}", rng) for p in config()["cue_patterns"][name]]
    return re.compile("|".join(f"(?:{p})" for p in parts), re.IGNORECASE)


def element_present(element: str, text: str, brief: Brief, brand: Brand, channel: Channel) -> bool:
    lowered = text.lower()
    if element == "timeframe":
        return cue_pattern("timeframe").search(text) is not None
    if element == "product_name":
        return name_mentioned(text, brief.product_name, brand)
    if element == "hashtag":
        return len(_HASHTAG.findall(text)) >= max(channel.hashtags.min, 1)
    if element == "benefit":
        return bool(facts_stated(text, brief))
    cues = brand.element_cues.get(element, {})
    # both languages' cues: English copy for a yuan-priced product states "¥1,280"
    options = cues.get(brief.language, []) + [
        c for lang, listed in cues.items() if lang != brief.language for c in listed
    ]
    fold = channel.disclosure_fold.get(brief.language) if element == "disclosure" else None
    if fold is not None:  # a disclosure after the "more" fold is not seen: it does not count
        return any(0 <= cue_at(lowered, cue) < fold for cue in options)
    return any(cue_in(lowered, cue) for cue in options)


def count_hashtags(text: str) -> int:
    return len(_HASHTAG.findall(text))


def count_emoji(text: str) -> int:
    return len(_EMOJI.findall(text))


# ---- fluency --------------------------------------------------------------------------------


def repetition_ratio(text: str, language: str) -> float:
    tokens = list(re.sub(r"\s", "", text)) if language == "zh" else re.findall(r"\w+", text.lower())
    n = 4 if language == "zh" else 3
    grams = [tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1)]
    if not grams:
        return 0.0
    counts = Counter(grams)
    return sum(c - 1 for c in counts.values() if c > 1) / len(grams)


def leftovers(text: str) -> list[str]:
    return [m.group(0).strip() for m in _LEFTOVERS.finditer(text)]


_MARKUP = re.compile(
    r"!\[[^\]]*\]\(?|\]\(\s*https?:|\*{3,}|\*\*[^*\n]+\*\*|#{3,}|^\s*#{2}\s|```"
    r"|https?://\S*|\bwww\.\S+",
    re.IGNORECASE | re.MULTILINE,
)
_WORD = r"[A-Za-z]*[a-z][A-Za-z]*"  # a word with a lowercase letter: not "USB-C PD"
_LATIN_RUN = re.compile(rf"{_WORD}(?:[\s-]+{_WORD}){{2,}}")
_CJK_RUN = re.compile(r"[\u4e00-\u9fff\u3040-\u30ff]{2,}")


def garbled(text: str, language: str) -> list[str]:
    """Markup, links and mixed-script word salad that no finished copy carries.

    Markdown (an image, '****', a '###' heading), a URL, a run of three or more English words
    in Chinese copy, or Chinese in English copy: the model's output degenerated. Copy written
    almost all in the other language is left to the language gate.
    """
    found = [m.group(0).strip() for m in _MARKUP.finditer(text)]
    ratio = cjk_ratio(text)
    # copy almost all in the other language is left to the language gate
    if language == "zh" and ratio >= 0.3:
        found += [m.group(0) for m in _LATIN_RUN.finditer(text)]
    elif language != "zh" and ratio <= 0.7:
        found += [m.group(0) for m in _CJK_RUN.finditer(text)]
    return found


def truncated(text: str) -> bool:
    """Cut off at the end, or starting mid-sentence (a closing bracket, a lowercase fragment)."""
    stripped = text.strip()
    if not stripped:
        return False
    starts_broken = bool(re.match(r"[)\]}»”’,.;:!?%]|[a-z]", stripped))
    ending = _EMOJI.sub("", stripped).rstrip("\ufe0f\u200d ") or stripped  # "Get yours 🔦"
    return starts_broken or not _SENTENCE_END.search(ending)


# ---- tone and readability -------------------------------------------------------------------


@lru_cache(maxsize=1)
def _vader() -> Any:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def sentiment(text: str, language: str) -> float:
    """Sentiment on -1..1: VADER compound for English, SnowNLP (mapped) for Chinese."""
    if not text.strip():
        return 0.0
    if language == "zh":
        from snownlp import SnowNLP

        return round(2 * float(SnowNLP(text).sentiments) - 1, 4)
    return round(float(_vader().polarity_scores(text)["compound"]), 4)


def readability(text: str, language: str) -> tuple[float, dict[str, float]]:
    """Return (score 0..1, evidence): Flesch reading ease (en) or sentence length (zh)."""
    if language == "zh":
        sentences = split_sentences(text) or [text]
        mean = sum(count_length(s, "chars") for s in sentences) / len(sentences)
        target = float(config()["readability"]["zh_max_sentence_chars"])
        return (
            1.0 if mean <= target else max(0.0, 1 - (mean - target) / target),
            {"mean_sentence_chars": round(mean, 1)},
        )
    ease = flesch_reading_ease(text)
    floor = float(config()["readability"]["en_min_flesch"])
    return (
        1.0 if ease >= floor else max(0.0, ease / floor),
        {"flesch_reading_ease": round(ease, 1)},
    )


@lru_cache(maxsize=1)
def _hyphenator() -> Any:
    import pyphen

    return pyphen.Pyphen(lang="en_US")


def flesch_reading_ease(text: str) -> float:
    """Flesch reading ease with pyphen syllables (textstat would fetch cmudict over the network)."""
    words = re.findall(r"[A-Za-z]+(?:'[a-z]+)?", text)
    if not words:
        return 0.0
    sentences = max(1, len(split_sentences(text)))
    syllables = sum(max(1, len(_hyphenator().positions(w.lower())) + 1) for w in words)
    return 206.835 - 1.015 * (len(words) / sentences) - 84.6 * (syllables / len(words))
