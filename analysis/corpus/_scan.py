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

Speed. Most tokens are runs of ASCII letters and digits. The scanner reads eight bytes at a time
(one unaligned little-endian load, :func:`_word`), classifies all eight with a few integer
operations (SWAR) and keeps, for the 64 bytes ahead, one bit per byte: ASCII letter or digit,
and may start a token (the same or non-ASCII). Where the next token starts and where its run of
letters and digits ends are then trailing-zero counts (a number's run of digits is found eight
bytes at a time). The token ends there unless a non-ASCII character comes next, or an ASCII '.',
',', '-' or "'" followed by a letter, a digit or a non-ASCII character: a word goes on after '-'
or "'" followed by an ASCII letter or digit; :func:`_token_end` (the whole grammar) takes the
other cases, and tokens that start with a non-ASCII character. A token holds no zero byte, so a
token of at most eight bytes is its first eight bytes zero-padded: the table keeps that key beside
the form's id in one slot, and one 64-bit comparison finds the form. The hot loop is one function
on purpose: numba does not let LLVM inline a compiled helper that takes arrays, and its own
``inline="always"`` counts references to those arrays (atomic operations) on every call; helpers
in the loop take integers only or are intrinsics.
"""

from __future__ import annotations

import functools
from concurrent.futures import ThreadPoolExecutor

import numba
import numpy as np
import polars as pl
from llvmlite import ir
from numba import types
from numba.core.errors import TypingError
from numba.extending import intrinsic

from analysis.corpus import _unicode_classes as uc
from analysis.corpus._tokens import RawTokens, bounds_of, concat_tokens
from analysis.infra.hashing import splitmix64

__all__ = ["RawTokenScanner", "raw_token_ids"]

_LETTER, _MARK, _DIGIT, _OTHER = 1, 2, 4, 8
_ALPHA = _LETTER | _OTHER  # may start an abbreviation's letter, follow a number's hyphen
_ALPHA_OR_MARK = _ALPHA | _MARK
_FIRST = _LETTER | _DIGIT | _OTHER  # may start a token
_INNER = _FIRST | _MARK

# eight bytes at once: a constant repeated in each byte; a byte's flag is its high bit
_ONES = np.uint64(0x0101010101010101)
_HIGH = np.uint64(0x8080808080808080)
_LOW7 = np.uint64(0x7F7F7F7F7F7F7F7F)
_CASE = np.uint64(0x2020202020202020)
_ALL = np.uint64(0xFFFFFFFFFFFFFFFF)
_FIRST_HIGH = np.uint64(0x80)  # the flag of the first byte
_GATHER = np.uint64(0x0102040810204080)  # moves eight flags into eight bits (:func:`_gathered`)
# a slot of the forms' table: key (first eight bytes, 0 = empty) and id | _LONG | hash bits
_ID = np.uint64((1 << 31) - 1)
_LONG = np.uint64(1 << 31)  # the form is longer than eight bytes; the top 32 bits hold its hash's
_HASH_BITS = np.uint64(0xFFFFFFFF00000000)
_FOLD = np.uint64(0x9E3779B97F4A7C15)  # odd: folds a long form's eight-byte words into one


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


@intrinsic
def _word(typingctx, data, p):
    """``data[p : p + 8]`` (uint8) as one little-endian uint64, with zero bytes past the end of ``data``.

    Needs ``len(data) >= 8`` and ``0 <= p < len(data)``: reads the eight bytes at
    ``min(p, len(data) - 8)`` (any alignment) and shifts them down to start at ``p``. Little-endian
    machines only, as every platform numba supports.
    """

    if not (isinstance(data, types.Array) and data.dtype == types.uint8 and data.layout == "C"):
        raise TypingError(f"_word reads a contiguous uint8 array, not {data}")

    def codegen(context, builder, signature, args):
        array = context.make_array(signature.args[0])(context, builder, args[0])
        p = args[1]
        last = builder.sub(array.nitems, ir.Constant(p.type, 8))
        start = builder.select(builder.icmp_signed("<", p, last), p, last)
        address = builder.bitcast(builder.gep(array.data, [start]), ir.IntType(64).as_pointer())
        word = builder.load(address, align=1)
        return builder.lshr(word, builder.shl(builder.sub(p, start), ir.Constant(p.type, 3)))

    return types.uint64(data, types.int64), codegen


@intrinsic
def _trailing_zeros(typingctx, word):
    """The number of trailing zero bits of a uint64 (64 for zero)."""

    def codegen(context, builder, signature, args):
        count = builder.cttz(args[0], ir.Constant(ir.IntType(1), 0))
        return builder.zext(count, ir.IntType(64))

    return types.int64(word), codegen


@numba.njit(cache=True, nogil=True, inline="always")
def _low_bytes(n):
    """The mask of the low ``n`` bytes of a uint64 (``1 <= n <= 8``)."""
    return _ALL >> np.uint64(64 - 8 * n)


@numba.njit(cache=True, nogil=True, inline="always")
def _in_range(low7, first, last):
    """The flag of each byte of ``low7`` (bytes below 0x80: no carry crosses a byte) in ``first..last``."""
    return (low7 + _ONES * np.uint64(0x80 - first)) & ~(low7 + _ONES * np.uint64(0x7F - last))


@numba.njit(cache=True, nogil=True, inline="always")
def _ascii_digits(word):
    """The flag of each byte of ``word`` that is an ASCII digit."""
    return _in_range(word & _LOW7, 0x30, 0x39) & ~word & _HIGH


@numba.njit(cache=True, nogil=True, inline="always")
def _ascii_alnum(word):
    """The flag of each byte of ``word`` that is an ASCII letter or digit (the table's only ASCII classes)."""
    low7 = word & _LOW7
    letters = _in_range(low7 | _CASE, 0x61, 0x7A)  # 'A'..'Z' become 'a'..'z'; '@', '[', '`', '{' stay out
    return (letters | _in_range(low7, 0x30, 0x39)) & ~word & _HIGH


@numba.njit(cache=True, nogil=True)
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


@numba.njit(cache=True, nogil=True)
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
def _gathered(flags):
    """The flags of the eight bytes of a uint64 (high bits) as the eight low bits, first byte lowest."""
    return ((flags >> np.uint64(7)) * _GATHER) >> np.uint64(56)


@numba.njit(cache=True, nogil=True)
def _long_hash(data, start, stop):
    """Hash of ``data[start:stop]``, a form longer than eight bytes (a short one's is its key's)."""
    h = _word(data, start)
    q = start + 8
    while q < stop:
        h = (h * _FOLD) ^ (_word(data, q) & _low_bytes(min(8, stop - q)))
        q += 8
    return splitmix64(h ^ np.uint64(stop - start))


@numba.njit(cache=True, nogil=True)
def _same_tail(arena, a, buf, b, length):
    """Whether ``arena[a + 8 : a + length]`` and ``buf[b + 8 : b + length]`` hold the same bytes."""
    q = 8
    while q < length:
        if (_word(arena, a + q) ^ _word(buf, b + q)) & _low_bytes(min(8, length - q)):
            return False
        q += 8
    return True


@numba.njit(cache=True, nogil=True)
def _ids(buf, offsets, table, k0, p0, ids, n_tokens, per_text, slots, forms, n_forms, arena, n_bytes):
    """Give every token from text ``k0``, byte ``p0`` on the id of its raw form (a new form the next id).

    Fills ``ids`` (per token) and ``per_text`` (tokens per text). ``slots`` is an open-addressing
    table of two uint64 per slot: a form's key (its first eight bytes, zero-padded; 0 marks an
    empty slot) and its id, flagged ``_LONG`` with the top bits of its hash when the form is
    longer than eight bytes. Each form's bytes are copied to ``arena`` (``forms[f]`` = its start,
    ``forms[f + 1]`` its end there), so that telling two long forms apart reads memory close by,
    not the text where a form first appeared. Stops before a token that finds an array full or
    would fill ``slots`` past half: returns (k, p, n_tokens, n_forms, n_bytes, done).
    Arrays are never reassigned here (that keeps the loop fast); the caller grows them.
    ``buf`` holds at least eight bytes (:func:`_word`).
    """
    mask = len(slots) // 2 - 1
    for k in range(k0, len(offsets) - 1):
        p, end = (p0 if k == k0 else offsets[k]), offsets[k + 1]
        base = p - 64  # the block of 64 bytes whose flags are known: none yet
        alnum = starts = np.uint64(0)
        while p < end:
            if p >= base + 64:  # flags of the 64 bytes from p on (none past the text's end)
                base = p
                alnum = starts = np.uint64(0)
                for w in range(8):
                    q = base + 8 * w
                    if q >= end:
                        break
                    word = _word(buf, q)
                    alnum_flags = _ascii_alnum(word)
                    alnum |= _gathered(alnum_flags) << np.uint64(8 * w)
                    starts |= _gathered(alnum_flags | (word & _HIGH)) << np.uint64(8 * w)
                if end - base < 64:
                    alnum &= _ALL >> np.uint64(64 - (end - base))
                    starts &= _ALL >> np.uint64(64 - (end - base))
            # the next character that may start a token: an ASCII letter or digit, or a non-ASCII one
            ahead = starts >> np.uint64(p - base)
            if ahead == 0:
                p = base + 64
                continue
            p += _trailing_zeros(ahead)
            b = buf[p]
            if b >= 0x80:
                cp, width = _decoded(buf, p)
                if not table[cp] & _FIRST:
                    p += width
                    continue
                e = _token_end(buf, p, end, table)
            else:  # a run of ASCII letters and digits (digits only after a digit)
                digits = b <= 57  # '0'..'9'
                e = p
                known = False  # whether e is where the run ends
                if not digits:
                    stops = ~alnum >> np.uint64(p - base)
                    if stops != 0:
                        e, known = p + _trailing_zeros(stops), True
                    else:
                        e = base + 64
                while True:
                    if not known:  # eight bytes at once
                        if e >= end:
                            e = end
                            break
                        word = _word(buf, e)
                        stops = ~(_ascii_digits(word) if digits else _ascii_alnum(word)) & _HIGH
                        e += _trailing_zeros(stops) >> 3
                        if stops == 0:
                            continue
                    known = False
                    if e >= end:
                        e = end
                        break
                    b = buf[e]
                    if b < 0x80 and not (b == 46 or b == 45 or b == 39 or b == 44):  # . - ' ,
                        break
                    if b >= 0x80:  # a mark, a joiner, ...
                        e = _token_end(buf, p, end, table)
                        break
                    after = _word(buf, e + 1) if e + 1 < end else np.uint64(0)
                    if not (_ascii_alnum(after) | after) & _FIRST_HIGH:
                        break  # no letter, digit or non-ASCII character follows: nothing continues the token
                    if digits or (b == 46 and e == p + 1) or after & _FIRST_HIGH:
                        e = _token_end(buf, p, end, table)  # a number's '.', ',', '-'; an abbreviation's '.'
                        break
                    if b == 46 or b == 44:  # a word ends before '.' and ','
                        break
                    e += 1  # '-' or "'" joins two runs of a word
            length = e - p
            if (
                n_tokens == len(ids)
                or 4 * (n_forms + 1) > len(slots)
                or n_forms + 2 > len(forms)
                or n_bytes + length > len(arena)
            ):
                return k, p, n_tokens, n_forms, n_bytes, False
            key = _word(buf, p) & _low_bytes(min(8, length))
            if length <= 8:  # the key is the form
                h, flags = splitmix64(key), np.uint64(0)
            else:
                h = _long_hash(buf, p, e)
                flags = (h & _HASH_BITS) | _LONG
            s = np.int64(h & np.uint64(mask))
            while True:
                found = slots[2 * s]
                if found == key:
                    meta = slots[2 * s + 1]
                    if meta & ~_ID == flags:
                        f = np.int64(meta & _ID)
                        if length <= 8 or (
                            forms[f + 1] - forms[f] == length and _same_tail(arena, forms[f], buf, p, length)
                        ):
                            break
                elif found == 0:  # a new form
                    f = n_forms
                    n_forms += 1
                    for i in range(length):
                        arena[n_bytes + i] = buf[p + i]
                    n_bytes += length
                    forms[f + 1] = n_bytes
                    slots[2 * s], slots[2 * s + 1] = key, flags | np.uint64(f)
                    break
                s = (s + 1) & mask
            ids[n_tokens] = f
            n_tokens += 1
            per_text[k] += 1
            p = e
    return len(offsets) - 1, 0, n_tokens, n_forms, n_bytes, True


@numba.njit(cache=True, nogil=True)
def _rehashed(slots, forms, arena, size):
    """The table of ``slots`` moved to ``size`` slots (twice as many uint64)."""
    grown = np.zeros(2 * size, np.uint64)
    mask = size - 1
    for old in range(len(slots) // 2):
        key, meta = slots[2 * old], slots[2 * old + 1]
        if key == 0:
            continue
        if meta & _LONG:
            f = np.int64(meta & _ID)
            h = _long_hash(arena, forms[f], forms[f + 1])
        else:
            h = splitmix64(key)
        s = np.int64(h & np.uint64(mask))
        while grown[2 * s] != 0:
            s = (s + 1) & mask
        grown[2 * s], grown[2 * s + 1] = key, meta
    return grown


def _grown(array: np.ndarray) -> np.ndarray:
    return np.concatenate([array, np.empty(len(array), array.dtype)])


class _FormTable:
    """The raw forms met so far: their bytes (``arena``), bounds (``forms``) and hash table (``slots``).

    One table may serve several calls of :func:`_all_ids` (batches of one corpus): a form keeps its
    id from the batch that met it first.
    """

    def __init__(self):
        self.forms = np.zeros(4097, np.int64)
        self.arena = np.empty(1 << 16, np.uint8)
        self.slots = np.zeros(2 * 8192, np.uint64)
        self.n_forms = 0
        self.n_bytes = 0

    def decoded(self) -> list[str]:
        """The forms, in id order."""
        raw, cuts = self.arena[: self.n_bytes].tobytes(), self.forms[: self.n_forms + 1].tolist()
        return [raw[a:b].decode("utf-8") for a, b in zip(cuts[:-1], cuts[1:], strict=True)]


def _all_ids(buf: np.ndarray, offsets: np.ndarray, table: np.ndarray, forms: _FormTable):
    """Run :func:`_ids` to the end, growing its arrays (and those of ``forms``) whenever it stops.

    Returns the token ids and the tokens per text; new forms are added to ``forms``.
    """
    n_texts = len(offsets) - 1
    if len(buf) < 8:  # the scanner reads eight bytes at a time
        buf = np.concatenate([buf, np.zeros(8, np.uint8)])
    ids = np.empty(max(1024, len(buf) // 5), np.int32)
    per_text = np.zeros(n_texts, np.int64)
    k, p, n_tokens, done = 0, int(offsets[0]) if n_texts else 0, 0, False
    while True:
        k, p, n_tokens, forms.n_forms, forms.n_bytes, done = _ids(
            buf,
            offsets,
            table,
            k,
            p,
            ids,
            n_tokens,
            per_text,
            forms.slots,
            forms.forms,
            forms.n_forms,
            forms.arena,
            forms.n_bytes,
        )
        if done:
            break
        if n_tokens == len(ids):
            ids = _grown(ids)
        if forms.n_forms + 2 > len(forms.forms):
            forms.forms = _grown(forms.forms)
        if forms.n_bytes + (offsets[k + 1] - p) > len(forms.arena):  # room for the rest of the text, at least
            room = max(len(forms.arena), offsets[k + 1] - p)
            forms.arena = np.concatenate([forms.arena, np.empty(room, np.uint8)])
        if 4 * (forms.n_forms + 1) > len(
            forms.slots
        ):  # past half full (two uint64 per slot): twice the slots
            forms.slots = _rehashed(forms.slots, forms.forms, forms.arena, len(forms.slots))
    return ids[:n_tokens], per_text


class RawTokenScanner:
    """Tokens of texts given batch by batch, as ids of one table of raw forms (see :class:`RawTokens`).

    Unlike separate calls of :func:`raw_token_ids`, every batch shares the table: a raw form has one
    id whatever batch it appears in. Not thread-safe: scan the batches one after the other.
    """

    def __init__(self):
        self._table = _FormTable()
        self._ids: list[np.ndarray] = []
        self._counts: list[np.ndarray] = []

    def scan(self, texts) -> None:
        """Add the tokens of ``texts`` (a list or Series of strings), after those of earlier batches."""
        buf, offsets = _utf8(texts)
        if len(offsets) > 1:
            ids, counts = _all_ids(buf, offsets, class_table(), self._table)
            self._ids.append(ids)
            self._counts.append(counts)

    def tokens(self) -> RawTokens:
        """The tokens of every text scanned so far, in order."""
        counts = np.concatenate(self._counts) if self._counts else np.zeros(0, np.int64)
        return RawTokens(
            np.concatenate(self._ids) if self._ids else np.zeros(0, np.int32),
            bounds_of(counts),
            self._table.decoded(),
        )


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
        forms = _FormTable()
        ids, counts = _all_ids(buf, offsets[a : b + 1], table, forms)
        return ids, counts, forms.decoded()

    if len(parts) > 1:  # the kernel releases the GIL
        with ThreadPoolExecutor(max_workers=len(parts)) as pool:
            results = list(pool.map(scan, parts))
    else:
        results = [scan(parts[0])] if parts else []
    return concat_tokens(
        [RawTokens(ids, bounds_of(counts), forms) for ids, counts, forms in results]
        or [RawTokens(np.zeros(0, np.int32), np.zeros(n_texts + 1, np.int64), [])]
    )
