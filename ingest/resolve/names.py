"""Name normalisation for matching: lower case, one canonical forename per nickname family, and a
Soundex code for surnames.

Agencies type the same man as "Bill", "Will" or "William"; comparing canonical forms lets the
model score those as a name agreement instead of a Jaro-Winkler miss. The table is general
English usage, not a copy of any generator's list.
"""

from __future__ import annotations

import re
from functools import lru_cache

_SPACES = re.compile(r"\s+")
_NOT_NAME = re.compile(r"[^a-z' -]")

# Canonical (formal) forename -> the short forms in common British use.
_FAMILIES: dict[str, tuple[str, ...]] = {
    "abigail": ("abbie", "abby", "abi", "gail"),
    "alexander": ("alex", "sandy", "xander", "al", "alec"),
    "alexandra": ("alex", "lexi", "sandra", "alexa"),
    "andrew": ("andy", "drew", "andi"),
    "anthony": ("tony", "ant", "anton"),
    "benjamin": ("ben", "benny", "benji"),
    "catherine": ("cathy", "cath", "kate", "katie", "cat"),
    "charlotte": ("charlie", "lottie", "lotte"),
    "christine": ("chris", "chrissie", "chrissy", "tina"),
    "christopher": ("chris", "kit", "topher"),
    "daniel": ("dan", "danny"),
    "david": ("dave", "davy", "davie"),
    "deborah": ("debbie", "debs", "debra", "deb"),
    "edward": ("ed", "ted", "eddie", "ned", "teddy"),
    "eleanor": ("ellie", "nell", "nora", "elle"),
    "elizabeth": ("liz", "beth", "lizzie", "betty", "eliza", "libby"),
    "gary": ("gaz",),
    "jacqueline": ("jackie", "jacqui"),
    "james": ("jim", "jamie", "jimmy", "jas"),
    "jennifer": ("jen", "jenny", "jenni"),
    "joanne": ("jo", "joanna", "jo-anne"),
    "jonathan": ("jon", "jonny", "johnny"),
    "joseph": ("joe", "joey", "jo"),
    "josephine": ("jo", "josie", "jo-jo"),
    "katherine": ("kate", "kathy", "katie", "kath", "kat"),
    "margaret": ("maggie", "peggy", "meg", "madge"),
    "matthew": ("matt", "matty"),
    "michael": ("mike", "mick", "mickey", "micky"),
    "nicholas": ("nick", "nicky", "nico"),
    "nicola": ("nicki", "nikki", "nic"),
    "patricia": ("pat", "trish", "patsy", "tricia"),
    "peter": ("pete",),
    "philip": ("phil", "pip"),
    "rebecca": ("becky", "becca", "bex"),
    "richard": ("rich", "richie", "rick", "dick"),
    "robert": ("bob", "rob", "bobby", "robbie", "bert"),
    "samantha": ("sam", "sammy", "sammie"),
    "samuel": ("sam", "sammy"),
    "stephen": ("steve", "stevie"),
    "steven": ("steve", "stevie"),
    "susan": ("sue", "susie", "suzy"),
    "thomas": ("tom", "tommy"),
    "victoria": ("vicky", "tori", "vicki"),
    "william": ("bill", "will", "billy", "liam", "willy"),
}


def _nickname_table() -> dict[str, str]:
    """Short form -> one canonical forename (the first family that claims it, alphabetically)."""
    table: dict[str, str] = {}
    for formal in sorted(_FAMILIES):
        for short in _FAMILIES[formal]:
            table.setdefault(short, formal)
    # Two formal spellings of one name share a canonical form.
    table["steven"] = "stephen"
    return table


NICKNAMES: dict[str, str] = _nickname_table()


def clean(name: str | None) -> str | None:
    """Lower case, letters/hyphen/apostrophe/space only, single spaces; None when nothing left."""
    if not name:
        return None
    s = _SPACES.sub(" ", _NOT_NAME.sub("", name.lower())).strip()
    return s or None


def canonical_forename(name: str | None) -> str | None:
    """The formal forename a nickname stands for, else the cleaned name itself."""
    s = clean(name)
    return NICKNAMES.get(s, s) if s else None


def _families() -> dict[str, frozenset[str]]:
    """Cleaned forename -> every formal forename it may stand for (itself included)."""
    table: dict[str, set[str]] = {}
    for formal, shorts in _FAMILIES.items():
        for name in (formal, *shorts):
            table.setdefault(name, {name}).add(formal)
    table["steven"].add("stephen")
    table["stephen"].add("steven")
    return {name: frozenset(formal) for name, formal in table.items()}


_FAMILY = _families()


def one_forename(a: str, b: str) -> bool:
    """Whether two cleaned forenames may be one person's: the same, one a short form of the
    other in any family ("sam" for Samuel or Samantha), or one keying error apart (a letter
    changed, added or dropped, or two side by side swapped: "cnoor" for "conor")."""
    if _FAMILY.get(a, frozenset({a})) & _FAMILY.get(b, frozenset({b})):
        return True
    return _one_edit(a, b)


def _one_edit(a: str, b: str) -> bool:
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) <= 1 or (
            len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]]
            and a[diff[1]] == b[diff[0]]
        )  # fmt: skip
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


_CODES = {
    c: str(d)
    for d, letters in enumerate(("", "bfpv", "cgjkqsxz", "dt", "l", "mn", "r"), start=0)
    for c in letters
}


@lru_cache(maxsize=200_000)
def soundex(name: str | None) -> str | None:
    """American Soundex of the first part of a (cleaned) name, e.g. 'robert' -> 'R163'."""
    s = clean(name)
    if not s:
        return None
    word = re.split(r"[ -]", s)[0].replace("'", "")
    if not word:
        return None
    out = word[0].upper()
    last = _CODES.get(word[0], "")
    for ch in word[1:]:
        code = _CODES.get(ch, "")
        if code and code != last:
            out += code
        if ch not in "hw":
            last = code
    return (out + "000")[:4]


def canonical_full_name(name: str | None) -> str:
    """'Bill  Brown' -> 'william brown': canonical forename, then the rest, as `full_name` is."""
    s = clean(name)
    if not s:
        return ""
    first, _, rest = s.partition(" ")
    return f"{NICKNAMES.get(first, first)} {rest}".strip()
