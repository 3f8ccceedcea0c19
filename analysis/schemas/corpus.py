"""Schemas of the corpus layer: articles, paragraphs, sentences, removed spans."""

from __future__ import annotations

import pandera.pandas as pa
from pandera.typing import Series

_ID = r"^[^:\s]+$"


class Articles(pa.DataFrameModel):
    """One row per article, with its original text (offsets elsewhere point into it)."""

    article_id: Series[str] = pa.Field(unique=True, str_matches=_ID, description="Article identifier, unique, no ':' or spaces.")
    outlet: Series[str] = pa.Field(str_length={"min_value": 1}, description="Outlet label used for comparisons.")
    outlet_type: Series[str] = pa.Field(nullable=True, description="Kind of outlet (wire, aggregator, public_broadcaster, ...).")
    title: Series[str] = pa.Field(nullable=True, description="Headline, when known.")
    published: Series[str] = pa.Field(nullable=True, description="Publication date as ISO 8601 text, when known.")
    published_precision: Series[str] = pa.Field(nullable=True, description="How precise 'published' is: day, week, month, unknown.")
    event_id: Series[str] = pa.Field(nullable=True, description="Event the article reports on, when given.")
    language: Series[str] = pa.Field(nullable=True, description="Language code.")
    url: Series[str] = pa.Field(nullable=True, description="Source URL, when given.")
    source: Series[str] = pa.Field(description="File (and row, for tabular input) the text came from.")
    sha256: Series[str] = pa.Field(str_length=64, description="SHA-256 of the article's text as UTF-8.")
    text: Series[str] = pa.Field(description="The original text, unmodified; offsets in other tables index into it.")
    n_chars: Series[int] = pa.Field(ge=1, description="Characters in 'text'.")
    n_words: Series[int] = pa.Field(ge=0, description="Tokens in the kept (non-removed) paragraphs.")


class Paragraphs(pa.DataFrameModel):
    """One row per kept paragraph."""

    paragraph_id: Series[str] = pa.Field(unique=True, description="'<article_id>:p<index>', index over all paragraphs of the raw text.")
    article_id: Series[str] = pa.Field(description="Article the paragraph belongs to.")
    outlet: Series[str] = pa.Field(description="Outlet label.")
    outlet_type: Series[str] = pa.Field(nullable=True, description="Kind of outlet.")
    paragraph_index: Series[int] = pa.Field(ge=0, description="Position among the raw text's paragraphs.")
    role: Series[str] = pa.Field(isin=["headline", "subhead", "body"], description="headline, subhead (short unterminated line) or body.")
    start: Series[int] = pa.Field(ge=0, description="Start offset into the article text.")
    end: Series[int] = pa.Field(ge=1, description="End offset (exclusive).")
    text: Series[str] = pa.Field(description="The paragraph, equal to article text[start:end].")
    n_words: Series[int] = pa.Field(ge=0, description="Tokens in the paragraph.")
    quoted_chars: Series[int] = pa.Field(ge=0, description="Characters inside double quotation marks (marks included).")


class Sentences(pa.DataFrameModel):
    """One row per sentence of a kept paragraph."""

    sentence_id: Series[str] = pa.Field(unique=True, description="'<paragraph_id>:s<index>'.")
    paragraph_id: Series[str] = pa.Field(description="Paragraph the sentence belongs to.")
    article_id: Series[str] = pa.Field(description="Article the sentence belongs to.")
    outlet: Series[str] = pa.Field(description="Outlet label.")
    outlet_type: Series[str] = pa.Field(nullable=True, description="Kind of outlet.")
    sentence_index: Series[int] = pa.Field(ge=0, description="Position within the paragraph.")
    start: Series[int] = pa.Field(ge=0, description="Start offset into the article text.")
    end: Series[int] = pa.Field(ge=1, description="End offset (exclusive).")
    text: Series[str] = pa.Field(description="The sentence, equal to article text[start:end].")
    n_words: Series[int] = pa.Field(ge=0, description="Tokens in the sentence.")


class Removed(pa.DataFrameModel):
    """One row per paragraph the cleaner dropped, with the rule that dropped it."""

    article_id: Series[str] = pa.Field(description="Article the span came from.")
    outlet: Series[str] = pa.Field(description="Outlet label.")
    paragraph_id: Series[str] = pa.Field(description="Id the paragraph would have had.")
    rule_id: Series[str] = pa.Field(description="Boilerplate rule that matched (see analysis/data/boilerplate.csv).")
    category: Series[str] = pa.Field(description="Kind of boilerplate: site_chrome, caption, reader_appeal, disclaimer, ...")
    start: Series[int] = pa.Field(ge=0, description="Start offset into the article text.")
    end: Series[int] = pa.Field(ge=1, description="End offset (exclusive).")
    text: Series[str] = pa.Field(description="The removed text.")
    n_words: Series[int] = pa.Field(ge=0, description="Tokens removed.")
