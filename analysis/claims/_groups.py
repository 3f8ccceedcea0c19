"""Cross-outlet comparison of numeric claims: which figures are about the same quantity, and do they agree.

:func:`compare_numbers` links two quantities (count, percent, duration, money)
from different sentences when they can be about the same thing and their
combined score reaches ``link_threshold``::

    score = w_counted * cos(counted phrases) + w_context * cos(sentences, number masked)
            + w_value * closeness

Embeddings come from :func:`analysis.nlp._embed.embed_texts`. ``closeness`` is
``1 - gap / log10(max_ratio)``, where ``gap`` is the distance in orders of
magnitude between the two stated values (for 'more than 6,650' the value is
6,650): figures of similar size are more likely to describe the same quantity.
Pairs never link when they differ in kind or unit, when their values lie more
than ``max_ratio`` apart, or when they sit in the same sentence (two numbers of
one sentence are two quantities), or when both state what happened to what
is counted and the events belong to different classes ('Armenians left' vs
'Armenians arrived': two flows, not one figure; 'killed' and 'died' are one
class, see :func:`analysis.claims._number_context.event_class`). Grouping uses stated values, not bounds, so
an open-ended 'thousands' or 'more than 400' cannot glue unrelated figures
together; the bounds decide the label.
Groups are the clusters of average-linkage agglomerative clustering
(``linkage_method``) cut at ``1 - link_threshold`` (average linkage, unlike single linkage, does not chain
unrelated claims through one intermediate).

Defaults and why: the sentence-embedding model scores paraphrases of one fact
around 0.45-0.8 and unrelated sentences of one story around 0.2-0.4, so a
combined score of 0.45 asks for clearly related wording; weights give the
counted phrase and the context equal say and the value a smaller one, so that
equal figures alone never make a group. ``max_ratio`` = 3: outlets that dispute
a figure rarely differ by more than a factor of a few (120,000 vs 100,000 dead,
displaced or present); figures further apart are almost always different
quantities (a day's count vs a cumulative one) and are left ungrouped rather
than reported as contradictions.

Labels (pairs of claims from different articles):

* ``agree``: every claim has the same value and bounds ('at least 200' twice);
* ``compatible``: the intervals share a point ('at least 200' and '250',
  '120,000' and 'an estimated 120,000');
* ``disagree``: some pair's intervals are disjoint and nothing explains it;
* ``different_reference``: the intervals conflict, but every conflicting pair
  states different times ('killed by Tuesday' vs 'killed by Thursday'), or
  different events where clustering merged them anyway: two quantities at
  different references, not a contradiction;
* ``single``: all claims come from one outlet.

``differs`` names what varies within the group: value, bound, time, source, event.
"""

from __future__ import annotations

import re
from typing import Literal

import numpy as np
import pandas as pd
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.spatial.distance import squareform

from analysis.claims._number_context import event_class
from analysis.claims._numbers import COMPARABLE_KINDS
from analysis.nlp import embed_texts
from analysis.schemas import empty_frame, validate
from analysis.schemas.claims import ClaimGroups

__all__ = ["compare_numbers", "pair_scores"]


def _masked(row) -> str:
    rel = row.sentence.find(row.text)
    if rel < 0:
        return row.sentence
    return f"{row.sentence[:rel]}N{row.sentence[rel + len(row.text) :]}"


def pair_scores(
    claims: pd.DataFrame,
    *,
    weights: tuple[float, float, float] = (0.4, 0.4, 0.2),
    max_ratio: float = 3.0,
    model: str | None = None,
) -> np.ndarray:
    """Link scores between every two claims (rows of ``claims``); ``-1`` where they may not link.

    Parameters
    ----------
    claims : DataFrame
        Rows of :func:`analysis.claims.extract_numbers`.
    weights : (w_counted, w_context, w_value)
    max_ratio : float
        Claims whose intervals lie further apart than this factor never link.
    model : str, optional
        Embedding model (default: the verified all-MiniLM-L6-v2).

    Returns
    -------
    ndarray of shape (n, n)
        Symmetric; the diagonal is 1.
    """
    n = len(claims)
    if n == 0:
        return np.zeros((0, 0))
    rows = list(claims.itertuples(index=False))
    context = embed_texts([_masked(r) for r in rows], model=model)
    counted = embed_texts([r.counted or _masked(r) for r in rows], model=model)
    values = np.log10(np.maximum(claims["value"].to_numpy(dtype=float), 1e-9))
    gaps = np.abs(values[:, None] - values[None, :])
    closeness = np.clip(1 - gaps / np.log10(max_ratio), 0, 1)
    w_counted, w_context, w_value = weights
    score = w_counted * (counted @ counted.T) + w_context * (context @ context.T) + w_value * closeness
    kind = claims["kind"].to_numpy()
    unit = claims["unit"].to_numpy()
    sent = claims["sentence_id"].to_numpy()
    forbidden = (
        (kind[:, None] != kind[None, :]) | (unit[:, None] != unit[None, :]) | (gaps > np.log10(max_ratio))
    )
    forbidden |= sent[:, None] == sent[None, :]
    event = claims["event"].map(event_class).to_numpy()
    forbidden |= (event[:, None] != "") & (event[None, :] != "") & (event[:, None] != event[None, :])
    score = np.where(forbidden, -1.0, score)
    np.fill_diagonal(score, 1.0)
    return score


def _interval(row) -> tuple[float, float]:
    return (-np.inf if np.isnan(row.lower) else row.lower, np.inf if np.isnan(row.upper) else row.upper)


def _norm(text: str) -> str:
    return re.sub(r"\W+", " ", text.lower()).strip()


def _label(group: pd.DataFrame) -> tuple[str, str]:
    rows = list(group.itertuples(index=False))
    differs = []
    checks = {
        "value": "value",
        "bound": "qualifier",
        "time": "time_ref",
        "source": "source",
        "event": "event",
    }
    for name, col in checks.items():
        values = group[col].map(_norm) if col in {"time_ref", "source"} else group[col]
        if col == "event":
            values = group[col].map(event_class)
        present = values[values != ""] if values.dtype == object else values
        if present.nunique() > 1 or (name == "bound" and values.nunique() > 1):
            differs.append(name)
    if group["outlet"].nunique() < 2:
        return "single", ", ".join(differs)
    intervals = [_interval(r) for r in rows]
    if max(lo for lo, _ in intervals) <= min(up for _, up in intervals):
        same = len({(r.value, *_interval(r)) for r in rows}) == 1
        return ("agree" if same else "compatible"), ", ".join(differs)
    unexplained = False
    for i, a in enumerate(rows):
        for j in range(i + 1, len(rows)):
            b = rows[j]
            if a.article_id == b.article_id:
                continue
            (alo, aup), (blo, bup) = intervals[i], intervals[j]
            if alo <= bup and blo <= aup:
                continue
            time_differs = a.time_ref and b.time_ref and _norm(a.time_ref) != _norm(b.time_ref)
            event_differs = a.event and b.event and event_class(a.event) != event_class(b.event)
            if not (time_differs or event_differs):
                unexplained = True
    return ("disagree" if unexplained else "different_reference"), ", ".join(differs)


def compare_numbers(
    numbers: pd.DataFrame,
    *,
    link_threshold: float = 0.45,
    weights: tuple[float, float, float] = (0.4, 0.4, 0.2),
    max_ratio: float = 3.0,
    linkage_method: Literal["average", "complete"] = "average",
    model: str | None = None,
) -> pd.DataFrame:
    """Group claims about the same quantity across outlets and label each group.

    Parameters
    ----------
    numbers : DataFrame
        Output of :func:`analysis.claims.extract_numbers` (years, dates and ordinals are ignored).
    link_threshold : float
        Minimum average link score inside a group (see the module docstring).
    weights, max_ratio, model
        See :func:`pair_scores`.
    linkage_method : str
        scipy linkage method; 'average' (default) or 'complete' (stricter: every
        pair in a group must reach the threshold).

    Returns
    -------
    DataFrame
        Schema :class:`analysis.schemas.claims.ClaimGroups`, one row per claim:
        ``group_id``, ``group_label``, ``label``, ``differs``, ``n_outlets``,
        ``claim_id``, ``article_id``, ``outlet``, ``sentence_id``, ``start``,
        ``end``, ``text``, ``kind``, ``unit``, ``value``, ``lower``, ``upper``,
        ``qualifier``, ``counted``, ``source``, ``time_ref``, ``similarity``,
        ``sentence``. Groups are numbered by their first claim in corpus order.
    """
    claims = numbers[numbers["kind"].isin(COMPARABLE_KINDS)].reset_index(drop=True)
    columns = list(ClaimGroups.to_schema().columns)
    if claims.empty:
        return validate(empty_frame(ClaimGroups), ClaimGroups, table="claim_groups")
    score = pair_scores(claims, weights=weights, max_ratio=max_ratio, model=model)
    if len(claims) == 1:
        clusters = np.array([1])
    else:
        distance = np.clip(1 - score, 0, 2)
        distance = np.where(score < 0, 10.0, distance)
        np.fill_diagonal(distance, 0)
        tree = linkage(squareform(distance, checks=False), method=linkage_method)
        clusters = fcluster(tree, t=1 - link_threshold, criterion="distance")
    claims["cluster"] = clusters
    first = claims.groupby("cluster", sort=False).head(1).reset_index()
    order = {c: f"g{k + 1}" for k, c in enumerate(first.sort_values("index")["cluster"])}
    claims["group_id"] = claims["cluster"].map(order)
    out = []
    for _gid, group in claims.groupby("group_id", sort=False):
        idx = group.index.to_numpy()
        sub = score[np.ix_(idx, idx)]
        sim = (sub.sum(axis=1) - 1) / max(len(idx) - 1, 1) if len(idx) > 1 else np.ones(1)
        label, differs = _label(group)
        counted = group.loc[group["counted"] != "", "counted"]
        name = counted.value_counts(sort=True).index[0] if not counted.empty else group["text"].iloc[0]
        unit = group["unit"].iloc[0] or group["kind"].iloc[0]
        out.append(
            group.assign(
                group_label=f"{name} [{unit}]",
                label=label,
                differs=differs,
                n_outlets=group["outlet"].nunique(),
                similarity=np.clip(sim, -1, 1).round(4),
            )
        )
    table = pd.concat(out).sort_values(["group_id", "article_id", "start"], key=_natural)[columns]
    table["n_outlets"] = table["n_outlets"].astype("int64")
    return validate(table.reset_index(drop=True), ClaimGroups, table="claim_groups")


def _natural(col: pd.Series) -> pd.Series:
    if col.name == "group_id":
        return col.str[1:].astype(int)
    return col
