"""Naming variants discovered from a corpus (framing.naming_variants) and naming choices on them: invented fixtures."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis import framing
from analysis.data import shipped
from analysis.framing._io import FramingDataError

#: Two outlets name one town differently; one sentence links the two names.
TWO_NAMES = (
    (
        "a1",
        "North Post",
        "Troops entered Lorenville (Kastavar in Veskan) on Monday. Shops in Lorenville stayed closed.",
    ),
    ("a2", "North Post", "Lorenville residents fled."),
    (
        "b1",
        "South Daily",
        "Troops liberated Kastavar on Monday. Kastavar celebrated.\n\nOfficials in Kastavar spoke.",
    ),
)
#: Substitutes: the same sentences, one outlet says 'regime', the other 'government'.
SUBSTITUTES = [
    "The {} bombed the city again.",
    "Reporters said the {} denied the reports.",
    "Aid workers blamed the {} for the shelling.",
]


@pytest.fixture
def two_names(make_corpus):
    return make_corpus(*TWO_NAMES)


def test_an_apposition_links_two_names_with_evidence_and_outlet_skew(two_names):
    v = framing.naming_variants(two_names)
    assert v[["group", "variant", "method", "n", "n_articles", "outlet", "share"]].values.tolist() == [
        ["Kastavar", "Kastavar", "apposition", 4, 2, "South Daily", 1.0],
        ["Kastavar", "Lorenville", "apposition", 3, 2, "North Post", 0.75],
    ]
    text = TWO_NAMES[0][2]
    row = v.iloc[0]
    assert (row["article_id"], row["sentence_id"], row["evidence"]) == (
        "a1",
        "a1:p0:s0",
        "Lorenville (Kastavar in Veskan)",
    )
    assert text[row["start"] : row["end"]] == row["evidence"]
    assert v["confidence"].tolist() == [0.8, 0.8]  # one apposition sentence
    # G-test of [[North Post, South Daily]] = [[1, 3], [3, 0]] (Kastavar, Lorenville), no continuity correction
    assert v["p"].tolist() == pytest.approx([0.024456, 0.024456], abs=1e-6)
    # Wilson 95% interval of 3/3 and 3/4
    assert v[["ci_low", "ci_high"]].to_numpy().ravel() == pytest.approx(
        [0.438503, 1.0, 0.300642, 0.954413], abs=1e-6
    )


def test_naming_choices_default_to_the_discovered_groups(two_names):
    nc = framing.naming_choices(two_names)
    assert nc[["article_id", "group", "variant", "n", "voice"]].values.tolist() == [
        ["a1", "Kastavar", "Kastavar", 1, "asserted"],
        ["a1", "Kastavar", "Lorenville", 2, "asserted"],
        ["a2", "Kastavar", "Lorenville", 1, "asserted"],
        ["b1", "Kastavar", "Kastavar", 3, "asserted"],
    ]


def test_words_in_the_same_contexts_of_different_outlets_are_variants(make_corpus):
    c = make_corpus(
        *[(f"n{i}", "North Post", s.format("regime")) for i, s in enumerate(SUBSTITUTES)],
        *[(f"s{i}", "South Daily", s.format("government")) for i, s in enumerate(SUBSTITUTES)],
    )
    v = framing.naming_variants(c)
    assert v[["group", "variant", "method", "score", "confidence", "outlet"]].values.tolist() == [
        ["regime", "government", "context", 1.0, 0.4, "South Daily"],
        ["regime", "regime", "", 1.0, 0.4, "North Post"],
    ]
    assert v["evidence"].tolist() == ["shared contexts: again, aid, blamed, bombed, city"] * 2
    assert v[["sentence_id", "start", "end"]].values.tolist() == [["s0:p0:s0", 4, 14], ["n0:p0:s0", 4, 10]]
    # below the default confidence: proposals, not used by naming_choices without a table
    assert framing.naming_choices(c).empty


@pytest.mark.parametrize(("shared_articles", "proposed"), [(0, True), (6, False)])
def test_words_that_share_articles_are_neighbours_not_variants(shared_articles, proposed):
    # Two words with identical contexts, never in one sentence, each used by one outlet: substitutes
    # when they sit in different articles (lift 0); when every article has both (lift 1 >
    # MAX_ARTICLE_LIFT) they are neighbours, like two rival candidates in election news.
    from collections import Counter

    from analysis.framing._variants import _similar_pairs, _Term

    def term(word, outlet, articles):
        sentences = {f"{a}:p0:s{k}" for a in articles for k in (0, 1) if (k == 0) == (word == "regime")}
        return _Term((word,), Counter({word: 6}), Counter({outlet: 6}), sentences, 6)

    north, south = [f"n{i}" for i in range(6)], [f"s{i}" for i in range(6)]
    shared = north[:shared_articles]
    regime = term("regime", "North Post", north)
    government = term("government", "South Daily", shared + south[: 6 - len(shared)])
    article_of = {sid: sid.split(":")[0] for t in (regime, government) for sid in t.sentences}
    similarity = np.array([[1.0, 1.0], [1.0, 1.0]])
    pairs = list(
        _similar_pairs([regime, government], similarity, 0.2, "context", 0.95, lambda i, j: "", article_of)
    )
    assert framing.MAX_ARTICLE_LIFT == 0.5
    assert [(p.a, p.b) for p in pairs] == ([(("regime",), ("government",))] if proposed else [])


def test_unrelated_words_are_not_grouped(make_corpus):
    c = make_corpus(
        *[(f"a{i}", "North Post", "Farmers sold apples at the market.") for i in range(4)],
        *[(f"b{i}", "South Daily", "The army moved tanks to the border.") for i in range(4)],
        # 'pears' shares the contexts of 'apples' but stands beside it: a neighbour, not another name
        *[(f"c{i}", "East Times", "Farmers sold apples and pears at the market.") for i in range(4)],
    )
    assert framing.naming_variants(c).empty


def test_a_user_table_adds_its_groups_and_claims_the_discovered_variants(two_names):
    table = pd.DataFrame({"group": ["town"], "variant": ["Kastavar"], "pattern": [""]})
    v = framing.naming_variants(two_names, table)
    # Lorenville alone is no group: the table's group takes Kastavar
    assert v[["group", "variant", "method", "confidence", "n", "evidence"]].values.tolist() == [
        ["town", "Kastavar", "table", 1.0, 4, "user table"]
    ]
    assert v[["sentence_id", "start", "end"]].values.tolist() == [["a1:p0:s0", 27, 35]]  # first use


def test_a_table_that_matches_little_is_said_to(two_names):
    nk = str(shipped("terms_nk2023.csv"))
    note = framing.terms_table_note(nk, framing.naming_mentions(two_names, nk))
    assert note == (
        "The terms table matched 1 of its 25 variants (1 of its 9 groups) in this corpus, 1 occurrences. "
        "That is little: the table may have been written for another corpus; naming_variants(corpus) "
        "discovers this corpus's own groups."
    )
    discovered = framing.naming_variants(two_names)
    assert framing.terms_table_note(discovered, framing.naming_mentions(two_names, discovered)) == (
        "1 naming groups discovered in this corpus (2 variants, 7 occurrences); "
        "naming_variants(corpus) lists them with their evidence."
    )


def test_load_terms_needs_a_table():
    with pytest.raises(FramingDataError, match="no terms table given"):
        framing.load_terms(None)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        (
            "The Affordable Care Act (ACA) passed. Critics call it Obamacare.",
            [["Affordable Care Act", "abbreviation"], ["ACA", "abbreviation"]],
        ),
        ("Sen. John Smith (R-Ariz.) spoke.", []),  # party and state, not a name
        # a known limit: a place after a name is not told from another name (docs/framing.md)
        ("Jane Doe (Iowa) spoke.", [["Iowa", "apposition"], ["Jane Doe", "apposition"]]),
        (
            "The Islamic State, also known as ISIL, retreated.",
            [["Islamic State", "known_as"], ["ISIL", "known_as"]],
        ),
        ("He (Smith) declined.", []),  # a pronoun is not a name
    ],
)
def test_link_patterns(make_corpus, text, found):
    v = framing.naming_variants(make_corpus(("a", "o", text)))
    assert sorted(v[["variant", "method"]].values.tolist()) == sorted(found)


def test_seeds_links_are_found(seeds_corpus):
    v = framing.naming_variants(seeds_corpus)
    linked = v[v["confidence"] >= framing.MIN_CONFIDENCE]
    groups = {g: sorted(rows["variant"]) for g, rows in linked.groupby("group")}
    assert groups["Stepanakert"] == ["Khankendi", "Stepanakert"]
    assert groups["Nagorno-Karabakh"] == ["Artsakh", "Nagorno-Karabakh"]
    kh = v[v["variant"] == "Khankendi"].iloc[0]
    assert (kh["sentence_id"], kh["evidence"], kh["outlet"], kh["n"]) == (
        "003:p6:s0",
        "Stepanakert (Khankendi in Azerbaijani)",
        "Kyiv Independent",
        1,
    )


def test_seeds_table_claims_its_variants(seeds_corpus):
    v = framing.naming_variants(seeds_corpus, str(shipped("terms_nk2023.csv")))
    discovered = v[v["method"] != "table"]
    assert not {"Khankendi", "Stepanakert", "Artsakh", "NKR"} & set(discovered["variant"])
    assert len(v[v["method"] == "table"]) == 25
