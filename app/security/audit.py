"""The audit trail (DPA 2018 s.62): who consulted which identities, when, through which
resource or query with which parameters, and why.

Append-only (SQLite triggers refuse UPDATE and DELETE) and tamper-evident: each entry's hash is
an HMAC, under the trail's own key, of its fields and the previous entry's hash, so an edited
entry breaks its own hash and a deleted one breaks the chain. Each commit appends a checkpoint
to the anchor, kept apart with the key (anchor.py), so entries cut off the end, a deleted trail
and an older copy put back are detected too.
"""

from __future__ import annotations

import fcntl
import json
import os
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from app.security import anchor
from app.security.anchor import GENESIS, mac
from app.security.store import connect, db_path

FIELDS = (
    "seq",
    "at",
    "user",
    "role",
    "purpose",
    "action",
    "resource",
    "params",
    "identities",
    "outcome",
    "prev_hash",
)


@dataclass(frozen=True)
class Verdict:
    """The result of checking the chain: `ok`, how many entries, and every problem found."""

    ok: bool
    entries: int
    problems: list[str]


@dataclass
class _Entry:
    """One entry waiting for the group commit that makes it durable."""

    values: tuple[Any, ...]  # every field after `seq` and before `prev_hash`
    seq: int = 0
    error: BaseException | None = None
    done: bool = False


class _GroupCommit:
    """Appends arriving together share one transaction and one fsync (a database's group
    commit). Each caller returns only once its own entry is durable, so no answer leaves the
    service before its audit record exists; the first waiting caller writes for everyone
    queued behind the commit in progress. Across processes (several uvicorn workers) SQLite's
    write lock orders the batches and each batch reads the chain's end inside its transaction.
    """

    def __init__(self) -> None:
        self._cv = threading.Condition()
        self._queue: list[_Entry] = []
        self._writing = False

    def append(self, fields: tuple[Any, ...]) -> int:
        with self._cv:
            entry = _Entry((datetime.now(UTC).isoformat(timespec="milliseconds"), *fields))
            self._queue.append(entry)
            while self._writing and not entry.done:
                self._cv.wait()
            if not entry.done:
                self._writing = True
                batch, self._queue = self._queue, []
        if not entry.done:
            try:
                _commit(batch)
            except BaseException as e:  # every waiter in the batch learns of the failure
                for waiting in batch:
                    waiting.error = e
            with self._cv:
                for waiting in batch:
                    waiting.done = True
                self._writing = False
                self._cv.notify_all()
        if entry.error is not None:
            raise entry.error
        return entry.seq


_group = _GroupCommit()


def append(
    *,
    user: str,
    role: str,
    purpose: str,
    action: str,
    resource: str,
    params: dict[str, Any],
    identities: Iterable[str],
    outcome: str = "ok",
) -> int:
    """Add one entry, durably, and return its sequence number."""
    params_text = json.dumps(params, ensure_ascii=False, sort_keys=True, default=str)
    ids_text = json.dumps(sorted(set(identities)), ensure_ascii=False)
    return _group.append((user, role, purpose, action, resource, params_text, ids_text, outcome))


def _commit(batch: list[_Entry]) -> None:
    """Chain and insert a batch in one transaction; then checkpoint the new end in the anchor.
    A lock file held throughout orders whole commits across processes, so the anchor's
    checkpoints only ever move forward."""
    key = anchor.key()
    with _exclusive(db_path().with_suffix(".audit-lock")), connect() as conn:
        conn.execute("BEGIN IMMEDIATE")
        try:
            last = conn.execute("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
            seq, prev = (last["seq"], last["hash"]) if last else (0, GENESIS)
            first = seq == 0
            for entry in batch:
                seq += 1
                values = (seq, *entry.values, prev)
                prev = mac(key, values)
                conn.execute(
                    f"INSERT INTO audit ({', '.join(FIELDS)}, hash) VALUES ({', '.join('?' * 12)})",
                    (*values, prev),
                )
                entry.seq = seq
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        anchor.record(key, seq, prev, first)


@contextmanager
def _exclusive(path: Path) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the lock


def entries(after: int = 0, limit: int = 100, user: str | None = None) -> list[dict[str, Any]]:
    """Entries in order, `after` a sequence number, optionally for one user."""
    sql = "SELECT * FROM audit WHERE seq > ?" + (" AND user = ?" if user else "")
    args: tuple[Any, ...] = (after, user) if user else (after,)
    with connect() as conn:
        rows = conn.execute(sql + " ORDER BY seq LIMIT ?", (*args, limit)).fetchall()
    out = []
    for r in rows:
        d = dict(r)
        d["params"] = json.loads(d["params"])
        d["identities"] = json.loads(d["identities"])
        out.append(d)
    return out


def count() -> int:
    with connect() as conn:
        return int(conn.execute("SELECT count(*) FROM audit").fetchone()[0])


def verify() -> Verdict:
    """Recompute every hash and link; hold the trail to the anchor's checkpoints. Any edit,
    deletion, truncation or rollback fails."""
    key = anchor.key()
    problems: list[str] = []
    prev, expected_seq, n = GENESIS, 1, 0
    hashes: dict[int, str] = {}
    with connect() as conn:
        for r in conn.execute("SELECT * FROM audit ORDER BY seq"):
            n += 1
            seq = r["seq"]
            if seq != expected_seq:
                problems.append(f"entries {expected_seq}..{seq - 1} are missing")
            if r["prev_hash"] != prev:
                problems.append(f"entry {seq} does not follow the entry before it")
            if mac(key, (r[f] for f in FIELDS)) != r["hash"]:
                problems.append(f"entry {seq} was altered (its hash does not match)")
            prev, expected_seq = r["hash"], seq + 1
            hashes[seq] = r["hash"]
    problems += anchor.check(key, hashes)
    return Verdict(not problems, n, problems)
