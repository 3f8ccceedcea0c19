"""The compiled n-gram tally (``analysis.terms._tally``) and the term order of ``count_terms``.

Every way a window finds its code (word id, exact 64-bit key, hash of its ids) and its pair's
counters (direct rows, hashed pairs; int32 or int64 rows) gives the same exact counts, on a
hand-counted case and, with tables that grow many times, against a few lines of Python. Units
cut into runs at article starts and counted on several threads add up to exactly the counts of
one run, array for array.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np
import pandas as pd
import polars as pl
import pytest

from analysis.terms import _counts as counts
from analysis.terms import _tally as tally

A, B, C, D = 0, 1, 2, 3  # word ids; C is a stop word, D never occurs
IS_STOP = np.array([False, False, True, False])
# units: [a b a] [b a] [a b c] [c a b]; groups 0, 1, 1, 2; articles 0, 1, 1, 2
IDS = np.array([A, B, A, B, A, A, B, C, C, A, B], dtype=np.int32)
BOUNDS = np.array([0, 3, 5, 8, 11])
GROUPS, ARTICLES = np.array([0, 1, 1, 2]), np.array([0, 1, 1, 2])

#: Every path of the kernel: hashed pairs (no group is direct), the 64-bit key replaced by the
#: hash of the ids (no key is small enough), int64 rows of counters (no count is small enough).
PATHS = {
    "default": {},
    "hashed pairs": {"DIRECT_MAX_GROUPS": 0},
    "hashed windows": {"_KEY_LIMIT": 0},
    "int64 rows": {"_INT32_LIMIT": 0},
    "all three": {"DIRECT_MAX_GROUPS": 0, "_KEY_LIMIT": 0, "_INT32_LIMIT": 0},
}


@pytest.fixture(params=list(PATHS))
def path(request, monkeypatch):
    for name, value in PATHS[request.param].items():
        monkeypatch.setattr(tally, name, value)
    return request.param


def pairs(res):
    """(code, group, n, n_units, n_articles) per pair, in the kernel's order."""
    columns = (res.code, res.group, res.n, res.n_units, res.n_articles)
    return list(zip(*(c.tolist() for c in columns), strict=True))


def test_unigrams_by_hand(path):
    res = tally.count_ngrams(IDS, BOUNDS, IS_STOP, 1, GROUPS, ARTICLES, with_pooled=True)
    assert res.grams.tolist() == [[A], [B], [C], [D]]  # the code is the word id: every word has a row
    assert pairs(res) == [
        (A, 0, 2, 1, 1),
        (A, 1, 2, 2, 1),  # in both units of article 1
        (A, 2, 1, 1, 1),
        (B, 0, 1, 1, 1),
        (B, 1, 2, 2, 1),
        (B, 2, 1, 1, 1),
    ]  # the stop word c is not counted, whether dropped after counting or skipped
    assert res.pooled_articles.tolist() == [3, 3, 0, 0]


def test_bigrams_by_hand(path):
    res = tally.count_ngrams(IDS, BOUNDS, IS_STOP, 2, GROUPS, ARTICLES, with_pooled=True)
    assert res.grams.tolist() == [[A, B], [B, A]]  # codes in order of first appearance
    # 'b c' ends and 'c a' starts with a stop word; 'a a' and 'c c' would cross units
    assert pairs(res) == [(0, 0, 1, 1, 1), (0, 1, 1, 1, 1), (0, 2, 1, 1, 1), (1, 0, 1, 1, 1), (1, 1, 1, 1, 1)]
    assert res.pooled_articles.tolist() == [3, 2]


def test_articles_equal_to_units_count_units(path):
    res = tally.count_ngrams(IDS, BOUNDS, IS_STOP, 1, GROUPS, np.arange(4))
    assert res.n_articles.tolist() == res.n_units.tolist() == [1, 2, 1, 1, 2, 1]
    assert res.pooled_articles.tolist() == [0, 0, 0, 0]  # not asked for


def test_many_groups_by_hand(path):
    # 70 units, each its own group: unit u is [a b] when u is even, [b] when odd; article u // 2
    n_units = 70
    ids = np.array([t for u in range(n_units) for t in ([A, B] if u % 2 == 0 else [B])], dtype=np.int32)
    bounds = np.concatenate(([0], np.cumsum([2 if u % 2 == 0 else 1 for u in range(n_units)])))
    groups, articles = np.arange(n_units), np.arange(n_units) // 2
    assert n_units > tally.DIRECT_MAX_GROUPS  # pairs are hashed
    uni = tally.count_ngrams(ids, bounds, IS_STOP, 1, groups, articles, with_pooled=True)
    assert pairs(uni) == [(A, g, 1, 1, 1) for g in range(0, n_units, 2)] + [
        (B, g, 1, 1, 1) for g in range(n_units)
    ]
    assert uni.pooled_articles.tolist() == [35, 35, 0, 0]
    bi = tally.count_ngrams(ids, bounds, IS_STOP, 2, groups, articles, with_pooled=True)
    assert bi.grams.tolist() == [[A, B]]
    assert pairs(bi) == [(0, g, 1, 1, 1) for g in range(0, n_units, 2)]
    assert bi.pooled_articles.tolist() == [35]


def reference(ids, bounds, is_stop, size, groups, articles):
    """The counts by brute force: {(n-gram, group): (n, n_units, n_articles)} and pooled articles."""
    n, units, arts, pooled = defaultdict(int), defaultdict(set), defaultdict(set), defaultdict(set)
    for u in range(len(bounds) - 1):
        for i in range(bounds[u], bounds[u + 1] - size + 1):
            gram = tuple(ids[i : i + size].tolist())
            if is_stop[gram[0]] or is_stop[gram[-1]]:
                continue
            n[gram, groups[u]] += 1
            units[gram, groups[u]].add(u)
            arts[gram, groups[u]].add(articles[u])
            pooled[gram].add(articles[u])
    return {key: (n[key], len(units[key]), len(arts[key])) for key in n}, {
        gram: len(a) for gram, a in pooled.items()
    }


@pytest.mark.parametrize("n_groups", [3, 100])
@pytest.mark.parametrize("size", [1, 2, 3])
def test_tables_that_grow_keep_every_count(path, n_groups, size):
    rng = np.random.default_rng(n_groups + size)
    n_units, n_words = 400, 300
    lengths = rng.integers(0, 60, n_units)
    bounds = np.concatenate(([0], np.cumsum(lengths)))
    ids = rng.integers(0, n_words, bounds[-1]).astype(np.int32)
    is_stop = rng.random(n_words) < 0.1
    groups = rng.integers(0, n_groups, n_units)
    articles = np.arange(n_units) // 3
    res = tally.count_ngrams(ids, bounds, is_stop, size, groups, articles, with_pooled=True)
    expected, pooled = reference(ids, bounds, is_stop, size, groups, articles)
    grams = [tuple(row) for row in res.grams.tolist()]
    got = {(grams[c], g): (n, u, a) for c, g, n, u, a in pairs(res)}
    assert len(expected) > 1024 or size == 1  # the n-gram and pair tables grew several times
    assert got == expected
    assert {grams[c]: p for c, p in enumerate(res.pooled_articles.tolist()) if p} == pooled
    assert [(c, g) for c, g, *_ in pairs(res)] == sorted((c, g) for c, g, *_ in pairs(res))


def test_relabel_is_fancy_indexing():
    ids = np.array([2, 0, 2, 1], dtype=np.int32)
    assert tally.relabel(ids, np.array([7, 8, 9], dtype=np.int32)).tolist() == [9, 7, 9, 8]


@pytest.mark.parametrize("radix", [10, 2**40])  # one 64-bit key, or np.lexsort beyond
def test_sorted_rows_sort_by_the_first_column_first(radix):
    first, second = np.array([1, 0, 1, 0, 2]), np.array([3, 9, 2, 1, 0])
    order = counts._sorted_rows([first, second], [radix, radix])
    assert order.tolist() == [3, 1, 2, 0, 4]


def test_terms_rank_as_their_strings():
    words = ["new", "new-york", "york", "a", "ab", "a.b", "é", "z'", "1", "10", "ä", "zz"]
    rng = np.random.default_rng(0)
    grams = [np.arange(len(words)).reshape(-1, 1), *(rng.integers(0, len(words), (40, k)) for k in (2, 3))]
    grams[1] = np.unique(grams[1], axis=0)
    grams[2] = np.unique(grams[2], axis=0)
    ranks = counts._term_ranks(pl.Series(words), grams)
    terms = [" ".join(words[w] for w in row) for part in grams for row in part.tolist()]
    assert [terms[i] for i in np.argsort(ranks)] == sorted(terms)


# --------------------------------------------------------------------------
# count_lengths: runs cut at article boundaries on several threads, added up
# --------------------------------------------------------------------------

# units: [a b a] [b a b] [a b] | [d a b c] [b a]; groups 0, 1, 1, 0, 1; articles 0, 1, 1, 2, 3.
# Article 1 holds tokens 3-8, across the middle (token 7): the cut comes where article 2 starts.
# Both runs have both groups and the n-grams a, b, 'a b' and 'b a'; 'd a' is new in the second run
# and comes first there, so it is renumbered when the runs are added.
RUN_IDS = np.array([A, B, A, B, A, B, A, B, D, A, B, C, B, A], dtype=np.int32)
RUN_BOUNDS = np.array([0, 3, 6, 8, 12, 14])
RUN_GROUPS, RUN_ARTICLES = np.array([0, 1, 1, 0, 1]), np.array([0, 1, 1, 2, 3])


def test_runs_are_cut_where_an_article_starts(monkeypatch):
    monkeypatch.setattr(tally, "MIN_TOKENS_PER_RUN", 1)
    assert tally._runs(RUN_BOUNDS, RUN_ARTICLES, 2) == [slice(0, 3), slice(3, 5)]
    # thirds (tokens 4 and 9) fall in article 1 and article 2: cut at the starts of articles 2 and 3
    assert tally._runs(RUN_BOUNDS, RUN_ARTICLES, 3) == [slice(0, 3), slice(3, 4), slice(4, 5)]
    assert tally._runs(RUN_BOUNDS, np.zeros(5, dtype=np.int64), 2) == [slice(0, 5)]  # one article: no cut
    monkeypatch.setattr(tally, "MIN_TOKENS_PER_RUN", 7)
    assert tally._runs(RUN_BOUNDS, RUN_ARTICLES, 3) == [slice(0, 3), slice(3, 5)]  # two runs of 7 tokens
    monkeypatch.setattr(tally, "MIN_TOKENS_PER_RUN", 8)
    assert tally._runs(RUN_BOUNDS, RUN_ARTICLES, 3) == [slice(0, 5)]


@pytest.mark.parametrize("threads", [1, 2, 3])
def test_runs_added_up_by_hand(path, monkeypatch, threads):
    monkeypatch.setattr(tally, "MIN_TOKENS_PER_RUN", 1)
    uni, bi = tally.count_lengths(
        RUN_IDS, RUN_BOUNDS, IS_STOP, range(1, 3), RUN_GROUPS, RUN_ARTICLES, with_pooled=True, threads=threads
    )
    assert pairs(uni) == [
        (A, 0, 3, 2, 2),
        (A, 1, 3, 3, 2),  # units 1 and 2 (article 1) in the first run, unit 4 (article 3) in the second
        (B, 0, 2, 2, 2),
        (B, 1, 4, 3, 2),
        (D, 0, 1, 1, 1),
    ]
    assert uni.pooled_articles.tolist() == [4, 4, 0, 1]
    assert bi.grams.tolist() == [[A, B], [B, A], [D, A]]  # codes in order of first appearance overall
    assert pairs(bi) == [(0, 0, 2, 2, 2), (0, 1, 2, 2, 1), (1, 0, 1, 1, 1), (1, 1, 2, 2, 2), (2, 0, 1, 1, 1)]
    assert bi.pooled_articles.tolist() == [3, 3, 1]


@pytest.mark.parametrize("threads", [2, 3, 5])
@pytest.mark.parametrize("n_groups", [3, 100])
def test_runs_added_up_equal_one_run(path, monkeypatch, threads, n_groups):
    monkeypatch.setattr(tally, "MIN_TOKENS_PER_RUN", 1)
    rng = np.random.default_rng(threads * n_groups)
    n_units, n_words = 300, 200
    lengths = rng.integers(0, 40, n_units)  # some units empty
    bounds = np.concatenate(([0], np.cumsum(lengths)))
    ids = rng.integers(0, n_words, bounds[-1]).astype(np.int32)
    is_stop = rng.random(n_words) < 0.1
    groups = rng.integers(0, n_groups, n_units)
    articles = np.repeat(np.arange(n_units), rng.integers(1, 6, n_units))[:n_units]  # 1 to 5 units each
    one = tally.count_lengths(ids, bounds, is_stop, range(1, 4), groups, articles, with_pooled=True)
    assert len(tally._runs(bounds, articles, threads)) == threads
    runs = tally.count_lengths(
        ids, bounds, is_stop, range(1, 4), groups, articles, with_pooled=True, threads=threads
    )
    for expected, got in zip(one, runs, strict=True):
        for field in tally.NgramCounts._fields:
            assert np.array_equal(getattr(expected, field), getattr(got, field)), field


def test_runs_of_no_tokens(monkeypatch):
    monkeypatch.setattr(tally, "MIN_TOKENS_PER_RUN", 1)
    no_ids, bounds = np.zeros(0, dtype=np.int32), np.zeros(4, dtype=np.int64)
    got = tally.count_lengths(no_ids, bounds, IS_STOP, range(1, 3), np.arange(3), np.arange(3), threads=2)
    assert [len(res.n) for res in got] == [0, 0]


@pytest.mark.parametrize("ngram_range", [(1, 1), (1, 2), (2, 3)])
def test_count_terms_on_several_threads_equals_one_thread(seeds_corpus, monkeypatch, ngram_range):
    monkeypatch.setattr(tally, "MIN_TOKENS_PER_RUN", 1)
    units = seeds_corpus.sentences
    monkeypatch.setattr(pl, "thread_pool_size", lambda: 1)
    one = counts.count_terms(units, ngram_range=ngram_range)
    monkeypatch.setattr(pl, "thread_pool_size", lambda: 4)
    several = counts.count_terms(units, ngram_range=ngram_range)
    pd.testing.assert_frame_equal(one, several, check_exact=True)
