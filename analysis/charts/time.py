"""Figures of notebook 08: coverage over time, who published first, blindspots of outlet groups.

Builders take the validated tables of :mod:`analysis.time` and draw them as they are. Every figure is
bounded: at most ``top_k`` outlets (or groups; the most articles first), the last ``max_periods``
periods, and the ``top_k`` stories with the strongest evidence; the subtitle says what was left out.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from analysis.charts import (
    _interval_marks,
    _interval_tooltip,
    _measure_columns,
    cap_rows,
    note_chart,
    outlet_color,
    with_note,
)
from analysis.schemas.corpus import UNKNOWN_GROUP
from analysis.schemas.time import UNPLACED

__all__ = ["over_time_chart", "precedence_chart", "blindspot_chart"]

_MEASURE_TITLES = {
    "n_articles": "Articles",
    "share_of_output": "Share of its articles in the corpus",
    "share_of_volume": "Share of its total volume",
    "mean": "Mean",
}
_PRECEDENCE = {
    "share_first": "First (share of its shared stories)",
    "median_lag_hours": "Median hours after the first",
    "median_lag_wire_hours": "Median hours after the first wire",
}


def _color(by: str, groups: list[str]) -> alt.Color:
    if by == "outlet":
        return outlet_color(groups)
    return alt.Color(f"{by}:N", title=by.replace("_", " ").capitalize(), sort=groups)


def over_time_chart(
    over: pd.DataFrame,
    outlets: list[str],
    *,
    by: str = "outlet",
    title: str = "",
    top_k: int = 8,
    max_periods: int = 120,
) -> alt.Chart:
    """One line per outlet (or group) over the periods, with its interval as a band of rules.

    Input: :func:`analysis.time.over_time` (one measure is drawn: the share of output when counting,
    else the mean). Faint points rest on fewer than ``min_articles`` articles.
    """
    measure = "mean" if (over["measure"] == "mean").any() else "share_of_output"
    rows = over[(over["measure"] == measure) & (over["period"] != UNPLACED)]
    left_out = int(over.loc[(over["measure"] == measure) & (over["period"] == UNPLACED), "n_articles"].sum())
    heading = {
        "text": title or f"{_MEASURE_TITLES[measure]} per period",
        "subtitle": "Point: estimate (faint: fewer than min_articles articles); bar: interval from resampling articles",
    }
    if rows.empty:
        return note_chart("No article has a date precise enough for these periods", heading)
    rows, more = cap_rows(rows, by, top_k, rank="n_articles", noun=f"{by} groups")
    periods = list(dict.fromkeys(rows["period"]))
    if len(periods) > max_periods:
        rows = rows[rows["period"].isin(periods[-max_periods:])]
    notes = [
        more,
        f"{len(periods) - max_periods} earlier periods not shown; see the csv"
        if len(periods) > max_periods
        else "",
        f"{left_out} article{'s' if left_out != 1 else ''} not placed (date unknown or coarser than a period)"
        if left_out
        else "",
    ]
    groups = [g for g in outlets if g in set(rows[by])] or list(dict.fromkeys(rows[by]))
    base = alt.Chart(rows).encode(x=alt.X("period_start:T", title=None), color=_color(by, groups))
    tooltip = [*_interval_tooltip(f"{by}:N", "period:N"), "n_articles:Q", "n_output:Q"]
    y_title = _MEASURE_TITLES[measure]
    return alt.layer(
        base.mark_line(strokeWidth=1.5).encode(y=alt.Y("estimate:Q", title=y_title)),
        base.mark_rule(opacity=0.5).encode(y="ci_low:Q", y2="ci_high:Q"),
        base.mark_point(size=45, filled=True).encode(
            y="estimate:Q",
            opacity=alt.condition("datum.enough", alt.value(1.0), alt.value(0.3)),
            tooltip=tooltip,
        ),
    ).properties(width=520, height=220, title=with_note(heading, *notes))


def precedence_chart(stats: pd.DataFrame, outlets: list[str], *, by: str = "outlet") -> alt.Chart:
    """Per outlet (or group): share of shared stories it broke first, median lags after the first and the wire.

    Input: :func:`analysis.time.outlet_precedence`. Point = estimate, bar = interval from resampling stories.
    """
    heading = {
        "text": "Who publishes first",
        "subtitle": "Over stories shared with another outlet; same-day dates known only to the day are ties",
    }
    rows = stats.dropna(subset=["estimate"])
    if rows.empty:
        return note_chart(
            "No story is covered by two outlets with known dates: no precedence to measure", heading
        )
    groups = [g for g in outlets if g in set(rows[by])] or list(dict.fromkeys(rows[by]))
    base = alt.Chart().encode(y=alt.Y(f"{by}:N", sort=groups, title=None), color=_color(by, groups))
    tooltip = [*_interval_tooltip(f"{by}:N", "measure:N"), "n:Q", "n_stories:Q"]
    return (
        alt.layer(*_interval_marks(base, alt.X("ci_low:Q", title=None), tooltip), data=rows)
        .properties(width=180, height=alt.Step(22))
        .facet(column=_measure_columns(_PRECEDENCE))
        .resolve_scale(x="independent")
        .properties(title=heading)
    )


def blindspot_chart(blind: pd.DataFrame, *, by: str = "outlet_type", top_k: int = 10) -> alt.Chart:
    """Per story (the ``top_k`` with the smallest q) and group: its share of the story's articles against
    its base rate (tick); blindspots in red.

    Input: :func:`analysis.time.blindspots`.
    """
    heading = {
        "text": "What each group of outlets covered, story by story",
        "subtitle": "Point: the group's share of the story's articles; tick: its share of all articles",
    }
    if blind.empty:
        return note_chart("No story to compare", heading)
    groups = list(dict.fromkeys(blind[by].astype(str)))
    if groups == [UNKNOWN_GROUP]:  # the group of missing values alone: the corpus gives no groups
        return note_chart(
            f"No blindspots: this corpus gives no {by} (add an '{by}' field to each article)", heading
        )
    if len(groups) < 2:  # one group holds every article: its share is its base rate on every story
        return note_chart(
            f"Blindspots need at least two {by} groups; this corpus has one ({groups[0]})", heading
        )
    strength = blind.groupby("story_id", sort=False)["q"].transform("min")
    rows, more = cap_rows(blind.assign(_q=-strength), "story_id", top_k, rank="_q", noun="stories")
    rows = rows.drop(columns="_q")
    base = alt.Chart().encode(y=alt.Y(f"{by}:N", title=None))
    tooltip = [
        "story_id:N",
        f"{by}:N",
        "n:Q",
        "n_articles:Q",
        alt.Tooltip("share:Q", format=".0%"),
        alt.Tooltip("base_rate:Q", format=".0%"),
        alt.Tooltip("q:Q", format=".3f"),
        "outlets_absent:N",
    ]
    return (
        alt.layer(
            base.mark_tick(color="#636363", thickness=2).encode(x=alt.X("base_rate:Q")),
            base.mark_point(size=60, filled=True).encode(
                x=alt.X("share:Q", title="Share of the story's articles", axis=alt.Axis(format="%")),
                color=alt.condition("datum.blindspot", alt.value("#d62728"), alt.value("#3182bd")),
                tooltip=tooltip,
            ),
            data=rows,
        )
        .properties(width=360, height=alt.Step(16))
        .facet(row=alt.Row("story_id:N", title=None, sort=list(dict.fromkeys(rows["story_id"]))))
        .properties(title=with_note(heading, more))
    )
