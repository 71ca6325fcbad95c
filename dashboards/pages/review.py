"""Identity-resolution review queue: two records side by side, decide same or not same."""

from __future__ import annotations

from typing import Any

import dash
from dash import ALL, Input, Output, State, dcc, html

from app.services import review
from app.services.door import Access
from dashboards.components.session import STORE, guarded

dash.register_page(__name__, path="/review", title="Review queue · serialwatch", order=6)
FIELDS = ("person_key", "agency_code", "forename", "surname", "date_of_birth", "pnc_id")

layout = html.Div(
    [
        html.H2("Identity review queue"),
        html.P(
            "Pairs of records the matcher was unsure about: records it could not place "
            "between two people first, then the most likely. Decide whether they are the "
            "same person; your decision wins on every later run.",
            className="sw-note",
        ),
        html.Div(id="review-note"),
        dcc.Loading(html.Div(id="review-list")),
    ]
)


def _pair(p: dict[str, Any]) -> html.Div:
    left, right = p.get("left") or {}, p.get("right") or {}
    rows = [
        html.Tr([html.Th(f), html.Td(str(left.get(f) or "—")), html.Td(str(right.get(f) or "—"))])
        for f in FIELDS
    ]
    pid = p["pair_id"]
    return html.Div(
        [
            html.Strong(f"Match probability {float(p.get('probability') or 0):.2f}"),
            *_ambiguous(p),
            html.Table(rows, className="sw-table"),
            _explanations(p),
            html.Button("Same person", id={"type": "review-same", "pair": pid}),
            html.Button("Not the same", id={"type": "review-diff", "pair": pid}),
        ],
        className="sw-card",
    )


def _ambiguous(p: dict[str, Any]) -> list[Any]:
    if p.get("reason") != "ambiguous":
        return []
    return [
        html.P(
            f"Record {p.get('ambiguous_record')} matches this person and "
            f"{len(p.get('alternatives') or [])} other(s) about equally well; it was left on "
            "its own until someone decides.",
            className="sw-note",
        )
    ]


def _explanations(p: dict[str, Any]) -> html.Table:
    """This pair's explanation beside each alternative candidate's, one column each."""
    columns = [("this pair", p.get("explanation") or [])] + [
        (f"vs {(a.get('candidate') or {}).get('person_key', '')}", a.get("explanation") or [])
        for a in p.get("alternatives") or []
    ]
    depth = max((len(lines) for _, lines in columns), default=0)
    rows = [html.Tr([html.Th(title) for title, _ in columns])]
    rows += [
        html.Tr([html.Td(lines[i] if i < len(lines) else "") for _, lines in columns])
        for i in range(depth)
    ]
    return html.Table(rows, className="sw-table")


def listing(a: Access) -> Any:
    pairs = review.pending(a, limit=20)
    if not pairs:
        return html.P("Nothing awaits review.")
    return [_pair(p) for p in pairs]


@dash.callback(Output("review-list", "children"), Input(STORE, "data"))
def show(session: Any) -> Any:
    return guarded(session, listing)


@dash.callback(
    Output("review-note", "children"),
    Output("review-list", "children", allow_duplicate=True),
    Input({"type": "review-same", "pair": ALL}, "n_clicks"),
    Input({"type": "review-diff", "pair": ALL}, "n_clicks"),
    State(STORE, "data"),
    prevent_initial_call=True,
)
def decide(_s: list[Any], _d: list[Any], session: Any) -> tuple[Any, Any]:
    trig = dash.ctx.triggered_id
    if not trig or not any(t["value"] for t in dash.ctx.triggered):
        return dash.no_update, dash.no_update
    decision = "same" if trig["type"] == "review-same" else "not_same"
    note = guarded(
        session,
        lambda a: (
            review.decide(a, trig["pair"], decision) and f"Recorded: {decision.replace('_', ' ')}"
        ),
    )
    return note, guarded(session, listing)
