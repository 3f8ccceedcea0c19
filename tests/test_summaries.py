"""Generated report summaries: exact sentences for hand-made tables and for the seeds.

Every sentence template is exercised twice: once where the tables support it, and once where it
must not be said (intervals overlap, no test passes, a tie, the wrong sign, nothing to compare).
"""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.corpus import _describe as describe
from analysis.report import _wording, summaries


def test_join_names_pct_and_plural():
    assert summaries.join_names(["a"]) == "a"
    assert summaries.join_names(["a", "b", "c"]) == "a, b and c"
    assert summaries.join_names(list("abcdef")) == "a, b, c and 3 more"
    assert summaries.pct(0.456) == "46%"
    assert [_wording.plural(n, "story", "stories") for n in (0, 1, 1200)] == [
        "0 stories",
        "1 story",
        "1,200 stories",
    ]
    assert [_wording.signed(x) for x in (-0.2607, -0.001, 0.004, 0.1)] == ["-0.26", "+0.00", "+0.00", "+0.10"]
    assert [_wording.points(x) for x in (0.391, -0.168, 0.0)] == ["+39", "-17", "+0"]


def test_wilson_interval_matches_the_textbook_values():
    # 1 of 10 at 95%: 0.0179 to 0.4042 (Newcombe 1998, table I); 0 of 9 reaches 0 exactly
    rates = _wording.wilson_rates(pd.Series({"a": 1, "b": 0}), pd.Series({"a": 10, "b": 9}))
    assert rates["estimate"].tolist() == [0.1, 0.0]
    assert rates["ci_low"].round(4).tolist() == [0.0179, 0.0]
    assert rates["ci_high"].round(4).tolist() == [0.4042, 0.2991]


# ---------------------------------------------------------------- corpus


def test_corpus_summary_on_seeds(seeds_corpus):
    lines = summaries.corpus_summary(
        describe.outlet_summary(seeds_corpus), describe.quoted_share(seeds_corpus), seeds_corpus.removed
    )
    assert lines == [
        "5 articles from 4 outlets, 4,940 words after removing 14 boilerplate paragraphs (386 words).",
        "Kyiv Independent contributes 44% of the words; wire-style the fewest (405), so per-word rates for it "
        "rest on the least text.",
        "The most quoted article is 000 (NHK World): 54% of its text is inside quotation marks.",
    ]


def outlet_sizes(words: dict[str, int]) -> pd.DataFrame:
    return pd.DataFrame({"outlet": list(words), "n_articles": 1, "n_words": list(words.values())})


def quoted(shares: dict[str, float]) -> pd.DataFrame:
    return pd.DataFrame({"article_id": list(shares), "outlet": "A", "share": list(shares.values())})


NO_REMOVALS = pd.DataFrame({"n_words": pd.Series(dtype=int)})


def test_corpus_summary_names_no_smallest_outlet_or_most_quoted_article_it_cannot_single_out():
    lines = summaries.corpus_summary(outlet_sizes({"A": 300, "B": 300}), quoted({"a1": 0.0}), NO_REMOVALS)
    assert lines == [
        "2 articles from 2 outlets, 600 words after removing 0 boilerplate paragraphs (0 words).",
        "Every outlet contributes the same number of words (300).",
        "No article has any text inside quotation marks.",
    ]
    tied = summaries.corpus_summary(
        outlet_sizes({"A": 500, "B": 100, "C": 100}), quoted({"a1": 0.25, "a2": 0.25, "a3": 0.1}), NO_REMOVALS
    )
    assert tied[1:] == [
        "A contributes 71% of the words; B and C the fewest (100 each), so per-word rates for them rest on "
        "the least text.",
        "The most quoted articles are a1 (A) and a2 (A): 25% of the text of each is inside quotation marks.",
    ]
    one = summaries.corpus_summary(outlet_sizes({"A": 1}), quoted({}), pd.DataFrame({"n_words": [7]}))
    assert one == ["1 article from 1 outlet, 1 word after removing 1 boilerplate paragraph (7 words)."]


# ---------------------------------------------------------------- topics

LABELS = pd.DataFrame({"topic": [-1, 0, 1], "label": ["outliers", "troops · city", "aid · convoy"]})
PREVALENCE = pd.DataFrame(
    {"outlet": ["A", "A", "B", "B"], "topic": [0, 1, 0, 1], "n_units": [40, 40, 60, 60]}
)


def distinctive(rows: list[tuple[str, int, float, float, float, float, float, bool]]) -> pd.DataFrame:
    """(outlet, topic, share, share_rest, diff, ci_low, ci_high, distinctive) rows."""
    return pd.DataFrame(
        rows, columns=["outlet", "topic", "share", "share_rest", "diff", "ci_low", "ci_high", "distinctive"]
    )


def test_topics_summary_names_topics_whose_interval_excludes_zero_either_way():
    table = distinctive(
        [
            ("A", 0, 0.5, 0.1, 0.4, 0.2, 0.6, True),
            ("A", 1, 0.1, 0.3, -0.2, -0.35, -0.05, True),
            ("B", 0, 0.3, 0.2, 0.1, -0.1, 0.3, False),  # interval includes 0: not said
        ]
    )
    pairs = pd.DataFrame({"ari": [0.62, 0.8]})
    assert summaries.topics_summary(LABELS, PREVALENCE, table, pairs, ci=0.9) == [
        "2 topics over 100 units.",
        "A spends 50% of its units on 'troops · city' against 10% elsewhere (difference +40 percentage points, "
        "90% interval +20 to +60).",
        "A spends 10% of its units on 'aid · convoy' against 30% elsewhere (difference -20 percentage points, "
        "90% interval -35 to -5).",
        "Across seeds the assignments agree with adjusted Rand index 0.62 to 0.80.",
    ]


def test_topics_summary_says_no_clear_difference_only_when_nothing_is_flagged():
    nothing = distinctive([("A", 0, 0.5, 0.1, 0.4, -0.01, 0.8, False)])
    assert summaries.topics_summary(LABELS, PREVALENCE, nothing, pd.DataFrame({"ari": [0.3, 0.9]})) == [
        "2 topics over 100 units.",
        "No clear difference in topic shares between outlets: every difference's 95% interval includes 0.",
        "Across seeds the assignments agree with adjusted Rand index 0.30 to 0.90 (below 0.5: read single "
        "topics as tentative).",
    ]
    only_less = distinctive([("B", 1, 0.0, 0.2, -0.2, -0.3, -0.1, True)])
    lines = summaries.topics_summary(LABELS, PREVALENCE, only_less)
    assert not any("No clear difference" in line for line in lines)
    assert lines[1].startswith("B spends 0% of its units on 'aid · convoy' against 20% elsewhere")


# ---------------------------------------------------------------- terms

SUFFICIENT = pd.DataFrame(
    {"outlet": ["A", "B"], "enough": [True, False], "note": ["A: fine.", "B: only 20 words."]}
)


def top_terms(q: list[float] | None, flags: list[bool]) -> pd.DataFrame:
    table = pd.DataFrame(
        {
            "outlet": ["A"] * 3,
            "other": ["rest"] * 3,
            "term": ["x", "y", "z"],
            "rank": [1, 2, 3],
            "z": [3.1, 2.5, 2.0],
            "dispersion_flag": flags,
        }
    )
    return table if q is None else table.assign(q=q)


def test_terms_summary_says_uses_more_only_for_terms_under_the_false_discovery_rate():
    assert summaries.terms_summary(top_terms([0.01, 0.2, 0.03], [False, True, True]), SUFFICIENT) == [
        "Too little text for a term contrast: B: only 20 words.",
        "A uses 'x', 'z' more than the other outlets (false-discovery rate q < 0.05; z up to 3.1; 'z' carried "
        "by a single article).",
    ]


def test_terms_summary_claims_no_difference_without_a_passing_test():
    none_pass = summaries.terms_summary(top_terms([0.2, 0.3, 0.4], [True] * 3), SUFFICIENT.iloc[:1])
    assert none_pass == [
        "No clear difference in the words A uses against the other outlets: none of its top terms "
        "('x', 'y', 'z'; z up to 3.1; all carried by a single article) has a false-discovery rate q < 0.05."
    ]
    untested = summaries.terms_summary(top_terms(None, [False] * 3), SUFFICIENT.iloc[:1])
    assert untested == [
        "A's highest-scoring terms against the other outlets are 'x', 'y', 'z' (z up to 3.1); z comes with no "
        "test, so no difference is claimed."
    ]
    assert not any("more than" in line for line in none_pass + untested)


# ---------------------------------------------------------------- sourcing


def speakers(rows: list[tuple[str, str, str, int]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["outlet", "speaker", "speaker_type", "words_quoted"])


def verb_counts(loaded: dict[str, tuple[int, int]]) -> pd.DataFrame:
    """outlet -> (loaded, neutral) attribution counts."""
    return pd.DataFrame(
        [
            (o, cat, n)
            for o, counts in loaded.items()
            for cat, n in zip(("loaded", "neutral"), counts, strict=True)
        ],
        columns=["outlet", "cue_category", "n"],
    )


def test_sourcing_summary_names_the_loaded_verb_leader_only_when_its_interval_is_apart():
    table = speakers(
        [("A", "Jane Roe", "expert", 30), ("A", "unknown", "unknown", 10), ("B", "John Doe", "government", 0)]
    )
    apart = verb_counts({"A": (30, 10), "B": (2, 38)})
    assert summaries.sourcing_summary(table, apart, pd.DataFrame()) == [
        "A quotes 1 identified speaker; Jane Roe (expert) has 75% of its quoted words; 25% of its quoted words "
        "have no identified speaker.",
        "No direct or partial quotation in B.",
        "A uses loaded attribution verbs (claimed, insisted, warned, ...) most often (75% of its 40 "
        "attributions, 95% interval 60% to 86%); its interval does not overlap any other outlet's.",
    ]


def test_sourcing_summary_says_no_clear_difference_on_few_attributions_and_on_ties():
    table = speakers([("A", "Jane Roe", "expert", 20), ("A", "John Doe", "", 20)])
    few = verb_counts({"A": (1, 3), "B": (0, 2)})
    assert summaries.sourcing_summary(table, few, pd.DataFrame()) == [
        "A quotes 2 identified speakers; Jane Roe (expert) and John Doe have 50% of its quoted words each.",
        "A uses loaded attribution verbs (claimed, insisted, warned, ...) most often (25% of its 4 "
        "attributions, 95% interval 5% to 70%), but its interval overlaps B's: no clear difference.",
    ]
    tie = verb_counts({"A": (1, 1), "B": (5, 5)})
    assert summaries.sourcing_summary(table, tie, pd.DataFrame())[1] == (
        "A and B tie for the share of loaded attribution verbs (50% each): no clear difference."
    )


# ---------------------------------------------------------------- framing

NO_FRAMES = pd.DataFrame(columns=["outlet", "frame", "label", "score"])
NO_NAMING = pd.DataFrame(columns=["outlet", "group", "variant", "voice"])
NO_ACTORS = pd.DataFrame(columns=["outlet", "actor", "n_blame"])


def tone(rows: list[tuple[str, float, float, float]]) -> pd.DataFrame:
    """``tone_summary``-shaped table from (outlet, mean, ci_low, ci_high) rows."""
    return pd.DataFrame(rows, columns=["outlet", "mean", "ci_low", "ci_high"]).assign(actor="(all)")


def framing_lines(tones: pd.DataFrame) -> list[str]:
    return summaries.framing_summary(NO_FRAMES, NO_ACTORS, NO_NAMING, tones)


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        (  # both negative, apart
            [("A", -0.26, -0.35, -0.17), ("B", -0.04, -0.12, 0.05)],
            "Sentence tone is most negative in A (mean VADER compound -0.26, 95% interval -0.35 to -0.17) and "
            "least negative in B (-0.04, 95% interval -0.12 to +0.05); their intervals do not overlap.",
        ),
        (  # both positive, apart: the lower one is the least positive, never 'most negative'
            [("A", 0.01, -0.02, 0.04), ("B", 0.3, 0.2, 0.4)],
            "Sentence tone is least positive in A (mean VADER compound +0.01, 95% interval -0.02 to +0.04) and "
            "most positive in B (+0.30, 95% interval +0.20 to +0.40); their intervals do not overlap.",
        ),
        (  # a mean that rounds to zero is neutral
            [("A", -0.001, -0.01, 0.01), ("B", 0.3, 0.2, 0.4)],
            "Sentence tone is lowest (neutral) in A (mean VADER compound +0.00, 95% interval -0.01 to +0.01) "
            "and most positive in B (+0.30, 95% interval +0.20 to +0.40); their intervals do not overlap.",
        ),
        (  # overlapping intervals: no difference claimed
            [("A", -0.2, -0.4, 0.0), ("B", -0.1, -0.3, 0.1), ("C", 0.05, -0.1, 0.2)],
            "No clear difference in sentence tone between outlets: mean VADER compound from -0.20 (A) to "
            "+0.05 (C), and their 95% intervals overlap.",
        ),
        (  # one sentence: no interval, no claim
            [("A", -0.5, float("nan"), float("nan")), ("B", 0.5, 0.4, 0.6)],
            "No clear difference in sentence tone between outlets: mean VADER compound from -0.50 (A) to "
            "+0.50 (B), and too few sentences for an interval.",
        ),
        (
            [("A", 0.1, 0.09, 0.11), ("B", 0.1, 0.05, 0.15)],
            "No clear difference in sentence tone between outlets: every outlet's mean VADER compound is +0.10.",
        ),
    ],
)
def test_framing_summary_tone_wording_follows_sign_and_intervals(rows, expected):
    assert framing_lines(tone(rows)) == [expected]


def test_framing_summary_tone_needs_two_outlets():
    assert framing_lines(tone([("A", -0.3, -0.4, -0.2)])) == []


def test_framing_summary_frames_names_and_blame_with_ties_and_without_evidence():
    profile = pd.DataFrame(
        {
            "outlet": ["A", "A", "B", "B", "C"],
            "frame": ["conflict", "economic", "conflict", "economic", "conflict"],
            "label": ["Conflict", "Economic", "Conflict", "Economic", "Conflict"],
            "score": [0.5, 0.2, 0.4, 0.4, 0.0],  # B ties; C scores no frame
        }
    )
    naming = pd.DataFrame(
        {
            "outlet": ["A", "B", "A", "B"],
            "group": ["region", "region", "city", "city"],
            "variant": ["Artsakh", "Nagorno-Karabakh", "Stepanakert", "Stepanakert"],
            "voice": ["asserted", "scare_quoted", "asserted", "asserted"],
        }
    )
    actors = pd.DataFrame(
        {
            "outlet": ["A", "A", "B", "B", "C"],
            "actor": ["Russia", "Baku", "Russia", "Baku", "Russia"],
            "n_blame": [3, 3, 4, 1, 1],  # A ties; C's single sentence is not enough
        }
    )
    assert summaries.framing_summary(profile, actors, naming, tone([])) == [
        "Leading frame: Conflict in A; Conflict and Economic (tied) in B.",
        "Names only one outlet uses: 'Artsakh' (A); 'Nagorno-Karabakh' (B).",  # 'Stepanakert' is shared
        "Scare quotes or distancing: B on 'Nagorno-Karabakh'.",
        "Most often the agent of failure or blame verbs: Baku and Russia in A (3 sentences each); Russia in B "
        "(4 sentences).",
    ]
    one_outlet = naming[naming["outlet"] == "A"].assign(voice="asserted")
    quiet = summaries.framing_summary(
        profile.assign(score=0.0), actors.assign(n_blame=1), one_outlet, tone([])
    )
    assert quiet == []


# ---------------------------------------------------------------- claims


def claim_groups() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "story_id": ["all"] * 6,
            "group_id": ["g1"] * 4 + ["g2"] * 2,
            "group_label": ["residents [count]"] * 4 + ["killed [count]"] * 2,
            "label": ["disagree"] * 4 + ["agree"] * 2,
            "claim_id": list("abcdef"),
            "article_id": list("122415"),
            "outlet": ["A", "B", "B", "C", "A", "C"],
            "value": [120_000.0, 120_000.0, 120_000.0, 100_000.0, 200.0, 200.0],
            "text": ["120,000", "about 120,000", "120,000", "100,000", "at least 200", "at least 200"],
        }
    )


def coverage_and_gaps(exclusive: dict[str, int], omitted: dict[str, int], shared: int):
    """A one-story coverage matrix over the outlets of ``exclusive``: per outlet, ``exclusive`` units it
    alone reports and ``omitted`` units every other outlet reports; ``shared`` units all report.
    Returns it with the gaps it implies."""
    outlets, rows, gaps = list(exclusive), [], []
    units = [(o, "exclusive") for o in outlets for _ in range(exclusive[o])]
    units += [(o, "omitted") for o in outlets for _ in range(omitted.get(o, 0))]
    units += [(None, "shared")] * shared
    for k, (owner, status) in enumerate(units):
        covering = {owner} if status == "exclusive" else set(outlets) - {owner}
        rows += [("s1", f"c{k}", o, o in covering, len(covering)) for o in outlets]
        if owner:
            gaps.append((owner, status, f"c{k}"))
    coverage = pd.DataFrame(rows, columns=["story_id", "content_id", "outlet", "covered", "n_outlets"])
    return coverage, pd.DataFrame(gaps, columns=["outlet", "status", "content_id"])


def artefacts(scores: dict[str, float]) -> pd.DataFrame:
    return pd.DataFrame(
        {"article_id": list(scores), "outlet": "C", "signal": "total", "score": list(scores.values())}
    )


def test_claims_summary_names_each_side_and_a_leader_only_when_apart():
    # A: 40 of the 80 units it reports are its alone (40 + 10 shared + C's 30 omissions); B 2 of 42; C 0 of 10
    coverage, gaps = coverage_and_gaps({"A": 40, "B": 2, "C": 0}, {"C": 30}, shared=10)
    lines = summaries.claims_summary(
        claim_groups(), gaps, artefacts({"1": 0.0, "2": 4.25, "4": 1.0}), coverage=coverage
    )
    assert lines == [
        "Disputed figure, residents [count]: C gives '100,000'; A and B give '120,000' (2 articles).",
        "Figures reported by more than one outlet: 1 group agree, 1 group disagree.",
        "A has the largest share of content no other outlet reports (50% of the 80 content units it reports, "
        "95% interval 39% to 61%); its interval does not overlap any other outlet's.",
        "C omits the largest share of content that most other outlets report (37% of the 82 content units "
        "others report in its stories, 95% interval 27% to 47%); its interval does not overlap any other "
        "outlet's.",
        "Machine-translation artefact scores are highest in article 2 (C): 4.2 per 1,000 words; next, article "
        "4 (C): 1.0.",
    ]


def test_claims_summary_says_no_clear_difference_for_close_shares_and_ties():
    # the seeds' situation: the outlet with most exclusive units (62 against 59) is not apart from the other
    coverage, gaps = coverage_and_gaps({"A": 62, "B": 59}, {"A": 3, "B": 2}, shared=14)
    lines = summaries.claims_summary(
        claim_groups(), gaps, artefacts({"1": 2.0, "2": 2.0}), pd.DataFrame({"a": [1, 2]}), coverage=coverage
    )
    assert lines[2:] == [
        "A has the largest share of content no other outlet reports (79% of the 78 content units it reports, "
        "95% interval 69% to 87%), but its interval overlaps B's: no clear difference.",
        "A omits the largest share of content that most other outlets report (4% of the 76 content units "
        "others report in its stories, 95% interval 1% to 11%), but its interval overlaps B's: no clear "
        "difference.",
        "Machine-translation artefact scores are highest, tied at 2.0 per 1,000 words, in articles 1 (C) and "
        "2 (C).",
        "2 pairs of articles share copy or are rewrites: statistics that count articles count those stories "
        "more than once.",
    ]


def test_claims_summary_says_nothing_of_artefacts_at_zero_and_needs_coverage_for_gaps():
    coverage, gaps = coverage_and_gaps({"A": 1, "B": 0}, {}, shared=1)
    lines = summaries.claims_summary(claim_groups(), gaps, artefacts({"1": 0.0}), coverage=coverage)
    assert not any("artefact" in line for line in lines)
    lone = summaries.claims_summary(claim_groups(), gaps.iloc[:0], artefacts({"1": 3.0, "2": 0.0}))
    assert lone[-1] == (
        "Machine-translation artefact scores are highest in article 1 (C): 3.0 per 1,000 words; no other "
        "article scores above zero."
    )
    with pytest.raises(ValueError, match="coverage"):
        summaries.claims_summary(claim_groups(), gaps, artefacts({}))


def story_stats(rows: list[tuple[str, str, float, float, float]]) -> pd.DataFrame:
    """``outlet_story_stats``-shaped table from (outlet, measure, estimate, ci_low, ci_high) rows."""
    return pd.DataFrame(rows, columns=["outlet", "measure", "estimate", "ci_low", "ci_high"])


def story_pairs(rows: list[tuple[str, str, int, int, float, float, float]]) -> pd.DataFrame:
    """``pair_disagreement``-shaped table from (outlet, other_outlet, n_shared, n_disagree, share, ci_low, ci_high)."""
    return pd.DataFrame(
        rows, columns=["outlet", "other_outlet", "n_shared", "n_disagree", "share", "ci_low", "ci_high"]
    )


#: Three stories: s1 covered by A, B and C, s2 by A and B, s3 by A alone.
THREE_STORIES = pd.DataFrame(
    {
        "article_id": ["1", "2", "3", "4", "5", "6"],
        "outlet": ["A", "B", "C", "A", "B", "A"],
        "story_id": ["s1", "s1", "s1", "s2", "s2", "s3"],
    }
)
APART = story_stats(
    [
        ("A", "share_covered", 1.0, 0.9, 1.0),
        ("B", "share_covered", 0.67, 0.3, 0.8),
        ("C", "share_covered", 0.33, 0.0, 0.7),
        ("A", "share_first", 1.0, 1.0, 1.0),
        ("B", "share_first", 0.0, 0.0, 0.0),
        ("C", "share_first", float("nan"), float("nan"), float("nan")),
    ]
)
OVERLAPPING = story_stats(
    [
        ("A", "share_covered", 1.0, 0.6, 1.0),
        ("B", "share_covered", 0.67, 0.3, 0.8),
        ("C", "share_covered", 0.33, 0.0, 0.5),
        ("A", "share_first", 0.5, 0.0, 1.0),
        ("B", "share_first", 0.5, 0.0, 1.0),
    ]
)


def test_stories_summary_states_differences_only_where_intervals_do_not_overlap():
    pairs = story_pairs([("A", "B", 2, 2, 1.0, 0.5, 1.0), ("A", "C", 1, 0, 0.0, 0.0, 0.0)])
    assert summaries.stories_summary(THREE_STORIES, APART, pairs) == [
        "3 stories, 2 of them covered by more than one outlet.",
        "A covered the most stories (100%, 95% interval 90% to 100%); its interval does not overlap any "
        "other outlet's.",
        "A published first most often on stories it shared (100%, 95% interval 100% to 100%); its interval "
        "does not overlap any other outlet's.",
        "A and B disagree on figures most often: in 2 of the 2 stories both covered (95% interval 50% to 100%).",
    ]


def test_stories_summary_says_no_clear_difference_where_intervals_overlap():
    pairs = story_pairs([("A", "B", 2, 1, 0.5, 0.0, 1.0), ("A", "C", 1, 0, 0.0, 0.0, 0.0)])
    assert summaries.stories_summary(THREE_STORIES, OVERLAPPING, pairs, ci=0.9) == [
        "3 stories, 2 of them covered by more than one outlet.",
        "A covered the most stories (100%, 90% interval 60% to 100%), but its interval overlaps B's: "
        "no clear difference.",
        "A and B tie for the share of shared stories published first (50% each): no clear difference.",
        "No pair of outlets clearly disagrees on figures: the most, A and B, in 1 of the 2 stories both "
        "covered, with an interval that includes 0.",
    ]


def test_stories_summary_names_no_leader_in_a_tie_and_ranks_pairs_only_when_apart():
    everyone = story_stats([(o, "share_covered", 1.0, 1.0, 1.0) for o in "ABC"])
    close_pairs = story_pairs([("A", "B", 20, 14, 0.7, 0.5, 0.9), ("A", "C", 20, 12, 0.6, 0.4, 0.8)])
    assert summaries.stories_summary(THREE_STORIES, everyone, close_pairs) == [
        "3 stories, 2 of them covered by more than one outlet.",
        "A, B and C tie for the share of stories covered (100% each): no clear difference.",
        "A and B disagree on figures in 14 of the 20 stories both covered (95% interval 50% to 90%); its "
        "interval overlaps other pairs': no clear ranking of pairs.",
    ]


def test_stories_summary_is_silent_where_there_is_nothing_to_compare():
    no_disagreement = story_pairs([("A", "B", 2, 0, 0.0, 0.0, 0.0)])
    one_outlet_first = APART[APART["outlet"] != "B"]  # C's share_first is undefined: one outlet left
    assert summaries.stories_summary(THREE_STORIES, one_outlet_first, no_disagreement) == [
        "3 stories, 2 of them covered by more than one outlet.",
        "A covered the most stories (100%, 95% interval 90% to 100%); its interval does not overlap any "
        "other outlet's.",
    ]
    assert summaries.stories_summary(THREE_STORIES.iloc[:0], APART, no_disagreement) == []


def test_stories_summary_draws_no_comparison_from_one_story():
    one_story = THREE_STORIES[THREE_STORIES["story_id"] == "s1"]
    pairs = story_pairs([("A", "B", 1, 1, 1.0, 1.0, 1.0)])
    assert summaries.stories_summary(one_story, APART, pairs) == [
        "1 story, covered by 3 outlets.",
        "Comparing outlets over stories needs at least two stories; with one, its intervals say nothing.",
    ]


def test_a_leading_group_is_said_to_clear_every_other_group():
    rows = pd.DataFrame(
        {
            "outlet": ["leaning=left", "leaning=right"],
            "estimate": [0.8, 0.2],
            "ci_low": [0.7, 0.1],
            "ci_high": [0.9, 0.3],
        }
    )
    said = _wording.leader_sentence(rows, leads="covered the most", noun="share", ci=0.95)
    assert said == (
        "leaning=left covered the most (80%, 95% interval 70% to 90%); its interval does not overlap any "
        "other leaning group's."
    )


# ---------------------------------------------------------------- groups (corpus.group_corpus labels)

GROUP_OF = {"A": "leaning=left", "B": "leaning=right", "C": "leaning=center"}


def test_framing_summary_calls_groups_groups():
    naming = pd.DataFrame(
        {
            "outlet": ["A", "B"],
            "group": ["region"] * 2,
            "variant": ["Artsakh", "Nagorno-Karabakh"],
            "voice": "asserted",
        }
    )
    tones = tone([("A", -0.2, -0.4, 0.0), ("B", 0.1, -0.1, 0.2)])
    lines = summaries.framing_summary(NO_FRAMES, NO_ACTORS, naming.replace(GROUP_OF), tones.replace(GROUP_OF))
    assert lines == [
        "Names only one leaning group uses: 'Artsakh' (leaning=left); 'Nagorno-Karabakh' (leaning=right).",
        "No clear difference in sentence tone between leaning groups: mean VADER compound from -0.20 "
        "(leaning=left) to +0.10 (leaning=right), and their 95% intervals overlap.",
    ]


def test_claims_summary_calls_groups_groups_and_says_when_a_group_is_on_both_sides():
    # B's members disagree: one of its articles gives C's figure
    groups = claim_groups()
    groups.loc[2, "value"], groups.loc[2, "text"] = 100_000.0, "100,000"
    coverage, gaps = coverage_and_gaps({"A": 40, "B": 2, "C": 0}, {"C": 30}, shared=10)
    lines = summaries.claims_summary(
        groups.replace(GROUP_OF), gaps.replace(GROUP_OF), artefacts({}), coverage=coverage.replace(GROUP_OF)
    )
    assert lines[:3] == [
        "Disputed figure, residents [count]: leaning=left and leaning=right give '120,000' (2 articles); "
        "leaning=center and leaning=right give '100,000' (2 articles); the articles of leaning=right differ "
        "among themselves.",
        "Figures reported by more than one leaning group: 1 group agree, 1 group disagree.",
        "leaning=left has the largest share of content no other leaning group reports (50% of the 80 content "
        "units it reports, 95% interval 39% to 61%); its interval does not overlap any other leaning group's.",
    ]
    assert lines[3].startswith(
        "leaning=center omits the largest share of content that most other leaning groups"
    )


def test_claims_summary_of_one_group_says_it_needs_two_groups():
    lines = summaries.claims_summary(
        claim_groups().assign(outlet="leaning=right"), pd.DataFrame({"outlet": []}), artefacts({})
    )
    assert lines[0] == (
        "Comparing figures and coverage needs at least two leaning groups; this corpus has one (leaning=right)."
    )
