"""What a statement would do, asked of the server rather than guessed from its text.

`EXPLAIN` plans a statement without running it; the plan names the query type (`r` for a
read) and every operator, with each procedure under its canonical name whatever quoting the
text used (`` `dbms`.`listConfig` `` is planned as `dbms.listConfig`), and the database each
operator runs on. A statement is a plain read only when the type is `r`, every operator runs
on the user database, no operator is a command (SHOW ..., TERMINATE ..., administration) or
reads files (LOAD CSV), and every procedure it calls is on the read-only allow-list.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, LiteralString, cast

from neo4j import ManagedTransaction, Transaction

from graph.registry import READ_ONLY_PROCEDURES

# Operators that run commands or read outside the graph, by the start of their name.
_REFUSED_OPERATORS = (
    "Show",  # SHOW TRANSACTIONS (other users' parameters), SETTINGS, PROCEDURES, USERS, ...
    "Terminate",  # TERMINATE TRANSACTIONS
    "AdministrationCommand",
    "SystemProcedureCall",
    "LoadCSV",  # files on the server, or any URL
    "Create",
    "Merge",
    "Delete",
    "DetachDelete",
    "Set",
    "Remove",
    "Foreach",
    "TransactionApply",  # CALL { ... } IN TRANSACTIONS
    "TransactionForeach",
)


def operators(plan: Mapping[str, Any] | None) -> Iterator[tuple[str, str, str]]:
    """Every operator of a plan as (operator, database, details)."""
    stack = [plan or {}]
    while stack:
        node = stack.pop()
        name, _, database = str(node.get("operatorType", "")).partition("@")
        details = str((node.get("args") or {}).get("Details") or "")
        yield name, database, details
        stack.extend(node.get("children") or [])


def refusals(
    tx: ManagedTransaction | Transaction,
    cypher: str,
    params: Mapping[str, Any],
    database: str,
    procedures: frozenset[str] = READ_ONLY_PROCEDURES,
) -> list[str]:
    """Every reason the server's plan of `cypher` is not a plain read of `database` (none:
    it is one). Neo4j errors (a syntax error) propagate."""
    summary = tx.run(cast(LiteralString, "EXPLAIN " + cypher), dict(params)).consume()
    problems = []
    if summary.query_type != "r":
        kind = {"w": "writes", "rw": "reads and writes", "s": "changes the schema or system"}
        problems.append(f"the statement {kind.get(str(summary.query_type), 'is not a read')}")
    if summary.database not in (None, database):
        problems.append(f"the statement runs on another database ({summary.database})")
    for name, on, details in operators(summary.plan):
        if on and on != database:
            problems.append(f"{name} runs on another database ({on})")
        elif name.startswith(_REFUSED_OPERATORS):
            problems.append(f"{name} is not a plain read")
        elif name == "ProcedureCall":
            procedure = details.split("(", 1)[0].strip()
            if procedure not in procedures:
                problems.append(f"procedure {procedure!r} is not on the read-only allow-list")
    return list(dict.fromkeys(problems))
