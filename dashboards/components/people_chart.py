"""The link chart's elements: people (one node per identity) and the groups of what happened
between them, closed (her node with a count badge) or open (a compound node holding her and her
incidents, orders and breaches), placed around the subject by a deterministic ring layout whose
labels cannot overlap (boxes are measured before placing, the ring grows until they fit)."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from dashboards.components import fold as F
from dashboards.components.icons import icon

HEAD, ITEM, SUBJECT = 56, 30, 76  # node sizes (px at zoom 1)
HEAD_FONT, ITEM_FONT, SUBJECT_FONT = 15, 11, 18
WRAP = 180  # text-max-width of people's labels (px)
GAP = 14  # least space between two boxes


def elements(
    data: dict[str, Any],
    subject: str | None,
    known: dict[str, str] | None = None,
    numbers: dict[str, int] | None = None,
) -> list[dict[str, Any]]:
    """Every element of a folded service chart (closed or open, groups are applied by `view`);
    `known` roles as in `fold.fold`; `numbers`: his victims' numbers in his chain (`n`)."""
    f = F.fold(data, subject, known)
    numbers = numbers or {}
    per_group = F.counts(f["items"])
    dates: dict[str, list[str]] = {}
    for it in f["items"]:
        if it["date"]:
            dates.setdefault(it["group"], []).append(str(it["date"])[:10])
    els: list[dict[str, Any]] = []
    for p in f["people"]:
        g = F.group_of(p["id"])
        span = sorted(dates.get(g, []))
        is_subject = p["id"] == f["subject"]
        els.append(
            {
                "data": {
                    "id": p["id"],
                    "kind": "Person",
                    "name": p["name"],
                    "caption": p["name"],
                    "role": p["role"],
                    "records": p["records"],
                    "agencies": p["agencies"],
                    "group": None if is_subject else g,
                    "count": 0 if is_subject else sum(per_group.get(g, {}).values()),
                    "summary": F.summary(per_group.get(g, {})),
                    "first": span[0] if span else None,
                    "last": span[-1] if span else None,
                    "size": SUBJECT if is_subject else HEAD,
                    **({"n": numbers[p["id"]]} if p["id"] in numbers else {}),
                },
                "classes": " ".join(
                    c for c in ("Person", p["role"], "subject" if is_subject else "") if c
                ),
            }
        )
    for it in f["items"]:
        day = str(it["date"])[:10] if it["date"] else ""
        els.append(
            {
                "data": {
                    **{k: v for k, v in it.items() if v is not None},
                    "label": f"{it['caption']}\n{day}" if day else str(it["caption"]),
                    "icon": icon(it["kind"]),
                    "size": ITEM,
                },
                "classes": f"{it['kind']} item",
            }
        )
    for e in f["links"]:
        kind = F.strongest(e["types"])
        els.append(
            {
                "data": {
                    "id": f"{e['source']}|{e['target']}",
                    "source": e["source"],
                    "target": e["target"],
                    "types": e["types"],
                    "type": kind,
                    "label": ", ".join(t.replace("_", " ").lower() for t in e["types"]),
                },
                "classes": kind,
            }
        )
    return els


def is_node(e: dict[str, Any]) -> bool:
    return "source" not in e["data"]


# A man with more victims than a chart can label at the zoom that fits it (about 45: see
# overview.py) opens with his first KEEP victims drawn and the later ones folded, RANGE at a
# time in his chain's order, into range groups ("Victims 41-80", a count badge) that open
# on tap, as combos in KeyLines.
FOLD_OVER, KEEP, RANGE = 45, 40, 40
OPEN_RANGES, OPEN_ALL = "*ranges", "*all"  # `opened` words: every range; every group too
OPEN_WORDS = {"ranges": OPEN_RANGES, "all": OPEN_ALL}  # the chart page's ?open=


def ranges(els: list[dict[str, Any]]) -> dict[str, list[str]]:
    """His victims beyond the first KEEP, RANGE at a time in chain order, by range group id
    ("rng:41-80"); none when he has FOLD_OVER victims or fewer."""
    victims = sorted(
        (e["data"] for e in els if is_node(e) and e["data"]["kind"] == "Person"
         and e["data"].get("role") == "victim" and "subject" not in e.get("classes", "")),
        key=lambda d: (d.get("n") or math.inf, str(d.get("first") or "9999"), str(d["id"])),
    )  # fmt: skip
    if len(victims) <= FOLD_OVER:
        return {}
    out = {}
    for start in range(KEEP, len(victims), RANGE):
        chunk = victims[start : start + RANGE]
        out[f"rng:{start + 1}-{start + len(chunk)}"] = [d["id"] for d in chunk]
    return out


def opened_ids(els: list[dict[str, Any]], opened: list[str] | None) -> list[str]:
    """The group ids `opened` names (OPEN_RANGES, OPEN_ALL spelt out)."""
    words = set(opened or [])
    out = [g for g in opened or [] if g not in (OPEN_RANGES, OPEN_ALL)]
    if words & {OPEN_RANGES, OPEN_ALL}:
        out += list(ranges(els))
    if OPEN_ALL in words:
        out += sorted({e["data"]["group"] for e in els if is_node(e)
                       and e["data"]["kind"] != "Person" and e["data"].get("group")})  # fmt: skip
    return list(dict.fromkeys(out))


def view(els: list[dict[str, Any]], opened: list[str] | None) -> list[dict[str, Any]]:
    """What is drawn: items of closed groups folded into their person (or into the subject's own
    group node), one line per pair of nodes, open groups as compound nodes; his later victims
    folded into range groups (`ranges`), each drawn closed, or open holding them."""
    in_order = opened_ids(els, opened)
    opened_set = set(in_order)
    folded = ranges(els)
    in_range = {v: g for g, vs in folded.items() for v in vs}
    hidden = {v for v, g in in_range.items() if g not in opened_set}
    people = {e["data"]["id"]: e for e in els if is_node(e) and e["data"]["kind"] == "Person"}
    items = [e for e in els if is_node(e) and e["data"]["kind"] != "Person"]
    rep: dict[str, str] = {}
    out: list[dict[str, Any]] = []
    groups: dict[str, list[dict[str, Any]]] = {}
    for it in items:
        groups.setdefault(it["data"]["group"], []).append(it)
    for g, members in sorted(groups.items()):
        head = people.get(g[len("grp:") :])
        if head is None and g != F.OWN:
            continue  # her node was removed: what happened with her goes with it
        if g in opened_set and (head is None or head["data"]["id"] not in hidden):
            box = _compound(g, head, members)
            if head is not None and head["data"]["id"] in in_range:
                box["data"]["parent"] = in_range[head["data"]["id"]]
            out.append(box)
            out += [{**m, "data": {**m["data"], "parent": g}} for m in members]
        else:
            for m in members:
                rep[m["data"]["id"]] = head["data"]["id"] if head else g
            if head is None:
                out.append(_own_group(g, members))
    # open ranges in the order they were opened: each is placed beside the ones before it
    for g in sorted(folded, key=lambda g: in_order.index(g) if g in opened_set else -1):
        out.append(_range(g, [people[v]["data"] for v in folded[g]], g in opened_set))
    for p in people.values():
        d = p["data"]
        if d["id"] in hidden:
            continue
        g = d.get("group")
        closed = bool(d.get("count")) and g not in opened_set
        label = d["name"] + (f"\n{_span(d)}" if closed and d.get("first") else "")
        extra = {"label": label, "icon": icon("person", d["count"] if closed else 0)}
        if g in opened_set and g in groups:
            extra["parent"] = g
        elif d["id"] in in_range:
            extra["parent"] = in_range[d["id"]]
        out.append({**p, "data": {**d, **extra}, "classes": p.get("classes", "") + _shut(closed)})
    rep = {k: in_range[v] if v in hidden else v for k, v in rep.items()}
    rep.update({v: in_range[v] for v in hidden})
    here = {e["data"]["id"] for e in out}
    return out + [e for e in _links(els, rep) if {e["data"]["source"], e["data"]["target"]} <= here]


def _range(g: str, members: list[dict[str, Any]], is_open: bool) -> dict[str, Any]:
    """A range group of his victims: closed, a node with a count badge; open, the compound
    node holding them. Either way the same label, so that it keeps its place on the ring."""
    first, last = g[len("rng:") :].split("-")
    days = sorted(str(d[k]) for d in members for k in ("first", "last") if d.get(k))
    span = {"first": days[0], "last": days[-1]} if days else {}
    name = f"Victims {first}–{last}"
    data: dict[str, Any] = {
        "id": g,
        "kind": "Group",
        "name": name,
        "label": name + (f"\n{_span(span)}" if span else ""),
        "summary": f"{len(members)} victims, {first} to {last} in his chain",
        "group": g,
        "range": [int(first), int(last)],
        "count": 0 if is_open else len(members),
        "size": HEAD,
        **span,
    }
    if not is_open:
        data["icon"] = icon("Group", len(members))
    return {"data": data, "classes": "Group range " + ("open" if is_open else "closed")}


def _shut(closed: bool) -> str:
    return " closed" if closed else ""


def _span(d: dict[str, Any]) -> str:
    first, last = str(d["first"]), str(d.get("last") or d["first"])
    return first if first[:4] == last[:4] else f"{first[:4]}–{last[:4]}"


def _compound(g: str, head: dict[str, Any] | None, members: list[dict[str, Any]]) -> dict:
    who = head["data"]["name"] if head else "His other records"
    kinds = {m["data"]["kind"]: 0 for m in members}
    for m in members:
        kinds[m["data"]["kind"]] += 1
    return {
        "data": {"id": g, "kind": "Group", "label": f"{who}: {F.summary(kinds)}", "group": g},
        "classes": "Group open",
    }


def _own_group(g: str, members: list[dict[str, Any]]) -> dict[str, Any]:
    kinds: dict[str, int] = {}
    for m in members:
        kinds[m["data"]["kind"]] = kinds.get(m["data"]["kind"], 0) + 1
    return {
        "data": {
            "id": g,
            "kind": "Group",
            "name": "His other records",
            "label": "His other records",
            "summary": F.summary(kinds),
            "group": g,
            "count": len(members),
            "icon": icon("Group", len(members)),
            "size": HEAD,
        },
        "classes": "Group closed",
    }


def _links(els: list[dict[str, Any]], rep: dict[str, str]) -> list[dict[str, Any]]:
    merged: dict[tuple[str, str], set[str]] = {}
    for e in els:
        if is_node(e):
            continue
        d = e["data"]
        a, b = rep.get(d["source"], d["source"]), rep.get(d["target"], d["target"])
        if a == b:
            continue
        key = (a, b) if (b, a) not in merged else (b, a)
        merged.setdefault(key, set()).update(d.get("types") or [d.get("type", "")])
    return [
        {
            "data": {
                "id": f"{a}|{b}",
                "source": a,
                "target": b,
                "types": sorted(t),
                "type": F.strongest(t),
                "label": ", ".join(x.replace("_", " ").lower() for x in sorted(t)),
            },
            "classes": F.strongest(t),
        }
        for (a, b), t in merged.items()
    ]


# ---- the ring layout -------------------------------------------------------------------


def label_box(label: str, font: int, wrap: int) -> tuple[float, float]:
    """A generous estimate of a label's drawn size (cytoscape wraps at `wrap` px)."""
    lines: list[int] = []
    per_line = max(1, int(wrap / (font * 0.6)))
    for line in label.split("\n"):
        n = len(line)
        while n > per_line:
            lines.append(per_line)
            n -= per_line
        lines.append(n)
    width = min(wrap, max(lines) * font * 0.6) if lines else 0
    return width, len(lines) * font * 1.25


def node_box(d: dict[str, Any], size: float, font: int) -> tuple[float, float, float]:
    """Width, height of node and label together, and how far the label hangs below centre."""
    lw, lh = label_box(str(d.get("label", "")), font, WRAP)
    return max(size, lw), size + 4 + lh, size / 2 + 4 + lh


Measure = Callable[[dict[str, Any], float, int], tuple[float, float, float]]


def positions(
    drawn: list[dict[str, Any]], aspect: float = 1.9, measure: Measure | None = None
) -> dict[str, dict[str, float]]:
    """Subject in the middle; the other people and closed groups on rings around him, victims
    in order of their first date, clockwise from the top; an open group's items beside its
    person, away from the middle. The rings are `aspect` times wider than tall (the screen's
    shape). Same elements, same places. `measure` sizes a node with its label (another
    medium's type, e.g. the PDF pack's points); the screen's estimate by default."""
    box = measure or node_box
    nodes = {e["data"]["id"]: e for e in drawn if is_node(e)}
    subject = next((k for k, e in nodes.items() if "subject" in e.get("classes", "")), None)
    within = {k: _range_of(k, nodes) for k in nodes}
    heads = sorted(
        (e for k, e in nodes.items() if k != subject and e["data"]["kind"] in ("Person", "Group")
         and not within[k] and (e["data"]["kind"] == "Person"
                                or {"closed", "range"} & set(e.get("classes", "").split()))),
        key=_ring_order,
    )  # fmt: skip
    boxes = [box(h["data"], HEAD, HEAD_FONT) for h in heads]
    centre = box(nodes[subject]["data"], SUBJECT, SUBJECT_FONT) if subject else (0, 0, 0)
    places = _ring(boxes, centre, aspect)
    pos = {h["data"]["id"]: p for h, p in zip(heads, places, strict=True)}
    if subject:
        pos[subject] = {"x": 0.0, "y": 0.0}
    for k, e in nodes.items():
        parent = e["data"].get("parent")
        if k not in pos and parent and e["data"]["kind"] != "Person":
            pos[k] = {"x": 0.0, "y": 0.0}  # placed below with its group
    extent = _extent([_rect(p, b) for p, b in zip(places, boxes, strict=True)]
                     + [_rect({"x": 0.0, "y": 0.0}, centre)])  # fmt: skip
    for g in [k for k in nodes if k in set(within.values())]:  # in the order they were opened
        extent = _place_range(g, [k for k, r in within.items() if r == g], nodes, pos, box,
                              (aspect, extent))  # fmt: skip
    for g in {e["data"].get("parent") for e in nodes.values() if e["data"].get("parent")}:
        if not g.startswith("rng:"):
            _place_group(g, nodes, pos)
    return pos


def _range_of(k: str, nodes: dict[str, Any]) -> str | None:
    """The open range group a node is drawn in (through her own open group), if any."""
    parent = nodes[k]["data"].get("parent")
    while parent:
        if parent.startswith("rng:"):
            return str(parent)
        parent = nodes[parent]["data"].get("parent") if parent in nodes else None
    return None


def _extent(rects: list[tuple[float, ...]]) -> tuple[float, float, float, float]:
    return (min(r[0] for r in rects), min(r[1] for r in rects),
            max(r[2] for r in rects), max(r[3] for r in rects))  # fmt: skip


def _place_range(
    g: str,
    inside: list[str],
    nodes: dict[str, Any],
    pos: dict[str, dict[str, float]],
    box: Measure,
    where: tuple[float, tuple[float, float, float, float]],
) -> tuple[float, float, float, float]:
    """An open range group's victims in a grid, in chain order, outside everything placed so
    far (`where`: the rings' aspect and that extent), on the side of the ring its node sits
    on: nothing the user has seen moves. Answers the extent with the grid."""
    aspect, (x0, y0, x1, y1) = where
    people = sorted((k for k in inside if nodes[k]["data"]["kind"] == "Person"),
                    key=lambda k: (nodes[k]["data"].get("n") or math.inf, k))  # fmt: skip
    if not people:
        return x0, y0, x1, y1
    sizes = [box(nodes[k]["data"], HEAD, HEAD_FONT) for k in people]
    cw = max(w for w, _, _ in sizes) + 2 * GAP
    ch = max(h for _, h, _ in sizes) + 2 * GAP + 60  # room for her open group's items
    cols = math.ceil(math.sqrt(len(people) * (1 if aspect < 1.5 else 1.5)))
    width, height = cols * cw, math.ceil(len(people) / cols) * ch
    a = pos.get(g, {"x": 0.0, "y": 0.0})
    if abs(a["x"]) / aspect >= abs(a["y"]):  # beside the rings, level with its node
        left = x1 + 3 * GAP if a["x"] >= 0 else x0 - 3 * GAP - width
        top = a["y"] - height / 2
    else:  # above or below them
        left = a["x"] - width / 2
        top = y1 + 3 * GAP if a["y"] >= 0 else y0 - 3 * GAP - height
    for i, k in enumerate(people):
        row, col = divmod(i, cols)
        pos[k] = {"x": left + (col + 0.5) * cw, "y": top + row * ch + sizes[i][1] - sizes[i][2]}
    return min(x0, left), min(y0, top), max(x1, left + width), max(y1, top + height)


def _ring_order(e: dict[str, Any]) -> tuple[int, str, str]:
    d = e["data"]
    role = "victim" if d.get("range") else d.get("role") or ""
    rank = {"victim": 0, "perpetrator": 1}.get(role, 2 if d["kind"] == "Person" else 3)
    return rank, str(d.get("first") or "9999"), str(d["id"])


def _ring(
    boxes: list[tuple[float, float, float]],
    centre: tuple[float, float, float],
    aspect: float = 1.9,
) -> list[dict[str, float]]:
    """Places on ellipses (wider than tall, as the screen is), the smallest found (doubling,
    then halving the interval) at which no two boxes, and no box and the centre's, come closer
    than GAP. At most 24 on a ring; further rings outside."""
    n = len(boxes)
    if not n:
        return []
    rings = math.ceil(n / 24)

    def places(scale: float) -> list[dict[str, float]]:
        out = []
        for i in range(n):
            ring, k = i % rings, i // rings
            on_ring = len(range(ring, n, rings))
            t = -math.pi / 2 + 2 * math.pi * (k + 0.5 * (ring % 2)) / on_ring
            r = scale * (1 + 0.55 * ring)
            out.append({"x": aspect * r * math.cos(t), "y": r * math.sin(t)})
        return out

    low, high = 0.0, 150.0
    while not _apart(places(high), boxes, centre):
        low, high = high, high * 2
    for _ in range(14):
        mid = (low + high) / 2
        low, high = (low, mid) if _apart(places(mid), boxes, centre) else (mid, high)
    return places(high)


def _rect(p: dict[str, float], box: tuple[float, float, float]) -> tuple[float, ...]:
    w, h, below = box
    return (
        p["x"] - w / 2 - GAP / 2,
        p["y"] + below - h - GAP / 2,
        p["x"] + w / 2 + GAP / 2,
        p["y"] + below + GAP / 2,
    )


def _overlap(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _apart(
    places: list[dict[str, float]],
    boxes: list[tuple[float, float, float]],
    centre: tuple[float, float, float],
) -> bool:
    """No two of the boxes (nor one and the centre's) overlap: a sweep along x, so that a
    chart of hundreds of people is checked in a few milliseconds."""
    rects = [_rect(p, b) for p, b in zip(places, boxes, strict=True)]
    rects.append(_rect({"x": 0.0, "y": 0.0}, centre))
    rects.sort()
    for i, a in enumerate(rects):
        for b in rects[i + 1 :]:
            if b[0] >= a[2]:
                break
            if _overlap(a, b):
                return False
    return True


def _place_group(g: str, nodes: dict[str, Any], pos: dict[str, dict[str, float]]) -> None:
    """An open group's items in a small grid beside its person, on the side away from the
    middle (the person stays where the user saw her)."""
    head = next((k for k, e in nodes.items() if e["data"].get("parent") == g
                 and e["data"]["kind"] == "Person"), None)  # fmt: skip
    anchor = pos.get(head) if head else pos.get(g)
    if anchor is None:
        anchor = {"x": 0.0, "y": 0.0}
        if head:
            pos[head] = anchor
    members = sorted(
        (k for k, e in nodes.items() if e["data"].get("parent") == g and k != head),
        key=lambda k: (str(nodes[k]["data"].get("date") or ""), k),
    )
    dist = math.hypot(anchor["x"], anchor["y"]) or 1.0
    ux, uy = anchor["x"] / dist, anchor["y"] / dist
    if dist < 1.0:
        ux, uy = 0.0, 1.0
    # a narrow band along the ray from the middle: ring neighbours sit across it, not along it
    cols = 1 if len(members) <= 4 else 2
    for i, k in enumerate(members):
        row, col = divmod(i, cols)
        along = 110.0 + 85.0 * row
        side = (col - (cols - 1) / 2) * 150.0
        pos[k] = {
            "x": anchor["x"] + ux * along - uy * side,
            "y": anchor["y"] + uy * along + ux * side,
        }


# Meeting mode reads the chart from across a room: each of his victims is drawn as her number
# in the chain story beside it (as the i2 theme lines number them), everyone else by name, in
# type sized (overview.meeting) to be drawn large at the zoom that fits the chart to its panel.
MEET_FONT, MEET_WRAP, MEET_NUMBER = 22, 220, 28


def numbered(drawn: list[dict[str, Any]], chain: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The drawn chart for meeting mode: a victim of `chain` labelled with her number (no icon:
    the number is the node's face), other people and groups by name alone."""
    number = {str(v.get("identity_id")): v["n"] for v in chain if v.get("identity_id")}
    out = []
    for e in drawn:
        d = e["data"]
        if not is_node(e) or d["kind"] not in ("Person", "Group"):
            out.append(e)
        elif d["id"] in number:
            face = {k: v for k, v in d.items() if k != "icon"}
            face["label"] = str(number[d["id"]])
            out.append({**e, "data": face, "classes": e.get("classes", "") + " numbered"})
        else:
            name = str(d.get("name") or d.get("label") or "")
            out.append(
                {**e, "data": {**d, "label": name}, "classes": e.get("classes", "") + " named"}
            )
    return out
