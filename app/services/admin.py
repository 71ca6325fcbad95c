"""Admin services: the audit trail and the user list (no personal data of the graph)."""

from __future__ import annotations

from typing import Any

from app.security import audit, users
from app.security.roles import Perm, Role, require
from app.services.door import Access


def audit_entries(
    access: Access, after: int = 0, limit: int = 100, user: str | None = None
) -> list[dict[str, Any]]:
    require(access.user.role, Perm.audit)
    return audit.entries(after=after, limit=limit, user=user)


def audit_verify(access: Access) -> audit.Verdict:
    require(access.user.role, Perm.audit)
    return audit.verify()


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
