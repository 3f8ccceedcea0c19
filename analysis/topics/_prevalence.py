"""Topic share per outlet (or any ``by`` group) with bootstrap intervals, and group-vs-rest contrasts.

Both functions take a ``DocTopics`` table (one topic per unit, see
``analysis.schemas.topics``) and draw the same bootstrap replicates for the same
arguments: articles resampled within each outlet (cluster bootstrap) when it
has enough of them, then the share drawn from Beta(n + 1/2, N - n + 1/2)
(Jeffreys smoothing, so zero counts get honest intervals).
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

from analysis.schemas import validate
from analysis.schemas.topics import Distinctive, Prevalence

__all__ = ["prevalence", "distinctive"]

Resample = Literal["auto", "articles", "units"]


def _replicates(
    doc_topics: pd.DataFrame, resample: str, n_boot: int, random_state: int, min_articles: int, by: str
):
    """Per ``by`` group: observed topic counts, replicate counts (n_boot x topics), replicate totals, how resampled."""
    if resample not in ("auto", "articles", "units"):
        raise ValueError(f"resample must be 'auto', 'articles' or 'units', not {resample!r}")
    if n_boot < 100:
        raise ValueError(f"n_boot must be at least 100, got {n_boot}")
    if by not in doc_topics.columns:
        raise ValueError(f"by={by!r} is not a column of doc_topics; it has {sorted(doc_topics.columns)}")
    topics = np.array(sorted(set(doc_topics["topic"].tolist())))
    rng = np.random.default_rng(random_state)
    out = {}
    for outlet, grp in doc_topics.groupby(by, sort=False):
        per_article = pd.crosstab(grp["article_id"], grp["topic"]).reindex(columns=topics, fill_value=0)
        counts = per_article.to_numpy(dtype=float)
        n_art = len(counts)
        how = resample if resample != "auto" else ("articles" if n_art >= min_articles else "units")
        if how == "articles" and n_art >= 2:
            boot, totals = np.empty((n_boot, len(topics))), np.empty(n_boot)
            step = max(1, 4_000_000 // n_art)  # bound the (replicates x articles) weight matrix in memory
            for first in range(0, n_boot, step):
                weights = rng.multinomial(n_art, np.full(n_art, 1 / n_art), size=min(step, n_boot - first))
                boot[first : first + len(weights)] = weights @ counts
                totals[first : first + len(weights)] = weights @ counts.sum(axis=1)
        else:
            boot, totals, how = (
                np.tile(counts.sum(axis=0), (n_boot, 1)),
                np.full(n_boot, counts.sum()),
                "units",
            )
        out[outlet] = (counts.sum(axis=0), boot, totals, how)
    return topics, out, rng


def _draw_shares(boot: np.ndarray, totals: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Binomial resampling of units with Jeffreys smoothing: share ~ Beta(n + 1/2, N - n + 1/2) per replicate."""
    return rng.beta(boot + 0.5, totals[:, None] - boot + 0.5)


def prevalence(
    doc_topics: pd.DataFrame,
    *,
    by: str = "outlet",
    resample: Resample = "auto",
    n_boot: int = 2000,
    ci: float = 0.95,
    random_state: int = 0,
    min_articles: int = 5,
) -> pd.DataFrame:
    """Share of each outlet's (or ``by`` group's) units in each topic, with a bootstrap interval.

    Each replicate first resamples the outlet's articles (cluster bootstrap:
    paragraphs of one article are not independent), then draws the topic share
    from Beta(n + 1/2, N - n + 1/2) given the replicate's counts (Jeffreys
    smoothing: a topic with 0 of an outlet's 6 paragraphs gets an interval of
    about [0, 0.3], not the degenerate [0, 0] of a plain bootstrap).

    Parameters
    ----------
    doc_topics : DataFrame
        Schema ``DocTopics``, plus the ``by`` column when it is not ``outlet`` (merge it from
        ``corpus.articles`` on ``article_id``).
    by : str
        The column whose groups are compared (``outlet``, ``outlet_type``, ``country``...).
    resample : {"auto", "articles", "units"}
        "articles": as above; "units": skip the article step (units treated as
        independent). "auto": articles for outlets with at least ``min_articles``
        articles, units otherwise (one or two articles give an article bootstrap no spread).
    n_boot : int
    ci : float
        Interval coverage (percentiles of the replicates).
    random_state : int
    min_articles : int

    Returns
    -------
    DataFrame
        Columns ``outlet`` (named ``by``), ``topic``, ``n``, ``n_units``, ``share``, ``ci_low``,
        ``ci_high``, ``resampled``; every group x topic pair, groups in order of appearance.
    """
    topics, reps, rng = _replicates(doc_topics, resample, n_boot, random_state, min_articles, by)
    alpha = (1 - ci) / 2
    rows = []
    for outlet, (obs, boot, totals, how) in reps.items():
        low, high = np.quantile(_draw_shares(boot, totals, rng), [alpha, 1 - alpha], axis=0)
        for j, t in enumerate(topics):
            rows.append(
                (outlet, int(t), int(obs[j]), int(obs.sum()), obs[j] / obs.sum(), low[j], high[j], how)
            )
    table = pd.DataFrame(
        rows, columns=[by, "topic", "n", "n_units", "share", "ci_low", "ci_high", "resampled"]
    )
    table[["share", "ci_low", "ci_high"]] = table[["share", "ci_low", "ci_high"]].clip(0, 1)
    # Jeffreys convention (Brown, Cai & DasGupta 2001): the bound at a count of 0 (or all) is exactly 0 (or 1).
    table.loc[table["n"] == 0, "ci_low"] = 0.0
    table.loc[table["n"] == table["n_units"], "ci_high"] = 1.0
    return validate(table, Prevalence, table="prevalence", by=by)


def distinctive(
    doc_topics: pd.DataFrame,
    *,
    by: str = "outlet",
    min_units: int = 3,
    resample: Resample = "auto",
    n_boot: int = 2000,
    ci: float = 0.95,
    random_state: int = 0,
    min_articles: int = 5,
) -> pd.DataFrame:
    """Each outlet's (or ``by`` group's) topic share against the other groups pooled, with an interval of the difference.

    Replicates are drawn as in :func:`prevalence` (the other outlets are each
    resampled within themselves, then pooled). A topic is distinctive for an
    outlet when the interval of ``share - share_rest`` excludes 0 and the side
    with the higher share has at least ``min_units`` (>= 2) units in the topic,
    so one paragraph never makes a topic distinctive.

    Parameters are those of :func:`prevalence`; ``min_units`` (>= 2) as above.

    Returns
    -------
    DataFrame
        Columns ``outlet`` (named ``by``), ``topic``, ``share``, ``share_rest``, ``diff``,
        ``ci_low``, ``ci_high``, ``n``, ``n_rest``, ``distinctive``; empty with one
        outlet. Topic -1 (no topic) is left out.
    """
    if min_units < 2:
        raise ValueError(f"min_units must be at least 2 (one unit is not evidence), got {min_units}")
    topics, reps, rng = _replicates(doc_topics, resample, n_boot, random_state, min_articles, by)
    alpha = (1 - ci) / 2
    rows = []
    if len(reps) > 1:
        all_obs, all_boot, all_tot = (sum(r[i] for r in reps.values()) for i in range(3))
        for outlet, (obs, boot, totals, _how) in reps.items():
            rest_obs = all_obs - obs
            diffs = _draw_shares(boot, totals, rng) - _draw_shares(all_boot - boot, all_tot - totals, rng)
            low, high = np.quantile(diffs, [alpha, 1 - alpha], axis=0)
            share, share_rest = obs / obs.sum(), rest_obs / rest_obs.sum()
            for j, t in enumerate(topics):
                higher_n = obs[j] if share[j] >= share_rest[j] else rest_obs[j]
                flag = bool((low[j] > 0 or high[j] < 0) and higher_n >= min_units)
                if t != -1:
                    rows.append(
                        (
                            outlet,
                            int(t),
                            share[j],
                            share_rest[j],
                            share[j] - share_rest[j],
                            low[j],
                            high[j],
                            int(obs[j]),
                            int(rest_obs[j]),
                            flag,
                        )
                    )
    table = pd.DataFrame(
        rows,
        columns=[
            by,
            "topic",
            "share",
            "share_rest",
            "diff",
            "ci_low",
            "ci_high",
            "n",
            "n_rest",
            "distinctive",
        ],
    )
    table = table.astype(
        {
            by: object,
            "topic": np.int64,
            "n": np.int64,
            "n_rest": np.int64,
            "distinctive": bool,
            **{c: float for c in ("share", "share_rest", "diff", "ci_low", "ci_high")},
        }
    )
    return validate(table, Distinctive, table="distinctive", by=by)
