"""Ground truth from the generator's own knowledge of which human stands behind each record.

The rules are DOMAIN.md "Precise rules", applied per perpetrator over everything his story wrote
(every incident where a human is suspect/offender and every order where he is the subject belongs to
that human's story, so a story-local evaluation is complete).

Conventions the rules leave open, fixed here and mirrored by the tests:
- incident date = offence date, else reported date;
- a victim's first-offence date is her earliest DA incident with P as (date, incident key); only if
  she appears in no such incident, the earliest order protecting her as (issued date, order key);
  the chain sorts by (date, key, human id) - the human id only breaks ties inside one key, which the
  generator never produces;
- "aged 16+ on date d" means d >= the 16th birthday (same month and day);
- MATAC as of D counts incidents dated in (D minus 3 calendar years, D], with D minus 3 years
  taken on the same month and day (29 February -> 28 February).
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from .dates import aged_at_least, iso, shift_years

DA_CATEGORIES = frozenset({"domestic_abuse", "stalking", "harassment", "coercive_control"})
QUALIFYING_OUTCOMES = frozenset({"conviction", "caution", "acquittal"})
QUALIFYING_ORDERS = frozenset({"DVPO", "DAPO", "SPO", "ISPO", "RO", "NMO", "CBO", "VOO"})

# (date, incident key, agency index, suspect/offender hids, victim hids, outcome) - DA only
Incident = tuple[int, str, int, tuple[int, ...], tuple[int, ...], str]
# (issued date, order key, agency index, order type, subject hid, protected hids)
Order = tuple[int, str, int, str, int, tuple[int, ...]]


@dataclass(slots=True)
class StoryLog:
    """What one story wrote that the rules look at, with human ids in place of record keys."""

    incidents: list[Incident] = field(default_factory=list)
    orders: list[Order] = field(default_factory=list)


class TruthSink:
    """Collects truth story by story; big sections stream to temporary files, not to memory."""

    def __init__(self, out: Path, width: int) -> None:
        self._width = width
        self._people = tempfile.TemporaryFile("w+", encoding="utf-8", dir=out)
        self._dobs = tempfile.TemporaryFile("w+", encoding="utf-8", dir=out)
        self._chains = tempfile.TemporaryFile("w+", encoding="utf-8", dir=out)
        self._n_people = 0
        self._n_chains = 0
        self.serial: list[int] = []
        self.at_risk: list[int] = []
        self.cross_force: list[int] = []
        self.chain_lengths: list[int] = []
        # perpetrator -> his DA incidents as (date, victims aged 16+ then); only kept for those
        # with two or more such victims ever, the others cannot meet MATAC on any date.
        self._matac: list[tuple[int, tuple[tuple[int, tuple[int, ...]], ...]]] = []

    def hid(self, n: int) -> str:
        return f"H{n:0{self._width}d}"

    def human(self, hid: int, keys: Sequence[str], dob: int) -> None:
        """Record one human's person keys (sorted) and true date of birth; call in hid order."""
        sep = ",\n" if self._n_people else "\n"
        h = self.hid(hid)
        self._people.write(f'{sep}  "{h}": {json.dumps(sorted(keys))}')
        self._dobs.write(f'{sep}  "{h}": "{iso(dob)}"')
        self._n_people += 1

    def story(
        self,
        log: StoryLog,
        police: dict[int, set[int]],
        dob: dict[int, int],
        is_police: Sequence[bool],
    ) -> None:
        """Evaluate every perpetrator of one story.

        ``police`` maps each human to the police agencies holding a person record of him.
        """
        perps = {s for inc in log.incidents for s in inc[3]} | {o[4] for o in log.orders}
        for p in sorted(perps):
            first: dict[int, tuple[int, str]] = {}
            qualifying = False
            forces = set(police.get(p, ()))
            dated: list[tuple[int, tuple[int, ...]]] = []
            for day, key, agency, suspects, victims, outcome in log.incidents:
                if p not in suspects:
                    continue
                qualifying = qualifying or outcome in QUALIFYING_OUTCOMES
                if is_police[agency]:
                    forces.add(agency)
                adult: list[int] = []
                for v in victims:
                    if v == p:
                        continue
                    seen = first.get(v)
                    if seen is None or (day, key) < seen:
                        first[v] = (day, key)
                    if aged_at_least(dob[v], day, 16):
                        adult.append(v)
                dated.append((day, tuple(adult)))
            by_order: dict[int, tuple[int, str]] = {}
            for day, key, agency, kind, subject, protected in log.orders:
                if subject != p:
                    continue
                qualifying = qualifying or kind in QUALIFYING_ORDERS
                if is_police[agency]:
                    forces.add(agency)
                for v in protected:
                    seen = by_order.get(v)
                    if v != p and (seen is None or (day, key) < seen):
                        by_order[v] = (day, key)
            for v, seen in by_order.items():
                first.setdefault(v, seen)
            if len(forces) >= 2:
                self.cross_force.append(p)
            if not first:
                continue
            chain = sorted(first, key=lambda v: (first[v][0], first[v][1], v))
            self._chain(p, chain)
            if len(chain) >= 2:
                (self.serial if qualifying else self.at_risk).append(p)
            if len({v for _, adult_victims in dated for v in adult_victims}) >= 2:
                self._matac.append((p, tuple(dated)))

    def _chain(self, p: int, chain: list[int]) -> None:
        sep = ",\n" if self._n_chains else "\n"
        self._chains.write(f'{sep}  "{self.hid(p)}": {json.dumps([self.hid(v) for v in chain])}')
        self._n_chains += 1
        self.chain_lengths.append(len(chain))

    def matac(self, as_of: int) -> list[int]:
        """Perpetrators meeting MATAC as of ``as_of`` (see the module docstring for the window)."""
        low = shift_years(as_of, -3)
        found = []
        for p, dated in self._matac:
            inside = [adult for day, adult in dated if low < day <= as_of]
            if len(inside) > 1 and len({v for adult in inside for v in adult}) >= 2:
                found.append(p)
        return found

    def write(self, path: Path, as_of: int) -> None:
        """Assemble truth.json: people, the tiers, victim chains, then as_of and true DOBs."""
        with open(path, "w", encoding="utf-8", newline="\n") as f:
            f.write('{"people": {')
            self._copy(self._people, f)
            f.write("\n},\n")
            for name, ids in (
                ("serial", self.serial),
                ("at_risk", self.at_risk),
                ("matac", self.matac(as_of)),
                ("cross_force", self.cross_force),
            ):
                f.write(f'"{name}": {json.dumps([self.hid(h) for h in sorted(ids)])},\n')
            f.write('"victim_chains": {')
            self._copy(self._chains, f)
            f.write(f'\n}},\n"as_of": "{iso(as_of)}",\n"dob": {{')
            self._copy(self._dobs, f)
            f.write("\n}}\n")

    @staticmethod
    def _copy(src: IO[str], dst: IO[str]) -> None:
        src.flush()
        src.seek(0)
        shutil.copyfileobj(src, dst, 1 << 20)
        src.close()
