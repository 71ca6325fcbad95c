"""A man with a hundred victims opens readable: his first 40 victims drawn (V1..V40), the
later ones folded into numbered range groups ("Victims 41–80", a count badge), every label
drawn at 14 px or more at 1400x1000 and 1920x1080, none overlapping, the whole chart in view;
a tap on a range opens it beside the rings without moving what is placed."""

from __future__ import annotations

from typing import Any

import pytest

from tests.ui.browse import SHOTS, cy, tap, wait_cy
from tests.ui.conftest import analyst, login
from tests.ui.test_chain_story import FONTS
from tests.ui.test_chart_readable import FULL_HD, open_subject, overlapping

LEAST_PX = 14
PLACES = "cy.nodes().filter(n => !n.isParent()).map(n => [n.id(), n.position()])"


@pytest.mark.parametrize("size", [{"width": 1400, "height": 1000}, FULL_HD], ids=["1400", "1920"])
def test_a_hundred_victims_open_readable(
    browser: Any, ui_server: str, chains: dict[int, str], size: dict[str, int]
) -> None:
    from app.services import network, people

    man = chains[100]
    ident = people.profile(analyst(), man)["identity_id"]
    number = {v["identity_id"]: v["n"] for v in network.victim_story(analyst(), man)}
    assert len(number) == 100
    page = login(browser, ui_server, "analyst", viewport=size)
    m = open_subject(page, ui_server, ident)
    assert len(m["labels"]) == len(m["nodes"]), "a label is not drawn on open"
    assert overlapping(m["labels"]) == [] and overlapping(m["nodes"]) == []
    wx1, wy1, wx2, wy2 = m["whole"]
    assert wx1 >= 0 and wy1 >= 0 and wx2 <= m["size"][0] and wy2 <= m["size"][1]
    fonts = cy(page, FONTS)
    small = [(t, round(px, 1)) for t, px, _ in fonts if px < LEAST_PX]
    assert small == [], f"labels under {LEAST_PX} px at the zoom that fits the chart"
    drawn = {k: t for t, _, k in fonts}
    first = {k for k, n in number.items() if n <= 40}
    assert {drawn[k] for k in first} == {f"V{i}" for i in range(1, 41)}
    assert not set(number) - first & set(drawn), "a later victim is drawn on open"
    ranges = cy(page, "cy.nodes('.range').map(n => [n.id(), n.data('count'), n.data('name')])")
    assert ranges == [["rng:41-80", 40, "Victims 41–80"], ["rng:81-100", 20, "Victims 81–100"]]
    assert drawn["rng:41-80"] == "V41–80"
    page.screenshot(path=str(SHOTS / f"chart-100-victims-{size['width']}.png"))
    # a tap opens a range beside the rings: his victims in it, nothing placed before moved
    # (the later range first: the earlier one, opened next, goes beside it)
    for g, numbers in (("rng:81-100", range(81, 101)), ("rng:41-80", range(41, 81))):
        before = dict(cy(page, PLACES))
        tap(page, g)
        wait_cy(page, "cy.getElementById(arg).isParent()", g)
        inside = cy(page, "cy.getElementById(arg).children().map(n => n.id())", g)
        assert sorted(number[k] for k in inside) == list(numbers)
        after = dict(cy(page, PLACES))
        moved = [k for k in before if k in after and after[k] != before[k]]
        assert moved == [], f"opening {g} moved what was placed"
    boxes = cy(
        page,
        "cy.nodes().filter(n => !n.isParent()).map(n => [n.id(), (b => [b.x1, b.y1, b.x2, b.y2])"
        "(n.boundingBox({includeLabels: false}))])",
    )
    assert overlapping(boxes) == [], "the opened range's victims land on other nodes"
    page.screenshot(path=str(SHOTS / f"chart-100-victims-{size['width']}-opened.png"))
    page.close()


def test_meeting_mode_numbers_the_ranges(
    browser: Any, ui_server: str, chains: dict[int, str]
) -> None:
    """Meeting mode draws his first 40 victims by their numbers and the later ones as the
    ranges 41–80 and 81–100 (the chain's numbers, as the cards beside them)."""
    from tests.ui.browse import choose

    page = login(browser, ui_server, "analyst", viewport=FULL_HD)
    page.click("a:has-text('MAPPA+ meeting')")
    page.click("#meet-subjects")
    page.locator("[role=option]").first.wait_for(timeout=90_000)
    page.keyboard.press("Escape")
    choose(page, "meet-subjects", "Chainman100", "Chainman100")
    page.keyboard.press("Escape")
    page.wait_for_selector("h1:has-text('Chainman100')")
    wait_cy(page, "cy.nodes('.range').length === 2", cid="meet-chart")
    labels = cy(page, "cy.nodes().map(n => String(n.data('label')))", cid="meet-chart")
    assert {"41–80", "81–100"} <= set(labels)
    assert {str(i) for i in range(1, 41)} <= set(labels)
    assert not {str(i) for i in range(41, 101)} & set(labels)
    page.close()
