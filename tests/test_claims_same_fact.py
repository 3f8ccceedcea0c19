"""Figures are grouped, and disputed, only when their sentences are about the same fact.

Hand-built stories where the counted noun and the unit match but the facts differ (another place,
another 'years ago'), the hand-computed weights behind near-duplicate sentences, and the seeds'
groups, which the rule must leave as they were.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from analysis import claims
from analysis.claims._same_fact import NEAR_DUPLICATE, _name_words, same_fact
from analysis.corpus import build_corpus
from analysis.corpus.text import token_spans


def _corpus(*texts: str):
    return build_corpus([{"article_id": f"a{i}", "outlet": f"o{i}", "text": t} for i, t in enumerate(texts)])


def _groups(numbers: pd.DataFrame, *, min_outlets: int = 1) -> list[tuple[str, list[str]]]:
    """(label, sorted 'article:figure') of every group with ``min_outlets`` outlets, in group order."""
    groups = claims.compare_numbers(numbers)
    groups = groups[groups["n_outlets"] >= min_outlets]
    return [
        (g["label"].iat[0], sorted(f"{a}:{t}" for a, t in zip(g["article_id"], g["text"], strict=True)))
        for _, g in groups.groupby("group_id", sort=False)
    ]


FIRE = (
    "At least {} people were killed and 328 injured in the factory fire in Ashford on Sunday, officials said."
)
AIRSTRIKES = (
    "Nearly 100 civilians have been killed and 200 wounded in three nights of US airstrikes near Jalalabad, "
    "the provincial military chief said."
)


def test_a_figure_of_another_place_is_not_disputed():
    # before: '200 wounded near Jalalabad' joined the two '328 injured in Ashford' as a disagreement
    numbers = claims.extract_numbers(_corpus(FIRE.format(80), FIRE.format(77), AIRSTRIKES))
    assert _groups(numbers) == [
        ("compatible", ["a0:At least 80", "a1:At least 77"]),
        ("agree", ["a0:328", "a1:328"]),
        ("single", ["a2:Nearly 100"]),
        ("single", ["a2:200"]),
        ("single", ["a2:three nights"]),
    ]
    scores = claims.pair_scores(numbers)
    injured = numbers.index[numbers["text"].isin(["328", "200"])]
    assert scores[injured[0], injured[2]] == -1 and scores[injured[0], injured[1]] > 0.45


@pytest.mark.parametrize(
    ("other", "expected"),
    [
        (  # worded differently, one place named in both: a dispute
            "Kelbajar has about 100,000 residents, the mayor said.",
            [("disagree", ["a0:120,000", "a1:about 100,000"])],
        ),
        (  # the story's figure in a sentence that names nothing ('30 killed in the flood'): a dispute
            "The valley has about 100,000 residents, the mayor said.",
            [("disagree", ["a0:120,000", "a1:about 100,000"])],
        ),
        (  # each names a place, not the same one: two facts, no dispute
            "About 100,000 residents live in Lachin, the mayor said.",
            [("single", ["a0:120,000"]), ("single", ["a1:About 100,000"])],
        ),
    ],
)
def test_figures_whose_sentences_name_different_things_are_not_one_fact(other, expected):
    corpus = _corpus("The census counted 120,000 residents in Kelbajar last year.", other)
    assert _groups(claims.extract_numbers(corpus)) == expected


def test_years_ago_are_one_fact_only_in_near_duplicate_sentences():
    # before: all three were one disputed figure 'ago [day]'
    unrelated = _corpus(
        "Twenty years ago, we decided that we can do better, and we have.",
        "Twenty-four years ago, my mother reminded us how far we have come.",
        "Twenty years ago, my father taught at the school.",
    )
    assert _groups(claims.extract_numbers(unrelated)) == [
        ("single", ["a0:Twenty years"]),
        ("single", ["a1:Twenty-four years"]),
        ("single", ["a2:Twenty years"]),
    ]
    versions = _corpus(
        "Twenty years ago, the Lori dam was built by the state.",
        "Twenty-four years ago, the Lori dam was built by the state.",
    )
    assert _groups(claims.extract_numbers(versions)) == [
        ("disagree", ["a0:Twenty years", "a1:Twenty-four years"])
    ]


def test_names_are_words_mostly_capitalised_in_mid_sentence():
    sentences = [
        "The army left Lori after the Armenians fled.",
        "Lori was quiet on Monday: Many shops closed in Lori.",
        "Aid reached many villages near lori.",
        "Only the Armenian church stayed open.",
    ]
    # lori: 2 capitalised mid-sentence, 1 lower-case; armenian(s): 2, 0 (plural folded);
    # 'Many' after a colon is matched by a lower-case 'many'; 'Monday' is a time; first words never count
    assert _name_words({s: token_spans(s) for s in sentences}) == {"lori", "armenian"}


def _claims(*sentences: str) -> pd.DataFrame:
    return pd.DataFrame({"sentence": list(sentences), "text": "5"})


@pytest.mark.parametrize(
    ("first", "second", "shared", "only"),
    [
        ("alpha beta gamma 5", "alpha beta delta 5", 2, 2),  # 2 / (2 + 2 x 1.405) = 0.416
        ("alpha beta gamma delta 5", "alpha beta gamma omega 5", 3, 2),  # 3 / (3 + 2 x 1.405) = 0.516
    ],
)
def test_near_duplicates_by_hand(first, second, shared, only):
    # two sentences: a word in both has idf ln(3/3) + 1 = 1, a word in one ln(3/2) + 1; the figure '5' is not a word
    evidence = same_fact(_claims(first, second))
    jaccard = shared / (shared + only * (math.log(3 / 2) + 1))
    expected = jaccard >= NEAR_DUPLICATE
    assert evidence.near_duplicates(np.arange(2)).tolist() == [[True, expected], [expected, True]]
    assert expected == (shared == 3)


def test_seed_groups_are_unchanged(seeds_corpus):
    # the figures/06_claims groups of the seeds before the rule (figures two or more outlets give)
    assert _groups(claims.extract_numbers(seeds_corpus), min_outlets=2) == [
        ("agree", ["000:at least 200", "003:at least 200"]),
        (
            "disagree",
            [
                "000:120,000",
                "001:estimated 120,000",
                "002:approximately 120,000",
                "004:approximately 100,000",
            ],
        ),
        ("compatible", ["000:30-year", "004:over three decades"]),
        ("agree", ["001:two", "003:two"]),
        ("compatible", ["001:more than half a million", "003:684,000"]),
        ("agree", ["001:44-day", "003:44 days"]),
        ("agree", ["001:two", "003:two"]),
        ("compatible", ["003:just under 24 hours", "004:24-hour"]),
    ]
