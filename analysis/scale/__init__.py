"""Large corpora: partitions, local and Dask engines with exact merges, synthetic corpora.

* :func:`map_corpus` runs any per-batch function over a corpus, locally or on a Dask cluster;
* :func:`count_terms_at_scale` counts terms batch by batch and merges exactly;
* :func:`topics_at_scale` fits topics on a stratified sample and assigns every unit;
* :func:`write_corpus` writes realistic synthetic corpora of any size.
"""

from __future__ import annotations

from analysis.scale._engine import Partition, ScaledCounts, count_terms_at_scale, map_corpus, plan_partitions
from analysis.scale._synthetic import generate_articles, write_corpus
from analysis.scale._topics import ScaledTopics, topics_at_scale

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
