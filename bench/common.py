"""What the benchmarks share: their own Neo4j (never the user's data) and memory readings."""

from __future__ import annotations

import json
import logging
import os
import resource
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

# Overridable so that two people benchmarking on one machine keep separate servers.
BENCH_ENV = {
    "SERIALWATCH_HOME": os.environ.get(
        "SERIALWATCH_BENCH_HOME", str(Path.home() / ".local/share/serialwatch-bench")
    ),
    "NEO4J_BOLT_PORT": os.environ.get("SERIALWATCH_BENCH_PORT", "7690"),
    "NEO4J_HEAP": os.environ.get("SERIALWATCH_BENCH_HEAP", "4g"),
    "NEO4J_PAGECACHE": os.environ.get("SERIALWATCH_BENCH_PAGECACHE", "6g"),
}


def use_bench_server() -> None:
    """Point this process (and its children) at the benchmark server."""
    os.environ.update(BENCH_ENV)
    os.environ.pop("NEO4J_URI", None)
    logging.getLogger("neo4j").setLevel(logging.CRITICAL)  # retries while the server starts


def peak_rss_mb() -> float:
    """This process's peak resident memory."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def process_peak_rss_mb(pid: int) -> float:
    """Another process's peak resident memory (VmHWM), e.g. the Neo4j server."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def delivery_dir(people: int, seed: int, out: Path, adversarial: bool = False) -> Path:
    """The folder `national_graph` synthesises a delivery into."""
    return out / f"people-{people}-seed-{seed}{'-adversarial' if adversarial else ''}"


def national_graph(
    people: int,
    seed: int = 7,
    out: Path = Path("/tmp/serialwatch-bench"),
    fresh: bool = False,
    adversarial: bool = False,
    variant: str = "",
) -> Path:
    """Start the bench server holding a synthetic national delivery of `people`, generated and
    bulk-loaded once (into a reset database), then reused while the loaded delivery is the same
    (`fresh` reloads it, for benches that change the graph); returns the delivery's folder.
    `adversarial`: the delivery of `serialwatch synth --adversarial` (planted hard cases).
    `variant`: reuse only a graph a bench marked with it (`graph_changed(variant)`), e.g. the
    base with the alert bench's follow-up. Call `use_bench_server()` first."""
    from graph.server import LocalServer
    from graph.settings import get_settings
    from ingest.bulk import bulk_load
    from ingest.synth import synthesize

    delivery = delivery_dir(people, seed, out, adversarial)
    if not (delivery / "truth.json").exists():
        t = time.monotonic()
        synthesize(people=people, seed=seed, out=delivery, adversarial=adversarial)
        print(f"synthesised {people:,} people in {time.monotonic() - t:.0f} s")
    settings = get_settings()
    marker = settings.home / "bench-delivery.json"
    wanted: dict[str, object] = {"people": people, "seed": seed}
    if adversarial:
        wanted["adversarial"] = True
    if variant:
        wanted["variant"] = variant
    server = LocalServer(settings)
    if not fresh and marker.exists() and json.loads(marker.read_text()) == wanted:
        server.start()
        return delivery
    marker.unlink(missing_ok=True)  # an interrupted load is never reused
    server.stop()
    server.reset()
    t = time.monotonic()
    bulk_load(delivery, alerts=False)
    print(f"bulk-loaded {people:,} people into the bench server in {time.monotonic() - t:.0f} s")
    marker.write_text(json.dumps({k: v for k, v in wanted.items() if k != "variant"}))
    return delivery


def loaded_variant() -> str | None:
    """The variant the bench graph was marked with (`graph_changed(variant)`); "" for the
    delivery alone; None when no load is known to be whole."""
    from graph.settings import get_settings

    marker = get_settings().home / "bench-delivery.json"
    if not marker.exists():
        return None
    return str(json.loads(marker.read_text()).get("variant", ""))


def graph_changed(variant: str = "") -> None:
    """Say the bench graph no longer holds just its delivery (a bench wrote to it), so the
    next `national_graph` reloads it; with `variant`, one asking for that variant reuses it."""
    from graph.settings import get_settings

    marker = get_settings().home / "bench-delivery.json"
    if variant and marker.exists():
        marker.write_text(json.dumps(json.loads(marker.read_text()) | {"variant": variant}))
    else:
        marker.unlink(missing_ok=True)


@contextmanager
def changing_to(variant: str) -> Iterator[None]:
    """Write to the bench graph as the bench that makes `variant`: while it writes, the graph
    is no load at all (an interrupted run is reloaded); once done it is that variant, which
    `national_graph(..., variant=variant)` reuses."""
    from graph.settings import get_settings

    marker = get_settings().home / "bench-delivery.json"
    wanted = json.loads(marker.read_text()) if marker.exists() else None
    marker.unlink(missing_ok=True)
    yield
    if wanted is not None:
        marker.write_text(json.dumps(wanted | {"variant": variant}))


def pristine_graph(people: int, seed: int = 7, out: Path = Path("/tmp/serialwatch-bench")) -> Path:
    """Start the bench server holding exactly the bulk-loaded delivery, for benches that write
    to it and run more than once: the first call bulk-loads it (or reuses an untouched load)
    and keeps a copy of the stopped store; later calls restore that copy (a file copy, not a
    reload). Returns the delivery's folder."""
    from graph.driver import close_driver
    from graph.server import LocalServer
    from graph.settings import get_settings

    settings = get_settings()
    server = LocalServer(settings)
    copy = settings.home / f"bench-store-{people}-seed-{seed}"
    data = server.home / "data"
    if not copy.exists():
        delivery = national_graph(people, seed, out)
        server.stop()
        shutil.copytree(data, copy.with_suffix(".partial"))
        copy.with_suffix(".partial").rename(copy)
    else:
        delivery = out / f"people-{people}-seed-{seed}"
        server.stop()
        shutil.rmtree(data)
        shutil.copytree(copy, data)
        # the restored store is older than the driver's bookmarks: a new driver, or every
        # query waits for a transaction that store will never reach
        close_driver()
    server.start()
    graph_changed()  # the store is about to be written to
    return delivery
