"""Aggregates over stories: per outlet (coverage, exclusives, firsts, lag) and per pair of outlets (disagreement).

Every measure counts stories, and its interval comes from resampling stories
(:mod:`analysis.compare._resample`). Lags and firsts are taken over an outlet's *shared* stories,
those another outlet covered too: on a story it alone covered, an outlet is trivially first.
"""

from __future__ import annotations

from itertools import combinations

import numpy as np
import pandas as pd

from analysis.compare._disputes import claims_in_stories, conflicting_pairs
from analysis.compare._resample import (
    check_resampling,
    percentile_interval,
    ratio,
    story_weights,
    weighted_median,
)
from analysis.compare._tables import id_order, join_unique, order_of, require, story_of_articles
from analysis.schemas import frame, validate
from analysis.schemas.compare import (
    LAG_BANDS,
    OUTLET_MEASURES,
    LagDistribution,
    OutletStoryStats,
    PairDisagreement,
)

__all__ = ["outlet_story_stats", "lag_distribution", "pair_disagreement"]

#: Upper ends (hours, exclusive) of the lag bands after "first"; lags of 0 are "first".
_BAND_ENDS = [24.0, 72.0, 168.0, np.inf]


def _matrix(
    rows: pd.DataFrame, stories: list[str], outlets: list[str], column: str | None = None
) -> np.ndarray:
    """stories x outlets: True where ``rows`` has the pair (``column`` given: its value, NaN elsewhere)."""
    i = rows["story_id"].map({s: k for k, s in enumerate(stories)}).to_numpy()
    j = rows["outlet"].map({o: k for k, o in enumerate(outlets)}).to_numpy()
    if column is None:
        out = np.zeros((len(stories), len(outlets)), dtype=bool)
        out[i, j] = True
    else:
        out = np.full((len(stories), len(outlets)), np.nan)
        out[i, j] = rows[column].to_numpy(dtype=float)
    return out


def outlet_story_stats(
    stories: pd.DataFrame,
    story_outlets: pd.DataFrame,
    *,
    n_boot: int = 1000,
    ci: float = 0.95,
    random_state: int = 0,
) -> pd.DataFrame:
    """Per outlet: the share of stories it covered, of its stories no other outlet covered, of its shared
    stories it published first, and its median lag, each with an interval from resampling stories.

    Parameters
    ----------
    stories : DataFrame
        One row per article with ``article_id``, ``outlet``, ``story_id`` (:func:`analysis.topics.stories`):
        the stories and outlets counted, in order.
    story_outlets : DataFrame
        :func:`analysis.topics.story_outlets` output (``story_id``, ``outlet``, ``lag_hours``).
    n_boot : int
        Replicates; each draws as many stories as there are, with replacement.
    ci : float
        Coverage of the percentile intervals.
    random_state : int
        Seed of the resampling.

    Returns
    -------
    DataFrame
        Schema :class:`analysis.schemas.compare.OutletStoryStats`, one row per outlet and measure
        (``share_covered``, ``share_exclusive``, ``share_first``, ``median_lag_hours``): ``outlet``,
        ``measure``, ``n``, ``n_stories``, ``estimate``, ``ci_low``, ``ci_high``. A lag of 0 is first
        (ties count for each outlet); stories whose dates are unknown count for coverage only.
    """
    check_resampling(n_boot, ci)
    story_of_articles(stories)
    require(story_outlets, ["story_id", "outlet", "lag_hours"], "story_outlets")
    story_ids, outlets = list(order_of(stories["story_id"])), list(order_of(stories["outlet"]))
    unknown = set(story_outlets["story_id"]) - set(story_ids) | set(story_outlets["outlet"]) - set(outlets)
    if unknown:
        raise ValueError(f"story_outlets has stories or outlets that stories lacks: {sorted(unknown)[:3]}")
    covered = _matrix(story_outlets, story_ids, outlets)
    lags = _matrix(story_outlets, story_ids, outlets, "lag_hours")
    n_outlets = covered.sum(axis=1, keepdims=True)
    known = covered & (n_outlets >= 2) & ~np.isnan(lags)
    shares = {  # measure -> (numerator, denominator), stories x outlets
        "share_covered": (covered, np.ones_like(covered)),
        "share_exclusive": (covered & (n_outlets == 1), covered),
        "share_first": (known & (lags == 0), known),
    }
    weights = story_weights(len(story_ids), n_boot, random_state)
    rows = []
    for j, outlet in enumerate(outlets):
        for measure in OUTLET_MEASURES:
            if measure == "median_lag_hours":
                values, mask = lags[known[:, j], j], known[:, j]
                estimate = float(np.median(values)) if len(values) else np.nan
                draws = weighted_median(weights[:, mask], values)
                n = n_stories = int(mask.sum())
            else:
                numerator, denominator = (m[:, [j]].astype(float) for m in shares[measure])
                n, n_stories = int(numerator.sum()), int(denominator.sum())
                estimate = n / n_stories if n_stories else np.nan
                draws = ratio(weights, numerator, denominator)[:, 0]
            low, high = percentile_interval(draws[:, None], ci)
            rows.append(
                {
                    "outlet": outlet,
                    "measure": measure,
                    "n": n,
                    "n_stories": n_stories,
                    "estimate": estimate,
                    "ci_low": low[0],
                    "ci_high": high[0],
                }
            )
    return validate(frame(rows, OutletStoryStats), OutletStoryStats, table="outlet_story_stats")


def lag_distribution(story_outlets: pd.DataFrame) -> pd.DataFrame:
    """Per outlet, its shared stories (covered by another outlet too) by band of publication lag.

    Parameters
    ----------
    story_outlets : DataFrame
        :func:`analysis.topics.story_outlets` output (``story_id``, ``outlet``, ``lag_hours``).

    Returns
    -------
    DataFrame
        Schema :class:`analysis.schemas.compare.LagDistribution`: ``outlet``, ``lag_band`` (every band of
        ``LAG_BANDS``, in order: first, under 1 day, 1-2 days, 3-6 days, 7 days or more, date unknown),
        ``n``, ``n_stories``, ``share``. Outlets without a shared story have no rows. Outlets in order of
        first appearance.
    """
    require(story_outlets, ["story_id", "outlet", "lag_hours"], "story_outlets")
    n_outlets = story_outlets.groupby("story_id", sort=False)["outlet"].transform("nunique")
    shared = story_outlets.loc[n_outlets >= 2]
    lag = shared["lag_hours"].to_numpy(dtype=float)
    later = np.searchsorted(_BAND_ENDS, lag, side="right") + 1  # 1..4 for lags above 0
    band = np.where(np.isnan(lag), len(LAG_BANDS) - 1, np.where(lag == 0, 0, later))
    counts = pd.crosstab(shared["outlet"].to_numpy(), band).reindex(
        columns=range(len(LAG_BANDS)), fill_value=0
    )
    rows = []
    for outlet in order_of(shared["outlet"]):
        total = int(counts.loc[outlet].sum())
        rows += [
            {
                "outlet": outlet,
                "lag_band": name,
                "n": int(counts.loc[outlet, k]),
                "n_stories": total,
                "share": counts.loc[outlet, k] / total,
            }
            for k, name in enumerate(LAG_BANDS)
        ]
    return validate(frame(rows, LagDistribution), LagDistribution, table="lag_distribution")


def pair_disagreement(
    stories: pd.DataFrame,
    groups: pd.DataFrame,
    *,
    n_boot: int = 1000,
    ci: float = 0.95,
    random_state: int = 0,
) -> pd.DataFrame:
    """Per pair of outlets, the share of the stories both covered where a figure of one conflicts with one of
    the other, with an interval from resampling stories.

    Parameters
    ----------
    stories : DataFrame
        One row per article with ``article_id``, ``outlet``, ``story_id`` (:func:`analysis.topics.stories`).
    groups : DataFrame
        :func:`analysis.claims.compare_numbers` output. Two figures conflict as defined in
        ``analysis.compare._disputes``: same claim group labelled disagree, same story, disjoint bounds,
        no different stated times. Figures of different stories are never compared.
    n_boot, ci, random_state
        Replicates, interval coverage and seed of the resampling of stories.

    Returns
    -------
    DataFrame
        Schema :class:`analysis.schemas.compare.PairDisagreement`, one row per pair of outlets in outlet
        order: ``outlet``, ``other_outlet``, ``n_shared``, ``n_compared`` (shared stories with figures of
        both in one claim group), ``n_disagree``, ``share`` (n_disagree / n_shared), ``ci_low``,
        ``ci_high``, ``story_ids`` and ``group_ids`` (evidence of the disagreements).
    """
    check_resampling(n_boot, ci)
    claims = claims_in_stories(stories, groups)
    story_ids, outlets = list(order_of(stories["story_id"])), list(order_of(stories["outlet"]))
    rank = {o: k for k, o in enumerate(outlets)}
    covered = _matrix(stories.drop_duplicates(["story_id", "outlet"]), story_ids, outlets)
    conflicts = conflicting_pairs(claims, id_order(stories))
    conflicts = conflicts.loc[conflicts["outlet"].map(rank) < conflicts["other_outlet"].map(rank)]
    both = claims[["story_id", "group_id", "outlet"]].drop_duplicates()
    both = both.merge(both, on=["story_id", "group_id"], suffixes=("", "_b"))
    both = both.loc[both["outlet"].map(rank) < both["outlet_b"].map(rank)]
    pairs = list(combinations(outlets, 2))
    row_of = {s: k for k, s in enumerate(story_ids)}
    shared = np.zeros((len(story_ids), len(pairs)))
    compared, disagree = np.zeros_like(shared), np.zeros_like(shared)
    for p, (a, b) in enumerate(pairs):
        shared[:, p] = covered[:, rank[a]] & covered[:, rank[b]]
        mine = (both["outlet"] == a) & (both["outlet_b"] == b)
        compared[both.loc[mine, "story_id"].map(row_of).to_numpy(), p] = 1
        mine = (conflicts["outlet"] == a) & (conflicts["other_outlet"] == b)
        disagree[conflicts.loc[mine, "story_id"].map(row_of).to_numpy(), p] = 1
    low, high = percentile_interval(
        ratio(story_weights(len(story_ids), n_boot, random_state), disagree, shared), ci
    )
    rows = []
    for p, (a, b) in enumerate(pairs):
        n_shared = int(shared[:, p].sum())
        evidence = conflicts.loc[(conflicts["outlet"] == a) & (conflicts["other_outlet"] == b)]
        rows.append(
            {
                "outlet": a,
                "other_outlet": b,
                "n_shared": n_shared,
                "n_compared": int(compared[:, p].sum()),
                "n_disagree": int(disagree[:, p].sum()),
                "share": disagree[:, p].sum() / n_shared if n_shared else np.nan,
                "ci_low": low[p],
                "ci_high": high[p],
                "story_ids": " ".join(s for s in story_ids if s in set(evidence["story_id"])),
                "group_ids": join_unique(evidence["group_id"]),
            }
        )
    return validate(frame(rows, PairDisagreement), PairDisagreement, table="pair_disagreement")
