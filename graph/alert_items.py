"""The inbox: one item per perpetrator, gathering his new alerts, ranked and routed.

An alert (graph/alerts.py) is one rule's finding on one piece of evidence. A unit does not work
alerts, it works people: every alert about one perpetrator joins his open item (status `new`)
until someone acknowledges, actions or dismisses it; evidence after that opens a new item. An
item names its subject by his record (`SUBJECT`, a Person, which survives re-resolution), so it
always shows the identity he resolves to now; after a resolution merges two men's identities,
`regroup` folds their open items into one.

Each item carries a priority from documented factors (graph/priority.py, priority.toml) with
its reasons, a band with a time to acknowledge (an overdue item is escalated), and an owner
area: the agency of its newest evidence.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from neo4j import Driver

from graph import priority, ranking
from graph.alerts import (
    EVALUATE_TIMEOUT_S,
    NAME,
    PERPETRATOR,
    TRANSITIONS,
    AlertError,
    AlertNotFound,
    IllegalTransition,
)
from graph.driver import read, write
from graph.registry import get_library

OPEN = "new"

_GROUP = """
UNWIND $ids AS id
MATCH (al:Alert {alert_id: id}) WHERE al.status = 'new' AND NOT (al)-[:IN]->(:AlertItem)
MATCH (:Person {person_key: al.subject_key})-[:RESOLVES_TO]->(i:Identity)
WITH i, collect(al) AS fresh
CALL (i, fresh) {
  OPTIONAL MATCH (i)<-[:RESOLVES_TO]-(:Person)<-[:SUBJECT]-(open:AlertItem {status: 'new'})
  WITH fresh, open ORDER BY open.opened_at LIMIT 1
  CALL (fresh, open) {
    WITH fresh, open WHERE open IS NULL
    MATCH (s:Person {person_key: fresh[0].subject_key})
    CREATE (it:AlertItem {item_id: 'IT-' + substring(fresh[0].alert_id, 3), status: 'new',
                          opened_at: datetime(), subject_key: s.person_key,
                          history: [toString(datetime()) + ' new']})
    CREATE (it)-[:SUBJECT]->(s)
    RETURN it
    UNION
    WITH open WHERE open IS NOT NULL
    RETURN open AS it
  }
  FOREACH (al IN fresh | MERGE (al)-[:IN]->(it))
  SET it.updated_at = datetime()
  RETURN it
}
RETURN DISTINCT it.item_id AS item_id
"""

# The facts an item's priority reads, and its owner area (the agency of its newest evidence).
_FACTS = """
UNWIND $items AS id
MATCH (it:AlertItem {item_id: id})-[:SUBJECT]->(:Person)-[:RESOLVES_TO]->(i:Identity)
CALL (it) {
  MATCH (al:Alert)-[:IN]->(it)
  WITH al ORDER BY al.event_date DESC, al.alert_id
  RETURN collect(DISTINCT al.rule) AS rules, max(al.event_date) AS newest,
         count(al) AS evidence_count, collect(al.owner)[0] AS owner
}
RETURN it.item_id AS item_id, i.identity_id AS identity_id, rules, newest, evidence_count,
       owner,
       CASE WHEN coalesce(i.victim_count, 0) < $min_victims THEN null
            WHEN any(x IN i.da_outcomes WHERE x IN $qualifying_outcomes)
              OR any(t IN i.order_types WHERE t IN $qualifying_orders) THEN 'serial'
            ELSE 'at_risk' END AS tier,
       EXISTS { MATCH (i)<-[:RESOLVES_TO]-(:Person)-[:SUBJECT_OF]->(o:Order)
                WHERE NOT coalesce(o.is_notice, false)
                  AND coalesce(o.start_date, o.issued_date) <= $today
                  AND (o.end_date IS NULL OR o.end_date >= $today) } AS active_order,
       EXISTS { MATCH (i)<-[:RESOLVES_TO]-(:Person)-[r:INTIMATE_PARTNER]-(:Person)
                      -[:RESOLVES_TO]->(v:Identity)
                WHERE r.to_date IS NULL AND v <> i
                  AND EXISTS { (i)<-[:RESOLVES_TO]-(:Person)-[:SUSPECT_IN|OFFENDER_IN]->(:Incident)
                               <-[:VICTIM_IN]-(:Person)-[:RESOLVES_TO]->(v) } } AS current_partner,
       EXISTS { (:Watch)-[:FOLLOWS]->(i) } AS watched
"""

_SET_RANK = """
UNWIND $ranks AS r
MATCH (it:AlertItem {item_id: r.item_id})
SET it.priority = r.score, it.band = r.band, it.reasons = r.reasons, it.rules = r.rules,
    it.evidence_count = r.evidence_count, it.owner = r.owner, it.newest = r.newest,
    it.due_at = it.opened_at + duration({hours: r.hours})
"""

_REGROUP = """
MATCH (it:AlertItem {status: 'new'})-[:SUBJECT]->(:Person)-[:RESOLVES_TO]->(i:Identity)
WITH i, it ORDER BY it.opened_at, it.item_id
WITH i, collect(it) AS open WHERE size(open) > 1
WITH open[0] AS keep, open[1..] AS folded
UNWIND folded AS gone
MATCH (al:Alert)-[old:IN]->(gone)
MERGE (al)-[:IN]->(keep)
DELETE old
WITH DISTINCT keep, gone
DETACH DELETE gone
RETURN DISTINCT keep.item_id AS item_id
"""


def group(alert_ids: list[str], driver: Driver | None = None, batch: int = 2_000) -> list[str]:
    """Put new alerts into their subjects' open items (made where there is none), rank the
    items they touched, and return those items' ids. Part of the alert evaluation: a first
    national run groups 100,000s of alerts on a busy server, so each batch has the evaluation's
    time limit, not an interactive query's."""
    touched: set[str] = set()
    for start in range(0, len(alert_ids), batch):
        rows = write(_GROUP, {"ids": alert_ids[start : start + batch]}, driver=driver,
                     timeout_s=EVALUATE_TIMEOUT_S)  # fmt: skip
        touched.update(r["item_id"] for r in rows)
    items = sorted(touched)
    rank(items, driver)
    return items


def regroup(driver: Driver | None = None) -> list[str]:
    """After resolution: one open item per identity again (the oldest keeps the evidence)."""
    items = [r["item_id"] for r in write(_REGROUP, driver=driver, timeout_s=EVALUATE_TIMEOUT_S)]
    rank(items, driver)
    return items


def rank(items: list[str], driver: Driver | None = None, batch: int = 2_000) -> None:
    """(Re)compute the priority, band, reasons and owner area of `items`."""
    cfg = priority.settings()
    today = datetime.now(UTC).date()
    serial = {p.name: p.default for p in get_library().get("serial_perpetrators").params}
    for start in range(0, len(items), batch):
        rows = read(
            _FACTS,
            {"items": items[start : start + batch], "today": today,
             "min_victims": serial["min_victims"],
             "qualifying_outcomes": serial["qualifying_outcomes"],
             "qualifying_orders": serial["qualifying_orders"]},
            driver=driver, timeout_s=EVALUATE_TIMEOUT_S,
        )  # fmt: skip
        scores = ranking.scores([r["identity_id"] for r in rows], today, driver)
        ranks = []
        for r in rows:
            p = priority.rank(
                priority.Factors(
                    rules=r["rules"], newest=_native(r["newest"]),
                    rfgv=scores.get(r["identity_id"]), tier=r["tier"],
                    active_order=r["active_order"],
                    current_partner=r["current_partner"], watched=r["watched"],
                ),
                today,
                cfg,
            )  # fmt: skip
            hours = next(b["hours"] for b in cfg["bands"] if b["name"] == p.band)
            ranks.append(
                {"item_id": r["item_id"], "score": p.score, "band": p.band,
                 "reasons": p.reasons, "rules": sorted(r["rules"]),
                 "evidence_count": r["evidence_count"], "owner": r["owner"] or "",
                 "newest": r["newest"], "hours": hours}
            )  # fmt: skip
        write(_SET_RANK, {"ranks": ranks}, driver=driver, timeout_s=EVALUATE_TIMEOUT_S)


def _native(value: Any) -> date | None:
    """A driver Date as a Python date."""
    return value.to_native() if value is not None else None


# An item is overdue when still new after its band's time to acknowledge; it then counts one
# band higher (`$bands`, highest first, from priority.toml).
_FILTER = (
    "MATCH (it:AlertItem)-[:SUBJECT]->(:Person)-[:RESOLVES_TO]->(i:Identity) "
    "WHERE ($status IS NULL OR it.status = $status) AND ($owner IS NULL OR it.owner = $owner) "
    "AND ($identity IS NULL OR i.identity_id = $identity) "
    "AND (NOT $perpetrators_only OR " + PERPETRATOR + ") "
    "WITH it, i, it.status = 'new' AND it.due_at < datetime() AS overdue, "
    "     [k IN range(0, size($bands) - 1) WHERE $bands[k] = it.band][0] AS rank "
    "WITH it, i, overdue, CASE WHEN overdue AND rank > 0 THEN rank - 1 ELSE rank END AS rank "
    "WITH it, i, overdue, rank, $bands[rank] AS band WHERE $band IS NULL OR band = $band "
)
_ROW = (
    "RETURN it.item_id AS item_id, it.status AS status, band, overdue, "
    "band <> it.band AS escalated, it.priority AS priority, it.reasons AS reasons, "
    "it.rules AS rules, it.evidence_count AS evidence_count, it.owner AS owner, "
    "i.identity_id AS identity_id, " + NAME + ", "
    "toString(it.opened_at) AS opened_at, toString(it.due_at) AS due_at, "
    "toString(it.newest) AS newest, it.history AS history, it.reason AS reason, "
    "it.status_by AS status_by "
)


def _filters(**given: Any) -> dict[str, Any]:
    names = ("status", "owner", "identity", "band")
    bands = [b["name"] for b in priority.settings()["bands"]]
    return {"bands": bands, "perpetrators_only": False} | dict.fromkeys(names) | given


def items(
    *,
    status: str | None = OPEN,
    owner: str | None = None,
    identity: str | None = None,
    band: str | None = None,
    area: str | None = None,
    limit: int = 50,
    skip: int = 0,
    perpetrators_only: bool = False,
    driver: Driver | None = None,
) -> list[dict[str, Any]]:
    """Inbox items, the most pressing first (band after escalation, then priority, then the
    newest evidence); `area`'s items before the rest."""
    params = _filters(status=status, owner=owner, identity=identity, band=band,
                      perpetrators_only=perpetrators_only)  # fmt: skip
    return read(
        _FILTER + _ROW + "ORDER BY coalesce(it.owner = $area, false) DESC, rank, "
        "it.priority DESC, it.newest DESC, it.item_id SKIP $skip LIMIT $limit",
        {**params, "area": area, "skip": skip, "limit": limit},
        driver=driver,
    )


def count(driver: Driver | None = None, **filters: Any) -> dict[str, int]:
    """How many items the filters select, in all and per band."""
    rows = read(_FILTER + "RETURN band, count(*) AS n", _filters(**filters), driver=driver)
    per_band = {r["band"]: int(r["n"]) for r in rows}
    return {"total": sum(per_band.values()), **per_band}


def count_by_area(driver: Driver | None = None, **filters: Any) -> list[dict[str, Any]]:
    """How many items each owner area has, in all and per band: the areas with the most
    high-priority items first (what a unit reads in a morning, area by area)."""
    rows = read(
        _FILTER + "RETURN it.owner AS area, band, count(*) AS n",
        _filters(**filters),
        driver=driver,
    )
    bands = [b["name"] for b in priority.settings()["bands"]]
    areas: dict[str, dict[str, Any]] = {}
    for r in rows:
        empty = {"area": r["area"], "total": 0} | dict.fromkeys(bands, 0)
        area = areas.setdefault(r["area"], empty)
        area[r["band"]] += int(r["n"])
        area["total"] += int(r["n"])
    return sorted(areas.values(), key=lambda a: (-a[bands[0]], -a["total"], a["area"] or ""))


def item(
    item_id: str, driver: Driver | None = None, perpetrators_only: bool = False
) -> dict[str, Any]:
    """One item with its alerts (newest evidence first)."""
    rows = read(
        _FILTER.replace("MATCH (it:AlertItem)", "MATCH (it:AlertItem {item_id: $item})")
        + _ROW
        + ", COLLECT { MATCH (al:Alert)-[:IN]->(it) "
        "  RETURN al {.alert_id, .rule, .title, .summary, .evidence, .owner, .status, "
        "  event_date: toString(al.event_date)} ORDER BY al.event_date DESC, al.alert_id "
        "} AS alerts",
        {**_filters(status=None, perpetrators_only=perpetrators_only), "item": item_id},
        driver=driver,
    )
    if not rows:
        raise AlertNotFound(f"no inbox item {item_id}")
    return rows[0]


def set_status(
    item_id: str, status: str, by: str, reason: str | None = None, driver: Driver | None = None
) -> dict[str, Any]:
    """Move an item on, and with it each of its alerts that may make the same move."""
    reason = (reason or "").strip() or None
    if status not in TRANSITIONS:
        raise AlertError(f"unknown status {status!r}: use one of {', '.join(TRANSITIONS)}")
    if status == "dismissed" and not reason:
        raise AlertError("a dismissal needs a reason")
    if not by.strip():
        raise AlertError("say who is changing the item")
    rows = write(
        "MATCH (it:AlertItem {item_id: $id}) "
        "SET it._lock = true "
        "WITH it, it.status AS was "
        "CALL (it, was) { "
        "  WITH it WHERE was IN $from "
        "  SET it.status = $status, it.status_by = $by, it.status_at = datetime(), "
        "  it.reason = coalesce($reason, it.reason), "
        "  it.history = it.history + [toString(datetime()) + ' ' + $status + ' by ' + $by + "
        "  coalesce(': ' + $reason, '')] "
        "  WITH it "
        "  MATCH (al:Alert)-[:IN]->(it) WHERE al.status IN $from "
        "  SET al.status = $status, al.status_by = $by, al.status_at = datetime(), "
        "  al.reason = coalesce($reason, al.reason), "
        "  al.history = al.history + [toString(datetime()) + ' ' + $status + ' by ' + $by] "
        "} "
        "REMOVE it._lock "
        "RETURN it.item_id AS item_id, it.status AS status, it.history AS history, was",
        {
            "id": item_id,
            "status": status,
            "by": by,
            "reason": reason,
            "from": list(TRANSITIONS[status]),
        },  # fmt: skip
        driver=driver,
    )
    if not rows:
        raise AlertNotFound(f"no inbox item {item_id}")
    if rows[0]["was"] not in TRANSITIONS[status]:
        raise IllegalTransition(
            f"item {item_id} is {rows[0]['was']}; it can be {status} only when "
            f"{' or '.join(TRANSITIONS[status])}"
        )
    return {k: rows[0][k] for k in ("item_id", "status", "history")}
