"""The Cypher that loads each file: batched `UNWIND $rows ... MERGE` keyed on record keys.

Every write statement returns `changed`, the keys of the rows that created or altered something
(for party and protected-person rows, `<incident or order key>|<person key>`); the rest of a
batch was already in the graph as given. A node row is unchanged when its stored `row_hash`
equals the row's hash, so reloading a delivery rewrites nothing. Relationship types come from
the fixed maps below, never from input.

For node files, three kinds of statement: `STORED` reads which keys of a batch the graph holds
(and their `row_hash`), so unchanged rows are never sent to a write; `NEW` creates the nodes of
keys the graph does not hold yet (CREATE, no MERGE, and the uniqueness constraints still refuse a
duplicate); the MERGE statements take the changed rows, and any batch whose CREATE met a key
written meanwhile. Relationship files go to their MERGE statements only.
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


# What of a batch of node rows the graph already holds: each row's index `i` in the batch, and
# the stored `row_hash`.
_STORED_NODE = """
UNWIND $rows AS row
MATCH (n:{label} {{{key}: row.key}})
RETURN row.i AS i, n.row_hash AS hash
"""


def _stored_node(label: str, key: str) -> LiteralString:
    return cast(LiteralString, _STORED_NODE.format(label=label, key=key))


STORED: dict[str, LiteralString] = {
    "agencies.csv": _stored_node("Agency", "agency_code"),
    "addresses.csv": _stored_node("Address", "address_key"),
    "persons.csv": _stored_node("Person", "person_key"),
    "incidents.csv": _stored_node("Incident", "incident_key"),
    "orders.csv": _stored_node("Order", "order_key"),
    "breaches.csv": _stored_node("Breach", "breach_key"),
    "notifications.csv": _stored_node("Notification", "notification_key"),
}

# New nodes: CREATE with the relationships the row owns. The references were checked before
# (`Loader._check_references`), so every MATCH finds its node.
_NEW_NODE = """
UNWIND $rows AS row
{match}
CREATE (n:{label})
SET n = row.props, n.row_hash = row.hash
{links}
RETURN collect(row.key) AS changed
"""


def _new_node(label: str, match: str = "", links: str = "") -> LiteralString:
    return cast(LiteralString, _NEW_NODE.format(label=label, match=match, links=links))


NEW: dict[str, LiteralString] = {
    "agencies.csv": _new_node("Agency"),
    "addresses.csv": _new_node("Address"),
    "persons.csv": _new_node(
        "Person",
        "MATCH (ag:Agency {agency_code: row.props.agency_code})",
        """CREATE (n)-[:SUPPLIED_BY]->(ag)
MERGE (i:Identity {identity_id: 'ID:' + row.key})
ON CREATE SET i.record_count = 1
CREATE (n)-[:RESOLVES_TO {method: 'initial'}]->(i)""",
    ),
    "incidents.csv": _new_node(
        "Incident",
        """MATCH (ag:Agency {agency_code: row.props.agency_code})
OPTIONAL MATCH (ad:Address {address_key: row.address_key})""",
        """CREATE (n)-[:SUPPLIED_BY]->(ag)
FOREACH (a IN CASE WHEN ad IS NULL THEN [] ELSE [ad] END |
  CREATE (n)-[:OCCURRED_AT]->(a)
  MERGE (a)-[:SUPPLIED_BY]->(ag))""",
    ),
    "orders.csv": _new_node(
        "Order",
        """MATCH (s:Person {person_key: row.subject_key})
MATCH (ag:Agency {agency_code: coalesce(row.props.agency_code, s.agency_code)})""",
        """SET n.agency_code = ag.agency_code
CREATE (s)-[:SUBJECT_OF]->(n)-[:SUPPLIED_BY]->(ag)""",
    ),
    "breaches.csv": _new_node(
        "Breach",
        """MATCH (o:Order {order_key: row.order_key})
MATCH (ag:Agency {agency_code: coalesce(row.props.agency_code, o.agency_code)})""",
        """SET n.agency_code = ag.agency_code
CREATE (n)-[:BREACH_OF]->(o)
CREATE (n)-[:SUPPLIED_BY]->(ag)""",
    ),
    "notifications.csv": _new_node(
        "Notification",
        """MATCH (p:Person {person_key: row.person_key})
MATCH (ag:Agency {agency_code: coalesce(row.props.agency_code, p.agency_code)})""",
        """SET n.agency_code = ag.agency_code
CREATE (p)-[:NOTIFIED]->(n)-[:SUPPLIED_BY]->(ag)""",
    ),
}
