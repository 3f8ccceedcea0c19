"""Sourcing: quotes, speakers, attribution verbs and hedges, on the seeds and on hand-made snippets.

Every extraction test runs twice: with the verified spaCy pipeline and with the
pattern-only fallback (``nlp=None``, what ``COVERAGE_COMPARE_NO_SPACY=1`` gives).
"""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.nlp._spacy import load_spacy
from analysis.schemas import validate
from analysis.schemas.sourcing import Quotes
from analysis.sourcing import _extract as sourcing
from analysis.sourcing import _tables as sourcing_tables

PATHS = ["spacy", "patterns"]


def _nlp(path):
    if path == "spacy":
        model = load_spacy()
        if model is None:
            pytest.skip("spaCy pipeline not installed or disabled")
        return model
    return None


@pytest.fixture(scope="module", params=PATHS)
def seed_quotes(request, seeds_corpus):
    return sourcing.extract_quotes(seeds_corpus, nlp=_nlp(request.param))


@pytest.fixture(params=PATHS)
def extract(request, make_corpus):
    """Quotes of one snippet (or several paragraphs joined by blank lines)."""
    model = _nlp(request.param)

    def _run(*paragraphs):
        corpus = make_corpus(("a1", "Outlet", "\n\n".join(paragraphs)))
        return sourcing.extract_quotes(corpus, nlp=model)

    return _run


def _pairs(quotes, kinds=("direct", "partial")):
    sel = quotes.loc[quotes["kind"].isin(kinds)]
    return [(" ".join(t.split()[:3]), s) for t, s in zip(sel["text"], sel["speaker"], strict=True)]


# --------------------------------------------------------------------------
# Seeds
# --------------------------------------------------------------------------


def test_seed_003_direct_quotes_go_to_the_right_speaker(seed_quotes):
    q = seed_quotes.loc[(seed_quotes["article_id"] == "003") & (seed_quotes["kind"] == "direct")]
    assert _pairs(q, ("direct",)) == [
        ("Russia tried to", "Laurence Broers"),
        ("It brokered the", "Laurence Broers"),
        ("Now, this notion", "Laurence Broers"),
        ("The Russians don’t", "Marut Vanyan"),
        ("I think this", "Laurence Broers"),
        ("The aim is", "Laurence Broers"),
        ("The Ukraine war", "Laurence Broers"),
        ("both in material", "Laurence Broers"),
        ("That accelerated this", "Laurence Broers"),
        ("With a high", "Laurence Broers"),
        ("But I think", "Laurence Broers"),
        ("I personally can’t", "Laurence Broers"),
        ("The disappointment and", "Laurence Broers"),
        ("This should be", "Oleksii Danilov"),
    ]
    danilov = seed_quotes.loc[seed_quotes["text"] == "is not a partner to any country"].iloc[0]
    assert (danilov["kind"], danilov["speaker"], danilov["speaker_mention"], danilov["cue"]) == (
        "partial",
        "Oleksii Danilov",
        "Danilov",
        "said",
    )


def test_seed_003_scare_and_naming_quotes(seed_quotes):
    q = seed_quotes.loc[(seed_quotes["article_id"] == "003") & (seed_quotes["kind"] == "scare")]
    assert q["text"].tolist() == [
        "peacekeeper",
        "anti-terrorist",
        "peacekeepers",
        "reintegration issues",
        "Western Azerbaijan.",
    ]
    # a one-word quote after a speech verb is the speaker's word, not a scare quote
    indifferent = seed_quotes.loc[seed_quotes["text"] == "indifferent"].iloc[0]
    assert (indifferent["kind"], indifferent["speaker"], indifferent["cue"], indifferent["rule_id"]) == (
        "partial",
        "Nikol Pashinyan",
        "criticized",
        "partial.relative",
    )
    assert q["marks"].tolist()[:2] == ["single", "double"]
    assert q["speaker"].isna().all()
    naming = q.loc[q["rule_id"] == "scare.naming"]
    assert naming[["text", "cue"]].values.tolist() == [["Western Azerbaijan.", "refers to as"]]


def test_seed_003_according_to_local_journalist(seed_quotes):
    row = seed_quotes.loc[seed_quotes["speaker"] == "Tigran Grigoryan"].iloc[0]
    assert (row["kind"], row["cue"], row["speaker_mention"]) == (
        "indirect",
        "according to",
        "local Armenian journalist Tigran Grigoryan",
    )
    assert row["text"].startswith("several Armenian villages had already been taken")


def test_seed_000_every_quote_is_amma_hideo(seed_quotes):
    q = seed_quotes.loc[
        (seed_quotes["article_id"] == "000") & seed_quotes["kind"].isin(["direct", "partial"])
    ]
    assert len(q) == 7 and set(q["speaker"]) == {"Amma Hideo"}
    assert (q["kind"] == "direct").sum() == 6
    first = q.loc[q["text"].str.startswith("Basically")].iloc[0]
    assert first["paragraph_ids"] == "000:p4 000:p5"  # one quotation over two paragraphs
    assert (first["speaker_mention"], first["cue"]) == ("He", "said")
    assert first["text"].endswith("accept this humiliating ceasefire agreement.")
    indirect = seed_quotes.loc[(seed_quotes["article_id"] == "000") & (seed_quotes["kind"] == "indirect")]
    assert indirect["speaker"].tolist() == [
        "Armenian side",
        "Armenian human rights group",
        "Amma Hideo",
        "Amma Hideo",
        "Amma Hideo",
        "Amma Hideo",
    ]


def test_seed_001_peskov_and_pashinyan(seed_quotes):
    q = seed_quotes.loc[seed_quotes["article_id"] == "001"].set_index("text")
    peskov = q.loc[q["speaker"] == "Dmitry Peskov"]
    assert peskov[["kind", "speaker_mention", "cue"]].values.tolist() == [
        ["direct", "Peskov", "said"],
        ["partial", "He", "insisted"],
        ["indirect", "He", "promised"],  # 'He insisted that "..." and promised to continue dialogue'
    ]
    assert peskov.index[1] == "Armenia is a nation close to us"
    pashinyan = q.loc[q["speaker"] == "Nikol Pashinyan"]
    assert pashinyan[["kind", "speaker_mention", "cue"]].values.tolist() == [
        ["partial", "Pashinyan", "warned"],
        ["direct", "he", "said"],
        ["partial", "Pashinyan", "attacked"],
        ["partial", "Pashinyan", "claimed"],
        ["indirect", "he", "said"],
        ["direct", "he", "stated"],
        ["partial", "He", "called"],
    ]
    assert q.loc["is happening right now and it is a very tragic event.", "cue_category"] == "loaded"
    officials = q.loc[q["speaker"] == "Russian officials"]
    assert officials[["kind", "cue", "cue_category"]].values.tolist() == [["indirect", "claiming", "loaded"]]
    assert (
        officials.index[0]
        == "Pashinyan was to blame after admitting earlier this year that Nagorno-Karabakh was part of Azerbaijan"
    )
    assert q.loc["Western-inspired", "speaker"] == "Russia's Foreign Ministry"
    assert (q.loc[q["speaker"] == "Samantha Power", "kind"] != "scare").sum() == 6


def test_seed_002_peskov_and_pashinyan(seed_quotes):
    q = seed_quotes.loc[seed_quotes["article_id"] == "002"]
    assert q[["kind", "speaker", "cue"]].values.tolist() == [
        ["indirect", "refugees", "claim"],
        ["indirect", "Vladimir Putin", "promised"],
        ["indirect", "Nikol Pashinyan", "warned"],
        ["partial", "Nikol Pashinyan", "accusing"],
        ["indirect", "Dmitry Peskov", "denied"],
        ["partial", "Dmitry Peskov", "claiming"],
    ]


def test_seed_004_has_no_direct_quote(seed_quotes):
    q = seed_quotes.loc[seed_quotes["article_id"] == "004"]
    assert not q["kind"].isin(["direct", "partial", "scare"]).any()
    assert q[["speaker", "cue", "text"]].values.tolist() == [
        [
            "Ilham Aliyev",
            "stated",
            "the operation was aimed at disarming Armenian forces and restoring "
            "azerbaijan’s territorial integrity",
        ]
    ]


def test_offsets_ids_and_schema(seed_quotes, seeds_corpus):
    validate(seed_quotes, Quotes)
    texts = dict(zip(seeds_corpus.articles["article_id"], seeds_corpus.articles["text"], strict=True))
    sentences = seeds_corpus.sentences.set_index("sentence_id")
    for row in seed_quotes.itertuples(index=False):
        if " " not in row.paragraph_ids:
            assert " ".join(texts[row.article_id][row.start : row.end].split()) == row.text
        sent = sentences.loc[row.sentence_id]
        assert sent["start"] <= row.start < sent["end"] and sent["paragraph_id"] == row.paragraph_id
    assert seed_quotes["quote_id"].is_unique


def test_both_paths_agree_on_quotations_in_the_seeds(seeds_corpus):
    if load_spacy() is None:
        pytest.skip("spaCy pipeline not installed or disabled")
    a = sourcing.extract_quotes(seeds_corpus, nlp=None).set_index(["article_id", "start", "end"])
    b = sourcing.extract_quotes(seeds_corpus, nlp=load_spacy()).set_index(["article_id", "start", "end"])
    quoted = a.loc[a["kind"] != "indirect", ["kind", "speaker"]]
    pd.testing.assert_frame_equal(quoted, b.loc[b["kind"] != "indirect", ["kind", "speaker"]])
    # the parser finds subjects the patterns miss; it never loses an indirect statement on the seeds
    assert set(a.index[a["kind"] == "indirect"]) < set(b.index[b["kind"] == "indirect"])


def test_deterministic(seeds_corpus):
    a = sourcing.extract_quotes(seeds_corpus, nlp=None)
    pd.testing.assert_frame_equal(a, sourcing.extract_quotes(seeds_corpus, nlp=None))


# --------------------------------------------------------------------------
# Hand-made snippets, one per rule
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "“We will rebuild the bridge,” said Maria Lopez, the town's mayor.",
        '"We will rebuild the bridge," Maria Lopez said.',
        "Maria Lopez said: “We will rebuild the bridge.”",
        "Maria Lopez said “We will rebuild the bridge.”",
    ],
)
def test_direct_quote_with_speaker_before_or_after(extract, text):
    q = extract(text)
    assert q[["kind", "speaker"]].values.tolist() == [["direct", "Maria Lopez"]]
    assert q["text"].iloc[0].rstrip(".") == "We will rebuild the bridge"


def test_headline_colon_attribution(extract):
    q = extract(
        "Peskov: “Armenia is a nation close to us”", "Kremlin spokesman Dmitry Peskov spoke on Monday."
    )
    assert q[["kind", "speaker", "speaker_mention", "cue", "rule_id"]].values.tolist() == [
        ["direct", "Dmitry Peskov", "Peskov", None, "direct.colon"]
    ]


def test_inverted_speaker_with_descriptor(extract):
    q = extract("“They are angry,” said local journalist Anna Petrova in a video report.")
    assert q[["speaker", "speaker_mention", "cue"]].values.tolist() == [
        ["Anna Petrova", "local journalist Anna Petrova", "said"]
    ]


def test_surname_and_pronoun_resolve_to_full_name(extract):
    q = extract(
        "Regional analyst John Carver has followed the talks for years.",
        "“The deal is fragile,” said Carver.",
        "He added that both sides had broken earlier promises.",
    )
    assert q[["kind", "speaker", "speaker_mention"]].values.tolist() == [
        ["direct", "John Carver", "Carver"],
        ["indirect", "John Carver", "He"],
    ]


def test_sentence_openers_are_not_part_of_names(extract):
    q = extract(
        "Lawyer John Smith filed the appeal. Then Smith said the court had erred. In Smith’s view it was over."
    )
    assert q[["speaker", "speaker_mention"]].values.tolist() == [["John Smith", "Smith"]]


def test_pronoun_skips_a_name_in_a_prepositional_phrase(extract):
    q = extract(
        "Helen Ward said the talks would resume.",
        "In her meeting with Omar Haddad, she said “progress is possible.”",
    )
    assert q["speaker"].tolist() == ["Helen Ward", "Helen Ward"]


def test_quote_running_over_paragraphs(extract):
    q = extract(
        "Economist Lina Berg said, “Prices will keep rising this winter.",
        "“Families should expect higher bills.”",
        "The central bank meets next week.",
    )
    assert q[["kind", "speaker", "paragraph_ids"]].values.tolist() == [["direct", "Lina Berg", "a1:p0 a1:p1"]]
    assert q["text"].iloc[0] == "Prices will keep rising this winter. Families should expect higher bills."


def test_quote_only_paragraph_continues_previous_speaker(extract):
    q = extract(
        "“The shelling never stopped,” said resident Karen Adams.",
        "“We slept in the basement for three nights and nobody came to help us.”",
    )
    assert q[["speaker", "rule_id"]].values.tolist() == [
        ["Karen Adams", "direct.inverted"],
        ["Karen Adams", "direct.carry.paragraph"],
    ]


def test_they_resolves_to_the_last_group_speaker(extract):
    q = extract("Local officials said the dam was safe. They added that inspections would continue.")
    assert q[["speaker", "speaker_mention"]].values.tolist() == [
        ["local officials", "Local officials"],
        ["local officials", "They"],
    ]


def test_it_resolves_to_an_institution_and_passives_have_no_speaker(extract):
    q = extract(
        "The ministry said the road was open. It added that repairs would take a week.",
        "It was claimed that the bridge had collapsed.",
    )
    assert q[["speaker", "speaker_mention", "cue"]].values.tolist() == [
        ["ministry", "The ministry", "said"],
        ["ministry", "It", "added"],
    ]


def test_empty_tables(make_corpus):
    corpus = make_corpus(("a1", "Outlet", "Nothing was said here at all."))
    quotes = sourcing.extract_quotes(corpus, nlp=None)
    assert quotes.empty and list(quotes.columns) == sourcing.QUOTE_COLUMNS
    assert sourcing_tables.speaker_table(quotes, corpus).empty
    assert sourcing_tables.verb_table(quotes).empty
    assert sourcing_tables.quotation_share(quotes, corpus)["n_words"].tolist() == [0, 0]


def test_according_to(extract):
    q = extract("According to the health ministry, 40 people were injured.")
    assert q[["kind", "speaker", "cue", "text"]].values.tolist() == [
        ["indirect", "health ministry", "According to", "40 people were injured"]
    ]


def test_indirect_speech_with_object_and_that(extract):
    q = extract("Pashinyan warned Power that the exodus would continue.")
    assert q[["kind", "speaker", "cue_lemma", "cue_category", "text"]].values.tolist() == [
        ["indirect", "Pashinyan", "warn", "loaded", "the exodus would continue"]
    ]


def test_indirect_speech_with_participle(extract):
    q = extract(
        "The two capitals traded blame, with Russian officials claiming the government was responsible."
    )
    assert q[["kind", "speaker", "cue"]].values.tolist() == [["indirect", "Russian officials", "claiming"]]


def test_participle_inherits_the_clause_subject(extract):
    q = extract("The ministry accused the rebels of “terror,” saying they were “foreign-backed.”")
    assert q[["kind", "speaker", "cue"]].values.tolist() == [
        ["partial", "ministry", "accused"],
        ["partial", "ministry", "saying"],
    ]


def test_short_phrases_without_speaker_are_scare_quotes(extract):
    q = extract(
        "Troops of the so-called ‘liberation army’ entered the ‘buffer zone’ on Friday, "
        'which locals call "the cage".'
    )
    assert q[["kind", "text", "rule_id"]].values.tolist() == [
        ["scare", "liberation army", "scare.naming"],
        ["scare", "buffer zone", "scare"],
        ["scare", "the cage", "scare.naming"],
    ]
    assert q["speaker"].isna().all()


def test_apostrophes_are_not_quotes(extract):
    assert extract("Russia’s army didn't advance and the villagers' houses stood.").empty


def test_nouns_are_not_cues(extract):
    assert extract("The claims were not independently verifiable, and unconfirmed reports spread.").empty


def test_long_unattributed_quote_stays_visible(extract):
    q = extract("“This war will not end with a ceasefire signed in a hurry by tired men.”")
    assert q[["kind", "speaker", "rule_id"]].values.tolist() == [["direct", None, "unattributed"]]


def test_custom_verb_lexicon(make_corpus):
    corpus = make_corpus(("a1", "Outlet", "Officials opined that the bridge would hold."))
    verbs = pd.concat(
        [
            sourcing.load_verbs(),
            pd.DataFrame(
                [
                    {
                        "lemma": "opine",
                        "forms": "opine|opines|opined",
                        "category": "loaded",
                        "frames": "that",
                        "description": "",
                    }
                ]
            ),
        ]
    )
    assert sourcing.extract_quotes(corpus, nlp=None)["kind"].tolist() == []
    q = sourcing.extract_quotes(corpus, nlp=None, verbs=verbs)
    assert q[["speaker", "cue_lemma", "cue_category"]].values.tolist() == [["officials", "opine", "loaded"]]


# --------------------------------------------------------------------------
# Tables
# --------------------------------------------------------------------------

SMALL = [
    (
        "x1",
        "Alpha",
        "“We will hold the line,” said Defense Minister Tom Reyes. Reyes claimed that the enemy was retreating.",
    ),
    (
        "x2",
        "Beta",
        "Residents said the water was cut. “We have nothing left to drink in this town,” said resident Ana Cruz.",
    ),
]


def test_speaker_table_counts_and_types(make_corpus, tmp_path):
    corpus = make_corpus(*SMALL)
    quotes = sourcing.extract_quotes(corpus, nlp=None)
    table = sourcing_tables.speaker_table(quotes, corpus)
    got = table[
        [
            "outlet",
            "speaker",
            "speaker_type",
            "n_quotes",
            "n_direct",
            "n_indirect",
            "words_quoted",
            "words_reported",
        ]
    ].values.tolist()
    assert got == [
        ["Alpha", "Tom Reyes", "government", 2, 1, 1, 5, 4],
        ["Beta", "Ana Cruz", "civilian", 1, 1, 0, 9, 0],
        ["Beta", "residents", "civilian", 1, 0, 1, 0, 4],
    ]
    assert table["share_of_words"].tolist() == [round(5 / 17, 4), round(9 / 19, 4), 0.0]
    mapping = tmp_path / "map.csv"
    mapping.write_text("speaker,speaker_type,affiliation\nAna Cruz,expert,Red Cross\n", encoding="utf-8")
    mapped = sourcing_tables.speaker_table(quotes, corpus, speaker_mapping=mapping).set_index("speaker")
    assert mapped.loc["Ana Cruz", ["speaker_type", "affiliation", "type_rule"]].tolist() == [
        "expert",
        "Red Cross",
        "mapping",
    ]


def test_unknown_speakers_stay_visible(make_corpus):
    corpus = make_corpus(
        ("x1", "Alpha", "“This war will not end with a ceasefire signed in a hurry by tired men.”")
    )
    table = sourcing_tables.speaker_table(sourcing.extract_quotes(corpus, nlp=None), corpus)
    assert table[["speaker", "speaker_type", "n_direct", "words_quoted"]].values.tolist() == [
        ["unknown", "unknown", 1, 15]
    ]


def test_verb_table_and_kind_mix(make_corpus):
    corpus = make_corpus(*SMALL)
    quotes = sourcing.extract_quotes(corpus, nlp=None)
    verbs = sourcing_tables.verb_table(quotes, by=("outlet",))
    assert verbs[["outlet", "cue_lemma", "cue_category", "n"]].values.tolist() == [
        ["Alpha", "claim", "loaded", 1],
        ["Alpha", "say", "neutral", 1],
        ["Beta", "say", "neutral", 2],
    ]
    mix = sourcing_tables.kind_mix(quotes, corpus.outlets)
    assert mix.loc[mix["n"] > 0, ["outlet", "kind", "n", "share"]].values.tolist() == [
        ["Alpha", "direct", 1, 0.5],
        ["Alpha", "indirect", 1, 0.5],
        ["Beta", "direct", 1, 0.5],
        ["Beta", "indirect", 1, 0.5],
    ]


def test_hedges(make_corpus):
    text = (
        "The village was reportedly shelled. The claims could not be independently verified, "
        "according to the agency. “They allegedly fired first,” said Ana Cruz."
    )
    corpus = make_corpus(("h1", "Alpha", text))
    hedges = sourcing_tables.find_hedges(corpus, sourcing.extract_quotes(corpus, nlp=None))
    assert hedges[["marker", "category", "match", "in_quote"]].values.tolist() == [
        ["reportedly", "hedge", "reportedly", False],
        ["claims", "evidential", "The claims", False],
        ["could not be independently verified", "evidential", "could not be independently verified", False],
        ["according to", "evidential", "according to", False],
        ["allegedly", "hedge", "allegedly", True],
    ]
    assert all(
        text[s:e] == m for s, e, m in zip(hedges["start"], hedges["end"], hedges["match"], strict=True)
    )


@pytest.mark.slow
def test_notebook_exports_every_figure(seeds_report):
    files = {p.name for p in (seeds_report / "04_sourcing").iterdir()}
    for name in ("speakers_by_outlet", "quotation_share", "kind_mix", "verb_mix", "hedges", "quote_table"):
        assert {f"{name}.png", f"{name}.csv", f"{name}.json"} <= files


def test_parser_finds_subject_behind_appositives(make_corpus):
    text = (
        "Maria Lopez, 45, a nurse at the hospital, said the bridge would reopen. The head of the local "
        "council, whose office (near the river) was flooded, said: “We stay.”"
    )
    corpus = make_corpus(("a1", "Outlet", text))
    plain = sourcing.extract_quotes(corpus, nlp=None)
    assert plain[["kind", "speaker", "rule_id"]].values.tolist() == [
        ["indirect", "Maria Lopez", "indirect.zero"],
        ["direct", None, "direct.unattributed"],
    ]
    if load_spacy() is None:
        pytest.skip("spaCy pipeline not installed or disabled")
    parsed = sourcing.extract_quotes(corpus, nlp=load_spacy())
    assert parsed[["kind", "speaker", "rule_id"]].values.tolist() == [
        ["indirect", "Maria Lopez", "indirect.zero"],
        ["direct", "head of the local council", "direct.parsed"],
    ]


def test_common_wire_attributions(extract):
    q = extract(
        "“We are ready to talk,” the foreign minister told reporters on Tuesday.",
        "Jane Doe, 45, said the shelling had stopped by midnight.",
        "“Nobody warned us,” she said in a statement, adding that the army had left.",
        "“The convoy was hit twice,” said Mark Lee, a spokesman for the Red Cross.",
        "A senior U.S. official told Reuters that talks had stalled.",
        "Police said three people were arrested. Russian state media ran the story.",
        "Mr. Lee later told the Guardian: “We need access now.”",
    )
    assert q[["kind", "speaker", "speaker_mention", "cue"]].values.tolist() == [
        ["direct", "foreign minister", "the foreign minister", "told"],
        ["indirect", "Jane Doe", "Jane Doe", "said"],
        ["direct", "Jane Doe", "she", "said"],
        ["indirect", "Jane Doe", "she", "adding"],
        ["direct", "Mark Lee", "Mark Lee", "said"],
        ["indirect", "senior U.S. official", "A senior U.S. official", "told"],
        ["indirect", "police", "Police", "said"],
        ["direct", "Mark Lee", "Mr. Lee", "told"],
    ]


def test_environment_switch_forces_the_pattern_path(monkeypatch, make_corpus):
    corpus = make_corpus(
        ("a1", "Outlet", "“We will rebuild,” said Maria Lopez. She added that help was coming.")
    )
    monkeypatch.setenv("COVERAGE_COMPARE_NO_SPACY", "1")
    load_spacy.cache_clear()
    try:
        assert load_spacy() is None
        auto = sourcing.extract_quotes(corpus)
    finally:
        monkeypatch.delenv("COVERAGE_COMPARE_NO_SPACY")
        load_spacy.cache_clear()
    pd.testing.assert_frame_equal(auto, sourcing.extract_quotes(corpus, nlp=None))
    assert auto[["kind", "speaker"]].values.tolist() == [
        ["direct", "Maria Lopez"],
        ["indirect", "Maria Lopez"],
    ]


def test_anonymous_official_short_sentences_and_clause_boundaries(extract):
    q = extract(
        "“We had no warning,” the official, who asked not to be named, said.",
        "“The city is quiet,” said Tom Hill, who heads the agency. “But people are scared.”",
        "The mayor’s office called the report “baseless.”",
        "Witnesses told AFP that at least 12 people had died, while the army said only two soldiers were hurt.",
        "The minister said publicly that it was over.",
    )
    assert q[["kind", "text", "speaker", "rule_id"]].values.tolist() == [
        ["direct", "We had no warning", "official", "direct.appositive"],
        ["direct", "The city is quiet", "Tom Hill", "direct.inverted"],
        ["direct", "But people are scared.", "Tom Hill", "direct.carry.sentence"],
        ["partial", "baseless.", "mayor's office", "partial.before"],
        ["indirect", "at least 12 people had died", "witnesses", "indirect.that"],
        ["indirect", "only two soldiers were hurt", "army", "indirect.zero"],
        ["indirect", "it was over", "minister", "indirect.that"],
    ]
