"""Normalise copy before matching, keeping a map back to the original character offsets.

Undoes the usual tricks: full-width forms, traditional characters, case, letter-spacing
(``b e s t``, ``最 好``), zero-width characters and leetspeak inside words (``cur3s``).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

_ZERO_WIDTH = {"\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"}
_ORDINALS = {"st", "nd", "rd", "th"}
_LEET = {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"}
# one separator between letters; a wider gap ("C L I N I C A L L Y   P R O V E N") ends a word,
# but a spaced hyphen joins two halves of one word ("E C O - F R I E N D L Y" -> "eco-friendly")
_SPACED_LETTERS = re.compile(r"(?<![a-z])(?:[a-z](?: - |[ .\-_*·])){2,}[a-z](?![a-z])")
_SPACED_HYPHEN = re.compile(r"(?<=[a-z]) (-) (?=[a-z])")
_CJK_GAP = re.compile(r"(?<=[\u4e00-\u9fff])[ \-_*·.]+(?=[\u4e00-\u9fff])")


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
        return self.offsets[start], self.offsets[end - 1] + 1


def normalize(text: str) -> Normalized:
    chars: list[str] = []
    offsets: list[int] = []
    for i, ch in enumerate(text):
        if ch in _ZERO_WIDTH:
            continue
        for out in unicodedata.normalize("NFKC", ch).casefold():
            chars.append(" " if out.isspace() else out)
            offsets.append(i)
    joined = "".join(chars)
    if any(is_cjk(c) for c in joined):
        simplified = _t2s().convert(joined)
        if len(simplified) == len(joined):
            joined = simplified
    chars = list(joined)
    chars, offsets = _drop_gaps(chars, offsets, _SPACED_LETTERS, keep_letters=True)
    chars, offsets = _collapse_spaces(chars, offsets)
    chars, offsets = _drop_gaps(chars, offsets, _CJK_GAP, keep_letters=False)
    chars = _undo_leet(chars)
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


def _drop_gaps(
    chars: list[str], offsets: list[int], pattern: re.Pattern[str], keep_letters: bool
) -> tuple[list[str], list[int]]:
    text = "".join(chars)
    drop: set[int] = set()
    for m in pattern.finditer(text):
        kept_hyphens = (
            {m.start() + h.start(1) for h in _SPACED_HYPHEN.finditer(m.group())}
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


def _undo_leet(chars: list[str]) -> list[str]:
    out = list(chars)
    n = len(chars)
    for j, ch in enumerate(chars):
        if ch not in _LEET:
            continue
        left = j > 0 and chars[j - 1].isascii() and chars[j - 1].isalpha()
        right = j + 1 < n and chars[j + 1].isascii() and chars[j + 1].isalpha()
        # a leading digit counts when letters follow ("3co-fr1endly"), but not an ordinal ("3rd")
        following = "".join(chars[j + 1 : j + 3])
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
