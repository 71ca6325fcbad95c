"""The per-identity facts are never stale: after a delivery, a follow-up delivery and an identity
resolution that merges victims, what the write paths left on the Identity nodes (refreshing only
the identities they touched) equals a full recomputation of every identity's facts, and so do
the stored RFGV scores (graph/ranking.py); rfgv_ranking answers the same from them."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from neo4j import Driver

from graph import ranking
from graph.driver import read, write
from graph.facts import FACT_NAMES, refresh_all
from graph.runner import run
from ingest.resolve.pipeline import resolve
from ingest.synth import synthesize
from ingest.transactional import load_delivery
from tests.conftest import wipe
from tests.graph.graphs import build
from tests.ingest.deliveries import write_delivery

PEOPLE, SEED = 800, 11  # under the resolution model's training size: the shipped model links


def stored(driver: Driver) -> dict[str, dict[str, Any]]:
    """Every identity's facts and stored RFGV score as the graph holds them (identities without
    facts left out)."""
    names = [*FACT_NAMES, *ranking.PROPERTIES]
    rows = read(
        "MATCH (i:Identity) WHERE any(f IN $facts WHERE i[f] IS NOT NULL) "
        "RETURN i.identity_id AS id, [f IN $facts | i[f]] AS values",
        {"facts": names},
        driver=driver,
    )
    return {r["id"]: dict(zip(names, map(str, r["values"]), strict=True)) for r in rows}


def stored_addresses(driver: Driver) -> dict[str, tuple[int, int]]:
    """Every address's facts as the graph holds them (addresses without facts left out)."""
    rows = read(
        "MATCH (a:Address) WHERE a.resident_count IS NOT NULL "
        "RETURN a.address_key AS key, a.resident_count AS n, a.perpetrator_count AS p",
        driver=driver,
    )
    return {r["key"]: (r["n"], r["p"]) for r in rows}


def assert_fresh(driver: Driver) -> dict[str, dict[str, Any]]:
    """The stored facts equal a full recomputation; returns them."""
    before, addresses = stored(driver), stored_addresses(driver)
    refresh_all(driver)
    after = stored(driver)
    stale = {k: (before.get(k), after.get(k)) for k in before.keys() | after.keys()
             if before.get(k) != after.get(k)}
    assert not stale, f"{len(stale)} identities stale, e.g. {next(iter(stale.items()))}"
    now = stored_addresses(driver)
    stale_addresses = {k: (addresses.get(k), now.get(k)) for k in addresses.keys() | now.keys()
                       if addresses.get(k) != now.get(k)}
    assert not stale_addresses, f"{len(stale_addresses)} addresses stale: {stale_addresses}"
    assert now, "no address holds facts: the check would prove nothing"
    return after


def rows_of(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def identity_of(driver: Driver, key: str) -> str:
    rows = read(
        "MATCH (:Person {person_key: $k})-[:RESOLVES_TO]->(i:Identity) RETURN i.identity_id AS i",
        {"k": key},
        driver=driver,
    )
    return str(rows[0]["i"])


def victim_count(driver: Driver, key: str) -> int | None:
    rows = read(
        "MATCH (:Person {person_key: $k})-[:RESOLVES_TO]->(i:Identity) RETURN i.victim_count AS n",
        {"k": key},
        driver=driver,
    )
    return rows[0]["n"]


@pytest.fixture(scope="module")
def loaded(neo4j_server: Any, tmp_path_factory: pytest.TempPathFactory
           ) -> Iterator[tuple[Driver, Path]]:
    from graph.driver import get_driver

    driver = get_driver()
    wipe(driver)
    root = tmp_path_factory.mktemp("facts")
    synthesize(PEOPLE, SEED, root / "d1")
    load_delivery(root / "d1", driver)
    ranking.rerank(driver)  # as the follow-up after a load does
    yield driver, root
    wipe(driver)


def test_facts_after_a_delivery_equal_a_full_recomputation(loaded: Any) -> None:
    driver, _ = loaded
    facts = assert_fresh(driver)
    assert any(int(f["victim_count"]) >= 2 for f in facts.values())
    assert any(f["rfgv_score"] != "None" for f in facts.values())


def test_facts_after_a_follow_up_delivery_equal_a_full_recomputation(loaded: Any) -> None:
    """New victims, an incident no longer DA-related, a new order, breach, perpetrator and
    notification."""
    driver, root = loaded
    first = root / "d1"
    persons = {r["person_key"]: r for r in rows_of(first / "persons.csv")}
    parties = rows_of(first / "incident_parties.csv")
    perps = sorted({p["person_key"] for p in parties if p["role"] in ("suspect", "offender")})
    victims_only = sorted({p["person_key"] for p in parties if p["role"] == "victim"}
                          - {p["person_key"] for p in parties if p["role"] != "victim"})
    p1, p2, p3, p4 = perps[0], perps[1], perps[2], perps[3]
    force = persons[p1]["agency_code"]
    p2_incident = next(p["incident_key"] for p in parties
                       if p["person_key"] == p2 and p["role"] in ("suspect", "offender"))
    incident = next(r for r in rows_of(first / "incidents.csv")
                    if r["incident_key"] == p2_incident)
    new_perp = victims_only[0]
    before = victim_count(driver, p1)
    lived: dict[str, set[str]] = {}
    for r in rows_of(first / "residences.csv"):
        lived.setdefault(r["address_key"], set()).add(r["person_key"])
    lone = next(a for a, ps in sorted(lived.items()) if len(ps) == 1 and p1 not in ps)
    assert lone not in stored_addresses(driver)
    write_delivery(root / "d2", {
        "persons.csv": [{"person_key": "FU:V1", "agency_code": force, "surname": "Quenby",
                         "forename": "Ottilie", "gender": "F"}],
        "incidents.csv": [
            {"incident_key": "FU:I1", "agency_code": force, "reported_date": "2026-09-01",
             "category": "domestic_abuse", "outcome": "open"},
            {"incident_key": "FU:I2", "agency_code": force, "reported_date": "2026-09-02",
             "category": "stalking", "outcome": "caution"},
            {**incident, "category": "other"},
        ],
        "incident_parties.csv": [
            {"incident_key": "FU:I1", "person_key": p1, "role": "suspect"},
            {"incident_key": "FU:I1", "person_key": "FU:V1", "role": "victim"},
            {"incident_key": "FU:I2", "person_key": new_perp, "role": "offender"},
            {"incident_key": "FU:I2", "person_key": victims_only[1], "role": "victim"},
        ],
        "orders.csv": [{"order_key": "FU:O1", "order_type": "NMO", "subject_key": p3,
                        "issued_date": "2026-09-03", "agency_code": force}],
        "order_protected.csv": [{"order_key": "FU:O1", "person_key": victims_only[2]}],
        "breaches.csv": [{"breach_key": "FU:B1", "order_key": "FU:O1",
                          "breach_date": "2026-09-10", "agency_code": force}],
        "residences.csv": [{"person_key": p1, "address_key": lone, "from_date": "2026-09-05",
                            "to_date": "", "agency_code": force}],
        # named by nothing else in this delivery: only the notification refreshes his facts
        "notifications.csv": [{"notification_key": "FU:N1", "person_key": p4,
                               "type": "travel_abroad", "event_date": "2026-09-01",
                               "notified_date": "2026-09-06", "agency_code": force}],
    })
    summary = load_delivery(root / "d2", driver)
    assert summary.rejected == 0
    other = identity_of(driver, next(iter(lived[lone])))
    assert stored_addresses(driver)[lone] == (2, 1 + int(other in stored(driver)))
    assert victim_count(driver, p1) == (before or 0) + 1
    assert victim_count(driver, new_perp) == 1
    assert_fresh(driver)



def test_a_record_moved_to_another_man_leaves_the_first_mans_facts(loaded: Any) -> None:
    """A corrected delivery names another subject for an order, another giver for a
    notification and another order for a breach: the man who no longer holds them loses them
    from his facts too."""
    driver, root = loaded
    first = root / "d1"
    order = rows_of(first / "orders.csv")[0]
    note = rows_of(first / "notifications.csv")[0]
    breach = next(b for b in rows_of(first / "breaches.csv")
                  if b["order_key"] != order["order_key"])
    other = next(p["person_key"] for p in rows_of(first / "incident_parties.csv")
                 if p["role"] in ("suspect", "offender")
                 and p["person_key"] not in (order["subject_key"], note["person_key"]))
    before = stored(driver)[identity_of(driver, order["subject_key"])]
    assert order["order_key"] in before["order_keys"]
    write_delivery(root / "moved", {"orders.csv": [{**order, "subject_key": other}],
                                    "notifications.csv": [{**note, "person_key": other}],
                                    "breaches.csv": [{**breach, "order_key": order["order_key"]}]})
    assert load_delivery(root / "moved", driver).rejected == 0
    facts = assert_fresh(driver)
    assert order["order_key"] not in facts.get(identity_of(driver, order["subject_key"]), {}).get(
        "order_keys", "")
    assert note["notification_key"] in facts[identity_of(driver, other)]["told_keys"]
    assert breach["breach_key"] in facts[identity_of(driver, other)]["breach_keys"]

def test_facts_after_a_resolution_that_merges_victims_equal_a_full_recomputation(
    loaded: Any,
) -> None:
    """A victim held twice (a re-keyed copy of her record, victim of a new incident) is one
    woman once resolved: the perpetrator who had both records as victims loses one."""
    driver, root = loaded
    first = root / "d1"
    parties = rows_of(first / "incident_parties.csv")
    persons = {r["person_key"]: r for r in rows_of(first / "persons.csv")}
    perp = sorted(p["person_key"] for p in parties if p["role"] in ("suspect", "offender"))[-1]
    victim = next(p["person_key"] for p in parties
                  if p["role"] == "victim" and persons[p["person_key"]]["date_of_birth"]
                  and any(q["incident_key"] == p["incident_key"] and q["person_key"] == perp
                          for q in parties))
    copy = {**persons[victim], "person_key": victim + "-COPY"}
    write_delivery(root / "d3", {
        "persons.csv": [copy],
        "incidents.csv": [{"incident_key": "FU:I3", "agency_code": copy["agency_code"],
                           "reported_date": "2026-10-01", "category": "domestic_abuse",
                           "outcome": "open"}],
        "incident_parties.csv": [
            {"incident_key": "FU:I3", "person_key": perp, "role": "suspect"},
            {"incident_key": "FU:I3", "person_key": copy["person_key"], "role": "victim"},
        ],
    })
    load_delivery(root / "d3", driver)
    held_twice = victim_count(driver, perp)
    assert held_twice is not None
    summary = resolve(driver)
    assert summary.relinked_records
    assert identity_of(driver, victim) == identity_of(driver, copy["person_key"])
    merged = victim_count(driver, perp)
    assert merged is not None and merged <= held_twice - 1  # other duplicates may merge too
    assert_fresh(driver)


def test_the_stored_ranking_gives_what_scoring_everyone_gives(loaded: Any) -> None:
    """rfgv_ranking finds its best men by the stored scores when they are complete for its date
    (shown by hiding a top man's score: he drops out), and answers exactly what scoring every
    perpetrator answers, for any limit (ties at the cut kept) and force; with one score stale,
    it scores everyone."""
    driver, _ = loaded
    as_of = ranking.stored_date(driver)
    assert as_of is not None

    def ranked(params: dict[str, Any]) -> list[dict[str, Any]]:
        return run("rfgv_ranking", {"as_of": as_of, **params}, driver=driver).rows

    def scoring_everyone(params: dict[str, Any]) -> list[dict[str, Any]]:
        write("MATCH (r:Ranking) SET r.name = 'aside'", driver=driver)
        try:
            return ranked(params)
        finally:
            write("MATCH (r:Ranking) SET r.name = $n", {"n": ranking.NAME}, driver=driver)

    first = ranked({})
    force = read("MATCH (i:Identity {identity_id: $i}) RETURN i.forces[0] AS f",
                 {"i": first[0]["identity_id"]}, driver=driver)[0]["f"]  # fmt: skip
    scores = [r["score"] for r in ranked({"limit": 1000})]
    tied = next(k for k in range(1, len(scores)) if scores[k] == scores[k - 1])
    for params in ({}, {"limit": 1}, {"limit": tied}, {"limit": 1000}, {"forces": [force]}):
        assert ranked(params) == scoring_everyone(params), params

    top = first[0]["identity_id"]
    score = "MATCH (i:Identity {identity_id: $i}) SET i.rfgv_score = $s"
    write(score, {"i": top, "s": -1.0}, driver=driver)
    assert top not in [r["identity_id"] for r in ranked({})]  # the stored path was taken
    write("MATCH (i:Identity {identity_id: $i}) SET i.rfgv_as_of = $d",
          {"i": top, "d": as_of.replace(year=as_of.year - 1)}, driver=driver)  # fmt: skip
    assert ranked({}) == first  # one stale: everyone is scored
    ranking.rescore(driver, [top])
    assert ranked({}) == first and not ranking.keep_current(driver, as_of)


SMALL = {
    "agencies": [{"agency_code": "F1", "name": "Force One"}],
    "persons": [{"person_key": k, "agency_code": "F1"} for k in ("P1", "V1", "V2")],
    "incidents": [{"incident_key": "I1", "agency_code": "F1", "reported_date": "2024-01-01",
                   "parties": [("P1", "suspect"), ("V1", "victim"), ("V2", "victim")]}],
}


def test_identity_that_stops_being_a_perpetrator_loses_its_facts(db: Driver) -> None:
    build(db, SMALL)
    assert stored(db)["ID:P1"]["victim_count"] == "2"
    from graph.driver import write
    from graph.facts import refresh

    write("MATCH (n:Incident {incident_key: 'I1'}) SET n.da_related = false", driver=db)
    assert refresh(db, ["ID:P1", "ID:unknown"]) == 2
    assert stored(db) == {}


def test_the_facts_migration_backfills_a_graph_loaded_before_it(db: Driver) -> None:
    from graph.driver import write
    from graph.schema import apply_pending

    build(db, SMALL)
    write("MATCH (i:Identity) REMOVE i.victim_count, i.first_event_date", driver=db)
    write("MATCH (m:SchemaMigration {id: '0006_identity_facts'}) DELETE m", driver=db)
    assert apply_pending(db) == ["0006_identity_facts"]
    assert stored(db)["ID:P1"]["victim_count"] == "2"


def test_the_query_facts_migration_backfills_a_graph_loaded_before_it(db: Driver) -> None:
    from graph.driver import write
    from graph.schema import apply_pending

    build(db, {**SMALL, "addresses": [{"address_key": "A1"}],
               "residences": [{"person_key": k, "address_key": "A1", "from_date": "2023-01-01"}
                              for k in ("P1", "V1")]})
    write("MATCH (i:Identity) REMOVE i.force_codes, i.force_first_dates", driver=db)
    write("MATCH (a:Address) REMOVE a.resident_count, a.perpetrator_count", driver=db)
    write("MATCH (m:SchemaMigration {id: '0011_query_facts'}) DELETE m", driver=db)
    assert apply_pending(db) == ["0011_query_facts"]
    assert stored(db)["ID:P1"]["force_codes"] == "['F1']"
    assert stored_addresses(db) == {"A1": (2, 1)}


def test_a_record_joining_a_victims_identity_refreshes_her_perpetrators_facts(db: Driver) -> None:
    """Her earliest DOB is in his facts (matac_serial reads it): a record of hers with an
    earlier DOB that is in no incident of his still changes them when it joins her identity,
    and again when it leaves."""
    from graph.driver import write
    from graph.facts import refresh_after_relink

    build(db, {**SMALL, "persons": [
        {"person_key": "P1", "agency_code": "F1"},
        {"person_key": "V1", "agency_code": "F1", "dob": "2010-05-01"},
        {"person_key": "V2", "agency_code": "F1"},
        {"person_key": "V1-PROBATION", "agency_code": "F1", "dob": "2000-05-01"},
    ], "addresses": [{"address_key": "A1"}],
        "residences": [{"person_key": k, "address_key": "A1", "from_date": "2023-01-01"}
                       for k in ("P1", "V1")]})

    def dobs() -> list[str]:  # V1's, then V2's (none recorded)
        return list(read("MATCH (i:Identity {identity_id: 'ID:P1'}) "
                         "RETURN [d IN i.da_victim_dobs | toString(d)] AS d", driver=db)[0]["d"])

    assert dobs() == ["2010-05-01", "0001-01-01"]

    def move(key: str, to: str) -> None:
        write("MATCH (p:Person {person_key: $k})-[r:RESOLVES_TO]->(old) DELETE r "
              "WITH p MATCH (i:Identity {identity_id: $to}) CREATE (p)-[:RESOLVES_TO]->(i)",
              {"k": key, "to": to}, driver=db)

    move("V1-PROBATION", "ID:V1")
    refresh_after_relink(db, ["V1-PROBATION"], ["ID:V1-PROBATION"])
    assert dobs() == ["2000-05-01", "0001-01-01"]
    assert_fresh(db)
    move("V1-PROBATION", "ID:V1-PROBATION")
    refresh_after_relink(db, ["V1-PROBATION"], ["ID:V1"])
    assert dobs() == ["2010-05-01", "0001-01-01"]
    assert_fresh(db)
