"""Bad input loses nothing: every bad row is rejected with a readable reason, the rest loads."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from neo4j import Driver

from ingest.transactional import load_delivery
from tests.graphdump import count_label, count_type
from tests.ingest.deliveries import rejects, write_delivery

AGENCIES = [
    {"agency_code": "AAA", "name": "Alpha Constabulary", "type": "police_force"},
    {"agency_code": "PRB", "name": "Probation North", "type": "probation"},
    {"agency_code": "BAD1", "name": "", "type": "police_force"},
    {"agency_code": "BAD2", "name": "Nowhere", "type": "fire_brigade"},
]
PERSONS = [
    {
        "person_key": "AAA:P1",
        "agency_code": "AAA",
        "surname": "Ashdown",
        "forename": "Gary",
        "date_of_birth": "1980-02-03",
        "gender": "M",
        "aliases": "Gaz Ashdown;G Ashdown",
    },
    {
        "person_key": "AAA:P2",
        "agency_code": "AAA",
        "surname": "Brightwell",
        "forename": "Lena",
        "date_of_birth": "1990-11-30",
        "gender": "F",
    },
    {"person_key": "AAA:P3", "agency_code": "AAA", "surname": "", "forename": "Nobody"},
    {
        "person_key": "AAA:P4",
        "agency_code": "AAA",
        "surname": "Cole",
        "date_of_birth": "1985-13-40",
    },
    {"person_key": "AAA:P5", "agency_code": "AAA", "surname": "Dunn", "gender": "Q"},
    {"person_key": "AAA:P6", "agency_code": "ZZZ", "surname": "Evans"},
    {"person_key": "AAA:P1", "agency_code": "AAA", "surname": "Again"},
]
INCIDENTS = [
    {
        "incident_key": "AAA:I1",
        "agency_code": "AAA",
        "reported_date": "2021-04-01",
        "category": "domestic_abuse",
        "outcome": "nfa",
    },
    {
        "incident_key": "AAA:I2",
        "agency_code": "AAA",
        "reported_date": "2021-04-01",
        "category": "burglary",
    },
    {
        "incident_key": "AAA:I3",
        "agency_code": "AAA",
        "reported_date": "01/04/2021",
        "category": "stalking",
    },
]
PARTIES = [
    {"incident_key": "AAA:I1", "person_key": "AAA:P1", "role": "suspect"},
    {"incident_key": "AAA:I1", "person_key": "AAA:P2", "role": "victim"},
    {"incident_key": "AAA:I1", "person_key": "AAA:P9", "role": "victim"},
    {"incident_key": "AAA:I9", "person_key": "AAA:P2", "role": "victim"},
    {"incident_key": "AAA:I1", "person_key": "AAA:P2", "role": "bystander"},
]


def bad_delivery(folder: Path) -> Path:
    write_delivery(
        folder,
        {
            "agencies.csv": AGENCIES,
            "persons.csv": PERSONS,
            "incidents.csv": INCIDENTS,
            "incident_parties.csv": PARTIES,
        },
    )
    with open(folder / "persons.csv", "ab") as fh:
        fh.write(b"AAA:P7,AAA,Fewer,Columns\r\n")
        fh.write(b"AAA:P8,AAA,Gr\xe9goire,Anne,,,F,,\r\n")  # Latin-1, not UTF-8
    (folder / "breaches.csv").write_bytes(b"")
    (folder / "notifications.csv").write_text(
        "notification_key,person_key,type,notified_date,event_date,details,agency_code\n"
    )
    return folder


def reasons(folder: Path, name: str) -> dict[str, str]:
    return {r["line"]: r["reason"] for r in rejects(folder, name)}


def test_good_rows_load_and_each_bad_row_is_rejected_with_its_reason(
    db: Driver, tmp_path: Path
) -> None:
    folder = bad_delivery(tmp_path / "d")
    summary = load_delivery(folder, db)
    assert summary.exit_code == 3

    assert reasons(folder, "agencies.csv") == {
        "4": "missing required value: name",
        "5": "unknown type 'fire_brigade' (expected 'police_force', 'probation', 'prison', "
        "'court', 'idva_service', 'isac_service', 'marac', 'childrens_services' or 'other')",
    }
    people = reasons(folder, "persons.csv")
    assert people["4"] == "missing required value: surname"
    assert people["5"] == "bad date in date_of_birth: '1985-13-40' (expected YYYY-MM-DD)"
    assert people["6"].startswith("unknown gender 'Q'")
    assert people["7"] == "unknown agency_code 'ZZZ': not in this delivery or the graph"
    assert people["8"] == "duplicate of line 2: person_key 'AAA:P1' appears twice"
    assert people["9"] == "expected 9 fields, found 4"
    assert people["10"] == "surname: not valid UTF-8"
    assert len(people) == 7
    incidents = reasons(folder, "incidents.csv")
    assert incidents["3"].startswith("unknown category 'burglary'")
    assert incidents["4"] == "bad date in reported_date: '01/04/2021' (expected YYYY-MM-DD)"
    parties = reasons(folder, "incident_parties.csv")
    assert parties["4"] == "unknown person_key 'AAA:P9': not in this delivery or the graph"
    assert parties["5"] == "unknown incident_key 'AAA:I9': not in this delivery or the graph"
    assert parties["6"].startswith("unknown role 'bystander'")
    assert reasons(folder, "breaches.csv") == {"1": "empty file: no header row"}
    assert reasons(folder, "notifications.csv") == {}

    assert count_label(db, "Agency") == 2
    assert count_label(db, "Person") == 2
    assert count_label(db, "Incident") == 1
    assert count_type(db, "SUSPECT_IN") == 1 and count_type(db, "VICTIM_IN") == 1


def test_rejects_keep_the_row_exactly_as_it_came(db: Driver, tmp_path: Path) -> None:
    folder = bad_delivery(tmp_path / "d")
    load_delivery(folder, db)
    raw = (folder / "rejects" / "persons.csv").read_bytes()
    assert b"Gr\xe9goire" in raw
    assert b"AAA:P7,AAA,Fewer,Columns" in raw


def test_unknown_columns_are_kept_as_properties(db: Driver, tmp_path: Path) -> None:
    person = {**PERSONS[0], "Custody Ref": "CR-77"}
    folder = write_delivery(tmp_path / "d", {"agencies.csv": AGENCIES[:1], "persons.csv": [person]})
    assert load_delivery(folder, db).exit_code == 0
    row = db.execute_query("MATCH (p:Person) RETURN p.x_custody_ref AS v, p.aliases AS a").records
    assert row[0]["v"] == "CR-77"
    assert row[0]["a"] == ["Gaz Ashdown", "G Ashdown"]


def test_a_later_delivery_may_refer_to_keys_from_an_earlier_one(db: Driver, tmp_path: Path) -> None:
    first = write_delivery(
        tmp_path / "one", {"agencies.csv": AGENCIES[:2], "persons.csv": PERSONS[:2]}
    )
    second = write_delivery(
        tmp_path / "two", {"incidents.csv": INCIDENTS[:1], "incident_parties.csv": PARTIES[:2]}
    )
    assert load_delivery(first, db).exit_code == 0
    summary = load_delivery(second, db)  # a new loader: nothing known but the graph
    assert summary.exit_code == 0, rejects(second, "incident_parties.csv")
    assert count_type(db, "VICTIM_IN") == 1


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app.cli", *args], capture_output=True, text=True, timeout=300
    )


def test_exit_codes(db: Driver, tmp_path: Path) -> None:
    missing = cli("ingest", str(tmp_path / "nowhere"))
    assert missing.returncode == 2
    assert missing.stderr.strip() == f"error: no delivery folder at {tmp_path / 'nowhere'}"
    (tmp_path / "empty").mkdir()
    assert cli("ingest", str(tmp_path / "empty")).returncode == 2
    assert cli("ingest", str(bad_delivery(tmp_path / "bad"))).returncode == 3
    clean = write_delivery(tmp_path / "ok", {"agencies.csv": AGENCIES[:2]})
    out = cli("ingest", str(clean))
    assert out.returncode == 0 and "ingest summary" in out.stdout
