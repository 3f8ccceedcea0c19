"""Framing metrics: codebook frames, actors and agency, naming choices, tone.

One import for the four measures (each lives in its own module):

* :func:`frame_scores` / :func:`frame_indicators` / :func:`frame_evidence` / :func:`frame_profile`
  (:mod:`analysis.framing._frames`): codebook frames with sentence-level evidence;
* :func:`actor_mentions` / :func:`actor_profile` (:mod:`analysis.framing._actors`): salience, agency, blame;
* :func:`naming_variants` (:mod:`analysis.framing._variants`): naming groups discovered from the corpus;
  :func:`naming_mentions` / :func:`naming_choices` (:mod:`analysis.framing._naming`): which variant each
  outlet uses and in whose voice (asserted, attributed, scare-quoted);
* :func:`tone` / :func:`tone_summary` / :func:`actor_tone` (:mod:`analysis.framing._tone`): VADER per sentence;
* validated coding: :func:`coding_sheet` / :func:`read_coding` / :func:`sentence_frames`
  (:mod:`analysis.framing._coding`), :func:`agreement` (:mod:`analysis.framing._agreement`: F1 and
  Krippendorff's alpha), :func:`prevalence` (:mod:`analysis.framing._prevalence`: prediction-powered shares),
  :func:`fit_coder` / :class:`FrameCoder` (:mod:`analysis.framing._coder`: frames learned from coded articles).

All data tables (codebooks, alias tables, term tables, lexicons) are files in
``analysis/data/`` that a user can replace; see ``docs/framing.md``.
"""

from __future__ import annotations

from analysis.framing._actors import actor_mentions, actor_profile, heuristic_role, load_actors, load_verbs
from analysis.framing._agreement import agreement
from analysis.framing._coder import FrameCoder, fit_coder
from analysis.framing._coding import coding_sheet, read_coding, sentence_frames
from analysis.framing._frames import (
    codebook_table,
    frame_evidence,
    frame_indicators,
    frame_profile,
    frame_scores,
    load_codebook,
    shipped_codebooks,
)
from analysis.framing._io import FramingDataError
from analysis.framing._naming import attribution_cues, naming_choices, naming_mentions, terms_table_note
from analysis.framing._prevalence import prevalence
from analysis.framing._tone import actor_tone, tone, tone_summary
from analysis.framing._variants import MAX_ARTICLE_LIFT, MIN_CONFIDENCE, load_terms, naming_variants

__all__ = [
    "MIN_CONFIDENCE",
    "MAX_ARTICLE_LIFT",
    "FramingDataError",
    "load_codebook",
    "shipped_codebooks",
    "codebook_table",
    "frame_evidence",
    "frame_indicators",
    "frame_scores",
    "frame_profile",
    "sentence_frames",
    "coding_sheet",
    "read_coding",
    "agreement",
    "prevalence",
    "FrameCoder",
    "fit_coder",
    "load_actors",
    "load_verbs",
    "actor_mentions",
    "actor_profile",
    "heuristic_role",
    "load_terms",
    "attribution_cues",
    "naming_mentions",
    "naming_choices",
    "naming_variants",
    "terms_table_note",
    "tone",
    "tone_summary",
    "actor_tone",
]
