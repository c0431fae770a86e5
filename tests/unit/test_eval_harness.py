"""The eval harness with test doubles: suites, metrics, reports, baselines and gates."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from agents.critic import signals
from agents.llm import ScriptedChatModel
from eval.baseline import compare, side_by_side
from eval.harness import run_suite
from eval.metrics import distinct_n
from eval.report import write_reports
from eval.suite import load_suite, resolve_suite
from knowledge.embeddings import HashingEmbedder
from knowledge.errors import StudioError
from studio.service import Studio
from studio.settings import Settings
from tests.conftest import GOOD_BOTTLE_COPY

ROOT = Path(__file__).resolve().parents[2]
INVENTED_BOTTLE_COPY = GOOD_BOTTLE_COPY.replace("24 hours", "48 hours")
SUITE = [
    {
        "id": "g1",
        "type": "generation",
        "product": "steel-bottle-500",
        "channel": "product_page",
        "must_include": ["Trail Bottle"],
        "must_not_include": ["best"],
    },
    {
        "id": "d1",
        "type": "detector",
        "text": "这是最好的保温杯",
        "categories": ["absolute_superlative"],
        "kind": "direct",
    },
    {
        "id": "d2",
        "type": "detector",
        "text": "This serum cures eczema.",
        "categories": ["medical_claim"],
        "kind": "direct",
        "product_category": "skincare",
    },
    {
        "id": "d3",
        "type": "detector",
        "text": "最近很多顾客回购这款杯子",
        "categories": [],
        "kind": "hard_negative",
    },
]


def write_suite(tmp_path: Path, rows: list[dict]) -> Path:
    path = tmp_path / "suite.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    return path


def make_studio(home: Path, replies: list[str], rulebook_dir: Path | None = None) -> Studio:
    overrides = {"rulebook_dir": rulebook_dir} if rulebook_dir else {}
    studio = Studio(
        Settings(home=home, max_revisions=0, n_candidates=1, compliance_layer="rules", **overrides),
        llm=ScriptedChatModel(replies=replies),
    )
    studio.__dict__["embedder"] = HashingEmbedder()
    studio.build_index(progress=False)
    return studio


def run(tmp_path: Path, replies: list[str], name: str, rulebook_dir: Path | None = None) -> dict:
    cases = load_suite(write_suite(tmp_path, SUITE))
    return run_suite(
        make_studio(tmp_path / name, replies, rulebook_dir), "unit", cases, progress=False
    )


def test_report_has_the_measures_the_team_reads(tmp_path):
    report = run(tmp_path, [GOOD_BOTTLE_COPY], "a")
    gen = report["aggregate"]["generation"]
    assert gen["approved_share"] == 1.0 and gen["leak_rate"] == 0.0 and gen["invented_rate"] == 0
    assert gen["must_include_rate"] == 1.0 and gen["must_not_include_violations"] == 0
    for key in (
        "voice_similarity_mean",
        "sentiment_fit_mean",
        "length_fit_mean",
        "distinct_2_mean",
        "latency_p50_s",
        "latency_p95_s",
        "mean_revisions",
    ):
        assert key in gen
    det = report["aggregate"]["detector"]
    assert det["recall"] == 1.0 and det["false_block_rate"] == 0.0
    assert {"code", "rulebook", "seed", "llm", "index"} <= set(report["versions"])
    md = write_reports(report, tmp_path / "out", None)
    assert (tmp_path / "out" / "report.json").is_file() and (
        tmp_path / "out" / "detector.png"
    ).is_file()
    assert "Worst generation cases" in md.read_text(encoding="utf-8")


def test_same_seed_and_versions_give_the_same_scores(tmp_path):
    first = run(tmp_path, [GOOD_BOTTLE_COPY], "a")
    second = run(tmp_path, [GOOD_BOTTLE_COPY], "b")

    def strip(report: dict) -> dict:
        generation = report["aggregate"]["generation"]
        return {
            k: v for k, v in generation.items() if not k.startswith(("latency", "tokens", "node_s"))
        }

    assert strip(first) == strip(second)
    assert first["aggregate"]["detector"] == second["aggregate"]["detector"]


def test_an_emptied_rulebook_is_a_regression(tmp_path):
    baseline = run(tmp_path, [GOOD_BOTTLE_COPY], "a")
    empty = empty_rulebook(tmp_path)
    weakened = run(tmp_path, [GOOD_BOTTLE_COPY], "b", rulebook_dir=empty)
    result = compare(weakened, baseline)
    names = {r["metric"] for r in result["regressions"]}
    assert "detector.recall" in names
    assert {c["id"] for c in result["cases"]} >= {"d1", "d2"}
    assert "detector.recall" in side_by_side(baseline, weakened)


def test_turning_off_the_fact_check_is_a_regression(tmp_path, monkeypatch):
    baseline = run(tmp_path, [INVENTED_BOTTLE_COPY, GOOD_BOTTLE_COPY], "a")
    assert baseline["aggregate"]["generation"]["invented_rate"] == 0
    monkeypatch.setattr(signals, "find_invented", lambda *args, **kwargs: [])
    weakened = run(tmp_path, [INVENTED_BOTTLE_COPY, GOOD_BOTTLE_COPY], "b")
    assert weakened["aggregate"]["generation"]["invented_rate"] == 1.0
    regressions = {r["metric"] for r in compare(weakened, baseline)["regressions"]}
    assert "generation.invented_rate" in regressions


def eval_cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "studio.cli", "eval", "run", *args],
        env=env,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )


def empty_rulebook(tmp_path: Path) -> Path:
    folder = tmp_path / "rules"
    folder.mkdir()
    (folder / "cn.yaml").write_text("jurisdiction: cn\nversion: '0'\nrules: []\n", encoding="utf-8")
    return folder


def test_cli_exits_non_zero_on_a_regression(tmp_path):
    detector_only = str(write_suite(tmp_path, SUITE[1:]))
    # unit tests load no weights: the rules only, not the default classifier layer
    env = {**os.environ, "STUDIO_HOME": str(tmp_path / "home"), "STUDIO_COMPLIANCE_LAYER": "rules"}
    base = eval_cli(detector_only, "--out", str(tmp_path / "base"), env=env)
    assert base.returncode == 0, base.stderr
    weak = eval_cli(
        detector_only,
        "--out",
        str(tmp_path / "weak"),
        "--baseline",
        str(tmp_path / "base" / "report.json"),
        env={**env, "STUDIO_RULEBOOK_DIR": str(empty_rulebook(tmp_path))},
    )
    assert weak.returncode == 1, weak.stdout + weak.stderr
    assert "REGRESSION detector.recall" in weak.stdout
    assert "worse case d1" in weak.stdout


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{bad", "invalid JSON"),
        ('{"id": "x", "product": 5}', "product"),
        ('{"id": "a", "text": "t"}\n{"id": "a", "text": "u"}', "duplicate case id 'a'"),
    ],
)
def test_bad_suites_get_one_line_errors(tmp_path, line, message):
    path = tmp_path / "s.jsonl"
    path.write_text(line, encoding="utf-8")
    with pytest.raises(StudioError, match=message):
        load_suite(path)


def test_bundled_suites_cover_the_brand():
    cases = load_suite(resolve_suite("generation"))
    assert len(cases) >= 40
    assert {c.channel for c in cases} == {
        "product_page",
        "promo_banner",
        "recommendation",
        "cs_reply",
        "social_post",
    }
    assert {c.language for c in cases} == {"en", "zh"}
    smoke = load_suite(resolve_suite("smoke"))
    assert any(c.type == "generation" for c in smoke) and any(c.type == "detector" for c in smoke)
    with pytest.raises(StudioError, match="suite not found"):
        resolve_suite("nope")


def test_distinct_n_counts_words_and_characters():
    assert distinct_n(["a b a b"], 2) == round(2 / 3, 4)
    assert distinct_n(["好好好"], 2) == 0.5
