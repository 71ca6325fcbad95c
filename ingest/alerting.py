"""After every load, the alert rules run over what that delivery holds; after identity
resolution, over the records it re-linked."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from neo4j import Driver

from graph import alert_items, case_followup, cases, priority
from graph.alerts import Changes, evaluate, followed_records, rehome_watches
from graph.driver import read
from ingest.load import LoadSummary

if TYPE_CHECKING:
    import pandas as pd


def changes_of(summary: LoadSummary) -> Changes:
    """The keys a delivery holds, by kind; party and protected-person rows count towards their
    incident or order."""
    parties = {k.split("|")[0] for k in summary.keys("incident_parties.csv")}
    protected = {k.split("|")[0] for k in summary.keys("order_protected.csv")}
    return Changes(
        persons=summary.keys("persons.csv"),
        incidents=sorted(set(summary.keys("incidents.csv")) | parties),
        orders=sorted(set(summary.keys("orders.csv")) | protected),
        breaches=summary.keys("breaches.csv"),
        notifications=summary.keys("notifications.csv"),
        residences=summary.keys("residences.csv"),
        relationships=summary.keys("relationships.csv"),
    )


_NEWEST = """
CALL () {
  UNWIND $incidents AS k MATCH (i:Incident {incident_key: k}) RETURN i.event_date AS d
  UNION
  UNWIND $breaches AS k MATCH (b:Breach {breach_key: k}) RETURN b.breach_date AS d
  UNION
  UNWIND $orders AS k MATCH (o:Order {order_key: k}) RETURN o.issued_date AS d
}
RETURN max(d) AS newest
"""


def raise_alerts(
    summary: LoadSummary, driver: Driver | None = None, baseline: bool = False
) -> LoadSummary:
    """Evaluate the rules for this load and record the new alerts' ids on the summary. A
    baseline load (a force's or a nation's first) files its findings about events older than
    the window before the delivery as history: they never reach the inbox."""
    changes = changes_of(summary)
    before = history_before(changes, driver) if baseline else None
    summary.alerts = evaluate(changes, driver=driver, history_before=before)
    if not baseline:  # a baseline's candidates wait for the daily `serialwatch cases follow-up`
        summary.alerts += _follow_up(driver)
    return summary


def _follow_up(driver: Driver | None) -> list[str]:
    """MAPPA+ case follow-up (graph/case_followup.py): candidate cases and follow-up alerts."""
    found = case_followup.follow_up(driver=driver)
    return [a for kind, ids in found.items() if kind != "cases" for a in ids]


def history_before(changes: Changes, driver: Driver | None = None) -> date | None:
    """The start of a baseline delivery's window: its newest event's date (the delivery is as
    of then) less `baseline.window_days` (priority.toml)."""
    rows = read(
        _NEWEST,
        {"incidents": changes.incidents, "breaches": changes.breaches, "orders": changes.orders},
        driver=driver,
    )
    newest = rows[0]["newest"]
    if newest is None:
        return None
    days = int(priority.settings()["baseline"]["window_days"])
    return newest.to_native() - timedelta(days=days)


def raise_relink_alerts(changed: pd.DataFrame, driver: Driver | None = None) -> list[str]:
    """The rules for a resolution run's re-linked records (`changed`: unique_id, identity_id,
    old_identity_id, as ingest.resolve.graph_writer.changes gives them). Only records whose
    identity changed count: a new model version re-links records without moving them. A record
    joining a followed identity touches it (watchlist); joining from a police force the
    identity had no record from raises the same-person-in-a-new-force alert."""
    previous = _moved(changed)
    followed = followed_records(driver)
    rehome_watches(driver)
    joined = sorted(k for k in previous if k not in followed)  # new to a followed identity
    cases.follow_resolution(driver)
    raised = evaluate(Changes(persons=joined, relinked=previous), driver=driver)
    alert_items.regroup(driver)
    return raised + _follow_up(driver)


def withhold_relink_alerts(changed: pd.DataFrame, driver: Driver | None = None) -> int:
    """A baseline resolve (the first national one): watches still follow their records, but no
    relink alert is raised; returns how many moved records were not put through the rules."""
    rehome_watches(driver)
    cases.follow_resolution(driver)
    alert_items.regroup(driver)
    return len(_moved(changed))


def _moved(changed: pd.DataFrame) -> dict[str, str]:
    """Record key -> its identity before the run, for records whose identity changed."""
    return {
        str(key): old if isinstance(old, str) else f"ID:{key}"
        for key, new, old in zip(
            changed["unique_id"], changed["identity_id"], changed["old_identity_id"], strict=True
        )
        if new != old
    }
