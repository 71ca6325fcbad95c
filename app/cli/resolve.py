"""`serialwatch resolve`: link person records into identities, review the unsure pairs, and
explain any score.

    serialwatch resolve [--retrain] [--baseline]     score, cluster, write (train if asked)
    serialwatch resolve --engine spark [--spark-master URL]   the same, scored on Spark
    serialwatch resolve review                       list pending pairs, decide interactively
    serialwatch resolve review --decide RP-... same
    serialwatch resolve explain KEY1 KEY2            the score's waterfall, as text
"""

from __future__ import annotations

import logging
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from app.cli.access import Purpose, cli_access
from app.cli.common import console, reports_errors
from app.services import review as review_service
from graph.driver import get_driver, wait_until_ready
from ingest.resolve import review as rq
from ingest.resolve.pipeline import LINK_THRESHOLD, REVIEW_THRESHOLD, resolve
from ingest.resolve.spark import LOCAL_MASTER

resolve_app = typer.Typer(
    help="Identity resolution: one person behind many records (Splink model, review queue).",
    invoke_without_command=True,
)


@resolve_app.callback()
@reports_errors
def run(
    ctx: typer.Context,
    retrain: Annotated[bool, typer.Option(help="Train a new model even if one is saved.")] = False,
    link_threshold: Annotated[
        float, typer.Option(help="Match probability at or above which records link.")
    ] = LINK_THRESHOLD,
    review_threshold: Annotated[
        float, typer.Option(help="Match probability from which a pair goes to review.")
    ] = REVIEW_THRESHOLD,
    engine: Annotated[
        str, typer.Option(help="Where Splink scores the pairs: duckdb, or spark (pyspark extra).")
    ] = "duckdb",
    spark_master: Annotated[
        str, typer.Option(help="Spark master URL for --engine spark (local: local[2]).")
    ] = LOCAL_MASTER,
    baseline: Annotated[
        bool,
        typer.Option(
            help="First national resolve: write links and facts but raise no relink alerts "
            "(the summary counts the records whose alerts were withheld)."
        ),
    ] = False,
) -> None:
    """Resolve every person record in the graph (with the saved model, else the packaged one;
    --retrain trains and saves a new one first)."""
    if ctx.invoked_subcommand is not None:
        return
    logging.getLogger("splink").setLevel(logging.ERROR)  # training chatter, not user news
    driver = get_driver()
    wait_until_ready(driver)
    s = resolve(
        driver,
        retrain=retrain,
        link_threshold=link_threshold,
        review_threshold=review_threshold,
        baseline=baseline,
        engine=engine,
        spark_master=spark_master,
    )
    table = Table(box=None, show_header=False)
    for label, value in (
        ("records", f"{s.records:,}"),
        ("pairs scored", f"{s.pairs_scored:,}"),
        (f"pairs >= {review_threshold}", f"{s.pairs_above_review:,}"),
        (f"links (>= {link_threshold})", f"{s.links:,}"),
        ("review queue (pending)", f"{s.review_queue:,}"),
        ("ambiguous records (left alone, queued)", f"{s.ambiguous_records:,}"),
        (
            "decisions applied",
            f"{s.decisions_applied:,}" + (f" ({s.conflicts} conflicting)" if s.conflicts else ""),
        ),
        ("identities", f"{s.identities:,} ({s.multi_record_identities:,} with 2+ records)"),
        ("records relinked", f"{s.relinked:,}"),
        (
            "relink alerts",
            f"withheld for {s.alerts_withheld:,} moved records (baseline)"
            if baseline
            else f"{s.alerts_raised:,} raised",
        ),
        ("model version", s.model_version + (" (trained now)" if s.trained else "")),
        ("seconds", ", ".join(f"{k} {v}" for k, v in s.seconds.items())),
    ):
        table.add_row(label, escape(value))
    console.print(table)


@resolve_app.command("review")
@reports_errors
def review_cmd(
    decide: Annotated[
        tuple[str, str] | None,
        typer.Option(metavar="PAIR_ID DECISION", help="Decide one pair: same | not-same."),
    ] = None,
    limit: Annotated[int, typer.Option(min=1, help="How many pending pairs to list.")] = 20,
    interactive: Annotated[
        bool, typer.Option(help="Ask for a decision on each listed pair.")
    ] = True,
    purpose: Purpose = None,
) -> None:
    """List pending pairs (most likely first) and decide them, as the logged-in reviewer;
    decisions win on every re-run."""
    access = cli_access(purpose)
    if decide is not None:
        pid, decision = decide
        row = review_service.decide(access, pid, decision)
        console.print(
            f"{row['pair_id']}: {row['left']['person_key']} / {row['right']['person_key']} -> "
            f"{row['decision']} (applied by the next `serialwatch resolve`)",
            highlight=False,
        )
        return
    pairs = review_service.pending(access, limit)
    console.print(f"{rq.pending_count(get_driver()):,} pending pair(s); showing {len(pairs)}")
    for p in pairs:
        console.print(_pair_table(p))
        if not interactive:
            continue
        answer = typer.prompt("same / not-same / skip / quit", default="skip").strip().lower()
        if answer in ("q", "quit"):
            break
        if answer in ("same", "not-same", "not_same"):
            review_service.decide(access, p["pair_id"], answer)
            console.print(f"  recorded: {answer}")


def _pair_table(p: dict) -> Table:
    title = f"{p['pair_id']}  p = {p['probability']:.4f}"
    if p.get("reason") == "ambiguous":
        title += f"  ({p['ambiguous_record']} matches {len(p['alternatives']) + 1} people alike)"
    t = Table(title=escape(title), box=None)
    t.add_column("field")
    t.add_column("left")
    t.add_column("right")
    for f in ("person_key", "agency_code", "forename", "surname", "date_of_birth", "pnc_id"):
        t.add_row(f, escape(str(p["left"].get(f) or "")), escape(str(p["right"].get(f) or "")))
    columns = [("why", p.get("explanation") or [])] + [
        (f"vs {a['candidate']['person_key']}", a.get("explanation") or [])
        for a in p.get("alternatives") or []
    ]
    if len(columns) > 1:  # this pair's explanation, then the other candidates' beside it
        t.add_row(
            "",
            escape("[this pair]"),
            escape("  |  ".join(f"[{title}]" for title, _ in columns[1:])),
        )
    for i in range(max(len(lines) for _, lines in columns)):
        cells = [lines[i] if i < len(lines) else "" for _, lines in columns]
        t.add_row("" if i else "explanation", escape(cells[0]), escape("  |  ".join(cells[1:])))
    return t


@resolve_app.command("explain")
@reports_errors
def explain_cmd(
    key1: Annotated[str, typer.Argument(help="A person_key.")],
    key2: Annotated[str, typer.Argument(help="Another person_key.")],
    purpose: Purpose = None,
) -> None:
    """Each comparison's contribution to the match weight of two records (Splink waterfall)."""
    text = review_service.explain(cli_access(purpose), key1, key2)
    console.print(escape(text), highlight=False)
