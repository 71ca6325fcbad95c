"""Records the evidence cannot place: they go to an analyst, not to a tie-break.

A record (often one with no DOB and no PNC id) may score about as well against two identities
that a rule keeps apart (two PNC ids, two dates of birth, two people of one incident). A minimum
cut then puts it on one side by an accident of weights: when the two cuts are equal, the tie
goes one way, and an innocent man's disclosure check gains another man's victims. So after
clustering, a record whose best links into two or more such identities are within `MARGIN` bits
of match weight of each other is *ambiguous*: it is left on its own identity, and a review pair
is raised between it and the best-matching record of each candidate.

`MARGIN` is 3 bits: a Bayes factor of 8 between the candidates. Less than that is no clear
preference (a missing middle name moves a score by 1 to 3 bits), more is a difference the model
was built to resolve. Links (at or above the link threshold) and pairs in the review band both
count as evidence, so a record that links to one namesake at 0.85 and scores 0.7 against the
other is as doubtful as one with two equal links.

The candidates are compared on what identifies a person, not on where he was recorded
(`identifying_weight`, less `corroboration.mark`'s `w_where`: the region of the recording
agency, and a shared postcode, district or postcode area short of a shared home). The region
weighs 3 bits between agreeing and differing, which alone decided between two namesakes of one
name and DOB when the doubtful record came from one man's region and the other man's records
from elsewhere: a man's records span the regions he lived in, and a county's namesakes share
its postcode area. A shared home still counts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ingest.resolve.rules import Rule

MARGIN = 3.0  # bits of match weight between the best and another candidate identity


def identifying_weight(pairs: pd.DataFrame) -> pd.Series:
    """Each scored pair's match weight less what says where, not who (`w_where`, when the
    pairs carry it: `corroboration.mark`)."""
    weight = pairs["match_weight"].astype(float)
    return weight - pairs["w_where"].astype(float) if "w_where" in pairs else weight


@dataclass(frozen=True)
class Candidate:
    component: int  # the candidate identity's label
    other: int  # its record that matches the ambiguous record best
    probability: float
    weight: float


def find(
    membership: np.ndarray,
    lo: np.ndarray,
    hi: np.ndarray,
    prob: np.ndarray,
    weight: np.ndarray,
    rules: Sequence[Rule],
    margin: float = MARGIN,
) -> dict[int, list[Candidate]]:
    """Ambiguous records (index -> its candidates, best first) among the records of the scored
    pairs (lo, hi, prob, weight), with identities `membership` (labels per record).

    A candidate is an identity the record scores within `margin` of its best (its own identity
    counts through its links into it) and could join without breaking a rule; the record is
    ambiguous when two or more candidates remain and together they break a rule (so the
    record's choice decides which person the evidence goes to)."""
    if len(lo) == 0:
        return {}
    rec = np.concatenate([lo, hi])
    other = np.concatenate([hi, lo])
    frame = pd.DataFrame(
        {
            "r": rec,
            "s": other,
            "c": membership[other],
            "p": np.concatenate([prob, prob]),
            "w": np.concatenate([weight, weight]),
        }
    )
    # The best pair of each record into each identity, then those within the margin.
    frame = frame.sort_values(["r", "c", "w"], ascending=[True, True, False], kind="stable")
    best = frame.drop_duplicates(["r", "c"])
    top = best.groupby("r")["w"].transform("max")
    near = best[best["w"].to_numpy() >= top.to_numpy() - margin]
    several = near.groupby("r")["c"].transform("size").to_numpy() >= 2
    near = near[several]
    if near.empty:
        return {}
    order = np.argsort(membership, kind="stable")
    ranked = membership[order]

    def members(c: int) -> list[int]:
        a, b = np.searchsorted(ranked, [c, c + 1])  # labels are integers
        return order[a:b].tolist()

    out: dict[int, list[Candidate]] = {}
    for r, group in near.groupby("r", sort=True):
        r = int(r)
        home = int(membership[r])
        viable: list[Candidate] = []
        joined: list[int] = [r]
        for c, s, p, w in zip(group["c"], group["s"], group["p"], group["w"], strict=True):
            part = members(int(c))
            if int(c) != home and _breaks([*part, r], rules):
                continue
            viable.append(Candidate(int(c), int(s), float(p), float(w)))
            joined.extend(u for u in part if u != r)
        if len(viable) >= 2 and _breaks(joined, rules):
            out[r] = sorted(viable, key=lambda x: (-x.weight, x.other))
    return out


def _breaks(part: Sequence[int], rules: Sequence[Rule]) -> bool:
    return any(rule.clashes(part) for rule in rules)
