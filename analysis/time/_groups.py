"""Outlet groups over time, and the blindspots of each group.

A group table (:func:`analysis.corpus.outlet_groups`, re-exported as ``time.outlet_groups``) maps each
outlet to one group. :func:`group_of_articles` gives every article of the corpus its group, which is
how ``by=`` accepts a group column in every function of this package. (Every other notebook compares
groups through :func:`analysis.corpus.group_corpus` instead.)

Blindspots (after Ground News): for a story with ``n_articles`` articles of which ``n`` come from
group g, and g's share ``p_g`` of all the corpus's articles (its base rate), the one-sided binomial
p-value ``P(X <= n)``, ``X ~ Binomial(n_articles, p_g)``, says how unlikely so little coverage is if
g's outlets covered the story like everything else. p-values are adjusted by Benjamini-Hochberg over
the stories, per group; a story is a blindspot of g when ``q < q_max``. Articles of one outlet on
one story are not independent draws, so the test is, if anything, too eager on stories with many
articles from one outlet; stories of a few articles can never be blindspots (with ``p_g = 0.2`` a
story needs 14 articles before even zero coverage gives p < 0.05).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats as sps

from analysis.schemas import validate
from analysis.schemas.corpus import group_value
from analysis.schemas.time import Blindspots

__all__ = ["group_of_articles", "blindspots"]


def group_of_articles(articles: pd.DataFrame, by: str, group_table: pd.DataFrame | None) -> pd.Series:
    """The ``by`` group of each article (same index): its own column, else its outlet's in ``group_table``."""
    if group_table is not None and by != "outlet":
        if by not in group_table.columns:
            raise ValueError(f"group_table has no column {by!r}; it has {list(group_table.columns)}")
        group = (
            articles["outlet"].astype(str).map(dict(zip(group_table["outlet"], group_table[by], strict=True)))
        )
        if group.isna().any():
            raise ValueError(
                f"group_table has no {by} for outlet {articles.loc[group.isna(), 'outlet'].iat[0]!r}"
            )
        return group.astype(str)
    if by not in articles.columns:
        raise ValueError(
            f"by={by!r} is not a column of the corpus's articles; pass group_table=time.outlet_groups(...)"
        )
    return articles[by].map(group_value)


def blindspots(
    stories: pd.DataFrame,
    group_table: pd.DataFrame,
    *,
    by: str = "outlet_type",
    q_max: float = 0.05,
) -> pd.DataFrame:
    """Per story and group, the group's share of the story's articles against its base rate, tested.

    Parameters
    ----------
    stories : DataFrame
        :func:`analysis.topics.stories` output (``article_id``, ``outlet``, ``story_id``): the corpus.
    group_table : DataFrame
        :func:`outlet_groups` output holding the ``by`` column.
    by : str
        The group column.
    q_max : float
        False-discovery rate under which a story is a blindspot of a group.

    Returns
    -------
    DataFrame
        Schema :class:`analysis.schemas.time.Blindspots`, one row per story (in order of first article)
        and group (in order of first appearance): ``story_id``, the ``by`` column, ``n``, ``n_articles``,
        ``share``, ``base_rate``, ``expected``, ``p``, ``q``, ``blindspot``, and the evidence:
        ``article_ids`` (the group's articles in the story), ``outlets_covering``, ``outlets_absent``
        (the group's outlets without an article in it). Test and adjustment in the module docstring.
    """
    if not 0 < q_max < 1:
        raise ValueError(f"q_max must be between 0 and 1, got {q_max!r}")
    missing = {"article_id", "outlet", "story_id"} - set(stories.columns)
    if missing:
        raise ValueError(f"stories lacks column(s) {sorted(missing)}")
    group = group_of_articles(stories, by, group_table)
    story_codes, story_ids = pd.factorize(stories["story_id"].astype(str))
    group_codes, groups = pd.factorize(group)
    n = np.zeros((len(story_ids), len(groups)), dtype=np.int64)
    np.add.at(n, (story_codes, group_codes), 1)
    n_articles = n.sum(axis=1)
    base = n.sum(axis=0) / len(stories)
    p = sps.binom.cdf(n, n_articles[:, None], base[None, :])
    q = np.column_stack([sps.false_discovery_control(p[:, j], method="bh") for j in range(len(groups))])
    outlets = stories["outlet"].astype(str).to_numpy()
    ids = stories["article_id"].astype(str).to_numpy()
    members_of = [list(dict.fromkeys(outlets[group_codes == j])) for j in range(len(groups))]
    cell = story_codes * len(groups) + group_codes
    articles_in = {c: " ".join(ids[cell == c]) for c in np.unique(cell)}
    outlets_in = {c: list(dict.fromkeys(outlets[cell == c])) for c in np.unique(cell)}
    covering = [outlets_in.get(c, []) for c in range(n.size)]
    out = pd.DataFrame(
        {
            "story_id": np.repeat(np.asarray(story_ids, dtype=object), len(groups)),
            by: np.tile(np.asarray(groups, dtype=object), len(story_ids)),
            "n": n.ravel(),
            "n_articles": np.repeat(n_articles, len(groups)),
            "share": (n / n_articles[:, None]).ravel(),
            "base_rate": np.tile(base, len(story_ids)),
            "expected": (n_articles[:, None] * base[None, :]).ravel(),
            "p": p.ravel(),
            "q": np.minimum(q, 1.0).ravel(),
            "blindspot": (q < q_max).ravel(),
            "article_ids": [articles_in.get(c, "") for c in range(n.size)],
            "outlets_covering": ["; ".join(o) for o in covering],
            "outlets_absent": [
                "; ".join(o for o in members_of[c % len(groups)] if o not in covering[c])
                for c in range(n.size)
            ],
        }
    )
    return validate(out, Blindspots, table="blindspots", by=by)
