"""What the partner view costs: the same requests as an officer and as a partner, one at a time,
in process (FastAPI's TestClient) over the bench graph. Prints each request's median and
slowest time per role and the partner/officer ratio; never asserts.

    python -m bench.redaction --people 5000 --repeat 5

The bench server and its graph are bench/api.py's (bench/common.py); its users too.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.api import ensure_users, prepare
from bench.common import BENCH_ENV

REQUESTS: dict[str, Callable[[Any, str, str], Any]] = {
    "search by name": lambda c, perp, name: c.get("/persons", params={"name": name, "limit": 25}),
    "profile": lambda c, perp, name: c.get(f"/persons/{perp}"),
    "neighbourhood": lambda c, perp, name: c.get(
        f"/persons/{perp}/neighbourhood", params={"hops": 1}
    ),
    "victim_chain": lambda c, perp, name: c.post(
        "/queries/victim_chain/run", json={"params": {"person": perp}}
    ),
    "serial": lambda c, perp, name: c.get("/serial"),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=5, help="requests per kind and role")
    parser.add_argument("--out", type=Path, default=Path("/tmp/serialwatch-bench"))
    args = parser.parse_args()
    perps, names = prepare(args.people, args.seed, args.out)
    ensure_users()
    from fastapi.testclient import TestClient

    from app.main import create_app

    times: dict[tuple[str, str], list[float]] = {}
    with TestClient(create_app(), raise_server_exceptions=False) as client:
        heads = {}
        for role in ("officer", "partner"):
            tok = client.post(
                "/token", data={"username": f"bench-{role}", "password": f"bench-{role}-password"}
            ).json()["access_token"]
            heads[role] = {"Authorization": f"Bearer {tok}", "X-Purpose": "benchmark, redaction"}
        for kind, ask in REQUESTS.items():
            for n in range(args.repeat + 1):  # the first of each kind warms up, not counted
                for role in ("officer", "partner"):
                    client.headers.update(heads[role])
                    began = time.perf_counter()
                    r = ask(client, perps[n * 7 % len(perps)], names[n * 11 % len(names)])
                    took = time.perf_counter() - began
                    if r.status_code != 200:
                        raise SystemExit(f"{kind} as {role}: {r.status_code} {r.text[:200]}")
                    if n:
                        times.setdefault((kind, role), []).append(took * 1000)
    print(f"\n{args.people:,} people; each request {args.repeat} times per role (ms)")
    print(f"   {'request':<16} {'officer p50':>11} {'max':>7} {'partner p50':>12} {'max':>7} ratio")
    for kind in REQUESTS:
        o, p = times[(kind, "officer")], times[(kind, "partner")]
        ratio = statistics.median(p) / statistics.median(o)
        print(
            f"   {kind:<16} {statistics.median(o):>11.0f} {max(o):>7.0f} "
            f"{statistics.median(p):>12.0f} {max(p):>7.0f} {ratio:>5.2f}"
        )
    print(
        f"\nmethod: the app in process (FastAPI TestClient, no HTTP server) on the bench Neo4j "
        f"5.26 ({BENCH_ENV['NEO4J_BOLT_PORT']}, heap {BENCH_ENV['NEO4J_HEAP']}, page cache "
        f"{BENCH_ENV['NEO4J_PAGECACHE']}) bulk-loaded with {args.people:,} synthetic people "
        f"(seed {args.seed}), on this machine ({os.cpu_count()} CPUs); requests one at a time, "
        "officer then partner with the same perpetrator or name, a different one each round; "
        "the first round of each kind is a warm-up and not counted; time = wall time of the "
        "request, including the audit entry each read writes."
    )


if __name__ == "__main__":
    main()
