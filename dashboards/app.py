"""The Dash explorer and its mounting beside the FastAPI service (one process, one login).

`mount(api, "/ui")` serves the Dash app under /ui through a WSGI bridge; Dash itself calls the
service layer in-process with the signed-in user's token and purpose (see components.session).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import dash
import flask
from dash import Dash, Input, Output, State, dcc, html

from dashboards.components import keepalive
from dashboards.components.session import STORE, access

HERE = Path(__file__).parent
NAV = [
    ("Search", "/search"),
    ("Link chart", "/chart"),
    ("Serial perpetrators", "/serial"),
    ("Saved queries", "/queries"),
    ("MAPPA+ meeting", "/meeting"),
    ("Review queue", "/review"),
    ("Alerts", "/alerts"),
    ("Cases", "/cases"),
    ("Case meeting", "/case-meeting"),
    ("Actions", "/actions"),
]
_apps: dict[str, Dash] = {}


def create_dash(server_prefix: str = "/ui/") -> Dash:
    """The Dash app for `server_prefix` (made once per process: Dash pages and callbacks are
    registered globally, so a second app would lose them)."""
    if server_prefix in _apps:
        return _apps[server_prefix]
    app = Dash(
        __name__,
        use_pages=True,
        pages_folder=str(HERE / "pages"),
        assets_folder=str(HERE / "assets"),
        requests_pathname_prefix=server_prefix,
        routes_pathname_prefix="/",
        suppress_callback_exceptions=True,
        title="serialwatch explorer",
        update_title="",
    )
    app.layout = shell()
    app.server.before_request(lambda: _refuse_malformed_callback(app))
    _apps[server_prefix] = app
    return app


def _refuse_malformed_callback(app: Dash) -> Any:
    """A callback request that is not one of this explorer's is a 400, not an exception deep
    in Dash (a 500): a JSON object naming a registered output, with lists of inputs and state
    each naming a component and a property."""
    if not flask.request.path.endswith("/_dash-update-component"):
        return None
    body = flask.request.get_json(silent=True)
    if (
        isinstance(body, dict)
        and isinstance(body.get("output"), str)
        and body["output"] in app.callback_map
        and isinstance(body.get("outputs"), dict | list)
        and isinstance(body.get("changedPropIds", []), list)
        and all(_dependencies(body.get(k, [])) for k in ("inputs", "state"))
    ):
        return None
    return flask.jsonify(detail="not a request for one of this explorer's callbacks"), 400


def _dependencies(items: Any) -> bool:
    def one(item: Any) -> bool:
        return (
            isinstance(item, dict)
            and isinstance(item.get("id"), str | dict)
            and isinstance(item.get("property"), str)
        )

    return isinstance(items, list) and all(
        one(i) or (isinstance(i, list) and all(one(j) for j in i)) for i in items
    )


def shell() -> html.Div:
    return html.Div(
        [
            dcc.Store(id=STORE, storage_type="session"),
            *keepalive.pieces(),
            dcc.Location(id="sw-url"),
            html.Div(
                [
                    html.Span("serialwatch", className="sw-brand"),
                    html.Span(  # the pages and the session: shown once someone is logged in
                        [dcc.Link(t, href=dash.get_relative_path(p)) for t, p in NAV]
                        + [
                            # the badge counts high-priority inbox items (pages/alerts.py)
                            dcc.Link(
                                "",
                                id="sw-alert-badge",
                                href=dash.get_relative_path("/alerts"),
                                style={"color": "#b00020", "fontWeight": 600},
                            ),  # fmt: skip
                            dcc.Interval(id="sw-alert-tick", interval=30_000),
                            html.Span(id="sw-who", className="sw-who"),
                            html.Button("Log out", id="sw-logout", n_clicks=0),
                        ],
                        id="sw-nav",
                        style={"display": "none"},
                    ),
                ],
                className="sw-header",
            ),
            html.Div(dash.page_container, className="sw-page"),
        ]
    )


@dash.callback(Output("sw-who", "children"), Output("sw-nav", "style"), Input(STORE, "data"))
def who(session: dict[str, Any] | None) -> tuple[str, dict[str, str]]:
    """Who is logged in; logged out, the header shows no pages and no "Log out"."""
    a = access(session)
    if a is None:
        return "", {"display": "none"}
    return f"{a.user.name} · {a.user.role.value} · purpose: {a.purpose}", {"display": "contents"}


@dash.callback(
    Output(STORE, "data", allow_duplicate=True),
    Output("sw-url", "href", allow_duplicate=True),
    Input("sw-logout", "n_clicks"),
    State(STORE, "data"),
    prevent_initial_call=True,
)
def logout(n: int, session: dict[str, Any] | None) -> tuple[None, str]:
    return None, str(dash.get_relative_path("/"))


def mount(api: Any, prefix: str = "/ui") -> Dash:
    """Serve the explorer under `prefix` of the FastAPI app `api`."""
    from a2wsgi import WSGIMiddleware

    dash_app = create_dash(prefix.rstrip("/") + "/")
    api.mount(prefix, WSGIMiddleware(dash_app.server))
    return dash_app
