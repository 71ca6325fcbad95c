"""The acceptance check of the query library: on a synthetic delivery, with identities taken
from truth.json, the queries give exactly the truth's serial, MATAC and cross-force lists and
every victim chain."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from neo4j import Driver

from graph.runner import run
from ingest.synth import synthesize
from ingest.transactional import load_delivery
from tests.truth import load_truth, relink_identities

PEOPLE = 4000


@pytest.fixture(scope="module")
def truth_graph(neo4j_server: object, tmp_path_factory: pytest.TempPathFactory
                ) -> Iterator[dict[str, Any]]:
    from graph.driver import get_driver
    from tests.conftest import wipe

    out = tmp_path_factory.mktemp("delivery")
    synthesize(PEOPLE, seed=20240601, out=out)
    driver: Driver = get_driver()
    wipe(driver)
    summary = load_delivery(Path(out), driver)
    assert summary.rejected == 0
    truth = load_truth(out)
    relink_identities(driver, truth)
    yield truth
    wipe(driver)


def ids(name: str, **params: Any) -> list[str]:
    return sorted(r["identity_id"] for r in run(name, params, row_cap=1_000_000).rows)


@pytest.mark.slow
def test_serial_tiers_equal_truth(truth_graph: dict[str, Any]) -> None:
    assert ids("serial_perpetrators", tiers=["serial"]) == sorted(truth_graph["serial"])
    assert ids("serial_perpetrators", tiers=["at_risk"]) == sorted(truth_graph["at_risk"])


@pytest.mark.slow
def test_matac_equals_truth(truth_graph: dict[str, Any]) -> None:
    assert ids("matac_serial", as_of=truth_graph["as_of"]) == sorted(truth_graph["matac"])


@pytest.mark.slow
def test_cross_force_equals_truth(truth_graph: dict[str, Any]) -> None:
    assert ids("cross_force_perpetrators") == sorted(truth_graph["cross_force"])


@pytest.mark.slow
def test_every_victim_chain_equals_truth(truth_graph: dict[str, Any]) -> None:
    wrong = {}
    for hid, chain in truth_graph["victim_chains"].items():
        got = [r["identity_id"] for r in run("victim_chain", {"person": hid}).rows]
        if got != chain:
            wrong[hid] = (got, chain)
    assert not wrong, f"{len(wrong)} chains differ, e.g. {next(iter(wrong.items()))}"
