"""The files of a delivery, in the order they load, with the keys each defines and refers to."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from ingest import format as f


@dataclass(frozen=True)
class FileSpec:
    """One CSV file of the extract format."""

    name: str
    model: type[f.Row]
    key: str | None = None  # the column holding this file's own record key
    kind: str | None = None  # the kind of key it defines ("person", "incident", ...)
    refs: tuple[tuple[str, str], ...] = ()  # (column, kind of key it must point to)

    @property
    def label(self) -> str | None:
        """The node label a keyed file's rows become (relationship files have none)."""
        return LABELS.get(self.kind or "")

    @cached_property
    def has_row_key(self) -> bool:
        """Whether rows are keyed by `row_key()` (relationship rows with properties)."""
        return callable(getattr(self.model, "row_key", None))

    def record_key(self, row: f.Row) -> str:
        """A row's key as alert rules and sinks name it: the record key, a relationship row's
        `row_key()`, or `<incident or order key>|<person key>` for party and protected rows."""
        if self.key is not None:
            return str(getattr(row, self.key))
        if self.has_row_key:
            return str(row.row_key())  # type: ignore[attr-defined]
        return "|".join(str(getattr(row, col)) for col, _ in self.refs)

    @property
    def columns(self) -> list[str]:
        return list(self.model.model_fields)

    @property
    def required(self) -> list[str]:
        return [n for n, field in self.model.model_fields.items() if field.is_required()]


LABELS = {
    "agency": "Agency",
    "address": "Address",
    "person": "Person",
    "incident": "Incident",
    "order": "Order",
    "breach": "Breach",
    "notification": "Notification",
}
AGENCY = ("agency_code", "agency")

FILES: tuple[FileSpec, ...] = (
    FileSpec("agencies.csv", f.AgencyRow, "agency_code", "agency"),
    FileSpec("addresses.csv", f.AddressRow, "address_key", "address"),
    FileSpec("persons.csv", f.PersonRow, "person_key", "person", (AGENCY,)),
    FileSpec(
        "incidents.csv",
        f.IncidentRow,
        "incident_key",
        "incident",
        (AGENCY, ("address_key", "address")),
    ),
    FileSpec(
        "incident_parties.csv",
        f.IncidentPartyRow,
        refs=(("incident_key", "incident"), ("person_key", "person")),
    ),
    FileSpec(
        "orders.csv",
        f.OrderRow,
        "order_key",
        "order",
        (("subject_key", "person"), AGENCY),
    ),
    FileSpec(
        "order_protected.csv",
        f.OrderProtectedRow,
        refs=(("order_key", "order"), ("person_key", "person")),
    ),
    FileSpec("breaches.csv", f.BreachRow, "breach_key", "breach", (("order_key", "order"), AGENCY)),
    FileSpec(
        "residences.csv",
        f.ResidenceRow,
        refs=(("person_key", "person"), ("address_key", "address"), AGENCY),
    ),
    FileSpec(
        "relationships.csv",
        f.RelationshipRow,
        refs=(("person_key", "person"), ("other_key", "person"), AGENCY),
    ),
    FileSpec(
        "notifications.csv",
        f.NotificationRow,
        "notification_key",
        "notification",
        (("person_key", "person"), AGENCY),
    ),
)

BY_NAME = {spec.name: spec for spec in FILES}
