"""Reloading changed rows, and the race between reading what is stored and writing."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
from neo4j import Driver

from ingest.synth import synthesize
from ingest.transactional import load_delivery
from tests.conftest import wipe
from tests.graphdump import dump


@pytest.fixture(scope="module")
def delivery(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("synth") / "delivery"
    synthesize(people=400, seed=5, out=out)
    return out


def column(folder: Path, name: str, col: str) -> list[str]:
    with open(folder / name, encoding="utf-8", newline="") as fh:
        return [row[col] for row in csv.DictReader(fh)]


def change_every(folder: Path, name: str, step: int, changes: dict[str, list[str]]) -> int:
    """Give every `step`-th row of `name` new values (cycling through each list); return how
    many rows changed."""
    path = folder / name
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        header, rows = list(reader.fieldnames or []), list(reader)
    changed = 0
    for n, row in enumerate(rows):
        if n % step == 0:
            before = dict(row)
            row.update({col: values[n % len(values)] for col, values in changes.items()})
            changed += row != before
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=header)
        writer.writeheader()
        writer.writerows(rows)
    return changed


def test_changed_rows_reloaded_end_as_a_clean_load_of_them(
    db: Driver, delivery: Path, tmp_path: Path
) -> None:
    changed = shutil.copytree(delivery, tmp_path / "changed")
    agencies = column(delivery, "agencies.csv", "agency_code")
    persons = column(delivery, "persons.csv", "person_key")
    expected = {
        "persons.csv": change_every(
            changed, "persons.csv", 7, {"surname": ["Changed"], "agency_code": agencies}
        ),
        "incidents.csv": change_every(changed, "incidents.csv", 5, {"outcome": ["open", "nfa"]}),
        "orders.csv": change_every(changed, "orders.csv", 3, {"subject_key": persons[::-1]}),
        "residences.csv": change_every(changed, "residences.csv", 4, {"to_date": ["2030-01-01"]}),
        "relationships.csv": change_every(
            changed, "relationships.csv", 4, {"to_date": ["2031-02-03"]}
        ),
    }
    assert all(expected.values())

    load_delivery(delivery, db)
    reload = load_delivery(changed, db)
    over_old = dump(db)
    wipe(db)
    load_delivery(changed, db)

    assert over_old == dump(db)
    assert {f.name: f.loaded for f in reload.files if f.loaded} == expected
    assert all(f.loaded + f.unchanged == f.rows for f in reload.files)
