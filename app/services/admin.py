"""Admin services: the audit trail and the user list (no personal data of the graph)."""

from __future__ import annotations

from typing import Any

from app.security import audit, users
from app.security.roles import Perm, Role, require
from app.services.door import Access, check_purpose, guard, record


def audit_entries(
    access: Access, after: int = 0, limit: int = 100, user: str | None = None
) -> list[dict[str, Any]]:
    """Entries of the trail; reading them is itself audited, with every identity they name
    (who consulted whom is personal data too)."""
    params = {"after": after, "limit": limit, "user": user}
    guard(access, Perm.audit, "audit", params)
    purpose = check_purpose(access.purpose)
    rows = audit.entries(after=after, limit=limit, user=user)
    record(access, "read", "audit", params, {i for r in rows for i in r["identities"]},
           purpose=purpose)  # fmt: skip
    return rows


def audit_verify(access: Access) -> audit.Verdict:
    """Check the chain against the anchor; the check is audited after it ran."""
    guard(access, Perm.audit, "audit", {}, "verify")
    purpose = check_purpose(access.purpose)
    verdict = audit.verify()
    outcome = "ok" if verdict.ok else "tampered"
    record(access, "verify", "audit", {}, [], purpose=purpose, outcome=outcome)
    return verdict


def list_users(access: Access) -> list[dict[str, str]]:
    require(access.user.role, Perm.users)
    return users.list_users()


def add_user(access: Access, name: str, role: Role | str, password: str | None) -> dict[str, str]:
    require(access.user.role, Perm.users)
    user, password = users.add(name, role, password)
    return {"name": user.name, "role": user.role.value, "password": password}


def remove_user(access: Access, name: str) -> None:
    require(access.user.role, Perm.users)
    if name == access.user.name:
        from app.errors import Conflict

        raise Conflict("an admin may not remove himself")
    users.remove(name)
