"""The partner view: victims as stable pseudonyms, never their names, dates of birth, addresses,
postcodes or record keys; no free text at all. Applied in one place (the service layer's door)
to every payload before it is returned or exported, whatever the resource.

Redaction goes by what an element *is*, never by what a string looks like. Payloads carry typed
references from the Cypher that builds them (see `IDENTITY_FIELDS` and the other field sets):
a map with an `identity_id` (or a `person_key`, or a chart node labelled Person or Identity) is
a person; a map with an `address_key` (or a node labelled Address) is an address. The door reads
those references, asks the graph once which of them a partner may not see (`Facts`), and the
`Redactor` then replaces exactly the fields of those elements and the references to them:
names become the pseudonym ("Victim 3": the third victim in the perpetrator's chain), dates of
birth, places and record keys are emptied, ids become opaque ones. A reference the graph does
not know (a stale identity id) is treated as hidden: the view fails closed.

Free text (a dismissal reason, a notification's details, an order's conditions, any note or
minute) reaches a partner only as `WITHHELD`: docs/api.md, "What partners see of free text".
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

REDACTED = "[redacted]"
WITHHELD = "[note withheld from partner view]"

# Typed references: which fields hold what.
IDENTITY_FIELDS = frozenset({"identity_id", "perpetrator_id", "other"})
PERSON_KEY_FIELDS = frozenset({"person_key", "record_keys"})
ADDRESS_KEY_FIELDS = frozenset({"address_key"})
# Record keys of any kind (an identity, a person, an address, an incident, ...), or row keys.
ANY_KEY_FIELDS = frozenset({"key", "to", "source_key", "first_key", "evidence", "joined"})
REFERENCE_FIELDS = IDENTITY_FIELDS | PERSON_KEY_FIELDS | ADDRESS_KEY_FIELDS | ANY_KEY_FIELDS
NODE_KINDS = {"Person": "person", "Identity": "identity", "Address": "address"}

# What a hidden person's map loses.
NAME_FIELDS = frozenset(
    {"name", "names", "full_name", "caption", "surname", "forename", "middle_names", "aliases",
     "alias_text"}
)  # fmt: skip
PERSONAL_FIELDS = frozenset(
    {"date_of_birth", "dates_of_birth", "dob", "age", "pnc_id", "addresses", "residences",
     "postcode", "postcodes", "line1", "line2", "town", "address"}
)  # fmt: skip
# What a hidden address's map loses.
ADDRESS_FIELDS = frozenset({"postcode", "line1", "line2", "town", "caption", "address"})

# Free text: written by people, not drawn from a closed vocabulary. A new free-text field is
# named here (or ends in one of FREE_TEXT_SUFFIXES) and partners never see it.
FREE_TEXT = frozenset(
    {"reason", "details", "conditions", "note", "notes", "minute", "minutes", "comment",
     "comments", "narrative", "description_text"}
)  # fmt: skip
FREE_TEXT_SUFFIXES = ("_note", "_notes", "_reason", "_minutes", "_comment", "_text")
# An alert's history line: "<when> <status> by <user>", then ": <reason>" for a dismissal.
_HISTORY = re.compile(r"^(\S+ [a-z_]+(?: by [a-z0-9._-]+)?)(: .*)?$", re.S)


@lru_cache(maxsize=4096)
def free_text(name: str) -> bool:
    return name in FREE_TEXT or name.endswith(FREE_TEXT_SUFFIXES)


@dataclass
class Refs:
    """The references a payload holds, by kind."""

    identities: set[str] = field(default_factory=set)
    persons: set[str] = field(default_factory=set)
    addresses: set[str] = field(default_factory=set)
    anything: set[str] = field(default_factory=set)  # identity, person or address key

    def add_any(self, value: str) -> None:
        self.anything.add(value)
        for part in row_key_parts(value):
            self.anything.add(part)

    def person_lookups(self) -> list[str]:
        return sorted(self.persons | self.anything)

    def identity_lookups(self) -> list[str]:
        return sorted(self.identities | self.anything)

    def address_lookups(self) -> list[str]:
        return sorted(self.addresses | self.anything)


def row_key_parts(value: str) -> list[str]:
    """The keys a row key may name. A relationship's row key is `person|type|other|from`, a
    residence's `person|address|from`; since a key may itself hold `|`, every split is a
    candidate (a handful: the look-up is exact, so a wrong split finds nothing)."""
    if "|" not in value:
        return []
    body = value.rsplit("|", 1)[0]  # the trailing date
    cuts = [m.start() for m in re.finditer(re.escape("|"), body)]
    parts = {body}
    for c in cuts:
        parts.add(body[:c])
        parts.add(body[c + 1 :])
        for d in cuts:
            if d > c:
                parts.add(body[c + 1 : d])
    return sorted(p for p in parts if p)


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        yield from (v for v in value if isinstance(v, str))


def references(payload: Any) -> Refs:
    """Every typed reference in a payload (only the fields that declare one are read)."""
    refs = Refs()
    stack = [payload]
    while stack:
        v = stack.pop()
        if isinstance(v, list):
            stack.extend(x for x in v if isinstance(x, dict | list))
            continue
        if not isinstance(v, dict):
            continue
        own_keys = isinstance(v.get("identity_id"), str)  # its record_keys are its own
        for k, x in v.items():
            if k == "record_keys" and own_keys:
                pass
            elif k in IDENTITY_FIELDS:
                refs.identities.update(_strings(x))
            elif k in PERSON_KEY_FIELDS:
                refs.persons.update(_strings(x))
            elif k in ADDRESS_KEY_FIELDS:
                refs.addresses.update(_strings(x))
            elif k in ANY_KEY_FIELDS:
                for s in _strings(x):
                    refs.add_any(s)
            if isinstance(x, dict | list):
                stack.append(x)
    return refs


@dataclass
class Facts:
    """What the graph says about a payload's references, for a partner: the identity behind
    each person key and identity id found, which of those identities are hidden (and whether
    as victims), and which addresses are hidden."""

    identity_of: dict[str, str] = field(default_factory=dict)  # identity id or person key
    hidden: dict[str, bool] = field(default_factory=dict)  # hidden identity -> victim
    addresses: set[str] = field(default_factory=set)

    @classmethod
    def from_rows(cls, people: Iterable[dict[str, Any]], places: Iterable[str]) -> Facts:
        facts = cls(addresses=set(places))
        for p in people:
            ident = p["identity_id"]
            facts.identity_of[ident] = ident
            for k in p["refs"]:
                facts.identity_of[k] = ident
            if p["hidden"]:
                facts.hidden[ident] = bool(p["victim"])
        return facts


UNKNOWN = "\x00unknown:"  # an identity the graph does not know (stale id, deleted record)


class Redactor:
    """Redacts payloads given the facts and each perpetrator's victims in chain order."""

    def __init__(self, facts: Facts, secret: str, chains: dict[str, list[str]] | None = None):
        self.facts = facts
        self._secret = secret.encode()
        self.chains: dict[str, dict[str, int]] = {}
        self.wanted: set[str] = set()  # perpetrators whose chain a label asked for, not given
        self.set_chains(chains or {})

    def set_chains(self, chains: dict[str, list[str]]) -> None:
        self.chains = {p: {v: n for n, v in enumerate(vs, 1)} for p, vs in chains.items()}

    # -- who is who -------------------------------------------------------------------------

    def _identity(self, value: str, *, fail_closed: bool) -> str | None:
        ident = self.facts.identity_of.get(value)
        if ident is None and fail_closed:
            return UNKNOWN + value
        return ident

    def _hidden(self, ident: str | None, ctx: str | None) -> bool:
        if ident is None or ident == ctx:
            return False
        return ident.startswith(UNKNOWN) or ident in self.facts.hidden

    def who(self, d: dict[str, Any]) -> str | None:
        """The identity a map stands for (None: not a person)."""
        if isinstance(d.get("identity_id"), str):
            return self._identity(d["identity_id"], fail_closed=True)
        if isinstance(d.get("person_key"), str):
            return self._identity(d["person_key"], fail_closed=True)
        kind = NODE_KINDS.get(d.get("label") or "")
        if kind in ("person", "identity") and isinstance(d.get("key"), str):
            return self._identity(d["key"], fail_closed=True)
        return None

    def _place(self, d: dict[str, Any]) -> bool:
        key = d.get("address_key")
        if key is None and d.get("label") == "Address":
            key = d.get("key")
        return isinstance(key, str) and key in self.facts.addresses

    # -- names ------------------------------------------------------------------------------

    def pseudo_id(self, identity_id: str, context: str | None) -> str:
        mac = hmac.new(self._secret, f"{context}|{identity_id}".encode(), hashlib.sha256)
        return ("hidden-" if identity_id.startswith(UNKNOWN) else "victim-") + mac.hexdigest()[:12]

    def _opaque(self, prefix: str, value: str) -> str:
        return prefix + hmac.new(self._secret, value.encode(), hashlib.sha256).hexdigest()[:12]

    def label(self, identity_id: str, context: str | None) -> str:
        if context is not None and context not in self.chains:
            self.wanted.add(context)
        n = self.chains.get(context or "", {}).get(identity_id)
        if n is not None:
            return f"Victim {n}"
        if identity_id.startswith(UNKNOWN):
            return "Person (hidden)"
        return "Victim (another case)" if self.facts.hidden[identity_id] else "Partner (hidden)"

    # -- the walk ---------------------------------------------------------------------------

    def apply(self, payload: Any, context: str | None = None, rows: bool = False) -> Any:
        """The payload redacted for perpetrator `context`; with `rows`, each top-level row's
        own `identity_id` is the context for that row."""
        if rows and isinstance(payload, list):
            return [
                self.apply(r, r.get("identity_id") if isinstance(r, dict) else context)
                for r in payload
            ]
        return self._walk(payload, context)

    def _walk(self, value: Any, ctx: str | None) -> Any:
        if isinstance(value, dict):
            return self._map(value, ctx)
        if isinstance(value, list):
            return [self._walk(v, ctx) for v in value]
        return value

    def _map(self, d: dict[str, Any], ctx: str | None) -> dict[str, Any]:
        who = self.who(d)
        hidden = who if self._hidden(who, ctx) else None
        place = self._place(d)
        out: dict[str, Any] = {}
        for k, v in d.items():
            if free_text(k):
                out[k] = WITHHELD if v not in (None, "", []) else v
            elif k == "history" and isinstance(v, list):
                out[k] = [self._history(x) for x in v]
            elif hidden is not None and k in NAME_FIELDS:
                label = self.label(hidden, ctx)
                out[k] = [label] if isinstance(v, list) else label
            elif hidden is not None and k in PERSONAL_FIELDS:
                out[k] = [] if isinstance(v, list) else None
            elif k == "record_keys" and isinstance(d.get("identity_id"), str):
                out[k] = [] if hidden is not None else v  # an element's own keys
            elif hidden is not None and k in ("identity_id", "person_key", "key"):
                out[k] = self.pseudo_id(hidden, ctx)
            elif place and k in ADDRESS_FIELDS:
                out[k] = REDACTED
            elif place and k in ("address_key", "key"):
                out[k] = self._opaque("address-", v) if isinstance(v, str) else v
            else:
                out[k] = self._field(k, v, ctx)
        return out

    def _field(self, k: str, v: Any, ctx: str | None) -> Any:
        if k not in REFERENCE_FIELDS:
            return self._walk(v, ctx) if isinstance(v, dict | list) else v
        if isinstance(v, list):
            return [self._field(k, x, ctx) if isinstance(x, str) else self._walk(x, ctx)
                    for x in v]  # fmt: skip
        if not isinstance(v, str):
            return self._walk(v, ctx)
        if k in IDENTITY_FIELDS or k in PERSON_KEY_FIELDS:
            ident = self._identity(v, fail_closed=True)
            return self.pseudo_id(ident, ctx) if self._hidden(ident, ctx) and ident else v
        if k in ADDRESS_KEY_FIELDS:
            return self._opaque("address-", v) if v in self.facts.addresses else v
        if k in ANY_KEY_FIELDS:
            return self._any_key(v, ctx)
        return v

    def _any_key(self, v: str, ctx: str | None) -> str:
        ident = self.facts.identity_of.get(v)
        if ident is not None and self._hidden(ident, ctx):
            return self.pseudo_id(ident, ctx)
        if v in self.facts.addresses:
            return self._opaque("address-", v)
        for part in row_key_parts(v):
            named = self.facts.identity_of.get(part)
            if self._hidden(named, ctx) or part in self.facts.addresses:
                return self._opaque("record-", v)
        return v

    def _history(self, line: Any) -> Any:
        if not isinstance(line, str):
            return line
        m = _HISTORY.match(line)
        if m is None:
            return WITHHELD
        return m.group(1) + (": " + WITHHELD if m.group(2) else "")


def identities(payload: Any) -> set[str]:
    """Every identity id, and every person key standing for one, in a payload (for the
    audit record)."""
    out: set[str] = set()
    stack = [payload]
    while stack:
        v = stack.pop()
        if isinstance(v, dict):
            if isinstance(v.get("identity_id"), str):
                out.add(v["identity_id"])
            for k in ("perpetrator_id", "person_key"):
                if isinstance(v.get(k), str):
                    out.add(v[k])
            stack.extend(v.values())
        elif isinstance(v, list):
            stack.extend(v)
    return out
