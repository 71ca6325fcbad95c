"""Roles and what each may do: one table, checked by the service layer on every call.

`partner` is a MAPPA+ partner agency: it sees perpetrators, never a victim's identity or
whereabouts (see redaction.py). Only `analyst` runs ad-hoc Cypher; only `admin` uploads,
manages users and reads the audit trail.
"""

from __future__ import annotations

from enum import StrEnum

from app.errors import Forbidden


class Role(StrEnum):
    officer = "officer"
    analyst = "analyst"
    caseworker = "caseworker"
    partner = "partner"
    admin = "admin"


class Perm(StrEnum):
    search = "search"
    profile = "profile"
    network = "network"
    queries = "queries"
    serial = "serial"
    disclosure = "disclosure"
    export = "export"
    review = "review"
    cypher = "cypher"
    upload = "upload"
    users = "users"
    audit = "audit"
    alerts = "alerts"  # see alerts and their evidence
    alert_actions = "alert_actions"  # acknowledge, action, dismiss; keep a watchlist
    cases = "cases"  # see MAPPA+ cases, meetings and plan actions (a partner: redacted, its own)
    case_open = "case_open"  # open a candidate case by hand
    case_work = "case_work"  # screen, accept or not, assign, close: the caseworker's decisions
    meetings = "meetings"  # run a MAPPA+ meeting: agenda, minutes, level, actions, obligations
    action_status = "action_status"  # move a plan action on (a partner: its agency's only)


_READ = {Perm.search, Perm.profile, Perm.network, Perm.queries, Perm.serial, Perm.export}
_READ |= {Perm.alerts}  # a partner sees alerts about perpetrators, redacted like the rest
_READ |= {Perm.cases}  # a partner sees the redacted case and its agency's actions
_ACT = {Perm.disclosure, Perm.alert_actions}  # decisions a police force or caseworker owns
_ACT |= {Perm.case_open}
_CASEWORK = {Perm.case_work, Perm.meetings, Perm.action_status}
MATRIX: dict[Role, frozenset[Perm]] = {
    Role.officer: frozenset(_READ | _ACT | {Perm.meetings, Perm.action_status}),
    Role.analyst: frozenset(_READ | _ACT | {Perm.review, Perm.cypher}),
    Role.caseworker: frozenset(_READ | _ACT | _CASEWORK | {Perm.review}),
    Role.partner: frozenset(_READ | {Perm.action_status}),
    Role.admin: frozenset({Perm.upload, Perm.users, Perm.audit}),
}

# Saved queries a partner may run: perpetrator-centred ones. Queries centred on addresses or on
# arbitrary pairs of people (shared addresses) would reveal where victims live.
PARTNER_QUERIES = frozenset(
    {
        "serial_perpetrators",
        "serial_tier_counts",
        "rfgv_ranking",
        "matac_serial",
        "cross_force_perpetrators",
        "victim_chain",
        "active_orders",
        "agencies_involved",
        "order_breaches",
        "obligation_compliance",
        "neighbourhood",
        "shortest_path",
    }
)


def allowed(role: Role | str, perm: Perm) -> bool:
    return perm in MATRIX.get(Role(role), frozenset())


def require(role: Role | str, perm: Perm) -> None:
    """Refuse (403) unless `role` holds `perm`."""
    if not allowed(role, perm):
        raise Forbidden(f"the {role} role may not use {perm.value}")


def may_run_query(role: Role | str, name: str) -> bool:
    return Role(role) is not Role.partner or name in PARTNER_QUERIES
