"""Figures stay bounded whatever the corpus: capped rows and panels with a note, readable article
labels, outlet-level aggregates, PNGs of at most MAX_PNG_SIDE pixels a side, titled tooltips."""

from __future__ import annotations

import json

import altair as alt
import numpy as np
import pandas as pd
import pytest

from analysis import charts
from analysis.charts import chart_data
from analysis.charts import claims as claim_charts
from analysis.charts import corpus as corpus_charts
from analysis.charts import framing as framing_charts
from analysis.charts import sourcing as sourcing_charts
from analysis.charts import topics as topic_charts
from analysis.charts._labels import place_labels

OUTLETS = ["A", "B", "C"]
N = 500


def _articles(n: int = N) -> pd.DataFrame:
    ids = [f"{k:05d}-0c2e-4575-8eec-77{k:08d}" for k in range(n)]
    return pd.DataFrame(
        {
            "article_id": ids,
            "outlet": [OUTLETS[k % 3] for k in range(n)],
            "title": [
                f"Flood waters rise in town number {k} as officials warn of more rain" for k in range(n)
            ],
            "published": [f"2024-01-{1 + k % 28:02d}T10:00" for k in range(n)],
        }
    )


def _subtitle(chart) -> str:
    spec = chart.to_dict()
    return " ".join(spec["title"]["subtitle"]) if isinstance(spec["title"]["subtitle"], list) else ""


def test_cap_rows_keeps_the_top_groups_in_input_order_and_counts_the_rest():
    table = pd.DataFrame({"g": ["a", "b", "b", "c", "d"], "v": [1, 5, 5, 3, 3]})
    kept, note = charts.cap_rows(table, "g", 2, rank="v", noun="articles")
    assert kept["g"].tolist() == ["b", "b", "c"]  # c and d tie on 3: the first seen wins
    assert note == "+ 2 more articles not shown; see the csv"
    same, none = charts.cap_rows(table, "g", 4)
    assert same is table and none == ""


def test_article_labels_name_outlet_headline_and_date_never_a_cut_id():
    arts = _articles(3)
    arts.loc[1, "title"] = ""
    arts.loc[2, ["title", "outlet", "published"]] = arts.loc[0, ["title", "outlet", "published"]]
    labels = charts.article_label(arts[["article_id", "outlet"]], arts, max_chars=30).tolist()
    assert labels[1] == f"B · {arts.loc[1, 'article_id']} · 2024-01-02"
    assert labels[0] == f"A · Flood waters rise in town… · 2024-01-01 ({arts.loc[0, 'article_id']})"
    assert labels[2].endswith(f"({arts.loc[2, 'article_id']})") and labels[0] != labels[2]


def test_quoted_share_chart_draws_at_most_max_rows_articles_with_a_note():
    arts = _articles()
    shares = arts[["article_id", "outlet"]].assign(
        quoted_chars=range(N), n_chars=1000, share=np.arange(N) / 1000
    )
    chart = corpus_charts.quoted_share_chart(shares, OUTLETS, articles=arts)
    data = chart_data(chart)
    assert len(data) == charts.MAX_ROWS and data["share"].min() == (N - charts.MAX_ROWS) / 1000
    assert data["article"].str.startswith(tuple(OUTLETS)).all()
    assert "+ 440 more articles not shown; see the csv" in _subtitle(chart)


def test_quotation_share_chart_draws_at_most_max_rows_articles_with_a_note():
    arts = _articles()
    shares = pd.concat(
        [
            arts[["article_id", "outlet"]].assign(kind=kind, n_words=10, article_words=100, share=0.1)
            for kind in ("quoted", "reported")
        ]
    )
    chart = sourcing_charts.quotation_share_chart(shares, OUTLETS, articles=arts, top_k=40)
    assert chart_data(chart)["article_id"].nunique() == 40
    assert "+ 460 more articles not shown; see the csv" in _subtitle(chart)


def test_quote_table_embeds_at_most_max_quotes_taking_the_outlets_in_turn():
    outlet = ["A"] * 3000 + ["B"] * 1800 + ["C"] * 200
    quotes = pd.DataFrame(
        {
            "quote_id": [f"q{i}" for i in range(len(outlet))],
            "outlet": outlet,
            "kind": "direct",
            "speaker": None,
            "cue": "said",
            "text": "words",
        }
    )
    chart = sourcing_charts.quote_table_chart(quotes, max_quotes=1500)
    data = chart_data(chart)
    assert data["outlet"].value_counts().to_dict() == {"A": 650, "B": 650, "C": 200}
    assert data["quote_id"].tolist()[:3] == ["q0", "q1", "q2"]  # corpus order kept
    assert data.loc[data["outlet"] == "C", "quote_id"].tolist() == [f"q{i}" for i in range(4800, 5000)]
    subtitle = chart.to_dict()["title"]["subtitle"]
    assert "1,500 quotes searchable here" in subtitle and "5,000 in all" in subtitle
    small = sourcing_charts.quote_table_chart(quotes.head(30))
    assert (
        len(chart_data(small)) == 30 and "The first 30 of 30 quotes" in small.to_dict()["title"]["subtitle"]
    )


def test_artefacts_chart_draws_at_most_max_rows_articles_with_a_note():
    arts = _articles()
    scores = arts[["article_id", "outlet"]].assign(signal="stray_capitals", n=1, score=np.arange(N) + 1.0)
    chart = claim_charts.artefacts_chart(scores, articles=arts)
    assert chart_data(chart)["article_id"].nunique() == charts.MAX_ROWS
    assert "+ 440 more articles with artefacts not shown; see the csv" in _subtitle(chart)


def test_provenance_chart_is_outlet_by_outlet_whatever_the_number_of_articles():
    arts = _articles(90)
    a, b = np.triu_indices(len(arts), k=1)
    pairs = pd.DataFrame(
        {
            "article_id": arts["article_id"].to_numpy()[a],
            "other_article_id": arts["article_id"].to_numpy()[b],
            "outlet": arts["outlet"].to_numpy()[a],
            "other_outlet": arts["outlet"].to_numpy()[b],
            "paraphrase_share": 0.0,
            "relation": np.where((a == 0) & (b < 4), "rewrite", "same_story"),
        }
    )
    data = chart_data(claim_charts.provenance_chart(pairs, OUTLETS))
    assert len(data) == 6  # AA, AB, AC, BB, BC, CC
    ab = data[(data["outlet"] == "A") & (data["other_outlet"] == "B")].iloc[0]
    assert (ab["n_pairs"], ab["n_copies"], ab["note"]) == (900, 1, "1 of 900 copied")
    assert data["n_pairs"].sum() == len(pairs)
    assert "same story 0.00" not in json.dumps(claim_charts.provenance_chart(pairs, OUTLETS).to_dict())


def test_story_coverage_chart_draws_at_most_max_rows_stories():
    stories = pd.DataFrame(
        {
            "article_id": [f"a{k}" for k in range(N)],
            "outlet": [OUTLETS[k % 3] for k in range(N)],
            "story_id": [f"s{k // 2}" for k in range(N)],
        }
    )
    chart = topic_charts.story_coverage_chart(stories, OUTLETS)
    assert chart_data(chart)["story_id"].nunique() == charts.MAX_ROWS
    assert "+ 190 more stories not shown; see the csv" in _subtitle(chart)


def test_topic_terms_chart_draws_at_most_max_panels_topics():
    terms = pd.DataFrame(
        [(t, f"w{t}_{r}", 1.0 / r, r) for t in range(30) for r in range(1, 6)],
        columns=["topic", "term", "weight", "rank"],
    )
    labels = pd.DataFrame({"topic": range(30), "label": [f"w{t}_1" for t in range(30)]})
    chart = topic_charts.topic_terms_chart(terms, labels)
    spec = chart.to_dict()
    assert len(spec["transform"][0]["filter"]["oneOf"]) == charts.MAX_PANELS
    assert "+ 18 more topics not shown; see the csv" in _subtitle(chart)
    assert len(chart_data(chart)) == len(terms)  # the CSV keeps every topic


def test_unit_length_chart_embeds_one_row_per_outlet_and_unit():
    lengths = pd.DataFrame(
        {"unit": ["sentence"] * 4 + ["paragraph"] * 2, "outlet": ["A"] * 6, "n_words": [1, 2, 3, 10, 5, 7]}
    )
    data = chart_data(corpus_charts.unit_length_chart(lengths, ["A"]))
    assert data[["unit", "n", "min", "q1", "median", "q3", "max"]].values.tolist() == [
        ["sentence", 4, 1, 1.75, 2.5, 4.75, 10],
        ["paragraph", 2, 5, 5.5, 6.0, 6.5, 7],
    ]


def test_box_summary_whiskers_stop_at_one_and_a_half_iqr():
    # A: 0, 1, 2, 3, 100: q1 = 1, q3 = 3, fences -2 and 6, so 100 is beyond the upper whisker
    table = pd.DataFrame({"outlet": ["A"] * 5 + ["B"] * 2, "x": [0, 1, 2, 3, 100, -1, 1]})
    fenced = corpus_charts.box_summary(table, "x", ["outlet"], whisker_iqr=1.5)
    assert fenced.values.tolist() == [["A", 5, 0, 1.0, 2.0, 3.0, 3], ["B", 2, -1, -0.5, 0.0, 0.5, 1]]
    full = corpus_charts.box_summary(table, "x", ["outlet"])
    assert full["max"].tolist() == [100, 1]


def test_tone_distribution_chart_embeds_one_row_per_outlet():
    rng = np.random.default_rng(0)
    tones = pd.DataFrame(
        {"outlet": [OUTLETS[k % 3] for k in range(3000)], "compound": rng.uniform(-1, 1, 3000)}
    )
    chart = framing_charts.tone_distribution_chart(tones, OUTLETS)
    data = chart_data(chart)
    assert data["outlet"].tolist() == OUTLETS
    assert data["n"].tolist() == [1000, 1000, 1000]
    expected = tones.groupby("outlet")["compound"].agg(["mean", "median"])
    np.testing.assert_allclose(data["mean"], expected["mean"].loc[OUTLETS])
    np.testing.assert_allclose(data["median"], expected["median"].loc[OUTLETS])
    assert len(json.dumps(chart.to_dict())) < 10_000  # no sentence is embedded


def test_claim_groups_in_years_and_one_row_per_outlet_and_figure():
    base = {
        "group_label": "old conflict [day]",
        "label": "agree",
        "n_outlets": 2,
        "unit": "day",
        "lower": 10957.5,
    }
    groups = pd.DataFrame(
        [
            {
                **base,
                "group_id": "g1",
                "claim_id": f"c{k}",
                "outlet": o,
                "value": 10957.5,
                "upper": 10957.5,
                "text": "30-year",
            }
            for k, o in enumerate(["A", "A", "A", "B"])
        ]
    )
    table = claim_charts.claim_groups_table(groups)
    assert table["panel"].tolist() == ["g1 · old conflict [years] · AGREE"] * 2
    assert table[["outlet", "x_value", "n_claims"]].values.tolist() == [["A", 30.0, 3], ["B", 30.0, 1]]


def test_every_tooltip_gets_a_title():
    chart = (
        alt.Chart(pd.DataFrame({"article_id": ["a"], "n": [1]}))
        .mark_bar()
        .encode(
            x="n:Q",
            tooltip=["article_id:N", alt.Tooltip("n:Q", title="Kept"), alt.Tooltip("n:Q", aggregate="mean")],
        )
    )
    tips = charts.titled_tooltips(chart.to_dict())["encoding"]["tooltip"]
    assert [t["title"] for t in tips] == ["Article", "Kept", "mean of count"]


def test_labels_at_one_spot_do_not_overlap():
    n = 8
    x, y, align = place_labels(np.full(n, 100.0), np.full(n, 100.0), ["label"] * n, width=300, height=220)
    boxes = [
        (lx if a == "left" else lx - 30, ly - 6, lx + 30 if a == "left" else lx, ly + 6)
        for lx, ly, a in zip(x, y, align, strict=True)
        if a
    ]
    assert len(boxes) == n
    assert not any(
        p[0] < q[2] and q[0] < p[2] and p[1] < q[3] and q[1] < p[3]
        for i, p in enumerate(boxes)
        for q in boxes[i + 1 :]
    )


@pytest.mark.parametrize(("width", "height", "scale"), [(400, 300, 2.0), (4000, 300, 1.24), (6000, 300, 0.0)])
def test_png_scale_keeps_every_side_within_the_cap(width, height, scale):
    assert charts.png_scale(width, height) == scale


def _tall_chart(rows: int) -> alt.Chart:
    data = pd.DataFrame({"row": [f"r{k:05d}" for k in range(rows)], "n": range(rows)})
    return alt.Chart(data).mark_bar().encode(y="row:N", x="n:Q").properties(height=alt.Step(10))


def test_png_export_of_a_huge_chart_is_at_most_max_png_side(tmp_path):
    paths = charts.save_chart(_tall_chart(400), tmp_path, "tall")  # about 4,000 px tall: scale 1.2x
    width, height = charts.png_size(paths["png"].read_bytes())
    assert max(width, height) <= charts.MAX_PNG_SIDE and height > 4000


def test_a_chart_too_large_for_a_legible_png_gets_svg_and_a_note(tmp_path):
    paths = charts.save_chart(_tall_chart(700), tmp_path, "huge")  # about 7,000 px tall
    assert "png" not in paths and not (tmp_path / "huge.png").exists() and paths["svg"].exists()
    entry = json.loads((tmp_path / charts.INDEX_FILE).read_text())[0]
    assert entry["formats"] == ["svg", "json", "csv"] and entry["note"].startswith("No PNG: the figure is")


def test_actor_charts_draw_at_most_max_rows_actors():

    actors = pd.DataFrame(
        [(o, f"actor {k}", k + 1) for k in range(100) for o in OUTLETS], columns=["outlet", "actor", "n"]
    ).assign(
        n_words=1000, per_1000_words=1.0, n_sentences=4, agent_share=0.5, patient_share=0.25, blame_share=0.0
    )
    tones = actors[["outlet", "actor", "n"]].assign(mean=0.1, ci_low=-0.1, ci_high=0.3)
    for chart in (
        framing_charts.actor_salience_chart(actors, OUTLETS),
        framing_charts.actor_agency_chart(actors, OUTLETS),
        framing_charts.actor_tone_chart(tones, OUTLETS, min_sentences=1),
    ):
        assert chart_data(chart)["actor"].nunique() == charts.MAX_ROWS
        assert "+ 40 more actors not shown; see the csv" in _subtitle(chart)


def test_interval_tooltip_lists_the_fields_then_estimate_and_bounds_in_one_format():
    tooltip = charts._interval_tooltip("outlet:N", "n:Q", estimate="mean", fmt=".3f")
    assert tooltip[:2] == ["outlet:N", "n:Q"]
    assert [t.to_dict() for t in tooltip[2:]] == [
        {"field": column, "type": "quantitative", "format": ".3f"} for column in ("mean", "ci_low", "ci_high")
    ]


def test_interval_marks_draw_a_bar_from_ci_low_to_ci_high_and_a_point_at_the_estimate():
    rows = pd.DataFrame({"outlet": ["A"], "estimate": [0.5], "ci_low": [0.25], "ci_high": [0.75]})
    bar, point = charts._interval_marks(
        alt.Chart(rows).encode(y="outlet:N"), alt.X("ci_low:Q", title="Share"), ["outlet:N"], shape="diamond"
    )
    bar, point = bar.to_dict(), point.to_dict()
    assert bar["mark"] == {"type": "rule", "strokeWidth": 2}
    assert bar["encoding"]["x"] == {"field": "ci_low", "type": "quantitative", "title": "Share"}
    assert bar["encoding"]["x2"] == {"field": "ci_high"}
    assert point["mark"] == {"type": "point", "size": 70, "filled": True, "shape": "diamond"}
    assert point["encoding"]["x"] == {"field": "estimate", "type": "quantitative"}
    assert point["encoding"]["y"] == {"field": "outlet", "type": "nominal"}


def test_measure_columns_order_the_panels_as_their_titles_and_head_each_with_its_title():
    column = charts._measure_columns({"share_first": "First", "median_lag_hours": "Median lag"}).to_dict()
    assert column["field"] == "measure" and column["sort"] == ["share_first", "median_lag_hours"]
    assert (
        column["header"]["labelExpr"]
        == "{'share_first': 'First', 'median_lag_hours': 'Median lag'}[datum.value]"
    )


@pytest.mark.parametrize(
    ("outlets", "said"),
    [
        (
            ["outlet_type=unknown"],
            "needs at least two outlet_type groups; this corpus has one (outlet_type=unknown).",
        ),
        (["Only"], "needs at least two outlets; this corpus has one (Only)."),
    ],
)
def test_a_comparison_of_one_outlet_or_group_says_what_it_needs_two_of(outlets, said):
    chart = topic_charts.distinctive_chart(pd.DataFrame(), pd.DataFrame(), outlets)
    assert chart_data(chart)["note"].tolist() == [f"Comparing topic shares {said}"]


def test_claim_groups_chart_says_how_many_groups_it_left_out():
    table = pd.DataFrame(
        {
            "panel": ["g1 · killed [count] · DISAGREE", "g2 · injured [count] · AGREE"],
            "panel_order": [1.0, 3e6 + 2],
            "row": ["A 10 10-10", "B 5 5-5"],
            "outlet": ["A", "B"],
            "x_value": [10.0, 5.0],
            "x_low": [10.0, 5.0],
            "x_high": [10.0, 5.0],
            "label": ["disagree", "agree"],
            "text": ["10", "5"],
            "n_claims": [1, 1],
        }
    )
    chart = claim_charts.claim_groups_chart(table, OUTLETS, n_groups=5)
    assert "+ 3 more claim groups not shown; see the csv" in _subtitle(chart)
    assert (
        claim_charts.claim_groups_chart(table, OUTLETS, n_groups=2)
        .to_dict()["title"]["subtitle"]
        .startswith("One panel per group")
    )
