"""Proactive follow-up of MAPPA+ cases: run after every load and resolution, and daily
(`serialwatch cases follow-up`), since an action falls overdue by the passing of time alone.

- a new-Category-4 alert opens a candidate case about its subject (unless he has an open case,
  or that alert opened one before);
- a plan action still open after its due date raises one `case_action_overdue` alert;
- a managed case past its review date raises one `case_review_overdue` alert;
- a new alert about a managed perpetrator raises one `managed_perpetrator_alert`;
- an obligation imposed on him at a hearing to notify a change of address or a new
  relationship, breached as the graph shows it (a home or an intimate partner any agency
  recorded from after the obligation was imposed, with no notification of that type naming
  that date or given within the obligation's window of it, once the window has passed),
  raises one `case_obligation_breached` per event.

Each alert's id is its rule and evidence (the action or case with its due date, or the alert
it reports), so running the follow-up again raises nothing new; moving a due date and missing
it again raises a new one. The alerts are owned by the case's caseworker (else its area), join
the perpetrator's inbox item, and show on the caseworker's dashboard.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from neo4j import Driver

from graph import alerts as al
from graph import ranking
from graph.cases import OPEN_ACTION, OPEN_STATUSES, IllegalMove, open_case, refresh_rfgv
from graph.driver import read

_CANDIDATES = """
MATCH (a:Alert {rule: 'new_category4'}) WHERE a.status IN ['new', 'acknowledged']
  AND NOT EXISTS { MATCH (c:Case) WHERE c.source = 'alert ' + a.alert_id }
MATCH (:Person {person_key: a.subject_key})-[:RESOLVES_TO]->(i:Identity)
  WHERE NOT EXISTS { MATCH (c:Case)-[:ABOUT]->(i) WHERE c.status IN $open }
RETURN a.alert_id AS alert_id, a.subject_key AS person, a.owner AS area
ORDER BY a.raised_at, a.alert_id
"""

_OWNER = "coalesce(CASE WHEN c.caseworker <> '' THEN c.caseworker END, c.area, '') AS owner"

_OVERDUE_ACTIONS = (
    "MATCH (x:Action) WHERE x.due_date < $today AND x.status IN $open_action "
    "MATCH (x)-[:FOR]->(c:Case)-[:ABOUT]->(i:Identity) "
    "RETURN x.action_id AS key, x.due_date AS due, x.heading AS what, c.case_id AS case_id, "
    "c.subject_key AS subject_key, i.identity_id AS identity_id, " + _OWNER
)

_OVERDUE_REVIEWS = (
    "MATCH (c:Case {status: 'managed'}) WHERE c.review_due < $today "
    "MATCH (c)-[:ABOUT]->(i:Identity) "
    "RETURN c.case_id AS key, c.review_due AS due, 'review' AS what, c.case_id AS case_id, "
    "c.subject_key AS subject_key, i.identity_id AS identity_id, " + _OWNER
)

_MANAGED_ALERTS = (
    "MATCH (c:Case {status: 'managed'})-[:ABOUT]->(i:Identity) "
    "MATCH (a:Alert)-[:ABOUT]->(i) WHERE a.rule IN $delivery_rules AND a.status = 'new' "
    "  AND a.raised_at > c.managed_since "
    "RETURN a.alert_id AS key, a.event_date AS due, a.rule AS what, c.case_id AS case_id, "
    "c.subject_key AS subject_key, i.identity_id AS identity_id, " + _OWNER
)


# What each obligation makes him notify, and the events in the graph that call for it.
_BREACHES = {"notify_change_of_address": "address_change",
             "notify_new_relationship": "new_relationship"}  # fmt: skip
_BREACHED_OBLIGATIONS = (
    "MATCH (o:Obligation)-[:FOR]->(c:Case)-[:ABOUT]->(i:Identity) "
    "WHERE c.status IN $open AND o.type IN keys($breaches) "
    "WITH o, c, i, $breaches[o.type] AS needs, duration({days: o.window_days}) AS w "
    "CALL (o, i, needs) { "
    "  MATCH (i)<-[:RESOLVES_TO]-(:Person)-[r:RESIDED_AT]->(:Address) "
    "  WHERE needs = 'address_change' AND r.from_date > o.imposed_on RETURN r.from_date AS d "
    "  UNION "
    "  MATCH (i)<-[:RESOLVES_TO]-(:Person)-[r:INTIMATE_PARTNER]-(:Person)"
    "-[:RESOLVES_TO]->(v:Identity) "
    "  WHERE needs = 'new_relationship' AND v <> i AND r.from_date > o.imposed_on "
    "  RETURN r.from_date AS d "
    "} "
    "WITH o, c, i, needs, w, d WHERE d + w < $today AND NOT EXISTS { "
    "  MATCH (i)<-[:RESOLVES_TO]-(:Person)-[:NOTIFIED]->(n:Notification) "
    "  WHERE n.type = needs "
    "    AND (n.event_date = d OR (n.notified_date >= d - w AND n.notified_date <= d + w)) } "
    "RETURN o.obligation_id + '|' + toString(d) AS key, d + w AS due, needs AS what, "
    "d AS event_date, o.obligation_id AS obligation_id, c.case_id AS case_id, "
    "c.subject_key AS subject_key, i.identity_id AS identity_id, " + _OWNER + " "
    "ORDER BY case_id, key"
)


def open_candidates(driver: Driver | None = None) -> list[str]:
    """A candidate case for each new-Category-4 alert's subject without an open case."""
    made = []
    for row in read(_CANDIDATES, {"open": list(OPEN_STATUSES)}, driver=driver):
        try:
            made.append(
                open_case(row["person"], "serialwatch", source=f"alert {row['alert_id']}",
                          area=row["area"] or "", driver=driver)  # fmt: skip
            )
        except IllegalMove:  # another follow-up (or a caseworker) opened his case meanwhile
            continue
    return made


def _found(rule: str, row: dict[str, Any], summary: str) -> dict[str, Any]:
    due = row["due"].iso_format() if row["due"] is not None else None
    evidence = [f"{row['key']}|{due}"] if rule != "managed_perpetrator_alert" else [row["key"]]
    return {
        "alert_id": al.alert_id(rule, evidence, row["case_id"]),
        "rule": rule,
        "title": al.FOLLOW_UP_RULES[rule],
        "summary": summary,
        "identity_id": row["identity_id"],
        "record_keys": [row["subject_key"]],
        "evidence": evidence,
        "owner": row["owner"],
        "other": None,
        "date": due,
    }


def follow_up(today: date | None = None, driver: Driver | None = None) -> dict[str, list[str]]:
    """Open candidate cases and raise the follow-up alerts due on `today`; returns the cases
    opened and the alerts raised now (each by kind)."""
    today = today or date.today()
    params = {"today": today, "open_action": list(OPEN_ACTION), "open": list(OPEN_STATUSES),
              "delivery_rules": list(al.RULES), "breaches": _BREACHES}  # fmt: skip
    found = []
    for row in read(_OVERDUE_ACTIONS, params, driver=driver):
        found.append(_found("case_action_overdue", row,
                            f"{row['what'].replace('_', ' ')} action {row['key']} of case "
                            f"{row['case_id']} was due {row['due']}"))  # fmt: skip
    for row in read(_OVERDUE_REVIEWS, params, driver=driver):
        found.append(_found("case_review_overdue", row,
                            f"case {row['case_id']} review was due {row['due']}"))  # fmt: skip
    for row in read(_MANAGED_ALERTS, params, driver=driver):
        found.append(_found("managed_perpetrator_alert", row,
                            f"{row['what'].replace('_', ' ')} alert {row['key']} on case "
                            f"{row['case_id']}"))  # fmt: skip
    for row in read(_BREACHED_OBLIGATIONS, params, driver=driver):
        found.append(_found("case_obligation_breached", row,
                            f"{row['what'].replace('_', ' ')} of {row['event_date']} not "
                            f"notified by {row['due']}: obligation {row['obligation_id']} of "
                            f"case {row['case_id']}"))  # fmt: skip
    cases = open_candidates(driver)
    ranking.keep_current(driver, today)  # the stored RFGV ranking: the passing days change it
    refresh_rfgv(driver=driver)  # the queue's order: loads and the passing days change it
    raised = al.store(found, driver) if found else []
    by_id = {f["alert_id"]: f["rule"] for f in found}
    out: dict[str, list[str]] = {"cases": cases}
    for alert_id in raised:
        out.setdefault(by_id[alert_id], []).append(alert_id)
    return out
