"""Compare an eval report with a stored baseline, metric by metric and case by case."""

from __future__ import annotations

import fnmatch
import json
from pathlib import Path
from typing import Any

import yaml

from knowledge.errors import StudioError

TOLERANCES = Path(__file__).parent / "tolerances.yaml"


def load_report(path: str | Path) -> dict[str, Any]:
    path = Path(path)
    try:
        report = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise StudioError(f"report not found: {path}") from None
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise StudioError(f"{path} is not a JSON eval report") from None
    if not isinstance(report, dict) or "aggregate" not in report:
        raise StudioError(f"{path} is not an eval report (no 'aggregate')")
    return report


def flatten(aggregate: dict[str, Any], prefix: str = "") -> dict[str, float]:
    """Numeric leaves of the aggregate as dotted paths (generation.approved_share, ...)."""
    flat: dict[str, float] = {}
    for key, value in aggregate.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(flatten(value, path + "."))
        elif isinstance(value, int | float):  # bool is an int too
            flat[path] = float(value)
    return flat


def tolerance_for(metric: str, tolerances: dict[str, Any]) -> dict[str, Any] | None:
    if metric in tolerances:
        return tolerances[metric]
    for pattern, rule in tolerances.items():
        if "*" in pattern and fnmatch.fnmatch(metric, pattern):
            return rule
    return None


def compare(
    report: dict[str, Any], baseline: dict[str, Any], tolerances: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Return {'metrics': [...], 'regressions': [...], 'cases': [...]} (worse cases named)."""
    tolerances = tolerances or yaml.safe_load(TOLERANCES.read_text(encoding="utf-8"))
    now, before = flatten(report["aggregate"]), flatten(baseline["aggregate"])
    metrics, regressions = [], []
    for metric in sorted(set(now) | set(before)):
        rule = tolerance_for(metric, tolerances)
        current, previous = now.get(metric), before.get(metric)
        row = {"metric": metric, "baseline": previous, "current": current}
        if rule and current is not None and previous is not None:
            delta = current - previous
            worse = -delta if rule["better"] == "higher" else delta
            row.update(
                change=round(delta, 4), allowed=rule["max_change"], gated=rule.get("gate", True)
            )
            if row["gated"] and worse > float(rule["max_change"]) + 1e-9:
                regressions.append(row)
        elif rule and previous is not None and current is None and rule.get("gate", True):
            row["missing"] = True
            regressions.append(row)
        metrics.append(row)
    return {
        "metrics": metrics,
        "regressions": regressions,
        "cases": worse_cases(report.get("cases", []), baseline.get("cases", [])),
    }


def worse_cases(
    current: list[dict[str, Any]], previous: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Cases that got worse: lost approval, leaked, invented, or a detector miss / false alarm."""
    before = {c["id"]: c for c in previous}
    worse = []
    for case in current:
        old = before.get(case["id"])
        if old is None:
            continue
        reasons = []
        if case["type"] == "generation":
            if old["approved"] and not case["approved"]:
                reasons.append(f"no longer approved ({case['stop_reason']})")
            if case["leak"] and not old["leak"]:
                reasons.append(f"approved copy with blocking findings {case['blocking_final']}")
            if case["invented"] and not old["invented"] and case["approved"]:
                reasons.append(f"approved copy invents {case['invented']}")
            drop = old["scores"].get("overall", 0) - case["scores"].get("overall", 0)
            if drop > 0.15:
                reasons.append(f"overall score fell {drop:.2f}")
        else:
            missed = set(case["expected"]) - set(case["found"])
            old_missed = set(old["expected"]) - set(old["found"])
            if missed - old_missed:
                reasons.append(f"now misses {sorted(missed - old_missed)}")
            extra = set(case["found"]) - set(case["expected"])
            old_extra = set(old["found"]) - set(old["expected"])
            if extra - old_extra:
                reasons.append(f"now flags {sorted(extra - old_extra)}")
        if reasons:
            worse.append({"id": case["id"], "reasons": reasons})
    return worse


def side_by_side(a: dict[str, Any], b: dict[str, Any]) -> str:
    """A plain-text table of two reports' aggregate metrics."""
    left, right = flatten(a["aggregate"]), flatten(b["aggregate"])
    width = max((len(k) for k in set(left) | set(right)), default=10)
    lines = [
        f"{'metric':<{width}}  {'A':>10}  {'B':>10}  {'B-A':>9}",
        f"{'':-<{width}}  {'':->10}  {'':->10}  {'':->9}",
    ]
    for metric in sorted(set(left) | set(right)):
        x, y = left.get(metric), right.get(metric)
        delta = f"{y - x:+.4f}" if x is not None and y is not None else ""
        fmt = lambda v: "-" if v is None else f"{v:.4f}"  # noqa: E731
        lines.append(f"{metric:<{width}}  {fmt(x):>10}  {fmt(y):>10}  {delta:>9}")
    lines.append(
        f"A: {a.get('suite')} {a.get('versions', {}).get('code')}   "
        f"B: {b.get('suite')} {b.get('versions', {}).get('code')}"
    )
    return "\n".join(lines)
