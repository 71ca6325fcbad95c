"""The audit trail's key and anchor, both kept apart from the trail (DPA 2018 s.62).

The hash chain in the SQLite file shows an edited or deleted entry, but whoever can write that
file can also cut entries off its end, delete it with everything beside it, or put back an older
copy, and what is left still chains. So each commit also appends a checkpoint (the last entry's
number and hash) to an append-only log elsewhere, `SERIALWATCH_AUDIT_ANCHOR`; each line is
MAC'd under a key that is not stored beside the trail (`SERIALWATCH_AUDIT_KEY`, or the file
`SERIALWATCH_AUDIT_KEY_FILE`) and chained to the line before it. `verify` holds the trail to
every checkpoint: a truncated, deleted or rolled-back trail misses or contradicts one. The log
begins with the trail's first entry, so a trail deleted outright differs from one never used.

This holds as far as the service cannot rewrite the log: it only ever appends to it, and the
deployment should make that the only thing it can do (another volume with `chattr +a`, or a
log shipper); see "Threat model" in docs/api.md.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from app.settings import get_api_settings, read_or_create
from graph.errors import ConfigError

GENESIS = "0" * 64
MAX_REPORTED = 5  # contradicted checkpoints named one by one; the rest are counted


def mac(key: bytes, values: Iterable[Any]) -> str:
    text = json.dumps(list(values), ensure_ascii=False, separators=(",", ":"))
    return hmac.new(key, text.encode("utf-8"), hashlib.sha256).hexdigest()


def path() -> Path:
    return get_api_settings().audit_anchor


def key() -> bytes:
    """The trail's MAC key: `SERIALWATCH_AUDIT_KEY`, else its own file (made with the trail's
    first entry). A lost key file is an error once the anchor exists: a new key would make
    every earlier entry look forged."""
    s = get_api_settings()
    if s.audit_key_env is not None:
        value = s.audit_key_env.get_secret_value()
    else:
        _apart(s.audit_key_file, "SERIALWATCH_AUDIT_KEY_FILE")
        if not s.audit_key_file.exists() and path().exists():
            raise ConfigError(
                f"the audit key {s.audit_key_file} is missing but the trail's anchor exists; "
                "restore the key (or set SERIALWATCH_AUDIT_KEY)"
            )
        s.audit_key_file.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        value = read_or_create(s.audit_key_file)
    if len(value) < 32 or value == s.secret():
        raise ConfigError(
            "the audit key must be at least 32 characters and differ from the token secret"
        )
    return hashlib.sha256(b"serialwatch-audit:" + value.encode()).digest()


def _apart(p: Path, setting: str) -> None:
    trail = get_api_settings().db_path.resolve().parent
    if p.resolve().parent == trail:
        raise ConfigError(f"{setting} must not be in the trail's folder ({trail})")


def record(k: bytes, seq: int, digest: str, first: bool) -> None:
    """Append a checkpoint for the trail's new end, durably. `first`: the commit holding the
    trail's first entry, which creates the log (a log created later records when)."""
    p = path()
    _apart(p, "SERIALWATCH_AUDIT_ANCHOR")
    last = _last_line(p)
    if last is None:
        p.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        began = 0 if first else seq
        last = _line(k, 0, began, GENESIS if first else digest, "")
        _append(p, last)
    _append(p, _line(k, last["n"] + 1, seq, digest, last["mac"]))


def _line(k: bytes, n: int, seq: int, digest: str, prev: str) -> dict[str, Any]:
    at = datetime.now(UTC).isoformat(timespec="milliseconds")
    return {
        "n": n,
        "seq": seq,
        "hash": digest,
        "at": at,
        "prev": prev,
        "mac": mac(k, ("anchor", n, seq, digest, at, prev)),
    }


def _append(p: Path, line: dict[str, Any]) -> None:
    fd = os.open(p, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, (json.dumps(line, separators=(",", ":")) + "\n").encode())
        os.fsync(fd)
    finally:
        os.close(fd)


def _last_line(p: Path) -> dict[str, Any] | None:
    try:
        with p.open("rb") as f:
            f.seek(0, os.SEEK_END)
            f.seek(max(0, f.tell() - 4096))
            lines = f.read().splitlines()
    except FileNotFoundError:
        return None
    if not lines:
        return None
    try:
        line: dict[str, Any] = json.loads(lines[-1])
        return line
    except ValueError:
        raise ConfigError(f"the audit anchor {p} ends with an unreadable line") from None


def check(k: bytes, hashes: dict[int, str]) -> list[str]:
    """What the anchor says is wrong with the trail whose entries' hashes are `hashes`."""
    p = path()
    if not p.exists():
        if hashes:
            return [f"the anchor {p} is missing, but it is written with the first entry"]
        return []
    reading = _Reading(k, hashes, max(hashes, default=0))
    with p.open("rb") as lines:  # line by line: the anchor grows by one line per commit
        for i, raw in enumerate(lines):
            reading.line(i, raw)
    return reading.verdict()


@dataclass
class _Reading:
    """The anchor read against the trail, one line at a time."""

    key: bytes
    hashes: dict[int, str]
    last: int
    prev: str = ""
    highest: int = 0  # the highest checkpoint beyond the trail's end
    problems: list[str] = field(default_factory=list)
    contradicted: list[str] = field(default_factory=list)

    def line(self, i: int, raw: bytes) -> None:
        try:
            line = json.loads(raw)
            fields = ("anchor", line["n"], line["seq"], line["hash"], line["at"], line["prev"])
        except (ValueError, KeyError, TypeError):
            self.problems.append(f"anchor line {i + 1} is unreadable")
            return
        if line["n"] != i or line["prev"] != self.prev or line["mac"] != mac(self.key, fields):
            self.problems.append(f"anchor line {i + 1} was altered or lines before it removed")
        self.prev = str(line["mac"])
        seq = line["seq"]
        if i == 0:
            if seq != 0:
                self.problems.append(
                    f"the anchor begins at entry {seq}: it was deleted and made again"
                )
        elif seq > self.last:
            self.highest = max(self.highest, seq)
        elif self.hashes.get(seq) != line["hash"]:
            self.contradicted.append(
                f"entry {seq} differs from the one the anchor saw {line['at']}"
            )

    def verdict(self) -> list[str]:
        problems = list(self.problems)
        if self.highest and not self.hashes:
            problems.append(
                f"the trail is empty but the anchor records {self.highest} entries: deleted"
            )
        elif self.highest:
            problems.append(
                f"entries after {self.last} were removed (the anchor records entry {self.highest})"
            )
        if self.contradicted:
            problems += self.contradicted[:MAX_REPORTED]
            if len(self.contradicted) > MAX_REPORTED:
                problems.append(f"... and {len(self.contradicted) - MAX_REPORTED} more checkpoints")
            problems.append("the trail was cut and written again, or an older copy put back")
        return problems
