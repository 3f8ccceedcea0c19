"""Term contrasts between outlets: keyness scores, small-corpus honesty, evidence.

* :func:`contrast` scores every term of the pooled vocabulary for each
  comparison, one-vs-rest (each outlet against all other outlets pooled,
  *excluding* itself; tidylo instead compares with the pooled total including
  itself) or pairwise (every ordered pair of outlets), with any of the methods
  in :mod:`analysis.terms._keyness`.
* :func:`text_sufficiency` says plainly when an outlet has too little text.
* :func:`bootstrap_intervals` resamples articles within each outlet.
* :func:`in_context` returns the sentences behind a term, with ids and offsets, and
  :func:`evidence` attaches example sentences to a table of top terms (both live in
  :mod:`analysis.terms._context` and are re-exported here).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Literal, get_args

import numpy as np
import pandas as pd
import polars as pl
from scipy import sparse

from analysis.schemas import validate
from analysis.schemas.corpus import compared_noun
from analysis.schemas.terms import TermContrast, TermIntervals, TextSufficiency
from analysis.terms import _keyness as keyness
from analysis.terms._context import evidence, in_context
from analysis.terms._set_aside import REASONS, set_aside_codes

__all__ = [
    "contrast",
    "text_sufficiency",
    "largest_outlets",
    "bootstrap_intervals",
    "top_terms",
    "in_context",
    "evidence",
    "METHODS",
    "RANK_STAT",
]

#: A keyness method (formulas in :mod:`analysis.terms._keyness`).
Method = Literal["log_odds", "g2", "chi2", "pmi", "log_ratio", "scaled_f"]
#: One outlet against all others pooled, or every ordered pair of outlets.
Comparison = Literal["one_vs_rest", "pairwise"]
#: Monroe et al.'s two-term variance of the log-odds ratio, or the full delta method.
Variance = Literal["monroe", "exact"]
#: The shipped Dirichlet priors of log_odds (or pass your own Series term -> alpha).
Prior = Literal["informative", "uniform"]

METHODS: tuple[Method, ...] = get_args(Method)  # tests check it lists every scorer of _keyness
#: The column each method ranks terms by.
RANK_STAT = {
    "log_odds": "z",
    "g2": "g2",
    "chi2": "chi2",
    "pmi": "pmi",
    "log_ratio": "log_ratio",
    "scaled_f": "scaled_f",
}
REST = "rest"


def _check_counts(counts: pd.DataFrame, by: str, *, repeats: bool = True) -> None:
    """Refuse a counts table :func:`contrast` cannot score; ``repeats=False`` leaves the check of
    repeated (``by``, term) rows to the caller (:func:`_check_repeats`)."""
    if not isinstance(counts, pd.DataFrame):
        raise TypeError(f"counts must be a pandas DataFrame, not {type(counts).__name__}")
    missing = [c for c in (by, "term", "n") if c not in counts.columns]
    if missing:
        raise ValueError(
            f"counts lacks column(s) {missing}; pass the output of analysis.terms._counts.count_terms"
        )
    if counts.empty:
        raise ValueError("counts is empty: no terms to contrast (is the corpus empty or min_count too high?)")
    if (counts["n"] < 0).any():
        raise ValueError("counts has negative values in 'n'")
    if repeats:
        _check_repeats(counts, by)


def _check_repeats(counts: pd.DataFrame, by: str) -> None:
    """Refuse a counts table with several rows for one (``by``, term), naming the first three."""
    if counts.duplicated([by, "term"]).any():
        dup = counts.loc[counts.duplicated([by, "term"]), [by, "term"]].head(3).values.tolist()
        raise ValueError(
            f"counts has several rows for the same ({by}, term), e.g. {dup}; "
            f"collapse finer groups first (analysis.terms._counts.collapse_counts)"
        )


_MISSING_TERMS = "counts has missing terms; every row of counts needs a term"


def _factorize_sorted(values: pd.Series, *, max_repeats: int | None = None) -> tuple[np.ndarray, pd.Index]:
    """``pd.factorize(values, sort=True)`` for strings, sorted by polars (code-point order, as Python's)."""
    codes, uniques, _ = _factorize_sorted_polars(values, max_repeats=max_repeats)
    return codes, uniques


def _factorize_sorted_polars(
    values: pd.Series, *, max_repeats: int | None = None
) -> tuple[np.ndarray, pd.Index, pl.Series]:
    """:func:`_factorize_sorted`, with the sorted uniques also as a polars String column.

    ``max_repeats`` bounds how many times a value occurs (the number of outlets of a counts table).
    At most twice, sorting every value (one dense rank in polars) costs less than hashing them
    first; values repeated more often are hashed (``pd.factorize``) and only the distinct ones
    sorted. A missing value is refused, where ``pd.factorize`` would leave it out (and
    :func:`contrast` would have added its counts to a term).
    """
    strings = values.to_numpy(dtype=object)
    if max_repeats is not None and max_repeats <= 2:
        column = pl.Series(strings, dtype=pl.String)
        if column.has_nulls():
            raise ValueError(_MISSING_TERMS)
        codes = column.rank("dense").to_numpy().astype(np.int64) - 1
        row_of = np.empty(codes.max() + 1, dtype=np.int64)
        row_of[codes] = np.arange(len(codes))
        return codes, pd.Index(strings[row_of], dtype=object), column.gather(row_of)
    codes, uniques = pd.factorize(strings)
    if (codes < 0).any():
        raise ValueError(_MISSING_TERMS)
    column = pl.Series(uniques, dtype=pl.String)
    order = column.arg_sort().to_numpy()
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    return rank[codes], pd.Index(uniques[order], dtype=object), column.gather(order)


def _any_repeated(cells: np.ndarray, n_cells: int) -> bool:
    """Whether a value of ``cells`` (0 .. n_cells - 1) occurs twice: one count per cell while the
    cells are few beside the rows (many outlets and terms make a sparse table: then one sort)."""
    if n_cells <= 4 * len(cells) + 1024:
        return bool(np.bincount(cells, minlength=n_cells).max(initial=0) > 1)
    return bool((np.diff(np.sort(cells)) == 0).any())


def _matrix(cells: np.ndarray, values: pd.Series, shape: tuple[int, int]) -> np.ndarray:
    """Outlet x term matrix of ``values`` placed at flat ``cells`` (row * n_terms + column)."""
    return np.bincount(cells, weights=values.to_numpy(dtype=float), minlength=shape[0] * shape[1]).reshape(
        shape
    )


def _prior(prior, alpha: float, pooled: np.ndarray, terms: pd.Index, strength: float | None) -> np.ndarray:
    if alpha <= 0:
        raise ValueError("alpha must be > 0")
    if isinstance(prior, pd.Series):
        values = prior.reindex(terms).fillna(alpha).to_numpy(dtype=float)
    elif prior == "informative":
        values = pooled + alpha
    elif prior == "uniform":
        values = np.full(len(terms), float(alpha))
    else:
        raise ValueError(f"prior must be 'informative', 'uniform' or a Series term -> alpha, not {prior!r}")
    if (values <= 0).any():
        raise ValueError("prior pseudo-counts must all be > 0")
    if strength is not None:
        if strength <= 0:
            raise ValueError("prior_strength must be > 0")
        values = values * strength / values.sum()
    return values


def _pairs(outlets: list[str], comparison: str) -> list[tuple[int, int | None]]:
    """(outlet, other) positions in ``outlets`` of every comparison, ``other`` None for the pooled rest."""
    if comparison == "one_vs_rest":
        if len(outlets) < 2:
            raise ValueError(f"one_vs_rest needs at least two outlets; counts has {outlets}")
        return [(i, None) for i in range(len(outlets))]
    if comparison == "pairwise":
        if len(outlets) < 2:
            raise ValueError(f"pairwise needs at least two outlets; counts has {outlets}")
        return [(i, j) for i in range(len(outlets)) for j in range(len(outlets)) if i != j]
    raise ValueError(f"comparison must be 'one_vs_rest' or 'pairwise', not {comparison!r}")


def _chosen_pairs(
    names: list[str], comparison: str, chosen: str | Sequence[str] | None
) -> list[tuple[int, int | None]]:
    """The comparisons of :func:`_pairs` whose outlet (and other, pairwise) is in ``chosen`` (None: all)."""
    pairs = _pairs(names, comparison)
    if chosen is None:
        return pairs
    chosen = {chosen} if isinstance(chosen, str) else {str(name) for name in chosen}
    unknown = sorted(chosen - set(names))
    if unknown:
        raise ValueError(f"outlets not in counts: {unknown[:3]}")
    kept = [(i, j) for i, j in pairs if names[i] in chosen and (j is None or names[j] in chosen)]
    if not kept:
        raise ValueError(f"{comparison} needs at least two outlets; outlet= keeps {sorted(chosen)}")
    return kept


def _score(y_i, y_j, alpha_w, methods, variance, beta, williams) -> dict[str, np.ndarray]:
    cols: dict[str, np.ndarray] = {}
    n1, n2 = y_i.sum(), y_j.sum()
    for method in methods:
        if method == "log_odds":
            cols.update(keyness.log_odds(y_i, y_j, alpha_w, variance=variance))
        elif method == "g2":
            cols.update(keyness.g2(y_i, y_j, n1, n2, williams=williams))
        elif method == "scaled_f":
            cols.update(keyness.scaled_f(y_i, y_j, beta=beta))
        else:
            cols.update(keyness.SCORERS[method](y_i, y_j, n1, n2))
    return cols


def _set_aside_rows(
    terms: pl.Series,
    names: list[str],
    rows_i: np.ndarray,
    n_i: np.ndarray,
    sites: Mapping[str, Iterable[str]] | None,
    by: str,
) -> np.ndarray:
    """The ``set_aside`` reason of every contrast row: comparison k (outlet ``names[rows_i[k]]``, its
    counts ``n_i[k]``) holds one row per term of ``terms``.

    A reason depends on the outlet, the term and the outlet's count of it, not on the other side, so
    each outlet's terms are flagged once (:func:`set_aside_codes`) and its comparisons share them:
    what :func:`flag_set_aside` gives on the whole table.
    """
    targets, first = np.unique(rows_i, return_index=True)
    target_of_pair = np.searchsorted(targets, rows_i)
    n_terms = len(terms)
    codes = set_aside_codes(
        terms,
        np.tile(np.arange(n_terms), len(targets)),
        [names[i] for i in targets],
        np.repeat(np.arange(len(targets)), n_terms),
        n_i[first].ravel(),
        sites=sites,
        by=by,
    )
    return REASONS[codes.reshape(len(targets), n_terms)[target_of_pair].ravel()]


def contrast(
    counts: pd.DataFrame,
    *,
    methods: Sequence[Method] = ("log_odds",),
    comparison: Comparison = "one_vs_rest",
    prior: Prior | pd.Series = "informative",
    alpha: float = 0.01,
    prior_strength: float | None = None,
    variance: Variance = "monroe",
    beta: float = 2.0,
    williams: bool = False,
    by: str = "outlet",
    set_aside: bool = True,
    sites: Mapping[str, Iterable[str]] | None = None,
    outlet: str | Sequence[str] | None = None,
) -> pd.DataFrame:
    """Score how much each outlet over- or under-uses every term, against the others.

    Totals are the sums of ``n`` per outlet over the table passed in (unigrams and
    bigrams together when both were counted, as Scattertext does).

    Parameters
    ----------
    counts : DataFrame
        Output of :func:`analysis.terms._counts.count_terms` (columns ``by``, ``term``, ``n``;
        ``n_articles`` is used when present).
    methods : sequence of str
        Any of 'log_odds', 'g2', 'chi2', 'pmi', 'log_ratio', 'scaled_f'.
    comparison : 'one_vs_rest' or 'pairwise'
        Each outlet against all other outlets pooled (``other = 'rest'``), or every ordered pair.
    prior : 'informative', 'uniform' or Series
        Dirichlet prior of log_odds: alpha_w = pooled count of w over all outlets + ``alpha``
        ('informative'), ``alpha`` for every w ('uniform'), or your own term -> alpha_w
        (e.g. background-corpus counts; terms it lacks get ``alpha``).
    alpha : float
        Pseudo-count (Monroe et al. use 0.01 for the uniform prior).
    prior_strength : float, optional
        Rescale the prior so that alpha_0 = sum of alpha_w equals this.
    variance : 'monroe' or 'exact'
        Paper's two-term approximation (eq. 20) or the full four-term delta method.
    beta : float
        Scaled F-score weight (Scattertext default 2).
    williams : bool
        Apply Williams' correction to G2.
    by : str
        Grouping column of ``counts``; its name is kept in the output.
    set_aside : bool
        Flag the outlet's references to itself and house style (honorifics, dotted
        abbreviations) in a ``set_aside`` column (:mod:`analysis.terms._set_aside`), which
        :func:`top_terms` leaves out; False leaves the column empty ("").
    sites : mapping, optional
        outlet -> its site names, self-references besides its name
        (``terms.outlet_sites(corpus.articles)`` reads them from the urls).
    outlet : str or sequence of str, optional
        Restrict to these outlets: score only their comparisons (pairwise: pairs of two of them, e.g.
        :func:`largest_outlets`), skipping the others before scoring. The vocabulary, the prior
        and the pooled rest stay those of the whole table, so the rows are exactly those of
        the unrestricted contrast.

    Returns
    -------
    DataFrame
        Schema :class:`analysis.schemas.terms.TermContrast`, one row per (outlet, other,
        term) for every term of the pooled vocabulary: ``outlet``, ``other``, ``term``,
        ``ngram`` (when counted), ``n`` (y_w^i), ``n_other`` (y_w^j), ``n_articles`` (articles
        of the outlet using the term), ``dispersion_flag`` (n > 0 from one article only),
        ``set_aside`` ('self-reference', 'house style' or ""),
        then per method: log_odds -> ``delta``, ``se``, ``z``, ``p``, ``q`` (Monroe et al.
        2008, delta eq. 16, variance eq. 20, z eq. 22; BH within each comparison); g2 -> ``g2``, ``g2_p`` (Dunning 1993);
        chi2 -> ``chi2``, ``chi2_p``; pmi -> ``pmi``; log_ratio -> ``log_ratio`` (Hardie 2014);
        scaled_f -> ``scaled_f`` (Kessler). Formulas in :mod:`analysis.terms._keyness`. Rows sorted
        by outlet (first appearance), other, then term.
    """
    _check_counts(counts, by, repeats=False)
    labels = counts[by].astype(str)  # labels are text in the output
    outlet_codes, names = pd.factorize(labels)  # in order of first appearance
    names = list(names)
    term_codes, terms, sorted_terms = _factorize_sorted_polars(counts["term"], max_repeats=len(names))
    shape = (len(names), len(terms))
    cells = outlet_codes * len(terms) + term_codes
    if _any_repeated(cells, shape[0] * shape[1]):  # rows share a cell: the pandas check names them
        _check_repeats(counts, by)
    unknown = [m for m in methods if m not in METHODS]
    if unknown or not methods:
        raise ValueError(f"unknown method(s) {unknown or methods}; choose from {list(METHODS)}")
    if comparison == "one_vs_rest" and REST in names:
        raise ValueError(f"an outlet is named {REST!r}, the label of the pooled comparison; rename it")
    pairs = _chosen_pairs(names, comparison, outlet)
    y = _matrix(cells, counts["n"], shape)
    arts = _matrix(cells, counts["n_articles"], shape) if "n_articles" in counts.columns else (y > 0) * 1.0
    alpha_w = _prior(prior, alpha, y.sum(axis=0), terms, prior_strength)
    # one table for all comparisons (not a frame per comparison: 500 outlets, 500 frames)
    rows_i = np.array([i for i, _ in pairs])
    y_i = y[rows_i]
    total = y.sum(axis=0)
    y_j = np.stack([total - y[i] if j is None else y[j] for i, j in pairs])
    n_i = y_i.astype("int64")
    frame = {
        by: np.repeat(np.array(names, dtype=object)[rows_i], len(terms)),
        "other": np.repeat(
            np.array([REST if j is None else names[j] for _, j in pairs], dtype=object), len(terms)
        ),
        "term": np.tile(terms.to_numpy(dtype=object), len(pairs)),
    }
    if "ngram" in counts:
        ngram = np.zeros(len(terms), dtype=counts["ngram"].dtype)
        ngram[term_codes] = counts["ngram"].to_numpy()
        frame["ngram"] = np.tile(ngram, len(pairs))
    frame.update(
        n=n_i.ravel(),
        n_other=y_j.astype("int64").ravel(),
        n_articles=arts[rows_i].astype("int64").ravel(),
        dispersion_flag=((y_i > 0) & (arts[rows_i] == 1)).ravel(),
    )
    if set_aside:
        frame["set_aside"] = _set_aside_rows(sorted_terms, names, rows_i, n_i, sites, by)
    else:
        frame["set_aside"] = np.full(len(pairs) * len(terms), "", dtype=object)
    scored = [_score(a, b, alpha_w, methods, variance, beta, williams) for a, b in zip(y_i, y_j, strict=True)]
    frame.update({column: np.concatenate([s[column] for s in scored]) for column in scored[0]})
    out = pd.DataFrame(frame, copy=False)  # every array is new: no copy into consolidated blocks
    return validate(out, TermContrast, table="term_contrast", by=by)


def comparison_note(counts: pd.DataFrame, *, by: str = "outlet") -> str:
    """Why :func:`contrast` cannot compare the groups of ``counts`` (fewer than two), or "" when it can.

    Notebooks branch on it so that a one-outlet corpus gets this sentence instead of a failed run.

    Returns
    -------
    str
        E.g. "A term contrast needs at least two outlets; this corpus has one (Only)." ('leaning groups'
        for a corpus grouped by leaning, see :func:`analysis.schemas.corpus.compared_noun`); "" for two
        or more.
    """
    groups = list(dict.fromkeys(counts[by].astype(str))) if by in counts.columns else []
    if len(groups) >= 2:
        return ""
    noun = compared_noun(groups, by)
    found = f"one ({groups[0]})" if groups else "none"
    return f"A term contrast needs at least two {noun}s; this corpus has {found}."


def largest_outlets(sufficiency: pd.DataFrame, *, max_outlets: int = 12, by: str = "outlet") -> list[str]:
    """The outlets a bounded comparison (pairwise, one panel each) keeps: at most ``max_outlets``.

    Every outlet when there are at most ``max_outlets`` (those with too little text are kept, and
    the figures say so); otherwise the ``max_outlets`` outlets with enough text that have the most
    counted words, ties broken by name, so that the choice does not depend on row order.

    Parameters
    ----------
    sufficiency : DataFrame
        :func:`text_sufficiency` (columns ``by``, ``n_tokens``, ``enough``).
    max_outlets : int
        Most outlets kept (at least 2).

    Returns
    -------
    list of str
        The kept outlets: in ``sufficiency``'s order when all are kept, else most words first.
    """
    if max_outlets < 2:
        raise ValueError(f"max_outlets must be at least 2, not {max_outlets}")
    if len(sufficiency) <= max_outlets:
        return sufficiency[by].astype(str).tolist()
    enough = sufficiency.loc[sufficiency["enough"]].assign(**{by: lambda t: t[by].astype(str)})
    ranked = sorted(zip(-enough["n_tokens"], enough[by], strict=True))
    return [name for _, name in ranked[:max_outlets]]


def text_sufficiency(
    counts: pd.DataFrame,
    *,
    min_tokens: int = 500,
    min_articles: int = 1,
    by: str = "outlet",
    article_counts: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Whether each outlet (or ``by`` group) has enough text for a term comparison, with a plain note.

    Parameters
    ----------
    counts : DataFrame
        Term counts per group (``count_terms``).
    min_tokens : int
        Fewest counted words an outlet needs: the sum of ``n`` over unigrams (over the
        shortest n-grams counted), i.e. tokens left after stop words and count filters.
    min_articles : int
        Fewest articles an outlet needs; with one article, distinctive terms describe that
        article, not the outlet, and article-level intervals cannot be computed.
    by : str
        Grouping column of ``counts`` (and of ``article_counts``); its name is kept in the output.
    article_counts : DataFrame, optional
        Counts per (``by``, article_id), to count articles exactly; otherwise the largest
        ``n_articles`` of any term is used (a lower bound).

    Returns
    -------
    DataFrame
        Schema ``TextSufficiency``: ``outlet`` (or the ``by`` column), ``n_tokens``, ``n_articles``,
        ``enough``, ``note``.
    """
    _check_counts(counts, by)
    words = counts.loc[counts["ngram"] == counts["ngram"].min()] if "ngram" in counts.columns else counts
    tokens = words.groupby(by, sort=False)["n"].sum().reindex(list(dict.fromkeys(counts[by])), fill_value=0)
    if article_counts is not None:
        n_art = article_counts.groupby(by, sort=False)["article_id"].nunique()
    else:
        n_art = counts.groupby(by, sort=False)["n_articles"].max()
    rows = []
    for outlet, n_tok in tokens.items():
        k = int(n_art.get(outlet, 0))
        problems = []
        if n_tok < min_tokens:
            problems.append(f"only {n_tok:,} counted words (fewer than {min_tokens:,})")
        if k < min_articles:
            problems.append(f"only {k} article{'s' if k != 1 else ''} (fewer than {min_articles})")
        if problems:
            note = f"{outlet}: not enough text for this comparison: {' and '.join(problems)}."
        elif k == 1:
            note = (
                f"{outlet}: one article ({n_tok:,} words): its terms describe that article, not the outlet."
            )
        else:
            note = f"{outlet}: {k} articles, {n_tok:,} words."
        rows.append(
            {by: str(outlet), "n_tokens": int(n_tok), "n_articles": k, "enough": not problems, "note": note}
        )
    return validate(pd.DataFrame(rows), TextSufficiency, table="text_sufficiency", by=by)


def top_terms(
    scores: pd.DataFrame,
    *,
    top_k: int = 15,
    stat: str = "z",
    positive: bool = True,
    drop_dispersed: bool = False,
    include_set_aside: bool = False,
    by: str = "outlet",
) -> pd.DataFrame:
    """The ``top_k`` highest-scoring terms of each (outlet, other) comparison.

    Parameters
    ----------
    scores : DataFrame
        Output of :func:`contrast`.
    stat : str
        Column to rank by (e.g. 'z', 'g2', 'log_ratio').
    positive : bool
        Rank terms the outlet over-uses (True) or under-uses (False).
    drop_dispersed : bool
        Leave out terms carried by a single article (``dispersion_flag``).
    include_set_aside : bool
        Rank self-references and house style too (rows with a non-empty ``set_aside``, see
        :func:`contrast`); by default they are left out of the ranking.

    Returns
    -------
    DataFrame
        The rows of ``scores`` kept, with a ``rank`` column (1 = most distinctive); ties
        broken by term.
    """
    if stat not in scores.columns:
        raise ValueError(f"scores has no column {stat!r}; compute it with contrast(methods=...)")
    rows = scores.loc[scores["n"] > 0] if positive else scores.loc[scores["n_other"] > 0]
    if drop_dispersed:
        rows = rows.loc[~rows["dispersion_flag"]]
    if not include_set_aside and "set_aside" in rows.columns:
        rows = rows.loc[rows["set_aside"] == ""]
    rows = rows.assign(_key=-rows[stat] if positive else rows[stat]).dropna(subset=["_key"])
    rows = rows.sort_values([by, "other", "_key", "term"], kind="mergesort")
    rows = rows.groupby([by, "other"], sort=False).head(top_k).drop(columns="_key")
    rows["rank"] = rows.groupby([by, "other"], sort=False).cumcount() + 1
    order = list(dict.fromkeys(scores[by]))
    return rows.sort_values(
        [by, "other", "rank"], key=lambda s: s.map(order.index) if s.name == by else s, kind="mergesort"
    ).reset_index(drop=True)


def bootstrap_intervals(
    article_counts: pd.DataFrame,
    selected: pd.DataFrame,
    *,
    stat: str = "z",
    n_boot: int = 200,
    ci: float = 0.95,
    random_state: int = 0,
    comparison: Comparison = "one_vs_rest",
    prior: Prior | pd.Series = "informative",
    alpha: float = 0.01,
    prior_strength: float | None = None,
    variance: Variance = "monroe",
    beta: float = 2.0,
    williams: bool = False,
    by: str = "outlet",
) -> pd.DataFrame:
    """Article-level bootstrap percentile intervals of a score for selected terms.

    Each replicate resamples, with replacement and independently per group, as many
    articles as the group has, rebuilds the group counts (and the informative prior)
    from the resampled articles and recomputes the score over the whole vocabulary as
    :func:`contrast` does. Groups with a single article get NaN intervals: there is
    no between-article variation to resample, and a zero-width interval would mislead.

    Parameters
    ----------
    article_counts : DataFrame
        ``count_terms(units, by=[by, "article_id"])``.
    selected : DataFrame
        Rows with ``by``, ``other``, ``term`` to report (e.g. :func:`top_terms`).
    stat : str
        A score column, e.g. 'z' or 'delta' (log_odds), 'g2', 'log_ratio'.
    n_boot : int
        Replicates.
    ci : float
        Coverage of the percentile interval.
    random_state : int
        Seed of the numpy generator; same seed, same intervals.
    comparison, prior, alpha, prior_strength, variance, beta, williams
        As in :func:`contrast` (pass the values the scores were computed with).
    by : str
        Grouping column of ``article_counts`` and ``selected``; its name is kept in the output.

    Returns
    -------
    DataFrame
        Schema ``TermIntervals``: ``outlet`` (or the ``by`` column), ``other``, ``term``, ``stat``,
        ``ci_low``, ``ci_high``, ``n_boot``.
    """
    method = next((m for m, cols in keyness.METHOD_COLUMNS.items() if stat in cols), None)
    if method is None:
        raise ValueError(
            f"stat {stat!r} is not a score column; choose from {sum(keyness.METHOD_COLUMNS.values(), [])}"
        )
    if not 0 < ci < 1 or n_boot < 1:
        raise ValueError("ci must be in (0, 1) and n_boot >= 1")
    missing = [c for c in (by, "article_id", "term", "n") if c not in article_counts.columns]
    if missing:
        raise ValueError(f"article_counts lacks column(s) {missing}; count with by=[{by!r}, 'article_id']")
    article_counts = article_counts.assign(**{by: article_counts[by].astype(str)})
    outlets = list(dict.fromkeys(article_counts[by]))
    terms = pd.Index(sorted(article_counts["term"].unique()))
    articles = article_counts.drop_duplicates("article_id")[["article_id", by]]
    rows = pd.Index(articles["article_id"]).get_indexer(article_counts["article_id"])
    x = sparse.csr_matrix(
        (article_counts["n"].to_numpy(dtype=float), (rows, terms.get_indexer(article_counts["term"]))),
        shape=(len(articles), len(terms)),
    )  # articles x terms, sparse: any corpus size
    owner = pd.Index(outlets).get_indexer(articles[by])
    members = [np.flatnonzero(owner == k) for k in range(len(outlets))]
    pairs = _pairs(outlets, comparison)
    sel = selected[[by, "other", "term"]].astype(str).drop_duplicates().reset_index(drop=True)
    col = terms.get_indexer(sel["term"])
    if (col < 0).any():
        raise ValueError(f"terms not in article_counts: {sel.loc[col < 0, 'term'].head(3).tolist()}")
    pair_of = {(outlets[i], REST if j is None else outlets[j]): (i, j) for i, j in pairs}
    wanted = [pair_of.get((o, t)) for o, t in zip(sel[by], sel["other"], strict=True)]
    if any(w is None for w in wanted):
        raise ValueError(f"selected has comparisons not made by comparison={comparison!r}")
    single = np.array([len(members[i]) < 2 for i, _ in wanted], dtype=bool)
    # Only selected rows whose outlet has two articles or more are scored: a one-article outlet gets no
    # interval. Its multinomial draw of one article takes nothing from the random stream, so skipping it
    # keeps every other outlet's resamples (and intervals) what they were. Each resample scores all the
    # comparisons wanted at once (one row each), log_odds in one call.
    scored = np.flatnonzero(~single)
    keys = list(dict.fromkeys(wanted[k] for k in scored))
    row_of = {key: row for row, key in enumerate(keys)}
    key_row = np.array([row_of[wanted[k]] for k in scored], dtype=np.int64)
    key_i = np.array([i for i, _ in keys], dtype=np.int64)
    key_j = np.array([i if j is None else j for i, j in keys], dtype=np.int64)
    to_rest = np.array([j is None for _, j in keys], dtype=bool)[:, None]
    resampled = [idx for idx in members if len(idx) > 1]
    rng = np.random.default_rng(random_state)
    draws = np.full((n_boot, len(sel)), np.nan)
    weights = np.ones(len(articles))  # a one-article outlet always draws its article once
    for r in range(n_boot if keys else 0):
        for idx in resampled:
            weights[idx] = rng.multinomial(len(idx), np.full(len(idx), 1.0 / len(idx)))
        resample = sparse.csr_matrix(
            (weights, (owner, np.arange(len(owner)))), shape=(len(outlets), len(owner))
        )
        y = (resample @ x).toarray()
        total = y.sum(axis=0)
        alpha_w = _prior(prior, alpha, total, terms, prior_strength)
        y_i = y[key_i]
        y_j = np.where(to_rest, total - y_i, y[key_j])
        if method == "log_odds":
            values = keyness.log_odds(y_i, y_j, alpha_w, variance=variance)[stat]
        else:
            values = np.stack(
                [
                    _score(a, b, alpha_w, (method,), variance, beta, williams)[stat]
                    for a, b in zip(y_i, y_j, strict=True)
                ]
            )
        draws[r, scored] = values[key_row, col[scored]]
    tail = (1 - ci) / 2
    low, high = np.full(len(sel), np.nan), np.full(len(sel), np.nan)
    complete = ~single & ~np.isnan(draws).any(axis=0)  # np.quantile: what nanquantile gives, column by column
    gaps = ~single & ~complete
    low[complete], high[complete] = np.quantile(draws[:, complete], [tail, 1 - tail], axis=0)
    with np.errstate(invalid="ignore"):
        low[gaps] = np.nanquantile(draws[:, gaps], tail, axis=0)
        high[gaps] = np.nanquantile(draws[:, gaps], 1 - tail, axis=0)
    out = sel.assign(
        stat=stat,
        ci_low=np.where(single, np.nan, low),
        ci_high=np.where(single, np.nan, high),
        n_boot=np.where(single, 0, n_boot).astype("int64"),
    )
    return validate(out, TermIntervals, table="term_intervals", by=by)
