"""The victim chain story at the sizes a MAPPA+ panel meets (18 and 40 victims) in headless
chromium at 1920x1080: every victim on screen (scrolled to), numbered 1..N in order with her
first date, in chain order, large type, no two cards overlapping; and the link chart of the
man with 18 victims opens as readable people groups too."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest

from tests.ui.browse import choose, cy, wait_cy
from tests.ui.conftest import analyst, login
from tests.ui.test_chart_readable import (
    BOXES,
    FULL_HD,
    SETTLED,
    assert_readable,
    open_subject,
    overlapping,
)

CARDS = """() => [...document.querySelectorAll('#chain-story .sw-chain-card')].map(c => {
  const r = c.getBoundingClientRect();
  return {n: c.querySelector('.sw-chain-n').innerText,
          first: c.querySelector('.sw-chain-first').innerText,
          font: parseFloat(getComputedStyle(c.querySelector('.sw-chain-first')).fontSize),
          box: [r.left + scrollX, r.top + scrollY, r.right + scrollX, r.bottom + scrollY],
          width: r.width, height: r.height};
})"""


@pytest.mark.parametrize("n", [18, 40])
def test_chain_story_readable(browser: Any, ui_server: str, chains: dict[int, str], n: int):
    from app.services import network

    expected = network.victim_story(analyst(), chains[n])
    assert len(expected) == n
    page = login(browser, ui_server, "caseworker", viewport=FULL_HD)
    page.goto(f"{ui_server}/ui/chain?person={quote(chains[n])}")
    page.wait_for_function(
        "(n) => document.querySelectorAll('#chain-story .sw-chain-card').length === n", arg=n
    )
    cards = page.evaluate(CARDS)
    assert [c["n"] for c in cards] == [str(i) for i in range(1, n + 1)]
    assert [c["first"] for c in cards] == [str(v["first_date"]) for v in expected]
    assert all(c["font"] >= 16 and c["width"] >= 280 for c in cards)  # never dots
    assert overlapping([[c["n"], c["box"]] for c in cards]) == []
    # reading order: left to right, then the next row (a wrapped theme line)
    tops = [(round(c["box"][1]), c["box"][0]) for c in cards]
    assert tops == sorted(tops)
    for c in (cards[0], cards[-1]):  # each card can be brought into view whole
        page.evaluate("(y) => window.scrollTo(0, y - 80)", c["box"][1])
        top = page.evaluate("() => scrollY")
        assert c["box"][1] >= top and c["box"][3] <= top + FULL_HD["height"]
    page.close()


# Rendered size (screen px) of every label drawn on the chart, with the text drawn.
FONTS = """cy.nodes(':visible').filter(n => String(n.style('label') || '').length > 0)
  .map(n => [n.pstyle('label').strValue, n.pstyle('font-size').pfValue * cy.zoom(), n.id()])"""
ROOM_PX = 18  # a label read from the back of a meeting room on a 1920x1080 screen


@pytest.mark.parametrize("n", [18, 40])
def test_chart_of_many_victims(browser: Any, ui_server: str, chains: dict[int, str], n: int):
    """His chart opens as readable people groups; at the zoom that fits it, each person is
    drawn by a label of OVERVIEW_PX or more (his victims by their numbers in his chain, V1 to
    Vn, as the chain story numbers them; him by name), no two overlapping; zoomed in, names."""
    from app.services import network, people
    from dashboards.components.overview import OVERVIEW_PX

    ident = people.profile(analyst(), chains[n])["identity_id"]
    number = {v["identity_id"]: v["n"] for v in network.victim_story(analyst(), chains[n])}
    page = login(browser, ui_server, "analyst", viewport=FULL_HD)
    m = open_subject(page, ui_server, ident)
    assert_readable(page, m)
    assert len(m["nodes"]) <= n + 4  # him, n victim groups and little else
    fonts = cy(page, FONTS)
    small = [(t, round(px, 1)) for t, px, _ in fonts if px < OVERVIEW_PX]
    assert small == [], f"labels under {OVERVIEW_PX} px at the zoom that fits the chart"
    drawn = {k: t for t, _, k in fonts}
    assert {drawn[k] for k in number} == {f"V{i}" for i in range(1, n + 1)}
    assert all(drawn[k] == f"V{v}" for k, v in number.items())
    assert f"Chainman{n}" in drawn[ident]
    # zoomed in on him: names again, as large as they are set
    cy(page, "cy.zoom({level: 1.2, position: cy.getElementById(arg).position()}) && true", ident)
    wait_cy(page, SETTLED + " && cy.nodes('.overview').length === 0")
    names = {t for t, px, _ in cy(page, FONTS) if px >= OVERVIEW_PX}
    assert any("Chainvictim" in t for t in names)
    assert overlapping(cy(page, BOXES)["labels"]) == []
    page.close()


def _present(page: Any, n: int) -> dict[str, Any]:
    """Meeting mode presenting Chainman`n`: his n numbered cards, then his chart's boxes."""
    page.click("a:has-text('MAPPA+ meeting')")
    page.click("#meet-subjects")
    page.locator("[role=option]").first.wait_for(timeout=90_000)
    page.keyboard.press("Escape")
    choose(page, "meet-subjects", f"Chainman{n}", f"Chainman{n}")
    page.keyboard.press("Escape")
    page.wait_for_selector(f"h1:has-text('Chainman{n}')")
    numbers = page.locator("#chain-story .sw-chain-n").all_inner_texts()
    assert numbers == [str(i) for i in range(1, n + 1)]
    wait_cy(page, f"cy.nodes('.victim').length === {n}", cid="meet-chart")
    page.wait_for_timeout(500)  # the fit after the preset layout
    m: dict[str, Any] = cy(page, BOXES, cid="meet-chart")
    assert len(m["labels"]) == len(m["nodes"]) == n + 1
    assert overlapping(m["labels"]) == [] and overlapping(m["nodes"]) == []
    wx1, wy1, wx2, wy2 = m["whole"]
    assert wx1 >= 0 and wy1 >= 0 and wx2 <= m["size"][0] and wy2 <= m["size"][1]
    rect = page.evaluate(
        "() => { const r = document.getElementById('meet-chart').getBoundingClientRect();"
        " return [r.x, r.y, r.right, r.bottom]; }"
    )
    assert rect[0] >= 0 and rect[1] >= 0, "the chart starts off the screen"
    assert rect[2] <= FULL_HD["width"] and rect[3] <= FULL_HD["height"], "chart below the fold"
    fonts = cy(page, FONTS, cid="meet-chart")
    assert sorted(t for t, _, _ in fonts if t.isdigit()) == sorted(str(i) for i in range(1, n + 1))
    m["fonts"] = fonts
    return m


@pytest.mark.parametrize("role", ["caseworker", "partner"])
def test_meeting_of_eighteen_victims(
    browser: Any, ui_server: str, chains: dict[int, str], role: str
) -> None:
    """Meeting mode, as a caseworker and in a partner's view: his chain story first, 18
    numbered cards, and the chart beside it with each victim drawn as her number, no
    overlapping labels or nodes, every label at least 18 px, all of it in view."""
    from app.services import network

    names = {v["name"] for v in network.victim_story(analyst(), chains[18])}
    page = login(browser, ui_server, role, "MAPPA+ meeting, synthetic case", FULL_HD)
    m = _present(page, 18)
    small = [(t, round(px, 1)) for t, px, _ in m["fonts"] if px < ROOM_PX]
    assert small == [], f"labels under {ROOM_PX} px"
    text = page.inner_text("#meet-root")
    if role == "partner":
        assert "Victim 1" in text and not [n for n in names if n in text]
    else:
        assert all(n in text for n in names)
    page.close()


def test_meeting_of_forty_victims(browser: Any, ui_server: str, chains: dict[int, str]) -> None:
    """At 40 victims the meeting chart still draws every number, 1 to 40, at OVERVIEW_PX or
    more (larger type, the rings spread to keep it apart), never shrunk to dots."""
    from dashboards.components.overview import OVERVIEW_PX

    page = login(browser, ui_server, "caseworker", "MAPPA+ meeting, synthetic case", FULL_HD)
    m = _present(page, 40)
    small = [(t, round(px, 1)) for t, px, _ in m["fonts"] if px < OVERVIEW_PX]
    assert small == [], f"labels under {OVERVIEW_PX} px"
    page.close()


def test_a_meeting_picks_by_typing_someone_on_no_list(browser: Any, ui_server: str) -> None:
    """A name typed into the meeting's picker is searched for among everyone once the typing
    pauses: a victim, on no serial list, is offered as such and presented when picked."""
    page = login(browser, ui_server, "caseworker", "MAPPA+ meeting, synthetic case", FULL_HD)
    page.click("a:has-text('MAPPA+ meeting')")
    page.click("#meet-subjects")
    page.locator("[role=option]").first.wait_for(timeout=90_000)
    assert page.locator("[role=option]", has_text="Chainvictim07").count() == 0
    choose(page, "meet-subjects", "Chainvictim07", "Chainvictim07 · not on the serial list")
    page.keyboard.press("Escape")
    page.wait_for_selector("h1:has-text('Chainvictim07')")
    page.close()
