"""What an analyst must decide: the review band reduced to one question per pair of identities.

A pair of records scored in the review band (between the review and link thresholds) whose
records ended in different identities asks "are these two identities one person?". Three kinds
of band pair ask nothing an analyst can usefully answer, and are not queued:

- **a second pair between the same two identities**: a man's four records against a namesake's
  three make up to twelve band pairs and one question. The strongest pair is queued (its
  explanation is the case for merging); a `same` decision on it joins the identities, a
  `not same` decision keeps them apart and answers the other pairs too (below).
- **identities a rule already keeps apart** (two PNC ids, two dates of birth further apart
  than a keying error, two parties to one event): clustering would cut a link between them
  whatever the score, so there is nothing to ask. The gender rule is not one of these: it
  gives way to an analyst's `same` (a keying error, a changed gender), so its pairs are still
  asked.
- **identities an analyst has already told apart**: a `not same` decision on any pair of their
  records answers the question for the two identities.
- **a pair of an ambiguous record** (`ambiguity`): the record is asked once, with each of its
  candidates side by side; its band pairs would ask the same again.

Doubt is not hidden: every pair of identities the band joins and no rule decides is still
asked once, and the ambiguous records' pairs (`ambiguity`) are queued as they are.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from ingest.resolve.cluster import NOT_SAME, Decision
from ingest.resolve.rules import OneGender, Rule


def band_questions(
    below: pd.DataFrame,
    assignments: pd.DataFrame,
    rules: Sequence[Rule] = (),
    decided: Iterable[Decision] = (),
    ambiguous: Iterable[str] = (),
) -> pd.DataFrame:
    """The band pairs (`below`: unique_id_l, unique_id_r, match_probability, match_weight, ...)
    to queue, given the identities (`assignments`: unique_id, identity_id, in the order the
    `rules` index records): across identities, the strongest per pair of identities, none
    between identities a rule (gender aside) or a `not same` decision keeps apart, none of an
    `ambiguous` record (keys)."""
    ident = assignments.set_index("unique_id")["identity_id"]
    a = ident.reindex(below["unique_id_l"]).to_numpy()
    b = ident.reindex(below["unique_id_r"]).to_numpy()
    asked = list(ambiguous)
    mine = below["unique_id_l"].isin(asked).to_numpy() | below["unique_id_r"].isin(asked).to_numpy()
    across = below.assign(_a=np.where(a < b, a, b), _b=np.where(a < b, b, a))[(a != b) & ~mine]
    if across.empty:
        return below.iloc[:0]
    across = across.sort_values(
        ["match_weight", "unique_id_l", "unique_id_r"], ascending=[False, True, True]
    ).drop_duplicates(["_a", "_b"])
    apart = _told_apart(ident, decided)
    hard = [r for r in rules if not isinstance(r, OneGender)]
    members = _members(assignments["identity_id"].to_numpy(), {*across["_a"], *across["_b"]})
    keep = [
        (x, y) not in apart and not any(r.clashes(members[x] + members[y]) for r in hard)
        for x, y in zip(across["_a"], across["_b"], strict=True)
    ]
    return across[np.asarray(keep, dtype=bool)].drop(columns=["_a", "_b"])


def _members(identity: np.ndarray, wanted: set[str]) -> dict[str, list[int]]:
    """The records (indexes) of each `wanted` identity (`identity`: per record). A hash
    lookup: numpy's `isin` compares object arrays element by element against each wanted
    value, which at 1,000,000 people (1.5 million records, tens of thousands of identities
    asked about) took longer than the whole resolution."""
    out: dict[str, list[int]] = {}
    for u in np.flatnonzero(pd.Series(identity).isin(wanted).to_numpy()).tolist():
        out.setdefault(str(identity[u]), []).append(u)
    return out


def _told_apart(ident: pd.Series, decided: Iterable[Decision]) -> set[tuple[str, str]]:
    """Pairs of identities (ordered) holding the two records of a `not same` decision."""
    out: set[tuple[str, str]] = set()
    for d in decided:
        if d.decision == NOT_SAME and d.key_l in ident.index and d.key_r in ident.index:
            x, y = ident[d.key_l], ident[d.key_r]
            out.add((x, y) if x < y else (y, x))
    return out
