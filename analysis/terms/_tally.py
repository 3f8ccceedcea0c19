"""Compiled n-gram tallies behind :func:`analysis.terms._counts.count_terms`: one pass per n-gram length
and run of units, runs added up.

:func:`count_ngrams` walks the token ids unit by unit and, for every window of ``size`` tokens
that does not start or end with a stop word, finds the window's code and adds to the counters of
its (code, group) pair: occurrences ``n``, distinct units ``n_units`` and distinct articles
``n_articles``. How a window finds its code depends on its length:

- a unigram's code is its word id: no table at all;
- a longer window whose ids fit one 64-bit key (``V**size < 2**63`` for ``V`` words: the ids as
  digits in base ``V``) is looked up by that key, hashed once, in an open-addressing table whose
  slots hold the key beside the code, so a probe reads one cache line and equal keys mean equal
  windows;
- otherwise by an FNV-1a hash of its ids, confirmed on equal ids.

Codes of longer windows are given in order of first appearance. For up to
:data:`DIRECT_MAX_GROUPS` groups a pair's counters sit at row ``code * n_groups + group``; beyond,
pairs are found through a second table of the same kind, so memory follows the pairs that occur.
A pair's counters are one row (its counts, then the last unit and article seen: int32 while
every count and position fits, which halves the row), so updating them touches one cache line,
without a branch: distinct counts need no set per pair, since a pair sees its occurrences unit by
unit and article by article (units of an article are consecutive), so a unit (article) is new
for the pair exactly when it differs from the last one seen. Unigrams with direct counters count
stop words as well and drop them at the end, which is cheaper than a mispredicted branch per token.

Nothing of the size of the token stream is allocated besides the input. The hot loop never
reallocates (numba keeps it tight that way): it returns when a table is full, and
:func:`count_ngrams` grows the arrays and resumes it.

On several threads, :func:`count_lengths` cuts the units into runs of about equal tokens where an
article starts, tallies every (run, length) on its own thread and adds the runs up (:func:`_added`):
the second run's n-grams are looked up among the first's (new ones numbered after them, so codes
stay in order of first appearance) and the two lists of pairs, each ordered by code and group, are
merged in one pass. Counts of distinct units and articles add up because no article is in two
runs. Balance beats a length per thread: a bigram's lookup costs several times a unigram's.

The kernels are compiled by numba on first use and kept in numba's disk cache (``cache=True``).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from contextlib import nullcontext
from typing import NamedTuple

import numba
import numpy as np

from analysis.infra.hashing import FNV_OFFSET, FNV_PRIME, splitmix64

__all__ = ["count_ngrams", "count_lengths", "relabel", "NgramCounts", "DIRECT_MAX_GROUPS"]

_EMPTY = -1
#: How a window finds its code: its word id, its exact 64-bit key, or the hash of its ids.
_WORD, _KEY, _HASH = 0, 1, 2
#: Columns of a pair's row of counters: the counts, then the last unit and article seen.
_N, _UNITS, _ARTICLES, _LAST_UNIT, _LAST_ARTICLE = range(5)
#: FNV-1a's constants as int64 (keys are int64 here)
_FNV_OFFSET = np.int64(FNV_OFFSET.view(np.int64))
_FNV_PRIME = np.int64(FNV_PRIME)


@numba.njit(cache=True, nogil=True)
def _slot(key, bits):
    """Home slot of ``key`` in a table of 2**bits slots: the top bits of its splitmix64 finalizer."""
    return np.int64(splitmix64(key) >> np.uint64(64 - bits))


@numba.njit(cache=True, nogil=True, inline="always")
def _window_key(ids, i, size, n_words, mode):
    """The window's exact key (mode _KEY: its ids as digits in base ``n_words``) or FNV-1a hash.

    Inlined, with the mode tested once rather than per id: the hot loop's cost is this key."""
    if mode == _HASH:
        key = _FNV_OFFSET
        for j in range(size):
            key = (key ^ np.int64(ids[i + j])) * _FNV_PRIME
        return key
    key = np.int64(ids[i])
    for j in range(1, size):
        key = key * n_words + ids[i + j]
    return key


@numba.njit(cache=True, nogil=True)
def _same_window(grams, c, ids, i, size):
    for j in range(size):
        if grams[c * size + j] != ids[i + j]:
            return False
    return True


@numba.njit(cache=True, nogil=True)
def _rebuilt(slots, bits):
    """The entries of ``slots`` (key, entry pairs) in a table of 2**bits slots."""
    table = np.full(2 << bits, _EMPTY, np.int64)
    mask = (1 << bits) - 1
    for old in range(len(slots) // 2):
        if slots[2 * old + 1] != _EMPTY:
            s = _slot(slots[2 * old], bits)
            while table[2 * s + 1] != _EMPTY:
                s = (s + 1) & mask
            table[2 * s] = slots[2 * old]
            table[2 * s + 1] = slots[2 * old + 1]
    return table


@numba.njit(cache=True, nogil=True)
def _log2(slots):
    bits = 0
    while (2 << bits) < len(slots):
        bits += 1
    return bits


@numba.njit(cache=True, nogil=True)
def _scan(
    ids,
    bounds,
    is_stop,
    size,
    mode,
    n_words,
    group_of_unit,
    article_of_unit,
    n_groups,
    u0,
    i0,
    slots,
    grams,
    k,
    pooled,
    pair_slots,
    pair_key,
    kp,
    counters,
    track_articles,
):
    """Tally windows from unit u0, position i0 on; stop before a window that needs more room.

    ``slots`` and ``pair_slots`` are tables of (key, entry) pairs (2 * 2**bits int64; entry -1:
    free); ``grams`` holds the ids of each code's window, ``pooled`` each code's (distinct
    articles, last article seen) and ``counters`` each pair's row (:data:`_FRESH_PAIR`). Returns
    (u, i, k, kp, status): status 0 when done, 1 when the n-gram table or arrays are full, 2 when
    the pair table or arrays are full; (u, i) is the first window not tallied. Mode _WORD needs no
    n-gram table (the word id is the code). With an empty ``pair_slots`` the counters of
    (code, group) are at row ``code * n_groups + group`` and grow with the n-gram arrays.
    Arrays are never reassigned here (that keeps the loop fast); the caller grows them.
    """
    bits, pbits = _log2(slots), _log2(pair_slots)
    mask, pmask = (1 << bits) - 1, (1 << pbits) - 1
    room = len(grams) // size
    direct = len(pair_slots) == 0
    with_pooled = len(pooled) > 0
    # unigrams with direct counters count stop words too (the caller drops them): no branch to mispredict
    count_stops = mode == _WORD and direct
    for u in range(u0, len(bounds) - 1):
        g = group_of_unit[u]
        a = article_of_unit[u]
        for i in range(i0 if u == u0 else bounds[u], bounds[u + 1] - size + 1):
            if not count_stops and (is_stop[ids[i]] or is_stop[ids[i + size - 1]]):
                continue
            if mode == _WORD:
                c = np.int64(ids[i])
            else:
                key = _window_key(ids, i, size, n_words, mode)
                s = _slot(key, bits)
                c = slots[2 * s + 1]
                while c != _EMPTY and not (
                    slots[2 * s] == key and (mode == _KEY or _same_window(grams, c, ids, i, size))
                ):
                    s = (s + 1) & mask
                    c = slots[2 * s + 1]
                if c == _EMPTY:
                    if k == room or 2 * (k + 1) > len(slots) // 2:
                        return u, i, k, kp, 1
                    c = k
                    k += 1
                    for j in range(size):
                        grams[c * size + j] = ids[i + j]
                    slots[2 * s] = key
                    slots[2 * s + 1] = c
            pair = c * n_groups + g
            if direct:  # few groups: the pair's counters sit at its key
                p = pair
            else:
                s = _slot(pair, pbits)
                p = pair_slots[2 * s + 1]
                while p != _EMPTY and pair_slots[2 * s] != pair:
                    s = (s + 1) & pmask
                    p = pair_slots[2 * s + 1]
                if p == _EMPTY:
                    if kp == len(pair_key) or 2 * (kp + 1) > len(pair_slots) // 2:
                        return u, i, k, kp, 2
                    p = kp
                    kp += 1
                    pair_key[p] = pair
                    pair_slots[2 * s] = pair
                    pair_slots[2 * s + 1] = p
            # one row (cache line) per pair; no branch, as whether a unit or article is new is unpredictable
            counters[p, _N] += 1
            counters[p, _UNITS] += counters[p, _LAST_UNIT] != u
            counters[p, _LAST_UNIT] = u
            if track_articles:
                counters[p, _ARTICLES] += counters[p, _LAST_ARTICLE] != a
                counters[p, _LAST_ARTICLE] = a
            if with_pooled:
                pooled[c, 0] += pooled[c, 1] != a
                pooled[c, 1] = a
    return len(bounds) - 1, 0, k, kp, 0


@numba.njit(cache=True, nogil=True)
def _relabelled(ids, new_id):
    out = np.empty(len(ids), new_id.dtype)
    for i in range(len(ids)):
        out[i] = new_id[ids[i]]
    return out


def relabel(ids: np.ndarray, new_id: np.ndarray) -> np.ndarray:
    """``new_id[ids]`` in one compiled pass (numpy's fancy indexing first widens int32 ids to int64)."""
    return _relabelled(np.ascontiguousarray(ids), np.ascontiguousarray(new_id))


#: Up to this many groups a (group, n-gram) pair's counters are addressed directly, else hashed.
DIRECT_MAX_GROUPS = 64


#: Windows of ``size`` ids among ``V`` words are keyed exactly while ``V**size`` stays below this.
_KEY_LIMIT = 2**63
#: Counts and positions below this fit the int32 rows of counters.
_INT32_LIMIT = 2**31
#: A pair's counters before its first occurrence; a code's pooled articles (count, last seen) likewise.
_FRESH_PAIR = np.array([0, 0, 0, _EMPTY, _EMPTY], np.int64)
_FRESH_POOLED = np.array([0, _EMPTY], np.int64)


def _mode(size: int, n_words: int) -> int:
    """How a window of ``size`` ids among ``n_words`` words finds its code: _WORD, _KEY or _HASH."""
    if size == 1:
        return _WORD
    return _KEY if max(n_words, 1) ** size < _KEY_LIMIT else _HASH


def _rows(n_rows: int, fresh: np.ndarray) -> np.ndarray:
    """``n_rows`` copies of the row ``fresh``."""
    return np.tile(fresh, (n_rows, 1))


def _grown(values: np.ndarray, fresh) -> np.ndarray:
    """``values`` with twice as many rows (none stays none), the new ones set to ``fresh``."""
    grown = np.empty((2 * len(values), *values.shape[1:]), values.dtype)
    grown[: len(values)] = values
    grown[len(values) :] = fresh
    return grown


class NgramCounts(NamedTuple):
    """Counts of one n-gram length; see :func:`count_ngrams`."""

    grams: np.ndarray
    group: np.ndarray
    code: np.ndarray
    n: np.ndarray
    n_units: np.ndarray
    n_articles: np.ndarray
    pooled_articles: np.ndarray


def count_ngrams(
    ids: np.ndarray,
    bounds: np.ndarray,
    is_stop: np.ndarray,
    size: int,
    group_of_unit: np.ndarray,
    article_of_unit: np.ndarray,
    *,
    with_pooled: bool = False,
) -> NgramCounts:
    """Tally every n-gram of ``size`` tokens per group, with unit and article frequencies.

    Parameters
    ----------
    ids : int array
        Token ids (0 .. len(is_stop) - 1), all units one after the other.
    bounds : int array, length n_units + 1
        Unit ``u`` is ``ids[bounds[u]:bounds[u + 1]]``; n-grams never cross a unit boundary.
    is_stop : bool array, one entry per token id
        An n-gram starting or ending with a stop word is not counted.
    size : int
        Tokens per n-gram.
    group_of_unit, article_of_unit : int arrays, one entry per unit
        Group code (0..G-1) and article code of each unit; units of one article are consecutive.
    with_pooled : bool
        Also count the distinct articles of each n-gram over all groups.

    Returns
    -------
    NgramCounts
        ``grams`` (the token ids of each code, one row per code: for unigrams the code is the
        word id, so every word has a row, counted or not), then one entry per (group, n-gram)
        pair that occurs, ordered by code then group: ``group``, ``code``, ``n``, ``n_units``,
        ``n_articles``; and ``pooled_articles`` per code (zeros unless ``with_pooled``).
    """
    size = int(size)
    n_words = len(is_stop)
    n_groups = int(group_of_unit.max()) + 1 if len(group_of_unit) else 1
    article_of_unit = np.ascontiguousarray(article_of_unit, dtype=np.int64)
    track_articles = not np.array_equal(
        article_of_unit, np.arange(len(article_of_unit))
    )  # else articles = units
    mode = _mode(size, n_words)
    inputs = (
        np.ascontiguousarray(ids),
        np.ascontiguousarray(bounds, dtype=np.int64),
        np.ascontiguousarray(is_stop),
        size,
        mode,
        n_words,
        np.ascontiguousarray(group_of_unit, dtype=np.int64),
        article_of_unit,
        n_groups,
    )
    direct = n_groups <= DIRECT_MAX_GROUPS
    codes_room = n_words if mode == _WORD else 1024  # a unigram's code is its word id: room for all
    grams = np.zeros(0 if mode == _WORD else codes_room * size, np.int64)
    pooled = _rows(codes_room if with_pooled else 0, _FRESH_POOLED)
    # int32 rows while counts (at most the tokens) and positions fit: more pairs per cache line
    small = max(len(ids), len(bounds), int(article_of_unit.max(initial=0)) + 1) < _INT32_LIMIT
    fresh_pair = _FRESH_PAIR.astype(np.int32 if small else np.int64)
    counters = _rows(codes_room * n_groups if direct else 1024, fresh_pair)
    pair_key = np.zeros(0 if direct else len(counters), np.int64)
    slots = np.full(0 if mode == _WORD else 2 * 2048, _EMPTY, np.int64)
    pair_slots = np.full(0 if direct else 2 * 2048, _EMPTY, np.int64)
    u, i, k, kp, status = 0, 0, (n_words if mode == _WORD else 0), 0, 1
    while status:
        u, i, k, kp, status = _scan(
            *inputs, u, i, slots, grams, k, pooled, pair_slots, pair_key, kp, counters, track_articles
        )
        if status == 1:  # more room for n-grams: arrays when full, the table when half full
            if k == len(grams) // size:
                grams, pooled = _grown(grams, 0), _grown(pooled, _FRESH_POOLED)
                if direct:
                    counters = _grown(counters, _FRESH_PAIR)
            if 2 * (k + 1) > len(slots) // 2:
                slots = _rebuilt(slots, int(np.log2(len(slots) // 2)) + 1)
        elif status == 2:
            if kp == len(pair_key):
                pair_key, counters = _grown(pair_key, 0), _grown(counters, _FRESH_PAIR)
            if 2 * (kp + 1) > len(pair_slots) // 2:
                pair_slots = _rebuilt(pair_slots, int(np.log2(len(pair_slots) // 2)) + 1)
    if direct:
        counted = counters[: k * n_groups, _N] > 0
        if mode == _WORD:  # stop words were counted
            counted &= np.repeat(~is_stop, n_groups)
        order = np.flatnonzero(counted)  # by code, then group
        key = order
    else:
        key = pair_key[:kp]
        order = np.argsort(key, kind="stable")  # by code, then group
        key = key[order]
    counted = counters[order].astype(np.int64)
    pooled_articles = pooled[:k, 0].astype(np.int64) if with_pooled else np.zeros(k, np.int64)
    if mode == _WORD:  # stop words were counted
        pooled_articles[is_stop[:k]] = 0
    return NgramCounts(
        np.arange(k).reshape(k, 1) if mode == _WORD else grams[: k * size].reshape(k, size),
        key % n_groups,
        key // n_groups,
        counted[:, _N],
        counted[:, _UNITS],
        counted[:, _ARTICLES if track_articles else _UNITS],
        pooled_articles,
    )


@numba.njit(cache=True, nogil=True)
def _codes_among(grams, others, size, n_words, mode):
    """The code of each window of ``others`` among the windows of ``grams`` (distinct, ``size`` ids
    each, flattened), or -1 where ``grams`` lacks it: one table of ``grams``' keys, one probe each."""
    n_grams, n_others = len(grams) // size, len(others) // size
    bits = 1
    while (1 << bits) < 2 * n_grams:  # at most half full
        bits += 1
    slots, mask = np.full(2 << bits, _EMPTY, np.int64), (1 << bits) - 1
    for c in range(n_grams):  # distinct: no window to compare with
        key = _window_key(grams, c * size, size, n_words, mode)
        s = _slot(key, bits)
        while slots[2 * s + 1] != _EMPTY:
            s = (s + 1) & mask
        slots[2 * s] = key
        slots[2 * s + 1] = c
    codes = np.empty(n_others, np.int64)
    for o in range(n_others):
        key = _window_key(others, o * size, size, n_words, mode)
        s = _slot(key, bits)
        c = slots[2 * s + 1]
        while c != _EMPTY and not (
            slots[2 * s] == key and (mode == _KEY or _same_window(grams, c, others, o * size, size))
        ):
            s = (s + 1) & mask
            c = slots[2 * s + 1]
        codes[o] = c
    return codes


@numba.njit(cache=True, nogil=True)
def _added_pairs(first, second, code_of, n_codes):
    """The (group, n-gram) pairs of two runs (:class:`NgramCounts`, each ordered by code, then group)
    as one list in that order, ``second``'s code ``c`` becoming ``code_of[c]`` (0 <= it < ``n_codes``);
    a pair in both runs gets the sum of its counts. Returns its group, code, n, n_units, n_articles.

    One pass over the codes, no sort: a code's pairs are consecutive in each run."""
    own_code = np.full(n_codes, _EMPTY, np.int64)  # the code in ``second`` of each code
    for c in range(len(code_of)):
        own_code[code_of[c]] = c
    start = np.zeros(len(code_of) + 1, np.int64)  # second's pairs of its code c: rows start[c]:start[c + 1]
    for c in second.code:
        start[c + 1] += 1
    start = np.cumsum(start)
    size = len(first.n) + len(second.n)
    group, code = np.empty(size, np.int64), np.empty(size, np.int64)
    n, n_units, n_articles = np.zeros(size, np.int64), np.zeros(size, np.int64), np.zeros(size, np.int64)
    i = m = 0
    for c in range(n_codes):
        j = start[own_code[c]] if own_code[c] != _EMPTY else 0
        end = start[own_code[c] + 1] if own_code[c] != _EMPTY else 0
        while (i < len(first.n) and first.code[i] == c) or j < end:  # the code's pairs, by group
            in_first, in_second = i < len(first.n) and first.code[i] == c, j < end
            from_first = in_first and (not in_second or first.group[i] <= second.group[j])
            from_second = in_second and (not in_first or second.group[j] <= first.group[i])
            code[m] = c
            if from_first:
                _add_pair(first, i, m, group, n, n_units, n_articles)
                i += 1
            if from_second:
                _add_pair(second, j, m, group, n, n_units, n_articles)
                j += 1
            m += 1
    return group[:m], code[:m], n[:m], n_units[:m], n_articles[:m]


@numba.njit(cache=True, nogil=True)
def _add_pair(run, k, m, group, n, n_units, n_articles):
    """Add pair ``k`` of ``run`` (:class:`NgramCounts`) to output row ``m`` (both runs' pairs of a
    row have the same group)."""
    group[m] = run.group[k]
    n[m] += run.n[k]
    n_units[m] += run.n_units[k]
    n_articles[m] += run.n_articles[k]


def _added(first: NgramCounts, second: NgramCounts, n_words: int) -> NgramCounts:
    """The counts of two runs over different articles added up, as one run over both would give
    them: ``first``'s codes, then ``second``'s new n-grams in its order; pairs ordered by code, group.

    Distinct units and articles add up because no article (so no unit) is in both runs."""
    size = first.grams.shape[1]
    mode = _mode(size, n_words)
    if mode == _WORD:  # the code is the word id in both
        code_of, grams = np.arange(len(second.grams)), first.grams
    else:
        code_of = _codes_among(first.grams.ravel(), second.grams.ravel(), size, n_words, mode)
        new = code_of == _EMPTY
        code_of[new] = len(first.grams) + np.arange(np.count_nonzero(new))
        grams = np.concatenate((first.grams, second.grams[new]))
    pooled = np.zeros(len(grams), np.int64)
    pooled[: len(first.grams)] = first.pooled_articles
    pooled[code_of] += second.pooled_articles  # no code twice: one addition each
    return NgramCounts(grams, *_added_pairs(first, second, code_of, len(grams)), pooled)


#: Fewer tokens per run do not pay for adding runs up: each run finds the common n-grams anew and
#: they are looked up again when adding (the 2012 convention speeches, 134k tokens, cut in two on
#: 2 cores: no faster; 2.7M tokens: kernels 25% faster).
MIN_TOKENS_PER_RUN = 1 << 17


def _runs(bounds: np.ndarray, article_of_unit: np.ndarray, n_runs: int) -> list[slice]:
    """Units cut into at most ``n_runs`` runs of about equal tokens, each cut where an article starts."""
    n_runs = max(1, min(n_runs, int(bounds[-1]) // MIN_TOKENS_PER_RUN))
    starts = np.flatnonzero(np.diff(article_of_unit)) + 1  # units where an article (not the first) starts
    # cut run r where the first article starts at or after token r / n_runs of the way
    at = np.searchsorted(bounds[starts], bounds[-1] * np.arange(1, n_runs) // n_runs)
    edges = [0, *np.unique(starts[at[at < len(starts)]]).tolist(), len(article_of_unit)]
    return [slice(a, b) for a, b in zip(edges[:-1], edges[1:], strict=True)]


def count_lengths(
    ids: np.ndarray,
    bounds: np.ndarray,
    is_stop: np.ndarray,
    sizes: range,
    group_of_unit: np.ndarray,
    article_of_unit: np.ndarray,
    *,
    with_pooled: bool = False,
    threads: int = 1,
) -> list[NgramCounts]:
    """:func:`count_ngrams` for each of ``sizes``, on ``threads`` threads, the counts equal to one run's.

    With several threads the units are cut into runs of about equal tokens, each cut where an
    article starts (units of an article are consecutive), so that runs share no unit nor article;
    each (run, size) is one task, the longest sizes first so that the threads finish together;
    then neighbouring runs are added up (:func:`_added`) in rounds, every pair of a round on its
    own thread, so that adding takes log2(runs) steps. Inputs too small to cut give one run.
    Runs added up in order number the n-grams as one run does: by first appearance.

    Returns
    -------
    list of NgramCounts
        One per size, as :func:`count_ngrams` gives it (``grams``, then ``group``, ``code``, ``n``,
        ``n_units``, ``n_articles`` per (group, n-gram) pair, ``pooled_articles`` per code).
    """
    group_of_unit = np.asarray(group_of_unit, dtype=np.int64)
    article_of_unit = np.asarray(article_of_unit, dtype=np.int64)
    bounds = np.asarray(bounds, dtype=np.int64)
    runs = _runs(bounds, article_of_unit, threads) if threads > 1 else [slice(0, len(group_of_unit))]
    tasks = [(size, r) for size in sorted(sizes, reverse=True) for r in range(len(runs))]

    def count(task):
        size, run = task[0], runs[task[1]]
        first, last = bounds[run.start], bounds[run.stop]
        articles = article_of_unit[run]  # from 0, so that one article per unit is seen as such
        return count_ngrams(
            ids[first:last],
            bounds[run.start : run.stop + 1] - first,
            is_stop,
            size,
            group_of_unit[run],
            articles - (articles[0] if len(articles) else 0),
            with_pooled=with_pooled,
        )

    workers = min(threads, len(tasks))
    with ThreadPoolExecutor(workers) if workers > 1 else nullcontext() as pool:  # kernels release the GIL
        each = map if pool is None else pool.map
        done = dict(zip(tasks, each(count, tasks), strict=True))
        by_size = {size: [done[size, r] for r in range(len(runs))] for size in sizes}
        while len(by_size[sizes[0]]) > 1:  # neighbouring runs added up, every size at once
            pairs = [(size, k) for size in sizes for k in range(0, len(by_size[size]) - 1, 2)]
            firsts, seconds = ([by_size[size][k + j] for size, k in pairs] for j in (0, 1))
            sums = dict(zip(pairs, each(_added, firsts, seconds, [len(is_stop)] * len(pairs)), strict=True))
            by_size = {
                size: [sums.get((size, k), parts[k]) for k in range(0, len(parts), 2)]
                for size, parts in by_size.items()
            }
    return [by_size[size][0] for size in sizes]
