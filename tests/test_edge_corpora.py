"""Analyses on edge input: corpora with one outlet or one article, and inputs that must not be opened.

The report runs every notebook on such a corpus; a comparison that needs two outlets (or a topic
model that needs three units) says so in its figure and summary instead of failing the run.
"""

from __future__ import annotations

import json
import os

import pandas as pd
import pytest
from conftest import REPO, run_cli, unblock_fifo_after

from analysis import charts, terms, topics
from analysis.charts import claims as claim_charts
from analysis.charts import topics as topic_charts
from analysis.corpus import CorpusError, require_file
from analysis.report import summaries
from analysis.scale import plan_partitions

ONE_OUTLET = [
    {
        "article_id": f"a{i}",
        "outlet": "Only",
        "text": f"Troops arrived in the city on Monday. Officials said {i} people were hurt.",
    }
    for i in range(3)
]
ONE_ARTICLE = ONE_OUTLET[:1]
TWO_OUTLETS = [{"outlet": "A", "term": "war", "n": 2}, {"outlet": "B", "term": "war", "n": 1}]


def _notes(chart) -> list[str]:
    return charts.chart_data(chart)["note"].tolist()


# ---------------------------------------------------------------- helpers the notebooks branch on


@pytest.mark.parametrize(
    ("rows", "by", "expected"),
    [
        (TWO_OUTLETS, "outlet", ""),
        (TWO_OUTLETS[:1], "outlet", "A term contrast needs at least two outlets; this corpus has one (A)."),
        ([], "outlet", "A term contrast needs at least two outlets; this corpus has none."),
        (
            [{**r, "country": "JP"} for r in TWO_OUTLETS],
            "country",
            "A term contrast needs at least two country groups; this corpus has one (JP).",
        ),
    ],
)
def test_comparison_note(rows, by, expected):
    counts = pd.DataFrame(rows, columns=["outlet", "term", "n", *(["country"] if by == "country" else [])])
    assert terms.comparison_note(counts, by=by) == expected


@pytest.mark.parametrize(
    ("n_units", "expected"),
    [
        (1, "A topic model needs at least 3 units (paragraphs or sentences); this corpus has 1."),
        (2, "A topic model needs at least 3 units (paragraphs or sentences); this corpus has 2."),
        (3, ""),
    ],
)
def test_model_note(n_units, expected):
    units = pd.DataFrame(
        {
            "paragraph_id": [f"p{i}" for i in range(n_units)],
            "article_id": "a",
            "outlet": "A",
            "text": "Troops arrived.",
        }
    )
    assert topics.model_note(units) == expected


def test_comparison_charts_say_they_need_two_outlets():
    coverage = pd.DataFrame({"unit": ["c1"], "outlet": ["Only"], "n_outlets": [1], "status": ["covered"]})
    assert _notes(claim_charts.coverage_chart(coverage, ["Only"])) == [
        "Comparing coverage needs at least two outlets; this corpus has one (Only)."
    ]
    assert _notes(claim_charts.gaps_chart(pd.DataFrame(columns=["outlet", "status"]), ["Only"])) == [
        "Finding exclusive and omitted content needs at least two outlets; this corpus has one (Only)."
    ]
    assert _notes(claim_charts.claim_groups_chart(pd.DataFrame(), ["Only"])) == [
        "Comparing figures across outlets needs at least two outlets; this corpus has one (Only)."
    ]
    assert _notes(topic_charts.distinctive_chart(pd.DataFrame(), pd.DataFrame(), ["Only"])) == [
        "Comparing topic shares needs at least two outlets; this corpus has one (Only)."
    ]
    # with two outlets, an empty table keeps its own note
    assert _notes(claim_charts.gaps_chart(pd.DataFrame(columns=["outlet", "status"]), ["A", "B"])) == [
        "No exclusive or omitted content"
    ]


def test_summaries_say_a_comparison_needs_two_outlets():
    labels = pd.DataFrame({"topic": [0, 1], "label": ["troops · city", "officials · hurt"]})
    prevalence = pd.DataFrame({"outlet": ["Only", "Only"], "topic": [0, 1], "n_units": [3, 3]})
    distinctive = pd.DataFrame(
        columns=["outlet", "topic", "share", "share_rest", "diff", "ci_low", "ci_high", "distinctive"]
    ).astype({"distinctive": bool, "diff": float})
    assert summaries.topics_summary(labels, prevalence, distinctive) == [
        "2 topics over 3 units.",
        "Comparing topic shares needs at least two outlets; this corpus has one (Only).",
    ]

    speakers = pd.DataFrame(
        {"outlet": ["Only"], "speaker": ["commander"], "speaker_type": ["military"], "words_quoted": [4]}
    )
    verbs = pd.DataFrame({"outlet": ["Only", "Only"], "cue_category": ["loaded", "neutral"], "n": [1, 2]})
    lines = summaries.sourcing_summary(speakers, verbs, pd.DataFrame())
    assert lines == ["Only quotes 1 identified speaker; commander (military) has 100% of its quoted words."]

    groups = pd.DataFrame(
        {
            "group_id": ["g1"],
            "story_id": ["all"],
            "label": ["single"],
            "outlet": ["Only"],
            "value": [3.0],
            "article_id": ["a0"],
            "text": ["3"],
            "group_label": ["people [count]"],
        }
    )
    gaps = pd.DataFrame(columns=["outlet", "status", "content_id"])
    scores = pd.DataFrame({"article_id": ["a0"], "outlet": ["Only"], "signal": ["total"], "score": [0.0]})
    assert summaries.claims_summary(groups, gaps, scores) == [
        "Comparing figures and coverage needs at least two outlets; this corpus has one (Only)."
    ]


# ---------------------------------------------------------------- the whole report on tiny corpora


@pytest.mark.slow
@pytest.mark.parametrize(
    ("rows", "notes"),
    [
        (
            ONE_OUTLET,
            [
                "A term contrast needs at least two outlets; this corpus has one (Only).",
                "Comparing topic shares needs at least two outlets; this corpus has one (Only).",
                "Comparing coverage needs at least two outlets; this corpus has one (Only).",
            ],
        ),
        (
            ONE_ARTICLE,
            [
                "A term contrast needs at least two outlets; this corpus has one (Only).",
                "A topic model needs at least 3 units (paragraphs or sentences); this corpus has 1.",
            ],
        ),
    ],
    ids=["one_outlet", "one_article"],
)
def test_report_on_a_tiny_corpus_says_what_it_cannot_compare(tmp_path, report_env, rows, notes):
    corpus = tmp_path / "tiny.jsonl"
    corpus.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    result = run_cli("report", "--corpus", corpus, "--out", tmp_path / "out", env=report_env)
    assert result.returncode == 0, result.stderr[-3000:]
    # the kernels' transport is encrypted, so no kernel warns "running over TCP without encryption"
    assert "without encryption" not in result.stderr
    out = tmp_path / "out"
    assert sorted(p.name for p in (out / "notebooks").glob("*.ipynb")) == sorted(
        p.name for p in (REPO / "notebooks").glob("[0-9][0-9]_*.ipynb")
    )
    page = (out / "report.html").read_text(encoding="utf-8")
    for note in notes:
        assert note in page


# ---------------------------------------------------------------- inputs that must not be opened


@pytest.mark.parametrize("where", ["x.parquet", "shards/x.parquet"])
def test_scale_refuses_a_fifo_named_parquet_without_opening_it(tmp_path, where):
    fifo = tmp_path / where
    fifo.parent.mkdir(exist_ok=True)
    os.mkfifo(fifo)
    with (
        unblock_fifo_after(fifo, 3.0),
        pytest.raises(CorpusError, match="is a named pipe \\(FIFO\\), not a regular file"),
    ):
        plan_partitions(fifo if where == "x.parquet" else fifo.parent)


def test_require_file(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text("{}\n")
    assert require_file(str(path)) == path
    with pytest.raises(CorpusError, match="is a folder, not a regular file; refused"):
        require_file(tmp_path)
    with pytest.raises(CorpusError, match="no such file or folder"):
        require_file(tmp_path / "missing.parquet")
