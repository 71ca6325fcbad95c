"""The proactive duty: alert rules run over each delivery's records, and the alerts they
raise, stored in the graph with their evidence and a status an officer moves on.

A rule is a saved query (`graph/cypher/alerts/`); an alert's id is its rule and evidence, so the
same evidence never raises a second alert, however often a delivery is loaded.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from neo4j import Driver

from graph.driver import read, write
from graph.errors import SerialwatchError
from graph.runner import run

STATUSES = ("new", "acknowledged", "actioned", "dismissed", "history")
# `history`: found by a baseline load about events older than its window (priority.toml): kept
# so that a reload never raises it again, never in the inbox, and moved by nobody.
# The moves an alert may make: an officer owns it (acknowledged), then acts on it or dismisses it
# with a reason; actioned and dismissed are final (a new alert is raised by new evidence).
TRANSITIONS: dict[str, tuple[str, ...]] = {
    "acknowledged": ("new",),
    "actioned": ("new", "acknowledged"),
    "dismissed": ("new", "acknowledged"),
}
EVALUATE_TIMEOUT_S = 1800.0  # a first national load puts every record through the rules
STORE_BATCH = 5_000  # alerts stored per write transaction


class AlertError(SerialwatchError):
    """An alert or watch that does not exist, or a status change that is not allowed."""


class AlertNotFound(AlertError):
    """No alert (or identity to follow) with that id."""


class IllegalTransition(AlertError):
    """The alert's current status does not allow that move (see TRANSITIONS)."""


@dataclass
class Changes:
    """The records one delivery holds, by kind (keys as the loader names them)."""

    persons: list[str] = field(default_factory=list)
    incidents: list[str] = field(default_factory=list)
    orders: list[str] = field(default_factory=list)
    breaches: list[str] = field(default_factory=list)
    notifications: list[str] = field(default_factory=list)
    residences: list[str] = field(default_factory=list)
    relationships: list[str] = field(default_factory=list)
    relinked: dict[str, str] = field(default_factory=dict)  # record key -> identity before

    def row_persons(self) -> list[str]:
        """The persons named by new residence and relationship rows (their first key part)."""
        named = {k.split("|")[0] for k in self.residences}
        named |= {k.split("|")[2] for k in self.relationships if k.count("|") >= 2}
        named |= {k.split("|")[0] for k in self.relationships}
        return sorted(named)


@dataclass(frozen=True)
class Rule:
    query: str
    title: str
    params: Callable[[Changes], dict[str, Any]]
    summary: Callable[[dict[str, Any]], str]


RULES: dict[str, Rule] = {
    "new_victim_or_partner": Rule(
        "alert_new_victim_or_partner",
        "Known perpetrator with a new victim or partner: consider a Right to Know disclosure",
        lambda c: {
            "incident_keys": c.incidents,
            "order_keys": c.orders,
            "relationship_keys": c.relationships,
        },
        lambda r: f"new {' and '.join(r['kinds'])}",
    ),
    "new_category4": Rule(
        "alert_new_category4",
        "Crosses the serial threshold: new MAPPA+ Category 4 candidate",
        lambda c: {"incident_keys": c.incidents, "order_keys": c.orders},
        lambda r: f"victims {r['victims_before']} -> {r['victims_now']}, now serial",
    ),
    "order_breach": Rule(
        "alert_order_breach",
        "Order breach, or contact with a protected person while an order is in force",
        lambda c: {"breach_keys": c.breaches, "incident_keys": c.incidents},
        lambda r: f"{r['kind']} of {r['order_type']} {r['order_key']} on {r['date']}",
    ),
    "missed_notification": Rule(
        "alert_missed_notification",
        "Missed notification: a change in another agency's records was not notified",
        lambda c: {"residence_keys": c.residences, "relationship_keys": c.relationships},
        lambda r: f"{r['obligation']} of {r['event_date']} not notified by {r['due_date']}",
    ),
    "watchlist": Rule(
        "alert_watchlist",
        "A new record touches a followed identity",
        lambda c: {
            "person_keys": c.persons,
            "incident_keys": c.incidents,
            "order_keys": c.orders,
            "notification_keys": c.notifications,
            "row_person_keys": c.row_persons(),
        },
        lambda r: f"followed by {r['watcher']}: {len(r['evidence'])} new record(s)",
    ),
    "same_person_new_force": Rule(
        "alert_same_person_new_force",
        "Same person found in a new force: identity resolution linked a force's record to him",
        lambda c: {"previous": c.relinked},
        lambda r: (
            f"{len(r['joined'])} {r['force']} record(s) joined an identity known to "
            f"{', '.join(r['known_forces']) or 'no police force'}"
        ),
    ),
}

# Alerts raised by MAPPA+ case follow-up (graph/case_followup.py), not by a saved query over a
# delivery: rule name -> title. Their owner is the case's caseworker (else its area).
FOLLOW_UP_RULES: dict[str, str] = {
    "case_action_overdue": "Risk management plan action past its due date",
    "case_review_overdue": "MAPPA+ case review past its due date",
    "managed_perpetrator_alert": "New alert on a managed MAPPA+ perpetrator",
    "case_obligation_breached": "Obligation imposed at MAPPA+ breached: change not notified",
}
RULE_NAMES = (*RULES, *FOLLOW_UP_RULES)

_RAISE = """
UNWIND $alerts AS a
OPTIONAL MATCH (old:Alert {alert_id: a.alert_id})
WITH a, old, COLLECT { MATCH (:Identity {identity_id: a.other})<-[:RESOLVES_TO]-(r:Person)
                       RETURN r.person_key ORDER BY r.person_key } AS other_keys
MERGE (al:Alert {alert_id: a.alert_id})
ON CREATE SET al.rule = a.rule, al.title = a.title, al.summary = a.summary, al.status = 'new',
  al.owner = a.owner, al.evidence = a.evidence, al.record_keys = a.record_keys,
  al.other = a.other, al.subject_key = a.record_keys[0],
  al.other_keys = other_keys,
  al.raised_at = datetime(), al.history = [toString(datetime()) + ' new']
WITH al, a, old WHERE old IS NULL
MATCH (i:Identity {identity_id: a.identity_id})
MERGE (al)-[:ABOUT]->(i)
WITH al, a
CALL (al, a) {
  UNWIND [k IN a.evidence WHERE NOT k CONTAINS '|'] AS k  // row keys name no node
  OPTIONAL MATCH (inc:Incident {incident_key: k})
  OPTIONAL MATCH (o:Order {order_key: k})
  OPTIONAL MATCH (b:Breach {breach_key: k})
  OPTIONAL MATCH (n:Notification {notification_key: k})
  OPTIONAL MATCH (p:Person {person_key: k})
  WITH al, [x IN [inc, o, b, n, p] WHERE x IS NOT NULL] AS found
  UNWIND found AS x
  MERGE (al)-[:EVIDENCE]->(x)
}
// When it happened: the rule's own date, else the newest dated evidence (a row key ends in
// its date); a baseline load files what is older than its window as history.
WITH al, a, COLLECT {
    MATCH (al)-[:EVIDENCE]->(x)
    RETURN coalesce(x.event_date, x.breach_date, x.start_date, x.issued_date) AS d
    UNION
    UNWIND [k IN a.evidence WHERE k =~ '.*[|][0-9]{4}-[0-9]{2}-[0-9]{2}'] AS k
    RETURN date(last(split(k, '|'))) AS d
  } AS dates
SET al.event_date = coalesce(date(a.date), reduce(m = null, d IN dates |
      CASE WHEN m IS NULL OR d > m THEN d ELSE m END))
SET al.status = CASE WHEN al.event_date < $history_before THEN 'history' ELSE 'new' END
RETURN al.alert_id AS alert_id, al.status AS status
"""


def alert_id(rule: str, evidence: list[str], other: str = "") -> str:
    text = "\x1f".join([rule, other, *sorted(evidence)])
    return "AL-" + hashlib.sha1(text.encode()).hexdigest()[:16]


def evaluate(
    changes: Changes,
    driver: Driver | None = None,
    timings: dict[str, float] | None = None,
    history_before: date | None = None,
) -> list[str]:
    """Run every rule over `changes`; store the alerts not raised before, filing those about
    events before `history_before` (a baseline load's window) as history; put the others in
    their subjects' inbox items; return the new alerts' ids. `timings`, if given, receives the
    seconds each rule, the storing and the grouping took (bench/alerts.py)."""
    found = []
    clock = time.monotonic()
    for name, rule in RULES.items():
        rows = run(rule.query, rule.params(changes), driver=driver, row_cap=1_000_000,
                   timeout_s=EVALUATE_TIMEOUT_S).rows
        if timings is not None:
            timings[name], clock = time.monotonic() - clock, time.monotonic()
        for row in rows:
            found.append(
                {
                    "alert_id": alert_id(name, row["evidence"], str(row.get("other") or "")),
                    "rule": name,
                    "title": rule.title,
                    "summary": rule.summary(row),
                    "identity_id": row["identity_id"],
                    "record_keys": row["record_keys"],
                    "evidence": row["evidence"],
                    "owner": row.get("owner") or "",
                    "other": row.get("other"),
                    "date": row.get("date") or row.get("event_date"),
                }
            )
    return store(found, driver, history_before, timings, clock)


def store(
    found: list[dict[str, Any]],
    driver: Driver | None = None,
    history_before: date | None = None,
    timings: dict[str, float] | None = None,
    clock: float | None = None,
) -> list[str]:
    """Store the alerts `found` (as `evaluate` builds them) that were not raised before, put
    the new ones in their subjects' inbox items, and return the ids stored now."""
    clock = time.monotonic() if clock is None else clock
    raised, inbox = [], []
    for start in range(0, len(found), STORE_BATCH):  # a first national run finds 100,000s
        stored = write(
            _RAISE,
            {"alerts": found[start : start + STORE_BATCH], "history_before": history_before},
            driver=driver,
            timeout_s=EVALUATE_TIMEOUT_S,
        )
        raised += [r["alert_id"] for r in stored]
        inbox += [r["alert_id"] for r in stored if r["status"] == "new"]
    if timings is not None:
        timings["store"], clock = time.monotonic() - clock, time.monotonic()
    from graph import alert_items  # it builds on this module

    alert_items.group(inbox, driver)
    if timings is not None:
        timings["group and rank"] = time.monotonic() - clock
    return raised


# A perpetrator as DOMAIN.md defines him: suspect or offender in a DA-related incident, or the
# subject of an order. A partner agency sees alerts about perpetrators only.
PERPETRATOR = (
    "(EXISTS { (i)<-[:RESOLVES_TO]-(:Person)-[:SUSPECT_IN|OFFENDER_IN]->(n:Incident) "
    "WHERE n.da_related } OR EXISTS { (i)<-[:RESOLVES_TO]-(:Person)-[:SUBJECT_OF]->(:Order) })"
)
# The name to show for identity `i`: his first record's (by key) that has one.
NAME = (
    "COLLECT { MATCH (i)<-[:RESOLVES_TO]-(r:Person) WHERE r.full_name IS NOT NULL "
    "RETURN r.full_name ORDER BY r.person_key LIMIT 1 }[0] AS name"
)
# His record keys and the other person as they are now (never as they were when the alert was
# raised): the other is the identity his records (kept with the alert) resolve to today, so a
# later resolution never leaves a stale identity id or key in an alert.
_OTHER = (
    "coalesce(COLLECT { UNWIND coalesce(al.other_keys, []) AS k "
    "MATCH (:Person {person_key: k})-[:RESOLVES_TO]->(o:Identity) "
    "RETURN o.identity_id ORDER BY k LIMIT 1 }[0], al.other) AS other"
)
# Who an alert is about now: the identity his record resolves to today (resolution renames and
# merges identities), else the one it was raised about.
SUBJECT = (
    "OPTIONAL MATCH (al)-[:ABOUT]->(about:Identity) "
    "OPTIONAL MATCH (:Person {person_key: al.subject_key})-[:RESOLVES_TO]->(now:Identity) "
    "RETURN coalesce(now, about) AS i LIMIT 1"
)
_FILTER = (
    "MATCH (al:Alert) "
    "WHERE ($status IS NULL OR al.status = $status) AND ($rule IS NULL OR al.rule = $rule) "
    "AND ($owner IS NULL OR al.owner = $owner) "
    "CALL (al) { " + SUBJECT + " } "
    "WITH al, i WHERE ($identity IS NULL OR i.identity_id = $identity) "
    "AND (NOT $perpetrators_only OR (i IS NOT NULL AND " + PERPETRATOR + ")) "
)
_ROW = (
    "RETURN al.alert_id AS alert_id, al.rule AS rule, al.title AS title, "
    "al.summary AS summary, al.status AS status, al.owner AS owner, "
    "i.identity_id AS identity_id, " + NAME + ", "
    "CASE WHEN i IS NULL THEN al.record_keys ELSE COLLECT { MATCH (i)<-[:RESOLVES_TO]-(r:Person) "
    "RETURN r.person_key ORDER BY r.person_key } END AS record_keys, "
    "al.evidence AS evidence, " + _OTHER + ", "
    "toString(al.raised_at) AS raised_at, al.history AS history, al.reason AS reason, "
    "al.status_by AS status_by, toString(al.status_at) AS status_at "
)


def _filters(
    status: str | None,
    rule: str | None,
    owner: str | None,
    identity_id: str | None,
    perpetrators_only: bool,
) -> dict[str, Any]:
    return {
        "status": status,
        "rule": rule,
        "owner": owner,
        "identity": identity_id,
        "perpetrators_only": perpetrators_only,
    }


def alerts(
    status: str | None = None,
    rule: str | None = None,
    owner: str | None = None,
    identity_id: str | None = None,
    driver: Driver | None = None,
    limit: int = 500,
    skip: int = 0,
    perpetrators_only: bool = False,
) -> list[dict[str, Any]]:
    """Stored alerts, newest first, filtered by any of status, rule, owner and identity (and,
    for a partner agency, to alerts about perpetrators); `skip` and `limit` page them."""
    return read(
        _FILTER + _ROW + "ORDER BY al.raised_at DESC, al.alert_id SKIP $skip LIMIT $limit",
        {
            **_filters(status, rule, owner, identity_id, perpetrators_only),
            "skip": skip,
            "limit": limit,
        },
        driver=driver,
    )


def count(
    status: str | None = None,
    rule: str | None = None,
    owner: str | None = None,
    identity_id: str | None = None,
    driver: Driver | None = None,
    perpetrators_only: bool = False,
) -> int:
    """How many alerts the same filters as `alerts` select (the badge counts status `new`)."""
    rows = read(
        _FILTER + "RETURN count(al) AS n",
        _filters(status, rule, owner, identity_id, perpetrators_only),
        driver=driver,
    )
    return int(rows[0]["n"])


def alert(
    alert_id_: str, driver: Driver | None = None, perpetrators_only: bool = False
) -> dict[str, Any]:
    """One alert (as `alerts` lists it); AlertNotFound if there is none (or, with
    `perpetrators_only`, if it is not about a perpetrator: existence is not disclosed)."""
    rows = read(
        "MATCH (al:Alert {alert_id: $id}) "
        "CALL (al) { " + SUBJECT + " } "
        "WITH al, i WHERE NOT $perpetrators_only OR (i IS NOT NULL AND " + PERPETRATOR + ") "
        + _ROW,
        {"id": alert_id_, "perpetrators_only": perpetrators_only},
        driver=driver,
    )
    if not rows:
        raise AlertNotFound(f"no alert {alert_id_}")
    return rows[0]


def set_status(
    alert: str, status: str, by: str, reason: str | None = None, driver: Driver | None = None
) -> dict[str, Any]:
    """Move an alert on (see TRANSITIONS); who and when (and a dismissal's reason) go into its
    history. The check and the change happen in one write, so two officers cannot both act."""
    if status not in TRANSITIONS:
        raise AlertError(f"unknown status {status!r}: use one of {', '.join(TRANSITIONS)}")
    reason = (reason or "").strip() or None
    if status == "dismissed" and not reason:
        raise AlertError("a dismissal needs a reason")
    if not by.strip():
        raise AlertError("say who is changing the alert")
    rows = write(
        "MATCH (al:Alert {alert_id: $id}) "
        "SET al._lock = true "
        "WITH al, al.status AS was "
        "CALL (al, was) { "
        "  WITH al WHERE was IN $from "
        "  SET al.status = $status, al.status_by = $by, al.status_at = datetime(), "
        "  al.reason = coalesce($reason, al.reason), "
        "  al.history = al.history + [toString(datetime()) + ' ' + $status + ' by ' + $by + "
        "  coalesce(': ' + $reason, '')] "
        "} "
        "REMOVE al._lock "
        "RETURN al.alert_id AS alert_id, al.status AS status, al.history AS history, was",
        {
            "id": alert,
            "status": status,
            "by": by,
            "reason": reason,
            "from": list(TRANSITIONS[status]),
        },
        driver=driver,
    )
    if not rows:
        raise AlertNotFound(f"no alert {alert}")
    if rows[0]["was"] not in TRANSITIONS[status]:
        raise IllegalTransition(
            f"alert {alert} is {rows[0]['was']}; it can be {status} only when "
            f"{' or '.join(TRANSITIONS[status])}"
        )
    return {k: rows[0][k] for k in ("alert_id", "status", "history")}


def watch(identity_id: str, watcher: str, driver: Driver | None = None) -> None:
    """Follow an identity: any new record touching it raises a watchlist alert. The watch
    keeps the identity's record keys, so it follows him when resolution renames or merges the
    identity (see `rehome_watches`)."""
    rows = write(
        "MATCH (i:Identity {identity_id: $id}) "
        "CALL (i) { "
        "  WITH i WHERE NOT EXISTS { (:Watch {watcher: $watcher})-[:FOLLOWS]->(i) } "
        "  MERGE (w:Watch {watch_id: $watcher + '|' + $id}) "
        "  ON CREATE SET w.watcher = $watcher, w.since = datetime() "
        "  SET w.record_keys = COLLECT { MATCH (i)<-[:RESOLVES_TO]-(r:Person) "
        "                                RETURN r.person_key ORDER BY r.person_key } "
        "  MERGE (w)-[:FOLLOWS]->(i) "
        "} "
        "RETURN i.identity_id AS id",
        {"id": identity_id, "watcher": watcher},
        driver=driver,
    )
    if not rows:
        raise AlertNotFound(f"no identity {identity_id}")


def unwatch(identity_id: str, watcher: str, driver: Driver | None = None) -> bool:
    """Stop following; False if `watcher` did not follow the identity."""
    rows = write(
        "OPTIONAL MATCH (w:Watch {watcher: $watcher})-[:FOLLOWS]->(:Identity {identity_id: $id}) "
        "DETACH DELETE w RETURN count(w) AS n",
        {"id": identity_id, "watcher": watcher},
        driver=driver,
    )
    return bool(rows and rows[0]["n"])


def followed_records(driver: Driver | None = None) -> set[str]:
    """The record keys of every followed identity, as its watch last saw them."""
    rows = read(
        "MATCH (w:Watch) UNWIND coalesce(w.record_keys, []) AS k RETURN DISTINCT k",
        driver=driver,
    )
    return {r["k"] for r in rows}


def rehome_watches(driver: Driver | None = None) -> int:
    """After resolution deleted identities it emptied, a watch that followed one follows the
    identities its records resolve to now. Returns how many watches moved."""
    rows = write(
        "MATCH (w:Watch) WHERE NOT EXISTS { (w)-[:FOLLOWS]->(:Identity) } "
        "CALL (w) { "
        "  UNWIND coalesce(w.record_keys, []) AS k "
        "  MATCH (:Person {person_key: k})-[:RESOLVES_TO]->(i:Identity) "
        "  WITH DISTINCT w, i MERGE (w)-[:FOLLOWS]->(i) "
        "  SET w.record_keys = COLLECT { MATCH (i)<-[:RESOLVES_TO]-(r:Person) "
        "                                RETURN r.person_key ORDER BY r.person_key } "
        "} "
        "RETURN count(w) AS n",
        driver=driver,
    )
    return int(rows[0]["n"])


def watching(watcher: str | None = None, driver: Driver | None = None) -> list[dict[str, Any]]:
    return read(
        "MATCH (w:Watch)-[:FOLLOWS]->(i:Identity) WHERE $watcher IS NULL OR w.watcher = $watcher "
        "RETURN w.watcher AS watcher, i.identity_id AS identity_id, toString(w.since) AS since, "
        + NAME
        + " "
        "ORDER BY watcher, identity_id",
        {"watcher": watcher},
        driver=driver,
    )
