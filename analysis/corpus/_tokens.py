"""Word tokens as ids of their raw forms, and those found while segmenting a lean or large batch.

:class:`RawTokens` holds the tokens of a list of texts the way the compiled scanner
(:func:`analysis.corpus.raw_token_ids`) finds them: one integer per token, naming its distinct
raw form (a match of :data:`analysis.corpus.text.TOKEN_PATTERN`, not normalized), so that callers
normalize each form once and never build a string per token.

Segmentation finds the tokens of every paragraph while counting its words in lean batches
(``build_corpus(..., lean=True)``, the scale path) and in batches of at least
:data:`analysis.corpus._segment.SCAN_MIN_BYTES` of text (a loaded corpus of any size worth it);
:func:`record_tokens` keeps them beside the paragraphs table that ``build_corpus`` returns, for as
long as that table lives (keyed by its identity, dropped when it is garbage-collected; never
pickled or copied with it), and :func:`recorded_tokens` hands them back only for that table with
its text column unchanged, value by value. An edited, filtered or re-ordered copy is tokenized
afresh, so reusing the tokens never changes a count. Cost: four bytes per token (about 0.7 times
the text in English) for as long as the table lives; counting terms on the paragraphs then never
tokenizes them again.
"""

from __future__ import annotations

import weakref
from typing import NamedTuple

import numpy as np
import pandas as pd

__all__ = ["RawTokens", "bounds_of", "concat_tokens", "record_tokens", "recorded_tokens"]


class RawTokens(NamedTuple):
    """Tokens of a list of texts as ids of their distinct raw forms.

    Attributes
    ----------
    ids : ndarray of int32
        Per token, in text order: the index of its raw form in ``forms``.
    bounds : ndarray of int64
        ``len(texts) + 1`` offsets: the tokens of text ``k`` are ``ids[bounds[k]:bounds[k + 1]]``.
    forms : list of str
        The raw forms (matches of ``TOKEN_PATTERN``, not normalized); a form may appear more than
        once (the scanner's parallel parts each number their own).
    """

    ids: np.ndarray
    bounds: np.ndarray
    forms: list[str]

    def take(self, rows) -> RawTokens:
        """The tokens of the texts ``rows`` (an integer array), in that order."""
        rows = np.asarray(rows, dtype=np.int64)
        lengths = np.diff(self.bounds)[rows]
        bounds = bounds_of(lengths)
        shift = np.repeat(self.bounds[rows] - bounds[:-1], lengths)
        return RawTokens(self.ids[np.arange(bounds[-1], dtype=np.int64) + shift], bounds, self.forms)

    def texts(self) -> list[list[str]]:
        """The raw tokens of each text, as lists of strings (for checks and small inputs)."""
        forms = np.array(self.forms, dtype=object)[self.ids] if len(self.ids) else np.array([], dtype=object)
        return [
            forms[a:b].tolist()
            for a, b in zip(self.bounds[:-1].tolist(), self.bounds[1:].tolist(), strict=True)
        ]


def concat_tokens(parts: list[RawTokens]) -> RawTokens:
    """The tokens of the texts of every part, one part after the other (each part's forms kept)."""
    if len(parts) == 1:
        return parts[0]
    if not parts:
        return RawTokens(np.zeros(0, np.int32), np.zeros(1, np.int64), [])
    ids, lengths, forms = [], [], []
    for part in parts:
        ids.append(part.ids + np.int32(len(forms)) if forms else part.ids)
        lengths.append(np.diff(part.bounds))
        forms.extend(part.forms)
    return RawTokens(np.concatenate(ids), bounds_of(np.concatenate(lengths)), forms)


def bounds_of(counts: np.ndarray) -> np.ndarray:
    """Offsets (``len(counts) + 1``, int64) of consecutive runs of ``counts`` tokens each."""
    return np.concatenate(([0], np.cumsum(counts))).astype(np.int64)


#: id(table) -> (weak reference to the table, its texts when recorded, the tokens of its rows)
_RECORDED: dict[int, tuple[weakref.ref, np.ndarray, RawTokens]] = {}


def record_tokens(table: pd.DataFrame, tokens: RawTokens, *, text_col: str = "text") -> None:
    """Keep ``tokens`` (the raw tokens of each row, in row order) for ``table`` while it lives.

    Parameters
    ----------
    table : DataFrame
        A units table with a text column.
    tokens : RawTokens
        ``TOKEN_PATTERN``'s matches in each row's text.
    text_col : str
        The column the tokens were found in.
    """
    if len(tokens.bounds) - 1 != len(table):
        raise ValueError(f"tokens of {len(tokens.bounds) - 1} texts for a table of {len(table)} rows")
    key = id(table)
    texts = np.array(table[text_col].to_numpy(), dtype=object, copy=True)  # later edits show up as changes
    _RECORDED[key] = (weakref.ref(table), texts, tokens)
    weakref.finalize(table, _RECORDED.pop, key, None)


def recorded_tokens(table: pd.DataFrame, text_col: str = "text") -> RawTokens | None:
    """The raw tokens recorded for ``table`` (:func:`record_tokens`), or None.

    None unless ``table`` is the very table they were recorded for and its ``text_col`` still
    holds the same texts in the same rows.

    Returns
    -------
    RawTokens or None
        The tokens of each row of ``table``.
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
