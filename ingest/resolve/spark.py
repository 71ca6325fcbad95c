"""Scoring on Splink's Spark backend: the same model, features and comparisons as on DuckDB.

There is one definition of everything: the features are built by `features` (in DuckDB, from
the graph), the comparisons and blocking rules by `model` in DuckDB SQL. For Spark the feature
table goes over as Parquet and the trained settings are translated, level by level, with
sqlglot (DuckDB to Spark SQL) and three names mapped to what Spark has: `list_has_any` is
`arrays_overlap`, and `jaro_winkler_similarity` and `damerau_levenshtein` are the UDFs
Splink's similarity jar registers (`jaro_winkler`, `damerau_levenshtein`). Clustering, the
review queue and the graph writer then run on the pairs exactly as after DuckDB.

`pyspark` is an optional extra (`pip install -e '.[spark]'`, Java 17); locally Spark runs on
`local[2]`, against a cluster by its master URL. The feature table and Splink's checkpoints are
files the executors read: on a cluster they go to `SERIALWATCH_SPARK_DIR`, a folder the driver
and every executor reach; locally to a temporary folder.
"""

from __future__ import annotations

import copy
import logging
import tempfile
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import sqlglot
from sqlglot import exp

from graph.errors import SerialwatchError
from graph.settings import get_settings

log = logging.getLogger(__name__)

LOCAL_MASTER = "local[2]"
SHUFFLE_PARTITIONS = 2  # Spark's 200 default is for clusters; locally every task is overhead


class SparkUnavailable(SerialwatchError):
    exit_code = 2


def spark_sql(sql: str) -> str:
    """A DuckDB SQL condition or blocking rule as Spark SQL."""
    tree = sqlglot.parse_one(sql, read="duckdb")

    def rename(node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.ArrayOverlaps):
            return exp.Anonymous(this="arrays_overlap", expressions=[node.this, node.expression])
        if isinstance(node, exp.JarowinklerSimilarity):
            return exp.Anonymous(this="jaro_winkler", expressions=[node.this, node.expression])
        return node

    return tree.transform(rename).sql(dialect="spark")


def spark_settings(splink: dict[str, Any]) -> dict[str, Any]:
    """Trained Splink settings (DuckDB SQL) for the Spark backend: every level's condition and
    every blocking rule translated; parameters untouched, so the model and its version are the
    same."""
    out = copy.deepcopy(splink)
    out["sql_dialect"] = "spark"
    for comparison in out["comparisons"]:
        for level in comparison["comparison_levels"]:
            if level["sql_condition"].strip().upper() != "ELSE":
                level["sql_condition"] = spark_sql(level["sql_condition"])
    rules = []
    for rule in out["blocking_rules_to_generate_predictions"]:
        rule = dict(rule) if isinstance(rule, dict) else {"blocking_rule": rule}
        rule["blocking_rule"] = spark_sql(rule["blocking_rule"])
        rule["sql_dialect"] = "spark"
        rules.append(rule)
    out["blocking_rules_to_generate_predictions"] = rules
    return out


def shared_dir(master: str) -> Path | None:
    """Where files the executors read go: `SERIALWATCH_SPARK_DIR`, else (for a local master)
    the system's temporary folder; a cluster without it is refused, in words that say why."""
    folder = get_settings().spark_dir
    if folder is None and not master.startswith("local"):
        raise SparkUnavailable(
            f"Spark on {master} needs SERIALWATCH_SPARK_DIR: a folder the driver and every "
            "executor can read and write (an NFS mount, say), for the feature table and "
            "Splink's checkpoints"
        )
    if folder is not None:
        folder.mkdir(parents=True, exist_ok=True)
    return folder


def session(master: str = LOCAL_MASTER) -> Any:
    """A Spark session on `master` with Splink's similarity UDFs on its class path."""
    folder = shared_dir(master)
    try:
        from pyspark.sql import SparkSession
        from splink.internals.spark.jar_location import similarity_jar_location
    except ImportError as e:
        raise SparkUnavailable(
            "the Spark engine needs pyspark: pip install -e '.[spark]' (and Java 17)"
        ) from e
    try:
        spark = (
            SparkSession.builder.master(master)
            .appName("serialwatch-resolve")
            .config("spark.jars", similarity_jar_location())
            .config("spark.sql.shuffle.partitions", str(SHUFFLE_PARTITIONS))
            .config("spark.default.parallelism", str(SHUFFLE_PARTITIONS))
            .config("spark.ui.enabled", "false")
            .config("spark.driver.memory", "2g")
            .config("spark.sql.session.timeZone", "UTC")
            .getOrCreate()
        )
        # Splink cuts long query plans by checkpointing (e.g. between the two passes' tables)
        spark.sparkContext.setCheckpointDir(
            tempfile.mkdtemp(prefix="serialwatch-spark-ckpt-", dir=folder)
        )
        return spark
    except Exception as e:  # a JVM that will not start, a master that does not answer
        raise SparkUnavailable(f"Spark did not start on {master}: {e}") from e


def predict(
    spark: Any,
    con: duckdb.DuckDBPyConnection,
    table: str,
    splink: dict[str, Any],
    threshold: float,
    columns: str,
) -> pd.DataFrame:
    """Pairs at or above `threshold` scored by Splink on Spark from DuckDB table `table`, as the
    `columns` (a select list over Splink's predictions) give them."""
    from splink import Linker, SparkAPI

    master = str(spark.sparkContext.master)
    with tempfile.TemporaryDirectory(prefix="serialwatch-spark-", dir=shared_dir(master)) as tmp:
        path = Path(tmp) / f"{table}.parquet"
        con.execute(f"COPY {table} TO '{path}' (FORMAT parquet)")
        frame = spark.read.parquet(str(path))
        api = SparkAPI(spark_session=spark, break_lineage_method="parquet")
        linker = Linker(frame, spark_settings(splink), db_api=api, set_up_basic_logging=False)
        scored = linker.inference.predict(threshold_match_probability=threshold)
        pairs = spark.sql(f"SELECT {columns} FROM {scored.physical_name}").toPandas()
        linker.table_management.delete_tables_created_by_splink_from_db()
    return pairs
