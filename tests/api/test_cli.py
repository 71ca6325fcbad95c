"""The CLI as an analyst meets it: a named user with a role, a stated purpose and an audit
entry per read; people named by name; tables that fit 80 and 200 columns with ids whole; a
limit and a total on every list. Run as the installed command, in a subprocess, as a user
would, on the suite's synthetic graph."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from app.security import audit
from graph import alert_items as items
from graph.driver import read
from graph.settings import get_settings
from tests.api.conftest import password

PURPOSE = "synthetic CLI test"


def sw(
    *args: str, role: str | None = "analyst", width: int = 120, stdin: str | None = None,
    purpose: str | None = PURPOSE, home: Path | None = None,
) -> subprocess.CompletedProcess[str]:  # fmt: skip
    """`serialwatch ARGS` as `role` (None: no credentials in the environment)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SERIALWATCH_USER")}
    env.pop("SERIALWATCH_PASSWORD", None)
    env.pop("SERIALWATCH_PURPOSE", None)
    env["COLUMNS"] = str(width)
    if role is not None:
        env.update(SERIALWATCH_USER=role, SERIALWATCH_PASSWORD=password(role))
    if purpose is not None:
        env["SERIALWATCH_PURPOSE"] = purpose
    if home is not None:  # a home of its own for the CLI session; the suite's Neo4j still
        env.update(SERIALWATCH_HOME=str(home), NEO4J_PASSWORD=get_settings().password())
    return subprocess.run(
        [sys.executable, "-m", "app.cli", *args],
        capture_output=True, text=True, env=env, input=stdin, timeout=300,
    )  # fmt: skip


def _names(driver: Any, holders: int) -> list[str]:
    """Full names held by exactly `holders` identities (perpetrators first)."""
    rows = read(
        """
        MATCH (p:Person)-[:RESOLVES_TO]->(i:Identity)
        WITH p.full_name AS name, collect(DISTINCT i.identity_id) AS ids
        WHERE size(ids) = $n AND size(name) > 5
        RETURN name ORDER BY name LIMIT 5
        """,
        {"n": holders},
        driver=driver,
    )
    return [r["name"] for r in rows]


def test_a_read_needs_a_named_user_and_a_purpose(api_env: Path, graph: Any) -> None:
    nobody = sw("query", "run", "serial_perpetrators", "--limit", "3", role=None)
    assert nobody.returncode == 2 and "log in first" in nobody.stderr
    assert len(nobody.stderr.strip().splitlines()) == 1
    unstated = sw("query", "run", "serial_perpetrators", "--limit", "3", purpose=None)
    assert unstated.returncode == 2 and "--purpose" in unstated.stderr
    wrong = sw("query", "run", "serial_perpetrators", role=None, purpose=PURPOSE)
    assert wrong.returncode == 2


def test_each_cli_read_is_audited_as_its_user(api_env: Path, graph: Any) -> None:
    before = audit.count()
    out = sw("query", "run", "serial_perpetrators", "--limit", "3", "-f", "json")
    assert out.returncode == 0, out.stderr
    entries = audit.entries(after=before, limit=10)
    assert [(e["user"], e["purpose"], e["resource"]) for e in entries] == [
        ("analyst", PURPOSE, "query:serial_perpetrators")
    ]
    out = sw("alerts", "list", "--limit", "2", role="officer", purpose="desk check 7")
    assert out.returncode == 0, out.stderr
    last = audit.entries(after=before + 1, limit=10)
    assert [(e["user"], e["purpose"], e["resource"]) for e in last] == [
        ("officer", "desk check 7", "inbox")
    ]


def test_the_role_applies_at_the_terminal(api_env: Path, graph: Any) -> None:
    refused = sw("resolve", "review", "--no-interactive", role="partner")
    assert refused.returncode != 0 and "partner" in refused.stderr
    assert audit.entries(after=audit.count() - 1)[0]["outcome"] == "refused"


def test_login_session_then_logout(api_env: Path, graph: Any, tmp_path: Path) -> None:
    logged = sw("login", "caseworker", "--password-stdin", role=None,
                stdin=password("caseworker") + "\n", home=tmp_path)  # fmt: skip
    assert logged.returncode == 0, logged.stderr
    assert (tmp_path / "cli-session").stat().st_mode & 0o077 == 0
    before = audit.count()
    out = sw("alerts", "list", "--limit", "1", role=None, home=tmp_path)
    assert out.returncode == 0, out.stderr
    assert audit.entries(after=before)[0]["user"] == "caseworker"
    assert sw("logout", role=None, home=tmp_path).returncode == 0
    assert sw("alerts", "list", role=None, home=tmp_path).returncode == 2
    bad = sw("login", "caseworker", "--password-stdin", role=None, stdin="wrong\n", home=tmp_path)
    assert bad.returncode != 0 and "wrong user name or password" in bad.stderr


def test_a_person_by_name_one_several_none(api_env: Path, graph: Any) -> None:
    unique = _names(graph, 1)[0]
    ids = read(
        "MATCH (p:Person {full_name: $n})-[:RESOLVES_TO]->(i) RETURN DISTINCT i.identity_id AS id",
        {"n": unique},
        driver=graph,
    )
    out = sw("query", "run", "disclosure_check", "-p", f"person={unique}", "-f", "json")
    assert out.returncode == 0, out.stderr
    assert ids[0]["id"] in out.stdout

    shared = _names(graph, 2)
    assert shared, "the synthetic delivery plants people who share a name"
    several = sw("query", "run", "disclosure_check", "-p", f"person={shared[0]}")
    assert several.returncode == 2
    assert "2 people match" in several.stderr
    holders = read(
        "MATCH (p:Person {full_name: $n})-[:RESOLVES_TO]->(i) RETURN DISTINCT i.identity_id AS id",
        {"n": shared[0]},
        driver=graph,
    )
    for h in holders:  # the candidates, by id, so the user can pick one
        assert h["id"] in several.stderr

    none = sw("query", "run", "disclosure_check", "-p", "person=Qzxv Wyjkq")
    assert none.returncode == 2 and "no person matches" in none.stderr


@pytest.mark.parametrize("width", [80, 200])
def test_tables_fit_the_terminal_with_ids_whole(api_env: Path, graph: Any, width: int) -> None:
    ids = [i["item_id"] for i in items.items(limit=5, driver=graph)]
    assert ids, "the synthetic load put items in the inbox"
    out = sw("alerts", "list", "--limit", "5", role="officer", width=width)
    assert out.returncode == 0, out.stderr
    assert max(len(line) for line in out.stdout.splitlines()) <= width
    for item_id in ids:
        assert item_id in out.stdout.split()  # whole, ready to paste into `alerts ack`

    listed = sw("query", "list", width=width)
    assert max(len(line) for line in listed.stdout.splitlines()) <= width
    words = listed.stdout.split()
    for name in ("cross_force_perpetrators", "obligations_register", "victim_chain"):
        assert name in words

    serial = sw("query", "run", "serial_perpetrators", "--limit", "40", width=width)
    assert serial.returncode == 0, serial.stderr
    lines = serial.stdout.splitlines()
    assert max(len(line) for line in lines) <= width
    assert len(lines) <= 1 + 3 * 40  # a header, then at most three lines a row


def test_limit_and_total_on_lists(api_env: Path, graph: Any) -> None:
    total = read(
        "MATCH (it:AlertItem {status: 'new'})-[:SUBJECT]->(:Person)-[:RESOLVES_TO]->(:Identity) "
        "RETURN count(it) AS n",
        driver=graph,
    )
    assert total[0]["n"] > 6
    out = sw("alerts", "list", "--limit", "3", "-f", "json", role="officer")
    assert out.returncode == 0, out.stderr
    assert len(json.loads(out.stdout)) == 3
    assert f"items 1-3 of {total[0]['n']:,}" in out.stderr
    page = sw("alerts", "list", "--limit", "3", "--offset", "3", role="officer")
    assert f"items 4-6 of {total[0]['n']:,}" in page.stderr
    cut = sw("query", "run", "serial_perpetrators", "--limit", "2", "-f", "csv")
    assert len(cut.stdout.splitlines()) == 3 and "more exist" in cut.stderr
    areas = sw("alerts", "areas", "-f", "json", role="officer")
    assert areas.returncode == 0, areas.stderr
    rows = json.loads(areas.stdout)
    assert sum(r["total"] for r in rows) == total[0]["n"]  # every open item under one area
    assert f"{len(rows):,} areas, {total[0]['n']:,} items" in areas.stderr
