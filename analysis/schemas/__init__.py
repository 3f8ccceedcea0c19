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

import pandas as pd
import pandera.pandas as pa
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
    try:  # in place: no schema coerces, so nothing is changed, and the table is not copied
        schema.validate(df, lazy=True, inplace=True)
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
    vars(df).pop("pandera", None)
    repeated = repeated_key(df, schema)
    if repeated is not None:
        raise SchemaViolation(f"table '{name}' breaks its schema: {repeated}")
    return df


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
