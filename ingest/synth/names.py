"""British name pools, built once from faker's en_GB lists (calling Faker per person is too slow).

Surnames keep faker's frequency weights, so common names collide as they do in real records.
"""

from __future__ import annotations

from bisect import bisect_right
from itertools import accumulate
from random import Random

from faker.providers.person.en_GB import Provider as _GB

MALE: tuple[str, ...] = tuple(_GB.first_names_male)
FEMALE: tuple[str, ...] = tuple(_GB.first_names_female)
SURNAMES: tuple[str, ...] = tuple(_GB.last_names)
_CUM: list[float] = list(accumulate(float(w) for w in _GB.last_names.values()))

# Formal forename -> the short forms a different agency might record instead.
NICKNAMES: dict[str, tuple[str, ...]] = {
    "William": ("Bill", "Will", "Billy"),
    "Robert": ("Bob", "Rob", "Bobby"),
    "Richard": ("Rich", "Richie"),
    "James": ("Jim", "Jamie", "Jimmy"),
    "Michael": ("Mike", "Mick"),
    "Thomas": ("Tom", "Tommy"),
    "Anthony": ("Tony", "Ant"),
    "Christopher": ("Chris", "Kit"),
    "Daniel": ("Dan", "Danny"),
    "David": ("Dave", "Davy"),
    "Stephen": ("Steve",),
    "Steven": ("Steve",),
    "Andrew": ("Andy", "Drew"),
    "Matthew": ("Matt",),
    "Samuel": ("Sam",),
    "Joseph": ("Joe", "Joey"),
    "Benjamin": ("Ben",),
    "Alexander": ("Alex", "Sandy"),
    "Philip": ("Phil",),
    "Nicholas": ("Nick",),
    "Jonathan": ("Jon", "Jonny"),
    "Edward": ("Ed", "Ted", "Eddie"),
    "Peter": ("Pete",),
    "Gary": ("Gaz",),
    "Elizabeth": ("Liz", "Beth", "Lizzie"),
    "Katherine": ("Kate", "Kathy"),
    "Catherine": ("Cathy", "Kate"),
    "Margaret": ("Maggie", "Peggy"),
    "Rebecca": ("Becky", "Becca"),
    "Victoria": ("Vicky", "Tori"),
    "Jacqueline": ("Jackie",),
    "Deborah": ("Debbie", "Debs"),
    "Patricia": ("Pat", "Trish"),
    "Samantha": ("Sam", "Sammy"),
    "Jennifer": ("Jen", "Jenny"),
    "Christine": ("Chris", "Chrissie"),
    "Susan": ("Sue", "Susie"),
    "Nicola": ("Nicki",),
    "Joanne": ("Jo",),
    "Alexandra": ("Alex", "Lexi"),
    "Eleanor": ("Ellie", "Nell"),
    "Charlotte": ("Charlie", "Lottie"),
    "Josephine": ("Jo", "Josie"),
    "Abigail": ("Abbie",),
}


def forename(rng: Random, gender: str) -> str:
    """A forename from the pool for the gender (X draws from both)."""
    if gender == "X":
        gender = "M" if rng.random() < 0.5 else "F"
    pool = MALE if gender == "M" else FEMALE
    return pool[int(rng.random() * len(pool))]


def surname(rng: Random) -> str:
    """A surname, weighted by frequency; about 3% are double-barrelled."""
    name = SURNAMES[bisect_right(_CUM, rng.random() * _CUM[-1])]
    if rng.random() < 0.03:
        other = SURNAMES[int(rng.random() * len(SURNAMES))]
        if other != name:
            name = f"{name}-{other}"
    return name


def nickname(rng: Random, name: str) -> str:
    """A short form of the forename if the table knows one, else the name itself."""
    short = NICKNAMES.get(name)
    return short[int(rng.random() * len(short))] if short else name
