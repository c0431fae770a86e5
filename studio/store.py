"""SQLite persistence in one file: graph checkpoints, runs, the review queue and the audit trail."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

from langgraph.checkpoint.sqlite import SqliteSaver

SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    thread_id TEXT PRIMARY KEY,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    product_id TEXT,
    product_name TEXT,
    channel TEXT,
    persona TEXT,
    language TEXT,
    status TEXT NOT NULL,          -- running | done | paused | error
    stop_reason TEXT,
    content_hash TEXT,
    copy TEXT,
    summary TEXT,                  -- JSON: scores, findings count, review outcome
    owner TEXT,                    -- who started the run (the UI's logged-in user)
    conversation TEXT              -- the chat conversation the run belongs to
);
CREATE TABLE IF NOT EXISTS reviews (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    thread_id TEXT,
    origin TEXT NOT NULL,          -- run (paused by the graph) | submitted (by a copywriter)
    status TEXT NOT NULL,          -- pending | approved | rejected
    submitted_by TEXT,
    submitted_at TEXT NOT NULL,
    product TEXT,
    channel TEXT,
    language TEXT,
    jurisdictions TEXT,            -- comma-separated
    categories TEXT,               -- comma-separated compliance categories of the findings
    copy TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    findings TEXT,                 -- JSON list
    evidence TEXT,                 -- JSON object: the product's substantiation
    facts TEXT,                    -- JSON object: the product facts
    rulebook_version TEXT,
    model TEXT,
    index_version TEXT,
    decided_by TEXT,
    decided_at TEXT,
    decision TEXT,                 -- approve | reject | edit
    comment TEXT,
    final_copy TEXT,
    final_hash TEXT
);
CREATE TABLE IF NOT EXISTS audit (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    role TEXT NOT NULL,
    action TEXT NOT NULL,          -- submit | enqueue | approve | reject | edit | refused
    review_id INTEGER,
    thread_id TEXT,
    content_hash TEXT,
    rulebook_version TEXT,
    model TEXT,
    index_version TEXT,
    comment TEXT,
    detail TEXT
);
"""
MIGRATIONS = {"runs": {"owner": "TEXT", "conversation": "TEXT"}}
AUDIT_COLUMNS = (
    "id",
    "at",
    "actor",
    "role",
    "action",
    "review_id",
    "thread_id",
    "content_hash",
    "rulebook_version",
    "model",
    "index_version",
    "comment",
    "detail",
)


def _decode_review(row: dict[str, Any]) -> dict[str, Any]:
    for key, empty in (("findings", "[]"), ("evidence", "{}"), ("facts", "{}")):
        row[key] = json.loads(row.get(key) or empty)
    return row


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


class Store:
    """One SQLite file holding graph checkpoints and a runs table."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.conn = sqlite3.connect(str(self.path), check_same_thread=False)
        self.conn.execute("PRAGMA journal_mode=WAL")
        self._migrate()
        self.conn.executescript(SCHEMA)
        self.conn.commit()
        self.lock = threading.Lock()
        self.checkpointer = SqliteSaver(self.conn)

    def _migrate(self) -> None:
        """Add columns that older databases lack; tables that do not exist yet are created."""
        for table, columns in MIGRATIONS.items():
            have = {row[1] for row in self.conn.execute(f"PRAGMA table_info({table})")}
            if not have:
                continue
            for column, kind in columns.items():
                if column not in have:
                    self.conn.execute(f"ALTER TABLE {table} ADD COLUMN {column} {kind}")

    def _rows(self, query: str, args: tuple[Any, ...] = ()) -> list[dict[str, Any]]:
        with self.lock:
            cursor = self.conn.execute(query, args)
            columns = [c[0] for c in cursor.description]
            return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]

    def start_run(
        self,
        thread_id: str,
        product: dict[str, Any],
        inputs: dict[str, Any],
        owner: str | None = None,
        conversation: str | None = None,
    ) -> None:
        with self.lock:
            self.conn.execute(
                "INSERT OR REPLACE INTO runs (thread_id, created_at, updated_at, product_id, "
                "product_name, channel, persona, language, status, owner, conversation) "
                "VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                (
                    thread_id,
                    _now(),
                    _now(),
                    product.get("id"),
                    product.get("name"),
                    inputs.get("channel"),
                    inputs.get("persona"),
                    inputs.get("language"),
                    "running",
                    owner,
                    conversation,
                ),
            )
            self.conn.commit()

    def finish_run(
        self,
        thread_id: str,
        status: str,
        stop_reason: str,
        copy: str,
        content_hash: str,
        summary: dict[str, Any],
    ) -> None:
        with self.lock:
            self.conn.execute(
                "UPDATE runs SET updated_at=?, status=?, stop_reason=?, copy=?, content_hash=?, "
                "summary=? WHERE thread_id=?",
                (
                    _now(),
                    status,
                    stop_reason,
                    copy,
                    content_hash,
                    json.dumps(summary, ensure_ascii=False),
                    thread_id,
                ),
            )
            self.conn.commit()

    def runs(
        self, status: str | None = None, limit: int = 50, owner: str | None = None
    ) -> list[dict[str, Any]]:
        clauses, args = [], []
        if status:
            clauses.append("status=?")
            args.append(status)
        if owner is not None:
            clauses.append("owner=?")
            args.append(owner)
        where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
        return self._rows(
            f"SELECT * FROM runs{where} ORDER BY created_at DESC, rowid DESC LIMIT ?",
            (*args, limit),
        )

    def run(self, thread_id: str) -> dict[str, Any] | None:
        with self.lock:
            cursor = self.conn.execute("SELECT * FROM runs WHERE thread_id=?", (thread_id,))
            row = cursor.fetchone()
            if row is None:
                return None
            return dict(zip([c[0] for c in cursor.description], row, strict=True))

    def add_review(self, item: dict[str, Any]) -> int:
        """Put copy in the legal review queue and return the item's id."""
        row = {"status": "pending", "submitted_at": _now(), **item}
        for key in ("findings", "evidence", "facts"):
            if not isinstance(row.get(key), str | None):
                row[key] = json.dumps(row[key], ensure_ascii=False)
        columns = ", ".join(row)
        with self.lock:
            cursor = self.conn.execute(
                f"INSERT INTO reviews ({columns}) VALUES ({', '.join('?' * len(row))})",
                tuple(row.values()),
            )
            self.conn.commit()
            return int(cursor.lastrowid or 0)

    def reviews(
        self,
        status: str | None = None,
        category: str | None = None,
        jurisdiction: str | None = None,
        thread_id: str | None = None,
    ) -> list[dict[str, Any]]:
        clauses, args = [], []
        if status:
            clauses.append("status=?")
            args.append(status)
        if category:
            clauses.append("(',' || categories || ',') LIKE ?")
            args.append(f"%,{category},%")
        if jurisdiction:
            clauses.append("(',' || jurisdictions || ',') LIKE ?")
            args.append(f"%,{jurisdiction},%")
        if thread_id:
            clauses.append("thread_id=?")
            args.append(thread_id)
        where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
        rows = self._rows(f"SELECT * FROM reviews{where} ORDER BY id DESC", tuple(args))
        return [_decode_review(r) for r in rows]

    def review(self, review_id: int) -> dict[str, Any] | None:
        rows = self._rows("SELECT * FROM reviews WHERE id=?", (review_id,))
        return _decode_review(rows[0]) if rows else None

    def update_review(self, review_id: int, **fields: Any) -> None:
        assignments = ", ".join(f"{k}=?" for k in fields)
        with self.lock:
            self.conn.execute(
                f"UPDATE reviews SET {assignments} WHERE id=?", (*fields.values(), review_id)
            )
            self.conn.commit()

    def approval_for(self, content_hash: str) -> dict[str, Any] | None:
        """The latest approval of exactly this content, or None: changed copy is not approved."""
        rows = self._rows(
            "SELECT * FROM reviews WHERE status='approved' AND final_hash=? "
            "ORDER BY decided_at DESC, id DESC LIMIT 1",
            (content_hash,),
        )
        return _decode_review(rows[0]) if rows else None

    def log(self, **entry: Any) -> int:
        """Append one row to the audit trail (never updated, never deleted)."""
        row = {"at": _now(), **entry}
        if not isinstance(row.get("detail"), str | None):
            row["detail"] = json.dumps(row["detail"], ensure_ascii=False, default=str)
        unknown = set(row) - set(AUDIT_COLUMNS)
        if unknown:
            raise ValueError(f"unknown audit fields: {sorted(unknown)}")
        with self.lock:
            cursor = self.conn.execute(
                f"INSERT INTO audit ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
                tuple(row.values()),
            )
            self.conn.commit()
            return int(cursor.lastrowid or 0)

    def audit(self, limit: int | None = None) -> list[dict[str, Any]]:
        query = "SELECT * FROM audit ORDER BY id DESC"
        if limit:
            return self._rows(query + " LIMIT ?", (limit,))
        return self._rows(query)

    def audit_csv(self) -> str:
        """The whole audit trail as CSV, oldest first."""
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=list(AUDIT_COLUMNS))
        writer.writeheader()
        for row in reversed(self.audit()):
            writer.writerow(row)
        return buffer.getvalue()

    def close(self) -> None:
        self.conn.close()
