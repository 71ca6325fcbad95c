"""`serialwatch query`: list, show and run the saved queries of the library.

The CLI only names a query and passes text parameters; the runner checks and types them, so the
same rules hold here as in the API.
"""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from app.cli import tables
from app.cli.access import Purpose, cli_access
from app.cli.common import console, err_console, reports_errors
from app.cli.tables import Format
from app.services import library, people
from app.services.door import Access
from graph.cypher import MISSING, BadParameter
from graph.errors import SerialwatchError
from graph.registry import get_library

PERSON_PARAMS = {"person": ("person",), "pair": ("a", "b")}


class PersonNotFound(SerialwatchError):
    """A person parameter names no one, or several people."""

    exit_code = 2

query_app = typer.Typer(
    help="The saved query library: serial perpetrators, victim chains, disclosure checks...",
    no_args_is_help=True,
)


@query_app.command("list")
@reports_errors
def list_() -> None:
    """Every saved query: name, scope, title and parameters ([optional])."""
    rows = [
        {
            "name": q.name,
            "scope": q.scope,
            "title": q.title,
            "parameters": " ".join(
                p.name if p.default is MISSING else f"[{p.name}]" for p in q.params
            ),
        }
        for q in get_library()
    ]
    tables.show(console, err_console, ["name", "scope", "title", "parameters"], rows,
                f"{len(rows)} queries", ids=("name",))  # fmt: skip


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


@query_app.command()
@reports_errors
def run(
    name: Annotated[str, typer.Argument(help="The query's name (`serialwatch query list`).")],
    param: Annotated[
        list[str] | None,
        typer.Option(
            "--param",
            "-p",
            help="A parameter as key=value; repeat for more. A person may be named by identity "
            "id, record key, or name (and date of birth: person='Alan Smith 1971-04-02').",
        ),
    ] = None,
    fmt: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.table,
    limit: Annotated[
        int | None,
        typer.Option(min=1, help="Most rows to return (default: SERIALWATCH_QUERY_ROW_CAP)."),
    ] = None,
    purpose: Purpose = None,
) -> None:
    """Run a saved query in a read transaction and print its rows (audited, as you)."""
    access = cli_access(purpose)
    params: dict[str, Any] = parse_params(param or [])
    for key in PERSON_PARAMS.get(get_library().get(name).scope, ()):
        if isinstance(params.get(key), str):
            params[key] = one_person(access, key, params[key])
    result = library.run(access, name, params, limit=limit)
    rows, columns = result["rows"], result["columns"]
    total = f"{len(rows):,} rows in {result['elapsed_ms']:.0f} ms"
    if result["truncated"]:
        total += " (more exist: cut at the row cap; raise --limit or SERIALWATCH_QUERY_ROW_CAP)"
    tables.emit(console, err_console, fmt, columns, rows, total)


def one_person(access: Access, key: str, text: str) -> str:
    """The identity a person parameter names; several or none is a one-line error, with the
    candidates listed so the user can pick one by id."""
    found = people.lookup(access, text)
    if len(found) == 1:
        return str(found[0]["identity_id"])
    if not found:
        raise PersonNotFound(f"no person matches {key}={text!r}: try a record key or a DOB")
    rows = [
        {"identity_id": r["identity_id"], "names": r.get("names"),
         "dates_of_birth": r.get("dates_of_birth"), "agencies": r.get("agencies")}
        for r in found
    ]  # fmt: skip
    tables.show(err_console, err_console, list(rows[0]), rows, f"{len(rows)} candidates")
    raise PersonNotFound(
        f"{len(found)} people match {key}={text!r}: give one's identity_id, or add a DOB"
    )
