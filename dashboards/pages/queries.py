"""Saved queries: the library with descriptions, a form built from each query's declared
parameters, results as a sortable table (person rows link to their chart), CSV download."""

from __future__ import annotations

import json
from typing import Any

import dash
from dash import ALL, Input, Output, State, dash_table, dcc, html

from app.services import library
from app.services.door import Access
from dashboards.components.query_form import as_list, params
from dashboards.components.session import STORE, access, failure, guarded

dash.register_page(__name__, path="/queries", title="Saved queries · serialwatch", order=4)

layout = html.Div(
    [
        html.Div(
            [
                html.H2("Saved queries"),
                html.Label("Query", htmlFor="q-name"),
                dcc.Dropdown(id="q-name", placeholder="choose a saved query"),
                html.Div(id="q-form"),
                html.Button("Run", id="q-run", n_clicks=0),
                html.Button("Download CSV", id="q-csv", n_clicks=0),
                dcc.Download(id="q-download"),
            ],
            className="sw-card",
        ),
        dcc.Loading(html.Div(id="q-results", className="sw-card")),
    ]
)


@dash.callback(Output("q-name", "options"), Input(STORE, "data"))
def options(session: dict[str, Any] | None) -> list[dict[str, str]]:
    who = access(session)
    if who is None:
        return []
    return [
        {"label": f"{q['title']} ({q['name']})", "value": q["name"]}
        for q in library.list_queries(who)
    ]


@dash.callback(
    Output("q-form", "children"),
    Input("q-name", "value"),
    State(STORE, "data"),
    prevent_initial_call=True,
)
def form(name: str | None, session: dict[str, Any] | None) -> Any:
    if not name:
        return ""
    return guarded(session, lambda a: _form(library.get_query(a, name)))


def _form(q: dict[str, Any]) -> html.Div:
    fields: list[Any] = [html.P(q["description"], className="sw-note")]
    for p in q["params"]:
        if p["type"] == "map":
            continue  # tables such as the RFGV weights keep their shipped defaults
        fid = {"type": "q-param", "name": p["name"], "ptype": p["type"]}
        label = html.Label(f"{p['name']}: {p['description']}")
        if p.get("choices"):
            default = as_list(p["default"]) if p["type"].startswith("list") else p["default"]
            multi = p["type"].startswith("list")
            field: Any = dcc.Dropdown(p["choices"], default, multi=multi, id=fid)
        else:
            field = dcc.Input(
                id=fid,
                type="text",
                value=p["default"] or "",
                placeholder="required" if p["required"] else "optional",
            )
        fields += [label, field]
    return html.Div(fields)


# What running or exporting reads: the query chosen, its parameters, and the session.
_CHOSEN_QUERY = (
    State("q-name", "value"),
    State({"type": "q-param", "name": ALL, "ptype": ALL}, "value"),
    State({"type": "q-param", "name": ALL, "ptype": ALL}, "id"),
    State(STORE, "data"),
)


@dash.callback(
    Output("q-results", "children"),
    Input("q-run", "n_clicks"),
    *_CHOSEN_QUERY,
    prevent_initial_call=True,
)
def run(_: int, name: str | None, values: list[Any], ids: list[Any], session: Any) -> Any:
    if not name:
        return html.P("Choose a query first.")
    return guarded(session, lambda a: _table(a, name, params(values, ids)))


def _table(a: Access, name: str, p: dict[str, Any]) -> Any:
    result = library.run(a, name, p, limit=2000)
    rows = [{k: _cell(v) for k, v in r.items()} for r in result["rows"]]
    cols = [{"name": c, "id": c} for c in result["columns"]]
    if any(r.get("identity_id") for r in result["rows"]):
        cols.insert(0, {"name": "chart", "id": "chart", "presentation": "markdown"})
        for r in rows:
            link = dash.get_relative_path(f"/chart?person={r.get('identity_id')}")
            r["chart"] = f"[open chart]({link})" if r.get("identity_id") else ""
    note = f"{len(rows)} rows in {result['elapsed_ms']} ms" + (
        " (truncated)" if result["truncated"] else ""
    )
    return html.Div(
        [
            html.P(note, id="q-count"),
            dash_table.DataTable(  # type: ignore[attr-defined]
                rows,
                cols,
                sort_action="native",
                filter_action="native",
                page_size=20,
                style_cell={"textAlign": "left", "whiteSpace": "normal", "maxWidth": "320px"},
                id="q-table",
            ),
        ]
    )


def _cell(v: Any) -> Any:
    if isinstance(v, list):
        return "; ".join(json.dumps(x) if isinstance(x, dict) else str(x) for x in v)
    if isinstance(v, dict):
        return json.dumps(v, default=str)
    return v if isinstance(v, int | float | bool) or v is None else str(v)


@dash.callback(
    Output("q-download", "data"),
    Input("q-csv", "n_clicks"),
    *_CHOSEN_QUERY,
    prevent_initial_call=True,
)
def csv(_: int, name: str | None, values: list[Any], ids: list[Any], session: Any) -> Any:
    who = access(session)
    if who is None or not name:
        return dash.no_update
    try:
        text = library.export_csv(who, name, params(values, ids), limit=100_000)
    except Exception as e:  # noqa: BLE001
        failure(e)
        return dash.no_update
    return {"content": text, "filename": f"{name}.csv", "type": "text/csv"}
