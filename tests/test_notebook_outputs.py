"""What each notebook exports, read from the one report run that the whole session shares (``seeds_report``)."""

from __future__ import annotations

import pandas as pd
import pytest

FIGURES = {
    "05_framing": [
        "frame_profile",
        "actor_salience",
        "actor_agency",
        "naming_matrix",
        "tone_distribution",
        "actor_tone",
    ],
    "06_claims": ["claim_groups", "coverage_matrix", "coverage_gaps", "provenance", "translation_artefacts"],
    "08_time": [
        "attention",
        "attention_by_group",
        "topic_share",
        "tone",
        "precedence",
        "lag_distribution",
        "blindspots",
    ],
}


@pytest.mark.slow
@pytest.mark.parametrize("section", sorted(FIGURES))
def test_section_exports_each_figure_in_four_formats(seeds_report, section):
    folder = seeds_report / section
    for name in FIGURES[section]:
        for ext in ("svg", "png", "json", "csv"):
            assert (folder / f"{name}.{ext}").stat().st_size > 0, f"{section}/{name}.{ext}"


@pytest.mark.slow
def test_claims_on_the_seeds_show_agreement_and_disagreement(seeds_report):
    groups = pd.read_csv(seeds_report / "06_claims" / "claim_groups.csv", keep_default_na=False)
    assert {"agree", "disagree"} <= set(groups["label"])
