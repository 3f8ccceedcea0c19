"""Stories as tables: which story each article belongs to, and what each story is.

A *story* is one event as several outlets covered it; every cross-outlet comparison of the
package (claims, alignment, provenance) is made within a story (docs/stories.md).

Where a story comes from (:func:`stories`, column ``source``):

* ``event_id``: the manifest's ``event_id``, when the article has one (non-empty after stripping
  spaces). The story id is the event id itself.
* ``clustered``: articles without an event id are grouped by :func:`cluster_stories` *among
  themselves*: an unlabelled article is never added to a labelled event (a partly filled
  ``event_id`` column is taken to label whole events; label every article of an event, or
  none). The story id is ``'s'`` + the first 10 hex digits of the SHA-1 of the story's sorted
  article ids joined by newlines: the same articles give the same id on every run, whatever
  else is in the corpus, and adding an article to one story leaves the other stories' ids alone.

The clustering itself is deterministic (average-linkage agglomerative clustering draws nothing
at random), so ``random_state`` does not change the result; it is accepted so that every
stochastic-looking step of the package has the same signature.
"""

from __future__ import annotations

import hashlib
import math
from collections import Counter

import numpy as np
import pandas as pd
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from analysis.corpus.text import tokenize
from analysis.nlp import embed_texts
from analysis.schemas import validate
from analysis.schemas.topics import Stories, StoryOutlets, StoryTable
from analysis.topics._stories import cluster_stories, story_leads

__all__ = ["stories", "story_outlets", "story_table"]

#: Entities and terms named in a story's label.
_LABEL_ENTITIES = 3
_LABEL_TERMS = 3
_HEADLINE_WORDS = 14


def _corpus_tables(corpus) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """``(articles, paragraphs)`` of a Corpus, or ``(articles, None)`` for an articles table."""
    if hasattr(corpus, "articles") and hasattr(corpus, "paragraphs"):
        return corpus.articles, corpus.paragraphs
    if isinstance(corpus, pd.DataFrame):
        return corpus, None
    raise TypeError(f"corpus must be a Corpus or an articles DataFrame, not {type(corpus).__name__}")


def _published(articles: pd.DataFrame) -> pd.Series:
    """Publication times as UTC timestamps (NaT when missing or unreadable)."""
    if "published" not in articles.columns:
        return pd.Series(pd.NaT, index=articles.index, dtype="datetime64[ns, UTC]")
    dates = pd.to_datetime(articles["published"], errors="coerce", utc=True, format="mixed")
    return dates.dt.as_unit("ns")


def _event_ids(articles: pd.DataFrame) -> pd.Series:
    """The manifest's event id per article, stripped; '' when missing."""
    if "event_id" not in articles.columns:
        return pd.Series("", index=articles.index)
    return articles["event_id"].map(lambda v: v.strip() if isinstance(v, str) else "")


def content_story_id(article_ids) -> str:
    """``'s'`` + 10 hex digits of the SHA-1 of the sorted ``article_ids`` joined by newlines."""
    digest = hashlib.sha1("\n".join(sorted(map(str, article_ids))).encode("utf-8")).hexdigest()
    return "s" + digest[:10]


def stories(
    corpus,
    *,
    random_state: int = 0,
    model: str | None = None,
    threshold: float = 0.5,
    max_days: float | None = 14,
) -> pd.DataFrame:
    """The story (event) of every article: the manifest's ``event_id``, else clustering.

    Parameters
    ----------
    corpus : Corpus or DataFrame
        A loaded corpus (or its articles table: ``article_id``, ``outlet``, ``text``; ``title``,
        ``published`` and ``event_id`` used when present).
    random_state : int
        Accepted for a uniform signature; the clustering is deterministic (module docstring).
    model : str, optional
        Sentence-embedding model of the clustering (default: the verified offline model).
    threshold, max_days : float
        Passed to :func:`cluster_stories` for the articles without an event id.

    Returns
    -------
    DataFrame
        One row per article, in corpus order: ``article_id``, ``outlet``, ``story_id``,
        ``n_articles``, ``n_outlets`` (of the story), ``source`` ('event_id' or 'clustered'),
        ``published`` (UTC timestamp, NaT when unknown). Schema :class:`analysis.schemas.topics.Stories`.
    """
    del random_state  # deterministic: see the module docstring
    articles, paragraphs = _corpus_tables(corpus)
    if articles.empty:
        raise ValueError("no articles to group into stories")
    if articles["article_id"].duplicated().any():
        raise ValueError("article_id is not unique")
    articles = articles.reset_index(drop=True)
    events = _event_ids(articles)
    story = events.copy()
    source = pd.Series(np.where(events != "", "event_id", "clustered"), index=articles.index)
    unlabelled = events == ""
    if unlabelled.any():
        clusters = cluster_stories(
            articles.loc[unlabelled],
            paragraphs,
            threshold=threshold,
            max_days=max_days,
            embedding_model=model,
        )
        members = clusters.groupby("story_id", sort=False)["article_id"].agg(list)
        ids = {old: content_story_id(ids) for old, ids in members.items()}
        clashes = set(ids.values()) & set(events[~unlabelled])
        if clashes:
            raise ValueError(
                f"event_id value(s) {sorted(clashes)} look like clustered story ids; rename them"
            )
        story.loc[unlabelled] = clusters["story_id"].map(ids).to_numpy()
    out = pd.DataFrame(
        {
            "article_id": articles["article_id"].astype(str),
            "outlet": articles["outlet"].astype(str),
            "story_id": story.astype(str),
        }
    )
    out["n_articles"] = out.groupby("story_id")["article_id"].transform("size").astype(np.int64)
    out["n_outlets"] = out.groupby("story_id")["outlet"].transform("nunique").astype(np.int64)
    out["source"] = source.astype(str)
    out["published"] = _published(articles)
    return validate(out, Stories, table="stories")


def story_outlets(stories: pd.DataFrame) -> pd.DataFrame:
    """Articles and publication lag of each outlet in each story.

    Returns
    -------
    DataFrame
        One row per (story, outlet covering it), stories in order of first article, outlets by
        first publication (unknown last, then by name): ``story_id``, ``outlet``, ``n_articles``,
        ``first_published`` (the outlet's earliest), ``lag_hours`` (from the story's first
        publication; NaN when either is unknown). Schema :class:`analysis.schemas.topics.StoryOutlets`.
    """
    validate(stories, Stories, table="stories")
    order = {sid: i for i, sid in enumerate(dict.fromkeys(stories["story_id"]))}
    out = (
        stories.groupby(["story_id", "outlet"], sort=False)
        .agg(n_articles=("article_id", "size"), first_published=("published", "min"))
        .reset_index()
    )
    story_first = out.groupby("story_id")["first_published"].transform("min")
    out["lag_hours"] = ((out["first_published"] - story_first) / pd.Timedelta(hours=1)).astype(float)
    out["n_articles"] = out["n_articles"].astype(np.int64)
    out["_story"] = out["story_id"].map(order)
    out = out.sort_values(["_story", "first_published", "outlet"], na_position="last", kind="stable")
    out = out.drop(columns="_story").reset_index(drop=True)
    return validate(out, StoryOutlets, table="story outlets")


def _dates(first: pd.Timestamp, last: pd.Timestamp) -> str:
    if pd.isna(first):
        return ""
    a, b = first.strftime("%Y-%m-%d"), last.strftime("%Y-%m-%d")
    return a if a == b else f"{a} to {b}"


def _specific(per_story: dict[str, list[set[str]]], top_k: int) -> dict[str, list[str]]:
    """Per story, the ``top_k`` items most shared by its articles and rarest in other stories.

    Score = share of the story's articles holding the item x smoothed idf over stories; an item
    needs two articles in a story of two or more. Ties go to the alphabetically first item.
    """
    n_stories = len(per_story)
    df = Counter(item for sets in per_story.values() for item in set().union(*sets))
    chosen = {}
    for sid, sets in per_story.items():
        held = Counter(item for s in sets for item in s)
        need = 2 if len(sets) > 1 else 1
        scored = [
            (-(n / len(sets)) * (math.log((1 + n_stories) / (1 + df[item])) + 1), item)
            for item, n in held.items()
            if n >= need
        ]
        chosen[sid] = [item for _, item in sorted(scored)[:top_k]]
    return chosen


def _headline(title, lead: str) -> str:
    if isinstance(title, str) and title.strip():
        return title.strip()
    words = lead.split()
    return " ".join(words[:_HEADLINE_WORDS]) + (" …" if len(words) > _HEADLINE_WORDS else "")


def story_table(corpus, stories: pd.DataFrame, *, model: str | None = None) -> pd.DataFrame:
    """One row per story: a readable label, when it ran and which outlets covered it.

    The label joins, with ' · ': the dates (first to last publication, when known); the entities
    (names, acronyms from the title and first 300 words) and the lead terms most shared by the
    story's articles and rarest in other stories; the headline (or the lead's first words) of the
    article whose lead embedding is closest to the story's mean lead embedding.

    Parameters
    ----------
    corpus : Corpus or DataFrame
        The corpus ``stories`` was computed on (its articles table will do).
    stories : DataFrame
        :func:`stories`' output.
    model : str, optional
        Sentence-embedding model for the central headline (default: the verified offline model).

    Returns
    -------
    DataFrame
        One row per story in order of first article: ``story_id``, ``label``,
        ``first_published``, ``last_published`` (NaT when unknown), ``n_articles``,
        ``n_outlets``, ``outlets`` (sorted, ';'-joined). Schema :class:`analysis.schemas.topics.StoryTable`.
    """
    validate(stories, Stories, table="stories")
    articles, paragraphs = _corpus_tables(corpus)
    articles = (
        articles.set_index("article_id", drop=False).reindex(stories["article_id"]).reset_index(drop=True)
    )
    if articles["text"].isna().any():
        raise ValueError("stories names article ids that are not in corpus")
    leads = story_leads(articles, paragraphs)
    embeddings = np.asarray(embed_texts(leads["lead"].tolist(), model=model), dtype=float)
    titles = articles["title"] if "title" in articles.columns else pd.Series(None, index=articles.index)
    positions = stories.reset_index(drop=True).groupby("story_id", sort=False).indices
    ents = {
        sid: [{e for e in leads["entities"][i] if not e.startswith("date:")} for i in idx]
        for sid, idx in positions.items()
    }
    words = {
        sid: [
            {
                t
                for t in tokenize(leads["lead"][i])
                if t not in ENGLISH_STOP_WORDS and t.isalpha() and len(t) > 2
            }
            for i in idx
        ]
        for sid, idx in positions.items()
    }
    top_entities = _specific(ents, _LABEL_ENTITIES)
    named = {sid: {w for e in chosen for w in e.split()} for sid, chosen in top_entities.items()}
    # a term already named by an entity ('armenians' next to 'armenia') says nothing new
    words = {
        sid: [{t for t in s if not any(t.startswith(w) or w.startswith(t) for w in named[sid])} for s in sets]
        for sid, sets in words.items()
    }
    top_terms = _specific(words, _LABEL_TERMS)
    rows = []
    for sid, idx in positions.items():
        vectors = embeddings[idx]
        centroid = vectors.mean(axis=0)
        norms = np.maximum(np.linalg.norm(vectors, axis=1) * max(np.linalg.norm(centroid), 1e-12), 1e-12)
        central = idx[int(np.argmax(vectors @ centroid / norms))]
        published = stories["published"].iloc[idx]
        first, last = published.min(), published.max()
        parts = [
            _dates(first, last),
            ", ".join(top_entities[sid]),
            ", ".join(top_terms[sid]),
            f"“{_headline(titles.iloc[central], leads['lead'][central])}”",
        ]
        outlets = sorted(set(stories["outlet"].iloc[idx]))
        rows.append(
            {
                "story_id": sid,
                "label": " · ".join(p for p in parts if p),
                "first_published": first,
                "last_published": last,
                "n_articles": len(idx),
                "n_outlets": len(outlets),
                "outlets": ";".join(outlets),
            }
        )
    out = pd.DataFrame(rows)
    for col in ("first_published", "last_published"):
        out[col] = pd.to_datetime(out[col], utc=True).dt.as_unit("ns")
    for col in ("n_articles", "n_outlets"):
        out[col] = out[col].astype(np.int64)
    return validate(out, StoryTable, table="story table")
