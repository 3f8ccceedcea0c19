"""Compiled tokenizer: the matches of ``TOKEN_PATTERN`` found by a hand-written scanner over UTF-8.

:data:`analysis.corpus.text.TOKEN_PATTERN` is three alternatives tried in order at each position
(leftmost first, each greedy): a dotted abbreviation ``(alpha mark* '.'){2,}``, a number
``digit+ ([.,] digit+)* ('-' alpha alpha_or_mark*)*`` and a word
``first inner* (joiner first inner*)*``. None needs backtracking beyond one character of look-ahead,
so one pass over the UTF-8 bytes of the texts finds exactly the regex's matches (tests compare
both on generated text and on every code point). Character classes come from one table of the
Unicode classes of :mod:`analysis.corpus._unicode_classes`, indexed by code point.

Instead of building a string per token the scanner gives each distinct raw token (byte string) an
id in a hash table, so callers normalize each distinct form once: :func:`raw_token_ids`.
The kernels are compiled by numba on first use and kept in numba's disk cache (``cache=True``).
"""

from __future__ import annotations

import functools
from concurrent.futures import ThreadPoolExecutor

import numba
import numpy as np
import polars as pl

from analysis.corpus import _unicode_classes as uc
from analysis.corpus._tokens import RawTokens
from analysis.infra.hashing import FNV_OFFSET, FNV_PRIME, splitmix64

__all__ = ["raw_token_ids"]

_LETTER, _MARK, _DIGIT, _OTHER = 1, 2, 4, 8
_ALPHA = _LETTER | _OTHER  # may start an abbreviation's letter, follow a number's hyphen
_ALPHA_OR_MARK = _ALPHA | _MARK
_FIRST = _LETTER | _DIGIT | _OTHER  # may start a token
_INNER = _FIRST | _MARK
_EMPTY = -1


@functools.cache
def class_table() -> np.ndarray:
    """One byte per code point (0 .. U+10FFFF): bit 1 letter, 2 mark, 4 decimal digit, 8 other number."""
    table = np.zeros(0x110000, dtype=np.uint8)
    for ranges, bit in (
        (uc.LETTER, _LETTER),
        (uc.MARK, _MARK),
        (uc.DIGIT, _DIGIT),
        (uc.OTHER_NUMBER, _OTHER),
    ):
        for first, last in ranges:
            table[first : last + 1] |= bit
    return table


@numba.njit(cache=True, nogil=True, inline="always")
def _decoded(buf, p):
    """(code point, width in bytes) of the UTF-8 sequence at ``p``."""
    b = np.int64(buf[p])
    if b < 0x80:
        return b, 1
    if b < 0xE0:
        return ((b & 0x1F) << 6) | (np.int64(buf[p + 1]) & 0x3F), 2
    if b < 0xF0:
        return ((b & 0x0F) << 12) | ((np.int64(buf[p + 1]) & 0x3F) << 6) | (np.int64(buf[p + 2]) & 0x3F), 3
    return (
        ((b & 0x07) << 18)
        | ((np.int64(buf[p + 1]) & 0x3F) << 12)
        | ((np.int64(buf[p + 2]) & 0x3F) << 6)
        | (np.int64(buf[p + 3]) & 0x3F)
    ), 4


@numba.njit(cache=True, nogil=True, inline="always")
def _run(buf, q, end, table, classes):
    """The end of the run of characters in ``classes`` that starts at ``q``."""
    while q < end:
        b = buf[q]
        if b < 0x80:  # one byte, one character: no decoding
            if not table[b] & classes:
                break
            q += 1
            continue
        cp, w = _decoded(buf, q)
        if not table[cp] & classes:
            break
        q += w
    return q


@numba.njit(cache=True, nogil=True)
def _token_end(buf, p, end, table):
    """End (byte offset) of the token starting at ``p``, whose first character can start one."""
    cp, w = _decoded(buf, p)
    c = table[cp]
    # abbreviation: two or more (alpha mark* '.'), as many as there are; an ASCII letter followed
    # by anything but '.' or a multi-byte character (a mark) starts none
    if c & _ALPHA and (w > 1 or (p + 1 < end and (buf[p + 1] == 46 or buf[p + 1] >= 0x80))):
        q, reps, last = p, 0, -1
        while q < end:
            cp, w2 = _decoded(buf, q)
            if not table[cp] & _ALPHA:
                break
            r = _run(buf, q + w2, end, table, _MARK)
            if r < end and buf[r] == 46:  # '.'
                reps += 1
                q = r + 1
                if reps >= 2:
                    last = q
            else:
                break
        if last >= 0:
            return last
    if c & _DIGIT:  # number
        q = _run(buf, p + w, end, table, _DIGIT)
        while q + 1 < end and (buf[q] == 46 or buf[q] == 44):  # '.' or ','
            cp, w2 = _decoded(buf, q + 1)
            if not table[cp] & _DIGIT:
                break
            q = _run(buf, q + 1 + w2, end, table, _DIGIT)
        while q + 1 < end and buf[q] == 45:  # '-' alpha alpha_or_mark*
            cp, w2 = _decoded(buf, q + 1)
            if not table[cp] & _ALPHA:
                break
            q = _run(buf, q + 1 + w2, end, table, _ALPHA_OR_MARK)
        return q
    q = _run(buf, p + w, end, table, _INNER)  # word
    while q < end:
        cp, w2 = _decoded(buf, q)
        # '-', "'", '’', zero-width non-joiner and joiner join two runs
        if not (cp == 45 or cp == 39 or cp == 0x2019 or cp == 0x200C or cp == 0x200D) or q + w2 >= end:
            break
        cp, w3 = _decoded(buf, q + w2)
        if not table[cp] & _FIRST:
            break
        q = _run(buf, q + w2 + w3, end, table, _INNER)
    return q


@numba.njit(cache=True, nogil=True, inline="always")
def _next_token(buf, p, end, table):
    """(start, end) of the first token at or after ``p`` (start == end when none is left).

    Most tokens are ASCII words or numbers that nothing after them can extend: a run of ASCII
    letters and digits (digits only after a digit) followed by the end or by an ASCII character
    that neither joins two runs nor continues a number or an abbreviation. Those end where the run
    ends; every other token goes through :func:`_token_end`, the whole grammar.
    """
    while p < end:
        b = buf[p]
        if b >= 0x80:
            cp, w = _decoded(buf, p)
            if table[cp] & _FIRST:
                return p, _token_end(buf, p, end, table)
            p += w
            continue
        c = table[b]
        if not c & _FIRST:
            p += 1
            continue
        classes = _DIGIT if c & _DIGIT else _INNER
        q = p + 1
        while q < end and buf[q] < 0x80 and table[buf[q]] & classes:
            q += 1
        if q == end:
            return p, q
        b = buf[q]
        if b >= 0x80 or b == 46 or b == 45 or b == 39 or (b == 44 and classes == _DIGIT):  # . - ' ,
            return p, _token_end(buf, p, end, table)
        return p, q
    return end, end


@numba.njit(cache=True, nogil=True)
def _hashed(buf, start, stop):
    """FNV-1a over ``buf[start:stop]``, finished with splitmix64."""
    h = FNV_OFFSET
    for i in range(start, stop):
        h = (h ^ np.uint64(buf[i])) * FNV_PRIME
    return splitmix64(h)


@numba.njit(cache=True, nogil=True)
def _same_bytes(arena, a, buf, b, length):
    for i in range(length):
        if arena[a + i] != buf[b + i]:
            return False
    return True


@numba.njit(cache=True, nogil=True)
def _ids(
    buf, offsets, table, k0, p0, ids, n_tokens, per_text, slots, slot_hash, forms, n_forms, arena, n_bytes
):
    """Give every token from text ``k0``, byte ``p0`` on the id of its raw form (a new form the next id).

    Fills ``ids`` (per token) and ``per_text`` (tokens per text). ``slots`` is an open-addressing
    table of form ids with their hashes beside them (``slot_hash``); each form's bytes are copied
    to ``arena`` (``forms[f]`` = its start, ``forms[f + 1]`` its end there), so that telling two
    forms apart reads memory close by, not the text where a form first appeared. Stops before a
    token that finds an array full or would fill ``slots`` past half:
    returns (k, p, n_tokens, n_forms, n_bytes, done).
    Arrays are never reassigned here (that keeps the loop fast); the caller grows them.
    """
    mask = len(slots) - 1
    for k in range(k0, len(offsets) - 1):
        p, end = (p0 if k == k0 else offsets[k]), offsets[k + 1]
        while True:
            p, e = _next_token(buf, p, end, table)
            if p == end:
                break
            if (
                n_tokens == len(ids)
                or 2 * (n_forms + 1) > len(slots)
                or n_forms + 2 > len(forms)
                or n_bytes + e - p > len(arena)
            ):
                return k, p, n_tokens, n_forms, n_bytes, False
            h = _hashed(buf, p, e)
            s = np.int64(h & np.uint64(mask))
            f = slots[s]
            while f != _EMPTY and not (
                slot_hash[s] == h
                and forms[f + 1] - forms[f] == e - p
                and _same_bytes(arena, forms[f], buf, p, e - p)
            ):
                s = (s + 1) & mask
                f = slots[s]
            if f == _EMPTY:
                f = n_forms
                n_forms += 1
                for i in range(e - p):
                    arena[n_bytes + i] = buf[p + i]
                n_bytes += e - p
                forms[f + 1] = n_bytes
                slots[s], slot_hash[s] = f, h
            ids[n_tokens] = f
            n_tokens += 1
            per_text[k] += 1
            p = e
    return len(offsets) - 1, 0, n_tokens, n_forms, n_bytes, True


@numba.njit(cache=True, nogil=True)
def _rehashed(slots, slot_hash, size):
    """The table of ``slots`` (with ``slot_hash``) moved to ``size`` slots."""
    grown, grown_hash = np.full(size, _EMPTY, np.int64), np.zeros(size, np.uint64)
    mask = size - 1
    for old in range(len(slots)):
        if slots[old] == _EMPTY:
            continue
        s = np.int64(slot_hash[old] & np.uint64(mask))
        while grown[s] != _EMPTY:
            s = (s + 1) & mask
        grown[s], grown_hash[s] = slots[old], slot_hash[old]
    return grown, grown_hash


def _grown(array: np.ndarray) -> np.ndarray:
    return np.concatenate([array, np.empty(len(array), array.dtype)])


def _all_ids(buf: np.ndarray, offsets: np.ndarray, table: np.ndarray):
    """Run :func:`_ids` to the end, growing its arrays whenever it stops.

    Returns the token ids, tokens per text, the forms' bytes and their bounds in those bytes.
    """
    n_texts = len(offsets) - 1
    ids = np.empty(max(1024, len(buf) // 5), np.int32)
    per_text = np.zeros(n_texts, np.int64)
    forms = np.zeros(4097, np.int64)
    arena = np.empty(1 << 16, np.uint8)
    slots, slot_hash = np.full(8192, _EMPTY, np.int64), np.zeros(8192, np.uint64)
    k, p, n_tokens, n_forms, n_bytes, done = 0, int(offsets[0]) if n_texts else 0, 0, 0, 0, False
    while True:
        k, p, n_tokens, n_forms, n_bytes, done = _ids(
            buf,
            offsets,
            table,
            k,
            p,
            ids,
            n_tokens,
            per_text,
            slots,
            slot_hash,
            forms,
            n_forms,
            arena,
            n_bytes,
        )
        if done:
            break
        if n_tokens == len(ids):
            ids = _grown(ids)
        if n_forms + 2 > len(forms):
            forms = _grown(forms)
        if n_bytes + (offsets[k + 1] - p) > len(arena):  # room for the rest of the text, at least
            arena = np.concatenate([arena, np.empty(max(len(arena), offsets[k + 1] - p), np.uint8)])
        if 2 * (n_forms + 1) > len(slots):
            slots, slot_hash = _rehashed(slots, slot_hash, 2 * len(slots))
    return ids[:n_tokens], per_text, arena[:n_bytes], forms[: n_forms + 1]


def _utf8(texts) -> tuple[np.ndarray, np.ndarray]:
    """The UTF-8 bytes of all texts (a view of one buffer) and their byte offsets (``len(texts) + 1``)."""
    arrow = pl.Series(texts, dtype=pl.String).to_arrow()
    if hasattr(arrow, "combine_chunks"):
        arrow = arrow.combine_chunks()
    arrow = arrow.cast("large_string")
    _, offsets, data = arrow.buffers()
    offsets = np.frombuffer(offsets, dtype=np.int64)[arrow.offset : arrow.offset + len(arrow) + 1]
    buf = np.frombuffer(data, dtype=np.uint8) if data is not None else np.zeros(0, np.uint8)
    return buf, offsets


def raw_token_ids(texts, *, n_threads: int | None = None) -> RawTokens:
    """The tokens of each text as ids of distinct raw forms (see :class:`RawTokens`).

    The texts are split into ``n_threads`` contiguous parts (default: one per thread of polars'
    pool, which follows ``POLARS_MAX_THREADS``; one part below a megabyte) scanned side by side;
    the same raw form may then have one id per part.
    """
    buf, offsets = _utf8(texts)
    n_texts = len(offsets) - 1
    if n_threads is None:
        n_threads = 1 if len(buf) < 1 << 20 else pl.thread_pool_size()
    # part boundaries at text boundaries, about equal in bytes
    cuts = np.unique(np.searchsorted(offsets, np.linspace(offsets[0], offsets[-1], n_threads + 1)))
    cuts[0], cuts[-1] = 0, n_texts
    parts = [(a, b) for a, b in zip(cuts[:-1].tolist(), cuts[1:].tolist(), strict=True) if b > a]
    table = class_table()

    def scan(part):
        a, b = part
        return _all_ids(buf, offsets[a : b + 1], table)

    if len(parts) > 1:  # the kernel releases the GIL
        with ThreadPoolExecutor(max_workers=len(parts)) as pool:
            results = list(pool.map(scan, parts))
    else:
        results = [scan(parts[0])] if parts else []
    ids, per_text, forms, n_forms = [], [], [], 0
    for part_ids, part_counts, arena, bounds in results:
        ids.append(part_ids + np.int32(n_forms) if n_forms else part_ids)
        per_text.append(part_counts)
        raw, cuts = arena.tobytes(), bounds.tolist()
        forms.extend([raw[a:b].decode("utf-8") for a, b in zip(cuts[:-1], cuts[1:], strict=True)])
        n_forms = len(forms)
    counts = np.concatenate(per_text) if per_text else np.zeros(n_texts, np.int64)
    return RawTokens(
        np.concatenate(ids) if ids else np.zeros(0, np.int32),
        np.concatenate(([0], np.cumsum(counts))).astype(np.int64),
        forms,
    )
