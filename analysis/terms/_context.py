"""Evidence for term contrasts: the sentences where a term occurs, with ids and offsets.

Terms are matched token by token with the shared tokenizer, exactly as
:func:`analysis.terms._counts.count_terms` counted them, so every count can be read.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from analysis.corpus import text as textmod
from analysis.schemas import validate
from analysis.schemas.terms import TermContext

__all__ = ["in_context", "evidence"]


def _query_keys(term: str | Iterable[str]) -> dict[tuple[str, ...], str]:
    queries = [term] if isinstance(term, str) else list(term)
    keys = {}
    for q in queries:
        toks = tuple(textmod.tokenize(str(q)))
        if not toks:
            raise ValueError(f"term {q!r} contains no token")
        keys[toks] = " ".join(toks)
    return keys


def in_context(corpus, term: str | Iterable[str], outlet: str | Iterable[str] | None = None) -> pd.DataFrame:
    """The sentences where a term (or each of several terms) occurs, with ids and offsets.

    Terms are matched token by token with the shared tokenizer, exactly as they were
    counted (``"Russia's"`` finds ``russia``; ``"peacekeeping mission"`` finds the bigram,
    also across a sentence boundary inside a paragraph). Removed boilerplate is not searched.

    Parameters
    ----------
    corpus : analysis.corpus._load.Corpus
    term : str or iterable of str
        Term(s) as in the ``term`` column of counts, or raw text that tokenizes to them.
    outlet : str or iterable of str, optional
        Restrict to these outlets.

    Returns
    -------
    DataFrame
        Schema ``TermContext``, one row per occurrence in corpus order: ``term`` (normalized),
        ``outlet``, ``article_id``, ``paragraph_id``, ``sentence_id`` (where the match starts),
        ``start``, ``end`` (offsets of the match in the article's original text), ``match``
        (the text as written), ``text`` (the sentence or sentences covering the match).
    """
    keys = _query_keys(term)
    by_first: dict[str, list[tuple[str, ...]]] = {}
    for key in keys:
        by_first.setdefault(key[0], []).append(key)
    paras = corpus.paragraphs
    if outlet is not None:
        wanted = [outlet] if isinstance(outlet, str) else list(outlet)
        unknown = set(wanted) - set(corpus.outlets)
        if unknown:
            raise ValueError(f"unknown outlet(s) {sorted(unknown)}; the corpus has {corpus.outlets}")
        paras = paras.loc[paras["outlet"].isin(wanted)]
    texts = dict(zip(corpus.articles["article_id"], corpus.articles["text"], strict=True))
    sents = {pid: g for pid, g in corpus.sentences.groupby("paragraph_id", sort=False)}
    rows = []
    for para in paras.itertuples(index=False):
        spans = textmod.token_spans(para.text)
        toks = [t for _, _, t in spans]
        for i, tok in enumerate(toks):
            for key in by_first.get(tok, ()):
                if tuple(toks[i : i + len(key)]) != key:
                    continue
                start, end = para.start + spans[i][0], para.start + spans[i + len(key) - 1][1]
                s = sents[para.paragraph_id]
                first = s.loc[s["end"] > start].iloc[0]
                last = s.loc[s["end"] >= end].iloc[0]
                article_text = texts[para.article_id]
                rows.append(
                    {
                        "term": keys[key],
                        "outlet": para.outlet,
                        "article_id": para.article_id,
                        "paragraph_id": para.paragraph_id,
                        "sentence_id": first["sentence_id"],
                        "start": start,
                        "end": end,
                        "match": article_text[start:end],
                        "text": article_text[first["start"] : last["end"]],
                    }
                )
    columns = list(TermContext.to_schema().columns)
    out = pd.DataFrame(rows, columns=columns).astype({"start": "int64", "end": "int64"})
    return validate(out, TermContext, table="term_context")


def evidence(corpus, selected: pd.DataFrame, *, n_examples: int = 1, by: str = "outlet") -> pd.DataFrame:
    """Attach example sentences of the outlet to each selected (outlet, term) row.

    Parameters
    ----------
    corpus : analysis.corpus._load.Corpus
    selected : DataFrame
        Rows with ``outlet`` and ``term`` (e.g. :func:`analysis.terms._contrast.top_terms`).
    n_examples : int
        Sentences per row, in corpus order; one per article first, so that a term used by
        several articles shows more than one of them.

    Returns
    -------
    DataFrame
        ``selected`` with ``example`` (1..n_examples), ``article_id``, ``sentence_id``, ``start``,
        ``end`` and ``text`` (the sentence); rows whose term has no occurrence in the outlet
        keep NaN there (cannot happen for terms counted from the same corpus).
    """
    if n_examples < 1:
        raise ValueError("n_examples must be >= 1")
    missing = [c for c in (by, "term") if c not in selected.columns]
    if missing:
        raise ValueError(f"selected lacks column(s) {missing}")
    if selected.empty:
        return selected.assign(
            example=pd.Series(dtype="int64"),
            article_id=None,
            sentence_id=None,
            start=pd.Series(dtype="int64"),
            end=pd.Series(dtype="int64"),
            text=None,
        )
    ctx = in_context(corpus, selected["term"].unique(), outlet=selected[by].unique())
    ctx = ctx.rename(columns={"outlet": by})
    ctx = ctx.assign(_seen=ctx.groupby([by, "term", "article_id"], sort=False).cumcount())
    ctx = (
        ctx.sort_values([by, "term", "_seen"], kind="mergesort")
        .groupby([by, "term"], sort=False)
        .head(n_examples)
    )
    ctx = ctx.assign(example=ctx.groupby([by, "term"], sort=False).cumcount() + 1)
    cols = [by, "term", "example", "article_id", "sentence_id", "start", "end", "text"]
    return selected.merge(ctx[cols], on=[by, "term"], how="left")
