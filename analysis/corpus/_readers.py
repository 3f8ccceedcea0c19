"""Input readers: stream article records from a manifest folder, .jsonl, .csv, .parquet or parquet shards.

Each reader yields plain dicts (``article_id``, ``outlet``, ``text``, ``source`` naming the file
and line or row, and the optional metadata columns) without holding more than one chunk of the
input in memory. :func:`analysis.corpus._load.load_corpus` and :func:`analysis.corpus._load.iter_corpus`
both read through :func:`iter_records`, so every check and message is the same on both paths.
Paths are checked with ``os.stat`` before anything is opened (a FIFO is refused, never read), and
value types, duplicate columns and lone surrogates are refused here; ``docs/corpus.md`` lists the rules.
"""

from __future__ import annotations

import codecs
import csv
import json
import math
import os
import re
import stat
import tomllib
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pandas as pd

from analysis.corpus._formats import OPTIONAL_COLUMNS, TEXT_SUFFIXES, CorpusError

__all__ = ["iter_records", "jsonl_records", "parquet_records", "require_file"]

REQUIRED = ("article_id", "outlet", "text")
#: Fields of one CSV record may be this long (Python's csv module stops at 128 KiB by default; articles
#: are longer). Raised only while a record is parsed, then restored.
_CSV_FIELD_LIMIT = 2**31 - 1
_FILE_KINDS = (
    (stat.S_ISDIR, "folder"),
    (stat.S_ISREG, "file"),
    (stat.S_ISFIFO, "named pipe (FIFO)"),
    (stat.S_ISSOCK, "socket"),
    (stat.S_ISCHR, "character device"),
    (stat.S_ISBLK, "block device"),
)
_STRUCTURES = (list, tuple, dict, set, bytes, bytearray)
_SURROGATE_RE = re.compile("[\ud800-\udfff]")


def iter_records(path: str | Path, *, chunk_rows: int = 10_000) -> Iterator[dict]:
    """Article records from ``path``, streamed.

    Parameters
    ----------
    path : path
        Manifest folder, ``.jsonl``/``.csv``/``.parquet`` file, or a folder of ``.parquet`` shards.
    chunk_rows : int
        Rows read at a time from parquet input.

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
    kind = _file_kind(path, path)
    if kind is None:
        raise CorpusError(f"{path}: no such file or folder")
    if kind == "folder":
        if any(_file_kind(path / name, path / name) for name in ("manifest.csv", "manifest.toml")):
            yield from _folder_records(path)
            return
        shards = sorted(path.glob("*.parquet"))
        if shards:
            for shard in shards:
                yield from parquet_records(shard, chunk_rows)
            return
        raise CorpusError(f"{path}: no manifest.csv or manifest.toml in this folder (nor .parquet shards)")
    _require_file(path, path)
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        yield from jsonl_records(path)
    elif suffix == ".csv":
        yield from _csv_records(path)
    elif suffix == ".parquet":
        yield from parquet_records(path, chunk_rows)
    else:
        raise CorpusError(f"{path}: expected a folder with a manifest, or a .jsonl, .csv or .parquet file")


# ---------------------------------------------------------------- paths


def _file_kind(path: Path, where: object) -> str | None:
    """What ``path`` is, symlinks followed ('file', 'folder', 'named pipe (FIFO)', ...), None if
    nothing is there. Only ``stat``: nothing is opened."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return None
    except OSError as exc:  # a symlink loop, a name too long, no permission
        raise CorpusError(f"{where}: cannot read ({exc.strerror})") from None
    except ValueError:  # os.stat refuses a NUL byte in the name
        raise CorpusError(f"{where}: the path contains a NUL byte; refused") from None
    return next((name for is_kind, name in _FILE_KINDS if is_kind(mode)), "special file")


def require_file(path: str | Path) -> Path:
    """``path`` as a Path once it is known to be an existing regular file; only ``stat`` runs, nothing is opened.

    Raises
    ------
    CorpusError
        One line when ``path`` is missing or is a folder, a named pipe (opening it would block), a socket or a device.
    """
    path = Path(path)
    _require_file(path, path)
    return path


def _require_file(path: Path, where: object) -> None:
    """Refuse anything but an existing regular file before it is opened (opening a FIFO blocks)."""
    kind = _file_kind(path, where)
    if kind is None:
        raise CorpusError(f"{where}: no such file or folder")
    if kind != "file":
        raise CorpusError(f"{where}: is a {kind}, not a regular file; refused")


# ---------------------------------------------------------------- values


def _clean(value, key: str, where: str) -> str | None:
    """A metadata value as a stripped string, None when missing; lists, tables and bytes are refused."""
    if type(value) is str:  # the usual case, first (a subclass may redefine str())
        return value.strip() or None
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    if isinstance(value, _STRUCTURES):
        raise CorpusError(f"{where}: '{key}' must be a string, not a {type(value).__name__}")
    value = str(value).strip()
    return value or None


def _label(value, key: str, where: str) -> str | None:
    """An ``article_id`` or ``outlet``: a string, or an integer written in decimal (``7`` -> ``'7'``)."""
    if type(value) is str:  # the usual case, first (a subclass may redefine str())
        return value.strip() or None
    missing = value is None or (isinstance(value, float) and math.isnan(value))
    if isinstance(value, bool) or not (missing or isinstance(value, str | int)):
        raise CorpusError(f"{where}: '{key}' must be a string or an integer, not a {type(value).__name__}")
    return _clean(value, key, where)


def _record(row: dict, where: str, *, may_hold_surrogates: bool = True) -> dict:
    """The article record of one input row; ``may_hold_surrogates=False`` skips the scan for lone
    surrogates (a JSON line without a ``\\u`` escape cannot hold one: decoded UTF-8 never does)."""
    text = row.get("text")
    if not isinstance(text, str):
        raise CorpusError(f"{where}: 'text' is missing or not a string")
    record = dict.fromkeys(OPTIONAL_COLUMNS)
    for key in OPTIONAL_COLUMNS:  # absent keys stay None, as _clean(None) would say, without the call
        value = row.get(key)
        if value is not None:
            record[key] = _clean(value, key, where)
    if record["title"] is None:  # _clean never returns '': the title falls back to the headline
        record["title"] = _clean(row.get("headline"), "headline", where)
    record["article_id"] = _label(row.get("article_id"), "article_id", where) or ""
    record["outlet"] = _label(row.get("outlet"), "outlet", where)
    record["text"] = text
    for key, value in record.items() if may_hold_surrogates else ():
        bad = _SURROGATE_RE.search(value) if isinstance(value, str) else None
        if bad is not None:
            raise CorpusError(
                f"{where}: '{key}' holds a lone surrogate U+{ord(bad.group()):04X} at character "
                f"{bad.start()} (an unpaired \\u escape), which is not Unicode text; refused"
            )
    record["source"] = where
    return record


def _require_columns(path: Path | str, columns) -> None:
    present = columns if isinstance(columns, dict) else set(columns)
    missing = [c for c in REQUIRED if c not in present]
    if missing:
        raise CorpusError(f"{path}: missing required column(s) {missing}")


def _refuse_duplicate_columns(path: Path | str, columns: list[str]) -> None:
    duplicates = sorted(name for name, n in Counter(columns).items() if name and n > 1)
    if duplicates:
        raise CorpusError(f"{path}: duplicate column name(s) {duplicates}; refused")


# ---------------------------------------------------------------- tables


class _DuplicateKeyError(Exception):
    """A JSON object names one key twice."""


def _unique_keys(pairs: list[tuple[str, object]]) -> dict:
    obj = dict(pairs)
    if len(obj) != len(pairs):
        raise _DuplicateKeyError(next(k for k, n in Counter(k for k, _ in pairs).items() if n > 1))
    return obj


#: The decoder of every .jsonl line (stateless, so shared).
_JSON = json.JSONDecoder(object_pairs_hook=_unique_keys)


def _json_value(line: str):
    """``json.loads(line, object_pairs_hook=_unique_keys)`` with one decoder for every line (``json.loads``
    builds one per call); ``json.loads`` itself still refuses a line opening with a byte-order mark."""
    if line.startswith("\ufeff"):
        return json.loads(line, object_pairs_hook=_unique_keys)
    return _JSON.decode(line)


def jsonl_records(
    path: Path, byte_range: tuple[int, int] | None = None, first_line: int = 1
) -> Iterator[dict]:
    """Records of a .jsonl file, or of the lines in ``byte_range`` (which must start on a line, numbered
    ``first_line``, so messages name the right line). A UTF-8 byte-order mark opening the file is skipped."""
    start, end = byte_range or (0, None)
    _require_file(Path(path), path)
    name = str(path)
    with Path(path).open("rb") as fh:
        fh.seek(start)
        line_no, pos = first_line, start
        for raw in fh:
            if end is not None and pos >= end:
                break
            opens_file, pos = pos == 0, pos + len(raw)  # pos counts the byte-order mark, as ``end`` does
            if opens_file:
                raw = raw.removeprefix(codecs.BOM_UTF8)
            where = f"{name}:line {line_no}"
            line_no += 1
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise CorpusError(f"{where}: not valid UTF-8 ({exc.reason})") from None
            if not line or line.isspace():  # blank (str.strip() would copy the line)
                continue
            try:
                obj = _json_value(line)
            except json.JSONDecodeError as exc:
                raise CorpusError(f"{where}: invalid JSON ({exc.msg})") from None
            except _DuplicateKeyError as exc:
                raise CorpusError(f"{where}: duplicate key {exc.args[0]!r}; refused") from None
            if not isinstance(obj, dict):
                raise CorpusError(f"{where}: expected a JSON object")
            _require_columns(where, obj)
            yield _record(obj, where, may_hold_surrogates=b"\\u" in raw)


#: The place after a carriage return that does not start a CRLF pair.
_BARE_CR = re.compile(r"(?<=\r)(?!\n)")


def _utf8_lines(fh, path: Path) -> Iterator[str]:
    """Decoded lines of a binary file (a leading byte-order mark dropped; CR, LF and CRLF all end a
    line); bad UTF-8 names its line."""
    for number, raw in enumerate(fh, start=1):
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise CorpusError(
                f"{path}:line {number}: not valid UTF-8 (byte {exc.start}: {exc.reason})"
            ) from None
        if number == 1:
            line = line.removeprefix("\ufeff")
        if "\r" in line:  # bare CR line ends (old Mac files): one line each, as universal newlines read them
            yield from (piece for piece in _BARE_CR.split(line) if piece)
        else:
            yield line


def _csv_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    """``(line, fields)`` of every non-blank CSV record, the header first; ``line`` is the physical
    line the record starts on (a quoted field may span several lines)."""
    _require_file(path, path)
    with path.open("rb") as fh:
        reader = csv.reader(_utf8_lines(fh, path))
        line = 1
        while True:
            default_limit = csv.field_size_limit(_CSV_FIELD_LIMIT)
            try:
                fields = next(reader, None)
            except csv.Error as exc:
                raise CorpusError(f"{path}:line {line}: cannot read as csv ({exc})") from None
            finally:
                csv.field_size_limit(default_limit)
            if fields is None:
                return
            if fields:
                yield line, fields
            line = reader.line_num + 1


def _csv_table(path: Path) -> tuple[list[str], Iterator[tuple[int, dict]]]:
    """The header of a CSV file and its records as ``(line, {column: value})``. Duplicate column
    names and records with more fields than the header are refused; missing trailing fields are ''."""
    records = _csv_rows(path)
    first = next(records, None)
    if first is None:
        raise CorpusError(f"{path}: empty file (no header row)")
    header = first[1]
    _refuse_duplicate_columns(path, header)

    def rows() -> Iterator[tuple[int, dict]]:
        for line, fields in records:
            if len(fields) > len(header):
                raise CorpusError(
                    f"{path}:line {line}: {len(fields)} fields, but the header names {len(header)}; refused"
                )
            yield line, dict(zip(header, fields + [""] * (len(header) - len(fields)), strict=True))

    return header, rows()


def _csv_records(path: Path) -> Iterator[dict]:
    header, rows = _csv_table(path)
    _require_columns(path, header)
    for line, row in rows:
        yield _record(row, f"{path}:line {line}")


def parquet_records(path: Path, chunk_rows: int, row_groups: list[int] | None = None) -> Iterator[dict]:
    """Records of a .parquet file read ``chunk_rows`` at a time, optionally only some row groups."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    _require_file(Path(path), path)
    try:
        pf = pq.ParquetFile(path)
    except (pa.ArrowException, OSError) as exc:
        raise CorpusError(f"{path}: cannot read as parquet ({str(exc).splitlines()[0]})") from None
    names = pf.schema_arrow.names
    _refuse_duplicate_columns(path, names)
    _require_columns(path, names)
    wanted = [c for c in names if c in {*REQUIRED, *OPTIONAL_COLUMNS, "headline"}]
    groups = list(range(pf.metadata.num_row_groups)) if row_groups is None else list(row_groups)
    row = sum(pf.metadata.row_group(rg).num_rows for rg in range(groups[0])) if groups else 0
    batches = pf.iter_batches(batch_size=chunk_rows, row_groups=groups, columns=wanted)
    while True:
        try:  # pages are decoded here, so a corrupt page fails here, not in ParquetFile()
            batch = next(batches, None)
            records = None if batch is None else _string_records(batch, path, row)
            rows = None if batch is None or records is not None else batch.to_pylist()
        except (pa.ArrowException, OSError, UnicodeDecodeError) as exc:
            raise CorpusError(
                f"{path}:row {row}: cannot read as parquet ({str(exc).splitlines()[0]})"
            ) from None
        if batch is None:
            return
        if records is not None:
            yield from records
            row += len(records)
        for rec in rows or ():  # Arrow strings are valid UTF-8, so no value can hold a lone surrogate
            yield _record(rec, f"{path}:row {row}", may_hold_surrogates=False)
            row += 1


def _string_records(batch, path: Path, first_row: int) -> list[dict] | None:
    """The records of an Arrow record batch of string columns with every text present, built a column
    at a time: the values :func:`_record` gives row by row, which no such row can make it refuse.
    None for any other batch (read row by row, so that the first bad row is the one named)."""
    import pyarrow as pa

    string_types = all(pa.types.is_string(t) or pa.types.is_large_string(t) for t in batch.schema.types)
    if not string_types or batch.column("text").null_count:
        return None
    present = set(batch.schema.names)

    def cleaned(name: str) -> list[str | None]:  # _clean of every value (all strings or None)
        if name not in present:
            return [None] * batch.num_rows
        return [None if v is None else (v.strip() or None) for v in batch.column(name).to_pylist()]

    optional = {k: cleaned(k) for k in OPTIONAL_COLUMNS}
    optional["title"] = [t or h for t, h in zip(optional["title"], cleaned("headline"), strict=True)]
    columns = [
        *optional.values(),
        [v or "" for v in cleaned("article_id")],
        cleaned("outlet"),
        batch.column("text").to_pylist(),
        [f"{path}:row {row}" for row in range(first_row, first_row + batch.num_rows)],
    ]
    keys = (*OPTIONAL_COLUMNS, "article_id", "outlet", "text", "source")
    return [dict(zip(keys, values, strict=True)) for values in zip(*columns, strict=True)]


# ---------------------------------------------------------------- manifest folders


def _manifest_rows(folder: Path) -> tuple[Path, list[tuple[str, dict]]]:
    """The manifest of ``folder`` and its rows as ``(where, row)``."""
    csv_path, toml_path = folder / "manifest.csv", folder / "manifest.toml"
    if _file_kind(csv_path, csv_path) is not None:
        _, rows = _csv_table(csv_path)
        return csv_path, [(f"{csv_path}:{line}", row) for line, row in rows]
    _require_file(toml_path, toml_path)
    try:
        data = tomllib.loads(toml_path.read_text(encoding="utf-8-sig"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise CorpusError(f"{toml_path}: cannot parse ({exc})") from None
    articles = data.get("article", [])
    if not isinstance(articles, list) or not all(isinstance(a, dict) for a in articles):
        found = (
            "one [article] table"
            if isinstance(articles, dict)
            else "a list of values"
            if isinstance(articles, list)
            else f"a {type(articles).__name__}"
        )
        raise CorpusError(
            f"{toml_path}: 'article' must be an array of tables, one [[article]] per article "
            f"(found {found}); refused"
        )
    return toml_path, [(f"{toml_path}: article {i}", dict(a)) for i, a in enumerate(articles, start=1)]


def _article_file(folder: Path, root: Path, row: dict, where: str) -> Path:
    """The resolved text file a manifest row names; refused unless it is a regular file inside ``root``."""
    name = row.get("file")
    if not isinstance(name, str):
        raise CorpusError(f"{where}: 'file' must be a string, not a {type(name).__name__}")
    if "\x00" in name:
        raise CorpusError(f"{where}: file {name!r} contains a NUL byte; refused")
    try:
        file = (folder / name.strip()).resolve()
    except (OSError, RuntimeError) as exc:  # Python 3.11 raises RuntimeError on a symlink loop
        raise CorpusError(f"{where}: file {name!r} cannot be resolved ({exc}); refused") from None
    if not file.is_relative_to(root):
        raise CorpusError(f"{where}: file {name!r} points outside the corpus folder; refused")
    kind = _file_kind(file, f"{where}: file {name!r}")
    if kind is None:
        raise CorpusError(f"{where}: file {name!r} does not exist")
    if kind != "file":
        raise CorpusError(f"{where}: file {name!r} is a {kind}, not a regular file; refused")
    return file


def _folder_records(folder: Path) -> Iterator[dict]:
    manifest, rows = _manifest_rows(folder)
    if not rows:
        raise CorpusError(f"{manifest}: the manifest lists no articles")
    missing_cols = {"article_id", "file", "outlet"} - set(rows[0][1])
    if missing_cols:
        raise CorpusError(f"{manifest}: missing required column(s) {sorted(missing_cols)}")
    root = folder.resolve()
    planned, owner = [], {}
    for where, row in rows:
        article_id = _label(row.get("article_id"), "article_id", where)
        if article_id is None or _clean(row.get("file"), "file", where) is None:
            raise CorpusError(f"{where}: article_id and file are required")
        file = _article_file(folder, root, row, where)
        if file in owner:
            raise CorpusError(
                f"{where}: file {row['file']!r} is the same file as in {owner[file]}; "
                "each article needs its own file"
            )
        owner[file] = where
        planned.append((where, row, file))
    unlisted = sorted(
        p.name
        for p in folder.iterdir()
        if p.is_file() and p.suffix.lower() in TEXT_SUFFIXES and p.resolve() not in owner
    )
    if unlisted:
        raise CorpusError(
            f"{manifest}: no manifest entry for {', '.join(unlisted)} (add a row or move the file out)"
        )
    for where, row, file in planned:
        yield _record({**row, "text": _read_text(file, row, where)}, str(file.relative_to(root.parent)))


def _read_text(file: Path, row: dict, where: str) -> str:
    declared = _clean(row.get("encoding"), "encoding", where)
    encoding = declared or "utf-8"
    try:
        raw = file.read_bytes()
    except OSError as exc:
        raise CorpusError(f"{file}: cannot read ({exc.strerror})") from None
    try:
        text = raw.decode(encoding)
        codec = codecs.lookup(encoding).name
    except LookupError:
        raise CorpusError(f"{where}: unknown encoding {encoding!r}") from None
    except UnicodeDecodeError as exc:
        hint = "" if declared else "; declare its encoding in the manifest's 'encoding' column"
        raise CorpusError(f"{file}: not valid {encoding} (byte {exc.start}: {exc.reason}){hint}") from None
    if codec not in {"utf-8", "utf-8-sig"}:
        _refuse_mojibake(file, raw, text, encoding, codec)
    return text.removeprefix("\ufeff")


def _refuse_mojibake(file: Path, raw: bytes, text: str, encoding: str, codec: str) -> None:
    """Refuse a declared encoding that decodes, but wrongly: UTF-8 bytes read as another encoding."""
    if not raw.isascii() and _is_utf8(raw) and raw.decode("utf-8") != text:
        raise CorpusError(
            f"{file}: declared {encoding!r}, but the bytes are valid UTF-8 and decoding them as "
            f"{encoding} gives mojibake; remove its 'encoding' (UTF-8 is the default)"
        )
    if codec.startswith(("utf-16", "utf-32")) and raw and b"\x00" not in raw:
        raise CorpusError(
            f"{file}: declared {encoding!r}, but the file has no NUL byte, so it is not {codec} "
            "text (it looks like UTF-8 or another 8-bit encoding); fix its 'encoding'"
        )


def _is_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True
