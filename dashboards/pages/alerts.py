"""Alerts: what ingest and identity resolution raised, filtered by status, rule and owning
area; one alert's evidence; acknowledge, action or dismiss it (with a reason); open the
subject's link chart. Also the header badge's count of new alerts (the shell holds the badge
and its timer, this module its callback). Everything goes through app/services/alerts.py."""

from __future__ import annotations

from typing import Any

import dash
from dash import Input, Output, State, dash_table, dcc, html

from app.security.roles import Perm, allowed
from app.services import alerts
from app.services.door import Access
from dashboards.components.session import STORE, access, guarded
from graph.alerts import RULES, STATUSES

dash.register_page(__name__, path="/alerts", title="Alerts · serialwatch", order=7)

COLUMNS = ["status", "rule", "name", "summary", "owner", "raised_at", "alert_id"]

layout = html.Div(
    [
        html.Div(
            [
                html.H2("Alerts"),
                html.P(
                    "Raised when a delivery or identity resolution gives a known perpetrator a "
                    "new victim or partner, a new force, a breach, a missed notification, when "
                    "he crosses the serial threshold, or when a followed identity is touched.",
                    className="sw-note",
                ),
                html.Label("Status"),
                dcc.Dropdown(list(STATUSES), "new", id="alerts-status"),
                html.Label("Rule"),
                dcc.Dropdown(list(RULES), None, id="alerts-rule"),
                html.Label("Owning area (agency code)"),
                dcc.Input(id="alerts-owner", type="text", debounce=True),
                html.Button("Refresh", id="alerts-go", n_clicks=0),
            ],
            className="sw-card",
        ),
        html.Div(id="alerts-note"),
        dcc.Loading(html.Div(id="alerts-list", className="sw-card")),
        html.Div(
            [
                html.Div(id="alerts-detail"),
                dcc.Input(
                    id="alerts-reason",
                    type="text",
                    placeholder="Reason (needed to dismiss)",
                    style={"width": "30rem"},
                ),
                html.Button("Acknowledge", id="alerts-ack", n_clicks=0),
                html.Button("Actioned", id="alerts-action", n_clicks=0),
                html.Button("Dismiss", id="alerts-dismiss", n_clicks=0),
            ],
            className="sw-card",
        ),
        dcc.Store(id="alerts-picked"),
    ]
)


def _table(rows: list[dict[str, Any]]) -> Any:
    if not rows:
        return html.P("No alerts match.", id="alerts-none")
    data = [{c: r.get(c) or "" for c in COLUMNS} for r in rows]
    for d in data:
        d["raised_at"] = str(d["raised_at"])[:19]
    return dash_table.DataTable(  # type: ignore[attr-defined]
        data,
        [{"name": c.replace("_", " "), "id": c} for c in COLUMNS],
        id="alerts-table",
        row_selectable="single",
        page_size=20,
        style_cell={"textAlign": "left", "whiteSpace": "normal"},
    )


@dash.callback(
    Output("alerts-list", "children"),
    Input("alerts-go", "n_clicks"),
    Input("alerts-note", "children"),
    Input(STORE, "data"),
    State("alerts-status", "value"),
    State("alerts-rule", "value"),
    State("alerts-owner", "value"),
)
def listing(_: int, _note: Any, session: Any, status: Any, rule: Any, owner: Any) -> Any:
    return guarded(
        session,
        lambda a: _table(
            alerts.listing(a, status=status, rule=rule, owner=owner or None, limit=200)
        ),
    )


@dash.callback(
    Output("alerts-picked", "data"),
    Input("alerts-table", "selected_rows"),
    State("alerts-table", "data"),
    prevent_initial_call=True,
)
def pick(selected: list[int] | None, data: list[dict[str, Any]] | None) -> str | None:
    if not selected or not data or selected[0] >= len(data):
        return None
    picked: str = data[selected[0]]["alert_id"]
    return picked


def _people(people: list[dict[str, Any]]) -> str:
    return "; ".join(f"{p.get('name') or p.get('person_key')} ({p.get('role')})" for p in people)


def _detail(a: Access, alert_id: str) -> Any:
    d = alerts.detail(a, alert_id)
    records = [
        html.Tr(
            [
                html.Td(r.get("kind")),
                html.Td(r.get("key")),
                html.Td(r.get("date") or ""),
                html.Td(r.get("agency_code") or ""),
                html.Td(r.get("what") or ""),
                html.Td(_people(r.get("people") or [])),
            ]  # fmt: skip
        )
        for r in d["records"]
    ]
    chart = dash.get_relative_path(f"/chart?person={d['identity_id']}")
    return html.Div(
        [
            html.H3(d["title"]),
            html.P(
                f"{d['summary']} · status {d['status']} · owner {d['owner']}",
                id="alerts-detail-status",
            ),  # fmt: skip
            html.A(
                f"Open {d.get('name') or d['identity_id']}'s link chart",
                href=chart,
                id="alerts-chart-link",
            ),  # fmt: skip
            html.Table(
                [html.Tr([html.Th(h) for h in ("kind", "key", "date", "agency", "what", "people")])]
                + records,
                className="sw-table",
            ),
            html.Ul([html.Li(h) for h in d["history"]]),
        ]
    )


@dash.callback(
    Output("alerts-detail", "children"),
    Input("alerts-picked", "data"),
    Input("alerts-note", "children"),
    State(STORE, "data"),
)
def detail(alert_id: str | None, _note: Any, session: Any) -> Any:
    if not alert_id:
        return html.P("Choose an alert to see its evidence.", className="sw-note")
    return guarded(session, lambda a: _detail(a, alert_id))


@dash.callback(
    Output("alerts-note", "children"),
    Input("alerts-ack", "n_clicks"),
    Input("alerts-action", "n_clicks"),
    Input("alerts-dismiss", "n_clicks"),
    State("alerts-picked", "data"),
    State("alerts-reason", "value"),
    State(STORE, "data"),
    prevent_initial_call=True,
)
def move(_a: int, _b: int, _c: int, alert_id: str | None, reason: Any, session: Any) -> Any:
    if not alert_id:
        return html.P("Choose an alert first.", className="sw-error")
    button = {"alerts-ack": "acknowledge", "alerts-action": "action", "alerts-dismiss": "dismiss"}
    what = button[str(dash.ctx.triggered_id)]
    return guarded(
        session,
        lambda a: html.P(
            f"{alert_id}: {alerts.move(a, alert_id, what, reason)['status']}", id="alerts-moved"
        ),
    )


@dash.callback(
    Output("sw-alert-badge", "children"),
    Input("sw-alert-tick", "n_intervals"),
    Input(STORE, "data"),
)
def badge(_: int, session: Any) -> str:
    """The header's count of new alerts; nothing for a role that sees no alerts."""
    who = access(session)
    if who is None or not allowed(who.user.role, Perm.alerts):  # no refusal audited each tick
        return ""
    try:
        return f"{alerts.new_count(who)['new']} new alerts"
    except Exception:  # noqa: BLE001 - the badge never breaks the page
        return ""
