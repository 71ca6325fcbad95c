"""After every load, the alert rules run over what that load changed."""

from __future__ import annotations

from neo4j import Driver

from graph.alerts import Changes, evaluate
from ingest.load import LoadSummary


def changes_of(summary: LoadSummary) -> Changes:
    """The keys a load created or changed, by kind; party and protected-person rows count as
    changes to their incident or order."""
    parties = {k.split("|")[0] for k in summary.changed("incident_parties.csv")}
    protected = {k.split("|")[0] for k in summary.changed("order_protected.csv")}
    return Changes(
        persons=summary.changed("persons.csv"),
        incidents=sorted(set(summary.changed("incidents.csv")) | parties),
        orders=sorted(set(summary.changed("orders.csv")) | protected),
        breaches=summary.changed("breaches.csv"),
        notifications=summary.changed("notifications.csv"),
        residences=summary.changed("residences.csv"),
        relationships=summary.changed("relationships.csv"),
    )


def raise_alerts(summary: LoadSummary, driver: Driver | None = None) -> LoadSummary:
    """Evaluate the rules for this load and record the new alerts' ids on the summary."""
    summary.alerts = evaluate(changes_of(summary), driver=driver)
    return summary
