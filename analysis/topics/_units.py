"""The units a topic model reads: a table with an id column, ``article_id``, ``outlet`` and ``text``."""

from __future__ import annotations

import pandas as pd

__all__ = ["unit_id_column", "check_units", "model_note", "MIN_UNITS"]

#: Fewest units a topic model is fitted to.
MIN_UNITS = 3


def unit_id_column(units: pd.DataFrame) -> str:
    """The finest identifier present: ``sentence_id``, ``paragraph_id``, ``unit_id`` or ``article_id``."""
    for name in ("sentence_id", "paragraph_id", "unit_id", "article_id"):
        if name in units.columns:
            return name
    raise ValueError("units need an id column: sentence_id, paragraph_id, unit_id or article_id")


def check_units(units, unit: str = "paragraphs", min_units: int = MIN_UNITS) -> tuple[pd.DataFrame, str]:
    """``units`` (or the ``unit`` table of a Corpus) checked, with a fresh index, and its id column.

    Raises ``TypeError`` for anything but a DataFrame or Corpus, ``ValueError`` for a missing column,
    a missing value, a repeated id or fewer than ``min_units`` rows.
    """
    if hasattr(units, "units") and not isinstance(units, pd.DataFrame):  # a Corpus
        units = units.units(unit)
    if not isinstance(units, pd.DataFrame):
        raise TypeError(f"units must be a DataFrame (e.g. corpus.paragraphs), not {type(units).__name__}")
    id_col = unit_id_column(units)
    missing = {"article_id", "outlet", "text"} - set(units.columns)
    if missing:
        raise ValueError(f"units lack column(s) {sorted(missing)}")
    cols = list(dict.fromkeys([id_col, "article_id", "outlet", "text"]))
    if units[cols].isna().any().any():
        bad = units[cols].columns[units[cols].isna().any()].tolist()
        raise ValueError(f"units have missing values in {bad}")
    if units[id_col].duplicated().any():
        raise ValueError(
            f"{id_col} is not unique, e.g. {units.loc[units[id_col].duplicated(), id_col].iloc[0]!r}"
        )
    if len(units) < min_units:
        raise ValueError(f"a topic model needs at least {min_units} units, got {len(units)}")
    return units.reset_index(drop=True), id_col


def model_note(units: pd.DataFrame) -> str:
    """Why no topic model can be fitted to ``units`` (fewer than :data:`MIN_UNITS` rows), or "" when one can.

    Notebooks branch on it so that a one-article corpus gets this sentence instead of a failed run.

    Returns
    -------
    str
        E.g. "A topic model needs at least 3 units (paragraphs or sentences); this corpus has 1."; "" otherwise.
    """
    if len(units) >= MIN_UNITS:
        return ""
    return f"A topic model needs at least {MIN_UNITS} units (paragraphs or sentences); this corpus has {len(units)}."
