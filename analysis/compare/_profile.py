"""Each story, outlet by outlet: when, how long, whom it quotes, which frames, which figures conflict, what only it reports.

The profile has one row per (story, outlet covering it): it grows with stories x outlets, never
with articles. Every count comes with the ids behind it (articles, quotes, sentences, claims,
passages), so that a reader can go from a cell to the text.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis import topics
from analysis.compare._disputes import claims_in_stories, conflicting_pairs, shared_groups
from analysis.compare._tables import (
    STORY_KEYS,
    id_order,
    in_stories,
    join_ids,
    join_unique,
    require,
)
from analysis.schemas import validate
from analysis.schemas.compare import StoryDetail, StoryOverview, StoryProfile

__all__ = ["story_profile", "story_overview", "story_detail"]

#: Quote kinds that put words inside quotation marks.
_MARKED = ("direct", "partial")


def story_profile(
    stories: pd.DataFrame,
    articles: pd.DataFrame,
    *,
    quotes: pd.DataFrame | None = None,
    frames: pd.DataFrame | None = None,
    groups: pd.DataFrame | None = None,
    gaps: pd.DataFrame | None = None,
    top_k: int = 3,
) -> pd.DataFrame:
    """Each story side by side per outlet: publication lag, length and, per optional table, quotes, frames,
    conflicting figures and exclusive content.

    Parameters
    ----------
    stories : DataFrame
        :func:`analysis.topics.stories` output (one row per article with its ``story_id`` and ``published``).
    articles : DataFrame
        The corpus's articles table (``article_id``, ``n_words``).
    quotes : DataFrame, optional
        :func:`analysis.sourcing.extract_quotes` output: adds ``n_quotes``, ``words_quoted``,
        ``quoted_share``, ``top_speakers``, ``quote_ids``.
    frames : DataFrame, optional
        :func:`analysis.framing.frame_scores` output: adds ``n_frames``, ``frames``, ``frame_sentence_ids``.
    groups : DataFrame, optional
        :func:`analysis.claims.compare_numbers` output: adds ``n_figures``, ``n_disputed``,
        ``disputed_group_ids``, ``disputed_claim_ids``, ``disputed_figures`` (conflicts as defined in
        ``analysis.compare._disputes``: same story, different outlets, disjoint bounds).
    gaps : DataFrame, optional
        :func:`analysis.claims.coverage_gaps` output: adds ``n_exclusive`` and ``exclusive_unit_ids``
        (content units only this outlet reports, placed in the story of their passages' articles).
    top_k : int
        Speakers named in ``top_speakers``.

    Returns
    -------
    DataFrame
        Schema :class:`analysis.schemas.compare.StoryProfile`, in the row order of
        :func:`analysis.topics.story_outlets` (stories by first article, outlets by first publication):
        ``story_id``, ``outlet``, ``n_articles``, ``first_published``, ``lag_hours`` (from the story's
        first publication to the outlet's, as story_outlets measures it), ``article_ids``, ``n_words``,
        then the columns of the tables given.

    Raises
    ------
    ValueError
        When a table lacks a column used, or holds rows of an article that no story (or no article row) holds.
    """
    require(articles, ["article_id", "n_words"], "articles")
    lengths = in_stories(stories[["article_id", "outlet"]], stories, "stories").merge(
        articles[["article_id", "n_words"]],
        on="article_id",
        how="left",
        validate="one_to_one",
        indicator=True,
    )
    if (lengths["_merge"] != "both").any():
        missing = lengths.loc[lengths["_merge"] != "both", "article_id"].iat[0]
        raise ValueError(f"articles has no row for article {missing!r}")
    per_outlet = lengths.groupby(STORY_KEYS, sort=False).agg(
        article_ids=("article_id", " ".join), n_words=("n_words", "sum")
    )
    profile = topics.story_outlets(stories).merge(
        per_outlet.reset_index(), on=STORY_KEYS, validate="one_to_one"
    )
    profile["n_words"] = profile["n_words"].astype("int64")
    if quotes is not None:
        profile = _add(profile, _quote_columns(quotes, stories, top_k=top_k))
        profile["quoted_share"] = profile["words_quoted"] / profile["n_words"].where(profile["n_words"] > 0)
    if frames is not None:
        profile = _add(profile, _frame_columns(frames, stories))
    if groups is not None:
        profile = _add(profile, _figure_columns(groups, stories))
    if gaps is not None:
        profile = _add(profile, _exclusive_columns(gaps, stories))
    profile = profile[[c for c in StoryProfile.to_schema().columns if c in profile]]
    return validate(profile, StoryProfile, table="story_profile")


def _add(profile: pd.DataFrame, part: pd.DataFrame) -> pd.DataFrame:
    """``profile`` with ``part``'s columns (keyed by story and outlet); no row: 0 for counts, '' for ids and names."""
    merged = profile.merge(part, on=STORY_KEYS, how="left", validate="one_to_one")
    for column in part.columns.drop(STORY_KEYS):
        if pd.api.types.is_numeric_dtype(part[column]):
            merged[column] = merged[column].fillna(0).astype("int64")
        else:
            merged[column] = merged[column].fillna("")
    return merged


def _quote_columns(quotes: pd.DataFrame, stories: pd.DataFrame, *, top_k: int) -> pd.DataFrame:
    require(quotes, ["article_id", "outlet", "quote_id", "kind", "n_words", "speaker"], "quotes")
    said = in_stories(quotes.loc[quotes["kind"] != "scare"], stories, "quotes")
    said["marked_words"] = said["n_words"].where(said["kind"].isin(_MARKED), 0)
    key = id_order(stories)
    part = said.groupby(STORY_KEYS, sort=False).agg(
        n_quotes=("quote_id", "size"),
        words_quoted=("marked_words", "sum"),
        quote_ids=("quote_id", lambda ids: join_ids(ids, key)),
    )
    named = said.loc[said["speaker"].notna() & (said["speaker"] != "unknown")]
    per_speaker = named.groupby([*STORY_KEYS, "speaker"], sort=False).size().rename("n").reset_index()
    per_speaker = per_speaker.sort_values(["n", "speaker"], ascending=[False, True], kind="stable")
    top = per_speaker.groupby(STORY_KEYS, sort=False).head(top_k)
    top = top.assign(named=top["speaker"] + " (" + top["n"].astype(str) + ")")
    part["top_speakers"] = top.groupby(STORY_KEYS, sort=False)["named"].agg("; ".join)
    return part.reset_index()[[*STORY_KEYS, "n_quotes", "words_quoted", "top_speakers", "quote_ids"]]


def _frame_columns(frames: pd.DataFrame, stories: pd.DataFrame) -> pd.DataFrame:
    require(frames, ["article_id", "outlet", "frame", "present", "sentence_ids"], "frames")
    present = in_stories(frames.loc[frames["present"].astype(bool)], stories, "frames")
    key = id_order(stories)
    part = present.groupby(STORY_KEYS, sort=False).agg(
        n_frames=("frame", "nunique"),
        frames=("frame", lambda f: ", ".join(sorted(set(f)))),
        frame_sentence_ids=("sentence_ids", lambda ids: join_ids(ids, key)),
    )
    return part.reset_index()


def _figure_columns(groups: pd.DataFrame, stories: pd.DataFrame) -> pd.DataFrame:
    claims = claims_in_stories(stories, groups)
    figures = shared_groups(claims).groupby(STORY_KEYS, sort=False).size().rename("n_figures")
    pairs = conflicting_pairs(claims, id_order(stories))
    pairs["figure"] = (
        pairs["group_label"]
        + ": "
        + pairs["text"]
        + " vs "
        + pairs["other_text"]
        + " ("
        + pairs["other_outlet"]
        + ")"
    )
    disputed = pairs.groupby(STORY_KEYS, sort=False).agg(
        n_disputed=("group_id", "nunique"),
        disputed_group_ids=("group_id", join_unique),
        disputed_claim_ids=("claim_id", join_unique),  # pairs come in reading order
        disputed_figures=("figure", lambda f: join_unique(f, sep="; ")),
    )
    part = pd.concat([figures, disputed], axis=1).reset_index()
    part["n_disputed"] = part["n_disputed"].fillna(0).astype("int64")
    return part[
        [
            *STORY_KEYS,
            "n_figures",
            "n_disputed",
            "disputed_group_ids",
            "disputed_claim_ids",
            "disputed_figures",
        ]
    ]


def _exclusive_columns(gaps: pd.DataFrame, stories: pd.DataFrame) -> pd.DataFrame:
    require(gaps, ["outlet", "status", "content_id", "evidence_ids"], "gaps")
    exclusive = gaps.loc[gaps["status"] == "exclusive", ["outlet", "content_id", "evidence_ids"]]
    passages = exclusive.assign(unit_id=exclusive["evidence_ids"].str.split()).explode("unit_id")
    passages = passages.dropna(subset=["unit_id"])
    passages["article_id"] = passages["unit_id"].str.split(":").str[0]
    passages = in_stories(passages, stories, "gaps")
    key = id_order(stories)
    part = passages.groupby(STORY_KEYS, sort=False).agg(
        n_exclusive=("content_id", "nunique"), exclusive_unit_ids=("unit_id", lambda ids: join_ids(ids, key))
    )
    return part.reset_index()


def story_overview(story_table: pd.DataFrame, profile: pd.DataFrame) -> pd.DataFrame:
    """One row per story, for the report's filterable table, ranked for the detail figures.

    Parameters
    ----------
    story_table : DataFrame
        :func:`analysis.topics.story_table` output (``story_id``, ``label``, ``first_published``,
        ``last_published``, ``n_articles``, ``n_outlets``, ``outlets``).
    profile : DataFrame
        :func:`story_profile` output.

    Returns
    -------
    DataFrame
        Schema :class:`analysis.schemas.compare.StoryOverview`, in rank order: ``rank`` (most outlets
        first, then most disputed claim groups, then most articles, then story order), the story table's
        columns, ``n_words``, ``first_outlets`` (outlets at lag 0), ``max_lag_hours``, and, when the
        profile has them, ``n_quotes``, ``n_disputed`` (distinct claim groups), ``n_exclusive``.
    """
    columns = ["story_id", "label", "first_published", "last_published", "n_articles", "n_outlets", "outlets"]
    require(story_table, columns, "story_table")
    require(profile, ["story_id", "outlet", "lag_hours", "n_words"], "profile")
    by_story = profile.groupby("story_id", sort=False)
    summary = pd.DataFrame(
        {
            "n_words": by_story["n_words"].sum(),
            "first_outlets": profile.loc[profile["lag_hours"] == 0]
            .groupby("story_id", sort=False)["outlet"]
            .agg(", ".join),
            "max_lag_hours": by_story["lag_hours"].max(),
        }
    )
    if "n_quotes" in profile:
        summary["n_quotes"] = by_story["n_quotes"].sum()
    if "disputed_group_ids" in profile:
        summary["n_disputed"] = by_story["disputed_group_ids"].agg(lambda ids: len(join_unique(ids).split()))
    if "n_exclusive" in profile:
        summary["n_exclusive"] = by_story["n_exclusive"].sum()
    overview = story_table[columns].merge(
        summary.reset_index(), on="story_id", how="left", validate="one_to_one"
    )
    overview["n_words"] = overview["n_words"].fillna(0).astype("int64")
    overview["first_outlets"] = overview["first_outlets"].fillna("")
    for column in ("n_quotes", "n_disputed", "n_exclusive"):
        if column in overview:
            overview[column] = overview[column].fillna(0).astype("int64")
    disputes = overview["n_disputed"] if "n_disputed" in overview else 0
    ranked = overview.assign(_disputes=disputes, _order=np.arange(len(overview))).sort_values(
        ["n_outlets", "_disputes", "n_articles", "_order"],
        ascending=[False, False, False, True],
        kind="stable",
    )
    ranked.insert(0, "rank", np.arange(1, len(ranked) + 1, dtype="int64"))
    overview = ranked.drop(columns=["_disputes", "_order"]).reset_index(drop=True)
    return validate(overview, StoryOverview, table="story_overview")


def story_detail(profile: pd.DataFrame, overview: pd.DataFrame, *, top_k: int = 5) -> pd.DataFrame:
    """The profile rows of the ``top_k`` first-ranked stories of the overview, for the detail figure and table.

    Returns
    -------
    DataFrame
        Schema :class:`analysis.schemas.compare.StoryDetail`: ``rank``, ``story_id``, ``label``, then the
        profile's columns; in rank order, outlets in profile order. At most ``top_k`` x outlets rows.
    """
    require(overview, ["rank", "story_id", "label"], "overview")
    top = overview.loc[overview["rank"] <= top_k, ["rank", "story_id", "label"]]
    detail = top.merge(profile, on="story_id", how="inner", sort=False)
    detail = detail.sort_values("rank", kind="stable").reset_index(drop=True)
    return validate(detail, StoryDetail, table="story_detail")
