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

``engine="local"`` processes the partitions in this machine's processes: :func:`map_corpus` one
after another in this process (its function may be a closure), :func:`count_terms_at_scale` in this
process and a pool of ``n_workers - 1`` spawned ones, a few partitions ahead of the merge (memory
stays bounded: at most ``2 * n_workers`` batch results wait); ``engine="dask"`` submits them to a
dask.distributed cluster (``scheduler`` address, or a ``LocalCluster`` started for the call) where
workers read their own partitions from storage that they can see, so only per-batch results travel
back (for :func:`count_terms_at_scale` without ``max_terms`` not even those: each worker adds up
the batches it counted, the workers' sums are added once, and one table comes back, so the client
does not compete with them for cores). Either way the result does not depend on which process ran
what: outlets keep their order of first appearance in the input. Spawned processes re-import a
script's main module: call from a notebook, or under ``if __name__ == "__main__":`` in a script (as
for Dask).
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

import pandas as pd
import polars as pl

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
from analysis.infra.cluster import dask_client, summed_where_held
from analysis.schemas import validate
from analysis.schemas.terms import TermCounts
from analysis.terms import tally_terms

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
    n_bytes: int = 0  # its size as stored (parquet: uncompressed), to judge whether a pool pays


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
            group, rows, size = [], 0, 0
            for rg in range(meta.num_row_groups):
                group.append(rg)
                rows += meta.row_group(rg).num_rows
                size += meta.row_group(rg).total_byte_size
                if rows >= batch_size:
                    parts.append(
                        Partition("parquet", str(f), len(parts), row_groups=tuple(group), n_bytes=size)
                    )
                    group, rows, size = [], 0, 0
            if group:
                parts.append(Partition("parquet", str(f), len(parts), row_groups=tuple(group), n_bytes=size))
        return parts
    if path.is_file() and path.suffix.lower() == ".jsonl":
        return _jsonl_partitions(path, batch_size)
    batch: list[dict] = []
    for rec in iter_records(path, chunk_rows=batch_size):
        batch.append(rec)
        if len(batch) == batch_size:
            parts.append(_records_partition(path, len(parts), batch))
            batch = []
    if batch:
        parts.append(_records_partition(path, len(parts), batch))
    return parts


def _records_partition(path: Path, index: int, batch: list[dict]) -> Partition:
    size = sum(len(str(rec.get("text") or "")) for rec in batch)
    return Partition("records", str(path), index, records=tuple(batch), n_bytes=size)


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
                parts.append(_jsonl_partition(path, len(parts), start, pos, first_line))
                start, first_line = pos, line_no
    if pos > start:
        parts.append(_jsonl_partition(path, len(parts), start, pos, first_line))
    return parts


def _jsonl_partition(path: Path, index: int, start: int, end: int, first_line: int) -> Partition:
    return Partition(
        "jsonl", str(path), index, byte_range=(start, end), first_line=first_line, n_bytes=end - start
    )


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
        lean=getattr(func, "lean", False),
    )
    return func(corpus)


def _in_processes(
    parts: list[Partition], func, rules: pd.DataFrame | None, n_workers: int
) -> Iterator[pd.DataFrame]:
    """Per-partition results from this process and ``n_workers - 1`` spawned ones, in partition order.

    This process takes every ``n_workers``-th partition itself (it is already set up, and waits
    anyway), the pool the others; at most ``2 * n_workers`` of the pool's partitions wait
    ahead of the one being yielded, so memory stays bounded however many partitions there are. Processes
    are spawned, never forked: a fork of a process whose polars threads have started can deadlock.
    """
    pool = ProcessPoolExecutor(
        max_workers=n_workers - 1,
        mp_context=multiprocessing.get_context("spawn"),
        # one polars thread per process (the processes are the parallelism): set before the
        # first task imports polars, by a function whose unpickling imports nothing
        initializer=os.putenv,
        initargs=("POLARS_MAX_THREADS", "1"),
    )
    submitted: dict[int, object] = {}
    ahead = iter(i for i in range(len(parts)) if i % n_workers)  # the pool's share, in order

    try:
        for index, part in enumerate(parts):
            while len(submitted) < 2 * n_workers and (i := next(ahead, None)) is not None:
                submitted[i] = pool.submit(_run_partition, parts[i], func, rules)
            if index % n_workers:
                yield submitted.pop(index).result()
            else:
                yield _run_partition(part, func, rules)
    finally:  # an error (or a caller that stops early) cancels what has not started
        pool.shutdown(wait=True, cancel_futures=True)


#: Input (bytes as stored) below which the local engine counts in this process alone: a spawned
#: process (imports, compiled kernels) costs more than it saves on less. Set between two measured
#: points (bench_scale.py, fresh processes): 10,000 articles, 37 MB: 2.1 s in one process, 3.5 s
#: with two; 100,000 articles, 368 MB: 12.1 s vs 8.0 s.
POOL_MIN_BYTES = 64 << 20


def _pool_pays(parts: list[Partition]) -> bool:
    """Whether the partitions hold enough input for a spawned process to pay for its start."""
    return sum(part.n_bytes for part in parts) >= POOL_MIN_BYTES


def _execute(
    parts: list[Partition],
    func,
    *,
    engine: str,
    scheduler: str | None,
    n_workers: int,
    rules: pd.DataFrame | None,
    local_processes: bool = False,
) -> Iterator[pd.DataFrame]:
    """Per-partition results, in partition order (``local_processes``: the local engine uses a pool)."""
    if engine == "local":
        if local_processes and n_workers > 1 and len(parts) > 1 and _pool_pays(parts):
            yield from _in_processes(parts, func, rules, min(n_workers, len(parts)))
            return
        for part in parts:
            yield _run_partition(part, func, rules)
        return
    if engine != "dask":
        raise ValueError(f"engine must be 'local' or 'dask', not {engine!r}")
    with dask_client(scheduler, n_workers) as client:
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
class _BatchCounts:
    """One batch's term counts (polars, unvalidated: they travel to the client as Arrow buffers, not
    per-string pickles, and the merged table is validated once) with the sizes the client adds up, so
    it never needs the texts. ``first_seen`` keeps the outlets' order of first appearance however
    batches are added up: outlet -> (partition index, position among the partition's outlets). The
    index is 0 as counted; :func:`_counted_partition` sets it where batches are added in any order
    (Dask), the local engine takes them in partition order and needs none."""

    counts: pl.DataFrame  # outlet, term, ngram, n, n_units, n_articles
    n_articles: int
    n_tokens: int
    first_seen: dict[str, tuple[int, int]]

    @property
    def outlets(self) -> tuple[str, ...]:
        """The outlets in order of first appearance."""
        return tuple(sorted(self.first_seen, key=self.first_seen.__getitem__))


@dataclass(frozen=True)
class _BatchCounter:
    unit: str
    kwargs: tuple

    @property
    def needs_sentences(self) -> bool:
        return self.unit == "sentences"

    lean = True  # counting reads no paragraph roles, quoted characters or detected titles

    def __call__(self, corpus: Corpus) -> _BatchCounts:
        counts = tally_terms(corpus.units(self.unit), by="outlet", **dict(self.kwargs))
        return _BatchCounts(
            counts.select(*_KEYS, *_ADDITIVE),
            len(corpus.articles),
            int(corpus.articles["n_words"].sum()),
            {outlet: (0, position) for position, outlet in enumerate(corpus.outlets)},
        )


def _counted_partition(part: Partition, counter: _BatchCounter, rules) -> _BatchCounts:
    """One partition's counts, its outlets placed by the partition's index (for sums in any order)."""
    batch = _run_partition(part, counter, rules)
    return replace(
        batch, first_seen={outlet: (part.index, at) for outlet, (_, at) in batch.first_seen.items()}
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
    batch_size, engine, scheduler
        See the module docstring.
    n_workers : int
        Processes of the local engine (1: this process alone; default 2, one per core of a
        2-core machine; inputs under :data:`POOL_MIN_BYTES` are counted in this process alone, as a
        spawned process costs more than it saves there), or workers of the ``LocalCluster`` Dask
        starts. Results do not depend on it.

    Returns
    -------
    ScaledCounts
        ``counts`` has the columns of ``count_terms``: ``outlet``, ``term``, ``ngram``, ``n``,
        ``n_units``, ``n_articles``, ordered as ``count_terms`` orders them.
    """
    parts = plan_partitions(path, batch_size=batch_size)
    rules = boilerplate_rules(boilerplate)
    counter = _BatchCounter(unit, (("ngram_range", tuple(ngram_range)), ("stop_words", stop_words)))
    totals = _Totals(max_terms)
    outlets: dict[str, None] = {}
    result = ScaledCounts(pd.DataFrame(), 0, 0, 0)
    if engine == "dask" and max_terms is None:  # the workers add the batches up: one table comes back
        batches = [_summed_on_workers(parts, counter, rules, scheduler=scheduler, n_workers=n_workers)]
    else:
        batches = _execute(
            parts,
            counter,
            engine=engine,
            scheduler=scheduler,
            n_workers=n_workers,
            rules=rules,
            local_processes=True,
        )
    for batch in batches:
        if batch.counts.is_empty():
            continue
        result.n_articles += batch.n_articles
        result.n_tokens += batch.n_tokens
        outlets.update(dict.fromkeys(batch.outlets))
        totals.add(batch.counts)
    result.n_batches = len(parts)  # the local engine yields one batch per partition
    if totals.empty:
        raise CorpusError(f"{path}: no countable text")
    merged = totals.table()
    result.pruned_terms, result.pruned_occurrences = totals.pruned_terms, totals.pruned_occurrences
    merged = merged[merged.groupby("term")["n"].transform("sum") >= min_count]
    order = {o: i for i, o in enumerate(outlets)}
    merged = (
        merged.assign(_o=merged["outlet"].map(order))
        .sort_values(["_o", "n", "term"], ascending=[True, False, True], kind="mergesort")
        .drop(columns="_o")
    )
    result.counts = validate(merged.reset_index(drop=True), TermCounts, table="term_counts")
    if result.pruned_terms:
        result.notes.append(
            f"vocabulary pruned to {max_terms} rows: {result.pruned_terms} (outlet, term) rows and "
            f"{result.pruned_occurrences} occurrences dropped; counts of kept terms may be low "
            "by at most the pruning threshold per merge"
        )
    return result


_KEYS = ["outlet", "term", "ngram"]
_ADDITIVE = ["n", "n_units", "n_articles"]


def _added(*batches: _BatchCounts) -> _BatchCounts:
    """Batches' counts as one, whatever their order (each outlet keeps its earliest ``first_seen``);
    a batch without counts adds nothing, as :func:`count_terms_at_scale` skips it."""
    counted = [batch for batch in batches if not batch.counts.is_empty()]
    if len(counted) <= 1:
        return counted[0] if counted else batches[0]
    first_seen: dict[str, tuple[int, int]] = {}
    for batch in counted:
        for outlet, place in batch.first_seen.items():
            first_seen[outlet] = min(place, first_seen.get(outlet, place))
    return _BatchCounts(
        pl.concat([batch.counts for batch in counted]).group_by(_KEYS).agg(pl.col(_ADDITIVE).sum()),
        sum(batch.n_articles for batch in counted),
        sum(batch.n_tokens for batch in counted),
        first_seen,
    )


def _summed_on_workers(
    parts: list[Partition], counter: _BatchCounter, rules, *, scheduler: str | None, n_workers: int
) -> _BatchCounts:
    """Every partition's counts added up on the Dask workers, each worker adding the batches it
    counted (:func:`analysis.infra.cluster.summed_where_held`); the client receives one table."""
    if not parts:
        return _BatchCounts(pl.DataFrame(), 0, 0, {})
    with dask_client(scheduler, n_workers) as client:
        batches = (client.submit(_counted_partition, part, counter, rules, pure=False) for part in parts)
        return summed_where_held(client, batches, _added).result()  # each batch freed once added


class _Totals:
    """Per-batch counts summed per (outlet, term, ngram), in polars.

    Without ``max_terms`` batches wait and are summed many at once, when they hold more rows than
    the running totals (or :attr:`MIN_SUM_ROWS`): each row is then summed a bounded number of times
    instead of the whole vocabulary once per batch. With ``max_terms`` every batch is summed and the
    totals pruned at once (the pruning is reported, so when it happens must not change).
    """

    MIN_SUM_ROWS = 1_000_000

    def __init__(self, max_terms: int | None) -> None:
        self.max_terms = max_terms
        self.pruned_terms = self.pruned_occurrences = 0
        self._summed: pl.DataFrame | None = None
        self._waiting: list[pl.DataFrame] = []
        self._waiting_rows = 0

    @property
    def empty(self) -> bool:
        return self._summed is None and not self._waiting

    def add(self, batch: pl.DataFrame) -> None:
        self._waiting.append(batch)
        self._waiting_rows += batch.height
        summed_rows = 0 if self._summed is None else self._summed.height
        if self.max_terms is not None or self._waiting_rows >= max(self.MIN_SUM_ROWS, summed_rows):
            self._sum()
        if self.max_terms is not None and self._summed.height > self.max_terms:
            self._prune()

    def table(self) -> pd.DataFrame:
        """The totals: ``outlet``, ``term``, ``ngram``, ``n``, ``n_units``, ``n_articles`` (rows unordered)."""
        self._sum()
        return self._summed.to_pandas()

    def _sum(self) -> None:
        frames = [] if self._summed is None else [self._summed]
        self._summed = pl.concat([*frames, *self._waiting]).group_by(_KEYS).agg(pl.col(_ADDITIVE).sum())
        self._waiting, self._waiting_rows = [], 0

    def _prune(self) -> None:
        """Keep the most frequent terms (pooled over outlets; ties by term) whose rows fit in ``max_terms``."""
        per_term = (
            self._summed.group_by("term")
            .agg(pooled=pl.col("n").sum(), rows=pl.len())
            .sort(["pooled", "term"], descending=[True, False])
        )
        kept = per_term.filter(pl.col("rows").cum_sum() <= self.max_terms)["term"]
        is_kept = pl.col("term").is_in(kept.implode())
        dropped = self._summed.filter(~is_kept)
        self.pruned_terms += dropped.height
        self.pruned_occurrences += int(dropped["n"].sum())
        self._summed = self._summed.filter(is_kept)
