"""Start-up time: keep optional imports of our dependencies out of processes that never use them.

Every notebook kernel is a fresh process, so a second spent importing something unused is paid
six times per report. Four dependencies import heavy optional modules on their own:

* jsonschema (under altair, nbformat, papermill) imports ``rfc3987_syntax`` when installed
  (JupyterLab's jupyter-events installs it) to check the "iri" string format, which neither
  Vega-Lite specs nor notebooks use; building its grammar costs ~0.8 s.
* thinc (under spaCy) imports ``torch`` when installed, ~1.5 s; the verified en_core_web_sm
  pipeline runs on thinc's own numpy layers and never touches it.
* BERTopic imports ``transformers`` and ``torch`` (~3 s) for LLM representation models and
  embedding back ends; :func:`analysis.topics._backends.fit_bertopic` passes embeddings computed by
  :mod:`analysis.nlp._embed` and uses neither.
* pandera, on building its first schema, imports ``dask.dataframe`` when installed, ~0.6 s,
  to recognise Dask annotations; every schema here annotates pandas frames.

:func:`hidden_modules` makes such a module unimportable only while the dependency loads; it is
importable again afterwards, and nothing is hidden once it (or the dependency) is already loaded.
The one lasting effect is inside the dependency, in that process: jsonschema does not check
"iri" formats, thinc does not wrap PyTorch models, BERTopic offers no TextGeneration or
ZeroShotClassification representation, pandera does not type Dask frames.

Nothing here runs on import. Each hiding is an explicit call made where the dependency is loaded:
jsonschema and pandera's Dask typing, which every notebook needs, by :func:`preload_lean_imports`
(called by :func:`analysis.setup`); spaCy by :func:`analysis.nlp.load_spacy`; BERTopic by its back
end in ``analysis.topics``; papermill (via nbformat's jsonschema) by the report runner.
"""

from __future__ import annotations

import sys
from contextlib import contextmanager

__all__ = ["hidden_modules", "without_iri_grammar", "preload_lean_imports"]


@contextmanager
def hidden_modules(*names: str, unless_loaded: tuple[str, ...] = ()):
    """Within the block, ``import name`` raises ImportError for each of ``names``.

    Nothing is hidden when any of ``names`` or of ``unless_loaded`` is already imported.
    """
    if any(name in sys.modules for name in (*names, *unless_loaded)):
        yield
        return
    for name in names:
        sys.modules[name] = None  # the import system's marker for "cannot be imported"
    try:
        yield
    finally:
        for name in names:
            if name in sys.modules and sys.modules[name] is None:
                del sys.modules[name]


def without_iri_grammar():
    """Import jsonschema (for altair, nbformat, papermill) without building its IRI grammar."""
    return hidden_modules("rfc3987_syntax", unless_loaded=("jsonschema",))


def preload_lean_imports() -> None:
    """Import jsonschema without its IRI grammar and ``pandera.typing.dask`` without Dask.

    pandera imports ``pandera.typing.dask`` when it builds its first schema (at the first validation,
    not when a schema class is defined); loaded here first, Dask is not imported then. Call this before
    altair, nbformat or papermill is imported and before the first validation; once they are loaded it
    changes nothing.
    """
    with without_iri_grammar():
        import jsonschema  # noqa: F401
    with hidden_modules("dask.dataframe", unless_loaded=("pandera.typing.dask",)):
        import pandera.typing.dask  # noqa: F401
