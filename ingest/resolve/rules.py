"""What one person cannot hold two of: the rules clustering keeps in every identity.

Connected components chain links: A-B and B-C put A and C in one identity even when nothing
links A and C, so a weak link between two people's records merges all of both. A rule finds the
identities that cannot be one person (two PNC ids; two dates of birth further apart than a
keying error; two recorded genders; two forenames each given by two agencies; two records the
graph itself shows to be two people) and names pairs of records to keep apart; clustering then
cuts the weakest links between them, as it does for an analyst's `not same` decision.

The graph's own structure proves two records are two humans (`CannotLink`): parties to one
incident (a perpetrator and his victim, a victim and the witness), the subject and a protected
person of one order (and two people one order protects), the two ends of a recorded
relationship. No score, however high, puts such records in one identity.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date
from functools import lru_cache
from typing import Protocol

import numpy as np
import pandas as pd

from ingest.resolve.names import clean, one_forename

Pair = tuple[int, int]


class Rule(Protocol):
    def broken(self, membership: np.ndarray) -> set[int]:
        """The components (labels of `membership`) that break the rule."""
        ...

    def clashes(self, part: Sequence[int]) -> set[Pair]:
        """Pairs of records (indexes) of one part that must be kept apart; empty if it holds."""
        ...


def _pair(a: int, b: int) -> Pair:
    return (int(a), int(b)) if a < b else (int(b), int(a))


def _codes(values: Sequence[object]) -> np.ndarray:
    """Values as integer codes, -1 for a missing or empty one."""
    series = pd.Series(list(values), dtype=object)
    series = series.where(series.notna() & (series != ""), None)
    codes, _ = pd.factorize(series)
    return np.asarray(codes)


def _several(membership: np.ndarray, codes: np.ndarray) -> pd.DataFrame:
    """(component, code) rows of the components holding two or more different codes."""
    has = codes >= 0
    frame = pd.DataFrame({"c": membership[has], "x": codes[has]})
    distinct = frame.groupby("c")["x"].nunique()
    return frame[frame["c"].isin(distinct.index[distinct.to_numpy() > 1])]


class OneValue:
    """An identifier a person has one of (the PNC id): two different values never share an
    identity."""

    def __init__(self, values: Sequence[str | None]) -> None:
        self.codes = _codes(values)

    def broken(self, membership: np.ndarray) -> set[int]:
        return {int(c) for c in _several(membership, self.codes)["c"].unique()}

    def clashes(self, part: Sequence[int]) -> set[Pair]:
        first: dict[int, int] = {}
        for u in part:
            if self.codes[u] >= 0:
                first.setdefault(int(self.codes[u]), u)
        reps = list(first.values())
        return {_pair(a, b) for a, b in zip(reps, reps[1:], strict=False)}

    def kin(self, u: int, part: Sequence[int]) -> set[int]:
        """The records of `part` holding u's value: a cut keeps them on u's side."""
        return {int(v) for v in part if self.codes[v] == self.codes[u]}


class OneDateOfBirth:
    """A person has one date of birth, and each record may carry one keying error of it (the
    errors the model's `dob` comparison forgives: day and month swapped, one day, month or
    year off, one digit changed or two swapped). An identity breaks the rule when one of its
    dates is more than that from its central date, the one most of its dated records agree
    with; such a record is kept apart from a record holding the central date."""

    def __init__(self, dobs: Sequence[date | str | None]) -> None:
        self.days = np.array([_ordinal(d) for d in dobs], dtype=np.int64)

    def broken(self, membership: np.ndarray) -> set[int]:
        frame = _several(membership, self.days)
        counts = frame.groupby(["c", "x"]).size()
        out: set[int] = set()
        for comp, per in counts.groupby(level="c"):
            values = dict(zip(per.index.get_level_values("x").tolist(), per.tolist(), strict=True))
            if _outliers(values):
                out.add(int(comp))
        return out

    def clashes(self, part: Sequence[int]) -> set[Pair]:
        first: dict[int, int] = {}
        counts: Counter[int] = Counter()
        for u in part:
            d = int(self.days[u])
            if d >= 0:
                first.setdefault(d, u)
                counts[d] += 1
        if len(counts) < 2:
            return set()
        centre = _centre(counts)
        return {_pair(first[centre], first[d]) for d in _outliers(counts, centre)}


def _ordinal(d: date | str | None) -> int:
    if d is None or d is pd.NaT or (isinstance(d, float) and np.isnan(d)):
        return -1
    if isinstance(d, str):
        d = date.fromisoformat(d[:10])
    return date(d.year, d.month, d.day).toordinal()


def _centre(counts: dict[int, int]) -> int:
    """The date most records agree with (within a keying error), then the commonest, then the
    earliest: deterministic."""
    return max(
        counts,
        key=lambda v: (sum(c for w, c in counts.items() if keying_error(v, w)), counts[v], -v),
    )


def _outliers(counts: dict[int, int], centre: int | None = None) -> list[int]:
    """Dates further than a keying error from the centre."""
    if centre is None:
        if len(counts) < 2:
            return []
        centre = _centre(counts)
    return sorted(d for d in counts if not keying_error(centre, d))


@lru_cache(maxsize=100_000)
def keying_error(a: int, b: int) -> bool:
    """Whether two dates (ordinals) are equal or one keying error apart."""
    if abs(a - b) <= 1:
        return True
    x, y = date.fromordinal(a), date.fromordinal(b)
    if (x.month, x.day) == (y.month, y.day) and abs(x.year - y.year) == 1:
        return True
    if x.year == y.year and x.day == y.day and abs(x.month - y.month) == 1:
        return True
    if x.year == y.year and (x.month, x.day) == (y.day, y.month):
        return True
    sx, sy = x.isoformat(), y.isoformat()
    diff = [i for i in range(len(sx)) if sx[i] != sy[i]]
    return len(diff) == 1 or (
        len(diff) == 2
        and diff[1] == diff[0] + 1
        and sx[diff[0]] == sy[diff[1]]
        and sx[diff[1]] == sy[diff[0]]
    )


class OneGender(OneValue):
    """A person has one recorded gender (M or F; U, X and missing say nothing), unless an
    analyst decided `same` on two records of different genders: then the records that decision
    holds together may show both (a keying error, or a person whose gender changed)."""

    def __init__(self, genders: Sequence[str | None], same: Iterable[Pair] = ()) -> None:
        super().__init__([g if g in ("M", "F") else None for g in genders])
        self.waived = {_pair(a, b) for a, b in same if self._differ(a, b)}
        self.waived_nodes = {u for p in self.waived for u in p}

    def _differ(self, a: int, b: int) -> bool:
        return bool(self.codes[a] >= 0 and self.codes[b] >= 0 and self.codes[a] != self.codes[b])

    def broken(self, membership: np.ndarray) -> set[int]:
        waived = {int(membership[a]) for a, b in self.waived if membership[a] == membership[b]}
        return super().broken(membership) - waived

    def clashes(self, part: Sequence[int]) -> set[Pair]:
        if self.waived_nodes.intersection(part):
            inside = set(part)
            if any(a in inside and b in inside for a, b in self.waived):
                return set()
        return super().clashes(part)


class OneForename:
    """A person has one forename. A record may misspell it (one keying error), shorten it (a
    short form in any nickname family, an initial) or give the middle name in its place, but a
    spelling that two agencies record is no keying error of another: an identity breaks the
    rule when, for one surname, two forenames that are none of those of each other are each
    given by the records of two or more agencies (twins and brothers recorded by the same two
    forces: Justin and Julian, Joanna and Jane, each spelt the same everywhere). Such forenames
    are kept apart: a record of the commonest from a record of each other. An analyst's `same`
    decision between two records holds their forenames together."""

    def __init__(
        self,
        forenames: Sequence[str | None],
        surnames: Sequence[str | None],
        middles: Sequence[str | None],
        agencies: Sequence[str | None],
        same: Iterable[Pair] = (),
    ) -> None:
        self.forename, self.names = _clean_codes(forenames, shortest=2)  # an initial: no
        self.surname, _ = _clean_codes(surnames)
        self.agency = _codes(list(agencies))
        self.middle = list(middles)  # cleaned when a part is checked
        self.waived = {_pair(a, b) for a, b in same}

    def _attested(self, part: Sequence[int]) -> dict[tuple[int, int], list[int]]:
        """(surname, forename) -> the part's records giving it, for those two agencies give."""
        records: dict[tuple[int, int], list[int]] = {}
        agencies: dict[tuple[int, int], set[int]] = {}
        for u in part:
            if self.forename[u] >= 0 and self.surname[u] >= 0:
                key = (int(self.surname[u]), int(self.forename[u]))
                records.setdefault(key, []).append(int(u))
                agencies.setdefault(key, set()).add(int(self.agency[u]))
        return {k: v for k, v in records.items() if len(agencies[k]) > 1}

    def _apart(self, part: Sequence[int]) -> list[tuple[list[int], list[int]]]:
        """(records of the commonest attested forename, records of another) per clash."""
        attested = self._attested(part)
        middles = {m for u in part for m in _middle_names(self.middle[u])}
        inside = set(part)
        middles |= {  # forenames an analyst decided are one person's
            str(self.names[self.forename[u]])
            for pair in self.waived if pair[0] in inside and pair[1] in inside
            for u in pair if self.forename[u] >= 0
        }  # fmt: skip
        out: list[tuple[list[int], list[int]]] = []
        for surname in {s for s, _ in attested}:
            names = sorted(
                (
                    (str(self.names[f]), recs)
                    for (s, f), recs in attested.items()
                    if s == surname and not any(one_forename(self.names[f], m) for m in middles)
                ),
                key=lambda named: (-len(named[1]), named[1][0]),
            )
            out.extend(
                (names[0][1], recs)
                for name, recs in names[1:]
                if not one_forename(names[0][0], name)
            )
        return out

    def broken(self, membership: np.ndarray) -> set[int]:
        known = (self.forename >= 0) & (self.surname >= 0) & (self.agency >= 0)
        frame = pd.DataFrame(
            {
                "c": membership[known],
                "s": self.surname[known],
                "f": self.forename[known],
                "a": self.agency[known],
            }
        )
        per_name = frame.groupby(["c", "s", "f"])["a"].nunique()
        attested = per_name[per_name > 1].reset_index()
        names = attested.groupby(["c", "s"])["f"].nunique()
        suspects = sorted({int(c) for c, _ in names.index[names.to_numpy() > 1]})
        inside = np.flatnonzero(np.isin(membership, suspects))  # one pass, not one per suspect
        parts = pd.Series(inside).groupby(membership[inside]).agg(list)
        return {int(c) for c, part in parts.items() if self._apart(part)}

    def clashes(self, part: Sequence[int]) -> set[Pair]:
        return {_pair(first[0], other[0]) for first, other in self._apart(part)}


def _clean_codes(values: Sequence[str | None], shortest: int = 1) -> tuple[np.ndarray, list[str]]:
    """Integer codes of the `names.clean` form of each value (-1 for none, or shorter than
    `shortest`), and the cleaned name of each code; each distinct value cleaned once."""
    raw, uniques = pd.factorize(pd.Series(list(values), dtype=object))
    cleaned = [clean(v) if isinstance(v, str) else None for v in uniques]
    cleaned = [c if c and len(c) >= shortest else None for c in cleaned]
    codes, names = pd.factorize(pd.Series(cleaned, dtype=object))
    lookup = np.append(np.asarray(codes, dtype=np.int64), -1)  # raw -1 (missing) -> -1
    return lookup[raw], [str(n) for n in names]


def _middle_names(middle: str | None) -> set[str]:
    return set((clean(middle) or "").split()) if isinstance(middle, str) else set()


class CannotLink:
    """Pairs of records (indexes) that are two humans whatever their scores: no identity may
    hold both records of any pair."""

    def __init__(self, lo: np.ndarray, hi: np.ndarray, n: int) -> None:
        lo, hi = np.asarray(lo, dtype=np.int64), np.asarray(hi, dtype=np.int64)
        self.lo, self.hi = np.concatenate([lo, hi]), np.concatenate([hi, lo])
        order = np.argsort(self.lo, kind="stable")
        self.lo, self.hi = self.lo[order], self.hi[order]
        self.start = np.searchsorted(self.lo, np.arange(n + 1))  # partners of u: start[u]:[u+1]

    def broken(self, membership: np.ndarray) -> set[int]:
        joined = membership[self.lo] == membership[self.hi]
        return {int(c) for c in np.unique(membership[self.lo[joined]])}

    def clashes(self, part: Sequence[int]) -> set[Pair]:
        inside = set(part)
        out: set[Pair] = set()
        for u in part:
            for v in self.hi[self.start[u] : self.start[u + 1]].tolist():
                if v in inside:
                    out.add(_pair(u, v))
        return out


def person_rules(
    raw: pd.DataFrame,
    cannot_link: tuple[np.ndarray, np.ndarray] | None = None,
    same: Iterable[Pair] = (),
) -> list[Rule]:
    """The rules for records as `features.pull_records` returns them (columns `pnc_raw`,
    `dob`, `gender_raw`, `forename_raw`, `surname_raw`, `middle_raw`, `agency_code`): one PNC
    id, one date of birth, one gender (unless decided `same`: `same`, pairs of record indexes),
    one forename, and the structural pairs `cannot_link` (index arrays, as
    `features.cannot_link` gives them)."""
    pnc = [str(v).strip().upper() if v else None for v in raw["pnc_raw"]]
    rules: list[Rule] = [
        OneValue(pnc),
        OneDateOfBirth(list(raw["dob"])),
        OneGender(list(raw["gender_raw"]), same),
        OneForename(
            list(raw["forename_raw"]),
            list(raw["surname_raw"]),
            list(raw["middle_raw"]),
            list(raw["agency_code"]),
            same,
        ),
    ]
    if cannot_link is not None:
        rules.append(CannotLink(*cannot_link, len(raw)))
    return rules
