"""Validated frame coding: coding sheets, reading them back, agreement (F1, Krippendorff's alpha), corrected prevalence."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis import framing
from analysis.framing._agreement import nominal_alpha
from analysis.framing._coding import _allocate
from analysis.framing._io import FramingDataError

# A two-frame codebook small enough to fill a sheet by hand: conflict has two questions (present
# from one yes: threshold 0.5), economic one.
CODEBOOK = """name = "tiny"
present_threshold = 0.5
[[frames]]
id = "conflict"
[[frames.indicators]]
id = "C1"
question = "Does the story reflect disagreement?"
cues = ["dispute*", "at odds"]
[[frames.indicators]]
id = "C2"
question = "Does one party reproach another?"
cues = ["accus*"]
[[frames]]
id = "economic"
[[frames.indicators]]
id = "E1"
question = "Is there a mention of costs?"
cues = ["cost*"]
"""
ARTICLES = [
    ("a1", "north", "The two towns are at odds over water. The mayor accused the council."),
    ("a2", "north", "The bridge will cost more than planned."),
    ("a3", "north", "The committee meets on Tuesday."),
    ("a4", "north", "A dispute over costs divides the board."),
    ("b1", "south", "Farmers accused the ministry of delays."),
    ("b2", "south", "Rain is expected tomorrow."),
    ("c1", "east", "The festival opens on Friday."),
]


@pytest.fixture
def tiny(tmp_path, make_corpus):
    book = tmp_path / "tiny.toml"
    book.write_text(CODEBOOK, encoding="utf-8")
    return make_corpus(*ARTICLES), str(book)


def _write(path, rows: list[dict]) -> str:
    pd.DataFrame(rows).to_csv(path, index=False)
    return str(path)


# --------------------------------------------------------------------------
# Krippendorff's alpha: his own worked examples
# --------------------------------------------------------------------------


def test_alpha_of_krippendorffs_binary_example():
    # Krippendorff (2011), "Computing Krippendorff's alpha-reliability", section A: two observers,
    # ten units. Coincidences o00 = 10, o01 = o10 = 4, o11 = 2; n0 = 14, n1 = 6, n = 20.
    # alpha = 1 - (n - 1) o01 / (n0 n1) = 1 - 19 * 4 / 84 = 2/21 = 0.095.
    data = np.array([[0, 1, 0, 0, 0, 0, 0, 0, 1, 0], [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]], dtype=object)
    assert nominal_alpha(data) == pytest.approx(2 / 21, abs=1e-12)


def test_alpha_of_krippendorffs_nominal_example_with_missing_values():
    # Section C: four observers, twelve units, values 1-5, missing values; unit 12 has one value and
    # is not pairable. n_c = 9, 13, 10, 5, 3 (n = 40); the off-diagonal coincidences sum to 8, so
    # alpha = 1 - 39 * 8 / (40^2 - (81 + 169 + 100 + 25 + 9)) = 1 - 312 / 1216 = 113/152 = 0.743.
    x = None
    data = np.array(
        [
            [1, 2, 3, 3, 2, 1, 4, 1, 2, x, x, x],
            [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, x, 3],
            [x, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, x],
            [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, x],
        ],
        dtype=object,
    )
    assert nominal_alpha(data) == pytest.approx(113 / 152, abs=1e-12)
    # coders are exchangeable: their order does not matter
    assert nominal_alpha(data[::-1]) == pytest.approx(113 / 152, abs=1e-12)


def test_alpha_is_undefined_without_variation():
    assert np.isnan(nominal_alpha(np.array([[1, 1, 1], [1, 1, 1]], dtype=object)))


# --------------------------------------------------------------------------
# Coding sheet
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sizes", "n_sample", "expected"),
    [
        ([4, 2, 1], 5, [2, 2, 1]),  # 5 = 1 each, the first two groups one more
        ([4, 2, 1], 6, [3, 2, 1]),  # the third group has one unit: the rest goes to the others
        ([4, 2, 1], 100, [4, 2, 1]),  # fewer units than asked: all of them
        ([10, 10], 3, [2, 1]),
    ],
)
def test_equal_allocation_over_groups(sizes, n_sample, expected):
    assert _allocate(sizes, n_sample) == expected


def test_coding_sheet_is_stratified_with_questions_and_evidence(tiny, tmp_path):
    corpus, book = tiny
    path = tmp_path / "sheet.csv"
    sheet = framing.coding_sheet(corpus, book, n_sample=5, random_state=3, path=path)
    assert list(sheet.columns) == [
        "unit_id",
        "unit",
        "article_id",
        "outlet",
        "coder",
        "text",
        "C1: Does the story reflect disagreement?",
        "C2: Does one party reproach another?",
        "E1: Is there a mention of costs?",
        "model_frames",
        "model_evidence",
    ]
    assert sheet["outlet"].value_counts().to_dict() == {"north": 2, "south": 2, "east": 1}
    assert (sheet["unit"] == "articles").all() and (sheet["coder"] == "").all()
    # two of north's four articles, both of south's, east's one; shuffled
    assert sheet["unit_id"].tolist() == ["b1", "a1", "b2", "a3", "c1"]
    rows = sheet.set_index("unit_id")
    assert rows.loc["a1", "model_frames"] == "conflict (1)"
    assert rows.loc["a1", "model_evidence"] == "C1 'at odds' [a1:p0:s0]; C2 'accused' [a1:p0:s1]"
    assert rows.loc["b1", "model_frames"] == "conflict (0.5)"
    assert rows.loc["b2", "model_frames"] == "" and rows.loc["b2", "model_evidence"] == ""
    # the file is the table (UTF-8 with a byte-order mark for spreadsheets), and the draw is repeatable
    assert path.read_bytes().startswith(b"\xef\xbb\xbfunit_id,unit,")
    back = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    pd.testing.assert_frame_equal(back, sheet)
    again = framing.coding_sheet(corpus, book, n_sample=5, random_state=3)
    pd.testing.assert_frame_equal(again, sheet)
    assert (
        framing.coding_sheet(corpus, book, n_sample=5, random_state=0)["unit_id"].tolist()
        != sheet["unit_id"].tolist()
    )


def test_coding_sheet_of_sentences_by_another_column(tiny, make_corpus):
    _, book = tiny
    corpus = make_corpus(
        *[
            dict(article_id=a, outlet=o, text=t, outlet_type="wire" if o == "north" else "web")
            for a, o, t in ARTICLES
        ]
    )
    sheet = framing.coding_sheet(corpus, book, n_sample=4, unit="sentences", by="outlet_type", random_state=0)
    assert sheet["outlet_type"].value_counts().to_dict() == {"wire": 2, "web": 2}
    assert (sheet["unit"] == "sentences").all()
    assert all(u.startswith(f"{a}:p") for u, a in zip(sheet["unit_id"], sheet["article_id"], strict=True))
    with pytest.raises(ValueError, match="unit must be"):
        framing.coding_sheet(corpus, book, unit="paragraphs")
    with pytest.raises(ValueError, match="not a column"):
        framing.coding_sheet(corpus, book, by="region")


def test_sentence_frames_answer_per_sentence(tiny):
    corpus, book = tiny
    table = framing.sentence_frames(corpus, book).set_index(["sentence_id", "frame"])
    assert table.loc[("a1:p0:s0", "conflict"), ["n_yes", "present", "indicators_yes"]].tolist() == [
        1,
        True,
        "C1",
    ]
    assert table.loc[("a4:p0:s0", "economic"), "present"]
    assert not table.loc[("a3:p0:s0", "conflict"), "present"]


def test_xlsx_needs_openpyxl_or_is_written(tiny, tmp_path):
    corpus, book = tiny
    import importlib.util

    if importlib.util.find_spec("openpyxl") is None:
        with pytest.raises(FramingDataError, match="openpyxl"):
            framing.coding_sheet(corpus, book, n_sample=2, path=tmp_path / "s.xlsx")
    with pytest.raises(FramingDataError, match=r"\.csv or \.xlsx"):
        framing.coding_sheet(corpus, book, n_sample=2, path=tmp_path / "s.txt")


# --------------------------------------------------------------------------
# Reading a filled sheet
# --------------------------------------------------------------------------


def test_read_coding_scores_frames_with_the_codebook_rule(tiny, tmp_path):
    _, book = tiny
    path = _write(
        tmp_path / "filled.csv",
        [
            {
                "unit_id": "a1",
                "outlet": "north",
                "coder": "ann",
                "C1: q": "yes",
                "C2: q": "No",
                "E1: q": "0",
                "note": "x",
            },
            {
                "unit_id": "a2",
                "outlet": "north",
                "coder": "ann",
                "C1: q": "n",
                "C2: q": "FALSE",
                "E1: q": "1",
            },
            {
                "unit_id": "a1",
                "outlet": "north",
                "coder": "bob",
                "C1: q": "no",
                "C2: q": "no",
                "E1: q": "true",
            },
            {"unit_id": "b2", "outlet": "south", "coder": "", "C1: q": "", "C2: q": " ", "E1: q": ""},
        ],
    )
    coded = framing.read_coding(path, book)
    assert coded[["unit_id", "coder", "frame", "n_items", "n_yes", "present"]].values.tolist() == [
        ["a1", "ann", "conflict", 2, 1, True],  # 1 of 2 >= 0.5
        ["a1", "ann", "economic", 1, 0, False],
        ["a2", "ann", "conflict", 2, 0, False],
        ["a2", "ann", "economic", 1, 1, True],
        ["a1", "bob", "conflict", 2, 0, False],
        ["a1", "bob", "economic", 1, 1, True],
    ]
    assert coded.attrs["n_uncoded"] == 1  # b2 is not coded yet
    assert set(coded["unit"]) == {"articles"} and set(coded["article_id"]) == {"a1", "a2"}


def test_read_coding_takes_frames_coded_directly(tiny, tmp_path):
    _, book = tiny
    path = _write(
        tmp_path / "f.csv", [{"unit_id": "a1", "conflict": "yes"}, {"unit_id": "a2", "conflict": "no"}]
    )
    coded = framing.read_coding(path, book)
    assert coded[["unit_id", "coder", "frame", "n_items", "present"]].values.tolist() == [
        ["a1", "(unnamed)", "conflict", 1, True],
        ["a2", "(unnamed)", "conflict", 1, False],
    ]


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([{"unit_id": "a1", "framing_x": "yes"}], r"f\.csv: column 2 'framing_x': unknown frame or question"),
        (
            [{"unit_id": "a1", "E1": "no"}, {"unit_id": "", "E1": "no"}],
            r"f\.csv: row 3, column 'unit_id': missing id",
        ),
        (
            [{"unit_id": "a1", "C1": "yes", "C2": "maybe", "E1": "no"}],
            r"row 2, column 'C2': 'maybe' is not yes/no",
        ),
        ([{"unit_id": "a1", "C1": "yes", "C2": "", "E1": "no"}], r"row 2, column 'C2': empty cell"),
        ([{"unit_id": "a1", "C1": "yes"}], r"frame 'conflict' lacks the question column\(s\) \['C2'\]"),
        ([{"unit_id": "a1", "conflict": "yes", "C1": "yes", "C2": "no"}], "coded twice"),
        (
            [
                {"unit_id": u, "coder": c, "E1": "yes"}
                for u, c in [("a1", "ann"), ("a2", "ann"), ("a2", "bob"), ("a1", "ann")]
            ],
            r"rows 2, 5: the same unit_id coded twice by coder 'ann'",
        ),
        (
            [{"unit_id": "a1", "E1": "yes", "E1: costs?": "no"}],
            r"columns 'E1' and 'E1: costs\?' both answer 'E1'",
        ),
        ([{"unit_id": "a1", "unit": "paragraphs", "E1": "yes"}], r"row 2, column 'unit': 'paragraphs'"),
        ([{"unit_id": "a1", "coder": "ann"}], "no frame or question columns"),
        ([{"article_id": "a1", "E1": "yes"}], "no 'unit_id' column"),
    ],
)
def test_read_coding_errors_name_file_row_and_column(tiny, tmp_path, rows, message):
    _, book = tiny
    with pytest.raises(FramingDataError, match=message):
        framing.read_coding(_write(tmp_path / "f.csv", rows), book)


def test_a_sheet_round_trips_through_coders(tiny, tmp_path):
    corpus, book = tiny
    sheet = framing.coding_sheet(corpus, book, n_sample=7)
    questions = [c for c in sheet.columns if c[:2] in ("C1", "C2", "E1")]
    filled = sheet.assign(coder="ann", **{q: "no" for q in questions})
    path = tmp_path / "filled.csv"
    filled.to_csv(path, index=False, encoding="utf-8-sig")
    coded = framing.read_coding(path, book)
    assert len(coded) == 7 * 2 and not coded["present"].any()
    assert list(dict.fromkeys(coded["unit_id"])) == sheet["unit_id"].tolist()


# --------------------------------------------------------------------------
# Agreement
# --------------------------------------------------------------------------


def _coded(codes: dict[str, list[int]], frame: str = "conflict", unit_ids=None) -> pd.DataFrame:
    """A read_coding-shaped table: coder -> values per unit (None = not coded)."""
    rows = []
    for coder, values in codes.items():
        for i, v in enumerate(values):
            if v is not None:
                uid = unit_ids[i] if unit_ids else f"u{i}"
                rows.append(
                    dict(
                        unit_id=uid,
                        unit="articles",
                        article_id=uid,
                        outlet="o1" if i % 2 else "o2",
                        coder=coder,
                        codebook="tiny",
                        frame=frame,
                        n_items=1,
                        n_yes=v,
                        present=bool(v),
                    )
                )
    return pd.DataFrame(rows)


def _predicted(values: list[int], frame: str = "conflict") -> pd.DataFrame:
    return pd.DataFrame(
        {
            "article_id": [f"u{i}" for i in range(len(values))],
            "outlet": ["o1" if i % 2 else "o2" for i in range(len(values))],
            "frame": frame,
            "present": [bool(v) for v in values],
        }
    )


def test_agreement_of_model_and_one_coder_by_hand():
    model = [1, 1, 0, 0, 1, 0]
    coder = [1, 0, 0, 0, 1, 1]
    table = framing.agreement(_coded({"ann": coder}), _predicted(model), n_boot=200)
    got = table.set_index("stat")
    # tp = 2, fp = 1, fn = 1: precision = recall = F1 = 2/3. Alpha over the six (model, coder)
    # pairs: n = 12, n0 = n1 = 6, two disagreeing units add 2 each: 1 - 11 * 4 / (144 - 72) = 7/18.
    assert got["score"].to_dict() == {
        "precision": 0.666667,
        "recall": 0.666667,
        "f1": 0.666667,
        "alpha": round(7 / 18, 6),
    }
    assert got.loc["alpha", "score"] == pytest.approx(
        nominal_alpha(np.array([model, coder], dtype=object)), abs=1e-6
    )
    assert set(table["comparison"]) == {"model_vs_coders"}  # one coder: no between-coder rows
    assert (table["n_units"] == 6).all() and (table["n_coders"] == 1).all()
    assert ((table["ci_low"] <= table["score"]) & (table["score"] <= table["ci_high"])).all()
    assert (table["n_boot"] <= 200).all() and (table["n_boot"] > 150).all()


def test_agreement_between_coders_by_hand():
    coded = _coded({"ann": [1, 1, 0, 0], "bob": [1, 0, 0, 0]})
    table = framing.agreement(coded, _predicted([1, 1, 0, 0]), n_boot=100)
    between = table[table["comparison"] == "between_coders"].set_index("stat")
    # four pairable units, n = 8, n1 = 3, n0 = 5, one disagreeing unit: 1 - 7 * 2 / (64 - 34) = 8/15.
    # F1 over coder pairs: one pair agrees on yes, one splits: 2 / (2 + 1) = 2/3.
    assert between["score"].to_dict() == {"f1": 0.666667, "alpha": 0.533333}
    assert between.loc["alpha", "score"] == pytest.approx(
        nominal_alpha(np.array([[1, 1, 0, 0], [1, 0, 0, 0]], dtype=object)), abs=1e-6
    )
    assert between["n_units"].tolist() == [4, 4] and between["n_coders"].tolist() == [2, 2]
    # the model agrees with ann on every unit and with bob on three: pooled pairs tp 3, fp 1, fn 0
    model = table[table["comparison"] == "model_vs_coders"].set_index("stat")["score"]
    assert model[["precision", "recall"]].tolist() == [0.75, 1.0]


def test_agreement_does_not_depend_on_row_order_and_is_reproducible():
    coded = _coded({"ann": [1, 0, 1, 1, 0, 0, 1, 0], "bob": [1, 0, 0, 1, None, 0, 1, 1]})
    predicted = _predicted([1, 0, 1, 0, 0, 1, 1, 0])
    first = framing.agreement(coded, predicted, n_boot=300, random_state=4)
    shuffled = framing.agreement(coded.iloc[::-1], predicted.iloc[::-1], n_boot=300, random_state=4)
    pd.testing.assert_frame_equal(first, shuffled)
    other = framing.agreement(coded, predicted, n_boot=300, random_state=5)
    assert first["score"].tolist() == other["score"].tolist()
    assert first["ci_low"].tolist() != other["ci_low"].tolist()


def test_agreement_refuses_predictions_of_another_unit():
    coded = _coded({"ann": [1, 0]}, unit_ids=["a1:p0:s0", "a1:p0:s1"]).assign(unit="sentences")
    with pytest.raises(ValueError, match="the coding is of sentences"):
        framing.agreement(coded, _predicted([1, 0]))
    with pytest.raises(ValueError, match="have no prediction"):
        framing.agreement(_coded({"ann": [1, 0, 1]}), _predicted([1, 0]))


# --------------------------------------------------------------------------
# Prevalence corrected by prediction-powered inference
# --------------------------------------------------------------------------


def test_prevalence_by_hand():
    # ten units of one outlet; the model says yes for six. Four are coded: Y = 1 0 1 1 where the
    # model said 1 1 0 1. The six uncoded units hold the model's other three yeses: mean 0.5.
    model = [1, 1, 0, 1, 1, 1, 1, 0, 0, 0]
    predicted = _predicted(model).assign(outlet="o")
    coded = _coded({"ann": [1, 0, 1, 1]})
    table = framing.prevalence(predicted, coded).set_index("method")
    # naive: 0.6, se sqrt(0.24 / 10). coded: 0.75, sd 0.5, se 0.25.
    # prediction-powered: 0.5 + mean(Y - f) = 0.5 + mean(0, -1, 1, 0) = 0.5;
    # se = sqrt(var(f uncoded) / 6 + var(Y - f) / 4) = sqrt(0.3 / 6 + (2/3) / 4) = sqrt(0.216667).
    assert table["share"].to_dict() == {"naive": 0.6, "coded": 0.75, "prediction_powered": 0.5}
    assert table["se"].tolist() == [round(np.sqrt(0.024), 6), 0.25, round(np.sqrt(0.05 + 1 / 6), 6)]
    low, high = table.loc["prediction_powered", ["ci_low", "ci_high"]]
    assert (low, high) == (0.0, 1.0)  # 0.5 -+ 1.96 * 0.465, clipped to [0, 1]
    assert table["n_units"].tolist() == [10] * 3 and table["n_coded"].tolist() == [4] * 3


def test_prevalence_keeps_the_grouping_column_name():
    predicted = _predicted([1, 0, 1, 1, 0, 0]).rename(columns={"outlet": "country"})
    table = framing.prevalence(predicted, _coded({"ann": [1, 0, 0, 1]}), by="country")
    assert list(table.columns[:3]) == ["country", "frame", "method"]
    assert table["country"].unique().tolist() == ["o2", "o1"]
    with pytest.raises(ValueError, match="no column 'outlet'"):
        framing.prevalence(predicted, _coded({"ann": [1, 0]}))


def test_corrected_intervals_cover_the_truth_where_naive_ones_do_not():
    # 400 simulated corpora (one "replicate" group each) of 400 articles with the frame in 30%;
    # the model misses 10% of the frame and adds it to 15% of the rest (its share is about 0.375);
    # humans code a random 60. Truth: the share in the 400 articles.
    # Measured with random_state 0: 95% intervals cover the truth in 95.5% of the corpora
    # (prediction-powered), 96.5% (coded sample alone) and 5.75% (naive).
    rng = np.random.default_rng(0)
    n_rep, n_units, n_coded = 400, 400, 60
    truth = rng.random((n_rep, n_units)) < 0.3
    noise = rng.random((n_rep, n_units))
    model = np.where(truth, noise >= 0.10, noise < 0.15)
    ids = np.array([[f"r{r}-{i}" for i in range(n_units)] for r in range(n_rep)])
    predicted = pd.DataFrame(
        {
            "article_id": ids.ravel(),
            "replicate": np.repeat(np.arange(n_rep), n_units),
            "frame": "f",
            "present": model.ravel(),
        }
    )
    picks = np.stack([rng.choice(n_units, n_coded, replace=False) for _ in range(n_rep)])
    rows = np.arange(n_rep)[:, None]
    coded = pd.DataFrame(
        {
            "unit_id": ids[rows, picks].ravel(),
            "unit": "articles",
            "coder": "sim",
            "frame": "f",
            "present": truth[rows, picks].ravel(),
        }
    )
    table = framing.prevalence(predicted.astype({"replicate": str}), coded, by="replicate")
    share = pd.Series(truth.mean(axis=1), index=np.arange(n_rep).astype(str))
    covered = (table["ci_low"] <= table["replicate"].map(share)) & (
        table["replicate"].map(share) <= table["ci_high"]
    )
    coverage = covered.groupby(table["method"]).mean()
    assert coverage.to_dict() == {"coded": 0.965, "naive": 0.0575, "prediction_powered": 0.955}
    # and the correction costs less width than coding alone
    width = (table["ci_high"] - table["ci_low"]).groupby(table["method"]).mean()
    assert width["prediction_powered"] < width["coded"]


def test_prevalence_chart_draws_every_estimate_per_outlet():
    from analysis.charts import framing as framing_charts

    table = framing.prevalence(_predicted([1, 0, 1, 1, 0, 0, 1, 0]), _coded({"ann": [1, 0, 0, 1, 1, 0]}))
    spec = framing_charts.frame_prevalence_chart(table, ["o2", "o1"]).to_dict()
    assert spec["facet"]["column"] == {
        "field": "outlet",
        "sort": ["o2", "o1"],
        "title": None,
        "type": "nominal",
    }
    rows = spec["datasets"][spec["data"]["name"]]
    assert len(rows) == 2 * 3 and {r["method"] for r in rows} == {"naive", "coded", "prediction_powered"}
    marks = [layer["mark"]["type"] for layer in spec["spec"]["layer"]]
    assert marks == ["rule", "point"]
