"""The Spark engine gives the DuckDB engine's answers: on the suite's delivery, `resolve
--engine spark` on `local[2]` keeps every identity DuckDB's run made (the same partition of
records: nothing relinked), with the same pairs above the review threshold, the same links, the
same review queue and no new alerts.

The delivery is loaded once and resolved by DuckDB; Spark then resolves the same graph with
the same packaged model (training is DuckDB's; the model is shared), the same features,
clustering and writer; only Splink's scoring runs on Spark. A DuckDB re-run of its own result
relinks nothing either, so any record Spark moved would be a difference of scoring (the
Jaro-Winkler UDF or translated SQL), and this test names it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from neo4j import Driver

from graph.driver import get_driver, read
from graph.settings import get_settings
from ingest.resolve import spark as spark_engine
from ingest.resolve.pipeline import resolve
from ingest.synth import synthesize
from ingest.transactional import load_delivery
from tests.conftest import wipe

PEOPLE, SEED = 1000, 11  # the API suite's delivery


def partition(driver: Driver) -> set[frozenset[str]]:
    rows = read(
        "MATCH (p:Person)-[:RESOLVES_TO]->(i:Identity) "
        "RETURN i.identity_id AS i, collect(p.person_key) AS keys",
        driver=driver,
    )
    return {frozenset(r["keys"]) for r in rows}


def queue(driver: Driver) -> set[tuple[str, str]]:
    rows = read(
        "MATCH (q:ReviewPair {status: 'pending'}) RETURN q.key_l AS l, q.key_r AS r",
        driver=driver,
    )
    return {(r["l"], r["r"]) for r in rows}


def alerts(driver: Driver) -> int:
    return int(read("MATCH (a:Alert) RETURN count(a) AS n", driver=driver)[0]["n"])


def test_spark_and_duckdb_give_the_same_identities(
    neo4j_server: Any, tmp_path_factory: pytest.TempPathFactory
) -> None:
    delivery = tmp_path_factory.mktemp("spark") / "d"
    synthesize(people=PEOPLE, seed=SEED, out=delivery)
    driver = get_driver()
    wipe(driver)
    load_delivery(delivery, driver, baseline=True)
    duck = resolve(driver, engine="duckdb")
    duck_parts, duck_queue, duck_alerts = partition(driver), queue(driver), alerts(driver)
    assert any(len(p) > 1 for p in duck_parts), "the delivery must hold linked records"
    spark = resolve(driver, engine="spark")
    assert spark.records == duck.records and spark.model_version == duck.model_version
    moved = partition(driver) ^ duck_parts
    assert spark.relinked == 0 and not moved, f"Spark placed these records otherwise: {moved}"
    assert (spark.pairs_above_review, spark.links) == (duck.pairs_above_review, duck.links)
    assert queue(driver) == duck_queue
    assert spark.alerts_raised == 0 and alerts(driver) == duck_alerts


def test_duckdb_sql_becomes_spark_sql() -> None:
    assert spark_engine.spark_sql("list_has_any(a_l, a_r)") == "ARRAYS_OVERLAP(a_l, a_r)"
    assert spark_engine.spark_sql("jaro_winkler_similarity(x_l, x_r) >= 0.92") == (
        "JARO_WINKLER(x_l, x_r) >= 0.92"
    )
    assert spark_engine.spark_sql("list_contains(a_l, b_r)") == "ARRAY_CONTAINS(a_l, b_r)"


def test_a_cluster_needs_a_folder_every_executor_reaches(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a cluster the executors read the feature table and the checkpoints from files: a
    master that is not local is refused, before anything runs, until SERIALWATCH_SPARK_DIR
    names a shared folder; locally a temporary folder does."""
    monkeypatch.delenv("SERIALWATCH_SPARK_DIR", raising=False)
    get_settings.cache_clear()
    try:
        assert spark_engine.shared_dir("local[2]") is None
        with pytest.raises(spark_engine.SparkUnavailable, match="needs SERIALWATCH_SPARK_DIR"):
            spark_engine.shared_dir("spark://spark-master:7077")
        shared = tmp_path / "spark"
        monkeypatch.setenv("SERIALWATCH_SPARK_DIR", str(shared))
        get_settings.cache_clear()
        assert spark_engine.shared_dir("spark://spark-master:7077") == shared
        assert shared.is_dir()
    finally:
        monkeypatch.delenv("SERIALWATCH_SPARK_DIR", raising=False)
        get_settings.cache_clear()
