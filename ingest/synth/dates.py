"""Dates as proleptic ordinals: ints are cheap to keep and compare; ISO strings come from a cache.

Every event the generator invents falls in ``WINDOW_START .. WINDOW_END``; births are earlier.
"""

from __future__ import annotations

from datetime import date

WINDOW_START = date(2012, 1, 1).toordinal()
WINDOW_END = date(2026, 10, 31).toordinal()
DAPO_PILOT_START = date(2024, 11, 27).toordinal()
YEAR = 365

_BASE = date(1940, 1, 1).toordinal()
_ISO: list[str] = [date.fromordinal(o).isoformat() for o in range(_BASE, WINDOW_END + 1)]


def iso(day: int) -> str:
    """ISO text of an ordinal; an IndexError here means a date escaped the window."""
    return _ISO[day - _BASE]


def shift_years(day: int, years: int) -> int:
    """Same calendar day ``years`` later (29 February falls back to the 28th)."""
    d = date.fromordinal(day)
    try:
        return d.replace(year=d.year + years).toordinal()
    except ValueError:
        return d.replace(year=d.year + years, day=28).toordinal()


def aged_at_least(dob: int, on: int, years: int) -> bool:
    """True when someone born on ``dob`` has had their ``years``-th birthday by ``on``.

    Compared as (year, month, day) tuples, so a 29 February birthday counts from 29 February
    (always a leap year at 16-year steps in this window).
    """
    b = date.fromordinal(dob)
    d = date.fromordinal(on)
    return (d.year, d.month, d.day) >= (b.year + years, b.month, b.day)


def dob_for_age(at: int, age: int, spread: int) -> int:
    """A birth date making someone ``age`` (plus up to ``spread`` days) on ``at``."""
    return at - age * YEAR - age // 4 - spread


# Everyone is 16-80 years old on the last day of the window.
DOB_MIN = shift_years(WINDOW_END, -81) + 1
DOB_MAX = shift_years(WINDOW_END, -16)


def clamp_dob(dob: int) -> int:
    """Keep a date of birth inside the 16-80 age band."""
    return DOB_MIN if dob < DOB_MIN else DOB_MAX if dob > DOB_MAX else dob
