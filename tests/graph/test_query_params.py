"""The population queries read stored per-identity facts; whatever their parameters, their
answer must still equal DOMAIN.md's rules computed here in plain Python on random graphs
(dated incidents with offences, dates of birth, orders and breaches)."""

from __future__ import annotations

import copy
from collections import Counter, defaultdict
from datetime import date, timedelta
from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from neo4j import Driver

from graph.registry import load
from graph.runner import run
from tests.conftest import wipe
from tests.graph.graphs import DA, NOTICES, build
from tests.graph.test_query_properties import (
    AGENCIES,
    BASE,
    ORDER_TYPES,
    OUTCOMES,
    SETTINGS,
    graphs,
)

POLICE = {a["agency_code"]: a["name"] for a in AGENCIES if a.get("type") is None}
OFFENCES = ["Assault occasioning ABH", "Stalking", "Threats to kill", "Unlisted offence", None]
RFGV = next(q for q in load() if q.name == "rfgv_ranking").param("rfgv").default
SPAN = 6 * 365


def on(n: int) -> date:
    return BASE + timedelta(days=n)


def years_from(d: date, n: int) -> date:
    """`d` plus `n` years (negative: minus), 29 February becoming the 28th as in Cypher."""
    try:
        return d.replace(year=d.year + n)
    except ValueError:
        return d.replace(year=d.year + n, day=28)


@st.composite
def dated_graphs(draw: st.DrawFn) -> dict[str, Any]:
    g = copy.deepcopy(draw(graphs()))
    for p in g["persons"]:
        if draw(st.booleans()):
            p["dob"] = on(draw(st.integers(-30 * 365, 3 * 365))).isoformat()
    for inc in g["incidents"]:
        inc["reported_date"] = on(draw(st.integers(0, SPAN))).isoformat()
        if draw(st.booleans()):
            inc["offence_date"] = on(draw(st.integers(0, SPAN))).isoformat()
        inc["offence"] = draw(st.sampled_from(OFFENCES))
    for o in g["orders"]:
        issued = draw(st.integers(0, SPAN))
        o["issued_date"] = on(issued).isoformat()
        start = issued + draw(st.sampled_from([0, 0, 1, 30]))  # in force from (else issued)
        o["start_date"] = on(start).isoformat() if start > issued else None
        o["end_date"] = draw(st.sampled_from([None, on(start + 100).isoformat()]))
    g["breaches"] = [
        {"breach_key": f"B{k}", "order_key": draw(st.sampled_from(g["orders"]))["order_key"],
         "breach_date": on(draw(st.integers(0, SPAN))).isoformat(), "agency_code": "F1"}
        for k in range(draw(st.integers(0, 3) if g["orders"] else st.just(0)))
    ]
    return g


class Model:
    """The graph `g` as DOMAIN.md reads it, over resolved identities."""

    def __init__(self, g: dict[str, Any]) -> None:
        self.ident = {p["person_key"]: p["identity"] for p in g["persons"]}
        self.agency = {p["person_key"]: p["agency_code"] for p in g["persons"]}
        self.dobs: dict[str, list[date]] = defaultdict(list)
        for p in g["persons"]:
            if p.get("dob"):
                self.dobs[p["identity"]].append(date.fromisoformat(p["dob"]))
        self.da = [i for i in g["incidents"] if i["category"] in DA]
        self.orders = g["orders"]
        self.breaches = g["breaches"]
        self.perps: dict[str, list[dict[str, Any]]] = defaultdict(list)  # DA incidents by perp
        for inc in self.da:
            for i in {self.ident[k] for k, r in inc["parties"] if r in ("suspect", "offender")}:
                self.perps[i].append(inc)
        self.subject: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for o in self.orders:
            self.subject[self.ident[o["subject_key"]]].append(o)

    def perpetrators(self) -> set[str]:
        return set(self.perps) | set(self.subject)

    def incident_victims(self, inc: dict[str, Any], i: str) -> set[str]:
        return {self.ident[k] for k, r in inc["parties"] if r == "victim"} - {i}

    def victims(self, i: str) -> set[str]:
        out = {v for inc in self.perps[i] for v in self.incident_victims(inc, i)}
        return out | {self.ident[k] for o in self.subject[i] for k in o["protected"]} - {i}

    def forces(self, i: str) -> list[str]:
        codes = {self.agency[k] for k, h in self.ident.items() if h == i}
        codes |= {inc["agency_code"] for inc in self.perps[i]}
        codes |= {o["agency_code"] for o in self.subject[i]}
        return sorted(POLICE[c] for c in codes if c in POLICE)


def event(inc: dict[str, Any]) -> date:
    return date.fromisoformat(inc.get("offence_date") or inc["reported_date"])


def serial(m: Model, p: dict[str, Any]) -> dict[str, tuple[Any, ...]]:
    out = {}
    for i in m.perpetrators():
        victims = len(m.victims(i))
        outcomes = sum(inc["outcome"] in p["qualifying_outcomes"] for inc in m.perps[i])
        orders = sum(o["order_type"] in p["qualifying_orders"] for o in m.subject[i])
        tier = "serial" if outcomes or orders else "at_risk"
        if victims >= p["min_victims"] and tier in p["tiers"]:
            notices = sorted({o["order_type"] for o in m.subject[i]} & NOTICES)
            out[i] = (tier, victims, outcomes, orders, notices, m.forces(i))
    return out


def matac(m: Model, as_of: date, years: int, min_age: int) -> dict[str, tuple[int, int]]:
    low, out = years_from(as_of, -years), {}
    for i, incs in m.perps.items():
        window = [inc for inc in incs if low < event(inc) <= as_of]
        adults = {
            v for inc in window for v in m.incident_victims(inc, i)
            if not m.dobs[v] or years_from(min(m.dobs[v]), min_age) <= event(inc)
        }
        if len(window) > 1 and len(adults) >= 2:
            out[i] = (len(window), len(adults))
    return out


def points(bands: list[dict[str, Any]], value: float, slide: bool) -> float:
    """rfgv.toml's rule: the first band whose `upto` the value does not exceed; sliding from
    the band before's points when `slide`, the last band's points beyond the last band."""
    k = next((k for k, b in enumerate(bands) if value <= b["upto"]), None)
    if not bands:
        return 0
    if k is None:
        return bands[-1]["points"] if slide else 0
    if not slide or k == 0:
        return bands[k]["points"]
    lo, hi = bands[k - 1], bands[k]
    return lo["points"] + (hi["points"] - lo["points"]) * (value - lo["upto"]) / (
        hi["upto"] - lo["upto"])


def rfgv(m: Model, as_of: date, cfg: dict[str, Any]) -> dict[str, tuple[Any, ...]]:
    low, gravity, out = years_from(as_of, -cfg["window_years"]), cfg["gravity"], {}
    for i in m.perpetrators():
        incs = [inc for inc in m.perps[i] if event(inc) <= as_of]
        orders = [o for o in m.subject[i] if date.fromisoformat(o["issued_date"]) <= as_of]
        dates = [event(inc) for inc in incs] + [date.fromisoformat(o["issued_date"])
                                                for o in orders]
        if not dates:
            continue
        window = [inc for inc in incs if event(inc) > low]
        keys = {o["order_key"] for o in orders}
        breaches = sum(b["order_key"] in keys and low < date.fromisoformat(b["breach_date"])
                       <= as_of for b in m.breaches)
        harm = sum(gravity["harm"].get(inc["offence"] or "", gravity["default_days"])
                   for inc in window) + breaches * gravity["breach_days"]
        recency = (as_of - max(dates)).days
        slide = cfg.get("interpolate", False)
        r = points(cfg["recency"]["bands"], recency, slide)
        f = points(cfg["frequency"]["bands"], len(window), slide)
        g = points(gravity["bands"], harm, slide)
        v = points(cfg["victims"]["bands"], len(m.victims(i)), slide)
        score = (r * cfg["recency"]["weight"] + f * cfg["frequency"]["weight"]
                 + g * gravity["weight"] + v * cfg["victims"]["weight"])
        out[i] = (max(dates).isoformat(), recency, r, len(window), f, harm, g,
                  len(m.victims(i)), v, score)
    return out


@SETTINGS
@given(g=dated_graphs(), tiers=st.sets(st.sampled_from(["serial", "at_risk"]), min_size=1),
       min_victims=st.integers(1, 3), outcomes=st.sets(st.sampled_from(OUTCOMES)),
       orders=st.sets(st.sampled_from(ORDER_TYPES)))
def test_serial_perpetrators_with_any_parameters(
    db: Driver, g: dict[str, Any], tiers: set[str], min_victims: int, outcomes: set[str],
    orders: set[str],
) -> None:
    wipe(db)
    build(db, g)
    p = {"tiers": sorted(tiers), "min_victims": min_victims,
         "qualifying_outcomes": sorted(outcomes), "qualifying_orders": sorted(orders)}
    rows = run("serial_perpetrators", p).rows
    got = {r["identity_id"]: (r["tier"], r["victims"], r["qualifying_outcomes"],
                              r["qualifying_orders"], r["notices"], r["forces"]) for r in rows}
    assert got == serial(Model(g), p)


@SETTINGS
@given(g=dated_graphs(), min_victims=st.integers(1, 3), outcomes=st.sets(st.sampled_from(OUTCOMES)),
       orders=st.sets(st.sampled_from(ORDER_TYPES)),
       forces=st.none() | st.sets(st.sampled_from(sorted(POLICE.values())), min_size=1))
def test_tier_counts_and_the_force_filter_with_any_parameters(
    db: Driver, g: dict[str, Any], min_victims: int, outcomes: set[str], orders: set[str],
    forces: set[str] | None,
) -> None:
    """serial_tier_counts counts serial_perpetrators' answer by tier, and `forces` keeps the
    perpetrators some of whose records, DA incidents or orders those forces hold, in the
    tier lists, MATAC and RFGV alike."""
    wipe(db)
    build(db, g)
    m = Model(g)
    p = {"min_victims": min_victims, "qualifying_outcomes": sorted(outcomes),
         "qualifying_orders": sorted(orders)}
    want = {i: x for i, x in serial(m, {**p, "tiers": ["serial", "at_risk"]}).items()
            if forces is None or set(x[-1]) & forces}
    where = {} if forces is None else {"forces": sorted(forces)}
    counts = {r["tier"]: r["perpetrators"] for r in run("serial_tier_counts", {**p, **where}).rows}
    assert counts == dict(Counter(tier for tier, *_ in want.values()))
    by_force = {(r["force"], r["tier"]): r["perpetrators"]
                for r in run("serial_tier_counts", {**p, **where, "by_force": True}).rows}
    assert by_force == dict(Counter((f, tier) for tier, *_, held in want.values() for f in held
                                    if forces is None or f in forces))  # fmt: skip
    listed = run("serial_perpetrators", {**p, **where}).rows
    assert {r["identity_id"] for r in listed} == want.keys()
    for name, params in (("matac_serial", {"as_of": on(SPAN).isoformat()}),
                         ("rfgv_ranking", {"as_of": on(SPAN).isoformat(), "limit": 100000})):
        whole = run(name, params).rows
        kept = run(name, {**params, **where}).rows
        assert [r["identity_id"] for r in kept] == [
            r["identity_id"] for r in whole
            if forces is None or set(m.forces(r["identity_id"])) & forces], name


@SETTINGS
@given(g=dated_graphs(), min_forces=st.integers(1, 3))
def test_cross_force_with_any_minimum(db: Driver, g: dict[str, Any], min_forces: int) -> None:
    wipe(db)
    build(db, g)
    m = Model(g)
    rows = run("cross_force_perpetrators", {"min_forces": min_forces}).rows
    want = {i: m.forces(i) for i in m.perpetrators() if len(m.forces(i)) >= min_forces}
    assert {r["identity_id"]: r["forces"] for r in rows} == want


def by_force(m: Model, i: str) -> list[dict[str, Any]]:
    """Per police force holding his records, DA incidents or orders: how many of each, and the
    first and last dated incident or order it holds; by force name, then code."""
    held: dict[str, dict[str, Any]] = defaultdict(
        lambda: {"records": 0, "incidents": 0, "orders": 0, "dates": []})
    for k in (k for k, h in m.ident.items() if h == i and m.agency[k] in POLICE):
        held[m.agency[k]]["records"] += 1
    for inc in (x for x in m.perps[i] if x["agency_code"] in POLICE):
        held[inc["agency_code"]]["incidents"] += 1
        held[inc["agency_code"]]["dates"].append(event(inc))
    for o in (x for x in m.subject[i] if x["agency_code"] in POLICE):
        held[o["agency_code"]]["orders"] += 1
        held[o["agency_code"]]["dates"].append(date.fromisoformat(o["issued_date"]))
    return [{"agency_code": c, "name": POLICE[c], "records": x["records"],
             "incidents": x["incidents"], "orders": x["orders"],
             "first_date": min(x["dates"]).isoformat() if x["dates"] else None,
             "last_date": max(x["dates"]).isoformat() if x["dates"] else None}
            for c, x in sorted(held.items(), key=lambda cx: (POLICE[cx[0]], cx[0]))]


@SETTINGS
@given(g=dated_graphs(), min_forces=st.integers(1, 3))
def test_cross_force_counts_and_dates_per_force(
    db: Driver, g: dict[str, Any], min_forces: int
) -> None:
    wipe(db)
    build(db, g)
    m = Model(g)
    rows = run("cross_force_perpetrators", {"min_forces": min_forces}).rows
    want = {i: by_force(m, i) for i in m.perpetrators() if len(by_force(m, i)) >= min_forces}
    assert {r["identity_id"]: r["by_force"] for r in rows} == want
    assert all(r["force_count"] == len(r["by_force"]) for r in rows)


@SETTINGS
@given(g=dated_graphs(), as_of=st.integers(0, SPAN + 400), years=st.integers(1, 4),
       min_age=st.integers(0, 30))
def test_matac_with_any_date_window_and_age(
    db: Driver, g: dict[str, Any], as_of: int, years: int, min_age: int
) -> None:
    wipe(db)
    build(db, g)
    p = {"as_of": on(as_of).isoformat(), "years": years, "min_age": min_age}
    rows = run("matac_serial", p).rows
    got = {r["identity_id"]: (r["incidents"], r["victims"]) for r in rows}
    assert got == matac(Model(g), on(as_of), years, min_age)


@SETTINGS
@given(g=dated_graphs(), as_of=st.integers(0, SPAN + 400), window=st.integers(1, 5),
       weights=st.lists(st.integers(0, 10), min_size=4, max_size=4))
def test_rfgv_with_any_date_window_and_weights(
    db: Driver, g: dict[str, Any], as_of: int, window: int, weights: list[int]
) -> None:
    wipe(db)
    build(db, g)
    cfg = copy.deepcopy(RFGV)
    cfg["window_years"] = window
    for part, w in zip(("recency", "frequency", "gravity", "victims"), weights, strict=True):
        cfg[part]["weight"] = w / 10
    rows = run("rfgv_ranking", {"as_of": on(as_of).isoformat(), "rfgv": cfg,
                                "limit": 100000}).rows
    want = rfgv(Model(g), on(as_of), cfg)
    got = {r["identity_id"]: (r["last_date"], r["recency_days"], r["recency"], r["incidents"],
                              r["frequency"], r["harm_days"], r["gravity"], r["victims_count"],
                              r["victims"], r["score"]) for r in rows}
    assert got.keys() == want.keys()
    for i, x in got.items():  # dates and counts exactly, the sliding points to float precision
        for a, b in zip(x[:-1], want[i][:-1], strict=True):
            assert abs(a - b) <= 1e-9 if isinstance(b, float) else a == b, (i, x, want[i])
        assert abs(x[-1] - want[i][-1]) <= 0.0051
    scores = [r["score"] for r in rows]
    assert scores == sorted(scores, reverse=True)


@st.composite
def housed_graphs(draw: st.DrawFn) -> dict[str, Any]:
    """A dated graph whose records lived at a few addresses, some moves still open."""
    g = draw(dated_graphs())
    g["addresses"] = [{"address_key": f"A{k}"} for k in range(3)]
    g["residences"] = [
        {"person_key": p["person_key"], "address_key": f"A{draw(st.integers(0, 2))}",
         "from_date": on(start).isoformat(),
         "to_date": draw(st.one_of(st.none(), st.just(on(start + 90).isoformat())))}
        for p in g["persons"] for start in draw(st.lists(st.integers(0, SPAN), max_size=2))
    ]
    return g


def shared(g: dict[str, Any], m: Model, min_identities: int, min_perpetrators: int,
           limit: int) -> list[tuple[Any, ...]]:
    """Addresses with their resident identities (first move in, last move out or none while
    one is open, perpetrator or not), most perpetrators, then most residents, then key."""
    lived: dict[str, dict[str, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    for r in g["residences"]:
        lived[r["address_key"]][m.ident[r["person_key"]]].append(r)
    out = []
    for key, people in lived.items():
        residents = sorted(
            (min(r["from_date"] for r in rs), i,
             None if any(r["to_date"] is None for r in rs) else max(r["to_date"] for r in rs),
             i in m.perpetrators())
            for i, rs in people.items())
        perpetrators = sum(r[3] for r in residents)
        if len(residents) >= min_identities and perpetrators >= min_perpetrators:
            out.append((key, len(residents), perpetrators,
                        [(i, d0, d1, p) for d0, i, d1, p in residents]))
    return sorted(out, key=lambda a: (-a[2], -a[1], a[0]))[:limit]


@SETTINGS
@given(g=housed_graphs(), min_identities=st.integers(2, 4), min_perpetrators=st.integers(0, 2),
       limit=st.integers(1, 3))
def test_shared_addresses_with_any_minimums(
    db: Driver, g: dict[str, Any], min_identities: int, min_perpetrators: int, limit: int
) -> None:
    wipe(db)
    build(db, g)
    m = Model(g)
    rows = run("shared_addresses", {"min_identities": min_identities,
                                    "min_perpetrators": min_perpetrators, "limit": limit}).rows
    got = [(r["address_key"], r["identities"], r["perpetrators"],
            [(x["identity_id"], x["from_date"], x["to_date"], x["perpetrator"])
             for x in r["residents"]]) for r in rows]
    assert got == shared(g, m, min_identities, min_perpetrators, limit)
    keys = {i: sorted(k for k, h in m.ident.items() if h == i) for i in m.ident.values()}
    assert all(x["record_keys"] == keys[x["identity_id"]] for r in rows for x in r["residents"])


@SETTINGS
@given(g=dated_graphs(), as_of=st.integers(0, SPAN + 400),
       duty=st.sets(st.sampled_from(ORDER_TYPES)), outcomes=st.sets(st.sampled_from(OUTCOMES)),
       orders=st.sets(st.sampled_from(ORDER_TYPES)))
def test_obligations_register_with_any_parameters(
    db: Driver, g: dict[str, Any], as_of: int, duty: set[str], outcomes: set[str],
    orders: set[str],
) -> None:
    """Who is on the register (an order with duties in force, or Category 4: serial as DOMAIN.md
    defines it, the persons his orders protect counted among his victims), his Category 4 flag
    and his orders with duties in force."""
    wipe(db)
    build(db, g)
    m, day = Model(g), on(as_of)
    want = {}
    for i in set(m.ident.values()):
        duty_orders = sorted(o["order_key"] for o in m.subject[i] if o["order_type"] in duty
                             and in_force(o, day))
        category4 = len(m.victims(i)) >= 2 and (
            any(inc["outcome"] in outcomes for inc in m.perps[i])
            or any(o["order_type"] in orders for o in m.subject[i]))
        if duty_orders or category4:
            want[i] = (category4, duty_orders)
    rows = run("obligations_register", {
        "as_of": day.isoformat(), "duty_orders": sorted(duty),
        "qualifying_outcomes": sorted(outcomes), "qualifying_orders": sorted(orders)}).rows
    assert {r["identity_id"]: (r["category4"], r["duty_orders"]) for r in rows} == want


def in_force(order: dict[str, Any], day: date) -> bool:
    """From its start date (else the day issued) to its end date, both inclusive."""
    start = date.fromisoformat(order.get("start_date") or order["issued_date"])
    end = order["end_date"]
    return start <= day and (end is None or date.fromisoformat(end) >= day)


def test_a_duty_order_is_on_the_register_from_its_start_to_its_end_day(db: Driver) -> None:
    """In force from its start date (not the day it was issued) to its end date, both days
    included: the edges a random date rarely lands on."""
    wipe(db)
    build(db, {"agencies": [{"agency_code": "F1", "name": "Force One"}],
               "persons": [{"person_key": "P1", "agency_code": "F1"}],
               "orders": [{"order_key": "O1", "order_type": "DAPO", "subject_key": "P1",
                           "agency_code": "F1", "issued_date": "2024-01-01",
                           "start_date": "2024-01-10", "end_date": "2024-03-01"}]})  # fmt: skip
    for day, listed in (("2024-01-09", False), ("2024-01-10", True), ("2024-03-01", True),
                        ("2024-03-02", False)):  # fmt: skip
        rows = run("obligations_register", {"as_of": day}).rows
        assert [r["duty_orders"] for r in rows] == ([["O1"]] if listed else []), day


PAGED = [q for q in load() if q.param("limit") is not None and q.param("limit").default is None]


def test_the_paged_queries_are_the_national_lists() -> None:
    assert {q.name for q in PAGED} >= {
        "serial_perpetrators", "cross_force_perpetrators", "matac_serial", "order_breaches",
        "obligations_register", "obligation_compliance"}  # fmt: skip


@SETTINGS
@given(g=dated_graphs(), as_of=st.integers(0, SPAN + 400), k=st.integers(1, 4))
def test_a_page_is_the_head_of_the_whole_answer(
    db: Driver, g: dict[str, Any], as_of: int, k: int
) -> None:
    """A paged query orders and cuts on the server before it builds its rows: the first `k`
    rows, whether asked for by the row cap or by `limit`, are exactly the whole answer's first
    `k`, and the cap's `truncated` says whether more exist."""
    wipe(db)
    build(db, g)
    for q in PAGED:
        params = {"as_of": on(as_of).isoformat()} if q.param("as_of") else {}
        whole = run(q.name, params, row_cap=1_000_000)
        capped = run(q.name, params, row_cap=k)
        assert not whole.truncated
        assert capped.rows == whole.rows[:k], q.name
        assert capped.truncated == (len(whole.rows) > k), q.name
        assert run(q.name, {**params, "limit": k}).rows == whole.rows[:k], q.name
