"""Story clustering on a synthetic multi-event, multi-outlet corpus: the seeds plus gensim's Lee news texts."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.corpus._load import build_corpus
from analysis.corpus.text import split_sentences
from analysis.topics import _stories as stories
from analysis.topics import cluster_stories

#: Lines of gensim's lee_background.cor on clearly different events (Kashmir, Argentina, midwives, Hopman Cup,
#: Peru fire, Israel, Peter Jackson, fuel standards, Swiss tourists, sea levels, Giuliani, Nigel Hawthorne,
#: Chechen warlord, matched baby, Japanese coast guard). Each becomes three outlets' versions.
EVENTS = [1, 3, 4, 6, 11, 14, 18, 22, 24, 31, 36, 45, 51, 61, 62]
OUTLETS = ["Wire A", "Daily B", "Site C"]


def _versions(doc: str) -> list[str]:
    """Three outlets' takes: first half; second sentence + second half; every other sentence."""
    sents = [doc[s:e] for s, e in split_sentences(doc, 0, len(doc))]
    half = (len(sents) + 1) // 2
    return ["\n\n".join(part) for part in (sents[:half], sents[1:2] + sents[half:], sents[::2])]


@pytest.fixture(scope="module")
def multi_event(seeds_corpus):
    gensim = pytest.importorskip("gensim")
    lee = (
        (Path(gensim.__file__).parent / "test" / "test_data" / "lee_background.cor")
        .read_text(encoding="latin-1")
        .splitlines()
    )
    records, truth = [], {}
    for art in seeds_corpus.articles.itertuples():
        records.append(
            dict(
                article_id=art.article_id,
                outlet=art.outlet,
                text=art.text,
                title=art.title,
                published=art.published,
                source="seeds",
            )
        )
        truth[art.article_id] = "karabakh"
    for line in EVENTS:
        for outlet, text in zip(OUTLETS, _versions(lee[line]), strict=True):
            article_id = f"lee{line:03d}-{outlet[-1]}"
            records.append(dict(article_id=article_id, outlet=outlet, text=text, source="lee"))
            truth[article_id] = f"lee{line}"
    return build_corpus(records), truth


@pytest.mark.slow
def test_articles_on_the_same_event_form_one_story(multi_event):
    corpus, truth = multi_event
    result = cluster_stories(corpus)
    assert list(result.columns) == ["article_id", "outlet", "story_id", "n_articles", "n_outlets"]
    assert result["article_id"].tolist() == corpus.articles["article_id"].tolist()
    table = pd.crosstab(result["story_id"], result["article_id"].map(truth))
    # one story per event and one event per story: a perfect matching
    assert (table > 0).sum(axis=0).eq(1).all() and (table > 0).sum(axis=1).eq(1).all()
    assert result["story_id"].nunique() == len(EVENTS) + 1
    seeds = result[result["article_id"].map(truth) == "karabakh"]
    assert set(seeds["story_id"]) == {"s0"} and seeds["n_outlets"].iloc[0] == 4  # largest story first


@pytest.mark.slow
def test_dates_far_apart_split_a_story_and_threshold_one_splits_everything(multi_event):
    corpus, _ = multi_event
    arts = corpus.articles.copy()
    lee = arts["article_id"].str.startswith("lee001")
    arts.loc[lee, "published"] = ["2001-12-24", "2001-12-25", "2002-03-01"]
    result = cluster_stories(arts, corpus.paragraphs).set_index("article_id")["story_id"]
    assert result["lee001-A"] == result["lee001-B"] != result["lee001-C"]
    undated = cluster_stories(arts, corpus.paragraphs, max_days=None).set_index("article_id")["story_id"]
    assert undated["lee001-A"] == undated["lee001-C"]
    alone = cluster_stories(corpus, threshold=1.3)
    assert alone["story_id"].nunique() == len(arts) and (alone["n_articles"] == 1).all()


def test_entities_finds_names_acronyms_and_dates():
    text = "The United States said on Sept. 20 that Azerbaijan’s president Ilham Aliyev met the U.N. Security Council."
    assert stories.entities(text) == {
        "united states",
        "date:09-20",
        "azerbaijan",
        "ilham aliyev",
        "u.n",
        "security council",
    }
    assert stories.entities("In May, they met on 3 March.") == {"date:03-03"}


def test_leads_use_title_and_kept_body_words(make_corpus):
    corpus = make_corpus(
        {
            "article_id": "a",
            "outlet": "X",
            "title": "Big news",
            "text": "Big news\n\nOne two three four five six.\n\nSeven eight.",
        }
    )
    leads = stories.story_leads(corpus.articles, corpus.paragraphs, lead_words=7)
    assert leads["lead"].tolist() == ["Big news\nOne two three four five six. Seven"]


def test_precomputed_embeddings_and_bad_input(make_corpus):
    corpus = make_corpus(
        ("a", "X", "Floods hit the north."),
        ("b", "Y", "Floods hit the north again."),
        ("c", "Z", "Stocks fell in Tokyo."),
    )
    emb = np.array([[1.0, 0.0], [0.9, 0.1], [0.0, 1.0]])
    result = cluster_stories(corpus, embeddings=emb)
    assert result["story_id"].tolist() == ["s0", "s0", "s1"]
    assert result["n_outlets"].tolist() == [2, 2, 1]
    with pytest.raises(ValueError, match="embeddings have"):
        cluster_stories(corpus, embeddings=emb[:2])
    with pytest.raises(ValueError, match="threshold"):
        cluster_stories(corpus, embeddings=emb, threshold=0)
    with pytest.raises(ValueError, match="outlet"):
        cluster_stories(corpus.articles.drop(columns=["outlet"]), embeddings=emb)


def test_entity_overlap_weights_entities_by_how_few_articles_name_them():
    # n = 3: "a" is named by two articles (weight 1 + ln(4/3)), "b" by one (1 + ln(4/2)), none by the third
    overlap = stories.entity_overlap([{"a"}, {"a", "b"}, set()])
    w_a, w_b = 1 + np.log(4 / 3), 1 + np.log(4 / 2)
    assert overlap[0, 1] == overlap[1, 0] == pytest.approx(w_a / (w_a + w_b))
    assert overlap[0, 2] == overlap[2, 2] == 0.0
    assert (stories.entity_overlap([set(), set()]) == 0.0).all()


def test_an_entity_every_article_names_does_not_join_two_events(make_corpus):
    """Two events whose leads are 0.42 similar and share only a word every article has ("Rescue").

    Plain Jaccard gave the cross pairs S = 0.42 + 0.3 x 1/3 = 0.52 >= 0.5: one story of four (the
    32-article merge of benchmarks/data/report_scale_300.jsonl). Weighted by IDF the shared word counts
    1 against 1.51 for each town: S = 0.42 + 0.3 x 0.249 = 0.495, two stories.
    """
    corpus = make_corpus(
        ("a1", "X", "Rescue teams reached Ashford."),
        ("a2", "Y", "Rescue teams left Ashford."),
        ("b1", "X", "Rescue teams reached Eastfield."),
        ("b2", "Y", "Rescue teams left Eastfield."),
    )
    town = np.array([1.0, 0.0]), np.array([0.42, np.sqrt(1 - 0.42**2)])
    emb = np.array([town[0], town[0], town[1], town[1]])
    assert stories.story_leads(corpus.articles)["entities"].tolist()[0] == {"rescue", "ashford"}
    result = cluster_stories(corpus, embeddings=emb)
    assert result["story_id"].tolist() == ["s0", "s0", "s1", "s1"]
    assert result["n_outlets"].tolist() == [2, 2, 2, 2]
    # the same evidence weighed more (0.42 + 0.4 x 0.249 = 0.52) still joins them: the rule is the weights
    assert cluster_stories(corpus, embeddings=emb, entity_weight=0.4)["story_id"].nunique() == 1
