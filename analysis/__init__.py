"""coverage-compare: compare how news outlets covered the same events.

Importing ``analysis`` or any of its modules changes no global state. What does change global
state is done by one explicit call, :func:`setup`, made by the report runner and by the first
code cell of every notebook (after the ``parameters`` cell)::

    import analysis

    analysis.setup()
    out_dir = analysis.scratch_dir(out_dir)
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from analysis.infra.imports import preload_lean_imports

__all__ = ["setup", "scratch_dir", "SCRATCH_ENV"]

#: Environment variable naming the folder a notebook opened by hand writes its figures into.
SCRATCH_ENV = "COVERAGE_COMPARE_SCRATCH"
#: The folder holding this package (the source checkout, or site-packages once installed).
_PACKAGE_ROOT = Path(__file__).resolve().parent.parent


def setup() -> None:
    """Configure this process for analysis and figures; idempotent, so safe to call in every cell.

    What it changes, and why:

    * **Altair**: registers and enables the ``coverage_compare`` theme (font, sizes, the outlet
      palette; :func:`analysis.charts.enable_theme`) and lifts the data transformer's 5,000-row
      guard (``max_rows=None``), since charts embed tables that are already aggregated. Every
      figure's Vega-Lite spec, and so its bytes, depends on both: call this before drawing.
    * **Import start-up** (:func:`analysis.infra.imports.preload_lean_imports`): imports jsonschema
      without its IRI grammar (~0.8 s) and ``pandera.typing.dask`` without Dask (~0.6 s). Lasting
      effects: jsonschema does not check ``"iri"`` formats, pandera does not type Dask frames.
      Nothing is left hidden in ``sys.modules``. Call it before importing ``analysis.charts`` (or
      altair, nbformat, papermill) to save that time; called later it still configures the rest.
    * **Environment**: ``HF_HUB_OFFLINE`` and ``TRANSFORMERS_OFFLINE`` default to ``1``, so the
      embedding model is only ever read from disk (values already set are kept).

    Not here: spaCy and BERTopic keep torch/transformers out while they load, inside
    :func:`analysis.nlp.load_spacy` and the BERTopic back end (importing either costs seconds that
    notebooks without them should not pay); UMAP's numba kernels are cached on disk by the code
    that runs UMAP, and numba's own configuration is never changed.
    """
    preload_lean_imports()  # first: before altair (jsonschema) and pandera's first schema load

    from analysis import charts  # defers altair until jsonschema is loaded without its IRI grammar

    charts.enable_theme()
    for key in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE"):
        os.environ.setdefault(key, "1")


def scratch_dir(out_dir: str | os.PathLike = "") -> str:
    """The folder a notebook writes its figures into: ``out_dir``, or a scratch folder when it is empty.

    The report runner always passes an explicit ``out_dir``, which is returned unchanged. A notebook
    opened by hand keeps its parameters cell's ``out_dir = ""`` and so writes into
    ``$COVERAGE_COMPARE_SCRATCH`` when set, else ``<system temp dir>/coverage-compare-<user>/``: never
    into ``notebooks/`` or the checkout.

    Raises
    ------
    ValueError
        When ``$COVERAGE_COMPARE_SCRATCH`` points inside the folder that holds this package.
    """
    if str(out_dir):
        return str(out_dir)
    configured = os.environ.get(SCRATCH_ENV, "")
    folder = Path(configured) if configured else Path(tempfile.gettempdir()) / f"coverage-compare-{_user()}"
    folder = folder.expanduser().resolve()
    if folder.is_relative_to(_PACKAGE_ROOT):
        raise ValueError(f"{SCRATCH_ENV}={configured!r} lies inside {_PACKAGE_ROOT}: choose another folder")
    return str(folder)


def _user() -> str:
    """The user's id (so that users sharing a temp dir do not share a scratch folder)."""
    return str(os.getuid()) if hasattr(os, "getuid") else os.environ.get("USERNAME", "user")
