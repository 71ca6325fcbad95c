"""A perpetrator's story: where he lived, whom he abused, what the agencies recorded.

He moves between force areas; each relationship brings incidents recorded by the force where he
(or, after separation, she) lived then; some incidents lead to notices, orders and breaches; a
conviction brings court, probation and prison records. Victims gain IDVA, ISAC and MARAC records,
some have children known to children's services.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field

from . import orders, services
from .dates import (
    DAPO_PILOT_START,
    DOB_MAX,
    WINDOW_END,
    WINDOW_START,
    YEAR,
    dob_for_age,
    shift_years,
)
from .names import forename, surname
from .offences import offence, outcome
from .population import INCIDENT, Human, Story, World
from .truth import DA_CATEGORIES


@dataclass(slots=True)
class Home:
    """One residence period; ``end`` None while still living there."""

    start: int
    end: int | None
    force: int
    address: str


def humans_needed(victims: int) -> int:
    """Upper bound of humans a story with this many victims creates (victim, child, third party
    per victim; the perpetrator, three witnesses, an associate and two strangers)."""
    return 7 + 3 * victims


@dataclass(slots=True)
class VictimCtx:
    """What the story knows about one victim while it writes her incidents."""

    human: Human
    start: int
    end: int | None
    family: bool
    homes: list[Home]
    child: Human | None = None
    third: Human | None = None
    forces: list[int] = field(default_factory=list)
    stalked: bool = False

    def home_at(self, day: int) -> Home:
        current = self.homes[0]
        for home in self.homes:
            if home.start <= day:
                current = home
        return current


class PerpetratorStory:
    """Builds one perpetrator's story and writes it (call ``run`` once)."""

    def __init__(self, world: World, victims: int, showcase: bool = False) -> None:
        self.world = world
        self.rng = world.rng
        self.w = world.w
        self.st = Story()
        self.k = victims
        self.showcase = showcase
        self.witnesses: list[Human] = []
        self.strangers = 0
        self.associate: Human | None = None
        self.victims: list[VictimCtx] = []
        self.duties: list[tuple[int, int, bool]] = []  # notification windows (start, end, DAPO)
        self.convictions: list[tuple[int, int]] = []  # (date, force)
        self.kinds: set[str] = set()  # order types issued
        self.homes: list[Home] = []
        self._home_starts: list[int] = []
        self._residences: set[tuple[str, str, int]] = set()  # rows written, to skip repeats
        rng = self.rng
        gender = "M" if rng.random() < 0.88 else "F"
        age = 19 + int(rng.betavariate(2.2, 4.0) * 55)
        self.p = world.human(
            self.st,
            gender,
            dob_for_age(WINDOW_END, age, rng.randrange(YEAR)),
            world.ag.pick_force(rng),
        )

    # -- the perpetrator and his homes ------------------------------------------------------
    def run(self) -> None:
        rng, p = self.rng, self.p
        if rng.random() < 0.1:
            p.aliases = tuple(self._alias() for _ in range(1 + (rng.random() < 0.3)))
        earliest = max(WINDOW_START, shift_years(p.dob, 17))
        latest = WINDOW_END - 45
        if self.showcase:
            begin, finish = WINDOW_START + rng.randrange(200), latest
        else:
            length = min(
                latest - earliest, int(self.k * rng.uniform(150, 600)) + rng.randrange(900)
            )
            begin = rng.randint(earliest, latest - length)
            finish = begin + length
        self._plan_homes(begin)
        starts = sorted(rng.randint(begin, finish) for _ in range(self.k))
        if self.showcase:  # a recent relationship, so DAPN/DAPO can be shown in a pilot area
            starts[-1] = max(starts[-1], DAPO_PILOT_START + rng.randrange(120))
        for i, s in enumerate(starts):
            self._victim(i, s)
        services.extras(self)
        if self.showcase:
            orders.every_type(self)
        services.justice_records(self)
        orders.notifications(self)
        services.emit_homes(self, p, self.homes, 0.9)
        for v in self.victims:
            services.emit_homes(self, v.human, v.homes, 0.75)
        self.world.flush(self.st)

    def _alias(self) -> str:
        p = self.p
        x = self.rng.random()
        if x < 0.4:
            return f"{forename(self.rng, p.gender)} {p.surname}"
        if x < 0.8:
            return f"{p.forename} {surname(self.rng)}"
        return f"{p.middle or p.forename} {p.surname}"

    def _plan_homes(self, begin: int) -> None:
        rng, world = self.rng, self.world
        mobility = 0.6 if self.showcase else 0.12 + min(0.4, 0.05 * self.k)
        day = max(WINDOW_START, begin - rng.randrange(700))
        force = self.p.force
        while True:
            end = day + rng.randint(150, 1100)
            home = Home(day, end if end < WINDOW_END else None, force, world.address(force))
            self.homes.append(home)
            if home.end is None:
                break
            day = end
            if rng.random() < mobility:
                force = world.ag.nearby_force(rng, force)
        self._home_starts = [h.start for h in self.homes]

    def home_at(self, day: int) -> Home:
        i = bisect_right(self._home_starts, day) - 1
        return self.homes[i if i >= 0 else 0]

    def force_at(self, day: int) -> int:
        return self.home_at(day).force

    def residence(self, h: Human, agency: int, home: Home) -> None:
        """One residence row as ``agency`` holds it, unless that exact row was written already."""
        key = self.world.rec(h, agency)
        if (key, home.address, home.start) not in self._residences:
            self._residences.add((key, home.address, home.start))
            self.w.residence(key, home.address, home.start, home.end, self.world.code(agency))

    # -- victims and incidents ----------------------------------------------------------------
    def _victim(self, i: int, s: int) -> None:
        rng, world, p = self.rng, self.world, self.p
        family = i > 0 and rng.random() < 0.06
        force = self.force_at(s)
        end: int | None
        if family:  # a parent or sibling: DA includes family members
            dob = (
                p.dob - rng.randint(20, 32) * YEAR
                if rng.random() < 0.5
                else p.dob + rng.randint(-6 * YEAR, 6 * YEAR)
            )
            v = world.human(self.st, "F" if rng.random() < 0.7 else "M", dob, force)
            end = None
        else:
            gender = ("F" if p.gender == "M" else "M") if rng.random() < 0.95 else p.gender
            age = (s - p.dob) // YEAR + rng.randint(-8, 6)
            age = 14 + (rng.random() < 0.5) if rng.random() < 0.03 else max(16, min(75, age))
            v = world.human(self.st, gender, dob_for_age(s, age, rng.randrange(YEAR)), force)
            end = s + rng.randint(20, 1400)
            if end >= WINDOW_END - 1:
                end = None
        if not family and v.gender == "F" and rng.random() < 0.04:
            v.aliases = (f"{v.forename} {surname(rng)}",)  # a former surname
        homes = self._victim_homes(s, end, force, family)
        ctx = VictimCtx(v, s, end, family, homes)
        self.victims.append(ctx)
        if not family and rng.random() < 0.3:
            ctx.child = self._child(ctx)
        n = 1 if rng.random() < 0.45 else 2 if rng.random() < 0.6 else rng.randint(3, 6)
        day = min(s + rng.randint(7, max(7, min((end or WINDOW_END) - s, 500))), WINDOW_END)
        for j in range(n):
            if day > WINDOW_END:
                break
            # the showcase's victims must all count, so his first report of each is DA
            self._incident(ctx, day, "domestic_abuse" if self.showcase and j == 0 else None)
            day += rng.randint(5, 420)
        if not family and rng.random() < 0.05 and ctx.forces:
            orders.issue(
                self, "NMO", ctx, min(WINDOW_END, s + rng.randint(30, 200)), ctx.forces[0], None
            )
        services.victim_records(self, ctx)

    def _victim_homes(self, s: int, end: int | None, force: int, family: bool) -> list[Home]:
        rng, world = self.rng, self.world
        if not family and rng.random() < 0.55:  # living together at his address
            his = self.home_at(s)
            to = end if his.end is None or (end is not None and end < his.end) else his.end
            homes = [Home(s, to, force, his.address)]
        else:
            homes = [
                Home(max(WINDOW_START, s - rng.randrange(900)), None, force, world.address(force))
            ]
        if end is not None and (homes[0].end is not None or rng.random() < 0.4):
            new_force = force if rng.random() < 0.75 else world.ag.nearby_force(rng, force)
            moved = max(end, homes[0].start + 1)
            homes[0].end = moved
            homes.append(Home(moved, None, new_force, world.address(new_force)))
        return homes

    def _child(self, ctx: VictimCtx) -> Human | None:
        lo = shift_years(ctx.human.dob, 18)
        hi = min(DOB_MAX, ctx.start + 700)
        if lo > hi:
            return None
        rng = self.rng
        child = self.world.human(
            self.st, "M" if rng.random() < 0.5 else "F", rng.randint(lo, hi), ctx.human.force
        )
        child.surname = ctx.human.surname if rng.random() < 0.6 else self.p.surname
        return child

    def _incident(self, ctx: VictimCtx, day: int, category: str | None = None) -> None:
        rng, world, w, p, v = self.rng, self.world, self.w, self.p, ctx.human
        x = rng.random()
        during = ctx.end is None or day <= ctx.end
        if category is not None:
            cat = category
        elif ctx.family:
            cat = "domestic_abuse" if x < 0.85 else "harassment"
        elif during:
            cat = (
                "domestic_abuse"
                if x < 0.6
                else "coercive_control"
                if x < 0.82
                else "harassment"
                if x < 0.9
                else "stalking"
                if x < 0.95
                else "sexual"
            )
        else:
            cat = (
                "stalking"
                if x < 0.5
                else "harassment"
                if x < 0.85
                else "domestic_abuse"
                if x < 0.95
                else "other"
            )
        force = self.force_at(day) if during else ctx.home_at(day).force
        if cat in ("stalking", "harassment") and rng.random() < 0.03:
            force = world.ag.btp
        ctx.forces.append(force)
        ctx.stalked = ctx.stalked or cat == "stalking"
        committed = day - rng.randrange(45)
        offence_day = None if rng.random() < 0.15 or committed < WINDOW_START else committed
        result, result_day = outcome(rng, day)
        key = world.key(force, INCIDENT)
        where = ctx.home_at(day).address if force != world.ag.btp and rng.random() < 0.5 else ""
        w.incident(
            key,
            world.code(force),
            day,
            offence_day,
            cat,
            offence(rng, cat),
            result,
            result_day,
            where,
        )
        offender = result in ("conviction", "caution")
        suspect = world.dup(p, force) if rng.random() < 0.03 else world.rec(p, force)
        w.party(key, suspect, "offender" if offender else "suspect")
        w.party(key, world.rec(v, force), "victim")
        if offender:
            p.pnc = True
            if result_day is not None:
                self.convictions.append((result_day, force))
        if cat in DA_CATEGORIES:
            self.st.log.incidents.append(
                (offence_day or day, key, force, (p.hid,), (v.hid,), result)
            )
        if rng.random() < 0.2:
            witness = self._witness(ctx)
            w.party(key, world.rec(witness, force), "witness")
        orders.after_incident(self, ctx, day, cat, force, result, result_day)
        if ctx.child is not None and during and rng.random() < 0.06:
            self._child_incident(ctx, ctx.child, day, force)
        if not ctx.family and during and rng.random() < 0.03:
            self._counter_allegation(ctx, day, force)

    def _child_incident(self, ctx: VictimCtx, child: Human, day: int, force: int) -> None:
        """The same night, a separate report with the child as victim (children are DA victims)."""
        world, w = self.world, self.w
        key = world.key(force, INCIDENT)
        result, result_day = outcome(self.rng, day)
        w.incident(
            key,
            world.code(force),
            day,
            None,
            "domestic_abuse",
            "Child cruelty or neglect",
            result,
            result_day,
            "",
        )
        role = "offender" if result in ("conviction", "caution") else "suspect"
        self.p.pnc = self.p.pnc or role == "offender"
        w.party(key, world.rec(self.p, force), role)
        w.party(key, world.rec(child, force), "victim")
        self.st.log.incidents.append((day, key, force, (self.p.hid,), (child.hid,), result))

    def _counter_allegation(self, ctx: VictimCtx, day: int, force: int) -> None:
        """He reports her: she becomes a suspect and he a victim (she is then a perpetrator)."""
        world, w, rng = self.world, self.w, self.rng
        key = world.key(force, INCIDENT)
        result = "nfa" if rng.random() < 0.85 else "open"
        result_day = day + rng.randint(3, 60) if result == "nfa" else None
        if result_day is not None and result_day > WINDOW_END:
            result, result_day = "open", None
        w.incident(
            key,
            world.code(force),
            day,
            day,
            "domestic_abuse",
            "Common assault and battery",
            result,
            result_day,
            "",
        )
        w.party(key, world.rec(ctx.human, force), "suspect")
        w.party(key, world.rec(self.p, force), "victim")
        self.st.log.incidents.append((day, key, force, (ctx.human.hid,), (self.p.hid,), result))

    def _witness(self, ctx: VictimCtx) -> Human:
        rng = self.rng
        if ctx.child is not None and rng.random() < 0.3:
            return ctx.child
        others = [c.human for c in self.victims if c is not ctx and not c.family]
        if others and rng.random() < 0.15:
            return others[-1]  # a former partner gives a statement
        if len(self.witnesses) < 3:
            gender = "M" if rng.random() < 0.5 else "F"
            h = self.world.human(
                self.st,
                gender,
                dob_for_age(WINDOW_END, rng.randint(18, 75), rng.randrange(YEAR)),
                ctx.human.force,
            )
            h.sparse = True
            self.witnesses.append(h)
            return h
        return self.witnesses[int(rng.random() * len(self.witnesses))]

    def third_party(self, ctx: VictimCtx) -> Human:
        """Her new partner or a relative: a protected person who need not be a victim."""
        if ctx.third is None:
            rng = self.rng
            ctx.third = self.world.human(
                self.st,
                "M" if rng.random() < 0.7 else "F",
                ctx.human.dob + rng.randint(-5 * YEAR, 5 * YEAR),
                ctx.human.force,
            )
        return ctx.third
