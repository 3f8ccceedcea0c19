"""Ingest: saved web pages, WARC archives and RSS/Atom or sitemap files into a corpus folder.

:func:`ingest` writes ``manifest.csv`` and one text file per article, which
:func:`analysis.corpus.load_corpus` reads; ``coverage-compare ingest SOURCES... --out DIR`` runs it
under the output-folder rules of the other commands. Main text and metadata come from trafilatura,
dates from htmldate (page metadata and byline before feeds, the URL and the crawl time, each with
its precision; impossible dates refused with a note), WARC records from warcio, one at a time.
Exact and near-duplicate texts are linked (``duplicate_group``), captures of one URL numbered as
versions with a diff from the one before; nothing is dropped without a row in ``skipped.csv``.
The rules are in ``docs/ingest.md``.
"""

from __future__ import annotations

from analysis.ingest._ingest import OUTPUT_ENTRIES, Ingested, ingest

__all__ = ["OUTPUT_ENTRIES", "Ingested", "ingest"]
