"""The tokens a lean batch found while loading are reused by count_terms only for its table, unchanged."""

from __future__ import annotations

import gc
import re

import numpy as np
import pandas as pd
import pytest

from analysis.corpus import RawTokens, build_corpus, raw_token_ids, recorded_tokens
from analysis.corpus import _segment as segment_module
from analysis.corpus import text as textmod
from analysis.corpus._tokens import _RECORDED, record_tokens
from analysis.terms import count_terms

TEXTS = {
    "a1": "The U.S. mayor's plan.\n\nMayor’s office said: no!",
    "a2": "Plan B, plan C.\n\nThe mayor said no.",
    "b1": "A plan? The MAYOR'S plan.\n\nSaid no one, ever.",
}


def _corpus():
    records = [
        {"article_id": a, "outlet": a[0].upper(), "text": t, "source": f"test:{a}"} for a, t in TEXTS.items()
    ]
    return build_corpus(records, lean=True)


def test_a_small_full_corpus_keeps_no_tokens():
    records = [{"article_id": "a1", "outlet": "A", "text": TEXTS["a1"], "source": "test:a1"}]
    corpus = build_corpus(records)
    assert recorded_tokens(corpus.paragraphs) is None
    assert id(corpus.paragraphs) not in _RECORDED


def test_a_large_full_corpus_keeps_its_tokens_and_loads_the_same_tables(monkeypatch):
    records = [
        {"article_id": a, "outlet": a[0].upper(), "text": t, "source": f"test:{a}"} for a, t in TEXTS.items()
    ]
    small = build_corpus(records)
    monkeypatch.setattr(segment_module, "SCAN_MIN_BYTES", 1)  # every batch counts as large
    large = build_corpus(records)
    tokens = recorded_tokens(large.paragraphs)
    assert tokens is not None and recorded_tokens(small.paragraphs) is None
    assert tokens.texts() == [re.findall(textmod.TOKEN_PATTERN, t) for t in large.paragraphs["text"]]
    for name in ("articles", "paragraphs", "removed", "sentences"):
        pd.testing.assert_frame_equal(getattr(large, name), getattr(small, name), check_exact=True)
    pd.testing.assert_frame_equal(
        count_terms(large.paragraphs, ngram_range=(1, 2), stop_words=None),
        count_terms(small.paragraphs, ngram_range=(1, 2), stop_words=None),
    )


def test_loaded_paragraphs_carry_the_raw_tokens_of_each_row():
    paragraphs = _corpus().paragraphs
    tokens = recorded_tokens(paragraphs)
    assert tokens.texts() == [re.findall(textmod.TOKEN_PATTERN, t) for t in paragraphs["text"]]
    assert tokens.texts()[0] == ["The", "U.S.", "mayor's", "plan"]
    assert np.diff(tokens.bounds).tolist() == paragraphs["n_words"].tolist()


def test_a_changed_copied_or_reordered_table_has_no_recorded_tokens():
    paragraphs = _corpus().paragraphs
    assert recorded_tokens(paragraphs.copy()) is None
    assert recorded_tokens(paragraphs.iloc[::-1]) is None
    assert recorded_tokens(paragraphs, "paragraph_id") is None  # other texts in that column
    assert recorded_tokens(paragraphs, "no such column") is None
    paragraphs.loc[paragraphs.index[1], "text"] = "edited in place"
    assert recorded_tokens(paragraphs) is None


def test_recorded_tokens_are_dropped_with_their_table():
    corpus = _corpus()
    key = id(corpus.paragraphs)
    assert key in _RECORDED
    del corpus
    gc.collect()
    assert key not in _RECORDED


@pytest.mark.parametrize("by", ["outlet", ["outlet", "article_id"]])
@pytest.mark.parametrize("ngram_range", [(1, 1), (1, 2), (2, 3)])
def test_counts_from_recorded_tokens_equal_counts_from_the_text(by, ngram_range):
    paragraphs = _corpus().paragraphs
    assert recorded_tokens(paragraphs) is not None
    reused = count_terms(paragraphs, by=by, ngram_range=ngram_range, stop_words=None)
    fresh = count_terms(paragraphs.copy(), by=by, ngram_range=ngram_range, stop_words=None)
    pd.testing.assert_frame_equal(reused, fresh)
    expected = ([3, 1] if by == "outlet" else [2, 1, 1]) if ngram_range[0] == 1 else []
    assert reused.loc[reused["term"] == "mayor", "n"].tolist() == expected


def test_recorded_tokens_follow_the_units_when_count_terms_groups_articles():
    # articles interleaved: count_terms puts each article's units together, tokens included
    units = pd.DataFrame(
        {
            "article_id": ["x", "y", "x", "y"],
            "outlet": ["O", "P", "O", "P"],
            "text": ["red fox", "blue fox", "red hen", "blue hen"],
        }
    )
    tokens = raw_token_ids(units["text"].tolist())
    record_tokens(units, tokens)
    assert recorded_tokens(units) is tokens
    reused = count_terms(units, ngram_range=(1, 2), stop_words=None)
    fresh = count_terms(units.copy(), ngram_range=(1, 2), stop_words=None)
    pd.testing.assert_frame_equal(reused, fresh)
    assert reused.loc[reused["term"] == "red", ["n", "n_units", "n_articles"]].values.tolist() == [[2, 2, 1]]


def test_tokens_must_match_the_table_row_for_row():
    units = pd.DataFrame({"text": ["a b", "c"]})
    with pytest.raises(ValueError, match="tokens of 1 texts for a table of 2 rows"):
        record_tokens(units, raw_token_ids(["a b"]))


def test_taking_rows_of_raw_tokens_keeps_each_row_s_tokens():
    tokens = RawTokens(
        np.array([0, 1, 2, 0, 3], dtype=np.int32), np.array([0, 2, 2, 5]), ["a", "b", "c", "d"]
    )
    assert tokens.texts() == [["a", "b"], [], ["c", "a", "d"]]
    taken = tokens.take(np.array([2, 0, 1, 0]))
    assert taken.bounds.tolist() == [0, 3, 5, 5, 7]
    assert taken.texts() == [["c", "a", "d"], ["a", "b"], [], ["a", "b"]]
