"""Schemas of the topic layer: unit assignments, topic terms and labels, prevalence, contrasts, stories."""

from __future__ import annotations

import pandera.pandas as pa
from pandera.typing import Series

_UNIT = "Identifier of the unit modelled (paragraph_id, sentence_id or article_id of the input table)."
_TOPIC = "Topic number: 0 is the largest topic; -1 means no topic (a unit with no term in the vocabulary)."


class DocTopics(pa.DataFrameModel):
    """One row per modelled unit: the topic it is assigned to."""

    unit_id: Series[str] = pa.Field(unique=True, description=_UNIT)
    article_id: Series[str] = pa.Field(description="Article the unit belongs to.")
    outlet: Series[str] = pa.Field(description="Outlet label.")
    topic: Series[int] = pa.Field(ge=-1, description=_TOPIC)
    probability: Series[float] = pa.Field(
        ge=0, le=1,
        description="Membership of the unit in its topic: NMF/LDA, the topic's share of the unit's topic mixture; "
                    "BERTopic, cosine similarity of the unit's embedding to the topic centroid (clipped at 0).")


class TopicTerms(pa.DataFrameModel):
    """Top terms of each topic, one row per (topic, term)."""

    topic: Series[int] = pa.Field(ge=0, description=_TOPIC)
    term: Series[str] = pa.Field(str_length={"min_value": 1}, description="Term from the shared tokenizer.")
    weight: Series[float] = pa.Field(
        ge=0, description="BERTopic: c-TF-IDF weight; NMF: L1-normalised component loading; LDA: topic-word probability.")
    rank: Series[int] = pa.Field(ge=1, description="1 for the topic's heaviest term.")


class TopicLabels(pa.DataFrameModel):
    """One row per topic: a short label and the units that represent it."""

    topic: Series[int] = pa.Field(ge=-1, unique=True, description=_TOPIC)
    label: Series[str] = pa.Field(description="Top c-TF-IDF terms of the units assigned to the topic, joined by ' · '.")
    n: Series[int] = pa.Field(ge=0, description="Units assigned to the topic.")
    representative_ids: Series[str] = pa.Field(
        description="Up to three unit ids with the highest membership, separated by ' '.")


class Prevalence(pa.DataFrameModel):
    """Share of each outlet's units assigned to each topic, with a bootstrap interval."""

    outlet: Series[str] = pa.Field(description="Outlet label.")
    topic: Series[int] = pa.Field(ge=-1, description=_TOPIC)
    n: Series[int] = pa.Field(ge=0, description="The outlet's units assigned to the topic.")
    n_units: Series[int] = pa.Field(ge=1, description="The outlet's units in the model.")
    share: Series[float] = pa.Field(ge=0, le=1, description="n / n_units.")
    ci_low: Series[float] = pa.Field(ge=0, le=1, description="Lower bound of the percentile bootstrap interval.")
    ci_high: Series[float] = pa.Field(ge=0, le=1, description="Upper bound of the percentile bootstrap interval.")
    resampled: Series[str] = pa.Field(
        isin=["articles", "units"],
        description="What the bootstrap resampled for this outlet: whole articles (cluster bootstrap) or units.")


class Distinctive(pa.DataFrameModel):
    """Each outlet's topic share against all other outlets pooled."""

    outlet: Series[str] = pa.Field(description="Outlet label.")
    topic: Series[int] = pa.Field(ge=-1, description=_TOPIC)
    share: Series[float] = pa.Field(ge=0, le=1, description="The outlet's share of units in the topic.")
    share_rest: Series[float] = pa.Field(ge=0, le=1, description="Share among the other outlets' units, pooled.")
    diff: Series[float] = pa.Field(ge=-1, le=1, description="share - share_rest.")
    ci_low: Series[float] = pa.Field(ge=-1, le=1, description="Lower bound of the bootstrap interval of diff.")
    ci_high: Series[float] = pa.Field(ge=-1, le=1, description="Upper bound of the bootstrap interval of diff.")
    n: Series[int] = pa.Field(ge=0, description="The outlet's units in the topic.")
    n_rest: Series[int] = pa.Field(ge=0, description="The other outlets' units in the topic.")
    distinctive: Series[bool] = pa.Field(
        description="True when the interval excludes 0 and the side with the higher share has at least min_units units "
                    "in the topic (never one paragraph's evidence).")


class StabilityPairs(pa.DataFrameModel):
    """Agreement of topic assignments between two seeds."""

    seed_a: Series[int] = pa.Field(description="First random_state.")
    seed_b: Series[int] = pa.Field(description="Second random_state.")
    ari: Series[float] = pa.Field(ge=-1, le=1, description="Adjusted Rand index of the two assignments (1 = identical).")
    n_topics_a: Series[int] = pa.Field(ge=1, description="Topics found with seed_a.")
    n_topics_b: Series[int] = pa.Field(ge=1, description="Topics found with seed_b.")


class StabilityTopics(pa.DataFrameModel):
    """How well each topic of the reference seed is found again under the other seeds."""

    topic: Series[int] = pa.Field(ge=-1, unique=True, description="Topic of the reference (first) seed.")
    label: Series[str] = pa.Field(description="Its label.")
    n: Series[int] = pa.Field(ge=0, description="Units in the topic.")
    jaccard_mean: Series[float] = pa.Field(
        ge=0, le=1, description="Mean over other seeds of the best Jaccard overlap with any of their topics.")
    jaccard_min: Series[float] = pa.Field(ge=0, le=1, description="Worst of those best overlaps.")


class Stories(pa.DataFrameModel):
    """One row per article: the story (event) it was grouped into."""

    article_id: Series[str] = pa.Field(unique=True, description="Article identifier.")
    outlet: Series[str] = pa.Field(description="Outlet label.")
    story_id: Series[str] = pa.Field(description="'s<k>': k = 0 for the story with most articles.")
    n_articles: Series[int] = pa.Field(ge=1, description="Articles in the story.")
    n_outlets: Series[int] = pa.Field(ge=1, description="Distinct outlets in the story.")
