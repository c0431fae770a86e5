"""Train the compliance claim classifier and write knowledge/rulebooks/semantic/classifier.yaml.

    python eval/train/train_compliance_classifier.py            # retrain and write the model
    python eval/train/train_compliance_classifier.py --check    # retrain; fail if it differs

Training data: every eval/train/compliance_corpus*.yaml (claims and hard negatives written for
training by several writers, not golden sentences), every rule's example sentences, and the golden
dev data: the **dev** split of compliance.jsonl and every compliance_dev*.jsonl (never a held-back
set).
Thresholds come from 5-fold out-of-fold probabilities on that data (see
agents/compliance/classifier.py). Deterministic: the same inputs give the same file.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

CORPORA = sorted(Path(__file__).parent.glob("compliance_corpus*.yaml"))
GOLDEN = ROOT / "eval" / "golden" / "compliance.jsonl"
DEV_FILES = sorted(GOLDEN.parent.glob("compliance_dev*.jsonl"))  # former held-back sets, scored


class CachingEncoder:
    """Wrap an encoder so each distinct text is encoded once per process."""

    def __init__(self, encoder: Any) -> None:
        self.encoder = encoder
        self.cache: dict[str, np.ndarray] = {}

    def encode(
        self, texts: Sequence[str], batch_size: int = 64, progress: bool = False
    ) -> np.ndarray:
        missing = sorted({t for t in texts if t not in self.cache})
        if missing:
            for text, vector in zip(missing, self.encoder.encode(missing), strict=True):
                self.cache[text] = np.asarray(vector, dtype=np.float32)
        return np.asarray([self.cache[t] for t in texts], dtype=np.float32)


def golden_rows(split: str, path: Path = GOLDEN) -> list[dict[str, Any]]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    return [r for r in rows if r.get("split") == split]


def dev_rows() -> list[dict[str, Any]]:
    """Every golden sentence the classifier may learn from: the dev split and the dev* files."""
    rows = golden_rows("dev")
    for path in DEV_FILES:
        lines = path.read_text(encoding="utf-8").splitlines()
        rows += [json.loads(line) for line in lines if line]
    return rows


def base_examples(corpora: Sequence[Path] = tuple(CORPORA), rulebook: Any = None) -> list[Any]:
    """The corpora and the rule examples (no golden sentences), merged by text."""
    from agents.compliance.classifier import Example
    from agents.compliance.normalize import language_of
    from knowledge.rulebook import Rulebook

    labels: dict[str, set[str]] = {}
    hard: set[str] = set()
    for corpus in corpora:
        doc = yaml.safe_load(corpus.read_text(encoding="utf-8"))
        for category, by_language in doc["positives"].items():
            for texts in by_language.values():
                for text in texts:
                    labels.setdefault(text, set()).add(category)
        for texts in doc["negatives"].values():
            for text in texts:
                labels.setdefault(text, set())
                hard.add(text)
    for rule in (rulebook or Rulebook()).rules:
        for text in rule.examples.positive:
            labels.setdefault(text, set()).add(rule.category)
        for text in rule.examples.negative:
            labels.setdefault(text, set())
            hard.add(text)
    return [
        Example(text, language_of(text), frozenset(cats), text in hard and not cats)
        for text, cats in sorted(labels.items())
    ]


def row_examples(rows: Sequence[dict[str, Any]]) -> list[Any]:
    from agents.compliance.classifier import Example

    return [
        Example(r["text"], r["language"], frozenset(r["categories"]), r["kind"] == "hard_negative")
        for r in rows
    ]


def training_examples() -> list[Any]:
    return base_examples() + row_examples(dev_rows())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if retraining changes it")
    args = parser.parse_args()
    import torch

    torch.set_num_threads(1)
    from agents.compliance.classifier import ClassifierModel, model_path, train
    from knowledge.embeddings import BUNDLED_EMBEDDINGS, Embedder
    from knowledge.rulebook import Rulebook

    examples = training_examples()
    model = train(examples, Embedder(BUNDLED_EMBEDDINGS), BUNDLED_EMBEDDINGS)
    path = model_path(Rulebook())
    text = model.to_yaml()
    if args.check:
        old = ClassifierModel.from_yaml(path.read_text(encoding="utf-8"))
        same = (
            old.trained_on == model.trained_on
            and old.thresholds == model.thresholds
            and np.allclose(old.coef, model.coef, atol=2e-3)
            and np.allclose(old.intercept, model.intercept, atol=1e-4)
        )
        print("reproduced" if same else "DIFFERS from the committed model")
        return 0 if same else 1
    path.write_text(text, encoding="utf-8")
    print(f"wrote {path} ({len(text) // 1024} KiB) from {len(examples)} examples")
    for category, limits in model.thresholds.items():
        print(f"  {category}: {limits}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
