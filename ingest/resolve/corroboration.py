"""A merge that changes what the graph answers about a person needs more than a name and a
keying error: otherwise an analyst decides it.

Merging two people's records gives one of them the other's victims, convictions, cautions,
orders and forces. The model links on the weight of all the evidence, and a name with a date of
birth one keying error off (a digit, a day, a month or a year) scores high enough to link
(p 0.8 to 0.98) when the name is rare: most links that joined an accused man's records to
another man's at 100,000 synthetic people were exactly that, with nothing else in common. The
same evidence links most records of one man correctly, so the model is not wrong to score it
so; what is wrong is to let it alone move an answer.

A link is **weak** when the only evidence for it is the name, gender, region and a date of
birth that is not exactly the same (a keying error, or missing), and that evidence weighs at
most `WEAK_EVIDENCE` bits (the match weight less the prior's) or the link's match weight is at
most `WEAK_WEIGHT` (p 0.985): no same middle name, address,
PNC id or alias, and no shared associate (`CORROBORATING`: the levels that name the same thing
on both sides, never a shared postcode, district or area, which a county's namesakes share: an
innocent man with no recorded DOB and an accused man of his name in the same county were
linked on a postcode area).
Records joined by links that are not weak form *groups*. A weak link between two groups is
**not made** when either group holds an accused record (suspect or offender in an incident,
subject of an order): the other side would gain or lose his victims, outcomes and orders. The
pair goes to the review queue instead (as a band pair). A weak link between groups with no
accused record changes no answer and is made as before; so is a link within one group (what it
adds is already proved). An analyst's `same` decision is never weak.

`WEAK_EVIDENCE` is 22.7 bits (a match weight of 6, p 0.985, with the prior at 100,000
people): above it a keying error comes with a rare name and the same region, and gating those
too cost recall 0.0032 for one fewer changed answer (100,000 people, seed 7). The evidence
alone does not depend on the population, but how often a name and a keying error belong to two
people does: namesakes multiply with the population, and the prior (`model.for_population`)
falls with it. At 1,000,000 people a name with a DOB one keying error off and nothing else was
wrong one time in three to four across regions (docs/resolution.md), on evidence above 22.7
bits. So a link is also weak while its match weight, which carries the population's prior, is
at most `WEAK_WEIGHT`: the same line as `WEAK_EVIDENCE` at 100,000 people, more links held back
above it, none fewer anywhere. Gating weak links between two
groups that both hold a victim's record (a man's two victims merged into one lowers his count)
was measured and left out: it cost recall 0.0085 and 500 review pairs for no fewer changed
answers (two victims' records of one man with one name and DOBs a keying error apart are far
more often one woman recorded by two agencies than two women).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import igraph as ig
import numpy as np
import pandas as pd

from ingest.resolve.model import Model

# The levels of agreement that are evidence beyond the name and the date of birth.
CORROBORATING = {
    "middle_name": ("same middle names",),
    "address": ("shared address",),
    "pnc_id": ("same PNC id",),
    "aliases": ("shared alias", "name is the other's alias"),
    "associates": ("shared associate",),
}
WEAK_EVIDENCE = 22.7  # bits of evidence (match weight less the prior's) a weak link may have
WEAK_WEIGHT = 6.0  # or the match weight (p 0.985) it may have, whatever its evidence
EXACT_DOB = "exact DOB"  # the dob comparison's level whose weight marks an exact date


@dataclass(frozen=True)
class Roles:
    """Per record (aligned with the keys clustered): accused (suspect or offender in an
    incident, subject of an order)."""

    accused: np.ndarray

    @staticmethod
    def of(raw: pd.DataFrame) -> Roles:
        """From a frame of the pulled records (column `accused`)."""
        return Roles(raw["accused"].fillna(False).to_numpy(dtype=bool))


def mark(pairs: pd.DataFrame, m: Model) -> pd.DataFrame:
    """Scored pairs with each comparison's weight (`w_<name>`, `pipeline._score(levels=True)`)
    by model `m` and column `weak` (module docstring)."""
    beyond = pairs["w_dob"].fillna(-99).to_numpy() >= m.level_weight("dob", EXACT_DOB) - 1e-3
    for name, levels in CORROBORATING.items():
        weight = pairs[f"w_{name}"].to_numpy(dtype=float)
        for level in levels:
            beyond |= np.isclose(weight, m.level_weight(name, level), atol=1e-3)
    prior = float(m.splink["probability_two_random_records_match"])
    weight = pairs["match_weight"].to_numpy()
    evidence = weight - math.log2(prior / (1 - prior))
    # Where, not who: the agencies' region, and a shared postcode, district or area (not home)
    address = pairs["w_address"].fillna(0.0).to_numpy(dtype=float)
    home = np.isclose(address, m.level_weight("address", "shared address"), atol=1e-3)
    where = pairs["w_region"].fillna(0.0).to_numpy(dtype=float)
    where = where + np.where(~home & (address > 0), address, 0.0)
    return pairs.assign(
        weak=~beyond & ((evidence <= WEAK_EVIDENCE) | (weight <= WEAK_WEIGHT)), w_where=where
    )


def unconfirmed(
    index: pd.Series,
    links: pd.DataFrame,
    roles: Roles,
    same: Iterable[tuple[int, int]] = (),
) -> np.ndarray:
    """Which rows of `links` (marked by `mark`; `index`: key -> record index) are weak links
    between two groups, one holding an accused record (module docstring)."""
    if not len(links) or "weak" not in links:
        return np.zeros(len(links), dtype=bool)
    left = index.reindex(links["unique_id_l"]).to_numpy()
    right = index.reindex(links["unique_id_r"]).to_numpy()
    known = ~(pd.isna(left) | pd.isna(right))
    lo = np.where(known, left, 0).astype(np.int64)
    hi = np.where(known, right, 0).astype(np.int64)
    weak = known & links["weak"].to_numpy(dtype=bool)
    if not weak.any():
        return weak
    strong = np.column_stack([lo[known & ~weak], hi[known & ~weak]]).tolist()
    strong += [list(p) for p in same]
    group = np.asarray(ig.Graph(n=len(index), edges=strong).connected_components().membership)
    accused = np.bincount(group, weights=roles.accused, minlength=group.max() + 1) > 0
    gl, gr = group[lo], group[hi]
    return weak & (gl != gr) & (accused[gl] | accused[gr])
