"""The bulk path (neo4j-admin import) builds the same graph and rejects as the transactional one."""

from __future__ import annotations

from pathlib import Path

import pytest
from neo4j import Driver

from graph.driver import get_driver, read
from ingest.bulk import BulkRefused, bulk_load
from ingest.synth import synthesize
from ingest.transactional import load_delivery
from tests.conftest import wipe
from tests.graphdump import alert_ids, dump
from tests.ingest.deliveries import write_delivery
from tests.ingest.test_rejects import AGENCIES, INCIDENTS, PERSONS, bad_delivery


def rejects_of(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((folder / "rejects").glob("*.csv"))}


def both_paths(db: Driver, folder: Path) -> None:
    transactional = load_delivery(folder, db)
    graph, rejected, alerts = dump(db), rejects_of(folder), alert_ids(db)
    wipe(db)
    bulk = bulk_load(folder)
    assert dump(get_driver()) == graph  # a new driver: the store under the old one was replaced
    assert alert_ids(get_driver()) == alerts
    assert rejects_of(folder) == rejected
    assert [(f.name, f.loaded + f.unchanged, f.rejected) for f in bulk.files] == [
        (f.name, f.loaded + f.unchanged, f.rejected) for f in transactional.files
    ]


def test_bulk_equals_transactional_on_a_synthetic_delivery(db: Driver, tmp_path: Path) -> None:
    folder = tmp_path / "synth"
    synthesize(people=600, seed=5, out=folder)
    both_paths(db, folder)


def test_bulk_equals_transactional_with_bad_rows_and_extra_columns(
    db: Driver, tmp_path: Path
) -> None:
    folder = bad_delivery(tmp_path / "bad")
    with open(folder / "agencies.csv", "a", encoding="utf-8") as fh:
        fh.write("CCC,Gamma Probation,probation,\n")
    both_paths(db, folder)


def test_bulk_equals_transactional_with_values_spanning_lines(db: Driver, tmp_path: Path) -> None:
    """A quoted value may hold line breaks; the importer is told so only when one does (it
    then reads each file on one thread)."""
    offence = "Threats by text message,\nthen at the door\r\nof the flat"
    incidents = [dict(INCIDENTS[0], offence=offence)]
    folder = write_delivery(
        tmp_path / "lines",
        {"agencies.csv": AGENCIES[:2], "persons.csv": PERSONS[:1], "incidents.csv": incidents},
    )
    both_paths(db, folder)
    stored = read("MATCH (i:Incident) RETURN i.offence AS o", driver=get_driver())
    assert [r["o"] for r in stored] == [offence]


def test_bulk_refuses_a_database_that_is_not_empty(db: Driver, tmp_path: Path) -> None:
    folder = bad_delivery(tmp_path / "bad")
    load_delivery(folder, db)
    with pytest.raises(BulkRefused, match="empty database only"):
        bulk_load(folder)
