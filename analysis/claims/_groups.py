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
Claims are compared within a story only (``stories=``, from
:func:`analysis.topics.stories`): a group never spans two stories, and the pair work is done
story by story (O(sum of n_story^2), not O(n^2)). Without ``stories`` the whole input is one
story, ``story_id`` = ``'all'`` (:data:`analysis.corpus.WHOLE_CORPUS`): right for a corpus about one event, wrong for more.

Within a story, two counts (or two percentages) can be the same quantity only when what they
count matches: both name a counted noun, and the nouns fall in one class
(:func:`analysis.claims._number_context.counted_class`: 'residents', 'people', 'population' and
'Armenians' are people; 'deaths' are people killed); a figure whose counted noun is unknown
('prompted thousands to evacuate') is compared with nothing. Durations and money are matched by
their unit. A time of day is never a count (:func:`analysis.claims.extract_numbers` drops it).
Time references are compared as :func:`analysis.claims._time_refs.time_key` resolves them
('on Wednesday' in an article of Thursday 21 Sept and 'Sept. 20' are one time).

Pairs never link when they differ in kind or unit, when their values lie more
than ``max_ratio`` apart, or when they sit in the same sentence (two numbers of
one sentence are two quantities), when what they count differs (above), or when both state
(or their counted noun implies) what happened to what
is counted and the events belong to different classes ('Armenians left' vs
'Armenians arrived': two flows, not one figure; 'killed' and 'died' are one
class, see :func:`analysis.claims._number_context.event_class`). Grouping uses stated values, not bounds, so
an open-ended 'thousands' or 'more than 400' cannot glue unrelated figures
together; the bounds decide the label.
Nor do they link, unless the two figures are identical (same value and bounds), when their
sentences name nothing in common and are not near-duplicates
(:mod:`analysis.claims._same_fact`): '328 injured in the factory fire in Ashford' and '200
wounded in airstrikes near Jalalabad' count one kind of thing in one story but are two facts, not
a disputed figure. Relative times ('20 years ago', 'two days later') link only between
near-duplicate sentences.
Groups are the clusters of average-linkage agglomerative clustering
(``linkage_method``) cut at ``1 - link_threshold`` (average linkage, unlike single linkage, does not chain
unrelated claims through one intermediate); two claims that may not link are never in one group,
however large the clusters around them.

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
  different events where clustering merged them anyway: one measure at
  different references, so *not* the same quantity and not a contradiction;
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

from analysis.claims._number_context import counted_class, event_class
from analysis.claims._numbers import COMPARABLE_KINDS
from analysis.claims._same_fact import relative_times, same_fact
from analysis.claims._time_refs import time_key
from analysis.corpus import story_of
from analysis.nlp import embed_texts
from analysis.schemas import empty_frame, validate
from analysis.schemas.claims import ClaimGroups

__all__ = ["claim_texts", "compare_numbers", "pair_scores"]

#: Kinds whose figures must name what they count, in one class, to be the same quantity.
_NEED_COUNTED = ("count", "percent")

#: Distance of two claims that may not link: so large that no average over a merged cluster
#: falls below the cut, however many linked pairs surround it ('never link' holds at any size).
_NEVER = 1e9


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

    Names and word weights (:mod:`analysis.claims._same_fact`) are read from ``claims`` themselves.

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
    if len(claims) == 0:
        return np.zeros((0, 0))
    context, counted = _embeddings(claims, model)
    evidence = same_fact(claims)
    rows = np.arange(len(claims))
    return _link_scores(
        claims, context, counted, evidence.for_rows(rows), weights=weights, max_ratio=max_ratio
    )


def claim_texts(numbers: pd.DataFrame) -> tuple[list[str], list[str]]:
    """The texts :func:`compare_numbers` embeds, in the order and the two calls it embeds them.

    The report runner embeds these once, before the notebooks run, so that no notebook loads the
    model for them and every notebook reads the same vectors.

    Parameters
    ----------
    numbers : DataFrame
        Output of :func:`analysis.claims.extract_numbers`.

    Returns
    -------
    (context, counted)
        Per comparable claim (kind in ``COMPARABLE_KINDS``): its sentence with the number masked as
        'N', and its counted phrase (the masked sentence where it names none).
    """
    return _texts(numbers[numbers["kind"].isin(COMPARABLE_KINDS)])


def _texts(claims: pd.DataFrame) -> tuple[list[str], list[str]]:
    """Each row's masked sentence, and its counted phrase (the masked sentence where it names none)."""
    rows = list(claims.itertuples(index=False))
    masked = [_masked(r) for r in rows]
    return masked, [r.counted or m for r, m in zip(rows, masked, strict=True)]


def _embeddings(claims: pd.DataFrame, model: str | None) -> tuple[np.ndarray, np.ndarray]:
    """Unit embeddings of each claim's masked sentence and of its counted phrase (masked sentence if none)."""
    context, counted = _texts(claims)
    return embed_texts(context, model=model), embed_texts(counted, model=model)


def _link_scores(
    claims: pd.DataFrame,
    context: np.ndarray,
    counted: np.ndarray,
    evidence: tuple[np.ndarray, np.ndarray],
    *,
    weights: tuple[float, float, float],
    max_ratio: float,
) -> np.ndarray:
    """:func:`pair_scores` from precomputed embeddings and sentence evidence (rows aligned with ``claims``).

    ``evidence``: boolean (n, n) matrices (the sentences share a name or are near-duplicates, they are
    near-duplicates), from :meth:`analysis.claims._same_fact.SameFact.for_rows`.
    """
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
    classes = [counted_class(h, c) for h, c in zip(claims["counted_head"], claims["counted"], strict=True)]
    noun = np.array([c for c, _ in classes], dtype=object)
    needs = np.isin(kind, _NEED_COUNTED)
    forbidden |= needs[:, None] & ((noun[:, None] == "") | (noun[:, None] != noun[None, :]))
    stated = claims["event"].map(event_class).to_numpy()
    event = np.array([e or implied for e, (_, implied) in zip(stated, classes, strict=True)], dtype=object)
    forbidden |= (event[:, None] != "") & (event[None, :] != "") & (event[:, None] != event[None, :])
    shares_referent, duplicate = evidence
    forbidden |= ~_identical(claims) & ~shares_referent
    relative = relative_times(claims)
    forbidden |= (relative[:, None] | relative[None, :]) & ~duplicate
    score = np.where(forbidden, -1.0, score)
    np.fill_diagonal(score, 1.0)
    return score


def _identical(claims: pd.DataFrame) -> np.ndarray:
    """Boolean (n, n): the two claims state one value with the same bounds ('at least 200' twice)."""
    figure = claims[["value", "lower", "upper"]].fillna(-np.inf).to_numpy(dtype=float)
    return (figure[:, None, :] == figure[None, :, :]).all(axis=2)


def _interval(row) -> tuple[float, float]:
    return (-np.inf if np.isnan(row.lower) else row.lower, np.inf if np.isnan(row.upper) else row.upper)


def _norm(text: str) -> str:
    return re.sub(r"\W+", " ", text.lower()).strip()


def _label(group: pd.DataFrame) -> tuple[str, str, list[str]]:
    """(label, what differs, per claim the space-joined ids of the claims it contradicts)."""
    rows = list(group.itertuples(index=False))
    conflicts: list[list[str]] = [[] for _ in rows]
    differs = []
    checks = {
        "value": "value",
        "bound": "qualifier",
        "time": "time_ref",
        "source": "source",
        "event": "event",
    }
    for name, col in checks.items():
        values = (
            group[col].map(_norm)
            if col == "source"
            else group["time_key"]
            if col == "time_ref"
            else group[col]
        )
        if col == "event":
            values = group[col].map(event_class)
        present = values[values != ""] if values.dtype == object else values
        if present.nunique() > 1 or (name == "bound" and values.nunique() > 1):
            differs.append(name)
    none = [""] * len(rows)
    if group["outlet"].nunique() < 2:
        return "single", ", ".join(differs), none
    intervals = [_interval(r) for r in rows]
    if max(lo for lo, _ in intervals) <= min(up for _, up in intervals):
        same = len({(r.value, *_interval(r)) for r in rows}) == 1
        return ("agree" if same else "compatible"), ", ".join(differs), none
    for i, a in enumerate(rows):
        for j in range(i + 1, len(rows)):
            b = rows[j]
            if a.article_id == b.article_id:
                continue
            (alo, aup), (blo, bup) = intervals[i], intervals[j]
            if alo <= bup and blo <= aup:
                continue
            time_differs = a.time_key and b.time_key and a.time_key != b.time_key
            event_differs = a.event and b.event and event_class(a.event) != event_class(b.event)
            if not (time_differs or event_differs):
                conflicts[i].append(b.claim_id)
                conflicts[j].append(a.claim_id)
    label = "disagree" if any(conflicts) else "different_reference"
    return label, ", ".join(differs), [" ".join(c) for c in conflicts]


def compare_numbers(
    numbers: pd.DataFrame,
    *,
    stories: pd.DataFrame | None = None,
    link_threshold: float = 0.45,
    weights: tuple[float, float, float] = (0.4, 0.4, 0.2),
    max_ratio: float = 3.0,
    linkage_method: Literal["average", "complete"] = "average",
    model: str | None = None,
) -> pd.DataFrame:
    """Group claims about the same quantity across the outlets of each story and label each group.

    Parameters
    ----------
    numbers : DataFrame
        Output of :func:`analysis.claims.extract_numbers` (years, dates and ordinals are ignored).
    stories : DataFrame, optional
        :func:`analysis.topics.stories` of the corpus: claims are grouped within each story only,
        and weekdays are resolved against its ``published`` dates. None: the whole input is one
        story (``story_id`` 'all').
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
        ``story_id``, ``group_id``, ``group_label``, ``label``, ``differs``, ``conflicts``, ``n_outlets``,
        ``claim_id``, ``article_id``, ``outlet``, ``sentence_id``, ``start``,
        ``end``, ``text``, ``kind``, ``unit``, ``value``, ``lower``, ``upper``,
        ``qualifier``, ``counted``, ``source``, ``time_ref``, ``similarity``,
        ``sentence``. Groups are numbered by their first claim in corpus order.
    """
    claims = numbers[numbers["kind"].isin(COMPARABLE_KINDS)].reset_index(drop=True)
    columns = list(ClaimGroups.to_schema().columns)
    if claims.empty:
        return validate(empty_frame(ClaimGroups), ClaimGroups, table="claim_groups")
    claims["story_id"] = story_of(claims, stories)
    published = (
        claims["article_id"].map(dict(zip(stories["article_id"], stories["published"], strict=True)))
        if stories is not None and "published" in stories.columns
        else pd.Series(None, index=claims.index)
    )
    claims["time_key"] = [
        time_key(ref, when) for ref, when in zip(claims["time_ref"], published, strict=True)
    ]
    context, counted = _embeddings(claims, model)
    evidence = same_fact(claims)
    clusters = np.zeros(len(claims), dtype=np.int64)
    scores = {}
    for idx in claims.groupby("story_id", sort=False).indices.values():
        score = _link_scores(
            claims.iloc[idx],
            context[idx],
            counted[idx],
            evidence.for_rows(idx),
            weights=weights,
            max_ratio=max_ratio,
        )
        clusters[idx] = clusters.max() + _clusters(score, link_threshold, linkage_method)
        scores.update({int(i): (idx, score) for i in idx})
    claims["cluster"] = clusters
    first = claims.groupby("cluster", sort=False).head(1).reset_index()
    order = {c: f"g{k + 1}" for k, c in enumerate(first.sort_values("index")["cluster"])}
    claims["group_id"] = claims["cluster"].map(order)
    # Per group: its label, what differs, each claim's conflicts and mean link score. The columns are
    # filled in bulk and the many one-claim groups skip pandas altogether: building a frame per group
    # made this loop the slowest step of notebook 06 on a few hundred articles.
    members_of = claims.groupby("group_id", sort=False).indices
    text, counted, unit, kind = (claims[c].to_numpy() for c in ("text", "counted", "unit", "kind"))
    filled = {
        name: [] for name in ("group_label", "label", "differs", "conflicts", "n_outlets", "similarity")
    }
    for positions in members_of.values():
        members, score = scores[int(positions[0])]
        if len(positions) == 1:  # what _label and the mean score give for one claim
            label, differs, conflicts, n_outlets, sim = "single", "", [""], 1, np.ones(1)
        else:
            group = claims.iloc[positions]
            local = np.searchsorted(members, positions)
            sim = (score[np.ix_(local, local)].sum(axis=1) - 1) / (len(local) - 1)
            label, differs, conflicts = _label(group)
            n_outlets = group["outlet"].nunique()
        first = positions[0]
        name = _group_name(counted[positions], text[first])
        size = len(positions)
        filled["group_label"] += [f"{name} [{unit[first] or kind[first]}]"] * size
        filled["label"] += [label] * size
        filled["differs"] += [differs] * size
        filled["conflicts"] += conflicts
        filled["n_outlets"] += [n_outlets] * size
        filled["similarity"] += np.clip(sim, -1, 1).round(4).tolist()
    grouped = claims.iloc[np.concatenate(list(members_of.values()))].assign(**filled)
    table = grouped.sort_values(["group_id", "article_id", "start"], key=_natural)[columns]
    table["n_outlets"] = table["n_outlets"].astype("int64")
    return validate(table.reset_index(drop=True), ClaimGroups, table="claim_groups")


def _group_name(counted: np.ndarray, first_text: str) -> str:
    """The counted phrase most claims of a group name, else the first claim's text."""
    named = counted[counted != ""]
    if len(named) == 0:
        return first_text
    if len(named) == 1:
        return named[0]
    return pd.Series(named).value_counts(sort=True).index[0]


def _clusters(score: np.ndarray, link_threshold: float, linkage_method: str) -> np.ndarray:
    """Cluster labels 1..k of one story's claims from their link scores (-1: may not link)."""
    if len(score) == 1:
        return np.array([1])
    distance = np.clip(1 - score, 0, 2)
    distance = np.where(score < 0, _NEVER, distance)
    np.fill_diagonal(distance, 0)
    tree = linkage(squareform(distance, checks=False), method=linkage_method)
    return fcluster(tree, t=1 - link_threshold, criterion="distance")


def _natural(col: pd.Series) -> pd.Series:
    if col.name == "group_id":
        return col.str[1:].astype(int)
    return col
