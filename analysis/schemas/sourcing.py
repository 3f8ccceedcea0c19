"""Schemas of the sourcing capability: quotes, speakers, attribution verbs, hedges."""

from __future__ import annotations

import pandera.pandas as pa
from pandera.typing import Series

KINDS = ["direct", "partial", "indirect", "scare"]


class Quotes(pa.DataFrameModel):
    """One row per quotation or reported statement (:func:`analysis.sourcing._extract.extract_quotes`)."""

    article_id: Series[str] = pa.Field(description="Article the quote is in.")
    outlet: Series[str] = pa.Field(description="Outlet label.")
    quote_id: Series[str] = pa.Field(unique=True, description="'<article_id>:q<n>', n in order of offset.")
    kind: Series[str] = pa.Field(
        isin=KINDS,
        description="direct (a whole quoted sentence), partial (quoted words "
        "inside the writer's sentence), indirect (reported clause, no marks), scare "
        "(short marked phrase with no speaker: scare or naming quote).",
    )
    text: Series[str] = pa.Field(
        description="Quoted words (marks excluded) or the reported clause; pieces of a "
        "quotation running over paragraphs are joined by one space."
    )
    start: Series[int] = pa.Field(
        ge=0, description="Offset of the first quoted character in the article text."
    )
    end: Series[int] = pa.Field(ge=1, description="Offset after the last quoted character (exclusive).")
    n_words: Series[int] = pa.Field(ge=0, description="Tokens in 'text' (analysis.corpus.text.count_words).")
    paragraph_id: Series[str] = pa.Field(description="Paragraph where the quote starts.")
    paragraph_ids: Series[str] = pa.Field(description="All paragraphs the quote spans, space-separated.")
    sentence_id: Series[str] = pa.Field(description="Sentence where the quote starts.")
    sentence_ids: Series[str] = pa.Field(description="All sentences the quote spans, space-separated.")
    speaker: Series[str] = pa.Field(
        nullable=True,
        description="Canonical speaker: a person's full name or a group's "
        "words; null for scare quotes and unattributed quotes.",
    )
    speaker_mention: Series[str] = pa.Field(
        nullable=True,
        description="The words naming the speaker at the cue "
        "('he', 'Broers', 'Kremlin spokesman Dmitry Peskov').",
    )
    cue: Series[str] = pa.Field(
        nullable=True,
        description="Attribution cue as written ('said', 'according to'), "
        "or the naming expression of a naming quote.",
    )
    cue_lemma: Series[str] = pa.Field(nullable=True, description="Lemma of the cue in the verb lexicon.")
    cue_category: Series[str] = pa.Field(
        nullable=True,
        isin=["neutral", "loaded", "naming"],
        description="neutral or loaded (verb lexicon), naming for naming quotes.",
    )
    marks: Series[str] = pa.Field(isin=["double", "single", "none"], description="Quotation marks used.")
    rule_id: Series[str] = pa.Field(
        description="'<kind>.<rule>': the attribution rule that fired (see docs/sourcing.md)."
    )
    confidence: Series[float] = pa.Field(
        ge=0, le=1, description="Prior reliability of the rule (not a probability fitted to data)."
    )


class Speakers(pa.DataFrameModel):
    """One row per outlet and speaker (:func:`analysis.sourcing._tables.speaker_table`)."""

    outlet: Series[str] = pa.Field(description="Outlet label.")
    speaker: Series[str] = pa.Field(
        description="Canonical speaker; 'unknown' for quotes with no speaker found."
    )
    speaker_type: Series[str] = pa.Field(
        description="government, military, expert, journalist, civilian, organisation or unknown."
    )
    affiliation: Series[str] = pa.Field(
        description="Country or institution from the speaker's titles; '' if none."
    )
    type_rule: Series[str] = pa.Field(
        description="What decided the type: 'mapping', a rule id, or 'unknown'."
    )
    n_quotes: Series[int] = pa.Field(ge=0, description="Direct, partial and indirect quotes.")
    n_direct: Series[int] = pa.Field(ge=0, description="Direct quotes.")
    n_partial: Series[int] = pa.Field(ge=0, description="Partial quotes.")
    n_indirect: Series[int] = pa.Field(ge=0, description="Indirect (reported) statements.")
    words_quoted: Series[int] = pa.Field(ge=0, description="Words inside quotation marks (direct + partial).")
    words_reported: Series[int] = pa.Field(ge=0, description="Words of indirect statements.")
    share_of_words: Series[float] = pa.Field(
        ge=0, le=1, description="words_quoted / words of the outlet's articles that quote the speaker."
    )
    n_articles: Series[int] = pa.Field(ge=1, description="Articles of the outlet quoting the speaker.")
    quote_ids: Series[str] = pa.Field(description="Quote ids, space-separated, for tracing.")


class Verbs(pa.DataFrameModel):
    """Attribution cues counted per outlet and speaker (:func:`analysis.sourcing._tables.verb_table`)."""

    outlet: Series[str] = pa.Field(description="Outlet label.")
    speaker: Series[str] = pa.Field(description="Canonical speaker, or 'unknown'.")
    cue_lemma: Series[str] = pa.Field(description="Lemma of the attribution cue.")
    cue_category: Series[str] = pa.Field(isin=["neutral", "loaded"], description="neutral or loaded.")
    n: Series[int] = pa.Field(ge=1, description="Quotes attributed with this cue.")
    quote_ids: Series[str] = pa.Field(description="Quote ids, space-separated.")


class Hedges(pa.DataFrameModel):
    """One row per hedge or evidentiality marker (:func:`analysis.sourcing._tables.find_hedges`)."""

    article_id: Series[str] = pa.Field(description="Article.")
    outlet: Series[str] = pa.Field(description="Outlet label.")
    paragraph_id: Series[str] = pa.Field(description="Paragraph of the marker.")
    sentence_id: Series[str] = pa.Field(description="Sentence of the marker.")
    marker: Series[str] = pa.Field(description="Marker name from analysis/data/sourcing_hedges.csv.")
    category: Series[str] = pa.Field(
        isin=["hedge", "evidential"],
        description="hedge (distancing) or evidential (names the source or the lack of verification).",
    )
    start: Series[int] = pa.Field(ge=0, description="Offset of the matched words in the article text.")
    end: Series[int] = pa.Field(ge=1, description="End offset (exclusive).")
    match: Series[str] = pa.Field(description="The matched words, equal to text[start:end].")
    in_quote: Series[bool] = pa.Field(
        description="True when the marker is inside a direct or partial quote "
        "(the source hedges, not the outlet)."
    )
    sentence: Series[str] = pa.Field(description="The sentence, for context.")
