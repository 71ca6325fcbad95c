"""A small reader of i2 ANX files, independent of the writer: what an i2 import would take from
one (entities with icon, label, attributes and position; links between entity ids, with type
and date), checking the structure on the way."""

from __future__ import annotations

from dataclasses import dataclass, field
from xml.etree import ElementTree as ET


@dataclass
class Anx:
    entities: dict[str, dict[str, object]] = field(default_factory=dict)  # by Identity
    links: list[dict[str, object]] = field(default_factory=list)
    entity_types: set[str] = field(default_factory=set)
    link_types: set[str] = field(default_factory=set)
    attribute_classes: set[str] = field(default_factory=set)


def read_anx(text: str) -> Anx:
    root = ET.fromstring(text.encode("utf-8"))
    assert root.tag == "Chart" and root.get("IdReferenceLinking") == "true"
    out = Anx()
    classes = root.iterfind("AttributeClassCollection/AttributeClass")
    out.attribute_classes = {a.get("Name", "") for a in classes}
    out.entity_types = {t.get("Name", "") for t in root.iterfind("EntityTypeCollection/EntityType")}
    out.link_types = {t.get("Name", "") for t in root.iterfind("LinkTypeCollection/LinkType")}
    by_entity_id: dict[str, str] = {}
    items = root.findall("ChartItemCollection/ChartItem")
    assert items, "no ChartItem"
    for item in items:
        end, link = item.find("End"), item.find("Link")
        assert (end is None) != (link is None), "a ChartItem holds an End or a Link"
        if end is None:
            continue
        entity = end.find("Entity")
        assert entity is not None
        style = entity.find("Icon/IconStyle")
        assert style is not None and style.get("Type") in out.entity_types
        identity, eid = entity.get("Identity", ""), entity.get("EntityId", "")
        assert eid not in by_entity_id, f"EntityId {eid} twice"
        by_entity_id[eid] = identity
        attrs = {
            a.get("AttributeClass", ""): a.get("Value")
            for a in item.iterfind("AttributeCollection/Attribute")
        }
        assert set(attrs) <= out.attribute_classes
        out.entities[identity] = {
            "label": item.get("Label"),
            "icon": style.get("Type"),
            "x": float(item.get("XPosition", "nan")),
            "y": float(end.get("Y", "nan")),
            "date": item.get("DateTime") if item.get("DateSet") == "true" else None,
            "attributes": attrs,
        }
    for item in items:
        link = item.find("Link")
        if link is None:
            continue
        style = link.find("LinkStyle")
        assert style is not None and style.get("Type") in out.link_types
        a, b = link.get("End1Id", ""), link.get("End2Id", "")
        assert a in by_entity_id and b in by_entity_id, "a link's ends name entities of the chart"
        out.links.append(
            {
                "source": by_entity_id[a],
                "target": by_entity_id[b],
                "type": style.get("Type"),
                "date": item.get("DateTime") if item.get("DateSet") == "true" else None,
            }
        )
    return out
