"""Figures of notebook 02: topic shares per outlet, topic terms, the unit map, distinctive topics, stability, stories.

Builders take the validated tables of :mod:`analysis.topics._model` (never a model)
and name topics as ``"T<k> label"`` via :func:`topic_names`.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from analysis.charts import (
    MAX_PANELS,
    MAX_ROWS,
    _too_few_outlets,
    cap_rows,
    note_chart,
    outlet_color,
    with_note,
)
from analysis.charts._labels import place_labels

__all__ = [
    "topic_names",
    "prevalence_heatmap",
    "topic_terms_chart",
    "unit_map_chart",
    "distinctive_chart",
    "stability_chart",
    "story_coverage_chart",
]

_LABEL_AXIS = alt.Axis(labelLimit=340)


def topic_names(topic_labels: pd.DataFrame) -> pd.Series:
    """``topic -> "T<k> label"`` (Series indexed by topic), in topic order."""
    labels = topic_labels.sort_values("topic")
    return pd.Series(
        [f"T{t} {lab}" if t >= 0 else lab for t, lab in zip(labels["topic"], labels["label"], strict=True)],
        index=labels["topic"].to_numpy(),
    )


def _named(table: pd.DataFrame, topic_labels: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    names = topic_names(topic_labels)
    out = table.assign(topic_name=table["topic"].map(names))
    return out, [n for n in names if n in set(out["topic_name"])]


def prevalence_heatmap(prevalence: pd.DataFrame, topic_labels: pd.DataFrame, outlets: list[str]) -> alt.Chart:
    """Topic x outlet heat map of shares; the tooltip gives the interval and counts (input: ``prevalence``)."""
    data, order = _named(prevalence, topic_labels)
    data = data.assign(
        interval=[f"{lo:.0%} – {hi:.0%}" for lo, hi in zip(data["ci_low"], data["ci_high"], strict=True)]
    )
    base = alt.Chart(data).encode(
        x=alt.X("outlet:N", sort=outlets, title=None, axis=alt.Axis(labelAngle=-30)),
        y=alt.Y("topic_name:N", sort=order, title=None, axis=_LABEL_AXIS),
    )
    cells = base.mark_rect().encode(
        color=alt.Color(
            "share:Q",
            title="Share of the outlet's units",
            scale=alt.Scale(scheme="blues", domain=[0, 1]),
            legend=alt.Legend(format="%"),
        ),
        tooltip=[
            "outlet:N",
            "topic_name:N",
            alt.Tooltip("share:Q", format=".1%"),
            alt.Tooltip("interval:N", title="95% interval"),
            alt.Tooltip("n:Q", title="units in topic"),
            alt.Tooltip("n_units:Q", title="units of outlet"),
            "resampled:N",
        ],
    )
    text = base.mark_text(fontSize=10).encode(
        text=alt.Text("share:Q", format=".0%"),
        color=alt.condition(alt.datum.share > 0.5, alt.value("white"), alt.value("black")),
    )
    return (cells + text).properties(
        width=alt.Step(90),
        height=alt.Step(24),
        title={
            "text": "What share of each outlet's text falls in each topic",
            "subtitle": "Cell: share of the outlet's units assigned to the topic; hover for the bootstrap interval",
        },
    )


def topic_terms_chart(
    topic_terms: pd.DataFrame, topic_labels: pd.DataFrame, *, columns: int = 3, max_panels: int = MAX_PANELS
) -> alt.FacetChart:
    """Top terms of each topic as bars, one small panel per topic (input: ``topic_terms``).

    At most ``max_panels`` panels, the first topics in topic order (the largest for BERTopic); the
    subtitle counts the others.
    """
    data, order = _named(topic_terms, topic_labels)
    kept, note = cap_rows(data.sort_values("topic", kind="stable"), "topic", max_panels, noun="topics")
    if note:
        order = [t for t in order if t in set(kept["topic_name"])]
    chart = (
        alt.Chart(data)
        .mark_bar(color="#0072B2")
        .encode(
            x=alt.X("weight:Q", title="Weight"),
            y=alt.Y("term:N", sort=alt.EncodingSortField("rank", order="ascending"), title=None),
            tooltip=["topic_name:N", "term:N", "rank:Q", alt.Tooltip("weight:Q", format=".4f")],
        )
        .properties(width=170, height=alt.Step(13))
        .facet(
            facet=alt.Facet("topic_name:N", sort=order, title=None, header=alt.Header(labelLimit=230)),
            columns=columns,
        )
        .resolve_scale(y="independent", x="independent")
        .properties(
            title=with_note(
                {
                    "text": "Top terms per topic",
                    "subtitle": "BERTopic: c-TF-IDF; NMF: component loading; LDA: topic-word probability",
                },
                note,
            )
        )
    )
    # every topic's terms stay in the data (and the CSV); the filter before faceting draws the first only
    return chart.transform_filter(alt.FieldOneOfPredicate(field="topic_name", oneOf=order)) if note else chart


def unit_map_chart(
    points: pd.DataFrame, topic_labels: pd.DataFrame, outlets: list[str], *, max_points: int = 2500
) -> alt.LayerChart:
    """2-D map of units coloured by outlet, each topic's number and first term at its units' median position.

    ``points``: ``unit_map`` joined with ``doc_topics`` (columns unit_id, x, y, outlet, topic, optional text).
    Label positions use every point; above ``max_points`` units a seeded random sample is drawn.
    """
    data, _ = _named(points, topic_labels)
    subtitle = (
        "Nearby points have similar embeddings (2-D UMAP); each topic's number and first term "
        "sit next to the median of its units"
    )
    drawn = data
    if len(data) > max_points:
        drawn = data.sample(n=max_points, random_state=0).sort_index()
        subtitle += f"; {max_points:,} of {len(data):,} units drawn at random"
    if "text" in drawn:
        drawn = drawn.assign(snippet=drawn["text"].str.slice(0, 160))
    centres = data.groupby(["topic", "topic_name"], as_index=False)[["x", "y"]].median()
    centres["short"] = centres["topic_name"].str.split(" · ").str[0]  # "T3 azerbaijani": full names overlap
    x_domain = [float(data["x"].min()), float(data["x"].max())] if len(data) else [0.0, 1.0]
    y_domain = [float(data["y"].min()), float(data["y"].max())] if len(data) else [0.0, 1.0]
    x_span = (x_domain[1] - x_domain[0]) or 1.0
    y_span = (y_domain[1] - y_domain[0]) or 1.0
    order = centres.sort_values("topic", key=lambda t: t.where(t >= 0, 10**9), kind="stable")
    lx, ly, align = place_labels(
        ((order["x"] - x_domain[0]) / x_span * _MAP_WIDTH).to_numpy(),
        ((y_domain[1] - order["y"]) / y_span * _MAP_HEIGHT).to_numpy(),
        order["short"].tolist(),
        width=_MAP_WIDTH,
        height=_MAP_HEIGHT,
        font_size=11,
    )
    centres.loc[order.index, "label_x"] = x_domain[0] + lx / _MAP_WIDTH * x_span
    centres.loc[order.index, "label_y"] = y_domain[1] - ly / _MAP_HEIGHT * y_span
    centres.loc[order.index, "label_align"] = align
    tooltip = ["unit_id:N", "outlet:N", "topic_name:N"] + (["snippet:N"] if "snippet" in drawn else [])
    x = alt.X("x:Q", title=None, axis=None, scale=alt.Scale(domain=x_domain, nice=False, zero=False))
    y = alt.Y("y:Q", title=None, axis=None, scale=alt.Scale(domain=y_domain, nice=False, zero=False))
    dots = (
        alt.Chart(drawn.drop(columns=["text"], errors="ignore"))
        .mark_circle(size=45, opacity=0.75)
        .encode(x=x, y=y, color=outlet_color(outlets), tooltip=tooltip)
    )
    names = [
        alt.Chart(centres)
        .transform_filter(f"datum.label_align == '{side}'")
        .mark_text(fontSize=11, fontWeight="bold", align=side, baseline="middle")
        .encode(x="label_x:Q", y="label_y:Q", text="short:N", tooltip=["topic_name:N"])
        for side in ("left", "right")
    ]
    return alt.layer(dots, *names).properties(
        width=_MAP_WIDTH,
        height=_MAP_HEIGHT,
        title={"text": "Map of the units, coloured by outlet", "subtitle": subtitle},
    )


_MAP_WIDTH, _MAP_HEIGHT = 560, 420


def distinctive_chart(distinctive: pd.DataFrame, topic_labels: pd.DataFrame, outlets: list[str]) -> alt.Chart:
    """Each outlet's share minus the other outlets' per topic, with its interval; distinctive ones solid."""
    title = {
        "text": "Topics an outlet covers more (or less) than the others",
        "subtitle": "Share minus the other outlets' pooled share, 95% bootstrap interval; "
        "solid = interval excludes 0 with at least min_units units",
    }
    if distinctive.empty:
        return note_chart(_too_few_outlets(outlets, "Comparing topic shares") or "No topic to compare", title)
    data, order = _named(distinctive, topic_labels)
    data = data.assign(status=data["distinctive"].map({True: "distinctive", False: "not distinctive"}))
    base = alt.Chart().encode(y=alt.Y("topic_name:N", sort=order, title=None, axis=_LABEL_AXIS))
    rule = base.mark_rule().encode(
        x=alt.X("ci_low:Q", title="Share difference", axis=alt.Axis(format="+%")),
        x2="ci_high:Q",
        color=outlet_color(outlets, legend=False),
    )
    dots = base.mark_point(size=60, filled=True).encode(
        x="diff:Q",
        color=outlet_color(outlets, legend=False),
        opacity=alt.Opacity(
            "status:O",  # ordinal: Vega-Lite warns on an opacity scale over an unsorted field
            scale=alt.Scale(domain=["distinctive", "not distinctive"], range=[1, 0.25]),
            title=None,
        ),
        tooltip=[
            "outlet:N",
            "topic_name:N",
            alt.Tooltip("share:Q", format=".1%"),
            alt.Tooltip("share_rest:Q", format=".1%", title="other outlets"),
            alt.Tooltip("diff:Q", format="+.1%"),
            alt.Tooltip("ci_low:Q", format="+.1%"),
            alt.Tooltip("ci_high:Q", format="+.1%"),
            "n:Q",
            "n_rest:Q",
            "status:N",
        ],
    )
    zero = alt.Chart().mark_rule(color="#555", strokeDash=[4, 3]).encode(x=alt.datum(0))
    return (
        alt.layer(zero, rule, dots, data=data)
        .properties(width=200, height=alt.Step(18))
        .facet(column=alt.Column("outlet:N", sort=outlets, title=None))
        .properties(title=title)
    )


def stability_chart(stability_topics: pd.DataFrame, pairs: pd.DataFrame) -> alt.LayerChart:
    """How well each topic is found again under other seeds (bar: mean best Jaccard, tick: worst)."""
    data, order = _named(stability_topics, stability_topics[["topic", "label"]])
    ari = pairs["ari"]
    base = alt.Chart(data).encode(y=alt.Y("topic_name:N", sort=order, title=None, axis=_LABEL_AXIS))
    bars = base.mark_bar(color="#009E73").encode(
        x=alt.X(
            "jaccard_mean:Q",
            title="Best overlap with a topic of another seed (Jaccard)",
            scale=alt.Scale(domain=[0, 1]),
        ),
        tooltip=[
            "topic_name:N",
            "n:Q",
            alt.Tooltip("jaccard_mean:Q", format=".2f"),
            alt.Tooltip("jaccard_min:Q", format=".2f"),
        ],
    )
    ticks = base.mark_tick(color="black", thickness=2, size=16).encode(x="jaccard_min:Q")
    return (bars + ticks).properties(
        width=360,
        height=alt.Step(20),
        title={
            "text": "Do the topics survive a different seed?",
            "subtitle": f"Bar: mean, tick: worst over seeds; adjusted Rand index of whole assignments "
            f"{ari.min():.2f} to {ari.max():.2f} over {len(pairs)} seed pairs",
        },
    )


def story_coverage_chart(stories: pd.DataFrame, outlets: list[str], *, top_k: int = MAX_ROWS) -> alt.Chart:
    """Event x outlet coverage matrix: articles of each outlet in each story (input: ``cluster_stories``).

    The ``top_k`` stories with most articles are drawn (in story order); the subtitle counts the others.
    """
    counts = stories.groupby(["story_id", "outlet"], as_index=False).agg(
        n=("article_id", "size"), article_ids=("article_id", " ".join)
    )
    counts, note = cap_rows(counts, "story_id", top_k, rank="n", noun="stories")
    order = (
        stories.drop_duplicates("story_id")
        .assign(k=lambda d: d["story_id"].str[1:].astype(int))
        .sort_values("k")["story_id"]
        .tolist()
    )
    order = [k for k in order if k in set(counts["story_id"])]
    base = alt.Chart(counts).encode(
        x=alt.X("outlet:N", sort=outlets, title=None, axis=alt.Axis(labelAngle=-30)),
        y=alt.Y("story_id:N", sort=order, title="Story"),
        tooltip=["story_id:N", "outlet:N", alt.Tooltip("n:Q", title="articles"), "article_ids:N"],
    )
    squares = base.mark_square(size=380).encode(color=outlet_color(outlets, legend=False))
    labels = base.mark_text(color="white", fontWeight="bold").encode(text="n:Q")
    return (squares + labels).properties(
        width=alt.Step(90),
        height=alt.Step(26),
        title=with_note(
            {
                "text": "Which outlets covered which story",
                "subtitle": "Number of each outlet's articles per story; stories group articles by lead "
                "similarity and shared names and dates",
            },
            note,
        ),
    )
