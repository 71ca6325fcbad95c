"""The synthetic generator: valid extract-format files, and a truth.json that an independent
recomputation from the CSV files (plus truth's own human mapping and true DOBs) agrees with.

Nothing here imports the generator's truth code: the DOMAIN.md rules are re-implemented below.
"""

from __future__ import annotations

import csv
import json
import re
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from ingest.files import FILES
from ingest.reading import Bad, read_rows
from ingest.synth import synthesize

PEOPLE = 10_000
SEED = 20240611

COLUMNS = {  # FORMAT.md, in order; required columns listed separately
    "agencies.csv": "agency_code name type region",
    "persons.csv": "person_key agency_code surname forename middle_names date_of_birth gender "
    "aliases pnc_id",
    "addresses.csv": "address_key line1 line2 town postcode",
    "residences.csv": "person_key address_key from_date to_date agency_code",
    "incidents.csv": "incident_key agency_code reported_date offence_date category offence "
    "outcome outcome_date address_key",
    "incident_parties.csv": "incident_key person_key role",
    "orders.csv": "order_key order_type subject_key issued_date issuing_body start_date end_date "
    "conditions agency_code",
    "order_protected.csv": "order_key person_key",
    "breaches.csv": "breach_key order_key breach_date outcome agency_code",
    "relationships.csv": "person_key other_key type from_date to_date agency_code",
    "notifications.csv": "notification_key person_key type notified_date event_date details "
    "agency_code",
}
REQUIRED = {
    "agencies.csv": "agency_code name type",
    "persons.csv": "person_key agency_code surname",
    "addresses.csv": "address_key postcode",
    "residences.csv": "person_key address_key from_date",
    "incidents.csv": "incident_key agency_code reported_date category",
    "incident_parties.csv": "incident_key person_key role",
    "orders.csv": "order_key order_type subject_key issued_date",
    "order_protected.csv": "order_key person_key",
    "breaches.csv": "breach_key order_key breach_date",
    "relationships.csv": "person_key other_key type",
    "notifications.csv": "notification_key person_key type notified_date",
}
ENUMS = {
    ("agencies.csv", "type"): {
        "police_force",
        "probation",
        "prison",
        "court",
        "idva_service",
        "isac_service",
        "marac",
        "childrens_services",
        "other",
    },
    ("persons.csv", "gender"): {"M", "F", "X", "U", ""},
    ("incidents.csv", "category"): {
        "domestic_abuse",
        "stalking",
        "harassment",
        "coercive_control",
        "sexual",
        "other",
    },
    ("incidents.csv", "outcome"): {
        "conviction",
        "caution",
        "acquittal",
        "charged",
        "nfa",
        "open",
        "",
    },
    ("incident_parties.csv", "role"): {"suspect", "offender", "victim", "witness"},
    ("orders.csv", "order_type"): {
        "DVPN",
        "DVPO",
        "DAPN",
        "DAPO",
        "SPO",
        "ISPO",
        "RO",
        "NMO",
        "CBO",
        "VOO",
    },
    ("relationships.csv", "type"): {"intimate_partner", "ex_partner", "family", "associate"},
    ("notifications.csv", "type"): {
        "name_change",
        "address_change",
        "travel_abroad",
        "new_relationship",
        "treatment_attendance",
    },
}
DATE_COLUMNS = {
    "date_of_birth",
    "from_date",
    "to_date",
    "reported_date",
    "offence_date",
    "outcome_date",
    "issued_date",
    "start_date",
    "end_date",
    "breach_date",
    "notified_date",
    "event_date",
}
DA = {"domestic_abuse", "stalking", "harassment", "coercive_control"}
QUALIFYING_OUTCOMES = {"conviction", "caution", "acquittal"}
QUALIFYING_ORDERS = {"DVPO", "DAPO", "SPO", "ISPO", "RO", "NMO", "CBO", "VOO"}
KEY = re.compile(r"^[A-Z][A-Z0-9-]*:[A-Z0-9]+$")
ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")

Rows = list[dict[str, str]]


class Delivery:
    """All files of one delivery, read with the csv module, plus truth.json."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.headers: dict[str, list[str]] = {}
        self.files: dict[str, Rows] = {}
        for name in COLUMNS:
            with open(path / name, encoding="utf-8", newline="") as f:
                reader = csv.reader(f)
                self.headers[name] = next(reader)
                self.files[name] = [
                    dict(zip(self.headers[name], row, strict=True)) for row in reader
                ]
        self.truth: dict[str, Any] = json.loads((path / "truth.json").read_text("utf-8"))
        self.human_of = {k: h for h, keys in self.truth["people"].items() for k in keys}

    def __getitem__(self, name: str) -> Rows:
        return self.files[name]


@pytest.fixture(scope="module")
def delivery(tmp_path_factory: pytest.TempPathFactory) -> Delivery:
    out = tmp_path_factory.mktemp("synth")
    summary = synthesize(PEOPLE, SEED, out)
    assert summary.humans == PEOPLE
    d = Delivery(out)
    assert summary.rows == {name: len(rows) for name, rows in d.files.items()}
    return d


def minus_three_years(d: date) -> date:
    try:
        return d.replace(year=d.year - 3)
    except ValueError:
        return d.replace(year=d.year - 3, day=28)


def age(dob: date, on: date) -> int:
    return on.year - dob.year - ((on.month, on.day) < (dob.month, dob.day))


def aged_16(dob: date, on: date) -> bool:
    """16th birthday reached on or before ``on`` (29 February birthdays on 29 February)."""
    return (on.year, on.month, on.day) >= (dob.year + 16, dob.month, dob.day)


# -- format ------------------------------------------------------------------------------------
def test_every_file_has_the_format_columns_in_order(delivery: Delivery) -> None:
    for name, cols in COLUMNS.items():
        assert delivery.headers[name] == cols.split(), name
        assert delivery[name], f"{name} is empty"


def test_every_row_is_valid(delivery: Delivery) -> None:
    for name, rows in delivery.files.items():
        required = REQUIRED[name].split()
        for i, row in enumerate(rows, start=2):
            for col in required:
                assert row[col], f"{name}:{i} missing {col}"
            for col, value in row.items():
                if col in DATE_COLUMNS and value:
                    assert ISO.match(value), f"{name}:{i} {col}={value!r}"
                    date.fromisoformat(value)
                if col.endswith("_key") and value:
                    assert KEY.match(value), f"{name}:{i} {col}={value!r}"
                if (name, col) in ENUMS:
                    assert value in ENUMS[(name, col)], f"{name}:{i} {col}={value!r}"
    for name, cols in (
        ("residences.csv", ("person_key", "address_key", "from_date")),
        ("relationships.csv", ("person_key", "type", "other_key", "from_date")),
        ("incident_parties.csv", ("incident_key", "person_key")),
        ("order_protected.csv", ("order_key", "person_key")),
    ):
        identities = [tuple(r[c] for c in cols) for r in delivery[name]]
        assert len(identities) == len(set(identities)), f"{name}: a row repeats {cols}"
    for name, col in (
        ("persons.csv", "person_key"),
        ("addresses.csv", "address_key"),
        ("incidents.csv", "incident_key"),
        ("orders.csv", "order_key"),
        ("breaches.csv", "breach_key"),
        ("notifications.csv", "notification_key"),
        ("agencies.csv", "agency_code"),
    ):
        keys = [r[col] for r in delivery[name]]
        assert len(keys) == len(set(keys)), f"duplicate {col}"


def test_the_project_reader_accepts_every_row(delivery: Delivery) -> None:
    for spec in FILES:
        bad = [r for r in read_rows(delivery.path / spec.name, spec) if isinstance(r, Bad)]
        assert not bad, (spec.name, bad[:3])


def test_dates_are_ordered_and_inside_the_window(delivery: Delivery) -> None:
    lo, hi = "2012-01-01", "2026-10-31"
    for name, rows in delivery.files.items():
        for row in rows:
            for col, value in row.items():
                if col in DATE_COLUMNS and value and col != "date_of_birth":
                    assert lo <= value <= hi, (name, row)
    for r in delivery["incidents.csv"]:
        assert not r["offence_date"] or r["offence_date"] <= r["reported_date"]
        assert not r["outcome_date"] or r["outcome_date"] >= r["reported_date"]
        assert bool(r["outcome_date"]) == (
            r["outcome"] in {"nfa", "conviction", "caution", "acquittal"}
        )
    for name, a, b in (
        ("residences.csv", "from_date", "to_date"),
        ("orders.csv", "start_date", "end_date"),
        ("relationships.csv", "from_date", "to_date"),
    ):
        for r in delivery[name]:
            assert not r[b] or not r[a] or r[a] <= r[b], (name, r)
    as_of = date.fromisoformat(delivery.truth["as_of"])
    for h, dob in delivery.truth["dob"].items():
        assert 16 <= age(date.fromisoformat(dob), as_of) <= 80, h


def test_every_reference_exists_and_belongs_to_the_recording_agency(delivery: Delivery) -> None:
    agency_types = {r["agency_code"]: r["type"] for r in delivery["agencies.csv"]}
    person_agency = {r["person_key"]: r["agency_code"] for r in delivery["persons.csv"]}
    addresses = {r["address_key"] for r in delivery["addresses.csv"]}
    incident_agency = {r["incident_key"]: r["agency_code"] for r in delivery["incidents.csv"]}
    order_agency = {r["order_key"]: r["agency_code"] for r in delivery["orders.csv"]}
    for name, rows in delivery.files.items():
        for r in rows:
            if r.get("agency_code"):
                assert r["agency_code"] in agency_types, (name, r)
    for name in (
        "persons.csv",
        "incidents.csv",
        "orders.csv",
        "breaches.csv",
        "notifications.csv",
        "relationships.csv",
    ):
        assert all(r["agency_code"] for r in delivery[name]), name
    for r in delivery["residences.csv"]:
        assert r["address_key"] in addresses
        assert person_agency[r["person_key"]] == r["agency_code"]
    for r in delivery["incidents.csv"]:
        assert not r["address_key"] or r["address_key"] in addresses
    for r in delivery["incident_parties.csv"]:
        assert person_agency[r["person_key"]] == incident_agency[r["incident_key"]], r
    for r in delivery["orders.csv"]:
        assert person_agency[r["subject_key"]] == r["agency_code"], r
    for r in delivery["order_protected.csv"]:
        assert person_agency[r["person_key"]] == order_agency[r["order_key"]], r
    for r in delivery["breaches.csv"]:
        assert r["order_key"] in order_agency
    for r in delivery["relationships.csv"]:
        assert person_agency[r["person_key"]] == r["agency_code"]
        assert person_agency[r["other_key"]] == r["agency_code"]
    for r in delivery["notifications.csv"]:
        assert person_agency[r["person_key"]] == r["agency_code"]
        assert agency_types[r["agency_code"]] == "police_force"
    codes = {r["agency_code"] for r in delivery["agencies.csv"]}
    assert {"WMP", "MET", "GMP", "BTP", "PSNI", "PSOS"} <= codes
    assert sum(t == "police_force" for t in agency_types.values()) == 46
    assert set(agency_types.values()) >= ENUMS[("agencies.csv", "type")] - {"other"}


# -- truth -------------------------------------------------------------------------------------
def test_truth_people_partition_the_person_records(delivery: Delivery) -> None:
    people = delivery.truth["people"]
    assert len(people) == PEOPLE
    assert list(people) == sorted(people)
    assert all(re.fullmatch(r"H\d{6,}", h) for h in people)
    all_keys = [k for keys in people.values() for k in keys]
    assert len(all_keys) == len(set(all_keys))
    assert set(all_keys) == {r["person_key"] for r in delivery["persons.csv"]}
    assert all(keys and keys == sorted(keys) for keys in people.values())
    assert len(all_keys) > PEOPLE  # duplicates across agencies
    known = set(people)
    for name in ("serial", "at_risk", "matac", "cross_force"):
        ids = delivery.truth[name]
        assert ids == sorted(set(ids)) and set(ids) <= known, name
        assert ids, f"{name} is empty"
    for p, chain in delivery.truth["victim_chains"].items():
        assert p in known and set(chain) <= known and p not in chain
        assert len(chain) == len(set(chain))


def recompute(d: Delivery) -> dict[str, Any]:
    """DOMAIN.md "Precise rules", from the CSV files and truth.people / truth.dob only."""
    hum = d.human_of
    police = {r["agency_code"] for r in d["agencies.csv"] if r["type"] == "police_force"}
    incidents = {r["incident_key"]: r for r in d["incidents.csv"]}
    suspects: dict[str, set[str]] = defaultdict(set)
    victims: dict[str, set[str]] = defaultdict(set)
    for r in d["incident_parties.csv"]:
        if r["role"] in ("suspect", "offender"):
            suspects[r["incident_key"]].add(hum[r["person_key"]])
        elif r["role"] == "victim":
            victims[r["incident_key"]].add(hum[r["person_key"]])
    protected: dict[str, set[str]] = defaultdict(set)
    for r in d["order_protected.csv"]:
        protected[r["order_key"]].add(hum[r["person_key"]])

    first: dict[str, dict[str, tuple[str, str]]] = defaultdict(dict)
    by_order: dict[str, dict[str, tuple[str, str]]] = defaultdict(dict)
    qualifying: set[str] = set()
    forces: dict[str, set[str]] = defaultdict(set)
    dated: dict[str, list[tuple[str, set[str]]]] = defaultdict(list)
    perpetrators: set[str] = set()
    for key, inc in incidents.items():
        if inc["category"] not in DA:
            continue
        day = inc["offence_date"] or inc["reported_date"]
        for p in suspects[key]:
            perpetrators.add(p)
            if inc["outcome"] in QUALIFYING_OUTCOMES:
                qualifying.add(p)
            if inc["agency_code"] in police:
                forces[p].add(inc["agency_code"])
            vs = victims[key] - {p}
            dated[p].append((day, vs))
            for v in vs:
                if v not in first[p] or (day, key) < first[p][v]:
                    first[p][v] = (day, key)
    for o in d["orders.csv"]:
        p = hum[o["subject_key"]]
        perpetrators.add(p)
        if o["order_type"] in QUALIFYING_ORDERS:
            qualifying.add(p)
        if o["agency_code"] in police:
            forces[p].add(o["agency_code"])
        for v in protected[o["order_key"]] - {p}:
            seen = by_order[p].get(v)
            if seen is None or (o["issued_date"], o["order_key"]) < seen:
                by_order[p][v] = (o["issued_date"], o["order_key"])
    for r in d["persons.csv"]:
        h = hum[r["person_key"]]
        if h in perpetrators and r["agency_code"] in police:
            forces[h].add(r["agency_code"])

    chains: dict[str, list[str]] = {}
    for p in perpetrators:
        when = dict(by_order[p])  # order-only victims date from the order...
        when.update(first[p])  # ...the others from their first DA incident
        if when:
            chains[p] = sorted(when, key=lambda v: (*when[v], v))  # noqa: B023

    as_of = max(
        v
        for rows in d.files.values()
        for r in rows
        for c, v in r.items()
        if c in DATE_COLUMNS and v
    )
    end = date.fromisoformat(as_of)
    low = minus_three_years(end).isoformat()
    dob = {h: date.fromisoformat(v) for h, v in d.truth["dob"].items()}
    matac = set()
    for p, items in dated.items():
        inside = [(day, vs) for day, vs in items if low < day <= as_of]
        adults = {v for day, vs in inside for v in vs if aged_16(dob[v], date.fromisoformat(day))}
        if len(inside) > 1 and len(adults) >= 2:
            matac.add(p)
    serial = {p for p, c in chains.items() if len(c) >= 2 and p in qualifying}
    return {
        "victim_chains": chains,
        "serial": sorted(serial),
        "at_risk": sorted(p for p, c in chains.items() if len(c) >= 2 and p not in serial),
        "cross_force": sorted(p for p in perpetrators if len(forces[p]) >= 2),
        "matac": sorted(matac),
        "as_of": as_of,
    }


def test_truth_agrees_with_an_independent_recomputation(delivery: Delivery) -> None:
    expected = recompute(delivery)
    truth = delivery.truth
    assert truth["as_of"] == expected["as_of"]
    assert truth["victim_chains"] == expected["victim_chains"]
    for name in ("serial", "at_risk", "cross_force", "matac"):
        assert truth[name] == expected[name], name
    assert list(truth["victim_chains"]) == sorted(truth["victim_chains"])


def test_victim_counts_are_heavy_tailed(delivery: Delivery) -> None:
    sizes = Counter(len(c) for c in delivery.truth["victim_chains"].values())
    assert max(sizes) >= 18
    assert sizes[1] > sum(n for k, n in sizes.items() if k > 1)
    assert sum(n for k, n in sizes.items() if 2 <= k <= 5) > 0
    assert sum(n for k, n in sizes.items() if k >= 10) > 0


def test_every_order_type_notification_type_and_breaches_occur(delivery: Delivery) -> None:
    assert {r["order_type"] for r in delivery["orders.csv"]} == ENUMS[("orders.csv", "order_type")]
    assert any(not r["end_date"] for r in delivery["orders.csv"])
    assert {r["type"] for r in delivery["notifications.csv"]} == ENUMS[
        ("notifications.csv", "type")
    ]
    assert delivery["breaches.csv"]
    categories = Counter(r["category"] for r in delivery["incidents.csv"])
    assert set(categories) == ENUMS[("incidents.csv", "category")]
    outcomes = Counter(r["outcome"] for r in delivery["incidents.csv"])
    assert outcomes["nfa"] + outcomes["open"] > len(delivery["incidents.csv"]) / 2
    assert {r["role"] for r in delivery["incident_parties.csv"]} == ENUMS[
        ("incident_parties.csv", "role")
    ]


def test_records_carry_realistic_noise(delivery: Delivery) -> None:
    d = delivery
    police = {r["agency_code"] for r in d["agencies.csv"] if r["type"] == "police_force"}
    by_human: dict[str, Rows] = defaultdict(list)
    for r in d["persons.csv"]:
        by_human[d.human_of[r["person_key"]]].append(r)
    differing = 0
    for rows in by_human.values():
        in_police = [r for r in rows if r["agency_code"] in police]
        if len({r["agency_code"] for r in in_police}) >= 2 and (
            len({(r["forename"], r["surname"]) for r in in_police}) > 1
            or len({r["date_of_birth"] for r in in_police}) > 1
        ):
            differing += 1
    assert differing >= 10
    same = defaultdict(set)
    for r in d["persons.csv"]:
        if r["date_of_birth"]:
            same[(r["forename"], r["surname"], r["date_of_birth"])].add(d.human_of[r["person_key"]])
    assert sum(len(hs) >= 2 for hs in same.values()) >= PEOPLE // 1000
    persons = d["persons.csv"]
    assert any(";" in r["aliases"] for r in persons)  # several aliases on one record
    assert any(r["forename"] in ("Bill", "Bob", "Liz", "Kate", "Dave", "Jim") for r in persons)
    assert sum(not r["date_of_birth"] for r in persons) > 0.02 * len(persons)
    assert any("-" in r["surname"] for r in persons)
    for rows in by_human.values():  # a PNC id, when given, is the same on every record
        assert len({r["pnc_id"] for r in rows if r["pnc_id"]}) <= 1
    assert sum(bool(r["pnc_id"]) for r in persons) > 0


def test_perpetrators_move_between_forces(delivery: Delivery) -> None:
    assert len(delivery.truth["cross_force"]) > len(delivery.truth["victim_chains"]) / 10


# -- determinism -------------------------------------------------------------------------------
def _files(path: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(path.iterdir())}


def test_same_seed_same_bytes_other_seed_other_bytes(tmp_path: Path) -> None:
    synthesize(2_000, 5, tmp_path / "a")
    synthesize(2_000, 5, tmp_path / "b")
    synthesize(2_000, 6, tmp_path / "c")
    a, b, c = _files(tmp_path / "a"), _files(tmp_path / "b"), _files(tmp_path / "c")
    assert set(a) == set(COLUMNS) | {"truth.json"}
    assert a == b
    assert a["persons.csv"] != c["persons.csv"] and a["truth.json"] != c["truth.json"]


def test_small_deliveries_are_complete(tmp_path: Path) -> None:
    for people in (1, 7, 150):
        summary = synthesize(people, 3, tmp_path / str(people))
        truth = json.loads((tmp_path / str(people) / "truth.json").read_text("utf-8"))
        assert len(truth["people"]) == people == summary.humans
