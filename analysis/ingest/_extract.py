"""One page to one article record: decoding, main text and metadata (trafilatura), dates, outlet.

The main text is what trafilatura keeps of the page (no navigation, cookie banners, related links,
bylines or footers), one paragraph per block, paragraphs separated by a blank line. Every field
carries a note of how it was found; the notes become the ``provenance`` column.
"""

from __future__ import annotations

import codecs
import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from analysis.corpus.text import count_words
from analysis.ingest._dates import page_dates
from analysis.ingest._sources import FeedEntry, Page, Skip, normalise_url

__all__ = ["Extracted", "extract_page", "outlet_of"]

#: WHATWG: pages labelled latin-1 or ASCII are decoded as windows-1252, as browsers do.
_BROWSER_CODECS = {"latin-1": "cp1252", "iso8859-1": "cp1252", "ascii": "cp1252"}
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


@dataclass(frozen=True)
class Extracted:
    """An article found in a page: the manifest fields, the text and what identifies it."""

    fields: dict
    text: str
    url_key: str | None  # normalised URL: captures of one URL are versions of one article


def _declared_codec(label: str | None) -> str | None:
    if not label:
        return None
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    return _BROWSER_CODECS.get(name, name)


def decode(page: Page) -> tuple[str, str]:
    """The page as text and a note naming the encoding and how it was chosen.

    The HTTP header's charset comes first, then a byte-order mark, then ``<meta charset>``, then
    UTF-8 if the bytes are valid UTF-8, then charset_normalizer's best guess.
    """
    raw = page.raw
    if raw.startswith(codecs.BOM_UTF8):
        return raw[3:].decode("utf-8", errors="replace"), "utf-8 (byte-order mark)"
    meta = _META_CHARSET.search(raw[:4096])
    for label, how in ((page.charset, "HTTP header"), (meta and meta[1].decode("ascii"), "<meta charset>")):
        codec = _declared_codec(label)
        if codec is not None:
            try:
                return raw.decode(codec), f"{codec} ({how})"
            except UnicodeDecodeError:
                continue
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        from charset_normalizer import from_bytes  # defers charset_normalizer until a page needs a guess

        best = from_bytes(raw).best()
        codec = best.encoding if best is not None else "cp1252"
        return raw.decode(codec, errors="replace"), f"{codec} (guessed by charset_normalizer)"


def outlet_of(url: str | None, outlet_map: Mapping[str, str]) -> tuple[str | None, str]:
    """The outlet of a URL: the user's name for its host or a parent domain, else its registered domain.

    Returns
    -------
    (str or None, str)
        The outlet and how it was found.
    """
    host = (urlsplit(url).hostname or "") if url else ""
    if not host:
        return None, ""
    labels = host.split(".")
    for i in range(len(labels)):
        domain = ".".join(labels[i:])
        if domain in outlet_map:
            return outlet_map[domain], f"outlet_map entry for {domain}"
    from tld import get_fld  # defers tld's suffix list until an outlet is named

    domain = get_fld(host, fix_protocol=True, fail_silently=True) or host.removeprefix("www.")
    return domain, f"domain of the URL ({domain})"


def _language(tree) -> tuple[str | None, str]:
    for xpath, how in (
        ("/html/@lang", "<html lang>"),
        ("//meta[@http-equiv='content-language']/@content", "<meta content-language>"),
        ("//meta[@property='og:locale']/@content", "og:locale"),
    ):
        values = [v.strip() for v in tree.xpath(xpath) if v.strip()]
        if values:
            return re.split(r"[-_]", values[0])[0].lower(), f"{how} {values[0]!r}"
    return None, "not declared in the page"


def _paragraphs(text: str) -> str:
    """trafilatura's text with one blank line between paragraphs (how the corpus loader splits them)."""
    return "\n\n".join(line.strip() for line in text.splitlines() if line.strip())


def extract_page(
    page: Page, *, feeds: Mapping[str, FeedEntry], outlet_map: Mapping[str, str], now: datetime
) -> Extracted | Skip:
    """The article in ``page``, or why there is none.

    Parameters
    ----------
    page : Page
        Raw HTML and where it came from.
    feeds : mapping
        Normalised URL -> feed or sitemap entry (titles, dates, authors).
    outlet_map : mapping
        Domain -> outlet name.
    now : datetime
        When the ingest started (the latest possible date of a saved page without crawl time).
    """
    import trafilatura  # defers trafilatura and lxml until pages are extracted

    html, encoding = decode(page)
    tree = trafilatura.load_html(html)
    if tree is None:
        return Skip(page.origin, page.url, "not parseable as HTML")
    doc = trafilatura.bare_extraction(
        html,
        url=page.url,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        deduplicate=False,
    )
    if doc is None or not doc.text or not count_words(doc.text):
        return Skip(page.origin, page.url, "no main text found (trafilatura)")
    notes = {"text": "main text by trafilatura", "encoding": encoding}
    url = page.url
    if url:
        notes["url"] = "WARC-Target-URI" if page.crawled else "given"
    elif doc.url:
        url, notes["url"] = doc.url, "canonical link or og:url in the page (trafilatura)"
    feed = feeds.get(normalise_url(url)) if url else None
    outlet, notes["outlet"] = outlet_of(url, outlet_map)
    if outlet is None:
        outlet = doc.sitename or "unknown"
        notes["outlet"] = (
            "site name in the page (no URL)" if doc.sitename else "no URL or site name: 'unknown'"
        )
    title, notes["title"] = doc.title, "page metadata (trafilatura)"
    if not title and feed and feed.title:
        title, notes["title"] = feed.title, f"{feed.kind} in {feed.origin}"
    author, notes["author"] = doc.author, "page metadata or byline (trafilatura)"
    if not author and feed and feed.author:
        author, notes["author"] = feed.author, f"{feed.kind} in {feed.origin}"
    language, notes["language"] = _language(tree)
    feed_date = (feed.published, f"{feed.kind} in {feed.origin}") if feed and feed.published else None
    dated = page_dates(html, tree, url=url, crawled=page.crawled, feed_date=feed_date, now=now)
    notes["published"] = dated.note
    text = _paragraphs(doc.text)
    identity = hashlib.sha256(f"{url or page.origin}\n{text}".encode()).hexdigest()[:16]
    host = urlsplit(url).hostname if url else None
    prefix = re.sub(r"[^0-9A-Za-z]+", "-", (host or "").removeprefix("www.")).strip("-")
    fields = dict(
        article_id=f"{prefix or 'page'}-{identity}",
        outlet=outlet,
        title=title,
        published=dated.published,
        published_precision=dated.precision,
        modified=dated.modified,
        author=author or None,
        language=language,
        url=url,
        crawled=page.crawled,
        provenance="; ".join(f"{k}: {v}" for k, v in notes.items() if v),
        origin=page.origin,
    )
    return Extracted(fields, text, normalise_url(url) if url else None)
