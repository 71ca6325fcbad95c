"""The alerts inbox in headless chromium: the header badge counts the high-priority items, the
page lists one item per perpetrator with its reasons, shows one item's alerts and acknowledges
it (and its alerts) as the logged-in user."""

from __future__ import annotations

import re
from typing import Any

from graph import alert_items as items
from tests.ui.conftest import login


def test_badge_counts_and_the_page_acknowledges(
    browser: Any, ui_server: str, ui_data: dict[str, Any]
) -> None:
    counts = items.count(status="new")
    assert counts["total"] > 0, "the synthetic delivery put nothing in the inbox"
    page = login(browser, ui_server, "caseworker")
    page.wait_for_selector(f"#sw-alert-badge:has-text('{counts.get('high', 0)} high-priority')")
    page.click("#sw-alert-badge")
    page.wait_for_url("**/ui/alerts")
    page.wait_for_selector("#alerts-table")
    assert f"of {counts['total']:,} items" in page.inner_text("#alerts-total")
    first = page.locator("#alerts-table td[data-dash-column=item_id]").first
    item_id = first.inner_text().strip()
    assert item_id == items.items(limit=1)[0]["item_id"]  # the most pressing first
    page.locator("#alerts-table input[type=radio]").first.check()
    page.wait_for_selector("#alerts-detail-status")
    assert "+" in page.inner_text("#alerts-detail-reasons")  # points, with their reasons
    link = page.get_attribute("#alerts-chart-link", "href") or ""
    assert re.search(r"/ui/chart\?person=\S+", link)
    assert page.locator("#alerts-detail table tr").count() >= 2  # its alerts
    page.click("#alerts-ack")
    page.wait_for_selector(f"#alerts-moved:has-text('{item_id}: acknowledged')")
    done = items.item(item_id)
    assert done["status"] == "acknowledged" and done["status_by"] == "caseworker"
    assert {a["status"] for a in done["alerts"]} == {"acknowledged"}
    page.wait_for_function(  # the listing (status new) no longer holds it
        "(id) => ![...document.querySelectorAll('#alerts-table td[data-dash-column=item_id]')]"
        ".some(td => td.innerText.trim() === id)",
        arg=item_id,
    )
    page.close()
