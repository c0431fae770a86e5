"""The semantic layer: flag paraphrased claims with no trigger word by similarity to exemplars.

Each sentence (and, in Chinese, each clause) is scored against every category's exemplar claims
(`knowledge/rulebooks/semantic/exemplars.yaml`): a blend of sentence-embedding cosine similarity
(MiniLM) and character n-gram TF-IDF similarity, which carries Chinese where MiniLM is weak. A
unit whose score reaches the category's calibrated threshold for its language is a hit. The
layer only adds findings; it never clears one (the checker fails closed).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Protocol

import numpy as np

from agents.compliance.normalize import is_cjk, language_of, normalize
from knowledge.rulebook import Rulebook, SemanticExemplars

# weight of the character n-gram similarity in the blended score, per language
CHAR_WEIGHT = {"en": 0.3, "zh": 0.6}
DEFAULT_THRESHOLD = 1.01  # an uncalibrated category never fires
# a full stop ends a sentence, but not after a title or an abbreviation ("Dr. Amy Chen", "No. 1")
_ABBREVIATIONS = ("Dr", "Mr", "Mrs", "Ms", "Prof", "St", "vs", "e.g", "i.e", "approx")
_SENTENCE_END = re.compile(
    r"(?<=[。！？!?；;\n])|(?<=\.)"
    + "".join(rf"(?<!\b{re.escape(a)}\.)" for a in _ABBREVIATIONS)
    + r"(?!(?<=\bno\.)\s+\d)\s+",  # "No. 1" is a number; "we say no. This …" ends
    re.IGNORECASE,
)
_CLAUSE_END = re.compile(r"(?<=[，,：:])")


class Encoder(Protocol):
    """What the layer needs from an embedder (`knowledge.embeddings.Embedder` or a test double)."""

    def encode(
        self, texts: Sequence[str], batch_size: int = 64, progress: bool = False
    ) -> np.ndarray: ...


@dataclass(frozen=True)
class Unit:
    """A sentence or clause of a text: its [start, end) span and its language."""

    start: int
    end: int
    text: str
    language: str
    short: bool = False  # a few words only: a hit needs SHORT_UNIT_SCORE


@dataclass(frozen=True)
class SemanticHit:
    category: str
    start: int
    end: int
    score: float


def split_units(text: str) -> list[Unit]:
    """Split copy into sentences, and Chinese sentences also into clauses, keeping spans.
    A unit too short to carry a claim ("$78.", "现价¥69，", "Now $39.") is left out, and a
    unit of a few words ("Reverses aging.", "价格低，") is marked short."""
    units: list[Unit] = []
    for s_start, s_end in _spans(text, _SENTENCE_END, 0, len(text)):
        language = language_of(text[s_start:s_end])
        spans = [(s_start, s_end, language)]
        if language == "zh":
            clauses = _spans(text, _CLAUSE_END, s_start, s_end)
            if len(clauses) > 1:
                spans += [(a, b, "zh") for a, b in clauses]
        for a, b, lang in spans:
            size = content_size(text[a:b], lang)
            if size >= MIN_CONTENT[lang]:
                units.append(Unit(a, b, text[a:b], lang, short=size < FULL_CONTENT[lang]))
    return units


_WORD = re.compile(r"[^\W\d_]{2,}")
# words of two or more letters (English) or Chinese characters a unit needs to be scored at all,
# and to be scored at the category's own threshold; in between, a hit needs SHORT_UNIT_SCORE
# ("Reverses aging." 0.97 and "Doctor approved." 0.99 count; "价格低，" 0.91 and "Pure wool?"
# 0.69 do not)
MIN_CONTENT = {"en": 2, "zh": 3}
FULL_CONTENT = {"en": 3, "zh": 4}
SHORT_UNIT_SCORE = 0.95


def content_size(text: str, language: str) -> int:
    """Words (English) or Chinese characters: prices, numbers and currency signs do not count."""
    if language == "zh":
        return sum(1 for c in text if is_cjk(c))
    return len(_WORD.findall(text))


def _spans(text: str, boundary: re.Pattern[str], start: int, end: int) -> list[tuple[int, int]]:
    cuts = [start] + [m.end() for m in boundary.finditer(text, start, end)] + [end]
    spans = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        while a < b and (text[a].isspace() or text[a] in "，,：:"):
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if b - a >= 4:
            spans.append((a, b))
    return spans


class SemanticLayer:
    """Score text units against each category's exemplars; build once, reuse for every check."""

    def __init__(self, exemplars: SemanticExemplars, encoder: Encoder) -> None:
        from sklearn.feature_extraction.text import TfidfVectorizer

        self.exemplars = exemplars
        self.encoder = encoder
        self.categories = sorted(exemplars.categories)
        claims: list[str] = []
        owner: list[int] = []
        for idx, category in enumerate(self.categories):
            for texts in exemplars.categories[category].claims.values():
                claims.extend(texts)
                owner.extend([idx] * len(texts))
        self._owner = np.asarray(owner)
        self._vectors = _unit_rows(encoder.encode(claims))
        self._tfidf = TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 3), sublinear_tf=True)
        self._chars = self._tfidf.fit_transform([normalize(c).text for c in claims])
        self.thresholds = {
            (category, language): exemplars.categories[category].threshold.get(
                language, DEFAULT_THRESHOLD
            )
            for category in self.categories
            for language in CHAR_WEIGHT
        }

    def score_units(self, units: Sequence[Unit]) -> np.ndarray:
        """Return a (units × categories) matrix of blended similarity scores."""
        if not units:
            return np.zeros((0, len(self.categories)), dtype=np.float32)
        dense = _unit_rows(self.encoder.encode([u.text for u in units])) @ self._vectors.T
        chars = self._tfidf.transform([normalize(u.text).text for u in units]) @ self._chars.T
        char_sim = np.asarray(chars.todense(), dtype=np.float32)
        weight = np.asarray([CHAR_WEIGHT.get(u.language, 0.3) for u in units])[:, None]
        blended = (1 - weight) * dense + weight * char_sim
        scores = np.zeros((len(units), len(self.categories)), dtype=np.float32)
        for idx in range(len(self.categories)):
            scores[:, idx] = blended[:, self._owner == idx].max(axis=1)
        return scores

    def scan(self, text: str) -> list[SemanticHit]:
        """Return the units of one text that reach a category's threshold."""
        return self.scan_many([text])[0]

    def scan_many(self, texts: Sequence[str]) -> list[list[SemanticHit]]:
        """Scan many texts with one batched encoder call."""
        per_text = [split_units(t) for t in texts]
        scores = self.score_units([u for units in per_text for u in units])
        return hits_over_thresholds(
            per_text, scores, self.categories, lambda c, lang: self.thresholds[(c, lang)]
        )


def hits_over_thresholds(
    per_text: Sequence[Sequence[Unit]],
    scores: Any,
    categories: Sequence[str],
    threshold: Callable[[str, str], float],
) -> list[list[SemanticHit]]:
    """Per text, the units whose score for a category reaches threshold(category, language).

    ``scores`` has one row per unit, in the order of ``per_text`` flattened, and one column
    per category.
    """
    out: list[list[SemanticHit]] = []
    row = 0
    for units in per_text:
        hits: list[SemanticHit] = []
        for unit in units:
            for idx, category in enumerate(categories):
                score = float(scores[row, idx])
                needed = threshold(category, unit.language)
                if score >= (max(needed, SHORT_UNIT_SCORE) if unit.short else needed):
                    hits.append(SemanticHit(category, unit.start, unit.end, score))
            row += 1
        out.append(hits)
    return out


def _unit_rows(matrix: np.ndarray) -> np.ndarray:
    matrix = np.asarray(matrix, dtype=np.float32)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.where(norms == 0, 1.0, norms)


@lru_cache(maxsize=4)
def _cached_layer(folder: str, version: str, spec: str) -> SemanticLayer:
    from knowledge.embeddings import Embedder

    rulebook = Rulebook(folder)
    if rulebook.semantic is None:
        from knowledge.errors import RulebookError

        raise RulebookError(f"no semantic exemplars (semantic/exemplars.yaml) in {folder}")
    return SemanticLayer(rulebook.semantic, Embedder(spec))


def load_semantic_layer(rulebook: Rulebook, spec: str | None = None) -> SemanticLayer:
    """Return the process-wide semantic layer for this rulebook and embedding model."""
    from knowledge.embeddings import BUNDLED_EMBEDDINGS

    return _cached_layer(str(rulebook.folder), rulebook.version, spec or BUNDLED_EMBEDDINGS)
