"""Topics and stories: what each outlet spends its words on, and which articles cover the same event.

* :func:`fit_topics` fits BERTopic (offline, verified embeddings), NMF or LDA and returns document
  topics, topic terms and labels, prevalence per outlet with bootstrap intervals and distinctive
  topics; :func:`topic_stability` reports the adjusted Rand index across seeds;
* :func:`prevalence` / :func:`distinctive` compute shares from any document-topic table;
* :func:`cluster_stories` groups articles about the same event across outlets.
"""

from __future__ import annotations

from analysis.topics._model import (
    METHODS,
    NO_TOPIC_LABEL,
    StabilityResult,
    TopicResult,
    fit_topics,
    topic_stability,
    unit_map,
)
from analysis.topics._prevalence import distinctive, prevalence
from analysis.topics._stories import cluster_stories

__all__ = [
    "METHODS",
    "NO_TOPIC_LABEL",
    "StabilityResult",
    "TopicResult",
    "cluster_stories",
    "distinctive",
    "fit_topics",
    "prevalence",
    "topic_stability",
    "unit_map",
]
