"""Small hand-written deliveries for loader tests."""

from __future__ import annotations

import csv
from pathlib import Path

from ingest.files import BY_NAME


def write_delivery(folder: Path, files: dict[str, list[dict[str, str]]]) -> Path:
    """Write each file with the format's full header; rows give only the columns they set."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in files.items():
        columns = BY_NAME[name].columns
        extra = [c for r in rows for c in r if c not in columns]
        header = columns + sorted(set(extra), key=extra.index)
        with open(folder / name, "w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=header)
            writer.writeheader()
            writer.writerows(rows)
    return folder


def rejects(folder: Path, name: str) -> list[dict[str, str]]:
    path = folder / "rejects" / name
    if not path.exists():
        return []
    limit = csv.field_size_limit(1 << 30)  # a rejected field may be over the usual limit
    try:
        with open(path, encoding="utf-8", errors="surrogateescape", newline="") as fh:
            return list(csv.DictReader(fh))
    finally:
        csv.field_size_limit(limit)


def csv_rows(path: Path) -> int:
    with open(path, encoding="utf-8", newline="") as fh:
        return sum(1 for _ in csv.reader(fh)) - 1
