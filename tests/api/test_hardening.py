"""Logins and sessions hold against guessing and reuse, and every response carries the
browser-side protections: a lockout after repeated failures (429 with a readable message), a
token that dies with its user and with a password change, a password policy, password changes
by the user and resets by an admin, security headers, and /docs without a public CDN."""

from __future__ import annotations

import base64
import hashlib
import os
import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from app.cli import cli
from app.errors import NotAuthenticated, TooManyAttempts
from app.security import logins, users
from app.settings import get_api_settings

GOOD = "correct horse battery"


@pytest.fixture
def someone(api_env: Any) -> Iterator[str]:
    """A user of this test alone (others' logins must not be locked out)."""
    name = f"t.{os.urandom(4).hex()}"
    users.add(name, "officer", GOOD)
    yield name
    if users.get(name):
        users.remove(name)


def token(client: TestClient, name: str, password: str = GOOD) -> Any:
    return client.post("/token", data={"username": name, "password": password})


def bearer(t: str, purpose: str | None = "synthetic test case 1") -> dict[str, str]:
    return {"Authorization": f"Bearer {t}", **({"X-Purpose": purpose} if purpose else {})}


def test_repeated_failures_lock_the_user_out_from_that_client(
    client: TestClient, someone: str
) -> None:
    for _ in range(5):
        assert token(client, someone, "wrong password!").status_code == 401
    r = token(client, someone)  # even the right password, while locked out
    assert r.status_code == 429
    assert "too many failed logins" in r.json()["detail"] and "try again in" in r.json()["detail"]
    assert 0 < int(r.headers["Retry-After"]) <= 15 * 60
    assert logins.login(someone, GOOD, "another-client").name == someone  # only that pair
    with pytest.raises(TooManyAttempts):
        logins.login(someone, GOOD, "testclient")


def test_the_lockout_is_configurable_and_a_success_clears_it(
    api_env: Any, someone: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SERIALWATCH_LOGIN_MAX_FAILURES", "2")
    get_api_settings.cache_clear()
    try:
        with pytest.raises(NotAuthenticated):
            logins.login(someone, "nope nope nope", "c1")
        assert logins.login(someone, GOOD, "c1").name == someone  # clears the one failure
        for _ in range(2):
            with pytest.raises(NotAuthenticated):
                logins.login(someone, "nope nope nope", "c1")
        with pytest.raises(TooManyAttempts):
            logins.login(someone, GOOD, "c1")
    finally:
        monkeypatch.delenv("SERIALWATCH_LOGIN_MAX_FAILURES")
        get_api_settings.cache_clear()


def test_a_removed_users_token_dies_for_good(client: TestClient, someone: str) -> None:
    old = token(client, someone).json()["access_token"]
    assert client.get("/serial", headers=bearer(old)).status_code != 401
    users.remove(someone)
    users.add(someone, "officer", GOOD)  # the same name again
    r = client.get("/serial", headers=bearer(old))
    assert r.status_code == 401, r.text
    fresh = token(client, someone).json()["access_token"]
    assert client.post("/token/refresh", headers=bearer(old)).status_code == 401
    assert client.get("/serial", headers=bearer(fresh)).status_code != 401


@pytest.mark.parametrize(
    "password", [" " * 12, "\t" * 20, "short", "   eleven chr  ", "x" * 201]
)
def test_weak_passwords_are_refused(client: TestClient, h: Any, password: str) -> None:
    body = {"name": "weak.one", "role": "officer", "password": password}
    r = client.post("/users", json=body, headers=h("admin"))
    assert r.status_code == 422 and "characters" in r.json()["detail"], r.text
    assert users.get("weak.one") is None


def test_a_user_changes_his_password_and_an_admin_resets_one(
    client: TestClient, someone: str
) -> None:
    t = token(client, someone).json()["access_token"]
    new = "a much longer passphrase"
    change = {"old_password": "not my password", "new_password": new}
    assert client.post("/users/me/password", json=change, headers=bearer(t)).status_code == 401
    weak = {"old_password": GOOD, "new_password": " " * 14}
    assert client.post("/users/me/password", json=weak, headers=bearer(t)).status_code == 422
    change["old_password"] = GOOD
    assert client.post("/users/me/password", json=change, headers=bearer(t)).status_code == 204
    assert client.get("/serial", headers=bearer(t)).status_code == 401  # tokens before: dead
    assert token(client, someone).status_code == 401
    t = token(client, someone, new).json()["access_token"]
    result = CliRunner().invoke(cli, ["users", "passwd", someone])
    assert result.exit_code == 0, result.output
    reset = re.search(r"password: (\S+)", result.output)
    assert reset is not None
    assert client.get("/serial", headers=bearer(t)).status_code == 401
    assert token(client, someone, reset.group(1)).status_code == 200
    assert CliRunner().invoke(cli, ["users", "passwd", "no.such.user"]).exit_code == 1


def test_every_response_carries_the_security_headers(client: TestClient, h: Any) -> None:
    answers = {
        "health": client.get("/health"),
        "personal": client.get("/serial", headers=h("officer")),
        "refused": client.get("/serial"),
        "docs": client.get("/docs"),
        "ui": client.get("/ui/"),
    }
    for what, r in answers.items():
        assert r.headers["X-Frame-Options"] == "DENY", what
        assert r.headers["X-Content-Type-Options"] == "nosniff", what
        assert r.headers["Referrer-Policy"] == "no-referrer", what
        assert r.headers["Cache-Control"] == "no-store", what
        assert "frame-ancestors 'none'" in r.headers["Content-Security-Policy"], what
    assert answers["personal"].headers["Content-Security-Policy"].startswith("default-src 'none'")
    ui = answers["ui"]
    csp = ui.headers["Content-Security-Policy"]
    page = re.sub(r"<!--.*?-->", "", ui.text, flags=re.S)  # comments do not run
    inline = re.findall(r"<script>(.*?)</script>", page, re.S)
    assert inline, "Dash's page has its inline scripts"
    for script in inline:  # each inline script is allowed by its hash, and nothing else inline
        digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in csp
    assert "'unsafe-inline'" not in csp.split("script-src")[1].split(";")[0]


def test_the_docs_load_nothing_from_outside(client: TestClient) -> None:
    page = client.get("/docs")
    assert page.status_code == 200
    assert "http" not in page.text  # no CDN, no absolute address at all
    refs = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert set(refs) >= {"docs-assets/swagger-ui-bundle.js", "docs-init.js"}
    for ref in refs:
        r = client.get("/" + ref)
        assert r.status_code == 200 and len(r.content) > 100, ref
    assert "SwaggerUIBundle" in client.get("/docs-assets/swagger-ui-bundle.js").text
    assert client.get("/openapi.json").json()["info"]["title"] == "serialwatch"
