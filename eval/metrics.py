"""Metrics for eval runs: detector precision/recall, diversity, percentiles."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np


def distinct_n(texts: Sequence[str], n: int = 2) -> float:
    """Distinct n-grams over all n-grams across texts (characters for Chinese, words otherwise)."""
    grams: list[tuple[str, ...]] = []
    for text in texts:
        tokens = (
            list(re.sub(r"\s", "", text))
            if re.search(r"[\u4e00-\u9fff]", text)
            else re.findall(r"\w+", text.lower())
        )
        grams += [tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1)]
    return round(len(set(grams)) / len(grams), 4) if grams else 0.0


def percentile(values: Iterable[float], q: float) -> float:
    data = list(values)
    return round(float(np.percentile(data, q)), 3) if data else 0.0


def mean(values: Iterable[float]) -> float:
    data = list(values)
    return round(float(np.mean(data)), 4) if data else 0.0


def detector_scores(rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Precision/recall per category and overall, and false blocks on hard negatives."""
    tp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    hard = blocked = 0
    for row in rows:
        expected, found = set(row["expected"]), set(row["found"])
        for category in expected:
            (tp if category in found else fn)[category] += 1
        for category in found - expected:
            fp[category] += 1
        if row.get("kind") == "hard_negative":
            hard += 1
            blocked += bool(row["blocking"])
    categories = sorted(set(tp) | set(fn) | set(fp))
    per_category = {}
    for c in categories:
        per_category[c] = {
            "precision": round(tp[c] / (tp[c] + fp[c]), 4) if tp[c] + fp[c] else 1.0,
            "recall": round(tp[c] / (tp[c] + fn[c]), 4) if tp[c] + fn[c] else 1.0,
            "support": tp[c] + fn[c],
        }
    t, f, p = sum(tp.values()), sum(fn.values()), sum(fp.values())
    return {
        "precision": round(t / (t + p), 4) if t + p else 1.0,
        "recall": round(t / (t + f), 4) if t + f else 1.0,
        "false_block_rate": round(blocked / hard, 4) if hard else 0.0,
        "hard_negatives": hard,
        "per_category": per_category,
    }
