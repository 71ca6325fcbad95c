"""Synthetic deliveries in extract format v1, with the ground truth the queries are tested on."""

from .generator import SynthSummary, synthesize

__all__ = ["SynthSummary", "synthesize"]
