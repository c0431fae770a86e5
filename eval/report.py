"""Write an eval run's report.json and a human report (Markdown with charts)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def write_reports(report: dict[str, Any], out: Path, comparison: dict[str, Any] | None) -> Path:
    """Write report.json, charts and report.md into ``out``; return the Markdown path."""
    out.mkdir(parents=True, exist_ok=True)
    payload = {**report, "comparison": comparison} if comparison else report
    (out / "report.json").write_text(
        json.dumps(payload, ensure_ascii=False, indent=2), encoding="utf-8"
    )
    charts = _charts(report, out)
    md = out / "report.md"
    md.write_text(_markdown(report, comparison, charts), encoding="utf-8")
    return md


def _charts(report: dict[str, Any], out: Path) -> list[tuple[str, str]]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    charts = []
    gen = [c for c in report["cases"] if c["type"] == "generation"]
    if gen:
        fig, axes = plt.subplots(1, 2, figsize=(10, 3.2))
        axes[0].hist(
            [c["scores"].get("overall", 0) for c in gen], bins=10, range=(0, 1), color="#4a7c59"
        )
        axes[0].set_title("Critic overall score")
        axes[0].set_xlabel("score")
        axes[1].hist([c["latency_s"] for c in gen], bins=10, color="#8a6d3b")
        axes[1].set_title("Latency per case")
        axes[1].set_xlabel("seconds")
        fig.tight_layout()
        fig.savefig(out / "generation.png", dpi=110)
        plt.close(fig)
        charts.append(("Scores and latency", "generation.png"))
    per_category = (report["aggregate"].get("detector") or {}).get("per_category") or {}
    if per_category:
        names = sorted(per_category)
        fig, ax = plt.subplots(figsize=(10, 3.4))
        xs = range(len(names))
        ax.bar(
            [x - 0.2 for x in xs],
            [per_category[n]["precision"] for n in names],
            0.4,
            label="precision",
            color="#4a7c59",
        )
        ax.bar(
            [x + 0.2 for x in xs],
            [per_category[n]["recall"] for n in names],
            0.4,
            label="recall",
            color="#c0823a",
        )
        ax.set_xticks(list(xs), names, rotation=30, ha="right", fontsize=8)
        ax.set_ylim(0, 1.05)
        ax.legend()
        ax.set_title("Compliance detector per category")
        fig.tight_layout()
        fig.savefig(out / "detector.png", dpi=110)
        plt.close(fig)
        charts.append(("Detector precision and recall", "detector.png"))
    return charts


def _markdown(
    report: dict[str, Any], comparison: dict[str, Any] | None, charts: list[tuple[str, str]]
) -> str:
    lines = [
        f"# Eval report: {report['suite']}",
        "",
        f"Run {report['created_at']} in {report['duration_s']} s.",
        "",
        "## Versions",
        "",
    ]
    for key, value in report["versions"].items():
        lines.append(f"- **{key}**: `{value}`")
    gen = report["aggregate"].get("generation") or {}
    if gen:
        lines += ["", "## Generation", "", "| metric | value |", "|---|---|"]
        lines += [f"| {k} | {v} |" for k, v in gen.items()]
    det = report["aggregate"].get("detector") or {}
    if det:
        lines += [
            "",
            "## Compliance detector",
            "",
            f"Precision {det['precision']}, recall {det['recall']}, false blocks on hard "
            f"negatives {det['false_block_rate']} ({det['hard_negatives']} hard negatives).",
            "",
            "| category | precision | recall | support |",
            "|---|---|---|---|",
        ]
        lines += [
            f"| {c} | {v['precision']} | {v['recall']} | {v['support']} |"
            for c, v in det["per_category"].items()
        ]
    for title, path in charts:
        lines += ["", f"![{title}]({path})"]
    if comparison:
        lines += ["", "## Against the baseline", ""]
        if comparison["regressions"]:
            lines += ["**Regressions:**", ""]
            lines += [
                f"- `{r['metric']}`: {r['baseline']} → {r['current']} (allowed {r.get('allowed')})"
                for r in comparison["regressions"]
            ]
        else:
            lines.append("No metric regressed beyond its tolerance.")
        if comparison["cases"]:
            lines += ["", "Cases that got worse:", ""]
            lines += [f"- `{c['id']}`: {'; '.join(c['reasons'])}" for c in comparison["cases"]]
    worst = sorted(
        (c for c in report["cases"] if c["type"] == "generation"),
        key=lambda c: (
            not c["leak"],
            not c["invented"],
            c["approved"],
            c["scores"].get("overall", 0),
        ),
    )[:5]
    if worst:
        lines += ["", "## Worst generation cases", ""]
        for case in worst:
            lines += [
                f"### {case['id']} — {case['product']} / {case['channel']} "
                f"({case['stop_reason']}, overall {case['scores'].get('overall', 0)})",
                "",
                f"> {case['copy']}",
                "",
            ]
            if case["invented"] or case["blocking_final"]:
                lines.append(f"invented: {case['invented']}; blocking: {case['blocking_final']}")
    misses = [
        c
        for c in report["cases"]
        if c["type"] == "detector" and set(c["expected"]) != set(c["found"])
    ][:15]
    if misses:
        lines += [
            "",
            "## Detector disagreements",
            "",
            "| id | expected | found | text |",
            "|---|---|---|---|",
        ]
        lines += [
            f"| {c['id']} | {', '.join(c['expected'])} | {', '.join(c['found'])} | "
            f"{c['text'][:80]} |"
            for c in misses
        ]
    return "\n".join(lines) + "\n"
