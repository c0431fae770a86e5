"""The real bundled models end to end: SmolLM2 via transformers, MiniLM, FAISS, SQLite, CLI."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from langchain_core.messages import HumanMessage

from agents.critic import find_invented
from agents.errors import ModelLoadError
from agents.llm import load_chat_model
from agents.state import Brief
from knowledge.brand import Brand

pytestmark = pytest.mark.integration
CONTRACT_KEYS = {
    "copy",
    "variants",
    "approved",
    "stop_reason",
    "revisions",
    "scores",
    "findings",
    "retrieved",
    "timings_s",
    "llm",
    "rulebook_version",
}
STOP_REASONS = {"approved", "max_revisions", "needs_legal_review"}


def test_bundled_llm_batches_streams_and_is_reproducible(studio):
    llm = studio.llm
    messages = [HumanMessage("Write one sentence about a steel water bottle.")]
    first = llm.generate([messages], n=2, seed=7, max_new_tokens=24)
    texts = [g.text for g in first.generations[0]]
    assert len(texts) == 2 and all(t.strip() for t in texts)
    again = llm.generate([messages], n=2, seed=7, max_new_tokens=24)
    assert [g.text for g in again.generations[0]] == texts
    chunks = [c.content for c in llm.stream(messages, max_new_tokens=16)]
    assert len(chunks) > 3 and "".join(chunks).strip()
    assert llm.last_stats["generated_tokens"] > 0


def test_corrupt_model_cache_is_rebuilt_and_corrupt_weights_are_a_clear_error(tmp_path, studio):
    import shutil

    cache = tmp_path / "models"
    shutil.copytree(studio.settings.model_cache_path, cache)
    weights = next((cache / "smollm2-135m-instruct-f32").glob("*.safetensors"))
    weights.write_bytes(b"not a safetensors file")
    model = load_chat_model("smollm2", cache_dir=cache)
    assert model.invoke("Hi", max_new_tokens=4).content is not None
    broken = tmp_path / "broken"
    shutil.copytree(cache / "smollm2-135m-instruct-f32", broken)
    next(broken.glob("*.safetensors")).write_bytes(b"garbage")
    with pytest.raises(ModelLoadError, match="cannot load model"):
        load_chat_model(f"hf:{broken}")


def test_full_loop_on_an_english_product(studio):
    brand = Brand()
    product = brand.products["steel-bottle-500"]
    events: list[str] = []
    tokens: list[str] = []

    def on_event(mode, payload):
        if mode == "messages":
            tokens.append(payload[0].content)
        elif mode == "custom":
            tokens.append(payload["token"])
        else:
            events.extend(payload)

    result = studio.generate(product, "product_page", "outdoor_enthusiast", on_event=on_event)
    assert set(result) >= CONTRACT_KEYS
    assert result["stop_reason"] in STOP_REASONS
    assert result["copy"].strip()
    assert result["llm"] == "smollm2"
    assert [e for e in events[:3]] == ["write_brief", "retrieve_examples", "write_draft"]
    assert len(tokens) > 5, "the first candidate's tokens stream while drafting"
    assert result["retrieved"] and all(r["id"] for r in result["retrieved"])
    assert result["timings_s"]["total"] > 0 and result["timings_s"]["write_draft"] > 0
    if result["approved"]:
        brief = Brief.model_validate(studio.state(result["thread_id"])["brief"])
        assert not find_invented(result["copy"], brief, product.evidence)
        assert not result["findings"]
    stored = studio.store.run(result["thread_id"])
    assert stored and stored["stop_reason"] == result["stop_reason"]


def test_full_loop_on_a_chinese_product(studio):
    product = Brand().products["ppsu-baby-bottle"]
    result = studio.generate(product, "product_page", "new_parent", jurisdictions=["cn"])
    assert result["stop_reason"] in STOP_REASONS
    copy = result["copy"]
    assert sum(1 for c in copy if "\u4e00" <= c <= "\u9fff") > 20
    assert not [f for f in result["findings"] if f["severity"] == "block"] or not result["approved"]


def run_cli(env, *args, stdin=None):
    return subprocess.run(
        [sys.executable, "-m", "studio.cli", *args],
        input=stdin,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_cli_generate_json_contract_and_runs(cli_env):
    proc = run_cli(
        cli_env, "generate", "--product", "camp-headlamp-400", "--channel", "promo_banner", "--json"
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    result = json.loads(proc.stdout)
    assert set(result) >= CONTRACT_KEYS
    assert result["stop_reason"] in STOP_REASONS
    listing = run_cli(cli_env, "runs", "list")
    assert result["thread_id"] in listing.stdout
    shown = run_cli(cli_env, "runs", "show", result["thread_id"])
    assert json.loads(shown.stdout)["draft"] == result["copy"]


def test_cli_index_build_is_idempotent(cli_env):
    proc = run_cli(cli_env, "index", "build")
    assert proc.returncode == 0 and "up to date" in proc.stdout
