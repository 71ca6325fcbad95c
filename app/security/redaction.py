"""The partner view: victims as stable pseudonyms, never their names, dates of birth, addresses
or postcodes. Applied in one place (the service layer's door) to every payload before it is
returned or exported, whatever the resource, so no parameter can lift it.

Two passes over the payload. Structural: a map that names a hidden identity (by `identity_id`,
`key` or `person_key`) has its name fields replaced by the pseudonym ("Victim 3": the third
victim in the perpetrator's chain), its date-of-birth, address and record-key fields emptied
and its keys replaced by an opaque id; a map that names a hidden address loses its lines and
postcode. Then a safety net: any remaining string that holds a hidden person's name or postcode,
or equals a hidden date of birth or key, is replaced as well.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

REDACTED = "[redacted]"
NAME_FIELDS = frozenset(
    {
        "name",
        "names",
        "full_name",
        "caption",
        "surname",
        "forename",
        "middle_names",
        "aliases",
        "alias_text",
    }
)
DOB_FIELDS = frozenset({"date_of_birth", "dates_of_birth", "dob", "age"})
PLACE_FIELDS = frozenset(
    {"addresses", "residences", "postcode", "postcodes", "line1", "line2", "town", "address"}
)
KEY_FIELDS = frozenset({"identity_id", "key", "person_key"})
ADDRESS_FIELDS = frozenset({"postcode", "line1", "line2", "town", "caption"})


@dataclass
class Hidden:
    """One identity a partner may not see, with everything that could name or locate it."""

    identity_id: str
    victim: bool
    person_keys: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    dobs: list[str] = field(default_factory=list)
    address_keys: list[str] = field(default_factory=list)
    postcodes: list[str] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)


class Redactor:
    """Redacts payloads given the hidden identities and each perpetrator's victim order."""

    def __init__(self, hidden: Iterable[Hidden], chains: dict[str, list[str]], secret: str):
        self.hidden = {h.identity_id: h for h in hidden}
        self.chains = {p: {v: n for n, v in enumerate(vs, 1)} for p, vs in chains.items()}
        self._secret = secret.encode()
        self.by_key: dict[str, str] = {}
        self.addresses: set[str] = set()
        for h in self.hidden.values():
            self.by_key[h.identity_id] = h.identity_id
            for k in h.person_keys:
                self.by_key[k] = h.identity_id
            self.addresses.update(h.address_keys)
        self._nets: dict[str | None, tuple[re.Pattern[str] | None, set[str]]] = {}

    def _net(self, ctx: str | None) -> tuple[re.Pattern[str] | None, set[str]]:
        """The safety net for context `ctx`: every hidden text but the perpetrator's own."""
        if ctx not in self._nets:
            texts: set[str] = set()
            exact: set[str] = set()
            for h in self.hidden.values():
                if h.identity_id == ctx:
                    continue
                texts.update(
                    t.strip().lower()
                    for t in h.names + h.postcodes + h.lines
                    if t and len(t.strip()) >= 4
                )
                exact.update(h.dobs)
            alternation = "|".join(re.escape(t) for t in sorted(texts, key=len, reverse=True))
            self._nets[ctx] = (re.compile(alternation, re.I) if alternation else None, exact)
        return self._nets[ctx]

    def pseudo_id(self, identity_id: str, context: str | None) -> str:
        mac = hmac.new(self._secret, f"{context}|{identity_id}".encode(), hashlib.sha256)
        return "victim-" + mac.hexdigest()[:12]

    def label(self, identity_id: str, context: str | None) -> str:
        n = self.chains.get(context or "", {}).get(identity_id)
        if n is not None:
            return f"Victim {n}"
        return "Victim (another case)" if self.hidden[identity_id].victim else "Partner (hidden)"

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
        if isinstance(value, str):
            return self._text(value, ctx)
        return value

    def _who(self, d: dict[str, Any], ctx: str | None) -> str | None:
        for k in ("identity_id", "person_key", "key"):
            v = d.get(k)
            ident = self.by_key.get(v) if isinstance(v, str) else None
            if ident is not None and ident != ctx:
                return ident
        return None

    def _map(self, d: dict[str, Any], ctx: str | None) -> dict[str, Any]:
        who = self._who(d, ctx)
        place = d.get("address_key") in self.addresses or (
            d.get("label") == "Address" and d.get("key") in self.addresses
        )
        out: dict[str, Any] = {}
        for k, v in d.items():
            if who is not None and k in NAME_FIELDS:
                label = self.label(who, ctx)
                out[k] = [label] if isinstance(v, list) else label
            elif who is not None and k in DOB_FIELDS | PLACE_FIELDS:
                out[k] = [] if isinstance(v, list) else None
            elif who is not None and k == "record_keys":
                out[k] = []
            elif who is not None and k in KEY_FIELDS:
                out[k] = self.pseudo_id(who, ctx)
            elif place and k in ADDRESS_FIELDS:
                out[k] = REDACTED
            else:
                out[k] = self._walk(v, ctx)
        return out

    def _text(self, s: str, ctx: str | None) -> str:
        if "|" in s:  # a row key (e.g. `person|intimate_partner|other|date`): part by part
            return "|".join(self._text(part, ctx) for part in s.split("|"))
        ident = self.by_key.get(s)
        if ident is not None and ident != ctx:
            return self.pseudo_id(ident, ctx)
        if s in self.addresses:
            return "address-" + hmac.new(self._secret, s.encode(), hashlib.sha256).hexdigest()[:12]
        pattern, exact = self._net(ctx)
        if s in exact:
            return REDACTED
        if pattern is not None and pattern.search(s):
            return pattern.sub(REDACTED, s)
        return s


def strings(payload: Any) -> set[str]:
    """Every short key-like string in a payload: the candidates the facts query looks up."""
    out: set[str] = set()
    stack = [payload]
    while stack:
        v = stack.pop()
        if isinstance(v, dict):
            stack.extend(v.values())
        elif isinstance(v, list):
            stack.extend(v)
        elif isinstance(v, str) and 0 < len(v) <= 200 and " " not in v:
            out.add(v)
            out.update(v.split("|"))  # the parts of a row key
    return out


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
