"""A subject's victim chain as a story (its own page; meeting mode shows the same story)."""

from __future__ import annotations

from typing import Any

import dash
from dash import Input, Output, State, dcc, html

from app.services import network, people
from dashboards.components.chain_story import story
from dashboards.components.session import STORE, access, failure, need_login

dash.register_page(__name__, path="/chain", title="Victim chain · serialwatch", order=3)


def layout(person: str | None = None, **_: Any) -> html.Div:
    return html.Div(
        [dcc.Store(id="chain-person", data=person), html.Div(id="chain-view", className="sw-card")]
    )


@dash.callback(
    Output("chain-view", "children"), Input("chain-person", "data"), State(STORE, "data")
)
def show(person: str | None, session: Any) -> Any:
    if not person:
        return html.P("Open a victim chain from a link chart or the serial perpetrators list.")
    who = access(session)
    if who is None:
        return need_login()
    try:
        name = _name(people.profile(who, person))
        return story(name, network.victim_story(who, person))
    except Exception as e:  # noqa: BLE001
        return failure(e)


def _name(profile: dict[str, Any]) -> str:
    names = [r.get("full_name") for r in profile.get("records", []) if r.get("full_name")]
    return str(names[0]) if names else str(profile.get("identity_id"))
