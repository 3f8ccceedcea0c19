"""Per-story comparison (analysis.compare) on hand-built tables whose expected values are worked out by hand.

Three outlets (A, B, C) and three stories:

* s1: A (a1 at 00:00 and a7 a day later), B (a2 at 06:00), C (a3, a date only: two days later);
* s2: A (a4) and B (a5, no date);
* s3: A alone (a6).
"""

from __future__ import annotations

import inspect

import numpy as np
import pandas as pd
import pandera.pandas as pa
import pytest

import analysis.schemas._fields as fields
from analysis import compare
from analysis.compare._resample import story_weights, weighted_median
from analysis.schemas import compare as schemas
from analysis.schemas import empty_frame, grain_of, validate
from analysis.schemas._fields import shared_fields


def _utc(*dates):
    return pd.to_datetime(pd.Series(dates, dtype=object), utc=True, format="ISO8601").dt.as_unit("ns")


STORIES = pd.DataFrame(
    {  # as analysis.topics.stories returns it
        "article_id": ["a1", "a2", "a3", "a4", "a5", "a6", "a7"],
        "outlet": ["A", "B", "C", "A", "B", "A", "A"],
        "story_id": ["s1", "s1", "s1", "s2", "s2", "s3", "s1"],
        "n_articles": [4, 4, 4, 2, 2, 1, 4],
        "n_outlets": [3, 3, 3, 2, 2, 1, 3],
        "source": ["event_id"] * 7,
        "published": _utc(
            "2024-01-01T00:00",
            "2024-01-01T06:00",
            "2024-01-03",
            "2024-02-01",
            None,
            "2024-03-01",
            "2024-01-02",
        ),
    }
)
ARTICLES = pd.DataFrame(
    {
        "article_id": ["a1", "a2", "a3", "a4", "a5", "a6", "a7"],
        "outlet": ["A", "B", "C", "A", "B", "A", "A"],
        "n_words": [100, 200, 50, 80, 120, 60, 40],
    }
)
QUOTES = pd.DataFrame(
    {
        "article_id": ["a1", "a1", "a7", "a2", "a2"],
        "outlet": ["A", "A", "A", "B", "B"],
        "quote_id": ["a1:q1", "a1:q2", "a7:q1", "a2:q1", "a2:q2"],
        "kind": ["direct", "partial", "indirect", "scare", "direct"],
        "n_words": [10, 4, 12, 2, 20],
        "speaker": ["X", "Y", "X", None, "unknown"],
    }
)
FRAMES = pd.DataFrame(
    {
        "article_id": ["a1", "a1", "a7", "a7", "a2", "a2"],
        "outlet": ["A", "A", "A", "A", "B", "B"],
        "frame": ["conflict", "economic", "conflict", "human", "conflict", "economic"],
        "present": [True, False, True, True, False, True],
        "sentence_ids": ["a1:p0:s0", "", "a7:p1:s0", "a7:p2:s1", "a2:p3:s0", "a2:p0:s0"],
    }
)


def _claim(group_id, article_id, outlet, text, conflicts="", group_label="residents [count]", n=0):
    return {
        "story_id": "all",
        "group_id": group_id,
        "group_label": group_label,
        "label": "disagree",
        "conflicts": conflicts,
        "claim_id": f"{article_id}:p0:s0:n{n}",
        "article_id": article_id,
        "outlet": outlet,
        "text": text,
    }


# As analysis.claims.compare_numbers returns them when grouped over the whole corpus ('all'): its
# 'conflicts' column says which claims contradict each other.
GROUPS = pd.DataFrame(
    [
        # s1: A and C say 120,000, B 100,000: A-B and B-C conflict
        _claim("g1", "a1", "A", "120,000", "a2:p0:s0:n0"),
        _claim("g1", "a2", "B", "100,000", "a1:p0:s0:n0 a3:p0:s0:n0"),
        _claim("g1", "a3", "C", "120,000", "a2:p0:s0:n0"),
        # s2: 'at least 200' against 150
        _claim("g2", "a4", "A", "at least 200", "a5:p0:s0:n0", "killed [count]"),
        _claim("g2", "a5", "B", "150", "a4:p0:s0:n0", "killed [count]"),
        # one group spanning two stories, s3 and s1: never a conflict here
        _claim("g3", "a6", "A", "5", "a2:p0:s0:n2", "talks [count]"),
        _claim("g3", "a2", "B", "9", "a6:p0:s0:n0", "talks [count]", n=2),
        # figures of two outlets of s1 that do not conflict ('by Tuesday' vs 'by Thursday')
        _claim("g4", "a7", "A", "10", group_label="dead [count]"),
        _claim("g4", "a3", "C", "20", group_label="dead [count]", n=1),
        # agreement: shared, no conflict
        _claim("g5", "a1", "A", "3", group_label="days [count]", n=1),
        _claim("g5", "a2", "B", "3", group_label="days [count]", n=1),
    ]
)
GAPS = pd.DataFrame(
    {
        "outlet": ["A", "B", "C", "A"],
        "status": ["exclusive", "exclusive", "omitted", "exclusive"],
        "content_id": ["c1", "c2", "c3", "c4"],
        "evidence_ids": ["a1:p1:s0 a7:p0:s0", "a5:p0:s0", "a1:p2:s0", "a6:p0:s0"],
    }
)
STORY_TABLE = pd.DataFrame(
    {
        "story_id": ["s1", "s2", "s3"],
        "label": ["one", "two", "three"],
        "first_published": _utc("2024-01-01", "2024-02-01", "2024-03-01"),
        "last_published": _utc("2024-01-03", "2024-02-01", "2024-03-01"),
        "n_articles": [4, 2, 1],
        "n_outlets": [3, 2, 1],
        "outlets": ["A, B, C", "A, B", "A"],
    }
)
STORY_OUTLETS = pd.DataFrame(
    {
        "story_id": ["s1", "s1", "s1", "s2", "s2", "s3"],
        "outlet": ["A", "B", "C", "A", "B", "A"],
        "n_articles": [2, 1, 1, 1, 1, 1],
        "first_published": _utc(
            "2024-01-01T00:00", "2024-01-01T06:00", "2024-01-03", "2024-02-01", None, "2024-03-01"
        ),
        "lag_hours": [0.0, 6.0, 48.0, 0.0, np.nan, 0.0],
    }
)
MODELS = [
    schemas.StoryProfile,
    schemas.StoryOverview,
    schemas.StoryDetail,
    schemas.OutletStoryStats,
    schemas.LagDistribution,
    schemas.PairDisagreement,
]


@pytest.fixture(scope="module")
def profile():
    return compare.story_profile(STORIES, ARTICLES, quotes=QUOTES, frames=FRAMES, groups=GROUPS, gaps=GAPS)


# --------------------------------------------------------------------------
# story_profile
# --------------------------------------------------------------------------


def test_profile_has_one_row_per_story_and_outlet_with_lag_and_length(profile):
    assert profile[["story_id", "outlet", "n_articles", "article_ids", "n_words"]].values.tolist() == [
        ["s1", "A", 2, "a1 a7", 140],
        ["s1", "B", 1, "a2", 200],
        ["s1", "C", 1, "a3", 50],
        ["s2", "A", 1, "a4", 80],
        ["s2", "B", 1, "a5", 120],
        ["s3", "A", 1, "a6", 60],
    ]
    pd.testing.assert_series_equal(
        profile["first_published"], STORY_OUTLETS["first_published"], check_names=False
    )
    # a date without a time is its midnight (UTC); an unknown date has no lag
    np.testing.assert_array_equal(profile["lag_hours"], [0.0, 6.0, 48.0, 0.0, np.nan, 0.0])


def test_profile_quotes(profile):
    assert profile[["n_quotes", "words_quoted", "top_speakers", "quote_ids"]].values.tolist() == [
        [3, 14, "X (2); Y (1)", "a1:q1 a1:q2 a7:q1"],  # indirect a7:q1 counts as a quote, not as quoted words
        [1, 20, "", "a2:q2"],  # the scare quote is left out, 'unknown' is no speaker
        [0, 0, "", ""],
        [0, 0, "", ""],
        [0, 0, "", ""],
        [0, 0, "", ""],
    ]
    assert profile["quoted_share"].tolist() == [14 / 140, 20 / 200, 0.0, 0.0, 0.0, 0.0]


def test_profile_frames(profile):
    assert profile[["n_frames", "frames", "frame_sentence_ids"]].values.tolist() == [
        [2, "conflict, human", "a1:p0:s0 a7:p1:s0 a7:p2:s1"],
        [1, "economic", "a2:p0:s0"],
        [0, "", ""],
        [0, "", ""],
        [0, "", ""],
        [0, "", ""],
    ]


def test_profile_figures_conflict_only_within_a_story(profile):
    assert profile[
        ["n_figures", "n_disputed", "disputed_group_ids", "disputed_claim_ids"]
    ].values.tolist() == [
        [3, 1, "g1", "a1:p0:s0:n0"],  # g1, g4 and g5 are shared in s1; only g1 conflicts
        [2, 1, "g1", "a2:p0:s0:n0"],  # g3 has no other outlet within s1
        [2, 1, "g1", "a3:p0:s0:n0"],  # g4 holds no conflict
        [1, 1, "g2", "a4:p0:s0:n0"],
        [1, 1, "g2", "a5:p0:s0:n0"],
        [0, 0, "", ""],  # g3 mixes stories s3 and s1: never compared
    ]
    assert profile["disputed_figures"].tolist() == [
        "residents [count]: 120,000 vs 100,000 (B)",
        "residents [count]: 100,000 vs 120,000 (A); residents [count]: 100,000 vs 120,000 (C)",
        "residents [count]: 120,000 vs 100,000 (B)",
        "killed [count]: at least 200 vs 150 (B)",
        "killed [count]: 150 vs at least 200 (A)",
        "",
    ]


def test_profile_exclusive_content(profile):
    assert profile[["n_exclusive", "exclusive_unit_ids"]].values.tolist() == [
        [1, "a1:p1:s0 a7:p0:s0"],
        [0, ""],
        [0, ""],
        [0, ""],
        [1, "a5:p0:s0"],
        [1, "a6:p0:s0"],
    ]


def test_profile_without_optional_tables_has_no_columns_for_them():
    bare = compare.story_profile(STORIES, ARTICLES)
    assert list(bare.columns) == [
        "story_id",
        "outlet",
        "n_articles",
        "first_published",
        "lag_hours",
        "article_ids",
        "n_words",
    ]
    with_quotes = compare.story_profile(STORIES, ARTICLES, quotes=QUOTES, top_k=1)
    assert with_quotes["top_speakers"].tolist()[:2] == ["X (2)", ""]
    assert "n_frames" not in with_quotes and "quoted_share" in with_quotes


def test_profile_ignores_row_order_of_its_inputs(profile):
    shuffled = compare.story_profile(
        STORIES,
        ARTICLES.iloc[::-1],
        quotes=QUOTES.iloc[::-1],
        frames=FRAMES.iloc[::-1],
        groups=GROUPS.iloc[::-1],
        gaps=GAPS.iloc[::-1],
    )
    pd.testing.assert_frame_equal(shuffled, profile)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"articles": ARTICLES.iloc[1:]}, "articles has no row for article 'a1'"),
        ({"quotes": QUOTES.assign(article_id="zz")}, "quotes has rows of article 'zz', which is in no story"),
        ({"groups": GROUPS.drop(columns="conflicts")}, "groups lacks column"),
        ({"stories": pd.concat([STORIES, STORIES.iloc[:1]])}, "stories lists article 'a1' more than once"),
    ],
)
def test_profile_refuses_what_it_cannot_place(kwargs, message):
    args = {"stories": STORIES, "articles": ARTICLES, **kwargs}
    with pytest.raises(ValueError, match=message):
        compare.story_profile(args.pop("stories"), args.pop("articles"), **args)


# --------------------------------------------------------------------------
# story_overview and story_detail
# --------------------------------------------------------------------------


def test_overview_one_row_per_story_ranked(profile):
    overview = compare.story_overview(STORY_TABLE, profile)
    assert overview.drop(columns=["label", "first_published", "last_published", "outlets"]).to_dict(
        "records"
    ) == [
        {
            "rank": 1,
            "story_id": "s1",
            "n_articles": 4,
            "n_outlets": 3,
            "n_words": 390,
            "first_outlets": "A",
            "max_lag_hours": 48.0,
            "n_quotes": 4,
            "n_disputed": 1,
            "n_exclusive": 1,
        },
        {
            "rank": 2,
            "story_id": "s2",
            "n_articles": 2,
            "n_outlets": 2,
            "n_words": 200,
            "first_outlets": "A",
            "max_lag_hours": 0.0,
            "n_quotes": 0,
            "n_disputed": 1,
            "n_exclusive": 1,
        },
        {
            "rank": 3,
            "story_id": "s3",
            "n_articles": 1,
            "n_outlets": 1,
            "n_words": 60,
            "first_outlets": "A",
            "max_lag_hours": 0.0,
            "n_quotes": 0,
            "n_disputed": 0,
            "n_exclusive": 1,
        },
    ]


def test_overview_ranks_disputed_stories_before_larger_ones_with_as_many_outlets(profile):
    # s3 given two outlets and more articles than s2: s2 still comes first, having a dispute
    table = STORY_TABLE.assign(n_outlets=[3, 2, 2], n_articles=[4, 2, 5])
    assert compare.story_overview(table, profile)["story_id"].tolist() == ["s1", "s2", "s3"]
    bare = compare.story_profile(STORIES, ARTICLES)
    assert compare.story_overview(table, bare)["story_id"].tolist() == ["s1", "s3", "s2"]


def test_detail_keeps_the_top_stories(profile):
    overview = compare.story_overview(STORY_TABLE, profile)
    detail = compare.story_detail(profile, overview, top_k=2)
    assert detail[["rank", "story_id", "label", "outlet"]].values.tolist() == [
        [1, "s1", "one", "A"],
        [1, "s1", "one", "B"],
        [1, "s1", "one", "C"],
        [2, "s2", "two", "A"],
        [2, "s2", "two", "B"],
    ]
    assert detail["n_disputed"].tolist() == [1, 1, 1, 1, 1]


# --------------------------------------------------------------------------
# Aggregates over stories
# --------------------------------------------------------------------------


def test_outlet_story_stats_estimates():
    stats = compare.outlet_story_stats(STORIES, STORY_OUTLETS, n_boot=200, random_state=1)
    table = stats.set_index(["outlet", "measure"])
    assert table[["n", "n_stories"]].to_dict("index") == {
        ("A", "share_covered"): {"n": 3, "n_stories": 3},
        ("A", "share_exclusive"): {"n": 1, "n_stories": 3},
        ("A", "share_first"): {"n": 2, "n_stories": 2},
        ("A", "median_lag_hours"): {"n": 2, "n_stories": 2},
        ("B", "share_covered"): {"n": 2, "n_stories": 3},
        ("B", "share_exclusive"): {"n": 0, "n_stories": 2},
        ("B", "share_first"): {"n": 0, "n_stories": 1},
        ("B", "median_lag_hours"): {"n": 1, "n_stories": 1},
        ("C", "share_covered"): {"n": 1, "n_stories": 3},
        ("C", "share_exclusive"): {"n": 0, "n_stories": 1},
        ("C", "share_first"): {"n": 0, "n_stories": 1},
        ("C", "median_lag_hours"): {"n": 1, "n_stories": 1},
    }
    assert table["estimate"].tolist() == [1.0, 1 / 3, 1.0, 0.0, 2 / 3, 0.0, 0.0, 6.0, 1 / 3, 0.0, 0.0, 48.0]
    # measures that are the same in every replicate where they are defined have a zero-width interval
    for key, bound in {
        ("A", "share_covered"): 1.0,
        ("A", "share_first"): 1.0,
        ("B", "share_first"): 0.0,
        ("B", "median_lag_hours"): 6.0,
        ("C", "median_lag_hours"): 48.0,
    }.items():
        assert (table.loc[key, "ci_low"], table.loc[key, "ci_high"]) == (bound, bound), key


def test_outlet_story_stats_interval_is_the_percentile_of_resampled_stories():
    stats = compare.outlet_story_stats(STORIES, STORY_OUTLETS, n_boot=300, ci=0.9, random_state=7)
    draws = np.random.default_rng(7).integers(0, 3, size=(300, 3))  # the stories each replicate draws
    covered_by_c = np.array([1.0, 0.0, 0.0])[draws].mean(axis=1)  # C covered s1 only
    row = stats.set_index(["outlet", "measure"]).loc[("C", "share_covered")]
    assert (row["ci_low"], row["ci_high"]) == tuple(np.quantile(covered_by_c, [0.05, 0.95]))
    again = compare.outlet_story_stats(STORIES, STORY_OUTLETS, n_boot=300, ci=0.9, random_state=7)
    pd.testing.assert_frame_equal(again, stats)


def test_weighted_median_is_the_median_of_the_resampled_values():
    values = np.array([5.0, 1.0, 3.0, 8.0])
    weights = story_weights(4, 50, 3)
    draws = np.random.default_rng(3).integers(0, 4, size=(50, 4))
    np.testing.assert_array_equal(weighted_median(weights, values), np.median(values[draws], axis=1))
    assert np.isnan(weighted_median(np.zeros((2, 4), dtype=int), values)).all()


def test_lag_distribution_bands_shared_stories():
    lags = compare.lag_distribution(STORY_OUTLETS)
    nonzero = lags[lags["n"] > 0]
    assert nonzero[["outlet", "lag_band", "n", "n_stories", "share"]].values.tolist() == [
        ["A", "first", 2, 2, 1.0],  # s3, which A alone covered, is left out
        ["B", "under 1 day", 1, 2, 0.5],
        ["B", "date unknown", 1, 2, 0.5],
        ["C", "1-2 days", 1, 1, 1.0],
    ]
    assert lags.groupby("outlet", sort=False)["lag_band"].agg(list).tolist() == [schemas.LAG_BANDS] * 3


@pytest.mark.parametrize(
    ("lag", "band"),
    [
        (0.0, "first"),
        (23.9, "under 1 day"),
        (24.0, "1-2 days"),
        (71.9, "1-2 days"),
        (72.0, "3-6 days"),
        (168.0, "7 days or more"),
    ],
)
def test_lag_band_edges(lag, band):
    table = pd.DataFrame({"story_id": ["s", "s"], "outlet": ["A", "B"], "lag_hours": [0.0, lag]})
    lags = compare.lag_distribution(table)
    assert lags.loc[(lags["outlet"] == "B") & (lags["n"] == 1), "lag_band"].tolist() == [band]


def test_pair_disagreement():
    pairs = compare.pair_disagreement(STORIES, GROUPS, n_boot=200, random_state=0)
    assert pairs.drop(columns=["ci_low", "ci_high"]).to_dict("records") == [
        {
            "outlet": "A",
            "other_outlet": "B",
            "n_shared": 2,
            "n_compared": 2,
            "n_disagree": 2,
            "share": 1.0,
            "story_ids": "s1 s2",
            "group_ids": "g1 g2",
        },
        {
            "outlet": "A",
            "other_outlet": "C",
            "n_shared": 1,
            "n_compared": 1,
            "n_disagree": 0,
            "share": 0.0,
            "story_ids": "",
            "group_ids": "",
        },  # g4 is shared but holds no conflict
        {
            "outlet": "B",
            "other_outlet": "C",
            "n_shared": 1,
            "n_compared": 1,
            "n_disagree": 1,
            "share": 1.0,
            "story_ids": "s1",
            "group_ids": "g1",
        },
    ]
    assert pairs[["ci_low", "ci_high"]].values.tolist() == [[1.0, 1.0], [0.0, 0.0], [1.0, 1.0]]


def test_pair_disagreement_ignores_the_order_of_claims():
    pd.testing.assert_frame_equal(
        compare.pair_disagreement(STORIES, GROUPS.iloc[::-1], n_boot=50),
        compare.pair_disagreement(STORIES, GROUPS, n_boot=50),
    )


def test_pair_disagreement_swapping_outlet_order_swaps_pairs_only():
    reordered = STORIES.iloc[[1, 0, 2, 3, 4, 5, 6]]  # B first
    pairs = compare.pair_disagreement(reordered, GROUPS, n_boot=50)
    assert pairs[["outlet", "other_outlet", "n_disagree"]].values.tolist() == [
        ["B", "A", 2],
        ["B", "C", 1],
        ["A", "C", 0],
    ]


@pytest.mark.parametrize(
    ("kwargs", "message"), [({"n_boot": 0}, "n_boot must be"), ({"ci": 95}, "ci must be")]
)
def test_resampling_parameters_are_checked(kwargs, message):
    with pytest.raises(ValueError, match=message):
        compare.pair_disagreement(STORIES, GROUPS, **kwargs)
    with pytest.raises(ValueError, match=message):
        compare.outlet_story_stats(STORIES, STORY_OUTLETS, **kwargs)


# --------------------------------------------------------------------------
# Schemas
# --------------------------------------------------------------------------


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_every_compare_model_states_its_grain_and_validates_empty(model):
    assert "__grain__" in vars(model) and grain_of(model)
    assert set(grain_of(model)) <= set(model.to_schema().columns)
    columns = model.to_schema().columns
    empty = empty_frame(model).astype(
        {n: "datetime64[ns, UTC]" for n, c in columns.items() if "datetime" in str(c.dtype)}
    )
    assert validate(empty, model) is empty
    assert all(col.description for col in model.to_schema().columns.values())


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_shared_columns_keep_their_shared_description(model):
    shared = shared_fields(vars(fields))
    for name, column in model.to_schema().columns.items():
        if name in shared:
            assert shared[name].describes(column.description), (model.__name__, name)


def test_optional_profile_columns_may_be_absent_but_not_wrong(profile):
    schema_columns = schemas.StoryProfile.to_schema().columns
    assert list(profile.columns) == list(schema_columns)
    with pytest.raises(Exception, match="quoted_share"):
        validate(profile.assign(quoted_share=1.5), schemas.StoryProfile)
    assert not any(
        isinstance(v, pa.Column) and v.required for k, v in schema_columns.items() if k == "n_quotes"
    )


def test_public_functions_take_tables_first_and_options_by_keyword():
    for name in compare.__all__:
        params = list(inspect.signature(getattr(compare, name)).parameters.values())
        tables = [p for p in params if p.kind is p.POSITIONAL_OR_KEYWORD]
        assert all(p.default is inspect.Parameter.empty for p in tables), name
        assert all(p.kind is p.KEYWORD_ONLY for p in params[len(tables) :]), name
