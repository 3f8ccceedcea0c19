"""Actors and agency: alias matching, each agency pattern on hand-made sentences (parser and heuristic), seeds."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import framing
from analysis.nlp import load_spacy

NK = "actors_nk2023.csv"  # the shipped example table, named explicitly (never a default)

# (sentence, [(mention, role, verb lemma, blame)]) -- the same answer is expected from both paths.
AGENCY_CASES = [
    (
        "Russia attacked Armenia.",
        [("Russia", "agent", "attack", True), ("Armenia", "patient", "attack", False)],
    ),
    (
        "Armenia was attacked by Azerbaijan.",
        [("Armenia", "patient", "attack", False), ("Azerbaijan", "agent", "attack", True)],
    ),
    ("Moscow refused to intervene.", [("Moscow", "agent", "refuse", True)]),
    ("Moscow was unable to prevent the attack.", [("Moscow", "agent", "unable", True)]),
    (
        "Russia’s failure angered Yerevan.",
        [("Russia", "possessor", "failure", True), ("Yerevan", "patient", "anger", False)],
    ),
    ("Baku is responsible for the blockade.", [("Baku", "agent", "responsible", True)]),
    (
        "Putin and Aliyev met in Sochi.",
        [("Putin", "agent", "meet", False), ("Aliyev", "agent", "meet", False)],
    ),
    ("Peskov, the spokesman, denied it.", [("Peskov", "agent", "deny", False)]),
    ("The requests were rejected by Moscow.", [("Moscow", "agent", "reject", True)]),
    ("The CSTO abandoned its ally.", [("CSTO", "agent", "abandon", True)]),
    ("Refugees blamed Russia.", [("Russia", "patient", "blame", False)]),
    ("Talks in Washington ended.", [("Washington", "other", "", False)]),
]


def _roles(corpus, parser):
    m = framing.actor_mentions(corpus, NK, parser=parser)
    return [(r.matched, r.role, r.verb, bool(r.blame)) for r in m.itertuples()]


@pytest.mark.parametrize(("text", "expected"), AGENCY_CASES)
def test_agency_patterns_heuristic(make_corpus, text, expected):
    assert _roles(make_corpus(("a", "o", text)), "heuristic") == expected


@pytest.mark.skipif(load_spacy() is None, reason="spaCy pipeline not installed")
@pytest.mark.parametrize(("text", "expected"), AGENCY_CASES)
def test_agency_patterns_parser(make_corpus, text, expected):
    assert _roles(make_corpus(("a", "o", text)), "spacy") == expected


def test_no_spacy_environment_forces_the_heuristic(make_corpus, monkeypatch):
    c = make_corpus(("a", "o", "Russia attacked Armenia."))
    monkeypatch.setenv("COVERAGE_COMPARE_NO_SPACY", "1")
    load_spacy.cache_clear()
    try:
        m = framing.actor_mentions(c, NK)
        assert m["method"].tolist() == ["heuristic", "heuristic"]
        with pytest.raises(RuntimeError, match="unavailable"):
            framing.actor_mentions(c, NK, parser="spacy")
    finally:
        monkeypatch.delenv("COVERAGE_COMPARE_NO_SPACY")
        load_spacy.cache_clear()


def test_aliases_longest_match_case_sensitivity_and_blocks(make_corpus):
    text = (
        "Russian peacekeepers stayed. Samantha Power met Pashinyan. Power said the US would help. "
        "He came to power in 2018, the Kyiv Independent reported. Kyiv was silent."
    )
    m = framing.actor_mentions(make_corpus(("a", "o", text)), NK, parser="heuristic")
    assert m[["matched", "actor", "alias"]].values.tolist() == [
        ["Russian peacekeepers", "Russia", "Russian peacekeepers"],
        ["Samantha Power", "United States", "Samantha Power"],
        ["Pashinyan", "Armenia", "Pashinyan"],
        ["Power", "United States", "Power"],
        ["US", "United States", "US"],
        ["Kyiv", "Ukraine", "Kyiv"],
    ]
    for r in m.itertuples():
        assert text[r.start : r.end] == r.matched


def test_user_alias_table(make_corpus):
    table = pd.DataFrame({"actor": ["Acme", "Acme"], "alias": ["Acme Corp", "the company"]})
    m = framing.actor_mentions(
        make_corpus(("a", "o", "Acme Corp failed. The company blocked the road.")), table, parser="heuristic"
    )
    assert m[["actor", "role", "verb", "blame"]].values.tolist() == [
        ["Acme", "agent", "fail", True],
        ["Acme", "agent", "block", True],
    ]


def test_actor_profile_by_hand(make_corpus):
    c = make_corpus(
        ("a", "o1", "Russia attacked Armenia. Armenia was attacked by Russia again."),
        ("b", "o2", "Russia and Moscow talked. Turkey watched."),
    )
    m = framing.actor_mentions(c, NK, parser="heuristic")
    p = framing.actor_profile(c, m).set_index(["outlet", "actor"])
    # o1: 9 words (3 + 6); Russia 2 mentions in 2 sentences, agent in both, blamed in both
    assert p.loc[
        ("o1", "Russia"), ["n", "n_words", "per_1000_words", "n_sentences", "n_agent", "n_blame"]
    ].tolist() == [2, 9, 222.222222, 2, 2, 2]
    assert p.loc[("o1", "Armenia"), ["n_patient", "patient_share", "agent_share"]].tolist() == [2, 1.0, 0.0]
    # o2: 6 words; 'Russia and Moscow' are two mentions in one sentence
    assert p.loc[("o2", "Russia"), ["n", "n_sentences", "per_1000_words"]].tolist() == [2, 1, 333.333333]
    assert p.loc[("o2", "Armenia"), "n"] == 0 and pd.isna(p.loc[("o2", "Armenia"), "agent_share"])


def test_seeds_actor_mentions(seeds_corpus):
    m = framing.actor_mentions(seeds_corpus, NK, parser="heuristic")
    # the Kyiv Independent's own name never counts as Ukraine; 'came to power' never counts as Samantha Power
    assert not m["matched"].str.contains("Independent").any()
    assert m.loc[m["alias"] == "Power", "matched"].eq("Power").all()
    assert m.loc[m["actor"] == "United States", "article_id"].value_counts().to_dict() == {
        "001": 14,
        "003": 3,
        "000": 1,
    }
    nhk = m[m["article_id"] == "000"]["actor"].value_counts().to_dict()
    assert nhk == {
        "Armenia": 16,
        "Russia": 13,
        "Azerbaijan": 9,
        "Ukraine": 2,
        "Turkey": 1,
        "United States": 1,
    }
    blamed = m[m["blame"] & (m["actor"] == "Russia")]
    assert "002" in set(blamed["article_id"]) and "failure" in set(blamed["verb"])


@pytest.mark.parametrize(
    "parser",
    [
        "heuristic",
        pytest.param(
            "spacy", marks=pytest.mark.skipif(load_spacy() is None, reason="spaCy pipeline not installed")
        ),
    ],
)
def test_target_of_an_attack_noun_is_a_patient(make_corpus, parser):
    c = make_corpus(("a", "o", "The attack on Armenia began at dawn."))
    assert _roles(c, parser) == [("Armenia", "patient", "attack", False)]


def test_no_table_means_discovered_entities_never_the_shipped_example(make_corpus):
    c = make_corpus(("a", "o", "Prime Minister Nikol Pashinyan blamed Moscow. Pashinyan met Ilham Aliyev."))
    m = framing.actor_mentions(c, parser="heuristic")
    assert m[["matched", "actor", "role"]].values.tolist() == [
        ["Nikol Pashinyan", "Nikol Pashinyan", "agent"],
        ["Moscow", "Russia", "patient"],
        ["Pashinyan", "Nikol Pashinyan", "agent"],
        ["Ilham Aliyev", "Ilham Aliyev", "patient"],
    ]
    with pytest.raises(framing.FramingDataError, match="discovered"):
        framing.load_actors("")


def test_entities_with_a_user_table_extend_discovery(make_corpus):
    from analysis import people

    c = make_corpus(("a", "o", "Acme Corp failed. Jane Doe blocked the road. Doe left."))
    table = pd.DataFrame({"actor": ["Acme"], "alias": ["Acme Corp"]})
    ents = people.entity_mentions(c, table=table, parser="patterns")
    m = framing.actor_mentions(c, entities=ents, parser="heuristic")
    assert m[["matched", "actor", "role", "blame"]].values.tolist() == [
        ["Acme Corp", "Acme", "agent", True],
        ["Jane Doe", "Jane Doe", "agent", True],
        ["Doe", "Jane Doe", "agent", False],
    ]
    p = framing.actor_profile(c, m, top_k=1)
    assert p["actor"].tolist() == ["Jane Doe"]
