"""The serial perpetrators dashboard, the identity review queue and the search flags in headless
chromium, each checked against what the service layer (or the graph) holds."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.ui.browse import SHOTS, cy, pick, wait_cy
from tests.ui.conftest import analyst, login

TABLE = """(id) => [...document.querySelectorAll(`#${id} tr`)].map(tr =>
    Object.fromEntries([...tr.querySelectorAll('td[data-dash-column]')]
      .map(td => [td.dataset.dashColumn, td.innerText.trim()]))).filter(r => r.name)"""


FITS = """() => [...document.querySelectorAll('#serial-body table')]
    .every(t => t.getBoundingClientRect().right <= document.documentElement.clientWidth)"""


def _summary(tiers: list[dict[str, Any]], matac: list[dict[str, Any]], keep: set[str]) -> str:
    serial = sum(1 for r in tiers if r["tier"] == "serial" and r["identity_id"] in keep)
    at_risk = sum(1 for r in tiers if r["tier"] == "at_risk" and r["identity_id"] in keep)
    meet = sum(1 for r in matac if r["identity_id"] in keep)
    return f"{serial} serial, {at_risk} at risk, {meet} meet MATAC"


def test_serial_dashboard(browser: Any, ui_server: str) -> None:
    from app.services import library

    a = analyst()
    tiers = library.run(a, "serial_perpetrators", {})["rows"]
    matac = library.run(a, "matac_serial", {})["rows"]
    everyone = {r["identity_id"] for r in tiers} | {r["identity_id"] for r in matac}
    page = login(browser, ui_server, "caseworker")
    page.click("a:has-text('Serial perpetrators')")
    page.wait_for_selector(f"text={_summary(tiers, matac, everyone)}")
    shown = page.evaluate(TABLE, "serial-tiers")
    assert [r["name"] for r in shown] == [r["name"] for r in tiers[: len(shown)]]
    assert {r["tier"] for r in shown} <= {"serial", "at_risk"}
    try:  # the ranking's table fills from its own callback
        page.wait_for_selector("#serial-rfgv td[data-dash-column]", timeout=60_000)
    except Exception:
        pass  # the assertion below says what is missing
    rfgv = page.evaluate(TABLE, "serial-rfgv")
    assert rfgv, "the RFGV ranking is empty"
    for r in rfgv:  # each component shown, the score from the documented weights
        assert all(r[c] != "" for c in ("recency", "frequency", "gravity", "victims", "score"))
        # points read as the score does, to two decimals at most, not 5.802737...
        assert all(len(r[c].partition(".")[2]) <= 2 for c in ("recency", "gravity", "score")), r
    scores = [float(r["score"]) for r in rfgv]
    assert scores == sorted(scores, reverse=True)
    page.screenshot(path=str(SHOTS / "serial.png"), full_page=True)
    # every table fits the screen's width, even a narrow one (a laptop beside the projector):
    # long cells wrap, nothing runs off the right edge
    page.set_viewport_size({"width": 900, "height": 1000})
    assert page.evaluate(FITS), "a table runs off the right of a 900-pixel screen"
    page.set_viewport_size({"width": 1400, "height": 1000})
    # force filter: only perpetrators with records in that force remain
    force = max(
        {f for r in tiers for f in r.get("forces") or []},
        key=lambda f: (sum(f in (r.get("forces") or []) for r in tiers), f),
    )
    keep = {r["identity_id"] for r in tiers if force in (r.get("forces") or [])}
    pick(page, "serial-forces", force)
    page.click("#serial-go")
    page.wait_for_selector(f"text={_summary(tiers, matac, keep)}")
    shown = page.evaluate(TABLE, "serial-tiers")
    assert shown and all(force in r["forces"] for r in shown)
    page.screenshot(path=str(SHOTS / "serial-force.png"), full_page=True)
    # a row opens that subject's link chart
    first = next(r for r in tiers if r["identity_id"] in keep)
    page.locator("#serial-tiers td[data-dash-column=chart] a").first.click()
    page.wait_for_url("**/ui/chart?person=*")
    wait_cy(page, "cy.nodes('.subject').length > 0")
    assert first["identity_id"] in cy(page, "cy.nodes('.subject').map(n => n.id())")
    page.close()


@pytest.fixture
def queue(ui_data: dict[str, Any]) -> Iterator[list[tuple[str, str]]]:
    """Two pairs of records awaiting review (made by the resolver's own queue code), most
    likely first; the queue is emptied again afterwards."""
    import pandas as pd

    from graph.driver import get_driver, write
    from ingest.resolve.review import sync_queue

    driver = get_driver()
    write("MATCH (r:ReviewPair) DETACH DELETE r", driver=driver)
    keys = sorted(k for ks in ui_data["people"].values() for k in ks)[:4]
    pairs = [(keys[0], keys[1]), (keys[2], keys[3])]
    band = pd.DataFrame(
        {
            "unique_id_l": [p[0] for p in pairs],
            "unique_id_r": [p[1] for p in pairs],
            "match_probability": [0.8, 0.6],
            "match_weight": [2.0, 0.6],
        }
    )
    assert sync_queue(driver, band, "ui-test") == 2
    yield pairs
    write("MATCH (r:ReviewPair) DETACH DELETE r", driver=driver)


def test_review_queue(browser: Any, ui_server: str, queue: list[tuple[str, str]]) -> None:
    from graph.driver import get_driver, read

    page = login(browser, ui_server, "analyst")
    page.click("a:has-text('Review queue')")
    cards = page.locator("#review-list .sw-card")
    cards.nth(1).wait_for()
    assert cards.count() == 2
    for card, (left, right) in zip((cards.nth(0), cards.nth(1)), queue, strict=True):
        key_row = card.locator("tr", has_text="person_key").inner_text()
        assert key_row.split("\t")[1:] == [left, right]  # side by side
    cards.nth(0).locator("button:has-text('Same person')").click()
    page.wait_for_selector("#review-note:has-text('Recorded: same')")
    page.wait_for_function("() => document.querySelectorAll('#review-list .sw-card').length === 1")
    page.locator("#review-list button:has-text('Not the same')").click()
    page.wait_for_selector("#review-note:has-text('Recorded: not same')")
    page.wait_for_selector("#review-list:has-text('Nothing awaits review')")
    rows = read(
        "MATCH (q:ReviewPair) RETURN q.key_l AS l, q.key_r AS r, q.status AS status, "
        "q.decision AS decision, q.decided_by AS by ORDER BY q.probability DESC",
        driver=get_driver(),
    )
    assert [(r["l"], r["r"], r["status"], r["decision"], r["by"]) for r in rows] == [
        (*queue[0], "decided", "same", "analyst"),
        (*queue[1], "decided", "not_same", "analyst"),
    ]
    page.close()


def test_search_flags(browser: Any, ui_server: str) -> None:
    from app.services import library, people

    a = analyst()
    rows = library.run(a, "serial_perpetrators", {})["rows"]
    tiers = {r["identity_id"]: r["tier"] for r in rows}
    subject = next(  # a perpetrator with an order in force today
        r for r in rows if library.run(a, "active_orders", {"person": r["identity_id"]})["rows"]
    )
    hits = people.search(a, name=subject["name"])
    page = login(browser, ui_server, "officer")
    page.fill("#search-box", subject["name"])
    page.click("#search-go")
    page.wait_for_selector("a.open-chart")
    flags = page.locator("#search-results td.sw-flags").all_inner_texts()
    assert len(flags) == len(hits)
    assert any("ACTIVE ORDERS" in f for f in flags)
    named = {"serial": "SERIAL perpetrator", "at_risk": "At risk of serial offending"}
    for hit, text in zip(hits, flags, strict=True):
        orders = library.run(a, "active_orders", {"person": hit["identity_id"]})["rows"]
        tier = tiers.get(hit["identity_id"])
        assert (named[tier] in text) if tier else not text.startswith(("SERIAL", "At risk"))
        assert ("ACTIVE ORDERS" in text) == bool(orders)
        if orders:
            assert f"ACTIVE ORDERS ({len(orders)})" in text
    page.close()
