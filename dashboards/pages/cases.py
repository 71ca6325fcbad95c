"""The caseworker's queue and a case: open MAPPA+ Category 4 cases, candidates first, each
status ranked by RFGV; pick one to see its status, level, history, assessments, hearings, plan
actions and obligations, and to move it on (screening, accept at a level, not accept, close)
or screen it. Everything goes through app/services/cases.py: a partner sees the redacted case
and its own agency's actions; a stale change is refused and the page says so."""

from __future__ import annotations

from typing import Any

import dash
from dash import Input, Output, State, dcc, html

from app.services import cases
from app.services.door import Access
from dashboards.components.case_views import summary, table
from dashboards.components.session import STORE, guarded

dash.register_page(__name__, path="/cases", title="Cases · serialwatch", order=8)

QUEUE = ["status", "rfgv", "name", "identity_id", "level", "area", "caseworker", "review_due",
         "overdue_actions", "case_id"]  # fmt: skip
ACTIONS = ["heading", "title", "agency", "owner", "due_date", "status", "action_id"]
HISTORY = ["at", "by", "what", "before_text", "after_text"]
MOVES = ["screening", "accepted", "not_accepted", "closed"]


def layout(case: str | None = None, **_: Any) -> Any:
    return html.Div(
        [
            html.Div(
                [
                    html.H2("Caseworker's queue"),
                    html.P(
                        "Open MAPPA+ Category 4 cases: candidates (raised by a new Category 4 "
                        "alert, or by hand) first, then screening, accepted and managed; "
                        "within each, the highest RFGV first.",
                        className="sw-note",
                    ),
                    dcc.Checklist(
                        [{"label": " only my cases", "value": "mine"}],
                        [],
                        id="cases-mine",
                        inline=True,
                    ),  # fmt: skip
                    html.Button("Refresh", id="cases-go", n_clicks=0),
                ],
                className="sw-card",
            ),
            dcc.Loading(html.Div(id="cases-list", className="sw-card")),
            dcc.Store(id="cases-picked", data=case),
            dcc.Store(id="cases-version"),
            html.Div(id="cases-note"),
            dcc.Loading(html.Div(id="cases-detail", className="sw-card")),
            html.Div(
                [
                    html.H3("Move the case on"),
                    dcc.Dropdown(MOVES, None, id="cases-move", placeholder="to status"),
                    dcc.Dropdown([1, 2, 3], None, id="cases-level", placeholder="MAPPA level"),
                    dcc.Input(
                        id="cases-reason",
                        type="text",
                        placeholder="Reason",
                        style={"width": "30rem"},
                    ),  # fmt: skip
                    html.Button("Move", id="cases-do-move", n_clicks=0),
                    html.H3("Screen: freeze the evidence with your notes"),
                    dcc.Textarea(id="cases-notes", style={"width": "100%", "height": "5rem"}),
                    dcc.Dropdown(
                        ["accept", "not_accept", "defer"], "defer", id="cases-decision"
                    ),  # fmt: skip
                    html.Button("Record assessment", id="cases-assess", n_clicks=0),
                ],
                className="sw-card",
            ),
        ]
    )


@dash.callback(
    Output("cases-list", "children"),
    Input("cases-go", "n_clicks"),
    Input("cases-mine", "value"),
    Input("cases-note", "children"),
    Input(STORE, "data"),
)
def listing(_: int, mine: list[str], _note: Any, session: Any) -> Any:
    def page(a: Access) -> Any:
        rows = cases.queue(a, mine="mine" in (mine or []))
        shown = [{**r, "rfgv": round(float(r.get("rfgv") or 0), 1)} for r in rows]
        return [
            html.P(f"{len(rows)} open cases", id="cases-total"),
            table(shown, QUEUE, "cases-table", "No open cases.", selectable=True),
        ]

    return guarded(session, page)


@dash.callback(
    Output("cases-picked", "data"),
    Input("cases-table", "selected_rows"),
    State("cases-table", "data"),
    prevent_initial_call=True,
)
def pick(selected: list[int] | None, data: list[dict[str, Any]] | None) -> Any:
    """The chosen case stays chosen while the queue refreshes under it."""
    if not selected or not data or selected[0] >= len(data):
        return dash.no_update
    return data[selected[0]]["case_id"]


def _obligation(o: dict[str, Any]) -> str:
    orders = "; orders " + ", ".join(o["order_keys"]) if o.get("order_keys") else ""
    return f"{o['type'].replace('_', ' ')} (within {o['window_days']} days{orders})"


def _detail(c: dict[str, Any]) -> Any:
    hearings = [html.Li([dcc.Link(f"{h['date']} {h['area']} (level {h.get('level') or '-'})",
                                  href=dash.get_relative_path(
                                      f"/case-meeting?meeting={h['meeting_id']}")),
                         html.Span(f": {h.get('minutes') or ''}")])
                for h in c["hearings"]]  # fmt: skip
    return html.Div(
        [
            summary(c),
            html.H4("Risk management plan"),
            table(c["actions"], ACTIONS, "case-actions", "No actions yet."),
            html.H4("Positive obligations"),
            html.Ul(
                [html.Li(_obligation(o)) for o in c["obligations"]] or [html.Li("none imposed")]
            ),  # fmt: skip
            html.H4("Hearings"),
            html.Ul(hearings or [html.Li("not yet heard")]),
            html.H4("Assessments"),
            html.Ul([html.Li(x) for x in c["assessments"]] or [html.Li("none yet")]),
            html.H4("History"),
            table(list(reversed(c["changes"])), HISTORY, "case-history", "No changes."),
        ]
    )


@dash.callback(
    Output("cases-detail", "children"),
    Output("cases-version", "data"),
    Input("cases-picked", "data"),
    Input("cases-note", "children"),
    State(STORE, "data"),
)
def detail(case_id: str | None, _note: Any, session: Any) -> Any:
    if not case_id:
        return html.P("Choose a case to see it.", className="sw-note"), None
    shown: dict[str, Any] = {}

    def work(a: Access) -> Any:
        c = cases.detail(a, case_id)
        shown["version"] = c["version"]
        return _detail(c)

    return guarded(session, work), shown.get("version")


@dash.callback(
    Output("cases-note", "children"),
    Input("cases-do-move", "n_clicks"),
    Input("cases-assess", "n_clicks"),
    State("cases-picked", "data"),
    State("cases-version", "data"),
    State("cases-move", "value"),
    State("cases-level", "value"),
    State("cases-reason", "value"),
    State("cases-notes", "value"),
    State("cases-decision", "value"),
    State(STORE, "data"),
    prevent_initial_call=True,
)
def change(_m: int, _a: int, case_id: str | None, version: int | None, status: str | None,
           level: int | None, reason: str | None, notes: str | None, decision: str | None,
           session: Any) -> Any:  # fmt: skip
    if not case_id or not version:
        return html.P("Choose a case first.", className="sw-error")

    def work(a: Access) -> Any:
        if dash.ctx.triggered_id == "cases-assess":
            made = cases.assess(a, case_id, version, notes=notes or "",
                                decision=decision or "defer")  # fmt: skip
            return html.P(f"{made['assessment_id']} recorded: tier {made['tier']}",
                          id="cases-changed")  # fmt: skip
        if not status:
            return html.P("Choose the status to move to.", className="sw-error")
        moved = cases.move(a, case_id, version, status, reason=reason, level=level)
        return html.P(f"{case_id}: {moved['status']}", id="cases-changed")

    return guarded(session, work)
