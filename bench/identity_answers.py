"""What a wrong merge changes: each identity's serial tier and `disclosure_check` answer,
computed offline from a delivery's files for any assignment of records to identities.

A wrong merge is undone by *refining* the identities by the truth (an identity holding records
of two humans becomes one identity per human; splits are kept, so recall is not counted here).
A wrong merge changes an answer when a human's identity answers differently before and after
the refinement: an innocent man gains another man's victims, cautions or orders, a victim is
shown as her abuser, or a perpetrator's two victims merged into one count as one.

Tier (`serial_perpetrators`): two or more victims (distinct identities, from DA incidents he is
suspect or offender in, or protected by an order he is subject of) and a qualifying outcome or
order = serial; two or more victims without = at_risk. Disclosure answer (the substance of
`disclosure_check`): the number of victims, the incidents with a conviction, caution or
acquittal, and the orders; `forces` (police forces holding his records) is counted apart.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ingest.synth.truth import DA_CATEGORIES, QUALIFYING_ORDERS, QUALIFYING_OUTCOMES

Answer = tuple[int, frozenset[str], frozenset[str]]  # victims, outcome incidents, orders


@dataclass(frozen=True)
class Delivery:
    perpetrated: dict[str, list[str]]  # person key -> incidents he is suspect/offender in
    victims_of: dict[str, list[str]]  # incident (DA) -> its victims' keys
    outcome: dict[str, str]  # incident -> outcome
    da: set[str]  # DA-related incidents
    subject_of: dict[str, list[str]]  # person key -> orders he is subject of
    protected: dict[str, list[str]]  # order -> protected persons' keys
    order_type: dict[str, str]
    police_agency: dict[str, str]  # person key -> its agency when a police force


def _rows(delivery: Path, name: str) -> list[dict[str, str]]:
    path = delivery / name
    if not path.exists():
        return []
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def load(delivery: Path) -> Delivery:
    police = {
        a["agency_code"] for a in _rows(delivery, "agencies.csv") if a["type"] == "police_force"
    }
    incidents = {i["incident_key"]: i for i in _rows(delivery, "incidents.csv")}
    perpetrated: dict[str, list[str]] = defaultdict(list)
    victims: dict[str, list[str]] = defaultdict(list)
    for p in _rows(delivery, "incident_parties.csv"):
        if p["role"] in ("suspect", "offender"):
            perpetrated[p["person_key"]].append(p["incident_key"])
        elif p["role"] == "victim":
            victims[p["incident_key"]].append(p["person_key"])
    subject: dict[str, list[str]] = defaultdict(list)
    kinds = {}
    for o in _rows(delivery, "orders.csv"):
        subject[o["subject_key"]].append(o["order_key"])
        kinds[o["order_key"]] = o["order_type"]
    protected: dict[str, list[str]] = defaultdict(list)
    for o in _rows(delivery, "order_protected.csv"):
        protected[o["order_key"]].append(o["person_key"])
    return Delivery(
        dict(perpetrated),
        dict(victims),
        {k: i["outcome"] for k, i in incidents.items()},
        {k for k, i in incidents.items() if i["category"] in DA_CATEGORIES},
        dict(subject),
        dict(protected),
        kinds,
        {
            p["person_key"]: p["agency_code"]
            for p in _rows(delivery, "persons.csv")
            if p["agency_code"] in police
        },
    )


@dataclass(frozen=True)
class Facts:
    tier: str | None
    answer: Answer
    forces: frozenset[str]


def facts(d: Delivery, ident: Mapping[str, str]) -> dict[str, Facts]:
    """Tier, disclosure answer and forces of every identity holding a perpetrator's record or
    a police record (others answer nothing)."""
    members: dict[str, list[str]] = defaultdict(list)
    for key, i in ident.items():
        members[i].append(key)
    out: dict[str, Facts] = {}
    for i, keys in members.items():
        incidents = {x for k in keys for x in d.perpetrated.get(k, ())}
        orders = {o for k in keys for o in d.subject_of.get(k, ())}
        forces = frozenset(d.police_agency[k] for k in keys if k in d.police_agency)
        if not incidents and not orders:
            out[i] = Facts(None, (0, frozenset(), frozenset()), forces)
            continue
        victims = {ident[v] for x in incidents if x in d.da for v in d.victims_of.get(x, ())}
        victims |= {ident[v] for o in orders for v in d.protected.get(o, ())}
        victims.discard(i)
        outcomes = frozenset(x for x in incidents if d.outcome.get(x) in QUALIFYING_OUTCOMES)
        qualifying = any(x in d.da for x in outcomes) or any(
            d.order_type.get(o) in QUALIFYING_ORDERS for o in orders
        )
        tier = None if len(victims) < 2 else "serial" if qualifying else "at_risk"
        out[i] = Facts(tier, (len(victims), outcomes, frozenset(orders)), forces)
    return out


@dataclass(frozen=True)
class Damage:
    tier_changed: int
    answer_changed: int
    forces_changed: int
    serial_split: int
    serial_missed: int  # of the split: serial in none of their identities
    serial: int
    examples: list[str]
    identities: list[str]  # the identities whose wrong merge changes a tier or an answer


def merge_damage(d: Delivery, truth: dict, ident: Mapping[str, str]) -> Damage:
    """Humans whose tier, disclosure answer or forces a wrong merge changes (see the module
    docstring), and the serial humans split over several identities."""
    human = {k: h for h, keys in truth["people"].items() for k in keys}
    refined = {k: f"{i}|{human[k]}" for k, i in ident.items()}
    merged, apart = facts(d, ident), facts(d, refined)
    tier = answer = forces = 0
    examples: list[str] = []
    damaging: set[str] = set()
    seen: set[str] = set()
    for k, i in ident.items():
        r = refined[k]
        if r in seen:
            continue
        seen.add(r)
        a, b = merged[i], apart[r]
        tier += a.tier != b.tier
        answer += a.answer != b.answer
        forces += a.forces != b.forces
        if a.tier != b.tier or a.answer != b.answer:
            damaging.add(i)
            if len(examples) < 5:
                examples.append(
                    f"{human[k]} in {i}: {b.tier}/{b.answer[0]} -> {a.tier}/{a.answer[0]}"
                )
    serial = set(truth.get("serial", []))
    split = [h for h in serial if len({ident[k] for k in truth["people"][h]}) > 1]
    # a split man's parts, wrong merges undone: is any of them still found serial?
    missed = sum(all(apart[refined[k]].tier != "serial" for k in truth["people"][h]) for h in split)
    return Damage(tier, answer, forces, len(split), missed, len(serial), examples,
                  sorted(damaging))
