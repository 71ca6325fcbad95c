"""Person-centred queries must start from index seeks: a label scan would read every record
of that label on each request and miss the 50 ms target at a million people."""

from __future__ import annotations

import pytest
from neo4j import Driver

from graph.registry import SavedQuery, load
from graph.runner import explain
from tests.graph.graphs import build
from tests.graph.scenario import SCENARIO

SCANS = ("NodeByLabelScan", "AllNodesScan", "UnionNodeByLabelsScan",
         "IntersectionNodeByLabelsScan", "SubtractionNodeByLabelsScan")
CENTRED = [q for q in load() if q.scope in ("person", "pair")]


def built(db: Driver) -> None:
    """The scenario's graph, and statistics of it alone: the planner reads sampled index
    statistics, which still describe the graphs earlier tests loaded and wiped until they are
    resampled; without this, a query's plan in the full suite is not the plan for this graph."""
    build(db, SCENARIO)
    with db.session() as s:
        s.run("CALL db.prepareForReplanning()").consume()


def test_the_person_centred_queries_are_the_expected_ones() -> None:
    assert {q.name for q in CENTRED} >= {"victim_chain", "disclosure_check", "neighbourhood",
                                         "active_orders", "agencies_involved", "shortest_path"}


@pytest.mark.parametrize("query", CENTRED, ids=lambda q: q.name)
def test_no_label_scan_in_a_person_centred_plan(db: Driver, query: SavedQuery) -> None:
    built(db)
    params = {k: "H1" for k in ("person", "a", "b") if query.param(k)}
    if query.name == "neighbourhood":
        params.update(hops="3", labels="Person,Incident", date_from="2019-01-01")
    operators = explain(query.name, params, driver=db)
    assert "NodeUniqueIndexSeek" in operators
    assert not [op for op in operators if op in SCANS], operators


FACT_SEEKERS = ["serial_perpetrators", "rfgv_ranking", "matac_serial", "cross_force_perpetrators"]


@pytest.mark.parametrize("name", FACT_SEEKERS)
def test_population_queries_seek_candidates_by_a_stored_fact(db: Driver, name: str) -> None:
    """They start from an index seek on an Identity fact (graph/facts.py), never by reading
    every identity or incident."""
    built(db)
    operators = explain(name, {}, driver=db)
    assert "NodeIndexSeekByRange" in operators, operators
    assert not [op for op in operators if op in SCANS], operators


POPULATION = [q for q in load() if q.scope == "population"]
WHOLE = SCANS + ("NodeIndexScan", "DirectedRelationshipTypeScan",
                 "UndirectedRelationshipTypeScan", "DirectedAllRelationshipsScan",
                 "UndirectedAllRelationshipsScan")
# Queries whose answer with their default parameters is every node of a label: reading them
# all is the answer, not a way to find it.
READS_ALL = {"order_breaches": "every recorded breach"}


def test_every_population_query_is_covered() -> None:
    assert {q.name for q in POPULATION} >= {
        "serial_perpetrators", "matac_serial", "rfgv_ranking", "cross_force_perpetrators",
        "order_breaches", "obligation_compliance", "obligations_register", "shared_addresses"}
    assert set(READS_ALL) <= {q.name for q in POPULATION}


@pytest.mark.parametrize("query", POPULATION, ids=lambda q: q.name)
def test_population_queries_find_their_candidates_by_an_index(db: Driver,
                                                              query: SavedQuery) -> None:
    """With its default parameters, every population query starts from an index (a stored
    fact, a type, a date, the keys it is given), never by reading a whole label or index."""
    built(db)
    operators = explain(query.name, {"as_of": "2022-06-01"} if query.param("as_of") else {},
                        driver=db)
    whole = [op for op in operators if op in WHOLE]
    plan = " ".join(operators)  # the whole plan in the message (a list's repr is cut short)
    if query.name in READS_ALL:
        assert len(whole) == 1, plan  # one read of what it returns (breaches, BREACH_OF)
    else:
        assert any("Seek" in op for op in operators), plan
        assert not whole, plan
