"""Regenerate docs/screenshots/*.png from a running explorer (e.g. `serialwatch demo`):
`python -m dashboards.screenshots --url http://127.0.0.1:8000 --user demo-caseworker
--password ...`. Uses Debian's chromium headless (never a downloaded browser) at 1920x1080,
the screen the explorer is judged on, and poppler's `pdftoppm` for the briefing pack's pages.
The subject shown is the serial perpetrator with most victims (first in the serial list)."""

from __future__ import annotations

import argparse
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run", "--disable-sync"]  # fmt: skip
OUT = Path(__file__).resolve().parents[1] / "docs" / "screenshots"
WIDTH, HEIGHT = 1920, 1080


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", default="http://127.0.0.1:8000")
    ap.add_argument("--user", required=True)
    ap.add_argument("--password", required=True)
    a = ap.parse_args()
    if shutil.which("pdftoppm") is None:
        raise SystemExit("pdftoppm is missing: apt-get install -y poppler-utils")
    from playwright.sync_api import sync_playwright

    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=FLAGS)
        page = b.new_page(viewport={"width": WIDTH, "height": HEIGHT}, accept_downloads=True)
        page.set_default_timeout(90_000)
        page.goto(a.url + "/ui/")
        page.wait_for_selector("#login-submit")
        shot(page, "login")
        page.fill("#login-user", a.user)
        page.fill("#login-password", a.password)
        page.fill("#login-purpose", "Screenshots for the README (synthetic data)")
        page.click("#login-submit")
        page.wait_for_url("**/ui/search")
        page.click("a:has-text('Serial perpetrators')")
        page.wait_for_selector("#serial-rfgv")
        page.wait_for_timeout(1500)
        shot(page, "serial")
        name = page.locator("#serial-tiers td").nth(1).inner_text()
        page.click("a:has-text('Search')")
        page.fill("#search-box", name)
        page.click("#search-go")
        page.wait_for_selector("a.open-subject")
        shot(page, "search")
        page.locator("a.open-subject", has_text=name).first.click()
        page.wait_for_selector("#chain-story")
        page.wait_for_timeout(1000)
        shot(page, "subject")
        person = page.url.split("person=", 1)[1]
        page.goto(f"{a.url}/ui/chain?person={person}")
        page.wait_for_selector("#chain-story .sw-chain-card")
        shot(page, "chain")
        page.goto(f"{a.url}/ui/chart?person={person}")
        page.wait_for_selector("#chart-rank td")
        page.wait_for_timeout(2500)
        shot(page, "chart")
        page.click("a:has-text('Saved queries')")
        page.click("#q-name")
        page.locator("[role=option]", has_text="(rfgv_ranking)").first.click()
        page.click("#q-run")
        page.wait_for_selector("#q-count")
        shot(page, "queries")
        meeting(page, name)
        page.click("a:has-text('Review queue')")
        page.wait_for_timeout(1500)
        shot(page, "review")
        b.close()
    print(f"screenshots in {OUT}")


def shot(page: Any, name: str) -> None:
    """What the screen shows (1920x1080), as a person sees it on opening the page."""
    page.screenshot(path=str(OUT / f"{name}.png"))


def meeting(page: Any, name: str) -> None:
    """Meeting mode presenting the subject, full screen on his first victim; then the PDF
    briefing pack's first page and its chart page as pictures."""
    page.click("a:has-text('MAPPA+ meeting')")
    page.click("#meet-subjects")
    page.locator("[role=option]").first.wait_for()  # the serial list has answered
    page.keyboard.type(name)
    page.locator("[role=option]", has_text=name).first.click()
    page.keyboard.press("Escape")
    page.wait_for_selector("#chain-story")
    page.click("#meet-full")
    page.click("#meet-next")
    page.wait_for_timeout(2500)
    shot(page, "meeting")
    with page.expect_download() as d:
        page.click("#meet-pdf")
    with tempfile.TemporaryDirectory() as tmp:
        pdf = Path(tmp) / "pack.pdf"
        d.value.save_as(pdf)
        for first, picture in ((1, "pdf"), (_chart_page(pdf), "pdf-chart")):
            subprocess.run(
                ["pdftoppm", "-r", "80", "-png", "-singlefile", "-f", str(first), "-l",
                 str(first), str(pdf), str(OUT / picture)],
                check=True,
            )  # fmt: skip
    page.keyboard.press("Escape")
    page.goto(page.url)  # out of full screen, the header back


def _chart_page(pdf: Path) -> int:
    from pypdf import PdfReader  # a test dependency (installed with the dev extras)

    pages = PdfReader(pdf).pages
    return next(i for i, p in enumerate(pages, start=1) if "Link chart" in p.extract_text())


if __name__ == "__main__":
    main()
