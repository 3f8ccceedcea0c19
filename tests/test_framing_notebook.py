"""Notebook 05 runs in the report pipeline and exports every figure; its .py and .ipynb agree."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
FIGURES = ["frame_profile", "actor_salience", "actor_agency", "naming_matrix", "tone_distribution", "actor_tone"]


def test_notebook_pair_agrees_and_has_no_outputs():
    import jupytext

    nb = json.loads((REPO / "notebooks" / "05_framing.ipynb").read_text(encoding="utf-8"))
    assert all(not c.get("outputs") for c in nb["cells"] if c["cell_type"] == "code")
    params = next(c for c in nb["cells"] if "parameters" in c.get("metadata", {}).get("tags", []))
    assert 'corpus_path = "../seeds"' in "".join(params["source"])
    from_py = jupytext.read(REPO / "notebooks" / "05_framing.py")
    assert ["".join(c["source"]) for c in nb["cells"]] == [c["source"] for c in from_py["cells"]]


@pytest.mark.slow
def test_framing_notebook_exports_figures(tmp_path):
    from analysis.report import run_report

    runs = run_report(REPO / "seeds", tmp_path / "out", only=["05"], log=lambda *_: None)
    assert [r.notebook for r in runs] == ["05_framing.ipynb"]
    folder = tmp_path / "out" / "05_framing"
    for name in FIGURES:
        for ext in ("svg", "png", "json", "csv"):
            assert (folder / f"{name}.{ext}").stat().st_size > 0, f"{name}.{ext}"
