"""analysis.time: dates as windows of their precision, coverage over time, precedence, groups, blindspots.

Hand-checked tiny tables give exact values; simulations with planted trends, lags and blindspots check
that the intervals and tests find them (and find nothing on balanced corpora) at the stated rates.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats as sps

from analysis import compare, time, topics
from analysis.charts import chart_data
from analysis.charts import time as time_charts
from analysis.corpus import build_corpus


def _articles(rows, columns=("article_id", "outlet", "published", "published_precision", "outlet_type")):
    table = pd.DataFrame(rows, columns=list(columns))
    if "text" not in table:
        table["text"] = "Troops crossed the river. Talks began."
    if "event_id" not in table:
        table["event_id"] = "e1"
    return table


UTC = pd.Timestamp


# --------------------------------------------------------------------------
# Dates as windows
# --------------------------------------------------------------------------


def test_article_dates_windows_by_precision():
    articles = _articles(
        [
            ("a", "A", "2023-09-20", "day", "wire"),
            ("b", "B", "2023-09-29", "week", ""),
            ("c", "C", "2023-09", "", ""),  # precision read from the string: month
            ("d", "D", "2023-09-21T02:30+09:00", "", ""),  # minute, kept in UTC with its offset
            ("e", "E", "2023-09-21T02:30:15+09:00", "day", ""),  # the day where it was published
            ("f", "F", "2023-09-22T10:00:00Z", "crawl", ""),
            ("g", "G", None, None, ""),
        ]
    )
    dates = time.article_dates(articles).set_index("article_id")
    assert dates["precision"].tolist() == ["day", "week", "month", "minute", "day", "crawl", "unknown"]
    assert dates["utc_offset"].tolist() == ["", "", "", "+09:00", "+09:00", "", ""]
    windows = dates[["window_start", "window_end"]].astype(str).to_numpy().tolist()
    assert windows[:5] == [
        ["2023-09-20 00:00:00+00:00", "2023-09-21 00:00:00+00:00"],
        ["2023-09-25 00:00:00+00:00", "2023-10-02 00:00:00+00:00"],  # ISO week, Monday to Monday
        ["2023-09-01 00:00:00+00:00", "2023-10-01 00:00:00+00:00"],
        ["2023-09-20 17:30:00+00:00", "2023-09-20 17:31:00+00:00"],
        ["2023-09-20 15:00:00+00:00", "2023-09-21 15:00:00+00:00"],  # 21 Sept in Tokyo
    ]
    assert dates.loc[["f", "g"], "window_start"].isna().all()  # crawl time is only an upper bound
    assert dates.loc["d", "published"] == UTC("2023-09-20T17:30Z")  # as topics.stories reads it


@pytest.mark.parametrize(
    ("published", "precision", "message"),
    [("2023-09", "day", "not precise to the day"), ("2023-09-20", "fortnight", "not one of")],
)
def test_article_dates_refuses_impossible_precision(published, precision, message):
    with pytest.raises(ValueError, match=message):
        time.article_dates(_articles([("a", "A", published, precision, "")]))


def test_week_precision_is_never_put_on_a_day():
    articles = _articles(
        [
            ("a", "A", "2023-09-20", "day", ""),
            ("b", "A", "2023-09-29", "week", ""),
            ("c", "A", "2023-09-13", "week", ""),
        ]
    )
    counts = {
        freq: time.over_time(articles, articles, freq=freq, n_boot=10).query("measure == 'n_articles'")
        for freq in ("D", "W", "M")
    }
    placed = {f: c.set_index("period")["n_articles"].to_dict() for f, c in counts.items()}
    assert placed["D"]["not placed"] == 2 and sum(placed["D"].values()) == 3
    assert placed["W"] == {"2023-09-11/2023-09-17": 1, "2023-09-18/2023-09-24": 1, "2023-09-25/2023-10-01": 1}
    # the week of 29 Sept runs into October: not placed in a month; the week of 13 Sept is inside September
    assert placed["M"] == {"2023-09": 2, "not placed": 1}


# --------------------------------------------------------------------------
# Over time: exact values on a hand-checked case
# --------------------------------------------------------------------------

TINY = _articles(
    [
        ("a1", "A", "2024-03-04", "day", "wire"),
        ("a2", "A", "2024-03-05", "day", "wire"),
        ("a3", "A", "2024-03-12", "day", "wire"),
        ("a4", "A", "2024-03", "month", "wire"),
        ("b1", "B", "2024-03-13", "day", "aggregator"),
        ("b2", "B", "2024-03-14", "day", "aggregator"),
    ]
)


def test_over_time_counts_and_shares_by_hand():
    matching = TINY[TINY["article_id"].isin(["a1", "a3", "a4", "b1", "b2"])]
    over = time.over_time(matching, TINY, freq="W", min_articles=2, n_boot=50)
    a = over[(over["outlet"] == "A")].set_index(["period", "measure"])
    # A has 4 articles: a1 and a2 in week 10, a3 in week 11, a4 (month only) not placed; a2 is not matching
    assert a.loc[
        ("2024-03-04/2024-03-10", "n_articles"), ["estimate", "n_articles", "n_output"]
    ].tolist() == [
        1.0,
        1,
        2,
    ]
    assert a.loc[("2024-03-04/2024-03-10", "share_of_output"), "estimate"] == 0.25
    assert a.loc[("2024-03-11/2024-03-17", "share_of_output"), "estimate"] == 0.25
    assert a.loc[("not placed", "share_of_output"), "estimate"] == 0.25
    assert a.xs("n_articles", level="measure")["enough"].tolist() == [True, False, False]
    b = over[(over["outlet"] == "B") & (over["measure"] == "share_of_output")]
    assert b["estimate"].tolist() == [0.0, 1.0, 0.0]
    # B's two articles are both in week 11: every resample puts them there, the interval is exact
    assert b[["ci_low", "ci_high"]].to_numpy().tolist()[1] == [1.0, 1.0]
    assert list(over.columns[:4]) == ["outlet", "period", "period_start", "measure"]


def test_over_time_share_of_volume_and_mean():
    volume = pd.DataFrame(
        {"outlet": ["A", "A", "B"], "period": ["2024-03-04", "2024-03-11", "2024-03-11"], "n": [10, 8, 4]}
    )
    over = time.over_time(TINY, TINY, freq="W", volume=volume, n_boot=20)
    shares = over[over["measure"] == "share_of_volume"].set_index(["outlet", "period"])["estimate"]
    assert shares[("A", "2024-03-04/2024-03-10")] == 0.2 and shares[("A", "2024-03-11/2024-03-17")] == 1 / 8
    assert shares[("B", "2024-03-11/2024-03-17")] == 0.5 and np.isnan(shares[("B", "2024-03-04/2024-03-10")])
    # mean over units: a1 has two units (1, 3), a2 one (5): units are pooled, so (1 + 3 + 5) / 3
    units = pd.DataFrame({"article_id": ["a1", "a1", "a2", "b1"], "value": [1.0, 3.0, 5.0, 2.0]})
    mean = time.over_time(units, TINY, freq="W", value="value", n_boot=200).set_index(["outlet", "period"])
    assert mean.loc[("A", "2024-03-04/2024-03-10"), ["estimate", "n_articles", "n_units"]].tolist() == [
        3.0,
        2,
        3,
    ]
    assert np.isnan(mean.loc[("A", "2024-03-11/2024-03-17"), "estimate"])  # a3 has no unit
    # resampling articles: the replicates give 2 (a1 twice), 3 (both) or 5 (a2 twice), or nothing
    assert mean.loc[("A", "2024-03-04/2024-03-10"), ["ci_low", "ci_high"]].tolist() == [2.0, 5.0]


def test_over_time_by_group_and_invariants():
    groups = pd.DataFrame({"outlet": ["A", "B"], "side": ["left", "right"]})
    by_side = time.over_time(TINY, TINY, by="side", group_table=groups, freq="M", n_boot=30)
    by_outlet = time.over_time(TINY, TINY, freq="M", n_boot=30)
    # one outlet per group: the same table with the group's name
    pd.testing.assert_frame_equal(by_side.drop(columns="side"), by_outlet.drop(columns="outlet"))
    by_type = time.over_time(TINY, TINY, by="outlet_type", freq="M", n_boot=30)
    assert by_type["outlet_type"].unique().tolist() == ["wire", "aggregator"]
    shuffled = TINY.sample(frac=1, random_state=3)
    pd.testing.assert_frame_equal(time.over_time(shuffled, TINY, freq="M", n_boot=30), by_outlet)


@pytest.mark.parametrize(
    ("table", "options", "message"),
    [
        (pd.DataFrame({"article_id": ["zz"]}), {}, "the corpus lacks"),
        (TINY, {"value": "nope"}, "no column 'nope'"),
        (TINY, {"by": "leaning"}, "not a column"),
        (TINY, {"freq": "Q"}, "freq must be"),
        (TINY, {"n_boot": 0}, "n_boot"),
        (
            TINY,
            {"volume": pd.DataFrame({"outlet": ["A"], "period": ["2024-03-04"], "n": [1]})},
            "smaller than the articles",
        ),
    ],
)
def test_over_time_refuses_bad_input(table, options, message):
    with pytest.raises(ValueError, match=message):
        time.over_time(table, TINY, **{"freq": "W", "n_boot": 10, **options})


# --------------------------------------------------------------------------
# Over time: a planted trend is recovered
# --------------------------------------------------------------------------


def test_planted_trend_is_recovered_within_the_intervals():
    """200 simulated outlets of 120 articles, 60 in March and 60 in April; an article is about the topic
    with probability 0.2 in March and 0.5 in April. Each outlet is resampled on its own, so one call runs
    the 200 simulations. Measured: each month's 95% interval covers the true share for 185 of 200 outlets
    in March and 190 in April (92.5%, 95%); the estimated rise is positive for all 200."""
    n_sims, size = 200, 120
    months = np.where(np.arange(size) < 60, "2024-03-10", "2024-04-10")
    articles = _articles(
        [(f"o{s}a{k}", f"o{s}", months[k], "day", "") for s in range(n_sims) for k in range(size)]
    )
    truth = np.tile(np.where(np.arange(size) < 60, 0.2, 0.5), n_sims)
    table = articles[["article_id"]].assign(topic=np.random.default_rng(7).random(len(truth)) < truth)
    over = time.over_time(table, articles, freq="M", value="topic", n_boot=200)
    months = over.pivot(index="outlet", columns="period", values=["estimate", "ci_low", "ci_high"])
    planted = pd.Series({"2024-03": 0.2, "2024-04": 0.5})
    covered = ((months["ci_low"] <= planted) & (planted <= months["ci_high"])).mean()
    assert (covered >= 0.9).all(), covered
    assert (months[("estimate", "2024-04")] > months[("estimate", "2024-03")]).mean() >= 0.97


# --------------------------------------------------------------------------
# Precedence
# --------------------------------------------------------------------------

STORY = _articles(
    [
        ("w1", "Wire", "2024-03-01T08:00Z", "", "wire"),
        ("d1", "Daily", "2024-03-01", "day", "newspaper"),  # the same day: not ordered against 08:00
        ("s1", "Site", "2024-03-02", "day", "digital"),
        ("e1", "Early", "2024-02-29T23:00-05:00", "", "digital"),  # 1 March 04:00 UTC: before the wire
    ]
)


def test_precedence_ties_same_day_and_keeps_offsets():
    stories = topics.stories(STORY)
    prec = time.precedence(stories, STORY).set_index("outlet")
    assert prec.loc[["Early", "Wire", "Daily", "Site"], "first"].tolist() == [True, False, True, False]
    assert prec.loc["Daily", "lag_hours"] == 0.0 and not prec.loc["Daily", "ordered"]
    # lags of story_outlets (from the earliest instant, Daily's midnight) where the order is known
    base = topics.story_outlets(stories).set_index("outlet")
    assert prec.loc["Wire", "lag_hours"] == base.loc["Wire", "lag_hours"] == 8.0
    assert prec.loc["Site", "lag_hours"] == 24.0
    assert prec.loc["Early", "utc_offset"] == "-05:00" and prec.loc["Early", "precision"] == "minute"
    # lag to the wire: Early 4 hours before, Daily's day overlaps the wire's minute, Site 16 hours after
    assert prec["lag_wire_hours"].to_dict() == {"Early": -4.0, "Wire": 0.0, "Daily": 0.0, "Site": 16.0}


def test_precedence_of_an_undated_corpus_without_wires_has_no_lags():
    from analysis.corpus import build_corpus

    corpus = build_corpus(
        [
            {
                "article_id": "a0",
                "outlet": "Only",
                "text": "Troops arrived on Monday. Officials said 3 were hurt.",
            }
        ]
    )
    prec = time.precedence(topics.stories(corpus), corpus)
    assert prec[["outlet", "first_article_id", "precision", "first", "ordered"]].values.tolist() == [
        ["Only", "a0", "unknown", False, False]
    ]
    assert prec["lag_wire_hours"].isna().all() and prec["lag_hours"].isna().all()


def test_precedence_by_group():
    stories = topics.stories(STORY)
    prec = time.precedence(stories, STORY, by="outlet_type").set_index("outlet_type")
    assert prec.loc["digital", "first_article_id"] == "e1" and prec.loc["digital", "n_articles"] == 2
    stats = time.outlet_precedence(prec.reset_index(), by="outlet_type", n_boot=20)
    assert stats.set_index(["outlet_type", "measure"]).loc[("wire", "median_lag_hours"), "estimate"] == 8.0


def test_planted_lags_are_recovered():
    """Ten stories: the wire at 06:00, 'Fast' six hours later, 'Slow' two days later (day precision)."""
    rows = []
    for k in range(10):
        day = pd.Timestamp("2024-05-01") + pd.Timedelta(days=3 * k)
        rows += [
            (f"w{k}", "Wire", f"{day:%Y-%m-%d}T06:00Z", "", "wire", f"e{k}"),
            (f"f{k}", "Fast", f"{day:%Y-%m-%d}T12:00Z", "", "digital", f"e{k}"),
            (f"s{k}", "Slow", f"{day + pd.Timedelta(days=2):%Y-%m-%d}", "day", "newspaper", f"e{k}"),
        ]
    articles = _articles(
        rows, ("article_id", "outlet", "published", "published_precision", "outlet_type", "event_id")
    )
    prec = time.precedence(topics.stories(articles), articles)
    stats = time.outlet_precedence(prec, n_boot=200).set_index(["outlet", "measure"])
    assert stats.loc[("Wire", "share_first"), ["estimate", "ci_low", "ci_high"]].tolist() == [1.0, 1.0, 1.0]
    assert stats.loc[("Fast", "median_lag_hours"), ["estimate", "ci_low", "ci_high"]].tolist() == [
        6.0,
        6.0,
        6.0,
    ]
    assert (
        stats.loc[("Slow", "median_lag_wire_hours"), "estimate"] == 42.0
    )  # midnight two days on, from 06:00
    assert stats.loc[("Fast", "share_first"), ["n", "n_stories"]].tolist() == [0, 10]
    # the lag bands of compare read the same table
    bands = compare.lag_distribution(prec).set_index(["outlet", "lag_band"])["n"]
    assert bands[("Fast", "under 1 day")] == 10 and bands[("Slow", "1-2 days")] == 10


def test_outlet_precedence_shifts_negative_wire_lags_back():
    stories = topics.stories(STORY)
    stats = time.outlet_precedence(time.precedence(stories, STORY), n_boot=20).set_index(
        ["outlet", "measure"]
    )
    assert (
        stats.loc[("Early", "median_lag_wire_hours"), ["estimate", "ci_low", "ci_high"]].tolist()
        == [-4.0] * 3
    )


def test_rewrites_put_the_earlier_first():
    pairs = pd.DataFrame(
        {
            "story_id": "e1",
            "article_id": ["s1", "w1", "d1", "w1"],
            "other_article_id": ["w1", "d1", "s1", "s1"],
            "outlet": ["Site", "Wire", "Daily", "Wire"],
            "other_outlet": ["Wire", "Daily", "Site", "Site"],
            "relation": ["rewrite", "shared_copy", "near_duplicate", "same_story"],
            "evidence": ["x | y", "", "", ""],
        }
    )
    out = time.rewrites(pairs, STORY)
    assert out[["article_id", "other_article_id", "ordered"]].to_numpy().tolist() == [
        ["w1", "s1", True],  # Site's article is a rewrite of the wire's, 16 hours later
        ["w1", "d1", False],  # the same day at day precision: not ordered
        ["d1", "s1", True],
    ]
    assert out["delta_hours"].tolist()[0] == 16.0 and np.isnan(out["delta_hours"].iat[1])
    assert out["evidence"].tolist()[0] == "x | y"


# --------------------------------------------------------------------------
# Groups and blindspots
# --------------------------------------------------------------------------


def test_outlet_groups_from_manifest_and_user_table(tmp_path):
    assert time.outlet_groups(STORY).to_dict("list") == {
        "outlet": ["Wire", "Daily", "Site", "Early"],
        "outlet_type": ["wire", "newspaper", "digital", "digital"],
    }
    path = tmp_path / "leaning.csv"
    path.write_text("outlet,leaning\nWire,centre\nDaily,left\nSite,right\nEarly,right\nOther,left\n")
    assert time.outlet_groups(STORY, by="leaning", table=path)["leaning"].tolist() == [
        "centre",
        "left",
        "right",
        "right",
    ]
    path.write_text("outlet,leaning\nWire,centre\n")
    with pytest.raises(ValueError, match="no leaning for outlet"):
        time.outlet_groups(STORY, by="leaning", table=path)
    with pytest.raises(ValueError, match="more than one"):
        time.outlet_groups(
            pd.DataFrame({"outlet": ["A", "A"], "article_id": ["1", "2"], "outlet_type": ["x", "y"]})
        )


def _stories(groups_per_story: list[list[str]]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Stories table and group table: one outlet per group letter and article number modulo 3."""
    rows = [
        (f"s{i}a{k}", f"{g}{k % 3}", f"s{i}")
        for i, members in enumerate(groups_per_story)
        for k, g in enumerate(members)
    ]
    stories = pd.DataFrame(rows, columns=["article_id", "outlet", "story_id"])
    outlets = pd.unique(stories["outlet"])
    groups = pd.DataFrame({"outlet": outlets, "side": [o[0] for o in outlets]})
    return stories, groups


def test_blindspot_by_hand():
    stories, groups = _stories([["L", "L", "L", "L"], ["L", "R", "R", "R"], ["R", "L", "R", "L"]])
    blind = time.blindspots(stories, groups, by="side").set_index(["story_id", "side"])
    # R has 5 of 12 articles; story s0 has none of its 4: P(X <= 0) = (7/12)^4
    assert blind.loc[("s0", "R"), "p"] == pytest.approx((7 / 12) ** 4)
    assert blind.loc[("s0", "R"), ["n", "n_articles", "expected"]].tolist() == [0, 4, pytest.approx(20 / 12)]
    assert blind.loc[("s0", "R"), "outlets_absent"] == "R1; R2; R0"
    assert blind.loc[("s1", "L"), "article_ids"] == "s1a0"
    # BH over the three stories of R: p-values sorted, times 3/rank, made monotone
    p = blind.xs("R", level="side")["p"].to_numpy()
    assert blind.xs("R", level="side")["q"].to_numpy() == pytest.approx(sps.false_discovery_control(p))
    assert not blind["blindspot"].any()  # four-article stories cannot show a blindspot


def test_planted_blindspots_are_found():
    generator = np.random.default_rng(1)
    balanced = [list(generator.choice(["L", "R"], size=30)) for _ in range(19)]
    stories, groups = _stories([*balanced, ["L"] * 30])
    blind = time.blindspots(stories, groups, by="side")
    found = blind[blind["blindspot"]]
    assert found[["story_id", "side"]].to_numpy().tolist() == [["s19", "R"]]
    assert found["outlets_covering"].tolist() == [""] and found["n"].tolist() == [0]


def test_no_false_blindspots_on_balanced_corpora():
    """100 corpora of 20 stories x 24 articles, each article from group L, C or R with probability 1/3:
    under this null, BH at q < 0.05 over a group's stories keeps the chance of any false blindspot in that
    group at most 5% (less: the binomial is discrete). Measured: 6 of the 300 (corpus, group) families (2%)."""
    generator = np.random.default_rng(11)
    families_with_false = 0
    for _ in range(100):
        stories, groups = _stories([list(generator.choice(["L", "C", "R"], size=24)) for _ in range(20)])
        blind = time.blindspots(stories, groups, by="side")
        families_with_false += int(blind.groupby("side")["blindspot"].any().sum())
    assert families_with_false / 300 <= 0.05


# --------------------------------------------------------------------------
# Keyness by period, summaries, charts, the seeds
# --------------------------------------------------------------------------


def test_keyness_by_period_finds_the_rising_term():
    units = _articles(
        [
            ("a1", "A", "2024-03-04", "day", ""),
            ("a2", "A", "2024-03-05", "day", ""),
            ("a3", "A", "2024-03-12", "day", ""),
            ("a4", "A", "2024-03-13", "day", ""),
            ("b1", "B", "2024-03-04", "day", ""),
        ]
    ).assign(
        text=[
            "troops shelling troops river",
            "troops river shelling",
            "ceasefire talks ceasefire river",
            "ceasefire talks troops",
            "river river",
        ]
    )
    keyness = time.keyness_by_period(units, units, freq="W")
    assert set(keyness["outlet"]) == {"A"}  # B has text in one week only
    assert keyness[["period", "other"]].drop_duplicates().to_numpy().tolist() == [
        ["2024-03-11/2024-03-17", "2024-03-04/2024-03-10"]
    ]
    top = time.rising_terms(keyness, top_k=2)
    assert top["term"].tolist() == ["ceasefire", "talks"]
    assert (top["z"] > 0).all()


#: Shares of shared stories published first: A first on 9 of 10 (interval apart from B's), B on 1.
FIRSTS = pd.DataFrame(
    {
        "outlet": ["A", "B"],
        "measure": "share_first",
        "n": [9, 1],
        "n_stories": [10, 10],
        "estimate": [0.9, 0.1],
        "ci_low": [0.7, 0.0],
        "ci_high": [1.0, 0.3],
    }
)
#: The same with intervals that overlap.
FIRSTS_OVERLAPPING = FIRSTS.assign(ci_low=[0.2, 0.0], ci_high=[1.0, 0.5])


def test_time_summary_speaks_only_when_intervals_allow():
    stats = FIRSTS
    over = time.over_time(TINY, TINY, freq="W", n_boot=20)
    stories, groups = _stories([["L", "R"]])
    lines = time.time_summary(over, stats, time.blindspots(stories, groups, by="side"))
    assert (
        lines[0] == "5 articles placed over 2 periods; 1 not placed (date unknown or coarser than a period)."
    )
    assert (
        lines[2]
        == "A published first most often: on 9 of its 10 shared stories (90%, 95% interval 70% to 100%)."
    )
    line = time.time_summary(over, FIRSTS_OVERLAPPING, time.blindspots(stories, groups, by="side"))[2]
    assert line.startswith("No clear difference in who publishes first")
    assert line.endswith(
        "(two first articles whose dates cannot be ordered, e.g. the same day, are both first)."
    )


def test_time_summary_calls_groups_groups_and_needs_two_for_a_blindspot():
    group_of = {"A": "leaning=left", "B": "leaning=right"}
    over = time.over_time(TINY, TINY, freq="W", n_boot=20)
    stats = FIRSTS_OVERLAPPING
    stories, groups = _stories([["L", "R"]] * 3)
    outlets = time.time_summary(over, stats, time.blindspots(stories, groups, by="side"))
    assert outlets[1].startswith("No period holds enough articles of one outlet for an interval")
    assert "with an interval that overlaps another outlet's" in outlets[2]
    assert outlets[3].startswith("No blindspot: no side group covered a story clearly less")
    grouped = time.time_summary(
        over.assign(outlet=over["outlet"].map(group_of)),
        stats.assign(outlet=stats["outlet"].map(group_of)),
        time.blindspots(stories, groups.assign(side="L"), by="side"),
    )
    assert grouped[1].startswith("No period holds enough articles of one leaning group for an interval")
    assert "with an interval that overlaps another leaning group's" in grouped[2]
    assert grouped[3] == "Blindspots need at least two side groups; this corpus has one (L)."
    chart = time_charts.blindspot_chart(
        time.blindspots(stories, groups.assign(side="L"), by="side"), by="side"
    )
    assert chart_data(chart)["note"].tolist() == [
        "Blindspots need at least two side groups; this corpus has one (L)"
    ]


def test_blindspots_say_when_the_corpus_gives_no_outlet_type():
    # records without outlet_type: outlet_groups puts every outlet in 'unknown', which is not a group
    records = TINY.drop(columns="outlet_type").to_dict("records")
    corpus = build_corpus(records)
    assert corpus.articles["outlet_type"].isna().all()
    stories = corpus.articles[["article_id", "outlet"]].assign(story_id="s0")
    blind = time.blindspots(stories, time.outlet_groups(corpus), by="outlet_type")
    over = time.over_time(TINY, TINY, freq="W", n_boot=20)
    assert time.time_summary(over, FIRSTS_OVERLAPPING, blind)[3] == (
        "Blindspots need each outlet's outlet_type, and this corpus gives none (every article's "
        "outlet_type is missing or empty): give each article an 'outlet_type' field (a column of the "
        ".jsonl, .csv or .parquet file, or of the folder's manifest), or pass a CSV of outlet,outlet_type "
        "as outlet_groups_table."
    )
    assert chart_data(time_charts.blindspot_chart(blind))["note"].tolist() == [
        "No blindspots: this corpus gives no outlet_type (add an 'outlet_type' field to each article)"
    ]


def test_charts_are_bounded_and_say_what_is_left_out():
    rows = [(f"x{k}", f"O{k}", f"2024-03-{1 + k % 20:02d}", "day", "") for k in range(40)]
    articles = _articles(rows)
    over = time.over_time(articles, articles, freq="D", n_boot=10)
    spec = time_charts.over_time_chart(
        over, list(pd.unique(articles["outlet"])), top_k=3, max_periods=5
    ).to_dict()
    assert "+ 37 more outlet groups not shown; see the csv" in spec["title"]["subtitle"]
    assert "15 earlier periods not shown; see the csv" in spec["title"]["subtitle"]
    assert len({r["outlet"] for r in spec["datasets"][next(iter(spec["datasets"]))]}) == 3
    stories, groups = _stories([["L", "R"]] * 12)
    blind = time.blindspots(stories, groups, by="side")
    spec = time_charts.blindspot_chart(blind, by="side", top_k=10).to_dict()
    assert "+ 2 more stories not shown; see the csv" in spec["title"]["subtitle"]
    assert (
        time_charts.precedence_chart(blind.iloc[:0].assign(estimate=[]), []).to_dict()["mark"]["type"]
        == "text"
    )


def test_seeds_say_what_needs_more_data(seeds_corpus):
    over = time.over_time(seeds_corpus.articles, seeds_corpus, freq="D", n_boot=50)
    placed = over[(over["measure"] == "n_articles") & (over["period"] != "not placed")]
    assert placed.groupby("period")["n_articles"].sum().to_dict() == {
        "2023-09-20": 1,
        "2023-09-21": 2,
        "2023-09-22": 0,
        "2023-09-23": 0,
        "2023-09-24": 0,
        "2023-09-25": 1,
    }
    assert not over["enough"].any()
    stories = topics.stories(seeds_corpus)
    prec = time.precedence(stories, seeds_corpus)
    assert prec.set_index("outlet")["lag_hours"].to_dict() == {
        "wire-style": 0.0,
        "Kyiv Independent": 24.0,
        "NHK World": 24.0,
        "aggregator": 120.0,
    }
    lines = time.time_summary(
        over,
        time.outlet_precedence(prec, n_boot=50),
        time.blindspots(stories, time.outlet_groups(seeds_corpus)),
    )
    assert lines[1].startswith("No period holds enough articles")
    assert lines[2].startswith("Who breaks stories first needs several stories")
