"""Record variants: how the same human looks when several agencies each type him in.

A human's first record is his true identity (name, DOB); every further record may carry
nicknames, part of a double-barrelled surname, swapped forename and surname, one-letter typos, a
mistyped or missing DOB, an unknown gender, and the aliases police systems keep.
"""

from __future__ import annotations

from datetime import date
from random import Random
from typing import Protocol

from .names import nickname

_LETTERS = "abcdefghijklmnopqrstuvwxyz"
# (surname, forename, middle_names, date_of_birth, gender, aliases)
Fields = tuple[str, str, str, int | None, str, str]


class Identity(Protocol):
    forename: str
    middle: str
    surname: str
    dob: int
    gender: str
    aliases: tuple[str, ...]


def typo(rng: Random, s: str) -> str:
    """One keying error: a substituted, dropped, doubled or swapped letter (never the first)."""
    if len(s) < 4:
        return s
    i = 1 + int(rng.random() * (len(s) - 2))
    x = rng.random()
    if x < 0.35:
        c = _LETTERS[int(rng.random() * 26)]
        return s[:i] + c + s[i + 1 :]
    if x < 0.6:
        return s[:i] + s[i + 1 :]
    if x < 0.8:
        return s[:i] + s[i] + s[i:]
    return s[:i] + s[i + 1] + s[i] + s[i + 2 :]


def dob_typo(rng: Random, dob: int) -> int:
    """Day and month swapped when that is a different valid date, else one digit off by one."""
    d = date.fromordinal(dob)
    if d.day <= 12 and d.day != d.month and rng.random() < 0.5:
        return date(d.year, d.day, d.month).toordinal()
    x = rng.random()
    step = 1 if rng.random() < 0.5 else -1
    try:
        if x < 0.4:
            return d.replace(day=d.day + step).toordinal()
        if x < 0.7:
            return d.replace(year=d.year + step).toordinal()
        return d.replace(month=d.month + step).toordinal()
    except ValueError:
        return d.replace(day=d.day - 1 if d.day > 1 else 2).toordinal()


def barrel_variant(rng: Random, surname: str) -> str:
    """One part of a double-barrelled surname, or the parts unhyphenated or reversed."""
    a, _, b = surname.partition("-")
    return (a, b, f"{a} {b}", f"{b}-{a}")[int(rng.random() * 4)]


def variant(rng: Random, h: Identity, first: bool, keeps_aliases: bool) -> Fields:
    """The name, DOB and gender one record shows for human ``h`` (PNC is added by the caller)."""
    r = rng.random
    fore, sur, mid, dob, gender = h.forename, h.surname, h.middle, h.dob, h.gender
    dob_out: int | None = dob
    if first:
        if mid and r() < 0.2:
            mid = ""
    else:
        if r() < 0.12:
            fore = nickname(rng, fore)
        elif r() < 0.04:
            fore = typo(rng, fore)
        if "-" in sur and r() < 0.5:
            sur = barrel_variant(rng, sur)
        elif r() < 0.04:
            sur = typo(rng, sur)
        if r() < 0.02:
            fore, sur = sur, fore
        if mid and r() < 0.5:
            mid = ""
        x = r()
        if x < 0.08:
            dob_out = None
        elif x < 0.13:
            dob_out = dob_typo(rng, dob)
        if r() < 0.02:
            gender = "U"
    aliases = ""
    if h.aliases and r() < (0.7 if keeps_aliases else 0.2):
        aliases = ";".join(h.aliases)
    return sur, fore, mid, dob_out, gender, aliases
