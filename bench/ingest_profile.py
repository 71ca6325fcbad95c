"""PROFILE the loader's statements: the plan of the first full batch of each, with rows and
database hits per operator, on a real load into the reset benchmark server.

    python -m bench.ingest_profile DELIVERY [--batch-size 5000]

Community runs the slotted runtime, which reports no time per operator; the statement's own
time is Neo4j's `result_available_after` + `result_consumed_after`. Figures are printed, never
asserted.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, LiteralString

from bench.common import use_bench_server
from ingest.load import BATCH


def plan_lines(plan: dict[str, Any], depth: int = 0) -> list[tuple[str, int, int]]:
    """(indented operator and details, rows, db hits) for a plan and its children."""
    details = str(plan.get("args", {}).get("Details", "")).replace("\n", " ")[:90]
    op = str(plan["operatorType"]).split("@")[0]
    lines = [(f"{'  ' * depth}{op} {details}", plan.get("rows", 0), plan.get("dbHits", 0))]
    for child in plan.get("children", []):
        lines += plan_lines(child, depth + 1)
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("delivery", type=Path)
    parser.add_argument("--batch-size", type=int, default=BATCH)
    args = parser.parse_args()
    use_bench_server()

    from graph.driver import get_driver
    from graph.schema import apply_pending
    from graph.server import LocalServer
    from graph.settings import get_settings
    from ingest.load import Loader
    from ingest.transactional import WRITERS, CypherSink

    class ProfilingSink(CypherSink):
        """Runs the first batch of at least 1,000 rows of each statement under PROFILE."""

        seen: set[str] = set()

        def _run(self, statement: LiteralString, rows: list[dict[str, Any]]) -> int:
            if statement in self.seen or len(rows) < 1000:
                return super()._run(statement, rows)
            self.seen.add(statement)
            with self.driver.session(database=get_settings().database) as session:
                result = session.run("PROFILE " + statement, {"rows": rows})
                record = result.single()
                summary = result.consume()
            lines = plan_lines(summary.profile or {})
            ms = (summary.result_available_after or 0) + (summary.result_consumed_after or 0)
            first = next(line for line in statement.splitlines() if "MERGE" in line)
            print(f"\n--- {first.strip()[:70]}  ({len(rows):,} rows)")
            print(f"    {sum(h for _, _, h in lines):,} db hits, {ms:,} ms")
            for text, n, hits in lines:
                print(f"    {text:<110} rows {n:>7,} hits {hits:>8,}")
            return int(record["changed"]) if record else 0

    server = LocalServer(get_settings())
    server.stop()
    server.reset()
    server.start()
    apply_pending(get_driver())
    Loader(ProfilingSink(get_driver()), args.batch_size, writers=WRITERS).load(args.delivery)


if __name__ == "__main__":
    main()
