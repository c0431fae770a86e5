"""The legal review queue, roles, the audit trail and users, with the scripted fake LLM."""

from __future__ import annotations

import csv
import io
import sqlite3

import pytest

from agents.llm import ScriptedChatModel
from agents.review import content_hash
from knowledge.embeddings import HashingEmbedder
from studio.review_desk import PermissionDeniedError, ReviewError
from studio.service import Studio
from studio.settings import Settings
from studio.store import Store
from studio.users import User, Users, UsersFileError, hash_password, verify_password
from tests.conftest import GOOD_BOTTLE_COPY, RISKY_BOTTLE_COPY

REVIEWER = User("rita", "reviewer", "")
COPYWRITER = User("carl", "copywriter", "")
CLEAN_EDIT = GOOD_BOTTLE_COPY


def make_studio(tmp_path, replies: list[str], composer: bool = True) -> Studio:
    studio = Studio(
        Settings(home=tmp_path, max_revisions=0, n_candidates=1, compliance_layer="rules"),
        llm=ScriptedChatModel(replies=replies),
    )
    studio.__dict__["embedder"] = HashingEmbedder()
    studio.build_index(progress=False)
    if not composer:
        studio.__dict__["context"] = studio.context.__class__(
            **{**studio.context.__dict__, "fallback_composer": False, "fact_sentences": False}
        )
    return studio


@pytest.fixture
def paused(tmp_path, brand):
    studio = make_studio(tmp_path, [RISKY_BOTTLE_COPY], composer=False)
    result = studio.generate(brand.products["steel-bottle-500"], owner="carl")
    assert result["stop_reason"] == "needs_legal_review"
    return studio, result


def test_a_paused_run_enters_the_queue_with_its_findings_and_provenance(paused):
    studio, result = paused
    [item] = studio.store.reviews(status="pending")
    assert item["id"] == result["review_id"] and item["thread_id"] == result["thread_id"]
    assert item["origin"] == "run" and item["submitted_by"] == "carl"
    assert item["content_hash"] == content_hash(RISKY_BOTTLE_COPY)
    assert "absolute_superlative" in item["categories"].split(",")
    assert item["findings"] and all(f["rule_id"] for f in item["findings"])
    assert item["rulebook_version"] == studio.rulebook.version and item["model"] == "scripted"
    assert item["facts"]["category"] == "drinkware"
    assert studio.store.reviews(category="absolute_superlative", jurisdiction="cn")
    assert not studio.store.reviews(category="body_image")
    assert [row["action"] for row in studio.store.audit()] == ["enqueue"]


def test_a_copywriter_cannot_decide_and_the_attempt_is_recorded(paused):
    studio, result = paused
    with pytest.raises(PermissionDeniedError, match="only reviewers"):
        studio.reviews.decide(result["review_id"], COPYWRITER, "approve", "looks fine")
    assert studio.store.review(result["review_id"])["status"] == "pending"
    assert studio.store.audit()[0]["action"] == "refused"
    assert studio.store.run(result["thread_id"])["status"] == "paused"


@pytest.mark.parametrize(
    ("decision", "comment", "text", "seen", "message"),
    [
        ("approve", "  ", None, None, "comment is required"),
        ("maybe", "x", None, None, "unknown decision"),
        ("approve", "x", None, "0000", "changed since you opened it"),
        ("edit", "x", "", None, "needs the edited copy"),
        ("edit", "x", RISKY_BOTTLE_COPY, None, "still has .* blocking finding"),
    ],
)
def test_a_decision_that_cannot_be_taken_leaves_the_item_pending(
    paused, decision, comment, text, seen, message
):
    studio, result = paused
    with pytest.raises(ReviewError, match=message):
        studio.reviews.decide(result["review_id"], REVIEWER, decision, comment, text, seen)
    assert studio.store.review(result["review_id"])["status"] == "pending"
    assert studio.store.run(result["thread_id"])["status"] == "paused"


def test_edit_and_approve_rechecks_resumes_the_run_and_ties_approval_to_the_hash(paused):
    studio, result = paused
    item = studio.reviews.decide(
        result["review_id"],
        REVIEWER,
        "edit",
        "removed the superlatives",
        CLEAN_EDIT,
        seen_hash=content_hash(RISKY_BOTTLE_COPY),
    )
    assert item["status"] == "approved" and item["final_hash"] == content_hash(CLEAN_EDIT)
    assert item["run"]["approved"] and item["run"]["copy"] == CLEAN_EDIT
    state = studio.state(result["thread_id"])
    assert state["review"]["reviewer"] == "rita" and state["draft_source"] == "edited"
    assert studio.store.run(result["thread_id"])["status"] == "done"
    assert studio.reviews.approval_for(CLEAN_EDIT)["decided_by"] == "rita"
    assert studio.reviews.approval_for(CLEAN_EDIT + " ") is None  # changed copy: no approval
    last = studio.store.audit()[0]
    assert (last["actor"], last["role"], last["action"]) == ("rita", "reviewer", "edit")
    assert last["content_hash"] == content_hash(CLEAN_EDIT)
    assert last["rulebook_version"] == studio.rulebook.version and last["model"] == "scripted"
    with pytest.raises(ReviewError, match="already approved by rita"):
        studio.reviews.decide(result["review_id"], REVIEWER, "reject", "second thoughts")


def test_reject_finishes_the_run_not_approved(paused):
    studio, result = paused
    item = studio.reviews.decide(result["review_id"], REVIEWER, "reject", "too risky")
    assert item["status"] == "rejected" and not item["run"]["approved"]
    assert studio.reviews.approval_for(RISKY_BOTTLE_COPY) is None


def test_a_copywriter_submits_copy_and_the_audit_exports_as_csv(tmp_path, brand):
    studio = make_studio(tmp_path, [GOOD_BOTTLE_COPY])
    product = brand.products["steel-bottle-500"].model_dump()
    with pytest.raises(ReviewError, match="no copy"):
        studio.reviews.submit(COPYWRITER, " ", product, "product_page", "en", None)
    review_id = studio.reviews.submit(
        COPYWRITER, RISKY_BOTTLE_COPY, product, "product_page", "en", ["cn"]
    )
    item = studio.store.review(review_id)
    assert item["origin"] == "submitted" and item["jurisdictions"] == "cn" and item["findings"]
    studio.reviews.decide(review_id, REVIEWER, "approve", "fine for an internal deck")
    rows = list(csv.DictReader(io.StringIO(studio.store.audit_csv())))
    assert [r["action"] for r in rows] == ["submit", "approve"]
    assert rows[1]["actor"] == "rita" and rows[1]["comment"] == "fine for an internal deck"
    assert rows[1]["content_hash"] == content_hash(RISKY_BOTTLE_COPY)


def test_the_queue_and_audit_survive_a_new_process(paused):
    studio, result = paused
    path = studio.settings.database_path
    studio.store.close()
    again = Store(path)
    assert [i["id"] for i in again.reviews(status="pending")] == [result["review_id"]]
    assert again.audit()[0]["action"] == "enqueue"


def test_an_old_database_gains_the_new_columns(tmp_path):
    path = tmp_path / "old.sqlite"
    conn = sqlite3.connect(path)
    conn.execute(
        "CREATE TABLE runs (thread_id TEXT PRIMARY KEY, created_at TEXT NOT NULL, "
        "updated_at TEXT NOT NULL, product_id TEXT, product_name TEXT, channel TEXT, "
        "persona TEXT, language TEXT, status TEXT NOT NULL, stop_reason TEXT, "
        "content_hash TEXT, copy TEXT, summary TEXT)"
    )
    conn.commit()
    conn.close()
    store = Store(path)
    store.start_run("t1", {"id": "p"}, {"channel": "product_page"}, owner="ana")
    assert store.runs(owner="ana")[0]["thread_id"] == "t1"
    assert store.runs(owner="bob") == []


def test_audit_rows_refuse_unknown_fields(tmp_path):
    with pytest.raises(ValueError, match="unknown audit fields"):
        Store(tmp_path / "s.sqlite").log(actor="a", role="r", action="x", wat=1)


def test_passwords_are_hashed_and_verified(tmp_path):
    stored = hash_password("correct horse")
    assert stored.startswith("scrypt$") and "correct horse" not in stored
    assert verify_password("correct horse", stored)
    assert not verify_password("wrong horse", stored)
    assert not verify_password("x", "not-a-hash")
    users = Users(tmp_path / "users.yaml")
    users.add("rita", "reviewer", "long enough pw")
    again = Users(tmp_path / "users.yaml")
    assert again.authenticate("rita", "long enough pw") and again.get("rita").can_approve
    assert not again.authenticate("rita", "nope") and not again.authenticate("nobody", "x")
    assert "long enough pw" not in (tmp_path / "users.yaml").read_text()


@pytest.mark.parametrize(
    ("name", "role", "password", "message"),
    [
        ("r", "reviewer", "long enough", "2-32 letters"),
        ("rita", "admin", "long enough", "unknown role"),
        ("rita", "reviewer", "short", "at least 8"),
    ],
)
def test_bad_users_are_refused(tmp_path, name, role, password, message):
    with pytest.raises(UsersFileError, match=message):
        Users(tmp_path / "u.yaml").add(name, role, password)


@pytest.mark.parametrize(
    "text", ["users: [a, b]", "users:\n  ana: {role: boss, password_hash: x}", "{: bad yaml"]
)
def test_a_malformed_users_file_gets_one_line(tmp_path, text):
    path = tmp_path / "users.yaml"
    path.write_text(text)
    with pytest.raises(UsersFileError) as info:
        Users(path)
    assert "\n" not in str(info.value)
