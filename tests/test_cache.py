"""The on-disk cache (analysis.infra.cache), the render cache behind save_chart, and start-up import helpers."""

from __future__ import annotations

import os
import subprocess
import sys

import altair as alt
import pandas as pd
import pytest

from analysis import charts
from analysis.infra import cache


@pytest.fixture
def cache_root(tmp_path, monkeypatch):
    monkeypatch.setenv("COVERAGE_COMPARE_CACHE", str(tmp_path))
    return tmp_path


def test_cached_bytes_computes_once_per_key(cache_root):
    calls = []

    def compute(value):
        return lambda: calls.append(value) or value

    assert cache.cached_bytes("demo", ["a", "b"], compute(b"first")) == b"first"
    assert cache.cached_bytes("demo", ["a", "b"], compute(b"second")) == b"first"  # hit: not recomputed
    assert cache.cached_bytes("demo", ["ab", ""], compute(b"third")) == b"third"  # parts are length-prefixed
    assert calls == [b"first", b"third"]
    assert len(list((cache_root / "demo").glob("*/*"))) == 2


def test_cache_key_is_fixed_and_separates_parts():
    # SHA-256 of the part's length as 8 big-endian bytes, then the part: bytes(7) + b"\x01a"
    assert (
        cache.cache_key(["a"])
        == cache.cache_key([b"a"])
        == "3b196fd4907bedf51c3090e9835f2f7cb61e7ee1b2299ea3b8fed9b4183a822a"
    )
    assert cache.cache_key(["a", "b"]) != cache.cache_key(["ab"])
    assert (
        cache.cache_key([]) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    )  # sha256 of nothing


def test_unwritable_cache_only_costs_time(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("COVERAGE_COMPARE_CACHE", str(blocker))
    assert cache.cached_bytes("demo", ["x"], lambda: b"value") == b"value"


def test_prune_deletes_least_recently_used_first(cache_root):
    for i, name in enumerate(["old", "middle", "new"]):
        cache.cached_bytes("demo", [name], lambda: b"x" * 100)
        path = next(p for p in (cache_root / "demo").glob("*/*") if p.name == cache.cache_key([name]))
        os.utime(path, (1_000_000 + i, 1_000_000 + i))
    cache.cached_bytes("demo", ["old"], lambda: b"unused")  # a hit makes "old" the most recent
    assert cache.prune("demo", max_bytes=200) == 1
    left = {p.name for p in (cache_root / "demo").glob("*/*")}
    assert left == {cache.cache_key(["old"]), cache.cache_key(["new"])}
    assert cache.prune("demo", max_bytes=200) == 0
    assert cache.prune("missing", max_bytes=0) == 0


def test_save_chart_reuses_renders_and_gives_the_same_bytes(cache_root, tmp_path, monkeypatch):
    import vl_convert as vlc

    chart = alt.Chart(pd.DataFrame({"outlet": ["A", "B"], "n": [1, 2]})).mark_bar().encode(x="outlet", y="n")
    first = {
        ext: path.read_bytes() for ext, path in charts.save_chart(chart, tmp_path / "one", "bars").items()
    }

    def refuse(*args, **kwargs):
        raise AssertionError("rendered again")

    monkeypatch.setattr(vlc, "vegalite_to_svg", refuse)
    monkeypatch.setattr(vlc, "vegalite_to_png", refuse)
    second = {
        ext: path.read_bytes() for ext, path in charts.save_chart(chart, tmp_path / "two", "bars").items()
    }
    assert first == second
    assert first["svg"].startswith(b"<svg") and first["png"].startswith(b"\x89PNG")
    with pytest.raises(AssertionError, match="rendered again"):  # another spec is rendered, not looked up
        charts.save_chart(chart.properties(title="other"), tmp_path / "three", "bars")
    with pytest.raises(ValueError, match="cannot render 'pdf'"):
        charts.render("{}", "pdf")


def test_hidden_modules_are_importable_again_afterwards():
    code = """
import sys
from analysis.infra.imports import hidden_modules, without_iri_grammar
with hidden_modules("os"):  # already loaded: not hidden
    import os
with hidden_modules("csv", "colorsys"):
    try:
        import colorsys
    except ImportError:
        hidden = True
import colorsys
with without_iri_grammar():
    import jsonschema
print(hidden, "colorsys" in sys.modules, "rfc3987_syntax" in sys.modules)
import rfc3987_syntax
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["True", "True", "False"]


def test_notebook_imports_skip_torch_dask_and_the_iri_grammar():
    """What a notebook kernel does (setup first, as the notebooks' first cell) loads none of the four."""
    code = (
        "import sys; import analysis; analysis.setup();"
        "from analysis import charts; from analysis.corpus import load_corpus; load_corpus('seeds');"
        "from analysis.nlp import load_spacy; load_spacy();"
        "import numpy as np; from analysis.topics import _backends as topic_models;"
        "topic_models.fit_bertopic(['apple banana', 'car engine', 'apple fruit', 'engine motor'] * 3, np.eye(12), 2,"
        " clustering='kmeans');"
        "print(sorted({'torch', 'transformers', 'dask.dataframe', 'rfc3987_syntax'} & set(sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_schema_validation_neither_copies_nor_changes_the_table():
    from analysis.schemas import SchemaViolation, validate
    from analysis.schemas.terms import TermCounts

    table = pd.DataFrame(
        {"outlet": ["A"], "term": ["russia"], "ngram": [1], "n": [3], "n_units": [2], "n_articles": [1]}
    )
    before = table.copy()
    assert validate(table, TermCounts) is table
    pd.testing.assert_frame_equal(table, before)
    bad = table.assign(term=[7])  # a number where text belongs still fails (pandera's own element check)
    with pytest.raises(SchemaViolation, match="term"):
        validate(bad, TermCounts)
