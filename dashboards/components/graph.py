"""The link chart's pieces: the stylesheet kept as data in assets/, the legend, the layouts on
offer and the exports (the elements themselves come from people_chart)."""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any

import dash_cytoscape as cyto
from dash import html

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
}
# Okabe-Ito colours (safe for colour-blind readers), each type with its own shape as well
LEGEND = [
    ("Perpetrator", "#D55E00", "◆"),
    ("Victim", "#0072B2", "●"),
    ("Other person", "#999999", "●"),
    ("Group (count: records inside)", "#666666", "▣"),
    ("Victims 41–80 (count)", "#0072B2", "▣"),
    ("Incident", "#E69F00", "▲"),
    ("Order", "#CC79A7", "■"),
    ("Breach", "#000000", "★"),
    ("Notification", "#009E73", "◣"),
    ("Address", "#56B4E9", "⬢"),
]
BASE_SIZE = 30
# Above this size the organic layouts run at draft quality (bench/ui.py: the spring embedder
# was most of the browser's time on big charts).
DRAFT_ABOVE_NODES = 250
PAD = 24  # px around a chart fitted in view

cyto.load_extra_layouts()


@lru_cache(maxsize=1)
def stylesheet() -> list[dict[str, Any]]:
    text = resources.files("dashboards").joinpath("assets/cytoscape.json").read_text("utf-8")
    sheet: list[dict[str, Any]] = json.loads(text)
    return sheet


def merge(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Add `new` elements to `old`, keeping the old ones (and their pins and classes)."""
    seen = {e["data"]["id"] for e in old}
    return old + [e for e in new if e["data"]["id"] not in seen]


def is_node(e: dict[str, Any]) -> bool:
    return "source" not in e["data"]


def layout(name: str, els: list[dict[str, Any]]) -> dict[str, Any]:
    """A cytoscape layout spec that fits the chart in view (the people chart's own rings are
    placed by overview.chart_page and drawn by `preset`)."""
    spec: dict[str, Any] = {"name": name, "animate": False, "fit": True, "padding": PAD}
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


def preset(positions: dict[str, dict[str, float]]) -> dict[str, Any]:
    """The layout spec that draws nodes at `positions` and fits them in view."""
    return {"name": "preset", "positions": positions, "fit": True, "padding": PAD}


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
                "relationships; yellow: shortest path. A big chart opens with V3 for his "
                "3rd victim (as in his chain) and initials for others: zoom in for names, "
                "dates and records. Beyond 45 victims his later ones fold into groups "
                "of 40 (Victims 41–80): tap one to open it."
            )
        ],
        className="sw-legend",
    )
