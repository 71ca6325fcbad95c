"""Ad-hoc read-only Cypher, for analysts only. Whether a statement is a plain read is asked of
the server (graph.plan: EXPLAIN's query type and operators, procedures by their canonical
names), never guessed from the text; then it runs in a read transaction, streamed, and cut at
the row cap or the byte cap, whichever comes first, and the answer says so. The server's
timeout does not stop every statement (an expression such as `reduce` over a huge list never
looks at it), so the wait is bounded here too: past it the transaction is terminated and its
connection closed, and the caller gets a 503 at once. Errors name Neo4j's error code, never
echo the statement."""

from __future__ import annotations

import json
import secrets
import time
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as Overdue
from typing import Any, LiteralString, cast

from neo4j import READ_ACCESS, Driver
from neo4j.exceptions import (
    ClientError,
    DriverError,
    Neo4jError,
    ServiceUnavailable,
    SessionExpired,
)

from app.errors import Invalid, Unavailable
from app.security.roles import Perm
from app.services.door import Access, guard, named_identities, personal
from app.settings import get_api_settings
from graph.cypher import INT64
from graph.driver import get_driver
from graph.errors import DatabaseUnavailable
from graph.plan import refusals
from graph.runner import plain
from graph.settings import get_settings

MAX_LENGTH = 20_000
FETCH_SIZE = 20  # records per pull: a few large rows never buffer hundreds of megabytes
GRACE_S = 2.0  # past the server's timeout, before the wait gives up
_RUNNING = ThreadPoolExecutor(max_workers=8, thread_name_prefix="adhoc")


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
    for name, value in params.items():
        if not _fits(value):
            raise Invalid(f"parameter {name!r}: integers must lie within Cypher's 64-bit range")
    meta: dict[str, Any] = {}

    def fetch() -> list[dict[str, Any]]:
        began = time.perf_counter()
        read = _Read(text, params, cap, int(settings.adhoc_max_mb * (1 << 20)))
        rows = _bounded(driver or get_driver(), read, settings.adhoc_timeout_s)
        meta.update(
            columns=read.columns,
            truncated=read.cut is not None,
            note=read.cut,
            elapsed_ms=round((time.perf_counter() - began) * 1000, 1),
        )
        return rows

    rows = personal(
        access, Perm.cypher, "cypher", audit_params, fetch, driver=driver,
        identities_of=lambda found: named_identities(found, driver),
    )  # fmt: skip
    return {
        "columns": meta.get("columns", []),
        "rows": rows,
        **{k: meta.get(k) for k in ("truncated", "note", "elapsed_ms")},
    }


class _Read:
    """One statement: planned and refused unless a plain read, then streamed up to the caps."""

    def __init__(self, text: str, params: dict[str, Any], rows: int, size: int) -> None:
        self.text, self.params, self.max_rows, self.max_bytes = text, params, rows, size
        self.tag = secrets.token_hex(12)  # names the transaction, to stop it from outside
        self.columns: list[str] = []
        self.cut: str | None = None

    def __call__(self, driver: Driver) -> list[dict[str, Any]]:
        timeout = get_api_settings().adhoc_timeout_s
        database = get_settings().database
        with (
            driver.session(
                database=database, default_access_mode=READ_ACCESS, fetch_size=FETCH_SIZE
            ) as session,
            session.begin_transaction(timeout=timeout, metadata={"adhoc": self.tag}) as tx,
        ):
            problems = refusals(tx, self.text, self.params, database)
            if problems:
                raise Invalid("only plain reads may run here: " + "; ".join(problems))
            result = tx.run(cast(LiteralString, self.text), self.params)
            self.columns = list(result.keys())
            return self._stream(result)

    def _stream(self, records: Any) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = []
        size = 0
        for record in records:
            if len(rows) >= self.max_rows:
                self.cut = f"cut at {self.max_rows:,} rows"
                break
            row = {k: plain(v) for k, v in record.items()}
            size += len(json.dumps(row, ensure_ascii=False, default=str).encode()) + 1
            if size > self.max_bytes:
                self.cut = f"cut at {self.max_bytes / (1 << 20):g} MB after {len(rows):,} rows"
                break
            rows.append(row)
        return rows


def _fits(value: Any) -> bool:
    """Whether every integer in a parameter value (lists and maps included) fits Cypher's
    64-bit INTEGER: the driver cannot send a larger one."""
    if isinstance(value, bool):
        return True
    if isinstance(value, int):
        return INT64[0] <= value <= INT64[1]
    if isinstance(value, list):
        return all(_fits(v) for v in value)
    if isinstance(value, dict):
        return all(_fits(v) for v in value.values())
    return True


def _bounded(driver: Driver, read: _Read, timeout_s: float) -> list[dict[str, Any]]:
    """Run `read` on a worker; past the timeout (and a grace), stop it and answer 503."""
    future = _RUNNING.submit(_execute, driver, read)
    try:
        return future.result(timeout=timeout_s + GRACE_S)
    except Overdue:
        _stop(driver, read.tag)
        raise _overdue() from None


def _stop(driver: Driver, tag: str) -> None:
    """Terminate the tagged transaction and close its connection (best effort)."""
    try:
        found, _, _ = driver.execute_query(
            "SHOW TRANSACTIONS YIELD transactionId, connectionId, metaData "
            "WHERE metaData.adhoc = $tag RETURN transactionId, connectionId",
            tag=tag,
            database_="system",
        )
        for row in found:
            driver.execute_query(
                "TERMINATE TRANSACTION $id", id=row["transactionId"], database_="system"
            )
            driver.execute_query(
                "CALL dbms.killConnection($id)", id=row["connectionId"], database_="system"
            )
    except (Neo4jError, DriverError):
        pass  # the caller is answered either way


def _overdue() -> Unavailable:
    return Unavailable(
        f"the query ran longer than {get_api_settings().adhoc_timeout_s:g} s and was stopped; "
        "narrow it"
    )


def _execute(driver: Driver, read: _Read) -> list[dict[str, Any]]:
    try:
        return read(driver)
    except (ServiceUnavailable, SessionExpired) as e:
        raise DatabaseUnavailable("Neo4j is not reachable; is it running?") from e
    except ClientError as e:
        code = e.code or "Neo.ClientError"
        if "TimedOut" in code or "Terminated" in code:
            raise _overdue() from e
        raise Invalid(f"Neo4j refused the query ({code.rsplit('.', 1)[-1]})") from e
    except Neo4jError as e:
        raise Invalid("the query failed") from e
    except DriverError as e:
        raise DatabaseUnavailable("the connection to Neo4j failed during the query") from e
    except (TypeError, ValueError) as e:
        raise Invalid("a parameter has a type Neo4j cannot take") from e
