"""Schemas of time and outlet groups (:mod:`analysis.time`): dates as windows, coverage over time,
precedence, rewrites with their delay, outlet groups and blindspots (docs/time.md)."""

from __future__ import annotations

from typing import Annotated

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

import analysis.schemas._fields as fields
from analysis.schemas._table import Table
from analysis.schemas.compare import LAG_HOURS, N_STORIES
from analysis.schemas.terms import OTHER

#: Precisions of a publication date, finest first; 'crawl': published on or before the crawl time (ingest).
PRECISIONS = ("second", "minute", "day", "week", "month", "year", "crawl", "unknown")
#: Measures of :class:`OverTime`.
TIME_MEASURES = ["n_articles", "share_of_output", "share_of_volume", "mean"]
#: Measures of :class:`OutletPrecedence`, in order.
PRECEDENCE_MEASURES = ["share_first", "median_lag_hours", "median_lag_wire_hours"]
#: ``period`` of the row counting articles whose window is unknown or spans two periods.
UNPLACED = "not placed"

_DATETIME = Annotated[pd.DatetimeTZDtype, "ns", "UTC"]
_STORY = "as in analysis.topics.stories"
_SHARE = {"ge": 0.0, "le": 1.0, "nullable": True}


def _utc(what: str) -> pa.Field:
    return pa.Field(nullable=True, description=f"{what} (UTC); NaT when unknown.")


class ArticleDates(Table, grain=("article_id",)):
    """One row per article: its publication as a UTC window (:func:`analysis.time.article_dates`)."""

    article_id: Series[str] = fields.article_id()
    outlet: Series[str] = fields.outlet()
    outlet_type: Series[str] = fields.outlet_type()
    country: Series[str] = pa.Field(description="Country of the outlet ('' when not given).")
    language: Series[str] = pa.Field(description="Language of the article ('' when not given).")
    published: Series[_DATETIME] = _utc("Publication instant as written, converted to UTC")
    utc_offset: Series[str] = pa.Field(
        description="UTC offset written with the date, '+HH:MM' ('' when none)."
    )
    precision: Series[str] = pa.Field(isin=list(PRECISIONS), description="How precise the date is.")
    window_start: Series[_DATETIME] = _utc("Earliest moment the article can have appeared")
    window_end: Series[_DATETIME] = _utc("End (excluded) of the window the article appeared in")


class OverTime(Table, grain=("outlet", "period", "measure")):
    """One row per group, period and measure (:func:`analysis.time.over_time`)."""

    outlet: Series[str] = fields.outlet()
    period: Series[str] = pa.Field(
        description=f"Calendar period (day, ISO week 'start/end', or month); '{UNPLACED}' for articles "
        "whose date is unknown or coarser than the period."
    )
    period_start: Series[_DATETIME] = _utc("First moment of the period")
    measure: Series[str] = pa.Field(isin=TIME_MEASURES, description="What estimate measures.")
    estimate: Series[float] = pa.Field(nullable=True, description="The measure; NaN when undefined.")
    ci_low: Series[float] = fields.ci_low(
        of="the interval from resampling the group's articles", nullable=True
    )
    ci_high: Series[float] = fields.ci_high(
        of="the interval from resampling the group's articles", nullable=True
    )
    n_articles: Series[int] = fields.n_articles(of="the table's rows in the period")
    n_units: Series[int] = pa.Field(ge=0, description="Rows of the table in the period.")
    n_output: Series[int] = pa.Field(ge=0, description="The group's articles in the corpus in the period.")
    enough: Series[bool] = pa.Field(
        description="At least min_articles articles behind the estimate (n_output for counts, n_articles for means)."
    )


class PeriodKeyness(Table, grain=("outlet", "period", "other", "term")):
    """Term contrasts of each period against the group's previous one (:func:`analysis.time.keyness_by_period`).

    Besides these columns, those of :func:`analysis.terms.contrast` for the methods asked.
    """

    outlet: Series[str] = fields.outlet()
    period: Series[str] = pa.Field(
        description="The later period (B), compared with 'other', the earlier (A)."
    )
    other: Series[str] = OTHER()  # here the group's previous period with text (A)
    term: Series[str] = fields.term()
    n: Series[int] = fields.n(of="the term in the group's text of the later period")
    n_other: Series[int] = fields.n(of="the term in the group's text of the earlier period")


class Precedence(Table, grain=("story_id", "outlet")):
    """One row per story and outlet covering it, with what is known of its order (:func:`analysis.time.precedence`)."""

    story_id: Series[str] = fields.story_id(of=_STORY)
    outlet: Series[str] = fields.outlet()
    n_articles: Series[int] = fields.n_articles(of="the outlet in the story", ge=1)
    first_article_id: Series[str] = pa.Field(description="The outlet's earliest article in the story.")
    first_published: Series[_DATETIME] = _utc("Publication of that article")
    utc_offset: Series[str] = pa.Field(description="Its UTC offset as written ('' when none).")
    precision: Series[str] = pa.Field(isin=list(PRECISIONS), description="Precision of that date.")
    first: Series[bool] = pa.Field(
        description="No outlet of the story certainly published before it (ties and overlapping windows count)."
    )
    ordered: Series[bool] = pa.Field(
        description="It certainly published after the story's first outlet (windows do not overlap)."
    )
    lag_hours: Series[float] = LAG_HOURS(of="the outlet's first article, 0 when not ordered")
    lag_wire_hours: Series[float] = pa.Field(
        nullable=True,
        description="Hours from the story's first wire-type publication (negative: before it; 0 when the "
        "windows overlap; NaN without a wire outlet or a date).",
    )


class OutletPrecedence(Table, grain=("outlet", "measure")):
    """Per outlet: share of shared stories broken first, median lags, with intervals from resampling stories."""

    outlet: Series[str] = fields.outlet()
    measure: Series[str] = pa.Field(isin=PRECEDENCE_MEASURES, description="What estimate measures.")
    n: Series[int] = fields.n(of="stories behind the estimate (first, or with a known lag)")
    n_stories: Series[int] = N_STORIES(of="the outlet counted in the denominator")
    estimate: Series[float] = pa.Field(nullable=True, description="Share (0-1) or hours.")
    ci_low: Series[float] = fields.ci_low(of="the interval from resampling stories", nullable=True)
    ci_high: Series[float] = fields.ci_high(of="the interval from resampling stories", nullable=True)


class Rewrites(Table, grain=("article_id", "other_article_id")):
    """Articles that copy or rewrite another, earlier first, with the delay (:func:`analysis.time.rewrites`)."""

    story_id: Series[str] = fields.story_id(of=_STORY)
    article_id: Series[str] = fields.article_id()
    outlet: Series[str] = fields.outlet()
    other_article_id: Series[str] = pa.Field(description="The later article (the rewrite, when ordered).")
    other_outlet: Series[str] = pa.Field(description="Outlet of the later article.")
    relation: Series[str] = pa.Field(
        isin=["near_duplicate", "shared_copy", "rewrite"], description="Provenance verdict of the pair."
    )
    ordered: Series[bool] = pa.Field(description="The dates put one article before the other.")
    delta_hours: Series[float] = pa.Field(
        nullable=True, ge=0.0, description="Hours between the two publications; NaN when not ordered."
    )
    evidence: Series[str] = pa.Field(description="Best-matching sentence pair as 'id | id', '' when none.")


class Blindspots(Table, grain=("story_id", "outlet")):
    """One row per story and group: its share of the story's articles against its base rate."""

    story_id: Series[str] = fields.story_id(of=_STORY)
    outlet: Series[str] = fields.outlet()
    n: Series[int] = fields.n(of="the group's articles in the story")
    n_articles: Series[int] = fields.n_articles(of="the story", ge=1)
    share: Series[float] = pa.Field(**_SHARE, description="n / n_articles.")
    base_rate: Series[float] = pa.Field(**_SHARE, description="The group's share of all articles.")
    expected: Series[float] = pa.Field(ge=0.0, description="n_articles x base_rate.")
    p: Series[float] = pa.Field(
        ge=0.0, le=1.0, description="One-sided binomial P(X <= n) with X ~ Bin(n_articles, base_rate)."
    )
    q: Series[float] = pa.Field(
        ge=0.0, le=1.0, description="Benjamini-Hochberg adjusted p over the group's stories."
    )
    blindspot: Series[bool] = pa.Field(
        description="q < q_max: the group covered the story far less than its base rate."
    )
    article_ids: Series[str] = pa.Field(description="The group's articles in the story, space-separated.")
    outlets_covering: Series[str] = pa.Field(
        description="The group's outlets with an article in the story, '; '-joined."
    )
    outlets_absent: Series[str] = pa.Field(description="The group's other outlets, '; '-joined.")
