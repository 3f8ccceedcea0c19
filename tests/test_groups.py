"""Outlet groups in every comparison: ``corpus.group_corpus`` relabels outlets with their group.

A tiny hand-made corpus of three outlets in two kinds: the grouped corpus's tables, what is kept
untouched, the errors, and self-references that must still be caught for each member outlet.
"""

from __future__ import annotations

import copy
import json

import pandas as pd
import pytest
from conftest import SEEDS, run_cli

from analysis import terms, time
from analysis.corpus import group_corpus, group_note, is_group_label, outlet_groups

#: (article_id, outlet, outlet_type, url, text): two newspapers and a wire.
ARTICLES = [
    (
        "p1",
        "Daily Planet",
        "newspaper",
        "https://www.dailyplanet.com/a",
        "The mayor told the Daily Planet that the bridge would close.\n\nAdvertisement",
    ),
    ("g1", "Gazette", "newspaper", "", "The Gazette learned that the left lane of the bridge would close."),
    ("w1", "Wire One", "wire", "", "The bridge will close on Monday, officials said."),
]
NEWSPAPERS, WIRES = "outlet_type=newspaper", "outlet_type=wire"


@pytest.fixture
def three_outlets(make_corpus):
    return make_corpus(
        *(
            {"article_id": a, "outlet": o, "outlet_type": kind, "url": url, "text": text}
            for a, o, kind, url, text in ARTICLES
        )
    )


def _leaning_table(tmp_path, rows="Daily Planet,right\nGazette,left\nWire One,centre\n"):
    path = tmp_path / "leaning.csv"
    path.write_text("outlet,leaning\n" + rows, encoding="utf-8")
    return path


def test_group_corpus_relabels_every_table_and_keeps_the_member_outlet(three_outlets):
    grouped = group_corpus(three_outlets, by="outlet_type")
    assert grouped.outlets == [NEWSPAPERS, WIRES]
    assert grouped.source == three_outlets.source
    for name in ("articles", "paragraphs", "sentences", "removed"):
        table = getattr(grouped, name)
        assert table.columns[table.columns.get_loc("outlet") + 1] == "member_outlet", name
        pairs = table[["outlet", "member_outlet"]].drop_duplicates().values.tolist()
        expected = {
            "removed": [[NEWSPAPERS, "Daily Planet"]],  # the 'Advertisement' line
        }.get(name, [[NEWSPAPERS, "Daily Planet"], [NEWSPAPERS, "Gazette"], [WIRES, "Wire One"]])
        assert pairs == expected, name
    assert grouped.sentences["sentence_id"].tolist() == three_outlets.sentences["sentence_id"].tolist()


def test_group_corpus_by_outlet_is_the_corpus_itself(three_outlets):
    assert group_corpus(three_outlets) is three_outlets
    assert group_corpus(three_outlets, by="outlet", table=None) is three_outlets
    assert group_note(three_outlets) == ""


def test_group_corpus_leaves_its_input_untouched(three_outlets):
    before = {name: getattr(three_outlets, name).copy() for name in ("articles", "paragraphs", "removed")}
    assert len(group_corpus(three_outlets, by="outlet_type").sentences) == 3  # built on the copy only
    for name, table in before.items():
        pd.testing.assert_frame_equal(getattr(three_outlets, name), table)
    assert not three_outlets.sentences_built
    sentences = copy.deepcopy(three_outlets.sentences)
    regrouped = group_corpus(three_outlets, by="outlet_type")  # from sentences already built
    pd.testing.assert_frame_equal(three_outlets.sentences, sentences)
    assert regrouped.sentences_built
    assert regrouped.sentences["outlet"].tolist() == [NEWSPAPERS, NEWSPAPERS, WIRES]


def test_group_corpus_from_a_user_table(three_outlets, tmp_path):
    grouped = group_corpus(three_outlets, by="leaning", table=_leaning_table(tmp_path))
    assert grouped.articles["outlet"].tolist() == ["leaning=right", "leaning=left", "leaning=centre"]
    assert group_note(grouped) == (
        "Outlets compared as groups: leaning=right (Daily Planet); leaning=left (Gazette); "
        "leaning=centre (Wire One)."
    )
    assert group_note(group_corpus(three_outlets, by="outlet_type")) == (
        f"Outlets compared as groups: {NEWSPAPERS} (Daily Planet, Gazette); {WIRES} (Wire One)."
    )


def test_group_corpus_errors_name_what_is_missing(three_outlets, tmp_path):
    with pytest.raises(ValueError, match=r"gives no leaning for outlet\(s\) \['Wire One'\]"):
        group_corpus(
            three_outlets, by="leaning", table=_leaning_table(tmp_path, "Daily Planet,left\nGazette,right\n")
        )
    with pytest.raises(ValueError, match=r"articles lacks column\(s\) \['leaning'\]"):
        group_corpus(three_outlets, by="leaning")
    with pytest.raises(ValueError, match="already grouped"):
        group_corpus(group_corpus(three_outlets, by="outlet_type"), by="outlet_type")


def test_outlet_groups_is_one_function_in_corpus_and_time():
    assert time.outlet_groups is outlet_groups


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("outlet_type=wire", True),
        ("leaning=left", True),
        ("country=", False),
        ("Daily Planet", False),
        ("=wire", False),
        ("two words=x", False),
    ],
)
def test_is_group_label(label, expected):
    assert is_group_label(label) is expected


def test_outlet_sites_of_a_grouped_corpus_name_the_member_outlets(three_outlets):
    grouped = group_corpus(three_outlets, by="outlet_type")
    assert terms.outlet_sites(grouped.articles) == {
        NEWSPAPERS: ["Daily Planet", "Gazette", "dailyplanet", "dailyplanet.com"],
        WIRES: ["Wire One"],
    }


def _set_aside(corpus) -> dict[tuple[str, str], str]:
    counts = terms.count_terms(corpus.paragraphs, ngram_range=(1, 2))
    scores = terms.contrast(counts, sites=terms.outlet_sites(corpus.articles))
    return dict(zip(zip(scores["outlet"], scores["term"], strict=True), scores["set_aside"], strict=True))


def test_self_references_of_member_outlets_are_still_set_aside(three_outlets, tmp_path):
    flags = _set_aside(group_corpus(three_outlets, by="outlet_type"))
    assert flags[(NEWSPAPERS, "daily planet")] == "self-reference"
    assert flags[(NEWSPAPERS, "gazette")] == "self-reference"
    assert flags[(NEWSPAPERS, "bridge")] == ""
    # the group label is no outlet's name: the Gazette's 'left' (lane) in group leaning=left is kept
    flags = _set_aside(group_corpus(three_outlets, by="leaning", table=_leaning_table(tmp_path)))
    assert flags[("leaning=right", "daily planet")] == "self-reference"
    assert flags[("leaning=left", "gazette")] == "self-reference"
    assert flags[("leaning=left", "left")] == ""
    assert flags[("leaning=left", "left lane")] == ""


@pytest.mark.slow
def test_notebook_03_compares_groups_on_the_seeds(tmp_path, report_env):
    out = tmp_path / "out"
    result = run_cli(
        "report",
        "--corpus",
        SEEDS,
        "--out",
        out,
        "--notebooks",
        "03",
        "--param",
        "by=outlet_type",
        env=report_env,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    folder = out / "03_term_contrasts"
    for path in folder.glob("*.csv"):
        outlets = pd.read_csv(path).get("outlet", pd.Series(dtype=str))
        assert outlets.str.startswith("outlet_type=").all(), path.name
    groups = ["outlet_type=public_broadcaster", "outlet_type=aggregator", "outlet_type=digital_native"]
    top = pd.read_csv(folder / "top_terms.csv")
    assert list(dict.fromkeys(top["outlet"])) == groups  # the wire has too little text, as by outlet
    explorer = pd.read_csv(folder / "term_explorer.csv")
    assert set(explorer["outlet"]) == {*groups, "outlet_type=wire"}
    set_aside = pd.read_csv(folder / "set_aside.csv")
    nhk = set_aside[set_aside["outlet"] == "outlet_type=public_broadcaster"]
    assert {"nhk", "nhk world"} <= set(nhk.loc[nhk["set_aside"] == "self-reference", "term"])


@pytest.mark.parametrize(
    ("labels", "by", "noun"),
    [
        (["NHK World", "Gazette"], "outlet", "outlet"),
        ([NEWSPAPERS, WIRES], "outlet", "outlet_type group"),
        ([NEWSPAPERS, "leaning=left"], "outlet", "outlet"),  # two columns: no one noun
        (["wire", "newspaper"], "outlet_type", "outlet_type group"),
    ],
)
def test_summaries_name_what_they_compare(labels, by, noun):
    from analysis.report._wording import compared_noun

    assert compared_noun(labels, by) == noun


@pytest.mark.slow
def test_notebook_03_says_groups_when_one_group_is_all_there_is(tmp_path, report_env):
    table = tmp_path / "region.csv"
    outlets = ["NHK World", "aggregator", "Kyiv Independent", "wire-style"]
    table.write_text("outlet,region\n" + "".join(f"{o},world\n" for o in outlets), encoding="utf-8")
    out = tmp_path / "out"
    params = ["--param", "by=region", "--param", f"outlet_groups_table={table}"]
    result = run_cli("report", "--corpus", SEEDS, "--out", out, "--notebooks", "03", *params, env=report_env)
    assert result.returncode == 0, result.stderr[-3000:]
    notes = {
        name: next(
            iter(json.loads((out / "03_term_contrasts" / f"{name}.json").read_text())["datasets"].values())
        )[0]["note"]
        for name in ("word_shift", "semiotic_square")
    }
    assert notes == {
        "word_shift": "Fewer than two region groups have enough text for a word shift.",
        "semiotic_square": "The semiotic square needs two region groups and at least one more as the neutral "
        "reference.",
    }
