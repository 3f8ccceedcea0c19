"""Descriptive tables of a corpus: size per outlet, unit lengths, quotation share, removals."""

from __future__ import annotations

import pandas as pd

from analysis.corpus._load import Corpus

__all__ = ["outlet_summary", "unit_lengths", "quoted_share", "removed_summary"]


def outlet_summary(corpus: Corpus) -> pd.DataFrame:
    """Articles, paragraphs, sentences and words per outlet.

    Returns
    -------
    DataFrame
        Columns ``outlet``, ``n_articles``, ``n_paragraphs``, ``n_sentences``, ``n_words``,
        ``words_per_article``; one row per outlet in order of first appearance.
    """
    arts = corpus.articles.groupby("outlet", sort=False).agg(
        n_articles=("article_id", "size"), n_words=("n_words", "sum")
    )
    paras = corpus.paragraphs.groupby("outlet", sort=False).size().rename("n_paragraphs")
    sents = corpus.sentences.groupby("outlet", sort=False).size().rename("n_sentences")
    out = arts.join(paras).join(sents).fillna(0).astype("int64").reset_index()
    out["words_per_article"] = (out["n_words"] / out["n_articles"]).round(1)
    return out[["outlet", "n_articles", "n_paragraphs", "n_sentences", "n_words", "words_per_article"]]


def unit_lengths(corpus: Corpus) -> pd.DataFrame:
    """Length in words of every paragraph and sentence.

    Returns
    -------
    DataFrame
        Columns ``unit`` ('paragraph' or 'sentence'), ``unit_id``, ``article_id``, ``outlet``, ``n_words``.
    """
    cols = ["unit", "unit_id", "article_id", "outlet", "n_words"]
    paras = corpus.paragraphs.assign(unit="paragraph", unit_id=corpus.paragraphs["paragraph_id"])[cols]
    sents = corpus.sentences.assign(unit="sentence", unit_id=corpus.sentences["sentence_id"])[cols]
    return pd.concat([paras, sents], ignore_index=True)


def quoted_share(corpus: Corpus) -> pd.DataFrame:
    """Share of each article's kept text that lies inside double quotation marks.

    Returns
    -------
    DataFrame
        Columns ``article_id``, ``outlet``, ``quoted_chars``, ``n_chars`` (kept paragraphs),
        ``share`` (quoted_chars / n_chars).
    """
    paras = corpus.paragraphs.assign(n_chars=corpus.paragraphs["end"] - corpus.paragraphs["start"])
    out = paras.groupby(["article_id", "outlet"], sort=False)[["quoted_chars", "n_chars"]].sum().reset_index()
    out["share"] = (out["quoted_chars"] / out["n_chars"]).round(4)
    return out


def removed_summary(corpus: Corpus) -> pd.DataFrame:
    """What the cleaner removed, per outlet, category and rule.

    Returns
    -------
    DataFrame
        Columns ``outlet``, ``category``, ``rule_id``, ``n`` (paragraphs), ``n_words``,
        ``paragraph_ids`` (space-separated, for tracing).
    """
    cols = ["outlet", "category", "rule_id", "n", "n_words", "paragraph_ids"]
    if corpus.removed.empty:
        return pd.DataFrame(columns=cols)
    grouped = corpus.removed.groupby(["outlet", "category", "rule_id"], sort=True)
    out = grouped.agg(
        n=("paragraph_id", "size"), n_words=("n_words", "sum"), paragraph_ids=("paragraph_id", " ".join)
    )
    return out.reset_index()[cols]
