"""The link chart in the formats analysts open elsewhere: GraphML (Gephi, yEd, networkx) and
i2 Analyst's Notebook Exchange (ANX). Both render a chart that has already been through the door
(`network.export_chart`), so a partner's file holds the redacted chart, never more.

Every node carries its role in the chart (perpetrator, victim) and a position; ANX also carries
an i2 icon type per node type and role, and on each link the date of its dated end (the
incident, order, breach or notification), which i2's timeline reads.
"""

from __future__ import annotations

import io
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any
from xml.etree import ElementTree as ET

import networkx as nx

PERP_EDGES = frozenset({"SUSPECT_IN", "OFFENDER_IN", "SUBJECT_OF"})
PEOPLE = ("Person", "Identity")
RING = 260.0  # distance between the rings of the default layout (i2 chart units)
SPACING = 110.0  # least distance between two nodes on one ring

# i2's standard icon types (the names Analyst's Notebook's standard library gives them): a person
# by role, every other node by its type. An icon name the reader's library lacks is shown with
# its default icon, the type name kept.
PERSON_ICONS = {"perpetrator": "Offender", "victim": "Victim", "": "Person"}
ITEM_ICONS = {
    "Incident": "Incident",
    "Order": "Court Order",
    "Breach": "Warning",
    "Notification": "Document",
    "Address": "Address",
}
ATTRIBUTES = ("label", "role", "hops", "date", "agency_code", "identity_id", "record_keys")


def owner_of(node: Mapping[str, Any]) -> str:
    """The person a people node stands for: an identity, or the identity its record resolves
    into (an unresolved record stands for itself)."""
    if node["label"] == "Identity":
        return str(node["id"])
    return str(node.get("identity_id") or node["id"])


def person_roles(edges: Iterable[Mapping[str, Any]], owner: Mapping[str, str]) -> dict[str, str]:
    """Each person's role in a chart, by owner: perpetrator (suspect, offender, order subject)
    or victim (victim, protected person); a person who is both is shown as perpetrator."""
    edges = list(edges)
    out: dict[str, str] = {}
    for e in edges:
        if e["type"] in PERP_EDGES and e["source"] in owner:
            out[owner[e["source"]]] = "perpetrator"
    for e in edges:
        person = {"VICTIM_IN": e["source"], "PROTECTS": e["target"]}.get(e["type"])
        if person is not None and person in owner and out.get(owner[person]) != "perpetrator":
            out[owner[person]] = "victim"
    return out


def node_roles(data: Mapping[str, Any]) -> dict[str, str]:
    """The role of every people node of a service chart (an identity and its records share
    one); other nodes have none."""
    owner = {n["id"]: owner_of(n) for n in data["nodes"] if n["label"] in PEOPLE}
    by_owner = person_roles(data["edges"], owner)
    return {k: by_owner.get(who, "") for k, who in owner.items()}


def layout(
    data: Mapping[str, Any], given: Mapping[str, Mapping[str, float]] | None = None
) -> dict[str, tuple[float, float]]:
    """A position for every node: the screen's where it has one (`given`, by node id), else
    rings around the subject by hops, nearest inside; a person record sits just below its
    identity, as the explorer folds it into him."""
    identities = {n["id"] for n in data["nodes"] if n["label"] == "Identity"}
    ids = {n["id"] for n in data["nodes"]}
    out = {k: (float(p["x"]), float(p["y"])) for k, p in (given or {}).items() if k in ids}
    below = {
        n["id"]: n["identity_id"]
        for n in data["nodes"]
        if n["label"] == "Person"
        and n.get("identity_id") in identities
        and n["id"] not in out.keys() | identities
    }
    rings: dict[int, list[str]] = defaultdict(list)
    for n in data["nodes"]:
        if n["id"] not in out and n["id"] not in below:
            rings[int(n.get("hops") or 0)].append(n["id"])
    for hops, ring in rings.items():
        ring.sort()
        radius = max(RING * hops, SPACING * len(ring) / (2 * math.pi) if len(ring) > 1 else 0)
        for i, node_id in enumerate(ring):
            angle = 2 * math.pi * i / len(ring)
            out[node_id] = (round(radius * math.cos(angle), 1), round(radius * math.sin(angle), 1))
    count: dict[str, int] = defaultdict(int)
    for record, identity in sorted(below.items()):
        count[identity] += 1
        x, y = out[identity]
        out[record] = (x + 40.0 * (count[identity] - 1), y + 70.0)
    return out


def annotated(
    data: Mapping[str, Any], given: Mapping[str, Mapping[str, float]] | None = None
) -> list[dict[str, Any]]:
    """The chart's nodes, each with its role and position (x, y)."""
    roles = node_roles(data)
    places = layout(data, given)
    return [
        {**n, "role": roles.get(n["id"], ""), "x": places[n["id"]][0], "y": places[n["id"]][1]}
        for n in data["nodes"]
    ]


def _text(v: Any) -> str | int | float | None:
    if v is None or v == []:
        return None
    if isinstance(v, bool):
        return str(v).lower()
    if isinstance(v, int | float | str):
        return v
    if isinstance(v, list | tuple):
        return ";".join(str(x) for x in v)
    return str(v)


def graphml(data: Mapping[str, Any], given: Mapping[str, Mapping[str, float]] | None = None) -> str:
    """GraphML of the chart: a node per chart node with its fields, role and position, an edge
    per chart edge with its type."""
    graph = nx.MultiDiGraph()
    for n in annotated(data, given):
        attrs = {k: _text(v) for k, v in n.items() if k != "id"}
        graph.add_node(n["id"], **{k: v for k, v in attrs.items() if v is not None})
    for e in data["edges"]:
        graph.add_edge(e["source"], e["target"], type=e["type"])
    buf = io.BytesIO()
    nx.write_graphml(graph, buf, encoding="utf-8")
    return buf.getvalue().decode("utf-8")


def icon_type(node: Mapping[str, Any]) -> str:
    """The i2 icon type for a node: people by role, other nodes by type."""
    if node["label"] in PEOPLE:
        return PERSON_ICONS.get(node.get("role") or "", "Person")
    return ITEM_ICONS.get(node["label"], "Document")


def _when(v: Any) -> str | None:
    """An i2 DateTime (xsd:dateTime) for a chart date, else None."""
    if isinstance(v, datetime):
        return v.replace(tzinfo=None).isoformat(timespec="seconds")
    if isinstance(v, date):
        return f"{v.isoformat()}T00:00:00"
    if isinstance(v, str) and len(v) >= 10:
        try:
            return f"{date.fromisoformat(v[:10]).isoformat()}T00:00:00"
        except ValueError:
            return None
    return None


def anx(data: Mapping[str, Any], given: Mapping[str, Mapping[str, float]] | None = None) -> str:
    """i2 ANX of the chart: entity types and link types used, attribute classes, then one
    ChartItem per node (an End holding an Entity with its icon, at its position) and one per
    edge (a Link between the two entities' ids, dated by its dated end)."""
    nodes = annotated(data, given)
    by_id = {n["id"]: n for n in nodes}
    entity_id = {n["id"]: f"E{i}" for i, n in enumerate(nodes, 1)}
    root = ET.Element("Chart", IdReferenceLinking="true", Rigorous="true")
    classes = ET.SubElement(root, "AttributeClassCollection")
    for name in ATTRIBUTES:
        ET.SubElement(classes, "AttributeClass", Name=name, Type="AttText", ShowValue="true")
    link_types = ET.SubElement(root, "LinkTypeCollection")
    for t in sorted({e["type"] for e in data["edges"]}):
        ET.SubElement(link_types, "LinkType", Name=t, Colour="0")
    entity_types = ET.SubElement(root, "EntityTypeCollection")
    for t in sorted({icon_type(n) for n in nodes}):
        ET.SubElement(entity_types, "EntityType", Name=t, IconFile=t)
    items = ET.SubElement(root, "ChartItemCollection")
    for n in nodes:
        item = ET.SubElement(items, "ChartItem", _dated(n.get("date")),
                             Label=str(n.get("caption") or n["id"]),
                             XPosition=str(round(n["x"])))  # fmt: skip
        end = ET.SubElement(item, "End", X=str(round(n["x"])), Y=str(round(n["y"])))
        entity = ET.SubElement(
            end, "Entity", EntityId=entity_id[n["id"]], Identity=str(n["id"]),
            LabelIsIdentity="false",
        )  # fmt: skip
        ET.SubElement(ET.SubElement(entity, "Icon"), "IconStyle", Type=icon_type(n))
        _attributes(item, n)
    for i, e in enumerate(data["edges"], 1):
        a, b = by_id.get(e["source"]), by_id.get(e["target"])
        if a is None or b is None:
            continue
        when = next((d for d in (b.get("date"), a.get("date")) if _when(d)), None)
        item = ET.SubElement(items, "ChartItem", _dated(when), Label=e["type"], Id=f"L{i}")
        link = ET.SubElement(item, "Link", End1Id=entity_id[a["id"]], End2Id=entity_id[b["id"]])
        ET.SubElement(link, "LinkStyle", Type=e["type"], ArrowStyle="ArrowOnHead", Strength="1")
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def _dated(v: Any) -> dict[str, str]:
    when = _when(v)
    if when is None:
        return {"DateSet": "false"}
    return {"DateSet": "true", "DateTime": when, "TimeSet": "false"}


def _attributes(item: ET.Element, node: Mapping[str, Any]) -> None:
    values = [(k, _text(node.get(k))) for k in ATTRIBUTES]
    kept = [(k, v) for k, v in values if v not in (None, "")]
    if kept:
        coll = ET.SubElement(item, "AttributeCollection")
        for k, v in kept:
            ET.SubElement(coll, "Attribute", AttributeClass=k, Value=str(v))
