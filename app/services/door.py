"""The one door to personal data: every service call passes here to check the caller's role
and stated purpose, fetch, redact for partners, and write one audit entry.

Nothing else in the app returns personal data, so the Dash UI, the API and any export share
the same checks by calling the same functions.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

from neo4j import Driver

from app.errors import Forbidden, NotFound, PurposeRequired
from app.security import audit
from app.security.redaction import Hidden, Redactor, identities, strings
from app.security.roles import Perm, Role, allowed, require
from app.security.users import User
from app.services import cypher
from app.settings import get_api_settings
from graph.driver import get_driver, read

T = TypeVar("T")
_PRINTABLE = re.compile(r"^[^\x00-\x1f\x7f]{3,300}$")


@dataclass(frozen=True)
class Access:
    """Who is asking and why: the purpose is recorded with every read (DPA 2018 s.62)."""

    user: User
    purpose: str | None

    @property
    def partner(self) -> bool:
        return self.user.role is Role.partner


def check_purpose(purpose: str | None) -> str:
    text = (purpose or "").strip()
    if not _PRINTABLE.match(text):
        raise PurposeRequired(
            "state the purpose of this request in the X-Purpose header (3-300 printable "
            "characters, e.g. 'MAPPA+ meeting 12 May, case 4411')"
        )
    return text


def resolve(id_: str, driver: Driver | None = None) -> tuple[str, bool]:
    """The identity id behind an identity id or person key, and whether he is a perpetrator."""
    rows = read(cypher.RESOLVE, {"id": id_}, driver=driver or get_driver())
    if not rows:
        raise NotFound("no person with that identity id or record key")
    return rows[0]["identity_id"], bool(rows[0]["perpetrator"])


def personal(
    access: Access,
    perm: Perm,
    resource: str,
    params: dict[str, Any],
    fetch: Callable[[], T],
    *,
    subject: str | None = None,
    rows: bool = False,
    driver: Driver | None = None,
    action: str = "read",
    identities_of: Callable[[T], Iterable[str]] | None = None,
) -> T:
    """Check, fetch, redact, audit. `subject` is the perpetrator a person-centred request is
    about (already resolved); with `rows`, each row's own identity is its row's subject.
    `identities_of` names what else the payload shows (audited before redaction)."""
    guard(access, perm, resource, params, action)
    purpose = check_purpose(access.purpose)
    with probe(access, resource, params, action):
        payload = fetch()
    seen = identities(payload) | ({subject} if subject else set())
    if identities_of is not None:
        seen |= set(identities_of(payload))
    if access.partner:
        payload = redact(payload, subject, rows, driver)
    record(access, action, resource, params, seen, purpose=purpose)
    return payload


def record(
    access: Access,
    action: str,
    resource: str,
    params: dict[str, Any],
    seen: Iterable[str],
    *,
    purpose: str | None = None,
    outcome: str = "ok",
) -> None:
    """One audit entry for the caller (the purpose as stated, unless checked already)."""
    audit.append(
        user=access.user.name,
        role=access.user.role.value,
        purpose=purpose if purpose is not None else (access.purpose or "")[:300],
        action=action,
        resource=resource,
        params=params,
        identities=seen,
        outcome=outcome,
    )


@contextmanager
def probe(
    access: Access, resource: str, params: dict[str, Any], action: str = "read"
) -> Iterator[None]:
    """Audit a refusal (403) or a miss (404) raised inside: a probe for someone the caller
    may not see, or who does not exist, is a consultation too."""
    try:
        yield
    except Forbidden:
        record(access, action, resource, params, [], outcome="refused")
        raise
    except NotFound:
        record(access, action, resource, params, [], outcome="not-found")
        raise


def guard(
    access: Access, perm: Perm, resource: str, params: dict[str, Any], action: str = "read"
) -> None:
    """Refuse (403) unless the caller's role holds `perm`; a refusal is audited too."""
    with probe(access, resource, params, action):
        require(access.user.role, perm)


def exported(
    access: Access, perm: Perm, resource: str, params: dict[str, Any], seen: Iterable[str]
) -> None:
    """Audit an export built from payloads already read through this door (the UI's PDF
    briefing pack): role and purpose checked, one entry with what the export shows."""
    guard(access, perm, resource, params, "export")
    record(access, "export", resource, params, seen, purpose=check_purpose(access.purpose))


def for_subject(access: Access, id_: str, perm: Perm, driver: Driver | None = None) -> str:
    """Resolve a request's subject; a partner may only centre a request on a perpetrator,
    and is told the same as for an unknown person otherwise (existence is not disclosed;
    the probe is audited as not-found). A caller without `perm` gets the id back unresolved:
    `personal` refuses and audits it."""
    if not allowed(access.user.role, perm):
        return id_
    with probe(access, f"subject:{perm.value}", {"person": id_}):
        identity_id, perpetrator = resolve(id_, driver)
        if access.partner and not perpetrator:
            raise NotFound("no person with that identity id or record key")
    return identity_id


def named_identities(payload: Any, driver: Driver | None = None) -> set[str]:
    """The identities a free-form payload (ad-hoc Cypher rows) names by identity id or record
    key, anywhere in it (a node's properties, a projected key, a list of keys)."""
    values: set[str] = set()
    stack = [payload]
    while stack:
        v = stack.pop()
        if isinstance(v, dict):
            stack.extend(v.values())
        elif isinstance(v, list):
            stack.extend(v)
        elif isinstance(v, str) and 0 < len(v) <= 200:
            values.add(v)
    if not values:
        return set()
    rows = read(cypher.NAMED_IDENTITIES, {"values": sorted(values)}, driver=driver or get_driver())
    return {r["identity_id"] for r in rows}


def redact(payload: T, subject: str | None, rows: bool, driver: Driver | None = None) -> T:
    """The partner view of a payload (see app/security/redaction.py)."""
    drv = driver or get_driver()
    perps: set[str] = {subject} if subject else set()
    if rows and isinstance(payload, list):
        perps |= {
            r["identity_id"]
            for r in payload
            if isinstance(r, dict) and isinstance(r.get("identity_id"), str)
        }
    chains = {
        r["perpetrator"]: r["victims"]
        for r in read(cypher.CHAINS, {"perps": sorted(perps)}, driver=drv)
    }
    keys = strings(payload) | {v for vs in chains.values() for v in vs}
    hidden = [Hidden(**r) for r in read(cypher.HIDDEN, {"keys": sorted(keys)}, driver=drv)]
    redactor = Redactor(hidden, chains, get_api_settings().secret())
    result: T = redactor.apply(payload, subject, rows)
    return result
