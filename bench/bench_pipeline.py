"""Measure the studio on this machine: model load, decoding speed, time per node and per run.

Prints figures and compares each against its baseline in the same run:
- LLM load: converting the bundled GGUF (first run) vs loading the cached conversion;
- decoding: one batch of 4 candidates vs 4 sequential single generations;
- the full loop over bundled products: time per node, per run, approved share, revisions.

    python bench/bench_pipeline.py [--products N] [--all] [--json OUT]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from langchain_core.messages import HumanMessage  # noqa: E402

from agents.llm import load_chat_model  # noqa: E402
from studio.service import Studio  # noqa: E402
from studio.settings import Settings  # noqa: E402

PROMPT = [HumanMessage("Write a short product description for a 500 ml steel water bottle.")]


def bench_load(cache: Path) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as fresh:
        started = time.perf_counter()
        load_chat_model("smollm2", cache_dir=fresh)
        first = time.perf_counter() - started
    load_chat_model("smollm2", cache_dir=cache)  # make sure the shared cache exists
    started = time.perf_counter()
    load_chat_model("smollm2", cache_dir=cache)
    cached = time.perf_counter() - started
    return {
        "first_load_s": round(first, 2),
        "cached_load_s": round(cached, 2),
        "speedup": round(first / cached, 1),
    }


def bench_decoding(model, tokens: int = 64) -> dict[str, float]:
    model.generate([PROMPT], n=1, max_new_tokens=8)  # warm-up
    started = time.perf_counter()
    produced = 0
    for seed in range(4):
        model.generate([PROMPT], n=1, seed=seed, max_new_tokens=tokens)
        produced += model.last_stats["generated_tokens"]
    sequential = time.perf_counter() - started
    started = time.perf_counter()
    model.generate([PROMPT], n=4, seed=0, max_new_tokens=tokens)
    batched = time.perf_counter() - started
    batch_tokens = model.last_stats["generated_tokens"]
    return {
        "single_tokens_per_s": round(produced / sequential, 1),
        "batch4_tokens_per_s": round(batch_tokens / batched, 1),
        "four_sequential_s": round(sequential, 2),
        "one_batch_of_four_s": round(batched, 2),
        "batch_speedup": round(sequential / batched, 2),
    }


def bench_runs(studio: Studio, product_ids: list[str]) -> dict[str, object]:
    per_node: dict[str, list[float]] = defaultdict(list)
    totals, revisions = [], []
    stops: Counter[str] = Counter()
    sources: Counter[str] = Counter()
    for pid in product_ids:
        product = studio.brand.products[pid]
        result = studio.generate(product)
        timings = result["timings_s"]
        totals.append(timings["total"])
        revisions.append(result["revisions"])
        stops[result["stop_reason"]] += 1
        sources[str(result["source"])] += 1
        for node, seconds in timings.items():
            if node != "total" and not node.startswith("load_"):
                per_node[node].append(seconds)
        overall = result["scores"].get("overall", 0.0)
        print(
            f"  {pid:<26} {product.language}  {result['stop_reason']:<18} "
            f"rev {result['revisions']}  {str(result['source']):<9} "
            f"{timings['total']:6.1f} s  overall {overall:.2f}",
            flush=True,
        )
    approved = stops["approved"] / len(product_ids)
    return {
        "runs": len(product_ids),
        "approved_share": round(approved, 3),
        "stop_reasons": dict(stops),
        "sources": dict(sources),
        "mean_revisions": round(statistics.mean(revisions), 2),
        "run_s_mean": round(statistics.mean(totals), 1),
        "run_s_p50": round(statistics.median(totals), 1),
        "run_s_max": round(max(totals), 1),
        "node_s_mean": {k: round(statistics.mean(v), 2) for k, v in per_node.items()},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=6, help="how many bundled products")
    parser.add_argument("--all", action="store_true", help="every bundled product")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    root = Path(__file__).resolve().parents[1]
    home = Path(os.environ.get("STUDIO_HOME", root / ".studio"))
    settings = Settings(home=home)
    figures: dict[str, object] = {}

    print("LLM load (bundled SmolLM2): convert GGUF vs cached copy", flush=True)
    figures["load"] = bench_load(settings.model_cache_path)
    print(f"  {figures['load']}")

    studio = Studio(settings)
    studio.build_index(progress=False)
    print("Decoding: 4 sequential generations vs one batch of 4 (64 new tokens each)", flush=True)
    figures["decoding"] = bench_decoding(studio.llm)
    print(f"  {figures['decoding']}")

    products = sorted(studio.brand.products)
    if not args.all:
        english = [p for p in products if studio.brand.products[p].language == "en"]
        chinese = [p for p in products if studio.brand.products[p].language == "zh"]
        half = max(1, args.products // 2)
        products = english[:half] + chinese[: args.products - half]
    print(f"Full loop on {len(products)} bundled products (default settings)", flush=True)
    figures["runs"] = bench_runs(studio, products)
    print(json.dumps(figures["runs"], indent=2))
    figures["load_s"] = studio.load_seconds
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
