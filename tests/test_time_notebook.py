"""Notebook 08 (time and outlet groups) run by the report command on a tiny dated corpus of three events."""

from __future__ import annotations

import csv
import json

import pandas as pd
import pytest
from conftest import run_cli

#: (event, outlet, outlet_type, published, precision, text): three events over three weeks.
ARTICLES = [
    (
        "flood",
        "Wire A",
        "wire",
        "2024-03-04T08:00:00Z",
        "",
        "Floods hit the river town of Eastbrook on Monday.",
    ),
    ("flood", "Daily B", "newspaper", "2024-03-04", "day", "The river at Eastbrook flooded the town centre."),
    ("flood", "Site C", "digital", "2024-03-06", "day", "Eastbrook counts the cost of the flood."),
    (
        "strike",
        "Wire A",
        "wire",
        "2024-03-12T06:00:00Z",
        "",
        "Dock workers in Portmouth began a strike over pay.",
    ),
    (
        "strike",
        "Daily B",
        "newspaper",
        "2024-03-13",
        "day",
        "The Portmouth dock strike entered its second day.",
    ),
    (
        "bridge",
        "Site C",
        "digital",
        "2024-03-20",
        "week",
        "A new bridge over the Green river opened in Millford.",
    ),
]


def _write_corpus(folder):
    folder.mkdir()
    columns = ["article_id", "file", "outlet", "outlet_type", "published", "published_precision", "event_id"]
    with (folder / "manifest.csv").open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(columns)
        for k, (event, outlet, kind, published, precision, text) in enumerate(ARTICLES):
            (folder / f"{k:03d}.txt").write_text(text + "\n\nOfficials said more news would follow.\n")
            writer.writerow([f"{k:03d}", f"{k:03d}.txt", outlet, kind, published, precision, event])
    return folder


@pytest.mark.slow
def test_notebook_08_on_three_events(tmp_path, report_env):
    out = tmp_path / "out"
    result = run_cli(
        "report",
        "--corpus",
        _write_corpus(tmp_path / "corpus"),
        "--out",
        out,
        "--notebooks",
        "08",
        "--param",
        "n_boot=100",
        "--param",
        "freq=W",
        env=report_env,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    folder = out / "08_time"
    for name in ("attention", "attention_by_group", "topic_share", "tone", "precedence", "lag_distribution"):
        for ext in ("svg", "json", "csv"):
            assert (folder / f"{name}.{ext}").stat().st_size > 0, f"{name}.{ext}"
    index = json.loads((folder / "index.json").read_text(encoding="utf-8"))
    assert {e["name"] for e in index if e["kind"] == "table"} == {"rewrites", "rising_terms"}

    attention = pd.read_csv(folder / "attention.csv")
    counts = attention[attention["measure"] == "n_articles"].groupby("period")["n_articles"].sum()
    # the week-precision bridge article is in its ISO week, like the dated ones
    assert counts.to_dict() == {
        "2024-03-04/2024-03-10": 3,
        "2024-03-11/2024-03-17": 2,
        "2024-03-18/2024-03-24": 1,
    }

    stats = pd.read_csv(folder / "precedence.csv").set_index(["outlet", "measure"])
    # Daily B's day-precision 4 March overlaps the wire's 08:00: both first on the flood, never ordered
    assert stats.loc[("Daily B", "share_first"), ["n", "n_stories"]].tolist() == [1, 2]
    assert stats.loc[("Wire A", "share_first"), ["n", "n_stories"]].tolist() == [2, 2]
    summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    assert summary[0] == "6 articles placed over 3 periods."
