"""`serialwatch synth` and `serialwatch ingest`: make a synthetic delivery, load a delivery."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from app.cli.common import console, user_errors
from graph.driver import get_driver, wait_until_ready
from ingest.load import BATCH, LoadSummary
from ingest.transactional import load_delivery


def synth(
    out: Path = typer.Option(..., "--out", help="Folder to write the delivery into."),
    people: int = typer.Option(10_000, "--people", min=10, help="How many humans to invent."),
    seed: int = typer.Option(1, "--seed", help="Same seed, same files."),
    adversarial: bool = typer.Option(
        False,
        "--adversarial",
        help="Plant hard cases for identity resolution (couples sharing a surname and home, "
        "namesakes, brothers, twins, married names) among the stories.",
    ),
) -> None:
    """Write a synthetic delivery in the extract format, with truth.json."""
    from ingest.synth import synthesize

    with user_errors():
        summary = synthesize(people=people, seed=seed, out=out, adversarial=adversarial)
    console.print(f"wrote a delivery of {people:,} people to {out}")
    console.print(summary)


def ingest(
    delivery: Path = typer.Argument(..., help="The delivery folder (one CSV per record type)."),
    bulk: bool = typer.Option(False, "--bulk", help="First national load into an empty database."),
    batch_size: int = typer.Option(BATCH, "--batch-size", min=1, max=100_000),
    baseline: bool | None = typer.Option(
        None,
        "--baseline/--follow-up",
        help="A force's first delivery: what it shows about events more than 28 days before "
        "its newest is history, not news (default: baseline when the graph is empty).",
    ),
) -> None:
    """Validate and load a delivery; rejected rows go to DIR/rejects/ with their reasons.

    Exit code 0: all loaded; 3: some rows rejected; 2: the delivery could not be read.
    """
    with user_errors():
        if bulk:
            from ingest.bulk import bulk_load

            summary = bulk_load(delivery)
        else:
            summary = _load(delivery, batch_size, baseline)
    _print_summary(summary, delivery)
    raise typer.Exit(summary.exit_code)


def _load(delivery: Path, batch_size: int, baseline: bool | None) -> LoadSummary:
    driver = get_driver()
    wait_until_ready(driver, timeout_s=10)
    columns = (
        TextColumn("{task.description:<22}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console, transient=False) as bar:
        tasks: dict[str, TaskID] = {}

        def progress(name: str, done: int, total: int) -> None:
            if name not in tasks:
                tasks[name] = bar.add_task(name, total=total)
            bar.update(tasks[name], completed=done, total=max(total, done))

        return load_delivery(delivery, driver, batch_size, progress, baseline)


def _print_summary(summary: LoadSummary, delivery: Path) -> None:
    table = Table("file", "loaded", "unchanged", "rejected", "rows/s", title="ingest summary")
    for f in summary.files:
        rate = f"{f.rows / f.seconds:,.0f}" if f.seconds > 0 else "-"
        table.add_row(f.name, f"{f.loaded:,}", f"{f.unchanged:,}", f"{f.rejected:,}", rate)
    console.print(table)
    if summary.ignored:
        console.print(f"ignored (not extract files): {', '.join(summary.ignored)}")
    if summary.alerts:
        console.print(
            f"{len(summary.alerts):,} new alert(s), gathered in the inbox: `serialwatch alerts "
            "list`"
        )
    if summary.rejected:
        where = delivery / "rejects"
        console.print(f"{summary.rejected:,} rejected rows, with reasons, in {where}")
