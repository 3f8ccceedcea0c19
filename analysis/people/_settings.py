"""Per-corpus settings: ``coverage-compare.toml`` in the corpus folder names the tables a corpus uses.

Without the file every table is discovered from the corpus. With it, the notebooks use the tables
it names and print which (never a silent default). The seeds' file is the example::

    [tables]
    actor_table = "actors_nk2023.csv"   # a path relative to the file, or a file shipped in analysis/data/
    terms_table = "terms_nk2023.csv"

A parameter given to a notebook (``actor_table = "mine.csv"``) wins over the file.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from analysis.corpus import Corpus
from analysis.data import shipped

__all__ = ["SETTINGS_FILE", "corpus_settings", "table_setting"]

SETTINGS_FILE = "coverage-compare.toml"


def _settings_path(corpus: Corpus | str | Path) -> Path | None:
    source = Path(corpus.source if isinstance(corpus, Corpus) else corpus)
    if not str(source) or not source.is_dir():
        return None  # a .jsonl/.csv/.parquet corpus or a corpus built in memory has no settings
    path = source / SETTINGS_FILE
    return path if path.is_file() else None


def corpus_settings(corpus: Corpus | str | Path) -> dict:
    """The parsed ``coverage-compare.toml`` of the corpus folder (``corpus.source``), or ``{}`` without one."""
    path = _settings_path(corpus)
    if path is None:
        return {}
    with path.open("rb") as fh:
        return tomllib.load(fh)


def table_setting(corpus: Corpus | str | Path, name: str, given: str = "") -> tuple[str, str]:
    """The table to use for ``name`` (say ``"actor_table"``) and where that choice came from.

    Returns
    -------
    (str, str)
        The path to read (``""`` = discover from the corpus) and its origin: ``"parameter"``,
        ``"<settings file>"`` or ``"discovered"``.

    Raises
    ------
    FileNotFoundError
        When the settings file names a table that is neither beside it nor shipped.
    """
    if given:
        return str(given), "parameter"
    path = _settings_path(corpus)
    value = str(corpus_settings(corpus).get("tables", {}).get(name, "")) if path else ""
    if not value:
        return "", "discovered"
    local = path.parent / value
    if local.is_file():
        return str(local), str(path)
    if shipped(value).is_file():
        return str(shipped(value)), str(path)
    raise FileNotFoundError(f"{path}: {name} = {value!r} is neither beside it nor in analysis/data/")
