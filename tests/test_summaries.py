"""Generated report summaries: exact sentences for hand-made tables and for the seeds."""

from __future__ import annotations

import pandas as pd

from analysis.corpus import _describe as describe
from analysis.report import summaries


def test_join_names_and_pct():
    assert summaries.join_names(["a"]) == "a"
    assert summaries.join_names(["a", "b", "c"]) == "a, b and c"
    assert summaries.join_names(list("abcdef")) == "a, b, c and 3 more"
    assert summaries.pct(0.456) == "46%"


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


def test_claims_summary_names_each_side_of_a_disagreement():
    groups = pd.DataFrame(
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
    gaps = pd.DataFrame(
        {
            "outlet": ["A", "A", "C"],
            "status": ["exclusive", "exclusive", "omitted"],
            "content_id": ["c1", "c2", "c3"],
        }
    )
    scores = pd.DataFrame(
        {"article_id": ["1", "2"], "outlet": ["A", "C"], "signal": ["total", "total"], "score": [0.0, 4.25]}
    )
    assert summaries.claims_summary(groups, gaps, scores) == [
        "Disputed figure, residents [count]: C gives '100,000'; A and B give '120,000' (2 articles).",
        "Figures reported by more than one outlet: 1 group agree, 1 group disagree.",
        "A has the most content no other outlet reports (2 units).",
        "C omits the most content that most other outlets report (1 unit).",
        "Machine-translation artefacts are densest in article 2 (C): 4.2 per 1,000 words.",
    ]


def test_sourcing_summary_keeps_unidentified_speakers_apart():
    speakers = pd.DataFrame(
        {
            "outlet": ["A", "A", "B"],
            "speaker": ["Jane Roe", "unknown", "John Doe"],
            "speaker_type": ["expert", "unknown", "government"],
            "words_quoted": [30, 10, 0],
        }
    )
    verbs = pd.DataFrame(
        {"outlet": ["A", "A", "B"], "cue_category": ["loaded", "neutral", "neutral"], "n": [1, 3, 2]}
    )
    assert summaries.sourcing_summary(speakers, verbs, pd.DataFrame()) == [
        "A quotes 1 identified speaker; Jane Roe (expert) has 75% of its quoted words; 25% of its quoted words "
        "have no identified speaker.",
        "No direct or partial quotation in B.",
        "Loaded attribution verbs (claimed, insisted, warned, ...) are most frequent in A: 25% of its attributions, "
        "against 0% in B.",
    ]


def test_terms_summary_says_plainly_when_text_is_too_short():
    top = pd.DataFrame(
        {
            "outlet": ["A"] * 3,
            "other": ["rest"] * 3,
            "term": ["x", "y", "z"],
            "rank": [1, 2, 3],
            "z": [3.1, 2.5, 2.0],
            "q": [0.01, 0.2, 0.3],
            "dispersion_flag": [False, True, True],
        }
    )
    sufficiency = pd.DataFrame(
        {
            "outlet": ["A", "B"],
            "enough": [True, False],
            "note": ["A: 3 articles, 900 words.", "B: not enough text: only 20 counted words."],
        }
    )
    assert summaries.terms_summary(top, sufficiency) == [
        "Too little text for a term contrast: B: not enough text: only 20 counted words.",
        "A uses 'x', 'y', 'z' more than the other outlets (z up to 3.1; 1 of them with a false-discovery rate q < 0.05).",
    ]


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
