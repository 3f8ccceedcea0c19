"""Schemas of the sourcing capability: quotes, speakers, attribution verbs, hedges."""

from __future__ import annotations

import pandera.pandas as pa
from pandera.typing import Series

import analysis.schemas._fields as fields
from analysis.schemas._fields import SharedField
from analysis.schemas._table import Table

KINDS = ["direct", "partial", "indirect", "scare"]

CUE_LEMMA = SharedField("cue_lemma", str, "Lemma of the attribution cue in the verb lexicon.")
QUOTE_IDS = SharedField("quote_ids", str, "Quote ids, space-separated, for tracing.")


class Quotes(Table, grain=("quote_id",)):
    """One row per quotation or reported statement (:func:`analysis.sourcing._extract.extract_quotes`).

    ``paragraph_id`` and ``sentence_id`` are where the quote starts; ``speaker`` is null for
    scare quotes and unattributed quotes.
    """

    article_id: Series[str] = fields.article_id()
    outlet: Series[str] = fields.outlet()
    quote_id: Series[str] = pa.Field(description="'<article_id>:q<n>', n in order of offset.")
    kind: Series[str] = pa.Field(
        isin=KINDS,
        description="direct (a whole quoted sentence), partial (quoted words "
        "inside the writer's sentence), indirect (reported clause, no marks), scare "
        "(short marked phrase with no speaker: scare or naming quote).",
    )
    text: Series[str] = pa.Field(
        description="Quoted words (marks excluded) or the reported clause, never empty, with every run "
        "of whitespace (line breaks, tabs, no-break spaces, U+0085: what str.split splits on) replaced by one "
        "space; pieces of a quotation running over paragraphs are joined by one space. Within one paragraph "
        "it equals ' '.join(article_text[start:end].split())."
    )
    start: Series[int] = fields.start(of="the quoted words (marks excluded)")
    end: Series[int] = fields.end(of="the quoted words (marks excluded)")
    n_words: Series[int] = fields.n_words(of="'text'")
    paragraph_id: Series[str] = fields.paragraph_id()
    paragraph_ids: Series[str] = pa.Field(description="All paragraphs the quote spans, space-separated.")
    sentence_id: Series[str] = fields.sentence_id()
    sentence_ids: Series[str] = fields.sentence_ids(of="all sentences the quote spans")
    speaker: Series[str] = fields.speaker(nullable=True)
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
    cue_lemma: Series[str] = CUE_LEMMA(nullable=True)
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


class Speakers(Table, grain=("outlet", "speaker")):
    """One row per outlet and speaker (:func:`analysis.sourcing._tables.speaker_table`).

    Quotes with no speaker found are counted under the speaker 'unknown'.
    """

    outlet: Series[str] = fields.outlet()
    speaker: Series[str] = fields.speaker()
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
    n_articles: Series[int] = fields.n_articles(of="the outlet quoting the speaker", ge=1)
    quote_ids: Series[str] = QUOTE_IDS()


# the verb lexicon gives each lemma a category, but nothing forces one category per lemma: the key keeps both
class Verbs(Table, grain=("outlet", "speaker", "cue_lemma", "cue_category")):
    """Attribution cues counted per outlet and speaker (:func:`analysis.sourcing._tables.verb_table`)."""

    outlet: Series[str] = fields.outlet()
    speaker: Series[str] = fields.speaker()
    cue_lemma: Series[str] = CUE_LEMMA()
    cue_category: Series[str] = pa.Field(isin=["neutral", "loaded"], description="neutral or loaded.")
    n: Series[int] = fields.n(of="quotes attributed with this cue", ge=1)
    quote_ids: Series[str] = QUOTE_IDS()


class Hedges(Table, grain=("article_id", "marker", "start")):
    """One row per hedge or evidentiality marker (:func:`analysis.sourcing._tables.find_hedges`).

    Two markers may match at one offset (both are kept), one marker only once.
    """

    article_id: Series[str] = fields.article_id()
    outlet: Series[str] = fields.outlet()
    paragraph_id: Series[str] = fields.paragraph_id()
    sentence_id: Series[str] = fields.sentence_id()
    marker: Series[str] = pa.Field(description="Marker name from analysis/data/sourcing_hedges.csv.")
    category: Series[str] = pa.Field(
        isin=["hedge", "evidential"],
        description="hedge (distancing) or evidential (names the source or the lack of verification).",
    )
    start: Series[int] = fields.start(of="the matched words")
    end: Series[int] = fields.end(of="the matched words")
    match: Series[str] = pa.Field(description="The matched words, equal to text[start:end].")
    in_quote: Series[bool] = pa.Field(
        description="True when the marker is inside a direct or partial quote "
        "(the source hedges, not the outlet)."
    )
    sentence: Series[str] = fields.sentence()
