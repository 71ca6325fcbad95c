"""Alerts raised on ingest and identity resolution, their status, and the caller's watchlist."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, Field

from app.api.deps import AccessDep, DriverDep
from app.api.models import Open
from app.api.routes import ERRORS
from app.services import alerts
from graph import alerts as graph_alerts

router = APIRouter(tags=["alerts"], responses=ERRORS)
ErrorsWithConflict = {**ERRORS, 409: {**ERRORS[404], "description": "Not allowed from its status"}}
AlertId = Annotated[str, Path(max_length=64, pattern=r"^AL-[0-9a-f]{1,40}$")]
Person = Annotated[str, Path(max_length=200, description="Identity id or record key")]
STATUS_HELP = ", ".join(graph_alerts.STATUSES)
RULE_HELP = ", ".join(graph_alerts.RULE_NAMES)


class Alert(Open):
    alert_id: str
    rule: str
    title: str
    summary: str
    status: str
    owner: str = Field(description="Owning agency code (for a watchlist alert, the follower)")
    identity_id: str | None = Field(description="The identity the alert is about")
    name: str | None = None
    record_keys: list[str]
    evidence: list[str] = Field(description="Keys of the records that raised it")
    other: str | None = Field(
        None, description="The new victim's or partner's identity; a watchlist alert's follower"
    )
    raised_at: str
    history: list[str]
    reason: str | None = None
    status_by: str | None = None
    status_at: str | None = None


class AlertDetail(Alert):
    records: list[dict[str, Any]] = Field(
        description="Each evidence record: kind, key, agency_code, date, what, people"
    )


class Count(BaseModel):
    new: int


class Reason(BaseModel):
    reason: str | None = Field(None, max_length=1000, description="Required to dismiss")


class Moved(BaseModel):
    alert_id: str
    status: str
    history: list[str]


class Watch(Open):
    identity_id: str
    watcher: str
    name: str | None = None
    since: str | None = None


class Following(BaseModel):
    identity_id: str
    watcher: str
    following: bool


@router.get("/alerts", response_model=list[Alert])
def list_alerts(
    access: AccessDep,
    driver: DriverDep,
    status: Annotated[str | None, Query(max_length=20, description=STATUS_HELP)] = None,
    rule: Annotated[str | None, Query(max_length=40, description=RULE_HELP)] = None,
    owner: Annotated[str | None, Query(max_length=64, description="Agency code")] = None,
    identity: Annotated[
        str | None, Query(max_length=200, description="Identity id or record key")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> list[dict[str, Any]]:
    """Alerts newest first; page with `offset` and `limit`."""
    return alerts.listing(
        access, status=status, rule=rule, owner=owner, identity=identity, limit=limit,
        offset=offset, driver=driver,
    )  # fmt: skip


@router.get("/alerts/count", response_model=Count)
def count_new(access: AccessDep, driver: DriverDep) -> dict[str, int]:
    """How many alerts are new (the badge); names nobody, so it is not audited."""
    return alerts.new_count(access, driver=driver)


@router.get("/alerts/{alert_id}", response_model=AlertDetail)
def one(alert_id: AlertId, access: AccessDep, driver: DriverDep) -> dict[str, Any]:
    return alerts.detail(access, alert_id, driver=driver)


def _move(
    action: str, alert_id: str, access: Any, driver: Any, body: Reason | None
) -> dict[str, Any]:
    return alerts.move(access, alert_id, action, body.reason if body else None, driver=driver)


@router.post("/alerts/{alert_id}/acknowledge", response_model=Moved, responses=ErrorsWithConflict)
def acknowledge(alert_id: AlertId, access: AccessDep, driver: DriverDep) -> dict[str, Any]:
    """Take ownership of a new alert."""
    return _move("acknowledge", alert_id, access, driver, None)


@router.post("/alerts/{alert_id}/action", response_model=Moved, responses=ErrorsWithConflict)
def action(alert_id: AlertId, access: AccessDep, driver: DriverDep) -> dict[str, Any]:
    """Mark an alert actioned (a disclosure made, a referral sent, ...)."""
    return _move("action", alert_id, access, driver, None)


@router.post("/alerts/{alert_id}/dismiss", response_model=Moved, responses=ErrorsWithConflict)
def dismiss(
    alert_id: AlertId, body: Reason, access: AccessDep, driver: DriverDep
) -> dict[str, Any]:
    """Dismiss an alert; the reason is required and kept in its history."""
    return _move("dismiss", alert_id, access, driver, body)


ItemId = Annotated[str, Path(max_length=64, pattern=r"^IT-[0-9a-f]{1,40}$")]


class Item(Open):
    item_id: str
    status: str
    band: str = Field(description="high, medium or low, after escalation")
    overdue: bool = Field(description="Still new after its band's time to acknowledge")
    escalated: bool = Field(description="Overdue, so counted one band higher")
    priority: int = Field(description="The sum of the points in `reasons` (priority.toml)")
    reasons: list[str]
    rules: list[str]
    evidence_count: int
    owner: str = Field(description="The area that must act: the agency of the newest evidence")
    identity_id: str | None = Field(description="The perpetrator the item is about")
    name: str | None = None
    opened_at: str
    due_at: str | None = None
    newest: str | None = Field(None, description="The date of the newest evidence")
    history: list[str]


class ItemDetail(Item):
    alerts: list[dict[str, Any]] = Field(description="Its alerts, newest evidence first")


class ItemCount(BaseModel):
    total: int
    high: int = 0
    medium: int = 0
    low: int = 0


class AreaCount(ItemCount):
    area: str | None = Field(description="The owner area (agency code); null if none is known")


class ItemMoved(BaseModel):
    item_id: str
    status: str
    history: list[str]


@router.get("/inbox", response_model=list[Item])
def list_inbox(
    access: AccessDep,
    driver: DriverDep,
    status: Annotated[str | None, Query(max_length=20, description=STATUS_HELP)] = "new",
    band: Annotated[str | None, Query(max_length=20, description="high, medium, low")] = None,
    owner: Annotated[str | None, Query(max_length=64, description="Only this area")] = None,
    area: Annotated[str | None, Query(max_length=64, description="This area first")] = None,
    identity: Annotated[
        str | None, Query(max_length=200, description="Identity id or record key")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> list[dict[str, Any]]:
    """One item per perpetrator, the most pressing first; `status=` (empty) for every item."""
    return alerts.inbox(
        access, status=status or None, band=band, owner=owner, area=area, identity=identity,
        limit=limit, offset=offset, driver=driver,
    )  # fmt: skip


@router.get("/inbox/count", response_model=ItemCount)
def count_inbox(
    access: AccessDep,
    driver: DriverDep,
    status: Annotated[str | None, Query(max_length=20)] = "new",
    owner: Annotated[str | None, Query(max_length=64)] = None,
) -> dict[str, int]:
    """How many items, in all and per band (the badge counts `high`); not audited."""
    return alerts.inbox_count(access, status=status or None, owner=owner, driver=driver)


@router.get("/inbox/areas", response_model=list[AreaCount])
def count_inbox_by_area(
    access: AccessDep,
    driver: DriverDep,
    status: Annotated[str | None, Query(max_length=20)] = "new",
    band: Annotated[str | None, Query(max_length=20, description="high, medium, low")] = None,
) -> list[dict[str, Any]]:
    """How many items each owner area has, in all and per band, the most high items first;
    not audited."""
    return alerts.inbox_by_area(access, status=status or None, band=band, driver=driver)


@router.get("/inbox/{item_id}", response_model=ItemDetail)
def one_item(item_id: ItemId, access: AccessDep, driver: DriverDep) -> dict[str, Any]:
    return alerts.inbox_item(access, item_id, driver=driver)


@router.post(
    "/inbox/{item_id}/{action}", response_model=ItemMoved, responses=ErrorsWithConflict
)
def move_item(
    item_id: ItemId,
    action: Annotated[str, Path(pattern="^(acknowledge|action|dismiss)$")],
    access: AccessDep,
    driver: DriverDep,
    body: Reason | None = None,
) -> dict[str, Any]:
    """Acknowledge, action or dismiss (a reason required) an item and its alerts."""
    reason = body.reason if body else None
    return alerts.move_item(access, item_id, action, reason, driver=driver)


@router.get("/watchlist", response_model=list[Watch])
def watchlist(access: AccessDep, driver: DriverDep) -> list[dict[str, Any]]:
    """The identities you follow."""
    return alerts.watchlist(access, driver=driver)


@router.put("/watchlist/{person}", response_model=Following)
def follow(person: Person, access: AccessDep, driver: DriverDep) -> dict[str, Any]:
    """Follow an identity: any new record touching it raises an alert you own."""
    return alerts.follow(access, person, driver=driver)


@router.delete("/watchlist/{person}", response_model=Following)
def unfollow(person: Person, access: AccessDep, driver: DriverDep) -> dict[str, Any]:
    return alerts.unfollow(access, person, driver=driver)
