"""Data shipped with the package: lexicons, codebooks, boilerplate rules and example alias tables.

Every table here is documented in the docs of the capability that reads it and can be replaced
by a user's own file; :func:`read_table` is the one place that chooses between the two.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

import pandas as pd


def shipped(*parts: str) -> Traversable:
    """The shipped file or folder ``analysis/data/<parts...>``."""
    return resources.files(__name__).joinpath(*parts)


def read_table(name: str, path: str | Path | None = None, **read_csv) -> pd.DataFrame:
    """Read a CSV table as strings: the user's ``path`` when given, else the shipped file ``name``.

    Empty cells stay empty strings (never NaN); extra ``read_csv`` keywords pass through.
    """
    options = {"dtype": str, "keep_default_na": False, **read_csv}
    if path is not None and str(path) != "":
        return pd.read_csv(path, **options)
    with shipped(name).open(encoding="utf-8") as fh:
        return pd.read_csv(fh, **options)


@cache
def read_word_list(name: str) -> frozenset[str]:
    """The words of the shipped list ``name`` (one per line; blank lines and '#' comments skipped)."""
    with shipped(name).open(encoding="utf-8") as fh:
        return frozenset(line.strip() for line in fh if line.strip() and not line.startswith("#"))
