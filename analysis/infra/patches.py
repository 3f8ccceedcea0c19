"""Speed patches of dependencies, applied only by :func:`analysis.setup` (never on import)."""

from __future__ import annotations

import pandas as pd

__all__ = ["vectorize_pandera_str_check"]


def vectorize_pandera_str_check() -> None:
    """Check ``Series[str]`` columns in one C pass instead of one Python call per value.

    pandera checks an object column against ``str`` with ``series.map(lambda x: isinstance(x, str))``
    (about 0.1 s per million values, paid at every stage boundary). When pandas' ``infer_dtype``
    already finds only strings (and missing values) every value passes, which is the answer
    pandera would give; any other column goes through pandera's own check, so failures are
    reported exactly as before. Replaces ``pandera.engines.pandas_engine.NpString.check`` once;
    later calls change nothing.
    """
    from pandera.engines import pandas_engine

    elementwise = pandas_engine.NpString.check
    if getattr(elementwise, "_vectorized", False):
        return

    def check(self, pandera_dtype, data_container=None):
        if (
            isinstance(data_container, pd.Series)
            and data_container.dtype == object
            and pd.api.types.infer_dtype(data_container, skipna=True) in ("string", "empty")
        ):
            return True  # a bool, not a Series: pandera then skips formatting an empty failure table
        return elementwise(self, pandera_dtype, data_container)

    check._vectorized = True
    pandas_engine.NpString.check = check
