"""Ad-hoc read-only Cypher, for analysts only: refused at once if it holds a write clause or a
procedure off the allow-list, then run in a read transaction with a timeout and a row cap.
Errors name Neo4j's error code, never echo the statement."""

from __future__ import annotations

import time
from typing import Any, LiteralString, cast

from neo4j import READ_ACCESS, Driver, ManagedTransaction, unit_of_work
from neo4j.exceptions import ClientError, Neo4jError, ServiceUnavailable, SessionExpired

from app.errors import Invalid, Unavailable
from app.security.roles import Perm
from app.services.door import Access, guard, named_identities, personal
from app.settings import get_api_settings
from graph.driver import get_driver
from graph.errors import DatabaseUnavailable
from graph.registry import check_body
from graph.runner import plain
from graph.settings import get_settings

MAX_LENGTH = 20_000


def run(
    access: Access,
    text: str,
    params: dict[str, Any] | None = None,
    limit: int | None = None,
    driver: Driver | None = None,
) -> dict[str, Any]:
    """Rows of an analyst's own read query, capped; audited with the statement."""
    params = dict(params or {})
    settings = get_api_settings()
    cap = min(limit or settings.adhoc_row_cap, settings.adhoc_row_cap)
    audit_params = {"cypher": text[:MAX_LENGTH], "params": params, "limit": cap}
    guard(access, Perm.cypher, "cypher", audit_params)
    if not text.strip() or len(text) > MAX_LENGTH:
        raise Invalid(f"give a Cypher statement of at most {MAX_LENGTH} characters")
    problems = check_body(text)
    if problems:
        raise Invalid("only read queries may run here: " + "; ".join(problems))
    meta: dict[str, Any] = {}

    @unit_of_work(timeout=settings.adhoc_timeout_s)
    def work(tx: ManagedTransaction) -> tuple[list[str], list[dict[str, Any]]]:
        result = tx.run(cast(LiteralString, text), params)
        return list(result.keys()), [r.data() for r in result.fetch(cap + 1)]

    def fetch() -> list[dict[str, Any]]:
        began = time.perf_counter()
        keys, records = _execute(driver or get_driver(), work)
        meta.update(
            columns=keys,
            truncated=len(records) > cap,
            elapsed_ms=round((time.perf_counter() - began) * 1000, 1),
        )
        return [{k: plain(v) for k, v in r.items()} for r in records[:cap]]

    rows = personal(
        access, Perm.cypher, "cypher", audit_params, fetch, driver=driver,
        identities_of=lambda found: named_identities(found, driver),
    )  # fmt: skip
    return {
        "columns": meta.get("columns", []),
        "rows": rows,
        **{k: meta.get(k) for k in ("truncated", "elapsed_ms")},
    }


def _execute(driver: Driver, work: Any) -> Any:
    try:
        with driver.session(
            database=get_settings().database, default_access_mode=READ_ACCESS
        ) as session:
            return session.execute_read(work)
    except (ServiceUnavailable, SessionExpired) as e:
        raise DatabaseUnavailable("Neo4j is not reachable; is it running?") from e
    except ClientError as e:
        code = e.code or "Neo.ClientError"
        if "TimedOut" in code or "terminated" in (e.message or "").lower():
            raise Unavailable(
                f"the query ran longer than {get_api_settings().adhoc_timeout_s:g} s and was "
                "stopped; narrow it"
            ) from e
        raise Invalid(f"Neo4j refused the query ({code.rsplit('.', 1)[-1]})") from e
    except Neo4jError as e:
        raise Invalid("the query failed") from e
    except (TypeError, ValueError) as e:
        raise Invalid("a parameter has a type Neo4j cannot take") from e
