"""The semiotic square: two groups against each other and, together, against a neutral reference.

Scattertext's ``SemioticSquare`` (Kessler 2017) with its default scorer, ``RankDifference``: every
term gets two coordinates,

* x = rank(n_a) / max rank(n_a) - rank(n_b) / max rank(n_b) (dense ranks of the counts): + when ``a``
  uses it more than ``b``;
* y = the same between n_a + n_b and n_neutral: + when the pair uses it more than the neutral groups;

each axis is then stretched to [-1, 1] (negative values divided by |min|, positive by max) and the
plane is cut into eight 45° sectors by the angle of (x, y), named as Scattertext names them:

=================  ================  =================
``b``              ``a_and_b``        ``a``
``b_and_not_a``                      ``a_and_not_b``
``not_a``          ``not_a_and_not_b`` ``not_b``
=================  ================  =================

The corners are the square's four terms: a's and b's own words (top), and the words each of them
avoids where the neutral groups use them (bottom: ``not_b`` is used by a more than by b but by the
neutral groups more still). A term's weight in its sector is x² + y² (Scattertext's ``Mag``).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy.stats import rankdata

from analysis.schemas import WHOLE_CORPUS, validate
from analysis.schemas.terms import SemioticSquare
from analysis.terms._shift import group_counts

__all__ = ["PARTS", "semiotic_square"]

#: The eight sectors, corners first, in the order of the output table.
PARTS = ("a", "b", "not_a", "not_b", "a_and_b", "not_a_and_not_b", "a_and_not_b", "b_and_not_a")
#: Sector of each 22.5° slice of the angle atan2(x, y) + pi (Scattertext's FINE_PART_TO_SELECTION,
#: with slice 16, the angle 2 pi itself, folded onto slice 0: both point straight down).
_SLICES = np.array(
    ["not_a_and_not_b"]
    + ["not_a"] * 2
    + ["b_and_not_a"] * 2
    + ["b"] * 2
    + ["a_and_b"] * 2
    + ["a"] * 2
    + ["a_and_not_b"] * 2
    + ["not_b"] * 2
    + ["not_a_and_not_b"],
    dtype=object,
)


def _rank_difference(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """Scattertext's ``RankDifference``: dense rank over its maximum, first minus second."""
    rank_1, rank_2 = rankdata(first, "dense"), rankdata(second, "dense")
    return rank_1 / rank_1.max() - rank_2 / rank_2.max()


def _stretch(values: np.ndarray) -> np.ndarray:
    """Scattertext's ``stretch_neg1_to_1``: negatives over |min|, positives over max."""
    out = values.astype(float).copy()
    if (out < 0).any():
        out[out < 0] = -out[out < 0] / out[out < 0].min()
    if (out > 0).any():
        out[out > 0] = out[out > 0] / out[out > 0].max()
    return out


def semiotic_square(
    counts: pd.DataFrame,
    a: str,
    b: str,
    *,
    neutral: Sequence[str] | None = None,
    by: str = "outlet",
    story: str | None = None,
) -> pd.DataFrame:
    """Place every term on the a-vs-b and (a + b)-vs-neutral axes and in one of the square's eight sectors.

    Parameters
    ----------
    counts : DataFrame
        ``count_terms`` output (finer groupings are summed; all n-grams counted are ranked together, as
        Scattertext does).
    a, b : str
        The two values of ``by`` set against each other.
    neutral : sequence of str, optional
        The values of ``by`` that make the neutral reference (e.g. the wire services); default every
        other group.
    by : str
        Grouping column of ``counts``; its name is kept in the output.
    story : str, optional
        Within this story only (``counts`` needs a ``story_id`` column).

    Returns
    -------
    DataFrame
        Schema ``SemioticSquare``, one row per term used by a, b or the neutral groups, by sector (in
        :data:`PARTS` order) and weight: ``outlet`` (or ``by``; value ``a``), ``other`` (``b``), ``story_id``,
        ``term``, ``n``, ``n_other``, ``n_neutral``, ``x``, ``y`` (stretched to [-1, 1]), ``part``,
        ``magnitude`` (x² + y²), ``rank`` (1 = heaviest in its sector).
    """
    a, b = str(a), str(b)
    if a == b:
        raise ValueError(f"a and b are the same {by} ({a!r}): the square sets two groups against each other")
    labels = counts[by].astype(str).unique().tolist() if by in counts.columns else []
    neutral = [g for g in labels if g not in (a, b)] if neutral is None else [str(g) for g in neutral]
    if not neutral or {a, b} & set(neutral):
        raise ValueError(
            f"neutral must name at least one {by} other than {a!r} and {b!r} (got {neutral}); "
            "with two groups only there is no neutral reference"
        )
    table = group_counts(counts, [a, b, *dict.fromkeys(neutral)], by, story, shortest=False)
    n_a, n_b = table[a].to_numpy(), table[b].to_numpy()
    n_neutral = table[list(dict.fromkeys(neutral))].sum(axis=1).to_numpy()
    used = (n_a + n_b + n_neutral) > 0
    table, n_a, n_b, n_neutral = table[used], n_a[used], n_b[used], n_neutral[used]
    x = _stretch(_rank_difference(n_a, n_b))
    y = _stretch(_rank_difference(n_a + n_b, n_neutral))
    slices = ((np.arctan2(x, y) + np.pi) * 360 / (2 * np.pi) // 22.5).astype(int)
    out = pd.DataFrame(
        {
            by: a,
            "other": b,
            "story_id": WHOLE_CORPUS if story is None else str(story),
            "term": table.index.astype(str),
            "n": n_a.astype("int64"),
            "n_other": n_b.astype("int64"),
            "n_neutral": n_neutral.astype("int64"),
            "x": x,
            "y": y,
            "part": _SLICES[slices % 16],
            "magnitude": x**2 + y**2,
        }
    )
    order = pd.Categorical(out["part"], categories=PARTS, ordered=True)
    out = (
        out.assign(_part=order, _weight=-out["magnitude"])
        .sort_values(["_part", "_weight", "term"], kind="mergesort")
        .drop(columns=["_part", "_weight"])
        .reset_index(drop=True)
    )
    out["rank"] = (out.groupby("part", sort=False).cumcount() + 1).astype("int64")
    return validate(out, SemioticSquare, table="semiotic_square", by=by)
