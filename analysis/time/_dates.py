"""Publication dates as time windows: what is known of when each article appeared.

A manifest date is only as precise as ``published_precision`` says (docs/time.md). Each article
gets a half-open **window** ``[window_start, window_end)`` in UTC that holds its publication:

* ``second``, ``minute``: the second or minute the string names, ``2024-03-01T08:00Z``
  -> [08:00, 08:01);
* ``day``: that calendar day; ``week``: the ISO week (Monday to Sunday) holding the date;
  ``month``, ``year``: that calendar month or year;
* ``crawl`` (ingest: the page was captured then, published on or before it), ``unknown`` or no
  date: no window. Such articles are never placed in a period nor ordered against another.

A day is a day where the article was published: with an offset (``2023-09-21T02:00+09:00``,
precision day) the window is the day in that offset, converted to UTC; without one the date is
read as a UTC day, as :func:`analysis.topics.stories` reads it (midnight UTC). ``published`` is the
instant as ``stories`` has it, and ``utc_offset`` keeps the offset written ('' when none).

An empty precision is read from the string: a time of day gives ``minute`` (``second`` when
seconds are written), ``2023-09`` ``month``, ``2023`` ``year``, a date ``day``. A stated precision finer than the string (``day`` for ``2023-09``)
is refused. Dates that are not ISO 8601 but that pandas reads are taken to the day.

Two windows are **ordered** only when they do not overlap: two articles of the same day with
day precision are never put one before the other. A window is **placed** in a period of a
calendar (``freq`` 'D', 'W' (ISO weeks), 'M') only when it lies inside one period: a week-precision
date is never put on a day.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Literal

import numpy as np
import pandas as pd

from analysis.corpus import articles_of
from analysis.schemas import validate
from analysis.schemas.time import PRECISIONS, ArticleDates

__all__ = ["FREQS", "Freq", "article_dates", "articles_of", "periods", "period_range", "overlaps"]

#: Calendars over_time bins by: day, ISO week (Monday to Sunday), month.
Freq = Literal["D", "W", "M"]
FREQS: tuple[str, ...] = ("D", "W", "M")

_ISO = re.compile(
    r"^(?P<year>\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2}))?)?"
    r"(?:[T ](?P<hour>\d{2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:\.\d+)?)?"
    r"\s*(?P<tz>Z|[+-]\d{2}:?\d{2})?)?$"
)
#: Precisions from finest to coarsest; a stated precision may not be finer than the string.
_RANK = {"second": 0, "minute": 1, "day": 2, "week": 3, "month": 4, "year": 5}
_ARTICLE_COLUMNS = ("outlet_type", "country", "language")


def _offset(tz: str | None) -> tuple[timedelta | None, str]:
    """The UTC offset written in an ISO string ('Z', '+09:00', '-0500') and its '+HH:MM' form."""
    if tz is None:
        return None, ""
    if tz == "Z":
        return timedelta(0), "+00:00"
    sign = -1 if tz[0] == "-" else 1
    hours, minutes = int(tz[1:3]), int(tz[-2:])
    return sign * timedelta(hours=hours, minutes=minutes), f"{tz[0]}{hours:02d}:{minutes:02d}"


def _add_months(moment: datetime, months: int) -> datetime:
    total = moment.year * 12 + moment.month - 1 + months
    return moment.replace(year=total // 12, month=total % 12 + 1)


def _window(local: datetime, precision: str) -> tuple[datetime, datetime]:
    """The local window ``[start, end)`` of a date read at ``precision``."""
    day = local.replace(hour=0, minute=0, second=0, microsecond=0)
    if precision == "second":
        start = local.replace(microsecond=0)
        return start, start + timedelta(seconds=1)
    if precision == "minute":
        start = local.replace(second=0, microsecond=0)
        return start, start + timedelta(minutes=1)
    if precision == "day":
        return day, day + timedelta(days=1)
    if precision == "week":
        monday = day - timedelta(days=day.weekday())
        return monday, monday + timedelta(days=7)
    if precision == "month":
        first = day.replace(day=1)
        return first, _add_months(first, 1)
    first = day.replace(month=1, day=1)
    return first, _add_months(first, 12)


def _read(published, stated, article_id: str) -> tuple[str, str, datetime | None, datetime | None]:
    """``(precision, utc_offset, window_start, window_end)`` of one manifest date (naive UTC datetimes)."""
    text = published.strip() if isinstance(published, str) else ""
    stated = stated.strip().lower() if isinstance(stated, str) else ""
    if stated and stated not in PRECISIONS:
        raise ValueError(
            f"article {article_id!r}: published_precision {stated!r} is not one of {list(PRECISIONS)}"
        )
    if not text or stated in ("unknown", "crawl"):
        return "crawl" if text and stated == "crawl" else "unknown", "", None, None
    match = _ISO.match(text)
    if match is None:
        parsed = pd.to_datetime(text, errors="coerce", utc=True, format="mixed")
        if pd.isna(parsed):
            return "unknown", "", None, None
        local, resolution, offset, written = parsed.tz_convert(None).to_pydatetime(), "day", None, ""
    else:
        parts = match.groupdict()
        resolution = (
            ("second" if parts["second"] else "minute")
            if parts["hour"]
            else ("day" if parts["day"] else "month" if parts["month"] else "year")
        )
        local = datetime(
            int(parts["year"]),
            int(parts["month"] or 1),
            int(parts["day"] or 1),
            int(parts["hour"] or 0),
            int(parts["minute"] or 0),
            int(parts["second"] or 0),
        )
        offset, written = _offset(parts["tz"])
    precision = stated or resolution
    if _RANK[precision] < _RANK[resolution]:
        raise ValueError(
            f"article {article_id!r}: published {text!r} is not precise to the {precision} "
            f"(published_precision); it is known to the {resolution}"
        )
    start, end = _window(local, precision)
    if offset is not None:
        start, end = start - offset, end - offset
    return precision, written, start, end


def _utc(values: list) -> pd.Series:
    return pd.to_datetime(pd.Series(values, dtype="datetime64[ns]")).dt.tz_localize("UTC").dt.as_unit("ns")


def article_dates(corpus) -> pd.DataFrame:
    """When each article was published, as precisely as the manifest says: its UTC window.

    Parameters
    ----------
    corpus : Corpus or DataFrame
        A loaded corpus or its articles table (``article_id``, ``outlet``; ``published``,
        ``published_precision``, ``outlet_type``, ``country``, ``language`` used when present).

    Returns
    -------
    DataFrame
        Schema :class:`analysis.schemas.time.ArticleDates`, one row per article in corpus order:
        ``article_id``, ``outlet``, ``outlet_type``, ``country``, ``language`` ('' when not given),
        ``published`` (UTC instant as :func:`analysis.topics.stories` has it, NaT when unknown),
        ``utc_offset`` (as written, '+HH:MM'; '' when none), ``precision`` (second, minute, day,
        week, month, year, crawl or unknown), ``window_start``, ``window_end`` (UTC, end excluded; NaT when unknown).

    Raises
    ------
    ValueError
        On an unknown precision, or a precision finer than the date written.
    """
    articles = articles_of(corpus)
    published = (
        articles["published"] if "published" in articles.columns else pd.Series(None, index=articles.index)
    )
    stated = (
        articles["published_precision"]
        if "published_precision" in articles.columns
        else pd.Series(None, index=articles.index)
    )
    # one reading per distinct (date, precision): a corpus holds many articles per day
    distinct: dict[tuple, int] = {}
    codes = np.empty(len(articles), dtype=np.int64)
    read = []
    for row, (date, precision, article_id) in enumerate(
        zip(published, stated, articles["article_id"].astype(str), strict=True)
    ):
        key = (date if isinstance(date, str) else None, precision if isinstance(precision, str) else None)
        if key not in distinct:
            distinct[key] = len(read)
            read.append(_read(*key, article_id))
        codes[row] = distinct[key]
    out = pd.DataFrame(
        {
            "article_id": articles["article_id"].astype(str).to_numpy(),
            "outlet": articles["outlet"].astype(str).to_numpy(),
        }
    )
    for column in _ARTICLE_COLUMNS:
        values = articles[column] if column in articles.columns else pd.Series("", index=articles.index)
        out[column] = [v if isinstance(v, str) else "" for v in values]
    instants = pd.to_datetime(
        pd.Series([key[0] for key in distinct], dtype=object), errors="coerce", utc=True, format="mixed"
    )
    out["published"] = instants.dt.as_unit("ns").to_numpy()[codes] if len(out) else instants
    out["utc_offset"] = np.asarray([r[1] for r in read], dtype=object)[codes]
    out["precision"] = np.asarray([r[0] for r in read], dtype=object)[codes]
    for k, column in ((2, "window_start"), (3, "window_end")):
        out[column] = _utc([r[k] for r in read]).to_numpy()[codes]
        out[column] = pd.to_datetime(out[column], utc=True).dt.as_unit("ns")
    out["published"] = pd.to_datetime(out["published"], utc=True).dt.as_unit("ns")
    return validate(out, ArticleDates, table="article_dates")


def periods(dates: pd.DataFrame, freq: Freq) -> pd.Series:
    """The calendar period (pandas Period of ``freq``) holding each window, NaT where it spans two or is unknown."""
    if freq not in FREQS:
        raise ValueError(f"freq must be one of {list(FREQS)}, got {freq!r}")
    start = dates["window_start"].dt.tz_convert(None).dt.to_period(freq)
    last = (dates["window_end"] - pd.Timedelta(1, "ns")).dt.tz_convert(None).dt.to_period(freq)
    return start.where(start == last)


def period_range(placed: pd.Series, freq: Freq) -> pd.PeriodIndex:
    """Every period from the first to the last of ``placed`` (empty when none is placed)."""
    known = placed.dropna()
    if known.empty:
        return pd.PeriodIndex([], freq=freq)
    return pd.period_range(known.min(), known.max(), freq=freq)


def overlaps(start: np.ndarray, end: np.ndarray, ref_start, ref_end) -> np.ndarray:
    """Whether each window ``[start, end)`` overlaps ``[ref_start, ref_end)`` (False where a bound is NaT)."""
    start, end, ref_start, ref_end = (_as_utc(x) for x in (start, end, ref_start, ref_end))
    return np.asarray((start < ref_end) & (ref_start < end))


def _as_utc(times) -> pd.DatetimeIndex:
    """``times`` as UTC instants; naive values (all-missing columns come out naive) are taken as UTC."""
    index = pd.DatetimeIndex(times)
    return index.tz_localize("UTC") if index.tz is None else index.tz_convert("UTC")
