"""One tokenizer: the polars regex, the compiled scanner and the Python reference agree on every code point.

Reproducers of section 6 of the reliability findings: Python's ``re`` and the Rust regex engine
disagreed on ``[^\\W_]`` for about 12,900 code points (combining marks, joiners, circled letters,
superscript digits), so term counts depended on the engine and a ZWJ emoji broke the terms pipeline.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

import numpy as np
import pandas as pd
import polars as pl
import pytest

from analysis import terms
from analysis.corpus import _unicode_classes as uc
from analysis.corpus import build_corpus, raw_token_ids
from analysis.corpus import text as T


def _raw_polars(texts: list[str]) -> list[list[str]]:
    """Raw tokens as the polars regex finds them (the engine behind loading's word counts)."""
    return pl.Series(texts, dtype=pl.String).str.extract_all(T.TOKEN_PATTERN).to_list()


def _raw_compiled(texts: list[str]) -> list[list[str]]:
    """Raw tokens as the compiled scanner finds them (the engine behind count_terms)."""
    return raw_token_ids(texts).texts()


def _raw_reference(text: str) -> list[str]:
    return [text[s:e] for s, e, _ in T.token_spans(text)]


# every code point but the surrogates (not text: no UTF-8 string, and so no polars string, holds one),
# between two letters and at the start of a token; 4,096 code points per unit
_CONTEXT = "{c}a{c}b "
_PER_UNIT = 4096


@pytest.fixture(scope="module")
def code_point_units() -> list[str]:
    code_points = [cp for cp in range(0x110000) if not 0xD800 <= cp <= 0xDFFF]
    return [
        "".join(_CONTEXT.format(c=chr(cp)) for cp in code_points[i : i + _PER_UNIT])
        for i in range(0, len(code_points), _PER_UNIT)
    ]


@pytest.fixture(scope="module")
def reference_tokens(code_point_units) -> list[list[str]]:
    return [T.tokenize(unit) for unit in code_point_units]


def _first_difference(unit: str) -> str:
    """The first code point of ``unit`` whose piece the two engines tokenize differently."""
    step = len(_CONTEXT.format(c="x"))
    for k in range(0, len(unit), step):
        piece = unit[k : k + step]
        expected = _raw_reference(piece)
        for engine, found in (("polars", _raw_polars([piece])[0]), ("compiled", _raw_compiled([piece])[0])):
            if found != expected:
                return f"{ascii(piece)}: python {expected}, {engine} {found}"
    return "no single piece differs"


def test_both_engines_count_the_same_terms_for_every_code_point(code_point_units, reference_tokens):
    # one polars pass over every code point (slow for a regex engine: each one is new to its cache)
    ids = [f"u{i}" for i in range(len(code_point_units))]
    units = pd.DataFrame({"outlet": "all", "article_id": ids, "text": code_point_units})
    counts = terms.count_terms(units, by="article_id", ngram_range=(1, 2), stop_words=None)
    got = {
        unit_id: dict(zip(rows["term"], rows["n"], strict=True))
        for unit_id, rows in counts.groupby("article_id")
    }
    for unit_id, unit, toks in zip(ids, code_point_units, reference_tokens, strict=True):
        expected = Counter(toks) + Counter(
            map(" ".join, zip(toks, toks[1:], strict=False))
        )  # bigrams: order counts
        assert got.get(unit_id, {}) == expected, _first_difference(unit)
    unigrams = counts.loc[counts["ngram"] == 1].groupby("article_id")["n"].sum().reindex(ids, fill_value=0)
    assert unigrams.tolist() == [
        len(toks) for toks in reference_tokens
    ]  # count_words counts the same matches


def test_word_counts_agree_in_every_engine_for_every_code_point(code_point_units, reference_tokens):
    # loading counts words with the polars regex, the scale path with the compiled scanner
    expected = [len(toks) for toks in reference_tokens]
    assert pl.Series(code_point_units).str.count_matches(T.TOKEN_PATTERN).to_list() == expected
    assert np.diff(raw_token_ids(code_point_units).bounds).tolist() == expected
    assert [len(toks) for toks in _raw_compiled(code_point_units)] == expected


def test_token_pattern_in_python_re_matches_the_reference_beyond_the_bmp():
    # the reference runs a BMP-only pattern on stand-ins for astral characters: same matches as TOKEN_PATTERN
    full = re.compile(T.TOKEN_PATTERN)
    astral = "".join(f"{chr(cp)}a{chr(cp)}b {chr(cp)}1{chr(cp)}. " for cp in range(0x10000, 0x110000, 61))
    assert [(m.start(), m.end()) for m in full.finditer(astral)] == [
        (s, e) for s, e, _ in T.token_spans(astral)
    ]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("भारत सरकार ने कहा", ["भारत", "सरकार", "ने", "कहा"]),  # Devanagari vowel signs are marks
        ("cafe\u0301 cre\u0300me", ["cafe\u0301", "cre\u0300me"]),  # decomposed accents stay inside
        ("Vie\u0323\u0302t Nam", ["vie\u0323\u0302t", "nam"]),  # Vietnamese, decomposed
        ("km² and ½ mile", ["km²", "and", "½", "mile"]),  # other numbers (No) count as letters
        ("می\u200cخواهم", ["می\u200cخواهم"]),  # Persian: a zero-width non-joiner inside a word
        (
            "The family 👨\u200d👩\u200d👧 arrived",
            ["the", "family", "arrived"],
        ),  # emoji and their ZWJ: no token
        ("a \u200d b \u200c", ["a", "b"]),  # a joiner on its own is no token
        ("ⓐⓑ ① x_y", ["①", "x", "y"]),  # circled letters are symbols; a circled digit is a number
        ("ΟΔΟΣ Σ", ["οδος", "σ"]),  # str.lower's final sigma, the same in polars
        ("\u0301abc", ["abc"]),  # a token never starts with a mark
        ("U.S. 44-day 6,650 Russia’s", ["u.s", "44-day", "6,650", "russia"]),  # the English rules hold
    ],
)
def test_scripts_tokenize_the_same_in_both_engines(raw, expected):
    assert T.tokenize(raw) == expected
    for engine in (_raw_polars, _raw_compiled):
        assert [T.normalize_token(t) for t in engine([raw])[0]] == expected, engine.__name__
    assert T.count_words(raw) == len(expected)
    units = pd.DataFrame({"outlet": ["A"], "article_id": ["a"], "text": [raw]})
    by_engine = [
        terms.count_terms(units, ngram_range=(1, 2), stop_words=None, engine=e) for e in ("polars", "python")
    ]
    pd.testing.assert_frame_equal(*by_engine)
    assert by_engine[0].loc[by_engine[0]["ngram"] == 1, "n"].sum() == len(expected)


def test_zwj_emoji_corpus_runs_the_terms_pipeline_to_its_evidence():
    corpus = build_corpus(
        [
            dict(
                article_id="a",
                outlet="A",
                text="The family 👨‍👩‍👧 arrived. The family 👨‍👩‍👧 left.",
                source="x",
            ),
            dict(article_id="b", outlet="B", text="Troops arrived in the city on Monday.", source="x"),
        ]
    )
    counts = terms.count_terms(corpus.paragraphs, by="outlet")
    assert "\u200d" not in "".join(counts["term"])
    top = terms.top_terms(terms.contrast(counts, methods=("log_odds",)), top_k=10)
    evidence = terms.evidence(corpus, top, n_examples=1)
    assert set(evidence["term"]) == set(top["term"])
    assert evidence.loc[evidence["term"] == "family", "text"].tolist() == ["The family 👨‍👩‍👧 arrived."]


def test_token_spans_point_at_astral_tokens():
    s = "𝐀𝐁𝐂 said 🙂 𝟏𝟐 times"  # mathematical letters and digits lie beyond the BMP
    assert [(s[a:b], tok) for a, b, tok in T.token_spans(s)] == [
        ("𝐀𝐁𝐂", "𝐀𝐁𝐂".lower()),
        ("said", "said"),
        ("𝟏𝟐", "𝟏𝟐"),
        ("times", "times"),
    ]


@pytest.mark.skipif(
    unicodedata.unidata_version != uc.UNICODE_VERSION,
    reason=f"the tables are fixed at Unicode {uc.UNICODE_VERSION}",
)
def test_unicode_tables_are_those_of_unicodedata():
    generated = uc.tables_from_unicodedata()
    assert {name: getattr(uc, name) for name in uc.CATEGORIES} == generated


def test_engines_agree_on_text_made_of_the_tokenizer_s_edge_cases():
    # the characters where the pattern's alternatives meet: dots and commas in numbers and
    # abbreviations, hyphens and apostrophes between runs, joiners, marks, other numbers, astral letters
    import random

    pieces = list("aZ09.,-'’ \n_") + [
        "\u200c",
        "\u200d",
        "\u0301",
        "é",
        "İ",
        "²",
        "½",
        "٣",
        "の",
        "\U0001f600",
    ]
    pieces += ["\U0001d400", "\U00010107", "\u0903", "U.S.", "3,4", "44-day"]
    rng = random.Random(18)
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 24))) for _ in range(4000)]
    expected = [_raw_reference(t) for t in texts]
    assert _raw_polars(texts) == expected
    assert _raw_compiled(texts) == expected
    assert raw_token_ids(texts, n_threads=3).texts() == expected  # parts scanned side by side
