"""Tests of the claims capability: numbers, claim groups, alignment, provenance."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis import claims
from analysis.corpus._load import build_corpus, load_corpus
from analysis.schemas import validate
from analysis.schemas.claims import Numbers

INF = math.inf
NAN = float("nan")


def tiny(*texts: str, outlets: list[str] | None = None):
    """A corpus with one article per text (outlets o0, o1, ... unless given)."""
    outlets = outlets or [f"o{i}" for i in range(len(texts))]
    return build_corpus(
        [
            {"article_id": f"a{i}", "outlet": o, "text": t}
            for i, (t, o) in enumerate(zip(texts, outlets, strict=True))
        ]
    )


def only(text: str) -> pd.Series:
    """The single number extracted from ``text`` (fails if there is not exactly one)."""
    numbers = claims.extract_numbers(tiny(text))
    assert len(numbers) == 1, numbers[["text", "kind"]]
    return numbers.iloc[0]


def same(a: float, b: float) -> bool:
    return (math.isnan(a) and math.isnan(b)) or a == pytest.approx(b)


@pytest.fixture(scope="module")
def seeds():
    return load_corpus(Path(__file__).resolve().parent.parent / "seeds")


@pytest.fixture(scope="module")
def seed_numbers(seeds):
    return claims.extract_numbers(seeds)


# --------------------------------------------------------------------------
# Number forms and qualifiers, one snippet each
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "span", "kind", "value", "lower", "upper", "qualifier"),
    [
        (
            "At least 200 people were killed in the attack.",
            "At least 200",
            "count",
            200,
            200,
            INF,
            "at least",
        ),
        (
            "More than 6,650 residents have left the town.",
            "More than 6,650",
            "count",
            6650,
            6650,
            INF,
            "more than",
        ),
        ("Over 90 positions were taken by the army.", "Over 90", "count", 90, 90, INF, "over"),
        (
            "Moscow has about 2,000 peacekeepers in the region.",
            "about 2,000",
            "count",
            2000,
            1900,
            2100,
            "about",
        ),
        (
            "The region has approximately 100,000 residents today.",
            "approximately 100,000",
            "count",
            100000,
            95000,
            105000,
            "approximately",
        ),
        (
            "It left an estimated 120,000 residents in fear.",
            "an estimated 120,000",
            "count",
            120000,
            114000,
            126000,
            "an estimated",
        ),
        ("Nearly 500 homes were destroyed by the fire.", "Nearly 500", "count", 500, 475, 500, "nearly"),
        ("Up to 300 soldiers took part in the drill.", "Up to 300", "count", 300, NAN, 300, "up to"),
        (
            "Just under 24 hours later the town fell.",
            "Just under 24 hours",
            "duration",
            1,
            0.95,
            1,
            "just under",
        ),
        ("The 44-day war ended with a truce.", "44-day", "duration", 44, 44, 44, ""),
        ("The fighting lasted two days in all.", "two days", "duration", 2, 2, 2, ""),
        (
            "Half a million people were displaced by the war.",
            "Half a million",
            "count",
            500000,
            500000,
            500000,
            "",
        ),
        (
            "Tens of thousands of people fled the region.",
            "Tens of thousands",
            "count",
            10000,
            10000,
            INF,
            "vague",
        ),
        (
            "Hundreds of thousands of people were displaced.",
            "Hundreds of thousands",
            "count",
            100000,
            100000,
            INF,
            "vague",
        ),
        ("Turnout reached 77 percent in the capital.", "77 percent", "percent", 77, 77, 77, ""),
        ("Turnout reached 64.5% in the capital city.", "64.5%", "percent", 64.5, 64.5, 64.5, ""),
        ("Twenty-five soldiers were wounded in the raid.", "Twenty-five", "count", 25, 25, 25, ""),
        (
            "Between 10 and 15 people were hurt in the blast.",
            "Between 10 and 15",
            "count",
            12.5,
            10,
            15,
            "range",
        ),
        ("The bank pledged $2 billion in new loans.", "$2 billion", "money", 2e9, 2e9, 2e9, ""),
        ("Some 200 people or more joined the march.", "Some 200", "count", 200, 190, 210, "some"),
        ("The march drew 300 or more people in the rain.", "300 or more", "count", 300, 300, INF, "or more"),
        ("The club paid $5m for the striker last year.", "$5m", "money", 5e6, 5e6, 5e6, ""),
        (
            "Nearly two-thirds of voters backed the plan.",
            "Nearly two-thirds",
            "percent",
            66.6667,
            63.3333,
            66.6667,
            "nearly",
        ),
        (
            "About 1.5 million people voted in the poll.",
            "About 1.5 million",
            "count",
            1.5e6,
            1.425e6,
            1.575e6,
            "about",
        ),
    ],
)
def test_number_forms_and_bounds(sentence, span, kind, value, lower, upper, qualifier):
    row = claims.extract_numbers(tiny(sentence))
    row = row[row["kind"] != "ordinal"].iloc[0]
    assert (row["text"], row["kind"], row["qualifier"]) == (span, kind, qualifier)
    assert same(row["value"], value) and same(row["lower"], lower) and same(row["upper"], upper)


@pytest.mark.parametrize(
    ("sentence", "span", "kind"),
    [
        ("The war broke out in 2020 after years of talks.", "2020", "year"),
        ("Clashes in the 1990s displaced many people.", "1990s", "year"),
        ("Troops entered the town on Sept. 20 after dawn.", "Sept. 20", "date"),
        ("The ceasefire was signed on 2023/09/20 in the city.", "2023/09/20", "date"),
        ("The leaders will meet on October 5 in Granada.", "October 5", "date"),
        ("They met for the second time on the border.", "second", "ordinal"),
        ("The 2nd anniversary passed without any event.", "2nd", "ordinal"),
    ],
)
def test_years_dates_and_ordinals_are_not_counts(sentence, span, kind):
    row = only(sentence)
    assert (row["text"], row["kind"]) == (span, kind)


def test_clock_times_and_identifiers_are_not_numbers():
    numbers = claims.extract_numbers(tiny("The G7 discussed F-16 jets and COVID-19 at 10:30 with 40 envoys."))
    assert numbers[["text", "kind", "counted"]].values.tolist() == [["40", "count", "envoys"]]


def test_counted_source_and_time():
    text = (
        "According to Armenian officials, more than 6,650 Armenians have left the region since Sunday. "
        "Police said at least 142 protesters were detained. "
        "An Armenian rights group said the attacks killed at least 200 people."
    )
    got = claims.extract_numbers(tiny(text)).set_index("text")
    assert got.loc["more than 6,650", ["counted", "event", "source", "time_ref"]].tolist() == [
        "Armenians left",
        "left",
        "Armenian officials",
        "since Sunday",
    ]
    assert got.loc["at least 142", ["counted", "source"]].tolist() == ["protesters detained", "Police"]
    assert got.loc["at least 200", ["counted", "event", "source"]].tolist() == [
        "people killed",
        "killed",
        "An Armenian rights group",
    ]


def test_offsets_point_into_the_original_text():
    corpus = tiny("Intro line here\n\nOfficials said about 2,000 peacekeepers stayed there.")
    row = claims.extract_numbers(corpus).iloc[0]
    assert corpus.text_of("a0")[row["start"] : row["end"]] == "about 2,000" == row["text"]


def test_approx_tolerance_is_a_parameter():
    row = claims.extract_numbers(tiny("The town had about 1,000 residents left."), approx_tolerance=0.1).iloc[
        0
    ]
    assert (row["lower"], row["upper"]) == (900.0, 1100.0)


# --------------------------------------------------------------------------
# Seeds: each article's figures with the right bounds
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("article_id", "span", "kind", "lower", "upper"),
    [
        ("000", "two days", "duration", 2, 2),
        ("000", "about 2,000", "count", 1900, 2100),
        ("000", "at least 200", "count", 200, INF),
        ("000", "more than 400", "count", 400, INF),
        ("000", "120,000", "count", 120000, 120000),
        ("001", "tens of thousands", "count", 10000, INF),
        ("001", "More than 6,650", "count", 6650, INF),
        ("001", "more than half a million", "count", 500000, INF),
        ("001", "44-day", "duration", 44, 44),
        ("001", "estimated 120,000", "count", 114000, 126000),
        ("001", "at least 142", "count", 142, INF),
        ("002", "approximately 120,000", "count", 114000, 126000),
        ("002", "93,000", "count", 93000, 93000),
        ("002", "more than 77 percent", "percent", 77, INF),
        ("002", "hundreds of thousands", "count", 100000, INF),
        ("002", "10 months", "duration", 304.375, 304.375),
        ("003", "just under 24 hours", "duration", 0.95, 1),
        ("003", "at least 200", "count", 200, INF),
        ("003", "over 90", "count", 90, INF),
        ("003", "around 5,000", "count", 4750, 5250),
        ("003", "684,000", "count", 684000, 684000),
        ("003", "44 days", "duration", 44, 44),
        ("004", "24-hour", "duration", 1, 1),
        ("004", "approximately 100,000", "count", 95000, 105000),
    ],
)
def test_seed_numbers_with_bounds(seed_numbers, article_id, span, kind, lower, upper):
    rows = seed_numbers[(seed_numbers["article_id"] == article_id) & (seed_numbers["text"] == span)]
    assert len(rows) == 1
    row = rows.iloc[0]
    assert row["kind"] == kind and same(row["lower"], lower) and same(row["upper"], upper)


def test_seed_numbers_table(seeds, seed_numbers):
    validate(seed_numbers, Numbers)
    texts = seeds.articles.set_index("article_id")["text"]
    assert all(texts[r.article_id][r.start : r.end] == r.text for r in seed_numbers.itertuples())
    counts = seed_numbers[seed_numbers["kind"] == "count"]
    assert not counts["value"].isin([2020.0, 2023.0, 1994.0]).any()  # years never become counts
    assert seed_numbers.loc[seed_numbers["text"] == "684,000", "source"].tolist() == ["UN estimates"]
    assert seed_numbers.loc[seed_numbers["text"] == "93,000", "time_ref"].tolist() == ["By Friday"]


# --------------------------------------------------------------------------
# Cross-outlet comparison
# --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed_groups(seed_numbers):
    return claims.compare_numbers(seed_numbers)


def _group_of(groups, article_id, text):
    gid = groups.loc[(groups["article_id"] == article_id) & (groups["text"] == text), "group_id"].iloc[0]
    return groups[groups["group_id"] == gid]


def test_population_disagreement_on_seeds(seed_groups):
    group = _group_of(seed_groups, "004", "approximately 100,000")
    assert set(group["label"]) == {"disagree"}
    assert set(zip(group["article_id"], group["text"], strict=True)) == {
        ("000", "120,000"),
        ("001", "estimated 120,000"),
        ("002", "approximately 120,000"),
        ("004", "approximately 100,000"),
    }
    assert "value" in group["differs"].iloc[0]


def test_at_least_200_killed_agree_on_seeds(seed_groups):
    group = _group_of(seed_groups, "000", "at least 200")
    assert set(group["label"]) == {"agree"}
    assert sorted(group["outlet"]) == ["Kyiv Independent", "NHK World"]


def test_different_flows_are_not_contradictions(seed_groups):
    left = _group_of(seed_groups, "001", "More than 6,650")
    arrived = _group_of(seed_groups, "002", "93,000")
    assert "002" not in set(left["article_id"]) and "001" not in set(arrived["article_id"])
    assert "disagree" not in set(left["label"]) | set(arrived["label"])


def _labels(*texts):
    groups = claims.compare_numbers(claims.extract_numbers(tiny(*texts)))
    return groups.drop_duplicates("group_id")[["label", "differs", "n_outlets"]].values.tolist()


def test_labels_on_snippets():
    assert _labels(
        "Officials said at least 200 people were killed in the shelling.",
        "Officials said at least 200 people were killed in the shelling of the town.",
    ) == [["agree", "", 2]]
    assert _labels(
        "Officials said at least 200 people were killed in the shelling.",
        "Officials said 250 people were killed in the shelling of the town.",
    ) == [["compatible", "value, bound", 2]]
    assert _labels(
        "The town of Lori has 120,000 residents, the census shows.",
        "The town of Lori has 100,000 residents, the census shows.",
    ) == [["disagree", "value", 2]]
    assert _labels(
        "The ministry said 200 people were killed by Tuesday in the town.",
        "The ministry said 300 people were killed by Thursday in the town.",
    ) == [["different_reference", "value, time", 2]]


def test_unrelated_quantities_never_group():
    got = _labels(
        "The army sent 300 tanks to the border on Monday.",
        "The festival drew 300 visitors to the old cathedral.",
    )
    assert got == [["single", "", 1], ["single", "", 1]]


def test_compare_numbers_is_order_independent(seed_numbers, seed_groups):
    shuffled = claims.compare_numbers(seed_numbers.sample(frac=1, random_state=3))
    key = ["claim_id", "label"]
    a = seed_groups[key].sort_values("claim_id").reset_index(drop=True)
    b = shuffled[key].sort_values("claim_id").reset_index(drop=True)
    pd.testing.assert_frame_equal(a, b)


# --------------------------------------------------------------------------
# Alignment and coverage
# --------------------------------------------------------------------------

ALIGN_TEXTS = (
    "Rebels captured the northern city of Kora after three days of fighting. "
    "The central bank raised interest rates to curb inflation.",
    "After three days of heavy fighting, rebel forces took control of the northern city of Kora. "
    "A famous singer announced her retirement from music.",
    "Rebel fighters seized the northern city of Kora following three days of clashes. "
    "The national football team won the regional cup final.",
)


def test_alignment_and_coverage_on_snippets():
    corpus = tiny(*ALIGN_TEXTS)
    aligned = claims.align_passages(corpus)
    assert len(aligned) == 6 * 2
    kora = aligned[aligned["unit_id"] == "a0:p0:s0"].set_index("other_outlet")
    assert kora["counterpart_id"].to_dict() == {"o1": "a1:p0:s0", "o2": "a2:p0:s0"}
    assert kora["aligned"].all()
    coverage = claims.coverage_matrix(corpus, aligned)
    kora_unit = coverage[coverage["unit_ids"] == "a0:p0:s0"]["content_id"].iloc[0]
    assert coverage.loc[coverage["content_id"] == kora_unit, "covered"].tolist() == [True, True, True]
    assert coverage["content_id"].nunique() == 4
    gaps = claims.coverage_gaps(coverage)
    assert sorted(gaps.loc[gaps["status"] == "exclusive", "evidence_ids"]) == [
        "a0:p0:s1",
        "a1:p0:s1",
        "a2:p0:s1",
    ]
    assert gaps[gaps["status"] == "omitted"].empty


def test_omission_is_reported():
    corpus = tiny(*ALIGN_TEXTS[:2], "The national football team won the regional cup final on Sunday.")
    gaps = claims.coverage_gaps(claims.coverage_matrix(corpus, claims.align_passages(corpus)))
    omitted = gaps[gaps["status"] == "omitted"]
    assert omitted[["outlet", "n_outlets", "evidence_ids"]].values.tolist() == [
        ["o2", 2, "a0:p0:s0 a1:p0:s0"]
    ]


# --------------------------------------------------------------------------
# Provenance and translation artefacts
# --------------------------------------------------------------------------

WIRE = (
    "The government announced on Monday that the border crossing would reopen next week after months of "
    "closure. Officials said trucks carrying food and medicine would be allowed through first, followed by "
    "private cars. The decision follows talks mediated by regional partners over the weekend."
)


def test_provenance_flags_copies_and_rewrites():
    corpus = tiny(
        WIRE,
        WIRE.replace("Monday", "Tuesday") + " Local traders welcomed the news.",
        "A storm hit the coast overnight, cutting power to thousands of homes and closing the main port. "
        "Fishermen stayed ashore as waves reached four metres.",
        outlets=["wire", "paper", "weather"],
    )
    result = claims.provenance(corpus)
    pairs = result.pairs
    relations = dict(
        zip(zip(pairs["article_id"], pairs["other_article_id"], strict=True), pairs["relation"], strict=True)
    )
    assert relations[("a0", "a1")] == "near_duplicate"
    assert relations[("a0", "a2")] == "independent"
    assert result.warnings[["article_id", "other_article_id"]].values.tolist() == [["a0", "a1"]]


def test_shared_copy_inside_a_longer_article():
    long = (
        WIRE
        + " "
        + " ".join(
            f"Paragraph {w} of original reporting adds detail about {w} districts."
            for w in ["north", "south", "east", "west", "central", "coastal", "rural"]
        )
        * 3
    )
    corpus = tiny(WIRE, long, outlets=["wire", "paper"])
    pair = claims.provenance_pairs(corpus).iloc[0]
    assert pair["containment"] == 1.0 and pair["relation"] == "shared_copy"


@pytest.mark.parametrize(
    ("text", "signal", "match"),
    [
        ("Peace talks began. TO Azerbaijan military offensive began last week.", "stray_capitals", "TO"),
        (
            "The powers vie for influence and influence. The region waits.",
            "doubled_word",
            "influence and influence",
        ),
        (
            "The offensive started last week. forced the government to capitulate.",
            "split_sentence",
            ". forced",
        ),
        ("It was a humiliating defeat for Baku. . In the war that followed.", "split_sentence", ". ."),
        ("The shift in the South Caucasus,effectively ended the war.", "missing_space", ",e"),
    ],
)
def test_translation_signals(text, signal, match):
    evidence = claims.translation_artefacts(tiny(text))
    assert evidence[["signal", "text"]].values.tolist() == [[signal, match]]


def test_no_false_signals_on_clean_text():
    text = "U.S. officials met in Yerevan. The NKR said Sept. 20 was calm. RIGA, Latvia — Talks ended."
    assert claims.translation_artefacts(tiny(text)).empty


def test_lowercased_names_use_corpus_capitalisation():
    corpus = tiny(
        "Troops left Azerbaijan on Monday. Talks in Azerbaijan and with Azerbaijan resumed.",
        "The war in azerbaijan ended quickly.",
    )
    evidence = claims.translation_artefacts(corpus)
    assert evidence[["article_id", "signal", "text"]].values.tolist() == [
        ["a1", "lowercased_name", "azerbaijan"]
    ]


NATIVE = [
    "He paused ... then said the talks were over. . . . Nobody moved.",
    "She said it over and over again, and more and more voters agreed.",
    "Donors gave millions and millions of dollars; prices got bigger and bigger.",
    "Officials said that that was the case. The unemployed had had enough.",
    "The law may or may not pass. He talked and talked, and neck and neck they went.",
    "Inflation and inflation expectations fell.",
    "FULL TEXT. HOW TO SPOT BEDBUGS Before you go, read this. IN BRIEF. Markets rose.",
    "Sanders won the Calif. primary. Democrats to sue Ariz. on poll access, etc. in June.",
    "Read the thread. pic.twitter.com/AbC123 was shared. http://example.org/x was too.",
    '<tweet tweet-id="1">Wow</tweet>. Then Trump said: "you want to trump Trump".',
]


@pytest.mark.parametrize("text", NATIVE)
def test_native_english_scores_zero(text):
    corpus = tiny(text)
    evidence = claims.translation_artefacts(corpus)
    assert set(evidence["signal"]) & set(claims.SIGNAL_WEIGHTS) == set()
    total = claims.artefact_scores(corpus, evidence).query("signal == 'total'")
    assert total[["score", "flagged"]].values.tolist() == [[0.0, False]]


def test_common_noun_that_is_also_a_name_is_not_a_lowercased_name():
    # 'House' stands alone capitalised (the chamber), but two outlets also write 'house':
    # an ordinary noun, not a slip; 'Ukraine' is written in lower case by one outlet only.
    corpus = tiny(
        "The House voted. Later the House met. Then the House adjourned. Aid went to Ukraine. "
        "Talks with Ukraine resumed. Trade with Ukraine grew.",
        "They bought a house near the river. Ukraine said so.",
        "The house was empty. The war in ukraine went on.",
    )
    evidence = claims.translation_artefacts(corpus)
    assert evidence[["article_id", "signal", "text"]].values.tolist() == [
        ["a2", "lowercased_name", "ukraine"]
    ]


def test_headline_case_does_not_make_names():
    corpus = tiny("A Big Bet on Nostalgia and the March Madness. The march went on. They march today.")
    assert claims.translation_artefacts(corpus).empty


def test_flag_needs_score_and_three_weighted_signals():
    mt = (
        "Russia, Turkey and the West vie for influence and influence. The peacekeepers left. "
        "TO Azerbaijan military offensive last week. forced the government to give up."
    )
    corpus = tiny(mt, NATIVE[0])
    scores = claims.artefact_scores(corpus, claims.translation_artefacts(corpus))
    total = scores[scores["signal"] == "total"]
    # a0: 3 signals over 25 words -> 120 per 1,000 words, flagged; a1: native, nothing
    assert total[["article_id", "n", "score", "flagged"]].values.tolist() == [
        ["a0", 3, 120.0, True],
        ["a1", 0, 0.0, False],
    ]
    assert not scores.loc[scores["signal"] != "total", "flagged"].any()
    one_typo = tiny("The committee met on on Monday.")
    scores = claims.artefact_scores(one_typo, claims.translation_artefacts(one_typo))
    assert scores.query("signal == 'total'")[["n", "flagged"]].values.tolist() == [[1, False]]


def test_seed_translation_scores(seeds):
    result = claims.provenance(seeds)
    total = result.scores[result.scores["signal"] == "total"].set_index("article_id")["score"]
    assert total.idxmax() == "001"
    flagged = result.scores.loc[result.scores["flagged"], "article_id"].tolist()
    assert flagged == ["001"]  # 004's lower-cased names weigh 2.5 signals: below the flag
    assert total.tolist() == [0.0, 11.7279, 0.0, 0.0, 6.1728]  # 15 / 1,279 words; 0.5 x 5 / 405 words
    counts = result.scores.pivot(index="article_id", columns="signal", values="n")
    assert counts.loc["001", ["stray_capitals", "doubled_word", "split_sentence"]].tolist() == [1, 1, 13]
    assert counts.loc["004", ["lowercased_name", "missing_space"]].tolist() == [5, 4]
    evidence = result.artefacts
    one = evidence[evidence["article_id"] == "001"]
    assert {"TO", "influence and influence", ". forced"} <= set(one["text"])
    signatures = evidence[evidence["signal"] == "aggregator_signature"]
    assert set(signatures["article_id"]) == {"002"}
    assert set(result.pairs["relation"]) == {"same_story"}
    assert result.warnings.empty


def test_determinism(seeds):
    a = claims.provenance_pairs(seeds)
    b = claims.provenance_pairs(seeds)
    pd.testing.assert_frame_equal(a, b)
    assert np.isfinite(a["embed_sim"]).all()


def test_edge_cases_return_valid_empty_tables():
    corpus = tiny("Nothing numeric happens here at all today.")
    numbers = claims.extract_numbers(corpus)
    assert numbers.empty and claims.compare_numbers(numbers).empty
    assert claims.align_passages(corpus).empty
    result = claims.provenance(corpus)
    assert result.pairs.empty and result.warnings.empty and result.artefacts.empty
    assert result.scores.loc[result.scores["signal"] == "total", "score"].tolist() == [0.0]


def test_content_units_hold_one_passage_per_article(seeds):
    corpus = tiny(
        "Rebels captured the northern city of Kora after three days of fighting. "
        "Rebel forces seized the northern city of Kora following three days of clashes.",
        "After three days of heavy fighting, rebel forces took control of the northern city of Kora.",
        "Rebel fighters seized the northern city of Kora following three days of clashes.",
    )
    for c in (corpus, seeds):
        coverage = claims.coverage_matrix(c, claims.align_passages(c))
        ids = coverage.loc[coverage["covered"]].groupby("content_id")["unit_ids"].agg(" ".join).str.split()
        articles = ids.map(lambda units: [u.split(":")[0] for u in units])
        assert (articles.map(len) == articles.map(lambda a: len(set(a)))).all()
    units = claims.coverage_matrix(corpus, claims.align_passages(corpus))
    kora = units[units["unit_ids"].str.contains("a2:p0:s0")]["content_id"].iloc[0]
    assert units.loc[units["content_id"] == kora, "covered"].tolist() == [True, True, True]


def test_agreement_between_copies_is_flagged():
    story = WIRE + " Officials said at least 200 people were killed in the shelling of the town."
    corpus = tiny(
        story,
        story.replace("Monday", "Sunday"),
        "A local doctor said at least 200 people were killed when shells hit the town.",
        outlets=["wire", "paper", "radio"],
    )
    groups = claims.compare_numbers(claims.extract_numbers(corpus))
    flagged = claims.double_counted_claims(groups, claims.provenance_pairs(corpus))
    assert set(groups.loc[groups["text"] == "at least 200", "label"]) == {"agree"}
    assert flagged[["article_id", "other_article_id", "relation", "label"]].values.tolist() == [
        ["a0", "a1", "near_duplicate", "agree"]
    ]


def test_paraphrased_article_is_a_rewrite():
    original = (
        "The government announced on Monday that the border crossing would reopen next week. Officials said "
        "trucks carrying food and medicine would be allowed through first. Private cars will follow later in "
        "the month. The decision follows talks mediated by regional partners over the weekend."
    )
    rewrite = (
        "On Monday the government said the border crossing will reopen next week. According to officials, "
        "trucks with food and medicine will be let through first. Later in the month private cars will follow. "
        "The move comes after weekend talks mediated by regional partners."
    )
    pair = claims.provenance_pairs(tiny(original, rewrite, outlets=["wire", "aggregator"])).iloc[0]
    assert pair["shingle_jaccard"] < 0.1 and pair["paraphrase_share"] == 1.0
    assert pair["relation"] == "rewrite"


def test_death_tolls_at_different_times_are_not_contradictions():
    # conflicting figures are one quantity only when their sentences name something in common
    # (here the place, Herat); test_same_fact.py shows the same figures without it
    corpus = tiny(
        "At least 2,300 people were killed in the earthquake in Herat, officials said on Tuesday.",
        "The death toll rose to 2,600 by Wednesday, according to the health ministry in Herat.",
        "The disaster agency said 1,500 people had died in Herat as of Monday night.",
        outlets=["A", "B", "C"],
    )
    numbers = claims.extract_numbers(corpus)
    assert numbers[["counted", "event", "time_ref"]].values.tolist() == [
        ["people killed", "killed", "on Tuesday"],
        ["death toll", "", "by Wednesday"],
        ["people died", "died", "as of Monday"],
    ]
    groups = claims.compare_numbers(numbers)
    assert groups[["group_id", "label", "differs"]].drop_duplicates().values.tolist() == [
        ["g1", "different_reference", "value, bound, time, source"]
    ]


def test_chart_tables(seed_groups, seeds):
    from analysis.charts import claims as claim_charts

    table = claim_charts.claim_groups_table(seed_groups)
    first = table.sort_values("panel_order", kind="stable").iloc[0]
    assert first["label"] == "disagree" and first["panel"].endswith("DISAGREE")
    open_rows = table[table["open_bound"] == "above"]
    assert (open_rows["x_high"] == 1.5 * open_rows["x_value"]).all() and open_rows["upper"].isna().all()
    assert table["n_outlets"].min() >= 2
    chart = claim_charts.claim_groups_chart(table, seeds.outlets)
    views = chart.to_dict()["vconcat"]  # one view per panel (a facet of layers makes Vega-Lite warn)
    panels = table.sort_values("panel_order", kind="stable")["panel"].drop_duplicates().tolist()
    assert (
        [v["transform"][0]["filter"]["equal"] for v in views] == [v["title"]["text"] for v in views] == panels
    )


def test_words_listed_twice_in_the_word_table_are_read_by_their_role(make_corpus):
    """'third' is an ordinal and a fraction: as an ordinal it is the number 3 (regression: it crashed)."""
    from analysis.claims import extract_numbers

    corpus = make_corpus(
        ("t1", "X", "It was the third attempt this year, and a third of a million people watched.")
    )
    numbers = extract_numbers(corpus)
    ordinal = numbers[numbers["kind"] == "ordinal"]
    assert ordinal["value"].tolist() == [3.0]
