"""Shared language models: the verified sentence-embedding model and the spaCy parser.

Several capabilities use them (topics, claims, framing, sourcing); they live here so that no
capability imports another. Both load offline from PyPI packages and are verified by hash.

* :func:`embed_texts` / :func:`model_info`: all-MiniLM-L6-v2 vectors with an on-disk cache, computed by
  ONNX Runtime or torch (:func:`resolve_backend`);
* :func:`load_spacy`: the verified ``en_core_web_sm`` pipeline, or ``None`` where it is missing
  (analyses then fall back to documented heuristics);
* :func:`parse_texts`: its parse of texts, cached on disk, shared by every capability that parses
  (:func:`parse_apart` fills that cache from a child process);
* :func:`progress`: a progress bar on stderr for long steps, hidden in the report runner's kernels.

Importing this package loads neither torch nor spaCy: they load on first use.
"""

from __future__ import annotations

from analysis.nlp._embed import (
    BACKENDS,
    DEFAULT_MODEL,
    VERBOSE_ENV,
    EmbeddingModelError,
    ModelInfo,
    embed_apart,
    embed_texts,
    model_info,
    resolve_backend,
    text_hash,
)
from analysis.nlp._parse import parse_apart, parse_texts
from analysis.nlp._progress import NO_PROGRESS_ENV, progress, progress_shown
from analysis.nlp._spacy import SpacyModelError, load_spacy, spacy_available

__all__ = [
    "BACKENDS",
    "DEFAULT_MODEL",
    "EmbeddingModelError",
    "NO_PROGRESS_ENV",
    "ModelInfo",
    "SpacyModelError",
    "VERBOSE_ENV",
    "embed_apart",
    "embed_texts",
    "load_spacy",
    "model_info",
    "parse_apart",
    "parse_texts",
    "progress",
    "progress_shown",
    "resolve_backend",
    "spacy_available",
    "text_hash",
]
