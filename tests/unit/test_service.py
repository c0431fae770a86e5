"""The studio service with test doubles: runs table, error stop reasons, resume from SQLite."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import PrivateAttr

from agents.llm import ScriptedChatModel
from knowledge.embeddings import HashingEmbedder
from knowledge.errors import StudioError
from studio.service import Studio
from studio.settings import Settings
from tests.conftest import GOOD_BOTTLE_COPY, RISKY_BOTTLE_COPY


class FailOnceModel(ScriptedChatModel):
    """Raises on its first call, as a crashed backend would, then replays its script."""

    _failed: bool = PrivateAttr(default=False)

    def _generate(self, messages: Any, stop: Any = None, run_manager: Any = None, **kwargs: Any):
        if not self._failed:
            self._failed = True
            raise RuntimeError("backend went away")
        return super()._generate(messages, stop, run_manager, **kwargs)


def make_studio(tmp_path, llm) -> Studio:
    studio = Studio(
        Settings(home=tmp_path, max_revisions=1, n_candidates=1, compliance_layer="rules"), llm=llm
    )
    studio.__dict__["embedder"] = HashingEmbedder()
    studio.build_index(progress=False)
    return studio


def test_generate_records_the_run_and_its_contract(tmp_path, brand):
    studio = make_studio(tmp_path, ScriptedChatModel(replies=[GOOD_BOTTLE_COPY]))
    result = studio.generate(brand.products["steel-bottle-500"])
    assert result["stop_reason"] == "approved" and result["approved"]
    assert result["copy"] == GOOD_BOTTLE_COPY and result["source"] == "llm"
    assert result["llm"] == "scripted"
    row = studio.store.run(result["thread_id"])
    assert row["status"] == "done" and row["stop_reason"] == "approved"


def test_a_failed_run_records_why_and_resumes_from_its_checkpoint(tmp_path, brand):
    studio = make_studio(tmp_path, FailOnceModel(replies=[GOOD_BOTTLE_COPY]))
    failed = studio.generate(brand.products["steel-bottle-500"])
    assert failed["stop_reason"] == "error:generation"
    assert studio.store.run(failed["thread_id"])["status"] == "error"
    # a new process: same database, fresh studio object
    again = make_studio(tmp_path, ScriptedChatModel(replies=[GOOD_BOTTLE_COPY]))
    resumed = again.resume(failed["thread_id"])
    assert resumed["stop_reason"] == "approved"
    assert again.store.run(failed["thread_id"])["status"] == "done"
    with pytest.raises(StudioError, match="already finished"):
        again.resume(failed["thread_id"])


def test_legal_review_pauses_and_a_decision_finishes_the_run(tmp_path, brand):
    studio = make_studio(tmp_path, ScriptedChatModel(replies=[RISKY_BOTTLE_COPY]))
    studio.__dict__["context"] = studio.context.__class__(
        **{**studio.context.__dict__, "fallback_composer": False}
    )
    paused = studio.generate(brand.products["steel-bottle-500"])
    assert paused["stop_reason"] == "needs_legal_review" and paused["paused"]
    assert studio.store.run(paused["thread_id"])["status"] == "paused"
    with pytest.raises(StudioError, match="waits for legal review"):
        studio.resume(paused["thread_id"])
    done = studio.resume(
        paused["thread_id"], {"decision": "reject", "comment": "too risky", "reviewer": "ana"}
    )
    assert done["review"]["outcome"] == "rejected" and not done["approved"]
    assert studio.store.run(paused["thread_id"])["status"] == "done"
