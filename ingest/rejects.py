"""Rejected rows are kept, never lost: `DIR/rejects/<file>.csv` with line, reason and the row."""

from __future__ import annotations

import csv
from pathlib import Path
from types import TracebackType
from typing import IO, Any


class RejectWriter:
    """Writes one file's rejects; the file is created only when there is a first reject."""

    def __init__(self, delivery: Path, name: str, columns: list[str]) -> None:
        self.path = delivery / "rejects" / name
        self.columns = columns
        self.count = 0
        self._fh: IO[str] | None = None
        self._writer: Any = None
        self.path.unlink(missing_ok=True)  # a re-run rewrites the rejects from scratch

    def add(self, line: int, reason: str, raw: list[str]) -> None:
        if self._fh is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._fh = open(self.path, "w", encoding="utf-8", errors="surrogateescape", newline="")
            self._writer = csv.writer(self._fh)
            self._writer.writerow(["line", "reason", *self.columns])
        self._writer.writerow([line, reason, *raw])
        self.count += 1

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()

    def __enter__(self) -> RejectWriter:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
