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


# --------------------------------------------------------------------------
# Validated coding: coding sheets, human codes, agreement, corrected prevalence
# --------------------------------------------------------------------------

_UNITS = ["articles", "sentences"]
UNIT = SharedField("unit", str, "Unit coded: 'articles' or 'sentences'.", {"isin": _UNITS})
CODER = SharedField("coder", str, "Human coder's label as written in the coding sheet.")


class SentenceFrames(Table, grain=("sentence_id", "frame")):  # one codebook per table
    """One row per sentence and frame: the model's answer for a sentence."""

    sentence_id: Series[str] = fields.sentence_id()
    article_id: Series[str] = fields.article_id()
    outlet: Series[str] = fields.outlet()
    codebook: Series[str] = CODEBOOK()
    frame: Series[str] = fields.frame()
    n_yes: Series[int] = pa.Field(ge=0, description="Questions of the frame the sentence answers yes.")
    present: Series[bool] = pa.Field(description="n_yes >= 1: the sentence answers a question of the frame.")
    indicators_yes: Series[str] = pa.Field(description="Ids of the items answered yes, space-separated.")


class CodingSheet(Table, grain=("unit_id",)):
    """One row per sampled unit; the codebook's questions are further (blank) columns for the coders."""

    unit_id: Series[str] = fields.unit_id()
    unit: Series[str] = UNIT()
    article_id: Series[str] = fields.article_id()
    outlet: Series[str] = fields.outlet()
    coder: Series[str] = CODER()
    text: Series[str] = pa.Field(description="The article's or sentence's text, to be read by the coder.")
    model_frames: Series[str] = pa.Field(
        description="Frames the model found present, with their scores ('' when none)."
    )
    model_evidence: Series[str] = pa.Field(
        description="Questions the model answered yes, with the matched words and sentence ids."
    )


class FrameCoding(Table, grain=("unit_id", "coder", "frame")):  # one codebook per table
    """One row per coded unit, coder and frame (read back from a filled coding sheet)."""

    unit_id: Series[str] = fields.unit_id()
    unit: Series[str] = UNIT()
    article_id: Series[str] = fields.article_id()
    outlet: Series[str] = fields.outlet()
    coder: Series[str] = CODER()
    codebook: Series[str] = CODEBOOK()
    frame: Series[str] = fields.frame()
    n_items: Series[int] = pa.Field(
        ge=1, description="Questions coded for the frame (1 when the frame itself was coded)."
    )
    n_yes: Series[int] = pa.Field(ge=0, description="Questions answered yes.")
    present: Series[bool] = pa.Field(
        description="n_yes / n_items >= the frame's threshold (the answer itself when the frame was coded)."
    )


class FrameAgreement(Table, grain=("frame", "comparison", "stat")):
    """One row per frame, comparison and statistic, with a bootstrap interval over units."""

    frame: Series[str] = fields.frame()
    comparison: Series[str] = pa.Field(
        isin=["model_vs_coders", "between_coders"],
        description="The model against each human coder (pairs pooled), or the human coders among themselves.",
    )
    stat: Series[str] = pa.Field(
        isin=["precision", "recall", "f1", "alpha"],
        description="Precision, recall and F1 of the model (humans as reference), or Krippendorff's nominal alpha.",
    )
    score: Series[float] = pa.Field(nullable=True, description="The statistic (NaN when undefined).")
    ci_low: Series[float] = fields.ci_low(
        of="the percentile bootstrap interval (units resampled)", nullable=True
    )
    ci_high: Series[float] = fields.ci_high(of="the percentile bootstrap interval", nullable=True)
    n_units: Series[int] = pa.Field(ge=0, description="Units with at least two values compared.")
    n_coders: Series[int] = pa.Field(ge=0, description="Human coders involved.")
    n_boot: Series[int] = pa.Field(ge=0, description="Bootstrap replicates with a defined statistic.")


class FramePrevalence(Table, grain=("outlet", "frame", "method")):
    """One row per group, frame and estimator of the share of units with the frame present."""

    outlet: Series[str] = fields.outlet()
    frame: Series[str] = fields.frame()
    method: Series[str] = pa.Field(
        isin=["naive", "coded", "prediction_powered"],
        description=(
            "naive: share of units the model codes present; coded: mean of the human codes of the sample; "
            "prediction_powered: the model's share corrected by its errors on the sample (Angelopoulos et al. 2023)."
        ),
    )
    share: Series[float] = pa.Field(
        **_SHARE, nullable=True, description="Estimated share (clipped to [0, 1])."
    )
    se: Series[float] = fields.se(of="the share (NaN with fewer than two coded units)", nullable=True, ge=0)
    ci_low: Series[float] = fields.ci_low(of="the normal interval, clipped to [0, 1]", nullable=True)
    ci_high: Series[float] = fields.ci_high(of="the normal interval, clipped to [0, 1]", nullable=True)
    n_units: Series[int] = pa.Field(ge=0, description="Units of the group the model coded.")
    n_coded: Series[int] = pa.Field(ge=0, description="Of those, units in the human-coded sample.")


class CoderScores(FrameScores, grain=("article_id", "frame")):  # one codebook per table
    """frame_scores' columns as a fitted FrameCoder codes them: learned frames score a probability."""

    score: Series[float] = pa.Field(
        **_SHARE,
        description=(
            "Learned frames: calibrated probability that a coder finds the frame; frames left to the "
            "rules: n_yes / n_items."
        ),
    )
    threshold: Series[float] = pa.Field(
        **_SHARE,
        description="Score from which the frame counts as present (learned: the F1-best cut on out-of-fold scores).",
    )


class CoderFrames(Table, grain=("frame",)):
    """One row per codebook frame: how a fitted FrameCoder codes it and how well, by cross-validation."""

    frame: Series[str] = fields.frame()
    method: Series[str] = pa.Field(
        isin=["learned", "rules"],
        description="learned: a model of the coded articles; rules: the codebook's rules (too few coded examples).",
    )
    n_coded: Series[int] = pa.Field(ge=0, description="Coded articles the frame was learned or checked on.")
    n_positive: Series[int] = pa.Field(ge=0, description="Of those, articles the coders found the frame in.")
    c_value: Series[float] = pa.Field(
        nullable=True, description="Inverse regularisation chosen by the inner cross-validation (NaN: rules)."
    )
    threshold: Series[float] = pa.Field(**_SHARE, description="Score from which the frame counts as present.")
    cv_f1: Series[float] = pa.Field(
        nullable=True, description="F1 of the out-of-fold codes against the coders (rules: their F1)."
    )
    rules_f1: Series[float] = pa.Field(
        nullable=True, description="F1 of the codebook's rules on the same coded articles."
    )
    note: Series[str] = pa.Field(description="Why the frame is left to the rules ('' when learned).")
