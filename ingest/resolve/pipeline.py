"""`resolve`: one run of identity resolution, as small named steps, each logged.

pull records -> train or load the model -> score pairs -> cluster (decisions win) -> write
changed links -> refresh the review queue. The whole run re-scores every record, so a new
delivery is resolved against everything already in the graph; only links that change are
written, and analysts' decisions are re-applied every time.
"""

from __future__ import annotations

import logging
import resource
import time
from dataclasses import dataclass, field
from typing import Any

import duckdb
import pandas as pd
from neo4j import Driver

from graph.facts import refresh_after_relink
from ingest.alerting import raise_relink_alerts, withhold_relink_alerts
from ingest.resolve import corroboration, features, model, review
from ingest.resolve import spark as spark_engine
from ingest.resolve.cluster import SAME, cluster
from ingest.resolve.graph_writer import changes, write_identities
from ingest.resolve.questions import band_questions
from ingest.resolve.rules import person_rules

log = logging.getLogger(__name__)

LINK_THRESHOLD = 0.8
REVIEW_THRESHOLD = 0.5
DUCKDB_MEMORY = "2GB"  # DuckDB spills to disk beyond this; keeps a national run inside 8 GB
ENGINES = ("duckdb", "spark")  # where Splink scores the pairs; everything else is shared


@dataclass
class ResolveSummary:
    records: int = 0
    pairs_scored: int = 0
    pairs_above_review: int = 0
    links: int = 0
    review_queue: int = 0
    identities: int = 0
    multi_record_identities: int = 0
    relinked: int = 0
    decisions_applied: int = 0
    conflicts: int = 0
    ambiguous_records: int = 0  # records left on their own for an analyst to place
    model_version: str = ""
    relinked_records: list[str] = field(default_factory=list)  # person keys whose identity changed
    trained: bool = False
    alerts_raised: int = 0  # relink alerts stored by this run
    alerts_withheld: int = 0  # baseline run: records that moved identity, alerts not evaluated
    seconds: dict[str, float] = field(default_factory=dict)
    peak_rss_mb: dict[str, float] = field(default_factory=dict)  # process peak after each step
    duckdb_peak_mb: float = 0.0


def resolve(
    driver: Driver,
    *,
    retrain: bool = False,
    link_threshold: float = LINK_THRESHOLD,
    review_threshold: float = REVIEW_THRESHOLD,
    count_pairs: bool = True,
    baseline: bool = False,
    engine: str = "duckdb",
    spark_master: str = spark_engine.LOCAL_MASTER,
) -> ResolveSummary:
    """Resolve every person record in the graph into identities; see the module docstring.
    `baseline` (a first national resolve): write links and refresh facts but raise no relink
    alerts; the summary says for how many moved records they were withheld. `engine`: where
    Splink scores the pairs, DuckDB or Spark (on `spark_master`), with the same features,
    model, clustering and writer."""
    if engine not in ENGINES:
        choices = ", ".join(ENGINES)
        raise spark_engine.SparkUnavailable(f"unknown engine {engine!r}: use one of {choices}")
    out = ResolveSummary()
    clock = _Clock(out)
    session = spark_engine.session(spark_master) if engine == "spark" else None
    con = duckdb.connect(config={"memory_limit": DUCKDB_MEMORY, "threads": 2})
    try:
        features.pull(driver, con)
        out.records = features.build_table(con)
        features.set_associates(con, _provisional(con))
        clock("pull")
        current = features.raw_frame(con, "unique_id, identity_id, method, model_version")
        keys = list(current["unique_id"])
        decided = review.decisions(driver)
        pulled = features.raw_frame(
            con,
            "pnc_raw, dob, gender_raw, forename_raw, surname_raw, middle_raw, agency_code, "
            "accused, victim",
        )
        rules = person_rules(pulled, features.cannot_link(con), same_pairs(keys, decided))
        roles = corroboration.Roles.of(pulled)
        del pulled
        con.execute(f"DROP TABLE {features.RAW}")
        # Training is its own step (`--retrain`); a run uses the model the last training
        # saved, else the packaged one, so resolving never waits on EM unasked.
        m = None if retrain else (model.load_current() or model.load_default())
        if m is None and out.records >= model.MIN_TRAIN_RECORDS:
            m = model.train(con, features.TABLE, out.records)
            model.save(m)
            out.trained = True
        elif m is None:
            m = model.load_default()
        out.model_version = m.version
        m = model.for_population(m, out.records)
        clock("train" if out.trained else "load model")
        # Pass 1 gives every record an identity; pass 2 re-scores with the associates those
        # identities reveal (records of one person sharing a victim, partner or order).
        pairs = _score(con, m, review_threshold, levels=True, spark=session)
        links, below = _split_at(pairs, link_threshold)
        first = cluster(keys, links, decided, rules, candidates=below, roles=roles)
        features.set_associates(con, first.assignments)
        del first
        clock("predict, cluster (pass 1)")
        pairs = _score(con, m, review_threshold, levels=True, spark=session)
        out.duckdb_peak_mb = _duckdb_mb(con)
        out.pairs_above_review = len(pairs)
        if count_pairs:
            out.pairs_scored = _pairs_scored(con)
        con.close()  # nothing after this needs DuckDB: its memory is free for the rest
        clock("predict")
        links, below = _split_at(pairs, link_threshold)
        out.links = len(links)
        result = cluster(keys, links, decided, rules, candidates=below, roles=roles)
        out.ambiguous_records = result.ambiguous["record"].nunique()
        out.decisions_applied, out.conflicts = len(decided), len(result.conflicts)
        for c in result.conflicts:
            log.warning("conflicting decisions keep %s and %s together", c.key_l, c.key_r)
        clock("cluster")
        changed = changes(result.assignments, current, m.version)
        sizes = result.assignments["identity_id"].value_counts()
        out.relinked = write_identities(driver, changed, sizes).relinked
        out.relinked_records = list(changed["unique_id"])
        clock("write identities")
        # What follows a relink starts here, from `out.relinked_records`: the per-identity
        # facts first, as after a load, so that the alerts' items are ranked, and the case
        # follow-up's RFGV ranking is scored, on the identities as they now are (the rules
        # themselves read the records, not the facts).
        refresh_after_relink(driver, out.relinked_records, changed["old_identity_id"].dropna())
        clock("facts refresh")
        if baseline:
            out.alerts_withheld = withhold_relink_alerts(changed, driver)
        else:
            out.alerts_raised = len(raise_relink_alerts(changed, driver))
        clock("relink alerts")
        asked = pd.concat([below, result.unconfirmed]) if len(result.unconfirmed) else below
        band = band_questions(
            asked, result.assignments, rules, decided, result.ambiguous["record"].unique()
        )
        band = _undecided(review.with_ambiguous(band, result.ambiguous, pairs), decided)
        out.review_queue = review.sync_queue(driver, review.explained(band, m), m.version)
        out.identities, out.multi_record_identities = len(sizes), int((sizes > 1).sum())
        clock("review queue")
    finally:
        con.close()
        if session is not None:
            session.stop()
    return out


def _provisional(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Identities before pass 1: the graph's multi-record identity if the record has one, else
    one per exact canonical name and DOB (a deterministic rule), else the record alone."""
    return con.sql(
        f"""
        SELECT unique_id, CASE
          WHEN identity_id IS NOT NULL AND count(*) OVER (PARTITION BY identity_id) > 1
            THEN identity_id
          WHEN dob IS NOT NULL AND forename_canon IS NOT NULL AND surname IS NOT NULL
            THEN concat_ws('|', 'X', forename_canon, surname, dob)
          ELSE 'ID:' || unique_id END AS identity_id
        FROM {features.TABLE}
        """
    ).df()


def _score(
    con: duckdb.DuckDBPyConnection,
    m: model.Model,
    threshold: float,
    levels: bool = False,
    spark: Any = None,
) -> pd.DataFrame:
    """Pairs at or above `threshold` (a fresh linker, so it reads the table as it is now), with
    each comparison's match weight (`w_<name>`, and `w_tf_name` for the name's frequency) if
    `levels`, for the review queue's explanations and the corroboration rule
    (`corroboration.mark`); scored in DuckDB, or on `spark` (a session). The tables Splink made
    for them are dropped once they are read."""
    if levels:
        m = model.Model(
            m.version, m.splink | {"retain_intermediate_calculation_columns": True}, m.trained
        )
    names = [c["output_column_name"] for c in m.splink["comparisons"]] if levels else []
    weights = "".join(f", CAST(log2(bf_{c}) AS FLOAT) AS w_{c}" for c in names)
    if levels:
        weights += ", CAST(log2(bf_tf_adj_name) AS FLOAT) AS w_tf_name"
    columns = f"unique_id_l, unique_id_r, match_probability, match_weight{weights}"
    if spark is not None:
        pairs = spark_engine.predict(spark, con, features.TABLE, m.splink, threshold, columns)
    else:
        linker = model.linker(con, features.TABLE, m)
        scored = linker.inference.predict(threshold_match_probability=threshold)
        pairs = con.sql(f"SELECT {columns} FROM {scored.physical_name}").df()
        linker.table_management.delete_tables_created_by_splink_from_db()
    if levels:
        pairs = corroboration.mark(pairs, m)
    return pairs


def _split_at(pairs: pd.DataFrame, threshold: float) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Links (at or above the link threshold) and the pairs below it."""
    above = pairs["match_probability"].to_numpy() >= threshold
    return pairs[above], pairs[~above]


def same_pairs(keys: list[str], decided: list[review.Decision]) -> list[tuple[int, int]]:
    """The `same` decisions as pairs of record indexes (of `keys`)."""
    index = {k: i for i, k in enumerate(keys)}
    return [
        (index[d.key_l], index[d.key_r])
        for d in decided
        if d.decision == SAME and d.key_l in index and d.key_r in index
    ]


def _undecided(band: pd.DataFrame, decided: list[review.Decision]) -> pd.DataFrame:
    done = {tuple(sorted((d.key_l, d.key_r))) for d in decided}
    if not done:
        return band
    keep = [
        tuple(sorted((a, b))) not in done
        for a, b in zip(band["unique_id_l"], band["unique_id_r"], strict=True)
    ]
    return band[pd.Series(keep, index=band.index, dtype=bool)]  # a list [] would pick columns


def _pairs_scored(con: duckdb.DuckDBPyConnection) -> int:
    """Distinct record pairs the blocking rules generate (what predict scored)."""
    from splink import DuckDBAPI
    from splink.blocking_analysis import (
        cumulative_comparisons_to_be_scored_from_blocking_rules_data,
    )

    counts = cumulative_comparisons_to_be_scored_from_blocking_rules_data(
        table_or_tables=features.TABLE,
        blocking_rules=model.prediction_blocking_rules(),
        link_type="dedupe_only",
        db_api=DuckDBAPI(connection=con),
    )
    return int(counts["row_count"].sum())


def _duckdb_mb(con: duckdb.DuckDBPyConnection) -> float:
    row = con.execute("SELECT sum(memory_usage_bytes) FROM duckdb_memory()").fetchall()
    return round(float(row[0][0] or 0) / 2**20, 1)


class _Clock:
    def __init__(self, out: ResolveSummary) -> None:
        self.out, self.t = out, time.monotonic()

    def __call__(self, step: str) -> None:
        now = time.monotonic()
        self.out.seconds[step] = round(now - self.t, 2)
        self.out.peak_rss_mb[step] = round(
            resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        )
        log.info("%s: %.1f s", step, now - self.t)
        self.t = now
