"""Honest estimates for the compliance detector: k-fold cross-validation within the dev data
(the dev split and every compliance_dev*.jsonl).

    python eval/golden/compliance_cv.py                 # 5-fold CV on dev (rules, +similarity,
                                                        # +classifier), pooled over folds
    python eval/golden/compliance_cv.py --heldout       # also heldout, aggregate figures only

In each fold the similarity layer's thresholds are recalibrated (compliance_report.py's rule)
and the classifier retrained (corpus + rule examples + the other dev folds; its thresholds from
inner out-of-fold probabilities) without the fold scored. The rules cannot be re-fitted per fold:
they were written by reading all of dev, so their dev CV figure is the in-sample figure.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from eval.golden.compliance_report import calibrate_thresholds, detect  # noqa: E402
from eval.train.train_compliance_classifier import (  # noqa: E402
    CachingEncoder,
    base_examples,
    dev_rows,
    golden_rows,
    row_examples,
)

# threshold policies compared by CV: (min out-of-fold precision, max hard-negative share per
# category, lowest threshold); the first is the committed one (agents/compliance/classifier.py)
POLICIES = ((0.95, 0.0025, 0.65), (0.95, 0.0025, 0.5), (0.9, 0.005, 0.65), (0.9, 0.005, 0.75))


def folds_of(rows: list[dict[str, Any]], k: int, seed: int) -> list[int]:
    """Stratified fold numbers: rows grouped by (first category or kind, language), shuffled."""
    rng = np.random.default_rng(seed)
    groups: dict[tuple[str, str], list[int]] = {}
    for i, r in enumerate(rows):
        key = (r["categories"][0] if r["categories"] else r["kind"], r["language"])
        groups.setdefault(key, []).append(i)
    fold = [0] * len(rows)
    offset = 0
    for key in sorted(groups):
        members = [groups[key][j] for j in rng.permutation(len(groups[key]))]
        for n, i in enumerate(members):
            fold[i] = (n + offset) % k
        offset += len(members)
    return fold


def similarity_thresholds(layer: Any, rows: list[dict[str, Any]]) -> dict[str, dict[str, float]]:
    """compliance_report.py --calibrate's rule, on the given rows only."""
    chosen = calibrate_thresholds(layer, rows)
    return {c: {lang: t for lang, (t, _, _) in by.items()} for c, by in chosen.items()}


def similarity_layer(rulebook: Any, encoder: Any, thresholds: dict[str, dict[str, float]]) -> Any:
    from agents.compliance.semantic import SemanticLayer

    assert rulebook.semantic is not None
    categories = {
        c: spec.model_copy(update={"threshold": thresholds.get(c, {})})
        for c, spec in rulebook.semantic.categories.items()
    }
    return SemanticLayer(rulebook.semantic.model_copy(update={"categories": categories}), encoder)


def alone(layer: Any, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The layer's own hits, as if every one blocked (how well it generalises by itself)."""
    out = []
    for row, hits in zip(rows, layer.scan_many([r["text"] for r in rows]), strict=True):
        found = sorted({h.category for h in hits})
        expected = sorted(set(row["categories"]))
        out.append({"expected": expected, "found": found, "blocking": found, "kind": row["kind"]})
    return out


def line(name: str, s: dict[str, Any], per_category: bool = True) -> str:
    text = (
        f"| {name} | {s['precision']:.3f} | {s['recall']:.3f} | "
        f"{s['false_block_rate']:.1%} (of {s['hard_negatives']}) |"
    )
    if per_category:
        recalls = {c: v["recall"] for c, v in s["per_category"].items() if v["support"]}
        worst = min(recalls, key=lambda c: recalls[c])
        text += f" {worst} {recalls[worst]:.3f} |"
    return text


def per_category(results: dict[str, dict[str, Any]]) -> str:
    names = list(results)
    cats = sorted({c for s in results.values() for c in s["per_category"]})
    out = ["| category | " + " | ".join(f"{n} P / R" for n in names) + " | support |"]
    out.append("|---" * (len(names) + 2) + "|")
    for c in cats:
        cells = []
        support = 0
        for n in names:
            v = results[n]["per_category"].get(c, {"precision": 1.0, "recall": 1.0, "support": 0})
            cells.append(f"{v['precision']:.2f} / {v['recall']:.2f}")
            support = max(support, v["support"])
        out.append(f"| {c} | " + " | ".join(cells) + f" | {support} |")
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--heldout", action="store_true", help="also score heldout (aggregate)")
    args = parser.parse_args()
    import torch

    torch.set_num_threads(1)
    from agents.compliance.checker import ComplianceChecker
    from agents.compliance.classifier import ClassifierLayer, ClassifierModel, model_path, train
    from eval.metrics import detector_scores
    from knowledge.embeddings import BUNDLED_EMBEDDINGS, Embedder
    from knowledge.rulebook import JURISDICTIONS, Rulebook

    rulebook = Rulebook()
    assert rulebook.semantic is not None
    encoder = CachingEncoder(Embedder(BUNDLED_EMBEDDINGS))
    dev = dev_rows()
    base = base_examples(rulebook=rulebook)
    fold = folds_of(dev, args.folds, args.seed)
    rules = ComplianceChecker(rulebook, JURISDICTIONS)
    pooled: dict[str, list[dict[str, Any]]] = {
        "rules": [],
        "+similarity": [],
        "+classifier": [],
        "classifier alone": [],
    }
    for k in range(args.folds):
        train_rows = [r for r, f in zip(dev, fold, strict=True) if f != k]
        test_rows = [r for r, f in zip(dev, fold, strict=True) if f == k]
        pooled["rules"] += detect(rules, test_rows)
        sim = similarity_layer(rulebook, encoder, {})
        sim = similarity_layer(rulebook, encoder, similarity_thresholds(sim, train_rows))
        checker = ComplianceChecker(rulebook, JURISDICTIONS, semantic=sim)
        pooled["+similarity"] += detect(checker, test_rows)
        model = train(
            base + row_examples(train_rows), encoder, BUNDLED_EMBEDDINGS, policies=POLICIES
        )
        for policy, thresholds in zip(POLICIES, model.variants, strict=True):
            tag = "" if policy == POLICIES[0] else " (P>={}, hard<={}, floor {})".format(*policy)
            model.thresholds = thresholds
            layer = ClassifierLayer(model, encoder, rulebook.semantic)
            checker = ComplianceChecker(rulebook, JURISDICTIONS, semantic=layer)
            pooled.setdefault("+classifier" + tag, []).extend(detect(checker, test_rows))
            pooled.setdefault("classifier alone" + tag, []).extend(alone(layer, test_rows))
        print(f"fold {k + 1}/{args.folds} done ({len(test_rows)} sentences)", file=sys.stderr)
    results = {name: detector_scores(rows) for name, rows in pooled.items()}
    print(f"rulebook {rulebook.version}\n")
    print(f"**dev, {args.folds}-fold CV (seed {args.seed}), pooled over folds**\n")
    print("| layers | precision | recall | false blocks | lowest category recall |")
    print("|---|---|---|---|---|")
    for name, s in results.items():
        print(line(name, s))
    print()
    print(per_category(results))
    if args.heldout:
        heldout = golden_rows("heldout")
        path = model_path(rulebook)
        model = ClassifierModel.from_yaml(path.read_text(encoding="utf-8"))
        layers = {
            "rules": rules,
            "+similarity": ComplianceChecker(rulebook, JURISDICTIONS, semantic=True),
            "+classifier": ComplianceChecker(
                rulebook,
                JURISDICTIONS,
                semantic=ClassifierLayer(model, encoder, rulebook.semantic),
            ),
        }
        final = {name: detector_scores(detect(c, heldout)) for name, c in layers.items()}
        final["classifier alone"] = detector_scores(alone(layers["+classifier"].semantic, heldout))
        print(f"\n**heldout ({len(heldout)} sentences), committed models, aggregate**\n")
        print("| layers | precision | recall | false blocks | lowest category recall |")
        print("|---|---|---|---|---|")
        for name, s in final.items():
            print(line(name, s))
        print()
        print(per_category(final))


if __name__ == "__main__":
    main()
