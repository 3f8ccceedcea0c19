"""Segmentation of a batch of articles at once: paragraphs, boilerplate, word counts, roles, quotes.

The rules are those of :mod:`analysis.corpus.text` applied article by article (the reference
implementation is kept in ``tests/test_segmentation_equivalence.py``, which checks that both give
identical tables), but the per-paragraph work runs in polars over every paragraph of the batch:

* paragraphs (trimmed non-blank lines) come from :mod:`analysis.corpus._paragraphs`, batch by batch
  as the records are read;
* word counts are the number of matches of :data:`analysis.corpus.text.TOKEN_PATTERN`, which the
  Rust engine matches exactly as Python's ``re`` does (``tests/test_tokenizer_unicode.py``); a lean
  batch, or one of at least :data:`~analysis.corpus._paragraphs.SCAN_MIN_BYTES` of text, finds the
  matches themselves with the compiled scanner (:mod:`analysis.corpus._scan`) and keeps them for
  ``count_terms`` (:mod:`analysis.corpus._tokens`);
* boilerplate rules keep Python's verdicts; the Rust engine only screens out the paragraphs that
  cannot match (:mod:`analysis.corpus._rules`);
* quotation marks are tracked in Python only in paragraphs that contain one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import polars as pl

from analysis.corpus import text as textmod
from analysis.corpus._paragraphs import PYTHON_WHITESPACE, ParagraphStream
from analysis.corpus._rules import CompiledRules, candidates, rule_hits
from analysis.corpus._tokens import RawTokens

__all__ = ["PYTHON_WHITESPACE", "Segments", "segment_articles"]

#: A paragraph ending in one of these is terminated, for its role (headline, subhead, body).
_PARAGRAPH_TERMINATORS = list('.!:;,"”’)')
_QUOTE_MARKS_RE = '["“”„«»]'


def _normalize_title(s: str) -> str:
    """A title compared loosely: apostrophes folded, whitespace collapsed, case folded."""
    return " ".join(s.replace("’", "'").replace("‘", "'").split()).casefold()


@dataclass(frozen=True)
class Segments:
    """The segmented batch.

    Attributes
    ----------
    paragraphs : DataFrame
        Kept paragraphs: ``paragraph_id``, ``article_id``, ``outlet``, ``outlet_type``,
        ``paragraph_index``, ``role``, ``start``, ``end``, ``text``, ``n_words``, ``quoted_chars``.
    removed : DataFrame
        Removed paragraphs: ``article_id``, ``outlet``, ``paragraph_id``, ``rule_id``, ``category``,
        ``start``, ``end``, ``text``, ``n_words``.
    n_kept, n_words : ndarray
        Per article (in batch order): kept paragraphs and the words in them.
    detected_titles : list
        Per article: the first kept paragraph when it reads as a headline and the record has no title.
    tokens : RawTokens or None
        For a lean batch or one of at least
        :data:`~analysis.corpus._paragraphs.SCAN_MIN_BYTES` of paragraph text, the raw tokens
        (matches of ``TOKEN_PATTERN``) of each kept paragraph, which its ``n_words`` counts; None
        otherwise.
    """

    paragraphs: pd.DataFrame
    removed: pd.DataFrame
    n_kept: np.ndarray
    n_words: np.ndarray
    detected_titles: list[str | None]
    tokens: RawTokens | None


def _quoted_chars(paragraph: str) -> int:
    """Characters of ``paragraph`` inside double quotation marks, marks included."""
    return sum(end - start for start, end, _ in textmod.quote_spans(paragraph, [(0, len(paragraph))]))


def segment_articles(
    records: Sequence[Mapping],
    rules: CompiledRules,
    *,
    lean: bool = False,
    stream: ParagraphStream | None = None,
) -> Segments:
    """Split a batch of article records into kept and removed paragraphs.

    Parameters
    ----------
    records : sequence of mappings
        Checked records with ``article_id``, ``outlet``, ``text`` and optionally ``outlet_type``, ``title``.
    rules : CompiledRules
        The boilerplate rules.
    lean : bool
        ``True`` skips what counting terms never reads: every ``role`` is ``'body'``, every
        ``quoted_chars`` 0, and no title is detected. Paragraphs, spans, texts, word counts and
        removals are the same.
    stream : ParagraphStream, optional
        The paragraphs of the first records, split while they were read (the rest are added here).

    Returns
    -------
    Segments
    """
    stream = ParagraphStream(lean=lean) if stream is None else stream
    stream.add([r["text"] for r in records[stream.n_articles :]])
    paras, tokens = stream.finish()
    # one regex pass each; the streaming engine splits the rows into morsels for all of polars'
    # threads and keeps their order. Words are counted there by the regex engine in small batches;
    # in lean batches (the scale path) and in batches of at least SCAN_MIN_BYTES of text the compiled
    # scanner has found the tokens themselves instead, and they are kept for count_terms
    # (analysis.corpus._tokens): counting terms then never tokenizes these paragraphs again. Below
    # that size the scanner's first use (importing numba and its cached kernels, about 0.6 s) costs
    # more than it saves.
    if tokens is not None:
        n_words = pl.lit(pl.Series(np.diff(tokens.bounds), dtype=pl.Int64))
    else:
        n_words = pl.col("text").str.count_matches(textmod.TOKEN_PATTERN).cast(pl.Int64)
    scans = (
        paras.lazy()
        .select(
            n_words=n_words,
            screened=candidates(pl.col("text"), rules),
            quoted=pl.lit(False) if lean else pl.col("text").str.contains(_QUOTE_MARKS_RE),
        )
        .collect(engine="streaming")
    )
    hits = rule_hits(paras["text"], rules, scans["screened"])
    removed_mask = np.zeros(len(paras), dtype=bool)
    removed_mask[list(hits)] = True
    quoted = scans["quoted"]
    quoted_texts = paras["text"].filter(quoted).to_list()
    quoted_chars = np.zeros(len(paras), dtype="int64")
    quoted_chars[quoted.arg_true().to_numpy()] = [_quoted_chars(p) for p in quoted_texts]
    paras = paras.with_columns(
        scans["n_words"],
        removed=pl.Series(removed_mask, dtype=pl.Boolean),
        quoted_chars=pl.Series(quoted_chars, dtype=pl.Int64),
    )
    kept = paras.filter(~pl.col("removed"))
    removed = paras.filter(pl.col("removed"))
    removed_hits = list(hits.values())  # in paragraph order, as the removed rows

    n_articles = len(records)
    article = kept["article"].to_numpy()
    n_kept = np.bincount(article, minlength=n_articles)
    n_words = np.bincount(article, weights=kept["n_words"].to_numpy(), minlength=n_articles).astype("int64")
    if lean:
        roles, detected = np.full(kept.height, "body", dtype=object), [None] * n_articles
    else:
        roles, detected = _roles(kept, records, n_kept)

    id_list = [r["article_id"] for r in records]
    ids = np.array(id_list, dtype=object)
    outlets = np.array([r["outlet"] for r in records], dtype=object)
    outlet_types = np.array([r.get("outlet_type") for r in records], dtype=object)
    id_series = pl.Series(id_list, dtype=pl.String)

    def paragraph_ids(table: pl.DataFrame) -> np.ndarray:
        """``<article_id>:p<paragraph_index>`` of every row."""
        index = table["paragraph_index"].cast(pl.String)
        return _objects(id_series.gather(table["article"]) + ":p" + index)

    kept_article = kept["article"].to_numpy()
    removed_article = removed["article"].to_numpy()
    paragraphs = {
        "paragraph_id": paragraph_ids(kept),
        "article_id": ids[kept_article],
        "outlet": outlets[kept_article],
        "outlet_type": outlet_types[kept_article],
        "paragraph_index": kept["paragraph_index"].to_numpy(),
        "role": roles,
        "start": kept["start"].to_numpy(),
        "end": kept["end"].to_numpy(),
        "text": _objects(kept["text"]),
        "n_words": kept["n_words"].to_numpy(),
        "quoted_chars": kept["quoted_chars"].to_numpy(),
    }
    removed_columns = {
        "article_id": ids[removed_article],
        "outlet": outlets[removed_article],
        "paragraph_id": paragraph_ids(removed),
        "rule_id": [h[0] for h in removed_hits],
        "category": [h[1] for h in removed_hits],
        "start": removed["start"].to_numpy(),
        "end": removed["end"].to_numpy(),
        "text": _objects(removed["text"]),
        "n_words": removed["n_words"].to_numpy(),
    }
    return Segments(
        pd.DataFrame(paragraphs, copy=False),  # every column is new: nothing to copy into blocks
        pd.DataFrame(removed_columns, copy=False),
        n_kept,
        n_words,
        detected,
        tokens if tokens is None or not removed_mask.any() else tokens.take(np.flatnonzero(~removed_mask)),
    )


def _objects(values: pl.Series) -> np.ndarray:
    """``values`` as a numpy array of Python objects (filled from a list: no per-item type checks)."""
    out = np.empty(len(values), dtype=object)
    out[:] = values.to_list()
    return out


def _roles(kept: pl.DataFrame, records: Sequence[Mapping], n_kept: np.ndarray) -> tuple[np.ndarray, list]:
    """Role of each kept paragraph (``headline``, ``subhead``, ``body``) and each article's detected title.

    A paragraph is a subhead when it has at most 12 words and no terminal punctuation; the first
    kept paragraph is the headline when it equals the record's title, or, without a title, when it
    has at most 20 words, no terminal punctuation and no final question mark.
    """
    titles = [r.get("title") for r in records]
    first_row = np.concatenate([[0], np.cumsum(n_kept)[:-1]])[n_kept > 0]
    first_article = np.flatnonzero(n_kept > 0)
    last_char = kept["text"].str.slice(-1)
    n_words = kept["n_words"].to_numpy()
    unterminated = (~last_char.is_in(_PARAGRAPH_TERMINATORS)).to_numpy()
    roles = np.where((n_words <= 12) & unterminated, "subhead", "body").astype(object)
    detected: list[str | None] = [None] * len(records)
    first_texts = kept["text"].gather(first_row).to_list()
    for row, a, text in zip(first_row.tolist(), first_article.tolist(), first_texts, strict=True):
        if titles[a]:
            headline = _normalize_title(text) == _normalize_title(titles[a])
        else:
            headline = n_words[row] <= 20 and unterminated[row] and not text.endswith("?")
            detected[a] = text if headline else None
        if headline:
            roles[row] = "headline"
    return roles, detected
