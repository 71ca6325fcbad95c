"""After every load, the alert rules run over what that delivery holds."""

from __future__ import annotations

from neo4j import Driver

from graph.alerts import Changes, evaluate
from ingest.load import LoadSummary


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


def raise_alerts(summary: LoadSummary, driver: Driver | None = None) -> LoadSummary:
    """Evaluate the rules for this load and record the new alerts' ids on the summary."""
    summary.alerts = evaluate(changes_of(summary), driver=driver)
    return summary
