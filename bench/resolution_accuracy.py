"""Identity-resolution accuracy without the graph writes: pull the records of the bench graph
once (cached as a pickle), then run the pipeline's own scoring and clustering steps in-process
and score the identities against truth.json. At 1,000,000 people this gives the accuracy of a
`resolve` in minutes, and lets a model or threshold be compared on the same pull.

    SERIALWATCH_BENCH_HOME=~/.sw-bench SERIALWATCH_BENCH_PORT=7715 \\
    SERIALWATCH_BENCH_HEAP=3g SERIALWATCH_BENCH_PAGECACHE=3g \\
        .venv/bin/python -m bench.resolution_accuracy --people 100000 \\
        [--thresholds 0.75,0.8,0.9] [--retrain] [--adversarial] [--plain-rules]

The graph is the bench's (`bench.common.national_graph`: synthesised with the seed and
bulk-loaded unless already there); the pull is cached beside the delivery. Every record starts
from its own identity, as after a fresh load. The model: the packaged default rescaled to the
records (`model.for_population`), or trained on them with `--retrain`. Pass 1 is clustered at
the first threshold, pass 2 at each, with the pipeline's rules (PNC id, DOB, gender, and
the cannot-link pairs of the records' events) and its ambiguity check (`--plain-rules`: PNC
id and DOB only, no ambiguity check: the clustering before issue 20).

Per threshold: pairwise precision / recall, people split and identities merging people; the
wrong merges that change a serial tier or a disclosure_check answer
(`bench.identity_answers`), serial men split over several identities (and how many of them
are then serial in none of their identities, wrong merges undone), and the review queue
(`questions.band_questions`: one band pair per pair of identities no rule keeps apart, plus
the ambiguous records' pairs) with its share of records, and as questions (a pair of
identities, or an ambiguous record with its candidates side by side); the links not made for
want of corroboration (`corroboration`; `--no-corroboration` leaves the rule out).
`--adversarial`: the delivery of `serialwatch synth --adversarial`. Printed, never asserted.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import time
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from bench.common import delivery_dir, national_graph, use_bench_server
from bench.resolution import score

PULLED = "pulled-records.pkl"


def cached(delivery: Path) -> pd.DataFrame | None:
    """The records pulled before, unless pulled by code without a column the pull now has."""
    cache = delivery / PULLED
    if not cache.exists():
        return None
    raw = pd.read_pickle(cache)
    return raw if "victim" in raw else None


def pulled(delivery: Path) -> pd.DataFrame:
    """The delivery's records as `features.pull_records` returns them, pulled once."""
    from graph.driver import get_driver
    from ingest.resolve import features

    cache = delivery / PULLED
    raw = cached(delivery)
    if raw is not None:
        return raw
    t = time.monotonic()
    raw = features.pull_records(get_driver())
    print(f"pulled {len(raw):,} records in {time.monotonic() - t:.0f} s")
    raw.to_pickle(cache)
    return raw


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--thresholds", default="0.8")
    parser.add_argument("--retrain", action="store_true")
    parser.add_argument("--adversarial", action="store_true")
    parser.add_argument("--plain-rules", action="store_true")
    parser.add_argument(
        "--no-corroboration", action="store_true", help="without the corroboration rule"
    )
    parser.add_argument(
        "--show-damage",
        type=int,
        default=0,
        metavar="N",
        help="print N identities whose wrong merge changes an answer: records, truth, links",
    )
    parser.add_argument(
        "--false-links",
        action="store_true",
        help="group the links between different humans' records by the evidence they rest on",
    )
    parser.add_argument("--model", type=Path, help="a saved model (JSON) instead of the packaged")
    parser.add_argument(
        "--save-model", type=Path, help="with --retrain: write the trained model (JSON) here"
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=Path(os.environ.get("SERIALWATCH_BENCH_DATA", "/tmp/serialwatch-bench-resolution")),
    )
    args = parser.parse_args()
    use_bench_server()
    logging.getLogger("splink").setLevel(logging.ERROR)

    from bench import identity_answers
    from ingest.resolve import features, model
    from ingest.resolve.cluster import cluster
    from ingest.resolve.corroboration import Roles
    from ingest.resolve.pipeline import (
        DUCKDB_MEMORY,
        REVIEW_THRESHOLD,
        _provisional,
        _score,
        _split_at,
    )
    from ingest.resolve.questions import band_questions
    from ingest.resolve.rules import OneDateOfBirth, OneValue, Rule, person_rules

    delivery = delivery_dir(args.people, args.seed, args.out, args.adversarial)
    if cached(delivery) is None:  # else the bench server is not needed
        national_graph(args.people, args.seed, args.out, adversarial=args.adversarial)
    raw = pulled(delivery)
    raw["identity_id"] = "ID:" + raw["unique_id"]  # as after a fresh load
    truth = json.loads((delivery / "truth.json").read_text(encoding="utf-8"))
    answers = identity_answers.load(delivery)
    thresholds = [float(x) for x in args.thresholds.split(",")]
    began = time.monotonic()
    con = duckdb.connect(config={"memory_limit": DUCKDB_MEMORY, "threads": 2})
    con.register(features.RAW, raw)
    con.register(features.EVENTS, features.events_of(raw))
    n = features.build_table(con)
    features.set_associates(con, _provisional(con))
    keys = list(raw["unique_id"])
    if args.plain_rules:
        pnc = [str(v).strip().upper() if v else None for v in raw["pnc_raw"]]
        rules: list[Rule] = [OneValue(pnc), OneDateOfBirth(list(raw["dob"]))]
    else:
        rules = person_rules(raw, features.cannot_link(con))
    if args.retrain:
        m = model.train(con, features.TABLE, n)
    elif args.model:
        m = model.Model.from_json(args.model.read_text(encoding="utf-8"))
    else:
        m = model.load_default()
    if args.retrain and args.save_model:
        args.save_model.write_text(m.to_json(), encoding="utf-8")
    m = model.for_population(m, n)

    roles = None if args.plain_rules or args.no_corroboration else Roles.of(raw)

    def clustered(pairs: pd.DataFrame, t: float) -> tuple[Any, pd.DataFrame]:
        links, below = _split_at(pairs, t)
        if args.plain_rules:
            return cluster(keys, links, [], rules, margin=-1.0), below
        out = cluster(keys, links, [], rules, candidates=below, roles=roles)
        return out, pd.concat([below, out.unconfirmed]) if len(out.unconfirmed) else below

    first, _ = clustered(_score(con, m, REVIEW_THRESHOLD, levels=True), thresholds[0])
    features.set_associates(con, first.assignments)
    pairs = _score(con, m, REVIEW_THRESHOLD, levels=True)
    kind = "adversarial " if args.adversarial else ""
    print(
        f"\n== {args.people:,} people ({kind}seed {args.seed}), {n:,} records, model "
        f"{m.version}, prior {m.splink['probability_two_random_records_match']:.3g}"
        f"{', plain rules' if args.plain_rules else ''}"
        f"{', no corroboration rule' if args.no_corroboration else ''}; scored in "
        f"{time.monotonic() - began:.0f} s"
    )
    for t in thresholds:
        result, below = clustered(pairs, t)
        ident = dict(
            zip(result.assignments["unique_id"], result.assignments["identity_id"], strict=True)
        )
        sc = score(truth, ident)
        damage = identity_answers.merge_damage(answers, truth, ident)
        unsure = result.ambiguous["record"].unique()
        asked = band_questions(below, result.assignments, rules, (), unsure)
        queue = len(_pairs(asked) | _pairs(result.ambiguous))
        questions = len(asked) + len(unsure)
        print(
            f"   link {t}: precision {sc['precision']:.4f}  recall {sc['recall']:.4f}  F1 "
            f"{sc['f1']:.4f}; people split {sc['people_split']:,}; identities merging people "
            f"{sc['identities_merging_people']:,}\n"
            f"      wrong merges changing a serial tier {damage.tier_changed}, a "
            f"disclosure_check answer {damage.answer_changed} (forces only "
            f"{damage.forces_changed}); serial men split {damage.serial_split} of "
            f"{damage.serial} ({damage.serial_missed} serial in none of their identities)\n"
            f"      review queue {queue:,} pairs ({queue / n:.2%} of records), {questions:,} "
            f"questions ({questions / n:.2%}: a pair of identities or an ambiguous record); "
            f"ambiguous "
            f"records {result.ambiguous['record'].nunique():,}; links not made for want of "
            f"corroboration {len(result.unconfirmed):,}"
        )
        for example in damage.examples:
            print(f"      e.g. {example}")
        for identity in damage.identities[: args.show_damage]:
            _show(identity, ident, truth, raw, pairs)
        if args.false_links:
            _false_links(ident, truth, raw, pairs, m)
    print(
        "\nmethod: records pulled once from the bench graph (features.pull_records, cached), "
        "each its own identity; features.build_table, set_associates, pipeline._score twice "
        f"(pass 1 clustered at {thresholds[0]}) and cluster with person_rules (cannot-link "
        "pairs from the events, genders) and the review band as candidates, in-process; "
        "pairwise scores as bench.resolution's; tiers and disclosure answers from the "
        "delivery's files (bench.identity_answers)"
    )


def _show(
    identity: str, ident: dict[str, str], truth: dict, raw: pd.DataFrame, pairs: pd.DataFrame
) -> None:
    """One identity's records (with the human each belongs to) and the links between records
    of different humans, each with its comparisons' weights: what to read to see why."""
    human = {k: h for h, keys in truth["people"].items() for k in keys}
    keys = sorted((k for k, i in ident.items() if i == identity), key=lambda k: (human[k], k))
    print(f"\n   {identity}")
    shown = ["forename_raw", "middle_raw", "surname_raw", "dob", "gender_raw", "region",
             "pnc_raw", "accused", "victim"]  # fmt: skip
    records = raw.set_index("unique_id").loc[keys, shown]
    for key, row in records.iterrows():
        print(f"      {human[str(key)]} {key}: " + " ".join(str(v) for v in row.tolist()))
    inside = pairs[pairs["unique_id_l"].isin(keys) & pairs["unique_id_r"].isin(keys)]
    weights = [c for c in inside.columns if c.startswith("w_") and c != "w_where"]  # comparisons
    for _, p in inside.iterrows():
        if human[p["unique_id_l"]] != human[p["unique_id_r"]]:
            why = {c[2:]: round(float(p[c]), 1) for c in weights if pd.notna(p[c]) and p[c]}
            print(
                f"      link {p['unique_id_l']} {p['unique_id_r']} p {p['match_probability']:.3f}"
                f" weight {p['match_weight']:.1f} {why}"
            )


# the comparisons a link's evidence is named by, in the order printed
COMPARED = ("name", "dob", "middle_name", "address", "region", "pnc_id", "aliases", "associates")


def _false_links(
    ident: dict[str, str], truth: dict, raw: pd.DataFrame, pairs: pd.DataFrame, m: Any
) -> None:
    """The links inside an identity between records of two humans, grouped by the evidence
    they rest on (each comparison's level, named from the model), with the false pairs of the
    identities they sit in, and the links of the same evidence between one human's records:
    which kind of link costs the pairwise precision, and what holding it back would cost."""
    from collections import Counter

    human = {k: h for h, keys in truth["people"].items() for k in keys}
    level_of = _level_names(m)
    same = pairs["unique_id_l"].map(ident) == pairs["unique_id_r"].map(ident)
    cross = pairs["unique_id_l"].map(human) != pairs["unique_id_r"].map(human)
    linked = pairs[same]
    members: dict[str, Counter[str]] = {}
    for key, identity in ident.items():
        members.setdefault(identity, Counter())[human[key]] += 1
    false_pairs = {
        i: (sum(c.values()) ** 2 - sum(v * v for v in c.values())) // 2
        for i, c in members.items()
        if len(c) > 1
    }
    accused = raw.set_index("unique_id")["accused"].astype(bool)
    either = linked["unique_id_l"].map(accused) | linked["unique_id_r"].map(accused)
    kind = either.map({True: "accused", False: "-"})
    for c in reversed(COMPARED):  # each level's label, read once per distinct weight
        weights = linked[f"w_{c}"].astype(float)
        label = weights.map({w: level_of(c, w) for w in weights.unique()})
        kind = (label + " | ").where(label != "", "") + kind
    wrong = cross[same]
    kinds = Counter(kind[wrong])
    right = Counter(kind[~wrong])
    cost: Counter[str] = Counter()
    for k, left in zip(kind[wrong], linked.loc[wrong, "unique_id_l"], strict=True):
        cost[k] += false_pairs[ident[left]]
    print(
        f"      links between different humans inside an identity: {int(wrong.sum()):,}"
        f" (and {int((~wrong).sum()):,} links between one human's records)"
    )
    for k, n in kinds.most_common(25):
        print(
            f"      {n:>6,} links ({right[k]:>7,} right), in identities with "
            f"{cost[k]:>7,} false pairs: {k}"
        )


def _level_names(m: Any) -> Any:
    """(comparison, its weight) -> the label of the level with that weight ('' for a level
    that weighs nothing)."""
    import math

    prior = m.splink["comparisons"]
    table = {
        c["output_column_name"]: [
            (math.log2(lv["m_probability"] / lv["u_probability"]), lv["label_for_charts"])
            for lv in c["comparison_levels"]
            if lv.get("m_probability") and lv.get("u_probability")
        ]
        for c in prior
    }

    def name(comparison: str, weight: float) -> str:
        if not weight or comparison not in table:
            return ""
        best = min(table[comparison], key=lambda wl: abs(wl[0] - weight))
        return f"{comparison}: {best[1]}"

    return name


def _pairs(frame: pd.DataFrame) -> set[tuple[str, str]]:
    return {
        (a, b) if a < b else (b, a)
        for a, b in zip(frame["unique_id_l"], frame["unique_id_r"], strict=True)
    }


if __name__ == "__main__":
    main()
