"""Regenerate docs/screenshots/*.png from a running explorer (e.g. `serialwatch demo`):
`python -m dashboards.screenshots --url http://127.0.0.1:8000 --user demo-caseworker
--password ...`. Uses Debian's chromium headless, never a downloaded browser."""

from __future__ import annotations

import argparse
from pathlib import Path

FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run", "--disable-sync"]  # fmt: skip
OUT = Path(__file__).resolve().parents[1] / "docs" / "screenshots"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", default="http://127.0.0.1:8000")
    ap.add_argument("--user", required=True)
    ap.add_argument("--password", required=True)
    a = ap.parse_args()
    from playwright.sync_api import sync_playwright

    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=FLAGS)
        page = b.new_page(viewport={"width": 1500, "height": 1000})
        page.set_default_timeout(60_000)
        page.goto(a.url + "/ui/")
        page.screenshot(path=str(OUT / "login.png"))
        page.fill("#login-user", a.user)
        page.fill("#login-password", a.password)
        page.fill("#login-purpose", "Screenshots for the README (synthetic data)")
        page.click("#login-submit")
        page.wait_for_url("**/ui/search")
        page.click("a:has-text('Serial perpetrators')")
        page.wait_for_selector("#serial-rfgv")
        page.screenshot(path=str(OUT / "serial.png"), full_page=True)
        name = page.locator("#serial-tiers td").nth(1).inner_text()
        page.click("a:has-text('Search')")
        page.fill("#search-box", name)
        page.click("#search-go")
        page.wait_for_selector("a.open-chart")
        page.screenshot(path=str(OUT / "search.png"))
        page.locator("a.open-chart").first.click()
        page.wait_for_selector("#chart-rank td")
        page.wait_for_timeout(2500)
        page.screenshot(path=str(OUT / "chart.png"), full_page=True)
        page.click("a:has-text('Saved queries')")
        page.click("#q-name")
        page.locator("[role=option]", has_text="(rfgv_ranking)").first.click()
        page.click("#q-run")
        page.wait_for_selector("#q-count")
        page.screenshot(path=str(OUT / "queries.png"), full_page=True)
        page.click("a:has-text('MAPPA+ meeting')")
        page.click("#meet-subjects")
        page.keyboard.type(name)
        page.locator("[role=option]", has_text=name).first.click()
        page.keyboard.press("Escape")
        page.wait_for_selector("h1")
        page.click("#meet-next")
        page.wait_for_timeout(2500)
        page.screenshot(path=str(OUT / "meeting.png"), full_page=True)
        page.click("a:has-text('Review queue')")
        page.wait_for_timeout(1500)
        page.screenshot(path=str(OUT / "review.png"))
        b.close()
    print(f"screenshots in {OUT}")


if __name__ == "__main__":
    main()
