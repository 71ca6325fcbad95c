"""Stream a delivery's CSV file row by row, turning every malformed row into a reject.

Nothing is held whole in memory. Bytes that are not UTF-8 are kept (surrogate escapes) so the
rejects file can hold the row exactly as it came.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ingest.files import FileSpec
from ingest.format import Row

_BAD_BYTE = re.compile("[\udc80-\udcff]")
_EXTRA_NAME = re.compile(r"[^a-z0-9_]+")


@dataclass(frozen=True, slots=True)
class Good:
    line: int
    raw: list[str]
    row: Row
    extra: dict[str, str]
    key: str  # the row's record key (`FileSpec.record_key`), computed once

    def props(self) -> dict[str, Any]:
        return {**self.row.props(), **self.extra}


@dataclass(frozen=True, slots=True)
class Bad:
    line: int
    raw: list[str]
    reason: str


def read_rows(path: Path, spec: FileSpec) -> Iterator[Good | Bad]:
    """Every data row of `path` as Good (validated) or Bad (with a readable reason)."""
    with open(path, encoding="utf-8", errors="surrogateescape", newline="") as fh:
        reader = csv.reader(fh, strict=True)
        try:
            header = next(reader)
        except StopIteration:
            yield Bad(1, [], "empty file: no header row")
            return
        except csv.Error as e:
            yield Bad(1, [], f"unreadable header: {e}")
            return
        header = [h.strip().lstrip("\ufeff") for h in header]
        missing = [c for c in spec.required if c not in header]
        known = set(spec.columns)
        # (position, name): the format's columns, then unknown ones kept as `x_` properties
        fields = [(i, h) for i, h in enumerate(header) if h in known]
        extras = [
            (i, "x_" + _EXTRA_NAME.sub("_", h.lower()))
            for i, h in enumerate(header)
            if h not in known
        ]
        start = reader.line_num + 1
        while True:
            try:
                raw = next(reader)
            except StopIteration:
                return
            except csv.Error as e:
                yield Bad(start, [], f"malformed CSV: {e}")
                start = reader.line_num + 1
                continue
            line, start = start, reader.line_num + 1
            if not raw or raw == [""]:
                continue  # a blank line is not a row
            if missing:
                yield Bad(line, raw, f"header lacks required column(s): {', '.join(missing)}")
            elif len(raw) != len(header):
                yield Bad(line, raw, f"expected {len(header)} fields, found {len(raw)}")
            else:
                yield _validate(line, raw, header, spec, fields, extras)


def _validate(
    line: int,
    raw: list[str],
    header: list[str],
    spec: FileSpec,
    fields: list[tuple[int, str]],
    extras: list[tuple[int, str]],
) -> Good | Bad:
    if _BAD_BYTE.search("".join(raw)):
        name = next(n for n, v in zip(header, raw, strict=True) if _BAD_BYTE.search(v))
        return Bad(line, raw, f"{name}: not valid UTF-8")
    values: dict[str, Any] = {name: raw[i].strip() or None for i, name in fields}
    extra = {name: v for i, name in extras if (v := raw[i].strip())}
    try:
        row = spec.model.model_validate(values)
    except ValidationError as e:
        return Bad(line, raw, readable(e))
    return Good(line, raw, row, extra, spec.record_key(row))


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
