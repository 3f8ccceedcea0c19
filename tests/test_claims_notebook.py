"""Notebook 06 runs in the report pipeline and exports every figure; its .py and .ipynb agree."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

REPO = Path(__file__).resolve().parent.parent
FIGURES = ["claim_groups", "coverage_matrix", "coverage_gaps", "provenance", "translation_artefacts"]


@pytest.mark.slow
def test_claims_notebook_exports_figures(tmp_path):
    from analysis.report._runner import run_report

    runs = run_report(REPO / "seeds", tmp_path / "out", only=["06"], log=lambda *_: None)
    assert [r.notebook for r in runs] == ["06_claims.ipynb"]
    folder = tmp_path / "out" / "06_claims"
    for name in FIGURES:
        for ext in ("svg", "png", "json", "csv"):
            assert (folder / f"{name}.{ext}").stat().st_size > 0, f"{name}.{ext}"
    groups = pd.read_csv(folder / "claim_groups.csv", keep_default_na=False)
    assert "disagree" in set(groups["label"]) and "agree" in set(groups["label"])
