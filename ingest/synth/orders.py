"""Notices and orders, their breaches, and the notifications owed under them.

Lengths follow DOMAIN.md: DVPO 14-28 days, DAPO open-ended (or about a year with electronic
monitoring), SPO two years or more or until further order, NMO 6-12 months, CBO 2+ years, VOO 2-5
years. Nothing may end after the window, so an open-ended type whose end would fall later is made
"until further order" and a fixed-length one is not made at all.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .agencies import FORCES
from .dates import DAPO_PILOT_START, WINDOW_END, shift_years
from .names import forename, surname
from .population import BREACH, NOTIFICATION, ORDER, Human
from .postcodes import AREAS

if TYPE_CHECKING:
    from .stories import PerpetratorStory, VictimCtx

ORDER_TYPES = ("DVPN", "DVPO", "DAPN", "DAPO", "SPO", "ISPO", "RO", "NMO", "CBO", "VOO")
DUTY = frozenset({"DAPO", "SPO", "ISPO", "VOO"})  # orders that carry notification requirements
_FIXED = frozenset({"DVPN", "DVPO", "DAPN", "ISPO", "VOO"})  # never "until further order"
_COURT_KEPT = {"RO": 0.5, "NMO": 0.75, "CBO": 0.5, "DAPO": 0.2}  # share recorded by the court
_CONDITIONS = {
    "DVPN": "Not to contact the protected person; not to enter the shared home",
    "DVPO": "No contact with the protected person; exclusion from the home and 100 metres of it",
    "DAPN": "Not to contact the protected person; not to come within 100 metres of the home",
    "DAPO": "No contact; exclusion zone around the home",
    "SPO": "No contact by any means; not to enter the exclusion zone",
    "ISPO": "No contact by any means pending full hearing",
    "RO": "Not to contact the protected person directly or indirectly",
    "NMO": "Not to use or threaten violence; not to communicate with the applicant",
    "CBO": "Not to contact the named persons; not to enter the named street",
    "VOO": "Not to enter the named area; not to contact the named persons",
}
_BREACH_OUTCOMES = (
    "charged",
    "charged",
    "caution",
    "nfa",
    "convicted",
    "warning issued",
    "under investigation",
)
_COUNTRIES = ("Spain", "Poland", "Ireland", "Portugal", "Turkey", "Romania", "Greece", "France")


def _end(ps: PerpetratorStory, kind: str, start: int) -> tuple[bool, int | None]:
    """(fits in the window, end date or None for until further order)."""
    rng = ps.rng
    r = rng.random
    end: int | None
    if kind in ("DVPN", "DAPN"):
        end = start + 2
    elif kind == "DVPO":
        end = start + rng.randint(14, 28)
    elif kind == "ISPO":
        end = start + rng.randint(21, 120)
    elif kind == "DAPO":
        end = None if r() < 0.5 else start + rng.randint(180, 365)
    elif kind == "SPO":
        end = None if r() < 0.4 else shift_years(start, rng.randint(2, 5))
    elif kind == "RO":
        end = None if r() < 0.4 else shift_years(start, rng.randint(1, 5))
    elif kind == "NMO":
        end = None if r() < 0.1 else start + rng.randint(180, 365)
    elif kind == "CBO":
        end = None if r() < 0.2 else shift_years(start, rng.randint(2, 3))
    else:  # VOO
        end = shift_years(start, rng.randint(2, 5))
        if end > WINDOW_END:
            end = shift_years(start, 2)
    if end is not None and end > WINDOW_END:
        return kind not in _FIXED, None
    return True, end


def _body(ps: PerpetratorStory, kind: str, force: int) -> str:
    town = AREAS[FORCES[force][0]][1][0]
    if kind in ("DVPN", "DAPN"):
        return f"{ps.world.ag.force_name(force)} (authorised by an inspector)"
    if kind == "NMO" or (kind == "DAPO" and ps.rng.random() < 0.3):
        return f"{town} Family Court"
    if kind in ("RO", "CBO") and ps.rng.random() < 0.5:
        return f"{town} Crown Court"
    return f"{town} Magistrates' Court"


def issue(
    ps: PerpetratorStory, kind: str, ctx: VictimCtx, issued: int, force: int, extra: Human | None
) -> int | None:
    """Write one notice/order protecting the victim (and maybe one more person).

    Returns the end date (or the issue date if open-ended), None if the order does not fit.
    """
    world, w, rng = ps.world, ps.w, ps.rng
    ag = world.ag
    if issued > WINDOW_END:
        return None
    if force == ag.btp and kind not in ("DAPN", "DAPO", "SPO", "ISPO"):
        force = ps.force_at(issued)
    fits, end = _end(ps, kind, issued)
    if not fits:
        return None
    court = rng.random() < _COURT_KEPT.get(kind, 0.0)
    agency = ag.links[force].court if court else force
    key = world.key(agency, ORDER)
    code = world.code(agency)
    w.order(
        key,
        kind,
        world.rec(ps.p, agency),
        issued,
        _body(ps, kind, force),
        issued,
        end,
        _CONDITIONS[kind],
        code,
    )
    protected = [ctx.human] if extra is None else [ctx.human, extra]
    for h in protected:
        w.protected(key, world.rec(h, agency))
    ps.st.log.orders.append((issued, key, agency, kind, ps.p.hid, tuple(h.hid for h in protected)))
    ps.kinds.add(kind)
    if kind in DUTY:
        ps.duties.append((issued, WINDOW_END if end is None else end, kind == "DAPO"))
    _breaches(ps, key, kind, issued, end, agency)
    return issued if end is None else end


def _breaches(
    ps: PerpetratorStory, key: str, kind: str, start: int, end: int | None, agency: int
) -> None:
    rng, world = ps.rng, ps.world
    if rng.random() >= (0.3 if kind in ("SPO", "RO", "DAPO", "NMO") else 0.12):
        return
    lo, hi = start + 1, WINDOW_END if end is None else min(end, WINDOW_END)
    if lo > hi:
        return
    for _ in range(1 + (rng.random() < 0.35) + (rng.random() < 0.15)):
        day = rng.randint(lo, hi)
        police = agency if world.is_police[agency] else ps.force_at(day)
        outcome = _BREACH_OUTCOMES[int(rng.random() * len(_BREACH_OUTCOMES))]
        ps.w.breach(world.key(police, BREACH), key, day, outcome, world.code(police))


def after_incident(
    ps: PerpetratorStory,
    ctx: VictimCtx,
    day: int,
    cat: str,
    force: int,
    result: str,
    result_day: int | None,
) -> None:
    """Orders that may follow one incident: police notices, SPOs, orders on conviction."""
    rng = ps.rng
    r = rng.random
    ag = ps.world.ag
    if cat in ("domestic_abuse", "coercive_control") and r() < 0.08:
        pilot = ag.dapo_pilot[force] and day >= DAPO_PILOT_START
        notice, order = ("DAPN", "DAPO") if pilot else ("DVPN", "DVPO")
        if issue(ps, notice, ctx, day, force, None) is not None and r() < 0.85:
            child = ctx.child if ctx.child is not None and r() < 0.3 else None
            issue(ps, order, ctx, day + rng.randint(1, 2), force, child)
    elif cat == "stalking" and r() < 0.14:
        when = day + rng.randint(3, 40)
        extra = (
            ps.third_party(ctx)
            if r() < 0.25
            else (ctx.child if ctx.child is not None and r() < 0.3 else None)
        )
        if r() < 0.4:
            interim_end = issue(ps, "ISPO", ctx, when, force, extra)
            if interim_end is not None:
                issue(ps, "SPO", ctx, interim_end, force, extra)
        else:
            issue(ps, "SPO", ctx, when, force, extra)
    if result == "conviction" and result_day is not None:
        if r() < 0.45:
            issue(ps, "RO", ctx, result_day, force, None)
        if cat in ("harassment", "stalking") and r() < 0.05:
            issue(ps, "CBO", ctx, result_day, force, None)
        if cat == "domestic_abuse" and r() < 0.02:
            issue(ps, "VOO", ctx, result_day + rng.randint(14, 90), force, None)
    elif result == "acquittal" and result_day is not None and r() < 0.25:
        issue(ps, "RO", ctx, result_day, force, None)  # s.5A: restraining order on acquittal


def every_type(ps: PerpetratorStory) -> None:
    """The showcase perpetrator gets at least one of every order type, for demos and tests."""
    rng = ps.rng
    partners = [c for c in ps.victims if not c.family]
    last, middle = partners[-1], partners[len(partners) // 2]
    for kind in ORDER_TYPES:
        if kind in ps.kinds:
            continue
        ctx = last if kind in ("DAPN", "DAPO") else middle
        force = next((f for f in ctx.forces if f != ps.world.ag.btp), ps.force_at(ctx.start))
        day = min(ctx.start + rng.randint(5, 60), WINDOW_END - 40)
        if kind == "VOO":
            day = min(day, shift_years(WINDOW_END, -2) - 10)
        issue(ps, kind, ctx, day, force, None)


def notifications(ps: PerpetratorStory) -> None:
    """Events a subject must notify within 3 days; some notified in time, some late, some never."""
    if not ps.duties:
        return
    rng, world, p = ps.rng, ps.world, ps.p
    r = rng.random
    windows = sorted(ps.duties)

    def owed(day: int) -> bool:
        return any(a <= day <= b for a, b, _ in windows)

    events: list[tuple[int, str, str]] = []
    for a, b, dapo in windows:
        events.append((a, "address_change", "Initial notification of names and home address"))
        if r() < (0.5 if dapo else 0.2):  # a positive requirement to attend a programme
            day = a + rng.randint(7, 30)
            for i in range(rng.randint(4, 10)):
                events.append(
                    (
                        day,
                        "treatment_attendance",
                        f"Attended behaviour change programme session {i + 1}",
                    )
                )
                day += rng.randint(7, 14)
        if r() < 0.35:
            for _ in range(1 + (r() < 0.3)):
                country = _COUNTRIES[int(r() * len(_COUNTRIES))]
                events.append(
                    (
                        rng.randint(a, b),
                        "travel_abroad",
                        f"Travel to {country} for {rng.randint(3, 21)} days",
                    )
                )
    events.extend(
        (h.start, "address_change", "Moved to a new home address")
        for h in ps.homes[1:]
        if owed(h.start)
    )
    events.extend(
        (c.start, "new_relationship", "New intimate relationship")
        for c in ps.victims
        if not c.family and owed(c.start)
    )
    if r() < 0.1:
        a, b, _ = windows[0]
        new_name = f"{forename(rng, p.gender)} {surname(rng)}"
        p.aliases = (*p.aliases, new_name)
        events.append(
            (rng.randint(a, b), "name_change", f"Change of name by deed poll to {new_name}")
        )
    events.sort()
    for day, kind, details in events:
        x = r()
        if x < 0.65:
            notified = day + rng.randint(0, 3)
        elif x < 0.82:
            notified = day + rng.randint(4, 45)
        else:
            continue  # never notified
        if notified > WINDOW_END:
            continue
        force = ps.force_at(notified)
        world_key = world.key(force, NOTIFICATION)
        ps.w.notification(
            world_key,
            world.rec(p, force),
            kind,
            notified,
            day if r() > 0.05 else None,
            details,
            world.code(force),
        )
