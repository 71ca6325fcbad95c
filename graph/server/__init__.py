"""The project's own local Neo4j server: fetched once from Maven Central, run on loopback."""

from graph.server.distribution import Distribution, ensure_distribution
from graph.server.local import LocalServer, ServerStatus

__all__ = ["Distribution", "LocalServer", "ServerStatus", "ensure_distribution"]
