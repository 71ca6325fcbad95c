"""Type a chair can read at the zoom that fits the whole chart.

At the zoom that fits a man with 18-41 victims in the chart panel, 15 px names are drawn at
7-8 px, or hidden. So each person also carries a short label ("V3": her number in his victim
chain, as the chain story and meeting mode number her; initials for anyone else; his own name)
in a type size chosen here, large enough to be drawn at OVERVIEW_PX or more at that zoom (up
to some 45 victims and their circle: see `sized`); the ring layout keeps room for both
labels. assets/overview.js draws the short label while a name would be drawn under
OVERVIEW_PX (the node's `oz`: the zoom under which that is so) and the name again as the
user zooms in. Meeting mode's numbered chart is sized the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from dashboards.components import people_chart as P
from dashboards.components.graph import PAD

OVERVIEW_PX = 16  # least size (screen px) of a label drawn at the zoom that fits the chart
MEETING_PX = 18  # meeting mode's: read from the back of the room on the meeting's screen
# The chart panel on the smallest screen the page is laid out for (1400x900: the browser's
# page less the header, toolbar and side panel); on a larger screen the zoom, and the type,
# are larger. Meeting mode: its chart panel at 1920x1080 (the meeting room's screen).
CHART_VIEW = (1100.0, 740.0)
MEETING_VIEW = (700.0, 640.0)
SHORT_WRAP = 1000  # a short label's text-max-width (model px; assets/cytoscape.json): one line
GROWTH = 1.08  # a margin over the type found to suffice, so that the next pass settles
MAX_SPREAD, FLOOR_ZOOM = 0.5, 0.15  # how far larger type may spread the rings (see `sized`)
# meeting mode's nodes grow with their numbers, so its rings may spread further (above the
# chart's least zoom, 0.05)
MEETING_SPREAD = (0.25, 0.08)
ROOM = (MEETING_PX, MEETING_SPREAD)  # meeting mode's type and spread, for `sized`


def initials(name: str) -> str:
    """'Harry James Reynolds' -> 'HR' (first and last word), for someone not in his chain."""
    words = [w for w in name.replace("-", " ").split() if w[:1].isalpha()]
    if not words:
        return "?"
    return (words[0][0] + (words[-1][0] if len(words) > 1 else "")).upper()


def short(d: dict[str, Any]) -> str:
    """The label a node is drawn with at the zoom that fits a big chart."""
    if d.get("range"):
        return "V{}–{}".format(*d["range"])
    if d.get("kind") == "Group":
        return "Records"
    if d.get("n"):
        return f"V{d['n']}"
    name = str(d.get("name") or d.get("label") or "")
    return name if d.get("subject") else initials(name)


Measure = P.Measure


def fit_zoom(
    drawn: list[dict[str, Any]],
    pos: dict[str, dict[str, float]],
    measure: Measure,
    view: tuple[float, float],
) -> float:
    """The zoom at which cytoscape fits these places (nodes and labels as `measure` sizes them)
    in `view` (px) with the layout's padding."""
    xs: list[float] = []
    ys: list[float] = []
    for e in drawn:
        d = e["data"]
        p = pos.get(d["id"]) if P.is_node(e) else None
        if p is None:
            continue
        w, h, below = measure(d, _size(d), _font(d))
        xs += [p["x"] - w / 2, p["x"] + w / 2]
        ys += [p["y"] + below - h, p["y"] + below]
    if not xs:
        return 1.0
    width, height = max(xs) - min(xs), max(ys) - min(ys)
    return min((view[0] - 2 * PAD) / max(width, 1.0), (view[1] - 2 * PAD) / max(height, 1.0))


def _size(d: dict[str, Any]) -> float:
    return float(d.get("size") or P.ITEM)


def _font(d: dict[str, Any]) -> int:
    return P.SUBJECT_FONT if d.get("subject") else P.HEAD_FONT


def sized(
    drawn: list[dict[str, Any]],
    aspect: float,
    view: tuple[float, float],
    measure_for: Callable[[float], Measure],
    base: float,
    px: float = OVERVIEW_PX,
    spread: tuple[float, float] = (MAX_SPREAD, FLOOR_ZOOM),
) -> tuple[dict[str, dict[str, float]], float]:
    """Places and a type scale s >= 1 such that type of `base` x s, with the ring layout
    keeping room for it (`measure_for(s)`), is drawn at `px` or more at the zoom that fits the
    chart in `view`. Bigger type spreads the rings, so this takes a few passes. It never
    spreads them so far that the chart would be fitted at under `spread[0]` times the zoom it
    had, or under `spread[1]` (nodes would shrink to dots): a chart of hundreds of people
    keeps the largest type found within that, and is read by zooming in."""
    scale = 1.0
    best: tuple[float, dict[str, dict[str, float]], float] | None = None
    floor = spread[1]
    for _ in range(8):
        measure = measure_for(scale)
        pos = P.positions(drawn, aspect, measure)
        zoom = fit_zoom(drawn, pos, measure, view)
        if best is None:
            floor = max(spread[1], zoom * spread[0])
        elif zoom < floor:
            scale = best[2] + (scale - best[2]) / 2  # too far: halfway back
            continue
        shown = base * scale * zoom
        if best is not None and shown < best[0] * 1.02:
            break  # larger type no longer draws larger
        best = (shown, pos, scale)
        if shown >= px:
            break
        scale *= px / shown * GROWTH
    assert best is not None
    return best[1], best[2]


# ---- the chart page ----------------------------------------------------------------------


def chart_page(
    drawn: list[dict[str, Any]], aspect: float, closed: list[dict[str, Any]] | None = None
) -> tuple[list[dict[str, Any]], dict[str, dict[str, float]]]:
    """The chart page's people, each with its short label and its type size (`ofont`, model
    px; the subject's a quarter larger) and the zoom under which it is drawn (`oz`), and the
    ring layout's places keeping room for the short labels as well as the names. With open
    range groups, `closed` is the same chart with them closed: its type and rings are kept
    (an opened range adds its victims beside the rings and moves nothing)."""
    tagged = [_tag(e) for e in drawn]
    if closed is None:
        pos, scale = sized(tagged, aspect, CHART_VIEW, _chart_measure, P.HEAD_FONT)
    else:
        _, scale = sized([_tag(e) for e in closed], aspect, CHART_VIEW, _chart_measure,
                         P.HEAD_FONT)  # fmt: skip
        pos = P.positions(tagged, aspect, _chart_measure(scale))
    out = []
    for e in tagged:
        d = e["data"]
        if "short" in d:
            font = P.HEAD_FONT * scale * (1.25 if d.get("subject") else 1.0)
            e = {**e, "data": {**d, "ofont": round(font, 1), "oz": OVERVIEW_PX / _font(d)}}
        out.append(e)
    return out, pos


def _tag(e: dict[str, Any]) -> dict[str, Any]:
    """A person or closed group with its short label (and whether it is the subject)."""
    d = e["data"]
    heads = (
        d.get("kind") == "Person"
        or d.get("range")
        or (d.get("kind") == "Group" and "closed" in e["classes"])
    )
    if not P.is_node(e) or not heads:
        return e
    d = {**d, "subject": "subject" in e.get("classes", "")}
    return {**e, "data": {**d, "short": short(d)}}


def _chart_measure(scale: float) -> Measure:
    """A node's box on the chart page: its name's box and its short label's (type of
    HEAD_FONT x `scale`), whichever is larger each way."""

    def box(d: dict[str, Any], size: float, font: int) -> tuple[float, float, float]:
        w, h, below = P.node_box(d, size, font)
        if "short" not in d:
            return w, h, below
        f = P.HEAD_FONT * scale * (1.25 if d.get("subject") else 1.0)
        sw, sh = P.label_box(str(d["short"]), int(round(f)), SHORT_WRAP)
        return max(w, size, sw), max(h, size + 4 + sh), max(below, size / 2 + 4 + sh)

    return box


# ---- meeting mode ------------------------------------------------------------------------


def meeting(
    numbered: list[dict[str, Any]], aspect: float
) -> tuple[list[dict[str, Any]], dict[str, dict[str, float]]]:
    """Meeting mode's numbered chart with type sized for the room: the victims' numbers (and
    his name) drawn at MEETING_PX or more at the zoom that fits the chart panel, a victim's
    node growing with her number so that it stays on its face; other people by name, or by
    initials in the same type when their names would be drawn under MEETING_PX (many
    associates around a man with 40 victims); and places keeping room for all of it."""
    base = float(P.MEET_NUMBER)
    pos, scale = sized(numbered, aspect, MEETING_VIEW, _meeting_measure, base, *ROOM)
    zoom = fit_zoom(numbered, pos, _meeting_measure(scale), MEETING_VIEW)
    others = [e for e in numbered if _kinds(e) >= {"named"} and "subject" not in _kinds(e)]
    if others and P.MEET_FONT * zoom < MEETING_PX:
        numbered = [_initialled(e) for e in numbered]
        pos, scale = sized(numbered, aspect, MEETING_VIEW, _meeting_measure, base, *ROOM)
    return [_meeting_sized(e, scale) for e in numbered], pos


def _kinds(e: dict[str, Any]) -> set[str]:
    return set(e.get("classes", "").split())


def _initialled(e: dict[str, Any]) -> dict[str, Any]:
    """Someone other than him or his victims, labelled by initials (full name in `name`)."""
    kinds = _kinds(e)
    if not ("named" in kinds and "subject" not in kinds):
        return e
    d = e["data"]
    return {**e, "data": {**d, "label": _initials_of(d), "initials": True},
            "classes": e["classes"] + " initialled"}  # fmt: skip


def _initials_of(d: dict[str, Any]) -> str:
    """A range of his victims by its numbers (41–80, as meeting mode numbers them), his other
    records as such, anyone else by initials."""
    if d.get("range"):
        return "{}–{}".format(*d["range"])
    if d.get("kind") == "Group":
        return "Records"
    return initials(str(d.get("name") or d.get("label") or ""))


def _meeting_sized(e: dict[str, Any], scale: float) -> dict[str, Any]:
    if not P.is_node(e) or not ({"numbered", "named"} & _kinds(e)):
        return e
    d = e["data"]
    font, size = _meeting_type(d, e["classes"], scale)
    typed = {"font": round(font, 1), "size": round(size, 1)}
    if "named" in _kinds(e):
        typed["wrap"] = round(P.MEET_WRAP * font / P.MEET_FONT)
    return {**e, "data": {**d, **typed}}


def _meeting_type(d: dict[str, Any], classes: str, scale: float) -> tuple[float, float]:
    """Type size and node size of a meeting chart's node at type scale `scale`."""
    size = float(d.get("size") or P.HEAD)
    kinds = set(classes.split())
    if "numbered" in kinds:
        font = P.MEET_NUMBER * scale
        return font, max(size, font * 0.6 * len(str(d.get("label", ""))) + 16, font * 1.6)
    if "subject" in kinds:
        return P.MEET_NUMBER * scale, size
    if "initialled" in kinds:
        return P.MEET_NUMBER * scale, size
    return float(P.MEET_FONT), size


def _meeting_measure(scale: float) -> Measure:
    """A meeting chart node's box (its type as `_meeting_type` sizes it at `scale`)."""

    def box(d: dict[str, Any], size: float, font: int) -> tuple[float, float, float]:
        label = str(d.get("label", ""))
        if label.isdigit():
            _, s = _meeting_type(d, "numbered", scale)
            return s, s, s / 2
        kind = "subject" if size == P.SUBJECT else "initialled" if d.get("initials") else ""
        f, _ = _meeting_type(d, kind, scale)
        lw, lh = P.label_box(label, int(round(f)), int(P.MEET_WRAP * f / P.MEET_FONT))
        return max(size, lw), size + 4 + lh, size / 2 + 4 + lh

    return box
