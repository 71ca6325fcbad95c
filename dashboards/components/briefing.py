"""The PDF briefing pack for one subject: facts, victim chain, chart and timeline, drawn
from the same redacted service payloads as the screen (a partner's pack is redacted too)."""

from __future__ import annotations

import io
from typing import Any

import networkx as nx
from reportlab.graphics.shapes import Circle, Drawing, Line, Rect, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

COLOURS = {
    "perpetrator": colors.HexColor("#c0392b"),
    "victim": colors.HexColor("#2e86de"),
    "Incident": colors.HexColor("#e67e22"),
    "Order": colors.HexColor("#8e44ad"),
    "Address": colors.HexColor("#27ae60"),
}


def pack(brief: dict[str, Any], els: list[dict[str, Any]], user: str, role: str) -> bytes:
    """A PDF (uncompressed streams, so its text can be checked for leaks)."""
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4, title=f"Briefing: {brief['name']}")
    doc.pageCompression = 0
    ss = getSampleStyleSheet()
    story: list[Any] = [
        Paragraph(f"MAPPA+ briefing: {brief['name']}", ss["Title"]),
        Paragraph(
            f"Prepared for {user} ({role}). OFFICIAL-SENSITIVE. "
            + ("Partner view: victims are shown as pseudonyms." if role == "partner" else ""),
            ss["Normal"],
        ),
        Spacer(1, 0.4 * cm),
        Paragraph("Key facts", ss["Heading2"]),
        _table([[k, str(v)] for k, v in brief["facts"].items()]),
        Paragraph("Agencies involved: " + (", ".join(brief["agencies"]) or "none"), ss["Normal"]),
        Paragraph("Victim chain", ss["Heading2"]),
        _table(
            [["#", "Victim", "First", "Last", "Offences", "Orders", "Escalation"]]
            + [
                [
                    str(v.get("n")),
                    str(v.get("name")),
                    str(v.get("first_date") or ""),
                    str(v.get("last_date") or ""),
                    ", ".join(v.get("offences") or [])[:60],
                    ", ".join(v.get("orders") or []),
                    "yes" if v.get("escalation") else "",
                ]
                for v in brief["chain"]
            ]
        ),
        PageBreak(),
        Paragraph("Link chart", ss["Heading2"]),
        _chart(els),
        Paragraph("Timeline", ss["Heading2"]),
        _table(
            [["Date", "To", "Kind", "What"]]
            + [
                [str(e["start"]), str(e["end"]), e["kind"], str(e["what"])[:70]]
                for e in brief.get("events", [])[:60]
            ]
        ),
    ]
    doc.build(story)
    return buf.getvalue()


def _table(rows: list[list[str]]) -> Table:
    t = Table(rows or [["none"]], hAlign="LEFT")
    t.setStyle(
        TableStyle(
            [
                ("FONTSIZE", (0, 0), (-1, -1), 8),
                ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eaf0")),
            ]
        )
    )
    return t


def _chart(els: list[dict[str, Any]], w: float = 17 * cm, h: float = 17 * cm) -> Drawing:
    g = nx.Graph()
    info = {}
    for e in els:
        d = e["data"]
        if "source" in d:
            g.add_edge(d["source"], d["target"])
        else:
            g.add_node(d["id"])
            info[d["id"]] = d
    drawing = Drawing(w, h)
    drawing.add(Rect(0, 0, w, h, strokeColor=colors.lightgrey, fillColor=None))
    if not g:
        return drawing
    pos = nx.spring_layout(g, seed=1)
    xs = [p[0] for p in pos.values()] or [0]
    ys = [p[1] for p in pos.values()] or [0]
    sx = (w - 60) / ((max(xs) - min(xs)) or 1)
    sy = (h - 60) / ((max(ys) - min(ys)) or 1)

    def at(n: str) -> tuple[float, float]:
        return 30 + (pos[n][0] - min(xs)) * sx, 30 + (pos[n][1] - min(ys)) * sy

    for a, b in g.edges:
        (x1, y1), (x2, y2) = at(a), at(b)
        drawing.add(Line(x1, y1, x2, y2, strokeColor=colors.grey, strokeWidth=0.4))
    for n in g.nodes:
        d = info.get(n, {})
        x, y = at(n)
        fill = COLOURS.get(d.get("role") or "", COLOURS.get(d.get("kind", ""), colors.grey))
        drawing.add(Circle(x, y, 4, fillColor=fill, strokeColor=colors.white))
        if d.get("kind") == "Person":
            drawing.add(String(x + 5, y + 2, str(d.get("caption") or "")[:28], fontSize=5))
    return drawing


def meeting_pack(meeting: dict[str, Any], user: str, role: str, minutes: bool) -> bytes:
    """A MAPPA+ meeting's agenda, or (`minutes`) its minutes with each case's risk management
    plan and obligations, from the meeting payload as the service gave it to this role (a
    partner's: its agency's actions only, no victim safety planning, minutes withheld)."""
    buf = io.BytesIO()
    kind = "Minutes and risk management plans" if minutes else "Agenda"
    doc = SimpleDocTemplate(buf, pagesize=A4, title=f"MAPPA+ {kind} {meeting['date']}")
    doc.pageCompression = 0
    ss = getSampleStyleSheet()
    story: list[Any] = [
        Paragraph(f"MAPPA+ meeting {meeting['date']}, {meeting['area']}: {kind}", ss["Title"]),
        Paragraph(
            f"Prepared for {user} ({role}). OFFICIAL-SENSITIVE. Chair: {meeting['chair']}. "
            + ("Partner view: victims and free text withheld." if role == "partner" else ""),
            ss["Normal"],
        ),
        Paragraph("Attendees", ss["Heading2"]),
        _table([["Agency", "Role", "Name"]]
               + [a.split("|") for a in meeting.get("attendees") or []]),  # fmt: skip
        Paragraph("Cases", ss["Heading2"]),
        _table([["#", "Case", "Subject", "Status", "Level"]]
               + [[str(h["position"]), h["case_id"], str(h.get("name") or h["identity_id"]),
                   str(h.get("case_status")), str(h.get("level") or "")]
                  for h in meeting["agenda"]]),  # fmt: skip
    ]
    if minutes:
        for h in meeting["agenda"]:
            story += [
                Paragraph(f"{h.get('name') or h['identity_id']} ({h['case_id']}): level "
                          f"{h.get('level') or 'not set'}", ss["Heading2"]),  # fmt: skip
                Paragraph("Minutes: " + str(h.get("minutes") or "none recorded"), ss["Normal"]),
                Paragraph("Risk management plan", ss["Heading3"]),
                _table([["Heading", "Action", "Agency", "Owner", "Due", "Status"]]
                       + [[a["heading"].replace("_", " "), str(a["title"])[:70], a["agency"],
                           a["owner"], str(a["due_date"]), a["status"]]
                          for a in h["actions"]]),  # fmt: skip
                Paragraph("Positive obligations", ss["Heading3"]),
                _table([["Obligation", "Within (days)", "Orders"]]
                       + [[o["type"].replace("_", " "), str(o["window_days"]),
                           ", ".join(o.get("order_keys") or [])]
                          for o in h["obligations"]]),  # fmt: skip
            ]
    doc.build(story)
    return buf.getvalue()
