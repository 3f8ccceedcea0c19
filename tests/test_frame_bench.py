"""The human ceiling of benchmarks/bench_frames.py: each coder's frames from their own answers, and agreement."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pandas as pd
import pytest

BENCH = Path(__file__).resolve().parent.parent / "benchmarks" / "bench_frames.py"
QUESTIONS = ("co1", "co2", "co3", "ec1", "ec2", "ec3", "hi1", "hi2", "hi5", "mo1", "mo2", "re1", "re5")


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench_frames", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _article(**yes: list) -> dict:
    """One article of full_annotations.json: every question 'no' for coders 1 and 2 unless given."""
    out = {"_source": "x", "_text": -1}
    for q in QUESTIONS:
        answers = yes.get(q, ["no", "no", -1, -1])
        out[q] = ["aggregated", answers]
    return out


@pytest.fixture
def annotations(tmp_path):
    data = {
        # conflict: coder 1 says yes to two of three questions (present), coder 2 to one (absent);
        # morality: coder 1 yes to one of two (present: half is enough)
        "1": _article(
            co1=["yes", "no", -1, -1],
            co2=["yes", "no", -1, -1],
            co3=["no", "yes", -1, -1],
            mo1=["yes", "no", -1, -1],
        ),
        # coded by coders 1 and 3: both find conflict
        "2": _article(
            **{q: ["yes", -1, "yes", -1] for q in ("co1", "co2", "co3")},
            **{q: ["no", -1, "no", -1] for q in QUESTIONS if not q.startswith("co")},
        ),
    }
    path = tmp_path / "full_annotations.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_annotator_codes_apply_the_half_of_the_questions_rule(bench, annotations):
    codes = bench.annotator_codes(annotations)
    assert len(codes) == 2 * 2 * 5  # articles x coders x frames; -1 (not coded) leaves a coder out
    got = codes.set_index(["unit_id", "coder", "frame"])[["n_items", "n_yes", "present"]]
    assert got.loc[("nfc1", "coder1", "conflict")].tolist() == [3, 2, True]
    assert got.loc[("nfc1", "coder2", "conflict")].tolist() == [3, 1, False]
    assert got.loc[("nfc1", "coder1", "morality")].tolist() == [2, 1, True]
    assert got.loc[("nfc2", "coder3", "conflict")].tolist() == [3, 3, True]
    assert sorted(codes.loc[codes["unit_id"] == "nfc2", "coder"].unique()) == ["coder1", "coder3"]
    assert set(codes["codebook"]) == {"semetko_valkenburg"} and set(codes["unit"]) == {"articles"}


def test_human_ceiling_by_hand(bench, annotations):
    labels = pd.DataFrame(
        [
            dict(
                unit_id=a,
                article_id=a,
                frame=f,
                present=(a, f) in {("nfc1", "conflict"), ("nfc2", "conflict")},
            )
            for a in ("nfc1", "nfc2")
            for f in bench.LABELS.values()
        ]
    )
    table = bench.human_ceiling(annotations, labels)
    # conflict between coders: nfc1 disagree (one false positive and one false negative over both
    # orders), nfc2 agree yes (two true positives): F1 = 4 / (4 + 2)
    assert table.loc["conflict", "coders_f1"] == pytest.approx(2 / 3)
    # one coder against the labels, pooled over coders: 3 of 4 codes right, the miss is coder 2 on nfc1
    assert table.loc["conflict", "coder_vs_labels_f1"] == pytest.approx(2 * 3 / (2 * 3 + 1))
    # pooled answers: nfc1 has 3 yes of 6 (present), nfc2 6 of 6
    assert table.loc["conflict", "pooled_rule_vs_labels_f1"] == pytest.approx(1.0)
