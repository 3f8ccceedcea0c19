"""Inputs of an ingest, streamed: saved pages, WARC records and feed or sitemap entries.

Every source becomes :class:`Page` objects (the raw bytes of one HTML document and where they came
from) or :class:`FeedEntry` objects (what a feed or sitemap says about a URL). WARC files are read
record by record with warcio, so memory holds one record at a time whatever the archive's size.
Files in a folder are read in sorted order; nothing here depends on the order of the results.
"""

from __future__ import annotations

import email.utils
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from lxml import etree

from analysis.corpus import CorpusError, require_file

__all__ = ["FeedEntry", "Page", "Skip", "feed_entries", "normalise_url", "pages", "split_sources"]

#: Suffixes read as saved web pages, WARC archives and feeds or sitemaps.
PAGE_SUFFIXES = (".html", ".htm", ".xhtml")
WARC_SUFFIXES = (".warc", ".warc.gz")
FEED_SUFFIXES = (".xml", ".rss", ".atom")
#: A WARC record larger than this is set aside (with a note), never read into memory.
MAX_RECORD_BYTES = 20 * 2**20


@dataclass(frozen=True)
class Page:
    """One HTML document to extract: its bytes, URL, capture time and where it came from."""

    raw: bytes
    origin: str
    url: str | None = None
    crawled: str | None = None
    charset: str | None = None  # declared by the HTTP Content-Type header, when there was one


@dataclass(frozen=True)
class Skip:
    """An input that is not a page to extract, and why (written to skipped.csv)."""

    origin: str
    url: str | None
    reason: str


@dataclass(frozen=True)
class FeedEntry:
    """What an RSS/Atom feed or a sitemap says about one URL."""

    url: str
    origin: str
    kind: str  # "RSS item", "Atom entry" or "sitemap entry"
    title: str | None = None
    published: str | None = None
    author: str | None = None


def normalise_url(url: str) -> str:
    """``url`` with scheme and host in lower case, tracking parameters and the fragment dropped (courlan)."""
    from courlan import normalize_url  # defers courlan's import until URLs are compared

    parts = urlsplit(normalize_url(url.strip()))
    return urlunsplit((parts.scheme, parts.netloc, parts.path.rstrip("/") or "/", parts.query, ""))


def _kind(path: Path) -> str:
    name = path.name.lower()
    if name.endswith(WARC_SUFFIXES):
        return "warc"
    if name.endswith(PAGE_SUFFIXES):
        return "page"
    if name.endswith(FEED_SUFFIXES):
        return "feed"
    return "other"


def split_sources(sources: Iterable[str | os.PathLike]) -> tuple[list[Path], list[Path]]:
    """The feed files and the page or WARC files among ``sources`` (folders walked, in sorted order).

    Raises
    ------
    CorpusError
        When a source does not exist, is not a regular file or folder, or is a file of another kind.
    """
    feeds, documents = [], []
    for source in sources:
        path = Path(source)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and _kind(p) != "other")
            if not found:
                raise CorpusError(
                    f"{path}: no .html, .warc, .warc.gz or feed (.xml, .rss, .atom) file in this folder"
                )
        else:
            require_file(path)
            if _kind(path) == "other":
                raise CorpusError(
                    f"{path}: expected a saved page (.html, .htm), a WARC file (.warc, .warc.gz), "
                    "an RSS/Atom feed or a sitemap (.xml, .rss, .atom), or a folder of them"
                )
            found = [path]
        for file in found:
            (feeds if _kind(file) == "feed" else documents).append(file)
    return feeds, documents


def pages(documents: Iterable[Path]) -> Iterator[Page | Skip]:
    """Every saved page and every HTML response of every WARC file in ``documents``, streamed."""
    for path in documents:
        if _kind(path) == "warc":
            yield from _warc_pages(path)
        else:
            yield Page(raw=path.read_bytes(), origin=str(path))


def _warc_pages(path: Path) -> Iterator[Page | Skip]:
    """HTML responses of one WARC file, one record in memory at a time; other responses are skipped with a reason."""
    from warcio.archiveiterator import ArchiveIterator  # defers warcio until a WARC file is read
    from warcio.exceptions import ArchiveLoadFailed

    with path.open("rb") as fh:
        records = ArchiveIterator(fh)
        number = 0
        while True:
            try:
                record = next(records, None)
            except ArchiveLoadFailed as exc:
                raise CorpusError(
                    f"{path}: record {number + 1}: not a readable WARC record ({exc})"
                ) from None
            if record is None:
                return
            number += 1
            if record.format != "warc":  # warcio also reads the older ARC format, and takes any text for it
                raise CorpusError(f"{path}: record {number}: not a readable WARC record (no WARC/1.x header)")
            if record.rec_type not in ("response", "resource"):
                continue  # requests, metadata and warcinfo records describe the crawl, not pages
            origin = f"{path}#record {number}"
            url = record.rec_headers.get_header("WARC-Target-URI")
            crawled = record.rec_headers.get_header("WARC-Date")
            http = record.http_headers
            status = http.get_statuscode() if http is not None else "200"
            content_type = (http.get_header("Content-Type") if http is not None else None) or (
                record.rec_headers.get_header("Content-Type") or ""
            )
            length = int(record.rec_headers.get_header("Content-Length") or 0)
            reason = (
                f"HTTP status {status}"
                if status != "200"
                else f"not an HTML page ({content_type or 'no content type'})"
                if "html" not in content_type.lower()
                else f"record of {length} bytes, over the limit of {MAX_RECORD_BYTES}"
                if length > MAX_RECORD_BYTES
                else None
            )
            if reason:
                yield Skip(origin, url, reason)
                continue
            yield Page(
                raw=record.content_stream().read(),
                origin=origin,
                url=url,
                crawled=crawled,
                charset=_charset(content_type),
            )


def _charset(content_type: str) -> str | None:
    for part in content_type.split(";")[1:]:
        key, _, value = part.partition("=")
        if key.strip().lower() == "charset" and value.strip():
            return value.strip().strip("\"'")
    return None


# ---------------------------------------------------------------- feeds and sitemaps


def _local(tag: object) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def _child_text(element, *names: str) -> str | None:
    for child in element:
        if _local(child.tag) in names and (child.text or "").strip():
            return child.text.strip()
    return None


def feed_entries(path: Path) -> list[FeedEntry]:
    """The entries of an RSS 2.0, Atom or sitemap file (sitemaps with the news extension give titles and dates).

    Raises
    ------
    CorpusError
        When the file is not well-formed XML, or is XML of another kind.
    """
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.parse(str(path), parser).getroot()
    except etree.XMLSyntaxError as exc:
        raise CorpusError(f"{path}: not a well-formed feed or sitemap ({exc})") from None
    kind = _local(root.tag)
    if kind == "rss":
        return [_rss_entry(item, path) for item in root.iter("item") if _child_text(item, "link")]
    if kind == "feed":
        return [e for e in (_atom_entry(entry, path) for entry in root if _local(entry.tag) == "entry") if e]
    if kind == "urlset":
        return [
            _sitemap_entry(url, path) for url in root if _local(url.tag) == "url" and _child_text(url, "loc")
        ]
    raise CorpusError(
        f"{path}: expected an RSS <rss>, Atom <feed> or sitemap <urlset> document, found <{kind}>"
    )


def _rss_entry(item, path: Path) -> FeedEntry:
    pub = _child_text(item, "pubDate", "date")
    try:
        published = email.utils.parsedate_to_datetime(pub).isoformat() if pub else None
    except (TypeError, ValueError):
        published = pub if pub and pub[:4].isdigit() else None  # dc:date is ISO 8601 already
    return FeedEntry(
        url=_child_text(item, "link"),
        origin=str(path),
        kind="RSS item",
        title=_child_text(item, "title"),
        published=published,
        author=_child_text(item, "creator", "author"),
    )


def _atom_entry(entry, path: Path) -> FeedEntry | None:
    links = [c for c in entry if _local(c.tag) == "link" and c.get("rel", "alternate") == "alternate"]
    if not links or not links[0].get("href"):
        return None
    author = next((_child_text(a, "name") for a in entry if _local(a.tag) == "author"), None)
    return FeedEntry(
        url=links[0].get("href"),
        origin=str(path),
        kind="Atom entry",
        title=_child_text(entry, "title"),
        published=_child_text(entry, "published"),
        author=author,
    )


def _sitemap_entry(url, path: Path) -> FeedEntry:
    news = next((c for c in url if _local(c.tag) == "news"), None)
    return FeedEntry(
        url=_child_text(url, "loc"),
        origin=str(path),
        kind="sitemap entry",
        title=_child_text(news, "title") if news is not None else None,
        published=_child_text(news, "publication_date") if news is not None else None,
    )
