"""Neo4j access for serialwatch: settings, the driver, the schema and the local server.

`graph` imports none of the other serialwatch packages; everything else builds on it.
"""
