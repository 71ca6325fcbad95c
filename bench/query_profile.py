"""Where a saved query's work goes: PROFILE it on the bench graph and print its rows, total db
hits and the operators with the most db hits (db hits grow linearly with the graph, so a
query's hits at 100,000 people times ten is what it will cost at 1,000,000).

    python bench/query_profile.py cross_force_perpetrators shared_addresses
    python bench/query_profile.py shortest_path -p a=ID:X -p b=ID:Y --top 5

Runs on the benchmark server (bench/common.py) as loaded by bench/queries.py or
`national_graph`; parameters not given take their defaults. Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any, LiteralString, cast

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import use_bench_server  # noqa: E402

use_bench_server()  # before the settings are first read

from graph.driver import get_driver  # noqa: E402
from graph.registry import get_library  # noqa: E402
from graph.runner import bind, sent  # noqa: E402
from graph.server import LocalServer  # noqa: E402
from graph.settings import get_settings  # noqa: E402


def operators(plan: dict[str, Any]) -> list[tuple[str, int, int]]:
    """(operator, db hits, rows) of every operator in the profiled plan."""
    out, stack = [], [plan]
    while stack:
        node = stack.pop()
        args = node.get("args", {})
        name = str(node.get("operatorType", "")).split("@")[0]
        detail = str(args.get("Details", ""))[:70]
        out.append((f"{name} {detail}".strip(), int(node.get("dbHits", 0)),
                    int(node.get("rows", 0))))
        stack.extend(node.get("children", []))
    return out


def profile(name: str, given: dict[str, str], top: int) -> None:
    query = get_library().get(name)
    values = sent(query, bind(query, given))
    with get_driver().session(database=get_settings().database) as s:
        began = time.perf_counter()
        result = s.run(cast(LiteralString, "PROFILE " + query.cypher), values)
        rows = len(list(result))
        summary = result.consume()
        ms = (time.perf_counter() - began) * 1000
    ops = operators(summary.profile or {})
    total = sum(h for _, h, _ in ops)
    print(f"{name}: {rows:,} rows, {total:,} db hits, {ms:.0f} ms (PROFILE, one cold-ish run)")
    for op, hits, n in sorted(ops, key=lambda o: -o[1])[:top]:
        print(f"    {hits:>12,} hits {n:>10,} rows  {op}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("names", nargs="+", help="saved query names")
    ap.add_argument("-p", "--param", action="append", default=[], help="key=value")
    ap.add_argument("--top", type=int, default=8, help="operators listed per query")
    args = ap.parse_args()
    given = dict(p.split("=", 1) for p in args.param)
    LocalServer(get_settings()).start()
    for name in args.names:
        query = get_library().get(name)
        profile(name, {k: v for k, v in given.items() if query.param(k)}, args.top)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
