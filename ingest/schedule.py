"""Load a delivery's files side by side where that is safe: never before the files defining
the keys they refer to, and never beside a file that writes relationships on the same kind of
existing node.

Two files that attach relationships to the same existing nodes (say persons, for residences
and incident parties) would hold each other's node locks until commit: measured, that made
`incident_parties.csv` several times slower. Agencies are the exception: every file links to
them, and Neo4j locks a dense node's relationship chains, not the node, when one is added.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from typing import TypeVar

from ingest.files import FileSpec

Result = TypeVar("Result")

# Linked by every file; dense, so adding relationships to one does not lock it whole.
_SHARED = frozenset({"agency"})


def needs(spec: FileSpec) -> frozenset[str]:
    """The kinds of key this file's rows refer to."""
    return frozenset(kind for _, kind in spec.refs)


def touches(spec: FileSpec) -> frozenset[str]:
    """The kinds of existing node this file adds relationships to (and so locks)."""
    return needs(spec) - _SHARED


def can_start(spec: FileSpec, waiting: Sequence[FileSpec], running: Sequence[FileSpec]) -> bool:
    """Whether `spec` may start now: no file still to finish defines a kind it refers to, and
    no running file touches the nodes it touches."""
    unfinished = [s for s in (*waiting, *running) if s is not spec]
    if any(s.kind in needs(spec) for s in unfinished):
        return False
    return not any(touches(s) & touches(spec) for s in running)


def side_by_side(
    specs: Sequence[FileSpec], load: Callable[[FileSpec], Result], lanes: int
) -> list[Result]:
    """`load` every file, at most `lanes` at a time, each as soon as `can_start` allows
    (earlier files first); results in the order of `specs`."""
    waiting = list(specs)
    running: dict[Future[Result], FileSpec] = {}
    done: dict[str, Result] = {}
    with ThreadPoolExecutor(max_workers=lanes, thread_name_prefix="ingest-file") as pool:
        while waiting or running:
            for spec in list(waiting):
                if len(running) < lanes and can_start(spec, waiting, list(running.values())):
                    waiting.remove(spec)
                    running[pool.submit(load, spec)] = spec
            finished, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in finished:
                done[running.pop(future).name] = future.result()
    return [done[spec.name] for spec in specs]
