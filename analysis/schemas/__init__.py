"""Table schemas: the package's data dictionary.

Every table passed between stages is a tidy pandas DataFrame whose schema is a
pandera ``DataFrameModel`` defined in one of this package's modules (one module
per capability) and validated with :func:`validate` where a stage produces it.
Each column carries a description; ``describe()`` prints them all. Columns that
several tables share are declared once (``analysis.schemas._fields``). Each model
states its grain, the key columns that identify a row (``class Speakers(Table,
grain=("outlet", "speaker"))``), and :func:`validate` refuses a table that repeats a key.

Shared column vocabulary: ``article_id``, ``outlet``, ``outlet_type``,
``paragraph_id``, ``sentence_id``, ``start``/``end`` (character offsets into the
article's original text), ``text``, ``term``, ``n`` (counts), ``topic``,
``frame``, ``speaker``, ``actor``, ``score``, ``se``, ``z``, ``p``, ``q``,
``ci_low``, ``ci_high``. Identifiers end in ``_id``.
"""

from __future__ import annotations

import functools

import pandas as pd
import pandera.pandas as pa
from pandera.engines.pandas_engine import NpString
from pandera.errors import SchemaError, SchemaErrors

from analysis.schemas._fields import WHOLE_CORPUS
from analysis.schemas._table import GROUP_COLUMNS, Table, empty_frame, frame, grain_of, repeated_key

__all__ = [
    "GROUP_COLUMNS",
    "WHOLE_CORPUS",
    "SchemaViolation",
    "Table",
    "describe",
    "empty_frame",
    "frame",
    "grain_of",
    "validate",
]


class SchemaViolation(ValueError):
    """A table does not match its contract; the message names table, column and rows."""


def validate(
    df: pd.DataFrame, schema: type[pa.DataFrameModel], *, table: str | None = None, by: str = "outlet"
) -> pd.DataFrame:
    """Validate ``df`` against ``schema`` (columns, then the uniqueness of its grain) and return it unchanged.

    ``by`` names the column that plays the schema's ``outlet`` role in a table grouped by another
    column (``outlet_type``, ``country``...): it is checked as ``outlet`` would be.

    Raises
    ------
    SchemaViolation
        With a one-line summary of every failing check (column, check, first rows), or of the
        first key the table repeats (key columns and values, rows holding them).
    """
    name = table or schema.__name__
    if by != "outlet":
        validate(df.rename(columns={by: "outlet"}, copy=False), schema, table=table)
        return df
    checker = _checked_schema(df, schema)
    try:  # in place: no schema coerces, so nothing is changed, and the table is not copied
        checker.validate(df, lazy=True, inplace=True)
    except SchemaErrors as exc:
        cases = exc.failure_cases
        parts = []
        for (column, check), group in cases.groupby(["column", "check"], dropna=False, sort=False):
            rows = group["index"].dropna().astype(str).head(3).tolist()
            where = f" (rows {', '.join(rows)})" if rows else ""
            parts.append(f"{column}: {check}{where}")
        raise SchemaViolation(f"table '{name}' breaks its schema: " + "; ".join(parts)) from None
    except SchemaError as exc:  # pragma: no cover - lazy=True collects into SchemaErrors
        raise SchemaViolation(f"table '{name}' breaks its schema: {exc}") from None
    # pandas caches pandera's accessor on the frame and the accessor holds the frame: a reference
    # cycle that kept every validated table (and its texts) alive until a full garbage collection,
    # which grew the scale engine's memory with the corpus. Without the cached accessor a table is
    # freed when unused; pandera keeps the schema by weak reference, so `df.pandera.schema` still answers.
    if checker is not schema.to_schema():  # the table's pandera schema is its contract, not the checker
        df.pandera.add_schema(schema.to_schema())
    vars(df).pop("pandera", None)
    repeated = repeated_key(df, schema)
    if repeated is not None:
        raise SchemaViolation(f"table '{name}' breaks its schema: {repeated}")
    return df


def _checked_schema(df: pd.DataFrame, schema: type[pa.DataFrameModel]) -> pa.DataFrameSchema:
    """``schema``'s pandera schema, less the checks on its ``str`` columns that one C pass already answered.

    pandera checks an object column against ``str`` with one Python call per value, and a
    non-nullable one for missing values with another full pass. pandas' ``infer_dtype`` answers
    both at once: a column holding only strings (and missing values) passes the type check, which
    is dropped; one holding only strings passes the missing-value check too, which is dropped as
    well, and so is a 'no empty string' check (``str_length`` with a minimum of 1) that one
    comparison of the whole column answers. Every other column keeps pandera's checks and fails with pandera's own message, so every
    verdict and message is unchanged. Nothing global is changed.
    """
    if df.columns.has_duplicates:  # df[name] would be a table: pandera's own checks decide
        return schema.to_schema()
    typed, complete, non_empty = set(), set(), set()
    for name, column in schema.to_schema().columns.items():
        if not isinstance(column.dtype, NpString) or column.coerce or name not in df.columns:
            continue
        values = df[name]
        if values.dtype != object:
            continue
        if pd.api.types.infer_dtype(values, skipna=False) == "string":
            typed.add(name)
            complete.add(name)
            # a 'no empty string' check (str_length min 1) is one comparison of the whole column
            if any(_is_non_empty_check(c) for c in column.checks) and bool((values.to_numpy() != "").all()):
                non_empty.add(name)
        elif pd.api.types.infer_dtype(values, skipna=True) in ("string", "empty"):
            typed.add(name)
    return _relaxed_schema(schema, frozenset(typed), frozenset(complete), frozenset(non_empty))


def _is_non_empty_check(check: pa.Check) -> bool:
    """Whether ``check`` is ``str_length(min_value=1)`` and nothing more."""
    return check.name == "str_length" and check.statistics == {
        "min_value": 1,
        "max_value": None,
        "exact_value": None,
    }


@functools.lru_cache(maxsize=256)
def _relaxed_schema(
    schema: type[pa.DataFrameModel],
    typed: frozenset[str],
    complete: frozenset[str],
    non_empty: frozenset[str],
) -> pa.DataFrameSchema:
    """``schema``'s pandera schema with no type check on the ``typed`` columns, no missing-value
    check on the ``complete`` ones and no 'no empty string' check on the ``non_empty`` ones (built
    once per model and column sets)."""
    full = schema.to_schema()
    changes = {name: {"dtype": None} for name in typed}
    for name in complete:
        changes[name]["nullable"] = True
    for name in non_empty:
        changes[name]["checks"] = [c for c in full.columns[name].checks if not _is_non_empty_check(c)]
    return full.update_columns(changes) if changes else full


def describe(schema: type[pa.DataFrameModel]) -> pd.DataFrame:
    """The columns of ``schema`` with their dtype, nullability, place in the grain and description.

    Returns
    -------
    DataFrame
        Columns ``column``, ``dtype``, ``nullable``, ``key`` (True for the grain's columns),
        ``description``.
    """
    cols = schema.to_schema().columns
    keys = set(grain_of(schema) or ())
    return pd.DataFrame(
        [
            {
                "column": name,
                "dtype": str(col.dtype),
                "nullable": col.nullable,
                "key": name in keys,
                "description": col.description,
            }
            for name, col in cols.items()
        ]
    )
