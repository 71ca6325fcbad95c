"""The link chart read at a glance, measured in headless chromium at 1920x1080 with cytoscape's
own bounding boxes: people (one node per identity, never a record key as a label), a victim's
records folded into her group, no overlapping labels or nodes, the chart with most of the
screen and all of it in view, the same chart laid out the same way every time."""

from __future__ import annotations

from typing import Any

from tests.ui.browse import cy, tap, wait_cy
from tests.ui.conftest import analyst, login

FULL_HD = {"width": 1920, "height": 1080}

# Boxes (model coordinates) of the visible nodes' bodies and of the labels drawn at this zoom
# (cytoscape hides a label whose font would be drawn under `min-zoomed-font-size`).
BOXES = """(() => {
  const z = cy.zoom();
  const nodes = cy.nodes(':visible').filter(n => !n.isParent());
  const drawn = nodes.filter(n => String(n.style('label') || '').length > 0
      && n.pstyle('font-size').pfValue * z >= n.pstyle('min-zoomed-font-size').pfValue);
  const box = b => [b.x1, b.y1, b.x2, b.y2];
  return {
    nodes: nodes.map(n => [n.id(), box(n.boundingBox({includeLabels: false}))]),
    labels: drawn.map(n => [n.id(), box(n.boundingBox({includeNodes: false,
      includeEdges: false, includeLabels: true}))]),
    whole: (b => [b.x1, b.y1, b.x2, b.y2])(cy.elements(':visible')
      .renderedBoundingBox({includeLabels: true})),
    size: [cy.width(), cy.height()],
    texts: nodes.map(n => String(n.data('label') || '')),
  };
})()"""


def overlapping(boxes: list[list[Any]]) -> list[tuple[str, str]]:
    out = []
    for i, (a, (ax1, ay1, ax2, ay2)) in enumerate(boxes):
        for b, (bx1, by1, bx2, by2) in boxes[i + 1 :]:
            if ax1 < bx2 and bx1 < ax2 and ay1 < by2 and by1 < ay2:
                out.append((a, b))
    return out


# Every person drawn by the label its zoom calls for: the short one ("V3") under its `oz`.
SETTLED = """cy.nodes('[ofont]')
  .every(n => n.hasClass('overview') === (cy.zoom() < n.data('oz')))"""


def open_subject(page: Any, base: str, ident: str) -> dict[str, Any]:
    page.goto(f"{base}/ui/chart?person={ident}")
    wait_cy(page, "cy.nodes('.subject').length > 0 && cy.nodes().length > 2")
    page.wait_for_timeout(500)  # the fit after the preset layout
    wait_cy(page, SETTLED)
    measured: dict[str, Any] = cy(page, BOXES)
    return measured


def assert_readable(page: Any, m: dict[str, Any]) -> None:
    assert len(m["labels"]) == len(m["nodes"]), "a person's label is not drawn on open"
    assert overlapping(m["labels"]) == []
    assert overlapping(m["nodes"]) == []
    rect = page.evaluate(
        "() => { const r = document.getElementById('chart').getBoundingClientRect();"
        " return [r.x, r.y, r.right, r.bottom]; }"
    )
    x1, y1, x2, y2 = rect
    assert x1 >= 0 and y1 >= 0 and x2 <= FULL_HD["width"] and y2 <= FULL_HD["height"]
    assert (x2 - x1) * (y2 - y1) >= 0.7 * FULL_HD["width"] * FULL_HD["height"]
    wx1, wy1, wx2, wy2 = m["whole"]
    w, h = m["size"]
    assert wx1 >= 0 and wy1 >= 0 and wx2 <= w and wy2 <= h, "part of the chart is out of view"


def test_default_chart_is_people_and_readable(
    browser: Any, ui_server: str, planted: dict[str, Any]
) -> None:
    from app.services import library

    chain = library.run(analyst(), "victim_chain", {"person": planted["id"]})["rows"]
    page = login(browser, ui_server, "analyst", viewport=FULL_HD)
    m = open_subject(page, ui_server, planted["id"])
    assert_readable(page, m)
    # people, not records: every victim of his chain is one node, her records folded in
    ids = [n for n, _ in m["nodes"]]
    assert len(ids) == len(set(ids))
    victims = set(cy(page, "cy.nodes('.victim').map(n => n.id())"))
    assert {v["identity_id"] for v in chain} <= victims
    assert not any(t.startswith("ID:") or ":P0" in t for t in m["texts"])
    assert planted["name"] in m["texts"][ids.index(planted["id"])]
    assert set(planted["victims"]) <= {t.split("\n")[0] for t in m["texts"]}
    # a victim's group: closed with a count badge, opened into her incidents and orders
    v = chain[0]["identity_id"]
    count = cy(page, "cy.getElementById(arg).data('count')", v)
    assert count >= chain[0]["incidents"] >= 1
    before = {p[0]: p[1] for p in cy(page, "cy.nodes().map(n => [n.id(), n.position()])")}
    tap(page, v)
    page.wait_for_function(
        "(n) => document.querySelector('#chart-detail').innerText.includes(n)",
        arg=chain[0]["name"],
    )
    detail = page.inner_text("#chart-detail")
    assert "timeStamp" not in detail and "Source records" in detail
    page.click("#chart-group")
    wait_cy(page, "cy.getElementById('grp:' + arg).isParent()", v)
    inside = cy(page, "cy.getElementById('grp:' + arg).children().length", v)
    assert inside == count + 1  # her records and herself
    after = {p[0]: p[1] for p in cy(page, "cy.nodes().map(n => [n.id(), n.position()])")}
    assert all(after[k] == before[k] for k in before if k in after), "opening moved the chart"
    page.close()


def test_layout_is_deterministic(browser: Any, ui_server: str, planted: dict[str, Any]) -> None:
    page = login(browser, ui_server, "analyst", viewport=FULL_HD)
    places = []
    for _ in range(2):
        open_subject(page, ui_server, planted["id"])
        places.append(cy(page, "cy.nodes().map(n => [n.id(), n.position()])"))
    assert sorted(map(str, places[0])) == sorted(map(str, places[1]))
    page.close()


def test_partner_chart_is_readable_and_redacted(
    browser: Any, ui_server: str, planted: dict[str, Any]
) -> None:
    page = login(browser, ui_server, "partner", "MAPPA+ meeting, partner agency", FULL_HD)
    m = open_subject(page, ui_server, planted["id"])
    assert_readable(page, m)
    names = {t.split("\n")[0] for t in m["texts"]}
    assert any(n.startswith("Victim ") for n in names)
    assert not names & set(planted["victims"])
    page.close()


def test_roles_belong_to_people(browser: Any, ui_server: str, planted: dict[str, Any]) -> None:
    """With incidents and orders filtered out, his victims are still drawn as victims."""
    from app.services import library

    chain = library.run(analyst(), "victim_chain", {"person": planted["id"]})["rows"]
    page = login(browser, ui_server, "analyst", viewport=FULL_HD)
    open_subject(page, ui_server, planted["id"])
    page.click("#chart-filters-open")
    for kind in ("Incident", "Order"):
        page.locator("#chart-labels label", has_text=kind).click()
    with page.expect_response(
        lambda r: "_dash-update-component" in r.url and '"chart-els' in (r.request.post_data or "")
    ):
        page.click("#chart-apply")
    page.wait_for_timeout(1000)  # the answer drawn
    on_chart = set(cy(page, "cy.nodes().map(n => n.id())"))
    shown = [v["identity_id"] for v in chain if v["identity_id"] in on_chart]
    assert shown, "none of his victims is on the chart without incidents and orders"
    victims = set(cy(page, "cy.nodes('.victim').map(n => n.id())"))
    assert set(shown) <= victims
    assert cy(page, "cy.getElementById(arg).hasClass('perpetrator')", planted["id"])
    page.close()


def test_saved_layout_reopens(browser: Any, ui_server: str, planted: dict[str, Any]) -> None:
    page = login(browser, ui_server, "analyst", viewport=FULL_HD)
    open_subject(page, ui_server, planted["id"])
    moved = cy(page, "cy.nodes('.victim')[0].id()")
    cy(page, "cy.getElementById(arg).position({x: 4321, y: -1234}) && true", moved)
    page.click("#chart-save")
    page.wait_for_function(
        "(id) => (localStorage.getItem('chart-saved') || '').includes(id)",
        arg=moved,
    )
    open_subject(page, ui_server, planted["id"])  # reopened: his saved places, not the rings
    assert cy(page, "cy.getElementById(arg).position()", moved) == {"x": 4321, "y": -1234}
    page.close()


def test_toolbar_fits_a_1400_screen(browser: Any, ui_server: str, planted: dict[str, Any]) -> None:
    """At 1400x900 every toolbar control is on screen (none runs off its right edge) and the
    toolbar keeps to one line; the exports, folded into a menu, open on screen."""
    size = {"width": 1400, "height": 900}
    page = login(browser, ui_server, "analyst", viewport=size)
    open_subject(page, ui_server, planted["id"])
    controls = page.evaluate(
        """() => [...document.querySelectorAll('.sw-toolbar > *')]
          .filter(e => getComputedStyle(e).display !== 'none' && e.offsetWidth > 1)
          .map(e => { const r = e.getBoundingClientRect();
            return [e.id || e.className || e.tagName, r.left, r.top, r.right, r.bottom]; })"""
    )
    assert len(controls) >= 10
    outside = [c for c in controls if c[1] < 0 or c[2] < 0 or c[3] > 1400 or c[4] > 900]
    assert outside == [], f"toolbar controls off screen: {outside}"
    assert max(c[2] for c in controls) < min(c[4] for c in controls), "not on one line"
    page.click("#chart-export-open")  # the exports, folded into a menu, open on screen
    menu = page.evaluate(
        """() => [...document.querySelectorAll('.sw-menu button')]
          .map(e => { const r = e.getBoundingClientRect(); return [r.left, r.right, r.bottom]; })"""
    )
    assert len(menu) == 4 and all(0 <= x1 and x2 <= 1400 and y2 <= 900 for x1, x2, y2 in menu)
    page.close()


def test_the_chart_takes_the_screen_under_a_wrapped_header(
    browser: Any, ui_server: str, planted: dict[str, Any]
) -> None:
    """At 1400x900 the header wraps to two lines; the chart still ends on screen and fills
    it to within its margin."""
    page = login(browser, ui_server, "analyst", viewport={"width": 1400, "height": 900})
    open_subject(page, ui_server, planted["id"])
    header, bottom = page.evaluate(
        """() => [document.querySelector('.sw-header').offsetHeight,
                  document.querySelector('#chart').getBoundingClientRect().bottom]"""
    )
    assert header > 60, "the header is expected to wrap at 1400 px"
    assert 900 - 40 <= bottom <= 900
    page.close()
