"""Notebook conventions: one source per notebook, no outputs, a literals-only parameters cell, no defs."""

from __future__ import annotations

import ast
from pathlib import Path

import nbformat
import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def test_one_source_per_notebook():
    """JupyterLab lists each analysis once: no text twins or other files beside the notebooks."""
    folder = NOTEBOOKS[0].parent
    others = sorted(p.name for p in folder.iterdir() if p.suffix != ".ipynb" and not p.name.startswith("."))
    assert others == [], f"notebooks/ should hold only the .ipynb sources, found {others}"
    assert [p.stem for p in NOTEBOOKS] == [
        "01_corpus",
        "02_topics",
        "03_term_contrasts",
        "04_sourcing",
        "05_framing",
        "06_claims",
        "07_stories",
        "08_time",
    ]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_stored_without_outputs(path):
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, f"{path.name} has outputs"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_parameters_cell_is_literals_only(path):
    code = [c for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]
    first = code[0]
    assert "parameters" in first.metadata.get("tags", []), "first code cell must be tagged 'parameters'"
    names = set()
    for node in ast.parse(first.source).body:
        assert isinstance(node, ast.Assign) and len(node.targets) == 1, ast.dump(node)
        ast.literal_eval(node.value)  # raises on anything computed
        names.add(node.targets[0].id)
    assert {"corpus_path", "out_dir"} <= names


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_no_definitions_in_notebooks(path):
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type == "code":
            tree = ast.parse(cell.source)
            assert not [
                n
                for n in ast.walk(tree)
                if isinstance(n, (ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef))
            ]
