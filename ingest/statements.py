"""The Cypher that loads each file: batched `UNWIND $rows ... MERGE` keyed on record keys.

Every statement returns `changed`, how many of its rows created or altered something; the rest
of a batch was already in the graph as given (a count, not the keys: the loader knows every
row's key, and sending a first load's keys back cost the loader CPU for nothing). A node row is
unchanged when its stored `row_hash` equals the row's hash, so reloading a delivery rewrites
nothing. Relationship types come from the fixed maps below, never from input.
"""

from __future__ import annotations

from typing import LiteralString, cast

# A node row: MERGE on its key; only a row that is new (no stored hash) or changed (another
# hash) goes on. A changed row first loses the relationships it owns (`drop`), so `body` can
# CREATE them afresh for either; the common case, a new row, pays for no look-up of old ones.
# Bodies read values from `row` rather than from `n` just SET, which spares the planner an
# Eager (a full materialisation of the batch) per read-after-write.
_NODE = """
UNWIND $rows AS row
MERGE (n:{label} {{{key}: row.key}})
WITH n, row, n.row_hash AS stored
WHERE stored IS NULL OR stored <> row.props.row_hash
CALL (n, row, stored) {{{drop}
  SET n = row.props{body}
}}
RETURN count(*) AS changed
"""
# `{old}` is a pattern binding the relationships a node owns as `old`.
_DROP = """
  CALL (n, stored) {{
    WITH n WHERE stored IS NOT NULL
    MATCH {old}
    DELETE old
  }}"""


def _node(label: str, key: str, owns: tuple[str, ...] = (), body: str = "") -> LiteralString:
    # Labels, keys, patterns and bodies are the constants of this module, never input.
    drop = "".join(_DROP.format(old=old) for old in owns)
    return cast(LiteralString, _NODE.format(label=label, key=key, drop=drop, body=body.rstrip()))


AGENCIES = _node("Agency", "agency_code")
ADDRESSES = _node("Address", "address_key")

# A new record starts as its own identity; resolution later re-links it.
PERSONS = _node(
    "Person",
    "person_key",
    ("(n)-[old:SUPPLIED_BY]->(:Agency)",),
    """
  WITH n, row, stored
  MATCH (ag:Agency {agency_code: row.props.agency_code})
  CREATE (n)-[:SUPPLIED_BY]->(ag)
  WITH n, row WHERE stored IS NULL OR NOT EXISTS { (n)-[:RESOLVES_TO]->(:Identity) }
  MERGE (i:Identity {identity_id: 'ID:' + row.key})
  ON CREATE SET i.record_count = 1
  CREATE (n)-[:RESOLVES_TO {method: 'initial'}]->(i)
""",
)

INCIDENTS = _node(
    "Incident",
    "incident_key",
    ("(n)-[old:SUPPLIED_BY|OCCURRED_AT]->()",),
    """
  WITH n, row
  MATCH (ag:Agency {agency_code: row.props.agency_code})
  CREATE (n)-[:SUPPLIED_BY]->(ag)
  WITH n, row, ag WHERE row.address_key IS NOT NULL
  MATCH (ad:Address {address_key: row.address_key})
  CREATE (n)-[:OCCURRED_AT]->(ad)
  MERGE (ad)-[:SUPPLIED_BY]->(ag)
""",
)

# An order without an agency_code is taken to come from its subject's agency; a breach from
# its order's, a notification from its person's.
_OWNER_AND_AGENCY = """
  WITH n, row
  MATCH ({owner} {{{owner_key}: row.{ref}}})
  CREATE {link}
  WITH n, coalesce(row.props.agency_code, o.agency_code) AS code
  SET n.agency_code = code
  WITH n, code
  MATCH (ag:Agency {{agency_code: code}})
  CREATE (n)-[:SUPPLIED_BY]->(ag)
"""


def _owned_by(owner: str, owner_key: str, ref: str, link: str) -> str:
    return _OWNER_AND_AGENCY.format(owner=owner, owner_key=owner_key, ref=ref, link=link)


ORDERS = _node(
    "Order",
    "order_key",
    ("(n)-[old:SUPPLIED_BY]->(:Agency)", "(:Person)-[old:SUBJECT_OF]->(n)"),
    _owned_by("o:Person", "person_key", "subject_key", "(o)-[:SUBJECT_OF]->(n)"),
)

BREACHES = _node(
    "Breach",
    "breach_key",
    ("(n)-[old:SUPPLIED_BY|BREACH_OF]->()",),
    _owned_by("o:Order", "order_key", "order_key", "(n)-[:BREACH_OF]->(o)"),
)

NOTIFICATIONS = _node(
    "Notification",
    "notification_key",
    ("(n)-[old:SUPPLIED_BY]->(:Agency)", "(:Person)-[old:NOTIFIED]->(n)"),
    _owned_by("o:Person", "person_key", "person_key", "(o)-[:NOTIFIED]->(n)"),
)

ORDER_PROTECTED: LiteralString = """
UNWIND $rows AS row
MATCH (o:Order {order_key: row.order_key}), (p:Person {person_key: row.person_key})
OPTIONAL MATCH (o)-[old:PROTECTS]->(p)
MERGE (o)-[r:PROTECTS]->(p)
ON CREATE SET r.agency_code = o.agency_code
RETURN count(CASE WHEN old IS NULL THEN 1 END) AS changed
"""

RESIDENCES: LiteralString = """
UNWIND $rows AS row
MATCH (p:Person {person_key: row.person_key}), (a:Address {address_key: row.address_key})
MERGE (p)-[r:RESIDED_AT {row_key: row.key}]->(a)
WITH p, a, r, row, r.row_hash AS stored
WHERE stored IS NULL OR stored <> row.props.row_hash
CALL (p, a, r, row) {
  WITH a, r, row, coalesce(row.props.agency_code, p.agency_code) AS code
  SET r = row.props, r.agency_code = code
  WITH a, code
  MATCH (ag:Agency {agency_code: code})
  MERGE (a)-[:SUPPLIED_BY]->(ag)
}
RETURN count(*) AS changed
"""

_PARTY = """
UNWIND $rows AS row
MATCH (p:Person {{person_key: row.person_key}}), (i:Incident {{incident_key: row.incident_key}})
OPTIONAL MATCH (p)-[old:{type}]->(i)
MERGE (p)-[r:{type}]->(i)
ON CREATE SET r.agency_code = i.agency_code
RETURN count(CASE WHEN old IS NULL THEN 1 END) AS changed
"""

_RELATIONSHIP = """
UNWIND $rows AS row
MATCH (p:Person {{person_key: row.person_key}}), (o:Person {{person_key: row.other_key}})
MERGE (p)-[r:{type} {{row_key: row.key}}]->(o)
WITH p, r, row, r.row_hash AS stored
WHERE stored IS NULL OR stored <> row.props.row_hash
SET r = row.props, r.agency_code = coalesce(row.props.agency_code, p.agency_code)
RETURN count(*) AS changed
"""

PARTY_TYPES = {
    "suspect": "SUSPECT_IN",
    "offender": "OFFENDER_IN",
    "victim": "VICTIM_IN",
    "witness": "WITNESS_IN",
}
RELATIONSHIP_TYPES = {
    "intimate_partner": "INTIMATE_PARTNER",
    "ex_partner": "EX_PARTNER",
    "family": "FAMILY",
    "associate": "ASSOCIATE",
}

# Built once from the fixed maps above: the only place a type name enters Cypher text.
PARTIES: dict[str, LiteralString] = {role: _PARTY.format(type=t) for role, t in PARTY_TYPES.items()}
RELATIONSHIPS: dict[str, LiteralString] = {
    kind: _RELATIONSHIP.format(type=t) for kind, t in RELATIONSHIP_TYPES.items()
}
