"""Malformed CSV loses no row: an unclosed quote, a field over the csv module's limit or the
end of the file inside a quote costs only the line it is on, which goes to the rejects with
its number, its reason and its text; every other line loads or is rejected on its own."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from neo4j import Driver

from graph.driver import read
from ingest.transactional import load_delivery
from tests.ingest.deliveries import rejects, write_delivery
from tests.ingest.test_bulk import both_paths
from tests.ingest.test_rejects import AGENCIES

HEADER = "person_key,agency_code,surname,forename,middle_names,date_of_birth,gender,aliases,pnc_id"


def person_line(n: int, surname: str = "") -> str:
    return f"AAA:P{n},AAA,{surname or f'Surname{n}'},Ann,,1980-01-0{n % 9 + 1},F,,"


def persons_file(folder: Path, lines: dict[int, str], rows: int = 8) -> Path:
    """A persons.csv of `rows` data rows (person n on line n + 1), with `lines` replaced."""
    write_delivery(folder, {"agencies.csv": AGENCIES[:1]})
    body = [HEADER] + [lines.get(n + 1, person_line(n)) for n in range(1, rows + 1)]
    (folder / "persons.csv").write_bytes("\r\n".join(body).encode("utf-8", "surrogateescape"))
    return folder


def loaded_keys(db: Driver) -> set[str]:
    return {r["k"] for r in read("MATCH (p:Person) RETURN p.person_key AS k", driver=db)}


def by_line(folder: Path) -> dict[int, dict[str, str]]:
    return {int(r["line"]): r for r in rejects(folder, "persons.csv")}


def test_an_unclosed_quote_costs_only_its_own_line(db: Driver, tmp_path: Path) -> None:
    broken = 'AAA:P6,AAA,"Fenwick,Ann,,1980-01-07,F,,'
    folder = persons_file(tmp_path / "d", {7: broken, 4: "AAA:P3,AAA,,Nobody,,,,,"})
    summary = load_delivery(folder, db)
    persons = next(f for f in summary.files if f.name == "persons.csv")
    assert persons.loaded + persons.rejected == 8
    rejected = by_line(folder)
    assert sorted(rejected) == [4, 7]
    assert rejected[7]["raw"] == broken
    assert rejected[7]["reason"] == "malformed CSV: a quote opened on this line is never closed"
    assert rejected[4]["raw"] == "AAA:P3,AAA,,Nobody,,,,,"
    assert loaded_keys(db) == {f"AAA:P{n}" for n in (1, 2, 4, 5, 7, 8)}


def test_a_stray_quote_closed_lines_later_costs_only_its_first_line(
    db: Driver, tmp_path: Path
) -> None:
    """Lines 3 to 5 parse as one record with line breaks in a surname: only line 3 is
    malformed; line 5 read alone holds a quote inside a field, which CSV keeps as it is."""
    opened = 'AAA:P2,AAA,"Dunn,Ann,,1980-01-03,F,,'
    closed = 'AAA:P4,AAA,Evans",Ann,,1980-01-05,F,,'
    folder = persons_file(tmp_path / "d", {3: opened, 5: closed})
    load_delivery(folder, db)
    rejected = by_line(folder)
    assert rejected[3]["raw"] == opened
    assert rejected[3]["reason"] == (
        "malformed CSV: a quote opened on this line runs over 3 lines and puts a line break "
        "in a column that is not free text"
    )
    assert set(rejected) == {3}
    assert loaded_keys(db) == {f"AAA:P{n}" for n in (1, 3, 4, 5, 6, 7, 8)}
    surname = read("MATCH (p:Person {person_key: 'AAA:P4'}) RETURN p.surname AS s", driver=db)
    assert surname[0]["s"] == 'Evans"'


def test_a_stray_quote_leaving_the_wrong_width_costs_only_its_first_line(
    db: Driver, tmp_path: Path
) -> None:
    opened = 'AAA:P2,AAA,Dunn,Ann,,1980-01-03,F,,,"x'
    folder = persons_file(tmp_path / "d", {3: opened, 5: 'AAA:P4,AAA,Evans,Ann,,,F,",'})
    load_delivery(folder, db)
    rejected = by_line(folder)
    assert rejected[3]["raw"] == opened
    assert rejected[3]["reason"] == (
        "malformed CSV: a quote opened on this line runs over 3 lines and leaves 11 fields, not 9"
    )
    assert 4 not in rejected and len(rejected) == 2  # line 5 opens a quote of its own
    assert loaded_keys(db) == {f"AAA:P{n}" for n in (1, 3, 5, 6, 7, 8)}


def test_a_field_over_the_csv_limit_is_rejected_with_its_text(db: Driver, tmp_path: Path) -> None:
    huge = "X" * (csv.field_size_limit() + 10)
    long_line = person_line(3, surname=huge)
    folder = persons_file(tmp_path / "d", {4: long_line})
    load_delivery(folder, db)
    rejected = by_line(folder)
    assert list(rejected) == [4]
    assert rejected[4]["reason"] == (
        f"malformed CSV: a field is longer than {csv.field_size_limit():,} characters"
    )
    assert rejected[4]["raw"] == long_line
    assert loaded_keys(db) == {f"AAA:P{n}" for n in range(1, 9) if n != 3}


def test_the_end_of_the_file_inside_a_quote_is_rejected_with_its_text(
    db: Driver, tmp_path: Path
) -> None:
    last = 'AAA:P8,AAA,Gray,"Ann\r\nMarie,,1980-01-09,F,,'
    folder = persons_file(tmp_path / "d", {9: last})
    load_delivery(folder, db)
    rejected = by_line(folder)
    assert rejected[9]["raw"] == 'AAA:P8,AAA,Gray,"Ann'
    assert rejected[10]["raw"] == "Marie,,1980-01-09,F,,"  # read on its own: too few fields
    assert loaded_keys(db) == {f"AAA:P{n}" for n in range(1, 8)}


def test_a_value_spanning_lines_still_loads_as_one_row(db: Driver, tmp_path: Path) -> None:
    """Free text (here an unknown column's) may hold line breaks inside its quotes."""
    folder = write_delivery(tmp_path / "d", {"agencies.csv": AGENCIES[:1]})
    body = [HEADER + ",Notes", person_line(1) + ",", person_line(2) + ',"Seen at\r\nthe door"']
    (folder / "persons.csv").write_text("\r\n".join(body + [person_line(3) + ","]))
    summary = load_delivery(folder, db)
    assert summary.exit_code == 0, rejects(folder, "persons.csv")
    notes = read("MATCH (p:Person {person_key: 'AAA:P2'}) RETURN p.x_notes AS n", driver=db)
    assert notes[0]["n"] == "Seen at\r\nthe door"
    assert loaded_keys(db) == {"AAA:P1", "AAA:P2", "AAA:P3"}


def test_every_reject_has_its_raw_text(db: Driver, tmp_path: Path) -> None:
    folder = persons_file(tmp_path / "d", {2: "AAA:P1,AAA,Short", 3: "AAA:P2,ZZZ,Unknown,,,,,,"})
    load_delivery(folder, db)
    assert {n: r["raw"] for n, r in by_line(folder).items()} == {
        2: "AAA:P1,AAA,Short",
        3: "AAA:P2,ZZZ,Unknown,,,,,,",
    }


@pytest.mark.parametrize(
    "lines",
    [
        {7: 'AAA:P6,AAA,"Fenwick,Ann,,1980-01-07,F,,'},
        {4: person_line(3, surname="Y" * (csv.field_size_limit() + 1))},
        {9: 'AAA:P8,AAA,Gray,"Ann\r\nMarie,,1980-01-09,F,,'},
    ],
    ids=["unclosed quote", "oversize field", "end of data"],
)
def test_the_bulk_path_keeps_the_same_rows_and_rejects(
    db: Driver, tmp_path: Path, lines: dict[int, str]
) -> None:
    both_paths(db, persons_file(tmp_path / "d", lines))


def test_a_stray_quote_closed_on_a_last_line_without_a_line_break(
    db: Driver, tmp_path: Path
) -> None:
    opened = 'AAA:P2,AAA,Dunn,Ann,,1980-01-03,F,,,"x'
    last = 'AAA:P8,AAA,Gray,Ann,,,F,",'
    folder = persons_file(tmp_path / "d", {3: opened, 9: last})
    load_delivery(folder, db)
    rejected = by_line(folder)
    assert rejected[3]["raw"] == opened and rejected[9]["raw"] == last
    assert loaded_keys(db) == {f"AAA:P{n}" for n in (1, 3, 4, 5, 6, 7)}
