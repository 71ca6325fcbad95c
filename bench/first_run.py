"""The first ten minutes, measured: the README's two commands, exactly as written, on a fresh
clone with an empty serialwatch home, an empty Neo4j cache and an empty Maven repository.

    python -m bench.first_run [--only demo|test] [--work DIR]

`make demo` is timed from its start until the explorer answers at /ui/ (then stopped, with its
Neo4j); `make test` is timed to its end, and its exit status is the script's. Both run in a
clone of this repository's HEAD, so what is measured is what is committed. The virtualenv is
made afresh by each clone's `make`; Python packages come from the machine's pip configuration
(a wheel cache, if the machine has one, is used as a fresh machine would use it).
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEMO_PORT = 8765  # the explorer of the measured demo, apart from a demo already running
DEMO_BOLT = 7697
TEST_BOLT = 7698


def fresh_env(work: Path, bolt: int) -> dict[str, str]:
    """The environment of a new user: nothing of serialwatch's, no Maven repository."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SERIALWATCH_", "NEO4J_"))}
    env.update(
        SERIALWATCH_HOME=str(work / "home"),
        SERIALWATCH_CACHE=str(work / "cache"),
        MAVEN_OPTS=f"-Dmaven.repo.local={work / 'm2'}",
        NEO4J_BOLT_PORT=str(bolt),
        SERIALWATCH_API_PORT=str(DEMO_PORT),
    )
    return env


def clone(work: Path, name: str) -> Path:
    target = work / name
    subprocess.run(["git", "clone", "-q", str(ROOT), str(target)], check=True)
    return target


def demo(work: Path) -> float:
    """Seconds from `make demo` to an explorer that answers."""
    repo = clone(work, "demo")
    env = fresh_env(work / "demo-state", DEMO_BOLT)
    log = (work / "demo.log").open("w")
    began = time.monotonic()
    proc = subprocess.Popen(
        ["make", "demo"], cwd=repo, env=env, stdout=log, stderr=subprocess.STDOUT,
        start_new_session=True,
    )  # fmt: skip
    try:
        while proc.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{DEMO_PORT}/ui/", timeout=2) as r:
                    if r.status == 200:
                        return time.monotonic() - began
            except OSError:
                time.sleep(1)
        raise SystemExit(f"make demo exited with {proc.returncode}; see {work / 'demo.log'}")
    finally:
        os.killpg(proc.pid, signal.SIGINT)
        proc.wait(timeout=60)
        subprocess.run([str(repo / ".venv/bin/serialwatch"), "db", "stop"], env=env, check=False)


def test(work: Path) -> tuple[float, int]:
    """Seconds `make test` takes, and its exit status."""
    repo = clone(work, "test")
    env = fresh_env(work / "test-state", TEST_BOLT)
    began = time.monotonic()
    with (work / "test.log").open("w") as log:
        status = subprocess.run(
            ["make", "test"], cwd=repo, env=env, stdout=log, stderr=subprocess.STDOUT
        ).returncode
    return time.monotonic() - began, status


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", choices=["demo", "test"])
    ap.add_argument("--work", type=Path, help="keep the clones and logs here")
    args = ap.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="serialwatch-first-run-"))
    work.mkdir(parents=True, exist_ok=True)
    head = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    print(f"fresh clones of {head} in {work}; {os.cpu_count()} cores")
    status = 0
    if args.only in (None, "demo"):
        print(f"make demo: explorer answering after {demo(work):.0f} s (log {work / 'demo.log'})")
    if args.only in (None, "test"):
        seconds, status = test(work)
        print(f"make test: exit {status} after {seconds:.0f} s (log {work / 'test.log'})")
    if args.work is None and status == 0:
        shutil.rmtree(work, ignore_errors=True)
    sys.exit(status)


if __name__ == "__main__":
    main()
