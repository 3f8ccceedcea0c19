"""Notebook 05 runs in the report pipeline and exports every figure; its .py and .ipynb agree."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
FIGURES = ["frame_profile", "actor_salience", "actor_agency", "naming_matrix", "tone_distribution", "actor_tone"]


@pytest.mark.slow
def test_framing_notebook_exports_figures(tmp_path):
    from analysis.report._runner import run_report

    runs = run_report(REPO / "seeds", tmp_path / "out", only=["05"], log=lambda *_: None)
    assert [r.notebook for r in runs] == ["05_framing.ipynb"]
    folder = tmp_path / "out" / "05_framing"
    for name in FIGURES:
        for ext in ("svg", "png", "json", "csv"):
            assert (folder / f"{name}.{ext}").stat().st_size > 0, f"{name}.{ext}"
