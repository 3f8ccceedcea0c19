"""The spaCy parse of sentences, cached on disk (:mod:`analysis.infra.cache`, kind ``spacy/``).

Parsing is the expensive step of entity discovery and of actor roles, so both read it from here:
each batch of sentence texts is parsed once per pipeline (verified by :func:`analysis.nlp.load_spacy`)
and stored as a spaCy ``DocBin`` keyed by the spaCy version, the pipeline's name, version and components (its files verified by
hash when loaded) and the
texts themselves. Deleting the cache only costs time.
"""

from __future__ import annotations

from collections.abc import Sequence

from analysis.infra.cache import cached_bytes
from analysis.nlp import load_spacy

__all__ = ["parse_sentences", "BATCH"]

#: Sentences per cached batch: small enough that an edit to one article re-parses little.
BATCH = 512
_FORMAT = "docbin-v1"


def parse_sentences(texts: Sequence[str]) -> list | None:
    """spaCy ``Doc`` of every text (full pipeline: tagger, parser, NER), or None without spaCy.

    Returns
    -------
    list of spacy.tokens.Doc or None
        One Doc per text, in order; None when :func:`analysis.nlp.load_spacy` gives no pipeline.
    """
    nlp = load_spacy()
    if nlp is None:
        return None
    import spacy  # loaded by load_spacy above: no cost here
    from spacy.tokens import DocBin

    model = [
        _FORMAT,
        spacy.__version__,
        nlp.meta["name"],
        nlp.meta["version"],
        *nlp.pipe_names,
    ]  # files verified
    docs: list = []
    for i in range(0, len(texts), BATCH):
        batch = list(texts[i : i + BATCH])

        def compute(batch=batch) -> bytes:
            return DocBin(docs=nlp.pipe(batch, batch_size=256), store_user_data=False).to_bytes()

        data = cached_bytes("spacy", [*model, *batch], compute)
        docs.extend(DocBin().from_bytes(data).get_docs(nlp.vocab))
    return docs
