"""Schemas of the topic layer: unit assignments, topic terms and labels, prevalence, contrasts, stories."""

from __future__ import annotations

from typing import Annotated

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

import analysis.schemas._fields as fields
from analysis.schemas._fields import SharedField
from analysis.schemas._table import Table

LABEL = SharedField("label", str, "Readable label: {of}, joined by ' · '.")
_TOPIC_LABEL = "top c-TF-IDF terms of the units assigned to the topic"


class DocTopics(Table, grain=("unit_id",)):
    """One row per modelled unit: the topic it is assigned to."""

    unit_id: Series[str] = fields.unit_id()
    article_id: Series[str] = fields.article_id()
    outlet: Series[str] = fields.outlet()
    topic: Series[int] = fields.topic()
    probability: Series[float] = pa.Field(
        ge=0,
        le=1,
        description="Membership of the unit in its topic: NMF/LDA, the topic's share of the unit's topic mixture; "
        "BERTopic, cosine similarity of the unit's embedding to the topic centroid (clipped at 0).",
    )


class TopicTerms(Table, grain=("topic", "term")):
    """Top terms of each topic, one row per (topic, term)."""

    topic: Series[int] = fields.topic(ge=0)
    term: Series[str] = fields.term(str_length={"min_value": 1})
    weight: Series[float] = pa.Field(
        ge=0,
        description="BERTopic: c-TF-IDF weight; NMF: L1-normalised component loading; LDA: topic-word probability.",
    )
    rank: Series[int] = pa.Field(ge=1, description="1 for the topic's heaviest term.")


class TopicLabels(Table, grain=("topic",)):
    """One row per topic: a short label and the units that represent it."""

    topic: Series[int] = fields.topic()
    label: Series[str] = LABEL(of=_TOPIC_LABEL)
    n: Series[int] = fields.n(of="units assigned to the topic")
    representative_ids: Series[str] = pa.Field(
        description="Up to three unit ids with the highest membership, separated by ' '."
    )


class Prevalence(Table, grain=("outlet", "topic")):
    """Share of each outlet's units assigned to each topic, with a bootstrap interval."""

    outlet: Series[str] = fields.outlet()
    topic: Series[int] = fields.topic()
    n: Series[int] = fields.n(of="the outlet's units assigned to the topic")
    n_units: Series[int] = pa.Field(ge=1, description="The outlet's units in the model.")
    share: Series[float] = pa.Field(ge=0, le=1, description="n / n_units.")
    ci_low: Series[float] = fields.ci_low(of="the percentile bootstrap interval of share", ge=0, le=1)
    ci_high: Series[float] = fields.ci_high(of="the percentile bootstrap interval of share", ge=0, le=1)
    resampled: Series[str] = pa.Field(
        isin=["articles", "units"],
        description="What the bootstrap resampled for this outlet: whole articles (cluster bootstrap) or units.",
    )


class Distinctive(Table, grain=("outlet", "topic")):
    """Each outlet's topic share against all other outlets pooled."""

    outlet: Series[str] = fields.outlet()
    topic: Series[int] = fields.topic()
    share: Series[float] = pa.Field(ge=0, le=1, description="The outlet's share of units in the topic.")
    share_rest: Series[float] = pa.Field(
        ge=0, le=1, description="Share among the other outlets' units, pooled."
    )
    diff: Series[float] = pa.Field(ge=-1, le=1, description="share - share_rest.")
    ci_low: Series[float] = fields.ci_low(of="the bootstrap interval of diff", ge=-1, le=1)
    ci_high: Series[float] = fields.ci_high(of="the bootstrap interval of diff", ge=-1, le=1)
    n: Series[int] = fields.n(of="the outlet's units in the topic")
    n_rest: Series[int] = pa.Field(ge=0, description="The other outlets' units in the topic.")
    distinctive: Series[bool] = pa.Field(
        description="True when the interval excludes 0 and the side with the higher share has at least min_units units "
        "in the topic (never one paragraph's evidence)."
    )


class StabilityPairs(Table, grain=("random_state_a", "random_state_b")):
    """Agreement of topic assignments between two seeds."""

    random_state_a: Series[int] = pa.Field(description="First random_state.")
    random_state_b: Series[int] = pa.Field(description="Second random_state.")
    ari: Series[float] = pa.Field(
        ge=-1, le=1, description="Adjusted Rand index of the two assignments (1 = identical)."
    )
    n_topics_a: Series[int] = pa.Field(ge=1, description="Topics found with random_state_a.")
    n_topics_b: Series[int] = pa.Field(ge=1, description="Topics found with random_state_b.")


class StabilityTopics(Table, grain=("topic",)):
    """How well each topic of the reference (first) seed is found again under the other seeds."""

    topic: Series[int] = fields.topic()
    label: Series[str] = LABEL(of=_TOPIC_LABEL)
    n: Series[int] = fields.n(of="units in the topic")
    jaccard_mean: Series[float] = pa.Field(
        ge=0, le=1, description="Mean over other seeds of the best Jaccard overlap with any of their topics."
    )
    jaccard_min: Series[float] = pa.Field(ge=0, le=1, description="Worst of those best overlaps.")


_STORY = (
    "the manifest's event_id, or 's' + 10 hex digits of the SHA-1 of the sorted article ids of a clustered "
    "story (the same articles give the same id on every run)"
)
_PUBLISHED = "Publication time (UTC; midnight when only the day is known), NaT when unknown."
_DATETIME = Annotated[pd.DatetimeTZDtype, "ns", "UTC"]


class StoryClusters(Table, grain=("article_id",)):
    """One row per article: the story :func:`analysis.topics.cluster_stories` grouped it into."""

    article_id: Series[str] = fields.article_id()
    outlet: Series[str] = fields.outlet()
    story_id: Series[str] = fields.story_id(of="'s<k>', k = 0 for the story with most articles")
    n_articles: Series[int] = fields.n_articles(of="the story", ge=1)
    n_outlets: Series[int] = fields.n_outlets(of="the story")


class Stories(Table, grain=("article_id",)):
    """One row per article: its story (:func:`analysis.topics.stories`), the unit comparisons stay within."""

    article_id: Series[str] = fields.article_id()
    outlet: Series[str] = fields.outlet()
    story_id: Series[str] = fields.story_id(of=_STORY)
    n_articles: Series[int] = fields.n_articles(of="the story", ge=1)
    n_outlets: Series[int] = fields.n_outlets(of="the story")
    source: Series[str] = pa.Field(
        isin=["event_id", "clustered"],
        description="Where story_id comes from: the manifest's event_id, or clustering (cluster_stories).",
    )
    published: Series[_DATETIME] = pa.Field(nullable=True, description=_PUBLISHED)


class StoryTable(Table, grain=("story_id",)):
    """One row per story: what it is about, when it ran and who covered it (:func:`analysis.topics.story_table`)."""

    story_id: Series[str] = fields.story_id(of=_STORY)
    label: Series[str] = LABEL(
        of="dates, the most specific shared entities and terms, and the headline (or lead) "
        "closest to the story's centroid"
    )
    first_published: Series[_DATETIME] = pa.Field(
        nullable=True, description="Earliest publication; NaT when unknown."
    )
    last_published: Series[_DATETIME] = pa.Field(
        nullable=True, description="Latest publication; NaT when unknown."
    )
    n_articles: Series[int] = fields.n_articles(of="the story", ge=1)
    n_outlets: Series[int] = fields.n_outlets(of="the story")
    outlets: Series[str] = pa.Field(description="Outlets covering the story, sorted, joined by ';'.")


class StoryOutlets(Table, grain=("story_id", "outlet")):
    """One row per (story, outlet covering it) (:func:`analysis.topics.story_outlets`)."""

    story_id: Series[str] = fields.story_id(of=_STORY)
    outlet: Series[str] = fields.outlet()
    n_articles: Series[int] = fields.n_articles(of="the outlet in the story", ge=1)
    first_published: Series[_DATETIME] = pa.Field(
        nullable=True, description="The outlet's earliest publication on the story; NaT when unknown."
    )
    lag_hours: Series[float] = pa.Field(
        nullable=True,
        ge=0,
        description="Hours from the story's first publication to the outlet's; NaN when either is unknown.",
    )
