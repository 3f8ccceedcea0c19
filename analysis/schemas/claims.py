"""Schemas of the claims capability: numbers, claim groups, passage alignment, coverage, provenance."""

from __future__ import annotations

import pandera.pandas as pa
from pandera.typing import Series

import analysis.schemas._fields as fields
from analysis.schemas._fields import WHOLE_CORPUS, SharedField
from analysis.schemas._table import Table

_KINDS = ["count", "percent", "duration", "money", "year", "date", "ordinal"]
_LABELS = ["agree", "compatible", "disagree", "different_reference", "single"]

# Columns of a number claim, shared by Numbers and ClaimGroups
CLAIM_ID = SharedField(
    "claim_id", str, "Claim identifier, '<sentence_id>:n<k>': the k-th number of the sentence."
)
KIND = SharedField(
    "kind", str, "count, percent, duration (days), money, year, date, ordinal.", {"isin": _KINDS}
)
VALUE = SharedField(
    "value",
    float,
    "The stated value in the canonical unit (days for durations); missing for dates.",
    {"nullable": True},
)
LOWER = SharedField(
    "lower", float, "Lower bound implied by the qualifier; missing = unbounded below.", {"nullable": True}
)
UPPER = SharedField(
    "upper", float, "Upper bound implied by the qualifier; inf = unbounded above.", {"nullable": True}
)
UNIT = SharedField("unit", str, "Canonical unit: '' for counts, percent, day, year, currency code.")
QUALIFIER = SharedField("qualifier", str, "Qualifier phrase ('at least', 'about'), 'vague', 'range' or ''.")
COUNTED = SharedField("counted", str, "What is counted: noun phrase plus event participle ('people killed').")
SOURCE = SharedField("source", str, "Source the sentence attributes the figure to ('' when none stated).")
TIME_REF = SharedField("time_ref", str, "Time expression nearest the number in its sentence ('' when none).")
_NUMBER = "the number (with qualifier and unit)"

# Columns of a content unit, shared by Coverage and CoverageGaps
CONTENT_ID = SharedField(
    "content_id",
    str,
    "Content unit identifier, 'c<k>': a cluster of aligned passages, numbered in corpus order.",
)
CONTENT_LABEL = SharedField("content_label", str, "Short label: the most central passage's salient words.")
# Every cross-outlet comparison is made within one story (docs/stories.md)
_STORY = (
    f"the story the row was compared within (analysis.topics.stories); '{WHOLE_CORPUS}' when no stories "
    "were given (the whole corpus compared as one story)"
)


class Numbers(Table, grain=("claim_id",)):
    """One row per number found in a sentence (:func:`analysis.claims.extract_numbers`)."""

    claim_id: Series[str] = CLAIM_ID()
    article_id: Series[str] = fields.article_id()
    outlet: Series[str] = fields.outlet()
    paragraph_id: Series[str] = fields.paragraph_id()
    sentence_id: Series[str] = fields.sentence_id()
    start: Series[int] = fields.start(of=_NUMBER)
    end: Series[int] = fields.end(of=_NUMBER)
    text: Series[str] = pa.Field(description="The span, e.g. 'at least 200', 'just under 24 hours'.")
    kind: Series[str] = KIND()
    value: Series[float] = VALUE()
    lower: Series[float] = LOWER()
    upper: Series[float] = UPPER()
    unit: Series[str] = UNIT()
    qualifier: Series[str] = QUALIFIER()
    counted: Series[str] = COUNTED()
    counted_head: Series[str] = pa.Field(description="Head noun of 'counted', lower-cased ('' when none).")
    event: Series[str] = pa.Field(
        description="Participle saying what happened to what is counted ('killed', 'left'; '' when none)."
    )
    source: Series[str] = SOURCE()
    time_ref: Series[str] = TIME_REF()
    sentence: Series[str] = fields.sentence()


class ClaimGroups(Table, grain=("claim_id",)):  # each claim falls in exactly one group
    """One row per claim in a group of claims about the same quantity (:func:`analysis.claims.compare_numbers`)."""

    story_id: Series[str] = fields.story_id(of=_STORY)
    group_id: Series[str] = pa.Field(description="'g<k>', groups numbered by first claim in corpus order.")
    group_label: Series[str] = pa.Field(
        description="Short description: the most common 'counted' phrase and the unit."
    )
    label: Series[str] = pa.Field(
        isin=_LABELS,
        description="agree, compatible, disagree, different_reference (values differ but time or event differ), single.",
    )
    differs: Series[str] = pa.Field(
        description="What differs within the group: any of value, bound, time, source, event ('' when nothing)."
    )
    conflicts: Series[str] = pa.Field(
        description="Claim ids of the group that this claim contradicts (bounds that share no value, no difference "
        "of time or event to explain it), space-separated; '' when none. Non-empty only in 'disagree' "
        "groups: analysis.claims.disagreements lists each such pair."
    )
    n_outlets: Series[int] = fields.n_outlets(of="the claims in the group")
    claim_id: Series[str] = CLAIM_ID()
    article_id: Series[str] = fields.article_id()
    outlet: Series[str] = fields.outlet()
    sentence_id: Series[str] = fields.sentence_id()
    start: Series[int] = fields.start(of=_NUMBER)
    end: Series[int] = fields.end(of=_NUMBER)
    text: Series[str] = pa.Field(description="The number as written.")
    kind: Series[str] = KIND()
    unit: Series[str] = UNIT()
    value: Series[float] = VALUE()
    lower: Series[float] = LOWER()
    upper: Series[float] = UPPER()
    qualifier: Series[str] = QUALIFIER()
    counted: Series[str] = COUNTED()
    source: Series[str] = SOURCE()
    time_ref: Series[str] = TIME_REF()
    similarity: Series[float] = pa.Field(
        ge=-1, le=1, description="Mean link score to the other claims of the group (1 for a single claim)."
    )
    sentence: Series[str] = fields.sentence()


class Alignments(Table, grain=("unit_id", "other_outlet")):
    """Best counterpart of each passage in every other outlet of its story (:func:`analysis.claims.align_passages`)."""

    story_id: Series[str] = fields.story_id(of=_STORY)
    unit_id: Series[str] = fields.unit_id()
    article_id: Series[str] = fields.article_id()
    outlet: Series[str] = fields.outlet()
    other_outlet: Series[str] = pa.Field(description="Outlet searched for a counterpart.")
    counterpart_id: Series[str] = pa.Field(description="Best-scoring passage of 'other_outlet'.")
    embed_sim: Series[float] = pa.Field(ge=-1, le=1, description="Cosine similarity of the two embeddings.")
    lexical_sim: Series[float] = pa.Field(ge=0, le=1, description="Jaccard overlap of content-word sets.")
    score: Series[float] = pa.Field(description="Combined score (weights in the docstring).")
    aligned: Series[bool] = pa.Field(description="score >= the alignment threshold.")
    start: Series[int] = fields.start(of="the passage")
    end: Series[int] = fields.end(of="the passage")
    counterpart_start: Series[int] = pa.Field(
        ge=0, description="Offset of the counterpart into its article text."
    )
    counterpart_end: Series[int] = pa.Field(ge=1, description="End offset.")


class Coverage(Table, grain=("content_id", "outlet")):
    """Content units x outlets covering the story (:func:`analysis.claims.coverage_matrix`)."""

    story_id: Series[str] = fields.story_id(of=_STORY)
    content_id: Series[str] = CONTENT_ID()
    content_label: Series[str] = CONTENT_LABEL()
    outlet: Series[str] = fields.outlet()
    covered: Series[bool] = pa.Field(description="The outlet has a passage in the content unit.")
    n_outlets: Series[int] = fields.n_outlets(of="the passages in the content unit")
    n_passages: Series[int] = pa.Field(ge=0, description="Passages of this outlet in the unit.")
    unit_ids: Series[str] = pa.Field(
        description="Space-separated passage ids of this outlet in the unit ('' when not covered)."
    )
    example: Series[str] = pa.Field(
        description="This outlet's first passage in the unit ('' when not covered)."
    )


class CoverageGaps(
    Table, grain=("outlet", "content_id")
):  # an outlet covers a unit (exclusive) or not (omitted)
    """Per outlet and story, content it alone reports and content most others report but it omits."""

    story_id: Series[str] = fields.story_id(of=_STORY)
    outlet: Series[str] = fields.outlet()
    status: Series[str] = pa.Field(
        isin=["exclusive", "omitted"],
        description="exclusive (only this outlet) or omitted (most others cover it).",
    )
    content_id: Series[str] = CONTENT_ID()
    content_label: Series[str] = CONTENT_LABEL()
    n_outlets: Series[int] = fields.n_outlets(of="the passages in the content unit")
    evidence_ids: Series[str] = pa.Field(
        description="Passages behind the row (the outlet's own, or the others')."
    )
    evidence: Series[str] = pa.Field(description="First evidence passage.")


class Disagreements(Table, grain=("claim_id", "other_claim_id")):
    """One row per pair of conflicting claims of a 'disagree' group (:func:`analysis.claims.disagreements`)."""

    story_id: Series[str] = fields.story_id(of=_STORY)
    group_id: Series[str] = pa.Field(description="The claim group ('g<k>' of compare_numbers).")
    group_label: Series[str] = pa.Field(description="The group's label: counted phrase and unit.")
    claim_id: Series[str] = CLAIM_ID()
    other_claim_id: Series[str] = pa.Field(description="The conflicting claim.")
    article_id: Series[str] = fields.article_id()
    other_article_id: Series[str] = pa.Field(description="Article of the conflicting claim.")
    outlet: Series[str] = fields.outlet()
    other_outlet: Series[str] = pa.Field(description="Outlet of the conflicting claim.")
    text: Series[str] = pa.Field(description="The figure as written.")
    other_text: Series[str] = pa.Field(description="The conflicting figure as written.")
    sentence_id: Series[str] = fields.sentence_id()
    other_sentence_id: Series[str] = pa.Field(description="Sentence of the conflicting figure.")
    sentence: Series[str] = fields.sentence()
    other_sentence: Series[str] = pa.Field(description="The sentence of the conflicting figure.")
    verdict: Series[str] = pa.Field(
        description="The disagreement in words: the story, both figures, both articles and both sentences."
    )


class ProvenancePairs(Table, grain=("article_id", "other_article_id")):
    """Text overlap between two articles of different outlets (:func:`analysis.claims.provenance`).

    One row per unordered pair of articles of one story: ``article_id`` comes first in corpus order.
    """

    story_id: Series[str] = fields.story_id(of=_STORY)
    article_id: Series[str] = fields.article_id()
    other_article_id: Series[str] = pa.Field(description="Second article of the pair.")
    outlet: Series[str] = fields.outlet()
    other_outlet: Series[str] = pa.Field(description="Outlet of the second article.")
    shingle_jaccard: Series[float] = pa.Field(
        ge=0, le=1, description="MinHash estimate of the Jaccard similarity of word 5-gram shingles."
    )
    containment: Series[float] = pa.Field(
        ge=0, le=1, description="Exact share of the smaller article's shingles found in the other."
    )
    embed_sim: Series[float] = pa.Field(
        ge=-1, le=1, description="Cosine similarity of the mean sentence embeddings."
    )
    paraphrase_share: Series[float] = pa.Field(
        ge=0,
        le=1,
        description="Share of the smaller article's sentences with a counterpart above the paraphrase threshold.",
    )
    relation: Series[str] = pa.Field(
        isin=["near_duplicate", "shared_copy", "rewrite", "same_story", "independent"],
        description="Verdict (thresholds in the docstring).",
    )
    evidence: Series[str] = pa.Field(description="Best-matching sentence pair as 'id | id', '' when none.")


# No unique key: aggregator signatures are matched one pattern at a time and two patterns may match the
# same text (same article, signal, start and end); the pattern is not a column.
class ArtefactEvidence(Table, grain=None):
    """One row per machine-translation artefact or aggregator signature found."""

    article_id: Series[str] = fields.article_id()
    outlet: Series[str] = fields.outlet()
    signal: Series[str] = pa.Field(
        description="stray_capitals, doubled_word, split_sentence, lowercased_name, missing_space, aggregator_signature."
    )
    start: Series[int] = fields.start(of="the matched text")
    end: Series[int] = fields.end(of="the matched text")
    text: Series[str] = pa.Field(description="The matched text.")
    context: Series[str] = pa.Field(description="Up to 40 characters either side.")


class ArtefactScores(Table, grain=("article_id", "signal")):
    """Machine-translation artefact score per article and signal (signal 'total': the weighted score)."""

    article_id: Series[str] = fields.article_id()
    outlet: Series[str] = fields.outlet()
    n_words: Series[int] = fields.n_words(of="the article's kept text (its full text when none is kept)")
    signal: Series[str] = pa.Field(description="Signal type, or 'total'.")
    n: Series[int] = fields.n(of="occurrences of the signal in the article")
    score: Series[float] = pa.Field(
        ge=0, description="Occurrences per 1,000 words (total: translation signals only)."
    )
    flagged: Series[bool] = pa.Field(
        description="On the 'total' row: likely machine-translated (score and weighted signals at or above "
        "the flag threshold); False on every other row."
    )
