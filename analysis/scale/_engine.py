"""Run per-batch analyses over corpora too large for memory, locally or on a Dask cluster.

The input is cut into *partitions* (parquet row groups or shards, byte ranges of a .jsonl file,
or batches read on the client for .csv and manifest folders). Each partition becomes a
:class:`~analysis.corpus._load.Corpus` of at most about ``batch_size`` articles, a per-batch function
runs on it, and the client merges the results:

* :func:`map_corpus` concatenates per-batch tables in input order: exact for every analysis whose
  rows depend only on one article (quotes, numbers, frames, tone, naming choices).
* :func:`count_terms_at_scale` sums per-batch term counts: exact, because ``n``, ``n_units`` and
  ``n_articles`` are additive when no article spans two batches. Optional vocabulary pruning
  (``max_terms``) bounds memory and is reported.

``engine="local"`` processes the partitions one after another in this process;
``engine="dask"`` submits them to a dask.distributed cluster (``scheduler`` address, or a
``LocalCluster`` started for the call) where workers read their own partitions from storage
that they can see, so only per-batch results travel back.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import pandas as pd

from analysis.corpus import (
    Corpus,
    CorpusError,
    boilerplate_rules,
    build_corpus,
    iter_records,
    jsonl_records,
    parquet_records,
    require_file,
)
from analysis.infra.cluster import dask_client
from analysis.infra.patches import vectorize_pandera_str_check
from analysis.terms import count_terms

__all__ = ["Partition", "plan_partitions", "map_corpus", "count_terms_at_scale", "ScaledCounts"]


@dataclass(frozen=True)
class Partition:
    """A slice of the input that one task reads by itself."""

    kind: Literal["parquet", "jsonl", "records"]
    path: str
    index: int
    row_groups: tuple[int, ...] = ()
    byte_range: tuple[int, int] = (0, 0)
    first_line: int = 1
    records: tuple = ()  # only for 'records': rows read on the client


def plan_partitions(path: str | Path, *, batch_size: int = 10_000) -> list[Partition]:
    """Cut ``path`` into partitions of about ``batch_size`` articles.

    Parquet files are split at row-group boundaries (a row group is never split), .jsonl files at
    line boundaries by bytes (estimated from the average line length); other inputs are read on the
    client in batches of ``batch_size``.
    """
    import pyarrow.parquet as pq

    path = Path(path)
    if not path.exists():
        raise CorpusError(f"{path}: no such file or folder")
    files = sorted(path.glob("*.parquet")) if path.is_dir() and not _has_manifest(path) else [path]
    parts: list[Partition] = []
    if files and all(f.suffix.lower() == ".parquet" for f in files):
        for f in files:
            meta = pq.ParquetFile(require_file(f)).metadata  # a FIFO named x.parquet would block the open
            group, rows = [], 0
            for rg in range(meta.num_row_groups):
                group.append(rg)
                rows += meta.row_group(rg).num_rows
                if rows >= batch_size:
                    parts.append(Partition("parquet", str(f), len(parts), row_groups=tuple(group)))
                    group, rows = [], 0
            if group:
                parts.append(Partition("parquet", str(f), len(parts), row_groups=tuple(group)))
        return parts
    if path.is_file() and path.suffix.lower() == ".jsonl":
        return _jsonl_partitions(path, batch_size)
    batch: list[dict] = []
    for rec in iter_records(path, chunk_rows=batch_size):
        batch.append(rec)
        if len(batch) == batch_size:
            parts.append(Partition("records", str(path), len(parts), records=tuple(batch)))
            batch = []
    if batch:
        parts.append(Partition("records", str(path), len(parts), records=tuple(batch)))
    return parts


def _has_manifest(folder: Path) -> bool:
    return (folder / "manifest.csv").exists() or (folder / "manifest.toml").exists()


def _jsonl_partitions(path: Path, batch_size: int) -> list[Partition]:
    """Cut a .jsonl file at line starts about every ``batch_size`` lines' worth of bytes, in one
    sequential pass that also numbers the lines (so workers' messages name the right line)."""
    with path.open("rb") as fh:
        sample = [len(line) for _, line in zip(range(1000), fh, strict=False)]
    target = max(1, int(sum(sample) / max(1, len(sample)) * batch_size))
    parts, start, first_line, pos, line_no = [], 0, 1, 0, 1
    with path.open("rb") as fh:
        for raw in fh:
            pos += len(raw)
            line_no += 1
            if pos - start >= target:
                parts.append(
                    Partition("jsonl", str(path), len(parts), byte_range=(start, pos), first_line=first_line)
                )
                start, first_line = pos, line_no
    if pos > start:
        parts.append(
            Partition("jsonl", str(path), len(parts), byte_range=(start, pos), first_line=first_line)
        )
    return parts


def _partition_records(part: Partition) -> Iterator[dict]:
    if part.kind == "records":
        return iter(part.records)
    if part.kind == "parquet":
        return parquet_records(Path(part.path), 10_000, row_groups=list(part.row_groups))
    return jsonl_records(Path(part.path), part.byte_range, part.first_line)


def _run_partition(
    part: Partition, func: Callable[[Corpus], pd.DataFrame], rules: pd.DataFrame | None
) -> pd.DataFrame:
    corpus = build_corpus(
        _partition_records(part),
        rules=rules,
        source=f"{part.path}#{part.index}",
        sentences=getattr(func, "needs_sentences", True),
    )
    return func(corpus)


def _execute(
    parts: list[Partition],
    func,
    *,
    engine: str,
    scheduler: str | None,
    n_workers: int,
    rules: pd.DataFrame | None,
) -> Iterator[pd.DataFrame]:
    """Per-partition results, in partition order."""
    if engine == "local":
        for part in parts:
            yield _run_partition(part, func, rules)
        return
    if engine != "dask":
        raise ValueError(f"engine must be 'local' or 'dask', not {engine!r}")
    with dask_client(scheduler, n_workers) as client:
        client.run(vectorize_pandera_str_check)  # workers validate as fast as this process does after setup()
        futures = [client.submit(_run_partition, part, func, rules, pure=False) for part in parts]
        for future in futures:  # in order; later partitions keep running meanwhile
            yield future.result()
            future.release()


def map_corpus(
    path: str | Path,
    func: Callable[[Corpus], pd.DataFrame],
    *,
    batch_size: int = 10_000,
    engine: Literal["local", "dask"] = "local",
    scheduler: str | None = None,
    n_workers: int = 2,
    boilerplate=None,
) -> pd.DataFrame:
    """Apply ``func`` (a module-level function of a Corpus returning a DataFrame) batch by batch.

    Returns
    -------
    DataFrame
        The per-batch tables concatenated in input order (same columns as ``func``'s output).
    """
    parts = plan_partitions(path, batch_size=batch_size)
    rules = boilerplate_rules(boilerplate)
    tables = list(_execute(parts, func, engine=engine, scheduler=scheduler, n_workers=n_workers, rules=rules))
    return pd.concat(tables, ignore_index=True) if tables else pd.DataFrame()


@dataclass
class ScaledCounts:
    """Merged term counts with what it took to get them."""

    counts: pd.DataFrame
    n_batches: int
    n_articles: int
    n_tokens: int
    pruned_terms: int = 0
    pruned_occurrences: int = 0
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _BatchCounter:
    unit: str
    kwargs: tuple

    @property
    def needs_sentences(self) -> bool:
        return self.unit == "sentences"

    def __call__(self, corpus: Corpus) -> pd.DataFrame:
        counts = count_terms(corpus.units(self.unit), by="outlet", **dict(self.kwargs))
        # sizes travel with the counts, so the client never needs the texts
        return counts.assign(
            _articles=len(corpus.articles),
            _tokens=int(corpus.articles["n_words"].sum()),
            _outlets="\x1f".join(corpus.outlets),
        )


def count_terms_at_scale(
    path: str | Path,
    *,
    unit: Literal["paragraphs", "sentences", "articles"] = "paragraphs",
    ngram_range: tuple[int, int] = (1, 2),
    stop_words="english",
    min_count: int = 1,
    max_terms: int | None = None,
    batch_size: int = 10_000,
    engine: Literal["local", "dask"] = "local",
    scheduler: str | None = None,
    n_workers: int = 2,
    boilerplate=None,
) -> ScaledCounts:
    """Term counts per outlet over a corpus of any size, identical to ``count_terms`` in memory.

    Parameters
    ----------
    path : path
        Any input :func:`analysis.corpus._load.load_corpus` accepts.
    unit : 'paragraphs', 'sentences' or 'articles'
    ngram_range, stop_words, min_count
        As in :func:`analysis.terms._counts.count_terms` (``min_count`` is applied after merging).
    max_terms : int, optional
        Bound on distinct (outlet, term) rows kept while merging. When exceeded, the rarest terms
        (pooled count) are dropped until it fits; dropped terms and occurrences are reported in
        :class:`ScaledCounts`. ``None`` (default) keeps everything: exact.
    batch_size, engine, scheduler, n_workers
        See the module docstring.

    Returns
    -------
    ScaledCounts
        ``counts`` has the columns of ``count_terms``: ``outlet``, ``term``, ``ngram``, ``n``,
        ``n_units``, ``n_articles``, ordered as ``count_terms`` orders them.
    """
    parts = plan_partitions(path, batch_size=batch_size)
    rules = boilerplate_rules(boilerplate)
    counter = _BatchCounter(unit, (("ngram_range", tuple(ngram_range)), ("stop_words", stop_words)))
    merged: pd.DataFrame | None = None
    outlets: dict[str, None] = {}
    result = ScaledCounts(pd.DataFrame(), 0, 0, 0)
    for batch in _execute(
        parts, counter, engine=engine, scheduler=scheduler, n_workers=n_workers, rules=rules
    ):
        result.n_batches += 1
        if batch.empty:
            continue
        result.n_articles += int(batch["_articles"].iat[0])
        result.n_tokens += int(batch["_tokens"].iat[0])
        outlets.update(dict.fromkeys(batch["_outlets"].iat[0].split("\x1f")))
        batch = batch.drop(columns=["_articles", "_tokens", "_outlets"])
        merged = batch if merged is None else _sum_counts([merged, batch])
        if max_terms is not None and len(merged) > max_terms:
            merged = _prune(merged, max_terms, result)
    if merged is None:
        raise CorpusError(f"{path}: no countable text")
    merged = merged[merged.groupby("term")["n"].transform("sum") >= min_count]
    order = {o: i for i, o in enumerate(outlets)}
    merged = (
        merged.assign(_o=merged["outlet"].map(order))
        .sort_values(["_o", "n", "term"], ascending=[True, False, True], kind="mergesort")
        .drop(columns="_o")
    )
    result.counts = merged.reset_index(drop=True)
    if result.pruned_terms:
        result.notes.append(
            f"vocabulary pruned to {max_terms} rows: {result.pruned_terms} (outlet, term) rows and "
            f"{result.pruned_occurrences} occurrences dropped; counts of kept terms may be low "
            "by at most the pruning threshold per merge"
        )
    return result


def _sum_counts(frames: list[pd.DataFrame]) -> pd.DataFrame:
    both = pd.concat(frames, ignore_index=True)
    return both.groupby(["outlet", "term", "ngram"], sort=False, as_index=False)[
        ["n", "n_units", "n_articles"]
    ].sum()


def _prune(merged: pd.DataFrame, max_terms: int, result: ScaledCounts) -> pd.DataFrame:
    """Keep the most frequent terms (pooled over outlets; ties by term) whose rows fit in ``max_terms``."""
    per_term = merged.groupby("term").agg(pooled=("n", "sum"), rows=("n", "size")).reset_index()
    per_term = per_term.sort_values(["pooled", "term"], ascending=[False, True], kind="mergesort")
    kept = set(per_term.loc[per_term["rows"].cumsum() <= max_terms, "term"])
    mask = merged["term"].isin(kept)
    result.pruned_terms += int((~mask).sum())
    result.pruned_occurrences += int(merged.loc[~mask, "n"].sum())
    return merged.loc[mask]
