"""The "same person found in a new force" rule, through the real identity resolution run:
an analyst's `same` decision (which wins over the model) merges records, `resolve` re-links
them, and the rule runs over the re-linked records."""

from __future__ import annotations

from pathlib import Path

from neo4j import Driver

from graph import alert_items
from graph import alerts as al
from ingest.resolve.pipeline import resolve
from ingest.resolve.review import decide_keys
from ingest.transactional import load_delivery
from tests.alerts.test_alerts import AGENCIES, incident, parties
from tests.ingest.deliveries import write_delivery

RULE = "same_person_new_force"
PEOPLE = {  # distinct names and dates of birth, so the model links only the planted copies
    "P": ("Marlow", "Dean", "M", "1980-01-01"),
    "V1": ("Ashby", "Fern", "F", "1990-02-02"),
    "V2": ("Brook", "Gail", "F", "1991-03-03"),
    "V9": ("Crane", "Hana", "F", "1992-04-04"),
    "S8": ("Dunn", "Ivo", "M", "1970-05-05"),
}


def person(key: str, who: str) -> dict[str, str]:
    surname, forename, gender, dob = PEOPLE[who]
    return {"person_key": key, "agency_code": key.split(":")[0], "surname": surname,
            "forename": forename, "gender": gender, "date_of_birth": dob}  # fmt: skip


def first(folder: Path) -> Path:
    """NTH's perpetrator NTH:P1 and his two victims."""
    return write_delivery(
        folder,
        {
            "agencies.csv": AGENCIES,
            "persons.csv": [person("NTH:P1", "P"), person("NTH:V1", "V1"), person("NTH:V2", "V2")],
            "incidents.csv": [incident("NTH:I1", "2020-01-01", "conviction"),
                              incident("NTH:I2", "2021-01-01")],  # fmt: skip
            "incident_parties.csv": parties("NTH:I1", "NTH:P1", "NTH:V1")
            + parties("NTH:I2", "NTH:P1", "NTH:V2"),
        },
    )


def second_force(folder: Path) -> Path:
    """STH's record of the same man (STH:P9), with a new victim."""
    return write_delivery(
        folder,
        {
            "persons.csv": [person("STH:P9", "P"), person("STH:V9", "V9")],
            "incidents.csv": [incident("STH:I9", "2025-02-01")],
            "incident_parties.csv": parties("STH:I9", "STH:P9", "STH:V9"),
        },
    )


def victim_elsewhere(folder: Path) -> Path:
    """STH's record of his first victim (STH:V8, victim of a stranger there), and NTH's
    second record of him (NTH:P2)."""
    return write_delivery(
        folder,
        {
            "persons.csv": [person("STH:V8", "V1"), person("STH:S8", "S8"),
                            person("NTH:P2", "P")],  # fmt: skip
            "incidents.csv": [incident("STH:I8", "2025-03-01")],
            "incident_parties.csv": parties("STH:I8", "STH:S8", "STH:V8"),
        },
    )


def merge(db: Driver, *pairs: tuple[str, str]) -> list[str]:
    for a, b in pairs:
        decide_keys(db, a, b, "same", by="analyst.test")
    resolve(db)
    return [a["alert_id"] for a in al.alerts(rule=RULE)]


def identity_of(db: Driver, key: str) -> str:
    rows = db.execute_query(
        "MATCH (:Person {person_key: $k})-[:RESOLVES_TO]->(i:Identity) RETURN i.identity_id AS i",
        k=key,
    ).records
    return str(rows[0]["i"])


def test_a_perpetrator_found_in_a_new_force_raises_one_alert_once(
    db: Driver, tmp_path: Path
) -> None:
    load_delivery(first(tmp_path / "one"), db)
    load_delivery(second_force(tmp_path / "two"), db)
    raised = merge(db, ("NTH:P1", "STH:P9"))
    assert len(raised) == 1
    alert = al.alert(raised[0])
    assert alert["identity_id"] == identity_of(db, "NTH:P1") == identity_of(db, "STH:P9")
    assert alert["owner"] == "STH"
    assert alert["evidence"] == ["NTH:P1", "STH:P9"]  # the newly linked and the earlier record
    assert alert["summary"] == "1 STH record(s) joined an identity known to NTH"
    assert merge(db) == raised  # a second run re-links nothing and raises nothing


def test_no_alert_for_a_victim_in_a_second_force_or_a_second_record_from_the_same_force(
    db: Driver, tmp_path: Path
) -> None:
    load_delivery(first(tmp_path / "one"), db)
    load_delivery(victim_elsewhere(tmp_path / "two"), db)
    assert merge(db, ("NTH:V1", "STH:V8"), ("NTH:P1", "NTH:P2")) == []
    assert identity_of(db, "NTH:V1") == identity_of(db, "STH:V8")
    assert identity_of(db, "NTH:P1") == identity_of(db, "NTH:P2")


def test_a_followed_victim_found_in_a_new_force_raises_it_and_the_watchlist_alert(
    db: Driver, tmp_path: Path
) -> None:
    load_delivery(first(tmp_path / "one"), db)
    load_delivery(victim_elsewhere(tmp_path / "two"), db)
    al.watch("ID:NTH:V1", "caseworker.kim")
    raised = merge(db, ("NTH:V1", "STH:V8"))
    assert len(raised) == 1 and al.alert(raised[0])["evidence"] == ["NTH:V1", "STH:V8"]
    watch = al.alerts(rule="watchlist")
    assert [a["evidence"] for a in watch] == [["STH:V8"]]  # the record new to her identity
    assert watch[0]["owner"] == "caseworker.kim"
    assert [w["identity_id"] for w in al.watching("caseworker.kim")] == [identity_of(db, "NTH:V1")]


def test_the_relink_alert_is_ranked_on_the_identity_the_resolve_made(
    db: Driver, tmp_path: Path
) -> None:
    """One conviction and one victim in each force: apart, neither record is serial; the
    resolve that joins them makes him serial, and his item is ranked on that (the identities'
    facts are refreshed before the relink alerts are raised, not after)."""
    one = write_delivery(
        tmp_path / "one",
        {
            "agencies.csv": AGENCIES,
            "persons.csv": [person("NTH:P1", "P"), person("NTH:V1", "V1")],
            "incidents.csv": [incident("NTH:I1", "2020-01-01", "conviction")],
            "incident_parties.csv": parties("NTH:I1", "NTH:P1", "NTH:V1"),
        },
    )
    load_delivery(one, db)
    load_delivery(second_force(tmp_path / "two"), db)
    raised = merge(db, ("NTH:P1", "STH:P9"))
    assert len(raised) == 1
    (it,) = [i for i in alert_items.items() if i["identity_id"] == identity_of(db, "NTH:P1")]
    assert "serial tier" in " ".join(it["reasons"])
