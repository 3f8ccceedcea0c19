"""Atomic file output: nothing half-written is ever visible under its final name."""

from __future__ import annotations

import os
import tempfile
from functools import lru_cache
from pathlib import Path

__all__ = ["umask", "write_bytes_atomic"]


@lru_cache(maxsize=1)
def umask() -> int:
    """The process umask, read once (reading it means setting it, so it is not done per write)."""
    current = os.umask(0)
    os.umask(current)
    return current


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder, then rename it into place.

    The file gets the usual permissions (0666 less the umask), not mkstemp's private 0600.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o666 & ~umask())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
