"""On random small graphs, the saved queries agree with an independent Python computation.

Each example builds a graph of a few records grouped into resolved identities at random, with
DA and other incidents, random roles and orders; DOMAIN.md's rules are then applied here in
plain Python (and networkx for paths) and compared with what Neo4j answers.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import networkx as nx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from neo4j import Driver

from graph.runner import run
from tests.conftest import wipe
from tests.graph.graphs import DA, QUALIFYING, build

AGENCIES = [{"agency_code": "F1", "name": "Force One"},
            {"agency_code": "F2", "name": "Force Two"},
            {"agency_code": "C1", "name": "Court One", "type": "court"}]
CATEGORIES = ["domestic_abuse", "stalking", "harassment", "coercive_control", "other", "sexual"]
OUTCOMES = ["conviction", "caution", "acquittal", "charged", "nfa", "open"]
ROLES = ["suspect", "offender", "victim", "victim", "witness"]
ORDER_TYPES = ["DVPN", "DVPO", "DAPN", "DAPO", "SPO", "ISPO", "RO", "NMO", "CBO", "VOO"]
BASE = date(2020, 1, 1)
SETTINGS = settings(max_examples=30, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])


def day(n: int) -> str:
    return (BASE + timedelta(days=n)).isoformat()


@st.composite
def graphs(draw: st.DrawFn) -> dict[str, Any]:
    n = draw(st.integers(3, 9))
    humans = draw(st.integers(2, n))
    persons = [{"person_key": f"P{k}", "agency_code": draw(st.sampled_from(["F1", "F2", "C1"])),
                "identity": f"H{draw(st.integers(0, humans - 1))}"} for k in range(n)]
    keys = [p["person_key"] for p in persons]
    incidents = []
    for k in range(draw(st.integers(1, 10))):
        parties = draw(st.lists(st.tuples(st.sampled_from(keys), st.sampled_from(ROLES)),
                                min_size=2, max_size=4, unique=True))
        incidents.append({
            "incident_key": f"I{k}", "agency_code": draw(st.sampled_from(["F1", "F2"])),
            "reported_date": day(draw(st.integers(0, 20))),
            "category": draw(st.sampled_from(CATEGORIES)),
            "outcome": draw(st.sampled_from(OUTCOMES)), "parties": parties})
    orders = [{
        "order_key": f"O{k}", "order_type": draw(st.sampled_from(ORDER_TYPES)),
        "subject_key": draw(st.sampled_from(keys)),
        "agency_code": draw(st.sampled_from(["F1", "F2", "C1"])),
        "issued_date": day(draw(st.integers(0, 20))),
        "protected": draw(st.lists(st.sampled_from(keys), max_size=2, unique=True)),
    } for k in range(draw(st.integers(0, 3)))]
    rels = [{"person_key": a, "other_key": b, "type": "intimate_partner"}
            for a, b in draw(st.lists(st.tuples(st.sampled_from(keys), st.sampled_from(keys)),
                                      max_size=2, unique=True)) if a != b]
    return {"agencies": AGENCIES, "persons": persons, "incidents": incidents, "orders": orders,
            "relationships": rels}


def expected(g: dict[str, Any]) -> tuple[dict[str, str], dict[str, list[str]]]:
    """(tier by perpetrator identity, victim chain by perpetrator identity) by DOMAIN.md."""
    ident = {p["person_key"]: p["identity"] for p in g["persons"]}
    first: dict[str, dict[str, tuple[str, str]]] = {}
    by_order: dict[str, dict[str, tuple[str, str]]] = {}
    qualifying: set[str] = set()
    for inc in g["incidents"]:
        if inc["category"] not in DA:
            continue
        perps = {ident[k] for k, r in inc["parties"] if r in ("suspect", "offender")}
        victims = {ident[k] for k, r in inc["parties"] if r == "victim"}
        for p in perps:
            if inc["outcome"] in ("conviction", "caution", "acquittal"):
                qualifying.add(p)
            for v in victims - {p}:
                seen = first.setdefault(p, {}).get(v)
                mark = (inc["reported_date"], inc["incident_key"])
                if seen is None or mark < seen:
                    first[p][v] = mark
    for o in g["orders"]:
        p = ident[o["subject_key"]]
        if o["order_type"] in QUALIFYING:
            qualifying.add(p)
        for v in {ident[k] for k in o["protected"]} - {p}:
            seen = by_order.setdefault(p, {}).get(v)
            mark = (o["issued_date"], o["order_key"])
            if seen is None or mark < seen:
                by_order[p][v] = mark
    chains: dict[str, list[str]] = {}
    for p in set(first) | set(by_order):
        marks = {**by_order.get(p, {}), **first.get(p, {})}
        chains[p] = sorted(marks, key=lambda v: (*marks[v], v))
    tiers = {p: "serial" if p in qualifying else "at_risk"
             for p, chain in chains.items() if len(chain) >= 2}
    return tiers, {p: c for p, c in chains.items() if c}


def network(g: dict[str, Any]) -> nx.Graph:
    """The graph shortest_path walks, undirected, without agencies."""
    net = nx.Graph()
    for p in g["persons"]:
        net.add_edge(p["person_key"], p["identity"])
    for inc in g["incidents"]:
        net.add_edges_from((k, inc["incident_key"]) for k, _ in inc["parties"])
    for o in g["orders"]:
        net.add_edge(o["subject_key"], o["order_key"])
        net.add_edges_from((o["order_key"], k) for k in o["protected"])
    net.add_edges_from((r["person_key"], r["other_key"]) for r in g["relationships"])
    return net


@SETTINGS
@given(g=graphs())
def test_serial_tiers_and_victim_chains_match_python(db: Driver, g: dict[str, Any]) -> None:
    wipe(db)
    build(db, g)
    tiers, chains = expected(g)
    rows = run("serial_perpetrators", {"min_victims": 2}).rows
    assert {r["identity_id"]: r["tier"] for r in rows} == tiers
    assert all(r["victims"] == len(chains[r["identity_id"]]) for r in rows)
    for p in sorted({x["identity"] for x in g["persons"]}):
        got = [r["identity_id"] for r in run("victim_chain", {"person": p}).rows]
        assert got == chains.get(p, []), p


def built_pair(db: Driver, g: dict[str, Any], pick: tuple[int, int]
               ) -> tuple[str, str, int | None]:
    """Build `g`; the two people `pick` names and networkx's distance between them."""
    wipe(db)
    build(db, g)
    humans = sorted({p["identity"] for p in g["persons"]})
    a, b = humans[pick[0] % len(humans)], humans[pick[1] % len(humans)]
    try:
        return a, b, nx.shortest_path_length(network(g), a, b)
    except nx.NetworkXNoPath:
        return a, b, None


@SETTINGS
@given(g=graphs(), pick=st.tuples(st.integers(0, 99), st.integers(0, 99)),
       max_hops=st.integers(1, 12))
def test_shortest_path_length_matches_networkx(
    db: Driver, g: dict[str, Any], pick: tuple[int, int], max_hops: int
) -> None:
    a, b, want = built_pair(db, g, pick)
    if want is not None and want > max_hops:
        want = None
    rows = run("shortest_path", {"a": a, "b": b, "max_hops": max_hops}).rows
    got = rows[0]["length"] if rows else None
    assert got == want
    if rows:
        assert len(rows) == got + 1 and rows[0]["key"] == a and rows[-1]["key"] == b


@SETTINGS
@given(g=graphs(), pick=st.tuples(st.integers(0, 99), st.integers(0, 99)),
       max_hops=st.integers(1, 12), budget=st.integers(1, 40))
def test_shortest_path_within_any_budget_is_shortest_or_says_how_far_it_searched(
    db: Driver, g: dict[str, Any], pick: tuple[int, int], max_hops: int, budget: int
) -> None:
    """A path found under a budget is still a shortest one; a search stopped by its budget
    answers one row: no path within the steps it searched, which networkx confirms."""
    a, b, want = built_pair(db, g, pick)
    rows = run("shortest_path", {"a": a, "b": b, "max_hops": max_hops, "budget": budget}).rows
    if rows and rows[0]["step"] is None:
        (row,) = rows
        assert row["searched"] < max_hops and (want is None or want > row["searched"])
        steps = f"{row['searched']} step{'s' * (row['searched'] != 1)}"
        assert row["caption"].startswith(f"no path within {steps} (the search stopped")
        return
    got = rows[0]["length"] if rows else None
    assert got == (want if want is not None and want <= max_hops else None)
    if rows:
        assert [r["step"] for r in rows] == list(range(got + 1))
        assert rows[0]["key"] == a and rows[-1]["key"] == b
