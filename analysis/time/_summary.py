"""Plain sentences on coverage over time, precedence and blindspots, said only where the numbers allow.

A trend is claimed only between two periods whose intervals do not overlap, an outlet is said to
break stories first most often only when its interval lies above every other outlet's, and a
blindspot only when its test passes; otherwise the sentence says what more data would be needed.
"""

from __future__ import annotations

import pandas as pd

from analysis.schemas.corpus import UNKNOWN_GROUP, compared_noun
from analysis.schemas.time import UNPLACED

__all__ = ["time_summary"]


def _names(values: list[str], limit: int = 3) -> str:
    shown = ", ".join(values[:limit])
    return shown + (f" and {len(values) - limit} more" if len(values) > limit else "")


def _attention(over: pd.DataFrame, by: str) -> list[str]:
    noun = compared_noun(over[by], by)
    counts = over[over["measure"] == "n_articles"]
    placed = counts[counts["period"] != UNPLACED]
    n_placed, n_periods = int(placed["n_articles"].sum()), placed["period"].nunique()
    left = int(counts.loc[counts["period"] == UNPLACED, "n_articles"].sum())
    out = [
        f"{n_placed} article{'s' if n_placed != 1 else ''} placed over {n_periods} period"
        f"{'s' if n_periods != 1 else ''}"
        + (f"; {left} not placed (date unknown or coarser than a period)." if left else ".")
    ]
    shares = over[(over["measure"] == "share_of_output") & (over["period"] != UNPLACED) & over["enough"]]
    rising = []
    for group, rows in shares.groupby(by, sort=False):
        first, last = rows.iloc[0], rows.iloc[-1]
        if len(rows) >= 2 and (last["ci_low"] > first["ci_high"] or last["ci_high"] < first["ci_low"]):
            word = "more" if last["estimate"] > first["estimate"] else "less"
            rising.append(
                f"{group} gave {word} of its output to the last well-covered period ({last['period']}, "
                f"{last['estimate']:.0%}) than to the first ({first['period']}, {first['estimate']:.0%})"
            )
    if rising:
        out.append("; ".join(rising) + ": the intervals do not overlap.")
    elif shares.empty:
        out.append(
            f"No period holds enough articles of one {noun} for an interval to mean much: a trend over time "
            "needs a corpus that covers several periods with several articles each."
        )
    else:
        out.append(
            f"No {noun}'s share of output clearly changes between its first and last well-covered periods."
        )
    return out


def _firsts(stats: pd.DataFrame, by: str, ci: float) -> list[str]:
    firsts = stats[(stats["measure"] == "share_first") & (stats["n_stories"] > 0)]
    if firsts.empty or int(firsts["n_stories"].max()) < 2:
        return [
            "Who breaks stories first needs several stories covered by more than one outlet; "
            "with fewer, the shares of firsts and their intervals say nothing."
        ]
    top = firsts.loc[firsts["estimate"].idxmax()]
    rest = firsts.drop(index=top.name)
    if len(rest) and (rest["ci_high"] < top["ci_low"]).all():
        return [
            f"{top[by]} published first most often: on {int(top['n'])} of its {int(top['n_stories'])} shared "
            f"stories ({top['estimate']:.0%}, {ci:.0%} interval {top['ci_low']:.0%} to {top['ci_high']:.0%})."
        ]
    return [
        f"No clear difference in who publishes first: the most, {top[by]}, was first on {int(top['n'])} of "
        f"{int(top['n_stories'])} shared stories, with an interval that overlaps another "
        f"{compared_noun(firsts[by], by)}'s "
        "(two first articles whose dates cannot be ordered, e.g. the same day, are both first)."
    ]


def _blindspots(blind: pd.DataFrame, by: str, q_max: float) -> list[str]:
    groups, noun = list(dict.fromkeys(blind[by].astype(str))), compared_noun(blind[by], by)
    if groups == [UNKNOWN_GROUP]:
        return [
            f"Blindspots need each outlet's {by}, and this corpus gives none (every article's {by} is "
            f"missing or empty): give each article an '{by}' field (a column of the .jsonl, .csv or "
            f".parquet file, or of the folder's manifest), or pass a CSV of outlet,{by} as "
            "outlet_groups_table."
        ]
    if len(groups) < 2:  # a single group holds every article: its share is its base rate on every story
        return [f"Blindspots need at least two {noun}s; this corpus has one ({groups[0]})."]
    found = blind[blind["blindspot"]]
    if found.empty:
        return [
            f"No blindspot: no {noun} covered a story clearly less than its share of all articles "
            f"(binomial test, Benjamini-Hochberg q < {q_max}); small stories cannot show one."
        ]
    shown = [
        f"{row['story_id']} for {row[by]} ({row['n']} of {row['n_articles']} articles)"
        for _, row in found.iterrows()
    ]
    return [f"{len(found)} blindspot{'s' if len(found) != 1 else ''} (q < {q_max}): {_names(shown)}."]


def time_summary(
    over: pd.DataFrame,
    stats: pd.DataFrame,
    blind: pd.DataFrame,
    *,
    by: str = "outlet",
    ci: float = 0.95,
    q_max: float = 0.05,
) -> list[str]:
    """Sentences on attention over time, who published first and the blindspots.

    Parameters
    ----------
    over : DataFrame
        :func:`analysis.time.over_time` output counting articles (``by`` groups).
    stats : DataFrame
        :func:`analysis.time.outlet_precedence` output (``by`` groups).
    blind : DataFrame
        :func:`analysis.time.blindspots` output; its group column may differ from ``by``.
    by : str
        Group column of ``over`` and ``stats``.
    ci, q_max
        Interval coverage and false-discovery rate used to compute them.
    """
    group = (
        next(c for c in blind.columns if c not in {"story_id", "n", "n_articles"})
        if len(blind.columns)
        else by
    )
    return [
        *_attention(over, by),
        *_firsts(stats, by, ci),
        *(_blindspots(blind, group, q_max) if len(blind) else []),
    ]
