"""The SQLite file that holds users and the audit trail.

One short-lived connection per operation keeps threads (uvicorn's pool, the CLI) independent;
WAL lets readers run beside the single writer, and `synchronous=FULL` makes each audit entry
durable before the answer leaves the service.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from app.settings import get_api_settings

SCHEMA = """
CREATE TABLE IF NOT EXISTS users (
    name TEXT PRIMARY KEY,
    role TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    created_at TEXT NOT NULL,
    epoch TEXT NOT NULL DEFAULT '',
    area TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS login_failures (
    name TEXT NOT NULL,
    client TEXT NOT NULL,
    at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS login_failures_by ON login_failures (name, client, at);
CREATE TABLE IF NOT EXISTS audit (
    seq INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    user TEXT NOT NULL,
    role TEXT NOT NULL,
    purpose TEXT NOT NULL,
    action TEXT NOT NULL,
    resource TEXT NOT NULL,
    params TEXT NOT NULL,
    identities TEXT NOT NULL,
    outcome TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
"""

_ready: set[Path] = set()


def db_path() -> Path:
    return get_api_settings().db_path


@contextmanager
def connect(path: Path | None = None) -> Iterator[sqlite3.Connection]:
    """A connection to the store, created with its schema on first use; commits on success."""
    path = path or db_path()
    if path in _ready and not path.exists():  # deleted under us: make it (and its schema) again
        _ready.discard(path)
    if path not in _ready:
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists():
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
    conn = sqlite3.connect(path, timeout=30, isolation_level=None)
    try:
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        if path not in _ready:
            conn.executescript(SCHEMA)
            _upgrade(conn)
            _ready.add(path)
        yield conn
    finally:
        conn.close()


def _upgrade(conn: sqlite3.Connection) -> None:
    """Columns added since a store was made (its tables already exist, so SCHEMA skips them)."""
    columns = {r["name"] for r in conn.execute("PRAGMA table_info(users)")}
    if "epoch" not in columns:  # tokens carry it: a re-added name gets a new one
        conn.execute("ALTER TABLE users ADD COLUMN epoch TEXT NOT NULL DEFAULT ''")
    if "area" not in columns:  # the inbox puts the user's area first
        conn.execute("ALTER TABLE users ADD COLUMN area TEXT NOT NULL DEFAULT ''")
