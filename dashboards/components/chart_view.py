"""The link chart page's view callbacks: elements shown (order-type filter, sizes by a network
measure), the ranked table, details of the selected node, shortest path, timeline, exports.
Highlighting (and labelling) the selected node's links is a clientside callback (no round trip)."""

from __future__ import annotations

import zlib
from typing import Any

import dash
from dash import ClientsideFunction, Input, Output, State, clientside_callback, html

from app.services import network, people
from dashboards import data
from dashboards.components import graph as G
from dashboards.components import overview, people_chart
from dashboards.components.session import STORE, access, failure
from dashboards.components.timeline import figure

PEOPLE = ("Person", "Identity")


def shown(els: list[dict[str, Any]], orders: list[str] | None) -> list[dict[str, Any]]:
    """The elements on screen: not hidden, orders of the chosen types, no dangling edges."""
    out = [e for e in els if "hidden" not in e.get("classes", "")]
    if orders:
        drop = {
            e["data"]["id"]
            for e in out
            if e["data"].get("kind") == "Order" and e["data"].get("caption") not in orders
        }
        out = [
            e
            for e in out
            if not ({e["data"]["id"], e["data"].get("source"), e["data"].get("target")} & drop)
        ]
    ids = {e["data"]["id"] for e in out if G.is_node(e)}
    return [e for e in out if G.is_node(e) or {e["data"]["source"], e["data"]["target"]} <= ids]


# What the chart draws, and what draws it: the callbacks that change the chart's elements
# (load, expand, hide/pin/remove in pages/chart.py) answer with the view too, so a chart is
# drawn one round trip after its data is read; `restyle` answers the view controls.
VIEW = [
    Output("chart", "elements", allow_duplicate=True),
    Output("chart", "layout", allow_duplicate=True),
    Output("chart-focus", "options", allow_duplicate=True),
    Output("chart-path-a", "options", allow_duplicate=True),
    Output("chart-path-b", "options", allow_duplicate=True),
]
VIEW_CONTROLS = [
    State("chart-orders", "value"),
    State("chart-size", "value"),
    State("chart-layout", "value"),
    State("chart-open", "data"),
    State("chart-saved", "data"),
]


@dash.callback(
    *VIEW,
    Input("chart-orders", "value"),
    Input("chart-size", "value"),
    Input("chart-layout", "value"),
    Input("chart-open", "data"),
    State("chart-els", "data"),
    State("chart-saved", "data"),
    prevent_initial_call=True,
)
def restyle(orders, size_by, layout_name, opened, els, saved):
    return render(els or [], orders, size_by, layout_name, opened, saved)


def render(
    els: list[dict[str, Any]],
    orders: list[str] | None,
    size_by: str,
    layout_name: str,
    opened: list[str] | None = None,
    saved: dict[str, dict[str, Any]] | None = None,
) -> tuple[Any, ...]:
    """What the chart draws: the people, each group closed unless opened. Network measures
    are computed here only to size nodes by one; the ranked table has its own callback, so
    the chart never waits for them."""
    visible = shown(els, orders)
    out = people_chart.view(visible, opened)
    if size_by != "none":
        m = data.measures(out)
        top = max((v[size_by] for v in m.values()), default=0)
        if top:
            out = [
                {**e, "data": {**e["data"], "size": _size(m[e["data"]["id"]][size_by], top)}}
                if G.is_node(e) and e["data"]["id"] in m
                else e
                for e in out
            ]
    if layout_name == "people":  # rings, and type readable at the zoom that fits them
        out, places = overview.chart_page(out, 1.9, _ranges_closed(visible, opened, size_by))
        spec = G.preset(places)
    else:
        spec = G.layout(layout_name, out)
    nodes = [e["data"] for e in out if G.is_node(e)]
    # A layout runs when its spec changes: name the elements in it, so that a new set of
    # elements is laid out and a resize or restyle of the same set leaves them where they are.
    ids = "|".join(sorted(n["id"] for n in nodes))
    subject = next((e["data"]["id"] for e in out if "subject" in e.get("classes", "")), "")
    placed = (saved or {}).get(subject) if layout_name == "people" else None
    if placed:  # the analyst's saved places win; new nodes go where the rings put them
        here = {n["id"] for n in nodes}
        spec["positions"].update({k: v for k, v in placed.items() if k in here})
        return (out, {**spec, "for": f"saved-{zlib.crc32(ids.encode())}"}, *_choices(nodes))
    return (out, {**spec, "for": f"{len(nodes)}-{zlib.crc32(ids.encode())}"}, *_choices(nodes))


def _ranges_closed(
    visible: list[dict[str, Any]], opened: list[str] | None, size_by: str
) -> list[dict[str, Any]] | None:
    """The chart drawn with its range groups closed, when one is open (and sizes are not
    by a measure, which the closed chart would not share); else None."""
    groups = people_chart.opened_ids(visible, opened)
    kept = [g for g in groups if not g.startswith("rng:")]
    if kept == groups or size_by != "none":
        return None
    return people_chart.view(visible, kept)


def _choices(nodes: list[dict[str, Any]]) -> tuple[list[dict[str, str]], ...]:
    """Options of the node picker (people and groups; items by clicking them) and of the two
    path pickers (people, by name)."""

    def opt(n: dict[str, Any]) -> dict[str, str]:
        first = str(n.get("label") or n.get("caption") or n["id"]).split("\n")[0]
        what = {"Person": n.get("role") or "person", "Group": "group"}.get(n["kind"], n["kind"])
        return {"label": f"{first} ({what})", "value": n["id"]}

    focus = [opt(n) for n in nodes if n["kind"] in ("Person", "Group") or len(nodes) < 150]
    people = [opt(n) for n in nodes if n["kind"] == "Person"]
    return focus, people, people


def _size(value: float, top: float) -> float:
    return round(G.BASE_SIZE * (0.6 + 2.4 * value / top), 1)


@dash.callback(
    Output("chart-rank", "data"),
    Input("chart-els", "data"),
    Input("chart-orders", "value"),
    Input("chart-open", "data"),
)
def rank(els, orders, opened):
    """The key people of the chart on screen, most between first (networkx, as in i2)."""
    out = people_chart.view(shown(els or [], orders), opened)
    m = data.measures(out)
    rows = sorted(
        (
            {
                "person": n.get("name") or n.get("caption"),
                "type": n.get("kind"),
                "role": n.get("role") or "",
                **m.get(n["id"], {}),
            }
            for n in (e["data"] for e in out if G.is_node(e))
            if n.get("kind") in PEOPLE
        ),
        key=lambda r: -float(r.get("betweenness", 0)),
    )
    for r in rows:
        r["bridge"] = "yes" if r.get("bridge") else ""
    return rows[:200]


@dash.callback(
    Output("chart-focus", "value"),
    Output("chart-detail", "children"),
    Input("chart", "tapNodeData"),
    prevent_initial_call=True,
)
def detail(tapped):
    if not tapped:
        return dash.no_update, dash.no_update
    return tapped["id"], describe(tapped)


# What the detail panel shows of a node, in this order, by these names (never internals
# such as the click's timeStamp or the icon).
DETAIL = [
    ("name", "Name"), ("caption", "What"), ("role", "Role in this chart"), ("kind", "Type"),
    ("date", "Date"), ("first", "First"), ("last", "Last"), ("summary", "Records inside"),
    ("agency_code", "Agency"), ("agencies", "Agencies"), ("records", "Source records"),
]  # fmt: skip


def describe(node: dict[str, Any]) -> html.Table:
    rows = []
    for key, name in DETAIL:
        v = node.get(key)
        if key == "caption" and node.get("name"):
            continue
        if v in (None, "", []):
            continue
        text = ", ".join(map(str, v)) if isinstance(v, list) else str(v)
        rows.append(html.Tr([html.Th(name), html.Td(text)]))
    return html.Table(rows, className="sw-table")


@dash.callback(
    *VIEW,
    Output("chart-path-note", "children"),
    Input("chart-path", "n_clicks"),
    State("chart-path-a", "value"),
    State("chart-path-b", "value"),
    State("chart-els", "data"),
    State(STORE, "data"),
    *VIEW_CONTROLS,
    prevent_initial_call=True,
)
def path(_, a, b, els, session, *view):
    no = (dash.no_update,) * len(VIEW)
    who = access(session)
    if who is None or not (a and b):
        return *no, "Pick two people."
    if a == b:
        return *no, "Pick two different people."
    try:
        p = network.path(who, a, b)
    except Exception as err:  # noqa: BLE001
        return *no, failure(err)
    if not p["found"]:
        return *no, f"{p['note'][0].upper()}{p['note'][1:]}."
    drawn = render(els, *view)
    nodes = [e for e in drawn[0] if G.is_node(e)]
    on = on_chart(p["steps"], nodes, els)
    links = {frozenset(pair) for pair in zip(on, on[1:], strict=False)}
    marked = []
    for e in drawn[0]:
        d = e["data"]
        hit = d["id"] in on if G.is_node(e) else frozenset((d["source"], d["target"])) in links
        marked.append({**e, "classes": e.get("classes", "") + (" onpath" if hit else "")})
    steps = len(on) - 1
    return marked, *drawn[1:], f"Path of {steps} step{'s' * (steps != 1)} highlighted in yellow."


def on_chart(
    steps: list[dict[str, Any]], drawn: list[dict[str, Any]], els: list[dict[str, Any]]
) -> list[str]:
    """The chart nodes a path goes through, in order: a record is its person, an item in a
    closed group is that group's node, and a hop between records of one person (RESOLVES_TO)
    is no step."""
    here = {e["data"]["id"] for e in drawn}
    group = {e["data"]["id"]: e["data"].get("group") for e in els if G.is_node(e)}
    out: list[str] = []
    for s in steps:
        key = next((k for k in (s.get("identity_id"), s.get("key")) if k in here), None)
        g = group.get(str(s.get("key")))
        if key is None and g:
            key = g[len("grp:") :] if g[len("grp:") :] in here else g
        if key and key in here and (not out or out[-1] != key):
            out.append(key)
    return out


@dash.callback(
    Output("chart-timeline", "figure"),
    Input("chart-person", "data"),
    Input("chart-years", "value"),
    State(STORE, "data"),
)
def timeline(person, years, session):
    who = access(session)
    if who is None or not person:
        return figure([], years)
    try:
        return figure(data.events(people.profile(who, person)), years)
    except Exception:  # noqa: BLE001 - the chart shows the error; the timeline stays empty
        return figure([], years)


@dash.callback(
    Output("chart", "generateImage"),
    Output("chart", "stylesheet", allow_duplicate=True),
    Input("chart-png", "n_clicks"),
    Input("chart-svg", "n_clicks"),
    State("chart-base-style", "data"),
    prevent_initial_call=True,
)
def export(_png, _svg, base):
    """The whole chart, undimmed (the selection's highlighting is a view, not the chart)."""
    kind = "svg" if dash.ctx.triggered_id == "chart-svg" else "png"
    return G.image_download(kind, "link-chart"), base


# "Save layout": the chart's places kept in this browser, per subject, used when it reopens.
clientside_callback(
    """
    function(n, saved) {
        const r = document.getElementById('chart');
        const el = r && [r, ...r.querySelectorAll('*')].find(e => e._cyreg && e._cyreg.cy);
        if (!n || !el) { return window.dash_clientside.no_update; }
        const cy = el._cyreg.cy;
        const subject = cy.nodes('.subject').map(x => x.id())[0];
        if (!subject) { return window.dash_clientside.no_update; }
        const places = {};
        cy.nodes().forEach(x => {
            if (!x.isParent()) { places[x.id()] = {x: x.position('x'), y: x.position('y')}; }
        });
        return Object.assign({}, saved || {}, {[subject]: places});
    }
    """,
    Output("chart-saved", "data"),
    Input("chart-save", "n_clicks"),
    State("chart-saved", "data"),
    prevent_initial_call=True,
)


# Selecting nodes dims the rest and labels the selected nodes' links; unselecting (a tap on
# the background, a new chart, Escape) undims.
clientside_callback(
    """
    function(selected, base) {
        if (!selected || !selected.length) { return base; }
        const rules = [
            {selector: 'node', style: {opacity: 0.35}},
            {selector: 'edge', style: {opacity: 0.2}},
        ];
        for (const node of selected) {
            const id = JSON.stringify(node.id);
            rules.push({selector: `node[id = ${id}]`, style: {opacity: 1}});
            rules.push({selector: `edge[source = ${id}], edge[target = ${id}]`,
                        style: {opacity: 1, label: 'data(label)'}});
        }
        return base.concat(rules);
    }
    """,
    Output("chart", "stylesheet"),
    Input("chart", "selectedNodeData"),
    State("chart-base-style", "data"),
)


# Short labels at the zoom that fits a big chart, names as the user zooms in (assets/overview.js)
clientside_callback(
    ClientsideFunction("overview", "attach"),
    Output("chart-overview", "data"),
    Input("chart", "layout"),
    State("chart", "id"),
)
