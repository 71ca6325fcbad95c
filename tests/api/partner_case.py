"""A planted case for the partner tests: one perpetrator with two victims and a partner who is
not a perpetrator, loaded on top of the API suite's graph as a real delivery (so facts and alerts
are raised as in production) and removed again afterwards (so the suite's graph is unchanged).

The hidden people's record keys are given by the test (digits only, spaces, unicode,
punctuation: all legal keys), and so is the free text an officer or an agency writes about them.
"""

from __future__ import annotations

import csv
import html
import itertools
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from neo4j import Driver

from graph.driver import read, write

AGENCY = "PLT-FORCE"
_serial = itertools.count(1)


@dataclass
class Hidden:
    """One person a partner may never learn about, and everything that names or locates her."""

    key: str
    surname: str
    forename: str
    dob: str
    postcode: str
    line1: str

    @property
    def name(self) -> str:
        return f"{self.forename} {self.surname}"

    def secrets(self) -> list[str]:
        return [self.key, "ID:" + self.key, self.name, self.surname, self.dob, self.postcode,
                self.line1]  # fmt: skip


@dataclass
class Case:
    """What was planted: the perpetrator's keys, the hidden people, and the keys to remove."""

    perp: str  # identity id
    perp_key: str
    perp_postcode: str  # an address he alone lived at
    victims: list[Hidden]
    partner: Hidden  # intimate partner, neither victim nor perpetrator
    keys: dict[str, list[str]] = field(default_factory=dict)

    @property
    def hidden(self) -> list[Hidden]:
        return [*self.victims, self.partner]

    def secrets(self) -> list[str]:
        return [s for h in self.hidden for s in h.secrets()]


def _write(folder: Path, name: str, header: list[str], rows: Iterable[list[Any]]) -> None:
    with (folder / name).open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)


def plant(
    driver: Driver, folder: Path, victims: list[Hidden], partner: Hidden, note: str = ""
) -> Case:
    """Load the case; `note` is free text an agency wrote about the victims (an order's
    conditions, a notification's details)."""
    from ingest.transactional import load_delivery

    n = next(_serial)
    pre = f"PLT{n}"
    perp_key = f"{pre}:PERP"
    own = f"{pre}:A-OWN"
    folder.mkdir(parents=True, exist_ok=True)
    people = [*victims, partner]
    _write(folder, "agencies.csv", ["agency_code", "name", "type"],
           [[AGENCY, "Planted Constabulary", "police_force"]])  # fmt: skip
    _write(
        folder,
        "persons.csv",
        ["person_key", "agency_code", "surname", "forename", "date_of_birth", "gender"],
        [[perp_key, AGENCY, "Plantedperp", f"Oswin{n}", "1970-01-01", "M"]]
        + [[h.key, AGENCY, h.surname, h.forename, h.dob, "F"] for h in people],
    )
    own_postcode = f"ZQ{n % 90 + 9} 9ZZ"
    _write(
        folder,
        "addresses.csv",
        ["address_key", "line1", "town", "postcode"],
        [[own, f"{n} Perpetrator Lane", "Plantown", own_postcode]]
        + [[f"{pre}:A{i}", h.line1, "Plantown", h.postcode] for i, h in enumerate(people)],
    )
    victim_home = f"{pre}:A0"
    _write(
        folder,
        "residences.csv",
        ["person_key", "address_key", "from_date", "agency_code"],
        [[perp_key, own, "2015-01-01", AGENCY], [perp_key, victim_home, "2019-01-01", AGENCY]]
        + [[h.key, f"{pre}:A{i}", "2016-01-01", AGENCY] for i, h in enumerate(people)],
    )
    incidents = [f"{pre}:I{i}" for i in range(len(victims))]
    _write(
        folder,
        "incidents.csv",
        ["incident_key", "agency_code", "reported_date", "offence_date", "category", "offence",
         "outcome", "address_key"],
        [[k, AGENCY, f"202{i}-03-0{i + 1}", f"202{i}-03-0{i + 1}", "domestic_abuse", "assault",
          "conviction", f"{pre}:A{i}"] for i, k in enumerate(incidents)],
    )  # fmt: skip
    _write(
        folder,
        "incident_parties.csv",
        ["incident_key", "person_key", "role"],
        [r for k, h in zip(incidents, victims, strict=True)
         for r in ([k, perp_key, "offender"], [k, h.key, "victim"])],
    )  # fmt: skip
    order = f"{pre}:O1"
    _write(
        folder,
        "orders.csv",
        ["order_key", "order_type", "subject_key", "issued_date", "start_date", "conditions",
         "agency_code"],
        [[order, "DVPO", perp_key, "2022-06-01", "2022-06-01", note or "No contact", AGENCY]],
    )  # fmt: skip
    _write(folder, "order_protected.csv", ["order_key", "person_key"], [[order, victims[0].key]])
    _write(
        folder,
        "relationships.csv",
        ["person_key", "other_key", "type", "from_date", "agency_code"],
        [[perp_key, victims[0].key, "intimate_partner", "2018-05-01", AGENCY],
         [perp_key, partner.key, "intimate_partner", "2023-02-01", AGENCY]],
    )  # fmt: skip
    notification = f"{pre}:N1"
    _write(
        folder,
        "notifications.csv",
        ["notification_key", "person_key", "type", "notified_date", "event_date", "details",
         "agency_code"],
        [[notification, perp_key, "new_relationship", "2023-02-20", "2023-02-01",
          note or "New intimate relationship", AGENCY]],
    )  # fmt: skip
    summary = load_delivery(folder, driver)
    rejected = list((folder / "rejects").glob("*")) if (folder / "rejects").exists() else []
    assert not any(p.stat().st_size for p in rejected), [p.read_text() for p in rejected]
    assert summary is not None
    keys = {
        "persons": [perp_key, *(h.key for h in people)],
        "addresses": [own, *(f"{pre}:A{i}" for i in range(len(people)))],
        "incidents": incidents,
        "orders": [order],
        "notifications": [notification],
    }
    ident = read(
        "MATCH (:Person {person_key: $k})-[:RESOLVES_TO]->(i:Identity) RETURN i.identity_id AS i",
        {"k": perp_key},
        driver=driver,
    )[0]["i"]
    return Case(ident, perp_key, own_postcode, victims, partner, keys)


def remove(driver: Driver, case: Case) -> None:
    """Take the case out of the graph again (its records, identities, alerts, inbox items and
    agency)."""
    write(
        """
        UNWIND $persons AS k
        MATCH (p:Person {person_key: k})
        OPTIONAL MATCH (p)-[:RESOLVES_TO]->(i:Identity)
        OPTIONAL MATCH (al:Alert)-[:ABOUT]->(i)
        OPTIONAL MATCH (it:AlertItem)-[:SUBJECT]->(p)
        DETACH DELETE p, i, al, it
        """,
        {"persons": case.keys["persons"]},
        driver=driver,
    )
    write(
        """
        CALL () {
          UNWIND $incidents AS k MATCH (n:Incident {incident_key: k}) RETURN n
          UNION UNWIND $orders AS k MATCH (n:Order {order_key: k}) RETURN n
          UNION UNWIND $notifications AS k MATCH (n:Notification {notification_key: k}) RETURN n
          UNION UNWIND $addresses AS k MATCH (n:Address {address_key: k}) RETURN n
        }
        OPTIONAL MATCH (al:Alert)-[:EVIDENCE]->(n)
        DETACH DELETE n, al
        """,
        {k: v for k, v in case.keys.items() if k != "persons"},
        driver=driver,
    )
    write("MATCH (a:Agency {agency_code: $a}) DETACH DELETE a", {"a": AGENCY}, driver=driver)


def forms(secret: str) -> set[str]:
    """A value as it may appear in a JSON, CSV or XML answer."""
    return {
        secret,
        json.dumps(secret)[1:-1],
        json.dumps(secret, ensure_ascii=False)[1:-1],
        html.escape(secret, quote=False),
        html.escape(secret),
        secret.replace('"', '""'),
    }


def leaks(text: str, secrets: Iterable[str]) -> list[str]:
    """The secrets a raw answer contains, in any of the forms it could take (case-insensitive)."""
    lowered = text.lower()
    return [s for s in secrets if any(f.lower() in lowered for f in forms(s))]


def partner_answers(
    client: Any, headers: dict[str, str], case: Case, population: bool = True
) -> list[tuple[str, Any]]:
    """Every endpoint and export a partner can reach about the case, and every probe of its
    hidden people: (what was asked, the response). `population` adds the list of every serial
    perpetrator (the slowest)."""
    out: list[tuple[str, Any]] = []

    def get(url: str, **params: Any) -> None:
        out.append((url + json.dumps(params), client.get(url, headers=headers, params=params)))

    def post(url: str, body: dict[str, Any]) -> None:
        out.append((url + json.dumps(body), client.post(url, headers=headers, json=body)))

    perp = case.perp
    for who in (perp, case.perp_key):
        get(f"/persons/{who}")
    get(f"/persons/{perp}/neighbourhood", hops=2, limit=2000)
    for fmt in ("json", "graphml"):
        get(f"/exports/persons/{perp}/neighbourhood.{fmt}", hops=2, limit=2000)
    for name in ("victim_chain", "active_orders", "agencies_involved", "neighbourhood"):
        post(f"/queries/{name}/run", {"params": {"person": perp}})
        post(f"/exports/queries/{name}.csv", {"params": {"person": perp}})
    get("/alerts", identity=perp, limit=500)
    alerts = out[-1][1].json() if out[-1][1].status_code == 200 else []
    for a in alerts:
        get(f"/alerts/{a['alert_id']}")
    get("/persons", name=f"Plantedperp {case.perp_key}")
    if population:
        get("/serial")
    for h in case.hidden:
        get("/paths", a=perp, b=h.key)
        post("/queries/shortest_path/run", {"params": {"a": perp, "b": h.key}})
        get("/persons", name=h.name)
        get("/persons", postcode=h.postcode)
        get("/persons", dob=h.dob)
        get("/persons", record_key=h.key)
        get(f"/persons/{h.key}")  # probes: answered as for nobody
        get(f"/persons/{h.key}/neighbourhood")
        as_number: Any = int(h.key) if h.key.isascii() and h.key.isdigit() else h.key
        post("/queries/neighbourhood/run", {"params": {"person": as_number}})
        post("/exports/queries/victim_chain.csv", {"params": {"person": as_number}})
        post("/queries/shortest_path/run", {"params": {"a": as_number, "b": perp}})
    return out
