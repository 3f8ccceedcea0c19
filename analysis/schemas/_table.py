"""What every table contract shares: the ``Table`` base (columns plus grain) and table builders.

A table's *grain* is the set of key columns that identify a row: no two rows share
their values. Each model states it where it is defined::

    class Speakers(Table, grain=("outlet", "speaker")):
        ...

and :func:`analysis.schemas.validate` refuses a table that repeats a key. ``grain=None``
says, with a comment next to it, that a table has no unique key.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import pandera.pandas as pa

__all__ = ["GROUP_COLUMNS", "Table", "empty_frame", "frame", "grain_of", "key_columns", "repeated_key"]


class _GroupColumns:
    """The ``GROUP_COLUMNS`` marker (a single instance)."""

    def __repr__(self) -> str:
        return "GROUP_COLUMNS"


#: In a grain, stands for the table's columns that its schema does not declare: the ``by``
#: column(s) of a grouped table such as term counts, which may be ``outlet`` or ``outlet, article_id``.
GROUP_COLUMNS = _GroupColumns()

_UNDECLARED = object()


class Table(pa.DataFrameModel):
    """Base of every table contract: pandera columns plus the ``grain`` keyword (key columns, or None)."""

    def __init_subclass__(cls, *, grain: Sequence[str | _GroupColumns] | None = _UNDECLARED, **kwargs):
        super().__init_subclass__(**kwargs)
        if grain is _UNDECLARED:
            raise TypeError(
                f"{cls.__name__}: state the table's grain, class {cls.__name__}(Table, grain=(...)) "
                "or grain=None with a comment saying why no columns are unique"
            )
        if isinstance(grain, str):
            raise TypeError(
                f"{cls.__name__}: grain must be a tuple of column names, not the string {grain!r}"
            )
        cls.__grain__ = None if grain is None else tuple(grain)


def grain_of(schema: type[pa.DataFrameModel]) -> tuple[str | _GroupColumns, ...] | None:
    """The grain ``schema`` declares (None for a plain pandera model or a table with no unique key)."""
    return getattr(schema, "__grain__", None)


def key_columns(df: pd.DataFrame, schema: type[pa.DataFrameModel]) -> list[str]:
    """The names of ``df``'s key columns under ``schema``'s grain ([] when it has none)."""
    grain = grain_of(schema)
    if not grain:
        return []
    declared = schema.to_schema().columns
    columns: list[str] = []
    for part in grain:
        columns.extend([c for c in df.columns if c not in declared] if part is GROUP_COLUMNS else [part])
    return columns


def repeated_key(df: pd.DataFrame, schema: type[pa.DataFrameModel]) -> str | None:
    """Describe the first key of ``schema``'s grain that ``df`` repeats, or None when every key is unique.

    One vectorized ``duplicated`` pass over the key columns; the description (key values, rows
    holding them, number of repeated rows) is built only when a key repeats.
    """
    columns = key_columns(df, schema)
    if not columns:
        return None
    if _ordered_unique([df[c].to_numpy() for c in columns]):
        return None
    keys = df[columns[0]] if len(columns) == 1 else df[columns]
    repeated = keys.duplicated(keep="first").to_numpy()
    if not repeated.any():
        return None
    first = repeated.argmax()
    values = df[columns].iloc[first]
    same = (df[columns] == values).all(axis=1).to_numpy()
    rows = df.index[same] if same.any() else df.index[[first]]  # a missing value never equals itself
    key = ", ".join(f"{c}={v!r}" for c, v in values.items())
    return (
        f"grain ({', '.join(columns)}) is not unique: {int(repeated.sum())} repeated row(s), first "
        f"{key} (rows {', '.join(map(str, rows[:3]))})"
    )


def _ordered_unique(keys: list[np.ndarray], look: int = 256) -> bool:
    """True when no key repeats because the rows come in blocks of equal leading key columns, no two
    blocks alike, the last column strictly increasing within each; False when that order is not
    there (which says nothing about repeats). Comparisons of neighbours only, no hashing: most
    tables built here (contrasts, scores) come so ordered. The first ``look`` rows are tried first,
    so an unordered table costs little; missing values or mixed types answer False.
    """
    if not len(keys[-1]):
        return True
    for stop in (min(look, len(keys[-1])), len(keys[-1])):
        try:
            with np.errstate(invalid="ignore"):  # NaN compares False: not rising
                rising = keys[-1][1:stop] > keys[-1][: stop - 1]
        except (TypeError, ValueError):  # mixed or missing values: not comparable
            return False
        new_block = np.zeros(stop - 1, dtype=bool)
        for column in keys[:-1]:
            new_block |= column[1:stop] != column[: stop - 1]
        if not bool((rising | new_block).all()):
            return False
    if len(keys) == 1:
        return True
    starts = np.flatnonzero(np.concatenate(([True], new_block)))
    leads = [column[starts] for column in keys[:-1]]
    if any(bool(pd.isna(lead).any()) for lead in leads):  # missing keys are alike to pandas, not to ==
        return False
    return len(set(zip(*(lead.tolist() for lead in leads), strict=True))) == len(starts)


def empty_frame(schema: type[pa.DataFrameModel]) -> pd.DataFrame:
    """A table with no rows and the columns and dtypes of ``schema`` (so that it validates)."""
    kinds = {
        "int64": "int64",
        "float64": "float64",
        "bool": "bool",
        "datetime64[ns, UTC]": "datetime64[ns, UTC]",
    }
    return pd.DataFrame(
        {
            name: pd.Series(dtype=kinds.get(str(col.dtype), object))
            for name, col in schema.to_schema().columns.items()
        }
    )


def frame(rows: list[dict], schema: type[pa.DataFrameModel]) -> pd.DataFrame:
    """``rows`` as a table with the columns (in order) and dtypes of ``schema``; empty rows give :func:`empty_frame`."""
    if not rows:
        return empty_frame(schema)
    columns = schema.to_schema().columns
    table = pd.DataFrame(rows, columns=list(columns))
    for name, col in columns.items():
        if str(col.dtype) in {"int64", "float64", "bool"}:
            table[name] = table[name].astype(str(col.dtype))
    return table
