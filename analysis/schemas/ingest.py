"""Schemas of the ingest package: the manifest it writes and the inputs it set aside."""

from __future__ import annotations

import pandera.pandas as pa
from pandera.typing import Series

import analysis.schemas._fields as fields
from analysis.schemas._table import Table

#: How precise ``published`` is; ``crawl`` means "on or before this crawl time" (no date in the page).
PRECISIONS = ["second", "minute", "day", "month", "year", "crawl", "unknown"]


class IngestedArticles(Table, grain=("article_id",)):
    """One row per article written by ``analysis.ingest.ingest``: the corpus folder's manifest.csv."""

    article_id: Series[str] = fields.article_id(str_matches=r"^[^:\s]+$")
    file: Series[str] = pa.Field(description="Text file of the article, relative to the corpus folder.")
    outlet: Series[str] = fields.outlet(str_length={"min_value": 1})
    title: Series[str] = pa.Field(nullable=True, description="Headline, when the page or a feed gives one.")
    published: Series[str] = pa.Field(
        nullable=True,
        description="Publication date or time (ISO 8601, the page's own time zone offset kept), when known.",
    )
    published_precision: Series[str] = pa.Field(
        isin=PRECISIONS,
        description="How precise 'published' is: second, minute, day, month, year, crawl (published on or "
        "before this crawl time; the page gave no date) or unknown.",
    )
    modified: Series[str] = pa.Field(
        nullable=True, description="Last modification date the page states, when it differs from 'published'."
    )
    author: Series[str] = pa.Field(nullable=True, description="Author(s) as the page or feed names them.")
    language: Series[str] = pa.Field(nullable=True, description="Language code the page declares.")
    url: Series[str] = pa.Field(nullable=True, description="URL of the page (capture URL or canonical link).")
    crawled: Series[str] = pa.Field(
        nullable=True, description="When the page was captured (WARC-Date), ISO 8601."
    )
    duplicate_group: Series[str] = pa.Field(
        nullable=True,
        description="article_id of the first article of its group of exact or near-duplicate texts; "
        "empty when the text has no duplicate.",
    )
    duplicate_kind: Series[str] = pa.Field(
        nullable=True,
        isin=["first", "exact", "near"],
        description="first (the group's earliest article), exact (same normalised text as the first) or "
        "near (shingle Jaccard at least near_duplicate); empty without duplicates.",
    )
    version_of: Series[str] = pa.Field(
        nullable=True,
        description="article_id of the first version of the same URL; empty for a first version.",
    )
    version: Series[int] = pa.Field(ge=1, description="Version of the URL's text, 1 for the first capture.")
    diff: Series[str] = pa.Field(
        nullable=True,
        description="Unified diff from the previous version (file relative to the corpus folder).",
    )
    provenance: Series[str] = pa.Field(
        description="How each field was found, as 'field: how' parts joined by '; '."
    )
    origin: Series[str] = pa.Field(
        description="The input the page came from (file, or WARC file and record)."
    )


class SkippedInputs(Table, grain=("origin",)):
    """One row per input that did not become an article, and why (``skipped.csv``)."""

    origin: Series[str] = pa.Field(description="The input: file, WARC file and record, or feed entry.")
    url: Series[str] = pa.Field(nullable=True, description="Its URL, when known.")
    reason: Series[str] = pa.Field(description="Why no article was written.")
