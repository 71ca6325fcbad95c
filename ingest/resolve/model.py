"""The Splink model: blocking rules, comparisons, seeded training, and the versioned artefact.

Comparisons are custom SQL levels over the columns `features.build_table` derives, so nickname
families, hyphenated surnames, transposed names and the common DOB keying errors each get a level
(and a weight) of their own. Training is reproducible: u from a seeded random sample, m by EM on
two blocking rules whose columns the other comparisons do not use, the prior from a deterministic
rule with a stated recall. The trained model is saved as JSON under `$SERIALWATCH_HOME/models/`;
a default trained on a synthetic delivery ships in the package for data too small to train on.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

import duckdb
import splink.comparison_library as cl
from splink import DuckDBAPI, Linker, SettingsCreator, block_on
from splink.internals.comparison_creator import ComparisonCreator

from graph.settings import get_settings

log = logging.getLogger(__name__)

SEED = 42
U_MAX_PAIRS = 5e6
PRIOR_RECALL = 0.65  # share of true pairs agreeing exactly on canonical name and DOB (synthetic)
MIN_TRAIN_RECORDS = 2_000
EM_SAMPLE_ABOVE = 300_000  # above this many records, EM on DOB runs on a fixed slice of DOBs
DEFAULT_MODEL = "default_model.json"
MIN_WEIGHT = -10.0  # bits: the strongest evidence against a link one comparison may give

_JW = "jaro_winkler_similarity"
_PARTS = "list_has_any(surname_parts_l, surname_parts_r)"
# The forenames name one person: equal (nicknames as their formal name), one keying error
# apart, or transposed with the surname. People who share a home or an incident are mostly
# partners, parents, children and siblings: they share a surname and an address, never a
# forename, so only when forenames agree are a shared home or associate evidence of identity.
# Twins share a DOB as well: a DOB agreement counts only when the forenames are alike (one
# typo apart, Jaro-Winkler >= 0.8: a sibling's different forename is no keying error).


def _forenames(similarity: float) -> str:
    return (
        f"coalesce(forename_canon_l = forename_canon_r"
        f" OR {_JW}(forename_canon_l, forename_canon_r) >= {similarity}"
        f" OR forename_canon_l = surname_canon_r OR forename_canon_r = surname_canon_l"
        f" OR {_JW}(forename_l, surname_r) >= 0.92 OR {_JW}(surname_l, forename_r) >= 0.92"
        f" OR list_contains(surname_parts_r, forename_l)"
        f" OR list_contains(surname_parts_l, forename_r), FALSE)"
    )


_FORENAMES_AGREE = _forenames(0.92)
_FORENAMES_ALIKE = _forenames(0.8)


def _level(sql: str, label: str, null: bool = False, tf: str | None = None) -> dict[str, Any]:
    """One comparison level; `tf` names a column whose term frequency scales its weight."""
    level: dict[str, Any] = {"sql_condition": sql, "label_for_charts": label, "is_null_level": null}
    if tf:
        level |= {"tf_adjustment_column": tf, "tf_adjustment_weight": 1.0}
    return level


def comparisons() -> list[ComparisonCreator | dict[str, Any]]:
    """Names, middle names, date of birth, addresses, PNC id, aliases, gender, region and
    associates, most specific level first."""
    name = cl.CustomComparison(
        output_column_name="name",
        comparison_description="forename and surname, nickname- and transposition-aware",
        comparison_levels=[
            # Term-frequency adjusted: agreeing on a common full name is weaker evidence than
            # agreeing on a rare one, and the gap grows with the population. Splink scales by
            # the u of the level exact on the tf column, so that level must hold every pair
            # agreeing on it: exact names and nicknames of one formal name together.
            _level(
                "full_name_l = full_name_r",
                "same name (a nickname as its formal name)",
                tf="full_name",
            ),
            _level(
                f"forename_canon_l = forename_canon_r AND (surname_l = surname_r OR {_PARTS})",
                "part of a double-barrelled surname",
            ),
            _level(
                f"(forename_canon_l = surname_canon_r OR {_JW}(forename_l, surname_r) >= 0.92"
                " OR list_contains(surname_parts_r, forename_l))"
                " AND (surname_canon_l = forename_canon_r"
                f" OR {_JW}(surname_l, forename_r) >= 0.92"
                " OR list_contains(surname_parts_l, forename_r))",
                "forename and surname transposed (or part of a double-barrelled one)",
            ),
            _level(
                f"{_JW}(forename_canon_l, forename_canon_r) >= 0.92"
                f" AND ({_JW}(surname_l, surname_r) >= 0.92 OR {_PARTS})",
                "both names Jaro-Winkler >= 0.92",
            ),
            _level(
                f"{_JW}(forename_canon_l, forename_canon_r) >= 0.8"
                f" AND {_JW}(surname_l, surname_r) >= 0.8",
                "both names Jaro-Winkler >= 0.8",
            ),
            _level(f"surname_l = surname_r OR {_PARTS}", "surname only"),
            _level("forename_canon_l = forename_canon_r", "forename only"),
            _level("ELSE", "names differ"),
        ],
    )
    middle = cl.CustomComparison(
        output_column_name="middle_name",
        comparison_description="middle names (many records leave them out)",
        comparison_levels=[
            _level("middle_l IS NULL OR middle_r IS NULL", "middle name missing", null=True),
            _level("middle_l = middle_r", "same middle names"),
            _level("ELSE", "different middle names"),
        ],
    )
    dob = cl.CustomComparison(
        output_column_name="dob",
        comparison_description="date of birth, with day-month swaps and one-digit typos",
        comparison_levels=[
            _level(
                f"dob_l IS NULL OR dob_r IS NULL OR NOT {_FORENAMES_ALIKE}",
                "DOB missing, or forenames differ (siblings, twins)",
                null=True,
            ),
            _level("dob_l = dob_r", "exact DOB"),
            _level("dob_swapped_l = dob_r", "day and month swapped"),
            _level(
                "abs(date_diff('day', dob_l, dob_r)) <= 1"
                " OR (birth_mmdd_l = birth_mmdd_r AND abs(birth_year_l - birth_year_r) = 1)"
                " OR (birth_year_l = birth_year_r AND day(dob_l) = day(dob_r)"
                "     AND abs(month(dob_l) - month(dob_r)) = 1)"
                " OR damerau_levenshtein(CAST(dob_l AS VARCHAR), CAST(dob_r AS VARCHAR)) <= 1",
                "one digit or one unit off",
            ),
            _level("abs(birth_year_l - birth_year_r) <= 5", "within 5 years"),
            _level("ELSE", "DOB differs"),
        ],
    )
    address = cl.CustomComparison(
        output_column_name="address",
        comparison_description="residences: the same address record, postcode or postcode "
        "area (evidence only when the forenames agree: co-residents are family)",
        comparison_levels=[
            _level(
                f"address_keys_l IS NULL OR address_keys_r IS NULL OR NOT {_FORENAMES_AGREE}",
                "no residence, or forenames differ",
                null=True,
            ),
            _level("list_has_any(address_keys_l, address_keys_r)", "shared address"),
            _level("list_has_any(postcodes_l, postcodes_r)", "shared postcode"),
            _level("list_has_any(outcodes_l, outcodes_r)", "shared postcode district"),
            _level("list_has_any(pc_areas_l, pc_areas_r)", "shared postcode area"),
            _level("ELSE", "addresses differ"),
        ],
    )
    pnc = cl.CustomComparison(
        output_column_name="pnc_id",
        comparison_description="Police National Computer id",
        comparison_levels=[
            _level("pnc_id_l IS NULL OR pnc_id_r IS NULL", "PNC id missing", null=True),
            _level("pnc_id_l = pnc_id_r", "same PNC id"),
            _level("ELSE", "different PNC ids"),
        ],
    )
    aliases = cl.CustomComparison(
        output_column_name="aliases",
        comparison_description="aliases: shared alias, or one record's name is the other's alias",
        comparison_levels=[
            _level("aliases_l IS NULL AND aliases_r IS NULL", "no aliases", null=True),
            _level("list_has_any(aliases_l, aliases_r)", "shared alias"),
            _level(
                "list_contains(aliases_l, full_name_r) OR list_contains(aliases_r, full_name_l)",
                "name is the other's alias",
            ),
            _level("aliases_l IS NULL OR aliases_r IS NULL", "aliases on one side only"),
            _level("ELSE", "aliases differ"),
        ],
    )
    gender = cl.CustomComparison(
        output_column_name="gender",
        comparison_description="gender (M/F; unknown is missing)",
        comparison_levels=[
            _level("gender_l IS NULL OR gender_r IS NULL", "gender unknown", null=True),
            _level("gender_l = gender_r", "same gender"),
            _level("ELSE", "different gender"),
        ],
    )
    region = cl.CustomComparison(
        output_column_name="region",
        comparison_description="region of the supplying agency (records of one person cluster)",
        comparison_levels=[
            _level("region_l IS NULL OR region_r IS NULL", "region unknown", null=True),
            _level("region_l = region_r", "same region"),
            _level("ELSE", "different region"),
        ],
    )
    associates = cl.CustomComparison(
        output_column_name="associates",
        comparison_description="associates: the identities of those the records share an "
        "incident, order or relationship with (evidence only when the forenames agree)",
        comparison_levels=[
            _level("associates_l IS NULL OR associates_r IS NULL", "no associates", null=True),
            # One is the other's victim, partner, witness or co-party: two people.
            _level(
                "list_contains(associates_l, own_identity_r)"
                " OR list_contains(associates_r, own_identity_l)",
                "each is the other's associate",
            ),
            # A witness or a child shared with a partner says nothing about identity.
            _level(f"NOT {_FORENAMES_AGREE}", "forenames differ", null=True),
            _level("list_has_any(associates_l, associates_r)", "shared associate"),
            _level("ELSE", "no shared associate"),
        ],
    )
    return [name, middle, dob, address, pnc, aliases, gender, region, associates]


def prediction_blocking_rules() -> list[Any]:
    """Pairs to score: any one rule suffices; together they reach every kind of planted noise."""
    return [
        block_on("dob", "surname_sx"),
        block_on("dob", "forename_canon"),
        # Transposed names, each way round (pairs are generated with l before r).
        {
            "blocking_rule": "l.dob = r.dob AND l.forename_sx = r.surname_sx",
            "sql_dialect": "duckdb",
        },
        {
            "blocking_rule": "l.dob = r.dob AND l.surname_sx = r.forename_sx",
            "sql_dialect": "duckdb",
        },
        block_on("birth_year", "forename_canon", "surname_sx"),
        block_on("birth_mmdd", "forename_canon", "surname_sx"),
        {
            "blocking_rule": "l.forename_canon = r.forename_canon AND l.surname = r.surname"
            " AND (l.dob IS NULL OR r.dob IS NULL)",
            "sql_dialect": "duckdb",
        },
        block_on("pnc_id"),
        block_on("address_keys", arrays_to_explode=["address_keys"]),
        block_on("aliases", arrays_to_explode=["aliases"]),
        # A shared associate (victim, partner, co-party): reaches records of one man with no
        # DOB and a mistyped or transposed name, which no name rule pairs (about 2 pairs per
        # record at 1,000,000 people).
        block_on("associates", arrays_to_explode=["associates"]),
    ]


def settings(prior: float = 1e-5) -> SettingsCreator:
    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="unique_id",
        probability_two_random_records_match=prior,
        comparisons=comparisons(),
        blocking_rules_to_generate_predictions=prediction_blocking_rules(),
        retain_matching_columns=False,
        retain_intermediate_calculation_columns=False,
    )


@dataclass(frozen=True)
class Model:
    """A trained model: Splink settings with parameters, a version, and how it was trained."""

    version: str
    splink: dict[str, Any]
    trained: dict[str, Any]

    def to_json(self) -> str:
        body = {"model_version": self.version, "trained": self.trained, "splink": self.splink}
        return json.dumps(body, indent=1, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Model:
        body = json.loads(text)
        return cls(body["model_version"], body["splink"], body["trained"])

    def level_weight(self, comparison: str, label: str) -> float:
        """The match weight (log2 m/u) of one level (by its label) of one comparison."""
        for c in self.splink["comparisons"]:
            if c["output_column_name"] == comparison:
                for lv in c["comparison_levels"]:
                    if lv.get("label_for_charts") == label:
                        return math.log2(lv["m_probability"] / lv["u_probability"])
        raise KeyError(f"{comparison}: no level {label!r}")


def linker(
    con: duckdb.DuckDBPyConnection, table: str, model: Model | dict | SettingsCreator
) -> Linker:
    """A Splink linker over DuckDB table `table` with the given model or untrained settings."""
    s = model.splink if isinstance(model, Model) else model
    return Linker(table, s, db_api=DuckDBAPI(connection=con), set_up_basic_logging=False)


def train(con: duckdb.DuckDBPyConnection, table: str, records: int) -> Model:
    """Estimate the prior, u (seeded sample) and m (EM on two rules); return a versioned model."""
    lk = linker(con, table, settings())
    exact = block_on("forename_canon", "surname", "dob")
    lk.training.estimate_probability_two_random_records_match([exact], recall=PRIOR_RECALL)
    lk.training.estimate_u_using_random_sampling(max_pairs=U_MAX_PAIRS, seed=SEED)
    # Pairs sharing a DOB grow with the square of the records: keep about as many as at
    # EM_SAMPLE_ABOVE records by taking the DOBs whose hash falls in one of `slices`.
    slices = max(1, round((records / EM_SAMPLE_ABOVE) ** 2))
    # Each EM rule fixes the comparisons on its own columns; the other rule trains them. The
    # PNC block is almost all true pairs, so EM there cannot settle on a wrong "match" class
    # (on a name block it does: same-name strangers outnumber the matches). On big data the
    # DOB block runs on the fixed slice of DOBs above.
    for rule in (
        "l.pnc_id = r.pnc_id",
        f"l.dob = r.dob AND hash(l.dob) % {slices} = 0" if slices > 1 else "l.dob = r.dob",
    ):
        lk.training.estimate_parameters_using_expectation_maximisation(rule)
    trained = canonical(settle(lk.misc.save_model_to_json()))
    digest = hashlib.sha256(json.dumps(trained, sort_keys=True).encode()).hexdigest()[:8]
    now = datetime.now(UTC)
    meta = {
        "at": now.isoformat(timespec="seconds"),
        "records": records,
        "seed": SEED,
        "u_max_pairs": U_MAX_PAIRS,
        "prior_rule": "forename_canon, surname, dob exact",
        "prior_recall": PRIOR_RECALL,
        "em_rules": ["pnc_id", "dob"],
        "em_dob_slices": slices,
    }
    return Model(f"{now:%Y%m%d}-{digest}", trained, meta)


def canonical(trained: dict[str, Any]) -> dict[str, Any]:
    """Trained settings as the same data and seed always give them: without Splink's random
    `linker_uid`, and every number to 10 significant digits (DuckDB's parallel sums differ in
    the 14th), so the version hash names the parameters."""

    def tidy(v: Any) -> Any:
        if isinstance(v, float):
            return float(f"{v:.10g}")
        if isinstance(v, dict):
            return {k: tidy(x) for k, x in v.items() if k != "linker_uid"}
        if isinstance(v, list):
            return [tidy(x) for x in v]
        return v

    out: dict[str, Any] = tidy(trained)
    return out


def for_population(m: Model, records: int) -> Model:
    """`m` with its prior rescaled from the records it was trained on to `records`. A person's
    records make about as many true pairs whatever the population, while the pairs of records
    grow with its square, so the chance that two random records match falls as 1 / records
    (measured: trained on 153,897 records the prior is 2^-16.7, on 1,533,076 it is 2^-20.1, a
    factor 9.9 for 10 times the records). Same-name strangers grow with the square too; without
    this a model trained on a small delivery links them in a big one."""
    trained = int(m.trained.get("records") or 0)
    if trained <= 0 or records <= 0 or trained == records:
        return m
    prior = float(m.splink["probability_two_random_records_match"]) * trained / records
    splink = m.splink | {"probability_two_random_records_match": min(prior, 0.5)}
    return Model(m.version, splink, m.trained | {"prior_scaled_to_records": records})


def settle(trained: dict[str, Any]) -> dict[str, Any]:
    """Make the trained parameters safe to apply. A level the random sample never met gets
    u = 1 / U_MAX_PAIRS; one EM never saw takes the parameters of the next, less specific level
    (the last level: MIN_WEIGHT); no level weighs
    less than MIN_WEIGHT bits, because a keying error can make any one field disagree for the
    same person."""

    def known(v: Any) -> bool:
        return isinstance(v, float | int) and v > 0

    for comparison in trained["comparisons"]:
        levels = [lv for lv in comparison["comparison_levels"] if not lv.get("is_null_level")]
        last = levels[-1]
        if not known(last.get("m_probability")) and known(last.get("u_probability")):
            last["m_probability"] = last["u_probability"] * 2.0**MIN_WEIGHT
        for i in range(len(levels) - 2, -1, -1):
            lv = levels[i]
            if known(lv.get("m_probability")) and not known(lv.get("u_probability")):
                # Never met in the random sample: rarer than one pair in U_MAX_PAIRS.
                lv["u_probability"] = 1.0 / U_MAX_PAIRS
            if not (known(lv.get("m_probability")) and known(lv.get("u_probability"))):
                lv["m_probability"] = levels[i + 1].get("m_probability")
                lv["u_probability"] = levels[i + 1].get("u_probability")
        for lv in levels:
            m, u = lv.get("m_probability"), lv.get("u_probability")
            if known(m) and known(u):
                lv["m_probability"] = max(m, u * 2.0**MIN_WEIGHT)
    return trained


def models_dir() -> Path:
    return Path(get_settings().home) / "models"


def save(model: Model) -> Path:
    """Write the model as `resolution-<version>.json` and point `resolution-current.json` at it."""
    folder = models_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"resolution-{model.version}.json"
    path.write_text(model.to_json(), encoding="utf-8")
    (folder / "resolution-current.json").write_text(model.to_json(), encoding="utf-8")
    return path


def load_current() -> Model | None:
    """The model the last training saved, or None if this home has none."""
    path = models_dir() / "resolution-current.json"
    return Model.from_json(path.read_text(encoding="utf-8")) if path.exists() else None


def load_default() -> Model:
    """The packaged model (trained on a synthetic delivery) for data too small to train on."""
    text = resources.files("ingest.resolve").joinpath(DEFAULT_MODEL).read_text(encoding="utf-8")
    return Model.from_json(text)
