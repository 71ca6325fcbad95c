"""Incident categories, offence wording and outcomes, with rough real-world proportions.

Most reports end in no further action or are still open; charges, convictions, cautions and
acquittals are the minority, as in published DA outcome statistics.
"""

from __future__ import annotations

from random import Random

from .dates import WINDOW_END

OFFENCES: dict[str, tuple[str, ...]] = {
    "domestic_abuse": (
        "Common assault and battery",
        "Assault occasioning ABH",
        "Assault occasioning ABH",
        "Criminal damage (domestic)",
        "Threats to kill",
        "Non-fatal strangulation or suffocation",
        "Assault occasioning GBH",
        "Breach of the peace (domestic)",
    ),
    "coercive_control": (
        "Controlling or coercive behaviour in an intimate or family relationship",
    ),
    "stalking": (
        "Stalking involving fear of violence",
        "Stalking involving serious alarm or distress",
        "Stalking",
    ),
    "harassment": (
        "Harassment without violence",
        "Harassment putting people in fear of violence",
        "Malicious communications",
        "Sending letters with intent to cause distress or anxiety",
    ),
    "sexual": ("Sexual assault", "Voyeurism", "Exposure", "Disclosing private sexual images"),
    "other": (
        "Criminal damage",
        "Theft from a shop",
        "Possession of a controlled drug",
        "Public order offence",
        "Burglary dwelling",
        "Driving while disqualified",
    ),
}

# cumulative shares of outcomes: recent reports are mostly still open
_RECENT = (("open", 0.6), ("charged", 0.7), ("nfa", 1.0))
_SETTLED = (
    ("nfa", 0.58),
    ("open", 0.74),
    ("charged", 0.85),
    ("conviction", 0.93),
    ("caution", 0.97),
    ("acquittal", 1.0),
)
# days from report to outcome, by outcome
_DELAY = {"nfa": (3, 150), "caution": (1, 60), "conviction": (40, 420), "acquittal": (90, 480)}
_IF_LATE = {"conviction": "charged", "acquittal": "charged", "nfa": "open", "caution": "open"}


def offence(rng: Random, category: str) -> str:
    texts = OFFENCES[category]
    return texts[int(rng.random() * len(texts))]


def outcome(rng: Random, reported: int) -> tuple[str, int | None]:
    """An outcome and its date (None while open or charged and awaiting trial)."""
    table = _RECENT if WINDOW_END - reported < 90 else _SETTLED
    x = rng.random()
    result = next(o for o, cum in table if x < cum)
    delay = _DELAY.get(result)
    if delay is None:
        return result, None
    day = reported + rng.randint(*delay)
    if day > WINDOW_END:
        return _IF_LATE[result], None
    return result, day
