"""The adversarial delivery (`serialwatch synth --adversarial`) resolved on the real Neo4j:
couples who share a surname and a home, namesakes with a record that fits either, brothers,
twins and married names. No identity may hold a perpetrator and his or her victim, no two
PNC ids, and the records nothing can place go to the review queue."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from neo4j import Driver

from graph.driver import read
from ingest.resolve import model, review
from ingest.resolve.pipeline import resolve
from ingest.synth import synthesize
from ingest.transactional import load_delivery
from tests.conftest import wipe
from tests.truth import load_truth

PEOPLE, SEED = 1500, 3


@pytest.fixture(scope="module")
def resolved(
    neo4j_server: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Driver, dict[str, Any]]]:
    from graph.driver import get_driver

    driver = get_driver()
    wipe(driver)
    (model.models_dir() / "resolution-current.json").unlink(missing_ok=True)  # the packaged one
    root: Path = tmp_path_factory.mktemp("adversarial")
    synthesize(PEOPLE, SEED, root / "d", adversarial=True)
    assert load_delivery(root / "d", driver).rejected == 0
    resolve(driver, count_pairs=False)
    yield driver, load_truth(root / "d")


def _identities(driver: Driver) -> dict[str, str]:
    rows = read(
        "MATCH (p:Person)-[:RESOLVES_TO]->(i:Identity) RETURN p.person_key AS k, "
        "i.identity_id AS i, p.pnc_id AS pnc",
        driver=driver,
    )
    return {r["k"]: r["i"] for r in rows}


def test_no_identity_holds_a_perpetrator_and_a_victim_of_his(resolved: Any) -> None:
    driver, truth = resolved
    ident = _identities(driver)
    for perp, victims in truth["victim_chains"].items():
        his = {ident[k] for k in truth["people"][perp]}
        for v in victims:
            assert not his & {ident[k] for k in truth["people"][v]}, (perp, v)


def test_namesakes_with_two_pnc_ids_stay_apart_and_precision_holds(resolved: Any) -> None:
    driver, truth = resolved
    rows = read(
        "MATCH (i:Identity)<-[:RESOLVES_TO]-(p:Person) WHERE p.pnc_id IS NOT NULL "
        "WITH i, count(DISTINCT p.pnc_id) AS n WHERE n > 1 RETURN count(i) AS bad",
        driver=driver,
    )
    assert rows[0]["bad"] == 0
    human = {k: h for h, ks in truth["people"].items() for k in ks}
    members: dict[str, list[str]] = {}
    for k, i in _identities(driver).items():
        members.setdefault(i, []).append(k)
    tp = fp = 0
    for keys in members.values():
        for a, b in itertools.combinations(keys, 2):
            tp, fp = (tp + 1, fp) if human[a] == human[b] else (tp, fp + 1)
    assert tp / max(tp + fp, 1) >= 0.99


def test_records_nothing_can_place_are_queued_with_their_candidates(resolved: Any) -> None:
    driver, _ = resolved
    queued = [p for p in review.pending(driver, limit=1000) if p["reason"] == "ambiguous"]
    assert queued
    by_record: dict[str, int] = {}
    for p in queued:
        by_record[p["ambiguous_record"]] = by_record.get(p["ambiguous_record"], 0) + 1
        assert len(p["alternatives"]) >= 1
    assert all(n >= 2 for n in by_record.values())
    ident = _identities(driver)
    assert all(ident[r] == f"ID:{r}" for r in by_record)
