"""obligation_compliance against an independent reading of its rule, on random graphs of duty
orders, homes, partners and notifications with any date, window and duty types: every missed
and late notification it reports, and no other."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from neo4j import Driver

from graph.runner import run
from tests.conftest import wipe
from tests.graph.graphs import build

BASE = date(2024, 1, 1)
SPAN = 20  # days: short, so that events, windows and notifications meet, and on their edges
TYPES = ["DAPO", "SPO", "NMO"]
NOTIFIED = ["address_change", "new_relationship", "travel_abroad", "name_change"]
AGENCIES = {"F1": "Force One", "F2": "Probation Two"}
SETTINGS = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip


def day(n: int) -> str:
    return (BASE + timedelta(days=n)).isoformat()


@st.composite
def graphs(draw: st.DrawFn) -> dict[str, Any]:
    keys = [f"P{k}" for k in range(draw(st.integers(2, 5)))]
    when = st.integers(0, SPAN)
    agency = st.sampled_from(sorted(AGENCIES))
    persons = [{"person_key": k, "agency_code": draw(agency),
                "identity": f"I{draw(st.integers(0, len(keys) - 2))}"} for k in keys]  # fmt: skip
    orders = []
    for n in range(draw(st.integers(1, 3))):
        issued = draw(when)
        start = draw(st.none() | st.integers(issued, SPAN))
        end = draw(st.none() | st.integers(issued, SPAN + 10))
        orders.append({"order_key": f"O{n}", "order_type": draw(st.sampled_from(TYPES)),
                       "subject_key": draw(st.sampled_from(keys)), "agency_code": draw(agency),
                       "issued_date": day(issued),
                       "start_date": None if start is None else day(start),
                       "end_date": None if end is None else day(end)})  # fmt: skip
    residences = [{"person_key": draw(st.sampled_from(keys)), "address_key": f"A{n % 2}",
                   "from_date": day(draw(when)), "agency_code": draw(agency)}
                  for n in range(draw(st.integers(1, 4)))]  # fmt: skip
    who = st.sampled_from(keys)
    partners = [{"person_key": draw(who), "other_key": draw(who),
                 "type": "intimate_partner", "from_date": day(draw(when)),
                 "agency_code": draw(agency)}
                for _ in range(draw(st.integers(1, 3)))]  # fmt: skip
    notes = []
    for n in range(draw(st.integers(1, 5))):
        event = draw(st.none() | when)
        # told a few days after the event it names (late or not), or on any day
        given = draw(st.integers(0, SPAN + 10) if event is None
                     else st.integers(event, event + 8) | st.integers(0, SPAN + 10))  # fmt: skip
        notes.append({"notification_key": f"N{n}", "person_key": draw(st.sampled_from(keys)),
                      "type": draw(st.sampled_from(NOTIFIED)), "agency_code": draw(agency),
                      "event_date": None if event is None else day(event),
                      "notified_date": day(given)})  # fmt: skip
    return {"agencies": [{"agency_code": c, "name": n} for c, n in AGENCIES.items()],
            "persons": persons, "addresses": [{"address_key": "A0"}, {"address_key": "A1"}],
            "orders": orders, "residences": residences, "relationships": partners,
            "notifications": notes}  # fmt: skip


def expected(g: dict[str, Any], as_of: date, w: int, duty: set[str]) -> list[tuple[Any, ...]]:
    """The rule as the query's description states it, read straight off the graph's rows."""
    ident = {p["person_key"]: p["identity"] for p in g["persons"]}
    d_ = date.fromisoformat
    window = timedelta(days=w)
    rows: list[tuple[Any, ...]] = []
    for i in sorted(set(ident.values())):
        duties = []
        for o in g["orders"]:
            a = d_(o["start_date"] or o["issued_date"])
            if ident[o["subject_key"]] == i and o["order_type"] in duty and a <= as_of:
                end = d_(o["end_date"]) if o["end_date"] else None
                b = as_of if end is None or end > as_of else end
                duties.append((a, b, o["order_key"], o["agency_code"]))
        if not duties:
            continue
        told = [n for n in g["notifications"] if ident[n["person_key"]] == i]
        events: dict[tuple[Any, ...], list[tuple[str, str]]] = {}
        for a, _, key, agency in duties:
            events.setdefault(("initial", "address_change", a, key), []).append((agency, key))
        for r in g["residences"]:
            if ident[r["person_key"]] == i:
                for a, b, key, _ in duties:
                    if a < d_(r["from_date"]) <= b:
                        events.setdefault(("address_change", "address_change",
                                           d_(r["from_date"]), r["address_key"]),
                                          []).append((r["agency_code"], key))  # fmt: skip
        for r in g["relationships"]:
            for mine, theirs in ((r["person_key"], r["other_key"]),
                                 (r["other_key"], r["person_key"])):  # fmt: skip
                v = ident[theirs]
                if ident[mine] == i and v != i:
                    for a, b, key, _ in duties:
                        if a < d_(r["from_date"]) <= b:
                            events.setdefault(("new_relationship", "new_relationship",
                                               d_(r["from_date"]), v), []).append(
                                (r["agency_code"], key))  # fmt: skip
        for (obligation, needs, d, source), held in events.items():
            answered = any(
                n["type"] == needs and ((n["event_date"] and d_(n["event_date"]) == d)
                                        or d - window <= d_(n["notified_date"]) <= d + window)
                for n in told)  # fmt: skip
            if d + window < as_of and not answered:
                rows.append((i, obligation, "missed", d, d + window, None,
                             (as_of - d - window).days, AGENCIES[min(a for a, _ in held)],
                             source, frozenset({min(k for _, k in held)})))  # fmt: skip
        for n in told:
            if not n["event_date"]:
                continue
            e, given = d_(n["event_date"]), d_(n["notified_date"])
            owed = [du for du in duties if du[0] <= e <= du[1]]
            if given <= as_of and given > e + window and owed:
                initial = n["type"] == "address_change" and any(du[0] == e for du in owed)
                rows.append((i, "initial" if initial else n["type"], "late", e, e + window, given,
                             (given - e - window).days, AGENCIES[n["agency_code"]],
                             n["notification_key"], frozenset(du[2] for du in owed)))  # fmt: skip
    return sorted(rows, key=lambda x: repr(x[:-1]))


# On the edges: a notice given on its due day is not late; a home taken on the order's first day
# is its initial notice's, not a change
EDGES = {
    "agencies": [{"agency_code": c, "name": n} for c, n in AGENCIES.items()],
    "persons": [{"person_key": "P0", "agency_code": "F1", "identity": "I0"}],
    "addresses": [{"address_key": "A0"}],
    "orders": [{"order_key": "O0", "order_type": "DAPO", "subject_key": "P0",
                "agency_code": "F1", "issued_date": day(2), "start_date": None,
                "end_date": None}],
    "residences": [{"person_key": "P0", "address_key": "A0", "from_date": day(2),
                    "agency_code": "F2"}],
    "relationships": [],
    "notifications": [{"notification_key": "N0", "person_key": "P0", "type": "travel_abroad",
                       "agency_code": "F2", "event_date": day(5), "notified_date": day(8)}],
}  # fmt: skip


# The page's bound on its edge: the first late notice (I1's, day 5) fills a page of one, and I0's
# duty begins that same day; his missed initial notice sorts first, so he must still be walked
TIED = {
    "agencies": [{"agency_code": c, "name": n} for c, n in AGENCIES.items()],
    "persons": [{"person_key": "P0", "agency_code": "F1", "identity": "I0"},
                {"person_key": "P1", "agency_code": "F1", "identity": "I1"}],
    "addresses": [{"address_key": "A0"}],
    "orders": [{"order_key": "O0", "order_type": "DAPO", "subject_key": "P0",
                "agency_code": "F1", "issued_date": day(5), "start_date": None,
                "end_date": None},
               {"order_key": "O1", "order_type": "DAPO", "subject_key": "P1",
                "agency_code": "F1", "issued_date": day(0), "start_date": None,
                "end_date": None}],
    "residences": [],
    "relationships": [],
    "notifications": [{"notification_key": "N0", "person_key": "P1", "type": "address_change",
                       "agency_code": "F1", "event_date": day(0), "notified_date": day(1)},
                      {"notification_key": "N1", "person_key": "P1", "type": "travel_abroad",
                       "agency_code": "F2", "event_date": day(5), "notified_date": day(15)}],
}  # fmt: skip

@SETTINGS
@example(g=EDGES, as_of=SPAN, w=3, duty={"DAPO"})
@example(g=TIED, as_of=SPAN, w=3, duty={"DAPO"})
@given(g=graphs(), as_of=st.integers(0, SPAN + 20), w=st.integers(0, 5),
       duty=st.sets(st.sampled_from(TYPES), min_size=1))
def test_obligation_compliance_with_any_graph_date_and_window(
    db: Driver, g: dict[str, Any], as_of: int, w: int, duty: set[str]
) -> None:
    wipe(db)
    build(db, g)
    day_ = BASE + timedelta(days=as_of)
    found = run("obligation_compliance", {"as_of": day_.isoformat(), "window_days": w,
                                          "duty_orders": sorted(duty)}).rows  # fmt: skip
    got = sorted(
        ((r["identity_id"], r["obligation"], r["status"], date.fromisoformat(r["event_date"]),
          date.fromisoformat(r["due_date"]),
          date.fromisoformat(r["notified_date"]) if r["notified_date"] else None,
          r["days_late"], r["detected_by"], r["source_key"], r["order_key"]) for r in found),
        key=lambda x: repr(x[:-1]))  # fmt: skip
    want = expected(g, day_, w, duty)
    for k in (1, 2, 4):  # a page is the head of the whole answer (late notices bound the walk)
        page = run("obligation_compliance", {"as_of": day_.isoformat(), "window_days": w,
                                             "duty_orders": sorted(duty), "limit": k}).rows
        assert page == found[:k], k
    # a late notice owed under two overlapping orders names one of them
    assert [x[:-1] for x in got] == [x[:-1] for x in want]
    assert all(x[-1] in y[-1] for x, y in zip(got, want, strict=True))
