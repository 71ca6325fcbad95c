"""schemathesis against the OpenAPI schema: generated requests to every operation, as an
analyst with a stated purpose, never get a server error (a deliberate 503 with its readable
message aside). Kept small (a few examples per operation) so it runs in well under a minute."""

from __future__ import annotations

from typing import Any

import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings

from app.main import create_app

schema = schemathesis.openapi.from_asgi("/openapi.json", create_app())


@schema.parametrize()
@settings(max_examples=6, deadline=None, suppress_health_check=list(HealthCheck), database=None)
def test_no_server_errors(case: Any, client: TestClient, graph: Any, h: Any) -> None:
    headers = h("analyst")
    kwargs = case.as_transport_kwargs(base_url="http://testserver", headers=headers)
    kwargs.pop("cookies", None)
    # generated headers may replace ours; put the caller's identity back
    kwargs["headers"] = {**(kwargs.get("headers") or {}), **headers}
    r = client.request(**kwargs)
    assert r.status_code < 500 or r.status_code == 503, (kwargs, r.status_code, r.text[:300])
    if r.status_code >= 400:
        assert isinstance(r.json().get("detail"), str), r.text[:300]
