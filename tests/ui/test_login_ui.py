"""The first screen in headless chromium: no error before anyone has done anything, no pages or
"Log out" in the header until someone is logged in, Enter in any field submits, a missing
purpose is asked for in plain words, and the site's root sends people to the explorer."""

from __future__ import annotations

from typing import Any
from urllib.request import Request, urlopen

from tests.ui.conftest import password


def test_the_login_page_says_nothing_until_asked_and_enter_submits(
    browser: Any, ui_server: str, ui_data: dict[str, Any]
) -> None:
    page = browser.new_page(viewport={"width": 1920, "height": 1080})
    page.set_default_timeout(30_000)
    page.goto(ui_server + "/ui/")
    page.wait_for_selector("#login-submit")
    page.wait_for_load_state("networkidle")  # every callback of the first draw has answered
    assert page.locator(".sw-error").count() == 0
    assert page.inner_text("#login-message").strip() == ""
    assert not page.is_visible("#sw-logout") and not page.is_visible("#sw-nav a")

    page.fill("#login-user", "officer")
    page.fill("#login-password", password("officer"))
    page.press("#login-password", "Enter")  # no purpose yet: asked for in plain words
    page.wait_for_selector(".sw-error")
    message = page.inner_text(".sw-error")
    assert "Say why" in message and "X-Purpose" not in message and "header" not in message

    page.fill("#login-purpose", "UI test, synthetic data")
    page.press("#login-password", "Enter")
    page.wait_for_url("**/ui/search")
    page.wait_for_selector("#sw-logout", state="visible")
    assert page.is_visible("#sw-nav a")
    page.click("#sw-logout")
    page.wait_for_selector("#login-submit")
    page.wait_for_selector("#sw-logout", state="hidden")
    page.close()


def test_the_root_sends_people_to_the_explorer(ui_server: str) -> None:
    with urlopen(Request(ui_server + "/"), timeout=30) as r:  # follows the redirect
        assert r.url.rstrip("/").endswith("/ui") and r.status == 200
