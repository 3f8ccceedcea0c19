"""What the loader (:mod:`analysis.corpus._load`) and the readers (:mod:`analysis.corpus._readers`) share:
the optional metadata columns, the text-file suffixes and :class:`CorpusError`."""

from __future__ import annotations

__all__ = ["OPTIONAL_COLUMNS", "TEXT_SUFFIXES", "CorpusError"]

#: Metadata columns an article may carry besides ``article_id``, ``outlet`` and ``text``.
OPTIONAL_COLUMNS = (
    "outlet_type",
    "title",
    "published",
    "published_precision",
    "event_id",
    "language",
    "country",
    "url",
    "provenance",
)
#: Suffixes of the per-article text files a manifest folder may list.
TEXT_SUFFIXES = {".txt", ".text", ".md"}


class CorpusError(ValueError):
    """Input that cannot be loaded; the message names the file or row and the problem."""
