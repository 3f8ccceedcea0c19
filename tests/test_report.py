"""The report pipeline end to end: every notebook on the seeds, exported files, failures."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from conftest import REPO, SEEDS, run_cli

NOTEBOOKS = sorted((REPO / "notebooks").glob("[0-9][0-9]_*.ipynb"))


@pytest.mark.slow
def test_report_runs_every_notebook(seeds_report):
    executed = sorted(p.name for p in (seeds_report / "notebooks").glob("*.ipynb"))
    assert executed == [p.name for p in NOTEBOOKS]
    for nb in NOTEBOOKS:
        assert (seeds_report / nb.stem).is_dir(), f"{nb.stem} exported no figures"


@pytest.mark.slow
def test_every_figure_is_exported_in_four_formats(seeds_report):
    stems = []
    for index in seeds_report.glob("[0-9][0-9]_*/index.json"):
        entries = json.loads(index.read_text())
        stems += [index.parent / e["name"] for e in entries if e["kind"] == "figure"]
        for e in entries:  # every table the report lists exists
            assert (index.parent / f"{e['name']}.csv").exists()
    assert len(stems) >= 20
    for stem in stems:
        spec = json.loads(stem.with_suffix(".json").read_text())
        assert spec["$schema"].startswith("https://vega.github.io/schema/vega-lite/")
        assert stem.with_suffix(".svg").read_text().lstrip().startswith("<svg")
        assert stem.with_suffix(".png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        pd.read_csv(stem.with_suffix(".csv"))  # parses


@pytest.mark.slow
def test_run_manifest(seeds_report):
    manifest = json.loads((seeds_report / "run.json").read_text())
    assert manifest["corpus"]["n_articles"] == 5
    assert set(manifest["corpus"]["files_sha256"]) >= {"manifest.csv", "000_9938383b5004fa83.txt"}
    assert [n["notebook"] for n in manifest["notebooks"]] == [p.name for p in NOTEBOOKS]
    assert all(n["seconds"] >= 0 for n in manifest["notebooks"])


def _failing_notebooks(folder: Path) -> Path:
    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell('corpus_path = "x"\nout_dir = "y"')
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, nbformat.v4.new_code_cell("x = 1"), nbformat.v4.new_code_cell("raise ValueError('boom')")]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    folder.mkdir()
    nbformat.write(nb, folder / "01_fail.ipynb")
    return folder


def test_failing_cell_names_notebook_and_cell_and_leaves_out_untouched(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("previous run")
    result = run_cli("report", "--corpus", SEEDS, "--out", out, "--notebooks-dir", _failing_notebooks(tmp_path / "nb"))
    assert result.returncode == 1
    assert "01_fail.ipynb: code cell 3 (raise ValueError('boom')) failed: ValueError: boom" in result.stderr
    assert "Traceback" not in result.stderr
    assert [p.name for p in out.iterdir()] == ["keep.txt"]
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".out")] == []  # staging cleaned up


def test_unknown_parameter_is_refused(tmp_path):
    result = run_cli("report", "--corpus", SEEDS, "--out", tmp_path / "o", "--notebooks", "01", "--param", "nope=1")
    assert result.returncode == 1
    assert "unknown parameter(s) ['nope']" in result.stderr
    assert not (tmp_path / "o").exists()


def test_bad_corpus_gives_one_line(tmp_path):
    result = run_cli("report", "--corpus", tmp_path / "missing", "--out", tmp_path / "o")
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0 and "no such file or folder" in result.stderr


def test_inspect_prints_outlets():
    result = run_cli("inspect", SEEDS)
    assert result.returncode == 0
    assert "Kyiv Independent" in result.stdout and "photo_caption" in result.stdout


def test_notebooks_that_took_longest_last_time_start_first(tmp_path):
    from analysis.report._runner import _longest_first

    plans = [(Path(f"0{i}_x.ipynb"), {}) for i in (1, 2, 3)]
    assert _longest_first(plans, tmp_path) == plans  # no previous run: notebook order
    (tmp_path / "run.json").write_text(json.dumps({"notebooks": [
        {"notebook": "02_x.ipynb", "seconds": 9.0}, {"notebook": "03_x.ipynb", "seconds": 1.0}]}))
    assert [nb.name for nb, _ in _longest_first(plans, tmp_path)] == ["02_x.ipynb", "03_x.ipynb", "01_x.ipynb"]
    (tmp_path / "run.json").write_text("{not json")
    assert _longest_first(plans, tmp_path) == plans
