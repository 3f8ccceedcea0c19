"""Schemas of the corpus layer: articles, paragraphs, sentences, removed spans."""

from __future__ import annotations

import re
from collections.abc import Iterable

import pandera.pandas as pa
from pandera.typing import Series

import analysis.schemas._fields as fields
from analysis.schemas._table import Table

_ID = r"^[^:\s]+$"


class Articles(Table, grain=("article_id",)):
    """One row per article, with its original text (offsets elsewhere point into it)."""

    article_id: Series[str] = fields.article_id(str_matches=_ID)
    outlet: Series[str] = fields.outlet(str_length={"min_value": 1})
    member_outlet: Series[str] = fields.member_outlet()
    outlet_type: Series[str] = fields.outlet_type()
    title: Series[str] = pa.Field(nullable=True, description="Headline, when known.")
    published: Series[str] = pa.Field(
        nullable=True, description="Publication date as ISO 8601 text, when known."
    )
    published_precision: Series[str] = pa.Field(
        nullable=True, description="How precise 'published' is: day, week, month, unknown."
    )
    event_id: Series[str] = pa.Field(nullable=True, description="Event the article reports on, when given.")
    language: Series[str] = pa.Field(nullable=True, description="Language code.")
    url: Series[str] = pa.Field(nullable=True, description="Source URL, when given.")
    source: Series[str] = pa.Field(description="File (and row, for tabular input) the text came from.")
    sha256: Series[str] = pa.Field(str_length=64, description="SHA-256 of the article's text as UTF-8.")
    text: Series[str] = pa.Field(
        description="The original text, unmodified; offsets in other tables index into it."
    )
    n_chars: Series[int] = pa.Field(ge=1, description="Characters in 'text'.")
    n_words: Series[int] = fields.n_words(of="the kept (non-removed) paragraphs")


class Paragraphs(Table, grain=("paragraph_id",)):
    """One row per kept paragraph."""

    paragraph_id: Series[str] = fields.paragraph_id()
    article_id: Series[str] = fields.article_id()
    outlet: Series[str] = fields.outlet()
    member_outlet: Series[str] = fields.member_outlet()
    outlet_type: Series[str] = fields.outlet_type()
    paragraph_index: Series[int] = pa.Field(ge=0, description="Position among the raw text's paragraphs.")
    role: Series[str] = pa.Field(
        isin=["headline", "subhead", "body"],
        description="headline, subhead (short unterminated line) or body.",
    )
    start: Series[int] = fields.start(of="the paragraph")
    end: Series[int] = fields.end(of="the paragraph")
    text: Series[str] = pa.Field(description="The paragraph, equal to article text[start:end].")
    n_words: Series[int] = fields.n_words(of="the paragraph")
    quoted_chars: Series[int] = pa.Field(
        ge=0, description="Characters inside double quotation marks (marks included)."
    )


class Sentences(Table, grain=("sentence_id",)):
    """One row per sentence of a kept paragraph."""

    sentence_id: Series[str] = fields.sentence_id()
    paragraph_id: Series[str] = fields.paragraph_id()
    article_id: Series[str] = fields.article_id()
    outlet: Series[str] = fields.outlet()
    member_outlet: Series[str] = fields.member_outlet()
    outlet_type: Series[str] = fields.outlet_type()
    sentence_index: Series[int] = pa.Field(ge=0, description="Position within the paragraph.")
    start: Series[int] = fields.start(of="the sentence")
    end: Series[int] = fields.end(of="the sentence")
    text: Series[str] = pa.Field(description="The sentence, equal to article text[start:end].")
    n_words: Series[int] = fields.n_words(of="the sentence")


class Removed(Table, grain=("paragraph_id",)):
    """One row per paragraph the cleaner dropped, with the (first) rule that dropped it."""

    article_id: Series[str] = fields.article_id()
    outlet: Series[str] = fields.outlet()
    member_outlet: Series[str] = fields.member_outlet()
    paragraph_id: Series[str] = fields.paragraph_id()
    rule_id: Series[str] = pa.Field(
        description="Boilerplate rule that matched (see analysis/data/boilerplate.csv)."
    )
    category: Series[str] = pa.Field(
        description="Kind of boilerplate: site_chrome, caption, reader_appeal, disclaimer, ..."
    )
    start: Series[int] = fields.start(of="the removed paragraph")
    end: Series[int] = fields.end(of="the removed paragraph")
    text: Series[str] = pa.Field(description="The removed text.")
    n_words: Series[int] = fields.n_words(of="the removed paragraph")


#: The group of an outlet whose group value (e.g. its ``outlet_type``) is missing or empty: when it
#: is the only group, the corpus gives no groups at all (not one group of outlets).
UNKNOWN_GROUP = "unknown"


def group_value(value) -> str:
    """An outlet's group value as compared: stripped, :data:`UNKNOWN_GROUP` when missing or empty."""
    return value.strip() if isinstance(value, str) and value.strip() else UNKNOWN_GROUP


#: 'column=value': a column name (letters, digits, '_'), '=', a non-empty value.
_GROUP_LABEL = re.compile(r"[A-Za-z_]\w*=.+", re.DOTALL)


def is_group_label(label: str) -> bool:
    """Whether an ``outlet`` value is a group label ``'column=value'`` (:func:`analysis.corpus.group_corpus`),
    not an outlet's name."""
    return _GROUP_LABEL.fullmatch(label) is not None


def compared_noun(labels: Iterable[str], by: str = "outlet") -> str:
    """What one compared unit is called: 'outlet', or '<by> group' ('outlet_type group').

    A table grouped with ``by='outlet'`` whose labels are all group labels of one column
    (``'leaning=left'``, from :func:`analysis.corpus.group_corpus`) compares that column's groups.
    """
    if by != "outlet":
        return f"{by} group"
    labels = [str(label) for label in labels]
    columns = {label.partition("=")[0] for label in labels if is_group_label(label)}
    if labels and len(columns) == 1 and all(map(is_group_label, labels)):
        return f"{columns.pop()} group"
    return "outlet"


class OutletGroups(Table, grain=("outlet",)):
    """One row per outlet and its group (:func:`analysis.corpus.outlet_groups`); the group column is named by ``by``."""

    outlet: Series[str] = fields.outlet()
