"""The audit trail (DPA 2018 s.62): who consulted which identities, when, through which
resource or query with which parameters, and why.

Append-only (SQLite triggers refuse UPDATE and DELETE) and tamper-evident: each entry's hash is
an HMAC, under the service's secret, of its fields and the previous entry's hash, so an edited
entry breaks its own hash and a deleted one breaks the chain. A signed head file beside the
database records the last entry, so cutting entries off the end is detected too.
"""

from __future__ import annotations

import fcntl
import hashlib
import hmac
import json
import os
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from app.security.store import connect, db_path
from app.settings import get_api_settings

GENESIS = "0" * 64
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


def _key() -> bytes:
    return hashlib.sha256(b"serialwatch-audit:" + get_api_settings().secret().encode()).digest()


def _mac(key: bytes, values: Iterable[Any]) -> str:
    text = json.dumps(list(values), ensure_ascii=False, separators=(",", ":"))
    return hmac.new(key, text.encode("utf-8"), hashlib.sha256).hexdigest()


def head_path() -> Path:
    return db_path().with_suffix(".audit-head")


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
    return _group.append(
        (user, role, purpose, action, resource, params_text, ids_text, outcome)
    )


def _commit(batch: list[_Entry]) -> None:
    """Chain and insert a batch in one transaction; then sign the new head. A lock file held
    throughout orders whole commits across processes, so the head only ever moves forward."""
    key = _key()
    with _exclusive(head_path().with_suffix(".audit-lock")), connect() as conn:
        conn.execute("BEGIN IMMEDIATE")
        try:
            last = conn.execute("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
            seq, prev = (last["seq"], last["hash"]) if last else (0, GENESIS)
            for entry in batch:
                seq += 1
                values = (seq, *entry.values, prev)
                prev = _mac(key, values)
                conn.execute(
                    f"INSERT INTO audit ({', '.join(FIELDS)}, hash) "
                    f"VALUES ({', '.join('?' * 12)})",
                    (*values, prev),
                )
                entry.seq = seq
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        _write_head(key, seq, prev)


@contextmanager
def _exclusive(path: Path) -> Iterator[None]:
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the lock


def _write_head(key: bytes, seq: int, digest: str) -> None:
    path = head_path()
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump({"seq": seq, "hash": digest, "mac": _mac(key, ("head", seq, digest))}, f)
    os.replace(tmp, path)


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
    """Recompute every hash and link; check the signed head. Any edit or deletion fails."""
    key = _key()
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
            if _mac(key, (r[f] for f in FIELDS)) != r["hash"]:
                problems.append(f"entry {seq} was altered (its hash does not match)")
            prev, expected_seq = r["hash"], seq + 1
            hashes[seq] = r["hash"]
    problems += _check_head(key, hashes, expected_seq - 1)
    return Verdict(not problems, n, problems)


def _check_head(key: bytes, hashes: dict[int, str], last: int) -> list[str]:
    try:
        head = json.loads(head_path().read_text(encoding="utf-8"))
    except FileNotFoundError:
        return ["the head file is missing but entries exist"] if hashes else []
    except ValueError:
        return ["the head file is unreadable"]
    seq, digest = head.get("seq"), head.get("hash")
    if not isinstance(seq, int) or head.get("mac") != _mac(key, ("head", seq, digest)):
        return ["the head file was altered"]
    if seq > last:
        return [f"entries after {last} were removed (the head records entry {seq})"]
    if hashes.get(seq) != digest:
        return [f"entry {seq} differs from the one the head records"]
    return []
