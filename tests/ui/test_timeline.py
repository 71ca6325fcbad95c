"""The chart page's timeline: overlapping relationships in lanes of their own, and an axis
that starts and ends with the data when the years filter is wider."""

from __future__ import annotations

from dashboards.components.timeline import figure


def test_lanes_and_axis() -> None:
    events = [
        {"kind": "Relationship", "what": "INTIMATE PARTNER: Victim 1", "start": "2012-03-01",
         "end": "2015-01-01"},
        {"kind": "Relationship", "what": "INTIMATE PARTNER: Victim 2", "start": "2013-06-01",
         "end": "2016-01-01"},
        {"kind": "Incident", "what": "Threats to kill (suspect)", "start": "2014-02-02",
         "end": "2014-02-02"},
    ]  # fmt: skip
    fig = figure(events, [1995, 2026])
    lanes = {y for trace in fig.data for y in trace.y}
    assert lanes == {"INTIMATE PARTNER: Victim 1", "INTIMATE PARTNER: Victim 2", "Incident"}
    assert fig.layout.xaxis.range == ("2012-01-01", "2017-01-01")
    narrow = figure(events, [2014, 2014])  # a narrower filter still wins
    assert narrow.layout.xaxis.range == ("2014-01-01", "2015-01-01")
