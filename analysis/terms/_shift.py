"""Word shifts: each term's signed contribution to a difference between two groups' texts.

Gallagher et al. (2021), "Generalized word shift graphs", with the definitions of their
``shifterator`` package (tests check equality with it). For two systems, each term i has a
relative frequency p_i and a score s_i in each; the difference of the averages
Phi_a - Phi_b = sum_i (p_i^a s_i^a - p_i^b s_i^b) splits exactly into per-term contributions

    delta_i = (p_i^a - p_i^b) (½(s_i^a + s_i^b) - s_ref)  +  ½(p_i^a + p_i^b) (s_i^a - s_i^b)
              `---------- frequency part ------------´      `-------- score part ---------´

(the reference s_ref cancels in the sum because the p_diff sum to zero). Group ``b`` plays
shifterator's reference system (``type2freq_1``), group ``a`` the comparison (``type2freq_2``):
a positive contribution raises a's average above b's. The kinds:

* ``"proportion"``: s = 1 for every term, s_ref = 0: delta_i = p_i^a - p_i^b, total 0
  (``ProportionShift``);
* ``"shannon"``: s_i = -log2 p_i within each group (0 where p_i = 0), total H(a) - H(b)
  (``EntropyShift``, base 2, alpha = 1);
* ``"jsd"``: with m_i = ½(p_i^a + p_i^b), s_i^b = ½ log2(m_i / p_i^b) and s_i^a = ½ log2(p_i^a / m_i)
  (½ log2 m_i and -½ log2 m_i where the p is 0), total the Jensen-Shannon divergence in bits
  (``JSDivergenceShift``, equal weights);
* ``"sentiment"``: s_i from a lexicon (VADER's by default), the same in both groups, so the score
  part is 0; terms without a score are left out and p is taken over the scored terms; total
  Phi_a - Phi_b, the difference of the mean word scores (``WeightedAvgShift``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cache
from typing import Literal, get_args

import numpy as np
import pandas as pd
from scipy import sparse

from analysis.schemas import WHOLE_CORPUS, validate
from analysis.schemas.terms import ShiftInterval, WordShift

__all__ = ["KINDS", "vader_lexicon", "word_shift", "word_shift_interval"]

Kind = Literal["proportion", "shannon", "jsd", "sentiment"]
#: The kinds of word shift, in the order of :data:`Kind`.
KINDS: tuple[str, ...] = get_args(Kind)
Lexicon = pd.DataFrame | pd.Series | Mapping[str, float]


@cache
def vader_lexicon() -> pd.Series:
    """VADER's word valences (-4 to +4) as shipped by ``vaderSentiment``: a Series term -> score."""
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    lexicon = SentimentIntensityAnalyzer().lexicon
    return pd.Series(lexicon, dtype="float64", name="score").rename_axis("term")


def _lexicon_series(lexicon: Lexicon | None) -> pd.Series:
    """``lexicon`` (a table with ``term`` and ``score``, a Series or a mapping) as a Series term -> score."""
    if lexicon is None:
        return vader_lexicon()
    if isinstance(lexicon, pd.DataFrame):
        missing = [c for c in ("term", "score") if c not in lexicon.columns]
        if missing:
            raise ValueError(f"lexicon lacks column(s) {missing}: give a table with 'term' and 'score'")
        lexicon = lexicon.set_index("term")["score"]
    series = pd.Series(lexicon, dtype="float64")
    if series.index.duplicated().any():
        raise ValueError(
            f"lexicon scores some terms twice, e.g. {series.index[series.index.duplicated()][:3].tolist()}"
        )
    if series.isna().any():
        raise ValueError(
            f"lexicon has terms without a score, e.g. {series.index[series.isna()][:3].tolist()}"
        )
    return series


def group_counts(
    counts: pd.DataFrame, groups: Sequence[str], by: str, story: str | None, *, shortest: bool = True
) -> pd.DataFrame:
    """Term x group counts (columns in ``groups`` order, terms sorted), within ``story`` if given.

    ``shortest``: only the shortest n-grams counted (the words, when unigrams were counted).
    """
    missing = [c for c in (by, "term", "n") if c not in counts.columns]
    if missing:
        raise ValueError(f"counts lacks column(s) {missing}; pass the output of terms.count_terms")
    if story is not None:
        if "story_id" not in counts.columns:
            raise ValueError("story= needs counts with a 'story_id' column: count with by=[by, 'story_id']")
        counts = counts[counts["story_id"].astype(str) == str(story)]
    labels = counts[by].astype(str)
    absent = [g for g in groups if g not in set(labels)]
    if absent:
        where = f" in story {story!r}" if story is not None else ""
        raise ValueError(f"{by} {absent} not found in counts{where}")
    if shortest and "ngram" in counts.columns:
        words = counts["ngram"] == counts["ngram"].min()
        counts, labels = counts[words], labels[words]
    keep = labels.isin(groups)
    table = (
        counts.loc[keep, ["term", "n"]]
        .assign(group=labels[keep])
        .pivot_table(index="term", columns="group", values="n", aggfunc="sum", fill_value=0)
    )
    return table.reindex(columns=list(groups), fill_value=0).sort_index()


def _shares(y: np.ndarray) -> np.ndarray:
    """Relative frequencies along the last axis (rows of zeros stay zero)."""
    total = y.sum(axis=-1, keepdims=True)
    return np.divide(y, total, out=np.zeros_like(y, dtype=float), where=total > 0)


def _scores(
    kind: str, p_a: np.ndarray, p_b: np.ndarray, lexicon: np.ndarray | None
) -> tuple[np.ndarray, np.ndarray]:
    """Scores s^a, s^b of every term (arrays shaped like the p), as shifterator defines them per kind."""
    if kind == "proportion":
        return np.ones_like(p_a), np.ones_like(p_b)
    if kind == "sentiment":
        scores = np.broadcast_to(lexicon, p_a.shape)
        return scores, scores
    with np.errstate(divide="ignore"):
        log_a, log_b = np.log2(p_a), np.log2(p_b)
        if kind == "shannon":
            return np.where(p_a > 0, -log_a, 0.0), np.where(p_b > 0, -log_b, 0.0)
        log_m = np.log2(0.5 * p_a + 0.5 * p_b)
    # jsd: b is shifterator's system 1, a its system 2
    score_b = np.where(p_b > 0, 0.5 * (log_m - log_b), 0.5 * log_m)
    score_a = np.where(p_a > 0, 0.5 * (log_a - log_m), -0.5 * log_m)
    return score_a, score_b


def _total(kind: str, p_a: np.ndarray, p_b: np.ndarray, lexicon: np.ndarray | None) -> np.ndarray:
    """The difference the contributions add up to, from its own formula (one value per row of the p)."""
    if kind == "proportion":
        return np.zeros(p_a.shape[:-1])
    if kind == "sentiment":
        return p_a @ lexicon - p_b @ lexicon
    if kind == "shannon":
        return -_plogp(p_a, 1.0) + _plogp(p_b, 1.0)
    m = 0.5 * p_a + 0.5 * p_b
    return 0.5 * _plogp(p_a, m) + 0.5 * _plogp(p_b, m)


def _plogp(p: np.ndarray, q: np.ndarray | float) -> np.ndarray:
    """sum_i p_i log2(p_i / q_i) along the last axis, with 0 log 0 = 0."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(p > 0, p * np.log2(p / q), 0.0).sum(axis=-1)


def _prepare(
    counts: pd.DataFrame,
    a: str,
    b: str,
    kind: str,
    lexicon: Lexicon | None,
    stop_lens: Sequence[tuple[float, float]] | None,
    by: str,
    story: str | None,
) -> tuple[pd.DataFrame, np.ndarray | None]:
    """Checked arguments: the term x (a, b) counts of the terms that enter the shift, and their lexicon scores."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {list(KINDS)}, not {kind!r}")
    a, b = str(a), str(b)
    if a == b:
        raise ValueError(f"a and b are the same {by} ({a!r}): a word shift compares two groups")
    if kind != "sentiment" and (lexicon is not None or stop_lens):
        raise ValueError(f"lexicon and stop_lens apply to kind='sentiment' only, not {kind!r}")
    table = group_counts(counts, [a, b], by, story)
    table = table[(table[a] > 0) | (table[b] > 0)]
    if kind != "sentiment":
        return table, None
    scores = _lexicon_series(lexicon).reindex(table.index)
    keep = scores.notna().to_numpy()
    for low, high in stop_lens or ():
        keep &= ~scores.between(low, high).to_numpy()
    return table[keep], scores[keep].to_numpy(dtype=float)


def word_shift(
    counts: pd.DataFrame,
    a: str,
    b: str,
    *,
    kind: Kind = "sentiment",
    lexicon: Lexicon | None = None,
    reference: float | Literal["average"] | None = None,
    stop_lens: Sequence[tuple[float, float]] | None = None,
    by: str = "outlet",
    story: str | None = None,
) -> pd.DataFrame:
    """Why group ``a`` differs from group ``b``, term by term (a generalized word shift).

    Parameters
    ----------
    counts : DataFrame
        ``count_terms`` output (any finer grouping, e.g. ``[by, "article_id"]``, is summed); the
        shortest n-grams counted are used.
    a, b : str
        The two values of ``by`` compared: ``a`` is explained against the reference ``b``.
    kind : {"proportion", "shannon", "jsd", "sentiment"}
        What differs: term shares, Shannon entropy, Jensen-Shannon divergence or mean word score.
    lexicon : DataFrame, Series or mapping, optional
        Term -> score for ``kind="sentiment"`` (a table with ``term`` and ``score`` columns, a Series or a
        dict); default VADER's valences (:func:`vader_lexicon`). Terms without a score are left out.
    reference : float or "average", optional
        s_ref, which splits terms into above and below (it changes the split, never the total).
        "average": b's mean score. Default: "average" for sentiment, 0 otherwise (as shifterator).
    stop_lens : sequence of (low, high), optional
        Sentiment only: leave out terms whose score lies in any of these closed intervals
        (e.g. ``[(-1, 1)]`` for VADER's near-neutral words).
    by : str
        Grouping column of ``counts``; its name is kept in the output.
    story : str, optional
        Compare within this story only (``counts`` needs a ``story_id`` column).

    Returns
    -------
    DataFrame
        Schema ``WordShift``, one row per term used by ``a`` or ``b``, largest |contribution| first:
        ``outlet`` (or ``by``; value ``a``), ``other`` (``b``), ``story_id`` (``story`` or 'all'), ``kind``,
        ``term``, ``n``, ``n_other``, ``p_a``, ``p_b``, ``score_a``, ``score_b``, ``p_diff``, ``s_diff``,
        ``p_avg``, ``s_ref_diff``, ``frequency_part``, ``score_part``, ``contribution``,
        ``frequency_class``, ``score_class``, ``rank``, ``cumulative``, ``total``, ``reference``.
    """
    table, lex = _prepare(counts, a, b, kind, lexicon, stop_lens, by, story)
    a, b = str(a), str(b)
    y = table[[a, b]].to_numpy(dtype=float).T
    p_a, p_b = _shares(y[0]), _shares(y[1])
    score_a, score_b = _scores(kind, p_a, p_b, lex)
    if reference is None:
        reference = "average" if kind == "sentiment" else 0.0
    ref = float(p_b @ score_b) if reference == "average" else float(reference)
    p_diff, s_diff = p_a - p_b, score_a - score_b
    p_avg, s_ref_diff = 0.5 * (p_a + p_b), 0.5 * (score_a + score_b) - ref
    frequency_part, score_part = p_diff * s_ref_diff, p_avg * s_diff
    contribution = frequency_part + score_part
    # shifterator's sign classes: "pos" when > 0, else "neg"
    frequency_class = np.char.add(
        np.where(s_ref_diff > 0, "pos_s", "neg_s"), np.where(p_diff > 0, "_pos_p", "_neg_p")
    )
    out = pd.DataFrame(
        {
            by: a,
            "other": b,
            "story_id": WHOLE_CORPUS if story is None else str(story),
            "kind": kind,
            "term": table.index.astype(str),
            "n": y[0].astype("int64"),
            "n_other": y[1].astype("int64"),
            "p_a": p_a,
            "p_b": p_b,
            "score_a": np.asarray(score_a, dtype=float),
            "score_b": np.asarray(score_b, dtype=float),
            "p_diff": p_diff,
            "s_diff": s_diff,
            "p_avg": p_avg,
            "s_ref_diff": s_ref_diff,
            "frequency_part": frequency_part,
            "score_part": score_part,
            "contribution": contribution,
            "frequency_class": frequency_class.astype(object),
            "score_class": np.where(s_diff > 0, "pos_s", "neg_s").astype(object),
        }
    )
    out = out.assign(_size=-np.abs(contribution)).sort_values(["_size", "term"], kind="mergesort")
    out = out.drop(columns="_size").reset_index(drop=True)
    out["rank"] = np.arange(1, len(out) + 1, dtype="int64")
    out["cumulative"] = out["contribution"].cumsum()
    out["total"] = float(_total(kind, p_a, p_b, lex))
    out["reference"] = ref
    return validate(out, WordShift, table="word_shift", by=by)


def word_shift_interval(
    article_counts: pd.DataFrame,
    a: str,
    b: str,
    *,
    kind: Kind = "sentiment",
    lexicon: Lexicon | None = None,
    stop_lens: Sequence[tuple[float, float]] | None = None,
    by: str = "outlet",
    story: str | None = None,
    n_boot: int = 200,
    ci: float = 0.95,
    random_state: int = 0,
) -> pd.DataFrame:
    """Article-level bootstrap percentile interval of a word shift's total difference.

    Each replicate resamples, with replacement and independently in ``a`` and ``b``, as many articles
    as the group has (as :func:`bootstrap_intervals` does) and recomputes the total of
    :func:`word_shift` (the reference does not change a total). A group with one article gets a NaN
    interval and ``n_boot`` 0: there is no between-article variation to resample.

    Parameters
    ----------
    article_counts : DataFrame
        ``count_terms(units, by=[by, "article_id"])`` (with ``story_id`` among ``by`` for ``story=``).
    a, b, kind, lexicon, stop_lens, by, story
        As in :func:`word_shift`.
    n_boot : int
        Replicates.
    ci : float
        Coverage of the percentile interval.
    random_state : int
        Seed of the numpy generator; same seed, same interval.

    Returns
    -------
    DataFrame
        Schema ``ShiftInterval``, one row: ``outlet`` (or ``by``), ``other``, ``story_id``, ``kind``,
        ``total`` (the point estimate), ``ci_low``, ``ci_high``, ``n_boot``.
    """
    if not 0 < ci < 1 or n_boot < 1:
        raise ValueError("ci must be in (0, 1) and n_boot >= 1")
    if "article_id" not in article_counts.columns:
        raise ValueError(f"article_counts lacks column 'article_id'; count with by=[{by!r}, 'article_id']")
    a, b = str(a), str(b)
    table, lex = _prepare(article_counts, a, b, kind, lexicon, stop_lens, by, story)
    pair = article_counts[article_counts[by].astype(str).isin([a, b])]
    if story is not None:
        pair = pair[pair["story_id"].astype(str) == str(story)]
    # every article of a and b is resampled, also one without a term of the shift (it adds nothing)
    articles = pair.drop_duplicates("article_id")[["article_id", by]].reset_index(drop=True)
    rows = pair[pair["term"].isin(table.index)]
    if "ngram" in rows.columns:
        rows = rows[rows["ngram"] == pair["ngram"].min()]
    x = sparse.csr_matrix(
        (
            rows["n"].to_numpy(dtype=float),
            (
                pd.Index(articles["article_id"]).get_indexer(rows["article_id"]),
                table.index.get_indexer(rows["term"]),
            ),
        ),
        shape=(len(articles), len(table)),
    )  # articles x terms
    members = [np.flatnonzero(articles[by].astype(str).to_numpy() == g) for g in (a, b)]
    y = table[[a, b]].to_numpy(dtype=float).T
    total = float(_total(kind, _shares(y[0]), _shares(y[1]), lex))
    single = min(len(m) for m in members) < 2
    low = high = np.nan
    if not single:
        rng = np.random.default_rng(random_state)
        draws = np.empty(n_boot)
        for start in range(0, n_boot, 64):  # replicates in blocks: memory stays replicates x terms
            size = min(64, n_boot - start)
            weights = [rng.multinomial(len(m), np.full(len(m), 1.0 / len(m)), size=size) for m in members]
            y_a, y_b = (np.asarray((x[m].T @ w.T).T) for w, m in zip(weights, members, strict=True))
            empty = (y_a.sum(axis=1) == 0) | (y_b.sum(axis=1) == 0)  # no term drawn: no mean, no entropy
            draws[start : start + size] = np.where(
                empty, np.nan, _total(kind, _shares(y_a), _shares(y_b), lex)
            )
        tail = (1 - ci) / 2
        low, high = np.nanquantile(draws, tail), np.nanquantile(draws, 1 - tail)
    out = pd.DataFrame(
        {
            by: [a],
            "other": [b],
            "story_id": [WHOLE_CORPUS if story is None else str(story)],
            "kind": [kind],
            "total": [total],
            "ci_low": [low],
            "ci_high": [high],
            "n_boot": np.array([0 if single else n_boot], dtype="int64"),
        }
    )
    return validate(out, ShiftInterval, table="shift_interval", by=by)
