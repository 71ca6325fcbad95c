"""The PDF briefing pack of a man with 18 victims, read back from the PDF itself: every page
marked OFFICIAL-SENSITIVE in its header and footer and numbered "Page i of n"; no type under
9 pt; no text outside the page's margins (no cut columns) and every word of every offence
whole; the chain story (victims 1..18 in order with their first dates) and a chart legend in
the pack; and a partner's pack names no victim."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from pypdf import PdfReader
from reportlab.pdfbase.pdfmetrics import stringWidth

from dashboards.components.briefing import MARGIN, MARKING, MIN_PT
from dashboards.components.graph import LEGEND


def _pack(role: str, person: str) -> tuple[bytes, dict[str, Any]]:
    from app.security.roles import Role
    from app.security.users import User
    from app.services.door import Access
    from dashboards import data

    who = Access(User(role, Role(role)), "MAPPA+ meeting, PDF pack test (synthetic data)")
    brief = data.presented(who, person)
    return data.briefing_pdf(who, brief), brief


def _runs(body: bytes) -> list[list[dict[str, Any]]]:
    """Each page's drawn text runs (then one entry with the page's whole text)."""
    return [_page_runs(page) for page in PdfReader(io.BytesIO(body)).pages]


def _page_runs(page: Any) -> list[dict[str, Any]]:
    """A page's text runs: text, font, size in points (after the text and drawing transforms),
    where it starts (x, y) and the page's size."""
    w, h = float(page.mediabox.width), float(page.mediabox.height)
    runs: list[dict[str, Any]] = []

    def visit(text: str, cm: list[float], tm: list[float], font: Any, size: float) -> None:
        if not text.strip():
            return
        name = str((font or {}).get("/BaseFont", "/Helvetica")).lstrip("/")
        runs.append(
            {
                "text": text.strip(),
                "font": name,
                "size": size * (abs(tm[3] * cm[3]) or 1.0),
                "x": tm[4] * cm[0] + cm[4],
                "y": tm[5] * cm[3] + cm[5],
                "w": w,
                "h": h,
            }
        )

    runs.append({"all": page.extract_text(visitor_text=visit), "w": w, "h": h})
    return runs


@pytest.fixture(scope="module")
def packs(
    ui_server: str, chains: dict[int, str], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Any]:
    body, brief = _pack("caseworker", chains[18])
    partner, _ = _pack("partner", chains[18])
    forty, _ = _pack("caseworker", chains[40])
    folder = tmp_path_factory.mktemp("packs")  # kept by pytest, to be looked at as images
    (folder / "caseworker.pdf").write_bytes(body)
    (folder / "partner.pdf").write_bytes(partner)
    (folder / "forty.pdf").write_bytes(forty)
    return {"body": body, "brief": brief, "partner": partner, "forty": forty}


def test_every_page_marked_and_numbered(packs: dict[str, Any]) -> None:
    pages = _runs(packs["body"])
    assert len(pages) >= 3
    for i, runs in enumerate(pages, start=1):
        text = runs[-1]["all"]
        assert f"Page {i} of {len(pages)}" in text
        marks = [r for r in runs[:-1] if MARKING in r["text"]]
        h = runs[-1]["h"]
        assert any(r["y"] > h - 80 for r in marks), f"page {i}: no marking in the header"
        assert any(r["y"] < 80 for r in marks), f"page {i}: no marking in the footer"


def test_no_small_type_and_nothing_off_the_page(packs: dict[str, Any]) -> None:
    for i, runs in enumerate(_runs(packs["body"]), start=1):
        drawn = runs[:-1]
        assert drawn
        small = [(r["text"], round(r["size"], 1)) for r in drawn if r["size"] < MIN_PT - 0.01]
        assert small == [], f"page {i}: type under {MIN_PT} pt"
        for r in drawn:
            width = stringWidth(r["text"], r["font"], r["size"])
            left, right = r["x"], r["x"] + width
            assert left >= MARGIN - 2 and right <= r["w"] - MARGIN + 2, (i, r["text"])


def test_chain_story_whole_in_the_pack(packs: dict[str, Any]) -> None:
    chain = packs["brief"]["chain"]
    assert len(chain) == 18
    text = "\n".join(runs[-1]["all"] for runs in _runs(packs["body"]))
    words = set(re.findall(r"[A-Za-z-]+", text))
    for v in chain:  # no offence cut mid-word or left out
        for offence in v["offences"]:
            assert set(re.findall(r"[A-Za-z-]+", offence)) <= words, offence
    at = text.index("First / last")  # the table's head: the rows follow
    for v in chain:  # numbered rows in chain order, each with her first date
        found = re.search(rf"(?m)^{v['n']}\s*$|^{v['n']} ", text[at:])
        assert found, f"victim {v['n']} missing after position {at}"
        at += found.end()
        day = text.find(str(v["first_date"]), at)
        assert day >= 0, f"victim {v['n']}: first date {v['first_date']} not after her number"
        at = day
    assert f"Victim chain: {packs['brief']['name']}, 18 victims" in text
    for label, _, _ in LEGEND:
        assert label in text  # the chart's legend


@pytest.mark.parametrize("which", ["body", "forty"])
def test_chart_labels_apart(packs: dict[str, Any], which: str) -> None:
    """On the chart's page no two pieces of text meet: victims by name, or, where names would
    meet (always at 40), each by her number in the chain, every number drawn."""
    pages = _runs(packs[which])
    chart = next(runs for runs in pages if "Link chart" in runs[-1]["all"])
    boxes = []
    for r in chart[:-1]:
        width = stringWidth(r["text"], r["font"], r["size"])
        boxes.append((r["text"], (r["x"], r["y"] - 0.2 * r["size"], r["x"] + width,
                                  r["y"] + 0.75 * r["size"])))  # fmt: skip
    meets = [
        (a, b)
        for i, (a, (ax1, ay1, ax2, ay2)) in enumerate(boxes)
        for b, (bx1, by1, bx2, by2) in boxes[i + 1 :]
        if ax1 < bx2 and bx1 < ax2 and ay1 < by2 and by1 < ay2
    ]
    assert meets == []
    texts = {r["text"] for r in chart[:-1]}
    n = 40 if which == "forty" else 18
    if "her number in the victim chain" in chart[-1]["all"]:  # too crowded for names
        assert {str(k) for k in range(1, n + 1)} <= texts
        assert not any("Chainvictim" in t for t in texts)
    else:
        assert which == "body", "40 victims' names cannot fit on one page at 9 pt"
        assert sum("Chainvictim" in t for t in texts) == n


def test_partner_pack_names_no_victim(packs: dict[str, Any]) -> None:
    names = {str(v["name"]) for v in packs["brief"]["chain"]}
    assert len(names) == 18 and all("Chainvictim" in n for n in names)  # the caseworker's
    body = packs["partner"]
    text = "\n".join(runs[-1]["all"] for runs in _runs(body))
    assert "Chainvictim" not in text and b"Chainvictim" not in body
    assert "Victim 1" in text and "Victim 18" in text
    assert "Partner view" in text
