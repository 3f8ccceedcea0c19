"""Term contrasts on many outlets: bounded pairwise grid and panels, resampling that scales with outlets.

The reliability findings (section 2) measured notebook 03 on 500 one-article outlets: the pairwise
contrast scored every ordered pair (over 360 s, 3 GB) and the bootstrap scored every outlet in every
resample. These tests pin the bounded and vectorised paths to the exact results of the plain ones.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import sparse

from analysis import terms
from analysis.charts import chart_data
from analysis.charts import terms as term_charts
from analysis.terms import _contrast as contrast

#: Articles per outlet, one-article outlets between resampled ones: skipping them must not shift the stream.
ARTICLES = {"A": 3, "B": 1, "C": 2, "D": 1, "E": 4}


@pytest.fixture(scope="module")
def per_article() -> pd.DataFrame:
    rng = np.random.default_rng(11)
    rows = []
    for outlet, n_articles in ARTICLES.items():
        for k in range(n_articles):
            for term in ("war", "talks", "aid", "border", "peace", "fuel"):
                n = int(rng.integers(0, 4))
                if n:
                    rows.append((outlet, f"{outlet}{k}", term, n))
    table = pd.DataFrame(rows, columns=["outlet", "article_id", "term", "n"])
    return table.assign(ngram=1, n_units=1, n_articles=1)


def per_outlet_loop_bootstrap(article_counts, selected, *, n_boot, random_state, comparison, stat, method):
    """The bootstrap before it scaled with outlets: every outlet drawn and scored in every resample."""
    outlets = list(dict.fromkeys(article_counts["outlet"]))
    term_index = pd.Index(sorted(article_counts["term"].unique()))
    articles = article_counts.drop_duplicates("article_id")[["article_id", "outlet"]]
    rows = pd.Index(articles["article_id"]).get_indexer(article_counts["article_id"])
    x = sparse.csr_matrix(
        (article_counts["n"].to_numpy(dtype=float), (rows, term_index.get_indexer(article_counts["term"]))),
        shape=(len(articles), len(term_index)),
    )
    owner = pd.Index(outlets).get_indexer(articles["outlet"])
    members = [np.flatnonzero(owner == k) for k in range(len(outlets))]
    pair_of = {
        (outlets[i], "rest" if j is None else outlets[j]): (i, j)
        for i, j in contrast._pairs(outlets, comparison)
    }
    sel = selected[["outlet", "other", "term"]].drop_duplicates().reset_index(drop=True)
    col = term_index.get_indexer(sel["term"])
    wanted = [pair_of[(o, t)] for o, t in zip(sel["outlet"], sel["other"], strict=True)]
    rng = np.random.default_rng(random_state)
    draws = np.full((n_boot, len(sel)), np.nan)
    for r in range(n_boot):
        weights = np.zeros(len(articles))
        for idx in members:
            weights[idx] = rng.multinomial(len(idx), np.full(len(idx), 1.0 / len(idx)))
        resample = sparse.csr_matrix(
            (weights, (owner, np.arange(len(owner)))), shape=(len(outlets), len(owner))
        )
        y = (resample @ x).toarray()
        alpha_w = contrast._prior("informative", 0.01, y.sum(axis=0), term_index, None)
        for k, (i, j) in enumerate(wanted):
            y_j = y.sum(axis=0) - y[i] if j is None else y[j]
            draws[r, k] = contrast._score(y[i], y_j, alpha_w, (method,), "monroe", 2.0, False)[stat][col[k]]
    single = np.array([len(members[i]) < 2 for i, _ in wanted])
    tail = (1 - 0.95) / 2  # as computed from ci=0.95: 0.025000000000000022
    low, high = np.nanquantile(draws, tail, axis=0), np.nanquantile(draws, 1 - tail, axis=0)
    return sel.assign(ci_low=np.where(single, np.nan, low), ci_high=np.where(single, np.nan, high))


@pytest.mark.parametrize("comparison", ["one_vs_rest", "pairwise"])
@pytest.mark.parametrize(
    ("stat", "method"),
    [("z", "log_odds"), ("q", "log_odds"), ("g2", "g2"), ("pmi", "pmi")],  # pmi: NaN in some resamples
)
def test_bootstrap_equals_the_per_outlet_loop(per_article, comparison, stat, method):
    scores = terms.contrast(terms.collapse_counts(per_article), comparison=comparison, methods=(method,))
    top = terms.top_terms(scores, top_k=2, stat=stat, positive=stat != "q")
    fast = terms.bootstrap_intervals(
        per_article, top, stat=stat, n_boot=30, random_state=5, comparison=comparison
    )
    slow = per_outlet_loop_bootstrap(
        per_article, top, n_boot=30, random_state=5, comparison=comparison, stat=stat, method=method
    )
    pd.testing.assert_frame_equal(
        fast[["outlet", "other", "term", "ci_low", "ci_high"]], slow, check_exact=True
    )
    resampled = fast["outlet"].isin(["A", "C", "E"])
    assert fast.loc[resampled, "ci_low"].notna().all() and fast.loc[~resampled, "ci_low"].isna().all()
    assert fast["n_boot"].tolist() == np.where(resampled, 30, 0).tolist()


@pytest.mark.parametrize("variance", ["monroe", "exact"])
def test_log_odds_scores_rows_as_one_comparison_at_a_time(per_article, variance):
    from analysis.terms import _keyness as keyness

    y = np.random.default_rng(2).integers(0, 9, size=(4, 7)).astype(float)
    alpha_w = y.sum(axis=0) + 0.01
    rows = keyness.log_odds(y[:3], y[1:], alpha_w, variance=variance)
    for k in range(3):
        one = keyness.log_odds(y[k], y[k + 1], alpha_w, variance=variance)
        for column in ("delta", "se", "z", "p", "q"):
            assert rows[column][k].tobytes() == one[column].tobytes(), column


def test_bootstrap_of_one_article_outlets_only_draws_nothing(per_article):
    singles = per_article[per_article["outlet"].isin(["B", "D"])]
    scores = terms.contrast(terms.collapse_counts(singles))
    out = terms.bootstrap_intervals(singles, terms.top_terms(scores, top_k=2), n_boot=5)
    assert len(out) == 4 and out["ci_low"].isna().all() and (out["n_boot"] == 0).all()


@pytest.mark.parametrize(
    ("comparison", "outlet", "pairs"),
    [
        (
            "pairwise",
            ["E", "A", "C"],
            [("A", "C"), ("A", "E"), ("C", "A"), ("C", "E"), ("E", "A"), ("E", "C")],
        ),
        ("pairwise", ["D", "B"], [("B", "D"), ("D", "B")]),
        ("one_vs_rest", "C", [("C", "rest")]),
        ("one_vs_rest", ["E", "B"], [("B", "rest"), ("E", "rest")]),
    ],
)
def test_restricted_contrast_is_the_full_table_filtered(per_article, comparison, outlet, pairs):
    counts = terms.collapse_counts(per_article)
    full = terms.contrast(counts, comparison=comparison, methods=("log_odds", "g2"))
    some = terms.contrast(counts, comparison=comparison, methods=("log_odds", "g2"), outlet=outlet)
    assert list(dict.fromkeys(zip(some["outlet"], some["other"], strict=True))) == pairs
    kept = pd.Series(list(zip(full["outlet"], full["other"], strict=True))).isin(pairs).to_numpy()
    pd.testing.assert_frame_equal(some, full[kept].reset_index(drop=True), check_exact=True)


@pytest.mark.parametrize(
    ("outlet", "match"),
    [
        (["A", "Z"], r"outlets not in counts: \['Z'\]"),
        (["A"], r"pairwise needs at least two outlets; outlet= keeps \['A'\]"),
    ],
)
def test_restricted_contrast_refuses_unknown_or_single_outlets(per_article, outlet, match):
    with pytest.raises(ValueError, match=match):
        terms.contrast(terms.collapse_counts(per_article), comparison="pairwise", outlet=outlet)


def sufficiency_table(tokens: dict[str, int], min_tokens: int = 100) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "outlet": list(tokens),
            "n_tokens": list(tokens.values()),
            "n_articles": 1,
            "enough": [n >= min_tokens for n in tokens.values()],
            "note": "",
        }
    )


@pytest.mark.parametrize(
    ("tokens", "max_outlets", "expected"),
    [
        ({"b": 50, "a": 500, "c": 200}, 3, ["b", "a", "c"]),  # all kept, in table order, thin ones too
        ({"b": 50, "a": 500, "c": 200, "d": 200, "e": 900}, 3, ["e", "a", "c"]),  # most words; tie by name
        ({"b": 50, "a": 500, "c": 20, "d": 10}, 3, ["a"]),  # only one with enough text
        ({"b": 50, "a": 60, "c": 20}, 2, []),
    ],
)
def test_largest_outlets(tokens, max_outlets, expected):
    assert terms.largest_outlets(sufficiency_table(tokens), max_outlets=max_outlets) == expected


def test_largest_outlets_refuses_fewer_than_two():
    with pytest.raises(ValueError, match="max_outlets must be at least 2, not 1"):
        terms.largest_outlets(sufficiency_table({"a": 500}), max_outlets=1)


@pytest.mark.parametrize(
    ("labels", "by", "expected"),
    [
        (
            ["leaning=left"],
            "outlet",
            "A term contrast needs at least two leaning groups; this corpus has one (leaning=left).",
        ),
        (["Only"], "outlet", "A term contrast needs at least two outlets; this corpus has one (Only)."),
        (["JP"], "country", "A term contrast needs at least two country groups; this corpus has one (JP)."),
        (["leaning=left", "leaning=right"], "outlet", ""),
    ],
)
def test_comparison_note_names_what_is_compared(labels, by, expected):
    counts = pd.DataFrame({by: labels, "term": "war", "n": 1})
    assert terms.comparison_note(counts, by=by) == expected


def test_bounded_figures_count_the_outlets_left_out(per_article):
    counts = terms.collapse_counts(per_article)
    tokens = counts.groupby("outlet", sort=False)["n"].sum().to_dict()
    suff = sufficiency_table(tokens, min_tokens=0)
    kept = ["A", "E"]
    note = "+ 3 more outlets not shown: the figure (and its csv) keeps the 2 with enough text and the most counted words."
    pair = term_charts.pairwise_chart(
        terms.contrast(counts, comparison="pairwise", outlet=kept), sufficiency=suff
    )
    assert pair.to_dict()["title"]["subtitle"][-1] == note
    assert sorted(zip(chart_data(pair)["outlet"], chart_data(pair)["other"], strict=True)) == [
        ("A", "E"),
        ("E", "A"),
    ]
    scores = terms.contrast(counts)
    scatter = term_charts.fightin_words_chart(scores[scores["outlet"].isin(kept)], sufficiency=suff)
    assert scatter.to_dict()["title"]["subtitle"][-1] == note
    assert set(chart_data(scatter)["outlet"]) == set(kept)
    top = terms.top_terms(scores, top_k=2)
    bars = term_charts.top_terms_chart(top[top["outlet"].isin(kept)], sufficiency=suff)
    assert bars.to_dict()["title"]["subtitle"][-1] == note


def test_figures_without_any_outlet_say_so(per_article):
    counts = terms.collapse_counts(per_article)
    suff = sufficiency_table(counts.groupby("outlet", sort=False)["n"].sum().to_dict(), min_tokens=10**6)
    scores = terms.contrast(counts)
    for chart in (
        term_charts.fightin_words_chart(scores.iloc[:0], sufficiency=suff),
        term_charts.top_terms_chart(terms.top_terms(scores).iloc[:0], sufficiency=suff),
    ):
        assert chart_data(chart)["note"].tolist() == ["No outlet has enough text for this comparison."]
        assert chart.to_dict()["title"]["subtitle"][-1] == "5 outlets not shown."
