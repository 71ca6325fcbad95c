"""Alerts and watchlists behind the door: the alerts ingest and identity resolution raise
(graph/alerts.py), one alert with its evidence, the status an officer moves it on, and the
identities a user follows.

Who may do what (app/security/roles.py): officers, analysts and caseworkers see alerts and act
on them. A partner agency sees alerts about perpetrators only, redacted like every other answer
(victims as pseudonyms, no victim name, date of birth, address or postcode), and may not change
a status or keep a watchlist: deciding on a disclosure or a referral stays with the police and
the caseworker, who answer for it; partners raise what they know at the MAPPA+ meeting. Admins
see no alerts (they hold no personal-data permission).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from neo4j import Driver

from app.errors import Conflict, Invalid, NotFound
from app.security.roles import Perm
from app.services.door import Access, check_purpose, for_subject, guard, personal, probe
from graph import alert_items as items
from graph import alerts as al
from graph import priority
from graph.alert_evidence import evidence

T = TypeVar("T")
ACTIONS = {"acknowledge": "acknowledged", "action": "actioned", "dismiss": "dismissed"}


@contextmanager
def _as_api_errors() -> Iterator[None]:
    """The graph's alert errors as the API's: 404 unknown, 409 illegal move, 422 bad input."""
    try:
        yield
    except al.AlertNotFound as e:
        raise NotFound(str(e)) from e
    except al.IllegalTransition as e:
        raise Conflict(str(e)) from e
    except al.AlertError as e:
        raise Invalid(str(e)) from e


def _checked(status: str | None, rule: str | None) -> None:
    if status is not None and status not in al.STATUSES:
        raise Invalid(f"status must be one of {', '.join(al.STATUSES)}")
    if rule is not None and rule not in al.RULE_NAMES:
        raise Invalid(f"rule must be one of {', '.join(al.RULE_NAMES)}")


def listing(
    access: Access,
    *,
    status: str | None = None,
    rule: str | None = None,
    owner: str | None = None,
    identity: str | None = None,
    limit: int = 50,
    offset: int = 0,
    driver: Driver | None = None,
) -> list[dict[str, Any]]:
    """Alerts newest first, filtered and paged; each row is redacted for its own subject."""
    params = {"status": status, "rule": rule, "owner": owner, "identity": identity,
              "limit": limit, "offset": offset}  # fmt: skip
    _checked(status, rule)
    subject = for_subject(access, identity, Perm.alerts, driver) if identity else None

    def fetch() -> list[dict[str, Any]]:
        return al.alerts(
            status, rule, owner, subject, driver=driver, limit=limit, skip=offset,
            perpetrators_only=access.partner,
        )  # fmt: skip

    return personal(access, Perm.alerts, "alerts", params, fetch, rows=True, driver=driver)


def total(
    access: Access,
    *,
    status: str | None = None,
    rule: str | None = None,
    owner: str | None = None,
    identity: str | None = None,
    driver: Driver | None = None,
) -> int:
    """How many alerts the filters of `listing` select in all (a number names nobody: role
    and purpose checked, not audited)."""
    guard(access, Perm.alerts, "alerts", {"status": status, "rule": rule}, action="count")
    check_purpose(access.purpose)
    _checked(status, rule)
    subject = for_subject(access, identity, Perm.alerts, driver) if identity else None
    return al.count(status, rule, owner, subject, driver=driver, perpetrators_only=access.partner)


def new_count(access: Access, driver: Driver | None = None) -> dict[str, int]:
    """How many alerts are new (for the badge): role and purpose checked, not audited, since a
    number names nobody (and the badge asks every minute)."""
    guard(access, Perm.alerts, "alerts", {"status": "new"}, action="count")
    check_purpose(access.purpose)
    return {"new": al.count("new", driver=driver, perpetrators_only=access.partner)}


def _subject(access: Access, alert_id: str, driver: Driver | None) -> str | None:
    """The identity an alert is about (NotFound, audited, if a partner may not see it)."""
    with probe(access, "alert", {"alert": alert_id}), _as_api_errors():
        found = al.alert(alert_id, driver=driver, perpetrators_only=access.partner)
    subject: str | None = found["identity_id"]
    return subject


def detail(access: Access, alert_id: str, driver: Driver | None = None) -> dict[str, Any]:
    """One alert with its evidence records and the people they name."""
    params = {"alert": alert_id}
    guard(access, Perm.alerts, "alert", params)
    subject = _subject(access, alert_id, driver)

    def fetch() -> dict[str, Any]:
        with _as_api_errors():
            found = al.alert(alert_id, driver=driver, perpetrators_only=access.partner)
        return {**found, "records": evidence(alert_id, driver=driver)}

    return personal(access, Perm.alerts, "alert", params, fetch, subject=subject, driver=driver)


def move(
    access: Access,
    alert_id: str,
    action: str,
    reason: str | None = None,
    driver: Driver | None = None,
) -> dict[str, Any]:
    """Acknowledge, action or dismiss (with a reason) an alert, as the logged-in user."""
    if action not in ACTIONS:
        raise Invalid(f"action must be one of {', '.join(ACTIONS)}")
    params = {"alert": alert_id, "reason": reason}
    guard(access, Perm.alert_actions, "alert", params, action=action)
    subject = _subject(access, alert_id, driver)

    def change() -> dict[str, Any]:
        with _as_api_errors():
            return al.set_status(alert_id, ACTIONS[action], access.user.name, reason, driver)

    return personal(
        access, Perm.alert_actions, "alert", params, change, subject=subject, driver=driver,
        action=action,
    )  # fmt: skip


def watchlist(access: Access, driver: Driver | None = None) -> list[dict[str, Any]]:
    """The identities the logged-in user follows."""

    def fetch() -> list[dict[str, Any]]:
        return al.watching(access.user.name, driver=driver)

    return personal(
        access, Perm.alert_actions, "watchlist", {}, fetch, rows=True, driver=driver
    )


def _watch_change(
    access: Access,
    person: str,
    action: str,
    change: Callable[[str], T],
    driver: Driver | None,
) -> T:
    params = {"person": person}
    guard(access, Perm.alert_actions, "watchlist", params, action=action)
    subject = for_subject(access, person, Perm.alert_actions, driver)
    return personal(
        access, Perm.alert_actions, "watchlist", params, lambda: change(subject),
        subject=subject, driver=driver, action=action,
    )  # fmt: skip


def follow(access: Access, person: str, driver: Driver | None = None) -> dict[str, Any]:
    """Follow an identity (by identity id or record key): any new record touching it, or
    joining it on resolution, raises an alert owned by the follower."""

    def change(subject: str) -> dict[str, Any]:
        with _as_api_errors():
            al.watch(subject, access.user.name, driver=driver)
        return {"identity_id": subject, "watcher": access.user.name, "following": True}

    return _watch_change(access, person, "follow", change, driver)


def unfollow(access: Access, person: str, driver: Driver | None = None) -> dict[str, Any]:
    """Stop following an identity; 404 if the user did not follow it."""

    def change(subject: str) -> dict[str, Any]:
        if not al.unwatch(subject, access.user.name, driver=driver):
            raise NotFound("you do not follow that identity")
        return {"identity_id": subject, "watcher": access.user.name, "following": False}

    return _watch_change(access, person, "unfollow", change, driver)


# -- the inbox: one item per perpetrator (graph/alert_items.py) -------------------------------
def _checked_item(status: str | None, band: str | None) -> None:
    if status is not None and status not in al.STATUSES:
        raise Invalid(f"status must be one of {', '.join(al.STATUSES)}")
    bands = [b["name"] for b in priority.settings()["bands"]]
    if band is not None and band not in bands:
        raise Invalid(f"band must be one of {', '.join(bands)}")


def inbox(
    access: Access,
    *,
    status: str | None = "new",
    owner: str | None = None,
    band: str | None = None,
    identity: str | None = None,
    area: str | None = None,
    limit: int = 50,
    offset: int = 0,
    driver: Driver | None = None,
) -> list[dict[str, Any]]:
    """Inbox items, the most pressing first, `area`'s first (by default the caller's own
    area); each redacted for its subject."""
    area = access.user.area or None if area is None else area or None
    params = {"status": status, "owner": owner, "band": band, "identity": identity,
              "area": area, "limit": limit, "offset": offset}  # fmt: skip
    _checked_item(status, band)
    subject = for_subject(access, identity, Perm.alerts, driver) if identity else None

    def fetch() -> list[dict[str, Any]]:
        return items.items(
            status=status, owner=owner, band=band, identity=subject, area=area, limit=limit,
            skip=offset, perpetrators_only=access.partner, driver=driver,
        )  # fmt: skip

    return personal(access, Perm.alerts, "inbox", params, fetch, rows=True, driver=driver)


def inbox_count(
    access: Access,
    *,
    status: str | None = "new",
    owner: str | None = None,
    band: str | None = None,
    driver: Driver | None = None,
) -> dict[str, int]:
    """How many items the filters select, in all and per band (the badge counts `high`):
    role and purpose checked, not audited, since a number names nobody."""
    guard(access, Perm.alerts, "inbox", {"status": status}, action="count")
    check_purpose(access.purpose)
    _checked_item(status, band)
    return items.count(
        driver, status=status, owner=owner, band=band, perpetrators_only=access.partner
    )


def inbox_by_area(
    access: Access,
    *,
    status: str | None = "new",
    band: str | None = None,
    driver: Driver | None = None,
) -> list[dict[str, Any]]:
    """How many items each owner area has, in all and per band; like the badge, a count that
    names nobody, so role and purpose are checked and nothing is audited."""
    guard(access, Perm.alerts, "inbox", {"status": status}, action="count")
    check_purpose(access.purpose)
    _checked_item(status, band)
    return items.count_by_area(
        driver, status=status, band=band, perpetrators_only=access.partner
    )


def inbox_item(access: Access, item_id: str, driver: Driver | None = None) -> dict[str, Any]:
    """One item with its alerts."""
    params = {"item": item_id}
    guard(access, Perm.alerts, "inbox", params)
    with probe(access, "inbox", params), _as_api_errors():
        found = items.item(item_id, driver=driver, perpetrators_only=access.partner)
    return personal(
        access, Perm.alerts, "inbox", params, lambda: found, subject=found["identity_id"],
        driver=driver,
    )  # fmt: skip


def move_item(
    access: Access,
    item_id: str,
    action: str,
    reason: str | None = None,
    driver: Driver | None = None,
) -> dict[str, Any]:
    """Acknowledge, action or dismiss (with a reason) an item and its alerts, as the caller."""
    if action not in ACTIONS:
        raise Invalid(f"action must be one of {', '.join(ACTIONS)}")
    params = {"item": item_id, "reason": reason}
    guard(access, Perm.alert_actions, "inbox", params, action=action)
    with probe(access, "inbox", params, action), _as_api_errors():
        subject = items.item(item_id, driver=driver, perpetrators_only=access.partner)[
            "identity_id"
        ]

    def change() -> dict[str, Any]:
        with _as_api_errors():
            return items.set_status(item_id, ACTIONS[action], access.user.name, reason, driver)

    return personal(
        access, Perm.alert_actions, "inbox", params, change, subject=subject, driver=driver,
        action=action,
    )  # fmt: skip
