"""The loader's key sets: a DigestSet answers exactly as a dict of first-added values would."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.digests import DigestSet, digests, first_occurrences

# Few distinct words, so that members often share their first word (the rare case in real
# digests, where runs must order and search by the second).
words = st.integers(min_value=0, max_value=3)
digest = st.tuples(words, words)
batches = st.lists(st.lists(digest, max_size=12), max_size=12)


def as_array(pairs: list[tuple[int, int]]) -> np.ndarray:
    return np.array(pairs, dtype=np.uint64).reshape(-1, 2)


@settings(max_examples=300, deadline=None)
@given(batches, st.lists(digest, max_size=20))
def test_a_digest_set_behaves_as_a_dict_whose_first_value_wins(batches, probes):
    held = DigestSet()
    model: dict[tuple[int, int], int] = {}
    counter = 0
    for batch in batches:
        values = np.arange(counter, counter + len(batch), dtype=np.uint32)
        counter += len(batch)
        added = held.add(as_array(batch), values)
        expected = []
        for pair, value in zip(batch, values.tolist(), strict=True):
            expected.append(pair not in model)
            model.setdefault(pair, value)
        assert added.tolist() == expected
    assert len(held) == len(model)
    found, values = held.find(as_array(probes + list(model)))
    for pair, hit, value in zip(probes + list(model), found, values, strict=True):
        assert hit == (pair in model)
        assert value == model.get(pair, 0)


def test_digests_of_equal_texts_agree_and_of_different_texts_differ():
    texts = ["P-MET-0001", "P-MET-0002", "P-MET-0001", "naïve", "bad \udcff byte"]
    d = digests(texts)
    assert d.shape == (5, 2)
    assert (d[0] == d[2]).all()
    assert len({tuple(row) for row in d.tolist()}) == 4
    assert first_occurrences(d).tolist() == [True, True, False, True, True]


def test_many_batches_merge_into_few_runs_and_lose_no_member():
    held = DigestSet()
    keys = [f"P-{i}" for i in range(20_000)]
    for start in range(0, len(keys), 500):
        held.add(digests(keys[start : start + 500]))
    assert len(held) == 20_000
    assert len(held._runs) <= 6  # about log2(batches)
    found, _ = held.find(digests(keys + ["P-20000", "Q-1"]))
    assert found.tolist() == [True] * 20_000 + [False, False]
