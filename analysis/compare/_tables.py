"""What the comparison modules share: checking input columns, story and outlet order, joining ids."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

import pandas as pd

STORY_KEYS = ["story_id", "outlet"]


def require(table: pd.DataFrame, columns: Iterable[str], name: str) -> None:
    """Raise a ValueError naming the columns ``table`` lacks."""
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise ValueError(f"{name} lacks column(s) {', '.join(missing)}")


def story_of_articles(stories: pd.DataFrame) -> pd.DataFrame:
    """``article_id`` -> ``story_id`` (one row per article; refuses an article in two stories)."""
    require(stories, ["article_id", "outlet", "story_id"], "stories")
    repeated = stories["article_id"][stories["article_id"].duplicated()]
    if not repeated.empty:
        raise ValueError(f"stories lists article {repeated.iat[0]!r} more than once")
    return stories[["article_id", "story_id"]]


def in_stories(table: pd.DataFrame, stories: pd.DataFrame, name: str) -> pd.DataFrame:
    """``table`` with the ``story_id`` of its ``article_id``; refuses rows of articles that no story holds."""
    joined = table.merge(story_of_articles(stories), on="article_id", how="left", validate="many_to_one")
    unknown = joined.loc[joined["story_id"].isna(), "article_id"]
    if not unknown.empty:
        raise ValueError(f"{name} has rows of article {unknown.iat[0]!r}, which is in no story")
    return joined


def order_of(values: pd.Series) -> dict[str, int]:
    """Each distinct value -> its position of first appearance."""
    return {v: i for i, v in enumerate(pd.unique(values))}


def id_order(stories: pd.DataFrame) -> Callable[[str], tuple]:
    """Sort key of ids that start with an article id ('a1:p2:s0', 'a1:q3', 'a1:p2:s0:n1'): corpus order.

    Articles come in the order of ``stories``; within an article, ids compare by their numbers
    (``p2`` before ``p10``), so that every id list is in reading order whatever the order of the input rows.
    """
    rank = order_of(stories["article_id"])

    def key(identifier: str) -> tuple:
        article, _, rest = identifier.partition(":")
        return rank.get(article, len(rank)), tuple(int(n) for n in re.findall(r"\d+", rest)), identifier

    return key


def join_ids(values: Iterable[str], key: Callable[[str], tuple]) -> str:
    """Distinct ids (each value may hold several, space-separated) sorted by ``key``, space-separated."""
    return " ".join(sorted({part for value in values for part in str(value).split()}, key=key))


def join_unique(values: Iterable[str], sep: str = " ") -> str:
    """Distinct non-empty values joined by ``sep`` in first-seen order (with ``sep=" "``, each value may hold
    several space-separated ids)."""
    parts = (p for v in values for p in (str(v).split() if sep == " " else [str(v)]))
    return sep.join(dict.fromkeys(p for p in parts if p))
