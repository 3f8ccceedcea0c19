"""Who published first: per story and outlet, what the dates can and cannot order.

Lags are those of :func:`analysis.topics.story_outlets` (hours between publication instants, a
day-precision date at midnight UTC); this module adds what the precision of each date allows
(:mod:`analysis.time._dates`). An outlet's first publication on a story is the window
``[earliest start, earliest end)`` over its articles. An outlet is ``first`` when no other outlet
of the story certainly published before it, i.e. its window starts before the earliest end of all
the story's windows: two outlets with day-precision dates on the same day are both first, and their
lag is 0, never a guess. Otherwise it is ``ordered`` (certainly later) and keeps its lag.

The lag to the first **wire-type** outlet (``outlet_type`` in ``wire_types``) is measured the same
way against the wire articles of the story: 0 when the windows overlap, negative when the outlet
certainly published before any wire.

Per outlet, :func:`outlet_precedence` reuses :func:`analysis.compare.outlet_story_stats` (same
shared-story rule, same intervals from resampling stories) on these lags. :func:`rewrites` dates the
copies and rewrites of :func:`analysis.claims.provenance`: which article came first, and how long
after it the other appeared.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis import compare, topics
from analysis.schemas import validate
from analysis.schemas.time import OutletPrecedence, Precedence, Rewrites
from analysis.time._dates import article_dates, articles_of, overlaps
from analysis.time._groups import group_of_articles

__all__ = ["precedence", "outlet_precedence", "rewrites"]

_COPIES = ("near_duplicate", "shared_copy", "rewrite")


def _hours(delta: pd.Series) -> np.ndarray:
    return (delta / pd.Timedelta(hours=1)).to_numpy(dtype=float)


def precedence(
    stories: pd.DataFrame,
    corpus,
    *,
    by: str = "outlet",
    group_table: pd.DataFrame | None = None,
    wire_types: tuple[str, ...] = ("wire",),
) -> pd.DataFrame:
    """Per story and outlet (or group): its first article, whether it was first, and its lags.

    Parameters
    ----------
    stories : DataFrame
        :func:`analysis.topics.stories` output.
    corpus : Corpus or DataFrame
        The corpus of ``stories``: dates, their precision and offsets, outlet types.
    by : str
        ``outlet``, an article column (``outlet_type``, ``country``...) or ``group_table``'s group column:
        precedence between groups, each group's first article standing for it.
    group_table : DataFrame, optional
        :func:`analysis.time.outlet_groups` output, when ``by`` names its group column.
    wire_types : tuple of str
        ``outlet_type`` values of wire services.

    Returns
    -------
    DataFrame
        Schema :class:`analysis.schemas.time.Precedence`, rows and order of
        :func:`analysis.topics.story_outlets` (``by`` column in place of ``outlet``): ``story_id``, the
        ``by`` column, ``n_articles``, ``first_article_id``, ``first_published``, ``utc_offset``,
        ``precision``, ``first``, ``ordered``, ``lag_hours`` (0 when not ordered; NaN when the date is
        unknown), ``lag_wire_hours``.
    """
    dates = article_dates(corpus).set_index("article_id")
    missing = sorted(set(stories["article_id"]) - set(dates.index))
    if missing:
        raise ValueError(f"stories has article(s) the corpus lacks: {missing[:3]}")
    articles = dates.loc[stories["article_id"]].reset_index()
    manifest = articles_of(corpus).set_index("article_id", drop=False).loc[stories["article_id"]]
    grouped = stories.assign(outlet=group_of_articles(manifest, by, group_table).to_numpy())
    base = topics.story_outlets(grouped)
    rows = articles.assign(story_id=stories["story_id"].to_numpy(), group=grouped["outlet"].to_numpy())
    rows["wire"] = rows["outlet_type"].isin(wire_types)
    rows = rows.sort_values(["published", "window_end"], kind="stable", na_position="last")
    per_outlet = rows.groupby(["story_id", "group"], sort=False).agg(
        first_article_id=("article_id", "first"),
        window_start=("window_start", "min"),
        window_end=("window_end", "min"),
    )
    first_rows = rows.drop_duplicates(["story_id", "group"]).set_index(["story_id", "group"])
    keys = pd.MultiIndex.from_frame(base[["story_id", "outlet"]])
    mine = per_outlet.loc[keys]
    start, end = mine["window_start"].to_numpy(), mine["window_end"].to_numpy()
    story_end = mine.groupby(level=0)["window_end"].transform("min").to_numpy()
    known = ~pd.isna(start)
    is_first = known & (start < story_end)
    wires = (
        rows.loc[rows["wire"]]
        .groupby("story_id")
        .agg(
            wire_start=("window_start", "min"),
            wire_end=("window_end", "min"),
            wire_published=("published", "min"),
        )
    )
    wire = wires.reindex(base["story_id"])
    published = first_rows.loc[keys, "published"].reset_index(drop=True)
    lag_wire = _hours(published - wire["wire_published"].reset_index(drop=True))
    lag_wire = np.where(overlaps(start, end, wire["wire_start"], wire["wire_end"]), 0.0, lag_wire)
    lag_wire = np.where(known & ~pd.isna(wire["wire_start"].to_numpy()), lag_wire, np.nan)
    out = pd.DataFrame(
        {
            "story_id": base["story_id"],
            by: base["outlet"],
            "n_articles": base["n_articles"],
            "first_article_id": mine["first_article_id"].to_numpy(),
            "first_published": base["first_published"],
            "utc_offset": first_rows.loc[keys, "utc_offset"].to_numpy(),
            "precision": first_rows.loc[keys, "precision"].to_numpy(),
            "first": is_first,
            "ordered": known & ~is_first,
            "lag_hours": np.where(is_first, 0.0, np.where(known, base["lag_hours"], np.nan)),
            "lag_wire_hours": lag_wire,
        }
    )
    return validate(out, Precedence, table="precedence", by=by)


def outlet_precedence(
    precedence: pd.DataFrame,
    *,
    by: str = "outlet",
    n_boot: int = 1000,
    ci: float = 0.95,
    random_state: int = 0,
) -> pd.DataFrame:
    """Per outlet (or group): share of its shared stories broken first, median lag and median lag to the wire.

    :func:`analysis.compare.outlet_story_stats` computes each measure over the outlet's shared stories
    (another outlet covered them too) with a known date, with intervals from resampling stories.

    Parameters
    ----------
    precedence : DataFrame
        :func:`precedence` output.
    by : str
        Its group column.
    n_boot, ci, random_state
        Replicates, interval coverage and seed of the resampling of stories.

    Returns
    -------
    DataFrame
        Schema :class:`analysis.schemas.time.OutletPrecedence`: the ``by`` column, ``measure``
        (``share_first``, ``median_lag_hours``, ``median_lag_wire_hours``), ``n``, ``n_stories``,
        ``estimate``, ``ci_low``, ``ci_high``; outlets in order of first appearance.
    """
    table = precedence.rename(columns={by: "outlet"})
    stories = table[["story_id", "outlet"]].assign(article_id=table["first_article_id"])
    options = {"n_boot": n_boot, "ci": ci, "random_state": random_state}
    stats = compare.outlet_story_stats(stories, table[["story_id", "outlet", "lag_hours"]], **options)
    stats = stats[stats["measure"].isin(["share_first", "median_lag_hours"])]
    # outlet_story_stats measures lags of 0 or more; a median and its percentiles move with a shift, so
    # lags to the wire (negative before it) are shifted up by the largest lead and shifted back.
    lead = max(0.0, -float(np.nanmin(table["lag_wire_hours"], initial=0.0)))
    wire = compare.outlet_story_stats(
        stories, table[["story_id", "outlet"]].assign(lag_hours=table["lag_wire_hours"] + lead), **options
    )
    wire = wire[wire["measure"] == "median_lag_hours"].assign(measure="median_lag_wire_hours")
    wire[["estimate", "ci_low", "ci_high"]] -= lead
    order = {o: k for k, o in enumerate(dict.fromkeys(table["outlet"]))}
    out = pd.concat([stats, wire], ignore_index=True)
    out = out.assign(
        _o=out["outlet"].map(order),
        _m=out["measure"].map(
            {m: k for k, m in enumerate(["share_first", "median_lag_hours", "median_lag_wire_hours"])}
        ),
    )
    out = out.sort_values(["_o", "_m"], kind="stable").drop(columns=["_o", "_m"]).reset_index(drop=True)
    return validate(out.rename(columns={"outlet": by}), OutletPrecedence, table="outlet_precedence", by=by)


def rewrites(pairs: pd.DataFrame, corpus) -> pd.DataFrame:
    """Copies and rewrites between articles, the earlier first, with the hours between them.

    Parameters
    ----------
    pairs : DataFrame
        ``analysis.claims.provenance(corpus, stories=...).pairs``.
    corpus : Corpus or DataFrame
        The corpus of ``pairs``: dates and their precision.

    Returns
    -------
    DataFrame
        Schema :class:`analysis.schemas.time.Rewrites`, one row per pair judged ``near_duplicate``,
        ``shared_copy`` or ``rewrite``, in the order of ``pairs``: ``story_id``, ``article_id``,
        ``outlet`` (the earlier), ``other_article_id``, ``other_outlet`` (the later: "B's article is a
        rewrite of A's, published delta_hours later"), ``relation``, ``ordered`` (False when the date
        windows overlap, e.g. the same day at day precision: the pair keeps its corpus order),
        ``delta_hours`` (NaN when not ordered), ``evidence``.
    """
    copies = pairs.loc[pairs["relation"].isin(_COPIES)].reset_index(drop=True)
    dates = article_dates(corpus).set_index("article_id")
    a, b = dates.reindex(copies["article_id"]), dates.reindex(copies["other_article_id"])
    ordered = ~pd.isna(a["window_start"].to_numpy()) & ~pd.isna(b["window_start"].to_numpy())
    ordered &= ~overlaps(a["window_start"], a["window_end"], b["window_start"], b["window_end"])
    swap = ordered & (b["window_start"].to_numpy() < a["window_start"].to_numpy())
    delta = np.abs(_hours(b["published"].reset_index(drop=True) - a["published"].reset_index(drop=True)))
    out = pd.DataFrame(
        {
            "story_id": copies["story_id"],
            "article_id": np.where(swap, copies["other_article_id"], copies["article_id"]),
            "outlet": np.where(swap, copies["other_outlet"], copies["outlet"]),
            "other_article_id": np.where(swap, copies["article_id"], copies["other_article_id"]),
            "other_outlet": np.where(swap, copies["outlet"], copies["other_outlet"]),
            "relation": copies["relation"],
            "ordered": ordered,
            "delta_hours": np.where(ordered, delta, np.nan),
            "evidence": copies["evidence"],
        }
    )
    return validate(out, Rewrites, table="rewrites")
