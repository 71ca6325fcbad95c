"""Person search and the identity profile."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from neo4j import Driver

from app.errors import Invalid, NotFound
from app.security.roles import Perm
from app.services import cypher
from app.services.door import Access, for_subject, personal, resolve
from graph.driver import get_driver, read
from graph.runner import plain

_TERM = re.compile(r"[^\W_]+", re.UNICODE)
_ENDS_WITH_DOB = re.compile(r"^(?P<name>.*?)[\s,]+(?P<dob>\d{4}-\d{2}-\d{2})\s*$")
_POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2}$")


def lucene(name: str | None) -> str | None:
    """A full-text query from free text: letters and digits only (nothing Lucene could read as
    syntax), lower-case, each longer term fuzzy, all terms required."""
    if not name:
        return None
    terms = [t.lower() for t in _TERM.findall(name)][:6]
    terms = [t[:40] for t in terms if t]
    if not terms:
        return None
    return " AND ".join(f"{t}~" if len(t) > 3 else t for t in terms)


def postcode(text: str | None) -> str | None:
    """A UK postcode in its stored form (upper case, one space before the inward code)."""
    if not text:
        return None
    compact = re.sub(r"\s+", "", text).upper()
    if not _POSTCODE.match(compact):
        raise Invalid("the postcode is not a UK postcode (e.g. AB1 2CD)")
    return f"{compact[:-3]} {compact[-3:]}"


def search(
    access: Access,
    *,
    name: str | None = None,
    dob: date | None = None,
    postcode_: str | None = None,
    record_key: str | None = None,
    limit: int = 25,
    driver: Driver | None = None,
) -> list[dict[str, Any]]:
    """Identities matching every criterion given (at least one): name (full-text over names
    and aliases, typo-tolerant), date of birth, postcode lived at, or a record key.
    A partner finds perpetrators only."""
    params = {
        "name": name,
        "dob": dob.isoformat() if dob else None,
        "postcode": postcode_,
        "record_key": record_key,
        "limit": limit,
    }
    query = lucene(name)
    pc = postcode(postcode_)
    if not (query or dob or pc or record_key):
        raise Invalid("give a name, a date of birth, a postcode or a record key")

    def fetch() -> list[dict[str, Any]]:
        rows = read(
            cypher.SEARCH,
            {
                "lucene": query,
                "dob": dob,
                "postcode": pc,
                "record_key": record_key,
                "limit": limit,
                "perpetrators_only": access.partner,
            },
            driver=driver or get_driver(),
        )
        return [plain(r) for r in rows]

    return personal(access, Perm.search, "search", params, fetch, rows=True, driver=driver)


def lookup(
    access: Access, text: str, *, limit: int = 10, driver: Driver | None = None
) -> list[dict[str, Any]]:
    """Who a person parameter names: the text itself when it is an identity id or a record key,
    else the identities the search finds by name, and by date of birth when the text ends with
    one ("Alan Smith 1971-04-02"); where some hold the name exactly, only those (the search is
typo-tolerant). The caller runs on one match and asks on several."""
    try:
        resolve(text, driver)
        return [{"identity_id": text}]
    except NotFound:
        pass
    m = _ENDS_WITH_DOB.match(text)
    name, dob = (m.group("name"), date.fromisoformat(m.group("dob"))) if m else (text, None)
    found = search(access, name=name, dob=dob, limit=limit, driver=driver)
    wanted = " ".join(name.lower().split())
    exact = [r for r in found if wanted in {" ".join(n.lower().split()) for n in r["names"]}]
    return exact or found


def profile(access: Access, person: str, driver: Driver | None = None) -> dict[str, Any]:
    """Everything held on one identity: records, aliases, addresses over time, incidents (with
    the other parties), orders, notifications, relationships and agencies."""
    subject = for_subject(access, person, Perm.profile, driver)

    def fetch() -> dict[str, Any]:
        rows = read(cypher.PROFILE, {"id": subject}, driver=driver or get_driver())
        if not rows:
            raise NotFound("no person with that identity id or record key")
        result: dict[str, Any] = plain(rows[0])
        return result

    return personal(
        access, Perm.profile, "profile", {"person": person}, fetch, subject=subject, driver=driver
    )
