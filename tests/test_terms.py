"""Term counts: hand-counted tiny tables, engine agreement, CountVectorizer parity, errors."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.corpus.text import tokenize
from analysis.schemas import validate
from analysis.schemas.terms import TermCounts
from analysis.terms import _counts as terms

# Two outlets; A has one article in two paragraphs, B two one-paragraph articles.
UNITS = pd.DataFrame(
    {
        "outlet": ["A", "A", "B", "B"],
        "article_id": ["a1", "a1", "b1", "b2"],
        "text": ["The cat sat.", "The cat ran!", "Mr. Smith's cat", "Dogs ran; the dog sat."],
    }
)
COLS = ["outlet", "term", "ngram", "n", "n_units", "n_articles"]


def rows(df):
    return [tuple(r) for r in df[COLS].itertuples(index=False)]


@pytest.mark.parametrize("engine", ["polars", "python"])
def test_hand_counted_table_with_english_stop_words(engine):
    got = terms.count_terms(UNITS, engine=engine)
    assert rows(got) == [
        ("A", "cat", 1, 2, 2, 1),  # 'the' is a stop word; 'the cat' starts with one
        ("A", "cat ran", 2, 1, 1, 1),
        ("A", "cat sat", 2, 1, 1, 1),
        ("A", "ran", 1, 1, 1, 1),
        ("A", "sat", 1, 1, 1, 1),  # 'sat the' would cross units: never formed
        ("B", "cat", 1, 1, 1, 1),
        ("B", "dog", 1, 1, 1, 1),
        ("B", "dog sat", 2, 1, 1, 1),
        ("B", "dogs", 1, 1, 1, 1),
        ("B", "dogs ran", 2, 1, 1, 1),
        ("B", "mr", 1, 1, 1, 1),  # honorifics are not stop words
        ("B", "mr smith", 2, 1, 1, 1),
        ("B", "ran", 1, 1, 1, 1),
        ("B", "sat", 1, 1, 1, 1),
        ("B", "smith", 1, 1, 1, 1),  # possessive 's removed by the shared tokenizer
        ("B", "smith cat", 2, 1, 1, 1),
    ]
    validate(got, TermCounts)


def test_no_stop_words_keep_and_custom_list():
    everything = terms.count_terms(UNITS, stop_words=None, ngram_range=(1, 1))
    the = everything.loc[everything["term"] == "the"]
    assert the[["outlet", "n", "n_units", "n_articles"]].values.tolist() == [["A", 2, 2, 1], ["B", 1, 1, 1]]
    kept = terms.count_terms(UNITS, keep=["the"])
    assert kept.loc[(kept["outlet"] == "A") & (kept["term"] == "the cat"), "n"].tolist() == [2]
    custom = terms.count_terms(UNITS, stop_words=["cat", "Mr."], ngram_range=(1, 1))
    assert {"cat", "mr"}.isdisjoint(custom["term"]) and "the" in set(custom["term"])
    assert "mr" not in terms.stop_words() and "not" not in terms.stop_words() and "the" in terms.stop_words()


def test_min_count_and_min_articles_are_pooled():
    got = terms.count_terms(UNITS, ngram_range=(1, 1), min_count=2)
    assert rows(got) == [
        ("A", "cat", 1, 2, 2, 1),
        ("A", "ran", 1, 1, 1, 1),
        ("A", "sat", 1, 1, 1, 1),
        ("B", "cat", 1, 1, 1, 1),
        ("B", "ran", 1, 1, 1, 1),
        ("B", "sat", 1, 1, 1, 1),
    ]
    two_articles = terms.count_terms(UNITS, ngram_range=(1, 1), min_articles=2)
    assert set(two_articles["term"]) == {"cat", "ran", "sat"}
    assert terms.count_terms(UNITS, min_count=99).empty


def test_trigrams_keep_inner_stop_words():
    units = pd.DataFrame({"outlet": ["A"], "article_id": ["a"], "text": ["The secretary of state spoke."]})
    got = terms.count_terms(units, ngram_range=(3, 3))
    assert got["term"].tolist() == ["secretary of state"]  # "the secretary of", "of state spoke" dropped


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"stop_words": None, "ngram_range": (1, 3)},
        {"min_count": 2},
        {"by": ["outlet", "article_id"]},
        {"min_articles": 2},
    ],
)
def test_polars_engine_equals_reference_tokenizer_on_seeds(seeds_corpus, kwargs):
    fast = terms.count_terms(seeds_corpus.paragraphs, engine="polars", **kwargs)
    slow = terms.count_terms(seeds_corpus.paragraphs, engine="python", **kwargs)
    pd.testing.assert_frame_equal(fast, slow)


def test_polars_engine_on_tricky_text():
    texts = [
        "Russia’s U.S.-backed 6,650 troops; Armenians’ 44-day war. Don’t stop!",
        "ÉLAN Zürich naïve 2.5% co-op e.g. U.S. Mr.Smith's İstanbul ΟΔΟΣ",
        "",
        "!!! ...",
    ]
    units = pd.DataFrame({"outlet": ["A", "A", "B", "B"], "article_id": ["1", "2", "3", "4"], "text": texts})
    fast = terms.count_terms(units, stop_words=None, engine="polars")
    slow = terms.count_terms(units, stop_words=None, engine="python")
    pd.testing.assert_frame_equal(fast, slow)
    assert fast.groupby("outlet")["n"].sum().to_dict() == {
        "A": 2 * len(tokenize(texts[0] + " " + texts[1])) - 2
    }


def test_same_counts_as_countvectorizer_with_the_same_tokenizer(seeds_corpus):
    from sklearn.feature_extraction.text import CountVectorizer

    units = seeds_corpus.paragraphs
    vec = CountVectorizer(tokenizer=tokenize, lowercase=False, token_pattern=None, ngram_range=(1, 2))
    x = vec.fit_transform(units["text"])
    dense = pd.DataFrame(x.toarray(), columns=vec.get_feature_names_out())
    sums = dense.groupby(units["outlet"].to_numpy()).sum().stack()
    expected = sums[sums > 0].astype("int64").sort_index()
    ours = terms.count_terms(units, stop_words=None).set_index(["outlet", "term"])["n"].sort_index()
    assert ours.index.tolist() == expected.index.tolist()
    assert ours.tolist() == expected.tolist()


def test_collapse_equals_direct_count(seeds_corpus):
    per_article = terms.count_terms(seeds_corpus.paragraphs, by=["outlet", "article_id"])
    pd.testing.assert_frame_equal(
        terms.collapse_counts(per_article), terms.count_terms(seeds_corpus.paragraphs)
    )
    with pytest.raises(ValueError, match="article-level"):
        terms.collapse_counts(terms.count_terms(seeds_corpus.paragraphs))


def test_seed_counts_match_a_reading_of_the_text(seeds_corpus):
    counts = terms.count_terms(seeds_corpus.sentences)
    nhk = counts.loc[counts["outlet"] == "NHK World"].set_index("term")
    nhk_text = " ".join(seeds_corpus.paragraphs.loc[seeds_corpus.paragraphs["outlet"] == "NHK World", "text"])
    assert nhk.loc["amma", "n"] == nhk_text.count("Amma") == 5
    assert nhk.loc["armenia", "n"] == sum(1 for t in tokenize(nhk_text) if t == "armenia")
    assert counts.groupby("outlet")["n_articles"].max().to_dict() == {
        "NHK World": 1,
        "aggregator": 2,
        "Kyiv Independent": 1,
        "wire-style": 1,
    }


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"by": "nope"}, ValueError, "lacks column"),
        ({"ngram_range": (2, 1)}, ValueError, "ngram_range"),
        ({"ngram_range": (0, 1)}, ValueError, "ngram_range"),
        ({"min_count": 0}, ValueError, "min_count"),
        ({"engine": "spark"}, ValueError, "engine"),
        ({"stop_words": "klingon"}, ValueError, "unknown stop-word list"),
    ],
)
def test_bad_input_raises(kwargs, error, match):
    with pytest.raises(error, match=match):
        terms.count_terms(UNITS, **kwargs)


def test_missing_outlet_or_non_text_raises():
    with pytest.raises(ValueError, match="missing values"):
        terms.count_terms(UNITS.assign(outlet=["A", None, "B", "B"]))
    with pytest.raises(ValueError, match="strings only"):
        terms.count_terms(UNITS.assign(text=["x", 3, "y", "z"]))
    with pytest.raises(TypeError):
        terms.count_terms(["not", "a", "frame"])


@pytest.mark.parametrize("direct_max_groups", [0, 64])
@pytest.mark.parametrize(
    "kwargs",
    [{"stop_words": None, "ngram_range": (1, 3)}, {"by": ["outlet", "article_id"]}, {"min_articles": 2}],
)
def test_hashed_and_direct_pair_counters_agree_with_the_reference(
    seeds_corpus, monkeypatch, direct_max_groups, kwargs
):
    from analysis.terms import _tally as tally

    monkeypatch.setattr(tally, "DIRECT_MAX_GROUPS", direct_max_groups)
    units = seeds_corpus.paragraphs.sample(frac=1.0, random_state=3)  # articles' paragraphs interleaved
    fast = terms.count_terms(units, engine="polars", **kwargs)
    slow = terms.count_terms(units, engine="python", **kwargs)
    pd.testing.assert_frame_equal(fast, slow)


def test_count_ngrams_by_hand():
    from analysis.terms._tally import count_ngrams

    # units: [a b a] [b a] [a b]; groups 0, 1, 1; articles 0, 1, 1 (the last two units share an article)
    ids = np.array([0, 1, 0, 1, 0, 0, 1], dtype=np.int32)
    bounds = np.array([0, 3, 5, 7])
    no_stops = np.zeros(2, dtype=bool)
    groups, articles = np.array([0, 1, 1]), np.array([0, 1, 1])
    uni = count_ngrams(ids, bounds, no_stops, 1, groups, articles, with_pooled=True)
    assert uni.grams.tolist() == [[0], [1]]  # a unigram's code is its word id
    assert list(
        zip(
            uni.code.tolist(),
            uni.group.tolist(),
            uni.n.tolist(),
            uni.n_units.tolist(),
            uni.n_articles.tolist(),
            strict=True,
        )
    ) == [(0, 0, 2, 1, 1), (0, 1, 2, 2, 1), (1, 0, 1, 1, 1), (1, 1, 2, 2, 1)]
    assert uni.pooled_articles.tolist() == [2, 2]
    bi = count_ngrams(ids, bounds, no_stops, 2, groups, articles)
    # 'a b' at 0 and 5, 'b a' at 1 and 3; 'a a' (positions 4-5) crosses a unit boundary: not counted
    assert bi.grams.tolist() == [[0, 1], [1, 0]]  # codes in order of first appearance
    assert list(zip(bi.code.tolist(), bi.group.tolist(), bi.n.tolist(), strict=True)) == [
        (0, 0, 1),
        (0, 1, 1),
        (1, 0, 1),
        (1, 1, 1),
    ]
    stop_b = np.array([False, True])
    assert (
        count_ngrams(ids, bounds, stop_b, 2, groups, articles).n.tolist() == []
    )  # every bigram has a 'b' end


# --------------------------------------------------------------------------
# extra_stop_words: extends the list, never replaces it
# --------------------------------------------------------------------------


@pytest.mark.parametrize("engine", ["polars", "python"])
def test_extra_stop_words_extend_the_english_list(engine):
    out = terms.count_terms(UNITS, ngram_range=(1, 1), extra_stop_words=["Mr.", "cat"], engine=engine)
    # 'the' stays a stop word (the list is extended, not replaced); 'mr' and 'cat' join it
    assert rows(out) == [
        ("A", "ran", 1, 1, 1, 1),
        ("A", "sat", 1, 1, 1, 1),
        ("B", "dog", 1, 1, 1, 1),
        ("B", "dogs", 1, 1, 1, 1),
        ("B", "ran", 1, 1, 1, 1),
        ("B", "sat", 1, 1, 1, 1),
        ("B", "smith", 1, 1, 1, 1),
    ]


def test_extra_stop_words_drop_ngrams_at_their_edges_and_keep_wins():
    out = terms.count_terms(UNITS, ngram_range=(2, 2), extra_stop_words=["smith"], keep=["the"])
    bigrams = set(out["term"])
    assert "mr smith" not in bigrams and "smith cat" not in bigrams
    assert {"the cat", "the dog"} <= bigrams  # keep removes a word from the extended list too


def test_extra_stop_words_add_to_a_custom_list():
    out = terms.count_terms(UNITS, ngram_range=(1, 1), stop_words=["cat"], extra_stop_words=["the"])
    assert not {"cat", "the"} & set(out["term"]) and "sat" in set(out["term"])


@pytest.mark.parametrize(
    ("extra", "error"),
    [("mr", TypeError), (["daily planet"], ValueError), (["..."], ValueError)],
)
def test_extra_stop_words_are_single_words(extra, error):
    with pytest.raises(error):
        terms.count_terms(UNITS, extra_stop_words=extra)
