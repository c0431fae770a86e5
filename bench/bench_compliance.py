"""Measure the compliance checker on one CPU core: texts per second, layer by layer.

Prints figures (no pass/fail) and compares, in the same run:
- the lexicon + regex layers (Aho-Corasick terms, prefiltered regexes) against a naive per-rule
  scan (every rule's terms with `in`, every pattern with `re.search`) over the same texts;
- the whole `check()` (normalisation, exemptions, findings) with the full rulebook;
- the semantic layers (similarity: MiniLM + character n-grams; the trained classifier),
  batched, with one torch thread.

    python bench/bench_compliance.py [--texts N] [--no-semantic] [--json OUT]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from agents.compliance.checker import ComplianceChecker  # noqa: E402
from agents.compliance.normalize import normalize  # noqa: E402
from knowledge.rulebook import JURISDICTIONS, Rulebook  # noqa: E402

GOLDEN = ROOT / "eval" / "golden" / "compliance.jsonl"


def pin_one_core() -> str:
    """Pin this process to one CPU core where the OS allows it."""
    if hasattr(os, "sched_setaffinity"):
        core = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {core})
        return f"core {core}"
    return "not pinned (no sched_setaffinity)"


def corpus(rulebook: Rulebook, n: int) -> list[str]:
    """Golden sentences, rule examples and 3-sentence copy blocks, repeated up to n texts."""
    sentences = [json.loads(line)["text"] for line in GOLDEN.read_text("utf-8").splitlines()]
    sentences += [t for r in rulebook.rules for t in r.examples.positive + r.examples.negative]
    blocks = [" ".join(sentences[i : i + 3]) for i in range(0, len(sentences) - 2, 3)]
    base = sentences + blocks
    return [base[i % len(base)] for i in range(n)]


LONG_RUNON = "The best bottle keeps drinks cold and it is great for hiking and travel " * 40


def rate(fn: Callable[[str], object], texts: Sequence[str], repeat: int = 3) -> float:
    """Best texts/s over `repeat` passes."""
    best = 0.0
    for _ in range(repeat):
        started = time.perf_counter()
        for text in texts:
            fn(text)
        best = max(best, len(texts) / (time.perf_counter() - started))
    return best


def naive_scan(checker: ComplianceChecker) -> Callable[[str], int]:
    """Loop over every rule: each term with `in`, each pattern with `re.search`."""
    rules = [
        ([normalize(t).text.strip() for t in c.rule.terms], c.patterns) for c in checker._rules
    ]

    def scan(text: str) -> int:
        fired = 0
        for terms, patterns in rules:
            if any(term and term in text for term in terms) or any(
                p.search(text) for p in patterns
            ):
                fired += 1
        return fired

    return scan


def bench_rules(texts: Sequence[str]) -> dict[str, float]:
    rulebook = Rulebook()
    checker = ComplianceChecker(rulebook, JURISDICTIONS)
    normalised = [normalize(t).text for t in texts]

    def layers(text: str) -> object:
        return checker._term_hits(text) + checker._pattern_hits(text)

    def every_pattern(text: str) -> object:
        return [m for _, p in checker._patterns for m in p.finditer(text)]

    figures = {
        "rules": len(checker._rules),
        "terms": len(checker._automaton),
        "patterns": len(checker._patterns),
        "lexicon_regex_texts_per_s": rate(layers, normalised),
        "naive_per_rule_scan_texts_per_s": rate(naive_scan(checker), normalised),
        "regex_without_prefilter_texts_per_s": rate(every_pattern, normalised),
        "normalize_texts_per_s": rate(normalize, texts),
        "check_texts_per_s": rate(checker.check, texts),
        # a long run-on draft (an LLM that loops): 40 repeats of a sentence with a trigger word
        # and no full stop; each rule's exemptions are matched once per text, not per hit
        "check_long_runon_texts_per_s": rate(checker.check, [LONG_RUNON] * 20),
    }
    figures["speedup_vs_naive"] = (
        figures["lexicon_regex_texts_per_s"] / figures["naive_per_rule_scan_texts_per_s"]
    )
    return figures


def bench_semantic(texts: Sequence[str], batch: int, kind: str = "similarity") -> dict[str, float]:
    import torch

    from agents.compliance.classifier import load_classifier_layer
    from agents.compliance.semantic import load_semantic_layer

    torch.set_num_threads(1)
    load = load_classifier_layer if kind == "classifier" else load_semantic_layer
    started = time.perf_counter()
    layer: Any = load(Rulebook())
    load_s = time.perf_counter() - started
    layer.scan_many(texts[:batch])  # warm-up
    started = time.perf_counter()
    for i in range(0, len(texts), batch):
        layer.scan_many(texts[i : i + batch])
    batched = len(texts) / (time.perf_counter() - started)
    one = texts[: max(batch, 64)]
    started = time.perf_counter()
    for text in one:
        layer.scan(text)
    single = len(one) / (time.perf_counter() - started)
    return {
        "load_s": load_s,
        f"batched_{batch}_texts_per_s": batched,
        "one_by_one_texts_per_s": single,
        "texts": len(texts),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--texts", type=int, default=5000, help="texts for the rule layers")
    parser.add_argument("--semantic-texts", type=int, default=512)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--no-semantic", action="store_true")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()

    pinned = pin_one_core()
    rulebook = Rulebook()
    texts = corpus(rulebook, args.texts)
    mean_chars = sum(map(len, texts)) / len(texts)
    print(f"compliance bench: {len(texts)} texts (mean {mean_chars:.0f} chars), {pinned}")
    print(f"rulebook {rulebook.version}")
    report: dict[str, object] = {"pinned": pinned, "mean_chars": mean_chars}
    rules = bench_rules(texts)
    report["rules"] = rules
    print(
        f"  {rules['rules']:.0f} rules, {rules['terms']:.0f} lexicon terms, "
        f"{rules['patterns']:.0f} regexes"
    )
    for key, value in rules.items():
        if key.endswith("_per_s"):
            print(f"  {key:<40} {value:>10,.0f}")
    print(f"  {'lexicon+regex speed-up vs naive scan':<40} {rules['speedup_vs_naive']:>10.1f}x")
    if not args.no_semantic:
        for kind in ("similarity", "classifier"):
            semantic = bench_semantic(texts[: args.semantic_texts], args.batch, kind)
            report["semantic" if kind == "similarity" else kind] = semantic
            print(f"  {kind} layer (1 torch thread), load {semantic['load_s']:.1f} s")
            for key, value in semantic.items():
                if key.endswith("_per_s"):
                    print(f"  {kind} {key:<29} {value:>10,.0f}")
    if args.json:
        args.json.write_text(json.dumps(report, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
