"""The `studio` CLI contracts and its one-line errors (no model weights are loaded here)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
STUDIO = [sys.executable, "-m", "studio.cli"]


def studio(
    *args: str,
    stdin: str | None = None,
    home: Path | None = None,
    env: dict[str, str | None] | None = None,
) -> subprocess.CompletedProcess:
    """Run the CLI; ``env`` overrides variables (None removes one)."""
    merged: dict[str, str | None] = {
        **os.environ,
        "STUDIO_HOME": str(home or ROOT / ".studio-test-none"),
        "STUDIO_COMPLIANCE_LAYER": "rules",  # unit tests load no weights
        **(env or {}),
    }
    return subprocess.run(
        [*STUDIO, *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={k: v for k, v in merged.items() if v is not None},
        timeout=120,
    )


def one_line_error(proc: subprocess.CompletedProcess, fragment: str) -> None:
    assert proc.returncode == 2, proc.stderr
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("error: ") and fragment in lines[0], lines[0]
    assert "Traceback" not in proc.stderr


def test_check_follows_the_contract_for_stdin_lines():
    texts = [
        "这是最好的保温杯",
        "This serum cures eczema",
        "最近很多顾客回购这款杯子",
        "Our cured leather wallet lasts for years",
    ]
    proc = studio("check", "-", stdin="\n".join(texts) + "\n")
    assert proc.returncode == 0, proc.stderr
    rows = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [r["text"] for r in rows] == texts
    assert [r["verdict"] != "pass" for r in rows] == [True, True, False, False]
    for row in rows:
        assert set(row) == {"text", "verdict", "findings", "rulebook_version"}


def test_check_reads_jsonl_files_and_prints_text(tmp_path):
    path = tmp_path / "copy.jsonl"
    path.write_text(
        json.dumps({"text": "The best bottle, #1 in the world"}) + "\n", encoding="utf-8"
    )
    proc = studio("check", str(path), "--format", "text", "--jurisdiction", "cn,us")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("REVISE") or proc.stdout.startswith("LEGAL_REVIEW")
    assert "law:" in proc.stdout and "fix:" in proc.stdout


@pytest.mark.parametrize(
    ("args", "stdin", "fragment"),
    [
        (("check", "-", "--jurisdiction", "cn,mars"), "x\n", "unknown jurisdiction 'mars'"),
        (("check", "/no/such/file.txt"), None, "no such file"),
        (("check", "-"), "\n\n", "no text to check"),
        (("check", "-"), '{"txt": "x"}\n', "needs a non-empty 'text'"),
        (("check", "-"), '{"text": \n', "invalid JSON"),
        (("check", "-", "--format", "xml"), "x\n", "unknown format 'xml'"),
        (("generate", "--product", "/no/such.json"), None, "product file not found"),
        (("generate", "--product", "no-such-product"), None, "bundled id"),
        (
            ("generate", "--product", "steel-bottle-500", "--channel", "fax"),
            None,
            "unknown channel 'fax'",
        ),
        (
            ("generate", "--product", "steel-bottle-500", "--persona", "alien"),
            None,
            "unknown persona 'alien'",
        ),
        (
            ("generate", "--product", "steel-bottle-500", "--jurisdiction", "xx"),
            None,
            "unknown jurisdiction",
        ),
        (
            ("generate", "--product", "steel-bottle-500", "--language", "fr"),
            None,
            "unsupported language 'fr'",
        ),
        (
            ("runs", "resume", "abc", "--decision", "maybe", "--comment", "c"),
            None,
            "unknown decision 'maybe'",
        ),
        (
            ("runs", "resume", "abc", "--decision", "approve", "--comment", " "),
            None,
            "a comment is required",
        ),
    ],
)
def test_bad_input_gets_one_line_errors(args, stdin, fragment):
    one_line_error(studio(*args, stdin=stdin), fragment)


def test_malformed_product_file_is_one_line(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"name": "Bottle", "facts": {}}', encoding="utf-8")
    one_line_error(studio("generate", "--product", str(bad)), "category")


def test_oversized_request_is_one_line():
    one_line_error(
        studio("generate", "--product", "steel-bottle-500", "--request", "x" * 5000),
        "keep it under",
    )


def test_missing_index_is_one_line(tmp_path):
    proc = studio("generate", "--product", "steel-bottle-500", "--json", home=tmp_path)
    one_line_error(proc, "studio index build")


def test_help_lists_the_commands():
    proc = studio("--help")
    assert proc.returncode == 0
    for command in ("generate", "check", "index", "runs"):
        assert command in proc.stdout


def test_ui_without_users_says_how_to_add_one(tmp_path):
    one_line_error(studio("ui", "--port", "7999", home=tmp_path), "studio users add")


@pytest.mark.parametrize(
    ("args", "stdin", "fragment"),
    [
        (("users", "add", "ana", "--role", "admin", "--password-stdin"), "long enough", "role"),
        (("users", "add", "ana", "--role", "reviewer", "--password-stdin"), "short\n", "at least"),
    ],
)
def test_bad_users_get_one_line_errors(tmp_path, args, stdin, fragment):
    one_line_error(studio(*args, stdin=stdin, home=tmp_path), fragment)


def test_users_add_list_and_audit_export(tmp_path):
    added = studio(
        "users",
        "add",
        "ana",
        "--role",
        "reviewer",
        "--password-stdin",
        stdin="long enough pw\n",
        home=tmp_path,
    )
    assert added.returncode == 0, added.stderr
    listed = studio("users", "list", home=tmp_path)
    assert listed.stdout.split() == ["ana", "reviewer"]
    assert "long enough pw" not in (tmp_path / "users.yaml").read_text()
    exported = studio("audit", "export", home=tmp_path)
    assert exported.returncode == 0 and exported.stdout.startswith("id,at,actor,role,action")


def test_a_missing_argument_is_a_usage_error_not_an_internal_error():
    proc = studio("runs", "show")
    assert proc.returncode == 2 and "Missing argument" in proc.stderr
    assert "internal error" not in proc.stderr and "Traceback" not in proc.stderr


def test_a_bad_setting_is_one_line(tmp_path):
    proc = studio(
        "check", "-", stdin="x\n", home=tmp_path, env={"STUDIO_COMPLIANCE_LAYER": "bogus"}
    )
    one_line_error(proc, "setting STUDIO_COMPLIANCE_LAYER")


def test_a_rulebook_without_a_trained_classifier_is_one_line_by_default(tmp_path):
    """The default layer is rules + the trained classifier; a rulebook folder that has no
    classifier says how to train one or how to check with the rules only."""
    books = tmp_path / "rules"
    books.mkdir()
    (books / "cn.yaml").write_text("jurisdiction: cn\nversion: '0'\nrules: []\n", encoding="utf-8")
    default_layer = {"STUDIO_COMPLIANCE_LAYER": None, "STUDIO_RULEBOOK_DIR": str(books)}
    proc = studio("check", "-", stdin="x\n", home=tmp_path, env=default_layer)
    one_line_error(proc, "STUDIO_COMPLIANCE_LAYER=rules")
