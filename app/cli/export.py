"""`serialwatch export PERSON --format graphml|anx --out FILE`: the chart a person's link chart
opens on, as a file Gephi, yEd, networkx or i2 Analyst's Notebook opens; read as the logged-in
user through the same door as the explorer (role checked, partners' chart redacted, audited)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from app.cli.access import Purpose, cli_access
from app.cli.common import console, reports_errors
from app.cli.query import one_person
from app.services import network
from graph.errors import SerialwatchError


class ChartFormat(StrEnum):
    graphml = "graphml"
    anx = "anx"


class CannotWrite(SerialwatchError):
    exit_code = 2


@reports_errors
def export(
    person: Annotated[
        str,
        typer.Argument(
            help="Identity id, record key, or name (and date of birth: 'Alan Smith 1971-04-02')."
        ),
    ],
    fmt: Annotated[ChartFormat, typer.Option("--format", "-f", help="File format.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="The file to write.")],
    purpose: Purpose = None,
) -> None:
    """Export a person's link chart (as it opens in the explorer) for Gephi, yEd or i2."""
    if out.is_dir():
        raise CannotWrite(f"--out {out} is a folder: name a file, e.g. {out / ('chart.' + fmt)}")
    if not out.parent.is_dir():
        raise CannotWrite(f"--out {out}: the folder {out.parent} does not exist")
    access = cli_access(purpose)
    identity = one_person(access, "PERSON", person)
    text = network.export_opening_chart(access, identity, fmt.value)
    tmp = out.with_name(out.name + ".part")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(out)
    console.print(f"wrote {out} ({fmt.value}, {len(text.encode()):,} bytes)", highlight=False)
