"""The link chart's pieces: service nodes and edges as cytoscape elements (with the role a
person plays, so perpetrators and victims look different), the stylesheet kept as data in
assets/, the legend, the layouts on offer and the victim-chain layout."""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any

import dash_cytoscape as cyto
from dash import html

from dashboards.components import people_chart

PERP_EDGES = {"SUSPECT_IN", "OFFENDER_IN", "SUBJECT_OF"}
VICTIM_EDGES = {"VICTIM_IN", "PROTECTS"}
NODE_TYPES = ["Identity", "Person", "Incident", "Order", "Breach", "Notification", "Address"]
REL_TYPES = [
    "RESOLVES_TO",
    "SUSPECT_IN",
    "OFFENDER_IN",
    "VICTIM_IN",
    "WITNESS_IN",
    "RESIDED_AT",
    "SUBJECT_OF",
    "PROTECTS",
    "BREACH_OF",
    "NOTIFIED",
    "INTIMATE_PARTNER",
    "EX_PARTNER",
    "FAMILY",
    "ASSOCIATE",
    "OCCURRED_AT",
]
ORDER_TYPES = ["DVPN", "DVPO", "DAPN", "DAPO", "SPO", "ISPO", "RO", "NMO", "CBO", "VOO"]
LAYOUTS = {
    "people": "People around the subject",
    "fcose": "Organic (fcose)",
    "cose-bilkent": "Organic (cose-bilkent)",
    "dagre": "Chain (dagre)",
    "breadthfirst": "Tree from subject",
    "concentric": "Concentric",
    "victim-chain": "Victim chain (in order)",
}
# Okabe-Ito colours (safe for colour-blind readers), each type with its own shape as well
LEGEND = [
    ("Perpetrator", "#D55E00", "◆"),
    ("Victim", "#0072B2", "●"),
    ("Other person", "#999999", "●"),
    ("Group (count: records inside)", "#666666", "▣"),
    ("Incident", "#E69F00", "▲"),
    ("Order", "#CC79A7", "■"),
    ("Breach", "#000000", "★"),
    ("Notification", "#009E73", "◣"),
    ("Address", "#56B4E9", "⬢"),
]
BASE_SIZE = 30
# Above these sizes a chart gets what keeps 2,000 elements usable: edge labels only on demand
# (selected, highlighted, on a path), one-line node labels, and the organic layouts' draft
# quality (bench/ui.py: wrapping labels and the spring embedder were most of the browser's time).
FULL_LABELS_UP_TO = 300
DRAFT_ABOVE_NODES = 250

cyto.load_extra_layouts()


@lru_cache(maxsize=1)
def stylesheet() -> list[dict[str, Any]]:
    text = resources.files("dashboards").joinpath("assets/cytoscape.json").read_text("utf-8")
    sheet: list[dict[str, Any]] = json.loads(text)
    return sheet


def roles(data: dict[str, Any]) -> dict[str, str]:
    """Each person's role in this chart: perpetrator (suspect, offender, order subject) or
    victim (victim, protected person); a person who is both is shown as perpetrator."""
    out: dict[str, str] = {}
    for e in data.get("edges", []):
        if e["type"] in PERP_EDGES:
            out[e["source"]] = "perpetrator"
    for e in data.get("edges", []):
        person = {"VICTIM_IN": e["source"], "PROTECTS": e["target"]}.get(e["type"])
        if person and out.get(person) != "perpetrator":
            out[person] = "victim"
    return out


def elements(data: dict[str, Any], subject: str | None = None) -> list[dict[str, Any]]:
    """Cytoscape elements for a service chart (`network.neighbourhood` output)."""
    role = roles(data)
    ident_role = {}
    for n in data.get("nodes", []):
        if n["label"] == "Person" and n.get("identity_id") and n["id"] in role:
            ident_role[n["identity_id"]] = role[n["id"]]
    full = len(data.get("nodes", [])) + len(data.get("edges", [])) <= FULL_LABELS_UP_TO
    els: list[dict[str, Any]] = []
    for n in data.get("nodes", []):
        r = role.get(n["id"]) or ident_role.get(n["id"], "")
        classes = [n["label"], r, "" if full else "compact"]
        if subject and subject in (n["id"], n.get("identity_id")):
            classes.append("subject")
        caption = str(n.get("caption") or n["id"])
        if n.get("date") and full:
            caption += f"\n{n['date']}"
        els.append(
            {
                "data": {
                    **{k: v for k, v in n.items() if v is not None},
                    "label": caption,
                    "kind": n["label"],
                    "role": r,
                    "size": BASE_SIZE,
                },
                "classes": " ".join(c for c in classes if c),
            }
        )
    for e in data.get("edges", []):
        eid = f"{e['source']}|{e['type']}|{e['target']}"
        els.append(
            {
                "data": {
                    "id": eid,
                    "source": e["source"],
                    "target": e["target"],
                    "label": e["type"].replace("_", " ").lower(),
                    "type": e["type"],
                },
                "classes": e["type"] + (" labelled" if full else ""),
            }
        )
    return els


def merge(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Add `new` elements to `old`, keeping the old ones (and their pins and classes)."""
    seen = {e["data"]["id"] for e in old}
    return old + [e for e in new if e["data"]["id"] not in seen]


def is_node(e: dict[str, Any]) -> bool:
    return "source" not in e["data"]


def layout(
    name: str,
    els: list[dict[str, Any]],
    chain: list[str] | None = None,
    aspect: float = 1.9,
) -> dict[str, Any]:
    """A cytoscape layout spec; `victim-chain` places victims left to right in chain order
    under the subject, and each other node near what it links to."""
    if name == "victim-chain":
        return {"name": "preset", "positions": chain_positions(els, chain or [])}
    if name == "people":
        positions = people_chart.positions(els, aspect)
        return {"name": "preset", "positions": positions, "fit": True, "padding": 24}
    spec: dict[str, Any] = {"name": name, "animate": False, "fit": True, "padding": 24}
    if name == "breadthfirst":
        spec["roots"] = ".subject"
    if name == "dagre":
        spec["rankDir"] = "LR"
    if name in ("fcose", "cose-bilkent"):
        big = sum(1 for e in els if is_node(e)) > DRAFT_ABOVE_NODES
        spec.update(
            quality="draft" if big else "default",
            randomize=False,
            nodeRepulsion=6000,
            idealEdgeLength=90,
        )
    return spec


def chain_positions(els: list[dict[str, Any]], chain: list[str]) -> dict[str, dict[str, float]]:
    nodes = [{**e["data"], "classes": e.get("classes", "")} for e in els if is_node(e)]
    rank = {v: i for i, v in enumerate(chain)}
    victims = sorted(
        (n for n in nodes if n.get("role") == "victim"),
        key=lambda n: (rank.get(n.get("identity_id") or "", 999), n["id"]),
    )
    pos: dict[str, dict[str, float]] = {}
    for i, n in enumerate(victims):
        pos[n["id"]] = {"x": 240.0 * i, "y": 320.0}
    mid = 120.0 * max(len(victims) - 1, 0)
    others = [n for n in nodes if n["id"] not in pos]
    for j, n in enumerate(others):
        if n.get("role") == "perpetrator" or "subject" in str(n.get("classes", "")):
            pos[n["id"]] = {"x": mid + 70.0 * (j % 5) - 140, "y": 0.0 + 40 * (j // 5 % 3)}
        else:
            pos[n["id"]] = {"x": 90.0 * (j % 14) - 40, "y": 150.0 + 60 * (j // 14)}
    return pos


def image_download(kind: str, filename: str) -> dict[str, Any]:
    """What a cytoscape chart's `generateImage` takes to download the whole chart as `kind`
    (png or svg) on white."""
    return {
        "type": kind,
        "action": "download",
        "filename": filename,
        # the whole chart at print size, whatever the zoom on screen (cytoscape scales the
        # image to fit these bounds)
        "options": {"full": True, "bg": "#ffffff", "maxWidth": 3200, "maxHeight": 2400},
    }


def legend() -> html.Div:
    return html.Div(
        [html.Strong("Legend: ")]
        + [
            html.Span([html.Span(sym, style={"color": colour, "marginRight": "4px"}), text])
            for text, colour, sym in LEGEND
        ]
        + [
            html.Span(
                "Orange lines: his offending and orders; blue: victims; pink dashed: "
                "relationships; yellow: shortest path. Zoom in for dates and records."
            )
        ],
        className="sw-legend",
    )
