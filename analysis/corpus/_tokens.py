"""Word tokens found while segmenting a lean batch, kept for the term counts of the same paragraphs.

Segmentation counts each paragraph's words by running the tokenizer's regular expression
(:data:`analysis.corpus.text.TOKEN_PATTERN`) over every paragraph; ``count_terms`` needs the very
same raw tokens. For lean batches (``build_corpus(..., lean=True)``, the scale path: counted at
once, then freed) :func:`record_tokens` keeps them beside the paragraphs table that
``build_corpus`` returns, for as long as that table lives (keyed by its identity, dropped when it
is garbage-collected; never pickled or copied with it), and :func:`recorded_tokens` hands them
back only for that table with its text column unchanged, value by value. An edited, filtered or
re-ordered copy is tokenized afresh, so reusing the tokens never changes a count.

Cost: the tokens are held in polars (about 16 bytes per token, three times the text), which is
why a full corpus (``load_corpus``), kept while a user works, only counts them.
"""

from __future__ import annotations

import weakref

import numpy as np
import pandas as pd
import polars as pl

__all__ = ["record_tokens", "recorded_tokens"]

#: id(table) -> (weak reference to the table, its texts when recorded, raw tokens per row)
_RECORDED: dict[int, tuple[weakref.ref, np.ndarray, pl.Series]] = {}


def record_tokens(table: pd.DataFrame, tokens: pl.Series, *, text_col: str = "text") -> None:
    """Keep ``tokens`` (one list of raw tokens per row, in row order) for ``table`` while it lives.

    Parameters
    ----------
    table : DataFrame
        A units table with a text column.
    tokens : polars Series of lists of str
        ``TOKEN_PATTERN``'s matches in each row's text, unnormalized.
    text_col : str
        The column the tokens were found in.
    """
    if len(tokens) != len(table):
        raise ValueError(f"{len(tokens)} token lists for a table of {len(table)} rows")
    key = id(table)
    texts = np.array(table[text_col].to_numpy(), dtype=object, copy=True)  # later edits show up as changes
    _RECORDED[key] = (weakref.ref(table), texts, tokens)
    weakref.finalize(table, _RECORDED.pop, key, None)


def recorded_tokens(table: pd.DataFrame, text_col: str = "text") -> pl.Series | None:
    """The raw tokens recorded for ``table`` (:func:`record_tokens`), or None.

    None unless ``table`` is the very table they were recorded for and its ``text_col`` still
    holds the same texts in the same rows.

    Returns
    -------
    polars Series of lists of str, or None
        One list per row of ``table``.
    """
    entry = _RECORDED.get(id(table))
    if entry is None or entry[0]() is not table or text_col not in table.columns:
        return None
    texts = table[text_col].to_numpy()
    recorded = entry[1]
    # identical strings compare by identity first: one pointer test per row when nothing changed
    if len(texts) != len(recorded) or not bool((texts == recorded).all()):
        return None
    return entry[2]
