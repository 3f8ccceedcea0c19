"""The frame coder learned from coded articles (framing.fit_coder): fallback, determinism, schema, agreement.

A two-frame codebook and synthetic articles where each frame is signalled by planted words; a fake
embedding (one dimension per planted word, plus a constant) stands in for the model, so that only
the slow test needs it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis import framing
from analysis.schemas.framing import FrameScores

CODEBOOK = """name = "tiny"
present_threshold = 0.5
[[frames]]
id = "conflict"
[[frames.indicators]]
id = "C1"
question = "Does the story reflect disagreement?"
cues = ["dispute*"]
[[frames]]
id = "economic"
[[frames.indicators]]
id = "E1"
question = "Is there a mention of costs?"
cues = ["cost*"]
"""
#: Words the fake embedding sees: conflict is signalled by "quarrel" (which no rule knows), economic by
#: "budget"; "filler" is in every article.
WORDS = ("quarrel", "budget", "filler")


def fake_embed(texts: list[str]) -> np.ndarray:
    """One dimension per word of WORDS (1 when the text has it) plus a constant; rows L2-normalised."""
    rows = np.array([[w in t.lower() for w in WORDS] + [True] for t in texts], dtype=float)
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def _articles(n: int, n_conflict: int, n_economic: int) -> list[tuple[str, str, str]]:
    """``n`` articles over two outlets; the first ``n_conflict`` quarrel, every second one of the first
    ``2 * n_economic`` mentions the budget."""
    out = []
    for i in range(n):
        words = ["The council met on a filler day."]
        if i < n_conflict:
            words.append("Members quarrel loudly.")
        if i % 2 == 0 and i < 2 * n_economic:
            words.append("The budget was discussed.")
        out.append((f"a{i:02d}", "north" if i % 3 else "south", " ".join(words)))
    return out


def _coded(articles, frames=("conflict", "economic")) -> pd.DataFrame:
    """read_coding-shaped codes: a frame is present where its planted word is."""
    word = {"conflict": "quarrel", "economic": "budget"}
    rows = [
        dict(
            unit_id=a,
            unit="articles",
            article_id=a,
            outlet=o,
            coder="ann",
            codebook="tiny",
            frame=f,
            n_items=1,
            n_yes=int(word[f] in t),
            present=word[f] in t,
        )
        for a, o, t in articles
        for f in frames
    ]
    return pd.DataFrame(rows).astype({"n_items": "int64", "n_yes": "int64"})


@pytest.fixture
def tiny(tmp_path, make_corpus):
    book = tmp_path / "tiny.toml"
    book.write_text(CODEBOOK, encoding="utf-8")
    articles = _articles(40, n_conflict=20, n_economic=5)  # economic: 5 coded with it, too few
    return make_corpus(*articles), _coded(articles), str(book)


def _fit(tiny, **options):
    corpus, coded, book = tiny
    return framing.FrameCoder(book, embed=fake_embed, **options).fit(corpus, coded)


def test_learned_frame_and_rules_fallback(tiny):
    coder = _fit(tiny)
    frames = coder.frames_.set_index("frame")
    assert frames["method"].to_dict() == {"conflict": "learned", "economic": "rules"}
    assert frames["n_coded"].to_dict() == {"conflict": 40, "economic": 40}
    assert frames["n_positive"].to_dict() == {"conflict": 20, "economic": 5}
    assert coder.notes_ == (
        "economic: 5 coded article(s) have the frame and 35 do not; learning needs at least 8 of each, "
        "so it is coded by the codebook's rules.",
    )
    assert list(coder.models_) == ["conflict"]
    # the rules find no conflict ("quarrel" is no cue); the model learns it perfectly
    assert frames.at["conflict", "rules_f1"] == 0.0
    assert frames.at["conflict", "cv_f1"] == 1.0
    assert np.isnan(frames.at["economic", "c_value"])
    assert frames.at["economic", "threshold"] == 0.5


def test_predict_uses_the_model_for_learned_frames_and_the_rules_otherwise(tiny):
    corpus, _, book = tiny
    coder = _fit(tiny)
    predicted = coder.predict(corpus)
    rules = framing.frame_scores(corpus, book)
    conflict = predicted[predicted["frame"] == "conflict"].set_index("article_id")
    truth = pd.Series([i < 20 for i in range(40)], index=[f"a{i:02d}" for i in range(40)])
    assert conflict["present"].equals(truth.rename("present").rename_axis("article_id"))
    assert ((conflict["score"] >= conflict["threshold"]) == conflict["present"]).all()
    assert conflict["indicators_yes"].eq("").all()  # the evidence columns stay the rules'
    economic = predicted[predicted["frame"] == "economic"].reset_index(drop=True)
    pd.testing.assert_frame_equal(economic, rules[rules["frame"] == "economic"].reset_index(drop=True))


def test_predict_has_frame_scores_columns(tiny):
    corpus, _, _ = tiny
    predicted = _fit(tiny).predict(corpus)
    assert list(predicted.columns) == list(FrameScores.to_schema().columns)
    FrameScores.validate(predicted)
    assert len(predicted) == 2 * len(corpus.articles)


def test_same_random_state_same_predictions(tiny):
    corpus, _, _ = tiny
    first = _fit(tiny, random_state=3)
    second = _fit(tiny, random_state=3)
    pd.testing.assert_frame_equal(first.predict(corpus), second.predict(corpus))
    pd.testing.assert_frame_equal(first.cv_predictions_, second.cv_predictions_)
    pd.testing.assert_frame_equal(first.frames_, second.frames_)


def test_cross_validated_agreement(tiny):
    coder = _fit(tiny)
    table = coder.cv_agreement_
    assert set(table["frame"]) == {"conflict", "economic"}
    f1 = table[table["stat"] == "f1"].set_index("frame")["score"]
    assert f1["conflict"] == 1.0
    assert f1["economic"] == 0.0  # the rules know "cost*", the articles say "budget"
    assert table[table["stat"] == "alpha"].set_index("frame").at["conflict", "score"] == 1.0
    assert set(coder.cv_predictions_["article_id"]) == set(tiny[1]["unit_id"])


def test_cross_predict_gives_coded_articles_their_out_of_fold_codes(tiny):
    corpus = tiny[0]
    coder = _fit(tiny)
    cross = coder.cross_predict(corpus).set_index(["article_id", "frame"])
    held_out = coder.cv_predictions_.set_index(["article_id", "frame"])
    pd.testing.assert_frame_equal(
        cross.loc[held_out.index, ["score", "present"]], held_out[["score", "present"]]
    )


def test_projection_is_fitted_on_every_article_of_the_corpus(tiny):
    corpus, coded, book = tiny
    half = coded[coded["unit_id"] < "a28"]  # 28 coded (20 with conflict); the projection sees all 40
    coder = framing.FrameCoder(book, embed=fake_embed).fit(corpus, half)
    # mean and max of 4-dimensional fake embeddings: 8 columns, fewer than N_COMPONENTS
    assert coder.projection_.n_components_ == 8
    assert coder.projection_.n_samples_ == 40


def test_article_features_exact(make_corpus, tmp_path):
    """Similarity to a question: the best sentence and the mean of the TOP_SENTENCES (3) best."""
    book = tmp_path / "tiny.toml"
    book.write_text(CODEBOOK, encoding="utf-8")
    # fake_embed: a sentence with k of WORDS has cosine 1/sqrt(k + 1) with any question (which has none)
    text = "Members quarrel. The budget and the quarrel. Nothing here. Quarrel, budget and filler."
    corpus = make_corpus(("a1", "north", text))
    coder = framing.FrameCoder(book, embed=fake_embed)
    coder.codebook_ = framing.load_codebook(str(book))
    parts = coder._article_features(corpus, framing.frame_indicators(corpus, str(book)))
    assert parts["closest"].round(6).tolist() == [[1.0, 1.0]]
    top = round((1 + 1 / np.sqrt(2) + 1 / np.sqrt(3)) / 3, 6)
    assert parts["top"].round(6).tolist() == [[top, top]]
    assert parts["length"].round(6).tolist() == [[round(np.log(5), 6)]]
    assert parts["pooled"].shape == (1, 8)
    # mean of the quarrel dimension over the 4 sentences, max of the constant dimension (1 in "Nothing here")
    quarrel = (1 / np.sqrt(2) + 1 / np.sqrt(3) + 0 + 1 / 2) / 4
    assert parts["pooled"][0, [0, 7]].round(6).tolist() == [round(quarrel, 6), 1.0]


def test_a_frame_reads_only_its_own_questions(make_corpus, tmp_path):
    """Rewording the economic question (which conflict's model does not read) changes no conflict score."""
    articles = _articles(40, n_conflict=20, n_economic=10)  # both frames learned
    corpus, coded = make_corpus(*articles), _coded(articles)
    scores = []
    for question in ("Is there a mention of costs?", "Is the budget discussed?"):
        book = tmp_path / "tiny.toml"
        book.write_text(CODEBOOK.replace("Is there a mention of costs?", question), encoding="utf-8")
        coder = framing.FrameCoder(str(book), embed=fake_embed).fit(corpus, coded)
        assert coder.frames_["method"].tolist() == ["learned", "learned"]
        scores.append(coder.predict(corpus).set_index("frame")["score"])
    np.testing.assert_array_equal(scores[0]["conflict"], scores[1]["conflict"])
    assert not np.array_equal(scores[0]["economic"], scores[1]["economic"])


def test_get_params():
    params = framing.FrameCoder("tiny.toml", random_state=2, min_positive=10).get_params()
    assert params == dict(
        codebook="tiny.toml",
        random_state=2,
        min_positive=10,
        n_folds=5,
        c_values=(0.003, 0.01, 0.03, 0.1, 0.3, 1.0),
        model=None,
        embed=None,
    )


def test_uncoded_frame_and_bad_inputs(tiny):
    corpus, coded, book = tiny
    only_conflict = coded[coded["frame"] == "conflict"]
    coder = framing.FrameCoder(book, embed=fake_embed).fit(corpus, only_conflict)
    assert coder.notes_ == ("economic: not coded in the sheet; it is coded by the codebook's rules.",)
    with pytest.raises(ValueError, match="too few for n_folds=5: at least 7"):
        framing.FrameCoder(book, embed=fake_embed, min_positive=6).fit(corpus, coded)
    with pytest.raises(ValueError, match="1 coded article\\(s\\) are not in the corpus, e.g. 'zz'"):
        framing.FrameCoder(book, embed=fake_embed).fit(
            corpus, pd.concat([coded, coded.head(1).assign(unit_id="zz")])
        )
    with pytest.raises(ValueError, match="learns from coded articles"):
        framing.FrameCoder(book, embed=fake_embed).fit(corpus, coded.assign(unit="sentences"))


def test_nothing_is_embedded_when_every_frame_falls_back(tiny):
    corpus, coded, book = tiny

    def refuse(texts):
        raise AssertionError("embedded although no frame can be learned")

    coder = framing.FrameCoder(book, embed=refuse, min_positive=21).fit(corpus, coded)
    assert coder.frames_["method"].tolist() == ["rules", "rules"]
    assert coder.models_ == {}
    rules = framing.frame_scores(corpus, book)
    pd.testing.assert_frame_equal(coder.predict(corpus), rules)


@pytest.mark.slow
def test_with_the_real_model(tiny):
    corpus, coded, book = tiny
    coder = framing.fit_coder(corpus, coded, book, random_state=0)
    assert coder.frames_.set_index("frame").at["conflict", "cv_f1"] >= 0.9
    assert len(coder.predict(corpus)) == 2 * len(corpus.articles)
