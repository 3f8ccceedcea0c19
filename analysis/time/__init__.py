"""Time and outlet groups: coverage over time, who published first, and what each group of outlets left out.

This package sits above :mod:`analysis.compare` (it reuses its per-outlet story statistics) and
below the charts and the report; it takes tables and a corpus and returns tables (docs/time.md).

* :func:`article_dates`: each article's publication as a UTC window as precise as the manifest says
  (a week-precision date is a week, never a day), with the offset written;
* :func:`over_time`: any per-article or per-unit table per outlet (or group) and day, week or month:
  counts, shares of the outlet's output (or of a given volume) or means, with intervals from
  resampling articles and periods with too few articles flagged; :func:`keyness_by_period` and
  :func:`rising_terms`: terms rising from one period to the next, per outlet;
* :func:`precedence`: per story and outlet, whether it was first (same-day day-precision dates are
  ties), its lag and its lag to the first wire; :func:`outlet_precedence`: per outlet, share of
  shared stories first and median lags with intervals; :func:`rewrites`: copies and rewrites of
  :func:`analysis.claims.provenance`, earlier first, with the delay;
* :func:`outlet_groups` (from :mod:`analysis.corpus`): outlet -> group (``outlet_type``,
  ``country``, ``language`` or a user table), accepted as ``group_table`` with ``by=`` everywhere
  here; :func:`blindspots`: stories a group covered far below its base rate (binomial test,
  Benjamini-Hochberg);
* :func:`time_summary`: sentences said only where intervals or tests support them.
"""

from __future__ import annotations

from analysis.corpus import outlet_groups
from analysis.time._dates import FREQS, article_dates
from analysis.time._groups import blindspots
from analysis.time._keyness import keyness_by_period, rising_terms
from analysis.time._over_time import over_time
from analysis.time._precedence import outlet_precedence, precedence, rewrites
from analysis.time._summary import time_summary

__all__ = [
    "FREQS",
    "article_dates",
    "blindspots",
    "keyness_by_period",
    "outlet_groups",
    "outlet_precedence",
    "over_time",
    "precedence",
    "rewrites",
    "rising_terms",
    "time_summary",
]
