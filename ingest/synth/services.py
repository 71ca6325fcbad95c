"""Records the rest of the system makes around a perpetrator's story.

IDVA, ISAC, MARAC and children's services records for victims; court, probation and prison
records after a conviction; relationships as agencies recorded them; residences (not always kept by
the local force); and the smaller side plots: associates, joint suspects, non-DA offending.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .dates import WINDOW_END, YEAR, dob_for_age
from .offences import offence, outcome
from .population import INCIDENT, Human

if TYPE_CHECKING:
    from .stories import Home, PerpetratorStory, VictimCtx

_KEEPS_HOMES = frozenset({"police_force", "probation", "idva_service"})


def victim_records(ps: PerpetratorStory, ctx: VictimCtx) -> None:
    """Specialist services for her, her child, and how agencies recorded the relationship."""
    rng, world, w, p, v = ps.rng, ps.world, ps.w, ps.p, ctx.human
    r = rng.random
    ag = world.ag
    first = next((f for f in ctx.forces if f != ag.btp), ps.force_at(ctx.start))
    links = ag.links[first]
    if r() < 0.35:
        world.rec(v, links.idva)
    if ctx.stalked and r() < 0.4:
        world.rec(v, links.isac)
    marac = r() < 0.12
    if marac:
        world.rec(v, links.marac)
        if r() < 0.7:
            world.rec(p, links.marac)
    agency = links.idva if links.idva in v.recs and r() < 0.15 else first
    if marac and p.recs.get(links.marac) and r() < 0.5:
        agency = links.marac
    pk, vk, code = world.rec(p, agency), world.rec(v, agency), world.code(agency)
    if ctx.family:
        w.relationship(pk, vk, "family", None, None, code)
    else:
        w.relationship(pk, vk, "intimate_partner", ctx.start if r() > 0.05 else None, ctx.end, code)
        if ctx.end is not None and r() < 0.5:
            w.relationship(pk, vk, "ex_partner", ctx.end, None, code)
    child = ctx.child
    if child is None:
        return
    keeper = links.csc if r() < 0.6 else first
    w.relationship(
        world.rec(v, keeper), world.rec(child, keeper), "family", None, None, world.code(keeper)
    )
    if child.dob > ctx.start and r() < 0.6:  # born during the relationship: his child too
        w.relationship(
            world.rec(p, keeper), world.rec(child, keeper), "family", None, None, world.code(keeper)
        )


def extras(ps: PerpetratorStory) -> None:
    """An associate (sometimes a joint suspect) and some offending that is not DA."""
    rng, world, w, p = ps.rng, ps.world, ps.w, ps.p
    r = rng.random
    home = ps.homes[-1]
    if r() < 0.15:
        force = home.force
        a = world.human(ps.st, "M", p.dob + rng.randint(-5 * YEAR, 5 * YEAR), force)
        ps.associate = a
        w.relationship(
            world.rec(p, force),
            world.rec(a, force),
            "associate",
            home.start,
            None,
            world.code(force),
        )
        targets = [c for c in ps.victims if not c.family]
        if targets and r() < 0.25:
            ctx = targets[-1]
            day = min(WINDOW_END, max(ctx.start, home.start) + rng.randrange(200))
            _joint_incident(ps, ctx, a, day, force)
    for _ in range(4):
        if r() >= 0.2:
            break
        day = rng.randint(ps.homes[0].start, WINDOW_END)
        _other_incident(ps, day, ps.force_at(day))


def _joint_incident(ps: PerpetratorStory, ctx: VictimCtx, a: Human, day: int, force: int) -> None:
    world, w, p = ps.world, ps.w, ps.p
    key = world.key(force, INCIDENT)
    result, result_day = outcome(ps.rng, day)
    w.incident(
        key,
        world.code(force),
        day,
        day,
        "harassment",
        offence(ps.rng, "harassment"),
        result,
        result_day,
        "",
    )
    role = "offender" if result in ("conviction", "caution") else "suspect"
    for h in (p, a):
        h.pnc = h.pnc or role == "offender"
        w.party(key, world.rec(h, force), role)
    w.party(key, world.rec(ctx.human, force), "victim")
    ps.st.log.incidents.append((day, key, force, (p.hid, a.hid), (ctx.human.hid,), result))


def _other_incident(ps: PerpetratorStory, day: int, force: int) -> None:
    """Non-DA offending: the victim here is not a 'victim of P' under the rules."""
    rng, world, w, p = ps.rng, ps.world, ps.w, ps.p
    cat = "sexual" if rng.random() < 0.12 else "other"
    key = world.key(force, INCIDENT)
    result, result_day = outcome(rng, day)
    w.incident(
        key,
        world.code(force),
        day,
        day if rng.random() < 0.7 else None,
        cat,
        offence(rng, cat),
        result,
        result_day,
        "",
    )
    role = "offender" if result in ("conviction", "caution") else "suspect"
    p.pnc = p.pnc or role == "offender"
    w.party(key, world.rec(p, force), role)
    if ps.strangers < 2 and rng.random() < 0.6:
        ps.strangers += 1
        gender = "F" if rng.random() < 0.6 else "M"
        s = world.human(
            ps.st, gender, dob_for_age(WINDOW_END, rng.randint(16, 80), rng.randrange(YEAR)), force
        )
        s.sparse = True
        w.party(key, world.rec(s, force), "victim")


def justice_records(ps: PerpetratorStory) -> None:
    """After a conviction or caution: court, often probation, sometimes prison records."""
    rng, world, p = ps.rng, ps.world, ps.p
    ag = world.ag
    for day, force in ps.convictions:
        links = ag.links[force]
        world.rec(p, links.court)
        if rng.random() < 0.75:
            world.rec(p, links.probation)
            if rng.random() < 0.5:
                ps.residence(p, links.probation, ps.home_at(day))
        if rng.random() < 0.3:
            world.rec(p, ag.prison)


def emit_homes(ps: PerpetratorStory, h: Human, homes: list[Home], share: float) -> None:
    """Residence rows, mostly kept by the local force, sometimes by another agency that knows h."""
    rng, world = ps.rng, ps.world
    types = [a.type for a in world.ag.agencies]
    for home in homes:
        if rng.random() >= share:
            continue
        agency = home.force
        if home.force not in h.recs or rng.random() < 0.3:
            # the local force never dealt with h: an agency that did records the new address
            known = [a for a in h.recs if a != home.force and types[a] in _KEEPS_HOMES]
            if known and rng.random() < 0.7:
                agency = known[-1]
        ps.residence(h, agency, home)
