"""Extract format v1 (shared/FORMAT.md) as pydantic models, one per file.

Each model validates one CSV row (empty strings already turned into None) and knows the
properties it becomes in the graph, including the few derived ones the queries rely on.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, StringConstraints, field_validator

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
Key = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]

AgencyType = Literal[
    "police_force",
    "probation",
    "prison",
    "court",
    "idva_service",
    "isac_service",
    "marac",
    "childrens_services",
    "other",
]
Gender = Literal["M", "F", "X", "U"]
Category = Literal[
    "domestic_abuse", "stalking", "harassment", "coercive_control", "sexual", "other"
]
Outcome = Literal["conviction", "caution", "acquittal", "charged", "nfa", "open"]
Role = Literal["suspect", "offender", "victim", "witness"]
OrderType = Literal["DVPN", "DVPO", "DAPN", "DAPO", "SPO", "ISPO", "RO", "NMO", "CBO", "VOO"]
RelType = Literal["intimate_partner", "ex_partner", "family", "associate"]
NotificationType = Literal[
    "name_change", "address_change", "travel_abroad", "new_relationship", "treatment_attendance"
]

DA_CATEGORIES = frozenset({"domestic_abuse", "stalking", "harassment", "coercive_control"})
NOTICES = frozenset({"DVPN", "DAPN"})
QUALIFYING_ORDERS = frozenset({"DVPO", "DAPO", "SPO", "ISPO", "RO", "NMO", "CBO", "VOO"})
# The free-text columns, whose values may span lines (so may unknown columns' values): a line
# break in any other column can only be a stray quote, and the reader says so.
FREE_TEXT = frozenset({"offence", "conditions", "details", "outcome", "issuing_body"})


class Row(BaseModel):
    """A validated row; `props()` is what the graph stores for it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    def props(self) -> dict[str, Any]:
        # The validated fields as they are (all flat values), without a model_dump per row.
        return {k: v for k, v in self.__dict__.items() if v is not None and v != []}


class AgencyRow(Row):
    agency_code: Key
    name: Text
    type: AgencyType
    region: Text | None = None

    def props(self) -> dict[str, Any]:
        return {**super().props(), "is_police": self.type == "police_force"}


class PersonRow(Row):
    person_key: Key
    agency_code: Key
    surname: Text
    forename: Text | None = None
    middle_names: Text | None = None
    date_of_birth: date | None = None
    gender: Gender | None = None
    aliases: list[str] = []
    pnc_id: Text | None = None

    @field_validator("aliases", mode="before")
    @classmethod
    def _split_aliases(cls, value: object) -> object:
        if isinstance(value, str):
            return [a.strip() for a in value.split(";") if a.strip()]
        return [] if value is None else value

    def props(self) -> dict[str, Any]:
        names = (self.forename, self.middle_names, self.surname)
        full = " ".join(n for n in names if n)
        props = {**super().props(), "full_name": full}
        if self.aliases:
            props["alias_text"] = " | ".join(self.aliases)
        return props


class AddressRow(Row):
    address_key: Key
    line1: Text | None = None
    line2: Text | None = None
    town: Text | None = None
    postcode: Text

    @field_validator("postcode")
    @classmethod
    def _normalise_postcode(cls, value: str) -> str:
        return " ".join(value.upper().split())


class ResidenceRow(Row):
    person_key: Key
    address_key: Key
    from_date: date
    to_date: date | None = None
    agency_code: Key | None = None

    def row_key(self) -> str:
        return f"{self.person_key}|{self.address_key}|{self.from_date.isoformat()}"


class IncidentRow(Row):
    incident_key: Key
    agency_code: Key
    reported_date: date
    offence_date: date | None = None
    category: Category
    offence: Text | None = None
    outcome: Outcome | None = None
    outcome_date: date | None = None
    address_key: Key | None = None

    def props(self) -> dict[str, Any]:
        props = super().props()
        props.pop("address_key", None)
        return {
            **props,
            "event_date": self.offence_date or self.reported_date,
            "da_related": self.category in DA_CATEGORIES,
        }


class IncidentPartyRow(Row):
    incident_key: Key
    person_key: Key
    role: Role


class OrderRow(Row):
    order_key: Key
    order_type: OrderType
    subject_key: Key
    issued_date: date
    issuing_body: Text | None = None
    start_date: date | None = None
    end_date: date | None = None
    conditions: Text | None = None
    agency_code: Key | None = None

    def props(self) -> dict[str, Any]:
        props = super().props()
        props.pop("subject_key")
        return {
            **props,
            "is_notice": self.order_type in NOTICES,
            "qualifying": self.order_type in QUALIFYING_ORDERS,
        }


class OrderProtectedRow(Row):
    order_key: Key
    person_key: Key


class BreachRow(Row):
    breach_key: Key
    order_key: Key
    breach_date: date
    outcome: Text | None = None
    agency_code: Key | None = None

    def props(self) -> dict[str, Any]:
        props = super().props()
        props.pop("order_key")
        return props


class RelationshipRow(Row):
    person_key: Key
    other_key: Key
    type: RelType
    from_date: date | None = None
    to_date: date | None = None
    agency_code: Key | None = None

    def row_key(self) -> str:
        since = self.from_date.isoformat() if self.from_date else ""
        return f"{self.person_key}|{self.type}|{self.other_key}|{since}"


class NotificationRow(Row):
    notification_key: Key
    person_key: Key
    type: NotificationType
    notified_date: date
    event_date: date | None = None
    details: Text | None = None
    agency_code: Key | None = None

    def props(self) -> dict[str, Any]:
        props = super().props()
        props.pop("person_key")
        return props
