"""Stories as the unit of comparison: story ids, story tables, and claims compared only within a story.

The synthetic corpus has three unrelated events, three outlets each, one planted disagreement per
event, and the same figures repeated across events ('120,000 residents', 'at least 40 people
killed'), which must never be grouped across events.
"""

from __future__ import annotations

import hashlib
import math
from itertools import combinations

import pandas as pd
import pytest

from analysis import claims, topics
from analysis.claims._time_refs import time_key
from analysis.corpus._load import build_corpus
from analysis.report import summaries
from analysis.schemas import validate
from analysis.schemas.topics import Stories
from analysis.topics._story_tables import content_story_id

OUTLETS = ["Wire", "Daily", "Radio"]
#: event -> (date, the three outlets' texts)
EVENTS = {
    "flood-lori": (
        "2024-03-04",
        [
            "Floods in the river town of Lori killed at least 40 people, officials said. "
            "The town of Lori has 120,000 residents, according to the census office.",
            "Floods swept through the river town of Lori and killed at least 40 people, officials said. "
            "The town of Lori has 100,000 residents, the mayor said.",
            "Rescuers in the flooded river town of Lori said at least 40 people were killed by the water.",
        ],
    ),
    "vote-varna": (
        "2024-05-10",
        [
            "Voter turnout rose to 62 percent in the Varna mayoral election, the election commission said. "
            "The city of Varna has 120,000 residents.",
            "Voter turnout rose to 48 percent in the Varna mayoral election, the election commission said.",
            "Voter turnout rose to 62 percent as Varna elected a new mayor, the election commission said.",
        ],
    ),
    "mine-dorn": (
        "2024-07-01",
        [
            "A collapse at the coal mine in Dorn killed at least 40 people, the mining company said.",
            "A collapse at the coal mine in Dorn killed 25 people, the mining company said.",
            "In Dorn, 25 people were killed when the coal mine collapsed, the mining company said.",
        ],
    ),
}
#: (event, outlet, figure) pairs that contradict each other
PLANTED = {
    ("flood-lori", frozenset({("Wire", "120,000"), ("Daily", "100,000")})),
    ("vote-varna", frozenset({("Wire", "62 percent"), ("Daily", "48 percent")})),
    ("vote-varna", frozenset({("Radio", "62 percent"), ("Daily", "48 percent")})),
    ("mine-dorn", frozenset({("Wire", "at least 40"), ("Daily", "25")})),
    ("mine-dorn", frozenset({("Wire", "at least 40"), ("Radio", "25")})),
}


def _records(with_events: bool = True) -> list[dict]:
    records = []
    for event, (date, texts) in EVENTS.items():
        for outlet, text in zip(OUTLETS, texts, strict=True):
            record = {
                "article_id": f"{event}-{outlet.lower()}",
                "outlet": outlet,
                "text": text,
                "title": f"{outlet} on {event}",
                "published": date,
            }
            if with_events:
                record["event_id"] = event
            records.append(record)
    return records


@pytest.fixture(scope="module")
def corpus():
    return build_corpus(_records())


@pytest.fixture(scope="module")
def stories(corpus):
    return topics.stories(corpus)


@pytest.fixture(scope="module")
def groups(corpus, stories):
    return claims.compare_numbers(claims.extract_numbers(corpus), stories=stories)


def _event(article_id: str) -> str:
    return article_id.rsplit("-", 1)[0]


# --------------------------------------------------------------------------
# Story ids
# --------------------------------------------------------------------------


def test_event_ids_are_the_stories(corpus, stories):
    assert list(stories.columns) == [
        "article_id",
        "outlet",
        "story_id",
        "n_articles",
        "n_outlets",
        "source",
        "published",
    ]
    assert stories["story_id"].tolist() == stories["article_id"].map(_event).tolist()
    assert set(stories["source"]) == {"event_id"}
    assert stories[["n_articles", "n_outlets"]].drop_duplicates().values.tolist() == [[3, 3]]
    assert stories["published"].iloc[0] == pd.Timestamp("2024-03-04", tz="UTC")


def test_clustered_ids_derive_from_members_and_survive_reruns_and_reordering():
    records = _records(with_events=False)
    first = topics.stories(build_corpus(records)).set_index("article_id")
    again = topics.stories(build_corpus(records[::-1])).set_index("article_id")
    pd.testing.assert_series_equal(first["story_id"], again.loc[first.index, "story_id"])
    assert set(first["source"]) == {"clustered"}
    for event in EVENTS:
        members = [f"{event}-{o.lower()}" for o in OUTLETS]
        assert set(first.loc[members, "story_id"]) == {content_story_id(members)}
    assert content_story_id(["b", "a"]) == "s" + hashlib.sha1(b"a\nb").hexdigest()[:10]


def test_partly_labelled_corpus_clusters_only_the_unlabelled_articles():
    records = _records()
    for record in records:
        if record["article_id"].startswith("mine-dorn"):
            record["event_id"] = "  " if record["outlet"] == "Wire" else None
    result = topics.stories(build_corpus(records)).set_index("article_id")
    dorn = [f"mine-dorn-{o.lower()}" for o in OUTLETS]
    assert set(result.loc[dorn, "source"]) == {"clustered"}
    assert set(result.loc[dorn, "story_id"]) == {content_story_id(dorn)}
    assert set(result.drop(index=dorn)["source"]) == {"event_id"}
    assert set(result.drop(index=dorn)["story_id"]) == {"flood-lori", "vote-varna"}


def test_story_outlets_and_story_table(corpus, stories):
    shifted = stories.copy()
    shifted.loc[shifted["article_id"] == "flood-lori-daily", "published"] = pd.Timestamp(
        "2024-03-05 06:00", tz="UTC"
    )
    shifted.loc[shifted["article_id"] == "flood-lori-radio", "published"] = pd.NaT
    per_outlet = topics.story_outlets(validate(shifted, Stories))
    lori = per_outlet[per_outlet["story_id"] == "flood-lori"]
    assert lori["outlet"].tolist() == ["Wire", "Daily", "Radio"]
    assert lori["lag_hours"].tolist()[:2] == [0.0, 30.0] and math.isnan(lori["lag_hours"].iloc[2])
    assert per_outlet["n_articles"].eq(1).all() and len(per_outlet) == 9
    table = topics.story_table(corpus, shifted).set_index("story_id")
    assert table.index.tolist() == list(EVENTS)
    assert table.loc["flood-lori", "first_published"] == pd.Timestamp("2024-03-04", tz="UTC")
    assert table.loc["flood-lori", "last_published"] == pd.Timestamp("2024-03-05 06:00", tz="UTC")
    assert table.loc["flood-lori", "outlets"] == "Daily;Radio;Wire"
    assert table.loc["flood-lori", "label"].startswith("2024-03-04 to 2024-03-05 · lori")
    assert table.loc["mine-dorn", "label"].startswith("2024-07-01 · dorn")
    assert table["n_articles"].tolist() == [3, 3, 3]


# --------------------------------------------------------------------------
# Claims within stories
# --------------------------------------------------------------------------


def test_every_planted_disagreement_is_found_and_no_group_spans_events(groups):
    assert (groups["story_id"] == groups["article_id"].map(_event)).all()
    assert groups.groupby("group_id")["story_id"].nunique().eq(1).all()
    found = {
        (row.story_id, frozenset({(row.outlet, row.text), (row.other_outlet, row.other_text)}))
        for row in claims.disagreements(groups).itertuples()
    }
    assert found == PLANTED


def test_identical_figures_of_unrelated_events_are_never_one_group(groups):
    for text in ("120,000", "at least 40"):
        same = groups[groups["text"] == text]
        assert same["story_id"].nunique() == 2
        assert same.groupby("group_id")["story_id"].nunique().eq(1).all()
    varna = groups[(groups["story_id"] == "vote-varna") & (groups["text"] == "120,000")]
    assert varna["label"].tolist() == ["single"]


def test_without_stories_the_corpus_is_one_story(corpus):
    groups = claims.compare_numbers(claims.extract_numbers(corpus))
    assert set(groups["story_id"]) == {claims.WHOLE_CORPUS}


def test_a_disagreement_states_story_figures_articles_and_sentences(groups):
    row = claims.disagreements(groups).set_index("story_id").loc["flood-lori"]
    assert row["verdict"] == (
        "In story flood-lori, the figures for residents [count] disagree: "
        "Daily (article flood-lori-daily, sentence flood-lori-daily:p0:s1) gives '100,000': "
        "“The town of Lori has 100,000 residents, the mayor said.”; "
        "Wire (article flood-lori-wire, sentence flood-lori-wire:p0:s1) gives '120,000': "
        "“The town of Lori has 120,000 residents, according to the census office.”."
    )


def test_stories_must_cover_every_article(corpus, stories):
    with pytest.raises(ValueError, match="no story for article"):
        claims.compare_numbers(claims.extract_numbers(corpus), stories=stories.iloc[1:])


def test_alignment_coverage_and_provenance_stay_within_stories(corpus, stories):
    aligned = claims.align_passages(corpus, stories=stories)
    story = dict(zip(stories["article_id"], stories["story_id"], strict=True))
    assert (aligned["counterpart_id"].str.split(":").str[0].map(story) == aligned["story_id"]).all()
    coverage = claims.coverage_matrix(corpus, aligned, stories=stories)
    assert coverage.groupby("content_id")["story_id"].nunique().eq(1).all()
    assert coverage.groupby("story_id")["outlet"].nunique().eq(3).all()
    with pytest.raises(ValueError, match="other stories"):
        claims.coverage_matrix(corpus, aligned)
    gaps = claims.coverage_gaps(coverage)
    assert set(gaps["story_id"]) <= set(EVENTS)
    pairs = claims.provenance_pairs(corpus, stories=stories)
    assert len(pairs) == 3 * 3  # three pairs per story, none across stories
    assert (pairs["article_id"].map(story) == pairs["other_article_id"].map(story)).all()
    assert list(pairs["story_id"]) == [s for s in EVENTS for _ in combinations(OUTLETS, 2)]


def test_an_outlet_that_skipped_a_story_does_not_omit_its_content():
    records = [r for r in _records() if r["article_id"] != "mine-dorn-radio"]
    corpus = build_corpus(records)
    stories = topics.stories(corpus)
    coverage = claims.coverage_matrix(corpus, claims.align_passages(corpus, stories=stories), stories=stories)
    dorn = coverage[coverage["story_id"] == "mine-dorn"]
    assert set(dorn["outlet"]) == {"Wire", "Daily"}
    gaps = claims.coverage_gaps(coverage)
    assert not ((gaps["outlet"] == "Radio") & (gaps["story_id"] == "mine-dorn")).any()


# --------------------------------------------------------------------------
# What is counted; times
# --------------------------------------------------------------------------


def _pair_label(a: str, b: str) -> list[str]:
    corpus = build_corpus(
        [{"article_id": "a", "outlet": "A", "text": a}, {"article_id": "b", "outlet": "B", "text": b}]
    )
    return (
        claims.compare_numbers(claims.extract_numbers(corpus)).drop_duplicates("group_id")["label"].tolist()
    )


def test_what_is_counted_must_match():
    living = "The valley is home to thousands of ethnic Armenians, officials said."
    assert _pair_label(living, "The shelling prompted thousands to evacuate, officials said.") == [
        "single",
        "single",
    ]
    assert _pair_label(
        "Officials said 40 people were killed in the flood.",
        "Officials said 40 people were injured in the flood.",
    ) == ["single", "single"]
    assert _pair_label(
        "The flood killed 40 people, officials said.", "Officials reported 40 deaths in the flood."
    ) == ["agree"]


def test_a_time_of_day_is_never_a_count():
    corpus = build_corpus(
        [
            {
                "article_id": "a",
                "outlet": "A",
                "text": "Polls closed at 5 p.m. and counting began at 9pm; 300 people voted by 10 o'clock.",
            }
        ]
    )
    assert claims.extract_numbers(corpus)["text"].tolist() == ["300"]


@pytest.mark.parametrize(
    ("ref", "published", "key"),
    [
        ("on Wednesday", "2023-09-21", "date:09-20"),
        ("As of the evening of Sept. 20", None, "date:09-20"),
        ("on 2023/09/20", None, "date:09-20"),
        ("yesterday", "2023-09-21", "date:09-20"),
        ("on Wednesday", None, "on wednesday"),
        ("by Friday", "2023-09-29", "date:09-29"),
        ("last week", "2023-09-21", "last week"),
        ("", "2023-09-21", ""),
    ],
)
def test_time_keys(ref, published, key):
    assert time_key(ref, pd.Timestamp(published, tz="UTC") if published else None) == key


def test_summary_claims_only_within_story_disagreements():
    groups = pd.DataFrame(
        {
            "story_id": ["s1", "s1", "s1", "s2"],
            "group_id": ["g1", "g1", "g2", "g2"],
            "group_label": ["residents [count]"] * 2 + ["killed [count]"] * 2,
            "label": ["disagree"] * 4,
            "claim_id": list("abcd"),
            "article_id": list("1234"),
            "outlet": ["A", "B", "A", "B"],
            "value": [120_000.0, 100_000.0, 40.0, 25.0],
            "text": ["120,000", "100,000", "40", "25"],
        }
    )
    lines = summaries.claims_summary(groups, pd.DataFrame(), pd.DataFrame({"score": []}))
    assert lines[0] == "Disputed figure in story s1, residents [count]: A gives '120,000'; B gives '100,000'."
    assert not any("killed" in line for line in lines)
    with pytest.raises(ValueError, match="story_id"):
        summaries.claims_summary(groups.drop(columns="story_id"), pd.DataFrame(), pd.DataFrame({"score": []}))
