"""Compiled n-gram tallies behind :func:`analysis.terms._counts.count_terms`: one pass per n-gram length.

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

The kernels are compiled by numba on first use and kept in numba's disk cache (``cache=True``).
"""

from __future__ import annotations

from typing import NamedTuple

import numba
import numpy as np

from analysis.infra.hashing import FNV_OFFSET, FNV_PRIME, splitmix64

__all__ = ["count_ngrams", "relabel", "NgramCounts", "DIRECT_MAX_GROUPS"]

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
    if size == 1:
        mode = _WORD
    else:
        mode = _KEY if max(n_words, 1) ** size < _KEY_LIMIT else _HASH
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
