"""Topic models: c-TF-IDF, prevalence intervals, distinctive topics, the TopicModel estimator (fit and
transform) on the seeds and on a labelled corpus, stability across random_states."""

from __future__ import annotations

import copyreg
import io
import os
import pickle
import subprocess
import sys
import zlib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from sklearn.base import clone
from sklearn.exceptions import NotFittedError

from analysis import topics
from analysis.schemas import SchemaViolation
from analysis.topics import _assign as assign
from analysis.topics import _backends as topic_models

COLUMNS = {
    "doc_topics": ["unit_id", "article_id", "outlet", "topic", "probability"],
    "topic_terms": ["topic", "term", "weight", "rank"],
    "topic_labels": ["topic", "label", "n", "representative_ids"],
    "prevalence": ["outlet", "topic", "n", "n_units", "share", "ci_low", "ci_high", "resampled"],
    "distinctive": [
        "outlet",
        "topic",
        "share",
        "share_rest",
        "diff",
        "ci_low",
        "ci_high",
        "n",
        "n_rest",
        "distinctive",
    ],
}
FITTED = ("doc_topics_", "topic_terms_", "topic_labels_")


# --------------------------------------------------------------------------
# Pure parts: vocabulary, c-TF-IDF, prevalence, distinctive
# --------------------------------------------------------------------------


def test_analyzer_uses_shared_tokenizer_without_stop_words_numbers_or_letters():
    text = "Russia’s forces and the U.S. in 2023 took a Nagorno-Karabakh village"
    assert topic_models.analyzer(text) == ["russia", "forces", "u.s", "took", "nagorno-karabakh", "village"]


def test_class_tfidf_matches_the_formula_by_hand():
    counts = np.array([[2, 0, 1], [0, 3, 1]])
    # A = int(mean(3, 4)) = 3; f = (2, 3, 2)
    expected = np.array(
        [
            [2 / 3 * np.log(1 + 3 / 2), 0, 1 / 3 * np.log(1 + 3 / 2)],
            [0, 3 / 4 * np.log(2), 1 / 4 * np.log(1 + 3 / 2)],
        ]
    )
    np.testing.assert_allclose(topic_models.class_tfidf(counts), expected)


@pytest.mark.slow
def test_class_tfidf_equals_bertopic_transformer():
    from bertopic.vectorizers import ClassTfidfTransformer

    counts = np.random.default_rng(0).integers(0, 5, size=(4, 12))
    ours = topic_models.class_tfidf(counts)
    theirs = ClassTfidfTransformer().fit_transform(sp.csr_matrix(counts)).toarray()
    np.testing.assert_allclose(ours, theirs)


def _doc_topics(spec):
    """spec: list of (outlet, article_id, topic, count) -> a DocTopics table."""
    rows = []
    for outlet, article, topic, count in spec:
        for _ in range(count):
            rows.append((f"{article}:p{len(rows)}", article, outlet, topic, 1.0))
    return pd.DataFrame(rows, columns=COLUMNS["doc_topics"]).astype({"topic": np.int64})


def test_prevalence_shares_are_exact_and_inside_their_intervals():
    dt = _doc_topics([("A", "a1", 0, 6), ("A", "a1", 1, 2), ("B", "b1", 0, 1), ("B", "b2", 1, 3)])
    prev = topics.prevalence(dt, n_boot=500)
    assert list(prev.columns) == COLUMNS["prevalence"]
    got = prev.set_index(["outlet", "topic"])
    assert got.loc[("A", 0), "share"] == 0.75 and got.loc[("A", 1), "share"] == 0.25
    assert got.loc[("B", 0), "share"] == 0.25 and got.loc[("B", 1), "n"] == 3
    assert (got["n_units"].loc["A"] == 8).all()
    assert ((prev["ci_low"] <= prev["share"]) & (prev["share"] <= prev["ci_high"])).all()
    assert (prev["ci_high"] > prev["ci_low"]).all()
    assert set(prev["resampled"]) == {"units"}  # fewer than 5 articles per outlet
    np.testing.assert_allclose(prev.groupby("outlet")["share"].sum(), 1.0)


def test_zero_count_gets_a_real_interval_not_zero_width():
    dt = _doc_topics([("A", "a1", 0, 6), ("B", "b1", 0, 30), ("B", "b1", 1, 30)])
    row = topics.prevalence(dt, n_boot=2000).set_index(["outlet", "topic"]).loc[("A", 1)]
    assert row["share"] == 0 and row["ci_low"] == 0
    assert 0.15 < row["ci_high"] < 0.45  # Jeffreys upper bound for 0 of 6 is about 0.30


def test_article_bootstrap_used_with_enough_articles():
    spec = [("A", f"a{i}", i % 2, 3) for i in range(6)] + [("B", "b1", 0, 4)]
    prev = topics.prevalence(_doc_topics(spec), n_boot=200)
    assert prev.groupby("outlet")["resampled"].first().to_dict() == {"A": "articles", "B": "units"}


def test_one_paragraph_never_makes_a_topic_distinctive():
    one = _doc_topics([("A", "a1", 1, 1), ("B", "b1", 0, 200)])
    row = topics.distinctive(one, n_boot=2000).set_index(["outlet", "topic"]).loc[("A", 1)]
    assert row["ci_low"] > 0 and row["n"] == 1  # the interval alone would call it
    assert not row["distinctive"]
    three = _doc_topics([("A", "a1", 1, 3), ("B", "b1", 0, 200)])
    assert topics.distinctive(three, n_boot=2000).set_index(["outlet", "topic"]).loc[("A", 1), "distinctive"]
    with pytest.raises(ValueError, match="min_units"):
        topics.distinctive(three, min_units=1)


def test_distinctive_is_antisymmetric_for_two_outlets_and_empty_for_one():
    dt = _doc_topics([("A", "a1", 0, 10), ("A", "a1", 1, 2), ("B", "b1", 0, 3), ("B", "b1", 1, 9)])
    d = topics.distinctive(dt, n_boot=300).set_index(["outlet", "topic"])
    assert list(d.reset_index().columns) == COLUMNS["distinctive"]
    assert d.loc[("A", 0), "diff"] == pytest.approx(10 / 12 - 3 / 12)
    assert d.loc[("A", 0), "diff"] == pytest.approx(-d.loc[("B", 0), "diff"])
    assert d.loc[("A", 0), "distinctive"] and d.loc[("B", 1), "distinctive"]
    assert topics.distinctive(_doc_topics([("A", "a1", 0, 5)]), n_boot=100).empty


def test_bad_bootstrap_arguments_raise():
    dt = _doc_topics([("A", "a1", 0, 3)])
    with pytest.raises(ValueError, match="resample"):
        topics.prevalence(dt, resample="paragraphs")
    with pytest.raises(ValueError, match="n_boot"):
        topics.prevalence(dt, n_boot=10)


# --------------------------------------------------------------------------
# The estimator on the seeds
# --------------------------------------------------------------------------


def _check_structure(model, units):
    for name in FITTED:
        assert list(getattr(model, name).columns) == COLUMNS[name.rstrip("_")], name
    dt = model.doc_topics_
    assert dt["unit_id"].tolist() == units["paragraph_id"].tolist()
    assigned = sorted(set(dt["topic"]) - {-1})
    assert assigned == list(range(len(assigned)))  # renumbered 0..k-1
    sizes = dt[dt["topic"] >= 0]["topic"].value_counts().sort_index()
    assert sizes.is_monotonic_decreasing  # 0 = largest
    assert model.topic_labels_.set_index("topic")["n"].to_dict() == dt["topic"].value_counts().to_dict()
    assert set(model.topic_terms_["topic"]) == set(assigned)
    ranks = model.topic_terms_.groupby("topic")["rank"].apply(list)
    assert all(r == list(range(1, len(r) + 1)) for r in ranks)
    prev = topics.prevalence(dt, n_boot=100)
    assert len(prev) == units["outlet"].nunique() * dt["topic"].nunique()
    np.testing.assert_allclose(prev.groupby("outlet")["share"].sum(), 1.0)
    for row in model.topic_labels_.itertuples():
        reps = row.representative_ids.split()
        assert 1 <= len(reps) <= 3 and set(dt.set_index("unit_id").loc[reps, "topic"]) == {row.topic}


def _assert_same_fit(first, second):
    for name in FITTED:
        pd.testing.assert_frame_equal(getattr(first, name), getattr(second, name))


@pytest.mark.parametrize("method", ["nmf", "lda"])
def test_sklearn_methods_give_the_same_tidy_tables(seeds_corpus, method):
    units = seeds_corpus.paragraphs
    model = topics.TopicModel(method=method, n_topics=4).fit(units)
    _check_structure(model, units)
    assert model.settings_["method"] == method and model.n_topics_ == 4 and len(model.topic_labels_) == 4
    _assert_same_fit(model, topics.TopicModel(method=method, n_topics=4).fit(units))


@pytest.mark.parametrize("method", ["nmf", "lda"])
def test_transform_of_the_training_units_is_exactly_doc_topics(seeds_corpus, method):
    units = seeds_corpus.paragraphs
    model = topics.TopicModel(method=method, n_topics=4).fit(units)
    pd.testing.assert_frame_equal(model.transform(units), model.doc_topics_, check_exact=True)
    pd.testing.assert_frame_equal(model.transform(seeds_corpus), model.doc_topics_, check_exact=True)


def test_lda_transform_gives_each_unit_the_same_topic_in_any_batch(seeds_corpus):
    units = seeds_corpus.paragraphs
    model = topics.TopicModel(method="lda", n_topics=4).fit(units)
    batches = pd.concat(
        [model.transform(units.iloc[i : i + 7]) for i in range(0, len(units), 7)], ignore_index=True
    )
    pd.testing.assert_frame_equal(batches, model.doc_topics_, check_exact=True)


def test_transform_assigns_new_units_to_fitted_topics_or_none(seeds_corpus):
    units = seeds_corpus.paragraphs
    train = units[units["outlet"] != "wire-style"]
    model = topics.TopicModel(method="nmf", n_topics=3).fit(train)
    new = pd.concat(
        [
            units[units["outlet"] == "wire-style"],
            pd.DataFrame(
                {
                    "paragraph_id": ["x:p0"],
                    "article_id": ["x"],
                    "outlet": ["X"],
                    "text": ["The 2023 and the 1999."],
                }
            ),
        ],
        ignore_index=True,
    )
    got = model.transform(new)
    assert list(got.columns) == COLUMNS["doc_topics"]
    assert got["unit_id"].tolist() == new["paragraph_id"].tolist()
    assert set(got["topic"].iloc[:-1]) <= {0, 1, 2}
    assert got.iloc[-1][["topic", "probability"]].tolist() == [-1, 0.0]  # no vocabulary term: no topic
    assert model.transform(new.head(0)).empty


def test_mixture_topics_only_chooses_components_the_fit_kept():
    mixture = np.array([[0.2, 0.5, 0.3], [0.6, 0.1, 0.3], [0.0, 0.0, 0.0]])
    labels, share = assign.mixture_topics(mixture)
    assert labels.tolist() == [1, 0, -1] and share.tolist() == [0.5, 0.6, 0.0]
    # component 1 received no training unit: topic 0 is component 2, topic 1 is component 0
    labels, share = assign.mixture_topics(mixture, components=(2, 0))
    assert labels.tolist() == [0, 1, -1] and share.tolist() == [0.3, 0.6, 0.0]


def test_centroid_assigner_picks_the_most_similar_topic_centroid():
    embeddings = np.array([[1.0, 0.0], [0.8, 0.6], [0.0, 1.0], [0.6, 0.8]])
    labels = np.array([0, 0, 1, 1])
    topic_ids, centroids = assign.topic_centroids(embeddings, labels)
    assert topic_ids == [0, 1]
    np.testing.assert_allclose(centroids, [[0.9, 0.3] / np.sqrt(0.9), [0.3, 0.9] / np.sqrt(0.9)])
    np.testing.assert_allclose(assign.centroid_similarity(embeddings, labels), np.full(4, 0.9 / np.sqrt(0.9)))
    topic, similarity = assign.CentroidAssigner(centroids).assign(
        ["a", "b"], np.array([[0.0, 2.0], [3.0, -1.0]])
    )
    assert topic.tolist() == [1, 0]
    np.testing.assert_allclose(similarity, [0.9 / np.sqrt(0.9), (2.7 - 0.3) / np.sqrt(10) / np.sqrt(0.9)])
    with pytest.raises(ValueError, match="dimensions"):
        assign.CentroidAssigner(centroids).assign(["a"], np.ones((1, 3)))


def test_topic_model_follows_scikit_learn_conventions(seeds_corpus):
    model = topics.TopicModel(method="top2vec", n_topics=1)  # __init__ stores, fit validates
    assert model.get_params()["method"] == "top2vec"
    model.set_params(method="nmf", n_topics=3)
    twin = clone(model)
    assert twin.get_params() == model.get_params() and twin is not model
    assert "TopicModel(method='nmf', n_topics=3)" == repr(model)
    with pytest.raises(NotFittedError):
        model.transform(seeds_corpus.paragraphs)
    assert model.fit(seeds_corpus.paragraphs) is model
    assert not hasattr(twin, "doc_topics_")  # clones are unfitted
    assert {name for name in vars(model) if name.endswith("_")} == {
        "doc_topics_",
        "topic_terms_",
        "topic_labels_",
        "n_topics_",
        "notes_",
        "settings_",
        "assigner_",
    }


def test_nmf_default_topic_count_follows_the_size_rule(seeds_corpus):
    model = topics.TopicModel(method="nmf").fit(seeds_corpus.paragraphs)
    assert model.n_topics_ == topic_models.auto_n_topics(len(seeds_corpus.paragraphs)) == 6
    assert any("round(sqrt(n/4))" in note for note in model.notes_)


@pytest.mark.slow
def test_bertopic_on_seeds_is_structured_and_deterministic(seeds_corpus):
    units = seeds_corpus.paragraphs
    first = topics.TopicModel().fit(units)
    second = topics.TopicModel().fit(units)
    _check_structure(first, units)
    _assert_same_fit(first, second)
    assert first.settings_["reduction"] == "umap" and first.settings_["clustering"] == "kmeans"
    assert (first.doc_topics_["topic"] >= 0).all()
    # the label is the top three c-TF-IDF terms, the same ones topic_terms ranks first
    top3 = first.topic_terms_[first.topic_terms_["rank"] <= 3].groupby("topic")["term"].agg(" · ".join)
    assert first.topic_labels_.set_index("topic")["label"].to_dict() == top3.to_dict()


@pytest.mark.slow
def test_bertopic_transform_is_the_nearest_centroid_and_agrees_with_the_fit_almost_everywhere(seeds_corpus):
    from analysis.nlp import embed_texts

    units = seeds_corpus.paragraphs
    model = topics.TopicModel().fit(units)
    got, fitted = model.transform(units), model.doc_topics_
    pd.testing.assert_frame_equal(got, model.transform(units))  # deterministic
    same = got["topic"] == fitted["topic"]
    # k-means ran on the UMAP-reduced embeddings; 1 of the 132 paragraphs is nearer another topic's centroid
    assert (~same).sum() == 1
    np.testing.assert_allclose(
        got.loc[same, "probability"], fitted.loc[same, "probability"], rtol=0, atol=1e-12
    )
    unit = assign.unit_vectors(embed_texts(units["text"].tolist()).astype(float))
    similarity = unit @ model.assigner_.centroids.T
    rows = np.flatnonzero(~same)
    assert (
        similarity[rows, got["topic"].to_numpy()[rows]] > similarity[rows, fitted["topic"].to_numpy()[rows]]
    ).all()


@pytest.mark.slow
def test_bertopic_tiny_corpus_falls_back_to_pca_and_says_so(make_corpus):
    texts = [
        "Troops shelled the city overnight.",
        "The army advanced on the capital.",
        "Shelling continued near the border.",
        "Grain prices rose on world markets.",
        "Wheat exports fell sharply this year.",
        "Farmers expect a poor harvest.",
        "Ministers met to discuss the ceasefire.",
        "Diplomats proposed new peace talks.",
    ]
    corpus = make_corpus(*[(f"a{i}", "X" if i % 2 else "Y", t) for i, t in enumerate(texts)])
    model = topics.TopicModel(n_topics=3).fit(corpus.paragraphs)
    assert model.settings_["reduction"] == "pca"
    assert any("too few for UMAP" in note for note in model.notes_)
    assert sorted(model.doc_topics_["topic"].unique()) == [0, 1, 2]


def test_sentences_work_as_units(seeds_corpus):
    units = seeds_corpus.sentences
    model = topics.TopicModel(method="nmf", n_topics=3).fit(units)
    assert model.doc_topics_["unit_id"].tolist() == units["sentence_id"].tolist()
    assert model.settings_["unit"] == "sentence_id"
    from_corpus = topics.TopicModel(method="nmf", n_topics=3).fit(seeds_corpus, unit="sentences")
    pd.testing.assert_frame_equal(from_corpus.doc_topics_, model.doc_topics_)
    pd.testing.assert_frame_equal(model.transform(seeds_corpus, unit="sentences"), model.doc_topics_)
    with pytest.raises(ValueError, match="unit must be"):
        topics.TopicModel(method="nmf").fit(seeds_corpus, unit="words")


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda u: u.drop(columns=["outlet"]), "outlet"),
        (lambda u: u.assign(paragraph_id="x"), "not unique"),
        (lambda u: u.head(2), "at least 3 units"),
        (lambda u: u.assign(text=None), "missing values"),
    ],
)
def test_bad_units_raise_clear_errors(seeds_corpus, change, message):
    with pytest.raises(ValueError, match=message):
        topics.TopicModel(method="nmf").fit(change(seeds_corpus.paragraphs))


@pytest.mark.parametrize(
    "params, message",
    [
        ({"method": "top2vec"}, "method"),
        ({"method": "nmf", "n_topics": 1}, "n_topics"),
        ({"method": "nmf", "random_state": None}, "random_state"),
        ({"method": "nmf", "clustering": "dbscan"}, "clustering"),
        ({"method": "nmf", "top_n_terms": 0}, "top_n_terms"),
    ],
)
def test_bad_settings_raise_in_fit(seeds_corpus, params, message):
    model = topics.TopicModel(**params)
    with pytest.raises(ValueError, match=message):
        model.fit(seeds_corpus.paragraphs)


def test_bad_inputs_raise(seeds_corpus):
    units = seeds_corpus.paragraphs
    with pytest.raises(ValueError, match="embeddings have"):
        topics.TopicModel().fit(units, embeddings=np.zeros((3, 4)))
    with pytest.raises(TypeError):
        topics.TopicModel(method="nmf").fit(units["text"].tolist())


def test_schema_rejects_a_broken_table():
    from analysis.schemas import validate
    from analysis.schemas.topics import Prevalence

    bad = pd.DataFrame(
        {
            "outlet": ["A"],
            "topic": [0],
            "n": [1],
            "n_units": [1],
            "share": [1.5],
            "ci_low": [0.0],
            "ci_high": [1.0],
            "resampled": ["units"],
        }
    )
    with pytest.raises(SchemaViolation, match="share"):
        validate(bad, Prevalence)


# --------------------------------------------------------------------------
# Stability across random_states
# --------------------------------------------------------------------------


def test_stability_of_nmf_across_random_states(seeds_corpus):
    model = topics.TopicModel(method="nmf", n_topics=4)
    result = topics.stability(model, seeds_corpus.paragraphs, random_states=(0, 1, 2))
    pairs = result.pairs
    assert list(pairs[["random_state_a", "random_state_b"]].itertuples(index=False, name=None)) == [
        (0, 1),
        (0, 2),
        (1, 2),
    ]
    assert pairs["ari"].between(-1, 1).all() and (pairs["n_topics_a"] == 4).all()
    assert list(result.topics.columns) == ["topic", "label", "n", "jaccard_mean", "jaccard_min"]
    assert (result.topics["jaccard_min"] <= result.topics["jaccard_mean"]).all()
    assert not hasattr(model, "doc_topics_")  # the template is not fitted
    with pytest.raises(ValueError, match="two distinct random_states"):
        topics.stability(model, seeds_corpus.paragraphs, random_states=(1, 1))


def test_stability_is_perfect_when_the_partition_cannot_move(make_corpus):
    texts = ["apple banana apple", "banana apple fruit", "engine motor engine", "motor engine car"] * 2
    corpus = make_corpus(*[(f"a{i}", "X", t) for i, t in enumerate(texts)])
    result = topics.stability(
        topics.TopicModel(method="nmf", n_topics=2), corpus.paragraphs, random_states=(0, 5)
    )
    assert result.pairs["ari"].tolist() == [1.0]
    assert result.topics["jaccard_min"].tolist() == [1.0, 1.0]


def test_stability_reuses_a_fit_of_the_same_units_and_refits_otherwise(seeds_corpus, monkeypatch):
    units = seeds_corpus.paragraphs
    template = topics.TopicModel(method="nmf", n_topics=4)
    plain = topics.stability(template, units, random_states=(0, 1))
    main = clone(template).set_params(random_state=1).fit(units)
    fits = []
    real_fit = topics.TopicModel.fit
    monkeypatch.setattr(
        topics.TopicModel,
        "fit",
        lambda self, *a, **k: fits.append(self.random_state) or real_fit(self, *a, **k),
    )
    reused = topics.stability(main, units, random_states=(0, 1))
    assert fits == [0]  # random_state 1 came from `main`
    pd.testing.assert_frame_equal(plain.pairs, reused.pairs)
    pd.testing.assert_frame_equal(plain.topics, reused.topics)
    other_units = clone(main).fit(units.iloc[1:])
    fits.clear()
    pd.testing.assert_frame_equal(
        plain.pairs, topics.stability(other_units, units, random_states=(0, 1)).pairs
    )
    assert fits == [0, 1]  # fitted on other units: refitted


def test_importing_topics_loads_no_heavy_model_code():
    code = (
        "import sys, analysis.topics, analysis.scale; heavy = {'torch', 'bertopic', 'umap', 'sentence_transformers', 'hdbscan'};"
        "print(sorted(heavy & set(sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# --------------------------------------------------------------------------
# Recovery of known groups: gensim's mini_newsgroup (alt.atheism vs sci.space)
# --------------------------------------------------------------------------


class _Bunch(dict):
    def __setstate__(self, state):
        self.update(state)


class _SafeUnpickler(pickle.Unpickler):
    """Loads the scikit-learn Bunch pickle of gensim's test data, refusing any other class."""

    def find_class(self, module, name):
        from numpy._core.multiarray import _reconstruct

        allowed = {
            ("copy_reg", "_reconstructor"): copyreg._reconstructor,
            ("__builtin__", "dict"): dict,
            ("__builtin__", "object"): object,
            ("sklearn.datasets.base", "Bunch"): _Bunch,
            ("numpy.core.multiarray", "_reconstruct"): _reconstruct,
            ("numpy", "ndarray"): np.ndarray,
            ("numpy", "dtype"): np.dtype,
        }
        if (module, name) not in allowed:
            raise pickle.UnpicklingError(f"refusing to load {module}.{name}")
        return allowed[(module, name)]


@pytest.fixture(scope="module")
def newsgroups():
    gensim = pytest.importorskip("gensim")
    path = Path(gensim.__file__).parent / "test" / "test_data" / "mini_newsgroup"
    bunch = _SafeUnpickler(io.BytesIO(zlib.decompress(path.read_bytes())), encoding="latin-1").load()

    def body(post):  # drop the headers (they name the newsgroup) and quoted lines
        text = post.split("\n\n", 1)[1] if "\n\n" in post else post
        return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith(">")).strip()

    ids = [f"ng{i:03d}" for i in range(len(bunch["data"]))]
    groups = [bunch["target_names"][t] for t in bunch["target"]]
    assert len(ids) == 200 and sorted(set(groups)) == ["alt.atheism", "sci.space"]
    return pd.DataFrame(
        {"unit_id": ids, "article_id": ids, "outlet": groups, "text": [body(p) for p in bunch["data"]]}
    )


@pytest.mark.slow
def test_bertopic_separates_two_newsgroups(newsgroups):
    model = topics.TopicModel(n_topics=2).fit(newsgroups)
    table = pd.crosstab(model.doc_topics_["topic"], newsgroups["outlet"])
    purity = table.max(axis=1).sum() / len(newsgroups)
    assert purity > 0.9, table
    # the outlet contrast sees it too: each group is distinctive for one topic
    contrasts = topics.distinctive(model.doc_topics_, n_boot=200)
    flagged = contrasts[contrasts["distinctive"] & (contrasts["diff"] > 0)]
    assert sorted(flagged["outlet"]) == ["alt.atheism", "sci.space"]


@pytest.mark.slow
def test_second_fit_reuses_the_embedding_cache(seeds_corpus, tmp_path, monkeypatch):
    from analysis.nlp import _embed as embed

    monkeypatch.setenv("COVERAGE_COMPARE_CACHE", str(tmp_path))
    units = seeds_corpus.paragraphs.head(40)
    topics.TopicModel(n_topics=3).fit(units)
    shards = sorted(tmp_path.rglob("*.npz"))
    assert shards
    embed._store.cache_clear()  # as in a new process
    topics.TopicModel(n_topics=3).fit(units)
    assert sorted(tmp_path.rglob("*.npz")) == shards


@pytest.mark.slow
def test_notebook_runs_in_the_report_pipeline_with_nmf(tmp_path):
    from conftest import SEEDS, run_cli

    out = tmp_path / "figures"
    result = run_cli(
        "report",
        "--corpus",
        SEEDS,
        "--out",
        out,
        "--notebooks",
        "02",
        "--param",
        "method=nmf",
        "--param",
        "n_topics=4",
        "--param",
        "stability_random_states=[0, 1]",
        "--param",
        "n_boot=200",
    )
    assert result.returncode == 0, result.stderr[-3000:]
    names = {"topic_shares", "topic_terms", "unit_map", "distinctive_topics", "stability", "story_coverage"}
    for name in names:
        for ext in ("svg", "png", "json", "csv"):
            assert (out / "02_topics" / f"{name}.{ext}").stat().st_size > 0
    shares = pd.read_csv(out / "02_topics" / "topic_shares.csv")
    assert sorted(shares["topic"].unique()) == [0, 1, 2, 3]


@pytest.mark.slow
def test_large_corpus_uses_hdbscan_reassigns_outliers_and_is_deterministic():
    """1,050 units (the HDBSCAN path starts at 1,000) with synthetic embeddings: 5 tight groups plus 50 strays."""
    rng = np.random.default_rng(0)
    group = np.r_[np.repeat(np.arange(5), 200), np.full(50, -1)]
    words = np.array(["grain harvest", "rocket launch", "court ruling", "flood rescue", "match final"])
    centres = rng.normal(size=(5, 64)) * 3
    emb = np.where(group[:, None] >= 0, centres[np.maximum(group, 0)], 0.0) + rng.normal(
        size=(len(group), 64)
    )
    units = pd.DataFrame(
        {
            "unit_id": [f"u{i}" for i in range(len(group))],
            "article_id": [f"a{i // 10}" for i in range(len(group))],
            "outlet": ["X" if i % 2 else "Y" for i in range(len(group))],
            "text": [f"{words[g] if g >= 0 else 'misc item'} report number {i}" for i, g in enumerate(group)],
        }
    )
    first = topics.TopicModel().fit(units, embeddings=emb)
    assert first.settings_["clustering"] == "hdbscan" and first.n_topics_ == 5
    assert (first.doc_topics_["topic"] >= 0).all()  # every outlier reassigned
    clustered = first.doc_topics_["topic"].to_numpy()[group >= 0]
    assert pd.crosstab(clustered, group[group >= 0]).gt(0).sum(axis=1).eq(1).all()  # groups recovered exactly
    assert set(topics.prevalence(first.doc_topics_, n_boot=100)["resampled"]) == {
        "articles"
    }  # 50+ per outlet
    _assert_same_fit(first, topics.TopicModel().fit(units, embeddings=emb))
    # the nearest centroid is the fitted topic of every grouped unit; of the 50 strays, which BERTopic
    # reassigned by its own topic embeddings, 8 are nearer another topic's centroid
    moved = first.transform(units, embeddings=emb)["topic"] != first.doc_topics_["topic"]
    assert not moved[group >= 0].any() and moved[group < 0].sum() == 8


@pytest.mark.slow
def test_forced_hdbscan_on_a_small_corpus_reassigns_its_many_outliers(seeds_corpus):
    model = topics.TopicModel(clustering="hdbscan").fit(seeds_corpus.paragraphs)
    assert model.settings_["clustering"] == "hdbscan"
    assert any("outlier units reassigned" in note for note in model.notes_)
    assert (model.doc_topics_["topic"] >= 0).all()


def test_chart_builders_take_the_tables(seeds_corpus):
    from analysis.charts import chart_data
    from analysis.charts import topics as topic_charts

    outlets = seeds_corpus.outlets
    model = topics.TopicModel(method="nmf", n_topics=3).fit(seeds_corpus.paragraphs)
    labels = model.topic_labels_
    names = topic_charts.topic_names(labels)
    assert names[0] == "T0 " + labels.loc[0, "label"]
    shares = topics.prevalence(model.doc_topics_, n_boot=100)
    heat = topic_charts.prevalence_heatmap(shares, labels, outlets)
    assert len(chart_data(heat)) == len(shares)
    assert "interval" in chart_data(heat) and "95% interval" in str(heat.to_dict())
    assert len(chart_data(topic_charts.topic_terms_chart(model.topic_terms_, labels))) == len(
        model.topic_terms_
    )
    distinct = topic_charts.distinctive_chart(
        topics.distinctive(model.doc_topics_, n_boot=100), labels, outlets
    )
    assert set(chart_data(distinct)["status"]) <= {"distinctive", "not distinctive"}
    rng = np.random.default_rng(0)
    points = model.doc_topics_.assign(x=rng.normal(size=len(model.doc_topics_)), y=0.0)
    sampled = topic_charts.unit_map_chart(points, labels, outlets, max_points=50)
    assert len(chart_data(sampled)) == 50 and "50 of 132 units" in sampled.to_dict()["title"]["subtitle"]


_UMAP_IN_A_FRESH_PROCESS = """
import numpy as np
import umap.umap_ as uu
from analysis.topics import _backends as topic_models
reduced, how = topic_models._reduce(np.random.default_rng(0).normal(size=(40, 8)), 0, [])
stats = uu.smooth_knn_dist.stats
print(how, sum(stats.cache_hits.values()), sum(stats.cache_misses.values()), repr(float(reduced.sum())))
"""


@pytest.mark.slow
def test_umap_kernels_are_compiled_once_then_loaded_from_the_cache(tmp_path):
    env = {**os.environ, "COVERAGE_COMPARE_CACHE": str(tmp_path)}

    def run():
        out = subprocess.run(
            [sys.executable, "-c", _UMAP_IN_A_FRESH_PROCESS],
            capture_output=True,
            text=True,
            check=True,
            env=env,
        )
        return out.stdout.split()

    first, second = run(), run()
    assert first[:3] == ["umap", "0", "1"]  # compiled and stored
    assert second[:3] == ["umap", "1", "0"]  # loaded, not compiled
    assert first[3] == second[3]  # same numbers either way
    assert any((tmp_path / "numba").rglob("*.nbi"))
