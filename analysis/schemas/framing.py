"""Schemas of the framing capability: codebook frames, actors and agency, naming choices, tone."""

from __future__ import annotations

import pandera.pandas as pa
from pandera.typing import Series

import analysis.schemas._fields as fields
from analysis.schemas._fields import WHOLE_CORPUS, SharedField
from analysis.schemas._table import Table

_SHARE = {"ge": 0.0, "le": 1.0}
_VOICES = ["asserted", "attributed", "scare_quoted"]

CODEBOOK = SharedField("codebook", str, "Codebook name.")
INDICATOR = SharedField("indicator", str, "Indicator (question) id within its frame.")
LABEL = SharedField("label", str, "Frame label.")
GROUP = SharedField("group", str, "Contested-term group (the thing being named).")
VARIANT = SharedField("variant", str, "The naming variant.")
VOICE = SharedField(
    "voice",
    str,
    "Outlet's own voice (asserted), attributed to a speaker, or distanced (scare quotes, 'so-called').",
    {"isin": _VOICES},
)
# Evidence names its story; aggregates (profiles, naming choices, tone) pool stories (docs/stories.md)
_STORY = (
    f"the story of the row's article (analysis.topics.stories); '{WHOLE_CORPUS}' when no stories were "
    "given (the whole corpus as one story)"
)


class FrameEvidence(Table, grain=("sentence_id", "frame", "indicator", "method")):
    """One row per sentence, indicator and method that fired (the first match of the indicator in the sentence)."""

    article_id: Series[str] = fields.article_id()
    outlet: Series[str] = fields.outlet()
    story_id: Series[str] = fields.story_id(of=_STORY)
    codebook: Series[str] = CODEBOOK()
    frame: Series[str] = fields.frame()
    indicator: Series[str] = INDICATOR()
    sentence_id: Series[str] = fields.sentence_id()
    start: Series[int] = fields.start(of="the matched words (the sentence, for embedding hits)")
    end: Series[int] = fields.end(of="the matched words (the sentence, for embedding hits)", ge=0)
    matched: Series[str] = pa.Field(
        description="The matched words, or the nearest prototype for embedding hits."
    )
    method: Series[str] = pa.Field(isin=["lexicon", "embedding"], description="Detector that fired.")
    similarity: Series[float] = pa.Field(
        nullable=True, description="Cosine similarity to the prototype (NaN for lexicon hits)."
    )
    sentence_start: Series[int] = pa.Field(ge=0, description="Sentence start offset in the article text.")
    sentence_end: Series[int] = pa.Field(ge=0, description="Sentence end offset (exclusive).")
    text: Series[str] = pa.Field(description="The sentence.")


class FrameIndicators(Table, grain=("article_id", "frame", "indicator")):  # one codebook per table
    """One row per article and indicator question."""

    article_id: Series[str] = fields.article_id()
    outlet: Series[str] = fields.outlet()
    codebook: Series[str] = CODEBOOK()
    frame: Series[str] = fields.frame()
    indicator: Series[str] = INDICATOR()
    question: Series[str] = pa.Field(description="The codebook question.")
    n_sentences: Series[int] = pa.Field(ge=0, description="Distinct sentences that fired the indicator.")
    min_sentences: Series[int] = pa.Field(ge=1, description="Sentences needed for a yes.")
    value: Series[bool] = pa.Field(description="The answer: True (yes) when n_sentences >= min_sentences.")
    sentence_ids: Series[str] = fields.sentence_ids(of="the evidence sentences")


class FrameScores(Table, grain=("article_id", "frame")):  # one codebook per table
    """One row per article and frame."""

    article_id: Series[str] = fields.article_id()
    outlet: Series[str] = fields.outlet()
    codebook: Series[str] = CODEBOOK()
    frame: Series[str] = fields.frame()
    label: Series[str] = LABEL()
    n_items: Series[int] = pa.Field(ge=1, description="Indicator questions of the frame.")
    n_yes: Series[int] = pa.Field(ge=0, description="Questions answered yes.")
    score: Series[float] = pa.Field(**_SHARE, description="n_yes / n_items (mean of the yes/no items).")
    present: Series[bool] = pa.Field(description="score >= threshold.")
    threshold: Series[float] = pa.Field(**_SHARE, description="Score from which the frame counts as present.")
    indicators_yes: Series[str] = pa.Field(description="Ids of the items answered yes, space-separated.")
    n_evidence: Series[int] = pa.Field(ge=0, description="Distinct evidence sentences of the yes items.")
    sentence_ids: Series[str] = fields.sentence_ids(of="those evidence sentences")


class FrameProfile(Table, grain=("outlet", "frame")):
    """One row per outlet and frame."""

    outlet: Series[str] = fields.outlet()
    frame: Series[str] = fields.frame()
    label: Series[str] = LABEL()
    n_articles: Series[int] = fields.n_articles(of="the outlet", ge=1)
    score: Series[float] = pa.Field(**_SHARE, description="Mean frame score over the outlet's articles.")
    share_present: Series[float] = pa.Field(
        **_SHARE, description="Share of the outlet's articles with the frame present."
    )
    n_evidence: Series[int] = pa.Field(
        ge=0, description="Evidence sentences summed over the outlet's articles."
    )


class ActorMentions(Table, grain=("article_id", "start")):  # overlapping alias matches keep the longest
    """One row per mention of an actor (alias table match)."""

    article_id: Series[str] = fields.article_id()
    outlet: Series[str] = fields.outlet()
    story_id: Series[str] = fields.story_id(of=_STORY)
    sentence_id: Series[str] = fields.sentence_id()
    actor: Series[str] = fields.actor()
    alias: Series[str] = pa.Field(description="Alias (table entry) that matched.")
    start: Series[int] = fields.start(of="the mention")
    end: Series[int] = fields.end(of="the mention")
    matched: Series[str] = pa.Field(description="The mention as written.")
    role: Series[str] = pa.Field(
        isin=["agent", "patient", "possessor", "other"],
        description="Grammatical role: agent (subject of an active verb, 'by' agent of a passive), patient (object, passive subject), possessor, other.",
    )
    verb: Series[str] = pa.Field(
        description="Lemma of the governing verb (or noun for possessors); '' when none."
    )
    blame: Series[bool] = pa.Field(
        description="Actor is the agent (or possessor) of a blame/failure verb or noun."
    )
    method: Series[str] = pa.Field(
        isin=["parser", "heuristic"],
        description="spaCy dependency parse or the documented pattern heuristic.",
    )


class ActorProfile(Table, grain=("outlet", "actor")):
    """One row per outlet and actor."""

    outlet: Series[str] = fields.outlet()
    actor: Series[str] = fields.actor()
    n: Series[int] = fields.n(of="mentions of the actor")
    n_words: Series[int] = fields.n_words(of="the outlet's kept text")
    per_1000_words: Series[float] = pa.Field(ge=0, description="Mentions per 1,000 words.")
    n_sentences: Series[int] = pa.Field(ge=0, description="Sentences mentioning the actor.")
    n_agent: Series[int] = pa.Field(ge=0, description="Of those, sentences where the actor is an agent.")
    n_patient: Series[int] = pa.Field(ge=0, description="Sentences where the actor is a patient.")
    n_blame: Series[int] = pa.Field(
        ge=0, description="Sentences where the actor is the agent of a blame/failure verb or noun."
    )
    agent_share: Series[float] = pa.Field(
        nullable=True, **_SHARE, description="n_agent / n_sentences (NaN without mentions)."
    )
    patient_share: Series[float] = pa.Field(nullable=True, **_SHARE, description="n_patient / n_sentences.")
    blame_share: Series[float] = pa.Field(nullable=True, **_SHARE, description="n_blame / n_sentences.")


class NamingMentions(
    Table, grain=("article_id", "group", "start")
):  # within a group, overlaps keep the longest
    """One row per occurrence of a contested-term variant."""

    article_id: Series[str] = fields.article_id()
    outlet: Series[str] = fields.outlet()
    story_id: Series[str] = fields.story_id(of=_STORY)
    sentence_id: Series[str] = fields.sentence_id()
    group: Series[str] = GROUP()
    variant: Series[str] = VARIANT()
    start: Series[int] = fields.start(of="the occurrence")
    end: Series[int] = fields.end(of="the occurrence")
    matched: Series[str] = pa.Field(description="The words as written.")
    voice: Series[str] = VOICE()
    cue: Series[str] = pa.Field(description="What decided the voice ('' for asserted).")


class NamingVariants(Table, grain=("group", "variant")):
    """One row per naming group and variant: discovered from the corpus or given by a user's table."""

    group: Series[str] = GROUP()
    variant: Series[str] = VARIANT()
    pattern: Series[str] = pa.Field(description="Case-insensitive regex that finds the variant.")
    note: Series[str] = pa.Field(description="The table's note, or 'discovered'.")
    method: Series[str] = pa.Field(
        isin=["table", "apposition", "abbreviation", "known_as", "naming", "context", "embedding", ""],
        description="How the variant joined its group (user table, a link in one sentence, shared contexts, "
        "embeddings); '' for the variant the others joined by similarity.",
    )
    score: Series[float] = pa.Field(
        ge=0, le=1, description="Cosine similarity behind the join (1 for links and tables)."
    )
    confidence: Series[float] = pa.Field(
        **_SHARE, description="Heuristic confidence of the group (docs/framing.md), not a probability."
    )
    n: Series[int] = fields.n(of="occurrences of the variant in the corpus's kept sentences")
    n_articles: Series[int] = fields.n_articles(of="the articles using the variant")
    n_outlets: Series[int] = fields.n_outlets(of="the outlets using the variant", ge=0)
    # the outlet where the variant's share of the group is highest ('' when unused)
    outlet: Series[str] = fields.outlet()
    share: Series[float] = pa.Field(
        nullable=True, **_SHARE, description="That outlet's uses of the variant / its uses of the group."
    )
    ci_low: Series[float] = fields.ci_low(of="the Wilson interval of share", nullable=True)
    ci_high: Series[float] = fields.ci_high(of="the Wilson interval of share", nullable=True)
    p: Series[float] = pa.Field(
        nullable=True,
        **_SHARE,
        description="G-test p-value of independence of outlet and variant within the group (NaN with one "
        "variant or one outlet used); occurrences in one article are not independent.",
    )
    article_id: Series[str] = fields.article_id()
    sentence_id: Series[str] = fields.sentence_id()  # of the evidence ('' when the variant is unused)
    start: Series[int] = fields.start(of="the evidence (link sentence span, else first occurrence)")
    end: Series[int] = fields.end(of="the evidence (0 when the variant is unused)", ge=0)
    evidence: Series[str] = pa.Field(
        description="The linking words, the shared context words, 'embedding' or 'user table'."
    )


class NamingChoices(Table, grain=("article_id", "group", "variant", "voice")):
    """One row per article, variant and voice."""

    article_id: Series[str] = fields.article_id()
    outlet: Series[str] = fields.outlet()
    group: Series[str] = GROUP()
    variant: Series[str] = VARIANT()
    n: Series[int] = fields.n(of="occurrences of the variant in this voice", ge=1)
    voice: Series[str] = VOICE()
    sentence_ids: Series[str] = fields.sentence_ids(of="the sentences of those occurrences")


class Tone(Table, grain=("sentence_id",)):
    """One row per sentence: VADER polarity scores."""

    sentence_id: Series[str] = fields.sentence_id()
    article_id: Series[str] = fields.article_id()
    outlet: Series[str] = fields.outlet()
    compound: Series[float] = pa.Field(ge=-1, le=1, description="VADER compound score x / sqrt(x^2 + 15).")
    pos: Series[float] = pa.Field(**_SHARE, description="VADER positive proportion.")
    neu: Series[float] = pa.Field(**_SHARE, description="VADER neutral proportion.")
    neg: Series[float] = pa.Field(**_SHARE, description="VADER negative proportion.")


class ToneSummary(Table, grain=("outlet", "actor")):
    """One row per outlet (and actor, for actor-targeted tone; actor '(all)' summarises all sentences)."""

    outlet: Series[str] = fields.outlet()
    actor: Series[str] = fields.actor()
    n: Series[int] = fields.n(of="sentences summarised", ge=1)
    mean: Series[float] = pa.Field(ge=-1, le=1, description="Mean compound score.")
    se: Series[float] = fields.se(of="the mean (NaN for one sentence)", nullable=True, ge=0)
    ci_low: Series[float] = fields.ci_low(of="the normal interval of the mean, mean - 1.96 se", nullable=True)
    ci_high: Series[float] = fields.ci_high(
        of="the normal interval of the mean, mean + 1.96 se", nullable=True
    )
    share_negative: Series[float] = pa.Field(
        **_SHARE, description="Share of sentences with compound <= -0.05."
    )
    share_positive: Series[float] = pa.Field(
        **_SHARE, description="Share of sentences with compound >= 0.05."
    )
