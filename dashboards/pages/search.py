"""Search: one box for a name (typo-tolerant), a date of birth, a postcode or a record key;
each result shows identity, names and aliases, forces and flags, and opens the link chart."""

from __future__ import annotations

import re
from datetime import date
from typing import Any
from urllib.parse import quote

import dash
from dash import Input, Output, State, dcc, html

from app.services import library, people
from app.services.door import Access
from dashboards.components.flags import flags
from dashboards.components.session import STORE, guarded

dash.register_page(__name__, path="/search", title="Search · serialwatch", order=1)

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_POSTCODE = re.compile(r"^[A-Za-z]{1,2}\d[A-Za-z\d]?\s*\d[A-Za-z]{2}$")
layout = html.Div(
    [
        html.Div(
            [
                html.H2("Search people"),
                html.Label(
                    "Name, date of birth (YYYY-MM-DD), postcode or record key", htmlFor="search-box"
                ),
                dcc.Input(
                    id="search-box",
                    type="text",
                    debounce=True,
                    style={"width": "30rem"},
                    placeholder="e.g. Connor Haynes, 1984-05-08, M1 1AA, MERS-NICHE:P000001",
                ),
                html.Button("Search", id="search-go", n_clicks=0),
            ],
            className="sw-card",
        ),
        dcc.Loading(html.Div(id="search-results", className="sw-card")),
    ]
)


def criteria(text: str) -> dict[str, Any]:
    """Which kind of search the officer typed, so one box serves all four."""
    t = text.strip()
    if _DATE.match(t):
        return {"dob": date.fromisoformat(t)}
    if _POSTCODE.match(t):
        return {"postcode_": t}
    if ":" in t and " " not in t:
        return {"record_key": t}
    return {"name": t}


@dash.callback(
    Output("search-results", "children"),
    Input("search-go", "n_clicks"),
    Input("search-box", "n_submit"),
    State("search-box", "value"),
    State(STORE, "data"),
    prevent_initial_call=True,
)
def run_search(_: int, __: int, text: str | None, session: dict[str, Any] | None) -> Any:
    if not (text or "").strip():
        return html.P("Type a name, a date of birth, a postcode or a record key.")
    return guarded(session, lambda a: results(a, text or ""))


def results(access: Access, text: str) -> Any:
    rows = people.search(access, **criteria(text))
    if not rows:
        return html.P("No one matches. Try fewer words or another spelling.")
    found = sorted({r["identity_id"] for r in rows})
    tiers = {
        r["identity_id"]: r["tier"]
        for r in library.run(access, "serial_perpetrators", {"ids": found})["rows"]
        if r.get("identity_id")
    }
    head = html.Tr(
        [html.Th(h) for h in ("Person", "Also known as", "Born", "Agencies", "Flags", "")]
    )
    body = []
    for r in rows:
        names = r.get("names") or []
        flag = " · ".join(flags(tiers.get(r["identity_id"], ""), r.get("active_orders") or 0))
        q = quote(r["identity_id"])
        href = dash.get_relative_path(f"/chart?person={q}")
        name = names[0] if names else r["identity_id"]
        subject = dcc.Link(name, href=dash.get_relative_path(f"/subject?person={q}"),
                           className="open-subject", title="Open the subject page")  # fmt: skip
        body.append(
            html.Tr(
                [
                    html.Td(html.Strong(subject)),
                    html.Td(", ".join(names[1:]) or "—"),
                    html.Td(", ".join(str(d) for d in r.get("dates_of_birth") or []) or "—"),
                    html.Td(", ".join(r.get("agencies") or [])),
                    html.Td(flag, className="sw-error sw-flags" if flag else "sw-flags"),
                    html.Td(dcc.Link("Open link chart", href=href, className="open-chart")),
                ]
            )
        )
    return html.Table([html.Thead(head), html.Tbody(body)], className="sw-table")
