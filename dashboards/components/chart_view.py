"""The link chart page's view callbacks: elements shown (order-type filter, sizes by a network
measure), the ranked table, details of the selected node, shortest path, timeline, exports.
Highlighting (and labelling) the selected node's links is a clientside callback (no round trip)."""

from __future__ import annotations

import zlib
from typing import Any

import dash
from dash import Input, Output, State, clientside_callback, html

from app.services import network, people
from dashboards import data
from dashboards.components import graph as G
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
]


@dash.callback(
    *VIEW,
    Input("chart-orders", "value"),
    Input("chart-size", "value"),
    Input("chart-layout", "value"),
    State("chart-els", "data"),
    prevent_initial_call=True,
)
def restyle(orders, size_by, layout_name, els):
    return render(els or [], orders, size_by, layout_name)


def render(
    els: list[dict[str, Any]], orders: list[str] | None, size_by: str, layout_name: str
) -> tuple[Any, ...]:
    """What the chart draws. Network measures are computed here only to size nodes by one;
    the ranked table has its own callback, so the chart never waits for them."""
    out = shown(els, orders)
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
    nodes = [e["data"] for e in out if G.is_node(e)]
    chain = [n.get("identity_id") for n in nodes if n.get("role") == "victim"]
    # A layout runs when its spec changes: name the elements in it, so that a new set of
    # elements is laid out and a resize or restyle of the same set leaves them where they are.
    ids = "|".join(sorted(n["id"] for n in nodes))
    spec = {**G.layout(layout_name, out, chain), "for": f"{len(nodes)}-{zlib.crc32(ids.encode())}"}
    return (out, spec, *_choices(nodes))


def _choices(nodes: list[dict[str, Any]]) -> tuple[list[dict[str, str]], ...]:
    """Options of the node picker (every node; on a big chart, people, the rest by clicking)
    and of the two path pickers (identities: the path query resolves records to them)."""

    def opt(n: dict[str, Any]) -> dict[str, str]:
        return {"label": f"{n.get('caption')} ({n['kind']})", "value": n["id"]}

    big = len(nodes) > G.DRAFT_ABOVE_NODES
    focus = [opt(n) for n in nodes if not big or n["kind"] in PEOPLE]
    people = [opt(n) for n in nodes if n["kind"] == "Identity"]
    return focus, people, people


def _size(value: float, top: float) -> float:
    return round(G.BASE_SIZE * (0.6 + 2.4 * value / top), 1)


@dash.callback(
    Output("chart-rank", "data"),
    Input("chart-els", "data"),
    Input("chart-orders", "value"),
)
def rank(els, orders):
    """The key people of the chart on screen, most between first (networkx, as in i2)."""
    out = shown(els, orders)
    m = data.measures(out)
    rows = sorted(
        (
            {
                "person": n.get("caption"),
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
    Input("chart-focus", "value"),
    prevent_initial_call=True,
)
def detail(tapped, focus):
    node = tapped if dash.ctx.triggered_id == "chart" and tapped else None
    if node is None:
        return dash.no_update, dash.no_update
    shown = {"key": node["id"]} | {
        k: v for k, v in node.items() if k not in ("size", "label", "id") and v
    }
    rows = [
        html.Tr([html.Th(k), html.Td(", ".join(map(str, v)) if isinstance(v, list) else str(v))])
        for k, v in shown.items()
    ]
    return node["id"], html.Table(rows, className="sw-table")


@dash.callback(
    Output("chart", "elements", allow_duplicate=True),
    Output("chart-path-note", "children"),
    Input("chart-path", "n_clicks"),
    State("chart-path-a", "value"),
    State("chart-path-b", "value"),
    State("chart", "elements"),
    State(STORE, "data"),
    prevent_initial_call=True,
)
def path(_, a, b, els, session):
    who = access(session)
    if who is None or not (a and b):
        return dash.no_update, "Pick two people."
    try:
        p = network.path(who, a, b)
    except Exception as err:  # noqa: BLE001
        return dash.no_update, failure(err)
    if not p["found"]:
        return dash.no_update, "No path within 8 steps."
    keys, links = _along(p["steps"])
    out = []
    for e in els:
        d = e["data"]
        if G.is_node(e):
            on = d["id"] in keys
        else:
            on = (frozenset((d["source"], d["target"])), d.get("type")) in links
        cls = e.get("classes", "").replace(" onpath", "") + (" onpath" if on else "")
        out.append({**e, "classes": cls})
    return out, f"Path of {p['length']} steps highlighted in yellow."


def _along(steps: list[dict[str, Any]]) -> tuple[set[str], set[tuple[frozenset[str], str]]]:
    """The nodes of a path and its links (each a pair of ends and a type), so that only the
    path's own edges light up, not every edge between two of its nodes."""
    keys = [str(s["key"]) for s in steps]
    links = {(frozenset(keys[k - 1 : k + 1]), str(steps[k]["via"])) for k in range(1, len(keys))}
    return set(keys), links


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
    Input("chart-png", "n_clicks"),
    Input("chart-svg", "n_clicks"),
    prevent_initial_call=True,
)
def export(_png, _svg):
    return G.image_download("svg" if dash.ctx.triggered_id == "chart-svg" else "png", "link-chart")


clientside_callback(
    """
    function(node, base) {
        if (!node) { return base; }
        const id = JSON.stringify(node.id);
        return base.concat([
            {selector: 'node', style: {opacity: 0.35}},
            {selector: 'edge', style: {opacity: 0.2}},
            {selector: `node[id = ${id}]`, style: {opacity: 1}},
            {selector: `edge[source = ${id}], edge[target = ${id}]`,
             style: {opacity: 1, label: 'data(label)'}},
        ]);
    }
    """,
    Output("chart", "stylesheet"),
    Input("chart", "tapNodeData"),
    State("chart-base-style", "data"),
)
