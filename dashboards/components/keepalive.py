"""Keeping a session alive through a long meeting without keeping an idle one alive: the API's
access token lasts minutes, so while the user is active the page swaps it for a fresh one
before it expires (no password asked); an idle tab lets it lapse and asks for a login.

Activity is noted in the browser (assets/activity.js); a clientside check on a timer decides,
with no round trip, when a swap is due: the token is past half its life and the user has done
something since it was issued. Only then does the server issue a new token."""

from __future__ import annotations

from typing import Any

import dash
from dash import Input, Output, State, clientside_callback, dcc

from app.errors import ApiError
from dashboards.components.session import STORE, renewed

TICK_MS = 15_000
DUE = "sw-renew-due"


def pieces() -> list[Any]:
    """What the page shell holds for this: the timer and the 'swap due' signal."""
    return [dcc.Interval(id="sw-tick", interval=TICK_MS), dcc.Store(id=DUE)]


clientside_callback(
    """
    function(_tick, session) {
        if (!session || !session.token || !session.expires) {
            return window.dash_clientside.no_update;
        }
        const now = Date.now() / 1000;
        const halfway = session.expires - session.lifetime / 2;
        const active = (window.swLastActivity || 0) / 1000 > session.issued;
        return (now >= halfway && now < session.expires && active)
            ? now : window.dash_clientside.no_update;
    }
    """,
    Output(DUE, "data"),
    Input("sw-tick", "n_intervals"),
    State(STORE, "data"),
    prevent_initial_call=True,
)


@dash.callback(
    Output(STORE, "data", allow_duplicate=True),
    Input(DUE, "data"),
    State(STORE, "data"),
    prevent_initial_call=True,
)
def renew(_due: Any, session: dict[str, Any] | None) -> Any:
    if not session or not session.get("token"):
        return dash.no_update
    try:
        return renewed(session)
    except ApiError:  # expired or over-long: the pages ask for a login
        return dash.no_update
