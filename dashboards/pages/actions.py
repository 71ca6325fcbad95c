"""The actions board: risk management plan actions that are mine (I own them), my agency's,
overdue, or all, soonest due first, overdue in red; move one on (status). Through
app/services/cases.py: a partner sees its own agency's actions only, never victim safety
planning; a stale change is refused and the page says so."""

from __future__ import annotations

from typing import Any

import dash
from dash import Input, Output, State, dcc, html

from app.services import cases
from app.services.door import Access
from dashboards.components.case_views import table
from dashboards.components.session import STORE, guarded
from graph.cases import ACTION_STATUSES

dash.register_page(__name__, path="/actions", title="Actions · serialwatch", order=10)

COLUMNS = ["due_date", "overdue", "heading", "title", "agency", "owner", "status", "name",
           "case_id", "action_id", "version"]  # fmt: skip
VIEWS = {"mine": "Mine", "agency": "My agency", "overdue": "Overdue", "all": "All"}

layout = html.Div(
    [
        html.Div(
            [
                html.H2("Actions board"),
                dcc.RadioItems(
                    [{"label": v, "value": k} for k, v in VIEWS.items()],
                    "mine",
                    id="board-view",
                    inline=True,
                ),  # fmt: skip
                html.Button("Refresh", id="board-go", n_clicks=0),
            ],
            className="sw-card",
        ),
        html.Div(id="board-note"),
        dcc.Loading(html.Div(id="board-list", className="sw-card")),
        html.Div(
            [
                html.Label("Move the chosen action to"),
                dcc.Dropdown(list(ACTION_STATUSES), None, id="board-status"),
                html.Button("Update", id="board-update", n_clicks=0),
            ],
            className="sw-card",
        ),
    ]
)


@dash.callback(
    Output("board-list", "children"),
    Input("board-view", "value"),
    Input("board-go", "n_clicks"),
    Input("board-note", "children"),
    Input(STORE, "data"),
)
def listing(view: str, _: int, _note: Any, session: Any) -> Any:
    def page(a: Access) -> Any:
        rows = cases.board(a, view or "mine")
        overdue = sum(1 for r in rows if r["overdue"])
        return [
            html.P(f"{len(rows)} actions, {overdue} overdue", id="board-total"),
            table(rows, COLUMNS, "board-table", "No actions.", selectable=True),
        ]

    return guarded(session, page)


@dash.callback(
    Output("board-note", "children"),
    Input("board-update", "n_clicks"),
    State("board-table", "selected_rows"),
    State("board-table", "data"),
    State("board-status", "value"),
    State(STORE, "data"),
    prevent_initial_call=True,
)
def update(_: int, selected: list[int] | None, rows: list[dict[str, Any]] | None,
           status: str | None, session: Any) -> Any:  # fmt: skip
    if not selected or not rows or not status:
        return html.P("Choose an action and a status.", className="sw-error")
    row = rows[selected[0]]

    def work(a: Access) -> Any:
        moved = cases.set_action(a, row["action_id"], int(row["version"]), status=status)
        return html.P(f"{moved['action_id']}: {moved['status']}", id="board-moved")

    return guarded(session, work)
