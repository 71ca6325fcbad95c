"""The compose file's `cluster` profile, read as YAML (no container engine needed, so it runs in
CI): three Enterprise primaries and read replicas that find each other, and an API whose routing
URI reaches them; the single-server deployment is left as it was."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
PRIMARIES = ("core1", "core2", "core3")
REPLICAS = ("replica1", "replica2")


def services() -> dict[str, Any]:
    data = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    out: dict[str, Any] = data["services"]
    return out


def test_cluster_profile_has_three_primaries_and_replicas() -> None:
    s = services()
    members = {k: v for k, v in s.items() if v.get("image", "").startswith("neo4j:")}
    cluster = {k for k, v in members.items() if "cluster" in v.get("profiles", [])}
    assert cluster == {*PRIMARIES, *REPLICAS}
    modes = {k: members[k]["environment"]["NEO4J_initial_server_mode__constraint"] for k in cluster}
    assert modes == {**dict.fromkeys(PRIMARIES, "PRIMARY"), **dict.fromkeys(REPLICAS, "SECONDARY")}
    for name in cluster:
        env = members[name]["environment"]
        assert members[name]["image"] == "neo4j:5.26-enterprise"
        assert env["NEO4J_server_default__advertised__address"] == name
        endpoints = env["NEO4J_dbms_cluster_discovery_endpoints"].split(",")
        assert endpoints == [f"{p}:5000" for p in PRIMARIES]
        assert env["NEO4J_initial_dbms_default__primaries__count"] == "3"
        assert "NEO4J_ACCEPT_LICENSE_AGREEMENT" in env and "NEO4J_PASSWORD:?" in env["NEO4J_AUTH"]
        assert any(v.endswith(":/data") for v in members[name]["volumes"])
    volumes = [v for n in cluster for v in members[n]["volumes"]]
    assert len(set(volumes)) == len(volumes), "each member keeps its own store"


def test_the_cluster_api_routes_to_the_primaries() -> None:
    s = services()
    api = s["api-cluster"]
    assert api["profiles"] == ["cluster"]
    assert api["environment"]["NEO4J_URI"].startswith("neo4j://core")  # routing, not bolt://
    assert set(api["depends_on"]) == set(PRIMARIES)
    assert api["command"] == s["api"]["command"]
    same = {k: v for k, v in s["api"]["environment"].items() if k != "NEO4J_URI"}
    assert same.items() <= api["environment"].items()


def test_the_single_server_deployment_is_unchanged() -> None:
    s = services()
    for name in ("neo4j", "api", "ui"):
        assert "profiles" not in s[name]
    assert s["neo4j"]["image"] == "neo4j:5.26-community"
    assert s["api"]["environment"]["NEO4J_URI"] == "neo4j://neo4j:7687"
