"""docker-compose.yml parses and refuses to start without its secrets (no engine runs here)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
COMPOSE = shutil.which("docker-compose")
pytestmark = pytest.mark.skipif(
    COMPOSE is None,
    reason="Debian's docker-compose is not installed (apt-get install docker-compose)",
)


def compose_config(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "SERIALWATCH_"))}
    return subprocess.run(
        [str(COMPOSE), "-f", str(ROOT / "docker-compose.yml"), "config"],
        capture_output=True,
        text=True,
        env={**base, **env},
        timeout=120,
    )


def test_compose_parses_with_secrets_set() -> None:
    secrets = {"SERIALWATCH_SECRET_KEY": "k" * 32, "SERIALWATCH_AUDIT_KEY": "a" * 32}
    out = compose_config({"NEO4J_PASSWORD": "pw-for-test", **secrets})
    assert out.returncode == 0, out.stderr
    assert "neo4j:5.26-community" in out.stdout
    for service in ("neo4j:", "api:", "ui:", "healthcheck:"):
        assert service in out.stdout
    assert "SERIALWATCH_AUDIT_ANCHOR" in out.stdout


def test_compose_refuses_a_missing_audit_key() -> None:
    out = compose_config({"NEO4J_PASSWORD": "pw-for-test", "SERIALWATCH_SECRET_KEY": "k" * 32})
    assert out.returncode != 0
    assert "set SERIALWATCH_AUDIT_KEY" in out.stderr


def test_compose_refuses_a_missing_password() -> None:
    out = compose_config({"SERIALWATCH_SECRET_KEY": "k" * 32})
    assert out.returncode != 0
    assert "set NEO4J_PASSWORD" in out.stderr
