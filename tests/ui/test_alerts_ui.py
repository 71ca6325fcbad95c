"""The alerts page in headless chromium: the header badge shows the count of new alerts, the
page lists them, shows one's evidence and acknowledges it as the logged-in user."""

from __future__ import annotations

import re
from typing import Any

from graph import alerts as al
from tests.ui.conftest import login


def test_badge_counts_and_the_page_acknowledges(
    browser: Any, ui_server: str, ui_data: dict[str, Any]
) -> None:
    new = al.count("new")
    assert new > 0, "the synthetic delivery raised no alerts"
    page = login(browser, ui_server, "caseworker")
    page.wait_for_selector(f"#sw-alert-badge:has-text('{new} new alerts')")
    page.click("#sw-alert-badge")
    page.wait_for_url("**/ui/alerts")
    page.wait_for_selector("#alerts-table")
    first = page.locator("#alerts-table td[data-dash-column=alert_id]").first
    alert_id = first.inner_text().strip()
    assert al.alert(alert_id)["status"] == "new"
    page.locator("#alerts-table input[type=radio]").first.check()
    page.wait_for_selector("#alerts-detail-status")
    link = page.get_attribute("#alerts-chart-link", "href") or ""
    assert re.search(r"/ui/chart\?person=\S+", link)
    assert page.locator("#alerts-detail table tr").count() >= 2  # the evidence records
    page.click("#alerts-ack")
    page.wait_for_selector(f"#alerts-moved:has-text('{alert_id}: acknowledged')")
    done = al.alert(alert_id)
    assert done["status"] == "acknowledged" and done["status_by"] == "caseworker"
    page.wait_for_function(  # the listing (status new) no longer holds it
        "(id) => ![...document.querySelectorAll('#alerts-table td[data-dash-column=alert_id]')]"
        ".some(td => td.innerText.trim() === id)",
        arg=alert_id,
    )
    page.close()
