"""Schemas of the claims capability: numbers, claim groups, passage alignment, coverage, provenance."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

_KINDS = ["count", "percent", "duration", "money", "year", "date", "ordinal"]
_LABELS = ["agree", "compatible", "disagree", "different_reference", "single"]


class Numbers(pa.DataFrameModel):
    """One row per number found in a sentence (:func:`analysis.claims.extract_numbers`)."""

    claim_id: Series[str] = pa.Field(
        unique=True, description="'<sentence_id>:n<k>', k-th number of the sentence."
    )
    article_id: Series[str] = pa.Field(description="Article the number is in.")
    outlet: Series[str] = pa.Field(description="Outlet label.")
    paragraph_id: Series[str] = pa.Field(description="Paragraph the number is in.")
    sentence_id: Series[str] = pa.Field(description="Sentence the number is in.")
    start: Series[int] = pa.Field(
        ge=0, description="Offset of the number (with qualifier and unit) into the article text."
    )
    end: Series[int] = pa.Field(ge=1, description="End offset (exclusive).")
    text: Series[str] = pa.Field(description="The span, e.g. 'at least 200', 'just under 24 hours'.")
    kind: Series[str] = pa.Field(
        isin=_KINDS, description="count, percent, duration (days), money, year, date, ordinal."
    )
    value: Series[float] = pa.Field(
        nullable=True,
        description="The stated value in the canonical unit (days for durations); missing for dates.",
    )
    lower: Series[float] = pa.Field(
        nullable=True, description="Lower bound implied by the qualifier; missing = unbounded below."
    )
    upper: Series[float] = pa.Field(
        nullable=True, description="Upper bound implied by the qualifier; inf = unbounded above."
    )
    unit: Series[str] = pa.Field(
        description="Canonical unit: '' for counts, percent, day, year, currency code."
    )
    qualifier: Series[str] = pa.Field(
        description="Qualifier phrase ('at least', 'about'), 'vague', 'range' or ''."
    )
    counted: Series[str] = pa.Field(
        description="What is counted: noun phrase plus event participle ('people killed')."
    )
    counted_head: Series[str] = pa.Field(description="Head noun of 'counted', lower-cased ('' when none).")
    event: Series[str] = pa.Field(
        description="Participle saying what happened to what is counted ('killed', 'left'; '' when none)."
    )
    source: Series[str] = pa.Field(
        description="Source the sentence attributes the figure to ('' when none stated)."
    )
    time_ref: Series[str] = pa.Field(
        description="Time expression nearest the number in its sentence ('' when none)."
    )
    sentence: Series[str] = pa.Field(description="The sentence, for evidence.")


class ClaimGroups(pa.DataFrameModel):
    """One row per claim in a group of claims about the same quantity (:func:`analysis.claims.compare_numbers`)."""

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
    n_outlets: Series[int] = pa.Field(ge=1, description="Outlets with a claim in the group.")
    claim_id: Series[str] = pa.Field(description="Claim (see Numbers).")
    article_id: Series[str] = pa.Field(description="Article of the claim.")
    outlet: Series[str] = pa.Field(description="Outlet label.")
    sentence_id: Series[str] = pa.Field(description="Evidence sentence.")
    start: Series[int] = pa.Field(ge=0, description="Offset of the number into the article text.")
    end: Series[int] = pa.Field(ge=1, description="End offset.")
    text: Series[str] = pa.Field(description="The number as written.")
    kind: Series[str] = pa.Field(isin=_KINDS, description="Kind of quantity.")
    unit: Series[str] = pa.Field(description="Canonical unit.")
    value: Series[float] = pa.Field(nullable=True, description="Stated value.")
    lower: Series[float] = pa.Field(nullable=True, description="Lower bound (missing = unbounded).")
    upper: Series[float] = pa.Field(nullable=True, description="Upper bound (inf = unbounded).")
    qualifier: Series[str] = pa.Field(description="Qualifier phrase.")
    counted: Series[str] = pa.Field(description="What is counted.")
    source: Series[str] = pa.Field(description="Attributed source.")
    time_ref: Series[str] = pa.Field(description="Time reference.")
    similarity: Series[float] = pa.Field(
        ge=-1, le=1, description="Mean link score to the other claims of the group (1 for a single claim)."
    )
    sentence: Series[str] = pa.Field(description="Evidence sentence text.")


class Alignments(pa.DataFrameModel):
    """Best counterpart of each passage in every other outlet (:func:`analysis.claims.align_passages`)."""

    unit_id: Series[str] = pa.Field(description="Passage (sentence or paragraph id).")
    article_id: Series[str] = pa.Field(description="Article of the passage.")
    outlet: Series[str] = pa.Field(description="Outlet of the passage.")
    other_outlet: Series[str] = pa.Field(description="Outlet searched for a counterpart.")
    counterpart_id: Series[str] = pa.Field(description="Best-scoring passage of 'other_outlet'.")
    embed_sim: Series[float] = pa.Field(ge=-1, le=1, description="Cosine similarity of the two embeddings.")
    lexical_sim: Series[float] = pa.Field(ge=0, le=1, description="Jaccard overlap of content-word sets.")
    score: Series[float] = pa.Field(description="Combined score (weights in the docstring).")
    aligned: Series[bool] = pa.Field(description="score >= the alignment threshold.")
    start: Series[int] = pa.Field(ge=0, description="Offset of the passage into its article text.")
    end: Series[int] = pa.Field(ge=1, description="End offset.")
    counterpart_start: Series[int] = pa.Field(
        ge=0, description="Offset of the counterpart into its article text."
    )
    counterpart_end: Series[int] = pa.Field(ge=1, description="End offset.")


class Coverage(pa.DataFrameModel):
    """Content units x outlets (:func:`analysis.claims.coverage_matrix`)."""

    content_id: Series[str] = pa.Field(description="'c<k>', a cluster of aligned passages.")
    content_label: Series[str] = pa.Field(
        description="Short label: the most central passage's salient words."
    )
    outlet: Series[str] = pa.Field(description="Outlet.")
    covered: Series[bool] = pa.Field(description="The outlet has a passage in the content unit.")
    n_outlets: Series[int] = pa.Field(ge=1, description="Outlets covering the unit.")
    n_passages: Series[int] = pa.Field(ge=0, description="Passages of this outlet in the unit.")
    unit_ids: Series[str] = pa.Field(
        description="Space-separated passage ids of this outlet in the unit ('' when not covered)."
    )
    example: Series[str] = pa.Field(
        description="This outlet's first passage in the unit ('' when not covered)."
    )


class CoverageGaps(pa.DataFrameModel):
    """Per outlet, content it alone reports and content most others report but it omits."""

    outlet: Series[str] = pa.Field(description="Outlet.")
    status: Series[str] = pa.Field(
        isin=["exclusive", "omitted"],
        description="exclusive (only this outlet) or omitted (most others cover it).",
    )
    content_id: Series[str] = pa.Field(description="Content unit.")
    content_label: Series[str] = pa.Field(description="Its label.")
    n_outlets: Series[int] = pa.Field(ge=1, description="Outlets covering the unit.")
    evidence_ids: Series[str] = pa.Field(
        description="Passages behind the row (the outlet's own, or the others')."
    )
    evidence: Series[str] = pa.Field(description="First evidence passage.")


class ProvenancePairs(pa.DataFrameModel):
    """Text overlap between two articles of different outlets (:func:`analysis.claims.provenance`)."""

    article_id: Series[str] = pa.Field(description="First article (corpus order).")
    other_article_id: Series[str] = pa.Field(description="Second article.")
    outlet: Series[str] = pa.Field(description="Outlet of the first article.")
    other_outlet: Series[str] = pa.Field(description="Outlet of the second.")
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


class ArtefactEvidence(pa.DataFrameModel):
    """One row per machine-translation artefact or aggregator signature found."""

    article_id: Series[str] = pa.Field(description="Article.")
    outlet: Series[str] = pa.Field(description="Outlet.")
    signal: Series[str] = pa.Field(
        description="stray_capitals, doubled_word, split_sentence, lowercased_name, missing_space, aggregator_signature."
    )
    start: Series[int] = pa.Field(ge=0, description="Offset into the article text.")
    end: Series[int] = pa.Field(ge=1, description="End offset.")
    text: Series[str] = pa.Field(description="The matched text.")
    context: Series[str] = pa.Field(description="Up to 40 characters either side.")


class ArtefactScores(pa.DataFrameModel):
    """Machine-translation artefact score per article."""

    article_id: Series[str] = pa.Field(description="Article.")
    outlet: Series[str] = pa.Field(description="Outlet.")
    n_words: Series[int] = pa.Field(ge=0, description="Words of the full text.")
    signal: Series[str] = pa.Field(description="Signal type, or 'total'.")
    n: Series[int] = pa.Field(ge=0, description="Occurrences.")
    score: Series[float] = pa.Field(
        ge=0, description="Occurrences per 1,000 words (total: translation signals only)."
    )


def empty_frame(schema: type[pa.DataFrameModel]) -> pd.DataFrame:
    """A table with no rows and the columns and dtypes of ``schema`` (so that it validates)."""
    kinds = {"int64": "int64", "float64": "float64", "bool": "bool"}
    return pd.DataFrame(
        {
            name: pd.Series(dtype=kinds.get(str(col.dtype), object))
            for name, col in schema.to_schema().columns.items()
        }
    )


def frame(rows: list[dict], schema: type[pa.DataFrameModel]) -> pd.DataFrame:
    """``rows`` as a table with the columns (in order) and dtypes of ``schema``; empty rows give :func:`empty_frame`."""
    if not rows:
        return empty_frame(schema)
    columns = schema.to_schema().columns
    table = pd.DataFrame(rows, columns=list(columns))
    for name, col in columns.items():
        if str(col.dtype) in {"int64", "float64", "bool"}:
            table[name] = table[name].astype(str(col.dtype))
    return table
