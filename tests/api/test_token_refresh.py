"""Token refresh: a valid token buys a fresh one for the same user and login, so an active
session outlives one short-lived token; an expired, forged or over-long session cannot."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
from fastapi.testclient import TestClient

from app.security import tokens as T
from app.settings import get_api_settings
from tests.api.conftest import password


def _claims(token: str) -> dict[str, Any]:
    out: dict[str, Any] = jwt.decode(token, options={"verify_signature": False})
    return out


def _signed(claims: dict[str, Any]) -> str:
    return jwt.encode(claims, get_api_settings().secret(), algorithm=T.ALGORITHM)


def _login(client: TestClient, role: str = "officer") -> str:
    r = client.post("/token", data={"username": role, "password": password(role)})
    assert r.status_code == 200
    token: str = r.json()["access_token"]
    return token


def _refresh(client: TestClient, token: str) -> Any:
    return client.post("/token/refresh", headers={"Authorization": f"Bearer {token}"})


def test_refresh_keeps_user_and_login_time(client: TestClient) -> None:
    old = _claims(_login(client))
    # an older token of the same login, as a session some minutes in holds
    aged = _signed({**old, "iat": old["iat"] - 600, "exp": old["exp"] - 600})
    r = _refresh(client, aged)
    assert r.status_code == 200
    body = r.json()
    new = _claims(body["access_token"])
    assert (new["sub"], new["role"], new["auth_time"]) == ("officer", "officer", old["auth_time"])
    assert new["exp"] > old["exp"] - 600
    assert body["expires_in"] == get_api_settings().token_minutes * 60
    auth = {"Authorization": f"Bearer {body['access_token']}", "X-Purpose": "synthetic test 1"}
    me = client.get("/persons", params={"name": "Smith"}, headers=auth)
    assert me.status_code == 200


def test_refresh_refuses_expired_forged_and_missing(client: TestClient) -> None:
    old = _claims(_login(client))
    expired = _signed({**old, "exp": int(datetime.now(UTC).timestamp()) - 5})
    assert _refresh(client, expired).status_code == 401
    forged = jwt.encode(old, "not-the-secret-" * 4, algorithm=T.ALGORITHM)
    assert _refresh(client, forged).status_code == 401
    assert client.post("/token/refresh").status_code == 401


def test_session_ends_after_its_hours(client: TestClient) -> None:
    old = _claims(_login(client))
    long_ago = datetime.now(UTC) - timedelta(hours=T.SESSION_HOURS, seconds=30)
    late = _signed({**old, "auth_time": int(long_ago.timestamp())})
    r = _refresh(client, late)
    assert r.status_code == 401
    assert "hours" in r.json()["detail"]
    # the last token of a session never runs past the session's end
    near = datetime.now(UTC) - timedelta(hours=T.SESSION_HOURS) + timedelta(minutes=2)
    body = _refresh(client, _signed({**old, "auth_time": int(near.timestamp())})).json()
    assert 60 <= body["expires_in"] <= 120
