"""Sentence tone with VADER, per-outlet distributions and actor-targeted tone.

Scores are exactly those of the ``vaderSentiment`` package
(``SentimentIntensityAnalyzer().polarity_scores(sentence)``; compound =
x / sqrt(x^2 + 15) over the summed valences, with the package's own lexicon),
computed on each sentence's original text. VADER was built for short social
media text; on news it mostly registers loaded words (killed, crisis, support),
so read outlet differences as differences in vocabulary of harm and help, not
as editorial stance.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

from analysis.corpus import Corpus
from analysis.schemas import validate
from analysis.schemas.framing import Tone, ToneSummary

__all__ = ["tone", "tone_summary", "actor_tone"]

#: VADER's conventional cut-offs for positive / negative compound scores.
POSITIVE, NEGATIVE = 0.05, -0.05


@lru_cache(maxsize=1)
def _analyzer():
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def tone(corpus: Corpus) -> pd.DataFrame:
    """VADER polarity of every sentence.

    Returns
    -------
    DataFrame
        Columns ``sentence_id``, ``article_id``, ``outlet``, ``compound``, ``pos``, ``neu``, ``neg``
        (the package's values, unrounded); one row per sentence in corpus order.
    """
    sia = _analyzer()
    sents = corpus.sentences
    scores = [sia.polarity_scores(t) for t in sents["text"]]
    out = sents[["sentence_id", "article_id", "outlet"]].reset_index(drop=True).copy()
    for key in ("compound", "pos", "neu", "neg"):
        out[key] = np.array([s[key] for s in scores], dtype="float64")
    return validate(out, Tone, table="tone")


def _summarise(df: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    g = df.groupby(keys, sort=False)["compound"]
    out = g.agg(n="size", mean="mean", sd="std").reset_index()
    out["se"] = out["sd"] / np.sqrt(out["n"])
    out["ci_low"] = out["mean"] - 1.96 * out["se"]
    out["ci_high"] = out["mean"] + 1.96 * out["se"]
    out["share_negative"] = g.apply(lambda s: float((s <= NEGATIVE).mean())).to_numpy()
    out["share_positive"] = g.apply(lambda s: float((s >= POSITIVE).mean())).to_numpy()
    cols = ["mean", "se", "ci_low", "ci_high", "share_negative", "share_positive"]
    out[cols] = out[cols].round(6)
    return out.drop(columns="sd")


def tone_summary(tones: pd.DataFrame) -> pd.DataFrame:
    """Distribution of sentence tone per outlet.

    Returns
    -------
    DataFrame
        Columns ``outlet``, ``actor`` (always '(all)'), ``n`` (sentences), ``mean`` (compound), ``se``,
        ``ci_low``, ``ci_high`` (normal 95% interval), ``share_negative`` (compound <= -0.05),
        ``share_positive`` (compound >= 0.05).
    """
    out = _summarise(tones, ["outlet"])
    out.insert(1, "actor", "(all)")
    return validate(out.astype({"n": "int64"}), ToneSummary, table="tone_summary")


def actor_tone(tones: pd.DataFrame, mentions: pd.DataFrame) -> pd.DataFrame:
    """Tone of the sentences that mention each actor, per outlet (a sentence counts once per actor).

    Parameters
    ----------
    tones : DataFrame
        Output of :func:`tone`.
    mentions : DataFrame
        Output of :func:`analysis.framing._actors.actor_mentions`.

    Returns
    -------
    DataFrame
        Same columns as :func:`tone_summary`, one row per outlet and actor mentioned.
    """
    pairs = mentions[["sentence_id", "actor"]].drop_duplicates()
    joined = pairs.merge(tones, on="sentence_id", how="inner", validate="many_to_one")
    if joined.empty:  # no actor mentioned anywhere: an empty table with the same columns and dtypes
        empty = {c: pd.Series(dtype=str(col.dtype)) for c, col in ToneSummary.to_schema().columns.items()}
        return validate(pd.DataFrame(empty), ToneSummary, table="actor_tone")
    out = _summarise(joined, ["outlet", "actor"])
    return validate(out.astype({"n": "int64"}), ToneSummary, table="actor_tone")
