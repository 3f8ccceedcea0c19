"""Property-based tests (hypothesis): the loader, tokenizer, quotes, numbers and contrasts on generated corpora.

Invariants: offsets reproduce the text they point at; the two tokenizer engines agree and counts sum
to totals; quotes are never empty; contrast scores are finite and flip sign when two outlets swap;
nothing raises except :class:`CorpusError` on a bad input. Generated texts mix news fragments
(quotes, abbreviations, numbers, boilerplate) with arbitrary Unicode: combining marks, joiners,
emoji, unusual whitespace.

Profiles (``HYPOTHESIS_PROFILE``): ``fast`` (default, in the normal test run: few examples, derandomized
so CI is deterministic) and ``long`` (2,000 examples per test, random:
``.venv/bin/python benchmarks/fuzz_corpora.py``). The section 7 reproducers of the reliability findings
are explicit tests at the end.
"""

from __future__ import annotations

import os
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from analysis import claims, sourcing, terms
from analysis.corpus import CorpusError, build_corpus, raw_token_ids
from analysis.corpus import text as T

_COMMON = dict(
    deadline=None,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile("fast", max_examples=20, derandomize=True, **_COMMON)
settings.register_profile("long", max_examples=2000, **_COMMON)
PROFILE = settings.get_profile(os.environ.get("HYPOTHESIS_PROFILE", "fast"))

# ---------------------------------------------------------------------------------------------
# Strategies
# ---------------------------------------------------------------------------------------------

_FRAGMENTS = [
    "He said",
    "Peskov told reporters",
    "according to officials",
    "The",
    "Armenians",
    "Nagorno-Karabakh",
    "Russia’s",
    "didn't",
    "U.S.",
    "Mr.",
    "Sept.",
    "6,650",
    "120,000",
    "2.5",
    "44-day",
    "12 percent",
    "three",
    "about 100,000 people",
    "on Monday",
    "Advertisement",
    "Share this article",
    "Read more:",
    "peace",
    "war",
    " ",
    "  ",
    "\n",
    "\n\n",
    "\r\n",
    "\t",
    "\xa0",
    "\x85",
    "\u2028",
    '"',
    '""',
    "“",
    "”",
    "„",
    "«",
    "»",
    "'",
    "‘",
    "’",
    ".",
    "!",
    "?",
    ",",
    ":",
    ";",
    "-",
    "—",
    "(",
    ")",
    "…",
    "。",
    "।",
    "भारत सरकार",
    "cafe\u0301",
    "Vie\u0323\u0302t",
    "می\u200cخواهم",
    "👨\u200d👩\u200d👧",
    "🙂",
    "\u200d",
    "\u200c",
    "\u0301",
    "²",
    "½",
    "①",
    "ⓐ",
    "_",
    "𝐀𝐁𝐂",
    "𝟏𝟐",
    "ΟΔΟΣ",
]
_fragment = st.sampled_from(_FRAGMENTS)
_any_char = st.characters(
    exclude_categories=("Cs",)
)  # lone surrogates are not text (the loader refuses them)
_text = st.lists(
    st.one_of(_fragment, _fragment, st.text(_any_char, max_size=6)), min_size=1, max_size=60
).map("".join)
_outlet = st.sampled_from(["A", "B", "C", "NHK World", "Kyiv Independent"])


_worded_text = st.tuples(_text, st.sampled_from(["peace", "Armenians", "6,650", "सरकार"]), _text).map(
    " ".join
)


@st.composite
def _records(draw, min_outlets: int = 1, loadable: bool = True):
    """Article records from ``_text``; ``loadable=False`` also draws arbitrary ids and texts with no word."""
    n = draw(st.integers(min_value=max(1, min_outlets), max_value=4))
    outlets = draw(st.lists(_outlet, min_size=n, max_size=n))
    assume(len(set(outlets)) >= min_outlets)
    ids = [f"a{i}" for i in range(n)]
    if not loadable:
        ids = [
            draw(st.text(_any_char, min_size=1, max_size=4)) + f"{i}" if draw(st.integers(0, 3)) == 0 else a
            for i, a in enumerate(ids)
        ]
    text = _worded_text if loadable else _text
    return [dict(article_id=ids[i], outlet=outlets[i], text=draw(text), source=f"gen:{i}") for i in range(n)]


def _corpus_or_none(records):
    """The corpus of ``records``, or None when the loader refuses them with a CorpusError."""
    try:
        corpus = build_corpus(records)
    except CorpusError:
        event("corpus refused (CorpusError)")
        return None
    event("corpus loaded")
    return corpus


# ---------------------------------------------------------------------------------------------
# Properties
# ---------------------------------------------------------------------------------------------


@PROFILE
@given(st.one_of(_records(), _records(loadable=False)))
def test_loader_offsets_reproduce_the_text_or_it_refuses_with_a_corpus_error(records):
    corpus = _corpus_or_none(records)
    if corpus is None:
        return
    texts = dict(zip(corpus.articles["article_id"], corpus.articles["text"], strict=True))
    for table in (corpus.paragraphs, corpus.sentences, corpus.removed):
        for row in table.itertuples():
            assert 0 <= row.start < row.end <= len(texts[row.article_id])
            assert texts[row.article_id][row.start : row.end] == row.text
    for row in corpus.paragraphs.itertuples():
        assert row.n_words == T.count_words(row.text)


@PROFILE
@given(st.lists(_text, min_size=1, max_size=5))
def test_both_tokenizer_engines_agree_and_counts_sum_to_totals(texts):
    compiled = raw_token_ids(texts).texts()  # the engine behind count_terms
    assert [[T.normalize_token(t) for t in toks] for toks in compiled] == [T.tokenize(t) for t in texts]
    for text in texts:
        spans = T.token_spans(text)
        assert [tok for _, _, tok in spans] == T.tokenize(text)
        assert [T.normalize_token(text[s:e]) for s, e, _ in spans] == T.tokenize(text)
        assert all(s < e for s, e, _ in spans) and all(tok for _, _, tok in spans)
        assert len(spans) == T.count_words(text)
    units = pd.DataFrame({"outlet": "A", "article_id": [f"u{i}" for i in range(len(texts))], "text": texts})
    by_engine = [
        terms.count_terms(units, by="article_id", ngram_range=(1, 2), stop_words=None, engine=e)
        for e in ("polars", "python")
    ]
    pd.testing.assert_frame_equal(*by_engine)
    unigrams = by_engine[0].loc[by_engine[0]["ngram"] == 1]
    assert unigrams["n"].sum() == sum(T.count_words(t) for t in texts)


@PROFILE
@given(_records())
def test_quotes_are_never_empty_and_their_offsets_reproduce_their_text(records):
    corpus = _corpus_or_none(records)
    if corpus is None:
        return
    texts = dict(zip(corpus.articles["article_id"], corpus.articles["text"], strict=True))
    for q in sourcing.extract_quotes(corpus, nlp=None).itertuples():
        assert 0 <= q.start < q.end <= len(texts[q.article_id])
        assert q.text.strip()
        if " " not in q.paragraph_ids:  # within one paragraph: the span with whitespace runs collapsed
            assert q.text == " ".join(texts[q.article_id][q.start : q.end].split())


@PROFILE
@given(_records())
def test_number_offsets_reproduce_their_text(records):
    corpus = _corpus_or_none(records)
    if corpus is None:
        return
    texts = dict(zip(corpus.articles["article_id"], corpus.articles["text"], strict=True))
    for n in claims.extract_numbers(corpus).itertuples():
        assert 0 <= n.start < n.end <= len(texts[n.article_id])
        assert texts[n.article_id][n.start : n.end] == n.text


_FINITE = ["delta", "se", "z", "p", "q", "g2", "g2_p", "chi2", "chi2_p", "log_ratio"]
_ODD = ["delta", "z", "g2", "chi2", "log_ratio"]  # change sign when the two sides swap


@PROFILE
@given(_records(min_outlets=2))
def test_contrast_scores_are_finite_and_flip_sign_when_two_outlets_swap(records):
    corpus = _corpus_or_none(records)
    if corpus is None:
        return
    counts = terms.count_terms(corpus.paragraphs, by="outlet", ngram_range=(1, 1), stop_words=None)
    assume(counts["outlet"].nunique() >= 2)
    methods = ("log_odds", "g2", "chi2", "pmi", "log_ratio", "scaled_f")
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        scores = terms.contrast(counts, methods=methods, comparison="pairwise")
    assert np.isfinite(scores[_FINITE].to_numpy()).all()
    first, second = list(dict.fromkeys(counts["outlet"]))[:2]
    forward = scores[(scores["outlet"] == first) & (scores["other"] == second)].set_index("term")
    backward = (
        scores[(scores["outlet"] == second) & (scores["other"] == first)].set_index("term").loc[forward.index]
    )
    np.testing.assert_allclose(forward[_ODD].to_numpy(), -backward[_ODD].to_numpy(), rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(forward[["se", "p"]].to_numpy(), backward[["se", "p"]].to_numpy(), rtol=1e-9)


# ---------------------------------------------------------------------------------------------
# Reproducers (reliability findings, section 7)
# ---------------------------------------------------------------------------------------------


def _quotes(text: str) -> list[tuple[str, int, int, str]]:
    corpus = build_corpus([dict(article_id="a", outlet="A", text=text, source="x")])
    return [
        (q.text, q.start, q.end, q.paragraph_ids)
        for q in sourcing.extract_quotes(corpus, nlp=None).itertuples()
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('He said "" today.', []),  # empty marks: no quote (was a partial quote 9-9 with text '')
        ('He said "\n\nNext paragraph.', []),  # a dangling opening mark at a paragraph's end
        ('He said "\n\n"Second part." Done.', [("Second part.", 12, 24, "a:p1")]),  # no empty first piece
        ('A "first part\n\n"', [("first part", 3, 13, "a:p0")]),  # no empty last piece
        ("«million \x85A.B.C.", [("million A.B.C.", 1, 16, "a:p0")]),  # whitespace runs collapse (documented)
    ],
)
def test_quotes_on_edge_input(text, expected):
    assert _quotes(text) == expected


def test_contrast_of_a_one_term_vocabulary_is_finite_and_documented():
    units = pd.DataFrame({"outlet": ["A", "B"], "article_id": ["a", "b"], "text": ["peace", "peace"]})
    counts = terms.count_terms(units, ngram_range=(1, 1))
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)  # keyness.py divided by zero here
        scores = terms.contrast(counts, methods=("log_odds", "g2", "chi2", "pmi", "log_ratio", "scaled_f"))
    assert (
        scores[["delta", "z", "g2", "chi2", "pmi", "log_ratio", "scaled_f"]].to_numpy().tolist()
        == [[0.0] * 7] * 2
    )
    assert scores[["p", "q", "g2_p", "chi2_p"]].to_numpy().tolist() == [[1.0] * 4] * 2
    assert scores["se"].tolist() == pytest.approx([np.sqrt(2 / 3.01)] * 2)  # alpha_w = 2 + 0.01 (informative)


def test_profiles_are_registered_and_the_fast_one_is_deterministic():
    assert settings.get_profile("fast").derandomize
    assert settings.get_profile("long").max_examples >= 2000
