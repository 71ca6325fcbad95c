"""Turn scored pairs into identities: connected components of the links, with analysts'
decisions applied on top.

A `same` decision is a link that cannot be cut. A `not same` decision removes that pair's link,
but the two records may still be joined through others (A-B, B-C with A and C "not same"), so the
component is split along a minimum cut between them, weighted by match weight: the weakest
evidence gives way, never a `same` decision. A `not same` pair already joined by a chain of
`same` decisions cannot be split; it is reported as a conflict and left joined. Records with
two different PNC ids are kept apart the same way.

Components are computed once over the whole graph (igraph, in C); only the few components that
hold a `not same` pair or two PNC ids are then split, each on its own small graph, so the cost
grows with the links, not with links times splits.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import igraph as ig
import networkx as nx
import numpy as np
import pandas as pd

from ingest.resolve import ambiguity, corroboration
from ingest.resolve.rules import Rule

SAME, NOT_SAME = "same", "not_same"
_UNCUTTABLE = 1e9

Edges = dict[tuple[int, int], tuple[float, float]]  # (lo, hi) -> (probability, weight)


_AMBIGUOUS = ["unique_id_l", "unique_id_r", "match_probability", "match_weight", "record"]


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
    # Pairs to put to an analyst: an ambiguous record (`record`) and the best record of each of
    # its candidate identities (unique_id_l, unique_id_r, match_probability, match_weight).
    ambiguous: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=_AMBIGUOUS))
    # Links not made for want of corroboration (`corroboration`), as given: for review.
    unconfirmed: pd.DataFrame = field(default_factory=pd.DataFrame)


def cluster(
    keys: Sequence[str],
    links: pd.DataFrame,
    decisions: Iterable[Decision],
    rules: Sequence[Rule] = (),
    candidates: pd.DataFrame | None = None,
    margin: float = ambiguity.MARGIN,
    roles: corroboration.Roles | None = None,
) -> Clusters:
    """Cluster `keys` by `links` (unique_id_l, unique_id_r, match_probability, match_weight),
    all at or above the link threshold, with `decisions` winning over the model.

    `rules` (each aligned with `keys`) say what one person cannot hold two of (a PNC id, a
    gender, a date of birth beyond a keying error, two parties to one event): records that
    break one are never left in one identity, however they are linked through others; they are
    split like a `not same` decision. A record the links and `candidates` (scored pairs below
    the link threshold, same columns) place about equally in two identities a rule keeps apart
    (`ambiguity`, within `margin` bits) is left on its own identity, and its pairs with each
    candidate are returned in `ambiguous` for review. With `roles` (and links marked by
    `corroboration.mark`), a weak link that would change an answer is not made
    (`corroboration`): it is returned in `unconfirmed` and counts as a candidate.
    """
    n = len(keys)
    index = pd.Series(np.arange(n), index=pd.Index(keys))
    decided = [d for d in decisions if d.key_l in index.index and d.key_r in index.index]
    not_same = {_pair(index[d.key_l], index[d.key_r]) for d in decided if d.decision == NOT_SAME}
    same = {_pair(index[d.key_l], index[d.key_r]) for d in decided if d.decision == SAME}
    unconfirmed = links.iloc[:0]
    if roles is not None:
        gate = corroboration.unconfirmed(index, links, roles, same)
        unconfirmed, links = links[gate], links[~gate]
        if len(unconfirmed):
            candidates = pd.concat([c for c in (candidates, unconfirmed) if c is not None])
    lo, hi, prob, weight = _link_arrays(index, links, not_same, same)
    # What the ambiguity check weighs: the links and the candidates on what identifies a person
    evidence = list(_link_arrays(index, _identifying(links), not_same, same))
    if candidates is not None and len(candidates):
        band = _link_arrays(index, _identifying(candidates), not_same, set())
        evidence = [np.concatenate([x, y]) for x, y in zip(evidence, band, strict=True)]
    membership = _components(n, lo, hi)
    todo = sorted(_constrained(membership, not_same, rules))
    conflicts: list[tuple[int, int]] = []
    cut = 0
    if todo:
        in_todo = np.isin(membership[lo], todo)
        local: dict[int, Edges] = {c: {} for c in todo}
        for a, b, p, w in zip(
            lo[in_todo].tolist(),
            hi[in_todo].tolist(),
            prob[in_todo].tolist(),
            weight[in_todo].tolist(),
            strict=True,
        ):
            local[int(membership[a])][(a, b)] = (p, w)
        kept: Edges = {}
        label = n  # new labels above any component id
        for comp in todo:
            split = _split(np.flatnonzero(membership == comp), local[comp], not_same, rules)
            conflicts.extend(split.conflicts)
            cut += split.removed
            for part in split.parts[1:]:
                membership[part] = label
                label += 1
            kept.update(split.edges)
        rest = ~in_todo
        lo = np.concatenate([lo[rest], np.array([e[0] for e in kept], dtype=np.int64)])
        hi = np.concatenate([hi[rest], np.array([e[1] for e in kept], dtype=np.int64)])
        prob = np.concatenate([prob[rest], np.array([v[0] for v in kept.values()])])
        weight = np.concatenate([weight[rest], np.array([v[1] for v in kept.values()])])
    e_lo, e_hi, e_prob, e_weight = evidence
    found = ambiguity.find(membership, e_lo, e_hi, e_prob, e_weight, rules, margin) if rules else {}
    if found:  # each stays on its own: its links go, and what they held together re-parts
        alone = np.isin(lo, list(found)) | np.isin(hi, list(found))
        lo, hi, prob, weight = lo[~alone], hi[~alone], prob[~alone], weight[~alone]
        membership = _components(n, lo, hi)
    return Clusters(
        _assign(keys, membership, lo, hi, prob, weight),
        [Decision(keys[a], keys[b], NOT_SAME) for a, b in sorted(conflicts)],
        cut,
        _review_pairs(keys, found),
        unconfirmed,
    )


def _components(n: int, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    graph = ig.Graph(n=n, edges=np.column_stack([lo, hi]).tolist())
    return np.asarray(graph.connected_components().membership)


def _review_pairs(keys: Sequence[str], found: dict[int, list[ambiguity.Candidate]]) -> pd.DataFrame:
    rows = [
        (keys[min(r, c.other)], keys[max(r, c.other)], c.probability, c.weight, keys[r])
        for r, cands in sorted(found.items())
        for c in cands
    ]
    return pd.DataFrame(rows, columns=_AMBIGUOUS)


def _identifying(pairs: pd.DataFrame) -> pd.DataFrame:
    return pairs.assign(match_weight=ambiguity.identifying_weight(pairs))


def _link_arrays(
    index: pd.Series,
    links: pd.DataFrame,
    not_same: set[tuple[int, int]],
    same: set[tuple[int, int]],
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Links as (lo, hi, probability, weight) arrays: one per pair, `not same` pairs dropped,
    `same` pairs added as uncuttable links; weights floored at 0.01 so every link has capacity."""
    n = len(index)
    left = index.reindex(links["unique_id_l"]).to_numpy()
    right = index.reindex(links["unique_id_r"]).to_numpy()
    ok = ~(np.isnan(left.astype(float)) | np.isnan(right.astype(float)))
    left, right = left[ok].astype(np.int64), right[ok].astype(np.int64)
    lo, hi = np.minimum(left, right), np.maximum(left, right)
    prob = links["match_probability"].to_numpy(dtype=float)[ok]
    weight = np.maximum(links["match_weight"].to_numpy(dtype=float)[ok], 0.01)
    if same:
        extra = np.array(sorted(same), dtype=np.int64)
        lo, hi = np.concatenate([lo, extra[:, 0]]), np.concatenate([hi, extra[:, 1]])
        prob = np.concatenate([prob, np.ones(len(extra))])
        weight = np.concatenate([weight, np.full(len(extra), _UNCUTTABLE)])
    code = lo * n + hi
    keep = lo != hi
    if not_same:
        keep &= ~np.isin(code, [a * n + b for a, b in not_same])
    order = np.lexsort((-weight, code))  # per pair, the strongest link first
    first = np.ones(len(order), dtype=bool)
    first[1:] = code[order][1:] != code[order][:-1]
    pick = order[first & keep[order]]
    return lo[pick], hi[pick], prob[pick], weight[pick]


def _constrained(
    membership: np.ndarray, not_same: set[tuple[int, int]], rules: Sequence[Rule]
) -> set[int]:
    """Components holding a `not same` pair or breaking a rule."""
    out = {int(membership[a]) for a, b in not_same if membership[a] == membership[b]}
    for rule in rules:
        out.update(rule.broken(membership))
    return out


@dataclass
class _Split:
    edges: Edges
    parts: list[np.ndarray]
    conflicts: list[tuple[int, int]]
    removed: int


def _split(
    nodes: np.ndarray, edges: Edges, not_same: set[tuple[int, int]], rules: Sequence[Rule]
) -> _Split:
    """Cut one component until no part holds a `not same` pair or breaks a rule: one minimum
    cut per offending part per round, then re-part."""
    conflicts: set[tuple[int, int]] = set()
    removed = 0
    node_set = set(nodes.tolist())
    pairs = {p for p in not_same if p[0] in node_set and p[1] in node_set}
    while True:
        g = nx.Graph()
        g.add_nodes_from(node_set)
        g.add_edges_from(edges)
        parts = [sorted(c) for c in nx.connected_components(g)]
        part_of = {u: i for i, part in enumerate(parts) for u in part}
        apart: dict[tuple[int, int], Rule | None] = dict.fromkeys(pairs)
        for rule in rules:
            for part in parts:
                apart.update(dict.fromkeys(rule.clashes(part), rule))
        joined = [p for p in sorted(apart) if part_of[p[0]] == part_of[p[1]] and p not in conflicts]
        if not joined:
            break
        seen: set[int] = set()
        for a, b in joined:
            if part_of[a] in seen:
                continue
            seen.add(part_of[a])
            part = parts[part_of[a]]
            side_a, side_b = _sides(apart[(a, b)], part, a, b)
            cut = _min_cut(edges, set(part), side_a, side_b)
            if cut is None:
                conflicts.add((a, b))
                continue
            for e in cut:
                del edges[e]
            removed += len(cut)
    return _Split(edges, [np.array(p, dtype=np.int64) for p in parts], sorted(conflicts), removed)


def _pair(a: int, b: int) -> tuple[int, int]:
    return (int(a), int(b)) if a < b else (int(b), int(a))


def _sides(rule: Rule | None, part: list[int], a: int, b: int) -> tuple[set[int], set[int]]:
    """The records a cut must keep with a and with b: those holding the same value of the
    rule that set them apart (every record of one PNC id against every record of the other, so
    the cut separates two men, not one record of one of them), else a and b alone."""
    kin = getattr(rule, "kin", None)
    if kin is None:
        return {a}, {b}
    side_a, side_b = kin(a, part), kin(b, part)
    return (side_a, side_b) if not side_a & side_b else ({a}, {b})


def _min_cut(
    edges: Edges, part: set[int], side_a: set[int], side_b: set[int]
) -> list[tuple[int, int]] | None:
    """The edges of a minimum (match-weight) cut between the records `side_a` and `side_b`
    of one part (each side tied to a terminal that cannot be cut from it)."""
    g = nx.Graph()
    inside = [(u, v, w) for (u, v), (_, w) in edges.items() if u in part]
    g.add_weighted_edges_from(inside, weight="capacity")
    a, b = -1, -2  # the terminals; record indexes are never negative
    g.add_edges_from(((a, u) for u in side_a), capacity=_UNCUTTABLE * 10)
    g.add_edges_from(((b, u) for u in side_b), capacity=_UNCUTTABLE * 10)
    value, (side_a, _) = nx.minimum_cut(g, a, b)
    if value >= _UNCUTTABLE:
        return None
    return [(u, v) for u, v, _ in inside if (u in side_a) != (v in side_a)]


def _assign(
    keys: Sequence[str],
    membership: np.ndarray,
    lo: np.ndarray,
    hi: np.ndarray,
    prob: np.ndarray,
    weight: np.ndarray,
) -> pd.DataFrame:
    """Identity id, method and probability (strongest link holding it) per record.

    Ids are stable across runs: an identity is the ingest identity `ID:<key>` of its least
    record, so a singleton keeps its own and a cluster takes over its least record's (that
    record and its identity node stay put when the others join it)."""
    n = len(keys)
    best = np.zeros(n)
    np.maximum.at(best, lo, prob)
    np.maximum.at(best, hi, prob)
    reviewed = np.zeros(n, dtype=bool)
    sure = weight >= _UNCUTTABLE
    reviewed[lo[sure]] = reviewed[hi[sure]] = True
    key = np.asarray(keys, dtype=object)
    # Key ranks: the least key of a component is the key of its least rank (numpy; a pandas
    # string groupby takes a pure-Python path per component, 40 s at 1,000,000 people).
    order = np.arange(n) if n < 2 or bool(np.all(key[:-1] <= key[1:])) else np.argsort(key)
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(n)
    _, comp = np.unique(membership, return_inverse=True)
    least = np.full(comp.max(initial=-1) + 1, n, dtype=np.int64)
    np.minimum.at(least, comp, rank)
    single = np.bincount(comp)[comp] == 1
    ids = "ID:" + key[order[least[comp]]]
    method = np.where(single, "initial", np.where(reviewed, "review", "model"))
    probability = pd.Series(np.round(best, 6), dtype=object)
    probability[single] = None
    return pd.DataFrame(
        {
            "unique_id": key,
            "identity_id": ids,
            "method": method,
            "probability": probability,
        }
    )
