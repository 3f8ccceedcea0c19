"""Wording shared by the generated summaries: numbers, lists of names, and the one rule for naming a leader.

The rule (:func:`leader_sentence`): an outlet is said to lead on a measure only when its interval
does not overlap any other outlet's; otherwise the sentence names the outlets it overlaps and says
"no clear difference". Two 95% intervals that do not overlap correspond to a difference test at a
level well below 5%, so the rule errs towards saying nothing.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
from scipy.special import ndtri

from analysis.schemas.corpus import compared_noun

__all__ = [
    "pct",
    "signed",
    "points",
    "plural",
    "join_names",
    "compared_noun",
    "wilson_rates",
    "leader_sentence",
]


def pct(x: float) -> str:
    """0.4567 -> '46%'."""
    return f"{100 * x:.0f}%"


def signed(x: float) -> str:
    """-0.2607 -> '-0.26'; a value that rounds to zero is '+0.00', never '-0.00'."""
    return f"{round(float(x), 2) + 0.0:+.2f}"


def points(x: float) -> str:
    """A difference of two shares in percentage points: 0.391 -> '+39'."""
    return f"{round(100 * float(x)) + 0:+d}"


def plural(n: int, noun: str, many: str | None = None) -> str:
    """'1 article', '2 articles', '1,200 stories' (``many`` for irregular plurals)."""
    return f"{n:,} {noun if n == 1 else many or noun + 's'}"


def join_names(names: list[str], limit: int = 4) -> str:
    """'a', 'a and b', 'a, b and c', 'a, b, c and 2 more'."""
    names = [str(n) for n in names]
    if len(names) > limit:
        names = [*names[: limit - 1], f"{len(names) - limit + 1} more"]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def wilson_rates(k: pd.Series, n: pd.Series, *, ci: float = 0.95) -> pd.DataFrame:
    """Share ``k / n`` per index entry with its Wilson score interval.

    Parameters
    ----------
    k, n : Series
        Successes and trials, aligned on the same index (e.g. outlets); ``n`` > 0.
    ci : float
        Coverage of the interval.

    Returns
    -------
    DataFrame
        Indexed like ``k``: ``k``, ``n``, ``estimate`` (k / n), ``ci_low``, ``ci_high``.
    """
    k, n = k.astype(float), n.astype(float)
    z = float(ndtri(0.5 + ci / 2))
    share = k / n
    centre = (share + z**2 / (2 * n)) / (1 + z**2 / n)
    half = z * np.sqrt(share * (1 - share) / n + z**2 / (4 * n**2)) / (1 + z**2 / n)
    return pd.DataFrame(
        {
            "k": k.astype(int),
            "n": n.astype(int),
            "estimate": share,
            "ci_low": (centre - half).clip(lower=0.0),
            "ci_high": (centre + half).clip(upper=1.0),
        }
    )


def interval(row: pd.Series, ci: float) -> str:
    """'95% interval 31% to 63%' for a row with ``ci_low`` and ``ci_high`` shares."""
    return f"{pct(ci)} interval {pct(row['ci_low'])} to {pct(row['ci_high'])}"


def leader_sentence(
    rows: pd.DataFrame,
    *,
    leads: str,
    noun: str,
    ci: float,
    detail: Callable[[pd.Series], str] | None = None,
) -> str | None:
    """The outlet with the highest ``estimate``, said to lead only when its interval clears every other's.

    Parameters
    ----------
    rows : DataFrame
        One row per outlet (or group label, :func:`analysis.corpus.group_corpus`): ``outlet``, ``estimate``
        (a share), ``ci_low``, ``ci_high``; rows without an estimate are left out.
    leads : str
        Predicate after the outlet's name ("covered the most stories").
    noun : str
        What is compared, for a tie ("share of stories covered").
    ci : float
        Coverage of the intervals.
    detail : callable, optional
        Row -> the parenthesis after the leader; default '46%, 95% interval 31% to 63%'.

    Returns
    -------
    str or None
        None with fewer than two outlets to compare. An interval that is missing counts as overlapping.
    """
    rows = rows[rows["estimate"].notna()].reset_index(drop=True)
    if len(rows) < 2:
        return None
    top = rows["estimate"].max()
    tied = rows.loc[rows["estimate"] == top, "outlet"].tolist()
    if len(tied) > 1:
        return f"{join_names(tied)} tie for the {noun} ({pct(top)} each): no clear difference."
    lead = rows.loc[rows["estimate"].idxmax()]
    others = rows.drop(index=lead.name)
    overlapping = others.loc[~(others["ci_high"] < lead["ci_low"]), "outlet"].tolist()
    shown = detail(lead) if detail else f"{pct(lead['estimate'])}, {interval(lead, ci)}"
    said = f"{lead['outlet']} {leads} ({shown})"
    if not overlapping:
        return f"{said}; its interval does not overlap any other {compared_noun(rows['outlet'])}'s."
    return f"{said}, but its interval overlaps {join_names(overlapping)}'s: no clear difference."
