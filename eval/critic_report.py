"""Agreement between the critic and a brand lead's ratings on the calibration set.

    python -m eval.critic_report [--set eval/calibration/critic.jsonl] [--errors N] [--json OUT]

Reports, per split, Spearman correlation of the critic's overall score with the 1-5 ratings,
accuracy of approve/reject against rating >= 4, and recall of invented-fact detection. Splits
named ``dev*`` were used to set the signals, weights and gates; every other split is held back
(see ``is_dev``).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from scipy.stats import spearmanr

from agents.brief_writer import build_brief
from agents.critic import Critic
from agents.state import Brief
from knowledge.brand import Brand

DEFAULT_SET = Path(__file__).parent / "calibration" / "critic.jsonl"


def is_dev(split: str) -> bool:
    """Return True for a split used to tune the critic; any other split is held back."""
    return split.startswith("dev")


def load_items(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def item_brief(brand: Brand, item: dict[str, Any]) -> Brief:
    """The brief a calibration item was written to: its product, channel, persona, language."""
    return build_brief(
        brand,
        brand.products[item["product"]],
        item["channel"],
        item.get("persona", "general"),
        item["language"],
        None,
        sponsored=bool(item.get("sponsored")),
    )


def score_items(critic: Critic, brand: Brand, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    rows = []
    for item in items:
        product = brand.products[item["product"]]
        brief = item_brief(brand, item)
        critique = critic.score(item["text"], brief, product.evidence)
        rows.append(
            {
                **item,
                "overall": critique.scores["overall"],
                "approved": critique.approved,
                "caught_invented": not critique.gates["facts"],
                "critic_invented": critique.invented,
                "critic_spans": [(i["start"], i["end"]) for i in critique.evidence["invented"]],
                "feedback": critique.feedback,
            }
        )
    return rows


def spans_listed(row: dict[str, Any]) -> tuple[int, int]:
    """Return (labelled invented spans the critic's spans overlap, labelled spans found)."""
    listed = found = 0
    for span in row["invented"]:
        start = row["text"].find(span)
        if start < 0:
            continue
        found += 1
        end = start + len(span)
        listed += any(s < end and start < e for s, e in row.get("critic_spans", []))
    return listed, found


def summarise(rows: list[dict[str, Any]]) -> dict[str, Any]:
    if not rows:
        return {}
    rho = spearmanr([r["overall"] for r in rows], [r["rating"] for r in rows]).statistic
    correct = sum(r["approved"] == (r["rating"] >= 4) for r in rows)
    invented = [r for r in rows if "invented_fact" in r["flaws"]]
    flagged_clean = [r for r in rows if "invented_fact" not in r["flaws"] and r["caught_invented"]]
    counts = [spans_listed(r) for r in invented]
    labelled = sum(found for _, found in counts)
    return {
        "items": len(rows),
        "spearman": round(float(rho), 3),
        "approve_accuracy": round(correct / len(rows), 3),
        "invented_recall": round(sum(r["caught_invented"] for r in invented) / len(invented), 3)
        if invented
        else None,
        "invented_items": len(invented),
        "invented_span_recall": round(sum(listed for listed, _ in counts) / labelled, 3)
        if labelled
        else None,
        "false_invented_on_clean": len(flagged_clean),
        "approved_share": round(sum(r["approved"] for r in rows) / len(rows), 3),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--set",
        type=Path,
        action="append",
        help="calibration JSONL (repeatable); default: every file in eval/calibration/",
    )
    parser.add_argument(
        "--errors", type=int, default=0, help="print N dev* disagreements and every dev* miss"
    )
    parser.add_argument("--json", type=Path, help="write the summary here")
    args = parser.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from studio.service import Studio
    from studio.settings import Settings

    studio = Studio(Settings.from_env())
    studio.build_index(progress=False)
    critic = Critic(studio.brand, studio.embedder, studio.retriever, studio.checker)
    paths = args.set or sorted(DEFAULT_SET.parent.glob("*.jsonl"))
    rows = score_items(critic, studio.brand, [i for p in paths for i in load_items(p)])
    splits = sorted({r["split"] for r in rows}, key=lambda s: (not is_dev(s), s))
    summary = {split: summarise([r for r in rows if r["split"] == split]) for split in splits}
    for name, pool in (("dev*", True), ("held*", False)):  # the pools the targets use
        pooled = [r for r in rows if is_dev(r["split"]) == pool]
        if pooled and len({r["split"] for r in pooled}) > 1:
            summary[name] = summarise(pooled)
    print(
        f"{'split':<8} {'items':>5} {'spearman':>9} {'accuracy':>9} {'invented recall':>16}"
        f" {'span recall':>12} {'false invented':>15}"
    )
    for split, s in summary.items():
        print(
            f"{split:<8} {s['items']:>5} {s['spearman']:>9.3f} {s['approve_accuracy']:>9.3f}"
            f" {s['invented_recall']!s:>16} {s['invented_span_recall']!s:>12}"
            f" {s['false_invented_on_clean']:>15}"
        )
    if args.errors:
        wrong = [r for r in rows if is_dev(r["split"]) and r["approved"] != (r["rating"] >= 4)]
        for r in wrong[: args.errors]:
            print(
                f"- {r['id']} rating {r['rating']} approved={r['approved']} "
                f"overall={r['overall']:.2f} flaws={r['flaws']} :: {r['feedback'][:3]}\n"
                f"    {r['text'][:140]}"
            )
        missed = [
            r
            for r in rows
            if is_dev(r["split"]) and "invented_fact" in r["flaws"] and not r["caught_invented"]
        ]
        for r in missed:
            print(
                f"- missed invented {r['id']} ({r['split']}): {r['invented']} :: {r['text'][:100]}"
            )
    if args.json:
        args.json.write_text(json.dumps(summary, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
