"""``ingest``: saved pages, WARC files and feeds into a corpus folder that ``load_corpus`` reads.

The folder holds ``manifest.csv`` (schema :class:`analysis.schemas.ingest.IngestedArticles`),
``texts/<article_id>.txt``, ``diffs/<article_id>.diff`` (each later version of a URL against the
one before) and ``skipped.csv`` (every input that did not become an article, and why). Texts are
written as pages are extracted, so memory holds one batch of pages plus a fingerprint per article.
"""

from __future__ import annotations

import csv
import difflib
import os
import shutil
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

import pandas as pd

from analysis.corpus import CorpusError, require_file
from analysis.infra.atomic import write_bytes_atomic
from analysis.infra.cluster import dask_client
from analysis.ingest._dedup import Fingerprint, fingerprint, link_duplicates, link_versions
from analysis.ingest._extract import Extracted, extract_page
from analysis.ingest._sources import FeedEntry, Page, Skip, feed_entries, normalise_url, pages, split_sources
from analysis.nlp import progress as progress_bar
from analysis.schemas import frame, validate
from analysis.schemas.ingest import IngestedArticles, SkippedInputs

__all__ = ["OUTPUT_ENTRIES", "Ingested", "ingest"]

#: What an ingest writes into its output folder (nothing else there is touched).
OUTPUT_ENTRIES = ("manifest.csv", "skipped.csv", "texts", "diffs")


@dataclass(frozen=True)
class Ingested:
    """What an ingest wrote: the manifest, the inputs set aside, and notes for the reader."""

    articles: pd.DataFrame
    skipped: pd.DataFrame
    notes: list[str] = field(default_factory=list)


def _outlet_table(outlet_map: Mapping[str, str] | str | os.PathLike | None) -> dict[str, str]:
    """Domain -> outlet, from a mapping or a CSV file with columns ``domain`` and ``outlet``."""
    if outlet_map is None:
        return {}
    if isinstance(outlet_map, Mapping):
        return {str(k).lower().removeprefix("www."): str(v) for k, v in outlet_map.items()}
    path = require_file(outlet_map)
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    if not rows or not {"domain", "outlet"} <= set(rows[0]):
        raise CorpusError(f"{path}: an outlet map needs the columns 'domain' and 'outlet'")
    return {
        r["domain"].strip().lower().removeprefix("www."): r["outlet"].strip() for r in rows if r["domain"]
    }


def _feed_table(feeds: list[Path]) -> dict[str, FeedEntry]:
    """Normalised URL -> its entry (the first in sorted file order when several feeds list it)."""
    table: dict[str, FeedEntry] = {}
    for path in sorted(feeds):
        for entry in feed_entries(path):
            table.setdefault(normalise_url(entry.url), entry)
    return table


def _fetched(urls: Iterable[str]) -> Iterator[Page | Skip]:
    """Pages downloaded now (``fetch=True`` only; needs the network)."""
    import trafilatura  # defers trafilatura until pages are fetched

    for url in urls:
        response = trafilatura.fetch_response(url, decode=False)
        if response is None or response.status != 200:
            status = "no response" if response is None else f"HTTP status {response.status}"
            yield Skip(f"fetched {url}", url, status)
            continue
        crawled = datetime.now(UTC).isoformat(timespec="seconds")
        yield Page(raw=response.data, origin=f"fetched {url}", url=url, crawled=crawled)


@dataclass(frozen=True)
class _Extractor:
    """Extraction and fingerprinting of a batch of pages (a picklable callable for Dask workers)."""

    feeds: Mapping[str, FeedEntry]
    outlet_map: Mapping[str, str]
    now: datetime
    shingle_size: int
    num_perm: int

    def __call__(self, batch: list[Page | Skip]) -> list[tuple[Extracted, Fingerprint] | Skip]:
        results: list[tuple[Extracted, Fingerprint] | Skip] = []
        for item in batch:
            found = (
                item
                if isinstance(item, Skip)
                else extract_page(item, feeds=self.feeds, outlet_map=self.outlet_map, now=self.now)
            )
            if isinstance(found, Skip):
                results.append(found)
                continue
            print_ = fingerprint(
                found.fields,
                found.text,
                found.url_key,
                shingle_size=self.shingle_size,
                num_perm=self.num_perm,
            )
            results.append((found, print_))
        return results


def _batches(items: Iterable, size: int) -> Iterator[list]:
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _run(
    batches: Iterator[list], func: _Extractor, *, engine: str, scheduler: str | None, n_workers: int
) -> Iterator[list]:
    """``func`` of every batch, in order: here, or on a dask.distributed cluster (as ``analysis.scale`` does),
    with at most two batches per worker in flight so that memory stays bounded."""
    if engine == "local":
        yield from map(func, batches)
        return
    if engine != "dask":
        raise ValueError(f"engine must be 'local' or 'dask', not {engine!r}")
    with dask_client(scheduler, n_workers) as client:
        pending = []
        for batch in batches:
            pending.append(client.submit(func, batch, pure=False))
            if len(pending) >= 2 * n_workers:
                yield pending.pop(0).result()
        for future in pending:
            yield future.result()


def _refuse_taken(out: Path) -> None:
    if out.exists() and not out.is_dir():
        raise CorpusError(f"{out}: is a file, not a folder; refused")
    taken = sorted(name for name in OUTPUT_ENTRIES if os.path.lexists(out / name))
    if taken:
        raise CorpusError(
            f"{out}: already holds {', '.join(taken)}; ingest into a new or empty folder "
            "(the command line `coverage-compare ingest` can replace its own earlier output)"
        )


def ingest(
    sources: Iterable[str | os.PathLike],
    out: str | os.PathLike,
    *,
    outlet_map: Mapping[str, str] | str | os.PathLike | None = None,
    fetch: bool = False,
    near_duplicate: float = 0.8,
    shingle_size: int = 5,
    num_perm: int = 128,
    batch_size: int = 50,
    engine: Literal["local", "dask"] = "local",
    scheduler: str | None = None,
    n_workers: int = 2,
    progress: bool = True,
) -> Ingested:
    """Extract articles from saved pages, WARC files and feeds into the corpus folder ``out``.

    Parameters
    ----------
    sources : iterable of paths
        ``.html``/``.htm`` files, ``.warc``/``.warc.gz`` files, RSS/Atom feeds or sitemaps
        (``.xml``, ``.rss``, ``.atom``), or folders of them (walked in sorted order). Feeds give
        titles, dates and authors to the pages of their URLs.
    out : path
        Corpus folder to write; it must not hold any of :data:`OUTPUT_ENTRIES` (nothing is replaced).
    outlet_map : mapping or path, optional
        Domain -> outlet name (a parent domain matches its subdomains), or a CSV file with columns
        ``domain`` and ``outlet``. Without an entry the outlet is the URL's registered domain.
    fetch : bool
        Download the URLs that feeds list and no saved page or WARC record holds (needs the network).
    near_duplicate : float
        Shingle Jaccard from which two texts are near-duplicates.
    shingle_size, num_perm : int
        Words per shingle and MinHash permutations.
    batch_size : int
        Pages per batch handed to the engine.
    engine, scheduler, n_workers :
        Where pages are extracted: ``"local"`` (this process) or ``"dask"`` (a scheduler address, or
        a LocalCluster of ``n_workers``). Results do not depend on it.
    progress : bool
        Show a bar of pages read on stderr.

    Returns
    -------
    Ingested
        ``articles``: the manifest, columns ``article_id``, ``file``, ``outlet``, ``title``,
        ``published``, ``published_precision``, ``modified``, ``author``, ``language``, ``url``,
        ``crawled``, ``duplicate_group``, ``duplicate_kind``, ``version_of``, ``version``, ``diff``,
        ``provenance``, ``origin``; ``skipped``: ``origin``, ``url``, ``reason``; ``notes``.

    Raises
    ------
    CorpusError
        One line naming the input or the folder and what is wrong.
    """
    out = Path(out)
    _refuse_taken(out)
    table = _outlet_table(outlet_map)
    feed_files, documents = split_sources(sources)
    feeds = _feed_table(feed_files)
    extractor = _Extractor(feeds, table, datetime.now(UTC), shingle_size, num_perm)
    created = [p for p in (out, out / "texts", out / "diffs") if not p.exists()]
    try:
        return _write(
            out,
            documents,
            feeds,
            extractor,
            fetch=fetch,
            near_duplicate=near_duplicate,
            batch_size=batch_size,
            engine=engine,
            scheduler=scheduler,
            n_workers=n_workers,
            progress=progress,
        )
    except BaseException:
        for path in reversed(created):  # only what this call created
            shutil.rmtree(path, ignore_errors=True)
        raise


def _write(
    out: Path,
    documents,
    feeds,
    extractor: _Extractor,
    *,
    fetch: bool,
    near_duplicate: float,
    batch_size: int,
    engine: str,
    scheduler: str | None,
    n_workers: int,
    progress: bool,
) -> Ingested:
    (out / "texts").mkdir(parents=True, exist_ok=True)
    fields: dict[str, dict] = {}
    prints: list[Fingerprint] = []
    skipped: list[dict] = []
    seen_urls: set[str] = set()

    def consume(items: Iterable[Page | Skip]) -> None:
        batches = _run(
            _batches(items, batch_size), extractor, engine=engine, scheduler=scheduler, n_workers=n_workers
        )
        results = (result for batch in batches for result in batch)
        for result in progress_bar(results, desc="ingest", unit="page") if progress else results:
            if isinstance(result, Skip):
                skipped.append(dict(origin=result.origin, url=result.url, reason=result.reason))
                continue
            found, print_ = result
            if found.url_key:
                seen_urls.add(found.url_key)
            article_id = found.fields["article_id"]
            if article_id in fields:  # the same text of the same URL captured again
                fields[article_id]["provenance"] += f"; same text also in {found.fields['origin']}"
                continue
            write_bytes_atomic(out / "texts" / f"{article_id}.txt", found.text.encode("utf-8"))
            fields[article_id] = {**found.fields, "file": f"texts/{article_id}.txt"}
            prints.append(print_)

    consume(pages(documents))
    missing = [feeds[key] for key in sorted(set(feeds) - seen_urls)]
    if fetch:
        consume(_fetched(entry.url for entry in missing))
    else:
        skipped.extend(
            dict(
                origin=f"{entry.origin}: {entry.url}",
                url=entry.url,
                reason=f"{entry.kind} without a saved page or WARC record (pass --fetch to download it)",
            )
            for entry in missing
        )
    if not fields:
        raise CorpusError(f"{out}: no article found in the sources ({len(skipped)} inputs set aside)")
    duplicates = link_duplicates(prints, near_duplicate=near_duplicate, num_perm=extractor.num_perm)
    versions = link_versions(prints)
    for article_id, row in fields.items():
        row["duplicate_group"], row["duplicate_kind"] = duplicates[article_id]
        row["version_of"], row["version"], previous = versions[article_id]
        row["diff"] = _write_diff(out, previous, article_id) if previous else None
    rows = sorted(fields.values(), key=lambda r: (r["outlet"], r["url"] or "", r["version"], r["article_id"]))
    articles = validate(frame(rows, IngestedArticles), IngestedArticles, table="ingested articles")
    skipped_table = validate(
        frame(sorted(skipped, key=lambda r: r["origin"]), SkippedInputs),
        SkippedInputs,
        table="skipped inputs",
    )
    write_bytes_atomic(out / "skipped.csv", skipped_table.to_csv(index=False, lineterminator="\n").encode())
    write_bytes_atomic(out / "manifest.csv", articles.to_csv(index=False, lineterminator="\n").encode())
    notes = [f"{len(articles)} articles written to {out}"]
    if len(skipped_table):
        notes.append(f"{len(skipped_table)} inputs set aside, each with its reason, in {out / 'skipped.csv'}")
    return Ingested(articles, skipped_table, notes)


def _write_diff(out: Path, previous: str, article_id: str) -> str:
    """Write ``diffs/<article_id>.diff`` (unified, one paragraph per line) and return its relative name."""
    before = (out / "texts" / f"{previous}.txt").read_text(encoding="utf-8").split("\n\n")
    after = (out / "texts" / f"{article_id}.txt").read_text(encoding="utf-8").split("\n\n")
    diff = difflib.unified_diff(before, after, fromfile=previous, tofile=article_id, lineterm="")
    write_bytes_atomic(out / "diffs" / f"{article_id}.diff", ("\n".join(diff) + "\n").encode("utf-8"))
    return f"diffs/{article_id}.diff"
