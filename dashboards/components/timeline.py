"""The Plotly timeline of a subject's incidents, orders, relationships and residences; the
chart's date filter is drawn as the visible window so both views agree."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import plotly.graph_objects as go

COLOURS = {
    "Incident": "#e67e22",
    "Order": "#8e44ad",
    "Relationship": "#e84393",
    "Residence": "#27ae60",
    "Notification": "#16a085",
}


def figure(events: list[dict[str, Any]], years: list[int] | None = None) -> go.Figure:
    fig = go.Figure()
    for kind, colour in COLOURS.items():
        rows = [e for e in events if e["kind"] == kind]
        if not rows:
            continue
        starts = [date.fromisoformat(str(e["start"])[:10]) for e in rows]
        ends = [date.fromisoformat(str(e["end"])[:10]) for e in rows]
        fig.add_trace(
            go.Bar(
                base=[s.isoformat() for s in starts],
                x=[max((b - a).days, 20) * 86_400_000 for a, b in zip(starts, ends, strict=True)],
                # one lane per relationship (overlapping partners stay apart), else per kind
                y=[_lane(e) for e in rows],
                orientation="h",
                marker_color=colour,
                name=kind,
                text=[e["what"] for e in rows],
                textposition="none",  # for the hover only: drawing it on hundreds of bars is slow
                hovertemplate="%{text}<br>%{base|%d %b %Y}<extra></extra>",
            )
        )
    fig.update_layout(
        barmode="overlay",
        height=260,
        margin={"l": 10, "r": 10, "t": 10, "b": 30},
        xaxis={"type": "date"},
        showlegend=False,
        plot_bgcolor="#fafafa",
    )
    if years:
        lo, hi = date(years[0], 1, 1), date(years[1], 12, 31) + timedelta(days=1)
        if events:  # the axis starts and ends with the data when the window is wider
            lo = max(lo, date(int(str(min(e["start"] for e in events))[:4]), 1, 1))
            hi = min(hi, date(int(str(max(e["end"] for e in events))[:4]) + 1, 1, 1))
        fig.update_xaxes(range=[lo.isoformat(), hi.isoformat()])
    lanes = len({_lane(e) for e in events})
    fig.update_layout(height=max(260, 60 + 28 * lanes))
    return fig


def _lane(event: dict[str, Any]) -> str:
    return str(event["what"]) if event["kind"] == "Relationship" else str(event["kind"])
