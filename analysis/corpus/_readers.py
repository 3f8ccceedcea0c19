"""Input readers: stream article records from a manifest folder, .jsonl, .csv, .parquet or parquet shards.

Each reader yields plain dicts (``article_id``, ``outlet``, ``text``, ``source`` naming the file
and line or row, and the optional metadata columns) without holding more than one chunk of the
input in memory. :func:`analysis.corpus._load.load_corpus` and :func:`analysis.corpus._load.iter_corpus`
both read through :func:`iter_records`, so every check and message is the same on both paths.
"""

from __future__ import annotations

import csv
import json
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pandas as pd

from analysis.corpus._load import OPTIONAL_COLUMNS, TEXT_SUFFIXES, CorpusError

__all__ = ["iter_records", "jsonl_records", "parquet_records"]

REQUIRED = ("article_id", "outlet", "text")


def iter_records(path: str | Path, *, chunk_rows: int = 10_000) -> Iterator[dict]:
    """Article records from ``path``, streamed.

    Parameters
    ----------
    path : path
        Manifest folder, ``.jsonl``/``.csv``/``.parquet`` file, or a folder of ``.parquet`` shards.
    chunk_rows : int
        Rows read at a time from tabular input.

    Yields
    ------
    dict
        ``article_id``, ``outlet``, ``text``, ``source`` and the optional metadata columns.

    Raises
    ------
    CorpusError
        One line naming the file or row and what is wrong.
    """
    path = Path(path)
    if not path.exists():
        raise CorpusError(f"{path}: no such file or folder")
    if path.is_dir():
        if (path / "manifest.csv").exists() or (path / "manifest.toml").exists():
            yield from _folder_records(path)
            return
        shards = sorted(path.glob("*.parquet"))
        if shards:
            for shard in shards:
                yield from parquet_records(shard, chunk_rows)
            return
        raise CorpusError(f"{path}: no manifest.csv or manifest.toml in this folder (nor .parquet shards)")
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        yield from jsonl_records(path)
    elif suffix == ".csv":
        yield from _csv_records(path, chunk_rows)
    elif suffix == ".parquet":
        yield from parquet_records(path, chunk_rows)
    else:
        raise CorpusError(f"{path}: expected a folder with a manifest, or a .jsonl, .csv or .parquet file")


def _clean(value) -> str | None:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    value = str(value).strip()
    return value or None


def _record(row: dict, where: str) -> dict:
    text = row.get("text")
    if not isinstance(text, str):
        raise CorpusError(f"{where}: 'text' is missing or not a string")
    record = {k: _clean(row.get(k)) for k in OPTIONAL_COLUMNS}
    record["title"] = record["title"] or _clean(row.get("headline"))
    record.update(article_id=_clean(row.get("article_id")) or "", outlet=_clean(row.get("outlet")), text=text,
                  source=where)
    return record


def _require_columns(path: Path | str, columns) -> None:
    missing = [c for c in REQUIRED if c not in set(columns)]
    if missing:
        raise CorpusError(f"{path}: missing required column(s) {missing}")


# ---------------------------------------------------------------- tables


def jsonl_records(path: Path, byte_range: tuple[int, int] | None = None, first_line: int = 1) -> Iterator[dict]:
    """Records of a .jsonl file, or of the lines in ``byte_range`` (which must start on a line, numbered
    ``first_line``, so messages name the right line)."""
    start, end = byte_range or (0, None)
    with Path(path).open("rb") as fh:
        fh.seek(start)
        line_no, pos = first_line, start
        for raw in fh:
            if end is not None and pos >= end:
                break
            pos += len(raw)
            where = f"{path}:line {line_no}"
            line_no += 1
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise CorpusError(f"{where}: not valid UTF-8 ({exc.reason})") from None
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                raise CorpusError(f"{where}: invalid JSON ({exc.msg})") from None
            if not isinstance(obj, dict):
                raise CorpusError(f"{where}: expected a JSON object")
            _require_columns(where, obj)
            yield _record(obj, where)


def _csv_records(path: Path, chunk_rows: int) -> Iterator[dict]:
    try:
        reader = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8", chunksize=chunk_rows)
        line = 2
        for chunk in reader:
            _require_columns(path, chunk.columns)
            for row in chunk.to_dict("records"):
                yield _record(row, f"{path}:line {line}")
                line += 1
    except UnicodeDecodeError as exc:
        raise CorpusError(f"{path}: not valid UTF-8 (byte {exc.start}: {exc.reason})") from None
    except (pd.errors.ParserError, pd.errors.EmptyDataError, OSError) as exc:
        raise CorpusError(f"{path}: cannot read as csv ({str(exc).splitlines()[0]})") from None


def parquet_records(path: Path, chunk_rows: int, row_groups: list[int] | None = None) -> Iterator[dict]:
    """Records of a .parquet file read ``chunk_rows`` at a time, optionally only some row groups."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        pf = pq.ParquetFile(path)
    except (pa.ArrowException, OSError) as exc:
        raise CorpusError(f"{path}: cannot read as parquet ({str(exc).splitlines()[0]})") from None
    names = pf.schema_arrow.names
    _require_columns(path, names)
    wanted = [c for c in names if c in {*REQUIRED, *OPTIONAL_COLUMNS, "headline"}]
    groups = list(range(pf.metadata.num_row_groups)) if row_groups is None else list(row_groups)
    row = sum(pf.metadata.row_group(rg).num_rows for rg in range(groups[0])) if groups else 0
    for batch in pf.iter_batches(batch_size=chunk_rows, row_groups=groups, columns=wanted):
        for rec in batch.to_pylist():
            yield _record(rec, f"{path}:row {row}")
            row += 1


# ---------------------------------------------------------------- manifest folders


def _manifest_rows(folder: Path) -> tuple[Path, list[dict]]:
    csv_path, toml_path = folder / "manifest.csv", folder / "manifest.toml"
    if csv_path.exists():
        try:
            with csv_path.open(encoding="utf-8-sig", newline="") as fh:
                return csv_path, [dict(row) for row in csv.DictReader(fh)]
        except UnicodeDecodeError as exc:
            raise CorpusError(f"{csv_path}: not valid UTF-8 ({exc.reason} at byte {exc.start})") from None
    try:
        data = tomllib.loads(toml_path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise CorpusError(f"{toml_path}: cannot parse ({exc})") from None
    return toml_path, [dict(row) for row in data.get("article", [])]


def _folder_records(folder: Path) -> Iterator[dict]:
    manifest, rows = _manifest_rows(folder)
    if not rows:
        raise CorpusError(f"{manifest}: the manifest lists no articles")
    missing_cols = {"article_id", "file", "outlet"} - set(rows[0])
    if missing_cols:
        raise CorpusError(f"{manifest}: missing required column(s) {sorted(missing_cols)}")
    root = folder.resolve()
    planned = []
    for line, row in enumerate(rows, start=2):
        where = f"{manifest}:{line}" if manifest.suffix == ".csv" else f"{manifest}: article {line - 1}"
        article_id, fname = _clean(row.get("article_id")), _clean(row.get("file"))
        if article_id is None or fname is None:
            raise CorpusError(f"{where}: article_id and file are required")
        file = (folder / fname).resolve()
        if not file.is_relative_to(root):
            raise CorpusError(f"{where}: file {fname!r} points outside the corpus folder; refused")
        if not file.is_file():
            raise CorpusError(f"{where}: file {fname!r} does not exist")
        planned.append((where, row, file))
    listed = {file for _, _, file in planned}
    unlisted = sorted(p.name for p in folder.iterdir()
                      if p.is_file() and p.suffix.lower() in TEXT_SUFFIXES and p.resolve() not in listed)
    if unlisted:
        raise CorpusError(f"{manifest}: no manifest entry for {', '.join(unlisted)} (add a row or move the file out)")
    for where, row, file in planned:
        record = _record({**row, "text": _read_text(file, row, where)}, str(file.relative_to(root.parent)))
        yield record


def _read_text(file: Path, row: dict, where: str) -> str:
    declared = _clean(row.get("encoding"))
    encoding = declared or "utf-8"
    try:
        raw = file.read_bytes()
    except OSError as exc:
        raise CorpusError(f"{file}: cannot read ({exc.strerror})") from None
    try:
        return raw.decode(encoding).removeprefix("\ufeff")
    except LookupError:
        raise CorpusError(f"{where}: unknown encoding {encoding!r}") from None
    except UnicodeDecodeError as exc:
        hint = "" if declared else "; declare its encoding in the manifest's 'encoding' column"
        raise CorpusError(f"{file}: not valid {encoding} (byte {exc.start}: {exc.reason}){hint}") from None
