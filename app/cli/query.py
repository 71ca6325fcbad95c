"""`serialwatch query`: list, show and run the saved queries of the library.

The CLI only names a query and passes text parameters; the runner checks and types them, so the
same rules hold here as in the API.
"""

from __future__ import annotations

import csv
import io
import json
from enum import StrEnum
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from app.cli.common import console, err_console, reports_errors
from graph.cypher import MISSING, BadParameter
from graph.registry import get_library
from graph.runner import cell
from graph.runner import run as run_query

query_app = typer.Typer(
    help="The saved query library: serial perpetrators, victim chains, disclosure checks...",
    no_args_is_help=True,
)


class Format(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


@query_app.command("list")
@reports_errors
def list_() -> None:
    """Every saved query: name, scope, title and parameters."""
    table = Table(box=None)
    for col in ("name", "scope", "title", "parameters"):
        table.add_column(col)
    for q in get_library():
        params = ", ".join(p.name if p.default is MISSING else f"[{p.name}]" for p in q.params)
        table.add_row(q.name, q.scope, escape(q.title), escape(params))
    console.print(table)


@query_app.command()
@reports_errors
def show(name: Annotated[str, typer.Argument(help="The query's name.")]) -> None:
    """A query's description, parameters, rows and Cypher."""
    q = get_library().get(name)
    console.print(f"[bold]{q.name}[/bold]: {escape(q.title)}", highlight=False)
    console.print(escape(q.description), highlight=False)
    console.print(f"audience: {', '.join(q.audience)}   scope: {q.scope}   source: {q.source}")
    console.print(f"rows: {escape(q.returns)}", highlight=False)
    if q.params:
        table = Table(box=None)
        for col in ("parameter", "type", "default", "description"):
            table.add_column(col)
        for p in q.params:
            default = "required" if p.default is MISSING else p.default_text
            table.add_row(p.name, p.type, escape(default), escape(p.describe()))
        console.print(table)
    console.print()
    console.print(q.cypher, markup=False, highlight=False)


def parse_params(pairs: list[str]) -> dict[str, str]:
    """`key=value` pairs as a dict (values stay text; the runner types them)."""
    out: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise BadParameter(f"-p expects key=value, got {pair!r}")
        out[key.strip()] = value
    return out


def render(columns: list[str], rows: list[dict[str, Any]], fmt: Format) -> str:
    """The rows in the chosen format (table rendering is left to rich)."""
    if fmt is Format.json:
        return json.dumps(rows, indent=2, ensure_ascii=False)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows([cell(r.get(c), spreadsheet_safe=True) for c in columns] for r in rows)
    return buf.getvalue().rstrip("\n")


@query_app.command()
@reports_errors
def run(
    name: Annotated[str, typer.Argument(help="The query's name (`serialwatch query list`).")],
    param: Annotated[
        list[str] | None,
        typer.Option("--param", "-p", help="A parameter as key=value; repeat for more."),
    ] = None,
    fmt: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.table,
    limit: Annotated[
        int | None, typer.Option(help="Most rows to return (default: SERIALWATCH_QUERY_ROW_CAP).")
    ] = None,
) -> None:
    """Run a saved query in a read transaction and print its rows."""
    result = run_query(name, parse_params(param or []), row_cap=limit)
    if fmt is Format.table:
        table = Table(box=None)
        for col in result.columns:
            table.add_column(col, overflow="fold")
        for r in result.rows:
            table.add_row(*(escape(cell(r.get(c))) for c in result.columns))
        console.print(table)
    else:
        typer.echo(render(result.columns, result.rows, fmt))
    note = f"{len(result.rows)} rows in {result.elapsed_ms:.0f} ms"
    if result.truncated:
        note += " (cut at the row cap: raise --limit or SERIALWATCH_QUERY_ROW_CAP)"
    err_console.print(note, style="dim", highlight=False)
