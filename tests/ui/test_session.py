"""A session that lasts a meeting: with one-minute access tokens, a tab whose user keeps working
gets fresh tokens silently and still reads data well past the first token's end, while an idle
tab's token lapses and it asks for a login."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from typing import Any

import jwt
import pytest

from tests.ui.conftest import login, serving

TOKEN_SECONDS = 60


@pytest.fixture(scope="module")
def short_tokens(ui_server: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The same app, users and audit trail as `ui_server`, issuing one-minute tokens."""
    env = {**os.environ, "SERIALWATCH_TOKEN_MINUTES": str(TOKEN_SECONDS // 60)}
    with serving(env, tmp_path_factory.mktemp("short") / "uvicorn.log") as base:
        yield base


def _token(page: Any) -> str:
    session = json.loads(page.evaluate("() => window.sessionStorage.getItem('sw-session')"))
    token: str = session["token"]
    return token


def _expiry(token: str) -> float:
    return float(jwt.decode(token, options={"verify_signature": False})["exp"])


def _search(page: Any) -> str:
    page.click("a:has-text('Search')")
    page.fill("#search-box", "Smith")
    page.click("#search-go")
    page.wait_for_selector("#search-results table, #search-results .sw-error")
    text: str = page.inner_text("#search-results")
    return text


def test_active_session_outlives_its_token(browser: Any, short_tokens: str) -> None:
    active = login(browser, short_tokens, "officer", "MAPPA+ meeting (test of a long session)")
    idle = login(browser, short_tokens, "officer", "idle tab (test of a long session)")
    first = _token(active)
    ends = max(_expiry(first), _expiry(_token(idle)))
    # the user keeps working in one tab for longer than a token lives; the other tab sits idle
    while time.time() < ends + 5:
        active.mouse.move(100 + int(time.time()) % 300, 200)
        active.wait_for_timeout(3000)
    renewed = _token(active)
    assert renewed != first
    assert _expiry(renewed) > time.time()
    assert "officer · officer" in active.inner_text("#sw-who")
    assert "session has ended" not in _search(active)
    assert _token(idle) != renewed
    assert "session has ended" in _search(idle)
    active.close()
    idle.close()
