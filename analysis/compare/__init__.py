"""Comparing outlets story by story: the results of several capabilities side by side within each story.

This package sits above the capabilities (it combines tables that sourcing, framing and claims
produced, scoped by the stories of :mod:`analysis.topics`) and below the report. It takes tables and
returns tables; it never reads a corpus or fits a model.

* :func:`story_profile`: per (story, outlet), publication lag, length, share of words in quotes, top
  speakers, frames present, conflicting figures and exclusive content, with the ids behind each count;
* :func:`story_overview`: one row per story, ranked (most outlets, most disputes, most articles);
  :func:`story_detail` keeps the profile of the ``top_k`` first;
* :func:`outlet_story_stats`: per outlet, share of stories covered, exclusive, covered first and the
  median lag, with intervals from resampling stories; :func:`lag_distribution` bands the lags;
* :func:`pair_disagreement`: per pair of outlets, the share of shared stories where their figures
  conflict, with intervals from resampling stories.

Figures are never compared across stories: two claims conflict only within one story.
"""

from __future__ import annotations

from analysis.compare._outlets import lag_distribution, outlet_story_stats, pair_disagreement
from analysis.compare._profile import story_detail, story_overview, story_profile

__all__ = [
    "lag_distribution",
    "outlet_story_stats",
    "pair_disagreement",
    "story_detail",
    "story_overview",
    "story_profile",
]
