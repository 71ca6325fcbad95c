"""The browser side of the hardening: under the service's Content-Security-Policy every page of
the explorer runs without a single violation, /docs renders with nothing fetched from outside,
and the UI login locks a user out after repeated failures with a readable message."""

from __future__ import annotations

import os
from typing import Any

from tests.ui.conftest import login, password

PAGES = ["Search", "Link chart", "Serial perpetrators", "Saved queries", "MAPPA+ meeting",
         "Review queue", "Alerts"]  # fmt: skip


def watch_violations(page: Any) -> list[str]:
    """Every CSP violation the page reports (as its console does)."""
    seen: list[str] = []
    page.on(
        "console",
        lambda m: seen.append(m.text) if "Content Security Policy" in m.text else None,
    )
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => "
        "console.error('Content Security Policy violation: ' + e.violatedDirective + ' ' "
        "+ e.blockedURI))"
    )
    return seen


def test_every_page_runs_under_the_csp(browser: Any, ui_server: str, planted: Any) -> None:
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.set_default_timeout(30_000)
    seen = watch_violations(page)
    page.goto(ui_server + "/ui/")
    page.fill("#login-user", "caseworker")
    page.fill("#login-password", password("caseworker"))
    page.fill("#login-purpose", "UI test, synthetic data")
    page.click("#login-submit")
    page.wait_for_selector("text=caseworker · caseworker")
    for title in PAGES:
        page.click(f".sw-header a:has-text('{title}')")
        page.wait_for_timeout(1500)
    page.click(".sw-header a:has-text('Search')")
    page.fill("#search-box", planted["name"])
    page.click("#search-go")
    page.wait_for_selector("#search-results table")
    assert not seen, seen
    page.close()


def test_docs_render_from_the_service_alone(browser: Any, ui_server: str) -> None:
    page = browser.new_page()
    seen = watch_violations(page)
    outside: list[str] = []

    def only_the_service(route: Any) -> None:
        if route.request.url.startswith(ui_server):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", only_the_service)
    page.goto(ui_server + "/docs")
    page.wait_for_selector(".opblock-summary-path >> text=/token", timeout=60_000)
    assert not outside and not seen, (outside, seen)
    page.close()


def test_the_ui_login_locks_out_after_repeated_failures(browser: Any, ui_server: str) -> None:
    from app.security import users

    name = f"ui.{os.urandom(3).hex()}"
    users.add(name, "officer", password("officer"))
    page = browser.new_page()
    page.goto(ui_server + "/ui/")
    page.fill("#login-user", name)
    page.fill("#login-purpose", "UI test, synthetic data")
    for attempt in range(5):
        page.fill("#login-password", "not the password")
        page.click("#login-submit")
        page.wait_for_selector("#login-message:has-text('wrong user name or password')")
        for _ in range(100):  # the same message again: count the failures the server kept
            if failures(name) == attempt + 1:
                break
            page.wait_for_timeout(200)
    page.fill("#login-password", password("officer"))  # the right one, too late
    page.click("#login-submit")
    page.wait_for_selector("#login-message:has-text('too many failed logins')")
    assert "/ui/search" not in page.url
    page.close()
    assert login(browser, ui_server, "officer")  # others still log in


def failures(name: str) -> int:
    from app.security.store import connect

    with connect() as conn:
        row = conn.execute("SELECT count(*) FROM login_failures WHERE name = ?", (name,)).fetchone()
    return int(row[0])
