"""The transactional loader: validate every row, load the good ones, keep the bad ones.

Files load in dependency order (agencies and addresses, persons, incidents, ...). A reference
must point to a key loaded earlier in this delivery or already in the graph (deliveries
compose); one that points nowhere rejects its row. Each batch is one transaction of MERGEs on
record keys, so a load killed midway and run again ends with the same graph as a clean load.
"""

from __future__ import annotations

import gc
import hashlib
import json
import tempfile
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import compress
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from ingest.digests import DigestSet, digests
from ingest.files import FILES, FileSpec
from ingest.reading import Bad, DeliveryUnreadable, Good, layout, read_header, read_rows
from ingest.rejects import RejectWriter

BATCH = 5000

KINDS = ("agency", "address", "person", "incident", "order")
_REL_ENDPOINTS = ("person_key", "other_key", "address_key", "type")


class RecordKeys:
    """The record keys of one file's good rows, in load order, kept in a temporary file: a
    national delivery holds millions, and alert rules need them only once the load is done."""

    def __init__(self) -> None:
        self._fh = tempfile.TemporaryFile("w+", encoding="utf-8")
        self._count = 0

    def extend(self, keys: Iterable[str]) -> None:
        batch = list(keys)
        self._fh.write(json.dumps(batch) + "\n")  # a key may hold any character but a bad byte
        self._count += len(batch)

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[str]:
        self._fh.flush()
        self._fh.seek(0)
        try:
            for line in self._fh:
                yield from json.loads(line)
        finally:
            self._fh.seek(0, 2)  # later batches append


@dataclass
class FileResult:
    name: str
    loaded: int = 0
    unchanged: int = 0
    keys: RecordKeys = field(default_factory=RecordKeys, repr=False)  # for alert rules
    rejected: int = 0
    rejects: list[dict[str, Any]] = field(default_factory=list, repr=False)  # the first ones
    seconds: float = 0.0

    @property
    def rows(self) -> int:
        return self.loaded + self.unchanged + self.rejected


@dataclass
class LoadSummary:
    files: list[FileResult] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    import_seconds: float = 0.0  # the bulk path's neo4j-admin import, when it ran
    imported_entities: int = 0  # nodes + relationships that import created
    alerts: list[str] = field(default_factory=list)  # ids of the alerts this load raised

    @property
    def rejected(self) -> int:
        return sum(f.rejected for f in self.files)

    def keys(self, name: str) -> list[str]:
        """The record keys of one file's good rows, loaded or unchanged (empty when absent).

        Alert rules look at all of them, not only at what changed: their alerts are keyed on
        evidence, so a reload raises nothing twice, and a load killed midway and run again
        raises what a clean load would have."""
        return next((list(f.keys) for f in self.files if f.name == name), [])

    @property
    def exit_code(self) -> int:
        """0 when everything loaded, 3 when some rows were rejected."""
        return 3 if self.rejected else 0


class Sink(Protocol):
    """Where validated rows go: the graph itself, or files for the bulk importer."""

    def lookup(self, kind: str, keys: set[str]) -> set[str]:
        """The keys of `kind` already stored (a delivery may refer to earlier ones)."""
        ...

    def write(self, spec: FileSpec, rows: list[Good]) -> int:
        """Store a batch of good rows; return how many of them created or changed something
        (the rest were stored already as given)."""
        ...


Progress = Callable[[str, int, int], None]  # (file, rows done, rows in file)


def delivery_files(delivery: Path) -> tuple[list[FileSpec], list[str]]:
    """The extract files present, in load order, and the names of any other files."""
    if not delivery.is_dir():
        raise DeliveryUnreadable(f"no delivery folder at {delivery}")
    present = [spec for spec in FILES if (delivery / spec.name).is_file()]
    known = {spec.name for spec in FILES} | {"truth.json", "rejects"}
    ignored = sorted(p.name for p in delivery.iterdir() if p.name not in known)
    if not present:
        names = ", ".join(spec.name for spec in FILES[:3])
        raise DeliveryUnreadable(f"{delivery} holds no extract files ({names}, ...)")
    return present, ignored


def row_params(spec: FileSpec, good: Good) -> dict[str, Any]:
    """The parameters one row contributes to its batch. A keyed row's `props` are all it
    stores, with `row_hash`, the hash that detects change (and a relationship's `row_key`), so
    one `SET n = row.props` writes them."""
    row = good.row
    if spec.key is None and not spec.has_row_key:
        return {col: getattr(row, col) for col, _ in spec.refs}
    refs = {col: getattr(row, col) for col, _ in spec.refs if col != "agency_code"}
    # The row as supplied decides everything stored, so its text is what we fingerprint.
    digest = hashlib.sha1("\x1f".join(good.raw).encode("utf-8", "surrogateescape")).hexdigest()
    if spec.key is not None:
        props = good.props()
    else:
        props = {k: v for k, v in good.props().items() if k not in _REL_ENDPOINTS}
        props["row_key"] = good.key
    props["row_hash"] = digest
    return {"key": good.key, "props": props, **refs}


class Loader:
    """Validates deliveries file by file and hands the good rows to a sink in batches."""

    def __init__(
        self,
        sink: Sink,
        batch_size: int = BATCH,
        progress: Progress | None = None,
        writers: int = 1,
    ):
        """`writers` > 1 only for a sink whose writes may run side by side (the graph's:
        rows of one file never share a key, so its batches are independent)."""
        self.sink = sink
        self.batch_size = batch_size
        self.progress = progress
        self.writers = writers
        # The keys loaded or found in the graph so far, by kind, as digests (ingest.digests).
        self.known: dict[str, DigestSet] = {kind: DigestSet() for kind in KINDS}

    def load(self, delivery: Path) -> LoadSummary:
        present, ignored = delivery_files(delivery)
        _check_headers(delivery, present)
        summary = LoadSummary(ignored=ignored)
        with _rare_collections():
            for spec in present:
                summary.files.append(self.load_file(delivery, spec))
        return summary

    def load_file(self, delivery: Path, spec: FileSpec) -> FileResult:
        began = time.monotonic()
        path = delivery / spec.name
        total = _count_lines(path)
        result = FileResult(spec.name)
        seen = DigestSet()  # each good row's identity, with its line
        batch: list[Good] = []
        writes = _Writes(self.sink, spec, self.writers)
        with writes, RejectWriter(delivery, spec.name, read_header(path) or []) as rejects:
            for item in read_rows(path, spec):
                if isinstance(item, Bad):
                    rejects.add(item.line, item.reason, item.raw, item.text)
                    continue
                batch.append(item)
                if len(batch) >= self.batch_size:
                    self._flush(spec, batch, seen, rejects, writes)
                    self._report(spec, writes.handed, rejects, total)
                    batch = []
            self._flush(spec, batch, seen, rejects, writes)
            result.loaded, result.unchanged = writes.finish()
            result.keys = writes.keys
            result.rejected = rejects.count
            result.rejects = rejects.sample
            self._report(spec, writes.handed, rejects, total)
        result.seconds = time.monotonic() - began
        return result

    def _report(self, spec: FileSpec, handed: int, rejects: RejectWriter, total: int) -> None:
        if self.progress is not None:
            self.progress(spec.name, handed + rejects.count, total)

    def _flush(
        self,
        spec: FileSpec,
        batch: list[Good],
        seen: DigestSet,
        rejects: RejectWriter,
        writes: _Writes,
    ) -> None:
        """Reject the batch's repeats of earlier rows and its rows with a dangling reference;
        hand the rest to the sink."""
        if not batch:
            return
        identities = digests(_row_identity(spec, g) for g in batch)
        lines = np.fromiter((g.line for g in batch), dtype=np.uint32, count=len(batch))
        first = seen.add(identities, lines)
        if not first.all():
            repeats = list(compress(batch, ~first))
            _, originals = seen.find(identities[~first])
            for g, original in zip(repeats, originals.tolist(), strict=True):
                what = f"{spec.key} {g.key!r}" if spec.key else "the same row"
                reason = f"duplicate of line {original}: {what} appears twice"
                rejects.add(g.line, reason, g.raw, g.text)
            batch, identities = list(compress(batch, first)), identities[first]
        keep = self._check_references(spec, batch, rejects)
        good = list(compress(batch, keep))
        if not good:
            return
        writes.submit(good)
        if spec.kind in self.known and spec.key is not None:
            self.known[spec.kind].add(identities[keep])  # a keyed row's identity is its key

    def _check_references(
        self, spec: FileSpec, batch: list[Good], rejects: RejectWriter
    ) -> list[bool]:
        """Which rows have every reference existing; reject the others with the reason."""
        missing: dict[str, set[str]] = {}
        for column, kind in spec.refs:
            wanted = list({v for g in batch if (v := getattr(g.row, column)) is not None})
            held, _ = self.known[kind].find(digests(wanted))
            unknown = set(compress(wanted, ~held))
            if unknown:
                found = self.sink.lookup(kind, unknown)
                self.known[kind].add(digests(found))
                missing[column] = unknown - found
        keep = []
        for g in batch:
            bad = [
                f"unknown {column} {value!r}: not in this delivery or the graph"
                for column, keys in missing.items()
                if (value := getattr(g.row, column)) in keys
            ]
            if bad:
                rejects.add(g.line, "; ".join(bad), g.raw, g.text)
            keep.append(not bad)
        return keep


class _Writes:
    """Hands batches to the sink on background threads, so validating the next batch overlaps
    writing this one; at most `writers` + 1 batches wait, and results are taken in order."""

    def __init__(self, sink: Sink, spec: FileSpec, writers: int = 1) -> None:
        self.sink, self.spec, self.writers = sink, spec, writers
        self.pool = ThreadPoolExecutor(max_workers=writers, thread_name_prefix="ingest-write")
        self.pending: deque[tuple[int, Future[int]]] = deque()
        self.keys = RecordKeys()
        self.handed = self.rows = self.changed = 0

    def submit(self, rows: list[Good]) -> None:
        while len(self.pending) > self.writers:
            self._collect()
        self.pending.append((len(rows), self.pool.submit(self.sink.write, self.spec, rows)))
        self.handed += len(rows)
        self.keys.extend(g.key for g in rows)

    def _collect(self) -> None:
        count, future = self.pending.popleft()
        self.changed += future.result()
        self.rows += count

    def finish(self) -> tuple[int, int]:
        """Wait for every write; return how many rows changed something, and how many not."""
        while self.pending:
            self._collect()
        return self.changed, self.rows - self.changed

    def __enter__(self) -> _Writes:
        return self

    def __exit__(self, *exc: object) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


def _row_identity(spec: FileSpec, good: Good) -> str:
    """What makes two rows the same record: its key, else its row key or every value (a person
    may be both suspect and witness in one incident, but not suspect twice)."""
    if spec.key is not None or spec.has_row_key:
        return good.key
    return "\x1f".join(str(v) for v in good.row.__dict__.values())


@contextmanager
def _rare_collections(first_generation: int = 50_000) -> Iterator[None]:
    """Rows make no reference cycles, yet each allocates objects the cyclic collector counts:
    at its default threshold it ran some 14,000 times over 1.5 million person rows, each full
    pass walking every key held so far (18.7 s of 85.7 s). Collect far less often while
    loading."""
    before = gc.get_threshold()
    gc.set_threshold(first_generation, *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)


def _count_lines(path: Path) -> int:
    with open(path, "rb") as fh:
        return max(sum(1 for _ in fh) - 1, 0)


def _check_headers(delivery: Path, present: list[FileSpec]) -> None:
    """Refuse the whole delivery, before anything loads, when a file's header cannot be read
    or would lose or spray data (ingest.reading.layout)."""
    for spec in present:
        header = read_header(delivery / spec.name)
        if header is not None:
            layout(header, spec)
