"""The anchor and the key kept apart: `serialwatch audit verify` detects entries cut off the end
(even after a later request), a trail deleted with everything beside it, and an older copy put
back; a trail never used verifies, and so does a trail used normally. Each test has a trail of
its own (store, anchor and key file in separate folders), since tampering cannot be undone."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from app.cli import cli
from app.security import anchor, audit
from app.security.store import db_path
from app.settings import get_api_settings
from graph.errors import ConfigError


@pytest.fixture
def trail(tmp_path: Path) -> Iterator[Path]:
    env = {
        "SERIALWATCH_DB": str(tmp_path / "store" / "sw.db"),
        "SERIALWATCH_AUDIT_ANCHOR": str(tmp_path / "anchor" / "anchor.log"),
        "SERIALWATCH_AUDIT_KEY_FILE": str(tmp_path / "keys" / "audit-key"),
        "SERIALWATCH_SECRET_KEY": "s" * 48,
    }
    saved = {k: os.environ.get(k) for k in (*env, "SERIALWATCH_AUDIT_KEY")}
    os.environ.update(env)
    os.environ.pop("SERIALWATCH_AUDIT_KEY", None)
    get_api_settings.cache_clear()
    yield tmp_path
    for k, v in saved.items():
        os.environ.pop(k, None) if v is None else os.environ.__setitem__(k, v)
    get_api_settings.cache_clear()


def request(n: int = 1) -> None:
    """What a request leaves in the trail: one entry each."""
    for _ in range(n):
        audit.append(
            user="officer",
            role="officer",
            purpose="anchor check",
            action="read",
            resource="search",
            params={"name": "x"},
            identities=["I-1"],
        )


def verdict() -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["audit", "verify"])
    return result.exit_code, result.output


def drop_guards() -> sqlite3.Connection:
    """What someone who can write the trail's file can do: drop the append-only triggers."""
    conn = sqlite3.connect(db_path(), isolation_level=None)
    conn.execute("DROP TRIGGER audit_no_update")
    conn.execute("DROP TRIGGER audit_no_delete")
    return conn


def test_normal_use_stays_intact_and_never_used_is_not_deleted(trail: Path) -> None:
    assert not anchor.path().exists()
    assert verdict() == (0, "audit trail intact: 0 entries\n")  # never used (then audited)
    request(4)
    code, out = verdict()
    assert code == 0 and "intact: 5 entries" in out, out
    key_file = get_api_settings().audit_key_file
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert key_file.parent != db_path().parent != anchor.path().parent
    lines = anchor.path().read_text().splitlines()
    assert len(lines) == 1 + audit.count()  # created, then one per commit (one entry each)
    assert audit.entries(after=5)[0]["action"] == "verify"


@pytest.mark.parametrize(
    "attack",
    [
        ("UPDATE audit SET purpose = 'nothing to see' WHERE seq = ?", "altered"),
        ("DELETE FROM audit WHERE seq = ?", "missing"),
        ("DELETE FROM audit WHERE seq >= ?", "removed"),
    ],
)
def test_verify_detects_an_edit_a_gap_and_a_cut(trail: Path, attack: tuple[str, str]) -> None:
    request(3)
    assert verdict()[0] == 0
    refused = sqlite3.connect(db_path(), isolation_level=None)
    with pytest.raises(sqlite3.DatabaseError):  # the triggers refuse it in the first place
        refused.execute("DELETE FROM audit")
    refused.close()
    sql, word = attack
    drop_guards().execute(sql, (audit.count() - 1,))
    code, out = verdict()
    assert code == 1 and word in out, out


def test_truncation_then_one_request_is_detected(trail: Path) -> None:
    request(5)
    drop_guards().execute("DELETE FROM audit WHERE seq >= 4")
    request(1)  # the service carries on from entry 3 and checkpoints the new entry 4
    code, out = verdict()
    assert code == 1
    assert "entry 4 differs from the one the anchor saw" in out
    assert "entries after 4 were removed (the anchor records entry 5)" in out


def test_deleting_everything_is_detected(trail: Path) -> None:
    request(3)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db_path()}{suffix}").unlink(missing_ok=True)
    code, out = verdict()
    assert code == 1
    assert "the trail is empty but the anchor records 3 entries: deleted" in out


def test_rollback_to_an_older_copy_is_detected(trail: Path) -> None:
    request(3)
    old = sqlite3.connect(":memory:")
    with sqlite3.connect(db_path()) as live:
        live.backup(old)
    request(3)
    with sqlite3.connect(db_path()) as live:
        old.backup(live)
    code, out = verdict()
    assert code == 1 and "entries after 3 were removed (the anchor records entry 6)" in out
    request(1)  # and a request after the restore does not paper over it
    code, out = verdict()
    assert code == 1 and "entry 4 differs from the one the anchor saw" in out


def test_an_edited_anchor_or_a_recreated_one_is_detected(trail: Path) -> None:
    request(2)
    lines = anchor.path().read_text().splitlines()
    anchor.path().write_text("\n".join([lines[0], lines[2]]) + "\n")  # a checkpoint dropped
    code, out = verdict()
    assert code == 1 and "anchor line 2 was altered or lines before it removed" in out
    anchor.path().unlink()
    code, out = verdict()
    assert code == 1 and "is missing, but it is written with the first entry" in out
    request(1)  # the service starts a new anchor, which says when it began
    code, out = verdict()
    assert code == 1 and "the anchor begins at entry 4: it was deleted and made again" in out


def test_the_key_is_kept_apart_and_a_lost_one_is_refused(trail: Path) -> None:
    request(1)
    get_api_settings().audit_key_file.unlink()
    with pytest.raises(ConfigError, match="audit key .* is missing"):
        request(1)
    code, out = verdict()
    assert code == 1 and "audit key" in out
    os.environ["SERIALWATCH_AUDIT_KEY_FILE"] = str(db_path().parent / "audit-key")
    get_api_settings.cache_clear()
    with pytest.raises(ConfigError, match="must not be in the trail's folder"):
        audit.verify()
