"""Clustering against an independent computation (networkx) on random graphs, and the rules
decisions follow: `not same` splits along the weakest links, `same` can never be cut."""

from __future__ import annotations

import random

import networkx as nx
import pandas as pd
import pytest

from ingest.resolve.cluster import NOT_SAME, SAME, Decision, cluster


def _links(edges: list[tuple[str, str, float]]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "unique_id_l": [a for a, _, _ in edges],
            "unique_id_r": [b for _, b, _ in edges],
            "match_probability": [0.99] * len(edges),
            "match_weight": [w for _, _, w in edges],
        }
    )


@pytest.mark.parametrize("seed", range(5))
def test_components_equal_networkx_on_random_graphs(seed: int) -> None:
    rng = random.Random(seed)
    keys = [f"K{i:03d}" for i in range(200)]
    edges = [(rng.choice(keys), rng.choice(keys), 10.0) for _ in range(150)]
    edges = [(a, b, w) for a, b, w in edges if a != b]
    got = cluster(keys, _links(edges), []).assignments.set_index("unique_id")["identity_id"]
    g = nx.Graph()
    g.add_nodes_from(keys)
    g.add_edges_from((a, b) for a, b, _ in edges)
    for comp in nx.connected_components(g):
        ids = {got[k] for k in comp}
        assert ids == {f"I:{min(comp)}" if len(comp) > 1 else f"ID:{min(comp)}"}


def test_not_same_cuts_the_weakest_link_and_same_is_never_cut() -> None:
    keys = ["a", "b", "c", "d"]
    links = _links([("a", "b", 12.0), ("b", "c", 2.0), ("c", "d", 12.0)])
    ids = cluster(keys, links, [Decision("a", "d", NOT_SAME)]).assignments["identity_id"]
    assert list(ids) == ["I:a", "I:a", "I:c", "I:c"]
    both = [Decision("a", "d", NOT_SAME), Decision("b", "c", SAME)]
    result = cluster(keys, links, both)
    assert len(set(result.assignments["identity_id"])) == 2
    assert result.assignments.set_index("unique_id").loc["b", "method"] == "review"


def test_records_with_different_pnc_ids_are_split() -> None:
    keys = ["a", "b", "c"]
    links = _links([("a", "b", 12.0), ("b", "c", 4.0)])
    ids = cluster(keys, links, [], ["11/1A", None, "22/2B"]).assignments["identity_id"]
    assert list(ids) == ["I:a", "I:a", "ID:c"]


@pytest.mark.parametrize("seed", range(5))
def test_splits_on_random_graphs_keep_every_rule(seed: int) -> None:
    """Identities refine the link components, hold no `not same` pair and no two PNC ids."""
    rng = random.Random(seed)
    keys = [f"K{i:03d}" for i in range(300)]
    edges = [(rng.choice(keys), rng.choice(keys), rng.uniform(0.1, 20)) for _ in range(330)]
    edges = [(a, b, w) for a, b, w in edges if a != b]
    apart = [Decision(rng.choice(keys), rng.choice(keys), NOT_SAME) for _ in range(20)]
    apart = [d for d in apart if d.key_l != d.key_r]
    pnc = [f"PNC{rng.randrange(30)}" if rng.random() < 0.2 else None for _ in keys]
    result = cluster(keys, _links(edges), apart, pnc)
    got = result.assignments.set_index("unique_id")["identity_id"]
    assert not result.conflicts
    g = nx.Graph()
    g.add_nodes_from(keys)
    g.add_edges_from((a, b) for a, b, _ in edges)
    component = {k: i for i, comp in enumerate(nx.connected_components(g)) for k in comp}
    members: dict[str, list[int]] = {}
    for i, k in enumerate(keys):
        members.setdefault(got[k], []).append(i)
    for ident, idx in members.items():
        assert len({component[keys[i]] for i in idx}) == 1
        assert len({pnc[i] for i in idx if pnc[i]}) <= 1
        assert ident == (f"I:{keys[min(idx)]}" if len(idx) > 1 else f"ID:{keys[idx[0]]}")
    for d in apart:
        assert got[d.key_l] != got[d.key_r]
