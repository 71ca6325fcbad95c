"""Rejected rows are kept, never lost: `DIR/rejects/<file>.csv` with the line, the reason, the
record's text as it came (`raw`, also for a record too malformed to split) and its fields."""

from __future__ import annotations

import csv
import os
from pathlib import Path
from types import TracebackType
from typing import IO, Any

SAMPLE_ROWS = 100  # the first rejects of a file kept in memory, for the upload's answer
SAMPLE_CHARS = 1000  # of each of their values


class RejectWriter:
    """Writes one file's rejects; the file is created only when there is a first reject."""

    def __init__(self, delivery: Path, name: str, columns: list[str]) -> None:
        self.path = delivery / "rejects" / name
        self.columns = columns
        self.count = 0
        self.sample: list[dict[str, Any]] = []  # the first rejects, values cut short
        self._fh: IO[str] | None = None
        self._writer: Any = None
        self.path.unlink(missing_ok=True)  # a re-run rewrites the rejects from scratch

    def add(self, line: int, reason: str, raw: list[str], text: str) -> None:
        if self._fh is None:
            # Rejects hold personal data: readable by their owner only.
            self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            self.path.parent.chmod(0o700)
            fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            self._fh = open(fd, "w", encoding="utf-8", errors="surrogateescape", newline="")
            self._writer = csv.writer(self._fh)
            self._writer.writerow(["line", "reason", "raw", *self.columns])
        self._writer.writerow([line, reason, text, *raw])
        self.count += 1
        if len(self.sample) < SAMPLE_ROWS:
            row = dict(zip(self.columns, raw, strict=False))
            self.sample.append(
                {
                    "line": line,
                    "reason": reason,
                    "raw": _short(text),
                    "row": {k: _short(v) for k, v in row.items()},
                }
            )

    def close(self) -> None:
        """Close the file (the sample stays)."""
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


def _short(text: str) -> str:
    text = text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return text if len(text) <= SAMPLE_CHARS else text[:SAMPLE_CHARS] + "…"
