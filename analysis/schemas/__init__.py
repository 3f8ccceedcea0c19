"""Table schemas: the package's data dictionary.

Every table passed between stages is a tidy pandas DataFrame whose schema is a
pandera ``DataFrameModel`` defined in one of this package's modules (one module
per capability) and validated with :func:`validate` where a stage produces it.
Each column carries a description; ``describe()`` prints them all.

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

from analysis.infra.imports import hidden_modules

with hidden_modules("dask.dataframe", unless_loaded=("pandera.typing.dask",)):
    import pandera.typing.dask  # noqa: F401  (see analysis.infra.imports: pandera would import Dask here)


def _install_vectorized_str_check() -> None:
    """Check ``Series[str]`` columns in one C pass instead of one Python call per value.

    pandera checks an object column against ``str`` with ``series.map(lambda x: isinstance(x, str))``
    (about 0.1 s per million values, paid at every stage boundary). When pandas' ``infer_dtype``
    already finds only strings (and missing values) every value passes, which is the answer
    pandera would give; any other column goes through pandera's own check, so failures are
    reported exactly as before.
    """
    from pandera.engines import pandas_engine

    elementwise = pandas_engine.NpString.check
    if getattr(elementwise, "_vectorized", False):
        return

    def check(self, pandera_dtype, data_container=None):
        if isinstance(data_container, pd.Series) and data_container.dtype == object \
                and pd.api.types.infer_dtype(data_container, skipna=True) in ("string", "empty"):
            return pd.Series(True, index=data_container.index)
        return elementwise(self, pandera_dtype, data_container)

    check._vectorized = True
    pandas_engine.NpString.check = check


_install_vectorized_str_check()

__all__ = ["SchemaViolation", "validate", "describe"]


class SchemaViolation(ValueError):
    """A table does not match its contract; the message names table, column and rows."""


def validate(df: pd.DataFrame, schema: type[pa.DataFrameModel], *, table: str | None = None) -> pd.DataFrame:
    """Validate ``df`` against ``schema`` and return it unchanged.

    Raises
    ------
    SchemaViolation
        With a one-line summary of every failing check (column, check, first rows).
    """
    name = table or schema.__name__
    try:  # in place: no schema coerces, so nothing is changed, and the table is not copied
        return schema.validate(df, lazy=True, inplace=True)
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


def describe(schema: type[pa.DataFrameModel]) -> pd.DataFrame:
    """The columns of ``schema`` with their dtype, nullability and description.

    Returns
    -------
    DataFrame
        Columns ``column``, ``dtype``, ``nullable``, ``description``.
    """
    cols = schema.to_schema().columns
    return pd.DataFrame(
        [
            {"column": name, "dtype": str(col.dtype), "nullable": col.nullable, "description": col.description}
            for name, col in cols.items()
        ]
    )
