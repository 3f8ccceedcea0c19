"""Schemas of the framing capability: codebook frames, actors and agency, naming choices, tone."""

from __future__ import annotations

import pandera.pandas as pa
from pandera.typing import Series

_SHARE = {"ge": 0.0, "le": 1.0}


class FrameEvidence(pa.DataFrameModel):
    """One row per sentence, indicator and method that fired."""

    article_id: Series[str] = pa.Field(description="Article.")
    outlet: Series[str] = pa.Field(description="Outlet label.")
    codebook: Series[str] = pa.Field(description="Codebook name.")
    frame: Series[str] = pa.Field(description="Frame id in the codebook.")
    indicator: Series[str] = pa.Field(description="Indicator (question) id.")
    sentence_id: Series[str] = pa.Field(description="Sentence that fired.")
    start: Series[int] = pa.Field(ge=0, description="Offset of the matched words in the article text.")
    end: Series[int] = pa.Field(ge=0, description="End offset (exclusive) of the matched words.")
    matched: Series[str] = pa.Field(description="The matched words, or the nearest prototype for embedding hits.")
    method: Series[str] = pa.Field(isin=["lexicon", "embedding"], description="Detector that fired.")
    similarity: Series[float] = pa.Field(nullable=True, description="Cosine similarity to the prototype (NaN for lexicon hits).")
    sentence_start: Series[int] = pa.Field(ge=0, description="Sentence start offset in the article text.")
    sentence_end: Series[int] = pa.Field(ge=0, description="Sentence end offset (exclusive).")
    text: Series[str] = pa.Field(description="The sentence.")


class FrameIndicators(pa.DataFrameModel):
    """One row per article and indicator question."""

    article_id: Series[str] = pa.Field(description="Article.")
    outlet: Series[str] = pa.Field(description="Outlet label.")
    codebook: Series[str] = pa.Field(description="Codebook name.")
    frame: Series[str] = pa.Field(description="Frame id.")
    indicator: Series[str] = pa.Field(description="Indicator id.")
    question: Series[str] = pa.Field(description="The codebook question.")
    n_sentences: Series[int] = pa.Field(ge=0, description="Distinct sentences that fired the indicator.")
    min_sentences: Series[int] = pa.Field(ge=1, description="Sentences needed for a yes.")
    value: Series[bool] = pa.Field(description="The answer: True (yes) when n_sentences >= min_sentences.")
    sentence_ids: Series[str] = pa.Field(description="Evidence sentence ids, space-separated.")


class FrameScores(pa.DataFrameModel):
    """One row per article and frame."""

    article_id: Series[str] = pa.Field(description="Article.")
    outlet: Series[str] = pa.Field(description="Outlet label.")
    codebook: Series[str] = pa.Field(description="Codebook name.")
    frame: Series[str] = pa.Field(description="Frame id.")
    label: Series[str] = pa.Field(description="Frame label.")
    n_items: Series[int] = pa.Field(ge=1, description="Indicator questions of the frame.")
    n_yes: Series[int] = pa.Field(ge=0, description="Questions answered yes.")
    score: Series[float] = pa.Field(**_SHARE, description="n_yes / n_items (mean of the yes/no items).")
    present: Series[bool] = pa.Field(description="score >= threshold.")
    threshold: Series[float] = pa.Field(**_SHARE, description="Score from which the frame counts as present.")
    indicators_yes: Series[str] = pa.Field(description="Ids of the items answered yes, space-separated.")
    n_evidence: Series[int] = pa.Field(ge=0, description="Distinct evidence sentences of the yes items.")
    sentence_ids: Series[str] = pa.Field(description="Those sentence ids, space-separated, in corpus order.")


class FrameProfile(pa.DataFrameModel):
    """One row per outlet and frame."""

    outlet: Series[str] = pa.Field(description="Outlet label.")
    frame: Series[str] = pa.Field(description="Frame id.")
    label: Series[str] = pa.Field(description="Frame label.")
    n_articles: Series[int] = pa.Field(ge=1, description="Articles of the outlet.")
    score: Series[float] = pa.Field(**_SHARE, description="Mean frame score over the outlet's articles.")
    share_present: Series[float] = pa.Field(**_SHARE, description="Share of the outlet's articles with the frame present.")
    n_evidence: Series[int] = pa.Field(ge=0, description="Evidence sentences summed over the outlet's articles.")


class ActorMentions(pa.DataFrameModel):
    """One row per mention of an actor (alias table match)."""

    article_id: Series[str] = pa.Field(description="Article.")
    outlet: Series[str] = pa.Field(description="Outlet label.")
    sentence_id: Series[str] = pa.Field(description="Sentence of the mention.")
    actor: Series[str] = pa.Field(description="Actor the alias maps to.")
    alias: Series[str] = pa.Field(description="Alias (table entry) that matched.")
    start: Series[int] = pa.Field(ge=0, description="Offset of the mention in the article text.")
    end: Series[int] = pa.Field(ge=1, description="End offset (exclusive).")
    matched: Series[str] = pa.Field(description="The mention as written.")
    role: Series[str] = pa.Field(isin=["agent", "patient", "possessor", "other"], description="Grammatical role: agent (subject of an active verb, 'by' agent of a passive), patient (object, passive subject), possessor, other.")
    verb: Series[str] = pa.Field(description="Lemma of the governing verb (or noun for possessors); '' when none.")
    blame: Series[bool] = pa.Field(description="Actor is the agent (or possessor) of a blame/failure verb or noun.")
    method: Series[str] = pa.Field(isin=["parser", "heuristic"], description="spaCy dependency parse or the documented pattern heuristic.")


class ActorProfile(pa.DataFrameModel):
    """One row per outlet and actor."""

    outlet: Series[str] = pa.Field(description="Outlet label.")
    actor: Series[str] = pa.Field(description="Actor.")
    n: Series[int] = pa.Field(ge=0, description="Mentions.")
    n_words: Series[int] = pa.Field(ge=0, description="Words of the outlet's kept text.")
    per_1000_words: Series[float] = pa.Field(ge=0, description="Mentions per 1,000 words.")
    n_sentences: Series[int] = pa.Field(ge=0, description="Sentences mentioning the actor.")
    n_agent: Series[int] = pa.Field(ge=0, description="Of those, sentences where the actor is an agent.")
    n_patient: Series[int] = pa.Field(ge=0, description="Sentences where the actor is a patient.")
    n_blame: Series[int] = pa.Field(ge=0, description="Sentences where the actor is the agent of a blame/failure verb or noun.")
    agent_share: Series[float] = pa.Field(nullable=True, **_SHARE, description="n_agent / n_sentences (NaN without mentions).")
    patient_share: Series[float] = pa.Field(nullable=True, **_SHARE, description="n_patient / n_sentences.")
    blame_share: Series[float] = pa.Field(nullable=True, **_SHARE, description="n_blame / n_sentences.")


class NamingMentions(pa.DataFrameModel):
    """One row per occurrence of a contested-term variant."""

    article_id: Series[str] = pa.Field(description="Article.")
    outlet: Series[str] = pa.Field(description="Outlet label.")
    sentence_id: Series[str] = pa.Field(description="Sentence of the occurrence.")
    group: Series[str] = pa.Field(description="Contested-term group (the thing being named).")
    variant: Series[str] = pa.Field(description="The naming variant.")
    start: Series[int] = pa.Field(ge=0, description="Offset in the article text.")
    end: Series[int] = pa.Field(ge=1, description="End offset (exclusive).")
    matched: Series[str] = pa.Field(description="The words as written.")
    voice: Series[str] = pa.Field(isin=["asserted", "attributed", "scare_quoted"], description="Outlet's own voice, attributed to a speaker, or distanced (scare quotes, 'so-called').")
    cue: Series[str] = pa.Field(description="What decided the voice ('' for asserted).")


class NamingChoices(pa.DataFrameModel):
    """One row per article, variant and voice."""

    article_id: Series[str] = pa.Field(description="Article.")
    outlet: Series[str] = pa.Field(description="Outlet label.")
    group: Series[str] = pa.Field(description="Contested-term group.")
    variant: Series[str] = pa.Field(description="Naming variant.")
    n: Series[int] = pa.Field(ge=1, description="Occurrences.")
    voice: Series[str] = pa.Field(isin=["asserted", "attributed", "scare_quoted"], description="Voice of those occurrences.")
    sentence_ids: Series[str] = pa.Field(description="Sentences, space-separated.")


class Tone(pa.DataFrameModel):
    """One row per sentence: VADER polarity scores."""

    sentence_id: Series[str] = pa.Field(unique=True, description="Sentence.")
    article_id: Series[str] = pa.Field(description="Article.")
    outlet: Series[str] = pa.Field(description="Outlet label.")
    compound: Series[float] = pa.Field(ge=-1, le=1, description="VADER compound score x / sqrt(x^2 + 15).")
    pos: Series[float] = pa.Field(**_SHARE, description="VADER positive proportion.")
    neu: Series[float] = pa.Field(**_SHARE, description="VADER neutral proportion.")
    neg: Series[float] = pa.Field(**_SHARE, description="VADER negative proportion.")


class ToneSummary(pa.DataFrameModel):
    """One row per outlet (and actor, for actor-targeted tone)."""

    outlet: Series[str] = pa.Field(description="Outlet label.")
    actor: Series[str] = pa.Field(description="Actor whose sentences are summarised ('(all)' for all sentences).")
    n: Series[int] = pa.Field(ge=1, description="Sentences.")
    mean: Series[float] = pa.Field(ge=-1, le=1, description="Mean compound score.")
    se: Series[float] = pa.Field(nullable=True, ge=0, description="Standard error of the mean (NaN for one sentence).")
    ci_low: Series[float] = pa.Field(nullable=True, description="mean - 1.96 se.")
    ci_high: Series[float] = pa.Field(nullable=True, description="mean + 1.96 se.")
    share_negative: Series[float] = pa.Field(**_SHARE, description="Share of sentences with compound <= -0.05.")
    share_positive: Series[float] = pa.Field(**_SHARE, description="Share of sentences with compound >= 0.05.")
