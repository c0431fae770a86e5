"""SQLite persistence: the LangGraph checkpointer and the table of runs, in one database file."""

from __future__ import annotations

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
    summary TEXT                   -- JSON: scores, findings count, review outcome
);
"""


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


class Store:
    """One SQLite file holding graph checkpoints and a runs table."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.conn = sqlite3.connect(str(self.path), check_same_thread=False)
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.executescript(SCHEMA)
        self.conn.commit()
        self.lock = threading.Lock()
        self.checkpointer = SqliteSaver(self.conn)

    def start_run(self, thread_id: str, product: dict[str, Any], inputs: dict[str, Any]) -> None:
        with self.lock:
            self.conn.execute(
                "INSERT OR REPLACE INTO runs (thread_id, created_at, updated_at, product_id, "
                "product_name, channel, persona, language, status) VALUES (?,?,?,?,?,?,?,?,?)",
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

    def runs(self, status: str | None = None, limit: int = 50) -> list[dict[str, Any]]:
        query = "SELECT * FROM runs"
        args: tuple[Any, ...] = ()
        if status:
            query += " WHERE status=?"
            args = (status,)
        query += " ORDER BY created_at DESC, rowid DESC LIMIT ?"
        with self.lock:
            cursor = self.conn.execute(query, args + (limit,))
            columns = [c[0] for c in cursor.description]
            return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]

    def run(self, thread_id: str) -> dict[str, Any] | None:
        with self.lock:
            cursor = self.conn.execute("SELECT * FROM runs WHERE thread_id=?", (thread_id,))
            row = cursor.fetchone()
            if row is None:
                return None
            return dict(zip([c[0] for c in cursor.description], row, strict=True))

    def close(self) -> None:
        self.conn.close()
