"""Figures of notebook 07: outlets compared story by story.

Builders take the validated tables of :mod:`analysis.compare` (never a corpus) and draw them as they
are: every figure is bounded by outlets, pairs of outlets, lag bands or the ``top_k`` stories of the
detail table, never by stories x articles.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from analysis.charts import _interval_marks, _interval_tooltip, _measure_columns, note_chart, outlet_color
from analysis.schemas.compare import LAG_BANDS

__all__ = ["outlet_stats_chart", "lag_chart", "pair_disagreement_chart", "story_detail_chart"]

_SHARES = {
    "share_covered": "Covered (of all stories)",
    "share_exclusive": "Alone (of its stories)",
    "share_first": "First (of its shared stories)",
}
#: Profile columns drawn side by side in the detail figure, with their axis titles.
DETAIL_MEASURES = {
    "lag_hours": "Hours after the first outlet",
    "n_words": "Words",
    "quoted_share": "Share of words in quotes (0-1)",
    "n_frames": "Frames present",
    "n_disputed": "Figures in conflict (groups)",
    "n_exclusive": "Content only it reports",
}
_LAG_COLORS = ["#08519c", "#3182bd", "#6baed6", "#fdae6b", "#e6550d", "#bdbdbd"]


def outlet_stats_chart(stats: pd.DataFrame, outlets: list[str]) -> alt.HConcatChart | alt.Chart:
    """Per outlet: shares of stories covered, exclusive and published first, and the median lag, with intervals.

    Input: :func:`analysis.compare.outlet_story_stats`. Point = estimate, bar = percentile interval from
    resampling stories.
    """
    title = {
        "text": "How each outlet covers the stories",
        "subtitle": "Point: share of stories (left) or median hours after the first outlet (right); "
        "bar: interval from resampling stories",
    }
    if stats.empty:
        return note_chart("No story to count", title)
    shares = stats[stats["measure"].isin(list(_SHARES))]
    lags = stats[stats["measure"] == "median_lag_hours"]
    y = alt.Y("outlet:N", sort=outlets, title=None)
    tooltip = [*_interval_tooltip("outlet:N", fmt=".0%"), "n:Q", "n_stories:Q"]
    share_base = alt.Chart().encode(y=y, color=outlet_color(outlets, legend=False))
    share_x = alt.X(
        "ci_low:Q", title="Share of stories", scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(format="%")
    )
    share_panel = (
        alt.layer(*_interval_marks(share_base, share_x, tooltip), data=shares)
        .properties(width=190, height=alt.Step(22))
        .facet(column=_measure_columns(_SHARES))
    )
    lag_tooltip = [
        *_interval_tooltip("outlet:N", fmt=".1f"),
        alt.Tooltip("n:Q", title="shared stories with a date"),
    ]
    lag_base = alt.Chart(lags).encode(
        y=alt.Y("outlet:N", sort=outlets, title=None, axis=None), color=outlet_color(outlets, legend=False)
    )
    lag_x = alt.X("ci_low:Q", title="Median hours after the first")
    lag_panel = alt.layer(*_interval_marks(lag_base, lag_x, lag_tooltip, shape="diamond")).properties(
        width=190,
        height=alt.Step(22),
        title=alt.TitleParams("Median lag (of its shared stories)", fontSize=11, fontWeight="normal"),
    )
    return alt.hconcat(share_panel, lag_panel).properties(title=title)


def lag_chart(lags: pd.DataFrame, outlets: list[str]) -> alt.Chart:
    """How long after the first outlet each outlet published, over the stories it shares with others.

    Input: :func:`analysis.compare.lag_distribution`. One stacked bar per outlet, one segment per lag band.
    """
    title = {
        "text": "How soon each outlet follows a story",
        "subtitle": "Share of the outlet's shared stories by hours after the story's first publication",
    }
    if lags.empty:
        return note_chart("No story is covered by two outlets: no lag to measure", title)
    return (
        alt.Chart(lags)
        .mark_bar()
        .encode(
            x=alt.X(
                "share:Q",
                title="Share of the outlet's shared stories",
                axis=alt.Axis(format="%"),
                stack="zero",
            ),
            y=alt.Y("outlet:N", sort=outlets, title=None),
            color=alt.Color(
                "lag_band:N",
                title="Published",
                sort=LAG_BANDS,
                scale=alt.Scale(domain=LAG_BANDS, range=_LAG_COLORS),
            ),
            order=alt.Order("lag_rank:Q"),
            tooltip=[
                "outlet:N",
                "lag_band:N",
                alt.Tooltip("n:Q", title="stories"),
                alt.Tooltip("n_stories:Q", title="shared stories"),
                alt.Tooltip("share:Q", format=".0%"),
            ],
        )
        .transform_calculate(lag_rank=f"indexof({LAG_BANDS}, datum.lag_band)")
        .properties(width=420, height=alt.Step(24), title=title)
    )


def pair_disagreement_chart(pairs: pd.DataFrame, outlets: list[str]) -> alt.LayerChart | alt.Chart:
    """Per pair of outlets, the share of the stories both covered where their figures conflict.

    Input: :func:`analysis.compare.pair_disagreement`. Cell colour and label: the share; tooltip: counts,
    interval and the stories and claim groups behind it.
    """
    title = {
        "text": "Where outlets' figures disagree, story by story",
        "subtitle": "Share of the stories both outlets covered in which a figure of one conflicts with one of "
        "the other (same story, same quantity)",
    }
    shared = pairs[pairs["n_shared"] > 0]
    if shared.empty:
        return note_chart("No two outlets covered the same story", title)
    base = alt.Chart(shared).encode(
        x=alt.X("other_outlet:N", sort=outlets, title=None, axis=alt.Axis(labelAngle=-30)),
        y=alt.Y("outlet:N", sort=outlets, title=None),
        tooltip=[
            *_interval_tooltip("outlet:N", "other_outlet:N", estimate="share", fmt=".0%"),
            alt.Tooltip("n_disagree:Q", title="stories in disagreement"),
            alt.Tooltip("n_compared:Q", title="stories with figures of both"),
            alt.Tooltip("n_shared:Q", title="stories both covered"),
            "story_ids:N",
            "group_ids:N",
        ],
    )
    cells = base.mark_rect().encode(
        color=alt.Color(
            "share:Q", title="Share in disagreement", scale=alt.Scale(domain=[0, 1], scheme="oranges")
        )
    )
    labels = base.mark_text(fontSize=11).encode(
        text=alt.Text("share:Q", format=".0%"),
        color=alt.condition("datum.share > 0.6", alt.value("white"), alt.value("black")),
    )
    return (cells + labels).properties(width=alt.Step(80), height=alt.Step(32), title=title)


def story_detail_chart(detail: pd.DataFrame, outlets: list[str]) -> alt.HConcatChart | alt.Chart:
    """The first-ranked stories side by side per outlet: lag, length, quoted share, frames, conflicts, exclusives.

    Input: :func:`analysis.compare.story_detail` (``top_k`` stories). One row of panels per story, one
    panel per measure the profile holds, one bar per outlet covering the story.
    """
    title = {
        "text": "The most covered stories, outlet by outlet",
        "subtitle": "Ranked by outlets, then disputed figures, then articles; hover a bar for the evidence ids",
    }
    measures = [m for m in DETAIL_MEASURES if m in detail.columns]
    if detail.empty:
        return note_chart("No story to show", title)
    evidence = [
        c
        for c in ("article_ids", "top_speakers", "frames", "disputed_figures", "exclusive_unit_ids")
        if c in detail.columns
    ]
    data = detail[["rank", "story_id", "label", "outlet", *measures, *evidence]]
    panels = []
    for k, measure in enumerate(measures):
        fmt = ".0%" if measure == "quoted_share" else ",~r"
        # the story's rank and label over the first panel (cut to its width; the tooltip has it all), a blank
        # header over the others so that the rows line up
        header = alt.Header(
            labelAngle=0,
            labelAlign="left",
            labelAnchor="start",
            labelOrient="top",
            labelLimit=230,
            labelFontWeight="bold",
            labelExpr="datum.value" if k == 0 else "' '",
        )
        panels.append(
            alt.Chart(data)
            .mark_bar()
            .encode(  # one dataset in the spec: Altair shares it
                x=alt.X(f"{measure}:Q", title=None, axis=alt.Axis(format=fmt, tickCount=3)),
                y=alt.Y("outlet:N", sort=outlets, title=None, axis=alt.Axis(labels=k == 0)),
                color=outlet_color(outlets, legend=False),
                tooltip=[
                    "story_id:N",
                    "label:N",
                    "outlet:N",
                    alt.Tooltip(f"{measure}:Q", format=fmt),
                    *evidence,
                ],
            )
            .transform_calculate(story="datum.rank + '. ' + datum.label")
            .properties(width=110, height=alt.Step(16))
            .facet(
                row=alt.Row(
                    "story:N", title=None, sort=alt.EncodingSortField("rank", op="min"), header=header
                ),
            )
            .resolve_scale(y="independent")
            .properties(title=alt.TitleParams(DETAIL_MEASURES[measure], fontSize=11))
        )
    return alt.hconcat(*panels, spacing=8).properties(title=title)
