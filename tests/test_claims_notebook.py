"""Notebook 06 runs in the report pipeline and exports every figure; its .py and .ipynb agree."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

REPO = Path(__file__).resolve().parent.parent
FIGURES = ["claim_groups", "coverage_matrix", "coverage_gaps", "provenance", "translation_artefacts"]


def test_notebook_pair_agrees_and_has_no_outputs():
    import jupytext

    nb = json.loads((REPO / "notebooks" / "06_claims.ipynb").read_text(encoding="utf-8"))
    assert all(not c.get("outputs") for c in nb["cells"] if c["cell_type"] == "code")
    params = next(c for c in nb["cells"] if "parameters" in c.get("metadata", {}).get("tags", []))
    assert 'corpus_path = "../seeds"' in "".join(params["source"])
    from_py = jupytext.read(REPO / "notebooks" / "06_claims.py")
    assert ["".join(c["source"]) for c in nb["cells"]] == [c["source"] for c in from_py["cells"]]


@pytest.mark.slow
def test_claims_notebook_exports_figures(tmp_path):
    from analysis.report import run_report

    runs = run_report(REPO / "seeds", tmp_path / "out", only=["06"], log=lambda *_: None)
    assert [r.notebook for r in runs] == ["06_claims.ipynb"]
    folder = tmp_path / "out" / "06_claims"
    for name in FIGURES:
        for ext in ("svg", "png", "json", "csv"):
            assert (folder / f"{name}.{ext}").stat().st_size > 0, f"{name}.{ext}"
    groups = pd.read_csv(folder / "claim_groups.csv", keep_default_na=False)
    assert "disagree" in set(groups["label"]) and "agree" in set(groups["label"])
