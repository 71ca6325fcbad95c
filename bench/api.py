"""API benchmark: 20 concurrent simulated users on a mixed read workload against a real uvicorn
on 127.0.0.1, over a graph of 100,000 synthetic people, for 60 s. Prints throughput, latency
percentiles (overall and per operation) and errors; never asserts.

    python -m bench.api                       # 100,000 people, 20 users, 60 s
    python -m bench.api --users 20 --seconds 60 --people 100000

Uses its own Neo4j (SERIALWATCH_HOME=~/.sw-helper4-bench style home, port 7694), loaded once by
the bulk path (`ingest.bulk.bulk_load`) and reused on later runs; its own users and audit trail
in that home. The uvicorn server listens on loopback only and is stopped at the end.
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
from pathlib import Path
from typing import Any

BENCH_HOME = Path.home() / ".sw-helper4-bench"
ROLES = ("officer", "analyst", "caseworker", "partner")
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
    os.environ.update(
        SERIALWATCH_HOME=str(BENCH_HOME),
        NEO4J_BOLT_PORT="7694",
        NEO4J_HEAP="2g",
        NEO4J_PAGECACHE="2g",
    )
    os.environ.pop("NEO4J_URI", None)
    from graph.driver import get_driver, read
    from graph.server import LocalServer
    from graph.settings import get_settings
    from ingest.bulk import bulk_load
    from ingest.synth import synthesize

    delivery = out / f"people-{people}-seed-{seed}"
    if not (delivery / "truth.json").exists():
        t = time.monotonic()
        synthesize(people=people, seed=seed, out=delivery)
        print(f"synthesised {people:,} people in {time.monotonic() - t:.0f} s")
    server = LocalServer(get_settings())
    server.start()
    count = read("MATCH (i:Identity) RETURN count(i) AS n", driver=get_driver())[0]["n"]
    if count < people * 0.9:
        t = time.monotonic()
        server.stop()
        server.reset()
        bulk_load(delivery)
        print(f"bulk-loaded into the bench server in {time.monotonic() - t:.0f} s")
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


def start_api(port: int) -> subprocess.Popen[bytes]:
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


def user_loop(
    base: str,
    role: str,
    perps: list[str],
    names: list[str],
    stop_at: float,
    seed: int,
    out: list[tuple[str, float, int]],
) -> None:
    import httpx

    rng = random.Random(seed)
    ops = [(name, weight) for name, weight, roles in MIX if role in roles]
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
        while time.monotonic() < stop_at:
            op = rng.choices([o for o, _ in ops], [w for _, w in ops])[0]
            perp = rng.choice(perps)
            began = time.perf_counter()
            try:
                r = request(client, op, perp, rng.choice(names))
                status = r.status_code
            except httpx.HTTPError:
                status = 599
            out.append((op, (time.perf_counter() - began) * 1000, status))


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
    parser.add_argument("--out", type=Path, default=Path("/tmp/serialwatch-bench"))
    args = parser.parse_args()
    perps, names = prepare(args.people, args.seed, args.out)
    ensure_users()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    api = start_api(port)
    try:
        results: list[tuple[str, float, int]] = []
        stop_at = time.monotonic() + args.seconds
        threads = [
            threading.Thread(
                target=user_loop,
                args=(
                    f"http://127.0.0.1:{port}",
                    ROLES[i % len(ROLES)],
                    perps,
                    names,
                    stop_at,
                    i,
                    results,
                ),
            )
            for i in range(args.users)
        ]
        began = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = time.monotonic() - began
    finally:
        api.terminate()
        api.wait(timeout=30)
    report(results, wall, args)


def report(results: list[tuple[str, float, int]], wall: float, args: Any) -> None:
    ok = [ms for _, ms, st in results if st == 200]
    errors = [(op, st) for op, _, st in results if st != 200]
    print(
        f"\n{args.users} users, {wall:.1f} s, {args.people:,} people: {len(results):,} "
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
    print(
        "\nmethod: one uvicorn worker on 127.0.0.1 (subprocess), Neo4j 5.26 bench server "
        "(port 7694, heap 2g, page cache 2g) bulk-loaded with the synthetic delivery; each "
        "simulated user is a thread with its own HTTP client and token (roles rotate officer, "
        "analyst, caseworker, partner), issuing requests back to back (no think time) with a "
        "stated purpose, so every request is also one audit entry; latency = client-side "
        "wall time per request; throughput = requests / wall time."
    )


if __name__ == "__main__":
    main()
