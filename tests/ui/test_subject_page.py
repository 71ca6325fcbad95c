"""The subject page at 1920x1080, opened from search as a person would: his identity, flags,
key facts, orders in force, his chain story (numbered 1..18) and the ways on (chart, chain,
disclosure check) present; no two boxes of text overlapping; the partner's page redacted."""

from __future__ import annotations

from typing import Any

from dashboards.components.flags import TIERS
from tests.ui.conftest import analyst, login
from tests.ui.test_chart_readable import FULL_HD, overlapping

# A box per line of every text node drawn (its own, not its element's: inline neighbours such
# as "Gravest: " and its <strong> sit side by side), shrunk by half a pixel for kerning.
TEXT_BOXES = """() => {
  const out = [];
  const walk = document.createTreeWalker(document.getElementById('subject-view'),
                                         NodeFilter.SHOW_TEXT);
  for (let t = walk.nextNode(); t; t = walk.nextNode()) {
    if (!t.textContent.trim()) { continue; }
    const r = document.createRange();
    r.selectNodeContents(t);
    for (const b of r.getClientRects()) {
      if (b.width < 1 || b.height < 1) { continue; }
      out.push([t.textContent.trim().slice(0, 30), [b.left + scrollX + 0.5,
        b.top + scrollY + 0.5, b.right + scrollX - 0.5, b.bottom + scrollY - 0.5]]);
    }
  }
  return out;
}"""


def _open(page: Any, name: str) -> None:
    page.click("a:has-text('Search')")
    page.fill("#search-box", name)
    page.click("#search-go")
    page.locator("a.open-subject", has_text=name).first.click()
    page.wait_for_url("**/ui/subject?person=*")
    page.wait_for_selector("#chain-story .sw-chain-card")


def test_subject_page_from_search(browser: Any, ui_server: str, chains: dict[int, str]) -> None:
    from app.services import library, network, people

    ident = people.profile(analyst(), chains[18])["identity_id"]
    chain = network.victim_story(analyst(), ident)
    page = login(browser, ui_server, "caseworker", viewport=FULL_HD)
    _open(page, "Chainman18")
    assert "Chainman18" in page.inner_text("#subject-name")
    facts = page.inner_text("#subject-facts")
    assert "18\nVictims" in facts and "Breaches of orders" in facts
    assert "Missed or late notifications" in facts
    tier = next(r["tier"] for r in library.run(analyst(), "serial_perpetrators", {})["rows"]
                if r["identity_id"] == ident)  # fmt: skip
    assert TIERS[tier] in page.inner_text(".sw-subject-head")  # his flag, as the list has it
    identity = page.inner_text("#subject-identity")
    assert ident in identity and "1971-02-03" in identity and "Aliases" in identity
    assert "Orders in force today" in page.inner_text("#subject-orders")
    numbers = page.locator("#chain-story .sw-chain-n").all_inner_texts()
    assert numbers == [str(i) for i in range(1, 19)]
    firsts = page.locator("#chain-story .sw-chain-first").all_inner_texts()
    assert firsts == [str(v["first_date"]) for v in chain]
    assert chain[0]["name"] in page.inner_text("#chain-story")
    hrefs = page.eval_on_selector_all(".sw-subject-links a", "as => as.map(a => a.href)")
    assert any("/ui/chart?person=" in h for h in hrefs)
    assert any("/ui/chain?person=" in h for h in hrefs)
    assert any(h.endswith("#disclosure") for h in hrefs)
    boxes = page.evaluate(TEXT_BOXES)
    assert len(boxes) > 60
    assert overlapping(boxes) == []
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= FULL_HD["width"], "the page scrolls sideways"
    page.click("#subject-disclose")
    page.wait_for_selector("#subject-disclosure table")
    assert "Prior victims" in page.inner_text("#subject-disclosure")
    page.click(".sw-subject-links a.open-chart")
    page.wait_for_url("**/ui/chart?person=*")
    page.close()


def test_partner_subject_page_redacted(
    browser: Any, ui_server: str, chains: dict[int, str]
) -> None:
    from app.services import network

    names = {v["name"] for v in network.victim_story(analyst(), chains[18])}
    page = login(browser, ui_server, "partner", "MAPPA+ meeting, partner agency", FULL_HD)
    _open(page, "Chainman18")
    text = page.inner_text("#subject-view")
    assert "Partner view" in text
    assert "Victim 1" in text and "Victim 18" in text
    assert not [n for n in names if n in text] and "Chainvictim" not in text
    assert overlapping(page.evaluate(TEXT_BOXES)) == []
    page.close()
