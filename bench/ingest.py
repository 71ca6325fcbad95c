"""Ingest benchmark: synthesise N people, load them with both paths, print the figures.

    python -m bench.ingest                 # 100,000 people
    python -m bench.ingest --people 1000000
    python -m bench.ingest --only transactional
    python -m bench.ingest --only transactional --out /tmp/sw-hE-bench   # reuse a delivery
    python -m bench.ingest --only transactional --batch-size 10000
    python -m bench.ingest --only transactional --warm   # one untimed load first (JIT warm)

Each path runs in its own process into a freshly reset benchmark server (port 7690 unless
SERIALWATCH_BENCH_PORT says otherwise), so the loader's peak memory and the server's are its
own. Loading is timed without the alert rules (`bench.alerts` times those). Beside wall time,
the CPU seconds the loader and Neo4j spent are printed: on a busy machine they say more about
the work done than wall time does. Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

from bench.common import peak_rss_mb, process_peak_rss_mb, use_bench_server
from ingest.load import BATCH

PATHS = ("transactional", "bulk")


def run_one(path: str, delivery: Path, batch_size: int, warm: bool) -> dict[str, object]:
    """Load `delivery` by one path into the reset server; return the figures."""
    from graph.driver import get_driver
    from graph.schema import apply_pending
    from graph.server import LocalServer
    from graph.settings import get_settings
    from ingest.bulk import bulk_load
    from ingest.transactional import graph_loader

    server = LocalServer(get_settings())
    server.stop()
    server.reset()
    server.start()
    if warm and path == "transactional":
        warm_up(delivery, batch_size)
    pid = server.pid()
    neo4j_cpu = process_cpu_s(pid) if pid else 0.0
    loader_cpu = time.process_time()
    began = time.monotonic()
    if path == "bulk":
        summary = bulk_load(delivery, alerts=False)
    else:
        apply_pending(get_driver())
        summary = graph_loader(get_driver(), batch_size).load(delivery)
    wall = time.monotonic() - began
    loader_cpu = time.process_time() - loader_cpu
    if path == "bulk":
        # The server was stopped for the import and started again: the importer (and the
        # stopped server, once reaped) are this process's finished children, the new server
        # has a pid of its own.
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        neo4j_cpu = children.ru_utime + children.ru_stime
        restarted = server.pid()
        neo4j_peak = max(
            children.ru_maxrss / 1024, process_peak_rss_mb(restarted) if restarted else 0.0
        )
    else:
        neo4j_cpu = (process_cpu_s(pid) - neo4j_cpu) if pid else 0.0
        neo4j_peak = process_peak_rss_mb(pid) if pid else 0.0
    return {
        "path": path,
        "wall_s": round(wall, 1),
        "rows": sum(f.rows for f in summary.files),
        "rejected": summary.rejected,
        "import_s": round(summary.import_seconds, 1),
        "entities": summary.imported_entities,
        "files": [
            (f.name, f.rows, round(f.rows / f.seconds) if f.seconds else 0) for f in summary.files
        ],
        "loader_cpu_s": round(loader_cpu, 1),
        "neo4j_cpu_s": round(neo4j_cpu, 1),
        "loader_peak_mb": round(peak_rss_mb()),
        "neo4j_peak_mb": round(neo4j_peak),
    }


def warm_up(delivery: Path, batch_size: int) -> None:
    """Load the delivery once and delete it again, so the server's JIT has compiled the write
    paths before the timed load: a long-running server's state. A server started just before
    the load spends a good part of its CPU compiling: at 100,000 people the first load spends
    about 35 s of CPU in the JVM's compiler threads, the next one 2 to 6 s (a warm-up on 5,000
    other people, as this once did, left most of that inside the timed load)."""
    from graph.driver import get_driver, write_batched
    from graph.schema import apply_pending
    from ingest.transactional import graph_loader

    apply_pending(get_driver())
    graph_loader(get_driver(), batch_size).load(delivery)
    write_batched(
        "MATCH (n) WHERE NOT n:SchemaMigration "
        "CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS",
        driver=get_driver(),
    )


def process_cpu_s(pid: int) -> float:
    """CPU seconds (user + system) a process has used so far, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def delivery_rows(delivery: Path) -> int:
    """Data rows in the delivery's CSV files (one line per row in synthetic deliveries)."""
    total = 0
    for path in delivery.glob("*.csv"):
        with open(path, "rb") as fh:
            total += sum(1 for _ in fh) - 1
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, default=Path("/tmp/serialwatch-bench"))
    parser.add_argument("--only", choices=PATHS, help="run one path only")
    parser.add_argument("--batch-size", type=int, default=BATCH, help="transactional batch rows")
    parser.add_argument(
        "--warm",
        action="store_true",
        help="transactional: load the delivery once and empty the database first (untimed)",
    )
    parser.add_argument("--one", choices=PATHS, help=argparse.SUPPRESS)
    args = parser.parse_args()
    use_bench_server()
    delivery = args.out / f"people-{args.people}-seed-{args.seed}"
    if args.one:
        print(json.dumps(run_one(args.one, delivery, args.batch_size, args.warm)))
        return
    if not (delivery / "truth.json").exists():
        t = time.monotonic()
        subprocess.run(
            [
                sys.executable,
                "-m",
                "app.cli",
                "synth",
                "--people",
                str(args.people),
                "--seed",
                str(args.seed),
                "--out",
                str(delivery),
            ],
            check=True,
            capture_output=True,
        )
        print(f"synthesised {args.people:,} people in {time.monotonic() - t:.1f} s -> {delivery}")
    print(f"delivery rows: {delivery_rows(delivery):,}")
    for path in [args.only] if args.only else PATHS:
        out = subprocess.run(
            [
                sys.executable,
                "-m",
                "bench.ingest",
                "--one",
                path,
                "--people",
                str(args.people),
                "--seed",
                str(args.seed),
                "--out",
                str(args.out),
                "--batch-size",
                str(args.batch_size),
                *(["--warm"] if args.warm else []),
            ],
            check=True,
            capture_output=True,
            text=True,
        )
        r = json.loads(out.stdout.strip().splitlines()[-1])
        print(
            f"\n== {path}: {r['rows']:,} rows in {r['wall_s']} s = "
            f"{r['rows'] / r['wall_s']:,.0f} rows/s overall; rejected {r['rejected']}"
        )
        if path == "bulk":
            print(
                f"   neo4j-admin import: {r['entities']:,} nodes+relationships in "
                f"{r['import_s']} s = {r['entities'] / max(r['import_s'], 0.001):,.0f} entities/s"
            )
        print(f"   peak memory: loader {r['loader_peak_mb']} MB, neo4j {r['neo4j_peak_mb']} MB")
        print(f"   CPU: loader {r['loader_cpu_s']} s, neo4j {r['neo4j_cpu_s']} s")
        for name, rows, rate in r["files"]:
            print(f"   {name:<22} {rows:>10,} rows {rate:>10,} rows/s")
    server = "warmed by one untimed load of the same delivery" if args.warm else "cold"
    print(
        f"\nmethod: each path in its own process into a reset server (bench/common.py); "
        f"transactional: batches of {args.batch_size:,} rows, "
        f"server {server}; "
        "rows/s = file rows / time from first to last batch; "
        "peak memory = ru_maxrss "
        "(loader) and VmHWM (neo4j); CPU = user+system seconds during the load "
        "(loader: process_time, all threads; neo4j: /proc/<pid>/stat). Bulk: neo4j's peak is "
        "the largest of the importer and the servers before and after it (ru_maxrss of "
        "finished children, VmHWM), its CPU that of the finished children (the importer)"
    )


if __name__ == "__main__":
    main()
