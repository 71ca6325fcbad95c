"""API benchmark: 20 concurrent simulated users on a mixed read workload against a real uvicorn
on 127.0.0.1, over a graph of 100,000 synthetic people, for 60 s. Prints throughput, latency
percentiles (overall and per operation) and errors; never asserts.

    python -m bench.api                       # 100,000 people, 20 users, 60 s
    python -m bench.api --users 20 --seconds 60 --people 100000
    python -m bench.api --only partner        # every user a partner (then --only officer)

`--only ROLE` makes every simulated user that role and keeps to the operations every role may
run, so an officer-only and a partner-only run compare the same mix (the partner's redaction
is the difference).

Uses the benchmark server (bench/common.py), loaded once by the bulk path and reused on later
runs; its own users and audit trail in that home. The uvicorn server listens on loopback only
and is stopped at the end.
"""

from __future__ import annotations

import argparse
import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.common import BENCH_ENV, national_graph, use_bench_server

ROLES = ("officer", "analyst", "caseworker", "partner")
THINK_S = 1.0  # an analyst clicking through a chart reads for a second or more between requests
# (operation, weight, roles that may run it)
MIX = (
    ("search", 35, ROLES),
    ("profile", 25, ROLES),
    ("neighbourhood", 15, ROLES),
    ("victim_chain", 12, ROLES),
    ("disclosure", 8, ("officer", "analyst", "caseworker")),
    ("active_orders", 5, ROLES),
)


def prepare(people: int, seed: int, out: Path) -> tuple[list[str], list[str]]:
    """The bench server started and loaded; returns sample perpetrators and surnames."""
    use_bench_server()
    from graph.driver import get_driver, read

    national_graph(people, seed, out)
    drv = get_driver()
    perps = [
        r["id"]
        for r in read(
            "MATCH (i:Identity)<-[:RESOLVES_TO]-(:Person)-[:SUSPECT_IN|OFFENDER_IN]->(n:Incident) "
            "WHERE n.da_related RETURN DISTINCT i.identity_id AS id LIMIT 2000",
            driver=drv,
        )
    ]
    names = [
        r["n"]
        for r in read(
            "MATCH (p:Person) WITH p SKIP 1000 LIMIT 3000 RETURN p.surname + ' ' + "
            "coalesce(p.forename, '') AS n",
            driver=drv,
        )
    ]
    return perps, names


def ensure_users() -> None:
    from app.security import users

    for role in ROLES:
        if users.get(f"bench-{role}") is None:
            users.add(f"bench-{role}", role, f"bench-{role}-password")


def start_api(port: int, workers: int) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "app.main:create_app",
            "--factory",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ],
        env=os.environ.copy(),
    )
    import httpx

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=2).status_code == 200:
                return proc
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    proc.terminate()
    raise SystemExit("the API did not become ready within 60 s")


@dataclass
class Window:
    """When users measure: all log in, then a warm-up (caches, connection pools), then the
    timed window. Requests that start in the warm-up are not counted."""

    users: int
    warmup_s: float
    seconds: float
    think_s: float
    measure_from: float = 0.0
    stop_at: float = 0.0
    ready: threading.Barrier = field(init=False)

    def __post_init__(self) -> None:
        self.ready = threading.Barrier(self.users, action=self._open)

    def _open(self) -> None:
        self.measure_from = time.monotonic() + self.warmup_s
        self.stop_at = self.measure_from + self.seconds


def mix(role: str, only: bool) -> list[tuple[str, int, tuple[str, ...]]]:
    """The operations a user of `role` draws from; with `only`, those every role may run."""
    return [m for m in MIX if (set(ROLES) <= set(m[2]) if only else role in m[2])]


def user_loop(
    base: str,
    role: str,
    only: bool,
    perps: list[str],
    names: list[str],
    window: Window,
    seed: int,
    out: list[tuple[str, float, int]],
) -> None:
    import httpx

    rng = random.Random(seed)
    ops = [(name, weight) for name, weight, roles in mix(role, only)]
    with httpx.Client(base_url=base, timeout=30) as client:
        tok = client.post(
            "/token", data={"username": f"bench-{role}", "password": f"bench-{role}-password"}
        ).json()
        client.headers.update(
            {
                "Authorization": f"Bearer {tok['access_token']}",
                "X-Purpose": f"benchmark run, simulated {role}",
            }
        )
        window.ready.wait()
        while (now := time.monotonic()) < window.stop_at:
            op = rng.choices([o for o, _ in ops], [w for _, w in ops])[0]
            perp = rng.choice(perps)
            began = time.perf_counter()
            try:
                r = request(client, op, perp, rng.choice(names))
                status = r.status_code
            except httpx.HTTPError:
                status = 599
            if now >= window.measure_from:
                out.append((op, (time.perf_counter() - began) * 1000, status))
            if window.think_s:  # reading the answer before the next click
                pause = rng.expovariate(1 / window.think_s)
                time.sleep(max(0.0, min(pause, window.stop_at - time.monotonic())))


def request(client: Any, op: str, perp: str, name: str) -> Any:
    if op == "search":
        return client.get("/persons", params={"name": name, "limit": 25})
    if op == "profile":
        return client.get(f"/persons/{perp}")
    if op == "neighbourhood":
        return client.get(f"/persons/{perp}/neighbourhood", params={"hops": 1})
    if op == "disclosure":
        return client.get(f"/persons/{perp}/disclosure")
    return client.post(f"/queries/{op}/run", json={"params": {"person": perp}})


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument(
        "--think",
        type=float,
        default=THINK_S,
        help="mean think time between a user's requests, seconds (0: back to back)",
    )
    parser.add_argument("--warmup", type=float, default=10, help="seconds not counted")
    parser.add_argument("--workers", type=int, default=2, help="uvicorn worker processes")
    parser.add_argument("--out", type=Path, default=Path("/tmp/serialwatch-bench"))
    parser.add_argument(
        "--only", choices=ROLES, help="every user has this role; the mix every role may run"
    )
    args = parser.parse_args()
    perps, names = prepare(args.people, args.seed, args.out)
    ensure_users()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    api = start_api(port, args.workers)
    try:
        results: list[tuple[str, float, int]] = []
        window = Window(args.users, args.warmup, args.seconds, args.think)
        threads = [
            threading.Thread(
                target=user_loop,
                args=(
                    f"http://127.0.0.1:{port}",
                    args.only or ROLES[i % len(ROLES)],
                    bool(args.only),
                    perps,
                    names,
                    window,
                    i,
                    results,
                ),
            )
            for i in range(args.users)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        api.terminate()
        api.wait(timeout=30)
    report(results, args.seconds, args)


def report(results: list[tuple[str, float, int]], wall: float, args: Any) -> None:
    ok = [ms for _, ms, st in results if st == 200]
    errors = [(op, st) for op, _, st in results if st != 200]
    print(
        f"\n{args.users} users{' (' + args.only + ' only)' if args.only else ''}, {wall:.1f} s, "
        f"{args.people:,} people: {len(results):,} "
        f"requests = {len(results) / wall:,.1f} req/s; errors {len(errors)}"
    )
    if ok:
        print(
            f"latency ms (200s): p50 {pct(ok, 50):.0f}  p95 {pct(ok, 95):.0f}  "
            f"p99 {pct(ok, 99):.0f}  mean {statistics.mean(ok):.0f}"
        )
    by_op: dict[str, list[float]] = defaultdict(list)
    for op, ms, st in results:
        if st == 200:
            by_op[op].append(ms)
    for op, values in sorted(by_op.items()):
        print(
            f"   {op:<14} {len(values):>6} ok  p50 {pct(values, 50):>5.0f}  "
            f"p95 {pct(values, 95):>5.0f}  p99 {pct(values, 99):>5.0f}"
        )
    if errors:
        counts: dict[tuple[str, int], int] = defaultdict(int)
        for e in errors:
            counts[e] += 1
        print("errors:", dict(counts))
    think = (
        f"a think time between requests drawn from an exponential distribution of mean "
        f"{args.think:g} s (seeded per user)"
        if args.think
        else "requests back to back (no think time: a saturation test)"
    )
    roles = (
        f"every user has the role {args.only}"
        if args.only
        else "roles rotate officer, analyst, caseworker, partner; each draws what his role may"
    )
    print(
        f"\nmethod: {args.workers} uvicorn worker(s) on 127.0.0.1 (subprocess) and the bench "
        f"Neo4j 5.26 server ({BENCH_ENV['NEO4J_BOLT_PORT']}, heap {BENCH_ENV['NEO4J_HEAP']}, "
        f"page cache {BENCH_ENV['NEO4J_PAGECACHE']}) bulk-loaded with the synthetic delivery, "
        f"all on this machine ({os.cpu_count()} CPUs) with the load generator; each simulated "
        f"user is a thread with its own HTTP client and token ({roles}) issuing the weighted "
        f"mix {[(o, w) for o, w, _ in mix(args.only or ROLES[0], bool(args.only))]}, with "
        f"{think}; after logging in, a {args.warmup:g} s warm-up is not counted; every "
        "request states a purpose, so each is also one audit entry; latency = client-side "
        "wall time per request; throughput = requests counted / timed window."
    )


if __name__ == "__main__":
    main()
