"""Figures of notebook 01: corpus size, unit lengths, quotation share, removals."""

from __future__ import annotations

import altair as alt
import pandas as pd

from analysis.charts import note_chart, outlet_color

__all__ = ["outlet_size_chart", "unit_length_chart", "quoted_share_chart", "removed_chart"]


def outlet_size_chart(summary: pd.DataFrame) -> alt.Chart:
    """Articles and words per outlet, side by side (input: ``describe.outlet_summary``)."""
    long = summary.melt(
        id_vars="outlet", value_vars=["n_articles", "n_words"], var_name="measure", value_name="value"
    )
    long["measure"] = long["measure"].map({"n_articles": "articles", "n_words": "words (kept text)"})
    color = outlet_color(summary["outlet"].tolist(), legend=False)
    return (
        alt.Chart(long)
        .mark_bar()
        .encode(
            y=alt.Y("outlet:N", sort=summary["outlet"].tolist(), title=None),
            x=alt.X("value:Q", title=None),
            color=color,
            tooltip=[alt.Tooltip("outlet:N"), alt.Tooltip("measure:N"), alt.Tooltip("value:Q", format=",")],
        )
        .properties(width=260, height=alt.Step(22))
        .facet(column=alt.Column("measure:N", title=None))
        .resolve_scale(x="independent")
        .properties(
            title={
                "text": "Corpus size per outlet",
                "subtitle": "Articles and words after boilerplate removal",
            }
        )
    )


def unit_length_chart(lengths: pd.DataFrame, outlets: list[str]) -> alt.Chart:
    """Box plots of paragraph and sentence length in words per outlet (input: ``describe.unit_lengths``)."""
    return (
        alt.Chart(lengths)
        .mark_boxplot(extent="min-max", size=14)
        .encode(
            y=alt.Y("outlet:N", sort=outlets, title=None),
            x=alt.X("n_words:Q", title="Words"),
            color=outlet_color(outlets, legend=False),
        )
        .properties(width=300, height=alt.Step(24))
        .facet(column=alt.Column("unit:N", title=None, sort=["paragraph", "sentence"]))
        .resolve_scale(x="independent")
        .properties(
            title={
                "text": "Paragraph and sentence length",
                "subtitle": "Words per unit; whiskers span min to max",
            }
        )
    )


def quoted_share_chart(shares: pd.DataFrame, outlets: list[str]) -> alt.Chart:
    """Share of each article inside quotation marks (input: ``describe.quoted_share``)."""
    return (
        alt.Chart(shares)
        .mark_bar()
        .encode(
            y=alt.Y("article_id:N", title="Article", sort=shares["article_id"].tolist()),
            x=alt.X(
                "share:Q",
                title="Share of characters inside quotation marks",
                axis=alt.Axis(format="%"),
                scale=alt.Scale(domain=[0, 1]),
            ),
            color=outlet_color(outlets),
            tooltip=[
                "article_id:N",
                "outlet:N",
                alt.Tooltip("share:Q", format=".1%"),
                alt.Tooltip("quoted_chars:Q", format=","),
                alt.Tooltip("n_chars:Q", format=","),
            ],
        )
        .properties(
            width=360,
            height=alt.Step(20),
            title={
                "text": "How much of each article is quotation",
                "subtitle": "Double quotation marks, straight or curly; quotes that run over paragraphs included",
            },
        )
    )


def removed_chart(removed: pd.DataFrame, outlets: list[str]) -> alt.Chart:
    """Words removed as boilerplate per outlet and category (input: ``describe.removed_summary``)."""
    title = {
        "text": "What the cleaner removed, and why",
        "subtitle": "Words in paragraphs dropped by each rule",
    }
    if removed.empty:
        return note_chart("Nothing was removed", title)
    return (
        alt.Chart(removed)
        .mark_bar()
        .encode(
            y=alt.Y("outlet:N", sort=outlets, title=None),
            x=alt.X("sum(n_words):Q", title="Words removed"),
            color=alt.Color("category:N", title="Category"),
            tooltip=[
                "outlet:N",
                "category:N",
                "rule_id:N",
                alt.Tooltip("n:Q", title="paragraphs"),
                alt.Tooltip("n_words:Q", title="words"),
                "paragraph_ids:N",
            ],
        )
        .properties(width=360, height=alt.Step(24), title=title)
    )
