"""The PDF briefing pack for one subject: key facts, the victim chain story (time axis and one
row per victim), the link chart with a legend, and the timeline, drawn from the same redacted
service payloads as the screen (a partner's pack is redacted too).

Readable as the screen: every page carries the OFFICIAL-SENSITIVE marking in its header and
footer and "Page i of n"; no type below 9 pt; tables wrap words inside columns that fit the
page (nothing cut); the chart is the people chart's own deterministic rings, scaled so its
9 pt labels keep the room the screen's layout gave them."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from reportlab.graphics.shapes import Circle, Drawing, Line, Rect, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Frame,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from dashboards.components import people_chart
from dashboards.components.graph import LEGEND

MARKING = "OFFICIAL-SENSITIVE"
MIN_PT = 9  # the smallest type anywhere in the pack
MARGIN = 1.6 * cm
WIDTH = A4[0] - 2 * MARGIN  # the portrait frame's width: every table fits in it
WIDE = A4[1] - 2 * MARGIN  # the landscape frame's (the chart's page)
COLOUR = {text.split()[0].lower(): colour for text, colour, _ in LEGEND}  # perpetrator, victim, ...
FONT, BOLD = "Helvetica", "Helvetica-Bold"
MAX_SCALE = 1.8  # a small chart spreads over the page (its nodes and type keep their size)
LABEL_WRAP = people_chart.WRAP * MIN_PT / people_chart.HEAD_FONT  # the screen's wrap, in 9 pt
_SS = getSampleStyleSheet()
BODY = ParagraphStyle("sw-body", parent=_SS["Normal"], fontSize=10.5, leading=14)
CELL = ParagraphStyle("sw-cell", parent=BODY, fontSize=MIN_PT, leading=11, splitLongWords=0)
HEAD = ParagraphStyle("sw-head", parent=CELL, fontName=BOLD)
H1 = ParagraphStyle("sw-h1", parent=_SS["Title"], fontSize=20, leading=24)
H2 = ParagraphStyle("sw-h2", parent=_SS["Heading2"], fontSize=14, leading=18)


def pack(brief: dict[str, Any], els: list[dict[str, Any]], user: str, role: str) -> bytes:
    """A PDF (uncompressed streams, so its text can be checked for leaks)."""
    buf = io.BytesIO()
    doc = BaseDocTemplate(buf, pagesize=A4, title=f"Briefing: {brief['name']}")
    doc.addPageTemplates([_template("portrait", A4), _template("landscape", landscape(A4))])
    doc.pageCompression = 0
    partner = "Partner view: victims are shown as pseudonyms. " if role == "partner" else ""
    chain = brief["chain"]
    story: list[Any] = [
        Paragraph(f"MAPPA+ briefing: {_esc(brief['name'])}", H1),
        Paragraph(f"Prepared for {_esc(user)} ({_esc(role)}). {partner}", BODY),
        Spacer(1, 0.3 * cm),
        Paragraph("Key facts", H2),
        _table([[str(k), str(v)] for k, v in brief["facts"].items()], [0.45, 0.55], head=False),
        Spacer(1, 0.2 * cm),
        Paragraph("Agencies involved: " + _esc(", ".join(brief["agencies"]) or "none"), BODY),
        Paragraph(_chain_title(brief["name"], chain), H2),
        _axis(chain),
        Spacer(1, 0.2 * cm),
        _table(
            [["#", "Victim", "First / last", "Gravest offence", "Offences", "Orders", "Forces"]]
            + [_chain_row(v) for v in chain],
            [0.05, 0.15, 0.14, 0.19, 0.23, 0.11, 0.13],
            escalate=[i + 1 for i, v in enumerate(chain) if v.get("escalation")],
        ),
        Paragraph("ESCALATION (shaded rows, orange marks): graver offending than before.", BODY)
        if any(v.get("escalation") for v in chain)
        else Spacer(1, 0),
        NextPageTemplate("landscape"),
        PageBreak(),
        Paragraph("Link chart", H2),
        *_chart_and_legend(els, chain),
        NextPageTemplate("portrait"),
        PageBreak(),
        Paragraph("Timeline", H2),
        _table(
            [["Date", "To", "Kind", "What"]]
            + [
                [str(e["start"]), str(e["end"]), e["kind"], str(e["what"])]
                for e in brief.get("events", [])
            ],
            [0.16, 0.16, 0.16, 0.52],
        ),  # fmt: skip
    ]
    doc.build(story, canvasmaker=_MarkedCanvas)
    return buf.getvalue()


def _template(name: str, size: tuple[float, float]) -> PageTemplate:
    w, h = size
    frame = Frame(MARGIN, MARGIN + 0.6 * cm, w - 2 * MARGIN, h - 2 * MARGIN - 1.2 * cm, id=name,
                  leftPadding=0, rightPadding=0)  # fmt: skip
    return PageTemplate(id=name, frames=[frame], pagesize=size)


class _MarkedCanvas(Canvas):
    """Holds every page back until the end so that each can say "Page i of n", and marks
    each one OFFICIAL-SENSITIVE at its top and bottom."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:  # noqa: N802 - reportlab's name
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        for i, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            self._mark(i, len(self._pages))
            super().showPage()
        super().save()

    def _mark(self, page: int, pages: int) -> None:
        w, h = self._pagesize
        self.saveState()
        self.setFillColor(colors.HexColor("#8B0000"))
        self.setFont(BOLD, 11)
        self.drawCentredString(w / 2, h - MARGIN + 0.1 * cm, MARKING)
        self.drawCentredString(w / 2, MARGIN - 0.5 * cm, MARKING)
        self.setFillColor(colors.black)
        self.setFont(FONT, MIN_PT + 1)
        self.drawRightString(w - MARGIN, MARGIN - 0.5 * cm, f"Page {page} of {pages}")
        self.drawString(MARGIN, MARGIN - 0.5 * cm, "serialwatch MAPPA+ briefing")
        self.restoreState()


def _esc(text: Any) -> str:
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _table(
    rows: list[list[str]],
    widths: list[float],
    head: bool = True,
    escalate: list[int] | None = None,
) -> Table:
    """Cells as paragraphs (words wrap inside the column, none is cut), columns as fractions
    of the frame's width, the header row repeated on each page."""
    if len(rows) <= int(head):
        rows = rows + [["none"] + [""] * (len(widths) - 1)]
    body = [
        [Paragraph(_esc(c), HEAD if head and r == 0 else CELL) for c in row]
        for r, row in enumerate(rows)
    ]
    t = Table(body, colWidths=[f * WIDTH for f in widths], hAlign="LEFT", repeatRows=int(head))
    style = [
        ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    if head:
        style.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eaf0")))
    style += [("BACKGROUND", (0, r), (-1, r), colors.HexColor("#fdebd0")) for r in escalate or []]
    t.setStyle(TableStyle(style))
    return t


def _chain_title(name: str, chain: list[dict[str, Any]]) -> str:
    years = sorted(str(v[k])[:4] for v in chain for k in ("first_date", "last_date") if v.get(k))
    span = f", {years[0]}–{years[-1]}" if years else ""
    return f"Victim chain: {_esc(name)}, {len(chain)} victims{span}"


def _chain_row(v: dict[str, Any]) -> list[str]:
    outcomes = ", ".join(sorted({o for o in v.get("outcomes") or [] if o}))
    return [
        str(v.get("n")),
        str(v.get("name") or "Victim") + (" (ESCALATION)" if v.get("escalation") else ""),
        f"{v.get('first_date') or '?'} to {v.get('last_date') or '?'}",
        str(v.get("gravest") or "none recorded")
        + (f" ({v.get('incidents')} incidents; {outcomes})" if v.get("incidents") else ""),
        ", ".join(sorted({o for o in v.get("offences") or [] if o})) or "none",
        ", ".join(v.get("orders") or []) or "none",
        ", ".join(v.get("forces") or []) or "unknown",
    ]


def _day(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def _axis(chain: list[dict[str, Any]], h: float = 2.2 * cm) -> Drawing:
    """The theme line: one numbered mark per victim at her first date along the years (the
    gaps between victims visible); marks that would touch step up a row."""
    drawing = Drawing(WIDTH, h)
    days = [(v, _day(v.get("first_date"))) for v in chain]
    known = [d for _, d in days if d]
    if not known:
        return drawing
    lo, hi = date(min(known).year, 1, 1), date(max(known).year + 1, 1, 1)
    span = (hi - lo).days or 1
    x0, x1, y = 16.0, WIDTH - 16, 0.8 * cm  # room for a year's label at either end

    def at(d: date) -> float:
        return x0 + (x1 - x0) * (d - lo).days / span

    drawing.add(Line(x0, y, x1, y, strokeColor=colors.black, strokeWidth=1))
    step = max(1, round((hi.year - lo.year) / 12))
    for year in range(lo.year, hi.year + 1, step):
        x = at(date(year, 1, 1))
        drawing.add(Line(x, y - 3, x, y + 3, strokeColor=colors.black))
        drawing.add(String(x, y - 13, str(year), fontSize=MIN_PT, textAnchor="middle"))
    taken: list[tuple[float, int]] = []
    for v, d in days:
        if not d:
            continue
        x = at(d)
        row = 0
        while any(abs(x - tx) < 14 and tr == row for tx, tr in taken):
            row += 1
        taken.append((x, row))
        cy = y + 10 + row * 16
        fill = colors.HexColor("#D55E00") if v.get("escalation") else colors.HexColor("#0072B2")
        drawing.add(Circle(x, cy, 6.5, fillColor=fill, strokeColor=colors.white))
        drawing.add(
            String(x, cy - 3.2, str(v.get("n")), fontSize=MIN_PT, fontName=BOLD,
                   fillColor=colors.white, textAnchor="middle")
        )  # fmt: skip
    drawing.height = max(h, y + 10 + (max(r for _, r in taken) + 1) * 16)
    return drawing


def _lines(label: str, size: float, wrap: float) -> list[str]:
    """A label's lines as drawn: words wrapped at `wrap` points, never cut inside a word."""
    out: list[str] = []
    for part in label.split("\n"):
        line = ""
        for word in part.split():
            trial = f"{line} {word}".strip()
            if line and stringWidth(trial, FONT, size) > wrap:
                out.append(line)
                line = word
            else:
                line = trial
        out.append(line)
    return out


def _colour(d: dict[str, Any]) -> str:
    if d.get("kind") == "Person":
        return COLOUR.get(str(d.get("role") or ""), COLOUR["other"])
    return COLOUR.get(str(d.get("kind") or "").lower(), COLOUR["group"])


def _radius(subject: bool) -> float:
    return 12.0 if subject else 9.0


def _font(subject: bool) -> int:
    return MIN_PT + 2 if subject else MIN_PT


def _measure(d: dict[str, Any], size: float, font: int) -> tuple[float, float, float]:
    """A node and its label as the pack draws them (points): width, height, depth below."""
    subject = size == people_chart.SUBJECT
    pt, r = _font(subject), _radius(subject)
    label = str(d.get("label") or d.get("caption") or "")
    if label.isdigit():  # her number in the chain, inside her node
        return 2 * r + 6, 2 * r + 2, r + 1
    lines = _lines(label, pt, LABEL_WRAP)
    width = max([2 * r] + [stringWidth(x, FONT, pt) for x in lines])
    below = r + len(lines) * (pt + 1.5) + 2
    return width + 6, r + below, below


Placed = tuple[dict[str, Any], dict[str, dict[str, float]], float, tuple[float, float]]


def _placed(els: list[dict[str, Any]], width: float, h: float) -> Placed:
    """Nodes, their places (the people chart's rings, measured in the pack's points), the scale
    that fits them with their labels in `width` x `h` (at most MAX_SCALE) and the middle."""
    nodes = {e["data"]["id"]: e for e in els if people_chart.is_node(e)}
    pos = people_chart.positions(els, aspect=width / h, measure=_measure)
    pos = {k: p for k, p in pos.items() if k in nodes and not nodes[k]["data"].get("parent")}
    boxes = []
    for k, p in pos.items():
        subject = "subject" in nodes[k].get("classes", "")
        bw, bh, below = _measure(nodes[k]["data"], people_chart.SUBJECT if subject else 0, 0)
        boxes.append((p["x"] - bw / 2, p["y"] - (bh - below), p["x"] + bw / 2, p["y"] + below))
    x1, y1 = min(b[0] for b in boxes), min(b[1] for b in boxes)
    x2, y2 = max(b[2] for b in boxes), max(b[3] for b in boxes)
    scale = min(MAX_SCALE, (width - 12) / ((x2 - x1) or 1), (h - 12) / ((y2 - y1) or 1))
    return nodes, pos, scale, ((x1 + x2) / 2, (y1 + y2) / 2)


def _crowded(nodes: dict[str, Any], pos: dict[str, dict[str, float]], scale: float) -> bool:
    """Whether two labels would meet: places shrunk by `scale` to fit the page, labels not."""
    boxes = []
    for k, p in pos.items():
        subject = "subject" in nodes[k].get("classes", "")
        bw, bh, below = _measure(nodes[k]["data"], people_chart.SUBJECT if subject else 0, 0)
        x, y = p["x"] * scale, p["y"] * scale
        boxes.append((x - bw / 2, y - (bh - below), x + bw / 2, y + below))
    return any(
        a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]
        for i, a in enumerate(boxes)
        for b in boxes[i + 1 :]
    )


def _chart(
    els: list[dict[str, Any]],
    chain: list[dict[str, Any]],
    h: float = 13.2 * cm,
    width: float = WIDE,
) -> tuple[Drawing, bool]:
    """The chart on screen, in the people chart's own places (shrunk to fit the frame, labels
    kept at 9 pt), centred. When its labels would meet, people are labelled by name alone, and
    if they still would, each victim is drawn as her number in the victim chain (as meeting
    mode does). Also answers whether victims are numbered."""
    drawing = Drawing(width, h)
    drawing.add(Rect(0, 0, width, h, strokeColor=colors.lightgrey, fillColor=None))
    if not any(people_chart.is_node(e) for e in els):
        drawing.add(String(width / 2, h / 2, "Nothing to chart.", fontSize=12, textAnchor="middle"))
        return drawing, False
    nodes, pos, scale, (cx, cy) = _placed(els, width, h)
    for fewer in ([], chain):  # first names without dates, then victims by their numbers
        if not _crowded(nodes, pos, scale):
            break
        els = people_chart.numbered(els, fewer)
        nodes, pos, scale, (cx, cy) = _placed(els, width, h)
    numbered = any(str(n["data"].get("label", "")).isdigit() for n in nodes.values())

    def at(k: str) -> tuple[float, float]:
        return width / 2 + (pos[k]["x"] - cx) * scale, h / 2 - (pos[k]["y"] - cy) * scale

    for e in els:
        d = e["data"]
        if "source" in d and d["source"] in pos and d["target"] in pos:
            (ax, ay), (bx, by) = at(d["source"]), at(d["target"])
            drawing.add(Line(ax, ay, bx, by, strokeColor=colors.HexColor("#b0b0b0"),
                             strokeWidth=0.6))  # fmt: skip
    for k in pos:
        d = nodes[k]["data"]
        subject = "subject" in nodes[k].get("classes", "")
        x, y = at(k)
        r = _radius(subject)
        drawing.add(Circle(x, y, r, fillColor=colors.HexColor(_colour(d)),
                           strokeColor=colors.white, strokeWidth=1))  # fmt: skip
        label = str(d.get("label") or d.get("caption") or "")
        inside = label if label.isdigit() else ("" if numbered else str(d.get("count") or ""))
        if inside:
            drawing.add(String(x, y - 3.2, inside, fontSize=MIN_PT, fontName=BOLD,
                               fillColor=colors.white, textAnchor="middle"))  # fmt: skip
        if label.isdigit():
            continue
        size = _font(subject)
        font = BOLD if subject else FONT
        for i, line in enumerate(_lines(label, size, LABEL_WRAP)):
            drawing.add(String(x, y - r - size - i * (size + 1.5), line, fontSize=size,
                               fontName=font, textAnchor="middle"))  # fmt: skip
    return drawing, numbered


def _chart_and_legend(els: list[dict[str, Any]], chain: list[dict[str, Any]]) -> list[Any]:
    drawing, numbered = _chart(els, chain)
    return [drawing, _legend(numbered)]


def _legend(numbered: bool) -> KeepTogether:
    """The chart's legend: the screen's colours, one swatch and name each."""
    per_row = 5
    cells = []
    for text, colour, _ in LEGEND:
        swatch = Drawing(12, 12)
        swatch.add(Circle(6, 4, 5, fillColor=colors.HexColor(colour), strokeColor=None))
        cells.append([swatch, Paragraph(_esc(text), CELL)])
    rows = [sum(cells[i : i + per_row], []) for i in range(0, len(cells), per_row)]
    rows[-1] += [""] * (2 * per_row - len(rows[-1]))
    unit = WIDE / per_row
    t = Table(rows, colWidths=[16, unit - 16] * per_row, hAlign="LEFT")
    t.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    number = (
        "A number on a victim is her number in the victim chain (too many people for names)."
        if numbered
        else "A number on a person is how many incidents, orders and breaches with the "
        "subject her group holds."
    )
    note = Paragraph(f"Legend. {number} Lines: who is linked to whom in the records shown.", CELL)
    return KeepTogether([Spacer(1, 0.2 * cm), t, note])


def meeting_pack(meeting: dict[str, Any], user: str, role: str, minutes: bool) -> bytes:
    """A MAPPA+ meeting's agenda, or (`minutes`) its minutes with each case's risk management
    plan and obligations, from the meeting payload as the service gave it to this role (a
    partner's: its agency's actions only, no victim safety planning, minutes withheld). Marked
    and numbered like the briefing pack, every cell wrapped whole."""
    buf = io.BytesIO()
    kind = "Minutes and risk management plans" if minutes else "Agenda"
    doc = BaseDocTemplate(buf, pagesize=A4, title=f"MAPPA+ {kind} {meeting['date']}")
    doc.addPageTemplates([_template("portrait", A4)])
    doc.pageCompression = 0
    partner = "Partner view: victims and free text withheld." if role == "partner" else ""
    story: list[Any] = [
        Paragraph(_esc(f"MAPPA+ meeting {meeting['date']}, {meeting['area']}: {kind}"), H1),
        Paragraph(
            _esc(f"Prepared for {user} ({role}). Chair: {meeting['chair']}. {partner}"), BODY
        ),  # fmt: skip
        Paragraph("Attendees", H2),
        _table(
            [["Agency", "Role", "Name"]] + [a.split("|") for a in meeting.get("attendees") or []],
            [0.3, 0.3, 0.4],
        ),  # fmt: skip
        Paragraph("Cases", H2),
        _table(
            [["#", "Case", "Subject", "Status", "Level"]]
            + [
                [
                    str(h["position"]),
                    h["case_id"],
                    str(h.get("name") or h["identity_id"]),
                    str(h.get("case_status")),
                    str(h.get("level") or ""),
                ]
                for h in meeting["agenda"]
            ],
            [0.06, 0.24, 0.38, 0.2, 0.12],
        ),  # fmt: skip
    ]
    if minutes:
        for h in meeting["agenda"]:
            story += [
                Paragraph(
                    _esc(
                        f"{h.get('name') or h['identity_id']} ({h['case_id']}): level "
                        f"{h.get('level') or 'not set'}"
                    ),
                    H2,
                ),  # fmt: skip
                Paragraph("Minutes: " + _esc(h.get("minutes") or "none recorded"), BODY),
                Paragraph("Risk management plan", H2),
                _table(
                    [["Heading", "Action", "Agency", "Owner", "Due", "Status"]]
                    + [
                        [
                            a["heading"].replace("_", " "),
                            str(a["title"]),
                            a["agency"],
                            a["owner"],
                            str(a["due_date"]),
                            a["status"],
                        ]
                        for a in h["actions"]
                    ],
                    [0.17, 0.33, 0.12, 0.14, 0.12, 0.12],
                ),  # fmt: skip
                Paragraph("Positive obligations", H2),
                _table(
                    [["Obligation", "Within (days)", "Orders"]]
                    + [
                        [
                            o["type"].replace("_", " "),
                            str(o["window_days"]),
                            ", ".join(o.get("order_keys") or []),
                        ]
                        for o in h["obligations"]
                    ],
                    [0.4, 0.2, 0.4],
                ),  # fmt: skip
            ]
    doc.build(story, canvasmaker=_MarkedCanvas)
    return buf.getvalue()
