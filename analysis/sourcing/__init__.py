"""Sourcing: who is quoted, how, and with which attribution verbs and hedges.

* :func:`extract_quotes` lists direct, partial, indirect and scare quotes with speaker, cue verb,
  rule and offsets (spaCy parser where available, documented heuristics otherwise);
* :func:`speaker_table`, :func:`verb_table`, :func:`kind_mix`, :func:`quotation_share` and
  :func:`find_hedges` summarise them per outlet.

Rules live in private modules: passage finding (``_passages``), cue verbs (``_cues``), speaker
resolution (``_speakers``) and speaker types (``_speaker_types``).
"""

from __future__ import annotations

from analysis.sourcing._extract import extract_quotes, load_verbs
from analysis.sourcing._tables import (
    find_hedges,
    kind_mix,
    load_hedges,
    quotation_share,
    speaker_table,
    verb_table,
)

__all__ = [
    "extract_quotes",
    "find_hedges",
    "kind_mix",
    "load_hedges",
    "load_verbs",
    "quotation_share",
    "speaker_table",
    "verb_table",
]
