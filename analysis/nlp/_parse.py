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

import json
import os
import signal
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from analysis.infra.cache import cached_bytes
from analysis.nlp._progress import NO_PROGRESS_ENV, progress_bar
from analysis.nlp._spacy import load_spacy

__all__ = ["parse_texts", "parse_apart", "BATCH"]

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
    with progress_bar(total=len(texts), desc=f"parsing {len(texts):,} {what}", unit=what) as bar:
        for i in range(0, len(texts), BATCH):
            batch = list(texts[i : i + BATCH])
            done = bar.n

            def compute(batch=batch) -> bytes:
                parsed = []
                for doc in nlp.pipe(batch, batch_size=256):
                    parsed.append(doc)
                    bar.update(1)
                return DocBin(docs=parsed, store_user_data=False).to_bytes()

            data = cached_bytes("spacy", [*model, *batch], compute)
            docs.extend(DocBin().from_bytes(data).get_docs(nlp.vocab))
            bar.update(done + len(batch) - bar.n)  # a batch read from the cache counts at once
    return docs


def parse_apart(batches: dict[str, list[str]]) -> subprocess.Popen:
    """Start a child process that puts the parse of every batch in the cache (one :func:`parse_texts`
    call per batch, in order, without progress bars) and return it; the caller waits for it or kills it.

    ``batches`` maps what the texts are ("articles") to the texts, exactly as the later
    :func:`parse_texts` calls will pass them (the cache is keyed by the texts), so those calls then
    parse nothing. The report runner starts it beside the embedding (the two are independent),
    so that notebooks running side by side do not each parse the same corpus. Without spaCy the
    child ends at once; an error in it only means the notebooks parse for themselves.
    """
    with tempfile.NamedTemporaryFile(
        "w", suffix=".json", prefix="coverage-compare-parse-", delete=False
    ) as job:
        json.dump(batches, job)
    code = f"from analysis.nlp._parse import _parse_job; _parse_job({job.name!r})"
    return subprocess.Popen(
        [sys.executable, "-c", code],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, NO_PROGRESS_ENV: "1"},
    )


def _parse_job(job: str) -> None:
    """The child of :func:`parse_apart`: parse the batches of ``job`` (then removed) into the cache."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)  # Ctrl-C reaches the whole group: end without a traceback
    path = Path(job)
    batches = json.loads(path.read_text(encoding="utf-8"))
    path.unlink()
    for what, texts in batches.items():
        parse_texts(texts, what=what)
