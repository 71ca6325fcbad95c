"""Stream a delivery's CSV file row by row, turning every malformed row into a reject.

Nothing is held whole in memory, and nothing is lost: every record ends as a Good row or a
Bad one that carries its first line number, its reason and its text exactly as it came. The
file's physical lines are numbered here, not by the csv module, so that a malformed record
(an unclosed quote, a field over the csv module's size limit) costs only its own first line:
reading resumes at the next line, and rows a stray quote would have swallowed still load.
Bytes that are not UTF-8 are kept (surrogate escapes) so the rejects hold them as they were.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from pydantic import ValidationError

from graph.errors import SerialwatchError
from ingest.files import FileSpec
from ingest.format import FREE_TEXT, Row

MAX_EXTRA_COLUMNS = 20  # unknown columns a file may carry (each becomes a property key)
_EXTRA_OK = re.compile(r"[A-Za-z][A-Za-z0-9 _.-]{0,39}")  # what an unknown column may be named
_BAD_BYTE = re.compile("[\udc80-\udcff]")
_EXTRA_NAME = re.compile(r"[^a-z0-9_]+")


class DeliveryUnreadable(SerialwatchError):
    """The delivery as a whole cannot be read (no folder, no extract files, a bad header)."""

    exit_code = 2


@dataclass(frozen=True, slots=True)
class Good:
    line: int
    raw: list[str]
    row: Row
    extra: dict[str, str]
    key: str  # the row's record key (`FileSpec.record_key`), computed once
    lines: list[str]  # the physical lines of the record, as read

    def props(self) -> dict[str, Any]:
        return {**self.row.props(), **self.extra}

    @property
    def text(self) -> str:
        """The record as it came, line breaks inside quoted fields included (for a reject)."""
        return _without_eol("".join(self.lines))


@dataclass(frozen=True, slots=True)
class Bad:
    line: int
    raw: list[str]  # the fields, when the record could be split into fields
    reason: str
    text: str  # the record (or, for a malformed one, its first line) as it came


@dataclass(frozen=True)
class Layout:
    """Where each column of a file's header goes."""

    header: list[str]
    fields: list[tuple[int, str]]  # (position, name) of the format's columns
    extras: list[tuple[int, str]]  # (position, property) of unknown ones, kept as `x_` props
    missing: list[str]  # required columns the header lacks
    free: frozenset[int]  # positions whose values may span lines (ingest.format.FREE_TEXT)


class _Lines:
    """A file's physical lines, numbered, with push-back of the lines a malformed record took."""

    def __init__(self, fh: IO[str]) -> None:
        self._fh = fh
        self._back: list[str] = []  # pushed-back lines, the next one last
        self.number = 0  # the number of the last line of the last record
        self.taken: list[str] = []  # the lines of the record being read

    def feed(self) -> Iterator[str]:
        """The lines, for the csv reader; each is noted in `taken`."""
        back, lines = self._back, iter(self._fh)
        while True:
            line = back.pop() if back else next(lines, None)
            if line is None:
                return
            self.taken.append(line)
            yield line

    def begin(self) -> int:
        """Start a record; return the number of its first line."""
        self.number += len(self.taken)
        self.taken = []
        return self.number + 1

    def resume_after_first(self) -> str:
        """Give back every line of the record but its first, which is returned."""
        first, rest = self.taken[0], self.taken[1:]
        self._back.extend(reversed(rest))
        self.taken = [first]
        return first


@dataclass(slots=True)  # not frozen: one is made per record, and frozen ones cost more
class _Record:
    line: int
    lines: list[str]
    fields: list[str] | None  # None: malformed
    error: str = ""

    @property
    def text(self) -> str:
        return _without_eol("".join(self.lines))


class _Records:
    """The records of a file, each with the lines it spans."""

    def __init__(self, fh: IO[str]) -> None:
        self._lines = _Lines(fh)
        self._reader = csv.reader(self._lines.feed(), strict=True)

    def next(self, width: int | None = None, free: frozenset[int] = frozenset()) -> _Record | None:
        """The next record. A malformed one is cut back to its first line, and so is one that
        spans lines (a quote opened on its first) but leaves other than `width` fields or a
        line break outside the free-text positions `free`: the quote was a stray one."""
        line = self._lines.begin()
        try:
            fields = next(self._reader)
        except StopIteration:
            return None
        except csv.Error as e:
            return self._cut(line, _csv_reason(e))
        taken = self._lines.taken
        if width is not None and len(taken) > 1:
            reason = _stray_quote(fields, len(taken), width, free)
            if reason:
                return self._cut(line, reason)
        return _Record(line, taken, fields)

    def _cut(self, line: int, reason: str) -> _Record:
        """The record's first line as a malformed record; reading resumes at the next line,
        with a fresh reader (the last may have seen the end of the file)."""
        first = self._lines.resume_after_first()
        self._reader = csv.reader(self._lines.feed(), strict=True)
        return _Record(line, [first], None, reason)


def _stray_quote(fields: list[str], lines: int, width: int, free: frozenset[int]) -> str:
    """Why a record spanning `lines` lines cannot be one ("" when it can)."""
    opened = f"malformed CSV: a quote opened on this line runs over {lines} lines and"
    if len(fields) != width:
        return f"{opened} leaves {len(fields)} fields, not {width}"
    if any(("\n" in v or "\r" in v) for i, v in enumerate(fields) if i not in free):
        return f"{opened} puts a line break in a column that is not free text"
    return ""


def _csv_reason(error: csv.Error) -> str:
    text = str(error)
    if "unexpected end of data" in text:
        return "malformed CSV: a quote opened on this line is never closed"
    if "field limit" in text:
        return f"malformed CSV: a field is longer than {csv.field_size_limit():,} characters"
    return f"malformed CSV: {text}"


def _without_eol(text: str) -> str:
    if text.endswith("\r\n"):
        return text[:-2]
    return text[:-1] if text.endswith(("\n", "\r")) else text


def _open(path: Path) -> IO[str]:
    return open(path, encoding="utf-8", errors="surrogateescape", newline="")


def read_header(path: Path) -> list[str] | None:
    """The file's header (None when the file is empty); DeliveryUnreadable if malformed."""
    with _open(path) as fh:
        record = _Records(fh).next()
    return None if record is None else _header(record, path.name)


def _header(record: _Record, name: str) -> list[str]:
    if record.fields is None:
        raise DeliveryUnreadable(f"{name}: the header cannot be read ({record.error})")
    return [h.strip().lstrip("\ufeff") for h in record.fields]


def layout(header: list[str], spec: FileSpec) -> Layout:
    """Where each column goes; DeliveryUnreadable for a header that would lose or spray data:
    a repeated column, too many unknown columns, or an unknown column with an unsafe name."""
    refuse = f"{spec.name}: the header"
    repeated = sorted(h for h, n in Counter(header).items() if n > 1)
    if repeated:
        raise DeliveryUnreadable(f"{refuse} repeats column(s) {_names(repeated)}")
    known = set(spec.columns)
    unknown = [(i, h) for i, h in enumerate(header) if h not in known]
    if len(unknown) > MAX_EXTRA_COLUMNS:
        raise DeliveryUnreadable(
            f"{refuse} has {len(unknown):,} columns the format does not define "
            f"(at most {MAX_EXTRA_COLUMNS} are kept): {_names([h for _, h in unknown])}"
        )
    unsafe = [h for _, h in unknown if not _EXTRA_OK.fullmatch(h)]
    if unsafe:
        raise DeliveryUnreadable(
            f"{refuse} has unknown column name(s) {_names(unsafe)}: an unknown column's name "
            "must start with a letter and hold at most 40 letters, digits, spaces, _ . or -"
        )
    extras = [(i, "x_" + _EXTRA_NAME.sub("_", h.lower())) for i, h in unknown]
    uses = Counter(p for _, p in extras)
    clashing = [h for (_, h), (_, p) in zip(unknown, extras, strict=True) if uses[p] > 1]
    if clashing:
        raise DeliveryUnreadable(
            f"{refuse} has unknown columns that would be stored as one property: {_names(clashing)}"
        )
    return Layout(
        header,
        [(i, h) for i, h in enumerate(header) if h in known],
        extras,
        [c for c in spec.required if c not in header],
        frozenset(i for i, h in enumerate(header) if h in FREE_TEXT or h not in known),
    )


def _names(names: list[str], shown: int = 5) -> str:
    listed = ", ".join(repr(n[:40]) for n in names[:shown])
    return listed + (f" and {len(names) - shown:,} more" if len(names) > shown else "")


def read_rows(path: Path, spec: FileSpec) -> Iterator[Good | Bad]:
    """Every record of `path` after its header as Good (validated) or Bad (with a reason)."""
    with _open(path) as fh:
        records = _Records(fh)
        head = records.next()
        if head is None:
            yield Bad(1, [], "empty file: no header row", "")
            return
        cols = layout(_header(head, spec.name), spec)
        width = len(cols.header)
        while (record := records.next(width, cols.free)) is not None:
            raw = record.fields
            if raw is None:
                yield Bad(record.line, [], record.error, record.text)
            elif not raw:
                continue  # a blank line is not a row
            elif cols.missing:
                reason = f"header lacks required column(s): {', '.join(cols.missing)}"
                yield Bad(record.line, raw, reason, record.text)
            elif len(raw) != width:
                reason = f"expected {width} fields, found {len(raw)}"
                yield Bad(record.line, raw, reason, record.text)
            else:
                yield _validate(record, raw, spec, cols)


def _validate(record: _Record, raw: list[str], spec: FileSpec, cols: Layout) -> Good | Bad:
    if _BAD_BYTE.search("".join(raw)):
        name = next(n for n, v in zip(cols.header, raw, strict=True) if _BAD_BYTE.search(v))
        return Bad(record.line, raw, f"{name}: not valid UTF-8", record.text)
    values: dict[str, Any] = {name: raw[i].strip() or None for i, name in cols.fields}
    extra = {name: v for i, name in cols.extras if (v := raw[i].strip())}
    try:
        row = spec.model.model_validate(values)
    except ValidationError as e:
        return Bad(record.line, raw, readable(e), record.text)
    return Good(record.line, raw, row, extra, spec.record_key(row), record.lines)


def readable(error: ValidationError) -> str:
    """One short sentence per problem, naming the column and the bad value."""
    parts = []
    for err in error.errors():
        column = ".".join(str(x) for x in err["loc"][:1]) or "row"
        value = err.get("input")
        kind = err["type"]
        if kind == "missing" or value is None:
            parts.append(f"missing required value: {column}")
        elif kind == "literal_error":
            expected = err.get("ctx", {}).get("expected", "")
            parts.append(f"unknown {column} {value!r} (expected {expected})")
        elif kind.startswith("date"):
            parts.append(f"bad date in {column}: {value!r} (expected YYYY-MM-DD)")
        else:
            parts.append(f"{column}: {err['msg'].lower()} ({value!r})")
    return "; ".join(parts)
