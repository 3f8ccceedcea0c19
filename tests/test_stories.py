"""Story clustering on a synthetic multi-event, multi-outlet corpus: the seeds plus gensim's Lee news texts."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.corpus._load import build_corpus
from analysis.corpus.text import split_sentences
from analysis.nlp import spacy_available
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


#: A body paragraph that names no place: with the lead it makes each article long enough (60+ words)
#: for the place rule, and it is the same in every article, as a templated report's would be.
FILLER = (
    "Rescue teams were still searching on Saturday, and hundreds of residents had been moved to "
    "schools and sports halls while engineers checked the roads, the bridges and the power lines. "
    "Volunteers handed out water, blankets and food, and doctors treated the injured in tents set up "
    "beside the main road. Officials said the search would continue for several more days."
)
needs_spacy = pytest.mark.skipif(not spacy_available(), reason="spaCy not installed")


def _report(article_id, outlet, town, dead, *, body=FILLER):
    lead = f"At least {dead} people were killed in the flood in {town} on Friday, officials said."
    return dict(article_id=article_id, outlet=outlet, title=f"Flood in {town}", text=f"{lead}\n\n{body}")


@needs_spacy
def test_same_template_events_in_two_towns_are_two_stories(make_corpus):
    """Two floods reported in one template, in Ashford and in Eastfield: lead cosine 0.8 joins them
    (S >= 0.8 > 0.5), but each lead names a town the other article never mentions."""
    corpus = make_corpus(
        _report("a1", "X", "Ashford", 12),
        _report("a2", "Y", "Ashford", 14),
        _report("b1", "X", "Eastfield", 40),
        _report("b2", "Y", "Eastfield", 40),
    )
    assert stories.lead_places(corpus.articles, corpus.paragraphs) == [{"ashford"}] * 2 + [{"eastfield"}] * 2
    town = np.array([1.0, 0.0]), np.array([0.8, 0.6])
    emb = np.array([town[0], town[0], town[1], town[1]])
    assert cluster_stories(corpus, embeddings=emb)["story_id"].tolist() == ["s0", "s0", "s1", "s1"]
    assert cluster_stories(corpus, embeddings=emb, split_places=False)["story_id"].nunique() == 1
    # headlines alone (under lead_words = 60 words) never conflict: leaving a place out says little there
    headlines = make_corpus(*({**r, "text": r["title"]} for r in corpus.articles.to_dict("records")))
    assert cluster_stories(headlines, embeddings=emb)["story_id"].nunique() == 1


@needs_spacy
def test_a_city_named_two_ways_in_a_region_both_name_stays_one_story(make_corpus):
    """Stepanakert (Armenian name) and Khankendi (Azerbaijani name) are one city: the leads share no
    place, but Nagorno-Karabakh, named in the first lead, is in the second article's body."""
    corpus = make_corpus(
        dict(
            article_id="hy",
            outlet="X",
            title="Shelling in Stepanakert",
            text="Shelling hit homes in Stepanakert in Nagorno-Karabakh on Tuesday, residents said.\n\n"
            + FILLER,
        ),
        dict(
            article_id="az",
            outlet="Y",
            title="Shelling in Khankendi",
            text="Shelling hit homes in Khankendi on Tuesday, residents said.\n\n"
            + FILLER
            + " Fighting went on across Nagorno-Karabakh.",
        ),
    )
    places = stories.lead_places(corpus.articles, corpus.paragraphs)
    assert places == [{"stepanakert", "nagorno karabakh"}, {"khankendi"}]
    emb = np.array([[1.0, 0.0], [0.8, 0.6]])
    assert cluster_stories(corpus, embeddings=emb)["story_id"].tolist() == ["s0", "s0"]


@pytest.mark.parametrize(
    ("places", "texts", "expected"),
    [
        pytest.param([{"ashford"}, {"eastfield"}], ["Ashford", "Eastfield"], True, id="two towns"),
        pytest.param(
            [{"ashford"}, {"eastfield"}], ["Ashford", "Eastfield by Ashford"], False, id="j names i's"
        ),
        pytest.param(
            [{"ashford"}, {"eastfield", "ashford"}], ["Ashford", "Eastfield, Ashford"], False, id="shared"
        ),
        pytest.param([{"ashford"}, set()], ["Ashford", "Eastfield"], False, id="a lead without places"),
        pytest.param(
            [{"westerly"}, {"eastfield"}], ["Westerly", "Eastfield: westerly winds"], True, id="lower case"
        ),
        pytest.param(
            [{"westerly"}, {"eastfield"}], ["Westerly", "Eastfield. Westerly winds"], False, id="capital"
        ),
        pytest.param(
            [{"nagorno karabakh"}, {"khankendi"}],
            ["Nagorno-Karabakh", "Khankendi, Nagorno Karabakh"],
            False,
            id="hyphen",
        ),
        pytest.param(
            [{"new york"}, {"york"}], ["New York", "York"], True, id="whole names: York is not New York"
        ),
    ],
)
def test_place_conflicts(places, texts, expected):
    conflicts = stories.place_conflicts(places, texts)
    assert conflicts.tolist() == [[False, expected], [expected, False]]
