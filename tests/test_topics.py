"""Topic models: c-TF-IDF, prevalence intervals, distinctive topics, fits on the seeds and on a labelled corpus."""

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

from analysis.schemas import SchemaViolation
from analysis.topics import _backends as topic_models
from analysis.topics import _model as topics

COLUMNS = {
    "doc_topics": ["unit_id", "article_id", "outlet", "topic", "probability"],
    "topic_terms": ["topic", "term", "weight", "rank"],
    "topic_labels": ["topic", "label", "n", "representative_ids"],
    "prevalence": ["outlet", "topic", "n", "n_units", "share", "ci_low", "ci_high", "resampled"],
    "distinctive": ["outlet", "topic", "share", "share_rest", "diff", "ci_low", "ci_high", "n", "n_rest", "distinctive"],
}


# --------------------------------------------------------------------------
# Pure parts: vocabulary, c-TF-IDF, prevalence, distinctive
# --------------------------------------------------------------------------


def test_analyzer_uses_shared_tokenizer_without_stop_words_numbers_or_letters():
    text = "Russia’s forces and the U.S. in 2023 took a Nagorno-Karabakh village"
    assert topic_models.analyzer(text) == ["russia", "forces", "u.s", "took", "nagorno-karabakh", "village"]


def test_class_tfidf_matches_the_formula_by_hand():
    counts = np.array([[2, 0, 1], [0, 3, 1]])
    # A = int(mean(3, 4)) = 3; f = (2, 3, 2)
    expected = np.array([[2 / 3 * np.log(1 + 3 / 2), 0, 1 / 3 * np.log(1 + 3 / 2)],
                         [0, 3 / 4 * np.log(2), 1 / 4 * np.log(1 + 3 / 2)]])
    np.testing.assert_allclose(topics.class_tfidf(counts), expected)


@pytest.mark.slow
def test_class_tfidf_equals_bertopic_transformer():
    from bertopic.vectorizers import ClassTfidfTransformer

    counts = np.random.default_rng(0).integers(0, 5, size=(4, 12))
    ours = topics.class_tfidf(counts)
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
# Fits on the seeds
# --------------------------------------------------------------------------


def _check_structure(result, units):
    for name, cols in COLUMNS.items():
        assert list(getattr(result, name).columns) == cols, name
    dt = result.doc_topics
    assert dt["unit_id"].tolist() == units["paragraph_id"].tolist()
    assigned = sorted(set(dt["topic"]) - {-1})
    assert assigned == list(range(len(assigned)))  # renumbered 0..k-1
    sizes = dt[dt["topic"] >= 0]["topic"].value_counts().sort_index()
    assert sizes.is_monotonic_decreasing  # 0 = largest
    assert result.topic_labels.set_index("topic")["n"].to_dict() == dt["topic"].value_counts().to_dict()
    assert set(result.topic_terms["topic"]) == set(assigned)
    ranks = result.topic_terms.groupby("topic")["rank"].apply(list)
    assert all(r == list(range(1, len(r) + 1)) for r in ranks)
    prev = result.prevalence
    assert len(prev) == units["outlet"].nunique() * dt["topic"].nunique()
    np.testing.assert_allclose(prev.groupby("outlet")["share"].sum(), 1.0)
    for row in result.topic_labels.itertuples():
        reps = row.representative_ids.split()
        assert 1 <= len(reps) <= 3 and set(dt.set_index("unit_id").loc[reps, "topic"]) == {row.topic}


@pytest.mark.parametrize("method", ["nmf", "lda"])
def test_sklearn_methods_give_the_same_tidy_tables(seeds_corpus, method):
    units = seeds_corpus.paragraphs
    result = topics.fit_topics(units, method=method, n_topics=4, n_boot=200)
    _check_structure(result, units)
    assert result.params["method"] == method and len(result.topic_labels) == 4
    again = topics.fit_topics(units, method=method, n_topics=4, n_boot=200)
    for name in COLUMNS:
        pd.testing.assert_frame_equal(getattr(result, name), getattr(again, name))


def test_nmf_default_topic_count_follows_the_size_rule(seeds_corpus):
    result = topics.fit_topics(seeds_corpus.paragraphs, method="nmf", n_boot=100)
    assert result.params["n_topics"] == topic_models.auto_n_topics(len(seeds_corpus.paragraphs)) == 6
    assert any("round(sqrt(n/4))" in note for note in result.notes)


@pytest.mark.slow
def test_bertopic_on_seeds_is_structured_and_deterministic(seeds_corpus):
    units = seeds_corpus.paragraphs
    first = topics.fit_topics(units, n_boot=300)
    second = topics.fit_topics(units, n_boot=300)
    _check_structure(first, units)
    for name in COLUMNS:
        pd.testing.assert_frame_equal(getattr(first, name), getattr(second, name))
    assert first.params["reduction"] == "umap" and first.params["clustering"] == "kmeans"
    assert (first.doc_topics["topic"] >= 0).all()
    # the label is the top three c-TF-IDF terms, the same ones topic_terms ranks first
    top3 = first.topic_terms[first.topic_terms["rank"] <= 3].groupby("topic")["term"].agg(" · ".join)
    assert first.topic_labels.set_index("topic")["label"].to_dict() == top3.to_dict()


@pytest.mark.slow
def test_bertopic_tiny_corpus_falls_back_to_pca_and_says_so(make_corpus):
    texts = ["Troops shelled the city overnight.", "The army advanced on the capital.",
             "Shelling continued near the border.", "Grain prices rose on world markets.",
             "Wheat exports fell sharply this year.", "Farmers expect a poor harvest.",
             "Ministers met to discuss the ceasefire.", "Diplomats proposed new peace talks."]
    corpus = make_corpus(*[(f"a{i}", "X" if i % 2 else "Y", t) for i, t in enumerate(texts)])
    result = topics.fit_topics(corpus.paragraphs, n_topics=3, n_boot=100)
    assert result.params["reduction"] == "pca"
    assert any("too few for UMAP" in note for note in result.notes)
    assert sorted(result.doc_topics["topic"].unique()) == [0, 1, 2]


def test_sentences_work_as_units(seeds_corpus):
    units = seeds_corpus.sentences
    result = topics.fit_topics(units, method="nmf", n_topics=3, n_boot=100)
    assert result.doc_topics["unit_id"].tolist() == units["sentence_id"].tolist()
    assert result.params["unit"] == "sentence_id"
    from_corpus = topics.fit_topics(seeds_corpus, unit="sentences", method="nmf", n_topics=3, n_boot=100)
    pd.testing.assert_frame_equal(from_corpus.doc_topics, result.doc_topics)
    with pytest.raises(ValueError, match="unit must be"):
        topics.fit_topics(seeds_corpus, unit="words", method="nmf")


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
        topics.fit_topics(change(seeds_corpus.paragraphs), method="nmf")


def test_bad_options_raise(seeds_corpus):
    units = seeds_corpus.paragraphs
    with pytest.raises(ValueError, match="method"):
        topics.fit_topics(units, method="top2vec")
    with pytest.raises(ValueError, match="n_topics"):
        topics.fit_topics(units, method="nmf", n_topics=1)
    with pytest.raises(ValueError, match="embeddings have"):
        topics.fit_topics(units, embeddings=np.zeros((3, 4)))
    with pytest.raises(TypeError):
        topics.fit_topics(units["text"].tolist(), method="nmf")


def test_schema_rejects_a_broken_table():
    from analysis.schemas import validate
    from analysis.schemas.topics import Prevalence

    bad = pd.DataFrame({"outlet": ["A"], "topic": [0], "n": [1], "n_units": [1], "share": [1.5], "ci_low": [0.0],
                        "ci_high": [1.0], "resampled": ["units"]})
    with pytest.raises(SchemaViolation, match="share"):
        validate(bad, Prevalence)


def test_stability_of_nmf_across_seeds(seeds_corpus):
    result = topics.topic_stability(seeds_corpus.paragraphs, seeds=(0, 1, 2), method="nmf", n_topics=4)
    pairs = result.pairs
    assert list(pairs[["seed_a", "seed_b"]].itertuples(index=False, name=None)) == [(0, 1), (0, 2), (1, 2)]
    assert pairs["ari"].between(-1, 1).all() and (pairs["n_topics_a"] == 4).all()
    assert list(result.topics.columns) == ["topic", "label", "n", "jaccard_mean", "jaccard_min"]
    assert (result.topics["jaccard_min"] <= result.topics["jaccard_mean"]).all()
    with pytest.raises(ValueError, match="two distinct seeds"):
        topics.topic_stability(seeds_corpus.paragraphs, seeds=(1, 1), method="nmf")


def test_stability_is_perfect_when_the_partition_cannot_move(make_corpus):
    texts = ["apple banana apple", "banana apple fruit", "engine motor engine", "motor engine car"] * 2
    corpus = make_corpus(*[(f"a{i}", "X", t) for i, t in enumerate(texts)])
    result = topics.topic_stability(corpus.paragraphs, seeds=(0, 5), method="nmf", n_topics=2)
    assert result.pairs["ari"].tolist() == [1.0]
    assert result.topics["jaccard_min"].tolist() == [1.0, 1.0]


def test_importing_topics_loads_no_heavy_model_code():
    code = ("import sys, analysis.topics._model; heavy = {'torch', 'bertopic', 'umap', 'sentence_transformers', 'hdbscan'};"
            "print(sorted(heavy & set(sys.modules)))")
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

        allowed = {("copy_reg", "_reconstructor"): copyreg._reconstructor, ("__builtin__", "dict"): dict,
                   ("__builtin__", "object"): object, ("sklearn.datasets.base", "Bunch"): _Bunch,
                   ("numpy.core.multiarray", "_reconstruct"): _reconstruct, ("numpy", "ndarray"): np.ndarray,
                   ("numpy", "dtype"): np.dtype}
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
    return pd.DataFrame({"unit_id": ids, "article_id": ids, "outlet": groups, "text": [body(p) for p in bunch["data"]]})


@pytest.mark.slow
def test_bertopic_separates_two_newsgroups(newsgroups):
    result = topics.fit_topics(newsgroups, n_topics=2, n_boot=200)
    table = pd.crosstab(result.doc_topics["topic"], newsgroups["outlet"])
    purity = table.max(axis=1).sum() / len(newsgroups)
    assert purity > 0.9, table
    # the outlet contrast sees it too: each group is distinctive for one topic
    flagged = result.distinctive[result.distinctive["distinctive"] & (result.distinctive["diff"] > 0)]
    assert sorted(flagged["outlet"]) == ["alt.atheism", "sci.space"]


@pytest.mark.slow
def test_second_fit_reuses_the_embedding_cache(seeds_corpus, tmp_path, monkeypatch):
    from analysis.nlp import _embed as embed

    monkeypatch.setenv("COVERAGE_COMPARE_CACHE", str(tmp_path))
    units = seeds_corpus.paragraphs.head(40)
    topics.fit_topics(units, n_topics=3, n_boot=100)
    shards = sorted(tmp_path.rglob("*.npz"))
    assert shards
    embed._store.cache_clear()  # as in a new process
    topics.fit_topics(units, n_topics=3, n_boot=100)
    assert sorted(tmp_path.rglob("*.npz")) == shards


@pytest.mark.slow
def test_notebook_runs_in_the_report_pipeline_with_nmf(tmp_path):
    from conftest import SEEDS, run_cli

    out = tmp_path / "figures"
    result = run_cli("report", "--corpus", SEEDS, "--out", out, "--notebooks", "02", "--param", "method=nmf",
                     "--param", "n_topics=4", "--param", "stability_seeds=[0, 1]", "--param", "n_boot=200")
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
    emb = np.where(group[:, None] >= 0, centres[np.maximum(group, 0)], 0.0) + rng.normal(size=(len(group), 64))
    units = pd.DataFrame({
        "unit_id": [f"u{i}" for i in range(len(group))],
        "article_id": [f"a{i // 10}" for i in range(len(group))],
        "outlet": ["X" if i % 2 else "Y" for i in range(len(group))],
        "text": [f"{words[g] if g >= 0 else 'misc item'} report number {i}" for i, g in enumerate(group)],
    })
    first = topics.fit_topics(units, embeddings=emb, n_boot=100)
    assert first.params["clustering"] == "hdbscan" and first.params["n_topics"] == 5
    assert (first.doc_topics["topic"] >= 0).all()  # every outlier reassigned
    clustered = first.doc_topics["topic"].to_numpy()[group >= 0]
    assert pd.crosstab(clustered, group[group >= 0]).gt(0).sum(axis=1).eq(1).all()  # groups recovered exactly
    assert set(first.prevalence["resampled"]) == {"articles"}  # 50+ articles per outlet
    second = topics.fit_topics(units, embeddings=emb, n_boot=100)
    for name in COLUMNS:
        pd.testing.assert_frame_equal(getattr(first, name), getattr(second, name))


@pytest.mark.slow
def test_forced_hdbscan_on_a_small_corpus_reassigns_its_many_outliers(seeds_corpus):
    result = topics.fit_topics(seeds_corpus.paragraphs, clustering="hdbscan", n_boot=100)
    assert result.params["clustering"] == "hdbscan"
    assert any("outlier units reassigned" in note for note in result.notes)
    assert (result.doc_topics["topic"] >= 0).all()


def test_chart_builders_take_the_tables(seeds_corpus):
    from analysis.charts import chart_data
    from analysis.charts import topics as topic_charts

    outlets = seeds_corpus.outlets
    result = topics.fit_topics(seeds_corpus.paragraphs, method="nmf", n_topics=3, n_boot=100)
    names = topic_charts.topic_names(result.topic_labels)
    assert names[0] == "T0 " + result.topic_labels.loc[0, "label"]
    heat = topic_charts.prevalence_heatmap(result.prevalence, result.topic_labels, outlets)
    assert len(chart_data(heat)) == len(result.prevalence)
    assert "interval" in chart_data(heat) and "95% interval" in str(heat.to_dict())
    assert len(chart_data(topic_charts.topic_terms_chart(result.topic_terms, result.topic_labels))) == len(
        result.topic_terms)
    distinct = topic_charts.distinctive_chart(result.distinctive, result.topic_labels, outlets)
    assert set(chart_data(distinct)["status"]) <= {"distinctive", "not distinctive"}
    rng = np.random.default_rng(0)
    points = result.doc_topics.assign(x=rng.normal(size=len(result.doc_topics)), y=0.0)
    sampled = topic_charts.unit_map_chart(points, result.topic_labels, outlets, max_points=50)
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
        out = subprocess.run([sys.executable, "-c", _UMAP_IN_A_FRESH_PROCESS], capture_output=True, text=True,
                             check=True, env=env)
        return out.stdout.split()

    first, second = run(), run()
    assert first[:3] == ["umap", "0", "1"]  # compiled and stored
    assert second[:3] == ["umap", "1", "0"]  # loaded, not compiled
    assert first[3] == second[3]  # same numbers either way
    assert any((tmp_path / "numba").rglob("*.nbi"))


def test_stability_reuses_the_main_fit_for_its_seed_and_refuses_a_fit_of_other_units(seeds_corpus):
    units = seeds_corpus.paragraphs
    main = topics.fit_topics(units, method="nmf", n_topics=4, random_state=1, n_boot=100)
    plain = topics.topic_stability(units, seeds=(0, 1), method="nmf", n_topics=4)
    reused = topics.topic_stability(units, seeds=(0, 1), method="nmf", n_topics=4, fitted=main)
    pd.testing.assert_frame_equal(plain.pairs, reused.pairs)
    pd.testing.assert_frame_equal(plain.topics, reused.topics)
    # a fit with a seed outside the list is simply not used
    other_seed = topics.fit_topics(units, method="nmf", n_topics=4, random_state=7, n_boot=100)
    pd.testing.assert_frame_equal(plain.pairs, topics.topic_stability(units, seeds=(0, 1), method="nmf", n_topics=4,
                                                                      fitted=other_seed).pairs)
    with pytest.raises(ValueError, match="fitted on other units"):
        topics.topic_stability(units.iloc[1:], seeds=(0, 1), method="nmf", n_topics=4, fitted=main)
    with pytest.raises(ValueError, match="has 4 topics, not 3"):
        topics.topic_stability(units, seeds=(0, 1), method="nmf", n_topics=3, fitted=main)
