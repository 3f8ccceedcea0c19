"""The publication date of a page, with its precision and a note of where it was found.

Candidates are tried in this order, and the first possible one wins:

1. the page's own metadata or byline (htmldate, without the URL and without searching free text;
   when a machine-readable timestamp in ``<meta>``, ``<time datetime>`` or JSON-LD has that date,
   its time and time zone offset are kept as written);
2. what a feed or sitemap says about the URL (RSS ``pubDate``, Atom ``published``, news sitemap
   ``publication_date``);
3. a date in the URL (htmldate for year/month/day; ``/YYYY/MM/`` gives month precision);
4. the crawl time (WARC-Date): the page was published on or before it (precision ``crawl``).

A candidate before 1990, or after the crawl (after the time of the ingest, for a saved page with no
crawl time) is refused, and the refusal is noted in the provenance.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from urllib.parse import urlsplit

__all__ = ["EARLIEST", "Dated", "page_dates"]

#: Dates before this are refused as impossible for a news page on the web.
EARLIEST = date(1990, 1, 1)
#: Bounds given to htmldate so that it returns what it finds; this module refuses with a note instead.
_HTMLDATE_MIN, _HTMLDATE_MAX = datetime(1900, 1, 1), datetime(2200, 1, 1)
_URL_MONTH = re.compile(r"/((?:19|20)\d{2})/(0[1-9]|1[0-2])/")
_TIMESTAMP_XPATHS = (
    "//meta[@property='article:published_time' or @property='og:published_time' or "
    "@itemprop='datePublished' or @name='pubdate' or @name='publishdate' or @name='date' or "
    "@name='DC.date.issued' or @name='dc.date' or @name='parsely-pub-date' or @name='sailthru.date']/@content",
    "//time/@datetime",
)
_MODIFIED_XPATHS = (
    "//meta[@property='article:modified_time' or @property='og:updated_time' or "
    "@itemprop='dateModified' or @name='lastmod' or @name='last-modified']/@content",
)


@dataclass(frozen=True)
class Dated:
    """The dates of one page: ``published`` with its precision, how it was found, and ``modified``."""

    published: str | None
    precision: str
    note: str
    modified: str | None = None


def _parse(value: str) -> datetime | None:
    """An ISO 8601 date or date-time, or None."""
    try:
        return datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None


def _precision(value: str) -> str:
    parsed = _parse(value)
    if parsed is None:
        return "day"
    if len(value.strip()) <= 10:
        return "day"
    return "second" if parsed.second or parsed.microsecond else "minute"


def _json_ld_dates(tree, key: str) -> list[str]:
    found = []
    for script in tree.xpath("//script[@type='application/ld+json']/text()"):
        try:
            data = json.loads(script)
        except ValueError:
            continue
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, dict):
                if isinstance(item.get(key), str):
                    found.append(item[key])
                stack.extend(item.values())
            elif isinstance(item, list):
                stack.extend(reversed(item))
    return found


def _timestamp(tree, day: str, *, modified: bool = False) -> str | None:
    """The first machine-readable publication (or modification) timestamp in the page with a time of day
    whose date is ``day``, as written."""
    xpaths, key = (_MODIFIED_XPATHS, "dateModified") if modified else (_TIMESTAMP_XPATHS, "datePublished")
    for value in (*(v for xp in xpaths for v in tree.xpath(xp)), *_json_ld_dates(tree, key)):
        value = value.strip()
        parsed = _parse(value)
        if parsed is not None and len(value) > 10 and parsed.date().isoformat() == day:
            return value
    return None


def _impossible(value: str, upper: datetime) -> str | None:
    """Why ``value`` cannot be a publication date (before 1990, after ``upper``), or None."""
    parsed = _parse(value)
    if parsed is None:
        return None
    if parsed.date() < EARLIEST:
        return f"before {EARLIEST.year}"
    if parsed.tzinfo is not None:
        late = parsed > upper
    else:  # a date or local time without offset: compare calendar days
        late = parsed.date() > upper.date()
    return "after the crawl time" if late else None


def page_dates(
    html: str, tree, *, url: str | None, crawled: str | None, feed_date: tuple[str, str] | None, now: datetime
) -> Dated:
    """The publication date of one page by the rules of this module.

    Parameters
    ----------
    html : str
        The decoded page.
    tree : lxml element
        The parsed page (for timestamps).
    url : str, optional
        The page's URL.
    crawled : str, optional
        Capture time (ISO 8601).
    feed_date : (str, str), optional
        ``(date, how)`` from a feed or sitemap entry for this URL.
    now : datetime
        Upper bound for a page without a crawl time.
    """
    import htmldate  # defers htmldate (and dateparser) until dates are read

    bounds = {"min_date": _HTMLDATE_MIN, "max_date": _HTMLDATE_MAX}
    page_day = htmldate.find_date(html, extensive_search=False, original_date=True, **bounds)
    modified_day = htmldate.find_date(html, extensive_search=False, original_date=False, **bounds)
    candidates: list[tuple[str, str, str]] = []
    if page_day:
        stamp = _timestamp(tree, page_day)
        how = "page metadata or byline (htmldate)" + (f", time from {stamp!r}" if stamp else "")
        candidates.append((stamp or page_day, _precision(stamp) if stamp else "day", how))
    if feed_date:
        candidates.append((feed_date[0], _precision(feed_date[0]), feed_date[1]))
    if url:
        url_day = htmldate.find_date("<html></html>", url=url, extensive_search=False, **bounds)
        month = _URL_MONTH.search(
            urlsplit(url).path
        )  # dates in host names or queries are not publication dates
        if url_day:
            candidates.append((url_day, "day", "URL (htmldate)"))
        elif month:
            candidates.append((f"{month[1]}-{month[2]}", "month", "year and month in the URL"))
    if crawled:
        candidates.append((crawled, "crawl", "crawl time (WARC-Date): published on or before it"))
    upper = (_parse(crawled) if crawled else None) or now
    if upper.tzinfo is None:
        upper = upper.replace(tzinfo=UTC)
    refused = []
    modified_stamp = _timestamp(tree, modified_day, modified=True) if modified_day else None
    modified = modified_stamp or modified_day
    page_value = candidates[0][0] if page_day else None
    modified = modified if modified and modified not in (page_day, page_value) else None
    for value, precision, how in candidates:
        reason = _impossible(value if precision != "month" else f"{value}-01", upper)
        if reason:
            refused.append(f"refused {value} from {how.split(' (')[0]}: {reason}")
            continue
        return Dated(value, precision, "; ".join([how, *refused]), modified)
    return Dated(None, "unknown", "; ".join(["no date found", *refused]), modified)
