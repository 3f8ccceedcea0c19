"""How a fitted topic model gives any unit its topic: the same computation for the training units and new ones.

* NMF/LDA (:class:`MixtureAssigner`): the fitted vectorizer's terms, the fitted decomposition's
  topic mixture, the heaviest topic; ``probability`` is that topic's share of the mixture. A unit
  with no vocabulary term gets topic -1.
* BERTopic (:class:`CentroidAssigner`): the topic whose centroid (mean of its training units'
  normalised embeddings) is the most similar by cosine; ``probability`` is that similarity,
  clipped at 0. BERTopic's own ``transform`` would need the fitted UMAP (whose ``transform`` is
  approximate and slow) and has no ``predict`` for every clustering used here, so the centroid rule
  is the one way new units are assigned, by :meth:`analysis.topics.TopicModel.transform` and by
  ``analysis.scale.topics_at_scale`` alike.

Both are plain picklable objects, so Dask workers can assign batches with them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = [
    "topic_mixture",
    "mixture_topics",
    "MixtureAssigner",
    "unit_vectors",
    "topic_centroids",
    "centroid_similarity",
    "CentroidAssigner",
]


def topic_mixture(decomposition, counts) -> np.ndarray:
    """The fitted decomposition's topic mixture of each row of ``counts``; all 0 for a row without terms."""
    mixture = decomposition.transform(counts)
    mixture[np.asarray(counts.sum(axis=1)).ravel() == 0] = 0.0
    return mixture


def mixture_topics(
    mixture: np.ndarray, components: tuple[int, ...] | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Heaviest component of each row and its share of the row's mixture.

    ``components``: the component behind topic 0, 1, ...; the others are never chosen. None: every
    component, topic = component number. Rows without mixture get topic -1 and share 0.
    """
    total = mixture.sum(axis=1)
    if components is None:
        topic_of = np.arange(mixture.shape[1])
    else:
        topic_of = np.full(mixture.shape[1], -1)
        topic_of[list(components)] = np.arange(len(components))
    if not (topic_of >= 0).any():
        return np.full(len(mixture), -1), np.zeros(len(mixture))
    best = np.where(topic_of >= 0, mixture, -np.inf).argmax(axis=1)
    share = np.where(total > 0, mixture[np.arange(len(best)), best] / np.maximum(total, 1e-300), 0.0)
    return np.where(total > 0, topic_of[best], -1), np.clip(share, 0.0, 1.0)


@dataclass(frozen=True)
class MixtureAssigner:
    """Topics of new texts from a fitted vectorizer and NMF/LDA decomposition (see :func:`mixture_topics`)."""

    vectorizer: object
    decomposition: object
    components: tuple[int, ...]  # the component behind topic 0, 1, ...

    def assign(self, texts: list[str], embeddings: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Topic and probability of each text (``embeddings`` are not used)."""
        return mixture_topics(
            topic_mixture(self.decomposition, self.vectorizer.transform(texts)), self.components
        )


def unit_vectors(embeddings: np.ndarray) -> np.ndarray:
    """Rows scaled to length 1 (a zero row stays zero)."""
    return embeddings / np.maximum(np.linalg.norm(embeddings, axis=1, keepdims=True), 1e-12)


def topic_centroids(embeddings: np.ndarray, labels: np.ndarray) -> tuple[list[int], np.ndarray]:
    """Topics in ``labels`` (without -1, ascending) and their centroids: mean unit vector, scaled to length 1."""
    unit = unit_vectors(embeddings)
    topics = sorted(set(labels.tolist()) - {-1})
    centroids = np.zeros((len(topics), embeddings.shape[1]))
    for i, t in enumerate(topics):
        centroid = unit[labels == t].mean(axis=0)
        centroids[i] = centroid / max(np.linalg.norm(centroid), 1e-12)
    return topics, centroids


def centroid_similarity(embeddings: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """Cosine similarity of each unit to the centroid of its own topic, clipped to [0, 1] (0 for topic -1)."""
    unit = unit_vectors(embeddings)
    out = np.zeros(len(labels))
    for t, centroid in zip(*topic_centroids(embeddings, labels), strict=True):
        idx = labels == t
        out[idx] = unit[idx] @ centroid
    return np.clip(out, 0.0, 1.0)


@dataclass(frozen=True)
class CentroidAssigner:
    """Topics of new units by their embeddings: the most similar topic centroid (row i = topic i)."""

    centroids: np.ndarray

    def assign(self, texts: list[str], embeddings: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Topic and cosine similarity (clipped to [0, 1]) of each unit; -1 and 0 when the fit has no topic."""
        if embeddings.shape[1] != self.centroids.shape[1]:
            raise ValueError(
                f"embeddings have {embeddings.shape[1]} dimensions, the fitted topics "
                f"{self.centroids.shape[1]}: embed with the model used for the fit"
            )
        if not len(self.centroids):
            return np.full(len(embeddings), -1), np.zeros(len(embeddings))
        unit = unit_vectors(embeddings)
        similarity = np.column_stack(
            [unit @ centroid for centroid in self.centroids]
        )  # as in centroid_similarity
        best = similarity.argmax(axis=1)
        return best, np.clip(similarity[np.arange(len(best)), best], 0.0, 1.0)
