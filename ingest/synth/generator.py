"""Entry point: ``synthesize`` writes a whole synthetic delivery plus truth.json.

The run is a loop of stories drawn from one ``random.Random(seed)``; nothing iterates over hash
order, so the same seed always gives the same bytes.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from itertools import accumulate
from pathlib import Path
from random import Random
from types import MappingProxyType

from . import adversarial as adversarial_cases
from .agencies import AgencyTable
from .background import background_story
from .population import World
from .stories import PerpetratorStory, humans_needed
from .truth import TruthSink
from .writer import DeliveryWriter

PERPETRATOR_SHARE = 0.3  # share of stories that are a perpetrator's (~15% of humans offend)
SHOWCASE_MIN_PEOPLE = 200  # below this there is no room for the 18+ victim showcase
SHOWCASE_VICTIMS = (18, 24)
MAX_VICTIMS = 40
_VICTIM_CUM = list(accumulate(k**-2.5 for k in range(1, MAX_VICTIMS + 1)))


@dataclass(frozen=True)
class SynthSummary:
    """What a run wrote: rows per file, humans, the delivery's last date (MATAC's "as of") and
    the longest victim chain."""

    humans: int
    rows: Mapping[str, int]
    as_of: date
    max_victims: int


def victim_count(rng: Random) -> int:
    """Heavy-tailed (P(k) ~ k^-2.5, k <= 40): about three in four have one victim, a fifth two
    to five, about 2% ten or more."""
    return 1 + bisect_right(_VICTIM_CUM, rng.random() * _VICTIM_CUM[-1])


def synthesize(people: int, seed: int, out: Path, adversarial: bool = False) -> SynthSummary:
    """Write a delivery of ``people`` humans (more person records than that) into ``out``.

    With ``people >= 200`` one perpetrator (the showcase) has 18-24 victims, at least one order of
    every type, and the notification duties that come with them. ``adversarial``: about one
    story in eight is a planted hard case for identity resolution (``adversarial.py``); without
    it the same seed gives the same bytes as before the option existed.
    """
    if people < 1:
        raise ValueError("people must be at least 1")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    rng = Random(seed)
    agencies = AgencyTable()
    truth = TruthSink(out, max(6, len(str(people))))
    showcase_at = rng.randint(1, people // 3) if people >= SHOWCASE_MIN_PEOPLE else None
    lookahead = humans_needed(MAX_VICTIMS)  # start it before any story could jump past it
    with DeliveryWriter(out) as writer:
        world = World(rng, writer, agencies, truth, people)
        while world.remaining > 0:
            room = world.remaining
            if showcase_at is not None and world.next_hid + lookahead >= showcase_at:
                PerpetratorStory(world, rng.randint(*SHOWCASE_VICTIMS), showcase=True).run()
                showcase_at = None
            elif (
                adversarial
                and room >= adversarial_cases.HUMANS
                and (rng.random() < adversarial_cases.SHARE)
            ):
                adversarial_cases.adversarial_story(world)
            elif room >= humans_needed(1) and rng.random() < PERPETRATOR_SHARE:
                k = min(victim_count(rng), (room - humans_needed(0)) // 3)
                PerpetratorStory(world, k).run()
            else:
                background_story(world)
        as_of = writer.max_date
        rows = MappingProxyType(dict(writer.counts))
    truth.write(out / "truth.json", as_of)
    return SynthSummary(people, rows, date.fromordinal(as_of), max(truth.chain_lengths, default=0))
