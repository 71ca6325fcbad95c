"""Type sized for the zoom that fits a chart (no browser needed): on random people charts,
the chart page's short labels and meeting mode's numbers come out large enough at the zoom
that fits the chart in its panel, and the ring layout keeps every node's box (name, short
label, number) apart. The browser tests measure the same on screen."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from dashboards.components import overview as O
from dashboards.components import people_chart as P


def test_initials() -> None:
    assert O.initials("Harry James Reynolds") == "HR"
    assert O.initials("sharon o-neill") == "SN"
    assert O.initials("Victim 3") == "V"
    assert O.initials("") == "?"


def _chart(victims: int, others: list[int]) -> list[dict[str, Any]]:
    """Him, `victims` closed victim groups (numbered 1..n) and other people whose names are
    `others` characters long, as people_chart.view draws them."""
    out = [{"data": {"id": "him", "kind": "Person", "name": "Subject Man", "size": P.SUBJECT,
                     "label": "Subject Man"}, "classes": "Person perpetrator subject"}]  # fmt: skip
    for v in range(1, victims + 1):
        name = f"Victim Number{v:02d} Synthetic"
        out.append({"data": {"id": f"v{v}", "kind": "Person", "name": name, "n": v,
                             "label": f"{name}\n2012–2019", "first": f"{2000 + v}",
                             "size": P.HEAD}, "classes": "Person victim closed"})  # fmt: skip
    for k, length in enumerate(others):
        name = ("Other " + "x" * length)[: max(length, 3)]
        out.append({"data": {"id": f"o{k}", "kind": "Person", "name": name, "label": name,
                             "size": P.HEAD}, "classes": "Person"})  # fmt: skip
    return out


def _apart(drawn: list[dict[str, Any]], pos: dict[str, Any], measure: O.Measure) -> bool:
    rects = []
    for e in drawn:
        d = e["data"]
        w, h, below = measure(d, P.SUBJECT if "subject" in e["classes"] else P.HEAD, 15)
        p = pos[d["id"]]
        rects.append((p["x"] - w / 2, p["y"] + below - h, p["x"] + w / 2, p["y"] + below))
    return not any(
        a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]
        for i, a in enumerate(rects)
        for b in rects[i + 1 :]
    )


CHARTS = st.tuples(
    st.integers(1, 45), st.lists(st.integers(2, 30), max_size=15)
)  # fmt: skip


@settings(max_examples=25, deadline=None)
@given(chart=CHARTS)
def test_chart_page_short_labels_are_large_at_fit(chart: tuple[int, list[int]]) -> None:
    victims, others = chart
    out, pos = O.chart_page(_chart(victims, others), aspect=1.9)
    heads = [e for e in out if "short" in e["data"]]
    assert len(heads) == len(out)
    assert {e["data"]["short"] for e in heads if e["data"].get("n")} == {
        f"V{v}" for v in range(1, victims + 1)
    }
    scale = next(e["data"]["ofont"] for e in heads if not e["data"]["subject"]) / P.HEAD_FONT
    measure = O._chart_measure(scale)
    assert _apart(out, pos, measure)
    zoom = O.fit_zoom(out, pos, measure, O.CHART_VIEW)
    assert all(e["data"]["ofont"] * zoom >= O.OVERVIEW_PX for e in heads)


@settings(max_examples=25, deadline=None)
@given(chart=CHARTS)
def test_meeting_numbers_are_large_at_fit(chart: tuple[int, list[int]]) -> None:
    victims, others = chart
    chain = [{"identity_id": f"v{v}", "n": v} for v in range(1, victims + 1)]
    out, pos = O.meeting(P.numbered(_chart(victims, others), chain), aspect=1.2)
    numbers = [e for e in out if "numbered" in e["classes"]]
    assert sorted(int(e["data"]["label"]) for e in numbers) == list(range(1, victims + 1))
    scale = numbers[0]["data"]["font"] / P.MEET_NUMBER
    measure = O._meeting_measure(scale)
    assert _apart(out, pos, measure)
    zoom = O.fit_zoom(out, pos, measure, O.MEETING_VIEW)
    assert all(e["data"]["font"] * zoom >= O.OVERVIEW_PX for e in numbers)
    named = [e for e in out if "named" in e["classes"] and "subject" not in e["classes"]]
    assert all(
        e["data"]["font"] * zoom >= O.OVERVIEW_PX or e["data"]["label"] == e["data"]["name"]
        for e in named
    )
