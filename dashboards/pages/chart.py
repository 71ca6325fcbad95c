"""The link chart: a subject's neighbourhood with filters, expand, hide/pin/remove, shortest
path, network measures and a timeline. Every read goes through the service layer."""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import quote

import dash
import dash_cytoscape as cyto
from dash import Input, Output, State, dash_table, dcc, html

from app.services import network
from dashboards.components import (
    chart_view,  # noqa: F401 - registers the view callbacks
    people_chart,
)
from dashboards.components import graph as G
from dashboards.components.session import STORE, access, failure, need_login

dash.register_page(__name__, path="/chart", title="Link chart · serialwatch", order=2)
Y0, Y1 = 1995, date.today().year
# The rest of the screen under the header (its height kept by assets/header_height.js) and
# the toolbar.
CHART_HEIGHT = "calc(100vh - 80px - var(--sw-header-h, 52px))"
SIZE_BY = {"none": "Same size", "degree": "Degree", "betweenness": "Betweenness"}


def _controls(steps: int) -> html.Details:
    """Filters and layout, folded away so that the screen goes to the chart."""
    return html.Details(
        [
            html.Summary("Filters and layout", id="chart-filters-open"),
            html.Div(
                [
                    html.Label("Years shown"),
                    dcc.RangeSlider(
                        Y0,
                        Y1,
                        1,
                        value=[Y0, Y1],
                        id="chart-years",
                        marks={y: str(y) for y in range(Y0, Y1 + 1, 5)},
                        tooltip={"placement": "bottom"},
                    ),
                    html.Label("Steps out from the subject"),
                    dcc.Slider(1, 3, 1, value=steps, id="chart-hops"),
                    html.Label("Node types"),
                    dcc.Checklist(G.NODE_TYPES, G.NODE_TYPES, id="chart-labels", inline=True),
                    html.Label("Relationship types (none: all)"),
                    dcc.Dropdown(G.REL_TYPES, [], multi=True, id="chart-rels"),
                    html.Label("Forces / agencies (none: all)"),
                    dcc.Dropdown([], [], multi=True, id="chart-forces"),
                    html.Label("Order types (none: all)"),
                    dcc.Dropdown(G.ORDER_TYPES, [], multi=True, id="chart-orders"),
                    html.Button("Apply filters", id="chart-apply", n_clicks=0),
                    html.Label("Layout"),
                    dcc.Dropdown(
                        [{"label": v, "value": k} for k, v in G.LAYOUTS.items()],
                        "people",
                        clearable=False,
                        id="chart-layout",
                    ),
                    html.Label("Node size by"),
                    dcc.RadioItems(SIZE_BY, "none", id="chart-size", inline=True),
                ],
                className="sw-card sw-drawer",
            ),
        ],
        className="sw-filters",
    )


def _toolbar(steps: int, person: str | None) -> html.Div:
    chain = dash.get_relative_path(f"/chain?person={quote(person or '')}")
    return html.Div(
        [
            _controls(steps),
            dcc.Link("Victim chain ▸", href=chain, id="chart-chain-link", className="sw-button"),
            html.Label("Selected", htmlFor="chart-focus", className="sw-wide-only"),
            dcc.Dropdown(
                [],
                None,
                id="chart-focus",
                placeholder="click a node or pick one",
                className="sw-focus",
            ),  # fmt: skip
            html.Button("Open / close group", id="chart-group", n_clicks=0),
            html.Button("Expand", id="chart-expand", n_clicks=0),
            html.Button("Hide", id="chart-hide", n_clicks=0),
            html.Button("Pin", id="chart-pin", n_clicks=0),
            html.Button("Remove", id="chart-remove", n_clicks=0),
            html.Button("Show hidden", id="chart-unhide", n_clicks=0),
            html.Button("Save layout", id="chart-save", n_clicks=0),
            _exports(),
            dcc.Download(id="chart-download"),
            html.Span(id="chart-message", className="sw-note"),
        ],
        className="sw-toolbar",
    )


def _exports() -> html.Details:
    """The picture, or the data for i2 / Gephi: folded into one menu, so that the toolbar
    keeps to one line on a 1400 px screen."""
    return html.Details(
        [
            html.Summary("Export ▾", id="chart-export-open"),
            html.Div(
                [
                    html.Button("PNG picture", id="chart-png", n_clicks=0),
                    html.Button("SVG picture", id="chart-svg", n_clicks=0),
                    html.Button("GraphML (Gephi)", id="chart-graphml", n_clicks=0),
                    html.Button("i2 ANX", id="chart-anx", n_clicks=0),
                ],
                className="sw-card sw-menu",
            ),
        ],
        className="sw-filters sw-export",
    )


def _side() -> html.Div:
    return html.Div(
        [
            html.H3("Details"),
            html.Div("Click a person or a group.", id="chart-detail"),
            html.H3("Shortest path between"),
            dcc.Dropdown([], None, id="chart-path-a", placeholder="person"),
            dcc.Dropdown([], None, id="chart-path-b", placeholder="person"),
            html.Button("Show shortest path", id="chart-path", n_clicks=0),
            html.Div(id="chart-path-note", className="sw-note"),
            G.legend(),
        ],
        className="sw-card sw-chart-side",
    )


def layout(
    person: str | None = None, hops: str | None = None, open: str | None = None, **_: Any
) -> html.Div:
    """The page for `person` (an identity id or record key), `hops` steps out (default 2),
    its groups closed unless `open` says otherwise."""
    opening = network.OPENING["hops"]
    steps = int(hops) if hops and hops.isdigit() and 1 <= int(hops) <= 3 else opening
    words = people_chart.OPEN_WORDS  # ?open=ranges: every range of his victims; all: every group
    opened = [words[open]] if open in words else []
    return html.Div(
        [
            dcc.Store(id="chart-person", data=person),
            dcc.Store(id="chart-els", data=[]),
            dcc.Store(id="chart-open", data=opened),
            dcc.Store(id="chart-saved", storage_type="local"),
            dcc.Store(id="chart-edits", data={"expanded": [], "removed": []}),
            dcc.Store(id="chart-base-style", data=G.stylesheet()),
            dcc.Store(id="chart-overview"),
            _toolbar(steps, person),
            html.Div(
                [
                    dcc.Loading(
                        cyto.Cytoscape(
                            id="chart",
                            elements=[],
                            layout={"name": "preset"},
                            # the layout runs when `render` changes it, once (by
                            # default it would run again on every added element)
                            autoRefreshLayout=False,
                            stylesheet=G.stylesheet(),
                            style={"width": "100%", "height": CHART_HEIGHT},
                            minZoom=0.05,
                            maxZoom=4,
                            boxSelectionEnabled=True,
                        ),
                        parent_className="sw-chart-box",
                    ),
                    _side(),
                ],
                className="sw-chart-row",
            ),
            html.Div(
                [
                    html.H3("Timeline"),
                    dcc.Graph(id="chart-timeline", config={"displaylogo": False}),
                ],
                className="sw-card",
            ),
            html.Div(
                [
                    html.H3("Key people in this chart (network analysis)"),
                    html.P(
                        "Betweenness: who links otherwise separate parts; community: "
                        "clusters found by Louvain; bridge: removing a link splits the chart.",
                        className="sw-note",
                    ),
                    dash_table.DataTable(  # type: ignore[attr-defined]
                        id="chart-rank", sort_action="native", page_size=15
                    ),
                ],
                className="sw-card",
            ),
        ],
        className="sw-chart-page",
    )


def _dates(years: list[int]) -> tuple[date | None, date | None]:
    lo, hi = years
    return (date(lo, 1, 1) if lo > Y0 else None, date(hi, 12, 31) if hi < Y1 else None)


@dash.callback(
    Output("chart-els", "data"),
    Output("chart-message", "children"),
    Output("chart-forces", "options"),
    *chart_view.VIEW,
    Input("chart-person", "data"),
    Input("chart-apply", "n_clicks"),
    Input("chart-years", "value"),
    State("chart-hops", "value"),
    State("chart-labels", "value"),
    State("chart-rels", "value"),
    State("chart-forces", "value"),
    State(STORE, "data"),
    State("chart-els", "data"),
    State("chart-edits", "data"),
    *chart_view.VIEW_CONTROLS,
    prevent_initial_call="initial_duplicate",
)
def load(person, _, years, hops, labels, rels, forces, session, old, edits, *view):
    els, note, codes = _read(person, years, hops, labels, rels, forces, session)
    els = _kept(els, old or [], edits or {}, years, session)
    return els, note, codes, *chart_view.render(els, *view)


def _roles(chart, labels):
    """Roles that belong to the people, not to what the filters keep: with incidents and
    orders left off, his victims (the chart's `numbers`: his chain) are still victims and he
    the perpetrator."""
    if {"Incident", "Order"} <= set(labels):
        return {}
    known = dict.fromkeys(chart["numbers"], "victim")
    if chart["perpetrator"]:
        known[chart["perpetrator"]] = "perpetrator"
    return known


def _kept(els, old, edits, years, session):
    """A re-read chart with the user's edits still applied: people he expanded expanded
    again (under the new filters), what he removed still gone, hidden and pinned nodes still
    hidden and pinned."""
    for focus in edits.get("expanded", []):
        merged, _ = _expanded(focus, els, years, session)
        els = els if merged is dash.no_update else merged
    for focus in edits.get("removed", []):
        els = _edited("chart-remove", focus, els)
    marks = {
        e["data"]["id"]: e for e in old if {"hidden", "pinned"} & set(e.get("classes", "").split())
    }
    out = []
    for e in els:
        was = marks.get(e["data"]["id"])
        if was is not None:
            extra = [c for c in ("hidden", "pinned") if c in was["classes"].split()]
            e = {**e, "classes": " ".join([e.get("classes", ""), *extra]).strip(),
                 "locked": bool(was.get("locked"))}  # fmt: skip
        out.append(e)
    return out


def _filters(years, hops, labels, rels, forces):
    """The service's chart filters for the page's controls (all node types: no label filter)."""
    date_from, date_to = _dates(years)
    return {
        "hops": hops,
        "date_from": date_from,
        "date_to": date_to,
        "labels": labels if set(labels) != set(G.NODE_TYPES) else None,
        "rel_types": rels or None,
        "forces": forces or None,
        "limit": network.OPENING["limit"],
    }


def _read(person, years, hops, labels, rels, forces, session):
    """The chart's elements around `person` as the filters ask, a note, and its agencies."""
    if not person:
        return [], html.P("Open a chart from Search or the serial perpetrators list."), []
    who = access(session)
    if who is None:
        return [], need_login(), []
    try:
        chart = network.people_chart(who, person, **_filters(years, hops, labels, rels, forces))
    except Exception as e:  # noqa: BLE001
        return [], failure(e), []
    els = people_chart.elements(chart, person, _roles(chart, labels), chart["numbers"])
    codes = sorted({e["data"]["agency_code"] for e in els if e["data"].get("agency_code")})
    note = "Showing the first 1,000 nodes; narrow the filters." if chart["truncated"] else ""
    return els, note, codes


@dash.callback(
    Output("chart-download", "data"),
    Output("chart-message", "children", allow_duplicate=True),
    Input("chart-graphml", "n_clicks"),
    Input("chart-anx", "n_clicks"),
    State("chart-person", "data"),
    State("chart", "elements"),
    State("chart-years", "value"),
    State("chart-hops", "value"),
    State("chart-labels", "value"),
    State("chart-rels", "value"),
    State("chart-forces", "value"),
    State(STORE, "data"),
    prevent_initial_call=True,
)
def download(_g, _a, person, drawn, years, hops, labels, rels, forces, session):
    """The chart as the filters ask, as GraphML or i2 ANX with the positions on screen: read
    through the same door as the screen (role, partner redaction, one audit entry)."""
    fmt = "graphml" if dash.ctx.triggered_id == "chart-graphml" else "anx"
    who = access(session)
    if who is None:
        return dash.no_update, need_login()
    if not person:
        return dash.no_update, "Open a chart first."
    shown = {e["data"]["id"]: e["position"] for e in drawn or [] if e.get("position")}
    try:
        text = network.export_chart(
            who, person, fmt, positions=shown, **_filters(years, hops, labels, rels, forces)
        )
    except Exception as e:  # noqa: BLE001
        return dash.no_update, failure(e)
    return dcc.send_string(text, f"link-chart.{fmt}"), f"Exported {fmt.upper()}."


@dash.callback(
    Output("chart-els", "data", allow_duplicate=True),
    Output("chart-message", "children", allow_duplicate=True),
    Output("chart-edits", "data", allow_duplicate=True),
    *chart_view.VIEW,
    Input("chart-expand", "n_clicks"),
    State("chart-focus", "value"),
    State("chart-els", "data"),
    State("chart-years", "value"),
    State(STORE, "data"),
    State("chart-edits", "data"),
    *chart_view.VIEW_CONTROLS,
    prevent_initial_call=True,
)
def expand(_, focus, els, years, session, edits, *view):
    merged, note = _expanded(focus, els, years, session)
    if merged is dash.no_update:
        return merged, note, dash.no_update, *_UNCHANGED
    edits = {**edits, "expanded": [*edits.get("expanded", []), focus]}
    return merged, note, edits, *chart_view.render(merged, *view)


def _expanded(focus, els, years, session):
    """The chart with the focused person's own neighbourhood added, and a note."""
    who = access(session)
    if who is None or not focus:
        return dash.no_update, "Pick a person to expand."
    node: dict[str, Any] = next((e["data"] for e in els if e["data"]["id"] == focus), {})
    if node.get("kind") not in ("Person", "Identity"):
        return dash.no_update, "Expand works on people; pick a person or identity."
    date_from, date_to = _dates(years)
    try:
        more = network.neighbourhood(who, focus, hops=1, date_from=date_from, date_to=date_to)
    except Exception as e:  # noqa: BLE001
        return dash.no_update, failure(e)
    merged = G.merge(els, people_chart.elements(more, focus))
    return merged, f"Expanded: {len(merged) - len(els)} new elements."


@dash.callback(
    Output("chart-open", "data"),
    Input("chart-group", "n_clicks"),
    Input("chart", "tapNodeData"),
    State("chart-focus", "value"),
    State("chart-els", "data"),
    State("chart-open", "data"),
    prevent_initial_call=True,
)
def toggle_group(_, tapped, focus, els, opened):
    """Open the selected person's group (her incidents, orders and breaches with him), or
    close the group the selection is in; a tap on a closed range of his victims opens it."""
    opened = people_chart.opened_ids(els or [], opened)
    if dash.ctx.triggered_id == "chart":
        tapped_id = str((tapped or {}).get("id", ""))
        if not tapped_id.startswith("rng:") or tapped_id in opened:
            return dash.no_update
        return opened + [tapped_id]
    node = next((e["data"] for e in els or [] if e["data"]["id"] == focus), None)
    group = (node or {}).get("group") or (
        focus if str(focus).startswith(("grp:", "rng:")) else None
    )
    if not group:
        return dash.no_update
    return [g for g in opened if g != group] if group in opened else opened + [group]


@dash.callback(
    Output("chart-els", "data", allow_duplicate=True),
    Output("chart-edits", "data", allow_duplicate=True),
    *chart_view.VIEW,
    Input("chart-hide", "n_clicks"),
    Input("chart-pin", "n_clicks"),
    Input("chart-remove", "n_clicks"),
    Input("chart-unhide", "n_clicks"),
    State("chart-focus", "value"),
    State("chart-els", "data"),
    State("chart-edits", "data"),
    *chart_view.VIEW_CONTROLS,
    prevent_initial_call=True,
)
def edit(_h, _p, _r, _u, focus, els, edits, *view):
    act = dash.ctx.triggered_id
    out = _edited(act, focus, els)
    if out is dash.no_update:
        return out, dash.no_update, *_UNCHANGED
    if act == "chart-remove":
        edits = {**edits, "removed": [*edits.get("removed", []), focus]}
    return out, edits, *chart_view.render(out, *view)


_UNCHANGED = (dash.no_update,) * len(chart_view.VIEW)


def _edited(act, focus, els):
    """The chart's elements after hide, pin, remove or show hidden on the focused node."""
    if act == "chart-unhide":
        return [{**e, "classes": e.get("classes", "").replace(" hidden", "")} for e in els]
    if not focus:
        return dash.no_update
    if act == "chart-remove":
        return [
            e
            for e in els
            if focus not in (e["data"]["id"], e["data"].get("source"), e["data"].get("target"))
        ]
    out = []
    for e in els:
        if e["data"]["id"] == focus:
            extra = " hidden" if act == "chart-hide" else " pinned"
            e = {**e, "classes": e.get("classes", "") + extra, "locked": act == "chart-pin"}
        out.append(e)
    return out
