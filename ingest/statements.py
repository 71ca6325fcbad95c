"""The Cypher that loads each file: batched `UNWIND $rows ... MERGE` keyed on record keys.

Every statement returns `changed`, the keys of the rows that created or altered something (for
party and protected-person rows, `<incident or order key>|<person key>`); the rest of a batch
was already in the graph as given. A node row is unchanged when its stored `row_hash`
equals the row's hash, so reloading a delivery rewrites nothing. Relationship types come from
the fixed maps below, never from input.
"""

from __future__ import annotations

from typing import LiteralString, cast

# A node row: MERGE on its key, and only when its hash differs replace its properties and
# run `body` (which re-creates the relationships the row owns).
_NODE = """
UNWIND $rows AS row
MERGE (n:{label} {{{key}: row.key}})
WITH n, row, coalesce(n.row_hash, '') = row.hash AS same
CALL (n, row, same) {{
  WITH n, row WHERE NOT same
  SET n = row.props, n.row_hash = row.hash
  {body}
}}
RETURN collect(CASE WHEN NOT same THEN row.key END) AS changed
"""


def _node(label: str, key: str, body: str = "") -> LiteralString:
    # Labels, keys and bodies are the constants of this module, never input.
    return cast(LiteralString, _NODE.format(label=label, key=key, body=body))


AGENCIES = _node("Agency", "agency_code")
ADDRESSES = _node("Address", "address_key")

# A new record starts as its own identity; resolution later re-links it.
PERSONS = _node(
    "Person",
    "person_key",
    """
  WITH n
  OPTIONAL MATCH (n)-[old:SUPPLIED_BY]->(:Agency)
  DELETE old
  WITH DISTINCT n
  MATCH (ag:Agency {agency_code: n.agency_code})
  MERGE (n)-[:SUPPLIED_BY]->(ag)
  WITH n WHERE NOT EXISTS { (n)-[:RESOLVES_TO]->(:Identity) }
  MERGE (i:Identity {identity_id: 'ID:' + n.person_key})
  ON CREATE SET i.record_count = 1
  MERGE (n)-[:RESOLVES_TO {method: 'initial'}]->(i)
""",
)

INCIDENTS = _node(
    "Incident",
    "incident_key",
    """
  WITH n, row
  OPTIONAL MATCH (n)-[old:SUPPLIED_BY|OCCURRED_AT]->()
  DELETE old
  WITH DISTINCT n, row
  MATCH (ag:Agency {agency_code: n.agency_code})
  MERGE (n)-[:SUPPLIED_BY]->(ag)
  WITH n, row, ag WHERE row.address_key IS NOT NULL
  MATCH (ad:Address {address_key: row.address_key})
  MERGE (n)-[:OCCURRED_AT]->(ad)
  MERGE (ad)-[:SUPPLIED_BY]->(ag)
""",
)

# An order without an agency_code is taken to come from its subject's agency.
ORDERS = _node(
    "Order",
    "order_key",
    """
  WITH n, row
  OPTIONAL MATCH (n)-[old:SUPPLIED_BY]->(:Agency)
  DELETE old
  WITH DISTINCT n, row
  OPTIONAL MATCH (:Person)-[old:SUBJECT_OF]->(n)
  DELETE old
  WITH DISTINCT n, row
  MATCH (s:Person {person_key: row.subject_key})
  MERGE (s)-[:SUBJECT_OF]->(n)
  SET n.agency_code = coalesce(n.agency_code, s.agency_code)
  WITH n
  MATCH (ag:Agency {agency_code: n.agency_code})
  MERGE (n)-[:SUPPLIED_BY]->(ag)
""",
)

BREACHES = _node(
    "Breach",
    "breach_key",
    """
  WITH n, row
  OPTIONAL MATCH (n)-[old:SUPPLIED_BY|BREACH_OF]->()
  DELETE old
  WITH DISTINCT n, row
  MATCH (o:Order {order_key: row.order_key})
  MERGE (n)-[:BREACH_OF]->(o)
  SET n.agency_code = coalesce(n.agency_code, o.agency_code)
  WITH n
  MATCH (ag:Agency {agency_code: n.agency_code})
  MERGE (n)-[:SUPPLIED_BY]->(ag)
""",
)

NOTIFICATIONS = _node(
    "Notification",
    "notification_key",
    """
  WITH n, row
  OPTIONAL MATCH (n)-[old:SUPPLIED_BY]->(:Agency)
  DELETE old
  WITH DISTINCT n, row
  OPTIONAL MATCH (:Person)-[old:NOTIFIED]->(n)
  DELETE old
  WITH DISTINCT n, row
  MATCH (p:Person {person_key: row.person_key})
  MERGE (p)-[:NOTIFIED]->(n)
  SET n.agency_code = coalesce(n.agency_code, p.agency_code)
  WITH n
  MATCH (ag:Agency {agency_code: n.agency_code})
  MERGE (n)-[:SUPPLIED_BY]->(ag)
""",
)

ORDER_PROTECTED: LiteralString = """
UNWIND $rows AS row
MATCH (o:Order {order_key: row.order_key}), (p:Person {person_key: row.person_key})
OPTIONAL MATCH (o)-[old:PROTECTS]->(p)
MERGE (o)-[r:PROTECTS]->(p)
ON CREATE SET r.agency_code = o.agency_code
RETURN collect(CASE WHEN old IS NULL THEN row.order_key + '|' + row.person_key END) AS changed
"""

RESIDENCES: LiteralString = """
UNWIND $rows AS row
MATCH (p:Person {person_key: row.person_key}), (a:Address {address_key: row.address_key})
MERGE (p)-[r:RESIDED_AT {row_key: row.key}]->(a)
WITH p, a, r, row, coalesce(r.row_hash, '') = row.hash AS same
CALL (p, a, r, row, same) {
  WITH p, a, r, row WHERE NOT same
  SET r = row.props, r.row_key = row.key, r.row_hash = row.hash,
      r.agency_code = coalesce(row.props.agency_code, p.agency_code)
  WITH a, r
  MATCH (ag:Agency {agency_code: r.agency_code})
  MERGE (a)-[:SUPPLIED_BY]->(ag)
}
RETURN collect(CASE WHEN NOT same THEN row.key END) AS changed
"""

_PARTY = """
UNWIND $rows AS row
MATCH (p:Person {{person_key: row.person_key}}), (i:Incident {{incident_key: row.incident_key}})
OPTIONAL MATCH (p)-[old:{type}]->(i)
MERGE (p)-[r:{type}]->(i)
ON CREATE SET r.agency_code = i.agency_code
RETURN collect(CASE WHEN old IS NULL THEN row.incident_key + '|' + row.person_key END) AS changed
"""

_RELATIONSHIP = """
UNWIND $rows AS row
MATCH (p:Person {{person_key: row.person_key}}), (o:Person {{person_key: row.other_key}})
MERGE (p)-[r:{type} {{row_key: row.key}}]->(o)
WITH p, r, row, coalesce(r.row_hash, '') = row.hash AS same
CALL (p, r, row, same) {{
  WITH p, r, row WHERE NOT same
  SET r = row.props, r.row_key = row.key, r.row_hash = row.hash,
      r.agency_code = coalesce(row.props.agency_code, p.agency_code)
}}
RETURN collect(CASE WHEN NOT same THEN row.key END) AS changed
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
