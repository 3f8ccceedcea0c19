"""Framing evidence names its story (docs/stories.md): frame evidence, actor mentions, naming mentions.

Two events, each covered by two outlets, built with event ids so that ``topics.stories`` gives two
stories; every evidence row must carry the story of its article, and no stories means one
whole-corpus story. Aggregates keep pooling stories: they are the same with or without them.
"""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import claims, framing, topics
from analysis.corpus import WHOLE_CORPUS
from analysis.corpus._load import build_corpus

#: article id -> (outlet, event, text): each text fires a frame indicator, names an actor, uses a variant
ARTICLES = {
    "f1": ("Wire", "flood", "The mayor accused the council of wasting money. The Council met in Lori."),
    "f2": ("Daily", "flood", "Critics say the council is to blame for the so-called 'disaster' in Lori."),
    "v1": ("Wire", "vote", "The two parties remain at odds over the budget of Varna. The Council voted."),
    "v2": ("Daily", "vote", "Analysts named the council the clear winner of the vote in Varna."),
}
ACTORS = pd.DataFrame(
    {"actor": ["Council"], "alias": ["council"], "case_sensitive": ["no"], "kind": ["alias"], "note": [""]}
)
TERMS = pd.DataFrame(
    {
        "group": ["place", "place"],
        "variant": ["Lori", "Varna"],
        "pattern": ["Lori", "Varna"],
        "note": ["", ""],
    }
)


@pytest.fixture(scope="module")
def corpus():
    records = [
        dict(article_id=a, outlet=outlet, event_id=event, text=text, source="t")
        for a, (outlet, event, text) in ARTICLES.items()
    ]
    return build_corpus(records)


@pytest.fixture(scope="module")
def stories(corpus):
    return topics.stories(corpus)


EVIDENCE = {
    "frame_evidence": lambda c, **kw: framing.frame_evidence(c, **kw),
    "actor_mentions": lambda c, **kw: framing.actor_mentions(c, ACTORS, parser="heuristic", **kw),
    "naming_mentions": lambda c, **kw: framing.naming_mentions(c, TERMS, **kw),
}


@pytest.mark.parametrize("table", sorted(EVIDENCE))
def test_each_evidence_row_names_the_story_of_its_article(corpus, stories, table):
    got = EVIDENCE[table](corpus, stories=stories)
    assert set(got["article_id"]) == set(ARTICLES)  # every article gives evidence: both stories are tested
    assert got["story_id"].tolist() == [ARTICLES[a][1] for a in got["article_id"]]
    assert list(got.columns[:3]) == ["article_id", "outlet", "story_id"]


@pytest.mark.parametrize("table", sorted(EVIDENCE))
def test_without_stories_every_row_is_in_the_whole_corpus_story(corpus, stories, table):
    without = EVIDENCE[table](corpus)
    assert set(without["story_id"]) == {WHOLE_CORPUS} == {claims.WHOLE_CORPUS} == {"all"}
    with_stories = EVIDENCE[table](corpus, stories=stories)
    pd.testing.assert_frame_equal(without.drop(columns="story_id"), with_stories.drop(columns="story_id"))


def test_actor_mentions_exact_rows_and_stories(corpus, stories):
    got = framing.actor_mentions(corpus, ACTORS, parser="heuristic", stories=stories)
    assert got[["sentence_id", "story_id", "matched"]].values.tolist() == [
        ["f1:p0:s0", "flood", "council"],
        ["f1:p0:s1", "flood", "Council"],
        ["f2:p0:s0", "flood", "council"],
        ["v1:p0:s1", "vote", "Council"],
        ["v2:p0:s0", "vote", "council"],
    ]


def test_aggregates_pool_stories_and_ignore_the_story_column(corpus, stories):
    with_stories = framing.naming_mentions(corpus, TERMS, stories=stories)
    assert framing.naming_choices(corpus, TERMS, mentions=with_stories).equals(
        framing.naming_choices(corpus, TERMS)
    )
    mentions = framing.actor_mentions(corpus, ACTORS, parser="heuristic", stories=stories)
    assert framing.actor_profile(corpus, mentions).equals(
        framing.actor_profile(corpus, framing.actor_mentions(corpus, ACTORS, parser="heuristic"))
    )
    evidence = framing.frame_evidence(corpus, stories=stories)
    assert framing.frame_indicators(corpus, evidence=evidence).equals(framing.frame_indicators(corpus))


def test_stories_of_another_corpus_are_refused(corpus, stories):
    with pytest.raises(ValueError, match=r"no story for article\(s\) \['v1', 'v2'\]"):
        framing.naming_mentions(corpus, TERMS, stories=stories[stories["story_id"] == "flood"])
    with pytest.raises(ValueError, match="lacks column"):
        framing.frame_evidence(corpus, stories=stories.drop(columns="story_id"))
