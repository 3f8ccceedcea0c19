"""Entities discovered from the corpus: name forms, alias merging, types, user tables, settings, seeds."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import people, sourcing
from analysis.nlp import load_spacy

TRUMP = (
    "Donald J. Trump spoke in Ohio. Mr. Trump said the polls were wrong. "
    "Later, Trump attacked Hillary Clinton. Clinton answered."
)


@pytest.mark.parametrize(
    ("text", "person", "expected"),
    [
        ("Mr. Trump", True, "Trump"),
        ("Prime Minister Nikol Pashinyan", True, "Nikol Pashinyan"),
        ("Russia’s", False, "Russia"),
        ("the Kremlin", False, "Kremlin"),
        ("U.S.", False, "U.S."),
        ("Sen. Bernie Sanders.", True, "Bernie Sanders"),
    ],
)
def test_clean_name(text, person, expected):
    assert people.clean_name(text, person=person) == expected


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Donald J. Trump", ("donald", "trump")),
        ("Donald John Trump", ("donald", "trump")),
        ("Hillary Rodham Clinton", ("hillary", "clinton")),
        ("Martin Luther King Jr.", ("martin", "king")),
        ("Trump", ("trump",)),
    ],
)
def test_person_key_tolerates_initials_middle_and_maiden_names(name, key):
    assert people.person_key(name) == key


def test_aliases_merge_within_an_article_patterns(make_corpus):
    m = people.entity_mentions(make_corpus(("a", "o", TRUMP)), parser="patterns")
    assert m[["text", "entity", "link"]].values.tolist() == [
        ["Donald J. Trump", "Donald J. Trump", "name"],
        ["Ohio", "Ohio", "name"],
        ["Trump", "Donald J. Trump", "same_article"],
        ["Trump", "Donald J. Trump", "same_article"],
        ["Hillary Clinton", "Hillary Clinton", "name"],
        ["Clinton", "Hillary Clinton", "same_article"],
    ]
    assert (m["text"] == [TRUMP[s:e] for s, e in zip(m["start"], m["end"], strict=True)]).all()


def test_surname_links_across_articles_only_when_unambiguous(make_corpus):
    c = make_corpus(
        ("a", "o1", "Donald Trump spoke. Bill Clinton and Hillary Clinton listened."),
        ("b", "o2", "Trump spoke and Clinton left."),
    )
    m = people.entity_mentions(c, parser="patterns")
    b = m[m["article_id"] == "b"]
    assert b[["text", "entity", "link"]].values.tolist() == [
        ["Trump", "Donald Trump", "corpus"],
        ["Clinton", "Clinton", "name"],  # two Clintons in the corpus: left alone
    ]
    e = people.entities(m).set_index("name")
    assert e.loc["Donald Trump", ["n_mentions", "n_articles", "n_outlets", "aliases"]].tolist() == [
        2,
        2,
        2,
        "Donald Trump | Trump",
    ]


def test_types_from_title_rules_one_per_corpus(make_corpus):
    c = make_corpus(
        ("a", "o", "Kremlin spokesman Dmitry Peskov denied it. Peskov left. Russian peacekeepers stayed."),
        ("b", "o", "Refugees fled to Armenia. The peacekeepers watched."),
    )
    e = people.entities(people.entity_mentions(c, parser="patterns")).set_index("name")
    assert e.loc["Dmitry Peskov", ["entity_type", "type_rule", "n_mentions"]].tolist() == [
        "official",
        "spokesperson",
        2,
    ]
    assert e.loc["Russian peacekeepers", ["kind", "entity_type", "n_mentions", "n_articles"]].tolist() == [
        "group",
        "military",
        2,
        2,
    ]
    assert e.loc["Armenia", ["kind", "entity_type"]].tolist() == ["place", "place"]


def test_user_table_extends_and_overrides(make_corpus):
    c = make_corpus(("a", "o", "Acme Corp failed. Jane Doe met Acme Corp staff in Moscow. Doe left."))
    table = pd.DataFrame(
        {
            "entity": ["Acme", "Jane Doe"],
            "alias": ["Acme Corp", ""],
            "entity_type": ["organisation", "expert"],
        }
    )
    m = people.entity_mentions(c, table=table, parser="patterns")
    assert m[["text", "entity", "link"]].values.tolist() == [
        ["Acme Corp", "Acme", "table"],
        ["Jane Doe", "Jane Doe", "table"],
        ["Acme Corp", "Acme", "table"],
        ["Moscow", "Russia", "place"],
        ["Doe", "Jane Doe", "table"],
    ]
    assert people.table_share(m) == 0.8
    e = people.entities(m).set_index("name")
    assert e.loc["Jane Doe", ["entity_type", "type_rule", "from_table"]].tolist() == ["expert", "table", True]
    assert "matches little" not in people.table_note(m, "t.csv", "coverage-compare.toml")


def test_table_note_says_when_a_table_matches_little():
    m = pd.DataFrame({"link": ["table"] + ["name"] * 9})
    assert "matches little of this corpus" in people.table_note(m, "actors.csv", "x/coverage-compare.toml")
    assert people.table_note(m, "", "discovered").startswith("Actors: the entities discovered")


def test_settings_file_names_tables_never_a_silent_default(seeds_corpus, tmp_path):
    path, origin = people.table_setting(seeds_corpus, "actor_table")
    assert path.endswith("actors_nk2023.csv") and origin.endswith("coverage-compare.toml")
    assert people.table_setting(seeds_corpus, "actor_table", "mine.csv") == ("mine.csv", "parameter")
    assert people.table_setting(tmp_path, "actor_table") == ("", "discovered")
    (tmp_path / people.SETTINGS_FILE).write_text('[tables]\nactor_table = "nowhere.csv"\n')
    with pytest.raises(FileNotFoundError, match="nowhere.csv"):
        people.table_setting(tmp_path, "actor_table")


def test_speaker_table_merges_aliases_of_one_person(make_corpus):
    c = make_corpus(
        ("a", "o1", 'Donald J. Trump spoke. "We will win," Mr. Trump said.'),
        ("b", "o2", '"It is rigged," said Donald Trump. "Believe me," Trump said.'),
    )
    quotes = sourcing.extract_quotes(c)
    ents = people.entity_mentions(c, parser="patterns")
    speakers = sourcing.speaker_table(quotes, c, entities=ents)
    assert set(speakers["speaker"]) == {"Donald J. Trump"}
    assert speakers[["outlet", "n_quotes"]].values.tolist() == [["o1", 1], ["o2", 2]]


@pytest.mark.parametrize(
    "parser",
    [
        "patterns",
        pytest.param("spacy", marks=pytest.mark.skipif(load_spacy() is None, reason="spaCy not installed")),
    ],
)
def test_seeds_top_entities_are_its_known_actors(seeds_corpus, parser):
    e = people.entities(people.entity_mentions(seeds_corpus, parser=parser))
    top = set(e["name"].head(25))
    assert {"Azerbaijan", "Armenia", "Russia", "Nikol Pashinyan", "Russian peacekeepers"} <= top
    assert {"Ilham Aliyev", "Dmitry Peskov"} <= set(e["name"])
    nhk = e.set_index("name").loc["Amma Hideo"]
    assert (nhk["entity_type"], nhk["n_mentions"]) == ("journalist", 5)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Chatham House Laurence Broers", [("Chatham House", "organisation"), ("Laurence Broers", "person")]),
        (
            "Brookings Institution Jane Q. Doe",
            [("Brookings Institution", "organisation"), ("Jane Q. Doe", "person")],
        ),
        ("White House", [("White House", "")]),  # nothing follows the organisation word
        ("House Speaker Paul Ryan", [("House Speaker Paul Ryan", "")]),  # the first word is not a split point
        ("Daily Times Editorial Board", [("Daily Times Editorial Board", "")]),  # 'Board' ends no person
    ],
)
def test_affiliation_written_before_a_name_is_split(text, expected):
    from analysis.people._find import split_affiliation

    spans = split_affiliation(text, 0, len(text))
    assert [(text[a:b], kind) for a, b, kind in spans] == expected


@pytest.mark.skipif(load_spacy() is None, reason="spaCy not installed")
def test_seeds_named_experts_and_officials_are_people_with_their_surnames(seeds_corpus):
    m = people.entity_mentions(seeds_corpus, parser="spacy")
    e = people.entities(m).set_index("name")
    assert (e.loc["Laurence Broers", "kind"], e.loc["Laurence Broers", "entity_type"]) == ("person", "expert")
    assert e.loc["Laurence Broers", "n_mentions"] == 5  # 'Broers' x4 joins the full name
    assert e.loc["Oleksii Danilov", "kind"] == "person"  # spaCy says ORG; 'Danilov' alone says person
    assert "Nagorno-Karabakh Armenians" not in set(e.index[e["kind"] == "person"])


@pytest.mark.parametrize(("bill_mentions", "expected"), [(1, "Hillary Clinton"), (2, "Clinton")])
def test_a_surname_across_articles_joins_a_dominant_full_name_only(make_corpus, bill_mentions, expected):
    hillary = [(f"h{i}", "o", "Hillary Clinton spoke. Clinton said so. Clinton left.") for i in range(3)]
    bill = ("b", "o", " ".join(["Bill Clinton visited."] * bill_mentions))
    c = make_corpus(*hillary, bill, ("z", "p", "The vote went to Clinton after all."))
    m = people.entity_mentions(c, parser="patterns")
    alone = m[m["article_id"] == "z"]
    # Hillary: 9 mentions; Bill 1 (90%: joins) or 2 (82%: ambiguous, stays its own entity)
    assert alone[["text", "entity"]].values.tolist() == [["Clinton", expected]]
    assert alone["link"].tolist() == ["corpus_dominant" if expected != "Clinton" else "name"]
