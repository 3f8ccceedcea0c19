"""Word shifts (terms.word_shift, Gallagher et al. 2021), their interval, the semiotic square and their charts.

Hand-checked values on a tiny table, equality with the ``shifterator`` package (dev extra) for every
kind, the sum-to-total invariant, Scattertext's semiotic square on a tiny table and against its own
functions, and bounded chart sizes on a large random table.
"""

from __future__ import annotations

import collections
import collections.abc

import numpy as np
import pandas as pd
import pytest

from analysis import terms
from analysis.schemas import SchemaViolation

LEXICON = pd.DataFrame({"term": ["good", "bad"], "score": [2.0, -2.0]})
# A: good 2, bad 1, war 1 (war has no score); B: good 1, bad 3.
TINY = pd.DataFrame(
    {
        "outlet": ["A", "A", "A", "B", "B"],
        "term": ["good", "bad", "war", "good", "bad"],
        "ngram": [1, 1, 1, 1, 1],
        "n": [2, 1, 1, 1, 3],
    }
)


def by_term(table: pd.DataFrame) -> pd.DataFrame:
    return table.set_index("term")


# ---- hand-checked values ---------------------------------------------------------------------


def test_sentiment_shift_by_hand():
    shift = terms.word_shift(TINY, "A", "B", lexicon=LEXICON)
    # scored words only: p_A = (2/3, 1/3), p_B = (1/4, 3/4); Phi_A = 2/3, Phi_B = -1, reference = Phi_B
    assert shift["term"].tolist() == ["good", "bad"] and shift["rank"].tolist() == [1, 2]
    t = by_term(shift)
    assert t.loc["good", ["p_a", "p_b"]].tolist() == pytest.approx([2 / 3, 1 / 4])
    assert shift["reference"].iat[0] == pytest.approx(-1.0)
    # good: (2/3 - 1/4) * (2 - (-1)) = 5/4; bad: (1/3 - 3/4) * (-2 - (-1)) = 5/12
    assert t["contribution"].tolist() == pytest.approx([5 / 4, 5 / 12])
    assert t["frequency_part"].tolist() == pytest.approx([5 / 4, 5 / 12])
    assert t["score_part"].tolist() == [0.0, 0.0]
    assert t["frequency_class"].tolist() == ["pos_s_pos_p", "neg_s_neg_p"]
    assert shift["cumulative"].tolist() == pytest.approx([5 / 4, 5 / 3])
    assert shift["total"].iat[0] == pytest.approx(5 / 3)
    assert shift[["outlet", "other", "story_id", "kind"]].drop_duplicates().values.tolist() == [
        ["A", "B", "all", "sentiment"]
    ]
    assert t[["n", "n_other"]].values.tolist() == [[2, 1], [1, 3]]
    # a fixed reference moves contributions between terms, never the total
    zero = by_term(terms.word_shift(TINY, "A", "B", lexicon=LEXICON, reference=0.0))
    assert zero["contribution"].tolist() == pytest.approx([(2 / 3 - 1 / 4) * 2, (1 / 3 - 3 / 4) * -2])
    assert zero["total"].iat[0] == pytest.approx(5 / 3)


def test_shannon_shift_by_hand():
    shift = by_term(terms.word_shift(TINY, "A", "B", kind="shannon"))
    # H(A) = H(1/2, 1/4, 1/4) = 1.5 bits; H(B) = H(1/4, 3/4); each contribution is p_a s_a - p_b s_b
    h_b = -(0.25 * np.log2(0.25) + 0.75 * np.log2(0.75))
    assert shift["total"].iat[0] == pytest.approx(1.5 - h_b)
    assert shift.loc["war", ["score_a", "score_b", "contribution"]].tolist() == pytest.approx([2.0, 0.0, 0.5])
    assert shift.loc["good", "contribution"] == pytest.approx(0.5 * 1 - 0.25 * 2)
    assert shift.loc["bad", "contribution"] == pytest.approx(0.25 * 2 + 0.75 * np.log2(0.75))
    # war: A uses it more (p_diff 1/4) and its score changes (s_diff 2)
    assert shift.loc["war", ["p_diff", "s_diff", "score_class"]].tolist() == [0.25, 2.0, "pos_s"]


def test_jsd_and_proportion_shift_by_hand():
    from scipy.spatial.distance import jensenshannon

    p, q = np.array([0.5, 0.25, 0.25]), np.array([0.25, 0.75, 0.0])  # good, bad, war
    jsd = terms.word_shift(TINY, "A", "B", kind="jsd")
    assert jsd["total"].iat[0] == pytest.approx(jensenshannon(p, q, base=2) ** 2, abs=1e-12)
    assert (jsd["contribution"] > 0).all()  # alpha = 1, reference 0: every term adds to the divergence
    shares = by_term(terms.word_shift(TINY, "A", "B", kind="proportion"))
    assert shares["contribution"].to_dict() == pytest.approx({"good": 0.25, "bad": -0.5, "war": 0.25})
    assert shares["total"].iat[0] == 0.0


def test_stop_lens_and_story_and_by():
    lexicon = {"good": 2.0, "bad": -2.0, "fine": 0.5}
    counts = pd.concat(
        [
            TINY.assign(story_id="s1"),
            pd.DataFrame({"outlet": ["A"], "term": ["fine"], "ngram": [1], "n": [5]}).assign(story_id="s2"),
        ]
    )
    # story s1 holds TINY alone; the whole table adds 'fine' to A
    s1 = terms.word_shift(counts, "A", "B", lexicon=lexicon, story="s1")
    assert s1["story_id"].iat[0] == "s1" and s1["total"].iat[0] == pytest.approx(5 / 3)
    whole = terms.word_shift(counts, "A", "B", lexicon=lexicon)
    assert set(whole["term"]) == {"good", "bad", "fine"}
    lens = terms.word_shift(counts, "A", "B", lexicon=lexicon, stop_lens=[(-1, 1)])
    assert lens["total"].iat[0] == pytest.approx(5 / 3)  # 'fine' (0.5) is in the lens: as if absent
    typed = terms.word_shift(
        TINY.rename(columns={"outlet": "outlet_type"}), "A", "B", lexicon=LEXICON, by="outlet_type"
    )
    assert list(typed.columns[:2]) == ["outlet_type", "other"]
    pd.testing.assert_frame_equal(
        typed.rename(columns={"outlet_type": "outlet"}), terms.word_shift(TINY, "A", "B", lexicon=LEXICON)
    )


def test_bigrams_are_left_out_and_finer_groups_summed():
    per_article = pd.concat(
        [
            TINY.assign(article_id=TINY["outlet"] + "1"),
            pd.DataFrame(
                {"outlet": ["A"], "term": ["good war"], "ngram": [2], "n": [4], "article_id": ["A1"]}
            ),
        ]
    )
    halves = pd.concat([TINY.assign(article_id="x", n=1), TINY.assign(article_id="y", n=TINY["n"] - 1)])
    expected = terms.word_shift(TINY, "A", "B", kind="shannon")
    pd.testing.assert_frame_equal(terms.word_shift(per_article, "A", "B", kind="shannon"), expected)
    pd.testing.assert_frame_equal(
        terms.word_shift(halves[halves["n"] > 0], "A", "B", kind="shannon"), expected
    )


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match="kind must be one of"):
        terms.word_shift(TINY, "A", "B", kind="tone")
    with pytest.raises(ValueError, match="the same outlet"):
        terms.word_shift(TINY, "A", "A")
    with pytest.raises(ValueError, match=r"\['C'\] not found"):
        terms.word_shift(TINY, "A", "C")
    with pytest.raises(ValueError, match="apply to kind=.sentiment. only"):
        terms.word_shift(TINY, "A", "B", kind="jsd", stop_lens=[(-1, 1)])
    with pytest.raises(ValueError, match="story_id"):
        terms.word_shift(TINY, "A", "B", story="s1")
    with pytest.raises(ValueError, match="'term' and 'score'"):
        terms.word_shift(TINY, "A", "B", lexicon=pd.DataFrame({"word": ["good"], "valence": [1.0]}))


# ---- shifterator ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def shifterator():
    sh = pytest.importorskip("shifterator")
    # shifterator 0.3.0 checks `collections.Mapping`, gone since Python 3.10; restore the alias for it
    patch = pytest.MonkeyPatch()
    patch.setattr(collections, "Mapping", collections.abc.Mapping, raising=False)
    yield sh
    patch.undo()


@pytest.fixture(scope="module")
def seeds_counts(seeds_corpus):
    return terms.count_terms(seeds_corpus.paragraphs, ngram_range=(1, 1), stop_words=None)


def _their_shift(sh, kind, freq_b, freq_a, lexicon, stop_lens):
    if kind == "proportion":
        return sh.ProportionShift(freq_b, freq_a)
    if kind == "shannon":
        return sh.EntropyShift(freq_b, freq_a, base=2, alpha=1, reference_value=0)
    if kind == "jsd":
        return sh.JSDivergenceShift(freq_b, freq_a, base=2)
    return sh.WeightedAvgShift(
        freq_b, freq_a, type2score_1=lexicon, reference_value="average", stop_lens=stop_lens
    )


PAIRS = [("NHK World", "Kyiv Independent"), ("aggregator", "wire-style")]
CASES = [
    ("proportion", None),
    ("shannon", None),
    ("jsd", None),
    ("sentiment", None),
    ("sentiment", [(-1, 1)]),
]


@pytest.mark.parametrize(("kind", "stop_lens"), CASES)
@pytest.mark.parametrize(("a", "b"), PAIRS)
def test_equals_shifterator(shifterator, seeds_counts, kind, stop_lens, a, b):
    ours = terms.word_shift(seeds_counts, a, b, kind=kind, stop_lens=stop_lens).set_index("term")
    freq = {
        g: dict(zip(rows["term"], rows["n"].astype(int), strict=True))
        for g, rows in seeds_counts.groupby("outlet")
    }
    lexicon = terms.vader_lexicon().to_dict() if kind == "sentiment" else None
    theirs = _their_shift(shifterator, kind, freq[b], freq[a], lexicon, stop_lens)
    used = sorted(t for t in theirs.types if theirs.type2p_avg[t] > 0)  # lexicon words neither uses add 0
    assert sorted(ours.index) == used
    assert ours["total"].iat[0] == pytest.approx(theirs.diff, abs=1e-6)
    assert ours["reference"].iat[0] == pytest.approx(theirs.reference_value, abs=1e-12)
    for column, attribute in [
        ("p_diff", "type2p_diff"),
        ("s_diff", "type2s_diff"),
        ("s_ref_diff", "type2s_ref_diff"),
    ]:
        expected = np.array([getattr(theirs, attribute)[t] for t in used])
        np.testing.assert_allclose(ours.loc[used, column].to_numpy(), expected, atol=1e-6, err_msg=column)
    contribution = np.array([theirs.type2shift_score[t] * theirs.norm for t in used])
    np.testing.assert_allclose(ours.loc[used, "contribution"].to_numpy(), contribution, atol=1e-6)
    # the six component sums, grouped by shifterator's class names
    sums = theirs.get_shift_component_sums()
    for name, value in ours.groupby("frequency_class")["frequency_part"].sum().items():
        assert value == pytest.approx(sums[name], abs=1e-6), name
    for name, value in ours.groupby("score_class")["score_part"].sum().items():
        assert value == pytest.approx(sums[name], abs=1e-6), name


# ---- invariants ------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["proportion", "shannon", "jsd", "sentiment"])
def test_contributions_sum_to_the_total_and_swapping_flips_it(seeds_counts, kind):
    outlets = seeds_counts["outlet"].unique().tolist()
    for a, b in [(x, y) for x in outlets for y in outlets if x != y]:
        shift = terms.word_shift(seeds_counts, a, b, kind=kind)
        assert abs(shift["contribution"].sum() - shift["total"].iat[0]) < 1e-9
        assert abs(shift["cumulative"].iat[-1] - shift["total"].iat[0]) < 1e-9
        assert (shift["contribution"].abs().diff().dropna() <= 0).all()  # largest first
        swapped = terms.word_shift(seeds_counts, b, a, kind=kind)
        sign = 1 if kind == "jsd" else -1
        assert swapped["total"].iat[0] == pytest.approx(sign * shift["total"].iat[0], abs=1e-12)


def test_row_order_of_counts_changes_nothing(seeds_counts):
    shuffled = seeds_counts.sample(frac=1.0, random_state=1)
    for kind in ("jsd", "sentiment"):
        pd.testing.assert_frame_equal(
            terms.word_shift(shuffled, "NHK World", "aggregator", kind=kind),
            terms.word_shift(seeds_counts, "NHK World", "aggregator", kind=kind),
        )


def test_the_schema_refuses_a_repeated_term():
    from analysis.schemas import validate
    from analysis.schemas.terms import WordShift

    shift = terms.word_shift(TINY, "A", "B", lexicon=LEXICON)
    with pytest.raises(SchemaViolation, match="grain"):
        validate(pd.concat([shift, shift]), WordShift)


# ---- interval ----------------------------------------------------------------------------------

# A's two articles: one 'good', one 'bad'; B's two articles: 'good' each. Phi_B = 1 in every replicate;
# Phi_A is 1, 0 or -1 as a replicate draws a1 twice, both, or a2 twice (1/4, 1/2, 1/4).
ARTICLES = pd.DataFrame(
    {
        "outlet": ["A", "A", "B", "B"],
        "article_id": ["a1", "a2", "b1", "b2"],
        "term": ["good", "bad", "good", "good"],
        "ngram": [1, 1, 1, 1],
        "n": [1, 1, 1, 1],
    }
)


def test_interval_by_hand():
    lexicon = {"good": 1.0, "bad": -1.0}
    ci = terms.word_shift_interval(ARTICLES, "A", "B", lexicon=lexicon, n_boot=400, ci=0.9, random_state=0)
    # total -1; the 5% and 95% quantiles are the extremes, -2 and 0, each drawn in 1/4 of the replicates
    assert ci.to_dict("records") == [
        {
            "outlet": "A",
            "other": "B",
            "story_id": "all",
            "kind": "sentiment",
            "total": -1.0,
            "ci_low": -2.0,
            "ci_high": 0.0,
            "n_boot": 400,
        }
    ]
    again = terms.word_shift_interval(ARTICLES, "A", "B", lexicon=lexicon, n_boot=400, ci=0.9, random_state=0)
    pd.testing.assert_frame_equal(ci, again)
    single = terms.word_shift_interval(ARTICLES[ARTICLES["article_id"] != "b2"], "A", "B", lexicon=lexicon)
    assert single[["total", "n_boot"]].values.tolist() == [[-1.0, 0]] and single[
        ["ci_low", "ci_high"]
    ].isna().all(axis=None)
    shift = terms.word_shift(ARTICLES, "A", "B", lexicon=lexicon)
    assert shift["total"].iat[0] == ci["total"].iat[0]


# ---- semiotic square -------------------------------------------------------------------------

# (A, B, N): alpha only in A, beta only in B; gamma mostly neutral and a little B, delta mostly neutral and a little A.
SQUARE = pd.DataFrame(
    {
        "outlet": ["A", "B", "B", "N", "A", "N"],
        "term": ["alpha", "beta", "gamma", "gamma", "delta", "delta"],
        "ngram": [1] * 6,
        "n": [3, 3, 1, 3, 1, 3],
    }
)


def test_semiotic_square_corners_by_hand():
    square = terms.semiotic_square(SQUARE, "A", "B", neutral=["N"])
    # x = dense-rank difference A - B: (1 - 1/3, 1/3 - 1, 1/3 - 2/3, 2/3 - 1/3), stretched: (1, -1, -1/2, 1/2)
    # y = (A + B) - N: (1 - 1/2, 1 - 1/2, 1/2 - 1, 1/2 - 1), stretched: (1, 1, -1, -1)
    assert square[["term", "part", "rank"]].values.tolist() == [
        ["alpha", "a", 1],
        ["beta", "b", 1],
        ["gamma", "not_a", 1],
        ["delta", "not_b", 1],
    ]
    np.testing.assert_allclose(
        square[["x", "y", "magnitude"]].to_numpy(),
        [[1.0, 1.0, 2.0], [-1.0, 1.0, 2.0], [-0.5, -1.0, 1.25], [0.5, -1.0, 1.25]],
        rtol=1e-12,
    )
    assert square[["n", "n_other", "n_neutral"]].values.tolist() == [
        [3, 0, 0],
        [0, 3, 0],
        [0, 1, 3],
        [1, 0, 3],
    ]
    # the default neutral reference is every other group: here N
    pd.testing.assert_frame_equal(terms.semiotic_square(SQUARE, "A", "B"), square)
    with pytest.raises(ValueError, match="neutral must name"):
        terms.semiotic_square(SQUARE, "A", "B", neutral=["A"])


def test_semiotic_square_equals_scattertext(seeds_corpus):
    pytest.importorskip("scattertext")
    from scattertext.semioticsquare.halo_utils import add_radial_parts_and_mag_to_term_coordinates
    from scattertext.semioticsquare.SemioticSquare import SEMIOTIC_SQUARE_TO_PART
    from scattertext.termscoring.RankDifference import RankDifference

    counts = terms.count_terms(seeds_corpus.paragraphs, ngram_range=(1, 2))
    ours = terms.semiotic_square(counts, "NHK World", "Kyiv Independent", neutral=["wire-style"]).set_index(
        "term"
    )
    wide = (
        counts[counts["outlet"].isin(["NHK World", "Kyiv Independent", "wire-style"])]
        .pivot_table(index="term", columns="outlet", values="n", aggfunc="sum", fill_value=0)
        .sort_index()
    )
    axes = pd.DataFrame(
        {
            "x": RankDifference().get_scores(wide["NHK World"], wide["Kyiv Independent"]),
            "y": RankDifference().get_scores(
                wide["NHK World"] + wide["Kyiv Independent"], wide["wire-style"]
            ),
        }
    )
    theirs = add_radial_parts_and_mag_to_term_coordinates(axes)
    part_name = {part: name for name, part in SEMIOTIC_SQUARE_TO_PART.items()}
    np.testing.assert_allclose(ours.loc[theirs.index, "x"], theirs["x"], atol=1e-12)
    np.testing.assert_allclose(ours.loc[theirs.index, "y"], theirs["y"], atol=1e-12)
    np.testing.assert_allclose(ours.loc[theirs.index, "magnitude"], theirs["Mag"], atol=1e-12)
    assert (ours.loc[theirs.index, "part"] == theirs["Part"].map(part_name)).all()


# ---- charts --------------------------------------------------------------------------------


def _random_counts(n_terms: int, groups: list[str], random_state: int) -> pd.DataFrame:
    rng = np.random.default_rng(random_state)
    vocabulary = [f"w{i}" for i in range(n_terms)]
    return pd.DataFrame(
        [
            {"outlet": g, "term": t, "ngram": 1, "n": int(n)}
            for g in groups
            for t, n in zip(vocabulary, rng.zipf(1.6, n_terms).clip(max=10_000), strict=True)
        ]
    )


def test_charts_stay_bounded_on_a_large_table():
    from analysis.charts import chart_data
    from analysis.charts import terms as term_charts

    groups = [f"o{i}" for i in range(16)]
    counts = _random_counts(5000, groups, random_state=0)
    lexicon = pd.Series(np.random.default_rng(1).uniform(-4, 4, 5000), index=[f"w{i}" for i in range(5000)])
    shifts = pd.concat(
        [terms.word_shift(counts, a, "o0", lexicon=lexicon) for a in groups[1:]], ignore_index=True
    )
    chart = term_charts.word_shift_chart(shifts, top_k=12, max_panels=4)
    spec = chart.to_dict()
    assert len(spec["vconcat"]) == 4 and "+ 11 more pairs not shown; see the csv" in str(spec["title"])
    bars = chart_data(chart)
    assert bars.groupby("panel")["term"].nunique().max() == 12
    assert "12 of 5,000 terms shown" in str(spec)
    datasets = spec.get("datasets", {})
    assert sum(len(rows) for rows in datasets.values()) < 4 * (2 * 12 + 80)  # bars + cumulative points
    square = terms.semiotic_square(counts, "o1", "o2")
    grid = chart_data(term_charts.semiotic_square_chart(square, top_k=5))
    assert len(grid) <= 8 * (2 + 5) + 2


def test_word_shift_chart_draws_both_parts_of_each_term():
    from analysis.charts import chart_data
    from analysis.charts import terms as term_charts

    shift = terms.word_shift(TINY, "A", "B", kind="shannon")
    bars = chart_data(term_charts.word_shift_chart(shift)).sort_values(["term", "component"])
    # good: frequency part +0.375 (A uses it more; above the reference 0) and score part -0.375 (its
    # surprisal falls in A): they cancel, but both are drawn, one each side of zero
    assert bars[["term", "component", "value"]].values.tolist() == [
        ["bad", "pos_s", pytest.approx(0.5 * np.log2(3))],
        ["bad", "pos_s_neg_p", pytest.approx(-0.5 * (1 + 0.5 * np.log2(4 / 3)))],
        ["good", "neg_s", pytest.approx(-0.375)],
        ["good", "pos_s_pos_p", pytest.approx(0.375)],
        ["war", "pos_s", pytest.approx(0.25)],
        ["war", "pos_s_pos_p", pytest.approx(0.25)],
    ]
    # one lexicon: no score part to draw
    sentiment = chart_data(term_charts.word_shift_chart(terms.word_shift(TINY, "A", "B", lexicon=LEXICON)))
    assert sentiment["component"].tolist() == ["pos_s_pos_p", "neg_s_neg_p"]


# ---- summary ---------------------------------------------------------------------------------


def test_summary_names_words_only_when_the_interval_excludes_zero():
    from analysis.report import summaries

    lexicon = {"good": 1.0, "bad": -1.0}
    shift = terms.word_shift(ARTICLES, "A", "B", lexicon=lexicon)
    clear = pd.DataFrame(
        [
            {
                "outlet": "A",
                "other": "B",
                "story_id": "all",
                "kind": "sentiment",
                "total": -1.0,
                "ci_low": -1.5,
                "ci_high": -0.5,
                "n_boot": 200,
            }
        ]
    )
    # against B's mean (1), 'good' (score 1) neither lowers nor raises A: only 'bad' is named
    assert summaries.word_shift_summary(shift, clear) == [
        "A's tone is lower than B's (mean VADER word score, -4 to +4: -1.00, 95% interval -1.50 to -0.50) "
        "mainly because of more 'bad'."
    ]
    # against 0, A using less 'good' lowers it too
    zero = terms.word_shift(ARTICLES, "A", "B", lexicon=lexicon, reference=0.0)
    assert summaries.word_shift_summary(zero, clear) == [
        "A's tone is lower than B's (mean VADER word score, -4 to +4: -1.00, 95% interval -1.50 to -0.50) "
        "mainly because of more 'bad' and less 'good'."
    ]
    # the same difference seen from B: B is higher, so A is still named as the lower one
    flipped = terms.word_shift(ARTICLES, "B", "A", lexicon=lexicon, reference=0.0)
    seen_from_b = clear.assign(outlet="B", other="A", total=1.0, ci_low=0.5, ci_high=1.5)
    assert summaries.word_shift_summary(flipped, seen_from_b) == summaries.word_shift_summary(zero, clear)
    unclear = clear.assign(ci_low=-2.0, ci_high=0.0)
    assert summaries.word_shift_summary(shift, unclear) == [
        "No clear difference in tone between A and B: A's mean word score differs from B's by -1.00 "
        "(VADER, -4 to +4; 95% interval -2.00 to +0.00)."
    ]
    none = clear.assign(ci_low=np.nan, ci_high=np.nan, n_boot=0)
    assert "no difference is claimed" in summaries.word_shift_summary(shift, none)[0]


@pytest.mark.slow
def test_notebook_03_exports_the_word_shift_and_the_square(seeds_report):
    import json

    out = seeds_report / "03_term_contrasts"
    for name in ("word_shift", "semiotic_square"):
        assert all((out / f"{name}.{ext}").stat().st_size > 0 for ext in ("svg", "png", "json", "csv"))
    shifts = pd.read_csv(out / "word_shift.csv")
    # three outlets have enough text: three pairs, each summing to its total
    assert shifts.groupby(["outlet", "other"]).ngroups == 3
    sums = shifts.groupby(["outlet", "other"]).agg(
        contribution=("contribution", "sum"), total=("total", "first")
    )
    assert (sums["contribution"] - sums["total"]).abs().max() < 1e-9
    square = pd.read_csv(out / "semiotic_square.csv")
    assert set(square["part"]) <= {
        "a",
        "b",
        "not_a",
        "not_b",
        "a_and_b",
        "not_a_and_not_b",
        "a_and_not_b",
        "b_and_not_a",
    }
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert sum("mean word score" in line for line in summary) == 3
