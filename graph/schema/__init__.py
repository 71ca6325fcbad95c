"""Ordered, idempotent schema migrations (`NNNN_name.cypher`), each applied once."""

from graph.schema.migrate import Migration, applied, apply_pending, available

__all__ = ["Migration", "applied", "apply_pending", "available"]
