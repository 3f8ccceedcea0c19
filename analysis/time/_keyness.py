"""Keyness by period: which terms an outlet (or group) uses more in one period than in its previous one.

Units are placed in the period of their article (:mod:`analysis.time._dates`; articles whose date
window spans two periods are left out, as :func:`analysis.time.over_time` counts them). For each group
and each pair of consecutive periods with text (A, then B), :func:`analysis.terms.contrast` scores the
terms of B against A (``comparison='pairwise'``, only the B-vs-A rows kept): a positive ``z`` is a term
rising in B. The same outlet is on both sides, so its self-references cancel and are not set aside.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from analysis import terms
from analysis.schemas import validate
from analysis.schemas.time import PeriodKeyness
from analysis.time._dates import Freq
from analysis.time._groups import group_of_articles
from analysis.time._over_time import placed_periods

__all__ = ["keyness_by_period", "rising_terms"]


def keyness_by_period(
    units: pd.DataFrame,
    corpus,
    *,
    by: str = "outlet",
    freq: Freq = "W",
    group_table: pd.DataFrame | None = None,
    methods: Sequence[str] = ("log_odds",),
    ngram_range: tuple[int, int] = (1, 1),
) -> pd.DataFrame:
    """Term contrasts of each period against the group's previous period with text.

    Parameters
    ----------
    units : DataFrame
        Units of text with ``article_id`` and ``text`` (``corpus.paragraphs``).
    corpus : Corpus or DataFrame
        The corpus of ``units``: dates and groups.
    by, freq, group_table
        Group column, calendar ('D', 'W', 'M') and group table, as in :func:`analysis.time.over_time`.
    methods : sequence of str
        Keyness methods of :func:`analysis.terms.contrast`.
    ngram_range : (int, int)
        N-gram lengths counted.

    Returns
    -------
    DataFrame
        Schema :class:`analysis.schemas.time.PeriodKeyness`: the ``by`` column, ``period`` (B),
        ``other`` (A, the previous period with text), then the columns of :func:`analysis.terms.contrast`
        from ``term`` on. Groups in corpus order, periods in time order; empty when no group has text
        in two periods.
    """
    articles = corpus.articles if hasattr(corpus, "articles") else corpus
    dates, placed, _ = placed_periods(articles, freq)
    period_of = dict(zip(dates["article_id"], placed, strict=True))
    group_of = dict(zip(dates["article_id"], group_of_articles(articles, by, group_table), strict=True))
    ids = units["article_id"].astype(str)
    periods = ids.map(period_of)
    dated = units.loc[periods.notna().to_numpy(), ["article_id", "text"]].assign(
        period=periods.dropna().astype(str).to_numpy(), **{by: ids[periods.notna()].map(group_of).to_numpy()}
    )
    if dated.empty:
        return pd.DataFrame(columns=[by, "period", "other", "term", "n", "n_other"])
    counts = terms.count_terms(dated, by=[by, "period"], ngram_range=ngram_range)
    order = {p: k for k, p in enumerate(sorted(set(placed.dropna())))}
    frames = []
    for group in dict.fromkeys(group_of[a] for a in dates["article_id"]):
        mine = counts[counts[by] == group].drop(columns=by)
        present = sorted(set(mine["period"]), key=lambda p: order[pd.Period(p, freq=freq)])
        for earlier, later in zip(present, present[1:], strict=False):
            pair = mine[mine["period"].isin([earlier, later])]
            scores = terms.contrast(
                pair, by="period", comparison="pairwise", methods=methods, set_aside=False
            )
            rising = scores[scores["period"] == later].drop(columns="set_aside")
            frames.append(rising.assign(**{by: group})[[by, *rising.columns]])
    if not frames:
        return pd.DataFrame(columns=[by, "period", "other", "term", "n", "n_other"])
    out = pd.concat(frames, ignore_index=True)
    return validate(out, PeriodKeyness, table="period_keyness", by=by)


def rising_terms(
    keyness: pd.DataFrame, *, by: str = "outlet", stat: str = "z", top_k: int = 10
) -> pd.DataFrame:
    """The ``top_k`` terms of each group and period with the highest positive ``stat``: those rising most.

    Parameters
    ----------
    keyness : DataFrame
        :func:`keyness_by_period` output.
    by : str
        Its group column.
    stat : str
        Score column to rank by (``z`` for log-odds).
    top_k : int
        Terms kept per group and period.

    Returns
    -------
    DataFrame
        The rows of ``keyness`` kept, groups and periods in their order, ``stat`` descending (ties by term).
    """
    if keyness.empty:
        return keyness
    if stat not in keyness.columns:
        raise ValueError(f"keyness has no column {stat!r}; compute it with the matching method")
    rising = keyness[keyness[stat] > 0]
    rank = rising.groupby([by, "period"], sort=False).ngroup()
    ordered = rising.assign(_g=rank).sort_values(
        ["_g", stat, "term"], ascending=[True, False, True], kind="stable"
    )
    return ordered.groupby("_g", sort=False).head(top_k).drop(columns="_g").reset_index(drop=True)
