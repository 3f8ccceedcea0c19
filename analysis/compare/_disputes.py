"""Conflicting figures within a story: the pairs behind "their numbers disagree".

Which figures contradict each other is decided by the claims capability: the ``conflicts`` column
of :func:`analysis.claims.compare_numbers` lists, for each claim, the claims of its group whose
bounds share no value with its own and whose difference no stated time or event explains. This
module only scopes those pairs to stories: two claims conflict here when ``conflicts`` pairs them,
their articles are in **the same story** of the ``stories`` table, and they come from **different
outlets**. A pair of claims of two stories (possible when claims were grouped without stories, the
whole corpus as one story) is never counted: stories are compared within, never across.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from analysis.compare._tables import in_stories, require

_CLAIM_COLUMNS = ["group_id", "group_label", "conflicts", "claim_id", "article_id", "outlet", "text"]


def claims_in_stories(stories: pd.DataFrame, groups: pd.DataFrame) -> pd.DataFrame:
    """The claim groups table with each claim's ``story_id`` from ``stories`` (claims of articles in no story are
    refused; a ``story_id`` column of ``groups`` is replaced)."""
    require(groups, _CLAIM_COLUMNS, "groups")
    return in_stories(groups.drop(columns="story_id", errors="ignore"), stories, "groups")


def conflicting_pairs(claims: pd.DataFrame, key: Callable[[str], tuple]) -> pd.DataFrame:
    """Ordered pairs of conflicting claims (see the module docstring): both (a, b) and (b, a) are listed.

    Parameters
    ----------
    claims : DataFrame
        :func:`claims_in_stories` output.
    key : callable
        Sort key of claim ids (``analysis.compare._tables.id_order``): pairs come in the order of their claims.

    Returns
    -------
    DataFrame
        Columns ``story_id``, ``group_id``, ``group_label``, ``outlet``, ``claim_id``, ``text``,
        ``other_outlet``, ``other_claim_id``, ``other_text``, in reading order of the claims.
    """
    sides = claims[["story_id", "group_id", "group_label", "outlet", "claim_id", "text", "conflicts"]]
    pairs = sides.assign(other_claim_id=sides["conflicts"].str.split()).explode("other_claim_id")
    pairs = pairs.dropna(subset=["other_claim_id"]).merge(
        sides[["story_id", "outlet", "claim_id", "text"]].rename(columns=lambda c: f"other_{c}"),
        on="other_claim_id",
    )
    pairs = pairs.loc[
        (pairs["story_id"] == pairs["other_story_id"]) & (pairs["outlet"] != pairs["other_outlet"])
    ]
    rank = {c: k for k, c in enumerate(sorted(claims["claim_id"], key=key))}
    pairs = pairs.assign(_a=pairs["claim_id"].map(rank), _b=pairs["other_claim_id"].map(rank))
    pairs = pairs.sort_values(["_a", "_b"], kind="stable")
    return pairs[
        [
            "story_id",
            "group_id",
            "group_label",
            "outlet",
            "claim_id",
            "text",
            "other_outlet",
            "other_claim_id",
            "other_text",
        ]
    ].reset_index(drop=True)


def shared_groups(claims: pd.DataFrame) -> pd.DataFrame:
    """Claims in a group that another outlet of the same story also has a claim in.

    Returns
    -------
    DataFrame
        The rows of ``claims`` kept, with their columns.
    """
    n_outlets = claims.groupby(["story_id", "group_id"], sort=False)["outlet"].transform("nunique")
    return claims.loc[n_outlets >= 2]
