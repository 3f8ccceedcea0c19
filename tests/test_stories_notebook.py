"""Notebook 07 (stories, outlet by outlet) run by the report command on a tiny corpus of three events."""

from __future__ import annotations

import csv
import json

import pandas as pd
import pytest
from conftest import run_cli

#: (event, outlet, published, text): three events; 'flood' by three outlets, 'strike' by two, 'bridge' by one.
ARTICLES = [
    (
        "flood",
        "Wire A",
        "2024-03-01T08:00:00Z",
        "Floods hit the river town of Eastbrook on Friday.\n\n"
        "At least 40 people were killed when the river burst its banks, officials said.\n\n"
        '"We have never seen water rise this fast," said Mayor Jane Doe.\n\n'
        "Rescue teams from three provinces reached Eastbrook by nightfall.",
    ),
    (
        "flood",
        "Daily B",
        "2024-03-01T20:00:00Z",
        "The river at Eastbrook flooded the town centre on Friday.\n\n"
        "30 people were killed in the flood, the regional government said.\n\n"
        "Mayor Jane Doe said the town would need months to recover.\n\n"
        "Farmers upstream reported fields under a metre of water.",
    ),
    (
        "flood",
        "Site C",
        "2024-03-03",
        "Eastbrook counts the cost of the flood.\n\n"
        "At least 40 people were killed, according to officials in Eastbrook.\n\n"
        '"Our school is gone," said teacher Omar Khan.\n\n'
        "Insurers expect claims to run for the rest of the year.",
    ),
    (
        "strike",
        "Wire A",
        "2024-04-10",
        "Dock workers in Portmouth began a strike over pay on Wednesday.\n\n"
        "About 3,000 workers walked out, the union said.\n\n"
        '"We will stay out until the offer improves," said union leader Ana Silva.',
    ),
    (
        "strike",
        "Daily B",
        "2024-04-11",
        "The Portmouth dock strike entered its second day on Thursday.\n\n"
        "Some 3,000 workers joined the walkout, according to the union.\n\n"
        "Port managers said ships were being sent to other harbours.",
    ),
    (
        "bridge",
        "Site C",
        "2024-05-02",
        "A new bridge over the Green river opened in Millford on Thursday.\n\n"
        "The bridge cost 25 million dollars and took four years to build.\n\n"
        '"It cuts my commute in half," said resident Lee Park.',
    ),
]


def _write_corpus(folder):
    folder.mkdir()
    with (folder / "manifest.csv").open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["article_id", "file", "outlet", "published", "event_id", "headline"])
        for k, (event, outlet, published, text) in enumerate(ARTICLES):
            (folder / f"{k:03d}.txt").write_text(text + "\n", encoding="utf-8")
            writer.writerow([f"{k:03d}", f"{k:03d}.txt", outlet, published, event, text.split("\n")[0]])
    return folder


@pytest.mark.slow
def test_notebook_07_on_three_events(tmp_path, report_env):
    corpus = _write_corpus(tmp_path / "corpus")
    out = tmp_path / "out"
    result = run_cli(
        "report",
        "--corpus",
        corpus,
        "--out",
        out,
        "--notebooks",
        "07",
        "--param",
        "top_stories=2",
        "--param",
        "n_boot=200",
        env=report_env,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    folder = out / "07_stories"
    for name in ("outlet_coverage", "lag_distribution", "pair_disagreement", "story_detail"):
        for ext in ("svg", "png", "json", "csv"):
            assert (folder / f"{name}.{ext}").stat().st_size > 0, f"{name}.{ext}"
    index = json.loads((folder / "index.json").read_text(encoding="utf-8"))
    assert {e["name"] for e in index if e["kind"] == "table"} == {
        "story_overview",
        "top_story_profiles",
        "top_story_disagreements",
    }

    overview = pd.read_csv(folder / "story_overview.csv", keep_default_na=False)
    assert overview[["rank", "story_id", "n_articles", "n_outlets", "first_outlets"]].values.tolist() == [
        [1, "flood", 3, 3, "Wire A"],
        [2, "strike", 2, 2, "Wire A"],
        [3, "bridge", 1, 1, "Site C"],
    ]
    assert overview["max_lag_hours"].tolist() == [40.0, 24.0, 0.0]  # Site C: 3 March, midnight (UTC)

    # only the top_stories=2 first stories are drawn in detail; the third is left out
    detail = pd.read_csv(folder / "story_detail.csv")
    assert detail["story_id"].drop_duplicates().tolist() == ["flood", "strike"]
    assert len(detail) == 5

    stats = pd.read_csv(folder / "outlet_coverage.csv").set_index(["outlet", "measure"])
    assert stats.loc[("Wire A", "share_covered"), "estimate"] == pytest.approx(2 / 3)
    assert stats.loc[("Site C", "share_exclusive"), ["n", "n_stories"]].tolist() == [1, 2]
    assert stats.loc[("Wire A", "share_first"), ["n", "n_stories"]].tolist() == [2, 2]
    assert stats.loc[("Daily B", "median_lag_hours"), "estimate"] == pytest.approx(18.0)  # 12 h and 24 h

    # figures are compared within a story only: the flood's 40 vs 30 killed; nothing across events
    pairs = pd.read_csv(folder / "pair_disagreement.csv", keep_default_na=False)
    shared = pairs.set_index(["outlet", "other_outlet"])["n_shared"].to_dict()
    assert shared == {("Wire A", "Daily B"): 2, ("Wire A", "Site C"): 1, ("Daily B", "Site C"): 1}
    assert pairs[["outlet", "other_outlet", "n_disagree", "story_ids"]].values.tolist() == [
        ["Wire A", "Daily B", 1, "flood"],
        ["Wire A", "Site C", 0, ""],
        ["Daily B", "Site C", 1, "flood"],
    ]
    assert pairs["share"].tolist() == [0.5, 0.0, 1.0]
