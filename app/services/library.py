"""The saved query library through the door: list, describe, run, and CSV export.

Person-centred queries are audited with their subject; for a partner the subject must be a
perpetrator and population queries are redacted row by row (each row's own perpetrator).
"""

from __future__ import annotations

import csv
import io
from typing import Any

from neo4j import Driver

from app.errors import Forbidden
from app.security.roles import Perm, may_run_query, require
from app.services.door import Access, for_subject, guard, personal, probe
from graph.cypher import MISSING
from graph.registry import SavedQuery, get_library
from graph.runner import cell
from graph.runner import run as run_query

SUBJECT_PARAM = {"person": "person", "pair": "a"}


def describe(query: SavedQuery) -> dict[str, Any]:
    """A query's header as data: what the API documents and the UI builds forms from."""
    return {
        "name": query.name,
        "title": query.title,
        "description": query.description,
        "scope": query.scope,
        "returns": query.returns,
        "params": [
            {
                "name": p.name,
                "type": p.type,
                "required": p.default is MISSING,
                "default": None if p.default is MISSING else p.default_text,
                "description": p.describe(),
                "choices": list(p.choices) if p.choices else None,
            }
            for p in query.params
        ],
    }


def list_queries(access: Access) -> list[dict[str, Any]]:
    """The queries this caller may run (no personal data: not audited)."""
    require(access.user.role, Perm.queries)
    return [describe(q) for q in get_library() if may_run_query(access.user.role, q.name)]


def get_query(access: Access, name: str) -> dict[str, Any]:
    require(access.user.role, Perm.queries)
    query = get_library().get(name)
    if not may_run_query(access.user.role, name):
        raise Forbidden(f"the {access.user.role} role may not run {name}")
    return describe(query)


def run(
    access: Access,
    name: str,
    params: dict[str, Any] | None = None,
    *,
    limit: int | None = None,
    perm: Perm = Perm.queries,
    action: str = "read",
    driver: Driver | None = None,
) -> dict[str, Any]:
    """Run a saved query for the caller: rows checked, redacted and audited."""
    params = dict(params or {})
    audit_params = {"query": name, "params": params, "limit": limit}
    guard(access, perm, f"query:{name}", audit_params, action)
    query = get_library().get(name)
    with probe(access, f"query:{name}", audit_params, action):
        if not may_run_query(access.user.role, name):
            raise Forbidden(f"the {access.user.role} role may not run {name}")
    subject = None
    key = SUBJECT_PARAM.get(query.scope)
    if key and isinstance(params.get(key), str):
        subject = for_subject(access, params[key], perm, driver)
    meta: dict[str, Any] = {}

    def fetch() -> list[dict[str, Any]]:
        result = run_query(name, params, driver=driver, row_cap=limit)
        meta.update(
            columns=result.columns,
            truncated=result.truncated,
            elapsed_ms=round(result.elapsed_ms, 1),
        )
        return result.rows

    rows = personal(
        access,
        perm,
        f"query:{name}",
        audit_params,
        fetch,
        subject=subject,
        rows=subject is None,
        driver=driver,
        action=action,
    )
    return {
        "name": name,
        "columns": meta.get("columns", []),
        "rows": rows,
        "truncated": meta.get("truncated", False),
        "elapsed_ms": meta.get("elapsed_ms", 0),
    }


def export_csv(
    access: Access,
    name: str,
    params: dict[str, Any] | None = None,
    *,
    limit: int | None = None,
    driver: Driver | None = None,
) -> str:
    """A saved query's result as CSV (lists joined by `;`, maps as JSON), audited as export."""
    guard(access, Perm.export, f"query:{name}", {"query": name, "params": params}, "export")
    result = run(access, name, params, limit=limit, action="export", driver=driver)
    return to_csv(result["columns"], result["rows"])


def to_csv(columns: list[str], rows: list[dict[str, Any]]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows([cell(r.get(c), spreadsheet_safe=True) for c in columns] for r in rows)
    return buf.getvalue()
