"""Intervals by resampling stories: each replicate draws as many stories as there are, with replacement.

Stories, not articles, are the unit resampled: an outlet's articles about one event are not
independent evidence, and every measure here is a count of stories. A replicate is represented by
its weights (how often each story was drawn), so that sums over stories are one matrix product and
medians are weighted medians; nothing grows beyond replicates x stories.
"""

from __future__ import annotations

import numpy as np


def check_resampling(n_boot: int, ci: float) -> None:
    """Refuse a replicate count below 1 or an interval coverage outside (0, 1)."""
    if not isinstance(n_boot, int | np.integer) or n_boot < 1:
        raise ValueError(f"n_boot must be an integer >= 1, got {n_boot!r}")
    if not 0 < ci < 1:
        raise ValueError(f"ci must be between 0 and 1 (0.95 = 95%), got {ci!r}")


def story_weights(n_stories: int, n_boot: int, random_state: int) -> np.ndarray:
    """(n_boot, n_stories) counts: how often each story is drawn in each replicate."""
    draws = np.random.default_rng(random_state).integers(0, n_stories, size=(n_boot, n_stories))
    flat = draws + np.arange(n_boot)[:, None] * n_stories
    return np.bincount(flat.ravel(), minlength=n_boot * n_stories).reshape(n_boot, n_stories)


def ratio(weights: np.ndarray, numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    """Per replicate (row of ``weights``) and column: weighted sum of ``numerator`` over that of
    ``denominator`` (stories x columns); NaN where the denominator is 0."""
    top, bottom = weights @ numerator, weights @ denominator
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(bottom > 0, top / np.where(bottom > 0, bottom, 1), np.nan)


def weighted_median(weights: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Per replicate, the median of ``values`` each repeated by its weight (NaN when all weights are 0).

    The same as ``np.median`` of the resampled values: the mean of the two middle ones for an even count.
    """
    if not len(values):
        return np.full(len(weights), np.nan)
    order = np.argsort(values, kind="stable")
    ranked, cumulative = values[order], np.cumsum(weights[:, order], axis=1)
    total = cumulative[:, -1]
    low = (cumulative > ((total - 1) // 2)[:, None]).argmax(axis=1)
    high = (cumulative > (total // 2)[:, None]).argmax(axis=1)
    return np.where(total > 0, (ranked[low] + ranked[high]) / 2, np.nan)


def percentile_interval(draws: np.ndarray, ci: float) -> tuple[np.ndarray, np.ndarray]:
    """Per column, the ``ci`` percentile interval of the replicates that are not NaN (NaN when none is)."""
    tail = (1 - ci) / 2
    low, high = np.full(draws.shape[1], np.nan), np.full(draws.shape[1], np.nan)
    for column in range(draws.shape[1]):
        valid = draws[:, column][~np.isnan(draws[:, column])]
        if len(valid):
            low[column], high[column] = np.quantile(valid, [tail, 1 - tail])
    return low, high
