"""A header that would spray property keys or lose data refuses the delivery before anything
loads: exit code 2 and one line naming the file and the problem."""

from __future__ import annotations

from pathlib import Path

import pytest
from neo4j import Driver

from graph.driver import read
from ingest.reading import MAX_EXTRA_COLUMNS, DeliveryUnreadable
from ingest.transactional import load_delivery
from tests.ingest.deliveries import write_delivery
from tests.ingest.test_rejects import AGENCIES, cli

BASE = "person_key,agency_code,surname"


def delivery_with_header(folder: Path, extra: list[str]) -> Path:
    write_delivery(folder, {"agencies.csv": AGENCIES[:1]})
    header = ",".join([BASE, *extra])
    row = "AAA:P1,AAA,Wide" + "," * len(extra)
    (folder / "persons.csv").write_text(f"{header}\n{row}\n", encoding="utf-8")
    return folder


def property_keys(db: Driver) -> int:
    rows = read("CALL db.propertyKeys() YIELD propertyKey RETURN count(*) AS n", driver=db)
    return int(rows[0]["n"])


def test_fifty_thousand_extra_columns_refuse_the_delivery_at_once(
    db: Driver, tmp_path: Path
) -> None:
    folder = delivery_with_header(tmp_path / "d", [f"col{n}" for n in range(50_000)])
    keys = property_keys(db)
    out = cli("ingest", str(folder))
    assert out.returncode == 2
    lines = out.stderr.strip().splitlines()
    assert lines == [
        "error: persons.csv: the header has 50,000 columns the format does not define (at most "
        "20 are kept): 'col0', 'col1', 'col2', 'col3', 'col4' and 49,995 more"
    ]
    assert property_keys(db) == keys
    assert (
        read("MATCH (n) WHERE NOT n:SchemaMigration RETURN count(n) AS n", driver=db)[0]["n"] == 0
    )


@pytest.mark.parametrize(
    "extra,problem",
    [
        (["=cmd()"], "unknown column name(s) '=cmd()'"),
        (["x" * 41], "unknown column name(s) 'xxxx"),
        ([""], "unknown column name(s) ''"),
        (["Custody Ref", "custody_ref"], "would be stored as one property: 'Custody Ref'"),
        (["surname"], "repeats column(s) 'surname'"),
    ],
)
def test_unsafe_or_clashing_columns_refuse_the_delivery(
    db: Driver, tmp_path: Path, extra: list[str], problem: str
) -> None:
    folder = delivery_with_header(tmp_path / "d", extra)
    with pytest.raises(DeliveryUnreadable) as refused:
        load_delivery(folder, db)
    assert str(refused.value).startswith("persons.csv: the header")
    assert problem in str(refused.value)
    assert read("MATCH (n:Agency) RETURN count(n) AS n", driver=db)[0]["n"] == 0


def test_up_to_the_limit_of_extra_columns_load_as_properties(db: Driver, tmp_path: Path) -> None:
    folder = delivery_with_header(tmp_path / "d", [f"Col {n}" for n in range(MAX_EXTRA_COLUMNS)])
    text = (folder / "persons.csv").read_text().replace("Wide,", "Wide,v0,", 1)
    (folder / "persons.csv").write_text(text[: text.rindex(",")] + "\n")
    assert load_delivery(folder, db).exit_code == 0
    row = read("MATCH (p:Person) RETURN p.x_col_0 AS v", driver=db)
    assert row == [{"v": "v0"}]


def test_an_unreadable_header_refuses_the_delivery(db: Driver, tmp_path: Path) -> None:
    folder = write_delivery(tmp_path / "d", {"agencies.csv": AGENCIES[:1]})
    (folder / "persons.csv").write_text('person_key,agency_code,"surname\nAAA:P1,AAA,Wide\n')
    with pytest.raises(DeliveryUnreadable) as refused:
        load_delivery(folder, db)
    assert str(refused.value) == (
        "persons.csv: the header cannot be read "
        "(malformed CSV: a quote opened on this line is never closed)"
    )
