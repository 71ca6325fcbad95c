"""Humans, their person records and the shared state of one generation run.

A *story* is a group of humans whose lives touch (a perpetrator, his victims, their children,
witnesses); all of a human's records are made inside his story, so when the story ends its person
rows and truth can be written and the story forgotten. Only a few counters outlive a story.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from random import Random

from . import names
from .agencies import AgencyTable
from .dates import DOB_MAX, DOB_MIN, clamp_dob
from .noise import variant
from .postcodes import address
from .truth import StoryLog, TruthSink
from .writer import DeliveryWriter

PERSON, INCIDENT, ORDER, BREACH, ADDRESS, NOTIFICATION = range(6)
_LETTER = "PIOBAN"
_PNC_CHECK = "ABCDEFGHJKLMNPQRTUVWXYZ"
_RECORD_TYPES_WITH_PNC = frozenset({"police_force", "probation", "prison", "court"})
_NOMIS_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"


class Human:
    """One real (synthetic) person: true identity plus the records agencies hold of him/her."""

    __slots__ = (
        "hid",
        "gender",
        "forename",
        "middle",
        "surname",
        "dob",
        "aliases",
        "recs",
        "extra",
        "pnc",
        "force",
        "sparse",
    )

    def __init__(
        self, hid: int, gender: str, forename: str, middle: str, surname: str, dob: int, force: int
    ) -> None:
        self.hid = hid
        self.gender = gender
        self.forename = forename
        self.middle = middle
        self.surname = surname
        self.dob = dob
        self.force = force
        self.aliases: tuple[str, ...] = ()
        self.recs: dict[int, str] = {}  # agency index -> that agency's main record of him
        self.extra: list[tuple[int, str]] = []  # duplicate records inside one agency
        self.pnc = False  # convicted or cautioned: has a PNC id
        self.sparse = False  # known only in passing (witness, stranger): DOB often not taken


@dataclass(slots=True)
class Story:
    """The humans of one story and the log the truth is computed from."""

    humans: list[Human] = field(default_factory=list)
    log: StoryLog = field(default_factory=StoryLog)


class World:
    """Run-wide state: randomness, writer, agencies, key counters, human budget, truth sink."""

    def __init__(
        self,
        rng: Random,
        writer: DeliveryWriter,
        agencies: AgencyTable,
        truth: TruthSink,
        people: int,
    ) -> None:
        self.rng = rng
        self.w = writer
        self.ag = agencies
        self.truth = truth
        self.people = people
        self.next_hid = 1
        self._counters = [[0] * 6 for _ in agencies.sources]
        self._clone_pool: deque[tuple[str, str, str, str, int]] = deque(maxlen=256)
        self.clones = 0
        self._types = [a.type for a in agencies.agencies]
        self._codes = [a.code for a in agencies.agencies]
        self.is_police = agencies.is_police
        for a in agencies.agencies:
            writer.agency(a.code, a.name, a.type, a.region)

    @property
    def remaining(self) -> int:
        return self.people - self.next_hid + 1

    def code(self, agency: int) -> str:
        return self._codes[agency]

    # -- humans and records ------------------------------------------------------------------
    def human(self, story: Story, gender: str, dob: int, force: int) -> Human:
        """A new human with a fresh British name; the caller has checked the budget."""
        if self.next_hid > self.people:
            raise RuntimeError("human budget exceeded")  # a bug in the story's budget check
        rng = self.rng
        middle = names.forename(rng, gender) if rng.random() < 0.4 else ""
        h = Human(
            self.next_hid,
            gender,
            names.forename(rng, gender),
            middle,
            names.surname(rng),
            clamp_dob(dob),
            force,
        )
        self.next_hid += 1
        story.humans.append(h)
        return h

    def clone_due(self) -> bool:
        """Plant a same-name-same-DOB stranger for about one human in a thousand."""
        return bool(self._clone_pool) and self.clones < max(1, self.next_hid // 1000)

    def clone(self, story: Story, force: int) -> Human:
        """A distinct human sharing the full name and DOB of someone made earlier."""
        fore, mid, sur, gender, dob = self._clone_pool[
            int(self.rng.random() * len(self._clone_pool))
        ]
        h = self.human(story, gender, dob, force)
        h.forename, h.middle, h.surname = fore, mid, sur
        self.clones += 1
        return h

    def key(self, agency: int, kind: int) -> str:
        """The next key of ``kind`` in the agency's record system."""
        s = self.ag.source_of[agency]
        counter = self._counters[s]
        counter[kind] += 1
        n = counter[kind]
        source = self.ag.sources[s]
        if kind == PERSON:
            kind_type = self._types[agency]
            if kind_type == "probation":
                return f"{source}:X{n:06d}"
            if kind_type == "prison":
                letters = _NOMIS_LETTERS
                m = n // 10000
                return (
                    f"{source}:{letters[m // 576 % 24]}{n % 10000:04d}"
                    f"{letters[m // 24 % 24]}{letters[m % 24]}"
                )
            if kind_type == "court":
                return f"{source}:D{n:07d}"
            if kind_type != "police_force":
                return f"{source}:C{n:06d}"
        return f"{source}:{_LETTER[kind]}{n:06d}"

    def rec(self, h: Human, agency: int) -> str:
        """The agency's record of ``h``, created the first time the agency meets him."""
        key = h.recs.get(agency)
        if key is None:
            key = h.recs[agency] = self.key(agency, PERSON)
        return key

    def dup(self, h: Human, agency: int) -> str:
        """A second, unlinked record of ``h`` inside one agency (a missed duplicate check)."""
        key = self.key(agency, PERSON)
        h.extra.append((agency, key))
        return key

    def address(self, force: int) -> str:
        """A new address in the force area, written at once (keyed in the force's system)."""
        key = self.key(force, ADDRESS)
        line1, line2, town, pc = address(self.rng, force)
        self.w.address(key, line1, line2, town, pc)
        return key

    # -- end of a story ----------------------------------------------------------------------
    def flush(self, story: Story) -> None:
        """Write every person record of the story's humans, then its truth."""
        rng = self.rng
        police: dict[int, set[int]] = {}
        dob: dict[int, int] = {}
        for h in story.humans:
            if not h.recs:
                self.rec(h, h.force)
            pnc = self.pnc_id(h) if h.pnc else ""
            records = list(h.recs.items()) + h.extra
            for i, (agency, key) in enumerate(records):
                kind = self._types[agency]
                sur, fore, mid, d, gender, aliases = variant(rng, h, i == 0, kind == "police_force")
                if i == 0 and h.sparse and rng.random() < 0.3:
                    d = None
                p = pnc if pnc and kind in _RECORD_TYPES_WITH_PNC and rng.random() < 0.7 else ""
                self.w.person(key, self._codes[agency], sur, fore, mid, d, gender, aliases, p)
            police[h.hid] = {a for a, _ in records if self.is_police[a]}
            dob[h.hid] = h.dob
            self.truth.human(h.hid, [k for _, k in records], h.dob)
            if not h.sparse and h.hid % 7 == 0 and DOB_MIN <= h.dob <= DOB_MAX:
                self._clone_pool.append((h.forename, h.middle, h.surname, h.gender, h.dob))
        self.truth.story(story.log, police, dob, self.is_police)

    def pnc_id(self, h: Human) -> str:
        """A PNC-style id (YY/NNNNNNNL), derived from the hid so it is stable per human."""
        yy = 12 + h.hid % 14
        n = (h.hid * 7919) % 10_000_000
        return f"{yy:02d}/{n:07d}{_PNC_CHECK[(yy + n) % 23]}"
