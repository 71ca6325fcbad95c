"""The transactional loader on the real Neo4j: counts, idempotence, crash and resume, rejects."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
from neo4j import Driver

from graph.driver import read
from ingest.files import FILES
from ingest.synth import synthesize
from ingest.transactional import load_delivery
from tests.conftest import wipe
from tests.graphdump import alert_ids, count_label, count_type, dump
from tests.ingest.deliveries import csv_rows, rejects

NODE_FILES = {spec.name: spec.label for spec in FILES if spec.label}
REL_FILES = {
    "incident_parties.csv": ["SUSPECT_IN", "OFFENDER_IN", "VICTIM_IN", "WITNESS_IN"],
    "order_protected.csv": ["PROTECTS"],
    "residences.csv": ["RESIDED_AT"],
    "relationships.csv": ["INTIMATE_PARTNER", "EX_PARTNER", "FAMILY", "ASSOCIATE"],
}


@pytest.fixture(scope="session")
def delivery(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("synth") / "delivery"
    synthesize(people=3000, seed=11, out=out)
    return out


def assert_counts_match(db: Driver, folder: Path) -> None:
    for name, label in NODE_FILES.items():
        if (folder / name).exists():
            expected = csv_rows(folder / name) - len(rejects(folder, name))
            assert count_label(db, label) == expected, name
    for name, types in REL_FILES.items():
        if (folder / name).exists():
            expected = csv_rows(folder / name) - len(rejects(folder, name))
            assert sum(count_type(db, t) for t in types) == expected, name


def test_counts_equal_rows_minus_rejects(db: Driver, delivery: Path) -> None:
    summary = load_delivery(delivery, db)
    assert summary.rejected == 0
    assert_counts_match(db, delivery)
    assert count_label(db, "Identity") == count_label(db, "Person")
    assert count_type(db, "RESOLVES_TO") == count_label(db, "Person")
    unlinked = db.execute_query(
        "MATCH (n) WHERE (n:Person OR n:Incident OR n:Order OR n:Breach OR n:Notification) "
        "AND NOT (n)-[:SUPPLIED_BY]->(:Agency) RETURN count(n) AS c"
    ).records[0]["c"]
    assert unlinked == 0


def test_second_load_changes_nothing(db: Driver, delivery: Path) -> None:
    load_delivery(delivery, db)
    before = dump(db)
    again = load_delivery(delivery, db)
    assert all(f.loaded == 0 and f.unchanged == f.rows for f in again.files)
    assert dump(db) == before


def test_killed_midway_and_rerun_ends_identical_to_a_clean_load(db: Driver, delivery: Path) -> None:
    load_delivery(delivery, db)
    clean, alerts = dump(db), alert_ids(db)
    wipe(db)
    cmd = [sys.executable, "-m", "app.cli", "ingest", str(delivery), "--batch-size", "100"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while count_label(db, "Incident") < 300 and time.monotonic() < deadline:
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    partial = count_label(db, "Incident")
    assert 0 < partial < csv_rows(delivery / "incidents.csv"), "the kill did not land midway"
    rerun = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    assert rerun.returncode == 0, rerun.stderr
    assert dump(db) == clean
    assert alert_ids(db) == alerts


def test_dates_are_stored_as_dates(db: Driver, delivery: Path) -> None:
    """Every date column of every file (and the incidents' derived `event_date`) is stored as a
    DATE, and every one of them occurs in the synthetic delivery."""
    load_delivery(delivery, db)
    dated = (date, date | None)
    names = sorted(
        {n for spec in FILES for n, f in spec.model.model_fields.items() if f.annotation in dated}
        | {"event_date"}
    )
    types = read(
        "CALL () { MATCH (n) RETURN properties(n) AS props "
        "UNION ALL MATCH ()-[r]->() RETURN properties(r) AS props } "
        "UNWIND [k IN keys(props) WHERE k IN $names] AS k "
        "RETURN k, collect(DISTINCT valueType(props[k])) AS types",
        {"names": names},
        driver=db,
    )
    assert {r["k"]: r["types"] for r in types} == {name: ["DATE NOT NULL"] for name in names}
