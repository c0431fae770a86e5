"""Golden-set figures for the compliance checker, per split, with and without the semantic layer.

    python eval/golden/compliance_report.py               # dev and heldout tables (markdown)
    python eval/golden/compliance_report.py --calibrate   # semantic thresholds from dev only
    python eval/golden/compliance_report.py --file new.jsonl --layers rules,classifier
                                  # score any JSONL in the golden format (no split field needed)
    python eval/golden/compliance_report.py --approved-copy --layers rules,classifier
                                  # blocks on copy a brand lead approved (calibration, rated 4-5)

Calibration reads the dev split only: per category and language, the lowest semantic score at
which the semantic layer on its own keeps precision >= 0.9 with at most one hard-negative hit and
at most two false hits; categories with no such score get no threshold (never fire).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

GOLDEN = Path(__file__).with_name("compliance.jsonl")


def load_rows(split: str | None, path: Path = GOLDEN) -> list[dict[str, Any]]:
    """Rows of a golden-format JSONL file; of one split, or all of them when split is None."""
    lines = path.read_text(encoding="utf-8").splitlines()
    rows = [json.loads(line) for line in lines if line.strip()]
    return [r for r in rows if split is None or r.get("split") == split]


def detect(checker: Any, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    from knowledge.rulebook import JURISDICTIONS

    out = []
    for row in rows:
        result = checker.check(
            row["text"],
            row.get("product_category"),
            None,
            row.get("jurisdictions") or JURISDICTIONS,
        )
        out.append(
            {
                "expected": sorted(set(row["categories"])),
                "found": sorted({f.category for f in result.findings}),
                "blocking": sorted({f.category for f in result.findings if f.blocking}),
                "kind": row["kind"],
            }
        )
    return out


def table(title: str, scores: dict[str, Any]) -> str:
    lines = [
        f"**{title}**: precision {scores['precision']:.3f}, recall {scores['recall']:.3f}, "
        f"false blocks on hard negatives {scores['false_block_rate']:.1%} "
        f"(of {scores['hard_negatives']})",
        "",
        "| category | precision | recall | support |",
        "|---|---|---|---|",
    ]
    for category, s in scores["per_category"].items():
        lines.append(f"| {category} | {s['precision']:.3f} | {s['recall']:.3f} | {s['support']} |")
    return "\n".join(lines) + "\n"


def calibrate_thresholds(
    layer: Any, rows: list[dict[str, Any]]
) -> dict[str, dict[str, tuple[float, int, int]]]:
    """Per category and language, the lowest threshold with precision >= 0.9, at most one hard
    negative and two negatives over it: (threshold floored to 4 decimals, hits, positives).
    A pair with no such threshold is absent."""
    import numpy as np

    from agents.compliance.semantic import split_units

    units = [split_units(r["text"]) for r in rows]
    scores = layer.score_units([u for us in units for u in us])
    per_text, row = [], 0
    for us in units:
        block = scores[row : row + len(us)]
        per_text.append(block.max(axis=0) if len(us) else np.zeros(len(layer.categories)))
        row += len(us)
    matrix = np.asarray(per_text)
    out: dict[str, dict[str, tuple[float, int, int]]] = {}
    for ci, category in enumerate(layer.categories):
        out[category] = {}
        for language in ("en", "zh"):
            idx = [k for k, r in enumerate(rows) if r["language"] == language]
            pos = [k for k in idx if category in rows[k]["categories"]]
            neg = [k for k in idx if category not in rows[k]["categories"]]
            hard = [k for k in neg if rows[k]["kind"] == "hard_negative"]
            for t in sorted({float(matrix[k, ci]) for k in idx}):
                tp = sum(matrix[k, ci] >= t for k in pos)
                fp = sum(matrix[k, ci] >= t for k in neg)
                hard_fp = sum(matrix[k, ci] >= t for k in hard)
                if tp and tp / (tp + fp) >= 0.9 and hard_fp <= 1 and fp <= 2:
                    # floored to 4 decimals, as written in exemplars.yaml
                    out[category][language] = (math.floor(t * 1e4) / 1e4, int(tp), len(pos))
                    break
    return out


def approved_copy(checkers: list[tuple[str, Any]], listed: bool) -> None:
    """Blocking findings on copy a brand lead rated 4 or 5 (every eval/calibration file),
    checked as the loop checks a draft: the product's category and evidence and the brief's
    jurisdictions. Copy a brand lead would publish should not be blocked."""
    from eval.critic_report import DEFAULT_SET, item_brief, load_items
    from studio.service import Studio
    from studio.settings import Settings

    studio = Studio(Settings.from_env())
    items = [
        item
        for path in sorted(DEFAULT_SET.parent.glob("*.jsonl"))
        for item in load_items(path)
        if item["rating"] >= 4
    ]
    briefs = [item_brief(studio.brand, item) for item in items]
    for name, checker in checkers:
        blocked = []
        for item, brief in zip(items, briefs, strict=True):
            evidence = studio.brand.products[item["product"]].evidence
            result = checker.check(item["text"], brief.category, evidence, brief.jurisdictions)
            found = sorted({(f.category, f.match) for f in result.findings if f.blocking})
            if found:
                blocked.append((item["id"], found))
        share = len(blocked) / len(items) if items else 0.0
        print(f"**{name}**: {len(blocked)} of {len(items)} approved copies blocked ({share:.1%})")
        for item_id, found in blocked if listed else []:
            print(f"- {item_id}: " + "; ".join(f"{c} '{m}'" for c, m in found))
        print()


def calibrate() -> None:
    from agents.compliance.semantic import load_semantic_layer
    from knowledge.rulebook import Rulebook

    chosen = calibrate_thresholds(load_semantic_layer(Rulebook()), load_rows("dev"))
    for category, languages in chosen.items():
        for language in ("en", "zh"):
            if language not in languages:
                print(f"{category} {language}: none")
            else:
                value, tp, n = languages[language]
                print(f"{category} {language}: {value} ({tp}/{n} alone)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calibrate", action="store_true", help="print thresholds (dev only)")
    parser.add_argument("--splits", default="dev,heldout")
    parser.add_argument("--file", type=Path, help="score this golden-format JSONL instead")
    parser.add_argument(
        "--approved-copy",
        action="store_true",
        help="count blocks on copy a brand lead rated 4-5 (eval/calibration) instead",
    )
    parser.add_argument("--list", action="store_true", help="with --approved-copy: list them")
    parser.add_argument(
        "--layers",
        default="rules,similarity",
        help="comma-separated: rules, similarity (rules + similarity layer), classifier "
        "(rules + trained classifier)",
    )
    args = parser.parse_args()
    import torch

    torch.set_num_threads(1)
    if args.calibrate:
        calibrate()
        return
    from agents.compliance.checker import ComplianceChecker
    from eval.metrics import detector_scores
    from knowledge.rulebook import JURISDICTIONS, Rulebook

    rulebook = Rulebook()
    titles = {
        "rules": "rules",
        "similarity": "rules + semantic",
        "classifier": "rules + classifier",
    }
    checkers = [
        (titles[name], ComplianceChecker(rulebook, JURISDICTIONS, semantic=name))
        for name in args.layers.split(",")
    ]
    print(f"rulebook {rulebook.version}\n")
    if args.approved_copy:
        approved_copy(checkers, args.list)
        return
    sets = (
        [(str(args.file), load_rows(None, args.file))]
        if args.file
        else [(split, load_rows(split)) for split in args.splits.split(",")]
    )
    for split, rows in sets:
        for name, checker in checkers:
            started = time.perf_counter()
            scores = detector_scores(detect(checker, rows))
            took = time.perf_counter() - started
            print(table(f"{split} ({len(rows)} sentences), {name}, {took:.1f} s", scores))


if __name__ == "__main__":
    main()
