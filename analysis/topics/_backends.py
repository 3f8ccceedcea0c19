"""Topic-model back ends behind :class:`analysis.topics.TopicModel`: BERTopic, NMF and LDA.

Each back end takes unit texts and returns a :class:`RawFit`: one topic per unit
(-1 for none), a membership in [0, 1] and the topic's term weights, with topic
numbers still in the back end's own order (``analysis.topics._model`` renumbers them),
plus, for NMF/LDA, the fitted vectorizer and decomposition that assign new units.
BERTopic, UMAP, HDBSCAN and torch are imported only inside :func:`fit_bertopic`.

Vocabulary: every back end counts terms with :func:`analyzer`, i.e. the shared
tokenizer (:func:`analysis.corpus.text.tokenize`) minus scikit-learn's English stop
words and tokens without a letter (bare numbers), so topic terms, labels and
the other notebooks' term counts agree.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.cluster import AgglomerativeClustering, KMeans
from sklearn.decomposition import NMF, PCA, LatentDirichletAllocation
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, CountVectorizer, TfidfVectorizer
from sklearn.metrics import silhouette_score

from analysis.corpus.text import tokenize
from analysis.infra.cache import cache_dir
from analysis.infra.imports import hidden_modules
from analysis.nlp import progress
from analysis.topics._assign import centroid_similarity, mixture_topics, topic_mixture

__all__ = [
    "RawFit",
    "analyzer",
    "count_vectorizer",
    "auto_n_topics",
    "fit_nmf",
    "fit_lda",
    "fit_bertopic",
    "UMAP_MIN_UNITS",
    "HDBSCAN_MIN_UNITS",
    "fast_cosine_distances",
    "class_tfidf",
    "ctfidf_terms",
]

#: Optional modules BERTopic imports for representation models and embedding back ends that are not
#: used here (embeddings come in precomputed); kept out while it loads (~3 s).
BERTOPIC_UNUSED = ("torch", "transformers", "sentence_transformers")
#: Below this many units UMAP's neighbour graph is unreliable (and can fail); PCA reduces instead.
UMAP_MIN_UNITS = 30
#: From this many units, with no fixed topic count, BERTopic clusters with HDBSCAN instead of k-means.
HDBSCAN_MIN_UNITS = 1000


def analyzer(text: str) -> list[str]:
    """Shared-tokenizer terms of ``text`` without English stop words, bare numbers and one-letter tokens."""
    return [
        t
        for t in tokenize(text)
        if len(t) > 1 and t not in ENGLISH_STOP_WORDS and any(c.isalpha() for c in t)
    ]


def _min_df(n_docs: int) -> int:
    """Rare-term cut-off that grows with the corpus: 1 below 200 documents, 2 below 20,000, else 5."""
    return 1 if n_docs < 200 else 2 if n_docs < 20_000 else 5


def count_vectorizer(n_docs: int | None = None) -> CountVectorizer:
    """A CountVectorizer over :func:`analyzer` (``min_df`` by corpus size; 1 when ``n_docs`` is None)."""
    return CountVectorizer(analyzer=analyzer, min_df=1 if n_docs is None else _min_df(n_docs))


def auto_n_topics(n_units: int) -> int:
    """Topic count for NMF/LDA when none is given: round(sqrt(n / 4)) clipped to [2, 30]."""
    return int(np.clip(round(np.sqrt(n_units / 4)), 2, 30))


def class_tfidf(counts) -> np.ndarray:
    """c-TF-IDF of a (classes x terms) count matrix, BERTopic's formula (references.md).

    ``W[c, t] = tf[c, t] / sum_t tf[c, t] * log(1 + A / f[t])`` with ``f[t]`` the
    term's count over all classes and ``A = int(mean words per class)``. Terms
    that never occur get weight 0.

    Returns
    -------
    ndarray of shape (classes, terms)
    """
    tf = np.asarray(counts.todense() if sp.issparse(counts) else counts, dtype=float)
    freq = tf.sum(axis=0)
    avg = int(tf.sum(axis=1).mean())
    idf = np.where(freq > 0, np.log(1 + avg / np.maximum(freq, 1e-300)), 0.0)
    return tf / np.maximum(tf.sum(axis=1, keepdims=True), 1e-300) * idf


def ctfidf_terms(texts: list[str], labels: np.ndarray, top_n: int) -> pd.DataFrame:
    """Top c-TF-IDF terms of each topic in ``labels`` (units of topic -1 form a class of their own).

    Returns
    -------
    DataFrame
        Columns ``topic``, ``term``, ``weight`` (> 0), heaviest first within a topic, ties by term.
    """
    vec = count_vectorizer()
    X = vec.fit_transform(texts)
    vocab = vec.get_feature_names_out()
    topics = sorted(set(labels.tolist()))
    onehot = sp.csr_matrix(
        (np.ones(len(labels)), (np.searchsorted(topics, labels), np.arange(len(labels)))),
        shape=(len(topics), len(labels)),
    )
    weights = class_tfidf(onehot @ X)
    rows = []
    for i, t in enumerate(topics):
        order = [j for j in np.lexsort((vocab, -weights[i])) if weights[i, j] > 0][:top_n]
        rows += [(t, vocab[j], float(weights[i, j])) for j in order]
    return pd.DataFrame(rows, columns=["topic", "term", "weight"])


@dataclass
class RawFit:
    """A back end's fit before renumbering.

    labels : int array, topic per unit (-1: none); membership : float array in [0, 1];
    terms : DataFrame with columns topic, term, weight (all terms with weight > 0 of each topic, any order);
    vectorizer, decomposition : the fitted scikit-learn objects (NMF/LDA; None for BERTopic).
    """

    labels: np.ndarray
    membership: np.ndarray
    terms: pd.DataFrame
    notes: list[str] = field(default_factory=list)
    params: dict = field(default_factory=dict)
    vectorizer: object = None
    decomposition: object = None


def _terms_frame(components: np.ndarray, vocab: np.ndarray, top_n: int) -> pd.DataFrame:
    weights = components / np.maximum(components.sum(axis=1, keepdims=True), 1e-300)
    rows = []
    for topic, row in enumerate(weights):
        order = np.lexsort((vocab, -row))[:top_n]
        rows += [(topic, vocab[i], float(row[i])) for i in order if row[i] > 0]
    return pd.DataFrame(rows, columns=["topic", "term", "weight"])


def _fit_decomposition(vectorizer, decomposition, texts: list[str], top_n: int, params: dict) -> RawFit:
    """Fit ``vectorizer`` and ``decomposition`` on ``texts``; each unit's topic is its mixture's heaviest.

    The term matrix comes from the fitted ``vectorizer.transform`` and the mixture from
    ``decomposition.transform`` (not from ``fit_transform``, whose results differ in the last
    bits), so :class:`analysis.topics._assign.MixtureAssigner` gives new units their topics by
    exactly the computation that gave the training units theirs.
    """
    X = vectorizer.fit(texts).transform(texts)
    if X.shape[0] < decomposition.n_components:
        raise ValueError(f"there are {X.shape[0]} units, fewer than n_topics={decomposition.n_components}")
    if X.shape[1] < decomposition.n_components:
        raise ValueError(
            f"the units have {X.shape[1]} distinct terms, fewer than n_topics={decomposition.n_components}"
        )
    decomposition.fit(X)
    labels, membership = mixture_topics(topic_mixture(decomposition, X))
    terms = _terms_frame(decomposition.components_, vectorizer.get_feature_names_out(), top_n)
    return RawFit(
        labels, membership, terms, params=params, vectorizer=vectorizer, decomposition=decomposition
    )


def fit_nmf(texts: list[str], n_topics: int, *, random_state: int = 0, top_n: int = 10) -> RawFit:
    """NMF on TF-IDF (nndsvda initialisation); a unit with no vocabulary term gets topic -1."""
    return _fit_decomposition(
        TfidfVectorizer(analyzer=analyzer, min_df=_min_df(len(texts))),
        NMF(n_components=n_topics, init="nndsvda", random_state=random_state, max_iter=1000),
        texts,
        top_n,
        {"n_topics": n_topics, "vectorizer": "tf-idf"},
    )


def fit_lda(texts: list[str], n_topics: int, *, random_state: int = 0, top_n: int = 10) -> RawFit:
    """Batch variational LDA on term counts; a unit with no vocabulary term gets topic -1."""
    return _fit_decomposition(
        count_vectorizer(len(texts)),
        LatentDirichletAllocation(
            n_components=n_topics, learning_method="batch", max_iter=100, random_state=random_state
        ),
        texts,
        top_n,
        {"n_topics": n_topics, "vectorizer": "counts"},
    )


class _Precomputed:
    """BERTopic 'umap_model' that returns a reduction computed beforehand (so k can be chosen on it)."""

    def __init__(self, reduced: np.ndarray):
        self.reduced = reduced

    def fit(self, X, y=None):
        return self

    def transform(self, X):
        if len(X) != len(self.reduced):
            raise ValueError("this reduction was fitted on other units; refit the topic model")
        return self.reduced


def _reduce(embeddings: np.ndarray, random_state: int, notes: list[str]) -> tuple[np.ndarray, str]:
    n = len(embeddings)
    dims = min(5, n - 2)
    if n < UMAP_MIN_UNITS:
        notes.append(
            f"{n} units are too few for UMAP (needs {UMAP_MIN_UNITS}); reduced with PCA to {dims} dimension(s)"
        )
        return PCA(n_components=dims, random_state=random_state).fit_transform(embeddings), "pca"
    from umap import UMAP

    cache_umap_kernels()
    reducer = UMAP(
        n_neighbors=min(15, n - 1),
        n_components=dims,
        min_dist=0.0,
        metric="cosine",
        random_state=random_state,
        n_jobs=1,
    )
    with fast_cosine_distances():
        return reducer.fit_transform(embeddings), "umap"


@functools.cache
def cache_umap_kernels() -> Path | None:
    """Keep UMAP's numba-compiled kernels on disk so each new process does not compile them again.

    umap-learn jit-compiles its neighbour-graph and layout kernels without numba's ``cache=True``,
    which costs about 8 s of CPU in every fresh Python process (each notebook kernel is one). This
    turns numba's own on-disk cache on for those kernels, under
    ``$COVERAGE_COMPARE_CACHE/numba`` (so an empty cache really is cold). numba keys each entry by
    the kernel's source file and timestamp, the argument types and the CPU, and compiles again
    when any of them changes; the compiled code is the same, so results do not change.

    Returns
    -------
    Path or None
        The cache folder, or None where this numba has no such switch (then UMAP just compiles).
    """
    import sys

    import numba.core.config
    import umap.umap_  # noqa: F401  (loads the kernel modules below)
    from numba.core.registry import CPUDispatcher

    folder = cache_dir() / "numba"
    previous = numba.core.config.CACHE_DIR
    numba.core.config.CACHE_DIR = str(folder)  # read when each kernel's cache is created, just below
    try:
        for name in ("umap.umap_", "umap.layouts", "umap.utils", "umap.distances"):
            for kernel in vars(sys.modules[name]).values():
                if isinstance(kernel, CPUDispatcher) and type(kernel._cache).__name__ == "NullCache":
                    kernel.enable_caching()
    except (AttributeError, KeyError):  # a numba or umap without these internals: compile as before
        return None
    finally:
        numba.core.config.CACHE_DIR = previous
    return folder


@contextlib.contextmanager
def fast_cosine_distances() -> Iterator[None]:
    """While the block runs, UMAP's exact all-pairs cosine distances (under 4,096 units) are computed in
    one compiled loop instead of one Python call per pair.

    umap-learn hands its numba ``cosine`` to scikit-learn's ``pairwise_distances``, which calls it
    from Python for each of the n(n-1)/2 pairs: about 5 s for 1,500 units, quadratic in n, once per
    UMAP fit. :func:`_cosine_matrix` calls the same compiled ``cosine`` (no fast-math, so inlining
    cannot reorder its sums) and fills the matrix as scikit-learn does (upper triangle mirrored,
    then the diagonal, in the input's float dtype), so the distances are bit for bit the same.
    Any other call goes to scikit-learn unchanged.
    """
    import umap.umap_
    from umap import distances

    original = umap.umap_.pairwise_distances

    def pairwise_distances(X, Y=None, metric="euclidean", **kwds):
        if (
            Y is None
            and not kwds
            and metric is distances.cosine
            and isinstance(X, np.ndarray)
            and X.ndim == 2
            and X.dtype in (np.float32, np.float64)
        ):
            return _cosine_matrix()(np.ascontiguousarray(X))
        return original(X, Y, metric=metric, **kwds)

    umap.umap_.pairwise_distances = pairwise_distances
    try:
        yield
    finally:
        umap.umap_.pairwise_distances = original


@functools.cache
def _cosine_matrix():
    """The compiled loop of :func:`fast_cosine_distances` (compiled once per process, well under a second)."""
    import numba
    from umap.distances import cosine

    @numba.njit
    def cosine_matrix(X):
        n = X.shape[0]
        out = np.zeros((n, n), dtype=X.dtype)
        for i in range(n):
            for j in range(i + 1, n):
                out[i, j] = cosine(X[i], X[j])
                out[j, i] = out[i, j]
        for i in range(n):
            out[i, i] = cosine(X[i], X[i])
        return out

    return cosine_matrix


def _choose_k(reduced: np.ndarray, random_state: int, max_k: int) -> tuple[int, float]:
    """k in 2..max_k with the best silhouette of seeded k-means on the reduced embeddings."""
    n = len(reduced)
    best = (2, -2.0)
    candidates = range(2, max(2, min(max_k, n - 1)) + 1)
    for k in progress(candidates, desc="topics: choosing k by silhouette", unit="k"):
        labels = KMeans(n_clusters=k, n_init=10, random_state=random_state).fit_predict(reduced)
        if len(set(labels)) < 2:
            continue
        score = silhouette_score(reduced, labels, sample_size=min(n, 2000), random_state=random_state)
        if score > best[1] + 1e-12:
            best = (k, float(score))
    return best


def fit_bertopic(
    texts: list[str],
    embeddings: np.ndarray,
    n_topics: int | None,
    *,
    random_state: int = 0,
    top_n: int = 10,
    clustering: str = "auto",
    max_topics: int = 20,
) -> RawFit:
    """BERTopic with precomputed embeddings, configured by corpus size.

    Reduction: seeded UMAP (cosine, 5 dimensions, ``n_neighbors=min(15, n-1)``),
    PCA below :data:`UMAP_MIN_UNITS` units. Clustering ``"auto"``: HDBSCAN when
    no ``n_topics`` is given and there are at least :data:`HDBSCAN_MIN_UNITS`
    units (``min_cluster_size = max(10, sqrt(n)/2)``, outliers then reassigned to
    the nearest topic embedding), else k-means with ``n_topics`` clusters or, when
    None, the k in 2..``max_topics`` with the best silhouette. ``"agglomerative"``
    (Ward) and ``"kmeans"``/``"hdbscan"`` can be forced.
    """
    with hidden_modules(*BERTOPIC_UNUSED, unless_loaded=("bertopic",)):  # see analysis.infra.imports
        from bertopic import BERTopic
        from bertopic.vectorizers import ClassTfidfTransformer

    n = len(texts)
    notes: list[str] = []
    reduced, reducer = _reduce(embeddings, random_state, notes)
    if clustering == "auto":
        clustering = "hdbscan" if n_topics is None and n >= HDBSCAN_MIN_UNITS else "kmeans"
    params: dict = {"reduction": reducer, "clustering": clustering}
    nr_topics = None
    if clustering == "hdbscan":
        from hdbscan import HDBSCAN

        size = max(10, int(np.sqrt(n) / 2))
        cluster = HDBSCAN(
            min_cluster_size=size, metric="euclidean", cluster_selection_method="eom", prediction_data=True
        )
        nr_topics = n_topics
        params["min_cluster_size"] = size
    elif clustering in ("kmeans", "agglomerative"):
        if n_topics is None:
            max_k = int(np.clip(round(np.sqrt(n / 2)), 2, max_topics))
            n_topics, score = _choose_k(reduced, random_state, max_k=max_k)
            notes.append(
                f"{n_topics} topics chosen by silhouette ({score:.3f}) of k-means on the reduced embeddings"
            )
        if n_topics >= n:
            raise ValueError(f"n_topics={n_topics} needs more than {n} units")
        cluster = (
            KMeans(n_clusters=n_topics, n_init=10, random_state=random_state)
            if clustering == "kmeans"
            else AgglomerativeClustering(n_clusters=n_topics, linkage="ward")
        )
    else:
        raise ValueError(
            f"clustering must be 'auto', 'kmeans', 'agglomerative' or 'hdbscan', not {clustering!r}"
        )
    model = BERTopic(
        umap_model=_Precomputed(reduced),
        hdbscan_model=cluster,
        vectorizer_model=count_vectorizer(),
        ctfidf_model=ClassTfidfTransformer(),
        top_n_words=top_n,
        nr_topics=nr_topics,
        calculate_probabilities=False,
        verbose=False,
    )
    labels, _ = model.fit_transform(texts, embeddings=embeddings)
    labels = np.asarray(labels)
    n_out = int((labels == -1).sum())
    if n_out and n_out < n:
        labels = np.asarray(
            model.reduce_outliers(texts, labels.tolist(), strategy="embeddings", embeddings=embeddings)
        )
        model.update_topics(
            texts,
            topics=labels.tolist(),
            vectorizer_model=count_vectorizer(),
            ctfidf_model=ClassTfidfTransformer(),
            top_n_words=top_n,
        )
        notes.append(f"{n_out} outlier units reassigned to the topic with the most similar embedding")
    # BERTopic strips hyphens and apostrophes before its own c-TF-IDF; recompute on the shared tokenizer.
    terms = ctfidf_terms(texts, labels, top_n)
    terms = terms[terms["topic"] != -1]
    params["n_topics"] = len(set(labels.tolist()) - {-1})
    return RawFit(labels, centroid_similarity(embeddings, labels), terms, notes, params)
