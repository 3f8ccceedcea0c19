"""The tokens a lean batch found while loading are reused by count_terms only for its table, unchanged."""

from __future__ import annotations

import gc
import re
import threading

import numpy as np
import pandas as pd
import pytest

from analysis.corpus import RawTokens, build_corpus, raw_token_ids, recorded_tokens
from analysis.corpus import _load as load_module
from analysis.corpus import _paragraphs as paragraphs_module
from analysis.corpus import text as textmod
from analysis.corpus._tokens import _RECORDED, concat_tokens, record_tokens
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
    monkeypatch.setattr(paragraphs_module, "SCAN_MIN_BYTES", 1)  # every batch counts as large
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


#: Articles whose paragraphs exercise every path of the stream: a removed boilerplate line, a
#: hard-wrapped article (paragraphs of several lines), CRLF and bare CR line ends, non-Latin script.
STREAMED = [
    "Mayor’s plan. U.S. officials said no.\n\nRead more: subscribe to our newsletter\n\nThe end.",
    "\n".join(["a short hard wrapped line of text that"] * 9) + "\n\nSecond block, 2,000 words.",
    "Первый абзац.\r\nВторой абзац, 3.5 км.\rThird line: 東京 and Ελλάδα.",
    "One line only",
]


@pytest.mark.parametrize("background", [True, False])
def test_streamed_batches_load_the_same_tables_and_tokens(monkeypatch, background):
    records = [
        {"article_id": f"a{i}", "outlet": "AB"[i % 2], "text": t, "source": f"test:{i}"}
        for i, t in enumerate(STREAMED * 3)
    ]
    whole = build_corpus(records)  # one batch, small: no tokens kept
    monkeypatch.setattr(paragraphs_module, "SCAN_MIN_BYTES", 1)
    monkeypatch.setattr(load_module, "STREAM_CHARS", 1)  # every record its own batch
    monkeypatch.setattr(paragraphs_module, "scan_aside", lambda: background)
    streamed = build_corpus(records)
    assert len(streamed.removed) == 3  # the boilerplate line of each copy of the first article
    for name in ("articles", "paragraphs", "removed", "sentences"):
        pd.testing.assert_frame_equal(getattr(streamed, name), getattr(whole, name), check_exact=True)
    tokens = recorded_tokens(streamed.paragraphs)
    assert tokens.texts() == [re.findall(textmod.TOKEN_PATTERN, t) for t in streamed.paragraphs["text"]]
    assert len(tokens.forms) == len(set(tokens.forms))  # one table of forms for every batch
    pd.testing.assert_frame_equal(
        count_terms(streamed.paragraphs, ngram_range=(1, 2), stop_words=None),
        count_terms(whole.paragraphs, ngram_range=(1, 2), stop_words=None),
        check_exact=True,
    )


def test_a_refused_record_mid_stream_is_reported_and_stops_the_scanner(monkeypatch):
    monkeypatch.setattr(paragraphs_module, "SCAN_MIN_BYTES", 1)
    monkeypatch.setattr(load_module, "STREAM_CHARS", 1)
    records = [
        {"article_id": f"a{i}", "outlet": "A", "text": t, "source": f"t:{i}"} for i, t in enumerate(STREAMED)
    ]
    records.append({"article_id": "a0", "outlet": "A", "text": "again", "source": "t:dup"})
    with pytest.raises(Exception, match=r"t:dup: duplicate article_id 'a0' \(also in t:0\)"):
        build_corpus(records)
    assert not [t for t in threading.enumerate() if t.name.startswith("scan")]


def test_concat_tokens_numbers_each_parts_forms_after_the_previous_ones():
    first = RawTokens(np.array([0, 1, 0], np.int32), np.array([0, 2, 3]), ["a", "b"])
    second = RawTokens(np.array([1, 0], np.int32), np.array([0, 0, 2]), ["a", "c"])
    joined = concat_tokens([first, second])
    assert joined.ids.tolist() == [0, 1, 0, 3, 2]
    assert joined.bounds.tolist() == [0, 2, 3, 3, 5]
    assert joined.forms == ["a", "b", "a", "c"]
    assert joined.texts() == [["a", "b"], ["a"], [], ["c", "a"]]
    assert concat_tokens([first]) is first
