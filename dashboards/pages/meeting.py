"""MAPPA+ meeting mode: the caseworker picks the subjects, then each is presented full screen:
a large link chart, the victim chain stepped one victim at a time, key facts and timeline,
with PNG/SVG chart export and a PDF briefing pack. Partners always get the redacted view
(the service layer redacts for their role; nothing here can turn it off)."""

from __future__ import annotations

from typing import Any

import dash
import dash_cytoscape as cyto
from dash import Input, Output, State, clientside_callback, dcc, html

from app.services import library, network
from dashboards import data
from dashboards.components import graph as G
from dashboards.components.briefing import pack
from dashboards.components.chain_story import story
from dashboards.components.session import STORE, access, failure, guarded
from dashboards.components.timeline import figure

dash.register_page(__name__, path="/meeting", title="MAPPA+ meeting · serialwatch", order=5)

layout = html.Div(
    [
        dcc.Store(id="meet-brief"),
        dcc.Store(id="meet-step", data=0),
        dcc.Store(id="meet-base-style", data=G.stylesheet()),
        html.Div(
            [
                html.H2("MAPPA+ meeting"),
                html.Label("Subjects for this meeting", htmlFor="meet-subjects"),
                dcc.Dropdown(
                    [],
                    [],
                    multi=True,
                    id="meet-subjects",
                    placeholder="pick from the serial perpetrators list",
                ),
                html.Label("Now presenting", htmlFor="meet-current"),
                dcc.Dropdown([], None, id="meet-current", clearable=False),
            ],
            className="sw-card",
        ),
        html.Div(id="meet-banner"),
        dcc.Loading(html.Div(id="meet-view", className="sw-meeting sw-card")),
        html.Div(
            [
                html.Button("◀ Previous victim", id="meet-prev", n_clicks=0),
                html.Button("Next victim ▶", id="meet-next", n_clicks=0),
                html.Span(id="meet-victim", style={"fontSize": "1.4rem", "marginLeft": "1rem"}),
                html.Div(
                    [
                        html.Button("Export PNG", id="meet-png", n_clicks=0),
                        html.Button("Export SVG", id="meet-svg", n_clicks=0),
                        html.Button("PDF briefing pack", id="meet-pdf", n_clicks=0),
                        dcc.Download(id="meet-download"),
                    ]
                ),
            ],
            className="sw-card",
        ),
        cyto.Cytoscape(
            id="meet-chart",
            elements=[],
            layout={"name": "preset"},
            stylesheet=G.stylesheet(),
            style={"width": "100%", "height": "70vh"},
            className="sw-card",
        ),
        dcc.Graph(id="meet-timeline", config={"displaylogo": False}),
    ]
)


@dash.callback(
    Output("meet-subjects", "options"),
    Output("meet-banner", "children"),
    Input(STORE, "data"),
)
def subjects(session: Any) -> tuple[Any, Any]:
    who = access(session)
    if who is None:
        return [], guarded(session, lambda a: None)
    rows = library.run(who, "serial_perpetrators", {})["rows"]
    rows.sort(key=lambda r: (r["tier"] != "serial", -int(r.get("victims") or 0)))
    opts = [
        {"label": f"{r['name']} · {r['tier']} · {r['victims']} victims", "value": r["identity_id"]}
        for r in rows
    ]
    banner = (
        html.Div(
            "Partner view: victims appear only as pseudonyms (Victim 1, 2, ...).",
            className="sw-banner",
        )
        if who.partner
        else ""
    )
    return opts, banner


@dash.callback(
    Output("meet-current", "options"),
    Output("meet-current", "value"),
    Input("meet-subjects", "value"),
    State("meet-subjects", "options"),
)
def current(chosen: list[str], opts: list[dict[str, str]]) -> tuple[Any, Any]:
    keep = [o for o in opts or [] if o["value"] in (chosen or [])]
    return keep, (keep[0]["value"] if keep else None)


@dash.callback(
    Output("meet-brief", "data"),
    Output("meet-view", "children"),
    Output("meet-chart", "elements"),
    Output("meet-chart", "layout"),
    Output("meet-timeline", "figure"),
    Output("meet-step", "data", allow_duplicate=True),
    Input("meet-current", "value"),
    State(STORE, "data"),
    prevent_initial_call=True,
)
def present(person: str | None, session: Any) -> tuple[Any, ...]:
    who = access(session)
    if who is None or not person:
        return None, "Pick the meeting's subjects above.", [], {"name": "preset"}, figure([]), 0
    try:
        brief = data.briefing(who, person)
        chart = network.neighbourhood(who, person, hops=2, limit=400)
    except Exception as e:  # noqa: BLE001
        return None, failure(e), [], {"name": "preset"}, figure([]), 0
    brief["events"] = data.events(brief.pop("profile"))
    els = G.elements(chart, person)
    brief["elements"] = els
    chain = [v.get("identity_id") for v in brief["chain"]]
    view = html.Div(
        [
            html.H1(brief["name"]),
            html.Ul(
                [html.Li(f"{k}: {v}") for k, v in brief["facts"].items()], className="sw-facts"
            ),
            html.P("Agencies involved: " + (", ".join(map(str, brief["agencies"])) or "none")),
            story(brief["name"], brief["chain"]),
        ]
    )
    layout = G.layout("victim-chain", els, chain)
    return brief, view, els, layout, figure(brief["events"]), 0


@dash.callback(
    Output("meet-step", "data"),
    Input("meet-prev", "n_clicks"),
    Input("meet-next", "n_clicks"),
    State("meet-step", "data"),
    State("meet-brief", "data"),
    prevent_initial_call=True,
)
def step(_p: int, _n: int, at: int, brief: dict[str, Any] | None) -> int:
    count = len((brief or {}).get("chain", []))
    delta = 1 if dash.ctx.triggered_id == "meet-next" else -1
    return max(0, min(count, (at or 0) + delta))


clientside_callback(
    """
    function(step, brief, base) {
        const chain = (brief && brief.chain) || [];
        if (!step || step > chain.length) {
            return [base, chain.length ? `${chain.length} victims: press Next victim` : ''];
        }
        const v = chain[step - 1];
        const id = JSON.stringify(v.identity_id || '');
        const text = `Victim ${v.n} of ${chain.length}: ${v.name} · first ${v.first_date || '?'}`
            + ` · ${(v.offences || []).join(', ')}` + (v.escalation ? ' · ESCALATION' : '');
        return [base.concat([
            {selector: 'node', style: {opacity: 0.3}},
            {selector: `node[identity_id = ${id}]`, style: {opacity: 1, 'border-width': 8,
             'border-color': '#f1c40f', 'font-size': 18}},
            {selector: '.subject', style: {opacity: 1}},
        ]), text];
    }
    """,
    Output("meet-chart", "stylesheet"),
    Output("meet-victim", "children"),
    Input("meet-step", "data"),
    Input("meet-brief", "data"),
    State("meet-base-style", "data"),
)


@dash.callback(
    Output("meet-chart", "generateImage"),
    Input("meet-png", "n_clicks"),
    Input("meet-svg", "n_clicks"),
    prevent_initial_call=True,
)
def image(_p: int, _s: int) -> dict[str, Any]:
    kind = "svg" if dash.ctx.triggered_id == "meet-svg" else "png"
    return G.image_download(kind, "meeting-chart")


@dash.callback(
    Output("meet-download", "data"),
    Input("meet-pdf", "n_clicks"),
    State("meet-brief", "data"),
    State(STORE, "data"),
    prevent_initial_call=True,
)
def pdf(_: int, brief: dict[str, Any] | None, session: Any) -> Any:
    who = access(session)
    if who is None or not brief:
        return dash.no_update
    body = pack(brief, brief.get("elements", []), who.user.name, who.user.role.value)
    name = f"briefing-{brief['identity_id'].replace(':', '_')}.pdf"
    return dcc.send_bytes(body, name)
