"""The data behind report.html's term explorer: terms to plot per comparison and a sample of their uses.

:func:`term_explorer_data` keeps, for every comparison of a contrast table, the terms worth looking
at (the ``top_k`` most over-used, the ``top_k`` most under-used and the ``top_k`` most frequent) with
their counts and scores exactly as :func:`analysis.terms.contrast` computed them, and for each such
term and outlet a seeded sample of at most ``max_sentences`` of its uses, each with its sentence,
ids and offsets. Uses are found token by token as :func:`analysis.terms.in_context` finds them (and
counted as :func:`analysis.terms.count_terms` counts them: the function checks that the uses found
add up to the counts in the table), but in one pass over the units with every sentence located by a
binary search, so that thousands of terms over a large corpus take seconds.

The sample is coordinated: every sentence of the corpus gets one random priority (``random_state``)
and each (term, outlet) keeps its uses in the sentences of lowest priority. A sentence is then
shared by many terms' samples, which keeps the page small, and the first ``k`` uses of any set of
outlets (an outlet's "rest") are a uniform sample of their uses too.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from analysis.corpus import text as textmod
from analysis.schemas import validate
from analysis.schemas.terms import TermContext
from analysis.terms._contrast import REST

__all__ = ["TermExplorer", "term_explorer_data"]


@dataclass(frozen=True)
class TermExplorer:
    """The term explorer's tables (see :func:`term_explorer_data`)."""

    comparisons: pd.DataFrame
    terms: pd.DataFrame
    uses: pd.DataFrame
    note: str
    by: str
    stat: str


def _comparison_rows(scores: pd.DataFrame, pair_scores: pd.DataFrame | None, by: str) -> pd.DataFrame:
    """One-vs-rest rows and each unordered pair once (the first outlet first), set-aside terms left out."""
    table = scores if pair_scores is None else pd.concat([scores, pair_scores], ignore_index=True)
    table = table.drop_duplicates([by, "other", "term"])
    order = {name: i for i, name in enumerate(dict.fromkeys(table[by]))}
    rank_other = table["other"].map(order)
    keep = (table["other"] == REST) | (rank_other > table[by].map(order))
    if "set_aside" in table.columns:
        keep &= table["set_aside"] == ""
    return table.loc[keep & (table["n"] + table["n_other"] > 0)]


def _selected(rows: pd.DataFrame, *, stat: str, top_k: int, by: str) -> pd.DataFrame:
    """The ``top_k`` highest and lowest ``stat`` and the ``top_k`` most frequent terms of each comparison."""
    rows = rows.assign(_neg=-rows[stat], _negfreq=-(rows["n"] + rows["n_other"]))
    keys = [by, "other"]
    picks = []
    for mask, key in (
        (rows["n"] > 0, "_neg"),
        (rows["n_other"] > 0, stat),
        (slice(None), "_negfreq"),
    ):
        ranked = rows.loc[mask].sort_values([*keys, key, "term"], kind="mergesort")
        picks.append(ranked.groupby(keys, sort=False).head(top_k).index)
    chosen = rows.loc[sorted(set().union(*picks))]
    return chosen.drop(columns=["_neg", "_negfreq"])


def _find_uses(units: pd.DataFrame, terms: list[str], by: str) -> pd.DataFrame:
    """Every occurrence of ``terms`` in ``units``: term, group, ids, start and end in the article.

    A term is its normalized tokens joined by a space (as counted); a match starts at any token.
    """
    by_first: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
    for term in terms:
        key = tuple(term.split(" "))
        by_first.setdefault(key[0], []).append((term, key))
    found_term, found_row, found_start, found_end = [], [], [], []
    for row, (text, offset) in enumerate(zip(units["text"], units["start"], strict=True)):
        spans = textmod.token_spans(text)
        tokens = [tok for _, _, tok in spans]
        for i, tok in enumerate(tokens):
            for term, key in by_first.get(tok, ()):
                if len(key) == 1 or tuple(tokens[i : i + len(key)]) == key:
                    found_term.append(term)
                    found_row.append(row)
                    found_start.append(offset + spans[i][0])
                    found_end.append(offset + spans[i + len(key) - 1][1])
    rows = np.asarray(found_row, dtype=np.int64)
    return pd.DataFrame(
        {
            "term": pd.Series(found_term, dtype=object),
            by: units[by].to_numpy(dtype=object)[rows],
            "article_id": units["article_id"].to_numpy(dtype=object)[rows],
            "paragraph_id": units["paragraph_id"].to_numpy(dtype=object)[rows],
            "start": np.asarray(found_start, dtype=np.int64),
            "end": np.asarray(found_end, dtype=np.int64),
        }
    )


def _locate_sentences(
    uses: pd.DataFrame, sentences: pd.DataFrame, article_ids: pd.Index
) -> tuple[np.ndarray, np.ndarray]:
    """Row positions in ``sentences`` of the first and last sentence covering each use.

    As in :func:`analysis.terms.in_context`: the first sentence ending after the use starts and the
    first ending at or after its end (one binary search per use over all articles' sentences).
    """
    span = int(sentences["end"].max()) + 1
    art = article_ids.get_indexer(sentences["article_id"]).astype(np.int64)
    ends = art * span + sentences["end"].to_numpy(dtype=np.int64)
    order = np.argsort(ends, kind="stable")
    use_art = article_ids.get_indexer(uses["article_id"]).astype(np.int64) * span
    first = np.searchsorted(ends[order], use_art + uses["start"].to_numpy(), side="right")
    last = np.searchsorted(ends[order], use_art + uses["end"].to_numpy(), side="left")
    return order[first], order[last]


def _check_totals(selected: pd.DataFrame, found: pd.Series, by: str, unit: str) -> None:
    """Fail unless the uses found equal the counts of every selected row (same corpus, same units)."""
    own = found.reindex(pd.MultiIndex.from_arrays([selected["term"], selected[by]]), fill_value=0).to_numpy()
    total = found.groupby(level=0).sum().reindex(selected["term"], fill_value=0).to_numpy()
    pair = found.reindex(
        pd.MultiIndex.from_arrays([selected["term"], selected["other"]]), fill_value=0
    ).to_numpy()
    other = np.where(selected["other"] == REST, total - own, pair)
    bad = (own != selected["n"].to_numpy()) | (other != selected["n_other"].to_numpy())
    if bad.any():
        row = selected.loc[bad].iloc[0]
        raise ValueError(
            f"the uses of {row['term']!r} found in corpus.{unit} do not add up to the counts in scores "
            f"({row[by]}: {row['n']} counted; {row['other']}: {row['n_other']} counted); pass the corpus "
            "and unit the terms were counted from"
        )


def _terms_shown(
    scores: pd.DataFrame, pair_scores: pd.DataFrame | None, *, stat: str, top_k: int, by: str
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The comparisons (with their vocabulary size and terms shown) and the contrast rows kept."""
    rows = _comparison_rows(scores, pair_scores, by)
    chosen = _selected(rows, stat=stat, top_k=top_k, by=by)
    columns = [by, "other", "term", "n", "n_other", "n_articles", "dispersion_flag", stat]
    columns += ["q"] if "q" in chosen.columns and stat != "q" else []
    order = {key: i for i, key in enumerate(dict.fromkeys(zip(rows[by], rows["other"], strict=True)))}
    terms_table = (
        chosen[columns]
        .assign(_cmp=[order[k] for k in zip(chosen[by], chosen["other"], strict=True)])
        .sort_values(["_cmp", "term"], kind="mergesort")
        .drop(columns="_cmp")
        .reset_index(drop=True)
    )
    shown = terms_table.groupby([by, "other"], sort=False).size().rename("n_shown").reset_index()
    comparisons = (
        rows.groupby([by, "other"], sort=False)
        .size()
        .rename("n_terms")
        .reset_index()
        .merge(shown, how="left")
        .fillna({"n_shown": 0})
        .astype({"n_terms": "int64", "n_shown": "int64"})
    )
    return comparisons, terms_table


def _sample(
    corpus, found: pd.DataFrame, groups: list[str], *, max_sentences: int, random_state: int, by: str
) -> pd.DataFrame:
    """The first ``max_sentences`` uses of each (term, group) by their sentence's random priority, with text.

    Only the uses of ``groups`` (the groups of the comparisons shown) are kept.
    """
    found = found.loc[found[by].isin(groups)]
    sentences = corpus.sentences
    articles = corpus.articles
    article_ids = pd.Index(articles["article_id"])
    first, last = _locate_sentences(found, sentences, article_ids)
    priority = np.random.default_rng(random_state).permutation(len(sentences))
    found = found.assign(
        _priority=priority[first],
        _article=article_ids.get_indexer(found["article_id"]),
        _group=found[by].map({g: i for i, g in enumerate(groups)}),
        _first=first,
        _last=last,
    )
    found = found.sort_values(["term", "_group", "_priority", "_article", "start"], kind="mergesort")
    found = found.groupby(["term", by], sort=False).head(max_sentences)
    texts = dict(zip(articles["article_id"], articles["text"], strict=True))
    headlines = dict(zip(articles["article_id"], articles["title"].fillna(""), strict=True))
    text_start = sentences["start"].to_numpy(dtype=np.int64)[found["_first"]]
    text_end = sentences["end"].to_numpy(dtype=np.int64)[found["_last"]]
    ids = found["article_id"].tolist()
    uses = pd.DataFrame(
        {
            "term": found["term"].to_numpy(dtype=object),
            "outlet": found[by].to_numpy(dtype=object),
            "article_id": found["article_id"].to_numpy(dtype=object),
            "paragraph_id": found["paragraph_id"].to_numpy(dtype=object),
            "sentence_id": sentences["sentence_id"].to_numpy(dtype=object)[found["_first"]],
            "start": found["start"].to_numpy(),
            "end": found["end"].to_numpy(),
            "match": [texts[a][s:e] for a, s, e in zip(ids, found["start"], found["end"], strict=True)],
            "text": [texts[a][s:e] for a, s, e in zip(ids, text_start, text_end, strict=True)],
            "headline": [headlines[a] for a in ids],
            "text_start": text_start,
            "sample_rank": (found.groupby(["term", by], sort=False).cumcount() + 1).to_numpy(dtype=np.int64),
        }
    )
    return validate(uses, TermContext, table="term_explorer_uses").rename(columns={"outlet": by})


def term_explorer_data(
    corpus,
    scores: pd.DataFrame,
    *,
    pair_scores: pd.DataFrame | None = None,
    unit: Literal["paragraphs", "sentences"] = "paragraphs",
    stat: str = "z",
    top_k: int = 300,
    max_sentences: int = 10,
    random_state: int = 0,
    by: str = "outlet",
) -> TermExplorer:
    """Terms and sampled uses for report.html's term explorer, bounded whatever the corpus size.

    Parameters
    ----------
    corpus : analysis.corpus._load.Corpus
        The corpus the terms were counted from.
    scores : DataFrame
        Output of :func:`analysis.terms.contrast` (one-vs-rest, pairwise, or both).
    pair_scores : DataFrame, optional
        Pairwise contrasts added to ``scores`` (a comparison in both is taken from ``scores``).
        Each unordered pair is kept once, as (first outlet, second outlet) in the table's order.
    unit : 'paragraphs' or 'sentences'
        The units the terms were counted in (n-grams never cross a unit).
    stat : str
        The score column plotted (``z``, the log-odds z-score, by default).
    top_k : int
        Terms kept per comparison at each end of ``stat`` and among the most frequent.
    max_sentences : int
        Most uses kept per term and outlet, a seeded random sample (see the module docstring).
    random_state : int
        Seed of the sample.
    by : str
        Grouping column of ``scores`` and of the corpus's units.

    Returns
    -------
    TermExplorer
        ``comparisons``: ``outlet`` (the ``by`` column), ``other``, ``n_terms`` (terms used by either
        side, set-aside terms left out), ``n_shown``. ``terms``: the rows of the contrast tables kept
        (``outlet``, ``other``, ``term``, ``n``, ``n_other``, ``n_articles``, ``dispersion_flag``, the
        ``stat`` column and ``q`` when present), comparisons in table order, terms sorted. ``uses``:
        schema ``TermContext`` plus ``headline``, ``text_start`` (offset of ``text`` in the article)
        and ``sample_rank`` (1 = first in the sample), one row per kept use, sorted by term, group
        order and sample rank. ``note``: how the terms and uses were chosen, for the page; ``by`` and
        ``stat`` as passed.
    """
    if unit not in ("paragraphs", "sentences"):
        raise ValueError(
            f"unit must be 'paragraphs' or 'sentences', not {unit!r}: uses are shown in their sentences"
        )
    if top_k < 1 or max_sentences < 1:
        raise ValueError("top_k and max_sentences must be >= 1")
    for table in (scores, pair_scores) if pair_scores is not None else (scores,):
        missing = [
            c for c in (by, "other", "term", "n", "n_other", "n_articles", stat) if c not in table.columns
        ]
        if missing:
            raise ValueError(f"scores lacks column(s) {missing}; pass the output of terms.contrast")
    comparisons, terms_table = _terms_shown(scores, pair_scores, stat=stat, top_k=top_k, by=by)
    groups = [g for g in dict.fromkeys([*comparisons[by], *comparisons["other"]]) if g != REST]
    found = _find_uses(corpus.units(unit), sorted(terms_table["term"].unique()), by)
    _check_totals(terms_table, found.groupby(["term", by], sort=False).size(), by, unit)
    uses = _sample(corpus, found, groups, max_sentences=max_sentences, random_state=random_state, by=by)
    note = (
        f"Terms: the {top_k} with the highest {stat}, the {top_k} with the lowest and the {top_k} most "
        f"frequent of each comparison (terms set aside from the figures left out). Uses: at most "
        f"{max_sentences} per term and {by}, a random sample (random_state={random_state})."
    )
    return TermExplorer(comparisons, terms_table, uses, note, by, stat)
