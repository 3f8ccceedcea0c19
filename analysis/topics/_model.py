"""The topic model as a scikit-learn style estimator: :class:`TopicModel` with ``fit`` and ``transform``.

``TopicModel(method=..., n_topics=None, random_state=0).fit(units)`` fits BERTopic (default),
NMF or LDA on paragraphs (or sentences, or any table of units with ``article_id``, ``outlet``
and ``text``) and keeps tidy tables as fitted attributes: ``doc_topics_``, ``topic_terms_``,
``topic_labels_``. Topics are renumbered by size (0 = largest; ties by first unit) and labelled
from c-TF-IDF (references.md: ``W = L1-normalised tf(t, c) x log(1 + A / f(t))``, A the integer
mean number of words per class). ``transform(units)`` assigns topics to any units with the fitted
model (``analysis.topics._assign``). What is computed from a fit lives in functions that take its
tables or the model: :func:`analysis.topics.prevalence`, :func:`analysis.topics.distinctive`,
:func:`analysis.topics.stability`; :func:`unit_map` places units on a 2-D map.

Importing this module is cheap: torch, sentence-transformers, BERTopic and UMAP
load only when a BERTopic fit or an embedding actually runs.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator
from sklearn.utils.validation import check_is_fitted

from analysis.nlp import embed_texts, model_info
from analysis.schemas import validate
from analysis.schemas.topics import DocTopics, TopicLabels, TopicTerms
from analysis.topics import _backends as topic_models
from analysis.topics._assign import CentroidAssigner, MixtureAssigner, topic_centroids
from analysis.topics._units import check_units

__all__ = ["METHODS", "NO_TOPIC_LABEL", "CLUSTERINGS", "TopicModel", "unit_map"]

METHODS = ("bertopic", "nmf", "lda")
CLUSTERINGS = ("auto", "kmeans", "agglomerative", "hdbscan")
NO_TOPIC_LABEL = "(no topic)"


class TopicModel(BaseEstimator):
    """A topic model of text units: BERTopic (offline, verified embeddings), NMF or LDA.

    Parameters
    ----------
    method : {"bertopic", "nmf", "lda"}
    n_topics : int, optional
        Fixed topic count (at least 2). None: BERTopic picks k by silhouette (or HDBSCAN for
        1,000+ units); NMF/LDA use :func:`analysis.topics._backends.auto_n_topics`.
    random_state : int
        Seeds UMAP, k-means, NMF and LDA.
    embedding_model : str, optional
        Model for :func:`analysis.nlp.embed_texts` (default all-MiniLM-L6-v2, verified) when
        BERTopic's ``fit`` or ``transform`` is given no embeddings.
    clustering : {"auto", "kmeans", "agglomerative", "hdbscan"}
        BERTopic clustering (see :func:`analysis.topics._backends.fit_bertopic`).
    top_n_terms, n_label_terms : int
        Terms kept per topic in ``topic_terms_`` and in each label.

    Attributes
    ----------
    doc_topics_ : DataFrame
        One row per training unit: ``unit_id``, ``article_id``, ``outlet``, ``topic``, ``probability``.
    topic_terms_ : DataFrame
        ``topic``, ``term``, ``weight``, ``rank``.
    topic_labels_ : DataFrame
        ``topic``, ``label``, ``n``, ``representative_ids``.
    n_topics_ : int
        Topics fitted (NMF/LDA: components, including any that no unit chose; BERTopic: topics found).
    notes_ : tuple of str
        What the fit decided on its own (reduction fallback, chosen k, reassigned outliers).
    settings_ : dict
        What the fit used: method, random_state, unit id column, n_units, and per method the
        vectorizer or the reduction, clustering and embedding model.
    assigner_ : MixtureAssigner or CentroidAssigner
        What :meth:`transform` assigns new units with (``analysis.topics._assign``).

    All tables follow the schemas in ``analysis.schemas.topics``.
    """

    def __init__(
        self,
        *,
        method: str = "bertopic",
        n_topics: int | None = None,
        random_state: int = 0,
        embedding_model: str | None = None,
        clustering: str = "auto",
        top_n_terms: int = 10,
        n_label_terms: int = 3,
    ):
        self.method = method
        self.n_topics = n_topics
        self.random_state = random_state
        self.embedding_model = embedding_model
        self.clustering = clustering
        self.top_n_terms = top_n_terms
        self.n_label_terms = n_label_terms

    def fit(self, units, *, unit: str = "paragraphs", embeddings: np.ndarray | None = None) -> TopicModel:
        """Fit the model on ``units``.

        Parameters
        ----------
        units : DataFrame or Corpus
            ``corpus.paragraphs`` (default grain), ``corpus.sentences`` or any table with an id
            column (``sentence_id``, ``paragraph_id``, ``unit_id`` or ``article_id``),
            ``article_id``, ``outlet``, ``text``; at least 3 rows.
        unit : {"paragraphs", "sentences", "articles"}
            Which table to model when ``units`` is a :class:`~analysis.corpus._load.Corpus`.
        embeddings : ndarray, optional
            Precomputed unit embeddings (BERTopic); default :func:`analysis.nlp.embed_texts`.

        Returns
        -------
        TopicModel
            ``self``, fitted.
        """
        self._check_settings()
        units, id_col = check_units(units, unit)
        texts = units["text"].tolist()
        settings: dict = {
            "method": self.method,
            "random_state": self.random_state,
            "unit": id_col,
            "n_units": len(units),
        }
        if self.method == "bertopic":
            if embeddings is None:
                settings["embedding_model"] = model_info(self.embedding_model).name
            embeddings = self._embeddings(texts, embeddings)
            raw = topic_models.fit_bertopic(
                texts,
                embeddings,
                self.n_topics,
                random_state=self.random_state,
                top_n=self.top_n_terms,
                clustering=self.clustering,
            )
        else:
            k = self.n_topics or topic_models.auto_n_topics(len(units))
            fit = topic_models.fit_nmf if self.method == "nmf" else topic_models.fit_lda
            raw = fit(texts, k, random_state=self.random_state, top_n=self.top_n_terms)
            if self.n_topics is None:
                raw.notes.append(f"{k} topics from the corpus-size rule round(sqrt(n/4)) clipped to [2, 30]")
        settings.update(raw.params)
        mapping = _renumber(raw.labels)
        labels = np.array([mapping[t] for t in raw.labels.tolist()], dtype=np.int64)
        empty = sorted(set(raw.terms["topic"]) - set(mapping))
        if empty:
            raw.notes.append(f"{len(empty)} fitted topic(s) received no unit and are left out")
        doc_topics = _doc_topics_table(units, id_col, labels, raw.membership)
        self.doc_topics_ = validate(doc_topics, DocTopics, table="doc_topics")
        self.topic_terms_ = validate(
            _renumber_terms(raw.terms, mapping, self.top_n_terms), TopicTerms, table="topic_terms"
        )
        self.topic_labels_ = validate(
            _labels_table(
                texts, labels, raw.membership, doc_topics["unit_id"].to_numpy(), self.n_label_terms
            ),
            TopicLabels,
            table="topic_labels",
        )
        self.n_topics_ = int(settings["n_topics"])
        self.notes_ = tuple(raw.notes)
        self.settings_ = settings
        if self.method == "bertopic":
            self.assigner_ = CentroidAssigner(topic_centroids(embeddings, labels)[1])
        else:
            by_new = sorted((new, old) for old, new in mapping.items() if old != -1)
            self.assigner_ = MixtureAssigner(
                raw.vectorizer, raw.decomposition, tuple(old for _new, old in by_new)
            )
        return self

    def transform(
        self, units, *, unit: str = "paragraphs", embeddings: np.ndarray | None = None
    ) -> pd.DataFrame:
        """Assign each of ``units`` (any units, not only the training ones) to a fitted topic.

        NMF/LDA: the fitted vectorizer and decomposition give the unit's topic mixture, and the
        unit gets its heaviest topic (topic -1 when it has no vocabulary term); on the training
        units this is exactly ``doc_topics_``. BERTopic: the unit's embedding goes to the most
        similar topic centroid (mean normalised embedding of the topic's training units); on the
        training units this agrees with ``doc_topics_`` wherever the fit's clustering (on reduced
        embeddings) put a unit in the topic whose centroid it is nearest, and there the
        probability is identical too. Deterministic: no random step.

        Parameters
        ----------
        units : DataFrame or Corpus
            As in :meth:`fit` (any number of rows).
        unit : {"paragraphs", "sentences", "articles"}
        embeddings : ndarray, optional
            BERTopic: the units' embeddings, made with the fit's model; default
            :func:`analysis.nlp.embed_texts` with ``embedding_model``.

        Returns
        -------
        DataFrame
            Columns ``unit_id``, ``article_id``, ``outlet``, ``topic``, ``probability`` (schema ``DocTopics``).
        """
        check_is_fitted(self, "assigner_")
        units, id_col = check_units(units, unit, min_units=0)
        texts = units["text"].tolist()
        if not texts:
            topics, probability = np.zeros(0, dtype=np.int64), np.zeros(0)
        elif isinstance(self.assigner_, CentroidAssigner):
            topics, probability = self.assigner_.assign(texts, self._embeddings(texts, embeddings))
        else:
            topics, probability = self.assigner_.assign(texts)
        return validate(_doc_topics_table(units, id_col, topics, probability), DocTopics, table="doc_topics")

    def _embeddings(self, texts: list[str], embeddings: np.ndarray | None) -> np.ndarray:
        if embeddings is None:
            embeddings = embed_texts(texts, model=self.embedding_model)
        if len(embeddings) != len(texts):
            raise ValueError(f"embeddings have {len(embeddings)} rows for {len(texts)} units")
        return np.asarray(embeddings, dtype=np.float64)

    def _check_settings(self) -> None:
        if self.method not in METHODS:
            raise ValueError(f"method must be one of {METHODS}, not {self.method!r}")
        if self.n_topics is not None and not (
            isinstance(self.n_topics, int | np.integer) and self.n_topics >= 2
        ):
            raise ValueError(f"n_topics must be an integer of at least 2 or None, not {self.n_topics!r}")
        if not isinstance(self.random_state, int | np.integer):
            raise ValueError(f"random_state must be an integer (fits are seeded), not {self.random_state!r}")
        if self.clustering not in CLUSTERINGS:
            raise ValueError(f"clustering must be one of {CLUSTERINGS}, not {self.clustering!r}")
        for name in ("top_n_terms", "n_label_terms"):
            value = getattr(self, name)
            if not (isinstance(value, int | np.integer) and value >= 1):
                raise ValueError(f"{name} must be a positive integer, not {value!r}")


def _doc_topics_table(
    units: pd.DataFrame, id_col: str, topics: np.ndarray, probability: np.ndarray
) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "unit_id": units[id_col].astype(str).to_numpy(),
            "article_id": units["article_id"],
            "outlet": units["outlet"],
            "topic": np.asarray(topics, dtype=np.int64),
            "probability": probability.astype(float),
        }
    )


def _renumber(labels: np.ndarray) -> dict[int, int]:
    """Old topic -> new: by size descending, ties by first appearance; -1 stays -1."""
    topics = [t for t in dict.fromkeys(labels.tolist()) if t != -1]
    sizes = {t: int((labels == t).sum()) for t in topics}
    order = sorted(topics, key=lambda t: (-sizes[t], topics.index(t)))
    return {**{t: i for i, t in enumerate(order)}, -1: -1}


def _renumber_terms(terms: pd.DataFrame, mapping: dict[int, int], top_n: int) -> pd.DataFrame:
    """The back end's terms of the topics that received units, renumbered, heaviest first, ranked."""
    terms = terms[terms["topic"].isin(mapping)].copy()
    terms["topic"] = terms["topic"].map(mapping).astype(np.int64)
    terms = terms.sort_values(["topic", "weight", "term"], ascending=[True, False, True], kind="mergesort")
    terms = terms.groupby("topic", sort=False).head(top_n).reset_index(drop=True)
    terms["rank"] = terms.groupby("topic").cumcount().astype(np.int64) + 1
    return terms[["topic", "term", "weight", "rank"]]


def _labels_table(
    texts: list[str], labels: np.ndarray, membership: np.ndarray, ids: np.ndarray, n_label_terms: int
) -> pd.DataFrame:
    terms = topic_models.ctfidf_terms(texts, labels, n_label_terms).groupby("topic")["term"].agg(" · ".join)
    rows = []
    for t in sorted(set(labels.tolist())):
        idx = np.flatnonzero(labels == t)
        rep = idx[np.lexsort((idx, -membership[idx]))][:3]
        label = NO_TOPIC_LABEL if t == -1 else terms.get(t, f"topic {t}")
        rows.append((t, label, len(idx), " ".join(ids[rep])))
    return pd.DataFrame(rows, columns=["topic", "label", "n", "representative_ids"])


def unit_map(
    units: pd.DataFrame,
    *,
    unit: str = "paragraphs",
    embeddings: np.ndarray | None = None,
    embedding_model: str | None = None,
    random_state: int = 0,
) -> pd.DataFrame:
    """2-D coordinates of the units' embeddings for plotting (seeded UMAP; PCA below 30 units).

    Returns
    -------
    DataFrame
        Columns ``unit_id``, ``x``, ``y``.
    """
    units, id_col = check_units(units, unit)
    if embeddings is None:
        embeddings = embed_texts(units["text"].tolist(), model=embedding_model)
    n = len(units)
    if n < topic_models.UMAP_MIN_UNITS:
        from sklearn.decomposition import PCA

        xy = PCA(n_components=2, random_state=random_state).fit_transform(embeddings)
    else:
        from umap import UMAP

        topic_models.cache_umap_kernels()
        with topic_models.fast_cosine_distances():
            xy = UMAP(
                n_neighbors=min(15, n - 1),
                n_components=2,
                min_dist=0.1,
                metric="cosine",
                random_state=random_state,
                n_jobs=1,
            ).fit_transform(embeddings)
    return pd.DataFrame(
        {
            "unit_id": units[id_col].astype(str).to_numpy(),
            "x": xy[:, 0].astype(float),
            "y": xy[:, 1].astype(float),
        }
    )
