"""Progress bars for the long steps a notebook takes (embedding, spaCy parsing, topic fitting).

A bar goes to stderr, where JupyterLab shows it under the cell. Notebooks run by the report runner
keep their outputs clean: the runner sets ``$COVERAGE_COMPARE_NO_PROGRESS=1`` in each kernel's
environment (papermill would store every redraw of a bar in the executed notebook), and the
runner shows its own progress on the console instead.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator
from typing import TypeVar

from tqdm import tqdm  # the text bar (tqdm.auto would need ipywidgets in JupyterLab)

__all__ = ["NO_PROGRESS_ENV", "progress_shown", "progress", "progress_bar"]

#: Set to 1 to hide the bars of :func:`progress` (the report runner sets it in its kernels).
NO_PROGRESS_ENV = "COVERAGE_COMPARE_NO_PROGRESS"

T = TypeVar("T")


def progress_shown() -> bool:
    """Whether :func:`progress` draws bars (False when ``$COVERAGE_COMPARE_NO_PROGRESS`` is set and not 0)."""
    return os.environ.get(NO_PROGRESS_ENV, "") in ("", "0")


def progress(items: Iterable[T], *, total: int | None = None, desc: str, unit: str = "it") -> Iterator[T]:
    """``items`` unchanged, with a tqdm bar on stderr while they are consumed (see :func:`progress_shown`)."""
    yield from tqdm(items, total=total, desc=desc, unit=unit, file=sys.stderr, disable=not progress_shown())


def progress_bar(*, total: int, desc: str, unit: str = "it") -> tqdm:
    """A tqdm bar on stderr to ``update`` by hand (one bar over steps done in batches); see :func:`progress_shown`."""
    return tqdm(total=total, desc=desc, unit=unit, file=sys.stderr, disable=not progress_shown())
