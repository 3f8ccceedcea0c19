"""Topic models per outlet: assignments, terms, labels, prevalence with intervals, stability, stories.

:func:`fit_topics` fits BERTopic (default), NMF or LDA on paragraphs (or
sentences, or any table of units with ``article_id``, ``outlet`` and ``text``)
and returns a :class:`TopicResult` of tidy tables. Topics are renumbered by size
(0 = largest; ties by first unit), labelled from c-TF-IDF (references.md:
``W = L1-normalised tf(t, c) x log(1 + A / f(t))``, A the integer mean number of
words per class) and compared across outlets with bootstrap intervals
(:func:`prevalence`, :func:`distinctive`). :func:`topic_stability` refits with
several seeds and reports adjusted Rand indices. :func:`cluster_stories` (in
``analysis.topics._stories``) groups articles about the same event.

Importing this module is cheap: torch, sentence-transformers, BERTopic and UMAP
load only when a BERTopic fit or an embedding actually runs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import combinations

import numpy as np
import pandas as pd

from analysis.schemas import validate
from analysis.schemas.topics import DocTopics, StabilityPairs, StabilityTopics, TopicLabels, TopicTerms
from analysis.topics import _backends as topic_models
from analysis.topics._backends import class_tfidf
from analysis.topics._prevalence import distinctive, prevalence
from analysis.topics._stories import cluster_stories

__all__ = ["METHODS", "TopicResult", "StabilityResult", "fit_topics", "class_tfidf", "prevalence", "distinctive",
           "topic_stability", "unit_map", "cluster_stories", "unit_id_column"]

METHODS = ("bertopic", "nmf", "lda")
NO_TOPIC_LABEL = "(no topic)"


@dataclass(frozen=True)
class TopicResult:
    """Tables of one topic fit (see ``analysis.schemas.topics`` for every column).

    Attributes
    ----------
    doc_topics, topic_terms, topic_labels, prevalence, distinctive : DataFrame
    notes : tuple of str
        What the fit decided on its own (reduction fallback, chosen k, reassigned outliers).
    params : dict
        Method, topic count, clustering, seed and embedding model actually used.
    """

    doc_topics: pd.DataFrame
    topic_terms: pd.DataFrame
    topic_labels: pd.DataFrame
    prevalence: pd.DataFrame
    distinctive: pd.DataFrame
    notes: tuple[str, ...] = ()
    params: dict = field(default_factory=dict)


def unit_id_column(units: pd.DataFrame) -> str:
    """The finest identifier present: ``sentence_id``, ``paragraph_id``, ``unit_id`` or ``article_id``."""
    for name in ("sentence_id", "paragraph_id", "unit_id", "article_id"):
        if name in units.columns:
            return name
    raise ValueError("units need an id column: sentence_id, paragraph_id, unit_id or article_id")


def _check_units(units, unit: str = "paragraphs", min_units: int = 3) -> tuple[pd.DataFrame, str]:
    if hasattr(units, "units") and not isinstance(units, pd.DataFrame):  # a Corpus
        units = units.units(unit)
    if not isinstance(units, pd.DataFrame):
        raise TypeError(f"units must be a DataFrame (e.g. corpus.paragraphs), not {type(units).__name__}")
    id_col = unit_id_column(units)
    missing = {"article_id", "outlet", "text"} - set(units.columns)
    if missing:
        raise ValueError(f"units lack column(s) {sorted(missing)}")
    cols = list(dict.fromkeys([id_col, "article_id", "outlet", "text"]))
    if units[cols].isna().any().any():
        bad = units[cols].columns[units[cols].isna().any()].tolist()
        raise ValueError(f"units have missing values in {bad}")
    if units[id_col].duplicated().any():
        raise ValueError(f"{id_col} is not unique, e.g. {units.loc[units[id_col].duplicated(), id_col].iloc[0]!r}")
    if len(units) < min_units:
        raise ValueError(f"a topic model needs at least {min_units} units, got {len(units)}")
    return units.reset_index(drop=True), id_col


def _renumber(labels: np.ndarray) -> dict[int, int]:
    """Old topic -> new: by size descending, ties by first appearance; -1 stays -1."""
    topics = [t for t in dict.fromkeys(labels.tolist()) if t != -1]
    sizes = {t: int((labels == t).sum()) for t in topics}
    order = sorted(topics, key=lambda t: (-sizes[t], topics.index(t)))
    return {**{t: i for i, t in enumerate(order)}, -1: -1}


def _labels_table(texts: list[str], labels: np.ndarray, membership: np.ndarray, ids: np.ndarray,
                  n_label_terms: int) -> pd.DataFrame:
    terms = topic_models.ctfidf_terms(texts, labels, n_label_terms).groupby("topic")["term"].agg(" · ".join)
    rows = []
    for t in sorted(set(labels.tolist())):
        idx = np.flatnonzero(labels == t)
        rep = idx[np.lexsort((idx, -membership[idx]))][:3]
        label = NO_TOPIC_LABEL if t == -1 else terms.get(t, f"topic {t}")
        rows.append((t, label, len(idx), " ".join(ids[rep])))
    return pd.DataFrame(rows, columns=["topic", "label", "n", "representative_ids"])


def fit_topics(
    units: pd.DataFrame,
    *,
    unit: str = "paragraphs",
    method: str = "bertopic",
    n_topics: int | None = None,
    random_state: int = 0,
    embeddings: np.ndarray | None = None,
    embedding_model: str | None = None,
    clustering: str = "auto",
    top_n_terms: int = 10,
    n_label_terms: int = 3,
    resample: str = "auto",
    n_boot: int = 2000,
    ci: float = 0.95,
    min_units: int = 3,
) -> TopicResult:
    """Fit a topic model on ``units`` and tabulate topics per outlet.

    Parameters
    ----------
    units : DataFrame or Corpus
        ``corpus.paragraphs`` (default grain), ``corpus.sentences`` or any table
        with an id column (see :func:`unit_id_column`), ``article_id``, ``outlet``, ``text``.
    unit : {"paragraphs", "sentences", "articles"}
        Which table to model when ``units`` is a :class:`~analysis.corpus._load.Corpus`.
    method : {"bertopic", "nmf", "lda"}
    n_topics : int, optional
        Fixed topic count. None: BERTopic picks k by silhouette (or HDBSCAN for
        1,000+ units); NMF/LDA use :func:`analysis.topics._backends.auto_n_topics`.
    random_state : int
        Seeds UMAP, k-means, NMF, LDA and the bootstrap.
    embeddings : ndarray, optional
        Precomputed unit embeddings (BERTopic); default :func:`analysis.nlp._embed.embed_texts`.
    embedding_model : str, optional
        Model for ``analysis.nlp._embed`` (default all-MiniLM-L6-v2, verified).
    clustering : {"auto", "kmeans", "agglomerative", "hdbscan"}
        BERTopic clustering (see :func:`analysis.topics._backends.fit_bertopic`).
    top_n_terms, n_label_terms : int
        Terms kept per topic in ``topic_terms`` and in each label.
    resample, n_boot, ci, min_units
        Passed to :func:`prevalence` and :func:`distinctive`.

    Returns
    -------
    TopicResult
        ``doc_topics`` (unit_id, article_id, outlet, topic, probability),
        ``topic_terms`` (topic, term, weight, rank), ``topic_labels`` (topic,
        label, n, representative_ids), ``prevalence`` (outlet, topic, n, n_units,
        share, ci_low, ci_high, resampled), ``distinctive`` (outlet, topic, share,
        share_rest, diff, ci_low, ci_high, n, n_rest, distinctive).
    """
    units, id_col = _check_units(units, unit)
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, not {method!r}")
    if n_topics is not None and not (isinstance(n_topics, int | np.integer) and n_topics >= 2):
        raise ValueError(f"n_topics must be an integer of at least 2 or None, not {n_topics!r}")
    texts = units["text"].tolist()
    params: dict = {"method": method, "random_state": random_state, "unit": id_col, "n_units": len(units)}
    if method == "bertopic":
        if embeddings is None:
            from analysis.nlp._embed import embed_texts, model_info

            embeddings = embed_texts(texts, model=embedding_model)
            params["embedding_model"] = model_info(embedding_model).name
        if len(embeddings) != len(units):
            raise ValueError(f"embeddings have {len(embeddings)} rows for {len(units)} units")
        raw = topic_models.fit_bertopic(texts, np.asarray(embeddings, dtype=np.float64), n_topics,
                                        random_state=random_state, top_n=top_n_terms, clustering=clustering)
    else:
        k = n_topics or topic_models.auto_n_topics(len(units))
        fit = topic_models.fit_nmf if method == "nmf" else topic_models.fit_lda
        raw = fit(texts, k, random_state=random_state, top_n=top_n_terms)
        if n_topics is None:
            raw.notes.append(f"{k} topics from the corpus-size rule round(sqrt(n/4)) clipped to [2, 30]")
    params.update(raw.params)
    mapping = _renumber(raw.labels)
    labels = np.array([mapping[t] for t in raw.labels.tolist()], dtype=np.int64)
    empty = sorted(set(raw.terms["topic"]) - set(mapping))
    if empty:
        raw.notes.append(f"{len(empty)} fitted topic(s) received no unit and are left out")
    doc_topics = pd.DataFrame({"unit_id": units[id_col].astype(str).to_numpy(), "article_id": units["article_id"],
                               "outlet": units["outlet"], "topic": labels,
                               "probability": raw.membership.astype(float)})
    terms = raw.terms[raw.terms["topic"].isin(mapping)].copy()
    terms["topic"] = terms["topic"].map(mapping).astype(np.int64)
    terms = terms.sort_values(["topic", "weight", "term"], ascending=[True, False, True], kind="mergesort")
    terms = terms.groupby("topic", sort=False).head(top_n_terms).reset_index(drop=True)
    terms["rank"] = terms.groupby("topic").cumcount().astype(np.int64) + 1
    labels_tab = _labels_table(texts, labels, raw.membership, doc_topics["unit_id"].to_numpy(), n_label_terms)
    opts = dict(resample=resample, n_boot=n_boot, ci=ci, random_state=random_state)
    return TopicResult(
        doc_topics=validate(doc_topics, DocTopics, table="doc_topics"),
        topic_terms=validate(terms[["topic", "term", "weight", "rank"]], TopicTerms, table="topic_terms"),
        topic_labels=validate(labels_tab, TopicLabels, table="topic_labels"),
        prevalence=prevalence(doc_topics, **opts),
        distinctive=distinctive(doc_topics, min_units=min_units, **opts),
        notes=tuple(raw.notes),
        params=params,
    )


# --------------------------------------------------------------------------
# Stability across seeds
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class StabilityResult:
    """``pairs`` (schema ``StabilityPairs``) and ``topics`` (schema ``StabilityTopics``, reference = first seed)."""

    pairs: pd.DataFrame
    topics: pd.DataFrame


def topic_stability(units: pd.DataFrame, seeds=(0, 1, 2, 3, 4), *, unit: str = "paragraphs",
                    method: str = "bertopic", n_topics: int | None = None, embeddings: np.ndarray | None = None,
                    embedding_model: str | None = None, fitted: TopicResult | None = None,
                    **fit_kwargs) -> StabilityResult:
    """Refit with each seed and measure how far topic assignments agree.

    ``units`` and ``unit`` as in :func:`fit_topics`. Embeddings are computed once and shared.
    ``fitted``, a fit already made on the same units and settings (the notebook's main fit), is
    used for its seed instead of fitting again when that seed is one of ``seeds``. ``pairs`` gives the adjusted Rand
    index of every pair of seeds (1: identical partitions, about 0: chance).
    ``topics`` says, for each topic of the first seed, how well it is found again:
    the best Jaccard overlap of its units with any topic of each other seed, mean
    and minimum. A topic with ``jaccard_min`` near 1 is robust; one below about 0.5
    is an artefact of the seed.

    Returns
    -------
    StabilityResult
        ``pairs``: seed_a, seed_b, ari, n_topics_a, n_topics_b;
        ``topics``: topic, label, n, jaccard_mean, jaccard_min.
    """
    from sklearn.metrics import adjusted_rand_score

    seeds = [int(s) for s in seeds]
    if len(seeds) < 2 or len(set(seeds)) != len(seeds):
        raise ValueError(f"topic_stability needs at least two distinct seeds, got {seeds}")
    units, id_col = _check_units(units, unit)
    if method == "bertopic" and embeddings is None:
        from analysis.nlp._embed import embed_texts

        embeddings = embed_texts(units["text"].tolist(), model=embedding_model)
    fit_kwargs.setdefault("n_boot", 100)
    reused = _reusable_fit(fitted, units, id_col, seeds, method, n_topics)
    fits = [reused if reused is not None and s == fitted.params["random_state"] else
            fit_topics(units, method=method, n_topics=n_topics, random_state=s, embeddings=embeddings, **fit_kwargs)
            for s in seeds]
    labels = [f.doc_topics["topic"].to_numpy() for f in fits]
    pairs = pd.DataFrame(
        [(seeds[a], seeds[b], float(adjusted_rand_score(labels[a], labels[b])),
          len(set(labels[a]) - {-1}), len(set(labels[b]) - {-1})) for a, b in combinations(range(len(seeds)), 2)],
        columns=["seed_a", "seed_b", "ari", "n_topics_a", "n_topics_b"])
    rows = []
    for row in fits[0].topic_labels.itertuples(index=False):
        members = labels[0] == row.topic
        best = [max((members & (other == t)).sum() / (members | (other == t)).sum() for t in set(other.tolist()))
                for other in labels[1:]]
        rows.append((row.topic, row.label, row.n, float(np.mean(best)), float(np.min(best))))
    topics = pd.DataFrame(rows, columns=["topic", "label", "n", "jaccard_mean", "jaccard_min"])
    return StabilityResult(validate(pairs, StabilityPairs, table="stability_pairs"),
                           validate(topics, StabilityTopics, table="stability_topics"))


def _reusable_fit(fitted, units, id_col, seeds, method, n_topics):
    """``fitted`` when its seed is one of ``seeds``; a clear error when it does not match ``units`` or the settings."""
    if fitted is None or fitted.params.get("random_state") not in seeds:
        return None
    problems = []
    if fitted.params.get("method") != method:
        problems.append(f"it was fitted with method {fitted.params.get('method')!r}, not {method!r}")
    if n_topics is not None and fitted.params.get("n_topics") != n_topics:
        problems.append(f"it has {fitted.params.get('n_topics')} topics, not {n_topics}")
    if not np.array_equal(fitted.doc_topics["unit_id"].to_numpy(), units[id_col].astype(str).to_numpy()):
        problems.append("it was fitted on other units")
    if problems:
        raise ValueError("topic_stability cannot reuse the given fit: " + "; ".join(problems))
    return fitted


def unit_map(units: pd.DataFrame, *, unit: str = "paragraphs", embeddings: np.ndarray | None = None, embedding_model: str | None = None,
             random_state: int = 0) -> pd.DataFrame:
    """2-D coordinates of the units' embeddings for plotting (seeded UMAP; PCA below 30 units).

    Returns
    -------
    DataFrame
        Columns ``unit_id``, ``x``, ``y``.
    """
    units, id_col = _check_units(units, unit)
    if embeddings is None:
        from analysis.nlp._embed import embed_texts

        embeddings = embed_texts(units["text"].tolist(), model=embedding_model)
    n = len(units)
    if n < topic_models.UMAP_MIN_UNITS:
        from sklearn.decomposition import PCA

        xy = PCA(n_components=2, random_state=random_state).fit_transform(embeddings)
    else:
        from umap import UMAP

        topic_models.cache_umap_kernels()
        xy = UMAP(n_neighbors=min(15, n - 1), n_components=2, min_dist=0.1, metric="cosine",
                  random_state=random_state, n_jobs=1).fit_transform(embeddings)
    return pd.DataFrame({"unit_id": units[id_col].astype(str).to_numpy(), "x": xy[:, 0].astype(float),
                         "y": xy[:, 1].astype(float)})
