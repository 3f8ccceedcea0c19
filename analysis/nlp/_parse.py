"""The spaCy parse of texts, cached on disk (:mod:`analysis.infra.cache`, kind ``spacy/``).

Parsing is the expensive step of quote extraction (whole articles), entity discovery and actor roles
(sentences), so all of them read it from here: each batch of texts is parsed once per pipeline
(verified by :func:`analysis.nlp.load_spacy`) and stored as a spaCy ``DocBin`` keyed by the spaCy
version, the pipeline's name, version and components (its files verified by hash when loaded) and
the texts themselves. A warm run parses nothing. A Doc read back keeps every annotation the
analyses read (tokens and whitespace, tags, lemmas, morphology, dependencies, sentence starts,
entities) but not ``user_data`` or the tok2vec tensor. Deleting the cache only costs time.
"""

from __future__ import annotations

from collections.abc import Sequence

from analysis.infra.cache import cached_bytes
from analysis.nlp._progress import progress
from analysis.nlp._spacy import load_spacy

__all__ = ["parse_texts", "BATCH"]

#: Texts per cached batch: small enough that an edit to one article re-parses little.
BATCH = 512
_FORMAT = "docbin-v1"


def parse_texts(texts: Sequence[str], *, what: str = "texts") -> list | None:
    """spaCy ``Doc`` of every text (full pipeline: tagger, parser, NER), or None without spaCy.

    Parameters
    ----------
    texts : sequence of str
    what : str
        What the texts are, for the progress bar ("sentences", "articles").

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

    model = [_FORMAT, spacy.__version__, nlp.meta["name"], nlp.meta["version"], *nlp.pipe_names]
    docs: list = []
    for i in range(0, len(texts), BATCH):
        batch = list(texts[i : i + BATCH])

        def compute(batch=batch, first=i) -> bytes:
            parsed = progress(
                nlp.pipe(batch, batch_size=256),
                total=len(batch),
                desc=f"parsing {what} {first + 1:,}-{first + len(batch):,} of {len(texts):,}",
                unit=what,
            )
            return DocBin(docs=parsed, store_user_data=False).to_bytes()

        data = cached_bytes("spacy", [*model, *batch], compute)
        docs.extend(DocBin().from_bytes(data).get_docs(nlp.vocab))
    return docs
