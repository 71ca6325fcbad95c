"""The model artefact: the packaged default loads, and `settle` turns gaps in training into
safe parameters instead of Splink's defaults."""

from __future__ import annotations

import hashlib
import json
import math

from ingest.resolve import model


def _weights(trained: dict) -> dict[str, list[float]]:
    return {
        c["output_column_name"]: [
            math.log2(lv["m_probability"] / lv["u_probability"])
            for lv in c["comparison_levels"]
            if not lv.get("is_null_level")
        ]
        for c in trained["comparisons"]
    }


def test_packaged_default_model_was_trained_on_the_comparisons_in_the_code() -> None:
    """The model carries its own SQL: a comparison changed in the code takes effect only once
    the default is retrained."""
    saved = {
        c["output_column_name"]: [lv["sql_condition"] for lv in c["comparison_levels"]]
        for c in model.load_default().splink["comparisons"]
    }
    code = {
        c["output_column_name"]: [lv["sql_condition"] for lv in c["comparison_levels"]]
        for c in (x.get_comparison("duckdb").as_dict() for x in model.comparisons())  # type: ignore[union-attr]
    }
    assert saved == code


def test_packaged_default_model_covers_every_comparison() -> None:
    m = model.load_default()
    w = _weights(m.splink)
    assert set(w) == {
        "name",
        "middle_name",
        "dob",
        "address",
        "pnc_id",
        "aliases",
        "gender",
        "region",
        "associates",
    }
    assert all(x >= model.MIN_WEIGHT - 1e-9 for levels in w.values() for x in levels)
    assert w["pnc_id"][0] > 5 and w["dob"][0] > 5  # agreement is evidence for a link
    assert w["associates"][0] <= -5  # the other's victim or partner is someone else
    assert w["associates"][1] > 5  # a shared victim, partner or order is strong evidence
    name = next(c for c in m.splink["comparisons"] if c["output_column_name"] == "name")
    first = name["comparison_levels"][0]  # common names weigh less than rare ones
    assert first["tf_adjustment_column"] == "full_name"
    assert first["sql_condition"] == "full_name_l = full_name_r"  # tf scales by this level's u


def test_settle_fills_levels_the_training_never_met() -> None:
    trained = {
        "comparisons": [
            {
                "output_column_name": "pnc_id",
                "comparison_levels": [
                    {"is_null_level": True},
                    {"m_probability": 0.95},  # same PNC: never in the random sample
                    {"m_probability": 0.05, "u_probability": 0.9999},
                ],
            },
            {
                "output_column_name": "dob",
                "comparison_levels": [
                    {"m_probability": 0.9, "u_probability": 0.001},
                    {"u_probability": 0.999},  # EM never saw it
                ],
            },
        ]
    }
    w = _weights(model.settle(trained))
    assert w["pnc_id"][0] > 15
    assert w["pnc_id"][1] == model.MIN_WEIGHT or w["pnc_id"][1] > model.MIN_WEIGHT
    assert abs(w["dob"][1] - model.MIN_WEIGHT) < 1e-9


def test_the_prior_falls_as_one_over_the_records() -> None:
    """Trained on one delivery and applied to one ten times bigger, a random pair is ten times
    less likely to match; applied to the same records, nothing changes."""
    m = model.load_default()
    trained = int(m.trained["records"])
    prior = m.splink["probability_two_random_records_match"]
    assert model.for_population(m, trained) is m
    bigger = model.for_population(m, trained * 10)
    assert math.isclose(bigger.splink["probability_two_random_records_match"], prior / 10)
    assert m.splink["probability_two_random_records_match"] == prior  # the original is kept
    assert bigger.version == m.version


def test_the_default_model_version_names_its_parameters() -> None:
    """The version's hash is of the canonical parameters, so a retrain on the same data and
    seed that gives the same version has reproduced the model."""
    m = model.load_default()
    assert m.splink == model.canonical(m.splink)
    digest = hashlib.sha256(json.dumps(m.splink, sort_keys=True).encode()).hexdigest()[:8]
    assert m.version.endswith(f"-{digest}")
    noisy = m.splink | {"linker_uid": "abc123", "probability_two_random_records_match": 1e-5}
    noisy["probability_two_random_records_match"] += 1e-19  # below 10 significant digits
    assert model.canonical(noisy) == m.splink | {"probability_two_random_records_match": 1e-5}
