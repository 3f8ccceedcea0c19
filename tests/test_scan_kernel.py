"""The compiled scanner gives exactly the ids a plain reference gives: Python's ``re`` and a dict.

``raw_token_ids`` reads eight bytes at a time and keys short forms by their bytes; these tests
aim at what that could get wrong: tokens at eight- and sixteen-byte lengths, forms that share
their first eight bytes, tokens at the end of a text or of the whole buffer, ASCII '.', ',', '-'
and "'" beside letters, digits and other scripts, and the arrays growing mid-text.
"""

from __future__ import annotations

import random
import re

import numpy as np
import pytest

from analysis.corpus import raw_token_ids
from analysis.corpus import text as T
from analysis.corpus._scan import _long_hash, _same_tail, class_table

_TOKEN = re.compile(T.TOKEN_PATTERN)


def _reference(texts: list[str], n_parts: int = 1) -> tuple[list[int], list[int], list[str]]:
    """(ids, bounds, forms) from ``re.finditer`` and a dict of first appearances per part.

    Parts as ``raw_token_ids`` documents them: contiguous runs of texts cut at the text boundaries
    nearest to equal shares of the UTF-8 bytes; each part numbers its own forms.
    """
    sizes = np.array([len(t.encode()) for t in texts], dtype=np.int64)
    offsets = np.concatenate(([0], np.cumsum(sizes)))
    inner = np.searchsorted(offsets, np.linspace(0, offsets[-1], n_parts + 1)[1:-1])
    cuts = np.unique(np.concatenate(([0], inner, [len(texts)])))
    ids, bounds, forms = [], [0], []
    for a, b in zip(cuts[:-1].tolist(), cuts[1:].tolist(), strict=True):
        first_seen: dict[str, int] = {}
        for text in texts[a:b]:
            for match in _TOKEN.finditer(text):
                form = match.group()
                if form not in first_seen:
                    first_seen[form] = len(forms)
                    forms.append(form)
                ids.append(first_seen[form])
            bounds.append(len(ids))
    return ids, bounds, forms


def _assert_same(texts: list[str], n_threads: int) -> None:
    found = raw_token_ids(texts, n_threads=n_threads)
    ids, bounds, forms = _reference(texts, n_threads)
    assert found.ids.dtype == np.int32 and found.bounds.dtype == np.int64
    assert found.bounds.tolist() == bounds
    assert found.forms == forms
    assert found.ids.tolist() == ids


def _mixed_texts(seed: int, n_texts: int) -> list[str]:
    """Texts made of the pieces where the fast path and the whole grammar meet."""
    rng = random.Random(seed)
    words = ["a", "I", "to", "the", "seven", "letters", "eightchr", "ninechars", "sixteen-letters"]
    words += ["internationally", "internationalist", "internationalism", "abcdefgh" * 3 + "x"]
    words += ["U.S.", "e.g.", "a.b", "x.y.", "3.5", "6,650", "44-day", "1990s", "2012.", "7-", "8,"]
    words += ["mayor's", "Mayor’s", "don't", "o'", "well-known", "a-", "-b", "'s", "co-op-ed"]
    words += ["café", "cafe\u0301", "naïve", "Straße", "İstanbul", "ΟΔΟΣ", "Москва", "мир-труд"]
    words += ["भारत", "सरकार", "東京", "の", "مرحبا", "می\u200cخواهم", "٣٤", "²", "½", "①", "ⓐ"]
    words += ["\U0001d400\U0001d401", "\U00010107", "👨\u200d👩\u200d👧", "🙂", "\u200d", "\u0301x"]
    glue = [" ", " ", " ", "  ", "\n", ". ", ", ", "; ", "-", "'", "’", ".", ",", "", "“", "” ", "—", "_"]
    texts = []
    for _ in range(n_texts):
        n = rng.choice([0, 1, 2, 5, 30])
        texts.append(
            "".join(rng.choice(words) + rng.choice(glue) for _ in range(n)).strip(rng.choice(["", " "]))
        )
    return texts


@pytest.mark.parametrize("n_threads", [1, 2, 3])
def test_ids_bounds_and_forms_equal_the_reference_on_mixed_scripts(n_threads):
    _assert_same(_mixed_texts(seed=7, n_texts=3000), n_threads)


@pytest.mark.parametrize("n_threads", [1, 2])
def test_arrays_grow_mid_text_without_changing_ids(n_threads):
    # 6,000 distinct forms of 11 to 17 bytes (the forms' table, their bounds and their bytes all
    # outgrow their first size, within one text), then a text with more tokens than bytes / 5
    rng = random.Random(3)
    distinct = [f"form{i:05d}{'x' * rng.randint(2, 8)}" for i in range(6000)]
    texts = [" ".join(distinct[:3000]), " ".join(distinct), "a " * 60000, "end"]
    _assert_same(texts, n_threads)


@pytest.mark.parametrize(
    "texts",
    [
        [],
        [""],
        ["", "", ""],
        ["a"],
        ["ab", "cd"],  # tokens never run over a text's end, even in the same eight bytes
        ["abcdefgh", "abcdefgh"],
        ["abcdefg", "abcdefgh", "abcdefghi", "abcdefghij" * 2],
        ["x" * 16, "x" * 15, "x" * 17, "x" * 24, "x" * 16],  # same first eight bytes, other lengths
        ["abcdefgh-ijklmnop", "abcdefgh-ijklmnoq", "abcdefgh-ijklmnop"],  # same length, other tails
        ["U.S", "U.S.", "U.", "3.", "3.5.", "7,", "a'", "a-", "end."],  # the look-ahead at the end
        ["abc", "'s", "de", "-f", "12", ".5", "U", ".S.", "x", "\u0301y", "ab", "\u200dc"],  # never past it
        ["é", "日本", "\U0001d400", "\u0301", "\u200d"],  # buffers shorter than eight bytes
        ["a\u0301b c\u200dd e’f g\u200ch"],
        # the flags of 64 bytes at a time: tokens across and beyond a block, texts shorter than one
        [
            " " * 63 + "abcdef",
            "a" * 64,
            "b" * 65 + " c",
            "1" * 70 + ".5",
            "-" * 60 + "mayor's-end" + " " * 70 + "z",
        ],
        ["ab " * 30, "é" * 40 + "x", "word " * 13 + "U.S.", "q"],
    ],
)
def test_edge_cases_equal_the_reference(texts):
    _assert_same(texts, n_threads=1)


def test_ascii_letters_and_digits_are_the_only_ascii_characters_in_tokens():
    # the scanner classifies ASCII bytes by arithmetic, not by the table: they must agree
    classes = class_table()[:128]
    alnum = [chr(b).isascii() and chr(b).isalnum() for b in range(128)]
    assert (classes != 0).tolist() == alnum
    assert np.flatnonzero(classes & 4).tolist() == list(range(0x30, 0x3A))  # decimal digits


@pytest.mark.parametrize("length", [9, 15, 16, 17, 24, 31])
def test_long_forms_hash_and_compare_by_their_bytes_wherever_they_lie(length):
    # a form in the text and its copy in the forms' bytes: same hash, same tail; one byte off: not
    rng = np.random.default_rng(length)
    form = rng.integers(ord("a"), ord("z") + 1, length).astype(np.uint8)
    text = np.concatenate([rng.integers(1, 256, 5).astype(np.uint8), form])  # the form at the very end
    arena = np.concatenate([form, rng.integers(1, 256, 64).astype(np.uint8)])  # garbage after it
    assert _long_hash(text, 5, 5 + length) == _long_hash(arena, 0, length)
    assert _same_tail(arena, 0, text, 5, length)
    for changed in (8, length - 1):
        other = text.copy()
        other[5 + changed] ^= 1
        assert not _same_tail(arena, 0, other, 5, length)
        assert _long_hash(other, 5, 5 + length) != _long_hash(arena, 0, length)


def test_a_scanner_fed_in_batches_gives_what_one_pass_gives():
    from analysis.corpus._scan import RawTokenScanner

    texts = ["The U.S. plan", "", "plan B: 2,000 км", "Ελλάδα plan the", "well-known U.S."]
    scanner = RawTokenScanner()
    for batch in (texts[:1], texts[1:3], [], texts[3:]):
        scanner.scan(batch)
    batched, whole = scanner.tokens(), raw_token_ids(texts, n_threads=1)
    assert batched.ids.tolist() == whole.ids.tolist()
    assert batched.bounds.tolist() == whole.bounds.tolist() == [0, 3, 3, 7, 10, 12]
    assert batched.forms == whole.forms  # one table: 'plan' has one id in every batch
    assert batched.forms.count("plan") == 1
    assert RawTokenScanner().tokens().bounds.tolist() == [0]
