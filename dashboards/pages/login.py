"""Log in: name, password and the purpose of this session, which goes with every request
into the audit trail (DPA 2018 s.62)."""

from __future__ import annotations

from typing import Any

import dash
import flask
from dash import Input, Output, State, dcc, html

from app.errors import ApiError, PurposeRequired
from app.security import logins
from app.services.door import check_purpose
from dashboards.components.session import STORE, start

dash.register_page(__name__, path="/", title="Log in · serialwatch", order=0)

layout = html.Div(
    [
        html.H2("Log in"),
        html.P(
            "Every search and chart you open is recorded with your name and the purpose you "
            "state here.",
            className="sw-note",
        ),
        html.Label("User name", htmlFor="login-user"),
        dcc.Input(id="login-user", type="text", autoComplete="username"),
        html.Label("Password", htmlFor="login-password"),
        dcc.Input(id="login-password", type="password", autoComplete="current-password"),
        html.Label("Purpose of this session", htmlFor="login-purpose"),
        dcc.Input(
            id="login-purpose",
            type="text",
            placeholder="e.g. MAPPA+ meeting 12 May, case 4411",
            style={"width": "28rem"},
        ),
        html.Div(html.Button("Log in", id="login-submit", n_clicks=0)),
        html.Div(id="login-message"),
    ],
    className="sw-card",
    style={"maxWidth": "34rem"},
)


@dash.callback(
    Output(STORE, "data"),
    Output("login-message", "children"),
    Output("sw-url", "href"),
    Input("login-submit", "n_clicks"),
    Input("login-user", "n_submit"),
    Input("login-password", "n_submit"),
    Input("login-purpose", "n_submit"),
    State("login-user", "value"),
    State("login-password", "value"),
    State("login-purpose", "value"),
    prevent_initial_call=True,
)
def login(
    _: int, __: int, ___: int, ____: int, name: str, password: str, purpose: str
) -> tuple[Any, Any, Any]:
    """Submitted by the button or Enter in any field. Dash also calls this when the page is
    (re)drawn, with no click and no Enter behind it: then nothing is said."""
    if not any(t.get("value") for t in dash.ctx.triggered):
        return dash.no_update, dash.no_update, dash.no_update
    try:
        if not (purpose or "").strip():
            raise PurposeRequired(
                "Say why you are using serialwatch today (e.g. 'MAPPA+ meeting 12 May'): it is "
                "recorded with everything you open."
            )
        purpose = check_purpose(purpose)
        user = logins.login((name or "").strip(), password or "", flask.request.remote_addr or "")
    except ApiError as e:
        return dash.no_update, html.Div(str(e), className="sw-error"), dash.no_update
    return start(user, purpose), f"Logged in as {user.name}", dash.get_relative_path("/search")
