"""Topics and stories: what each outlet spends its words on, and which articles cover the same event.

* :class:`TopicModel` (scikit-learn style) fits BERTopic (offline, verified embeddings), NMF or
  LDA: ``fit(units)`` keeps ``doc_topics_``, ``topic_terms_`` and ``topic_labels_``;
  ``transform(units)`` assigns topics to any units;
* :func:`prevalence` / :func:`distinctive` compute shares per outlet, with bootstrap intervals,
  from any document-topic table (``model.doc_topics_`` or ``model.transform(...)``);
* :func:`stability` refits a model with several random_states and reports how far they agree;
* :func:`unit_map` places units on a 2-D map of their embeddings;
* :func:`cluster_stories` groups articles about the same event across outlets;
* :func:`stories` gives every article its story (the manifest's ``event_id``, else clustering),
  :func:`story_table` one readable row per story, :func:`story_outlets` each outlet's articles and
  lag per story (docs/stories.md).
"""

from __future__ import annotations

from analysis.topics._model import METHODS, NO_TOPIC_LABEL, TopicModel, unit_map
from analysis.topics._prevalence import distinctive, prevalence
from analysis.topics._stability import StabilityResult, stability
from analysis.topics._stories import cluster_stories, story_leads
from analysis.topics._story_tables import stories, story_outlets, story_table
from analysis.topics._units import model_note

__all__ = [
    "METHODS",
    "NO_TOPIC_LABEL",
    "StabilityResult",
    "TopicModel",
    "cluster_stories",
    "distinctive",
    "model_note",
    "prevalence",
    "stability",
    "stories",
    "story_leads",
    "story_outlets",
    "story_table",
    "unit_map",
]
