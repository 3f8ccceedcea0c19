"""Figures of notebook 01: corpus size, unit lengths, quotation share, removals."""

from __future__ import annotations

import altair as alt
import pandas as pd

from analysis.charts import MAX_ROWS, article_label, cap_rows, note_chart, outlet_color, with_note

__all__ = [
    "outlet_size_chart",
    "box_summary",
    "length_quartiles",
    "unit_length_chart",
    "quoted_share_chart",
    "removed_chart",
]


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


def box_summary(
    table: pd.DataFrame, value: str, by: list[str], *, whisker_iqr: float | None = None
) -> pd.DataFrame:
    """Five-number summary of ``value`` per group of ``by``: the data of a box plot, one row per group.

    Parameters
    ----------
    table : DataFrame
        Long table holding ``value`` and the ``by`` columns.
    value : str
    by : list of str
        Grouping columns, kept in order of first appearance.
    whisker_iqr : float, optional
        Whiskers reach the most extreme values within this many interquartile ranges of the box
        (Vega-Lite's ``extent``); None: the minimum and maximum.

    Returns
    -------
    DataFrame
        The ``by`` columns, ``n`` (rows), ``min``, ``q1``, ``median``, ``q3``, ``max`` (quartiles
        interpolated linearly, as Vega-Lite's box plots do; ``min``/``max`` are the whiskers' ends).
    """
    groups = table.groupby(by, sort=False)[value]
    out = groups.agg(n="size").reset_index()
    for name, q in (("q1", 0.25), ("median", 0.5), ("q3", 0.75)):
        out[name] = groups.quantile(q).to_numpy()
    if whisker_iqr is None:
        out["min"], out["max"] = groups.min().to_numpy(), groups.max().to_numpy()
    else:
        fences = table[by].merge(out, on=by, how="left")
        spread = whisker_iqr * (fences["q3"] - fences["q1"])
        values = table[value].to_numpy()
        inside = table[value].where(
            (values >= (fences["q1"] - spread).to_numpy()) & (values <= (fences["q3"] + spread).to_numpy())
        )
        kept = inside.groupby([table[c] for c in by], sort=False)
        out["min"], out["max"] = kept.min().to_numpy(), kept.max().to_numpy()
    return out[[*by, "n", "min", "q1", "median", "q3", "max"]]


def length_quartiles(lengths: pd.DataFrame) -> pd.DataFrame:
    """Five-number summary of unit lengths per outlet and unit (the data of :func:`unit_length_chart`).

    Returns
    -------
    DataFrame
        Columns ``outlet``, ``unit``, ``n`` (units), ``min``, ``q1``, ``median``, ``q3``, ``max`` (words;
        quartiles interpolated linearly, as Vega-Lite's box plots do).
    """
    return box_summary(lengths, "n_words", ["outlet", "unit"])


def unit_length_chart(lengths: pd.DataFrame, outlets: list[str]) -> alt.Chart:
    """Box plots of paragraph and sentence length in words per outlet (input: ``describe.unit_lengths``).

    Drawn from :func:`length_quartiles`, so the figure holds one row per outlet and unit whatever the corpus.
    """
    data = length_quartiles(lengths)
    base = alt.Chart().encode(y=alt.Y("outlet:N", sort=outlets, title=None))
    tooltip = [
        "outlet:N",
        "unit:N",
        alt.Tooltip("n:Q", title="Units", format=","),
        *(alt.Tooltip(f"{c}:Q", title=t, format=",.1~f") for c, t in _QUARTILE_TITLES.items()),
    ]
    whisker = base.mark_rule().encode(x=alt.X("min:Q", title="Words"), x2="max:Q")
    box = base.mark_bar(size=14).encode(
        x="q1:Q", x2="q3:Q", color=outlet_color(outlets, legend=False), tooltip=tooltip
    )
    median = base.mark_tick(color="white", size=14, thickness=2).encode(x="median:Q")
    return (
        alt.layer(whisker, box, median, data=data)
        .properties(width=300, height=alt.Step(24))
        .facet(column=alt.Column("unit:N", title=None, sort=["paragraph", "sentence"]))
        .resolve_scale(x="independent")
        .properties(
            title={
                "text": "Paragraph and sentence length",
                "subtitle": "Words per unit; box: quartiles, white tick: median, whiskers span min to max",
            }
        )
    )


_QUARTILE_TITLES = {
    "min": "Shortest",
    "q1": "First quartile",
    "median": "Median",
    "q3": "Third quartile",
    "max": "Longest",
}


def quoted_share_chart(
    shares: pd.DataFrame, outlets: list[str], *, articles: pd.DataFrame | None = None, top_k: int = MAX_ROWS
) -> alt.Chart:
    """Share of each article inside quotation marks (input: ``describe.quoted_share``).

    The ``top_k`` most quoted articles are drawn, labelled by outlet, headline and date (headlines
    from ``articles``, the corpus's article table); the note under the title counts the others.
    """
    data, note = cap_rows(shares, "article_id", top_k, rank="share", noun="articles")
    data = data.assign(article=article_label(data, articles))
    title = {
        "text": "How much of each article is quotation",
        "subtitle": "Double quotation marks, straight or curly; quotes that run over paragraphs included",
    }
    return (
        alt.Chart(data)
        .mark_bar()
        .encode(
            y=alt.Y("article:N", title=None, sort=data["article"].tolist(), axis=alt.Axis(labelLimit=360)),
            x=alt.X(
                "share:Q",
                title="Share of characters inside quotation marks",
                axis=alt.Axis(format="%"),
                scale=alt.Scale(domain=[0, 1]),
            ),
            color=outlet_color(outlets),
            tooltip=[
                "article:N",
                "article_id:N",
                alt.Tooltip("share:Q", format=".1%", title="Share quoted"),
                alt.Tooltip("quoted_chars:Q", format=","),
                alt.Tooltip("n_chars:Q", format=","),
            ],
        )
        .properties(width=360, height=alt.Step(20), title=with_note(title, note))
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
