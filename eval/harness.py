"""Run a suite through the real studio and measure it: `run_suite(studio, cases)` → report."""

from __future__ import annotations

import platform
import re
import subprocess
import time
from collections import Counter
from pathlib import Path
from typing import Any

from agents.critic.signals import find_invented
from agents.state import Brief
from eval.metrics import detector_scores, distinct_n, mean, percentile
from eval.suite import Case, DetectorCase, GenerationCase
from knowledge.brand import parse_product
from knowledge.rulebook import JURISDICTIONS

ROOT = Path(__file__).resolve().parents[1]


def code_version() -> str:
    """The git commit (with +dirty when the tree has changes), or 'unknown' outside git."""
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short=12", "HEAD"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=5,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            [
                "git",
                "status",
                "--porcelain",
                "--",
                "studio",
                "agents",
                "knowledge",
                "eval/suite.py",
                "eval/harness.py",
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=5,
        ).stdout.strip()
        return commit + ("+dirty" if dirty else "")
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def versions(studio: Any, with_generation: bool) -> dict[str, Any]:
    import torch
    import transformers

    info: dict[str, Any] = {
        "code": code_version(),
        "rulebook": studio.rulebook.version,
        "seed": studio.settings.seed,
        "settings": {
            k: getattr(studio.settings, k)
            for k in (
                "llm",
                "embeddings",
                "max_revisions",
                "n_candidates",
                "temperature",
                "examples_k",
                "performance_weight",
            )
        },
        "python": platform.python_version(),
        "torch": torch.__version__,
        "transformers": transformers.__version__,
    }
    if with_generation:
        info["llm"] = studio.llm_name
        info["index"] = studio.retriever.version
        source = studio.settings.model_cache_path / "smollm2-135m-instruct-f32" / "SOURCE"
        if studio.settings.llm == "smollm2" and source.is_file():
            info["llm_weights"] = source.read_text(encoding="utf-8").strip()
    return info


def contains(lowered: str, term: str) -> bool:
    """Whole-word match for Latin terms ('cure' is not in 'cured'), substring for Chinese."""
    term = term.lower()
    if term.isascii() and term[:1].isalnum():
        return re.search(rf"(?<![a-z0-9]){re.escape(term)}(?![a-z0-9])", lowered) is not None
    return term in lowered


def run_detector_case(studio: Any, case: DetectorCase) -> dict[str, Any]:
    result = studio.checker.check(
        case.text, case.product_category, None, case.jurisdictions or list(JURISDICTIONS)
    )
    return {
        "id": case.id,
        "type": "detector",
        "text": case.text,
        "kind": case.kind,
        "language": case.language,
        "expected": sorted(set(case.categories)),
        "found": sorted({f.category for f in result.findings}),
        "blocking": sorted({f.category for f in result.findings if f.blocking}),
        "rules_expected": case.rules,
        "rules_found": sorted({f.rule_id for f in result.findings}),
    }


def run_generation_case(studio: Any, case: GenerationCase) -> dict[str, Any]:
    if isinstance(case.product, str):
        product = studio.brand.products.get(case.product)
        if product is None:
            from knowledge.errors import StudioError

            raise StudioError(f"case {case.id}: unknown product '{case.product}'")
    else:
        product = parse_product(case.product, source=f"case {case.id}")
    result = studio.generate(
        product,
        case.channel,
        case.persona,
        case.language,
        case.jurisdictions or None,
        case.request,
        case.sponsored,
    )
    state = studio.state(result["thread_id"])
    copy = result["copy"]
    brief = Brief.model_validate(state["brief"]) if state.get("brief") else None
    invented = [i.text for i in find_invented(copy, brief, product.evidence)] if brief else []
    check = studio.checker.check(
        copy, product.category, product.evidence, brief.jurisdictions if brief else None
    )
    blocking = sorted({f.rule_id for f in check.findings if f.blocking})
    evidence = (state.get("critique") or {}).get("evidence", {})
    voice = (evidence.get("voice_similarity") or {}).get("top_copy")
    lowered = copy.lower()
    flagged = {
        f["category"]
        for d in state.get("drafts", [])
        for f in (d.get("compliance") or {}).get("findings", [])
    }
    scores = result.get("scores") or {}
    return {
        "id": case.id,
        "type": "generation",
        "product": product.id,
        "channel": case.channel,
        "language": brief.language if brief else case.language,
        "copy": copy,
        "variants": result.get("variants", []),
        "stop_reason": result["stop_reason"],
        "approved": result["approved"],
        "revisions": result["revisions"],
        "source": result.get("source"),
        "scores": scores,
        "blocking_final": blocking,
        "leak": bool(result["approved"] and blocking),
        "invented": invented,
        "must_include_missing": [w for w in case.must_include if not contains(lowered, w)],
        "must_not_include_found": [w for w in case.must_not_include if contains(lowered, w)],
        "expected_findings_missing": [c for c in case.expected_findings if c not in flagged],
        "security_event_ok": (not case.expect_security_event) or bool(result["security_events"]),
        "voice_similarity": voice,
        "distinct_2": distinct_n([copy, *result.get("variants", [])]),
        "latency_s": result["timings_s"]["total"],
        "tokens_per_s": result.get("tokens_per_s"),
        "timings_s": {k: v for k, v in result["timings_s"].items() if not k.startswith("load_")},
        "thread_id": result["thread_id"],
    }


def aggregate_generation(rows: list[dict[str, Any]]) -> dict[str, Any]:
    if not rows:
        return {}
    approved = [r for r in rows if r["approved"]]
    stops = Counter(r["stop_reason"] for r in rows)
    return {
        "cases": len(rows),
        "approved_share": round(len(approved) / len(rows), 4),
        "stop_reasons": dict(stops),
        "sources": dict(Counter(str(r["source"]) for r in rows)),
        "mean_revisions": mean(r["revisions"] for r in rows),
        "leak_rate": round(sum(r["leak"] for r in rows) / len(rows), 4),
        "blocking_final_rate": round(sum(bool(r["blocking_final"]) for r in rows) / len(rows), 4),
        "invented_rate": round(sum(bool(r["invented"]) for r in approved) / len(approved), 4)
        if approved
        else 0.0,
        "must_include_rate": round(sum(not r["must_include_missing"] for r in rows) / len(rows), 4),
        "must_not_include_violations": sum(len(r["must_not_include_found"]) for r in rows),
        "security_events_ok": all(r["security_event_ok"] for r in rows),
        "overall_mean": mean(r["scores"].get("overall", 0.0) for r in rows),
        "voice_similarity_mean": mean(
            r["voice_similarity"] for r in rows if r["voice_similarity"] is not None
        ),
        "sentiment_fit_mean": mean(r["scores"].get("sentiment", 0.0) for r in rows),
        "length_fit_mean": mean(r["scores"].get("length", 0.0) for r in rows),
        "distinct_2_mean": mean(r["distinct_2"] for r in rows),
        "latency_p50_s": percentile((r["latency_s"] for r in rows), 50),
        "latency_p95_s": percentile((r["latency_s"] for r in rows), 95),
        "tokens_per_s_mean": mean(r["tokens_per_s"] for r in rows if r["tokens_per_s"]),
        "node_s_mean": {
            node: mean(r["timings_s"].get(node, 0.0) for r in rows)
            for node in sorted({n for r in rows for n in r["timings_s"]} - {"total"})
        },
    }


def run_suite(studio: Any, suite: str, cases: list[Case], progress: bool = True) -> dict[str, Any]:
    """Run every case and return the report (aggregates, per-case rows, versions)."""
    from tqdm import tqdm

    started = time.perf_counter()
    generation = [c for c in cases if isinstance(c, GenerationCase)]
    detector = [c for c in cases if isinstance(c, DetectorCase)]
    rows: list[dict[str, Any]] = []
    with tqdm(total=len(cases), desc=f"eval {suite}", unit="case", disable=not progress) as bar:
        for detector_case in detector:
            rows.append(run_detector_case(studio, detector_case))
            bar.update(1)
        for generation_case in generation:
            bar.set_postfix_str(generation_case.id)
            rows.append(run_generation_case(studio, generation_case))
            bar.update(1)
    gen_rows = [r for r in rows if r["type"] == "generation"]
    det_rows = [r for r in rows if r["type"] == "detector"]
    return {
        "suite": suite,
        "created_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "duration_s": round(time.perf_counter() - started, 2),
        "versions": versions(studio, bool(generation)),
        "aggregate": {
            "generation": aggregate_generation(gen_rows),
            "detector": detector_scores(det_rows) if det_rows else {},
        },
        "cases": rows,
    }
