"""The on-disk cache: one root for embeddings, rendered figures and compiled kernels.

Everything here is derived data keyed by a hash of all its inputs, so deleting the
folder only costs time. The root is ``$COVERAGE_COMPARE_CACHE`` (default
``~/.cache/coverage-compare``); ``make report`` and the benchmarks point it at an empty
folder to measure a cold run.

Layout: ``embeddings/<model-hash>[-onnx]/`` (:mod:`analysis.nlp._embed`), ``onnx/<key>.onnx``
(the embedding model exported for ONNX Runtime, :mod:`analysis.nlp._onnx`), ``render/<kk>/<key>``
(figures rendered by vl-convert, :func:`cached_bytes`), ``numba/`` (UMAP's kernels,
:func:`analysis.topics._backends.cache_umap_kernels`).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable
from pathlib import Path

from analysis.infra.atomic import write_bytes_atomic

__all__ = ["cache_dir", "cache_key", "cached_bytes", "file_sha256", "prune", "RENDER_CACHE_MAX_BYTES"]

#: ``render/`` is pruned to this size after each report, least recently used entries first.
RENDER_CACHE_MAX_BYTES = 256 * 2**20


def cache_dir() -> Path:
    """Root of the on-disk cache (``$COVERAGE_COMPARE_CACHE`` or ``~/.cache/coverage-compare``)."""
    root = os.environ.get("COVERAGE_COMPARE_CACHE") or Path.home() / ".cache" / "coverage-compare"
    return Path(root)


def file_sha256(path: Path) -> str:
    """SHA-256 of a file's bytes, read in 1 MiB chunks (input hashes in run.json, model weights)."""
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def cache_key(parts: Iterable[str | bytes]) -> str:
    """SHA-256 of ``parts``, each length-prefixed so that no two different lists share a key."""
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else bytes(part)
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()


def cached_bytes(kind: str, parts: Iterable[str | bytes], compute: Callable[[], bytes]) -> bytes:
    """``compute()``, or its stored result for the same ``parts`` under ``cache_dir()/kind``.

    ``parts`` must name every input the bytes depend on (tool version, options, the data).
    A hit refreshes the entry's time stamp, which :func:`prune` uses to keep recent entries. A cache
    that cannot be written (read-only, full disk) is skipped: the result is the same, only slower.
    """
    key = cache_key(parts)
    path = cache_dir() / kind / key[:2] / key
    try:
        data = path.read_bytes()
    except OSError:
        data = None
    if data is not None:
        try:
            os.utime(path)
        except OSError:
            pass
        return data
    data = compute()
    try:
        write_bytes_atomic(path, data)
    except OSError:
        pass
    return data


def prune(kind: str, max_bytes: int) -> int:
    """Delete the least recently used entries of ``cache_dir()/kind`` until it holds at most ``max_bytes``.

    Returns
    -------
    int
        Number of entries deleted.
    """
    root = cache_dir() / kind
    entries = []
    for path in root.glob("*/*") if root.is_dir() else []:
        if path.name.startswith("."):  # a write in progress
            continue
        try:
            stat = path.stat()
        except OSError:
            continue
        entries.append((stat.st_mtime, path.name, stat.st_size, path))
    total = sum(size for _, _, size, _ in entries)
    deleted = 0
    for _, _, size, path in sorted(entries):
        if total <= max_bytes:
            break
        try:
            path.unlink()
        except OSError:
            continue
        total -= size
        deleted += 1
    return deleted
