"""The review queue asks each question once (`questions.band_questions`): one band pair per pair
of identities, none a rule or a decision already answers, none of an ambiguous record."""

from __future__ import annotations

import pandas as pd

from ingest.resolve.cluster import NOT_SAME, Decision
from ingest.resolve.questions import band_questions
from ingest.resolve.rules import OneGender, OneValue

KEYS = ["x1", "x2", "y1", "y2", "z1", "w1", "r"]
IDENTITY = ["X", "X", "Y", "Y", "Z", "W", "R"]


def _band(pairs: list[tuple[str, str, float]]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "unique_id_l": [a for a, _, _ in pairs],
            "unique_id_r": [b for _, b, _ in pairs],
            "match_probability": [0.6] * len(pairs),
            "match_weight": [w for _, _, w in pairs],
        }
    )


def _asked(band: pd.DataFrame, **kw: object) -> set[tuple[str, str]]:
    assignments = pd.DataFrame({"unique_id": KEYS, "identity_id": IDENTITY})
    got = band_questions(band, assignments, **kw)  # type: ignore[arg-type]
    return set(zip(got["unique_id_l"], got["unique_id_r"], strict=True))


def test_two_identities_are_asked_about_once_with_their_strongest_pair() -> None:
    band = _band([("x1", "y1", 1.0), ("x2", "y1", 2.5), ("x1", "y2", 0.5), ("x1", "x2", 3.0)])
    assert _asked(band) == {("x2", "y1")}  # x1-x2 is within one identity: nothing to ask


def test_a_rule_or_a_decision_that_keeps_identities_apart_answers_the_question() -> None:
    band = _band([("x1", "y1", 1.0), ("x1", "z1", 1.0), ("y1", "w1", 1.0)])
    pnc = OneValue(["1", None, "2", None, None, None, None])  # X and Y hold two PNC ids
    decided = [Decision("y2", "w1", NOT_SAME)]  # an analyst told Y and W apart
    assert _asked(band, rules=[pnc], decided=decided) == {("x1", "z1")}


def test_the_gender_rule_still_asks_because_an_analyst_may_override_it() -> None:
    band = _band([("x1", "z1", 1.0)])
    gender = OneGender(["M", "M", "M", "M", "F", "M", "M"])
    assert _asked(band, rules=[gender]) == {("x1", "z1")}


def test_an_ambiguous_record_is_asked_once_with_its_candidates() -> None:
    band = _band([("r", "x1", 1.0), ("r", "y1", 1.0), ("x1", "z1", 1.0)])
    assert _asked(band, ambiguous=["r"]) == {("x1", "z1")}
