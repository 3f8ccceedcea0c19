"""Large corpora: partitions, local and Dask engines with exact merges, synthetic corpora.

* :func:`map_corpus` runs any per-batch function over a corpus, locally or on a Dask cluster;
* :func:`count_terms_at_scale` counts terms batch by batch and merges exactly;
* :func:`topics_at_scale` fits topics on a stratified sample and assigns every unit;
* :func:`write_corpus` writes realistic synthetic corpora of any size.
"""

from __future__ import annotations

from analysis.scale._engine import Partition, ScaledCounts, count_terms_at_scale, map_corpus, plan_partitions
from analysis.scale._synthetic import generate_articles, write_corpus

__all__ = [
    "Partition",
    "ScaledCounts",
    "ScaledTopics",
    "count_terms_at_scale",
    "generate_articles",
    "map_corpus",
    "plan_partitions",
    "topics_at_scale",
    "write_corpus",
]

_TOPICS_NAMES = ("ScaledTopics", "topics_at_scale")


def __getattr__(name: str):
    """The topics path, imported on first use: every pool process of :func:`count_terms_at_scale`
    imports this package, and should not pay for scikit-learn and the embedding model's code."""
    if name in _TOPICS_NAMES:
        from analysis.scale import _topics  # defers scikit-learn (analysis.topics) until topics run

        return getattr(_topics, name)
    raise AttributeError(f"module 'analysis.scale' has no attribute {name!r}")
