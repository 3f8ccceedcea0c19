"""Term counts per group (outlet, outlet type, article, ...) from any unit table.

:func:`count_terms` turns paragraphs, sentences or articles into a tidy table
of n-gram counts with document frequencies. Tokens come from the shared
tokenizer (:mod:`analysis.corpus.text`); the default engine finds the matches of the same
regular expression (:data:`analysis.corpus.text.TOKEN_PATTERN`) with a compiled scanner
(:func:`analysis.corpus.raw_token_ids`) and applies the same normalization in polars, once per
distinct raw form, so counts equal those of :func:`analysis.corpus.text.tokenize`
and unigram totals equal ``count_words`` (``engine="python"`` runs the reference tokenizer itself;
``tests/test_tokenizer_unicode.py`` checks that both agree on every Unicode code point). N-grams
never cross a unit boundary. Given the paragraphs table of a lean batch (``build_corpus(...,
lean=True)``, the scale path) or of a corpus loaded from at least a megabyte of text, unchanged, the
polars engine reuses the raw tokens segmentation found in it (:func:`analysis.corpus.recorded_tokens`)
instead of scanning the texts again.

Stop words: the shipped list (``analysis/data/stopwords_en.txt``) is short on
purpose; pronouns, negations, modals and honorifics such as ``mr`` stay
countable; ``extra_stop_words`` adds words to the list. A unigram that is a stop word is dropped; a longer n-gram is dropped
when its first or last token is a stop word, so ``secretary of state`` survives
while ``of the`` does not. N-grams are formed before stop words are removed, so
no n-gram joins words that were not adjacent in the text.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from typing import Literal

import numpy as np
import pandas as pd
import polars as pl

from analysis.corpus import RawTokens, recorded_tokens
from analysis.corpus import text as textmod
from analysis.data import read_word_list
from analysis.schemas import validate
from analysis.schemas.terms import TermCounts

__all__ = ["count_terms", "tally_terms", "collapse_counts", "stop_words", "COUNT_COLUMNS"]

#: Columns :func:`count_terms` adds after the grouping columns.
COUNT_COLUMNS = ["term", "ngram", "n", "n_units", "n_articles"]


def stop_words(name: str = "english", *, keep: Iterable[str] = ()) -> frozenset[str]:
    """A shipped stop-word list minus the words in ``keep``.

    Parameters
    ----------
    name : str
        'english' (``analysis/data/stopwords_en.txt``; read its header for what is and is not in it).
    keep : iterable of str
        Words to remove from the list so that they are counted.

    Returns
    -------
    frozenset of str
    """
    files = {"english": "stopwords_en.txt"}
    if name not in files:
        raise ValueError(
            f"unknown stop-word list {name!r}; known: {sorted(files)} (or pass your own list of words)"
        )
    return read_word_list(files[name]) - {textmod.normalize_token(k) for k in keep}


def _resolve_stops(
    stops: str | Iterable[str] | None, keep: Iterable[str], extra: Iterable[str] = ()
) -> frozenset[str]:
    """The stop list, plus the ``extra`` words (one token each), minus the ``keep`` words."""
    if isinstance(extra, str):
        raise TypeError(f"extra_stop_words must be a list of words, not the string {extra!r}")
    added = set()
    for word in extra:
        tokens = textmod.tokenize(word)
        if len(tokens) != 1:
            raise ValueError(
                f"extra_stop_words holds single words; {word!r} is {len(tokens)} tokens {tokens}. "
                "Phrases such as an outlet's name are set aside by terms.contrast(set_aside=True) instead"
            )
        added.add(tokens[0])
    kept = {textmod.normalize_token(k) for k in keep}
    if stops is None:
        listed: frozenset[str] = frozenset()
    elif isinstance(stops, str):
        listed = stop_words(stops)
    else:
        listed = frozenset(textmod.normalize_token(w) for w in stops)
    return frozenset((listed | added) - kept)


def _check_units(units: pd.DataFrame, by: list[str], text_col: str, article_col: str) -> None:
    if not isinstance(units, pd.DataFrame):
        raise TypeError(f"units must be a pandas DataFrame, not {type(units).__name__}")
    missing = [c for c in [*by, text_col, article_col] if c not in units.columns]
    if missing:
        raise ValueError(f"units lacks column(s) {missing}; it has {list(units.columns)}")


def _unit_codes(
    units: pd.DataFrame, by: list[str], article_col: str
) -> tuple[np.ndarray, pd.DataFrame, np.ndarray]:
    """Each unit's group and article as codes in order of first appearance, one hash pass per column.

    Returns the group codes, the distinct ``by`` keys (row ``g`` is group ``g``, as
    ``drop_duplicates`` gives them) and the article codes; raises when a unit lacks a value.
    """

    def codes_of(col: str) -> np.ndarray:
        codes = pd.factorize(units[col])[0]
        if (codes < 0).any():
            rows = units.index[codes < 0][:3].tolist()
            raise ValueError(f"units column {col!r} has missing values (rows {rows}); every unit needs one")
        return codes

    group_codes = np.zeros(len(units), dtype=np.int64)
    for col in by:  # the groups so far, split by this column's values
        codes = codes_of(col)
        group_codes = pd.factorize(group_codes * (int(codes.max(initial=-1)) + 1) + codes)[0]
    article_codes = codes_of(article_col)
    # a group first appears where the codes seen so far reach a new maximum (codes grow one by one)
    firsts = np.flatnonzero(np.diff(np.maximum.accumulate(group_codes), prepend=-1) > 0)
    return group_codes, units[by].iloc[firsts].reset_index(drop=True), article_codes


def _all_strings(column: pd.Series) -> bool:
    """Whether every value is a ``str``: one C pass (pandas' ``infer_dtype``) for an object column of
    strings, one ``isinstance`` per value otherwise."""
    if column.dtype == object and pd.api.types.infer_dtype(column, skipna=False) in ("string", "empty"):
        return True
    return bool(column.map(lambda v: isinstance(v, str)).all())


def count_terms(
    units: pd.DataFrame,
    *,
    by: str | Sequence[str] = "outlet",
    ngram_range: tuple[int, int] = (1, 2),
    stop_words: str | Iterable[str] | None = "english",
    extra_stop_words: Iterable[str] = (),
    keep: Iterable[str] = (),
    min_count: int = 1,
    min_articles: int = 1,
    text_col: str = "text",
    article_col: str = "article_id",
    engine: Literal["polars", "python"] = "polars",
) -> pd.DataFrame:
    """Count n-grams per group with their document frequencies.

    Parameters
    ----------
    units : DataFrame
        One row per unit of text (``Corpus.paragraphs``, ``.sentences`` or ``.articles``)
        with the grouping column(s), a text column and an article id column. Note that
        ``Corpus.articles`` holds the original text, boilerplate included.
    by : str or list of str
        Grouping column(s), e.g. 'outlet' or ['outlet', 'article_id'].
    ngram_range : (int, int)
        Smallest and largest n-gram length, inclusive; n-grams are joined with a space.
    stop_words : 'english', list of str or None
        Shipped list name, your own words, or None to count every token.
    extra_stop_words : iterable of str
        Words added to ``stop_words`` (it extends the list, never replaces it); one token each,
        normalized as the counts are ('Mr.' -> 'mr').
    keep : iterable of str
        Words removed from the stop list (counted even though listed, or added).
    min_count : int
        Keep terms whose pooled count over all groups is at least this.
    min_articles : int
        Keep terms used in at least this many distinct articles, pooled over groups.
    text_col, article_col : str
        Names of the text and article-id columns of ``units``.
    engine : 'polars' or 'python'
        'polars' (vectorized, default) or the reference tokenizer in pure Python; same result.

    Returns
    -------
    DataFrame
        Schema :class:`analysis.schemas.terms.TermCounts`: the ``by`` column(s), then
        ``term``, ``ngram`` (tokens in the term), ``n`` (occurrences), ``n_units``
        (units containing it: document frequency), ``n_articles`` (distinct articles
        containing it). Groups in order of first appearance, then by descending ``n``
        and ``term``. Groups with no countable token have no rows.
    """
    by = [by] if isinstance(by, str) else list(by)
    if min_count < 1 or min_articles < 1:
        raise ValueError("min_count and min_articles must be >= 1")
    keys, agg = _aggregate(
        units,
        by,
        ngram_range,
        _resolve_stops(stop_words, keep, extra_stop_words),
        min_articles > 1,
        text_col=text_col,
        article_col=article_col,
        engine=engine,
    )
    if not len(agg["n"]):
        out = pd.DataFrame(
            {
                **{c: pd.Series(dtype=units[c].dtype) for c in by},
                "term": pd.Series(dtype=object),
                **{c: pd.Series(dtype="int64") for c in COUNT_COLUMNS[1:]},
            }
        )
        return validate(out, TermCounts, table="term_counts")
    keep_mask = np.ones(len(agg["n"]), dtype=bool)
    if min_count > 1:
        keep_mask &= pd.Series(agg["n"]).groupby(agg["term"]).transform("sum").to_numpy() >= min_count
    if min_articles > 1:  # distinct articles over all groups (an article may fall in several)
        keep_mask &= agg["pooled_articles"] >= min_articles
    rows = slice(None) if keep_mask.all() else np.flatnonzero(keep_mask)
    g = agg["g"][rows]
    out = pd.DataFrame(
        {
            **{c: keys[c].array.take(g) for c in by},
            **{c: np.asarray(agg[c][rows], dtype=object if c == "term" else np.int64) for c in COUNT_COLUMNS},
        }
    )
    return validate(out, TermCounts, table="term_counts")


def _aggregate(
    units: pd.DataFrame,
    by: list[str],
    ngram_range: tuple[int, int],
    stops: frozenset[str],
    with_pooled: bool,
    *,
    text_col: str,
    article_col: str,
    engine: str,
) -> tuple[pd.DataFrame, dict[str, np.ndarray]]:
    """Check ``units`` and count: the distinct ``by`` keys (row ``g`` is group ``g``) and the engine's
    aggregate (one array per column of :data:`_AGG_COLUMNS`, rows sorted by group, descending n, then term)."""
    _check_units(units, by, text_col, article_col)
    group_codes, keys, article_codes = _unit_codes(units, by, article_col)
    if not _all_strings(units[text_col]):
        raise ValueError(f"units column {text_col!r} must hold strings only")
    lo, hi = ngram_range
    if not (isinstance(lo, int | np.integer) and isinstance(hi, int | np.integer) and 1 <= lo <= hi):
        raise ValueError(f"ngram_range must be two integers 1 <= low <= high, not {ngram_range!r}")
    if engine not in {"polars", "python"}:
        raise ValueError(f"engine must be 'polars' or 'python', not {engine!r}")
    # the tokens load_corpus found in these very paragraphs, when units is its table unchanged
    raw = recorded_tokens(units, text_col) if engine == "polars" else None
    texts = units[text_col].tolist() if raw is None else None  # not read when the tokens are known
    if (
        len(article_codes) and (np.diff(article_codes) < 0).any()
    ):  # counting wants each article's units together
        order = np.argsort(article_codes, kind="stable")
        group_codes, article_codes = group_codes[order], article_codes[order]
        if raw is None:
            texts = [texts[i] for i in order]
        else:
            raw = raw.take(order)
    args = (texts, group_codes, article_codes, (int(lo), int(hi)), stops, with_pooled)
    return keys, (_count_polars(*args, raw=raw) if engine == "polars" else _count_python(*args))


def tally_terms(
    units: pd.DataFrame,
    *,
    by: str = "outlet",
    ngram_range: tuple[int, int] = (1, 2),
    stop_words: str | Iterable[str] | None = "english",
    text_col: str = "text",
    article_col: str = "article_id",
) -> pl.DataFrame:
    """The rows of ``count_terms(units, by=by, ...)`` as a polars frame, not validated: for callers that
    sum many batches' counts and validate the merged table (:func:`analysis.scale.count_terms_at_scale`).

    Returns
    -------
    polars DataFrame
        ``by``, ``term``, ``ngram``, ``n``, ``n_units``, ``n_articles`` (Int64), rows in
        ``count_terms``' order.
    """
    keys, agg = _aggregate(
        units,
        [by],
        ngram_range,
        _resolve_stops(stop_words, (), ()),
        False,
        text_col=text_col,
        article_col=article_col,
        engine="polars",
    )
    schema = {by: pl.String, "term": pl.String, **{c: pl.Int64 for c in COUNT_COLUMNS[1:]}}
    if not len(agg["n"]):
        return pl.DataFrame(schema=schema)
    columns = {by: keys[by].to_numpy()[agg["g"]], **{c: agg[c] for c in COUNT_COLUMNS}}
    return pl.DataFrame(columns, schema=schema)


#: Columns of the per-engine aggregate that :func:`count_terms` filters and labels.
_AGG_COLUMNS = ["g", "term", "ngram", "n", "n_units", "n_articles", "pooled_articles"]


def _normalized_tokens(expr: pl.Expr) -> pl.Expr:
    """The polars twin of :func:`analysis.corpus.text.normalize_token`."""
    return (
        expr.str.to_lowercase()
        .str.replace_all("’", "'", literal=True)
        .str.strip_suffix(".")
        .str.replace(r"'s$", "")
    )


def _count_polars(
    texts, group_codes, article_codes, ngram_range, stops, with_pooled, *, raw: RawTokens | None = None
) -> dict[str, np.ndarray]:
    """Vectorized counting: a compiled scanner finds the tokens, compiled kernels count integer ids.

    ``raw`` (the raw tokens of each text, as segmentation recorded them) spares the scan.
    Raw tokens come as ids of their distinct raw forms (:func:`analysis.corpus.raw_token_ids`);
    each form is normalized once and mapped to a word id; :func:`analysis.terms._tally.count_lengths`
    then counts each n-gram length in one pass over the ids, the units cut into one run per thread
    at article boundaries (units must come sorted by article),
    so grouping never hashes strings; term strings are built once per distinct n-gram, and terms
    are ordered by their words' alphabetical ranks (:func:`_term_ranks`), never by comparing
    strings. Returns the aggregate, rows sorted by group, descending n, then term.
    """
    from analysis.corpus import raw_token_ids  # numba: loaded only where counting runs
    from analysis.terms._tally import count_lengths, relabel  # numba, as the scanner

    raw = raw_token_ids(texts) if raw is None else raw
    if not len(raw.ids):
        return _no_rows()
    forms = pl.Series("raw", raw.forms, dtype=pl.String).to_frame()
    codes, vocab = pd.factorize(forms.select(_normalized_tokens(pl.col("raw")))["raw"].to_numpy())
    ids = relabel(raw.ids, codes.astype(np.int32 if len(vocab) < 2**31 else np.int64))  # word ids
    words = pl.Series(vocab.astype(object), dtype=pl.String)
    # one hash lookup per distinct word (np.isin sorts an object array: Python comparisons)
    is_stop = words.is_in(list(stops)).to_numpy() if stops else np.zeros(len(vocab), dtype=bool)
    sizes = range(ngram_range[0], ngram_range[1] + 1)
    results = count_lengths(  # as many threads as polars' pool (POLARS_MAX_THREADS: 1 in the scale engine)
        ids,
        raw.bounds,
        is_stop,
        sizes,
        np.asarray(group_codes),
        np.asarray(article_codes),
        with_pooled=with_pooled,
        threads=pl.thread_pool_size(),
    )
    names, parts, offset = [], [], 0
    for size, res in zip(sizes, results, strict=True):
        if size == 1:  # a unigram's code is its word id
            names.append(vocab[res.grams[:, 0]])
        else:
            spelled = [words.gather(res.grams[:, k]) for k in range(size)]
            names.append(pl.select(pl.concat_str(spelled, separator=" ")).to_series().to_numpy())
        parts.append(
            (
                res.group,
                res.code + offset,
                np.full(len(res.n), size),
                res.n,
                res.n_units,
                res.n_articles,
                res.pooled_articles[res.code],
            )
        )
        offset += len(res.grams)
    g, tid, ngram, n, n_units, n_articles, pooled = (
        np.concatenate(column) for column in zip(*parts, strict=True)
    )
    if not len(n):
        return _no_rows()
    alphabetical = _term_ranks(words, [res.grams for res in results])
    most = int(n.max())  # group, then descending n, then term:
    order = _sorted_rows([g, most - n, alphabetical[tid]], [int(g.max()) + 1, most, len(alphabetical)])
    return {
        "g": g[order],
        "term": np.concatenate(names)[tid[order]],
        "ngram": ngram[order],
        "n": n[order],
        "n_units": n_units[order],
        "n_articles": n_articles[order],
        "pooled_articles": pooled[order],
    }


def _term_ranks(words: pl.Series, grams: list[np.ndarray]) -> np.ndarray:
    """Each term's rank in alphabetical order, terms given as rows of word ids (``grams``, one array per length).

    A term is its words joined by single spaces, and no word holds a character that sorts before
    the space (tokens are letters, marks, digits and joiners), so terms compare as the sequences
    of their words' ranks, a term before any longer term it begins: each term is a row of
    1 + its words' ranks, padded with 0, and rows are sorted column by column.
    """
    word_rank = np.empty(len(words), dtype=np.int64)
    word_rank[words.arg_sort().to_numpy()] = np.arange(len(words))
    width = max(part.shape[1] for part in grams)
    digits = np.concatenate(  # 1 + the word's rank, 0 past the term's end
        [np.pad(word_rank[part] + 1, ((0, 0), (0, width - part.shape[1]))) for part in grams]
    )
    alphabetical = np.empty(len(digits), dtype=np.int64)
    alphabetical[_sorted_rows(list(digits.T), [len(words) + 1] * width)] = np.arange(len(digits))
    return alphabetical


def _sorted_rows(columns: list[np.ndarray], radices: list[int]) -> np.ndarray:
    """The order of the rows sorted by ``columns``, the first one first; rows must be distinct.

    Column ``j`` holds integers ``0 <= x < radices[j]``. Where the product of the radices fits in
    63 bits, each row is one mixed-radix integer and a single argsort orders them (several times
    faster than ``np.lexsort``, which sorts once per column); distinct rows make the order unique.
    """
    if math.prod(radices) < 2**63:
        key = np.zeros(len(columns[0]), dtype=np.int64)
        for column, radix in zip(columns, radices, strict=True):
            key *= radix
            key += column
        return np.argsort(key)
    return np.lexsort(columns[::-1])


def _no_rows() -> dict[str, np.ndarray]:
    """The aggregate with no rows."""
    return {c: np.zeros(0, dtype=object if c == "term" else np.int64) for c in _AGG_COLUMNS}


def _count_python(
    texts, group_codes, article_codes, ngram_range, stops, with_pooled
) -> dict[str, np.ndarray]:
    """The reference: :func:`analysis.corpus.text.tokenize` and Python counters; the aggregate as ``_count_polars``'."""
    n: Counter = Counter()
    units: Counter = Counter()
    articles: defaultdict = defaultdict(set)
    for text, g, a in zip(texts, group_codes, article_codes, strict=True):
        toks = textmod.tokenize(text)
        grams: Counter = Counter()
        for size in range(ngram_range[0], ngram_range[1] + 1):
            for i in range(len(toks) - size + 1):
                if toks[i] not in stops and toks[i + size - 1] not in stops:
                    grams[(" ".join(toks[i : i + size]), size)] += 1
        for key, value in grams.items():
            n[(g, *key)] += value
            units[(g, *key)] += 1
            articles[(g, *key)].add(a)
    pooled: defaultdict = defaultdict(set)
    for (_g, term, _size), arts in articles.items():
        pooled[term] |= arts
    rows = [
        (g, term, size, value, units[(g, term, size)], len(articles[(g, term, size)]), len(pooled[term]))
        for (g, term, size), value in n.items()
    ]
    out = pd.DataFrame(rows, columns=_AGG_COLUMNS).sort_values(
        ["g", "n", "term"], ascending=[True, False, True], kind="mergesort", ignore_index=True
    )
    return {c: out[c].to_numpy() for c in _AGG_COLUMNS}


def collapse_counts(counts: pd.DataFrame, *, by: str | Sequence[str] = "outlet") -> pd.DataFrame:
    """Sum finer counts (e.g. per outlet and article) into coarser groups.

    ``n`` and ``n_units`` add up; ``n_articles`` becomes the number of finer rows
    per term, which is exact when the finer grouping includes ``article_id`` (each
    article belongs to one group). Counting by ``['outlet', 'article_id']`` once and
    collapsing gives the same table as counting by ``'outlet'``, and keeps the
    article-level table for bootstrap intervals.

    Returns
    -------
    DataFrame
        Schema ``TermCounts``: the ``by`` column(s), ``term``, ``ngram``, ``n``, ``n_units``, ``n_articles``.
    """
    by = [by] if isinstance(by, str) else list(by)
    missing = [c for c in [*by, *COUNT_COLUMNS] if c not in counts.columns]
    if missing:
        raise ValueError(f"counts lacks column(s) {missing}")
    if "article_id" not in counts.columns:
        raise ValueError(
            "collapse_counts needs article-level counts (a column 'article_id'); "
            "count with by=[..., 'article_id'] first"
        )
    order = counts[by].drop_duplicates()
    grouped = (
        counts.groupby([*by, "term", "ngram"], sort=False)
        .agg(n=("n", "sum"), n_units=("n_units", "sum"), n_articles=("article_id", "nunique"))
        .reset_index()
    )
    rank = (
        pd.MultiIndex.from_frame(order).get_indexer(pd.MultiIndex.from_frame(grouped[by]))
        if len(by) > 1
        else (pd.Index(order[by[0]]).get_indexer(grouped[by[0]]))
    )
    grouped = grouped.assign(_g=rank).sort_values(
        ["_g", "n", "term"], ascending=[True, False, True], kind="mergesort"
    )
    out = grouped.drop(columns="_g").reset_index(drop=True)[[*by, *COUNT_COLUMNS]]
    return validate(out.astype({c: "int64" for c in COUNT_COLUMNS[1:]}), TermCounts, table="term_counts")
