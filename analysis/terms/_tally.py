"""Compiled n-gram tallies behind :func:`analysis.terms._counts.count_terms`: one pass per n-gram length.

:func:`count_ngrams` walks the token ids unit by unit and, for every window of ``size`` tokens
that does not start or end with a stop word, finds the window's code in a hash table (codes are
given in order of first appearance; each code keeps its token ids and a window matches only on
equal ids, so distinct n-grams never share a code) and adds to the counters of its
(code, group) pair: occurrences ``n``, distinct units ``n_units`` and distinct articles
``n_articles``. For up to :data:`DIRECT_MAX_GROUPS` groups a pair's counters sit at
``code * n_groups + group``; beyond, pairs are hashed, so memory follows the pairs that occur. Distinct counts need no set per pair: a pair sees its occurrences unit by unit
and article by article (units of an article are consecutive), so a unit (article) is new for the
pair exactly when it differs from the last one seen. Nothing of the size of the token stream is
allocated besides the input. The hot loop never reallocates (numba keeps it tight that way): it
returns when a table is full, and :func:`count_ngrams` grows the arrays and resumes it.

The kernels are compiled by numba on first use and kept in numba's disk cache (``cache=True``).
"""

from __future__ import annotations

from typing import NamedTuple

import numba
import numpy as np

__all__ = ["count_ngrams", "NgramCounts", "DIRECT_MAX_GROUPS"]

_EMPTY = -1
_FNV_OFFSET = np.uint64(0xCBF29CE484222325)
_FNV_PRIME = np.uint64(0x100000001B3)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)


@numba.njit(cache=True, nogil=True)
def _mixed(key):
    """splitmix64 finalizer: every bit of a 64-bit key moves every bit of the hash."""
    h = np.uint64(key)
    h = (h ^ (h >> np.uint64(30))) * _MIX1
    h = (h ^ (h >> np.uint64(27))) * _MIX2
    return h ^ (h >> np.uint64(31))


@numba.njit(cache=True, nogil=True)
def _window_hash(ids, i, size):
    """FNV-1a over the window's token ids, finished with splitmix64 so that every bit is mixed."""
    h = _FNV_OFFSET
    for j in range(size):
        h = (h ^ np.uint64(ids[i + j])) * _FNV_PRIME
    return _mixed(h)


@numba.njit(cache=True, nogil=True)
def _same_window(grams, c, ids, i, size):
    for j in range(size):
        if grams[c * size + j] != ids[i + j]:
            return False
    return True


@numba.njit(cache=True, nogil=True)
def _rebuilt(hashes, count, bits):
    """Open-addressing table of 2**bits slots holding entries 0..count-1 at their hashes."""
    table = np.full(1 << bits, _EMPTY, np.int64)
    mask = (1 << bits) - 1
    for entry in range(count):
        s = np.int64(hashes[entry] >> np.uint64(64 - bits))
        while table[s] != _EMPTY:
            s = (s + 1) & mask
        table[s] = entry
    return table


@numba.njit(cache=True, nogil=True)
def _scan(
    ids,
    bounds,
    is_stop,
    size,
    group_of_unit,
    article_of_unit,
    n_groups,
    u0,
    i0,
    table,
    first,
    hashes,
    grams,
    k,
    pooled,
    last_pooled,
    pair_table,
    pair_key,
    pair_hash,
    kp,
    n,
    n_units,
    n_articles,
    last_unit,
    last_article,
):
    """Tally windows from unit u0, position i0 on; stop before a window that needs more room.

    Returns (u, i, k, kp, status): status 0 when done, 1 when the n-gram table or arrays are
    full, 2 when the pair table or arrays are full; (u, i) is the first window not tallied.
    With an empty ``pair_table`` the counters of (code, group) are at ``code * n_groups + group``
    and grow with the n-gram arrays.
    Arrays are never reassigned here (that keeps the loop fast); the caller grows them.
    """
    bits = 0
    while (1 << bits) < len(table):
        bits += 1
    pbits = 0
    while (1 << pbits) < len(pair_table):
        pbits += 1
    mask, pmask = len(table) - 1, len(pair_table) - 1
    direct = len(pair_table) == 0
    track_articles, with_pooled = len(last_article) > 0, len(last_pooled) > 0
    for u in range(u0, len(bounds) - 1):
        g = group_of_unit[u]
        a = article_of_unit[u]
        for i in range(i0 if u == u0 else bounds[u], bounds[u + 1] - size + 1):
            if is_stop[ids[i]] or is_stop[ids[i + size - 1]]:
                continue
            h = _window_hash(ids, i, size)
            s = np.int64(h >> np.uint64(64 - bits))
            c = table[s]
            while c != _EMPTY and not (hashes[c] == h and _same_window(grams, c, ids, i, size)):
                s = (s + 1) & mask
                c = table[s]
            if c == _EMPTY:
                if k == len(first) or 2 * (k + 1) > len(table):
                    return u, i, k, kp, 1
                c = k
                k += 1
                first[c] = i
                hashes[c] = h
                for j in range(size):
                    grams[c * size + j] = ids[i + j]
                table[s] = c
            key = c * n_groups + g
            if direct:  # few groups: the pair's counters sit at its key
                p = key
            else:
                ph = _mixed(key)
                s = np.int64(ph >> np.uint64(64 - pbits))
                p = pair_table[s]
                while p != _EMPTY and pair_key[p] != key:
                    s = (s + 1) & pmask
                    p = pair_table[s]
                if p == _EMPTY:
                    if kp == len(pair_key) or 2 * (kp + 1) > len(pair_table):
                        return u, i, k, kp, 2
                    p = kp
                    kp += 1
                    pair_key[p] = key
                    pair_hash[p] = ph
                    pair_table[s] = p
            n[p] += 1
            if last_unit[p] != u:
                last_unit[p] = u
                n_units[p] += 1
            if track_articles and last_article[p] != a:
                last_article[p] = a
                n_articles[p] += 1
            if with_pooled and last_pooled[c] != a:
                last_pooled[c] = a
                pooled[c] += 1
    return len(bounds) - 1, 0, k, kp, 0


#: Up to this many groups a (group, n-gram) pair's counters are addressed directly, else hashed.
DIRECT_MAX_GROUPS = 64


def _all_grown(arrays: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Each non-empty array at twice its length; "last_*" arrays padded with the empty marker, others with 0."""
    out = {}
    for name, values in arrays.items():
        grown = np.full(2 * len(values), _EMPTY if name.startswith("last") else 0, values.dtype)
        grown[: len(values)] = values
        out[name] = grown
    return out


class NgramCounts(NamedTuple):
    """Counts of one n-gram length; see :func:`count_ngrams`."""

    first: np.ndarray
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
        Token ids, all units one after the other.
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
        ``first`` (position of each n-gram's first occurrence: its code is its index), then one
        entry per (group, n-gram) pair that occurs, ordered by code then group: ``group``,
        ``code``, ``n``, ``n_units``, ``n_articles``; and ``pooled_articles`` per code (zeros
        unless ``with_pooled``).
    """
    n_groups = int(group_of_unit.max()) + 1 if len(group_of_unit) else 1
    article_of_unit = np.ascontiguousarray(article_of_unit, dtype=np.int64)
    track_articles = not np.array_equal(
        article_of_unit, np.arange(len(article_of_unit))
    )  # else articles = units
    inputs = (
        np.ascontiguousarray(ids),
        np.ascontiguousarray(bounds, dtype=np.int64),
        np.ascontiguousarray(is_stop),
        int(size),
        np.ascontiguousarray(group_of_unit, dtype=np.int64),
        article_of_unit,
        n_groups,
    )
    empty = np.zeros(0, np.int64)
    codes = {
        "first": np.zeros(1024, np.int64),
        "hashes": np.zeros(1024, np.uint64),
        "grams": np.zeros(1024 * int(size), np.int64),
        "pooled": np.zeros(1024 if with_pooled else 0, np.int64),
        "last_pooled": np.full(1024 if with_pooled else 0, _EMPTY, np.int64),
    }
    direct = n_groups <= DIRECT_MAX_GROUPS
    room = 1024 * n_groups if direct else 1024
    pairs = {
        "key": empty if direct else np.zeros(room, np.int64),
        "hash": np.zeros(0 if direct else room, np.uint64),
        "n": np.zeros(room, np.int64),
        "n_units": np.zeros(room, np.int64),
        "n_articles": np.zeros(room, np.int64) if track_articles else empty,
        "last_unit": np.full(room, _EMPTY, np.int64),
        "last_article": np.full(room, _EMPTY, np.int64) if track_articles else empty,
    }
    table, pair_table = np.full(2048, _EMPTY, np.int64), empty if direct else np.full(2048, _EMPTY, np.int64)
    u, i, k, kp, status = 0, 0, 0, 0, 1
    while status:
        u, i, k, kp, status = _scan(
            *inputs,
            u,
            i,
            table,
            codes["first"],
            codes["hashes"],
            codes["grams"],
            k,
            codes["pooled"],
            codes["last_pooled"],
            pair_table,
            pairs["key"],
            pairs["hash"],
            kp,
            pairs["n"],
            pairs["n_units"],
            pairs["n_articles"],
            pairs["last_unit"],
            pairs["last_article"],
        )
        if status == 1:  # more room for n-grams: arrays when full, the table when half full
            if k == len(codes["first"]):
                codes = _all_grown(codes)
                if direct:
                    pairs = _all_grown(pairs)
            if 2 * (k + 1) > len(table):
                table = _rebuilt(codes["hashes"], k, int(np.log2(len(table))) + 1)
        elif status == 2:
            if kp == len(pairs["key"]):
                pairs = _all_grown(pairs)
            if 2 * (kp + 1) > len(pair_table):
                pair_table = _rebuilt(pairs["hash"], kp, int(np.log2(len(pair_table))) + 1)
    if direct:
        order = np.flatnonzero(pairs["n"][: k * n_groups])  # by code, then group
        key = order
    else:
        key = pairs["key"][:kp]
        order = np.argsort(key, kind="stable")  # by code, then group
        key = key[order]
    n_articles = pairs["n_articles"] if track_articles else pairs["n_units"]
    pooled = codes["pooled"][:k] if with_pooled else np.zeros(k, np.int64)
    return NgramCounts(
        codes["first"][:k].copy(),
        key % n_groups,
        key // n_groups,
        pairs["n"][order],
        pairs["n_units"][order],
        n_articles[order],
        pooled,
    )
