"""Everyone else: people known to one or two agencies, non-DA crime, unsolved DA reports.

They give identity resolution its haystack (including the planted same-name-same-DOB strangers)
and the queries their negatives: victims of non-DA offences are not "victims of P".
"""

from __future__ import annotations

from .dates import WINDOW_END, WINDOW_START, YEAR, dob_for_age
from .offences import offence, outcome
from .population import INCIDENT, Human, Story, World


def _adult(world: World, st: Story, force: int, gender: str | None = None) -> Human:
    rng = world.rng
    age = 16 + int(rng.betavariate(1.6, 2.6) * 65)
    if gender is None:
        x = rng.random()
        gender = "M" if x < 0.495 else "F" if x < 0.997 else "X"
    return world.human(st, gender, dob_for_age(WINDOW_END, age, rng.randrange(YEAR)), force)


def _known(world: World, h: Human, force: int) -> None:
    """One record, sometimes a second one elsewhere, sometimes a residence."""
    rng = world.rng
    ag = world.ag
    links = ag.links[force]
    x = rng.random()
    agency = (
        force if x < 0.85 else links.idva if x < 0.9 else links.csc if x < 0.93 else links.probation
    )
    key = world.rec(h, agency)
    y = rng.random()
    if y < 0.1:
        world.rec(h, ag.nearby_force(rng, force))
    elif y < 0.13:
        world.dup(h, force)
    if rng.random() < 0.45:
        start = rng.randint(WINDOW_START, WINDOW_END - 30)
        end = start + rng.randint(90, 2000) if rng.random() < 0.4 else None
        if end is not None and end > WINDOW_END:
            end = None
        keeper = agency if world.is_police[agency] else force
        key = world.rec(h, keeper)
        world.w.residence(key, world.address(force), start, end, world.code(keeper))


def background_story(world: World) -> None:
    """One small story of 1-3 humans, never more than the remaining budget."""
    rng = world.rng
    st = Story()
    force = world.ag.pick_force(rng)
    room = world.remaining
    x = rng.random()
    if world.clone_due():
        _known(world, world.clone(st, force), force)
    elif x < 0.6 or room < 3:
        _known(world, _adult(world, st, force), force)
    elif x < 0.96:
        _crime(world, st, force)
    else:
        _unsolved(world, st, force)
    world.flush(st)


def _crime(world: World, st: Story, force: int) -> None:
    """A non-DA offence with a suspect, usually a victim, sometimes a witness."""
    rng, w = world.rng, world.w
    cat = "sexual" if rng.random() < 0.15 else "other"
    day = rng.randint(WINDOW_START, WINDOW_END)
    key = world.key(force, INCIDENT)
    result, result_day = outcome(rng, day)
    committed = day - rng.randrange(10)
    w.incident(
        key,
        world.code(force),
        day,
        committed if rng.random() < 0.8 and committed >= WINDOW_START else None,
        cat,
        offence(rng, cat),
        result,
        result_day,
        world.address(force) if rng.random() < 0.3 else "",
    )
    suspect = _adult(world, st, force, "M" if rng.random() < 0.8 else "F")
    offender = result in ("conviction", "caution")
    suspect.pnc = offender
    w.party(key, world.rec(suspect, force), "offender" if offender else "suspect")
    if cat == "sexual" or rng.random() < 0.7:
        w.party(key, world.rec(_adult(world, st, force), force), "victim")
    if rng.random() < 0.15:
        witness = _adult(world, st, force)
        witness.sparse = True
        w.party(key, world.rec(witness, force), "witness")
    for h in st.humans:
        if rng.random() < 0.3:
            _known(world, h, force)


def _unsolved(world: World, st: Story, force: int) -> None:
    """A DA report with no identified suspect: a victim with no perpetrator."""
    rng, w = world.rng, world.w
    day = rng.randint(WINDOW_START, WINDOW_END)
    key = world.key(force, INCIDENT)
    cat = "stalking" if rng.random() < 0.4 else "harassment"
    w.incident(
        key,
        world.code(force),
        day,
        None,
        cat,
        offence(rng, cat),
        "nfa" if day + 60 <= WINDOW_END else "open",
        day + 60 if day + 60 <= WINDOW_END else None,
        "",
    )
    w.party(key, world.rec(_adult(world, st, force, "F"), force), "victim")
