"""How far a topic model's assignments depend on its random_state: refits compared pair by pair."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.metrics import adjusted_rand_score

from analysis.nlp import embed_texts, progress
from analysis.schemas import validate
from analysis.schemas.topics import StabilityPairs, StabilityTopics
from analysis.topics._model import TopicModel
from analysis.topics._units import check_units

__all__ = ["StabilityResult", "stability"]


@dataclass(frozen=True)
class StabilityResult:
    """``pairs`` (schema ``StabilityPairs``) and ``topics`` (schema ``StabilityTopics``, reference = first random_state)."""

    pairs: pd.DataFrame
    topics: pd.DataFrame


def stability(
    model: TopicModel,
    units,
    *,
    random_states=(0, 1, 2, 3, 4),
    unit: str = "paragraphs",
    embeddings: np.ndarray | None = None,
) -> StabilityResult:
    """Refit ``model``'s settings with each random_state and measure how far topic assignments agree.

    Parameters
    ----------
    model : TopicModel
        The settings to refit (cloned; ``model`` itself is not changed). When ``model`` is already
        fitted on these units (same unit ids, and the caller's word that texts and embeddings are
        the same too) and its ``random_state`` is one of ``random_states``, that fit is used instead
        of fitting again.
    units : DataFrame or Corpus
        As in :meth:`TopicModel.fit`.
    random_states : sequence of int
        At least two distinct values; the first fit is the reference for ``topics``.
    unit : {"paragraphs", "sentences", "articles"}
    embeddings : ndarray, optional
        BERTopic: the units' embeddings; computed once (``model.embedding_model``) and shared otherwise.

    Returns
    -------
    StabilityResult
        ``pairs``: random_state_a, random_state_b (the two random_states), ari (adjusted Rand index of the two
        assignments: 1 identical, about 0 chance), n_topics_a, n_topics_b;
        ``topics``: topic, label, n, jaccard_mean, jaccard_min: for each topic of the first fit,
        the best Jaccard overlap of its units with any topic of each other fit, mean and minimum.
        A topic with ``jaccard_min`` near 1 is robust; one below about 0.5 is an artefact of the random_state.
    """
    random_states = [int(s) for s in random_states]
    if len(random_states) < 2 or len(set(random_states)) != len(random_states):
        raise ValueError(f"stability needs at least two distinct random_states, got {random_states}")
    units, id_col = check_units(units, unit)
    if model.method == "bertopic" and embeddings is None:
        embeddings = embed_texts(units["text"].tolist(), model=model.embedding_model)
    fitted_here = _fitted_on(model, units[id_col].astype(str).to_numpy())
    fits = [
        model
        if fitted_here and s == model.random_state
        else clone(model).set_params(random_state=s).fit(units, embeddings=embeddings)
        for s in progress(random_states, desc=f"topic stability: fitting {model.method}", unit="fit")
    ]
    labels = [f.doc_topics_["topic"].to_numpy() for f in fits]
    pairs = pd.DataFrame(
        [
            (
                random_states[a],
                random_states[b],
                float(adjusted_rand_score(labels[a], labels[b])),
                len(set(labels[a]) - {-1}),
                len(set(labels[b]) - {-1}),
            )
            for a, b in combinations(range(len(random_states)), 2)
        ],
        columns=["random_state_a", "random_state_b", "ari", "n_topics_a", "n_topics_b"],
    )
    rows = []
    for row in fits[0].topic_labels_.itertuples(index=False):
        members = labels[0] == row.topic
        best = [
            max((members & (other == t)).sum() / (members | (other == t)).sum() for t in set(other.tolist()))
            for other in labels[1:]
        ]
        rows.append((row.topic, row.label, row.n, float(np.mean(best)), float(np.min(best))))
    topics = pd.DataFrame(rows, columns=["topic", "label", "n", "jaccard_mean", "jaccard_min"])
    return StabilityResult(
        validate(pairs, StabilityPairs, table="stability_pairs"),
        validate(topics, StabilityTopics, table="stability_topics"),
    )


def _fitted_on(model: TopicModel, unit_ids: np.ndarray) -> bool:
    """Whether ``model`` is fitted, on units with exactly these ids in this order."""
    fitted = getattr(model, "doc_topics_", None)
    return fitted is not None and np.array_equal(fitted["unit_id"].to_numpy(), unit_ids)
