"""Per-identity facts: what the whole-population queries would otherwise recompute for every
identity on every run, stored on each perpetrator's Identity node and kept fresh by every write
path (transactional load, bulk load, identity resolution); and two per-address facts (how many
identities and perpetrators lived there) refreshed with the identities whose records lived there.

The facts do not depend on any query parameter. A population query seeks its candidates by an
indexed fact (e.g. `victim_count >= $min_victims`) and evaluates its parameters on the rest of
the facts or on the graph, so every parameter still gives exactly the right answer.
Non-perpetrators hold no facts. The facts (docs/model.md lists them):

- `victim_count`, `da_victim_count`: distinct victim identities (all; from DA incidents only);
- `da_victim_dates`, `da_victim_ids`, `da_victim_dobs`: one entry per (DA incident, victim
  identity) pair, in the order of `da_dates` (then victim id): the incident's date, the victim,
  and her earliest recorded date of birth (`0001-01-01` when none is recorded, so that a rule
  "aged N or over on the date" counts her, as matac_serial does). A victim's DOB is hers, not
  his: `touched` refreshes the perpetrators of every incident an identity's records are victims
  in when any record of it changes;
- `da_dates`, `da_offences`, `da_outcomes`: his distinct DA-related incidents as suspect or
  offender, in date order (event date, then key), offence and outcome `''` when unknown;
- `order_dates`, `order_types`, `order_keys`, `order_starts`, `order_ends`: the orders he is
  subject of, in date order (issued date, then key): issued, type, key, in force from (its
  start date, else issued) and until (its end date, `9999-12-31` when none); `notice_types`;
- `breach_dates`, `breach_order_dates`, `breach_keys`: breaches of his orders, the breached
  order's date and the breach's key;
- `told_keys`, `told_types`, `told_events`, `told_dates`, `told_agencies`: the notifications
  his records gave, in order (notified date, then key): key, type, the date of the event it
  names (`0001-01-01` when none), the date notified and the recording agency (`''` when none);
- `first_event_date`: his earliest DA incident or order; `forces`, `force_count`: the police
  forces holding his records, DA incidents or orders (sorted by name, then code); for each of
  them, in the same order, `force_codes`, `force_records`, `force_incidents`, `force_orders`
  (how many of his records, DA incidents and orders it holds) and `force_first_dates`,
  `force_last_dates` (its first and last dated incident or order, ISO, `''` when none).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable
from typing import LiteralString

from neo4j import Driver

from graph import ranking
from graph.alerts import Changes
from graph.driver import read, write_batched, write_chunked

log = logging.getLogger(__name__)

BATCH = 2000  # identities per transaction
FULL_REFRESH_AT = 200_000  # more keys than this touched: one full refresh is cheaper
WRITE_TIMEOUT_S = 600.0

FACT_NAMES = (
    "victim_count",
    "da_victim_count",
    "da_victim_dates",
    "da_victim_ids",
    "da_victim_dobs",
    "da_dates",
    "da_offences",
    "da_outcomes",
    "order_dates",
    "order_types",
    "order_keys",
    "order_starts",
    "order_ends",
    "notice_types",
    "breach_dates",
    "breach_order_dates",
    "breach_keys",
    "told_keys",
    "told_types",
    "told_events",
    "told_dates",
    "told_agencies",
    "first_event_date",
    "forces",
    "force_count",
    "force_codes",
    "force_records",
    "force_incidents",
    "force_orders",
    "force_first_dates",
    "force_last_dates",
)

# Computes and stores the facts of `i` (one identity in scope); the same text serves the
# targeted and the full refresh. Facts of an identity that is no longer a perpetrator go.
_REFRESH_ONE: LiteralString = """
CALL (i) {
  MATCH (i)<-[:RESOLVES_TO]-(:Person)-[:SUSPECT_IN|OFFENDER_IN]->(inc:Incident)
  WHERE inc.da_related
  WITH DISTINCT inc
  ORDER BY inc.event_date, inc.incident_key
  RETURN collect(inc.event_date) AS da_dates,
         collect(coalesce(inc.offence, '')) AS da_offences,
         collect(coalesce(inc.outcome, '')) AS da_outcomes
}
CALL (i) {
  MATCH (i)<-[:RESOLVES_TO]-(:Person)-[:SUBJECT_OF]->(o:Order)
  WITH DISTINCT o
  ORDER BY o.issued_date, o.order_key
  RETURN collect(o.issued_date) AS order_dates, collect(o.order_type) AS order_types,
         collect(DISTINCT CASE WHEN o.is_notice THEN o.order_type END) AS notices,
         collect(o.order_key) AS order_keys,
         collect(coalesce(o.start_date, o.issued_date)) AS order_starts,
         collect(coalesce(o.end_date, date('9999-12-31'))) AS order_ends
}
CALL (i, da_dates, da_offences, da_outcomes, order_dates, order_types, notices, order_keys,
      order_starts, order_ends) {
  WITH i, da_dates, da_offences, da_outcomes, order_dates, order_types, notices, order_keys,
       order_starts, order_ends
  WHERE size(da_dates) > 0 OR size(order_dates) > 0
  CALL (i) {
    MATCH (i)<-[:RESOLVES_TO]-(:Person)-[:SUBJECT_OF]->(o:Order)<-[:BREACH_OF]-(b:Breach)
    WITH DISTINCT o, b
    ORDER BY b.breach_date, b.breach_key
    RETURN collect(b.breach_date) AS breach_dates, collect(o.issued_date) AS breach_order_dates,
           collect(b.breach_key) AS breach_keys
  }
  CALL (i) {
    MATCH (i)<-[:RESOLVES_TO]-(:Person)-[:NOTIFIED]->(n:Notification)
    WITH DISTINCT n
    ORDER BY n.notified_date, n.notification_key
    RETURN collect(n.notification_key) AS told_keys, collect(n.type) AS told_types,
           collect(coalesce(n.event_date, date('0001-01-01'))) AS told_events,
           collect(n.notified_date) AS told_dates,
           collect(coalesce(n.agency_code, '')) AS told_agencies
  }
  CALL (i) {
    MATCH (i)<-[:RESOLVES_TO]-(:Person)-[:SUSPECT_IN|OFFENDER_IN]->(inc:Incident)
          <-[:VICTIM_IN]-(:Person)-[:RESOLVES_TO]->(v:Identity)
    WHERE inc.da_related AND v <> i
    WITH DISTINCT inc, v
    WITH inc, v, COLLECT { MATCH (r:Person)-[:RESOLVES_TO]->(v) RETURN min(r.date_of_birth) }[0]
         AS dob
    ORDER BY inc.event_date, inc.incident_key, v.identity_id
    RETURN collect(inc.event_date) AS da_victim_dates, collect(v.identity_id) AS da_victim_ids,
           collect(coalesce(dob, date('0001-01-01'))) AS da_victim_dobs
  }
  // his victims: those of his DA incidents (the pairs above) and those his orders protect
  CALL (i, da_victim_ids) {
    CALL (i, da_victim_ids) {
      UNWIND da_victim_ids AS id
      RETURN id
      UNION
      MATCH (i)<-[:RESOLVES_TO]-(:Person)-[:SUBJECT_OF]->(:Order)-[:PROTECTS]->(:Person)
            -[:RESOLVES_TO]->(v:Identity)
      WHERE v <> i
      RETURN v.identity_id AS id
    }
    RETURN count(id) AS victim_count
  }
  CALL (i) {
    MATCH (i)<-[:RESOLVES_TO]-(p:Person)
    CALL (p) {
      MATCH (p)-[:SUPPLIED_BY]->(a:Agency)
      WHERE a.is_police
      RETURN a, p.person_key AS record, null AS incident, null AS order, null AS d
      UNION
      MATCH (p)-[:SUSPECT_IN|OFFENDER_IN]->(inc:Incident)-[:SUPPLIED_BY]->(a:Agency)
      WHERE inc.da_related AND a.is_police
      RETURN a, null AS record, inc.incident_key AS incident, null AS order, inc.event_date AS d
      UNION
      MATCH (p)-[:SUBJECT_OF]->(o:Order)-[:SUPPLIED_BY]->(a:Agency)
      WHERE a.is_police
      RETURN a, null AS record, null AS incident, o.order_key AS order, o.issued_date AS d
    }
    WITH a, count(DISTINCT record) AS records, count(DISTINCT incident) AS incidents,
         count(DISTINCT order) AS orders, min(d) AS first_date, max(d) AS last_date
    ORDER BY a.name, a.agency_code
    RETURN collect(a.name) AS forces, collect(a.agency_code) AS force_codes,
           collect(records) AS force_records, collect(incidents) AS force_incidents,
           collect(orders) AS force_orders,
           collect(coalesce(toString(first_date), '')) AS force_first_dates,
           collect(coalesce(toString(last_date), '')) AS force_last_dates
  }
  SET i.victim_count = victim_count,
      i.da_victim_count = size(COLLECT { UNWIND da_victim_ids AS id RETURN DISTINCT id }),
      i.da_victim_dates = da_victim_dates, i.da_victim_ids = da_victim_ids,
      i.da_victim_dobs = da_victim_dobs,
      i.da_dates = da_dates, i.da_offences = da_offences, i.da_outcomes = da_outcomes,
      i.order_dates = order_dates, i.order_types = order_types, i.order_keys = order_keys,
      i.order_starts = order_starts, i.order_ends = order_ends,
      i.notice_types = COLLECT { UNWIND notices AS t RETURN t ORDER BY t },
      i.breach_dates = breach_dates, i.breach_order_dates = breach_order_dates,
      i.breach_keys = breach_keys,
      i.told_keys = told_keys, i.told_types = told_types, i.told_events = told_events,
      i.told_dates = told_dates, i.told_agencies = told_agencies,
      i.first_event_date = CASE WHEN size(da_dates) = 0 THEN order_dates[0]
                                WHEN size(order_dates) = 0 THEN da_dates[0]
                                WHEN da_dates[0] <= order_dates[0] THEN da_dates[0]
                                ELSE order_dates[0] END,
      i.forces = forces, i.force_count = size(forces), i.force_codes = force_codes,
      i.force_records = force_records, i.force_incidents = force_incidents,
      i.force_orders = force_orders, i.force_first_dates = force_first_dates,
      i.force_last_dates = force_last_dates
}
CALL (i, da_dates, order_dates) {
  WITH i WHERE size(da_dates) = 0 AND size(order_dates) = 0 AND i.first_event_date IS NOT NULL
  REMOVE i.victim_count, i.da_victim_count, i.da_victim_dates, i.da_victim_ids,
         i.da_victim_dobs, i.da_dates, i.da_offences, i.da_outcomes,
         i.order_dates, i.order_types, i.order_keys, i.order_starts, i.order_ends,
         i.notice_types, i.breach_dates, i.breach_order_dates, i.breach_keys,
         i.told_keys, i.told_types, i.told_events, i.told_dates, i.told_agencies,
         i.first_event_date, i.forces, i.force_count, i.force_codes, i.force_records,
         i.force_incidents, i.force_orders, i.force_first_dates, i.force_last_dates
}
"""

_REFRESH_IDS: LiteralString = "UNWIND $ids AS id MATCH (i:Identity {identity_id: id})\n" + (
    _REFRESH_ONE
)

# Two batches side by side (each writes only its own identities' facts, so they never wait on
# each other): at 1,000,000 people 29 s one after another, 22 s two at a time on 2 cores.
_REFRESH_ALL: LiteralString = (
    "MATCH (i:Identity) CALL (i) {" + _REFRESH_ONE + "} IN 2 CONCURRENT TRANSACTIONS OF 5000 ROWS"
)

# Per-address facts for `shared_addresses`: on an address where two or more resolved identities
# lived, how many (`resident_count`) and how many of them are perpetrators (identities holding
# facts: `perpetrator_count`); an address with fewer holds none. They follow the identity facts
# (a resident becoming a perpetrator changes them), so they are refreshed after those.
_ADDRESS_ONE: LiteralString = """
CALL (a) {
  MATCH (a)<-[:RESIDED_AT]-(:Person)-[:RESOLVES_TO]->(i:Identity)
  WITH DISTINCT i
  RETURN count(i) AS residents, count(i.first_event_date) AS perpetrators
}
CALL (a, residents, perpetrators) {
  WITH a, residents, perpetrators WHERE residents >= 2
  SET a.resident_count = residents, a.perpetrator_count = perpetrators
}
CALL (a, residents) {
  WITH a, residents WHERE residents < 2 AND a.resident_count IS NOT NULL
  REMOVE a.resident_count, a.perpetrator_count
}
"""

# The addresses where records of these identities lived (after a relink, an identity's old
# addresses are those of the records that moved, refreshed through their new identity).
_REFRESH_ADDRESSES_OF: LiteralString = (
    "UNWIND $ids AS id\n"
    "MATCH (:Identity {identity_id: id})<-[:RESOLVES_TO]-(:Person)-[:RESIDED_AT]->(a:Address)\n"
    "WITH DISTINCT a\n" + _ADDRESS_ONE
)

# Only an address with two or more residences can be shared (or hold facts to remove): the
# degree is read without walking, so the many addresses with one resident cost next to nothing.
_REFRESH_ALL_ADDRESSES: LiteralString = (
    "MATCH (a:Address) WHERE a.resident_count IS NOT NULL OR COUNT { (a)<-[:RESIDED_AT]-() } > 1\n"
    "CALL (a) {" + _ADDRESS_ONE + "} IN 2 CONCURRENT TRANSACTIONS OF 5000 ROWS"
)

# The identities whose facts a change to these records can alter: the records' own
# identities, the perpetrators of incidents their identities are victims in and of orders they
# are protected persons in (their victims), the perpetrators of the incidents, orders and
# breaches named, those who gave the notifications named, and whoever held any of those
# orders, breaches and notifications before.
_TOUCHED: LiteralString = """
CALL () {
  UNWIND $persons AS k
  MATCH (:Person {person_key: k})-[:RESOLVES_TO]->(i:Identity)
  RETURN i
  UNION
  // the perpetrators of every incident a record of these records' identities (or of the
  // identities named) is a victim in: her identity and earliest DOB are in their facts, and a
  // record joining or leaving her identity can change either
  CALL () {
    UNWIND $persons AS k
    MATCH (:Person {person_key: k})-[:RESOLVES_TO]->(v:Identity)
    RETURN v
    UNION
    UNWIND $identities AS id
    MATCH (v:Identity {identity_id: id})
    RETURN v
  }
  MATCH (v)<-[:RESOLVES_TO]-(:Person)-[:VICTIM_IN]->(:Incident)
        <-[:SUSPECT_IN|OFFENDER_IN]-(:Person)-[:RESOLVES_TO]->(i:Identity)
  RETURN i
  UNION
  UNWIND $persons AS k
  MATCH (:Person {person_key: k})<-[:PROTECTS]-(:Order)<-[:SUBJECT_OF]-(:Person)
        -[:RESOLVES_TO]->(i:Identity)
  RETURN i
  UNION
  UNWIND $incidents AS k
  MATCH (:Incident {incident_key: k})<-[:SUSPECT_IN|OFFENDER_IN]-(:Person)
        -[:RESOLVES_TO]->(i:Identity)
  RETURN i
  UNION
  UNWIND $orders AS k
  MATCH (:Order {order_key: k})<-[:SUBJECT_OF]-(:Person)-[:RESOLVES_TO]->(i:Identity)
  RETURN i
  UNION
  UNWIND $notifications AS k
  MATCH (:Notification {notification_key: k})<-[:NOTIFIED]-(:Person)-[:RESOLVES_TO]->(i:Identity)
  RETURN i
  UNION
  UNWIND $breaches AS k
  MATCH (:Breach {breach_key: k})-[:BREACH_OF]->(:Order)<-[:SUBJECT_OF]-(:Person)
        -[:RESOLVES_TO]->(i:Identity)
  RETURN i
  UNION
  // who held them before: a changed row may name another subject, giver or order, and the
  // facts of the man who held it still list it (read from the facts: no walk reaches him now)
  WITH 1 AS one WHERE size($orders) + size($breaches) + size($notifications) > 0
  MATCH (i:Identity)
  WHERE i.first_event_date IS NOT NULL
    AND (any(k IN i.order_keys WHERE k IN $orders)
         OR any(k IN i.breach_keys WHERE k IN $breaches)
         OR any(k IN i.told_keys WHERE k IN $notifications))
  RETURN i
}
RETURN DISTINCT i.identity_id AS id
"""


def refresh_all(driver: Driver) -> float:
    """Recompute the facts of every identity, then of every address, in batched transactions,
    then the stored RFGV ranking; returns the seconds the facts took."""
    began = time.monotonic()
    write_batched(_REFRESH_ALL, driver=driver)
    write_batched(_REFRESH_ALL_ADDRESSES, driver=driver)
    took = time.monotonic() - began
    log.info("facts refreshed for every identity and address in %.1f s", took)
    ranking.rescore(driver)  # everyone, when a ranking is stored (it logs its own time)
    return took


def refresh(driver: Driver, identity_ids: Iterable[str]) -> int:
    """Recompute the facts of these identities (unknown ids are skipped), then of the addresses
    their records lived at; returns how many identities."""
    ids = sorted(set(identity_ids))
    # Each identity's facts are written on it alone, so its batches run two at a time (as the
    # full refresh's do); two identities may share an address, so addresses go one batch after
    # another.
    write_chunked(
        _REFRESH_IDS,
        "ids",
        ids,
        size=BATCH,
        driver=driver,
        timeout_s=WRITE_TIMEOUT_S,
        side_by_side=2,
    )
    write_chunked(
        _REFRESH_ADDRESSES_OF, "ids", ids, size=BATCH, driver=driver, timeout_s=WRITE_TIMEOUT_S
    )
    ranking.rescore(driver, ids)
    return len(ids)


def touched(
    driver: Driver,
    *,
    persons: Iterable[str] = (),
    incidents: Iterable[str] = (),
    orders: Iterable[str] = (),
    breaches: Iterable[str] = (),
    notifications: Iterable[str] = (),
    identities: Iterable[str] = (),
) -> list[str]:
    """The identities whose facts changes to these records (or to the records of these
    identities) can alter (see `_TOUCHED`)."""
    rows = read(
        _TOUCHED,
        {
            "persons": sorted(set(persons)),
            "identities": sorted(set(identities)),
            "incidents": sorted(set(incidents)),
            "orders": sorted(set(orders)),
            "breaches": sorted(set(breaches)),
            "notifications": sorted(set(notifications)),
        },
        driver=driver,
        timeout_s=WRITE_TIMEOUT_S,
    )
    return [r["id"] for r in rows]


def refresh_after_load(changes: Changes, driver: Driver) -> None:
    """After a transactional load: refresh the identities the delivery's records touch."""
    size = len(changes.persons) + len(changes.incidents) + len(changes.orders)
    if size + len(changes.breaches) + len(changes.notifications) > FULL_REFRESH_AT:
        refresh_all(driver)
        return
    refresh(
        driver,
        touched(
            driver,
            persons=[*changes.persons, *changes.row_persons()],  # new residences: addresses
            incidents=changes.incidents,
            orders=changes.orders,
            breaches=changes.breaches,
            notifications=changes.notifications,
        ),
    )


def refresh_after_relink(
    driver: Driver, relinked_records: list[str], old_identities: Iterable[str]
) -> None:
    """After identity resolution relinked these records: refresh their old and new identities
    and the perpetrators whose victims the records of either are (victims merged or split
    change his count, a record joining or leaving her identity her earliest DOB)."""
    if len(relinked_records) > FULL_REFRESH_AT:
        refresh_all(driver)
        return
    old = list(old_identities)
    refresh(driver, [*touched(driver, persons=relinked_records, identities=old), *old])
