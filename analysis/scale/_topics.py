"""Topic models at scale: fit on a stratified sample per outlet, then assign every unit in batches.

1. :func:`stratified_sample` streams the corpus once and keeps a seeded uniform sample of at most
   ``per_outlet`` units of each outlet (reservoir sampling), so every outlet is represented however
   unequal their sizes.
2. :class:`analysis.topics.TopicModel` is fitted on the sample (any method).
3. :class:`BatchTopics` gives every unit of a batch its topic with the fitted model's
   ``transform`` (on the Dask workers when ``engine="dask"``): NMF/LDA by the fitted vectorizer and
   decomposition; BERTopic by the nearest topic centroid of the unit's embedding (computed on a GPU
   where torch sees one).
4. Prevalence and distinctive topics are computed on all assignments, with the usual intervals.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.corpus import Corpus, iter_corpus
from analysis.nlp import embed_texts
from analysis.scale._engine import map_corpus
from analysis.topics import TopicModel, distinctive, prevalence

__all__ = ["stratified_sample", "BatchTopics", "topics_at_scale", "ScaledTopics"]

_ID_COLUMN = {"paragraphs": "paragraph_id", "sentences": "sentence_id", "articles": "article_id"}


def stratified_sample(
    path: str | Path,
    *,
    per_outlet: int = 2_000,
    unit: str = "paragraphs",
    random_state: int = 0,
    batch_size: int = 10_000,
) -> pd.DataFrame:
    """A seeded uniform sample of at most ``per_outlet`` units per outlet, read in one streaming pass.

    Returns
    -------
    DataFrame
        Rows of the ``unit`` table (same columns), ordered by outlet of first appearance and unit id.
    """
    rng = np.random.default_rng(random_state)
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
    frames = [
        pd.DataFrame(box, columns=columns).sort_values(id_col, kind="mergesort")
        for box in reservoirs.values()
    ]
    return pd.concat(frames, ignore_index=True)


@dataclass(frozen=True)
class BatchTopics:
    """Topics of the units of a Corpus batch from a fitted :class:`~analysis.topics.TopicModel` (picklable)."""

    model: TopicModel
    unit: str = "paragraphs"

    @property
    def needs_sentences(self) -> bool:
        return self.unit == "sentences"

    def __call__(self, corpus: Corpus) -> pd.DataFrame:
        units = corpus.units(self.unit)
        embeddings = None
        if self.model.method == "bertopic" and len(units):
            embeddings = embed_texts(
                units["text"].tolist(), model=self.model.embedding_model, device=_device()
            )
        table = self.model.transform(units, embeddings=embeddings)
        # rounded so that embeddings computed on another device give the same table
        return table.assign(probability=table["probability"].round(6))


def _device() -> str | None:
    try:
        import torch

        return "cuda" if torch.cuda.is_available() else None
    except ImportError:  # pragma: no cover - torch ships with the topics extra
        return None


@dataclass
class ScaledTopics:
    """The model fitted on the sample, every unit's assignment and the per-outlet tables computed on all of them."""

    model: TopicModel  # fitted on the sample
    doc_topics: pd.DataFrame
    prevalence: pd.DataFrame
    distinctive: pd.DataFrame
    n_sample: int


def topics_at_scale(
    path: str | Path,
    *,
    per_outlet: int = 2_000,
    unit: str = "paragraphs",
    method: str = "bertopic",
    n_topics: int | None = None,
    random_state: int = 0,
    embedding_model: str | None = None,
    batch_size: int = 10_000,
    engine: str = "local",
    scheduler: str | None = None,
    n_workers: int = 2,
    n_boot: int = 2_000,
) -> ScaledTopics:
    """Fit topics on a stratified sample, then assign every unit of ``path`` in batches.

    Returns
    -------
    ScaledTopics
        ``model`` (fitted on the sample); ``doc_topics`` (schema ``DocTopics``, probability rounded
        to 6 decimals) from ``model.transform`` of every unit; ``prevalence`` and ``distinctive``
        as :func:`analysis.topics.prevalence` and :func:`analysis.topics.distinctive` give them, over all units.
    """
    sample = stratified_sample(
        path, per_outlet=per_outlet, unit=unit, random_state=random_state, batch_size=batch_size
    )
    model = TopicModel(
        method=method, n_topics=n_topics, random_state=random_state, embedding_model=embedding_model
    ).fit(sample, unit=unit)
    doc_topics = map_corpus(
        path,
        BatchTopics(model, unit=unit),
        batch_size=batch_size,
        engine=engine,
        scheduler=scheduler,
        n_workers=n_workers,
    )
    opts = {"n_boot": n_boot, "random_state": random_state}
    return ScaledTopics(
        model, doc_topics, prevalence(doc_topics, **opts), distinctive(doc_topics, **opts), len(sample)
    )
