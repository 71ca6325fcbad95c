"""What the graph proves are two people stays two people, on the real Neo4j.

A hand-made delivery plants, for each structural rule, two records identical in every field the
model reads (name, middle name, DOB, gender, PNC id, address): an overwhelming score. The rule
must still keep them apart. A record that matches two namesakes (different PNC ids) equally
stays alone and is queued against both, with both explanations; a gender rule gives way to an
analyst's `same` decision.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from neo4j import Driver

from app.services import review as review_service
from graph.driver import read
from ingest.resolve import model, review
from ingest.resolve.pipeline import resolve
from ingest.synth.writer import HEADERS
from ingest.transactional import load_delivery
from tests.conftest import wipe

AGENCIES = [
    ("WMP", "West Midlands Police", "police_force", "West Midlands"),
    ("GMP", "Greater Manchester Police", "police_force", "North West"),
    ("MET", "Metropolitan Police Service", "police_force", "London"),
    ("KENT", "Kent Police", "police_force", "South East"),
]
# (case, agency of the second record): each case's two records are identical but for the key.
CASES = {"incident": "GMP", "witness": "MET", "relationship": "KENT", "order": "GMP"}
NAMES = {
    "incident": ("Quillon", "Brackenbury"),
    "witness": ("Ottoline", "Fairweather"),
    "relationship": ("Peregrine", "Huxtable"),
    "order": ("Tamsin", "Winterbourne"),
    "gender": ("Ashley", "Kettleborough"),
    "namesake": ("Barnaby", "Quartermaine"),
}


def _write(folder: Path, name: str, rows: list[dict[str, str]]) -> None:
    with open(folder / name, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(HEADERS[name]), lineterminator="\r\n")
        w.writeheader()
        w.writerows({c: r.get(c, "") for c in HEADERS[name]} for r in rows)


def _person(key: str, agency: str, names: tuple[str, str], **extra: str) -> dict[str, str]:
    fore, sur = names
    return {
        "person_key": key,
        "agency_code": agency,
        "forename": fore,
        "surname": sur,
        "middle_names": "Ignatius",
        "date_of_birth": "1979-04-17",
        "gender": "M",
        "pnc_id": "",
        **extra,
    }


def planted(folder: Path) -> None:
    """The delivery: per structural case two twins-in-every-field; the gender pair; the
    namesakes X (PNC 1) and Y (PNC 2) with two records each, and R (no DOB, no PNC id)."""
    folder.mkdir()
    persons, residences, addresses, parties, incidents = [], [], [], [], []
    relationships, orders, protected = [], [], []
    for case, second in CASES.items():
        a, b = f"WMP:{case.upper()}-A", f"{second}:{case.upper()}-B"
        pnc = f"79/{abs(hash(case)) % 10_000_000:07d}A"
        persons += [_person(a, "WMP", NAMES[case], pnc_id=pnc)]
        persons += [_person(b, second, NAMES[case], pnc_id=pnc)]
        addresses.append(
            {"address_key": f"WMP:AD-{case}", "line1": "1 Elm Row", "postcode": "B1 1AA"}
        )
        for k, ag in ((a, "WMP"), (b, second)):
            residences.append(
                {
                    "person_key": k,
                    "address_key": f"WMP:AD-{case}",
                    "from_date": "2020-01-01",
                    "agency_code": ag,
                }
            )
        if case in ("incident", "witness"):
            incidents.append(
                {
                    "incident_key": f"WMP:I-{case}",
                    "agency_code": "WMP",
                    "reported_date": "2024-03-01",
                    "category": "domestic_abuse",
                    "outcome": "open",
                }
            )
            roles = ("suspect", "victim") if case == "incident" else ("victim", "witness")
            parties += [
                {"incident_key": f"WMP:I-{case}", "person_key": a, "role": roles[0]},
                {"incident_key": f"WMP:I-{case}", "person_key": b, "role": roles[1]},
            ]
        elif case == "relationship":
            relationships.append(
                {"person_key": a, "other_key": b, "type": "intimate_partner", "agency_code": "WMP"}
            )
        else:
            orders.append(
                {
                    "order_key": "WMP:O-1",
                    "order_type": "DVPO",
                    "subject_key": a,
                    "issued_date": "2024-05-01",
                    "agency_code": "WMP",
                }
            )
            protected.append({"order_key": "WMP:O-1", "person_key": b})
    persons += [
        _person("WMP:GENDER-A", "WMP", NAMES["gender"], gender="M"),
        _person("GMP:GENDER-B", "GMP", NAMES["gender"], gender="F"),
        _person("WMP:X1", "WMP", NAMES["namesake"], pnc_id="80/0000001A"),
        _person("WMP:X2", "WMP", NAMES["namesake"], pnc_id="80/0000001A"),
        _person("GMP:Y1", "GMP", NAMES["namesake"], pnc_id="80/0000002B"),
        _person("GMP:Y2", "GMP", NAMES["namesake"], pnc_id="80/0000002B"),
        _person("MET:R", "MET", NAMES["namesake"], date_of_birth=""),
    ]
    _write(
        folder,
        "agencies.csv",
        [dict(zip(HEADERS["agencies.csv"], a, strict=True)) for a in AGENCIES],
    )
    _write(folder, "persons.csv", persons)
    _write(folder, "addresses.csv", addresses)
    _write(folder, "residences.csv", residences)
    _write(folder, "incidents.csv", incidents)
    _write(folder, "incident_parties.csv", parties)
    _write(folder, "relationships.csv", relationships)
    _write(folder, "orders.csv", orders)
    _write(folder, "order_protected.csv", protected)


@pytest.fixture(scope="module")
def resolved(neo4j_server: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Driver]:
    from graph.driver import get_driver

    driver = get_driver()
    wipe(driver)
    (model.models_dir() / "resolution-current.json").unlink(missing_ok=True)  # the packaged one
    folder = tmp_path_factory.mktemp("cannot-link") / "d"
    planted(folder)
    summary = load_delivery(folder, driver)
    assert summary.rejected == 0
    resolve(driver, count_pairs=False)
    yield driver


def identities(driver: Driver) -> dict[str, str]:
    rows = read(
        "MATCH (p:Person)-[:RESOLVES_TO]->(i:Identity) RETURN p.person_key AS k, "
        "i.identity_id AS i",
        driver=driver,
    )
    return {r["k"]: r["i"] for r in rows}


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_structural_cannot_link_holds_against_an_overwhelming_score(
    resolved: Driver, case: str
) -> None:
    from ingest.resolve.explain import explain

    a, b = f"WMP:{case.upper()}-A", f"{CASES[case]}:{case.upper()}-B"
    assert explain(resolved, a, b).match_probability > 0.99  # the score says "one person"
    ident = identities(resolved)
    assert ident[a] != ident[b]


def test_the_ambiguous_record_stays_apart_and_is_queued_with_both_candidates(
    resolved: Driver,
) -> None:
    ident = identities(resolved)
    assert ident["WMP:X1"] == ident["WMP:X2"] != ident["GMP:Y1"] == ident["GMP:Y2"]
    assert ident["MET:R"] == "ID:MET:R"
    queued = [p for p in review.pending(resolved, limit=100) if p["ambiguous_record"] == "MET:R"]
    assert len(queued) == 2
    candidates = set()
    for p in queued:
        assert p["reason"] == "ambiguous"
        assert any(line.startswith("name:") for line in p["explanation"])
        (alternative,) = p["alternatives"]
        assert alternative["explanation"]
        mine = {p["left"]["person_key"], p["right"]["person_key"]} - {"MET:R"}
        assert alternative["candidate"]["person_key"] not in mine | {"MET:R"}
        candidates |= mine
    assert {ident[k] for k in candidates} == {ident["WMP:X1"], ident["GMP:Y1"]}


def test_the_review_api_lists_the_candidates_side_by_side(resolved: Driver) -> None:
    from app.security.roles import Role
    from app.security.users import User
    from app.services.door import Access

    access = Access(User(name="analyst-1", role=Role.analyst), purpose="identity review")
    rows = review_service.pending(access, limit=100, driver=resolved)
    mine = [r for r in rows if r.get("ambiguous_record") == "MET:R"]
    assert len(mine) == 2 and all(len(r["alternatives"]) == 1 for r in mine)
    assert all("left" in r and "right" in r and "probability" in r for r in rows)


def test_a_same_decision_overrides_the_gender_rule(resolved: Driver) -> None:
    ident = identities(resolved)
    assert ident["WMP:GENDER-A"] != ident["GMP:GENDER-B"]
    review.decide_keys(resolved, "WMP:GENDER-A", "GMP:GENDER-B", "same", "analyst-1")
    summary = resolve(resolved, count_pairs=False)
    ident = identities(resolved)
    assert ident["WMP:GENDER-A"] == ident["GMP:GENDER-B"] and summary.conflicts == 0
    for case in CASES:  # the structural rules still hold on the re-run
        assert ident[f"WMP:{case.upper()}-A"] != ident[f"{CASES[case]}:{case.upper()}-B"]
