"""The victim chain as a story (i2 theme-line style): a time axis with a mark per victim at her
first date (the gaps between them visible), then one card per victim numbered 1..N in order of
his first offence against her, with first and last date, forces, the gravest offence,
outcomes, orders and an escalation marker. Cards wrap onto as many rows as the chain needs:
never smaller type, whatever N."""

from __future__ import annotations

from datetime import date
from typing import Any

from dash import html


def story(name: str, chain: list[dict[str, Any]]) -> html.Div:
    if not chain:
        return html.Div(f"{name}: no victims recorded.", className="sw-chain")
    days = [_day(v.get("first_date")) for v in chain]
    known = [d for d in days if d]
    head = f"{name}: {len(chain)} victims"
    if known:
        head += (
            f", {min(known).year}–{max(_day(v.get('last_date')) or min(known) for v in chain).year}"
        )
    return html.Div(
        [html.H2(head, className="sw-chain-title"), _axis(chain, days), _cards(chain, days)],
        className="sw-chain",
        id="chain-story",
    )


def _day(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def _axis(chain: list[dict[str, Any]], days: list[date | None]) -> html.Div:
    known = [d for d in days if d]
    if not known:
        return html.Div()
    lo, hi = date(min(known).year, 1, 1), date(max(known).year + 1, 1, 1)
    span = (hi - lo).days or 1
    ticks = [
        html.Span(
            str(y),
            className="sw-axis-year",
            style={"left": f"{(date(y, 1, 1) - lo).days / span:.2%}"},
        )
        for y in range(lo.year, hi.year + 1)
    ]
    marks = [
        html.Span(
            className="sw-axis-mark" + (" sw-escalation-mark" if v.get("escalation") else ""),
            title=f"Victim {v['n']}: {d.isoformat()}",
            style={"left": f"{(d - lo).days / span:.2%}"},
        )
        for v, d in zip(chain, days, strict=True)
        if d
    ]
    return html.Div([html.Div(className="sw-axis-line"), *ticks, *marks], className="sw-axis")


def _gap(before: date | None, now: date | None) -> str:
    if not (before and now):
        return ""
    months = (now.year - before.year) * 12 + now.month - before.month
    years, months = divmod(max(months, 0), 12)
    return "gap " + (f"{years} y " if years else "") + f"{months} m"


def _cards(chain: list[dict[str, Any]], days: list[date | None]) -> html.Ol:
    cards = []
    for k, v in enumerate(chain):
        gap = _gap(days[k - 1], days[k]) if k else "first victim"
        lines = [
            html.Div(
                [html.Span(str(v["n"]), className="sw-chain-n"),
                 html.Span(str(v.get("name") or "Victim"), className="sw-chain-name")],
                className="sw-chain-head",
            ),
            html.Div(
                [html.Span("First ", className="sw-k"), html.Strong(str(v.get("first_date") or "?"),
                 className="sw-chain-first"), html.Span("  last ", className="sw-k"),
                 html.Span(str(v.get("last_date") or "?"))],
            ),
            html.Div(gap, className="sw-chain-gap"),
            html.Div(["Gravest: ", html.Strong(str(v.get("gravest") or "none recorded"))]),
            html.Div(f"{v.get('incidents') or 0} incidents · outcomes: "
                     + (", ".join(sorted({o for o in v.get("outcomes") or [] if o})) or "none")),
            html.Div("Orders: " + (", ".join(v.get("orders") or []) or "none")),
            html.Div("Forces: " + (", ".join(v.get("forces") or []) or "unknown"),
                     className="sw-k"),
        ]  # fmt: skip
        if v.get("escalation"):
            lines.insert(1, html.Div("▲ ESCALATION", className="sw-escalation"))
        cls = "sw-chain-card" + (" sw-escalating" if v.get("escalation") else "")
        cards.append(html.Li(lines, className=cls))
    return html.Ol(cards, className="sw-chain-cards")
