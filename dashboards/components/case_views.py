"""Pieces the case work pages share: a plain table of rows, and a case's summary."""

from __future__ import annotations

from typing import Any

import dash
from dash import dash_table, html


def table(rows: list[dict[str, Any]], columns: list[str], id_: str, empty: str,
          selectable: bool = False) -> Any:  # fmt: skip
    """Rows as a table (lists joined, None as empty); `empty` when there are none."""
    if not rows:
        return html.P(empty, id=f"{id_}-none", className="sw-note")

    def cell(v: Any) -> Any:
        if isinstance(v, bool):
            return "yes" if v else ""
        if isinstance(v, list):
            return ", ".join(str(x) for x in v)
        return "" if v is None else v

    return dash_table.DataTable(  # type: ignore[attr-defined]
        [{c: cell(r.get(c)) for c in columns} for r in rows],
        [{"name": c.replace("_", " "), "id": c} for c in columns],
        id=id_,
        row_selectable="single" if selectable else False,
        page_size=25,
        style_cell={"textAlign": "left", "whiteSpace": "normal"},
        style_data_conditional=[
            {"if": {"filter_query": '{overdue} = "yes"'}, "color": "#b00020", "fontWeight": 600},
            {"if": {"filter_query": '{status} = "candidate"'}, "fontWeight": 600},
        ],
    )


def summary(c: dict[str, Any]) -> Any:
    """A case's header: who, status, level, owner, review date, version."""
    chart = dash.get_relative_path(f"/chart?person={c['identity_id']}")
    return html.Div(
        [
            html.H3(f"{c.get('name') or c['identity_id']} · {c['case_id']}", id="case-title"),
            html.P(
                f"status {c['status']} · level {c.get('level') or '-'} · area "
                f"{c.get('area') or '-'} · lead agency {c.get('lead_agency') or '-'} · "
                f"caseworker {c.get('caseworker') or '-'} · review due "
                f"{c.get('review_due') or '-'} · version {c['version']}",
                id="case-status",
            ),
            html.A("Open his link chart", href=chart),
        ]
    )
