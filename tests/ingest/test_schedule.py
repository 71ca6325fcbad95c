"""Which files may load side by side: after what they refer to, never beside a file locking
the same kind of node."""

from __future__ import annotations

import threading

import pytest

from ingest.files import BY_NAME, FILES, FileSpec
from ingest.schedule import can_start, side_by_side


def spec(name: str) -> FileSpec:
    return BY_NAME[name]


def rest(*names: str) -> list[FileSpec]:
    return [s for s in FILES if s.name not in names]


def test_addresses_load_beside_persons() -> None:
    done = ("agencies.csv", "addresses.csv", "persons.csv")
    assert can_start(spec("persons.csv"), rest(*done), [spec("addresses.csv")])


def test_a_file_waits_for_the_file_defining_what_it_refers_to() -> None:
    running = [spec("persons.csv")]
    assert not can_start(spec("orders.csv"), rest("agencies.csv", "persons.csv"), running)
    assert not can_start(spec("incidents.csv"), rest("agencies.csv"), [spec("addresses.csv")])


def test_files_linking_the_same_kind_of_node_never_run_together() -> None:
    done = [s.name for s in FILES if s.name not in ("incident_parties.csv", "residences.csv")]
    waiting = rest(*done)
    assert not can_start(spec("residences.csv"), waiting, [spec("incident_parties.csv")])
    # agencies are linked by every file, and do not count
    assert can_start(spec("breaches.csv"), waiting, [spec("relationships.csv")])


@pytest.mark.parametrize("lanes", [1, 2, 3])
def test_side_by_side_keeps_both_rules_and_loads_every_file_once(lanes: int) -> None:
    lock = threading.Lock()
    finished: set[str] = set()
    running: list[FileSpec] = []
    broken: list[str] = []
    overlapped = threading.Event()

    def load(s: FileSpec) -> str:
        with lock:
            needs = {kind for _, kind in s.refs}
            early = [o.name for o in FILES if o.kind in needs and o.name not in finished]
            clash = [o.name for o in running if {k for _, k in o.refs} & needs - {"agency"}]
            if early or clash:
                broken.append(f"{s.name} started before {early} or beside {clash}")
            running.append(s)
            if len(running) > 1:
                overlapped.set()
            if len(running) > lanes:
                broken.append(f"{len(running)} files at once")
        if s.name == "agencies.csv":
            overlapped.wait(timeout=5)  # give addresses the chance to start beside it
        with lock:
            running.remove(s)
            finished.add(s.name)
        return s.name

    assert side_by_side(FILES, load, lanes) == [s.name for s in FILES]
    assert broken == []
    assert overlapped.is_set() == (lanes > 1)
