"""The link chart page's view callbacks: elements shown (order-type filter, sizes by a network
measure), the ranked table, details of the selected node, shortest path, timeline, exports.
Highlighting the selected node's links is a clientside callback (no round trip)."""

from __future__ import annotations

from typing import Any

import dash
from dash import Input, Output, State, clientside_callback, html

from app.services import network, people
from dashboards import data
from dashboards.components import graph as G
from dashboards.components.session import STORE, access, failure
from dashboards.components.timeline import figure


@dash.callback(
    Output("chart", "elements"),
    Output("chart", "layout"),
    Output("chart-rank", "data"),
    Output("chart-focus", "options"),
    Output("chart-path-a", "options"),
    Output("chart-path-b", "options"),
    Input("chart-els", "data"),
    Input("chart-orders", "value"),
    Input("chart-size", "value"),
    Input("chart-layout", "value"),
)
def render(els, orders, size_by, layout_name):
    shown = [e for e in els if "hidden" not in e.get("classes", "")]
    if orders:
        drop = {
            e["data"]["id"]
            for e in shown
            if e["data"].get("kind") == "Order" and e["data"].get("caption") not in orders
        }
        shown = [
            e
            for e in shown
            if not ({e["data"]["id"], e["data"].get("source"), e["data"].get("target")} & drop)
        ]
    ids = {e["data"]["id"] for e in shown if G.is_node(e)}
    shown = [e for e in shown if G.is_node(e) or {e["data"]["source"], e["data"]["target"]} <= ids]
    m = data.measures(shown)
    top = max((v[size_by] for v in m.values()), default=0) if size_by != "none" else 0
    out = []
    for e in shown:
        if G.is_node(e) and top:
            size = G.BASE_SIZE * (0.6 + 2.4 * m.get(e["data"]["id"], {}).get(size_by, 0) / top)
            out.append({**e, "data": {**e["data"], "size": round(size, 1)}})
        else:
            out.append(e)
    nodes = [e["data"] for e in shown if G.is_node(e)]
    rank = sorted(
        (
            {
                "person": n.get("caption"),
                "type": n.get("kind"),
                "role": n.get("role") or "",
                **m.get(n["id"], {}),
            }
            for n in nodes
            if n.get("kind") in ("Person", "Identity")
        ),
        key=lambda r: -float(r.get("betweenness", 0)),
    )
    for r in rank:
        r["bridge"] = "yes" if r.get("bridge") else ""
    people_opts = [
        {"label": f"{n.get('caption')} ({n['kind']})", "value": n["id"]}
        for n in nodes
        if n.get("kind") in ("Person", "Identity")
    ]
    all_opts = [{"label": f"{n.get('caption')} ({n['kind']})", "value": n["id"]} for n in nodes]
    chain = [n.get("identity_id") for n in nodes if n.get("role") == "victim"]
    spec = G.layout(layout_name, out, chain)
    return out, spec, rank[:200], all_opts, people_opts, people_opts


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
    kind = "svg" if dash.ctx.triggered_id == "chart-svg" else "png"
    return {
        "type": kind,
        "action": "download",
        "filename": "link-chart",
        "options": {"full": True, "bg": "#ffffff"},
    }


clientside_callback(
    """
    function(node, base) {
        if (!node) { return base; }
        const id = JSON.stringify(node.id);
        return base.concat([
            {selector: 'node', style: {opacity: 0.35}},
            {selector: 'edge', style: {opacity: 0.2}},
            {selector: `node[id = ${id}]`, style: {opacity: 1}},
            {selector: `edge[source = ${id}], edge[target = ${id}]`, style: {opacity: 1}},
        ]);
    }
    """,
    Output("chart", "stylesheet"),
    Input("chart", "tapNodeData"),
    State("chart-base-style", "data"),
)
