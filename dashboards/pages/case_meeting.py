"""A MAPPA+ meeting's page: create a meeting (date, area, chair, attendees by agency and role,
including IDVA and ISAC), build its agenda from open cases, and, during the meeting, for each
case on the agenda record the minutes, set the level (the case is then managed, its review due
by the level), add risk management plan actions and impose positive obligations, live. The
agenda and the minutes with the plans export as PDFs redacted for the caller's role; each case
opens in meeting mode (/meeting) for its link chart and victim chain. Everything goes through
app/services/cases.py; a stale change is refused and the page says so."""

from __future__ import annotations

import logging
from datetime import date
from typing import Any
from urllib.parse import urlencode

import dash
from dash import Input, Output, State, dcc, html

from app.services import cases
from app.services.door import Access
from dashboards import data
from dashboards.components.case_views import table
from dashboards.components.session import STORE, access, guarded
from graph import cases as gc

dash.register_page(__name__, path="/case-meeting", title="MAPPA+ meeting · serialwatch",
                   order=9)  # fmt: skip

ACTIONS = ["heading", "title", "agency", "owner", "due_date", "status"]


def _field(label: str, control: Any) -> Any:
    return html.Div([html.Label(label), control], className="sw-field")


def layout(meeting: str | None = None, **_: Any) -> Any:
    return html.Div(
        [
            dcc.Store(id="cm-meeting", data=meeting),
            dcc.Download(id="cm-download"),
            html.Div(
                [
                    html.H2("MAPPA+ meeting"),
                    _field("Meeting", dcc.Dropdown([], meeting, id="cm-pick")),
                    html.Details([
                        html.Summary("New meeting"),
                        _field("Date (YYYY-MM-DD)", dcc.Input(id="cm-date", type="text",
                                                              value=date.today().isoformat())),
                        _field("Area", dcc.Input(id="cm-area", type="text")),
                        _field("Chair", dcc.Input(id="cm-chair", type="text")),
                        _field("Attendees, one per line: agency|role|name (roles: "
                               + ", ".join(gc.ATTENDEE_ROLES) + ")",
                               dcc.Textarea(id="cm-attendees",
                                            style={"width": "100%", "height": "5rem"})),
                        html.Button("Create meeting", id="cm-create", n_clicks=0),
                    ]),  # fmt: skip
                    _field("Add a case to the agenda", dcc.Dropdown([], None, id="cm-case")),
                    html.Button("Add to agenda", id="cm-add", n_clicks=0),
                    html.Button("Agenda PDF", id="cm-agenda-pdf", n_clicks=0),
                    html.Button("Minutes PDF", id="cm-minutes-pdf", n_clicks=0),
                ],
                className="sw-card",
            ),
            html.Div(id="cm-note"),
            dcc.Loading(html.Div(id="cm-agenda", className="sw-card")),
            html.Div(
                [
                    html.H3("Meeting mode: the case being heard"),
                    dcc.Dropdown([], None, id="cm-hearing", placeholder="case on the agenda"),
                    html.Div(id="cm-heard"),
                    _field("Minutes", dcc.Textarea(id="cm-minutes",
                                                   style={"width": "100%", "height": "6rem"})),
                    html.Button("Save minutes", id="cm-save-minutes", n_clicks=0),
                    _field("MAPPA level", dcc.Dropdown([1, 2, 3], None, id="cm-level")),
                    html.Button("Set level", id="cm-set-level", n_clicks=0),
                    html.H4("Add a plan action"),
                    _field("Heading", dcc.Dropdown(list(gc.HEADINGS), None, id="cm-heading")),
                    _field("Action", dcc.Input(id="cm-title", type="text",
                                               style={"width": "30rem"})),
                    _field("Owning agency", dcc.Input(id="cm-agency", type="text")),
                    _field("Owner", dcc.Input(id="cm-owner", type="text")),
                    _field("Due (YYYY-MM-DD)", dcc.Input(id="cm-due", type="text")),
                    html.Button("Add action", id="cm-add-action", n_clicks=0),
                    html.H4("Impose a positive obligation"),
                    dcc.Dropdown(list(gc.OBLIGATIONS), None, id="cm-obligation"),
                    html.Button("Impose", id="cm-impose", n_clicks=0),
                ],
                className="sw-card",
            ),
        ]
    )  # fmt: skip


@dash.callback(
    Output("cm-pick", "options"),
    Output("cm-case", "options"),
    Output("cm-pick", "value"),
    Input("cm-note", "children"),
    Input(STORE, "data"),
    State("cm-meeting", "data"),
)
def choices(_note: Any, session: Any, chosen: str | None) -> Any:
    """The meetings and open cases to pick from; the meeting picked shown with its options
    (the dropdown drops a value it has no option for, e.g. a link's ?meeting= on opening)."""
    who = access(session)
    if who is None:
        return [], [], None
    try:
        meetings = [{"label": f"{m['date']} {m['area']} ({m['cases']} cases)",
                     "value": m["meeting_id"]} for m in cases.meetings(who)]  # fmt: skip
        open_ = [
            {
                "label": f"{c.get('name') or c['identity_id']} ({c['status']}, {c['case_id']})",
                "value": c["case_id"],
            }
            for c in cases.queue(who, statuses=["screening", "accepted", "managed"])
        ]
    except Exception:  # noqa: BLE001 - a role without cases gets empty choices
        return [], [], None
    return meetings, open_, chosen


@dash.callback(
    Output("cm-meeting", "data"),
    Input("cm-pick", "value"),
    prevent_initial_call=True,
)
def pick(meeting_id: str | None) -> Any:
    """The meeting picked; an emptied dropdown keeps the meeting (it is emptied when it opens
    before its options arrive)."""
    return meeting_id or dash.no_update


def meeting_mode(identities: list[str]) -> str:
    """The meeting mode page with these subjects preselected, the first presented."""
    return dash.get_relative_path("/meeting?" + urlencode({"subjects": ",".join(identities)}))


def _agenda(a: Access, meeting_id: str) -> Any:
    m = cases.meeting(a, meeting_id)
    people = [html.Li(" · ".join(x.split("|"))) for x in m.get("attendees") or []]
    items = []
    for h in m["agenda"]:
        mode = meeting_mode([h["identity_id"]])
        items.append(html.Div([
            html.H4(f"{h['position']}. {h.get('name') or h['identity_id']} · {h['case_id']} · "
                    f"{h['case_status']} · level {h.get('level') or '-'}"),
            html.A("Present in meeting mode", href=mode),
            html.P(f"Minutes: {h.get('minutes') or 'none yet'}"),
            table(h["actions"], ACTIONS, f"cm-actions-{h['position']}", "No actions yet."),
            html.P("Obligations: " + (", ".join(o["type"].replace("_", " ")
                                                for o in h["obligations"]) or "none")),
        ], className="sw-hearing"))  # fmt: skip
    whole = [html.A("Present the agenda in meeting mode", id="cm-mode",
                    href=meeting_mode(list(dict.fromkeys(h["identity_id"] for h in m["agenda"]))))
             ] if m["agenda"] else []  # fmt: skip
    return html.Div([
        html.H3(f"{m['date']} · {m['area']} · chair {m['chair']}", id="cm-title-line"),
        html.Ul(people),
        *whole,
        *items,
    ])  # fmt: skip


@dash.callback(
    Output("cm-agenda", "children"),
    Output("cm-hearing", "options"),
    Input("cm-meeting", "data"),
    Input("cm-note", "children"),
    State(STORE, "data"),
)
def agenda(meeting_id: str | None, _note: Any, session: Any) -> Any:
    if not meeting_id:
        return html.P("Choose or create a meeting.", className="sw-note"), []
    who = access(session)
    options = []
    if who is not None:
        try:
            options = [{"label": f"{h['position']}. {h.get('name') or h['identity_id']}",
                        "value": h["hearing_id"]}
                       for h in cases.meeting(who, meeting_id)["agenda"]]  # fmt: skip
        except Exception:  # noqa: BLE001 - the agenda below says why
            options = []
    return guarded(session, lambda a: _agenda(a, meeting_id)), options


def _version(a: Access, hearing_id: str, meeting_id: str) -> int:
    """The version of the heard case as the agenda shows it now."""
    for h in cases.meeting(a, meeting_id)["agenda"]:
        if h["hearing_id"] == hearing_id:
            return int(h["case_version"])
    raise gc.CaseNotFound(f"no hearing {hearing_id} on this meeting")


@dash.callback(
    Output("cm-note", "children"),
    Input("cm-create", "n_clicks"),
    Input("cm-add", "n_clicks"),
    Input("cm-save-minutes", "n_clicks"),
    Input("cm-set-level", "n_clicks"),
    Input("cm-add-action", "n_clicks"),
    Input("cm-impose", "n_clicks"),
    State("cm-meeting", "data"),
    State("cm-hearing", "value"),
    State("cm-date", "value"),
    State("cm-area", "value"),
    State("cm-chair", "value"),
    State("cm-attendees", "value"),
    State("cm-case", "value"),
    State("cm-minutes", "value"),
    State("cm-level", "value"),
    State("cm-heading", "value"),
    State("cm-title", "value"),
    State("cm-agency", "value"),
    State("cm-owner", "value"),
    State("cm-due", "value"),
    State("cm-obligation", "value"),
    State(STORE, "data"),
    prevent_initial_call=True,
)
def change(*args: Any) -> Any:
    (meeting_id, hearing_id, held, area, chair, attendees, case_id, minutes, level, heading,
     title, agency, owner, due, obligation, session) = args[6:]  # fmt: skip
    button = str(dash.ctx.triggered_id)

    def work(a: Access) -> Any:
        if button == "cm-create":
            people = [
                dict(zip(("agency", "role", "name"), line.split("|"), strict=False))
                for line in (attendees or "").splitlines()
                if line.strip()
            ]
            made = cases.create_meeting(a, _date(held), area or "", chair or "", people)
            return html.P(f"meeting {made['meeting_id']} created", id="cm-done")
        if not meeting_id:
            return html.P("Choose or create a meeting first.", className="sw-error")
        if button == "cm-add":
            if not case_id:
                return html.P("Choose a case to add.", className="sw-error")
            cases.add_to_agenda(a, meeting_id, case_id)
            return html.P(f"{case_id} is on the agenda", id="cm-done")
        if not hearing_id:
            return html.P("Choose the case being heard.", className="sw-error")
        v = _version(a, hearing_id, meeting_id)
        if button == "cm-save-minutes":
            cases.record_minutes(a, hearing_id, v, minutes or "")
            return html.P("minutes saved", id="cm-done")
        if button == "cm-set-level":
            cases.set_level(a, hearing_id, v, int(level or 0))
            return html.P(f"level {level} set: the case is managed", id="cm-done")
        if button == "cm-add-action":
            cases.add_action(
                a,
                hearing_id,
                v,
                heading=heading or "",
                title=title or "",
                agency=agency or "",
                owner=owner or "",
                due=_date(due),
            )
            return html.P(f"action added: {title}", id="cm-done")
        cases.impose_obligation(a, hearing_id, v, obligation or "")
        return html.P(f"obligation {obligation} imposed", id="cm-done")

    return guarded(session, work)


def _date(text: str | None) -> date:
    try:
        return date.fromisoformat((text or "").strip())
    except ValueError:
        raise gc.CaseError(f"{text!r} is not a date: give YYYY-MM-DD") from None


@dash.callback(
    Output("cm-download", "data"),
    Input("cm-agenda-pdf", "n_clicks"),
    Input("cm-minutes-pdf", "n_clicks"),
    State("cm-meeting", "data"),
    State(STORE, "data"),
    prevent_initial_call=True,
)
def pdf(_a: int, _m: int, meeting_id: str | None, session: Any) -> Any:
    who = access(session)
    if who is None or not meeting_id:
        return dash.no_update
    minutes = dash.ctx.triggered_id == "cm-minutes-pdf"
    try:
        body = data.meeting_pdf(who, cases.meeting(who, meeting_id), minutes)
    except Exception:  # noqa: BLE001 - refused or failed: no PDF leaves unaudited
        logging.getLogger("serialwatch.ui").exception("meeting PDF not exported")
        return dash.no_update
    return dcc.send_bytes(body, f"{'minutes' if minutes else 'agenda'}-{meeting_id}.pdf")
