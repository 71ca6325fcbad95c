"""The inbox: one item per perpetrator, gathering what ingest and identity resolution raised
about him, the most pressing first, with the reasons for its priority; filtered by status, band
and area (an area's items first); one item's alerts; acknowledge, action or dismiss it (with
a reason); open the subject's link chart. Also the header badge's count of high-priority items
(the shell holds the badge and its timer, this module its callback). Everything goes through
app/services/alerts.py."""

from __future__ import annotations

from typing import Any

import dash
from dash import Input, Output, State, dash_table, dcc, html

from app.security.roles import Perm, allowed
from app.services import alerts
from app.services.door import Access
from dashboards.components.session import STORE, access, guarded
from graph.alerts import STATUSES

dash.register_page(__name__, path="/alerts", title="Alerts · serialwatch", order=7)

COLUMNS = ["band", "priority", "name", "owner", "rules", "evidence_count", "reasons", "item_id"]
BANDS = ["high", "medium", "low"]

layout = html.Div(
    [
        html.Div(
            [
                html.H2("Alerts inbox"),
                html.P(
                    "One item per perpetrator, most pressing first: a new victim or partner, a "
                    "new force, a breach, a missed notification, crossing the serial threshold, "
                    "or a followed identity touched. An item overdue for acknowledgement rises "
                    "a band.",
                    className="sw-note",
                ),
                html.Label("Status"),
                dcc.Dropdown(list(STATUSES), "new", id="alerts-status"),
                html.Label("Band"),
                dcc.Dropdown(BANDS, None, id="alerts-band"),
                html.Label("Only this area (agency code)"),
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
        return html.P("No items match.", id="alerts-none")
    data = [
        {**{c: r.get(c) if r.get(c) is not None else "" for c in COLUMNS},
         "band": r["band"] + (" (overdue)" if r.get("overdue") else ""),
         "name": r.get("name") or r.get("identity_id") or "",
         "rules": ", ".join(x.replace("_", " ") for x in r.get("rules") or []),
         "reasons": "; ".join(r.get("reasons") or [])}
        for r in rows
    ]  # fmt: skip
    return dash_table.DataTable(  # type: ignore[attr-defined]
        data,
        [{"name": c.replace("_", " "), "id": c} for c in COLUMNS],
        id="alerts-table",
        row_selectable="single",
        page_size=20,
        style_cell={"textAlign": "left", "whiteSpace": "normal"},
        style_data_conditional=[
            {"if": {"filter_query": '{band} contains "high"'}, "fontWeight": "bold"}
        ],
    )


@dash.callback(
    Output("alerts-list", "children"),
    Input("alerts-go", "n_clicks"),
    Input("alerts-note", "children"),
    Input(STORE, "data"),
    State("alerts-status", "value"),
    State("alerts-band", "value"),
    State("alerts-owner", "value"),
)
def listing(_: int, _note: Any, session: Any, status: Any, band: Any, owner: Any) -> Any:
    def page(a: Access) -> Any:
        rows = alerts.inbox(a, status=status, band=band, owner=owner or None, limit=200)
        total = alerts.inbox_count(a, status=status, band=band, owner=owner or None)
        per_band = ", ".join(f"{total.get(b, 0):,} {b}" for b in BANDS)
        return [
            html.P(f"{len(rows):,} of {total['total']:,} items ({per_band})", id="alerts-total"),
            _table(rows),
        ]

    return guarded(session, page)


@dash.callback(
    Output("alerts-picked", "data"),
    Input("alerts-table", "selected_rows"),
    State("alerts-table", "data"),
    prevent_initial_call=True,
)
def pick(selected: list[int] | None, data: list[dict[str, Any]] | None) -> str | None:
    if not selected or not data or selected[0] >= len(data):
        return None
    picked: str = data[selected[0]]["item_id"]
    return picked


def _detail(a: Access, item_id: str) -> Any:
    d = alerts.inbox_item(a, item_id)
    rows = [
        html.Tr(
            [
                html.Td(x.get("rule", "").replace("_", " ")),
                html.Td(x.get("event_date") or ""),
                html.Td(x.get("summary") or ""),
                html.Td(x.get("owner") or ""),
                html.Td(", ".join(x.get("evidence") or [])),
            ]
        )  # fmt: skip
        for x in d["alerts"]
    ]
    chart = dash.get_relative_path(f"/chart?person={d['identity_id']}")
    return html.Div(
        [
            html.H3(f"{d.get('name') or d['identity_id']}: {d['band']} ({d['priority']})"),
            html.P(
                f"status {d['status']} · owner {d['owner']} · due {str(d['due_at'])[:16]}",
                id="alerts-detail-status",
            ),  # fmt: skip
            html.P("Why: " + "; ".join(d["reasons"]), id="alerts-detail-reasons"),
            html.A(
                f"Open {d.get('name') or d['identity_id']}'s link chart",
                href=chart,
                id="alerts-chart-link",
            ),  # fmt: skip
            html.Table(
                [html.Tr([html.Th(h) for h in ("rule", "date", "what", "owner", "evidence")])]
                + rows,
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
def detail(item_id: str | None, _note: Any, session: Any) -> Any:
    if not item_id:
        return html.P("Choose an item to see its alerts and evidence.", className="sw-note")
    return guarded(session, lambda a: _detail(a, item_id))


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
def move(_a: int, _b: int, _c: int, item_id: str | None, reason: Any, session: Any) -> Any:
    if not item_id:
        return html.P("Choose an item first.", className="sw-error")
    button = {"alerts-ack": "acknowledge", "alerts-action": "action", "alerts-dismiss": "dismiss"}
    what = button[str(dash.ctx.triggered_id)]
    return guarded(
        session,
        lambda a: html.P(
            f"{item_id}: {alerts.move_item(a, item_id, what, reason)['status']}",
            id="alerts-moved",
        ),
    )


@dash.callback(
    Output("sw-alert-badge", "children"),
    Input("sw-alert-tick", "n_intervals"),
    Input(STORE, "data"),
)
def badge(_: int, session: Any) -> str:
    """The header's count of new high-priority items; nothing for a role that sees no alerts."""
    who = access(session)
    if who is None or not allowed(who.user.role, Perm.alerts):  # no refusal audited each tick
        return ""
    try:
        return f"{alerts.inbox_count(who).get('high', 0)} high-priority alerts"
    except Exception:  # noqa: BLE001 - the badge never breaks the page
        return ""
