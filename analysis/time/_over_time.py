"""Coverage over time: any per-article or per-unit table binned by calendar period, per outlet or group.

Each article of the corpus is placed in the period (day, ISO week, month) that holds its whole date
window (:mod:`analysis.time._dates`); an article whose window is unknown or spans two periods is
counted in the row ``period == 'not placed'``, never guessed onto a day.

Measures, per group and period:

* without ``value``: ``n_articles``, the articles of the group with a row in ``table``;
  ``share_of_output``, that count over all the group's articles in the corpus (so an outlet's
  curve is the distribution of its attention over time, comparable between outlets of different
  sizes); ``share_of_volume``, that count over a user's total volume of the group in the period
  (e.g. every article the outlet published, as Media Cloud normalises), when ``volume`` is given;
* with ``value``: ``mean``, the mean of that column over the table's rows in the period (per-unit
  tables: units pooled, so an article weighs by its units).

Intervals resample **articles**: each replicate draws as many articles as the group has in the
corpus, with replacement, from the group's articles (a unit's rows travel with their article), and
recomputes every period's measure; ``ci_low``/``ci_high`` are percentiles of the replicates where the
measure is defined. A period whose estimate rests on fewer than ``min_articles`` articles is flagged
(``enough`` False), not dropped.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from analysis.schemas import validate
from analysis.schemas.time import UNPLACED, OverTime
from analysis.time._dates import Freq, article_dates, articles_of, period_range, periods
from analysis.time._groups import group_of_articles

__all__ = ["over_time", "check_resampling", "percentiles", "placed_periods"]

#: Most article draws held in memory at once (replicates x articles) while resampling.
_DRAWS_PER_CHUNK = 4_000_000


def check_resampling(n_boot: int, ci: float) -> None:
    """Refuse a replicate count below 1 or an interval coverage outside (0, 1)."""
    if not isinstance(n_boot, int | np.integer) or n_boot < 1:
        raise ValueError(f"n_boot must be an integer >= 1, got {n_boot!r}")
    if not 0 < ci < 1:
        raise ValueError(f"ci must be between 0 and 1 (0.95 = 95%), got {ci!r}")


def percentiles(draws: np.ndarray, ci: float) -> tuple[np.ndarray, np.ndarray]:
    """Per column, the ``ci`` percentile interval of the replicates that are not NaN (NaN when none is)."""
    tail = (1 - ci) / 2
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN columns give NaN, as they should
        low, high = np.nanquantile(draws, [tail, 1 - tail], axis=0)
    return low, high


def placed_periods(corpus, freq: Freq) -> tuple[pd.DataFrame, pd.Series, pd.PeriodIndex]:
    """The corpus's article dates, each article's period (NaT when not placed) and every period in between."""
    dates = article_dates(corpus)
    placed = periods(dates, freq)
    return dates, placed, period_range(placed, freq)


def _per_article(table: pd.DataFrame, article_ids: pd.Series, value: str | None) -> tuple[np.ndarray, ...]:
    """Per corpus article: 1 if ``table`` has a row of it, its rows, and the sum of ``value`` over them."""
    if "article_id" not in table.columns:
        raise ValueError("table lacks column article_id")
    unknown = set(table["article_id"].astype(str)) - set(article_ids)
    if unknown:
        raise ValueError(f"table has rows of article(s) the corpus lacks: {sorted(unknown)[:3]}")
    rows = table.assign(_rows=1, article_id=table["article_id"].astype(str))
    if value is not None:
        if value not in table.columns:
            raise ValueError(f"table has no column {value!r} (value)")
        numbers = pd.to_numeric(table[value].astype(float), errors="raise")
        if numbers.isna().any():
            raise ValueError(f"{value!r} has missing values: fill or drop those rows first")
        rows["_sum"] = numbers.to_numpy()
    else:
        rows["_sum"] = 0.0
    sums = rows.groupby("article_id", sort=False)[["_rows", "_sum"]].sum().reindex(article_ids, fill_value=0)
    units = sums["_rows"].to_numpy(dtype=float)
    return (units > 0).astype(float), units, sums["_sum"].to_numpy(dtype=float)


def _volume_of(volume: pd.DataFrame, by: str, freq: Freq) -> dict[tuple[str, pd.Period], float]:
    """(group, period) -> total volume from a table with ``by``, ``period`` and ``n``."""
    missing = {by, "period", "n"} - set(volume.columns)
    if missing:
        raise ValueError(f"volume lacks column(s) {sorted(missing)}")
    keys = zip(volume[by].astype(str), (pd.Period(p, freq=freq) for p in volume["period"]), strict=True)
    return dict(zip(keys, volume["n"].astype(float), strict=True))


def _resampled_sums(
    bins: np.ndarray, n_bins: int, columns: list[np.ndarray], n_boot: int, generator: np.random.Generator
) -> list[np.ndarray]:
    """Per replicate and bin, the sum of each of ``columns`` over a resample of the articles (n_boot x n_bins)."""
    size = len(bins)
    out = [np.zeros((n_boot, n_bins)) for _ in columns]
    chunk = max(1, _DRAWS_PER_CHUNK // max(size, 1))
    for first in range(0, n_boot, chunk):
        count = min(chunk, n_boot - first)
        drawn = generator.integers(0, size, size=(count, size))
        flat = (bins[drawn] + np.arange(count)[:, None] * n_bins).ravel()
        for total, column in zip(out, columns, strict=True):
            total[first : first + count] = np.bincount(
                flat, weights=column[drawn].ravel(), minlength=count * n_bins
            ).reshape(count, n_bins)
    return out


def over_time(
    table: pd.DataFrame,
    corpus,
    *,
    by: str = "outlet",
    freq: Freq = "W",
    value: str | None = None,
    volume: pd.DataFrame | None = None,
    group_table: pd.DataFrame | None = None,
    min_articles: int = 5,
    n_boot: int = 1000,
    ci: float = 0.95,
    random_state: int = 0,
) -> pd.DataFrame:
    """Counts, shares or means of ``table`` per group and calendar period, with intervals from resampling articles.

    Parameters
    ----------
    table : DataFrame
        Any table with ``article_id``: the articles (or units: paragraphs, sentences, quotes, topic
        assignments) to count, or carrying the ``value`` to average.
    corpus : Corpus or DataFrame
        The corpus the table comes from: dates, outlets and each group's total output.
    by : str
        Group column: an article column (``outlet``, ``outlet_type``, ``country``, ``language``) or
        the group column of ``group_table``.
    freq : 'D', 'W' or 'M'
        Day, ISO week (Monday to Sunday) or month, in UTC.
    value : str, optional
        Numeric (or boolean) column of ``table`` to average; without it, articles are counted.
    volume : DataFrame, optional
        The group's total volume per period: ``by``, ``period`` (any label pandas reads as a period
        of ``freq``, e.g. '2023-09-20' or '2023-09') and ``n``; adds ``share_of_volume``.
    group_table : DataFrame, optional
        :func:`analysis.time.outlet_groups` output, when ``by`` names its group column.
    min_articles : int
        Fewest articles behind an estimate for ``enough`` to be True.
    n_boot, ci, random_state
        Replicates, interval coverage and seed of the resampling of articles.

    Returns
    -------
    DataFrame
        Schema :class:`analysis.schemas.time.OverTime`, one row per group (corpus order), period
        (every period from the first to the last placed article, then 'not placed' when some article
        is) and measure: the ``by`` column, ``period``, ``period_start``, ``measure`` (``n_articles``,
        ``share_of_output`` and, with ``volume``, ``share_of_volume``; or ``mean``), ``estimate``,
        ``ci_low``, ``ci_high``, ``n_articles``, ``n_units``, ``n_output``, ``enough``.
    """
    check_resampling(n_boot, ci)
    if min_articles < 1:
        raise ValueError("min_articles must be >= 1")
    articles = articles_of(corpus)
    dates, placed, calendar = placed_periods(articles, freq)
    group = group_of_articles(articles, by, group_table).to_numpy()
    has_row, units, sums = _per_article(table, dates["article_id"], value)
    unplaced = placed.isna().to_numpy()
    labels = [str(p) for p in calendar] + ([UNPLACED] if unplaced.any() else [])
    starts = [p.start_time.tz_localize("UTC") for p in calendar] + ([pd.NaT] if unplaced.any() else [])
    position = np.full(len(dates), len(calendar), dtype=np.int64)
    if len(calendar):
        position[~unplaced] = calendar.get_indexer(pd.PeriodIndex(placed[~unplaced], freq=freq))
    volumes = _volume_of(volume, by, freq) if volume is not None else None
    generator = np.random.default_rng(random_state)
    n_bins = len(labels)
    names = [
        by,
        "measure",
        "estimate",
        "ci_low",
        "ci_high",
        "bin",
        "n_articles",
        "n_units",
        "n_output",
        "enough",
    ]
    columns: dict[str, list[np.ndarray]] = {column: [] for column in names}
    for name in dict.fromkeys(group):
        mine = group == name
        bins = position[mine].astype(np.int64)
        n_output = np.bincount(bins, minlength=n_bins)
        n_articles = np.bincount(bins, weights=has_row[mine], minlength=n_bins)
        n_units = np.bincount(bins, weights=units[mine], minlength=n_bins)
        if value is None:
            (drawn,) = _resampled_sums(bins, n_bins, [has_row[mine]], n_boot, generator)
            measures = {
                "n_articles": (n_articles, drawn),
                "share_of_output": (n_articles / mine.sum(), drawn / mine.sum()),
            }
            if volumes is not None:
                total = np.array(
                    [volumes.get((name, p), np.nan) for p in calendar] + [np.nan] * (n_bins - len(calendar))
                )
                if (total < n_articles).any():
                    raise ValueError(
                        f"volume of {name!r} is smaller than the articles counted in some period"
                    )
                with np.errstate(invalid="ignore", divide="ignore"):
                    measures["share_of_volume"] = (n_articles / total, drawn / total)
            support = n_output
        else:
            drawn_sums, drawn_units = _resampled_sums(
                bins, n_bins, [sums[mine], units[mine]], n_boot, generator
            )
            observed = np.bincount(bins, weights=sums[mine], minlength=n_bins)
            with np.errstate(invalid="ignore", divide="ignore"):
                measures = {
                    "mean": (
                        np.where(n_units > 0, observed / np.where(n_units > 0, n_units, 1), np.nan),
                        np.where(
                            drawn_units > 0, drawn_sums / np.where(drawn_units > 0, drawn_units, 1), np.nan
                        ),
                    )
                }
            support = n_articles
        # rows of this group: period by period, the measures of each period in order
        intervals = [percentiles(draws, ci) for _, draws in measures.values()]
        columns["measure"].append(np.tile(np.asarray(list(measures), dtype=object), n_bins))
        columns["estimate"].append(np.column_stack([e for e, _ in measures.values()]).ravel())
        columns["ci_low"].append(np.column_stack([low for low, _ in intervals]).ravel())
        columns["ci_high"].append(np.column_stack([high for _, high in intervals]).ravel())
        for column, values in (
            ("bin", np.arange(n_bins)),
            ("n_articles", n_articles),
            ("n_units", n_units),
            ("n_output", n_output),
            ("enough", support >= min_articles),
        ):
            columns[column].append(np.repeat(values, len(measures)))
        columns[by].append(np.full(n_bins * len(measures), name, dtype=object))
    bins = np.concatenate(columns.pop("bin"))
    out = pd.DataFrame({column: np.concatenate(parts) for column, parts in columns.items()})
    out.insert(1, "period", np.asarray(labels, dtype=object)[bins])
    start_of = pd.to_datetime(pd.Series(starts, dtype="object"), utc=True).dt.as_unit("ns")
    out.insert(2, "period_start", start_of.to_numpy()[bins])
    out["period_start"] = pd.to_datetime(out["period_start"], utc=True).dt.as_unit("ns")
    for column in ("n_articles", "n_units", "n_output"):
        out[column] = out[column].astype(np.int64)
    out["estimate"] = out["estimate"].astype(float)
    out["enough"] = out["enough"].astype(bool)
    return validate(out, OverTime, table="over_time", by=by)
