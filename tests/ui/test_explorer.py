"""The explorer end to end in headless chromium: log in, search a planted serial perpetrator,
open and expand his chart, filter by date, run a saved query, present him in meeting mode and
export PNG and PDF; as `partner`, no victim name appears in page text or exports."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

from tests.ui.browse import (
    choose,
    count,
    cy,
    download,
    open_chart,
    pick,
    png_size,
    wait_count,
)
from tests.ui.conftest import login


def test_officer_workflow(browser: Any, ui_server: str, planted: dict[str, Any], tmp_path: Path):
    page = login(browser, ui_server, "caseworker")
    open_chart(page, planted["name"])
    before = count(page)
    pick(page, "chart-focus", "(victim)")
    page.click("#chart-expand")
    page.wait_for_selector("text=Expanded:")
    assert count(page) >= before
    # date filter: type a later first year into the range slider's lower box
    page.click("#chart-filters-open")
    lower = page.locator("#chart-years input").first
    lower.fill(str(date.today().year - 1))
    lower.press("Tab")
    wait_count(page, f"n < {before}")
    # saved query
    page.click("a:has-text('Saved queries')")
    pick(page, "q-name", "(serial_perpetrators)")
    page.wait_for_selector("text=tiers:")
    page.click("#q-run")
    page.wait_for_selector("#q-count")
    assert re.search(r"[1-9]\d* rows", page.inner_text("#q-count"))
    csv = download(page, "#q-csv", tmp_path)
    assert csv.read_text().startswith("identity_id,")
    # meeting mode and exports
    png, pdf = _meeting(page, planted, tmp_path)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 1000
    width, height = png_size(png)  # the whole chart at print size, never a strip
    assert width <= 3200 and height <= 2400 and max(width, height) >= 1200
    assert width / height < 3
    assert pdf.read_bytes()[:5] == b"%PDF-" and b"%%EOF" in pdf.read_bytes()[-32:]
    assert planted["victims"][0].encode() in pdf.read_bytes()  # not redacted for caseworker
    from app.security import audit

    packs = [e for e in audit.entries(limit=100_000) if e["resource"] == "briefing.pdf"]
    assert packs and packs[-1]["user"] == "caseworker" and packs[-1]["action"] == "export"
    assert planted["id"] in packs[-1]["identities"]  # the pack's export is audited
    page.close()


def _meeting(page: Any, planted: dict[str, Any], folder: Path) -> tuple[Path, Path]:
    page.click("a:has-text('MAPPA+ meeting')")
    page.click("#meet-subjects")
    # The subject list arrives from a callback: on a busy machine, wait for it before typing.
    page.locator("[role=option]").first.wait_for(timeout=90_000)
    page.keyboard.press("Escape")
    choose(page, "meet-subjects", planted["name"], planted["name"])
    page.keyboard.press("Escape")
    page.wait_for_selector(f"h1:has-text('{planted['name']}')", timeout=60_000)
    wait_count(page, "n > 3", "meet-chart")
    # the chain story is the meeting's first view: his victims numbered in order
    numbers = page.locator("#chain-story .sw-chain-n").all_inner_texts()
    assert numbers == [str(i) for i in range(1, len(numbers) + 1)] and len(numbers) >= 2
    # a presenter's clicker: arrows and Page Up / Page Down step through the victims
    page.locator("h1").click()
    page.keyboard.press("ArrowRight")
    page.wait_for_selector("#meet-victim:has-text('Victim 1 of')")
    page.keyboard.press("PageDown")
    page.wait_for_selector("#meet-victim:has-text('Victim 2 of')")
    page.wait_for_selector("#chain-story .sw-chain-card.sw-current:has-text('2')")
    page.keyboard.press("PageUp")
    page.wait_for_selector("#meet-victim:has-text('Victim 1 of')")
    png = download(page, "#meet-png", folder)
    pdf = download(page, "#meet-pdf", folder)
    return png, pdf


def test_partner_never_sees_victims(
    browser: Any, ui_server: str, planted: dict[str, Any], tmp_path: Path
):
    page = login(browser, ui_server, "partner", "MAPPA+ meeting, partner agency (test)")
    open_chart(page, planted["name"])
    texts = [page.inner_text("body")]
    labels = cy(page, "cy.nodes().map(n => JSON.stringify(n.data())).join('\\n')")
    texts.append(labels)
    png, pdf = _meeting(page, planted, tmp_path)
    texts.append(page.inner_text("body"))
    page.click("#meet-svg")
    blob = "\n".join(texts) + pdf.read_bytes().decode("latin-1")
    assert "Victim 1" in blob
    for name in planted["victims"]:
        assert name not in blob, f"victim name {name!r} shown to a partner"
        for part in name.split():
            if len(part) > 3 and part not in planted["name"]:
                assert not re.search(rf"\b{re.escape(part)}\b", blob), part
    assert png.stat().st_size > 1000
    page.close()
