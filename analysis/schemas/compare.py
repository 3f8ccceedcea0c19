"""Schemas of the per-story comparison (:mod:`analysis.compare`): outlets side by side within each story.

Columns that come from an optional input of :func:`analysis.compare.story_profile` (quotes, frame
scores, claim groups, coverage gaps) are ``required=False``: they are absent, not zero, when that
input was not given, so that "no quotes found" and "quotes not analysed" never look alike.
"""

from __future__ import annotations

from typing import Annotated

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

import analysis.schemas._fields as fields
from analysis.schemas._fields import SharedField
from analysis.schemas._table import Table
from analysis.schemas.sourcing import QUOTE_IDS

_SHARE = {"ge": 0.0, "le": 1.0}
_OPTIONAL = {"required": False}

#: Bands of publication lag drawn by the lag figure, in order ("first" is a lag of 0 hours).
LAG_BANDS = ["first", "under 1 day", "1-2 days", "3-6 days", "7 days or more", "date unknown"]
#: Measures of :class:`OutletStoryStats`, in order.
OUTLET_MEASURES = ["share_covered", "share_exclusive", "share_first", "median_lag_hours"]

_DATETIME = Annotated[pd.DatetimeTZDtype, "ns", "UTC"]
_STORY = "as in analysis.topics.stories"
LAG_HOURS = SharedField(
    "lag_hours",
    float,
    "Hours from the story's first publication to {of} (0 = first; NaN when a date is unknown).",
    {"nullable": True, "ge": 0.0},
)
N_STORIES = SharedField("n_stories", int, "Stories of {of}.", {"ge": 0})
STORY_IDS = SharedField("story_ids", str, "Ids of {of}, space-separated, in story order.")
GROUP_IDS = SharedField("group_ids", str, "Claim group ids of {of}, space-separated ('' when none).")
RANK = SharedField("rank", int, "Position of the story in the overview: {of}.", {"ge": 1})
STORY_LABEL = SharedField("label", str, "Readable label of the story (analysis.topics.story_table).")


class StoryProfile(Table, grain=("story_id", "outlet")):
    """One row per story and outlet covering it (:func:`analysis.compare.story_profile`)."""

    story_id: Series[str] = fields.story_id(of=_STORY)
    outlet: Series[str] = fields.outlet()
    n_articles: Series[int] = fields.n_articles(of="the outlet in the story", ge=1)
    first_published: Series[_DATETIME] = pa.Field(
        nullable=True, description="The outlet's earliest publication on the story (UTC); NaT when unknown."
    )
    lag_hours: Series[float] = LAG_HOURS(of="the outlet's first article")
    article_ids: Series[str] = pa.Field(description="The outlet's articles in the story, space-separated.")
    n_words: Series[int] = fields.n_words(of="the outlet's articles in the story (kept text)")
    n_quotes: Series[int] = pa.Field(
        ge=0, description="Direct, partial and indirect quotes (scare quotes left out).", **_OPTIONAL
    )
    words_quoted: Series[int] = pa.Field(
        ge=0, description="Words inside quotation marks (direct and partial quotes).", **_OPTIONAL
    )
    quoted_share: Series[float] = pa.Field(
        nullable=True, **_SHARE, description="words_quoted / n_words (NaN without words).", **_OPTIONAL
    )
    top_speakers: Series[str] = pa.Field(
        description="Most quoted speakers, 'name (quotes)' joined by '; ' ('' when none).", **_OPTIONAL
    )
    quote_ids: Series[str] = QUOTE_IDS(**_OPTIONAL)
    n_frames: Series[int] = pa.Field(
        ge=0, description="Frames present in any of the outlet's articles.", **_OPTIONAL
    )
    frames: Series[str] = pa.Field(description="Those frame ids, joined by ', ' ('' when none).", **_OPTIONAL)
    frame_sentence_ids: Series[str] = fields.sentence_ids(
        of="the evidence sentences of those frames", **_OPTIONAL
    )
    n_figures: Series[int] = pa.Field(
        ge=0,
        description="The outlet's figures in claim groups another outlet of the story also reports.",
        **_OPTIONAL,
    )
    n_disputed: Series[int] = pa.Field(
        ge=0,
        description="Claim groups where a figure of the outlet conflicts with another outlet's.",
        **_OPTIONAL,
    )
    disputed_group_ids: Series[str] = GROUP_IDS(of="those groups", **_OPTIONAL)
    disputed_claim_ids: Series[str] = pa.Field(
        description="The outlet's conflicting claim ids ('<sentence_id>:n<k>'), space-separated.", **_OPTIONAL
    )
    disputed_figures: Series[str] = pa.Field(
        description="Each conflict as 'group label: own figure vs other figure (other outlet)', joined by '; '.",
        **_OPTIONAL,
    )
    n_exclusive: Series[int] = pa.Field(
        ge=0, description="Content units of the story that only this outlet reports.", **_OPTIONAL
    )
    exclusive_unit_ids: Series[str] = pa.Field(
        description="The outlet's passages in those units, space-separated ('' when none).", **_OPTIONAL
    )


class StoryOverview(Table, grain=("story_id",)):
    """One row per story, in rank order (:func:`analysis.compare.story_overview`)."""

    rank: Series[int] = RANK(of="most outlets first, then most disputed groups, then most articles")
    story_id: Series[str] = fields.story_id(of=_STORY)
    label: Series[str] = STORY_LABEL()
    first_published: Series[_DATETIME] = pa.Field(
        nullable=True, description="Earliest publication; NaT when unknown."
    )
    last_published: Series[_DATETIME] = pa.Field(
        nullable=True, description="Latest publication; NaT when unknown."
    )
    n_articles: Series[int] = fields.n_articles(of="the story", ge=1)
    n_outlets: Series[int] = fields.n_outlets(of="the story")
    outlets: Series[str] = pa.Field(
        description="Outlets covering the story (as analysis.topics.story_table joins them)."
    )
    n_words: Series[int] = fields.n_words(of="all articles of the story")
    first_outlets: Series[str] = pa.Field(
        description="Outlets with the first publication, joined by ', ' ('' when no date is known)."
    )
    max_lag_hours: Series[float] = LAG_HOURS(of="the first article of the last outlet with a known date")
    n_quotes: Series[int] = pa.Field(
        ge=0, description="Quotes of all outlets (scare quotes left out).", **_OPTIONAL
    )
    n_disputed: Series[int] = pa.Field(
        ge=0, description="Claim groups with figures of two outlets that conflict.", **_OPTIONAL
    )
    n_exclusive: Series[int] = pa.Field(
        ge=0, description="Content units that only one outlet reports.", **_OPTIONAL
    )


class StoryDetail(StoryProfile, grain=("story_id", "outlet")):
    """The profile rows of the ``top_k`` first stories of the overview (:func:`analysis.compare.story_detail`)."""

    rank: Series[int] = RANK(of="most outlets first, then most disputed groups, then most articles")
    label: Series[str] = STORY_LABEL()


class OutletStoryStats(Table, grain=("outlet", "measure")):
    """Per outlet, story-level measures with intervals from resampling stories
    (:func:`analysis.compare.outlet_story_stats`)."""

    outlet: Series[str] = fields.outlet()
    measure: Series[str] = pa.Field(
        isin=OUTLET_MEASURES,
        description="share_covered (of all stories), share_exclusive (of the stories it covered, those no other "
        "outlet covered), share_first (of its shared stories with a known date, those it published first, ties "
        "included), median_lag_hours (over its shared stories with a known date).",
    )
    n: Series[int] = fields.n(of="stories counted: those covered, exclusive, first, or with a known lag")
    n_stories: Series[int] = N_STORIES(of="the denominator (stories the share is of; for the median, n)")
    estimate: Series[float] = pa.Field(
        nullable=True, ge=0.0, description="n / n_stories, or the median lag in hours."
    )
    ci_low: Series[float] = fields.ci_low(of="the percentile interval from resampling stories", nullable=True)
    ci_high: Series[float] = fields.ci_high(
        of="the percentile interval from resampling stories", nullable=True
    )


class LagDistribution(Table, grain=("outlet", "lag_band")):
    """Per outlet, its shared stories by publication lag (:func:`analysis.compare.lag_distribution`)."""

    outlet: Series[str] = fields.outlet()
    lag_band: Series[str] = pa.Field(isin=LAG_BANDS, description="Band of lag_hours (bands in LAG_BANDS).")
    n: Series[int] = fields.n(of="the outlet's shared stories in the band")
    n_stories: Series[int] = N_STORIES(of="the outlet covered with at least one other outlet")
    share: Series[float] = pa.Field(**_SHARE, description="n / n_stories.")


class PairDisagreement(Table, grain=("outlet", "other_outlet")):
    """Per pair of outlets, how often their figures conflict within the stories both covered
    (:func:`analysis.compare.pair_disagreement`)."""

    outlet: Series[str] = fields.outlet()
    other_outlet: Series[str] = pa.Field(description="The other outlet of the pair (later in outlet order).")
    n_shared: Series[int] = N_STORIES(of="both outlets")
    n_compared: Series[int] = N_STORIES(of="both outlets with figures of both in one claim group")
    n_disagree: Series[int] = N_STORIES(
        of="both outlets where a figure of one conflicts with one of the other"
    )
    share: Series[float] = pa.Field(
        nullable=True, **_SHARE, description="n_disagree / n_shared (NaN when 0 shared)."
    )
    ci_low: Series[float] = fields.ci_low(
        of="the percentile interval of share from resampling stories", nullable=True
    )
    ci_high: Series[float] = fields.ci_high(
        of="the percentile interval of share from resampling stories", nullable=True
    )
    story_ids: Series[str] = STORY_IDS(of="the stories where they disagree")
    group_ids: Series[str] = GROUP_IDS(of="the conflicting figures")
