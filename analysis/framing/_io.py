"""Shared helpers of the framing modules: shipped data files and cue lexicons.

Every table the framing code relies on (codebooks, actor aliases, contested
terms, verb and attribution lexicons) is a data file under ``analysis/data/``
that a user can replace by passing a path or a DataFrame. Cue lexicons are
lists of phrases matched case-insensitively on word boundaries; a trailing
``*`` matches any word ending (``negotiat*`` matches negotiation, negotiated).
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from analysis.data import read_table as read_shipped_table

__all__ = ["FramingDataError", "read_table", "phrase_regex", "phrases_pattern", "word_bounded"]


class FramingDataError(ValueError):
    """A framing data file (codebook, alias table, term table, lexicon) is malformed."""


def read_table(
    table: str | Path | pd.DataFrame | None, shipped: str, required: tuple[str, ...]
) -> pd.DataFrame:
    """A CSV table: ``table`` when given (path or DataFrame), else the shipped file ``analysis/data/<shipped>``.

    ``None`` and ``""`` both mean the shipped table. Missing values become empty strings.

    Raises
    ------
    FramingDataError
        When the file does not exist or lacks one of ``required``.
    """
    if isinstance(table, pd.DataFrame):
        df, where = table.copy(), "the given table"
    elif table is None or str(table) == "":
        df, where = read_shipped_table(shipped, comment="#"), shipped
    else:
        path = Path(table)
        if not path.is_file():
            raise FramingDataError(f"{path}: no such file")
        df, where = pd.read_csv(path, dtype=str, keep_default_na=False, comment="#"), str(path)
    missing = [c for c in required if c not in df.columns]
    if missing:
        raise FramingDataError(f"{where}: missing required column(s) {missing}")
    return df.fillna("").astype({c: str for c in required}).reset_index(drop=True)


def phrase_regex(phrase: str) -> str:
    """Regex source of one lexicon phrase: literal words, flexible whitespace and hyphens, ``*`` = any ending."""
    phrase = phrase.strip()
    if not phrase:
        raise FramingDataError("empty phrase in a lexicon")
    wildcard = phrase.endswith("*")
    words = re.split(r"[\s]+", phrase.rstrip("*"))
    body = r"\s+".join(re.escape(w).replace(r"\-", r"[-\s]?").replace("'", "['’]") for w in words)
    return body + (r"[\w'’-]*" if wildcard else "")


def word_bounded(source: str) -> str:
    """Wrap a regex so it only matches whole words (no letter or digit on either side)."""
    return rf"(?<![\w])(?:{source})(?![\w])"


def phrases_pattern(phrases, *, case_sensitive: bool = False) -> re.Pattern[str] | None:
    """One compiled alternation of ``phrases`` (longest first), or None when there are none."""
    phrases = sorted({p.strip() for p in phrases if p and p.strip()}, key=lambda p: (-len(p), p))
    if not phrases:
        return None
    flags = 0 if case_sensitive else re.IGNORECASE
    return re.compile(word_bounded("|".join(phrase_regex(p) for p in phrases)), flags)
