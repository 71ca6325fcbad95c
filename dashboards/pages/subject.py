"""A subject's page, the one a person opens first from search: who he is (names, aliases,
dates of birth, records and forces), his flags, the key facts (victims, orders in force,
breaches, missed notifications), his chain story, and the ways on: his link chart, the
chain story on its own, and the disclosure check. Every read goes through the service layer
(role, partner redaction, audit); a partner sees victims only as "Victim n"."""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import quote

import dash
from dash import Input, Output, State, dcc, html

from app.errors import ApiError
from app.security.roles import Perm
from app.services import library
from app.services.door import Access
from dashboards import data
from dashboards.components.chain_story import story
from dashboards.components.flags import flags
from dashboards.components.session import STORE, access, failure, guarded, need_login

dash.register_page(__name__, path="/subject", title="Subject · serialwatch", order=2)


def layout(person: str | None = None, **_: Any) -> html.Div:
    return html.Div(
        [
            dcc.Store(id="subject-person", data=person),
            html.Div(id="subject-view"),
        ]
    )


@dash.callback(
    Output("subject-view", "children"), Input("subject-person", "data"), State(STORE, "data")
)
def show(person: str | None, session: Any) -> Any:
    if not person:
        return html.P("Open a subject from Search or the serial perpetrators list.")
    who = access(session)
    if who is None:
        return need_login()
    try:
        return page(who, person)
    except Exception as e:  # noqa: BLE001 - refused, unknown or failed: a message on screen
        return failure(e)


def page(who: Access, person: str) -> html.Div:
    brief = data.briefing(who, person)
    prof, ident = brief["profile"], brief["identity_id"]
    tier = next(
        (r["tier"] for r in library.run(who, "serial_perpetrators", {"ids": [ident]})["rows"]),
        "",
    )
    in_force = [o for o in prof.get("orders", []) if o.get("role") == "subject" and _active(o)]
    banner = (
        html.Div("Partner view: victims appear only as pseudonyms (Victim 1, 2, ...).",
                 className="sw-banner")
        if who.partner
        else ""
    )  # fmt: skip
    return html.Div(
        [
            banner,
            html.Div(
                [
                    html.H1(brief["name"], id="subject-name"),
                    html.Div(
                        [html.Span(f, className="sw-flag") for f in flags(tier, len(in_force))],
                        className="sw-flags-row",
                    ),
                    _links(ident),
                ],
                className="sw-card sw-subject-head",
            ),
            html.Div(
                [
                    html.Div([html.Strong(str(v)), html.Span(k)], className="sw-fact")
                    for k, v in brief["facts"].items()
                ],
                className="sw-facts sw-card",
                id="subject-facts",
            ),
            html.Div(
                [_identity(prof, brief["agencies"]), _orders(in_force)],
                className="sw-subject-grid",
            ),
            html.Div(story(brief["name"], brief["chain"]), className="sw-card"),
            html.Div(
                [
                    html.H2("Disclosure check (Clare's Law / DVDS)"),
                    html.Button("Run the disclosure check", id="subject-disclose", n_clicks=0),
                    dcc.Loading(html.Div(id="subject-disclosure")),
                ],
                className="sw-card",
                id="disclosure",
            ),
        ],
        className="sw-subject",
    )


def _active(order: dict[str, Any]) -> bool:
    today = date.today().isoformat()
    start = str(order.get("start_date") or order.get("issued_date") or "")
    end = order.get("end_date")
    return start <= today and (not end or str(end) >= today)


def _links(ident: str) -> html.Div:
    q = quote(ident)
    return html.Div(
        [
            dcc.Link(
                "Open link chart",
                href=dash.get_relative_path(f"/chart?person={q}"),
                className="sw-button open-chart",
            ),
            dcc.Link(
                "Victim chain story",
                href=dash.get_relative_path(f"/chain?person={q}"),
                className="sw-button",
            ),
            html.A("Disclosure check", href="#disclosure", className="sw-button"),
        ],  # fmt: skip
        className="sw-subject-links",
    )


def _identity(prof: dict[str, Any], agencies: list[Any]) -> html.Div:
    records = prof.get("records", [])
    names = sorted({str(r["full_name"]) for r in records if r.get("full_name")})
    aliases = sorted({str(a) for r in records for a in r.get("aliases") or [] if a})
    born = sorted({str(r["date_of_birth"]) for r in records if r.get("date_of_birth")})
    pnc = sorted({str(r["pnc_id"]) for r in records if r.get("pnc_id")})
    rows = [
        ("Identity", str(prof.get("identity_id"))),
        ("Names in records", ", ".join(names) or "none"),
        ("Aliases", ", ".join(aliases) or "none recorded"),
        ("Born", ", ".join(born) or "unknown"),
        ("PNC", ", ".join(pnc) or "none"),
        ("Records", f"{len(records)}: " + ", ".join(
            sorted({str(r.get("agency_code")) for r in records if r.get("agency_code")}))),
        ("Forces and agencies", ", ".join(map(str, agencies)) or "none"),
    ]  # fmt: skip
    return html.Div(
        [
            html.H2("Identity"),
            html.Table(
                [html.Tr([html.Th(k), html.Td(v)]) for k, v in rows],
                className="sw-table sw-kv",
                id="subject-identity",
            ),
        ],
        className="sw-card",
    )


def _orders(in_force: list[dict[str, Any]]) -> html.Div:
    head = html.Tr([html.Th(h) for h in ("Order", "Issued", "Ends", "Breaches")])
    rows = [
        html.Tr([html.Td(str(o.get("order_type"))), html.Td(str(o.get("issued_date") or "")),
                 html.Td(str(o.get("end_date") or "open")), html.Td(str(o.get("breaches") or 0))])
        for o in in_force
    ]  # fmt: skip
    return html.Div(
        [
            html.H2(f"Orders in force today: {len(in_force)}"),
            html.Table([html.Thead(head), html.Tbody(rows)], className="sw-table")
            if rows
            else html.P("None."),
        ],
        className="sw-card",
        id="subject-orders",
    )


@dash.callback(
    Output("subject-disclosure", "children"),
    Input("subject-disclose", "n_clicks"),
    State("subject-person", "data"),
    State(STORE, "data"),
    prevent_initial_call=True,
)
def disclose(_: int, person: str | None, session: Any) -> Any:
    return guarded(session, lambda who: _disclosure(who, person or ""))


def _disclosure(who: Access, person: str) -> Any:
    try:
        rows = library.run(who, "disclosure_check", {"person": person}, perm=Perm.disclosure)
    except ApiError as e:
        return html.P(f"Not available: {e}", className="sw-error")
    if not rows["rows"]:
        return html.P("Nothing held.")
    r = rows["rows"][0]
    facts = [
        ("Prior victims", len(r.get("victims") or [])),
        ("Convictions", len(r.get("convictions") or [])),
        ("Cautions", len(r.get("cautions") or [])),
        ("Acquittals", len(r.get("acquittals") or [])),
        ("Orders in force", r.get("active_orders") or 0),
        ("Breaches", len(r.get("breaches") or [])),
        ("Forces", ", ".join(r.get("forces") or []) or "none"),
    ]
    return html.Table(
        [html.Tr([html.Th(k), html.Td(str(v))]) for k, v in facts], className="sw-table sw-kv"
    )
