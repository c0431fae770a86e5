"""Normalise copy before matching, keeping a map back to the original character offsets.

Undoes the usual tricks: full-width forms, traditional characters, case, letter-spacing
(``b e s t``, ``最 好``), zero-width characters, emoji wedged between Chinese characters
(``生🌱发``), pinyin standing in for a sensitive character (``全网zui低``) and leetspeak inside
words (``cur3s``, ``3v3r``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache

_ZERO_WIDTH = {"\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"}
_ORDINALS = {"st", "nd", "rd", "th"}
_LEET = {
    **{"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t"},
    **{"@": "a", "$": "s", "!": "i", "€": "e"},
}
# a sound-alike character for one that rules look for, only before the words it dodges for
# ("全网醉低价", "罪好用"), and variant forms opencc leaves alone ("有傚")
_HOMOPHONES = re.compile(r"[醉罪蕞嘴](?=低价|便宜|好用|优惠|佳)")
_VARIANTS = str.maketrans({"傚": "效", "効": "效"})
# Latin small capitals ("ʟɪᴍɪᴛᴇᴅ ᴛɪᴍᴇ") and dingbat digits ("#➊"), which NFKC leaves alone
_LOOKALIKES = str.maketrans(
    {
        **dict(zip("ᴀʙᴄᴅᴇꜰɢʜɪᴊᴋʟᴍɴᴏᴘʀꜱᴛᴜᴠᴡʏᴢ", "abcdefghijklmnoprstuvwyz", strict=True)),
        **{chr(0x2776 + k): str(k + 1) for k in range(9)},  # ❶ … ❾
        **{chr(0x2780 + k): str(k + 1) for k in range(9)},  # ➀ … ➈
        **{chr(0x278A + k): str(k + 1) for k in range(9)},  # ➊ … ➒
    }
)
# one separator between letters; a wider gap ("C L I N I C A L L Y   P R O V E N") ends a word,
# but a spaced hyphen joins two halves of one word ("E C O - F R I E N D L Y" -> "eco-friendly")
_SPACED_LETTERS = re.compile(r"(?<![a-z])(?:[a-z](?: - |[ .\-_*·])){2,}[a-z](?![a-z])")
_SPACED_HYPHEN = re.compile(r"(?<=[a-z]) (-) (?=[a-z])")
# a space (or a hyphen before more spaced letters) after three or more letters spaced another
# way ends a word: "C-A-R-B-O-N N-E-U-T-R-A-L" is two words, "c.u.r.e d!abetes" a word and the
# next, "R.I.S.K-F.R.E.E" two halves; mixed separators inside a word ("B E.S T", "c.u-r.e.s")
# still join
_WORD_BREAK = re.compile(
    r"(?<=(?:[a-z](?P<l>[.\-_*·])){2}[a-z])(?: (?=[a-z])|-(?=[a-z][.\-_*·][a-z]))"
)
_EMOJI = "\u2300-\u23ff\u2600-\u27bf\u2b00-\u2bff\ufe0f\U0001f000-\U0001faff"
_CJK_GAP = re.compile(rf"(?<=[\u4e00-\u9fff])[ \-_*·.{_EMOJI}]+(?=[\u4e00-\u9fff])")
# pinyin for characters that rules look for, written next to Chinese to dodge a filter
_PINYIN = {
    "zui": "最",
    "jian": "减",
    "jianfei": "减肥",
    "huanbao": "环保",
    "bao": "保",
    "baozheng": "保证",
    "diyi": "第一",
    "tianran": "天然",
    "zhiliao": "治疗",
    "zhiyu": "治愈",
    "xiaoguo": "效果",
}
# syllables too ambiguous to map alone, read from the Chinese character they touch:
# "三甲yi院" (医院), "shi疹" (湿疹), "wu效" (无效), "最di价" (最低价), "退kuan" (退款),
# "全wang" (全网), "jian测" (检测), "推jian" (推荐)
_PINYIN_BEFORE = {
    "yi": {"院": "医", "生": "医", "师": "医"},
    "shi": {"疹": "湿"},
    "wu": {"效": "无", "添": "无"},
    "di": {"价": "低"},
    "jian": {"测": "检", "定": "鉴"},
    "zhi": {"好": "治", "愈": "治", "疗": "治"},
    "shou": {"了": "瘦", "身": "瘦", "脸": "瘦", "腿": "瘦"},
}
_PINYIN_AFTER = {"kuan": {"退": "款"}, "wang": {"全": "网"}, "jian": {"推": "荐"}}
_PINYIN_WORD = re.compile(
    r"(?<![a-z])("
    + "|".join(sorted({*_PINYIN, *_PINYIN_BEFORE, *_PINYIN_AFTER}, key=len, reverse=True))
    + r")(?![a-z])"
)
# marks that NFKC would spell out inside a word ("proven™" -> "proventm")
_MARKS = {"\u2122", "\u00ae", "\u00a9", "\u2120"}
_SPACED_DIGITS = re.compile(r"(?<![\d.])\d(?: \d)+(?= ?%)")
_TONES = str.maketrans("āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ", "aaaaeeeeiiiioooouuuuvvvv")


def _latin(text: str, at: int) -> bool:
    return at < len(text) and text[at].isascii() and text[at].isalpha()


def is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"


def language_of(text: str) -> str:
    """Return "zh" when at least a fifth of the non-space characters are CJK, else "en"."""
    cjk = sum(1 for c in text if is_cjk(c))
    return "zh" if cjk and cjk >= 0.2 * len(text.replace(" ", "")) else "en"


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


@dataclass(frozen=True)
class Normalized:
    text: str
    offsets: tuple[int, ...]  # offsets[i] = index in the original text of normalised char i
    original: str

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Map a normalised [start, end) span back to the original text."""
        if end <= start:
            return self.offsets[start], self.offsets[start]
        stop = self.offsets[end - 1] + 1
        if is_cjk(self.text[end - 1]) and _latin(self.original, stop - 1):
            while _latin(self.original, stop):  # a character written as pinyin: the whole word
                stop += 1
        return self.offsets[start], stop


@dataclass(frozen=True)
class PinyinLexicon:
    """The Chinese characters a rulebook's words use, by toneless pinyin syllable, and the
    character pairs inside those words. A syllable written next to Chinese becomes the character
    that forms one of those pairs with its neighbour: 无xiao退kuan -> 无效退款 (无效 and 退款 are
    pairs of the words), 0tian加 -> 0添加, xiao炎 -> 消炎; "ins风" or "iPhone充电" stay as written
    (no pair). Built once per checker from its rulebook (`from_words`)."""

    by_syllable: dict[str, tuple[str, ...]]
    pairs: frozenset[str]

    @classmethod
    def from_words(cls, words: Iterable[str]) -> PinyinLexicon:
        from pypinyin import Style, pinyin

        pairs: set[str] = set()
        chars: set[str] = set()
        for word in words:
            for run in _CJK_RUN.findall(word):
                chars.update(run)
                pairs.update(run[k : k + 2] for k in range(len(run) - 1))
        by_syllable: dict[str, set[str]] = {}
        for ch in sorted(chars):
            for syllable in pinyin(ch, style=Style.NORMAL)[0]:  # its main reading
                by_syllable.setdefault(syllable.replace("ü", "v"), set()).add(ch)
        return cls({k: tuple(sorted(v)) for k, v in by_syllable.items()}, frozenset(pairs))

    def character(self, syllable: str, before: str, after: str) -> str | None:
        """The character the syllable stands for between these neighbours, if one pairs."""
        for ch in self.by_syllable.get(syllable, ()):
            if (before and before + ch in self.pairs) or (after and ch + after in self.pairs):
                return ch
        return None


_CJK_RUN = re.compile(r"[\u4e00-\u9fff]{2,}")
_LATIN_WORD = re.compile(r"(?<![a-z])[a-z]{1,6}(?![a-z])")


def normalize(text: str, lexicon: PinyinLexicon | None = None) -> Normalized:
    """`lexicon`: the checker's rulebook words, for pinyin written in place of a character."""
    chars: list[str] = []
    offsets: list[int] = []
    for i, ch in enumerate(text):
        if ch in _ZERO_WIDTH or ch in _MARKS:
            continue
        for out in unicodedata.normalize("NFKC", ch.translate(_LOOKALIKES)).casefold():
            chars.append(" " if out.isspace() else out)
            offsets.append(i)
    joined = "".join(chars)
    if any(is_cjk(c) for c in joined):
        simplified = _t2s().convert(joined)
        if len(simplified) == len(joined):
            joined = simplified
    joined = _HOMOPHONES.sub("最", joined.translate(_VARIANTS))
    chars = list(joined)
    chars, offsets = _drop_gaps(chars, offsets, _SPACED_LETTERS, keep_letters=True)
    chars, offsets = _collapse_spaces(chars, offsets)
    if any(is_cjk(c) for c in chars):
        chars = list("".join(chars).translate(_TONES))
        chars, offsets = _replace_pinyin(chars, offsets)
        if lexicon is not None:
            chars, offsets = _replace_syllables(chars, offsets, text, lexicon)
    chars, offsets = _drop_gaps(chars, offsets, _CJK_GAP, keep_letters=False)
    chars = _undo_leet(chars, [text[o] for o in offsets])
    chars, offsets = _join_spaced_digits(chars, offsets)
    return Normalized("".join(chars), tuple(offsets), text)


def _collapse_spaces(chars: list[str], offsets: list[int]) -> tuple[list[str], list[int]]:
    out_c: list[str] = []
    out_o: list[int] = []
    for ch, off in zip(chars, offsets, strict=True):
        if ch == " " and (not out_c or out_c[-1] == " "):
            continue
        out_c.append(ch)
        out_o.append(off)
    return out_c, out_o


def _replace_pinyin(chars: list[str], offsets: list[int]) -> tuple[list[str], list[int]]:
    """Turn a listed pinyin word touching Chinese (directly or across one space) into its
    characters."""

    def resolve(word: str, before: str, after: str) -> str | None:
        return (
            _PINYIN_BEFORE.get(word, {}).get(after)
            or _PINYIN_AFTER.get(word, {}).get(before)
            or _PINYIN.get(word)
        )

    return _replace_latin(chars, offsets, _PINYIN_WORD, resolve, across_space=True)


def _replace_syllables(
    chars: list[str], offsets: list[int], original: str, lexicon: PinyinLexicon
) -> tuple[list[str], list[int]]:
    """Turn a Latin syllable right next to Chinese into the rulebook character it pairs with;
    a word written in capitals is an acronym ("防AI换脸"), not pinyin."""

    def lower_case(start: int, end: int) -> bool:
        return not any(original[o].isupper() for o in offsets[start:end])

    return _replace_latin(
        chars, offsets, _LATIN_WORD, lexicon.character, across_space=False, keep=lower_case
    )


def _replace_latin(
    chars: list[str],
    offsets: list[int],
    pattern: re.Pattern[str],
    resolve: Callable[[str, str, str], str | None],
    across_space: bool,
    keep: Callable[[int, int], bool] | None = None,
) -> tuple[list[str], list[int]]:
    """Replace each Latin word of ``pattern`` that touches Chinese (directly, or across one
    space when ``across_space``) with the characters ``resolve(word, before, after)`` gives.
    Each character maps to a letter of the word, and `Normalized.span` extends a finding that
    ends on it over the rest of the word, so a finding keeps the whole syllable."""
    text = "".join(chars)
    out_c: list[str] = []
    out_o: list[int] = []
    pos = 0
    for m in pattern.finditer(text):
        start, end = m.span()
        if start < pos or (keep is not None and not keep(start, end)):
            continue
        gap_left = (
            across_space and start >= 2 and text[start - 1] == " " and is_cjk(text[start - 2])
        )
        gap_right = (
            across_space and end + 1 < len(text) and text[end] == " " and is_cjk(text[end + 1])
        )
        before = text[start - 2] if gap_left else text[start - 1] if start else ""
        after = text[end + 1] if gap_right else text[end] if end < len(text) else ""
        before = before if is_cjk(before) else ""
        after = after if is_cjk(after) else ""
        hanzi = resolve(m.group(), before, after) if before or after else None
        if not hanzi:
            continue
        cut = start - 1 if gap_left else start
        out_c.extend(chars[pos:cut])
        out_o.extend(offsets[pos:cut])
        out_c.extend(hanzi)
        out_o.extend(offsets[start + min(k, end - start - 1)] for k in range(len(hanzi)))
        pos = end + 1 if gap_right else end
    out_c.extend(chars[pos:])
    out_o.extend(offsets[pos:])
    return out_c, out_o


def _join_spaced_digits(chars: list[str], offsets: list[int]) -> tuple[list[str], list[int]]:
    """ "提升 9 9 %" -> "提升 99%": single digits spaced out before a percent sign."""
    text = "".join(chars)
    drop: set[int] = set()
    for m in _SPACED_DIGITS.finditer(text):
        # the spaces between the digits, and one before the percent sign
        end = m.end() + 1 if text[m.end() : m.end() + 1] == " " else m.end()
        drop |= {k for k in range(m.start(), end) if text[k] == " "}
    kept = [j for j in range(len(chars)) if j not in drop]
    return [chars[j] for j in kept], [offsets[j] for j in kept]


def _drop_gaps(
    chars: list[str], offsets: list[int], pattern: re.Pattern[str], keep_letters: bool
) -> tuple[list[str], list[int]]:
    text = "".join(chars)
    drop: set[int] = set()
    for m in pattern.finditer(text):
        kept_hyphens = (
            {m.start() + h.start(1) for h in _SPACED_HYPHEN.finditer(m.group())}
            | {m.start() + b.start() for b in _WORD_BREAK.finditer(m.group()) if _breaks(b)}
            if keep_letters
            else set()
        )
        for j in range(m.start(), m.end()):
            if (not keep_letters or not text[j].isalpha()) and j not in kept_hyphens:
                drop.add(j)
    if not drop:
        return chars, offsets
    kept = [j for j in range(len(chars)) if j not in drop]
    return [chars[j] for j in kept], [offsets[j] for j in kept]


def _breaks(match: re.Match[str]) -> bool:
    """A word break only after a run spaced with another separator than the break itself."""
    return match.group() != match.group("l")


def _undo_leet(chars: list[str], cased: list[str]) -> list[str]:
    """Undo leetspeak inside words; ``cased`` holds each character as written (before
    casefolding) so that "R!SK" reads "risk" while "Wow!Great" keeps its exclamation mark."""
    out = list(chars)
    for j, ch in enumerate(chars):
        if ch not in _LEET:
            continue
        left = _letter_before(chars, j)
        right = _letter_after(chars, j)
        if ch == "!":
            if left and right and cased[j - 1].isupper() == cased[j + 1].isupper():
                out[j] = "i"  # "sc!ent!f!cally", "R!SK"; "Wow!Great" stays punctuation
            continue
        if _leet_run(chars, cased, j):
            out[j] = _LEET[ch]  # "gr33n", "cur3", "FR33"
            continue
        # a leading digit counts when letters follow ("3co-fr1endly"), but not an ordinal ("3rd")
        following = "".join(
            _LEET[c] if c in _LEET and _between_letters(chars, k) else c
            for k, c in enumerate(chars[j + 1 : j + 3], start=j + 1)
        )
        leading = (
            ch.isdigit()
            and right
            and not (j > 0 and chars[j - 1].isalnum())
            and following.isascii()
            and following.isalpha()
            and len(following) == 2
            and following not in _ORDINALS
        )
        if (left and right) or leading:
            out[j] = _LEET[ch]
    return out


def _letter_before(chars: list[str], j: int) -> bool:
    return j > 0 and chars[j - 1].isascii() and chars[j - 1].isalpha()


def _letter_after(chars: list[str], j: int) -> bool:
    return j + 1 < len(chars) and chars[j + 1].isascii() and chars[j + 1].isalpha()


def _leet_run(chars: list[str], cased: list[str], j: int) -> bool:
    """A run of one or two 3s or 0s after letters: inside a word ("gr33n", "g00d"), or ending a
    word that it spells into one filters look for ("cur3", "FR33", "ec0-"). Codes such as
    "SPF30", "mp3", "USB3", "Omega3", "Type-C30" or "X100" stay as written."""
    if chars[j] not in "30":
        return False
    a = j
    while a > 0 and chars[a - 1] in "30":
        a -= 1
    b = j + 1
    while b < len(chars) and chars[b] in "30":
        b += 1
    if b - a > 2 or not _letter_before(chars, a):
        return False
    if _letter_after(chars, b - 1):
        return True  # inside a word
    if b < len(chars) and chars[b].isalnum():
        return False
    word = a
    while word > 0 and chars[word - 1].isascii() and chars[word - 1].isalpha():
        word -= 1
    written = "".join(cased[word:a])
    if b - a == 2 and chars[a] == chars[a + 1]:
        return _spells_dodged(chars, word, b)  # "fr33", "FR33"
    if written.lower() == "n" and chars[a] == "0" and b < len(chars) and chars[b] == ".":
        return True  # "n0.1"
    if (
        b - a == 1
        and chars[a] == "0"
        and b < len(chars) - 1
        and chars[b] == "-"
        and _letter_after(chars, b)
    ):
        return _spells_dodged(chars, word, b)  # "ec0-fr1endly", not "MK3-A"
    return b - a == 1 and _spells_dodged(chars, word, b)  # "cur3", not "SPF30", "Omega3"


# words a filter looks for that leetspeak spells with a final digit ("cur3", "fr33", "ec0-"):
# a final digit converts only when the word it makes is one of these, so codes ("Omega3",
# "Gen3", "Boost30", "SPF30") stay as written
_DODGED = {"cure", "pure", "free", "safe", "sure", "eco", "bio", "zero"}


def _spells_dodged(chars: list[str], word: int, end: int) -> bool:
    spelled = "".join(_LEET.get(c, c) for c in chars[word:end])
    return spelled in _DODGED


def _between_letters(chars: list[str], k: int) -> bool:
    return (
        0 < k < len(chars) - 1
        and chars[k - 1].isascii()
        and chars[k - 1].isalpha()
        and chars[k + 1].isascii()
        and chars[k + 1].isalpha()
    )
