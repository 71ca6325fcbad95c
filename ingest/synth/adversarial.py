"""Planted hard cases for identity resolution (`serialwatch synth --adversarial`).

Each case is a small story of people whose records are easy to confuse, written with exactly
the fields the case needs (no random noise on top), in the same extract format and with the same
truth as every other story:

- **couple**: a perpetrator and the partner who shares his (or her) surname and home, each
  recorded by two forces, with one witness in both forces' incidents; one of the partner's
  records has an unknown gender and sometimes no DOB. He also had an earlier victim, so a merge
  with his partner changes his victims and his tier.
- **namesakes**: two men with one full name and DOB and different PNC ids, one a serial
  perpetrator, one with a caution for something else; a force in a third region holds a record
  of that name (half the time with their DOB, as in issue 20, else none), with no PNC id and no
  address, suspect in a new DA incident: it belongs to one of them, and nothing in it says
  which.
- **brothers**: two brothers (same surname, often the same initial) born 10 to 30 months apart
  at one address, each with a record that has no DOB; one abused a partner, the other was a
  witness.
- **twins**: one DOB, one surname, one address, forenames often alike; one of them offends.
- **married name**: a woman recorded under her own surname by one force and under her
  partner's by another (same forename and DOB: one human), his victim in the second force.

Seeded through the run's generator like everything else; truth comes from the story.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from random import Random

from . import names
from .dates import WINDOW_END, WINDOW_START, YEAR, clamp_dob, dob_for_age
from .offences import offence
from .population import INCIDENT, PERSON, Human, Story, World

HUMANS = 6  # the most humans one case makes
SHARE = 0.12  # share of stories that are planted cases in an adversarial delivery
_KEEP = object()


@dataclass
class _Record:
    key: str
    agency: int
    surname: str
    forename: str
    dob: int | None
    gender: str
    pnc: bool


@dataclass
class Case:
    """One planted story: its humans, their records (exact fields), its incidents."""

    world: World
    st: Story = field(default_factory=Story)
    records: dict[int, list[_Record]] = field(default_factory=dict)
    agency_of: dict[str, int] = field(default_factory=dict)

    @property
    def rng(self) -> Random:
        return self.world.rng

    def person(self, gender: str, dob: int, force: int) -> Human:
        return self.world.human(self.st, gender, dob, force)

    def record(
        self,
        h: Human,
        agency: int,
        *,
        dob: int | None | object = _KEEP,
        gender: str | None = None,
        surname: str | None = None,
        pnc: bool = False,
    ) -> str:
        key = self.world.key(agency, PERSON)
        self.agency_of[key] = agency
        self.records.setdefault(h.hid, []).append(
            _Record(
                key,
                agency,
                surname or h.surname,
                h.forename,
                h.dob if dob is _KEEP else dob,  # type: ignore[arg-type]
                gender or h.gender,
                pnc,
            )
        )
        return key

    def home(self, keys: list[str], force: int, start: int) -> str:
        """One address in `force` where every record's agency has them living from `start`."""
        address = self.world.address(force)
        for key in keys:
            agency = self.world.code(self.agency_of[key])
            self.world.w.residence(key, address, start, None, agency)
        return address

    def incident(
        self,
        force: int,
        day: int,
        suspect: tuple[Human, str],
        victim: tuple[Human, str] | None,
        *,
        witness: str | None = None,
        result: str = "open",
        category: str = "domestic_abuse",
    ) -> str:
        world = self.world
        key = world.key(force, INCIDENT)
        text = offence(self.rng, category)
        done = day + 30 if result in ("conviction", "caution") else None
        world.w.incident(key, world.code(force), day, day, category, text, result, done, "")
        role = "offender" if result in ("conviction", "caution") else "suspect"
        world.w.party(key, suspect[1], role)
        if victim is not None:
            world.w.party(key, victim[1], "victim")
        if witness is not None:
            world.w.party(key, witness, "witness")
        if category != "other" and victim is not None:
            self.st.log.incidents.append(
                (day, key, force, (suspect[0].hid,), (victim[0].hid,), result)
            )
        return key

    def flush(self) -> None:
        world = self.world
        police: dict[int, set[int]] = {}
        dobs: dict[int, int] = {}
        for h in self.st.humans:
            recs = self.records.get(h.hid) or []
            if not recs:
                self.record(h, h.force)
                recs = self.records[h.hid]
            pnc = world.pnc_id(h)
            for r in recs:
                world.w.person(
                    r.key,
                    world.code(r.agency),
                    r.surname,
                    r.forename,
                    "",
                    r.dob,
                    r.gender,
                    "",
                    pnc if r.pnc else "",
                )
            police[h.hid] = {r.agency for r in recs if world.is_police[r.agency]}
            dobs[h.hid] = h.dob
            world.truth.human(h.hid, [r.key for r in recs], h.dob)
        world.truth.story(self.st.log, police, dobs, world.is_police)


def adversarial_story(world: World) -> None:
    """One planted case, its kind drawn from the run's generator."""
    case = Case(world)
    kind = (_couple, _namesakes, _brothers, _twins, _married_name)[int(world.rng.random() * 5)]
    kind(case)
    case.flush()


def _day(case: Case, lo: int = WINDOW_START, hi: int = WINDOW_END - 60) -> int:
    return case.rng.randint(lo, hi)


def _near(case: Case, dob: int, years_lo: int, years_hi: int) -> int:
    """A date of birth some years (any number of days) from `dob`: never the same day and month
    by construction, which would read as a keying error of it."""
    return dob + case.rng.randint(years_lo * YEAR, years_hi * YEAR)


def _adult_dob(case: Case, age_lo: int = 20, age_hi: int = 60) -> int:
    rng = case.rng
    return clamp_dob(dob_for_age(WINDOW_END, rng.randint(age_lo, age_hi), rng.randrange(YEAR)))


def _couple(case: Case) -> None:
    rng, ag = case.rng, case.world.ag
    f1 = ag.pick_force(rng)
    f2 = ag.nearby_force(rng, f1)
    gender = "M" if rng.random() < 0.8 else "F"
    p = case.person(gender, _adult_dob(case), f1)
    partner = case.person("F" if gender == "M" else "M", _near(case, p.dob, -3, 3), f1)
    partner.surname = p.surname
    earlier = case.person("F" if gender == "M" else "M", _near(case, p.dob, -4, 4), f1)
    witness = case.person("M" if rng.random() < 0.5 else "F", _adult_dob(case), f1)
    day = _day(case, WINDOW_START + 400)
    e = case.record(earlier, f1)
    p1 = case.record(p, f1, pnc=True)
    case.incident(f1, day - rng.randint(200, 380), (p, p1), (earlier, e), result="caution")
    q1 = case.record(partner, f1)
    w1, w2 = case.record(witness, f1), case.record(witness, f2)
    p2 = case.record(p, f2, pnc=True)
    q2 = case.record(partner, f2, gender="U", dob=None if rng.random() < 0.3 else partner.dob)
    case.home([p1, q1, p2, q2], f1, day - 100)
    case.world.w.relationship(p1, q1, "intimate_partner", day - 100, None, case.world.code(f1))
    case.incident(f1, day, (p, p1), (partner, q1), witness=w1)
    case.incident(f2, day + rng.randint(20, 50), (p, p2), (partner, q2), witness=w2)


def _namesakes(case: Case) -> None:
    rng, ag = case.rng, case.world.ag
    f1 = ag.pick_force(rng)
    f2 = f3 = f1
    while ag.agencies[f2].region == ag.agencies[f1].region:
        f2 = ag.pick_force(rng)
    while ag.agencies[f3].region in (ag.agencies[f1].region, ag.agencies[f2].region):
        f3 = ag.pick_force(rng)  # a third region: not even the region says whose record it is
    serial = case.person("M", _adult_dob(case, 25, 55), f1)
    other = case.person("M", serial.dob, f2)
    other.forename, other.surname = serial.forename, serial.surname
    a = case.record(serial, f1, pnc=True)
    case.record(serial, ag.links[f1].court, pnc=True)
    b = case.record(other, f2, pnc=True)
    case.record(other, ag.links[f2].court, pnc=True)
    case.home([a], f1, _day(case, WINDOW_START, WINDOW_START + 900))
    case.home([b], f2, _day(case, WINDOW_START, WINDOW_START + 900))
    day = _day(case, WINDOW_START + 1500)
    for i in range(2):
        v = case.person("F", _near(case, serial.dob, -6, 4), f1)
        case.incident(
            f1, day - 400 * (i + 1), (serial, a), (v, case.record(v, f1)), result="conviction"
        )
    stranger = case.person("M", _adult_dob(case), f2)
    case.incident(
        f2,
        day - 300,
        (other, b),
        (stranger, case.record(stranger, f2)),
        result="caution",
        category="other",
    )
    owner = serial if rng.random() < 0.5 else other  # the record says nothing of which
    r = case.record(owner, f3, dob=None if rng.random() < 0.5 else owner.dob)
    v = case.person("F", _near(case, owner.dob, -6, 4), f3)
    case.incident(f3, day, (owner, r), (v, case.record(v, f3)))


def _brothers(case: Case) -> None:
    rng, ag = case.rng, case.world.ag
    f1 = ag.pick_force(rng)
    older = case.person("M", _adult_dob(case, 20, 50), f1)
    younger = case.person("M", older.dob + rng.randint(300, 900), f1)
    younger.surname = older.surname
    _alike(case, younger, older)
    o1, y1 = case.record(older, f1), case.record(younger, f1)
    o2 = case.record(older, ag.links[f1].probation, dob=None)
    y2 = case.record(younger, ag.nearby_force(rng, f1), dob=None)
    case.home([o1, y1, o2, y2], f1, _day(case, WINDOW_START, WINDOW_START + 700))
    perp, pk, bro, bk = (older, o1, younger, y1) if rng.random() < 0.5 else (younger, y1, older, o1)
    v = case.person("F", _near(case, perp.dob, -3, 3), f1)
    case.incident(
        f1, _day(case, WINDOW_START + 800), (perp, pk), (v, case.record(v, f1)), witness=bk
    )


def _twins(case: Case) -> None:
    rng, ag = case.rng, case.world.ag
    f1 = ag.pick_force(rng)
    gender = "M" if rng.random() < 0.5 else "F"
    one = case.person(gender, _adult_dob(case, 18, 45), f1)
    two = case.person(gender if rng.random() < 0.7 else "FM".replace(gender, ""), one.dob, f1)
    two.surname = one.surname
    _alike(case, two, one)
    keys = [case.record(one, f1), case.record(two, f1)]
    elsewhere = ag.nearby_force(rng, f1)
    keys += [case.record(one, elsewhere, dob=None), case.record(two, elsewhere)]
    case.home(keys, f1, _day(case, WINDOW_START, WINDOW_START + 700))
    v = case.person("F" if one.gender == "M" else "M", _near(case, one.dob, -2, 2), f1)
    case.incident(f1, _day(case, WINDOW_START + 800), (one, keys[0]), (v, case.record(v, f1)))


def _married_name(case: Case) -> None:
    rng, ag = case.rng, case.world.ag
    f1 = ag.pick_force(rng)
    f2 = ag.nearby_force(rng, f1)
    her = case.person("F", _adult_dob(case, 20, 50), f1)
    him = case.person("M", _near(case, her.dob, -4, 6), f2)
    day = _day(case, WINDOW_START + 900)
    case.home([case.record(her, f1)], f1, day - 800)
    mine = case.record(her, f2, surname=him.surname, gender="U" if rng.random() < 0.3 else "F")
    his = case.record(him, f2, pnc=rng.random() < 0.5)
    case.home([mine, his], f2, day - 200)
    case.world.w.relationship(his, mine, "intimate_partner", day - 200, None, case.world.code(f2))
    case.incident(f2, day, (him, his), (her, mine))


def _alike(case: Case, h: Human, like: Human) -> None:
    """Often give `h` a forename with `like`'s initial (siblings' names often rhyme), never
    the same forename nor a spelling or short form of it (parents do not name twins Tracy and
    Tracey, or Ellie and Eleanor)."""
    rng = case.rng
    initial = rng.random() < 0.6
    for _ in range(200):
        name = names.forename(rng, h.gender)
        if not _same_name(name, like.forename) and (not initial or name[0] == like.forename[0]):
            h.forename = name
            return
    while _same_name(h.forename, like.forename):
        h.forename = names.forename(rng, h.gender)


def _same_name(a: str, b: str) -> bool:
    """One forename in two spellings or forms: a nickname of the other (both ways), one a
    prefix of the other (Bethan, Bethany), or one letter added, dropped or changed."""
    x, y = a.lower(), b.lower()
    short = {
        n.lower() for full, ns in names.NICKNAMES.items() for n in (full, *ns) if a in (full, *ns)
    }
    if y in short or x.startswith(y) or y.startswith(x):
        return True
    if abs(len(x) - len(y)) > 1:
        return False
    if len(x) == len(y):
        return sum(c != d for c, d in zip(x, y, strict=True)) <= 1
    longer, shorter = (x, y) if len(x) > len(y) else (y, x)
    return any(longer[:i] + longer[i + 1 :] == shorter for i in range(len(longer)))
