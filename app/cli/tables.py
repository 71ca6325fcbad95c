"""Rows as a table that fits the terminal: ids whole, text wrapped at word boundaries.

Identifier columns (ids and keys, which a user copies into the next command) are never cut or
wrapped. Text columns share the rest of the width and wrap between words, at most
`MAX_LINES` lines a cell; what does not fit (further columns, the end of a long cell) is named
in a note that points to `--format json` or `csv`, which carry everything.
"""

from __future__ import annotations

import json
import re
import textwrap
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from app.services import library

MAX_LINES = 3
MIN_TEXT = 12  # the narrowest a text column gets before it is left out
GAP = 2
_ID = re.compile(r"(^|_)(id|key|alert|name_key)$|^(n|rank|identity|alert_id)$")


class Format(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


@dataclass(frozen=True)
class Fitted:
    table: Table
    hidden: list[str]  # columns left out for want of width
    cut: int  # cells whose text was cut at MAX_LINES


def text(value: Any) -> str:
    """A value as table text: lists joined with '; ' (so they wrap), maps as key: value."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return "; ".join(text(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {text(v)}" for k, v in value.items())
    if isinstance(value, float):
        return f"{value:,.3g}" if abs(value) < 1000 else f"{value:,.0f}"
    return str(value)


def is_id(column: str) -> bool:
    return bool(_ID.search(column))


def fit(
    columns: Sequence[str],
    rows: Sequence[dict[str, Any]],
    width: int,
    ids: Collection[str] = (),
) -> Fitted:
    """The rows as a rich Table at most `width` characters wide; `ids` names identifier
    columns beyond those `is_id` recognises."""
    whole = [c in ids or is_id(c) for c in columns]
    cells = [[text(r.get(c)) for c in columns] for r in rows]
    natural = [
        max([len(c), *(len(row[i]) for row in cells)]) for i, c in enumerate(columns)
    ]
    minimum = [
        natural[i] if whole[i] else min(natural[i], max(MIN_TEXT, len(c)))
        for i, c in enumerate(columns)
    ]
    shown: list[int] = []
    used = 0
    for i in range(len(columns)):
        need = minimum[i] + (GAP if shown else 0)
        if used + need <= width or not shown:
            shown.append(i)
            used += need
    widths = _share(shown, columns, natural, minimum, width - used)
    table = Table(box=None, pad_edge=False, padding=(0, GAP, 0, 0), show_edge=False)
    cut = 0
    for i in shown:
        table.add_column(escape(columns[i]), width=widths[i], no_wrap=True, overflow="ignore")
    for row in cells:
        out = []
        for i in shown:
            wrapped, was_cut = _wrap(row[i], widths[i], whole[i])
            cut += was_cut
            out.append(escape(wrapped))
        table.add_row(*out)
    hidden = [c for i, c in enumerate(columns) if i not in shown]
    return Fitted(table, hidden, cut)


def _share(
    shown: list[int], columns: Sequence[str], natural: list[int], minimum: list[int], spare: int
) -> dict[int, int]:
    """Each shown column's width: its minimum, plus a share of the spare width for text
    columns that want more, in proportion to what they want."""
    widths = {i: minimum[i] for i in shown}
    wants = {i: natural[i] - minimum[i] for i in shown if natural[i] > minimum[i]}
    total = sum(wants.values())
    if total and spare > 0:
        for i, want in wants.items():
            widths[i] += min(want, spare * want // total)
    return widths


def _wrap(value: str, width: int, whole: bool) -> tuple[str, bool]:
    if whole or len(value) <= width:
        return value, False
    lines = textwrap.wrap(value, width, break_on_hyphens=False) or [""]
    if len(lines) <= MAX_LINES:
        return "\n".join(lines), False
    last = textwrap.shorten(" ".join(lines[MAX_LINES - 1 :]), width, placeholder=" …")
    return "\n".join([*lines[: MAX_LINES - 1], last]), True


def show(
    console: Console,
    note: Console,
    columns: Sequence[str],
    rows: Sequence[dict[str, Any]],
    total: str,
    ids: Collection[str] = (),
) -> None:
    """Print the table on `console` and, on `note` (standard error), the total and what the
    table leaves out."""
    fitted = fit(columns, rows, console.width, ids)
    console.print(fitted.table, highlight=False, soft_wrap=True)
    lines = [total]
    if fitted.hidden:
        lines.append(
            f"not shown for want of width: {', '.join(fitted.hidden)} "
            "(widen the terminal, or use --format json or csv)"
        )
    if fitted.cut:
        lines.append(f"{fitted.cut:,} long cells cut at {MAX_LINES} lines (--format json or csv)")
    for line in lines:
        note.print(line, style="dim", highlight=False, soft_wrap=True)


def render(columns: Sequence[str], rows: Sequence[dict[str, Any]], fmt: Format) -> str:
    """The rows as JSON or CSV: every column and every character (lists joined by `;` in CSV,
    spreadsheet formulas defused)."""
    if fmt is Format.json:
        return json.dumps(list(rows), indent=2, ensure_ascii=False, default=str)
    return library.to_csv(list(columns), list(rows)).rstrip("\n")


def emit(
    console: Console,
    note: Console,
    fmt: Format,
    columns: Sequence[str],
    rows: Sequence[dict[str, Any]],
    total: str,
    ids: Collection[str] = (),
) -> None:
    """Rows in the chosen format on standard output, the total on standard error."""
    if fmt is Format.table:
        show(console, note, columns, rows, total, ids)
    else:
        typer.echo(render(columns, rows, fmt))
        note.print(total, style="dim", highlight=False, soft_wrap=True)
