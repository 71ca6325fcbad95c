"""Turn scored pairs into identities: connected components of the links, with analysts'
decisions applied on top.

A `same` decision is a link that cannot be cut. A `not same` decision removes that pair's link,
but the two records may still be joined through others (A-B, B-C with A and C "not same"), so the
component is split along a minimum cut between them, weighted by match weight: the weakest
evidence gives way, never a `same` decision. A `not same` pair already joined by a chain of
`same` decisions cannot be split; it is reported as a conflict and left joined. Records with
two different PNC ids are kept apart the same way.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import igraph as ig
import networkx as nx
import numpy as np
import pandas as pd

SAME, NOT_SAME = "same", "not_same"
_UNCUTTABLE = 1e9


@dataclass(frozen=True)
class Decision:
    key_l: str
    key_r: str
    decision: str  # SAME or NOT_SAME


@dataclass
class Clusters:
    """One row per record: its identity, how it was linked, and the probability of its link."""

    assignments: pd.DataFrame  # unique_id, identity_id, method, probability
    conflicts: list[Decision] = field(default_factory=list)
    cut_edges: int = 0


def identity_id(members: Sequence[str]) -> str:
    """Stable across runs: a singleton keeps its ingest id, a cluster is named by its least key."""
    return f"ID:{members[0]}" if len(members) == 1 else f"I:{min(members)}"


def cluster(
    keys: Sequence[str],
    links: pd.DataFrame,
    decisions: Iterable[Decision],
    exclusive: Sequence[str | None] | None = None,
) -> Clusters:
    """Cluster `keys` by `links` (unique_id_l, unique_id_r, match_probability, match_weight),
    all at or above the link threshold, with `decisions` winning over the model.

    `exclusive` (aligned with `keys`) is an identifier one person has only one of, the PNC id:
    records with two different values are never left in one identity, however they are linked
    through others; they are split like a `not same` decision.
    """
    index = {k: i for i, k in enumerate(keys)}
    decided = [d for d in decisions if d.key_l in index and d.key_r in index]
    not_same = {_pair(index[d.key_l], index[d.key_r]) for d in decided if d.decision == NOT_SAME}
    same = {_pair(index[d.key_l], index[d.key_r]) for d in decided if d.decision == SAME}

    left = links["unique_id_l"].map(index).to_numpy()
    right = links["unique_id_r"].map(index).to_numpy()
    lo, hi = np.minimum(left, right), np.maximum(left, right)
    prob = links["match_probability"].to_numpy(dtype=float)
    weight = links["match_weight"].to_numpy(dtype=float)
    edges: dict[tuple[int, int], tuple[float, float]] = {}
    for a, b, p, w in zip(lo.tolist(), hi.tolist(), prob.tolist(), weight.tolist(), strict=True):
        if (a, b) not in not_same:
            edges[(a, b)] = (p, max(w, 0.01))
    for pair in same:
        edges[pair] = (1.0, _UNCUTTABLE)

    conflicts: set[tuple[int, int]] = set()
    cut = 0
    while True:
        membership = _components(len(keys), edges)
        apart = (not_same | _exclusive_clashes(membership, exclusive)) - conflicts
        joined = [p for p in sorted(apart) if membership[p[0]] == membership[p[1]]]
        if not joined:
            break
        seen: set[int] = set()
        for a, b in joined:  # one cut per component per round, then re-cluster
            if membership[a] in seen:
                continue
            seen.add(membership[a])
            removed = _min_cut(edges, membership, a, b)
            if removed is None:
                conflicts.add((a, b))
                continue
            for e in removed:
                del edges[e]
            cut += len(removed)
    return Clusters(
        _assign(keys, edges, membership, same),
        [_decision(keys, p, NOT_SAME) for p in sorted(conflicts)],
        cut,
    )


def _exclusive_clashes(
    membership: list[int], exclusive: Sequence[str | None] | None
) -> set[tuple[int, int]]:
    """Pairs (one record per value) of records with different exclusive ids in one component."""
    if exclusive is None:
        return set()
    first: dict[tuple[int, str], int] = {}
    for i, value in enumerate(exclusive):
        if value:
            first.setdefault((membership[i], value), i)
    by_comp: dict[int, list[int]] = {}
    for (comp, _), i in first.items():
        by_comp.setdefault(comp, []).append(i)
    return {
        _pair(a, b)
        for reps in by_comp.values()
        if len(reps) > 1
        for a, b in zip(reps, reps[1:], strict=False)
    }


def _pair(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a < b else (b, a)


def _decision(keys: Sequence[str], p: tuple[int, int], kind: str) -> Decision:
    return Decision(keys[p[0]], keys[p[1]], kind)


def _components(n: int, edges: dict[tuple[int, int], tuple[float, float]]) -> list[int]:
    graph = ig.Graph(n=n, edges=list(edges))
    return list(graph.connected_components().membership)


def _min_cut(
    edges: dict[tuple[int, int], tuple[float, float]], membership: list[int], a: int, b: int
) -> list[tuple[int, int]] | None:
    """The edges of a minimum (match-weight) cut between a and b in their component."""
    comp = membership[a]
    g = nx.Graph()
    for (u, v), (_, w) in edges.items():
        if membership[u] == comp:
            g.add_edge(u, v, capacity=w)
    value, (side_a, _) = nx.minimum_cut(g, a, b)
    if value >= _UNCUTTABLE:
        return None
    return [(u, v) for (u, v) in edges if membership[u] == comp and (u in side_a) != (v in side_a)]


def _assign(
    keys: Sequence[str],
    edges: dict[tuple[int, int], tuple[float, float]],
    membership: list[int],
    same: set[tuple[int, int]],
) -> pd.DataFrame:
    members: dict[int, list[str]] = {}
    for i, c in enumerate(membership):
        members.setdefault(c, []).append(keys[i])
    best = np.zeros(len(keys))
    reviewed = np.zeros(len(keys), dtype=bool)
    for (u, v), (p, _) in edges.items():
        best[u], best[v] = max(best[u], p), max(best[v], p)
        if (u, v) in same:
            reviewed[u] = reviewed[v] = True
    ids: list[str] = []
    methods: list[str] = []
    probs: list[float | None] = []
    for i, c in enumerate(membership):
        group = members[c]
        ids.append(identity_id(group))
        if len(group) == 1:
            methods.append("initial")
            probs.append(None)
        else:
            methods.append("review" if reviewed[i] else "model")
            probs.append(round(float(best[i]), 6))
    return pd.DataFrame(
        {"unique_id": list(keys), "identity_id": ids, "method": methods, "probability": probs}
    )
