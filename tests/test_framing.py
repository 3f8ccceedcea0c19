"""Codebook frames, naming choices and tone: hand-made snippets per indicator and voice rule, exact seeds checks."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis import framing
from analysis.data import shipped
from analysis.framing._io import FramingDataError

#: The seeds' contested-terms table (named by seeds/coverage-compare.toml); without a table, naming is discovered.
NK_TERMS = str(shipped("terms_nk2023.csv"))

# One snippet per Semetko & Valkenburg indicator, in the codebook's sense (not the seeds' wording),
# with the words the indicator must match.
SNIPPETS = {
    "R1_government_can_alleviate": (
        "The ministry could provide emergency shelters for the flood victims.",
        "ministry could provide",
    ),
    "R2_government_responsible": (
        "Critics say the government is to blame for the housing shortage.",
        "government is to blame",
    ),
    "R3_solutions_suggested": (
        "Mediators proposed a compromise to settle the dispute over water rights.",
        "Mediators",
    ),
    "R4_individual_or_group_responsible": (
        "The company's owners were held responsible for the spill.",
        "were held responsible",
    ),
    "R5_urgent_action": ("Aid groups warned that urgent action is needed before winter.", "urgent"),
    "H1_human_example": ("Maria, 34, packed a single suitcase before leaving her village.", "Maria, 34,"),
    "H2_emotive_language": (
        "The heartbreaking scenes at the border drew crowds of volunteers.",
        "heartbreaking",
    ),
    "H3_people_affected": (
        "Hundreds of families were forced to sleep in their cars.",
        "families were forced to",
    ),
    "H4_private_lives": ("The senator, who grew up on a farm, rarely speaks about it.", "grew up"),
    "C1_disagreement": ("The two parties remain at odds over the budget.", "at odds"),
    "C2_reproach": ("The mayor accused the council of wasting public money.", "accused"),
    "C3_two_or_more_sides": ("Both sides claim the other broke the agreement.", "Both sides"),
    "C4_winners_losers": ("Analysts named the incumbent the clear winner of the debate.", "winner"),
    "M1_moral_message": (
        "Leaving refugees without help would be a moral failure, the bishop wrote.",
        "moral",
    ),
    "M2_religion": ("Residents gathered in the church to pray for the missing miners.", "church"),
    "M3_social_prescription": ("Drivers should respect the new speed limits near schools.", "should respect"),
    "E1_financial_losses_gains": ("The airline reported losses of $2 billion last quarter.", "losses of"),
    "E2_costs_expense": ("The new bridge will cost taxpayers far more than planned.", "cost"),
    "E3_economic_consequences": (
        "Economists warn the sanctions will hurt exports.",
        "Economists warn the sanctions will",
    ),
}
NEUTRAL = "The committee meets on Tuesday in the old town hall."


@pytest.fixture(scope="module")
def snippet_corpus():
    from analysis.corpus._load import build_corpus

    records = [
        dict(article_id=k.split("_")[0], outlet="x", text=v[0], source="t") for k, v in SNIPPETS.items()
    ]
    records.append(dict(article_id="N", outlet="y", text=NEUTRAL, source="t"))
    return build_corpus(records)


@pytest.mark.parametrize("indicator", sorted(SNIPPETS))
def test_each_indicator_fires_on_its_snippet_with_traceable_offsets(snippet_corpus, indicator):
    text, matched = SNIPPETS[indicator]
    article_id = indicator.split("_")[0]
    ev = framing.frame_evidence(snippet_corpus)
    row = ev[(ev["article_id"] == article_id) & (ev["indicator"] == indicator)]
    assert len(row) == 1
    r = row.iloc[0]
    assert (r["matched"], r["sentence_id"], r["method"]) == (matched, f"{article_id}:p0:s0", "lexicon")
    assert text[r["start"] : r["end"]] == matched
    ind = framing.frame_indicators(snippet_corpus, evidence=ev)
    got = ind[(ind["article_id"] == article_id) & (ind["indicator"] == indicator)].iloc[0]
    assert bool(got["value"]) and got["n_sentences"] == 1 and got["sentence_ids"] == f"{article_id}:p0:s0"


def test_neutral_sentence_fires_nothing_and_scores_zero(snippet_corpus):
    scores = framing.frame_scores(snippet_corpus)
    neutral = scores[scores["article_id"] == "N"]
    assert neutral["score"].tolist() == [0.0] * 5 and not neutral["present"].any()
    assert neutral["frame"].tolist() == [
        "responsibility",
        "human_interest",
        "conflict",
        "morality",
        "economic",
    ]


def test_scores_are_the_mean_of_items_and_presence_follows_the_threshold(snippet_corpus):
    scores = framing.frame_scores(snippet_corpus).set_index(["article_id", "frame"])
    # R2 fires R2 and R4 (2 of 5 responsibility items) and C2 (1 of 4 conflict items)
    assert scores.loc[("R2", "responsibility"), ["n_yes", "n_items", "score", "present"]].tolist() == [
        2,
        5,
        0.4,
        True,
    ]
    assert scores.loc[("R2", "responsibility"), "indicators_yes"] == (
        "R2_government_responsible R4_individual_or_group_responsible"
    )
    assert scores.loc[("R2", "conflict"), ["n_yes", "n_items", "score", "present"]].tolist() == [
        1,
        4,
        0.25,
        False,
    ]
    assert scores.loc[("M1", "morality"), ["score", "n_evidence", "sentence_ids"]].tolist() == [
        pytest.approx(2 / 3, abs=1e-6),
        1,
        "M1:p0:s0",
    ]


def test_min_sentences_and_user_codebook(tmp_path, make_corpus):
    book = tmp_path / "mine.toml"
    book.write_text(
        """name = "mine"
present_threshold = 1.0
[lexicons]
fish = ["cod", "salmon*"]
[[frames]]
id = "fishing"
[[frames.indicators]]
id = "F1"
question = "Does the story mention fish twice?"
patterns = ['{fish}']
min_sentences = 2
""",
        encoding="utf-8",
    )
    c = make_corpus(
        ("a", "o", "Salmon prices rose. Cod stocks fell."), ("b", "o", "Salmonella is not a fish.")
    )
    s = framing.frame_scores(c, codebook=book)
    assert s[["article_id", "score", "present", "sentence_ids"]].values.tolist() == [
        ["a", 1.0, True, "a:p0:s0 a:p0:s1"],
        ["b", 0.0, False, ""],
    ]
    # the wildcard matches any ending; one sentence is below min_sentences, so b stays 0
    assert framing.frame_evidence(c, codebook=book)["matched"].tolist() == ["Salmon", "Cod", "Salmonella"]


def test_bad_codebooks_fail_with_a_named_cause(tmp_path):
    with pytest.raises(FramingDataError, match="neither a shipped codebook"):
        framing.load_codebook("no_such_book")
    bad = tmp_path / "bad.toml"
    bad.write_text(
        '[[frames]]\nid = "f"\n[[frames.indicators]]\nid = "i"\nquestion = "q"\npatterns = [\'{nope}\']\n'
    )
    with pytest.raises(FramingDataError, match=r"unknown lexicon \{nope\}"):
        framing.load_codebook(bad)


def test_shipped_codebooks_parse():
    assert framing.shipped_codebooks() == ["entman", "policy_frames", "semetko_valkenburg"]
    table = framing.codebook_table()
    assert table.groupby("frame", sort=False).size().to_dict() == {
        "responsibility": 5,
        "human_interest": 4,
        "conflict": 4,
        "morality": 3,
        "economic": 3,
    }
    for name in framing.shipped_codebooks():
        assert len(framing.load_codebook(name).frames) >= 4


def test_embedding_hits_are_flagged_and_use_the_threshold(monkeypatch, make_corpus, tmp_path):
    from analysis.framing import _frames

    def fake_embed(texts, model=None):  # sentences about fish point one way, all others orthogonal
        return np.array([[1.0, 0.0] if "fish" in t.lower() else [0.0, 1.0] for t in texts], dtype=np.float32)

    monkeypatch.setattr(_frames, "embed_texts", fake_embed)
    book = tmp_path / "proto.toml"
    book.write_text(
        'name = "proto"\n[[frames]]\nid = "f"\n[[frames.indicators]]\nid = "P1"\n'
        'question = "About fish?"\nprototypes = ["Fish swim in rivers."]\n',
        encoding="utf-8",
    )
    c = make_corpus(("a", "o", "Alpha sees a fish. Delta epsilon."))
    ev = framing.frame_evidence(c, book, use_embeddings=True, similarity=0.9)
    assert ev[["sentence_id", "indicator", "method", "similarity", "matched"]].values.tolist() == [
        ["a:p0:s0", "P1", "embedding", 1.0, "Fish swim in rivers."]
    ]
    assert framing.frame_evidence(c, book).empty  # off by default
    assert framing.frame_scores(c, book, use_embeddings=True, similarity=0.9)["score"].tolist() == [1.0]


def test_seeds_frame_profile(seeds_corpus):
    scores = framing.frame_scores(seeds_corpus)
    assert len(scores) == 25 and scores["score"].between(0, 1).all()
    prof = framing.frame_profile(scores)
    assert prof.groupby("outlet", sort=False)["n_articles"].first().to_dict() == {
        "NHK World": 1,
        "aggregator": 2,
        "Kyiv Independent": 1,
        "wire-style": 1,
    }
    conflict = scores[scores["frame"] == "conflict"]
    assert conflict["present"].all()  # every seed article reports a war between two countries
    ev = framing.frame_evidence(seeds_corpus)
    sents = seeds_corpus.sentences.set_index("sentence_id")
    for r in ev.head(40).itertuples():
        assert seeds_corpus.text_of(r.article_id)[r.start : r.end] == r.matched
        assert sents.loc[r.sentence_id, "start"] <= r.start < r.end <= sents.loc[r.sentence_id, "end"]


# --------------------------------------------------------------------------
# Naming choices
# --------------------------------------------------------------------------

VOICE_CASES = [
    ("The so-called peacekeepers left the town.", "peacekeepers", "scare_quoted", "distancing: so-called"),
    (
        "The army launched what it called an anti-terror operation.",
        "anti-terrorist operation",
        "scare_quoted",
        "distancing: what it called",
    ),
    ("Russia’s ‘peacekeepers’ stood by.", "peacekeepers", "scare_quoted", "single quotation marks"),
    ("The “peacekeepers” stood by.", "peacekeepers", "scare_quoted", "short quotation without a speaker"),
    ("The minister accused them of “genocide.”", "genocide", "attributed", "short quotation: accused"),
    (
        "“The peacekeepers did nothing to help us,” a resident said.",
        "peacekeepers",
        "attributed",
        "quotation",
    ),
    (
        "They fled the region, which Armenians call Artsakh, last week.",
        "Artsakh",
        "attributed",
        "naming: which Armenians call",
    ),
    ("The minister said the occupation had ended.", "occupation", "attributed", "speech: said"),
    ("According to officials, the offensive ended.", "offensive", "attributed", "speech: According to"),
    ("The offensive ended on Wednesday.", "offensive", "asserted", ""),
]


@pytest.mark.parametrize(("text", "variant", "voice", "cue"), VOICE_CASES)
def test_voice_rules(make_corpus, text, variant, voice, cue):
    m = framing.naming_mentions(make_corpus(("a", "o", text)), NK_TERMS)
    row = m[m["variant"] == variant]
    assert row[["voice", "cue"]].values.tolist() == [[voice, cue]]
    assert text[row["start"].iloc[0] : row["end"].iloc[0]] == row["matched"].iloc[0]


def test_quotation_running_over_paragraphs_attributes_the_term(make_corpus):
    text = "“Nobody believed the occupation would end so quickly.\n\n“But it did,” he said."
    m = framing.naming_mentions(make_corpus(("a", "o", text)), NK_TERMS)
    assert m[["variant", "voice", "cue"]].values.tolist() == [["occupation", "attributed", "quotation"]]


def test_user_terms_table_and_longest_match(make_corpus):
    terms = pd.DataFrame(
        {"group": ["g", "g"], "variant": ["military operation", "operation"], "pattern": ["", ""]}
    )
    c = make_corpus(("a", "o", "The military operation began. The operation ended."))
    out = framing.naming_choices(c, terms)
    assert out[["variant", "n", "voice", "sentence_ids"]].values.tolist() == [
        ["military operation", 1, "asserted", "a:p0:s0"],
        ["operation", 1, "asserted", "a:p0:s1"],
    ]


def test_seeds_naming_choices(seeds_corpus):
    nc = framing.naming_choices(seeds_corpus, NK_TERMS)
    kh = nc[nc["variant"] == "Khankendi"]
    assert kh[["article_id", "outlet", "n"]].values.tolist() == [["003", "Kyiv Independent", 1]]
    art = nc[nc["variant"] == "Artsakh"]
    assert art[["article_id", "n", "voice"]].values.tolist() == [["001", 1, "attributed"]]
    scare = nc[(nc["group"] == "peacekeepers") & (nc["voice"] == "scare_quoted")]
    assert scare[["outlet", "n", "sentence_ids"]].values.tolist() == [
        ["Kyiv Independent", 2, "003:p2:s0 003:p8:s0"]
    ]
    nhk = nc[(nc["article_id"] == "000") & (nc["variant"] == "anti-terrorist operation")]
    assert nhk[["n", "voice"]].values.tolist() == [[1, "scare_quoted"]]
    assert set(nc.loc[nc["variant"] == "Stepanakert", "outlet"]) == {
        "aggregator",
        "Kyiv Independent",
        "wire-style",
    }


# --------------------------------------------------------------------------
# Tone
# --------------------------------------------------------------------------


def test_tone_equals_vader_on_every_seed_sentence(seeds_corpus):
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    sia = SentimentIntensityAnalyzer()
    t = framing.tone(seeds_corpus)
    assert t["sentence_id"].tolist() == seeds_corpus.sentences["sentence_id"].tolist()
    expected = pd.DataFrame([sia.polarity_scores(s) for s in seeds_corpus.sentences["text"]])
    for col in ("compound", "pos", "neu", "neg"):
        assert t[col].tolist() == expected[col].tolist()
    assert t.iloc[0][["sentence_id", "compound", "pos", "neu", "neg"]].tolist() == [
        "000:p0:s0",
        -0.4588,
        0.0,
        0.625,
        0.375,
    ]


def test_tone_summary_and_actor_tone_by_hand(make_corpus):
    c = make_corpus(("a", "o", "Russia is good. Russia is bad. Rain fell."))
    t = framing.tone(c)
    good, bad, rain = t["compound"].tolist()
    assert (good > 0, bad < 0, rain) == (True, True, 0.0)
    s = framing.tone_summary(t).iloc[0]
    mean = (good + bad + rain) / 3
    se = np.std([good, bad, rain], ddof=1) / np.sqrt(3)
    assert s[["outlet", "actor", "n"]].tolist() == ["o", "(all)", 3]
    assert s["mean"] == pytest.approx(mean, abs=1e-6) and s["se"] == pytest.approx(se, abs=1e-6)
    assert (s["share_positive"], s["share_negative"]) == (
        pytest.approx(1 / 3, abs=1e-6),
        pytest.approx(1 / 3, abs=1e-6),
    )
    at = framing.actor_tone(t, framing.actor_mentions(c, parser="heuristic"))
    assert at[["outlet", "actor", "n"]].values.tolist() == [["o", "Russia", 2]]
    assert at["mean"].iloc[0] == pytest.approx((good + bad) / 2, abs=1e-6)


def test_actor_tone_without_mentions_is_empty(make_corpus):
    c = make_corpus(("a", "o", "Rain fell on the town."))
    at = framing.actor_tone(framing.tone(c), framing.actor_mentions(c, parser="heuristic"))
    assert at.empty and list(at.columns) == [
        "outlet",
        "actor",
        "n",
        "mean",
        "se",
        "ci_low",
        "ci_high",
        "share_negative",
        "share_positive",
    ]


def test_quote_table_decides_the_voice_inside_its_rows(make_corpus):
    text = "Officials warned of genocide. The offensive “peacekeepers” ended."
    c = make_corpus(("a", "o", text))
    quotes = pd.DataFrame(
        {
            "article_id": ["a", "a"],
            "start": [text.index("genocide"), text.index("peacekeepers")],
            "end": [text.index("genocide") + 8, text.index("peacekeepers") + 12],
            "kind": ["indirect", "scare"],
            "speaker": ["Officials", None],
        }
    )
    m = framing.naming_mentions(c, NK_TERMS, quotes=quotes)
    assert m[["variant", "voice", "cue"]].values.tolist() == [
        ["genocide", "attributed", "quote table: indirect, Officials"],
        ["offensive", "asserted", ""],
        ["peacekeepers", "scare_quoted", "quote table: scare"],
    ]
    with pytest.raises(ValueError, match="lacks column"):
        framing.naming_mentions(c, NK_TERMS, quotes=quotes.drop(columns="kind"))


def test_seeds_scare_quotes_agree_with_the_sourcing_quote_table(seeds_corpus):
    from analysis import sourcing

    nc = framing.naming_choices(
        seeds_corpus,
        NK_TERMS,
        mentions=framing.naming_mentions(
            seeds_corpus, NK_TERMS, quotes=sourcing.extract_quotes(seeds_corpus)
        ),
    )
    scare = nc[(nc["group"] == "peacekeepers") & (nc["voice"] == "scare_quoted")]
    assert set(scare["outlet"]) == {"Kyiv Independent"} and scare["n"].sum() == 2


def test_policy_frames_codebook_needs_two_sentences_of_a_dimension(make_corpus):
    book = framing.load_codebook("policy_frames")
    assert len(book.frames) == 14 and {f.present_threshold for f in book.frames} == {1.0}
    c = make_corpus(
        ("a", "o", "Troops shelled the border. The army deployed artillery near the town."),
        ("b", "o", "Protesters rallied outside parliament. A new poll shows public anger."),
        ("c", "o", "Troops arrived. The weather was mild."),
    )
    s = framing.frame_scores(c, "policy_frames")
    assert s.loc[s["present"], ["article_id", "frame", "sentence_ids"]].values.tolist() == [
        ["a", "security_defense", "a:p0:s0 a:p0:s1"],
        ["b", "public_opinion", "b:p0:s0 b:p0:s1"],
    ]


@pytest.mark.slow
def test_embedding_similarity_with_the_verified_model(make_corpus):
    c = make_corpus(
        (
            "a",
            "o",
            "Urgent action is needed now to prevent a catastrophe. "
            "The committee meets on Tuesday in the old town hall.",
        )
    )
    emb = framing.frame_evidence(c, use_embeddings=True, similarity=0.6).query("method == 'embedding'")
    assert emb[["sentence_id", "indicator", "matched"]].values.tolist() == [
        ["a:p0:s0", "R5_urgent_action", "Urgent action is needed to prevent a catastrophe."]
    ]
    assert 0.9 < emb["similarity"].iloc[0] <= 1.0
