"""MAPPA+ meeting mode: the caseworker picks the subjects, then each is presented full screen:
a large link chart, the victim chain stepped one victim at a time, key facts and timeline,
with PNG/SVG chart export and a PDF briefing pack. Partners always get the redacted view
(the service layer redacts for their role; nothing here can turn it off)."""

from __future__ import annotations

import logging
from typing import Any

import dash
import dash_cytoscape as cyto
from dash import Input, Output, State, clientside_callback, dcc, html

from app.services import library, people
from app.services.door import Access
from dashboards import data
from dashboards.components import graph as G
from dashboards.components import overview, people_chart
from dashboards.components.chain_story import story
from dashboards.components.session import STORE, access, failure, guarded
from dashboards.components.timeline import figure

dash.register_page(__name__, path="/meeting", title="MAPPA+ meeting · serialwatch", order=5)


def layout(subjects: str | None = None, **_: Any) -> Any:
    """The page; `subjects` (identity ids, comma-separated, as the meeting page's agenda links
    give them) are preselected in that order, the first presented."""
    return html.Div(
        _parts([s for s in (subjects or "").split(",") if s.strip()]),
        id="meet-root",
        className="sw-meet",
    )


def _parts(chosen: list[str]) -> list[Any]:
    return [
        dcc.Store(id="meet-linked", data=chosen),
        dcc.Store(id="meet-typed"),
        dcc.Store(id="meet-brief"),
        dcc.Store(id="meet-step", data=0),
        dcc.Store(id="meet-base-style", data=G.stylesheet()),
        html.Details(
            [
                html.Summary("MAPPA+ meeting: subjects"),
                html.Label("Subjects for this meeting", htmlFor="meet-subjects"),
                dcc.Dropdown(
                    [],
                    [],
                    multi=True,
                    id="meet-subjects",
                    placeholder="pick from the serial list, or type a name to search everyone",
                    maxHeight=480,  # a dozen names at once, not three
                ),
                html.Label("Now presenting", htmlFor="meet-current"),
                dcc.Dropdown([], None, id="meet-current", clearable=False),
            ],
            open=True,
            className="sw-card sw-meet-setup",
        ),
        html.Div(id="meet-banner"),
        html.Div(
            [
                html.Button("◀ Previous victim", id="meet-prev", n_clicks=0),
                html.Button("Next victim ▶", id="meet-next", n_clicks=0),
                html.Span(id="meet-victim", className="sw-meet-victim"),
                html.Span("Keys: ← → or Page Up / Page Down", className="sw-note"),
                html.Button("Full screen", id="meet-full", n_clicks=0),
                html.Button("Export PNG", id="meet-png", n_clicks=0),
                html.Button("Export SVG", id="meet-svg", n_clicks=0),
                html.Button("PDF briefing pack", id="meet-pdf", n_clicks=0),
                dcc.Download(id="meet-download"),
            ],
            className="sw-card sw-meet-bar",
        ),
        html.Div(
            [
                dcc.Loading(html.Div(id="meet-view", className="sw-meeting")),
                html.Div(
                    [
                        cyto.Cytoscape(
                            id="meet-chart",
                            elements=[],
                            layout={"name": "preset"},
                            stylesheet=G.stylesheet(),
                            style={"width": "100%", "height": "62vh"},
                            minZoom=0.05,
                        ),
                        dcc.Graph(id="meet-timeline", config={"displaylogo": False}),
                    ],
                    className="sw-card sw-meet-side",
                ),
            ],
            className="sw-meet-grid",
        ),
    ]


# A presenter's clicker sends arrows or Page Up / Page Down: they step through the victims;
# "Full screen" hands the whole screen to the meeting (Escape gives it back).
clientside_callback(
    """
    function(brief) {
        if (!window.__swMeetKeys) {
            window.__swMeetKeys = true;
            document.addEventListener('keydown', (ev) => {
                if (!document.getElementById('meet-next')) { return; }
                const tag = (ev.target && ev.target.tagName) || '';
                if (tag === 'INPUT' || tag === 'TEXTAREA') { return; }
                const next = ['ArrowRight', 'ArrowDown', 'PageDown', ' '].includes(ev.key);
                const prev = ['ArrowLeft', 'ArrowUp', 'PageUp'].includes(ev.key);
                if (next || prev) {
                    ev.preventDefault();
                    document.getElementById(next ? 'meet-next' : 'meet-prev').click();
                }
            });
        }
        return window.dash_clientside.no_update;
    }
    """,
    Output("meet-root", "title"),
    Input("meet-brief", "data"),
)
clientside_callback(
    """
    function(n) {
        if (n && document.documentElement.requestFullscreen) {
            document.documentElement.requestFullscreen().catch(() => null);
        }
        return n ? 'sw-meet sw-present' : 'sw-meet';
    }
    """,
    Output("meet-root", "className"),
    Input("meet-full", "n_clicks"),
)


@dash.callback(
    Output("meet-subjects", "options"),
    Output("meet-banner", "children"),
    Output("meet-subjects", "value"),
    Output("meet-linked", "data"),
    Input(STORE, "data"),
    State("meet-linked", "data"),
)
def subjects(session: Any, chosen: list[str] | None) -> tuple[Any, ...]:
    """The subjects to pick from (the serial list's first page; typing searches everyone, see
    `found`); those a link named (`?subjects=`) picked with them, once."""
    who = access(session)
    if who is None:
        return [], guarded(session, lambda a: None), dash.no_update, dash.no_update
    rows = library.run(who, "serial_perpetrators", {})["rows"]
    rows.sort(key=lambda r: (r["tier"] != "serial", -int(r.get("victims") or 0)))
    opts = [_option(r) for r in rows]
    listed = {o["value"] for o in opts}
    opts += _named(who, [c for c in chosen or [] if c not in listed])  # from a link
    banner = (
        html.Div(
            "Partner view: victims appear only as pseudonyms (Victim 1, 2, ...).",
            className="sw-banner",
        )
        if who.partner
        else ""
    )
    if not chosen:
        return opts, banner, dash.no_update, dash.no_update
    return opts, banner, chosen, []


# What is typed reaches the search once the typing pauses, not at every key: each answer
# re-renders the open menu, and one arriving under the pointer can move the option clicked.
clientside_callback(
    """function (typed) {
        window.swMeetTyped = typed;
        return new Promise((done) => setTimeout(() => done(
            typed && window.swMeetTyped === typed ? typed : window.dash_clientside.no_update
        ), 400));  // ms without a key
    }""",
    Output("meet-typed", "data"),
    Input("meet-subjects", "search_value"),
    prevent_initial_call=True,
)


@dash.callback(
    Output("meet-subjects", "options", allow_duplicate=True),
    Input("meet-typed", "data"),
    State("meet-subjects", "options"),
    State(STORE, "data"),
    prevent_initial_call=True,
)
def found(typed: str | None, opts: list[dict[str, Any]] | None, session: Any) -> Any:
    """What the caseworker types is searched for among everyone (as the search page does), so
    a subject past the serial list's first page, or on no list, can be picked."""
    who = access(session)
    if who is None or len((typed or "").strip()) < 3:
        return dash.no_update
    return searched(who, (typed or "").strip(), opts or []) or dash.no_update


def searched(who: Access, text: str, opts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The options with the people a name search finds added, labelled with what the serial
    list says of them (nothing changed: empty, so the open menu is left alone). The dropdown
    filters its options by what was typed, so a hit whose label does not hold it (a
    typo-tolerant hit: "Jon" for "John") carries the typed text, not to be filtered out of its
    own search."""
    have = {o["value"] for o in opts}
    hits = {r["identity_id"]: (r.get("names") or [r["identity_id"]])[0]
            for r in people.search(who, name=text, limit=_FOUND)}  # fmt: skip
    new = _named(who, [h for h in hits if h not in have], hits)
    out = [{**o, "search": f"{text} {o['label']}"}
           if o["value"] in hits and not _shows(o["label"], text) else o
           for o in [*opts, *new]]  # fmt: skip
    return out if out != opts else []


def _shows(label: str, text: str) -> bool:
    """Whether the dropdown's own filter keeps `label` for `text`: each typed word is in it."""
    return all(w in label.lower() for w in text.lower().split())


_FOUND = 10  # people a typed name adds to the options


def _option(r: dict[str, Any]) -> dict[str, str]:
    return {"label": f"{r['name']} · {r['tier']} · {r['victims']} victims",
            "value": r["identity_id"]}  # fmt: skip


def _named(who: Access, ids: list[str], names: dict[str, str] | None = None
           ) -> list[dict[str, str]]:  # fmt: skip
    """Options for these identities, asked about them alone: the serial list's label, else
    their name (`names`, from a search; a link gives only the id) with "not on the serial
    list"."""
    if not ids:
        return []
    listed = {r["identity_id"]: _option(r)
              for r in library.run(who, "serial_perpetrators", {"ids": ids},
                                   limit=len(ids))["rows"]}  # fmt: skip
    return [listed.get(i)
            or {"label": f"{(names or {}).get(i, i)} · not on the serial list", "value": i}
            for i in ids]  # fmt: skip


@dash.callback(
    Output("meet-current", "options"),
    Output("meet-current", "value"),
    Input("meet-subjects", "value"),
    State("meet-subjects", "options"),
)
def current(chosen: list[str], opts: list[dict[str, str]]) -> tuple[Any, Any]:
    """The subjects in the order chosen (an agenda's order), the first presented."""
    label = {o["value"]: o["label"] for o in opts or []}
    keep = [{"label": label[c], "value": c} for c in chosen or [] if c in label]
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
        brief = data.presented(who, person)
    except Exception as e:  # noqa: BLE001
        return None, failure(e), [], {"name": "preset"}, figure([]), 0
    brief.pop("profile")
    els, places = overview.meeting(people_chart.numbered(brief["elements"], brief["chain"]), 1.2)
    view = html.Div(
        [
            html.H1(brief["name"]),
            html.Div(
                [
                    html.Div([html.Strong(str(v)), html.Span(k)], className="sw-fact")
                    for k, v in brief["facts"].items()
                ],
                className="sw-facts",
            ),
            html.P("Agencies involved: " + (", ".join(map(str, brief["agencies"])) or "none")),
            story(brief["name"], brief["chain"]),
        ]
    )
    return brief, view, els, G.preset(places), figure(brief["events"]), 0


# Stepping is counted in the browser, so a clicker's quick presses each count.
clientside_callback(
    """
    function(_p, _n, at, brief) {
        const count = ((brief && brief.chain) || []).length;
        const trig = window.dash_clientside.callback_context.triggered.map(t => t.prop_id);
        const delta = trig.some(t => t.startsWith('meet-next')) ? 1 : -1;
        return Math.max(0, Math.min(count, (at || 0) + delta));
    }
    """,
    Output("meet-step", "data"),
    Input("meet-prev", "n_clicks"),
    Input("meet-next", "n_clicks"),
    State("meet-step", "data"),
    State("meet-brief", "data"),
    prevent_initial_call=True,
)


clientside_callback(
    """
    function(step, brief, base) {
        const chain = (brief && brief.chain) || [];
        if (!step || step > chain.length) {
            document.querySelectorAll('#chain-story .sw-current')
                .forEach(c => c.classList.remove('sw-current'));
            return [base, chain.length ? `${chain.length} victims: press Next victim` : ''];
        }
        const v = chain[step - 1];
        const id = JSON.stringify(v.identity_id || '');
        document.querySelectorAll('#chain-story .sw-chain-card').forEach((c, k) => {
            c.classList.toggle('sw-current', k === step - 1);
            if (k === step - 1) { c.scrollIntoView({block: 'nearest'}); }
        });
        const text = `Victim ${v.n} of ${chain.length}: ${v.name} · first ${v.first_date || '?'}`
            + ` · ${(v.offences || []).join(', ')}` + (v.escalation ? ' · ESCALATION' : '');
        return [base.concat([
            {selector: 'node', style: {opacity: 0.55}},
            {selector: `node[id = ${id}]`, style: {opacity: 1, 'border-width': 8,
             'border-color': '#F0E442'}},
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
    try:
        body = data.briefing_pdf(who, brief)
    except Exception:  # noqa: BLE001 - refused or failed: no pack leaves unaudited
        logging.getLogger("serialwatch.ui").exception("briefing pack not exported")
        return dash.no_update
    name = f"briefing-{brief['identity_id'].replace(':', '_')}.pdf"
    return dcc.send_bytes(body, name)
