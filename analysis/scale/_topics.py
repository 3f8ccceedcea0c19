"""Topic models at scale: fit on a stratified sample per outlet, then assign every unit in batches.

1. :func:`stratified_sample` streams the corpus once and keeps a seeded uniform sample of at most
   ``per_outlet`` units of each outlet (reservoir sampling), so every outlet is represented however
   unequal their sizes.
2. :func:`analysis.topics._model.fit_topics` fits the model on the sample (any method).
3. Each topic's centroid is the mean of its sample units' normalised embeddings;
   :class:`CentroidAssigner` embeds every unit of a batch (on the Dask workers when
   ``engine="dask"``; on a GPU where torch sees one) and assigns it to the nearest centroid by
   cosine similarity, which is also the ``probability`` BERTopic fits report.
4. Prevalence and distinctive topics are computed on all assignments, with the usual intervals.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.corpus._load import Corpus, iter_corpus

__all__ = ["stratified_sample", "CentroidAssigner", "topics_at_scale", "ScaledTopics"]

_ID_COLUMN = {"paragraphs": "paragraph_id", "sentences": "sentence_id", "articles": "article_id"}


def stratified_sample(path: str | Path, *, per_outlet: int = 2_000, unit: str = "paragraphs", seed: int = 0,
                      batch_size: int = 10_000) -> pd.DataFrame:
    """A seeded uniform sample of at most ``per_outlet`` units per outlet, read in one streaming pass.

    Returns
    -------
    DataFrame
        Rows of the ``unit`` table (same columns), ordered by outlet of first appearance and unit id.
    """
    rng = np.random.default_rng(seed)
    reservoirs: dict[str, list] = {}
    seen: dict[str, int] = {}
    columns = None
    for batch in iter_corpus(path, batch_size=batch_size):
        table = batch.units(unit)
        columns = table.columns
        for outlet, rows in table.groupby("outlet", sort=False):
            box, count = reservoirs.setdefault(outlet, []), seen.get(outlet, 0)
            for row in rows.itertuples(index=False, name=None):
                count += 1
                if len(box) < per_outlet:
                    box.append(row)
                else:
                    j = int(rng.integers(count))
                    if j < per_outlet:
                        box[j] = row
            seen[outlet] = count
    id_col = _ID_COLUMN[unit]
    frames = [pd.DataFrame(box, columns=columns).sort_values(id_col, kind="mergesort") for box in reservoirs.values()]
    return pd.concat(frames, ignore_index=True)


@dataclass(frozen=True)
class CentroidAssigner:
    """Assign the units of a Corpus batch to the nearest topic centroid (a picklable per-batch function)."""

    centroids: np.ndarray  # (n_topics, dim), rows L2-normalised
    topics: tuple[int, ...]
    unit: str = "paragraphs"
    model: str | None = None
    needs_sentences: bool = False

    def __call__(self, corpus: Corpus) -> pd.DataFrame:
        from analysis.nlp._embed import embed_texts

        units = corpus.units(self.unit)
        id_col = _ID_COLUMN[self.unit]
        vectors = embed_texts(units["text"].tolist(), model=self.model, device=_device())
        sims = vectors @ self.centroids.T
        best = sims.argmax(axis=1)
        return pd.DataFrame({"unit_id": units[id_col].to_numpy(), "article_id": units["article_id"].to_numpy(),
                             "outlet": units["outlet"].to_numpy(), "topic": np.asarray(self.topics)[best],
                             "probability": sims[np.arange(len(best)), best].round(6)})


def _device() -> str | None:
    try:
        import torch

        return "cuda" if torch.cuda.is_available() else None
    except ImportError:  # pragma: no cover - torch ships with the topics extra
        return None


@dataclass
class ScaledTopics:
    """The sample fit, every unit's assignment and the per-outlet tables computed on all of them."""

    sample_fit: object  # analysis.topics._model.TopicResult
    doc_topics: pd.DataFrame
    prevalence: pd.DataFrame
    distinctive: pd.DataFrame
    n_sample: int


def topics_at_scale(
    path: str | Path, *, per_outlet: int = 2_000, unit: str = "paragraphs", method: str = "bertopic",
    n_topics: int | None = None, random_state: int = 0, embedding_model: str | None = None,
    batch_size: int = 10_000, engine: str = "local", scheduler: str | None = None, n_workers: int = 2,
    n_boot: int = 2_000,
) -> ScaledTopics:
    """Fit topics on a stratified sample, then assign every unit of ``path`` in batches.

    Returns
    -------
    ScaledTopics
        ``doc_topics`` has columns ``unit_id``, ``article_id``, ``outlet``, ``topic``, ``probability``
        (cosine similarity to the topic centroid); ``prevalence`` and ``distinctive`` as in
        :func:`analysis.topics._model.fit_topics`, over all units.
    """
    from analysis.nlp._embed import embed_texts
    from analysis.scale._engine import map_corpus
    from analysis.topics import _model as topics

    sample = stratified_sample(path, per_outlet=per_outlet, unit=unit, seed=random_state, batch_size=batch_size)
    vectors = embed_texts(sample["text"].tolist(), model=embedding_model)
    fit = topics.fit_topics(sample, unit=unit, method=method, n_topics=n_topics, random_state=random_state,
                            embeddings=vectors, embedding_model=embedding_model, n_boot=n_boot)
    labels = fit.doc_topics["topic"].to_numpy()
    kept = sorted(t for t in set(labels.tolist()) if t >= 0)
    centroids = np.vstack([vectors[labels == t].mean(axis=0) for t in kept])
    centroids /= np.linalg.norm(centroids, axis=1, keepdims=True)
    assigner = CentroidAssigner(centroids, tuple(kept), unit=unit, model=embedding_model,
                                needs_sentences=unit == "sentences")
    doc_topics = map_corpus(path, assigner, batch_size=batch_size, engine=engine, scheduler=scheduler,
                            n_workers=n_workers)
    return ScaledTopics(fit, doc_topics, topics.prevalence(doc_topics, n_boot=n_boot, random_state=random_state),
                        topics.distinctive(doc_topics, n_boot=n_boot, random_state=random_state), len(sample))
