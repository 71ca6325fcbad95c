"""Run a saved query: parameters checked against the header, a read transaction routed as a read,
a timeout and a row cap, and rows of plain JSON-able values (dates as ISO strings).

Everything that can go wrong for a user becomes one SerialwatchError with a readable message;
the CLI and the API show it as it is.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, LiteralString, cast

from neo4j import READ_ACCESS, Driver, ManagedTransaction, unit_of_work
from neo4j.exceptions import (
    AuthError,
    ClientError,
    DriverError,
    Neo4jError,
    ServiceUnavailable,
    SessionExpired,
)
from neo4j.graph import Node, Path, Relationship
from neo4j.time import Date, DateTime, Duration, Time

from graph.cypher import MISSING, BadParameter
from graph.driver import get_driver
from graph.errors import AuthFailed, DatabaseUnavailable, SerialwatchError
from graph.registry import Library, QueryNotFound, SavedQuery, get_library
from graph.settings import get_settings

__all__ = [
    "BadParameter",
    "QueryFailed",
    "QueryNotFound",
    "QueryResult",
    "QueryTimeout",
    "bind",
    "cell",
    "explain",
    "plain",
    "row_value",
    "run",
]


class QueryTimeout(SerialwatchError):
    """The query ran longer than its timeout and was stopped by the server."""


class QueryFailed(SerialwatchError):
    """Neo4j refused or failed the query (a bug in the query, or a bad value it met)."""


@dataclass(frozen=True)
class QueryResult:
    """The rows of one run; `truncated` says the row cap cut it short."""

    name: str
    columns: list[str]
    rows: list[dict[str, Any]]
    truncated: bool
    elapsed_ms: float


def bind(query: SavedQuery, given: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The full parameter map: every given value coerced, every absent one defaulted."""
    given = dict(given or {})
    unknown = sorted(set(given) - {p.name for p in query.params})
    if unknown:
        declared = ", ".join(p.name for p in query.params) or "none"
        raise BadParameter(
            f"{query.name} has no parameter {', '.join(unknown)} (it takes: {declared})"
        )
    return {p.name: p.value(given.get(p.name, MISSING)) for p in query.params}


def sent(query: SavedQuery, values: Mapping[str, Any]) -> dict[str, Any]:
    """What the query is sent: its bound values and, for each map (a config such as
    rfgv.toml's bands), `$<name>_key`, its fingerprint, to compare with one a query stored
    (graph/ranking.py)."""
    return {**values, **{f"{p.name}_key": map_key(values.get(p.name)) for p in query.params
                         if p.type == "map"}}  # fmt: skip


def map_key(value: Mapping[str, Any] | None) -> str | None:
    """A map's fingerprint: equal maps, and only they, get the same one (in practice)."""
    if value is None:
        return None
    text = json.dumps(value, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def run(
    name: str,
    params: Mapping[str, Any] | None = None,
    *,
    driver: Driver | None = None,
    library: Library | None = None,
    row_cap: int | None = None,
    timeout_s: float | None = None,
) -> QueryResult:
    """Run the saved query `name` in a read transaction and return its rows."""
    settings = get_settings()
    query = (library or get_library()).get(name)
    values = bind(query, params)
    cap = row_cap or query.row_cap or settings.query_row_cap
    timeout = timeout_s or query.timeout_s or settings.query_timeout_s
    if query.param("limit") and values.get("limit") is None:
        # A query that pages (`limit` with no default) orders and cuts on the server, then
        # builds only the rows sent: one past the cap, so `truncated` still says more exist.
        values["limit"] = cap + 1

    @unit_of_work(timeout=timeout)
    def work(tx: ManagedTransaction) -> tuple[list[str], list[list[Any]]]:
        result = tx.run(cast(LiteralString, query.cypher), sent(query, values))
        keys = list(result.keys())
        return keys, [[row_value(v) for v in r.values()] for r in result.fetch(cap + 1)]

    began = time.perf_counter()
    keys, records = _execute(driver, work, name, timeout)
    elapsed = (time.perf_counter() - began) * 1000
    rows = [dict(zip(keys, r, strict=True)) for r in records[:cap]]
    return QueryResult(name, keys, rows, len(records) > cap, elapsed)


def explain(
    name: str,
    params: Mapping[str, Any] | None = None,
    *,
    driver: Driver | None = None,
    library: Library | None = None,
) -> list[str]:
    """The operator names of the query's plan (EXPLAIN: planned, never run), planned afresh
    against the graph as it is now: a cached plan may have been made when the graph looked
    different, and Neo4j replans only when its statistics drift far enough."""
    query = (library or get_library()).get(name)
    values = bind(query, params)
    drv = driver or get_driver()
    with drv.session(database=get_settings().database, default_access_mode=READ_ACCESS) as s:
        planned = cast(LiteralString, "CYPHER replan=force EXPLAIN " + query.cypher)
        summary = s.run(planned, sent(query, values)).consume()
    operators: list[str] = []
    stack = [summary.plan or {}]
    while stack:
        node = stack.pop()
        operators.append(str(node.get("operatorType", "")).split("@")[0])
        stack.extend(node.get("children", []))
    return operators


def _execute(driver: Driver | None, work: Any, name: str, timeout: float) -> Any:
    drv = driver or get_driver()
    try:
        with drv.session(database=get_settings().database, default_access_mode=READ_ACCESS) as s:
            return s.execute_read(work)
    except AuthError as e:
        raise AuthFailed("Neo4j refused the password: check NEO4J_USER / NEO4J_PASSWORD") from e
    except (ServiceUnavailable, SessionExpired) as e:
        raise DatabaseUnavailable("Neo4j is not reachable; is it running?") from e
    except ClientError as e:
        if "TimedOut" in (e.code or ""):
            raise QueryTimeout(
                f"{name} ran longer than {timeout:g} s and was stopped "
                "(SERIALWATCH_QUERY_TIMEOUT raises the limit)"
            ) from e
        if "Terminated" in (e.code or "") or "terminated" in (e.message or "").lower():
            raise DatabaseUnavailable(f"{name} was stopped by the database; try again") from e
        raise QueryFailed(f"{name} failed: {e.message}") from e
    except Neo4jError as e:
        raise QueryFailed(f"{name} failed: {e.message}") from e
    except (DriverError, OSError) as e:  # the connection died mid-query (killed, reset)
        raise DatabaseUnavailable(
            f"the connection to Neo4j was lost while {name} ran; try again"
        ) from e


_SCALARS = frozenset({str, int, float, bool, type(None)})


def row_value(value: Any) -> Any:
    """One value of a result row as `plain(record.data()[key])` gives it, in one pass: nodes as
    their properties, a relationship as [start node, type, end node], a path as its nodes and
    relationship types in turn. At a few thousand rows the driver's generic `data()` took most
    of a population query's time (bench/queries.py)."""
    kind = type(value)
    if kind in _SCALARS:
        return value
    if kind is list:
        return [row_value(v) for v in value]
    if kind is dict:
        return {str(k): row_value(v) for k, v in value.items()}
    if isinstance(value, Node):
        return {k: row_value(v) for k, v in value.items()}
    if isinstance(value, Relationship):
        return [row_value(value.start_node), type(value).__name__, row_value(value.end_node)]
    if isinstance(value, Path):
        out = [row_value(value.start_node)]
        for rel, node in zip(value.relationships, value.nodes[1:], strict=True):
            out += [type(rel).__name__, row_value(node)]
        return out
    return plain(value)


def plain(value: Any) -> Any:
    """A driver value as plain JSON-able data; dates and times as ISO strings."""
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, Date | DateTime | Time):
        return value.iso_format()
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Duration):
        return value.iso_format()
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, Node):
        return {"labels": sorted(value.labels), **{k: plain(v) for k, v in value.items()}}
    if isinstance(value, Relationship):
        return {"type": value.type, **{k: plain(v) for k, v in value.items()}}
    if isinstance(value, Path):
        return {
            "nodes": [plain(n) for n in value.nodes],
            "relationships": [plain(r) for r in value.relationships],
        }
    return str(value)


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")  # what a spreadsheet may run
_FORMULA_AFTER_BREAK = re.compile(r"([\r\n])(?=[=+\-@\t])")


def cell(value: Any, *, spreadsheet_safe: bool = False) -> str:
    """One row value as text for a table or CSV cell: lists of text joined by `;`, maps as
    JSON. `spreadsheet_safe` (every CSV export of rows) defuses what a spreadsheet would run as
    a formula, whatever value made it: the cell, and each item of a joined list (a spreadsheet
    set to split on `;` makes each a cell), opening with = + - @, a tab or a line break get a
    single quote before them, which keeps them text (OWASP, CSV injection)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list) and all(isinstance(v, str | int | float) for v in value):
        text = ";".join(_defused(str(v), spreadsheet_safe) for v in value)
    elif isinstance(value, list | dict):
        text = json.dumps(value, ensure_ascii=False)
    else:
        text = str(value)
    return _defused(text, spreadsheet_safe)


def _defused(text: str, spreadsheet_safe: bool) -> str:
    if not spreadsheet_safe:
        return text
    # A line break inside a cell starts a row where a spreadsheet misreads the quoting.
    text = _FORMULA_AFTER_BREAK.sub("\\1'", text)
    return "'" + text if text.startswith(FORMULA_STARTS) else text
