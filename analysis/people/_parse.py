"""The spaCy parse of sentences, shared by entity discovery and the framing roles.

A thin name over :func:`analysis.nlp.parse_texts`, which parses each batch of texts once per
verified pipeline and caches it on disk (quote extraction reads whole articles from the same cache).
"""

from __future__ import annotations

from collections.abc import Sequence

from analysis.nlp import parse_texts

__all__ = ["parse_sentences"]


def parse_sentences(texts: Sequence[str]) -> list | None:
    """spaCy ``Doc`` of every sentence text (full pipeline: tagger, parser, NER), or None without spaCy.

    Returns
    -------
    list of spacy.tokens.Doc or None
        One Doc per text, in order; None when :func:`analysis.nlp.load_spacy` gives no pipeline.
    """
    return parse_texts(texts, what="sentences")
