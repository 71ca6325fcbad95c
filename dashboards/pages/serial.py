"""Serial perpetrators: the proposal's tiers, MATAC and the RFGV ranking with each component
shown, filtered by force; a row's link opens the subject's chart."""

from __future__ import annotations

from typing import Any

import dash
from dash import Input, Output, State, dash_table, dcc, html

from app.services import library
from app.services.door import Access
from dashboards.components.session import STORE, guarded

dash.register_page(__name__, path="/serial", title="Serial perpetrators · serialwatch", order=3)

RFGV_COLS = [
    "recency",
    "frequency",
    "gravity",
    "victims",
    "score",
    "victims_count",
    "incidents",
    "harm_days",
    "last_date",
]

layout = html.Div(
    [
        html.Div(
            [
                html.H2("Serial perpetrators"),
                html.P(
                    "Tier serial: two or more victims and a qualifying outcome or order. "
                    "At risk: two or more victims otherwise. MATAC: Northumbria's rule "
                    "(2+ victims aged 16+ in 3 years). RFGV: recency, frequency, gravity "
                    "and victims, each scored 0-10 with the documented weights.",
                    className="sw-note",
                ),
                html.Label("Force (none: all)"),
                dcc.Dropdown([], [], multi=True, id="serial-forces"),
                html.Button("Refresh", id="serial-go", n_clicks=0),
            ],
            className="sw-card",
        ),
        dcc.Loading(html.Div(id="serial-body")),
    ]
)


def _link(ident: str) -> str:
    return f"[open chart]({dash.get_relative_path('/chart?person=' + ident)})"


def _table(rows: list[dict[str, Any]], cols: list[str], tid: str) -> Any:
    data = [{**{c: _s(r.get(c)) for c in cols}, "chart": _link(r["identity_id"])} for r in rows]
    columns = [{"name": "chart", "id": "chart", "presentation": "markdown"}] + [
        {"name": c.replace("_", " "), "id": c} for c in cols
    ]
    return dash_table.DataTable(  # type: ignore[attr-defined]
        data,
        columns,
        id=tid,
        sort_action="native",
        page_size=15,
        filter_action="native",
        markdown_options={"link_target": "_self"},  # the chart opens in this tab, this session
        # long cells (a man's forces) wrap inside the card instead of running off the screen
        style_cell={"textAlign": "left", "whiteSpace": "normal", "maxWidth": "480px"},
    )


def _s(v: Any) -> Any:
    """A cell as read: lists joined, points to two decimals (as the score)."""
    if isinstance(v, float):
        return round(v, 2)
    return ", ".join(map(str, v)) if isinstance(v, list) else v


def body(a: Access, forces: list[str]) -> tuple[Any, list[dict[str, str]]]:
    """The page for the chosen forces (none: all), and the force choices (none when filtered).
    Counts come from the server; the lists are their first page, filtered on the server."""
    where = {"forces": forces} if forces else {}
    counts = {r["tier"]: r["perpetrators"]
              for r in library.run(a, "serial_tier_counts", where)["rows"]}  # fmt: skip
    listed = library.run(a, "serial_perpetrators", where)
    matac = library.run(a, "matac_serial", where)
    rfgv = library.run(a, "rfgv_ranking", {**where, "limit": 200})["rows"]
    tiers = listed["rows"]
    shown = f"{len(matac['rows']):,}{' or more' if matac['truncated'] else ''}"
    head = f"{counts.get('serial', 0):,} serial, {counts.get('at_risk', 0):,} at risk, "
    head += f"{shown} meet MATAC"
    if listed["truncated"]:
        head += f" (the lists show the first {len(tiers):,})"
    options = [] if forces else _force_options(a)
    page = html.Div(
        [
            html.Div(html.Strong(head), className="sw-card"),
            html.Div(
                [
                    html.H3("Tiers"),
                    _table(
                        tiers,
                        ["name", "tier", "victims", "order_types", "outcome_types", "forces"],
                        "serial-tiers",
                    ),
                ],
                className="sw-card",
            ),
            html.Div(
                [html.H3("RFGV ranking"), _table(rfgv, ["name", *RFGV_COLS], "serial-rfgv")],
                className="sw-card",
            ),
            html.Div(
                [
                    html.H3("MATAC"),
                    _table(
                        matac["rows"],
                        [
                            "name",
                            *[
                                c
                                for c in (matac["rows"][0] if matac["rows"] else {})
                                if c not in ("name", "identity_id", "record_keys")
                            ],
                        ],
                        "serial-matac",
                    ),
                ],
                className="sw-card",
            ),
        ]
    )
    return page, options


def _force_options(a: Access) -> list[dict[str, str]]:
    """Every police force holding a serial or at-risk perpetrator, with how many (from the
    server, not from the list's first page, where a force whose men are all further down
    would be missing)."""
    held: dict[str, dict[str, int]] = {}
    for r in library.run(a, "serial_tier_counts", {"by_force": True}, limit=100_000)["rows"]:
        held.setdefault(r["force"], {})[r["tier"]] = r["perpetrators"]
    return [{"label": f"{f} · {n.get('serial', 0):,} serial, {n.get('at_risk', 0):,} at risk",
             "value": f} for f, n in sorted(held.items())]  # fmt: skip


@dash.callback(
    Output("serial-body", "children"),
    Output("serial-forces", "options"),
    Input("serial-go", "n_clicks"),
    State("serial-forces", "value"),
    State(STORE, "data"),
)
def refresh(_: int, forces: list[str], session: Any) -> tuple[Any, Any]:
    """The page; the force choices are every force holding a serial or at-risk perpetrator
    (kept while filtered)."""
    out = guarded(session, lambda a: body(a, forces or []))
    if not isinstance(out, tuple):
        return out, []
    return out[0], dash.no_update if forces else out[1]
