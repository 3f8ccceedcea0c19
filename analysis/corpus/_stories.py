"""The story of each row of a table: the scope of every comparison between outlets (docs/stories.md).

Stories come from ``analysis.topics.stories(corpus)`` (one row per article). Capabilities take them
as a table argument and tag their rows with :func:`story_of`; given no stories, the whole input is
one story whose id is :data:`WHOLE_CORPUS`. It lives here, below the capabilities, so that claims
and framing tag rows the same way without importing each other.
"""

from __future__ import annotations

import pandas as pd

from analysis.schemas import WHOLE_CORPUS

__all__ = ["WHOLE_CORPUS", "story_of"]


def story_of(table: pd.DataFrame, stories: pd.DataFrame | None) -> pd.Series:
    """The ``story_id`` of each row of ``table`` (by ``article_id``); :data:`WHOLE_CORPUS` without stories.

    Raises
    ------
    ValueError
        When ``stories`` lacks ``article_id``/``story_id`` or misses an article of ``table``.
    """
    if stories is None:
        return pd.Series(WHOLE_CORPUS, index=table.index, dtype=object)
    missing = {"article_id", "story_id"} - set(stories.columns)
    if missing:
        raise ValueError(f"stories lacks column(s) {sorted(missing)}: pass analysis.topics.stories(corpus)")
    story = table["article_id"].map(dict(zip(stories["article_id"], stories["story_id"], strict=True)))
    if story.isna().any():
        absent = sorted(set(table.loc[story.isna(), "article_id"]))
        raise ValueError(f"stories has no story for article(s) {absent[:5]}: was it computed on this corpus?")
    return story.astype(object)
