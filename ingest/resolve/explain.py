"""`explain`: why the model scores two records as it does, as a text waterfall.

Starts from the prior (how likely two random records are the same person), then adds each
comparison's match weight (log2 Bayes factor) for the level the pair falls in, and ends at the
final match weight and probability: the same numbers `predict` uses, laid out for an analyst.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import duckdb
from neo4j import Driver
from splink.internals.waterfall_chart import records_to_waterfall_data

from graph.errors import SerialwatchError
from ingest.resolve import features, model


class UnknownRecord(SerialwatchError):
    """A key named for explanation is not a person record in the graph."""


@dataclass(frozen=True)
class Step:
    comparison: str  # "Prior", a comparison's name, or "Final score"
    level: str
    value_l: str
    value_r: str
    match_weight: float  # log2 Bayes factor this step adds (the total, for "Final score")
    m: float | None
    u: float | None


@dataclass(frozen=True)
class Explanation:
    key_l: str
    key_r: str
    model_version: str
    steps: list[Step]
    match_weight: float
    match_probability: float


def explain(driver: Driver, key_l: str, key_r: str, m: model.Model | None = None) -> Explanation:
    """Score records `key_l` and `key_r` with the current model and break the score down."""
    con = duckdb.connect()
    try:
        features.pull_keys(driver, con, [key_l, key_r])
        found = features.raw_frame(con, "unique_id")["unique_id"]
        missing = {key_l, key_r} - set(found)
        if missing:
            raise UnknownRecord(f"no person record {', '.join(sorted(missing))} in the graph")
        m = m or model.load_current() or model.load_default()
        m = model.for_population(m, features.record_count(driver))  # as `resolve` applies it
        features.build_table(con)
        for key, ids in features.pull_associates(driver, [key_l, key_r]).items():
            con.execute(
                f"UPDATE {features.TABLE} SET associates = ? WHERE unique_id = ?", [ids, key]
            )
        con.execute(
            f"CREATE TABLE rec_l AS SELECT * FROM {features.TABLE} WHERE unique_id = ?", [key_l]
        )
        con.execute(
            f"CREATE TABLE rec_r AS SELECT * FROM {features.TABLE} WHERE unique_id = ?", [key_r]
        )
        linker = model.linker(con, features.TABLE, m)
        names = con.sql(f"SELECT full_name FROM {features.TABLE}").fetchall()
        tf = features.name_frequencies(driver, [n for (n,) in names if n])
        linker.table_management.register_term_frequency_lookup(tf, "full_name")
        scored = linker.inference.compare_two_records("rec_l", "rec_r")
        record: dict[str, Any] = scored.as_record_dict()[0]
        data = records_to_waterfall_data([record], linker._settings_obj, hide_details=False)
    finally:
        con.close()
    steps = [
        Step(
            comparison=str(r["column_name"]),  # "tf_name": the term-frequency adjustment
            level=str(r["label_for_charts"]),
            value_l=str(r.get("value_l") or ""),
            value_r=str(r.get("value_r") or ""),
            match_weight=float(r["log2_bayes_factor"]),
            m=r.get("m_probability"),
            u=r.get("u_probability"),
        )
        for r in data
    ]
    return Explanation(
        key_l,
        key_r,
        m.version,
        steps,
        float(record["match_weight"]),
        float(record["match_probability"]),
    )


def as_text(e: Explanation) -> str:
    """The waterfall as a fixed-width table, one line per step, with a running total."""
    lines = [
        f"{e.key_l}  vs  {e.key_r}   (model {e.model_version})",
        f"{'comparison':<12} {'level':<48} {'weight':>7} {'total':>7}  values",
    ]
    total = 0.0
    for s in e.steps:
        if s.comparison == "Final score":
            continue
        total += s.match_weight
        values = f"{s.value_l} | {s.value_r}" if (s.value_l or s.value_r) else ""
        lines.append(
            f"{s.comparison:<12} {s.level[:48]:<48} {s.match_weight:>+7.2f} {total:>+7.2f}  "
            f"{values}"
        )
    lines.append(
        f"{'final':<12} {'match weight / probability':<48} {e.match_weight:>+7.2f} "
        f"{'':>7}  p = {e.match_probability:.6f}"
    )
    return "\n".join(lines)
