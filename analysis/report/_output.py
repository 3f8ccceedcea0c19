"""Where a command may write, and how a new output replaces an old one without deleting anything else.

The rules (documented in ``docs/report.md``):

* ``out`` is written only if it is absent, an empty folder, or a folder this command wrote before
  (it holds :data:`MARKER`, which lists every file that run wrote; a report folder from before the
  marker existed is recognised by its ``run.json``, which lists the same). Anything else is refused
  unless ``force=True``; with ``force`` the new files are added and every other file is kept.
* Refused even with ``force``: an empty path, a symbolic link, a file, the filesystem root, the home
  folder, the working directory or any folder containing it, the corpus, any folder containing the
  corpus, and any folder inside the corpus folder (it would be read as input).
* Output is built in a staging folder next to ``out`` and moved in only when the run succeeded.
  Replacing a previous output deletes only the files its marker lists; a file of someone else's
  where a new file would go stops the run before anything is moved.
* A lock file next to ``out`` (holding the pid) refuses a second run into the same folder. Staging
  and backup folders and locks left by a killed run (their marker's pid is gone) are removed by the
  next run into that folder.
"""

from __future__ import annotations

import glob
import json
import os
import shutil
import signal
import socket
import tempfile
import threading
from collections.abc import Iterable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from analysis.infra.atomic import umask, write_bytes_atomic
from analysis.report._errors import ReportError

__all__ = ["MARKER", "OutputTarget", "check_output", "deferred_interrupts", "output_folder", "scratch_folder"]

#: File in every folder this tool writes (outputs, staging, backups): who wrote it and which files.
MARKER = ".coverage-compare-output"
TOOL = "coverage-compare"
#: Name parts of the tool's own folders next to ``out``: ``.<out name>.<kind>-<pid>-<random>``.
_SCRATCH_KINDS = ("tmp", "old", "check")


@dataclass(frozen=True)
class OutputTarget:
    """An output folder that passed the rules, with what a previous run of the same command wrote there."""

    path: Path
    shown: str
    command: str
    previous_files: frozenset[str]
    previous_dirs: frozenset[str]

    @property
    def lock(self) -> Path:
        return self.path.parent / f".{self.path.name}.lock"


def _is_within(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def _forbidden(out: Path, corpus: Path | None) -> str | None:
    """Why ``out`` (resolved) may never be written, even with ``force``; None when it may."""
    cwd = Path.cwd().resolve()
    if out == Path(out.anchor):
        return "is the filesystem root"
    if out == Path.home().resolve():
        return "is your home folder"
    if out == cwd:
        return "is the working directory"
    if _is_within(cwd, out):
        return "contains the working directory"
    if corpus is not None:
        if out == corpus:
            return "is the corpus"
        if _is_within(corpus, out):
            return "contains the corpus"
        if corpus.is_dir() and _is_within(out, corpus):
            return "is inside the corpus folder (it would be read as input)"
    return None


def _safe_relative(name: object) -> str | None:
    """``name`` if it is a plain relative path (no ``..``, not absolute), else None."""
    if not isinstance(name, str) or not name:
        return None
    parts = PurePosixPath(name).parts
    if PurePosixPath(name).is_absolute() or any(p in ("..", ".", "") for p in parts):
        return None
    return name


def _parents(files: Iterable[str]) -> set[str]:
    return {str(parent) for f in files for parent in PurePosixPath(f).parents if str(parent) != "."}


def _read_json(path: Path):
    """Parsed JSON of ``path``, or None when it is missing, not a regular file or not JSON."""
    if path.is_symlink() or not path.is_file():
        return None
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return None


def recorded_output(folder: Path, command: str) -> tuple[frozenset[str], frozenset[str]] | None:
    """Files and folders that a previous ``command`` run recorded writing into ``folder``; None if it did not.

    Read from :data:`MARKER`; for a report written before the marker existed, from its ``run.json``
    (which lists every figure file and executed notebook). Entries that are not plain relative
    paths are ignored, so a marker can never point outside ``folder``.
    """
    marker = _read_json(folder / MARKER)
    if isinstance(marker, dict) and marker.get("tool") == TOOL and marker.get("role") == "output":
        if marker.get("command") != command or not isinstance(marker.get("files"), list):
            return None
        files = {f for f in map(_safe_relative, marker["files"]) if f}
        dirs = (
            {d for d in map(_safe_relative, marker.get("dirs", [])) if d}
            if isinstance(marker.get("dirs"), list)
            else set()
        )
        return frozenset(files), frozenset(dirs | _parents(files))
    manifest = _read_json(folder / "run.json") if command == "report" else None
    if (
        isinstance(manifest, dict)
        and manifest.get("package") == TOOL
        and isinstance(manifest.get("notebooks"), list)
    ):
        files = {"run.json", "report.html"}
        for entry in manifest["notebooks"]:
            if isinstance(entry, dict):
                files.add(f"notebooks/{entry.get('notebook')}")
                files.update(entry.get("files") or [])
        files = {f for f in map(_safe_relative, files) if f}
        return frozenset(files), frozenset(_parents(files))
    return None


def check_output(
    out: str | os.PathLike,
    *,
    command: str,
    corpus: str | os.PathLike | None = None,
    force: bool = False,
    entries: Iterable[str] = (),
) -> OutputTarget:
    """Apply the output-folder rules to ``out``; nothing is written.

    Parameters
    ----------
    out : path
        The output folder as the user gave it.
    command : str
        ``"report"`` or ``"terms"``: a folder is "written before" only by the same command.
    corpus : path, optional
        The input; ``out`` may not be it, contain it or lie inside it.
    force : bool
        Write into a non-empty folder this tool did not write (its files are kept).
    entries : iterable of str
        Top-level names the run will write; with ``force``, any of them already present and not
        written by this tool refuses the run before it starts.

    Raises
    ------
    ReportError
        One line naming the folder and the reason.
    """
    shown = os.fspath(out)
    if not shown.strip():
        raise ReportError("the output folder is an empty path (an unset variable?); give a folder name")
    raw = Path(shown)
    resolved = raw.resolve()
    corpus_path = Path(corpus).resolve() if corpus is not None else None
    reason = (
        "is a symbolic link; give the folder it points to"
        if raw.is_symlink()
        else "is a file, not a folder"
        if raw.exists() and not raw.is_dir()
        else _forbidden(resolved, corpus_path)
    )
    if reason:
        raise ReportError(f"refusing to write to {shown!r}: it {reason}")
    previous = recorded_output(resolved, command) if resolved.is_dir() else None
    if previous is None and resolved.is_dir() and any(resolved.iterdir()):
        if not force:
            raise ReportError(
                f"refusing to write to {shown!r}: the folder is not empty and was not written by `coverage-compare "
                f"{command}` (no {MARKER} file); choose a new or empty folder, or pass --force to add the output "
                "next to its files (nothing of theirs is deleted)"
            )
        taken = sorted(name for name in {*entries, MARKER} if os.path.lexists(resolved / name))
        if taken:
            raise ReportError(
                f"refusing to write to {shown!r}: it already holds {', '.join(taken)}, "
                "which coverage-compare did not write; move them or choose another folder"
            )
    files, dirs = previous or (frozenset(), frozenset())
    return OutputTarget(resolved, shown, command, files, dirs)


# --- processes, markers, locks ----------------------------------------------------------------------


def _alive(pid: object) -> bool:
    """Whether process ``pid`` exists on this machine (unknown values count as alive: never remove then)."""
    if not isinstance(pid, int) or pid <= 0:
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _owner() -> dict:
    return {"tool": TOOL, "pid": os.getpid(), "host": socket.gethostname()}


def _abandoned(record: object) -> bool:
    """Whether a marker or lock record belongs to a run of this tool, on this machine, that is gone."""
    return (
        isinstance(record, dict)
        and record.get("tool") == TOOL
        and record.get("host") == socket.gethostname()
        and not _alive(record.get("pid"))
    )


def remove_stale(target: OutputTarget, log=None) -> list[Path]:
    """Remove staging, backup and check folders next to ``target`` left by runs that were killed.

    A folder is removed only if its name is ``.<out name>.<tmp|old|check>-...``, it holds this tool's
    marker, and the process that marker names no longer runs on this machine.
    """
    removed = []
    prefix = f".{target.path.name}."
    for path in sorted(target.path.parent.glob(f"{glob.escape(prefix)}*-*")):
        kind = path.name[len(prefix) :].split("-", 1)[0]
        if (
            kind in _SCRATCH_KINDS
            and path.is_dir()
            and not path.is_symlink()
            and _abandoned(_read_json(path / MARKER))
        ):
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
            if log:
                log(f"removed {path.name}, left by a run that was killed")
    return removed


@contextmanager
def _locked(target: OutputTarget) -> Iterator[None]:
    """Hold ``.<out name>.lock`` next to ``out`` for the run; a live holder refuses, a dead one is replaced."""
    lock = target.lock
    for _ in range(2):
        try:
            fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o666 & ~umask())
        except FileExistsError:
            holder = _read_json(lock)
            if _abandoned(holder):
                lock.unlink(missing_ok=True)
                continue
            who = (
                f"pid {holder['pid']}" if isinstance(holder, dict) and "pid" in holder else "another process"
            )
            raise ReportError(
                f"{target.shown!r} is being written by another coverage-compare run ({who}); wait for it "
                f"to finish, or delete {lock} if that process is gone"
            ) from None
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump({**_owner(), "command": target.command}, fh)
        break
    else:  # pragma: no cover - two stale-lock removals raced
        raise ReportError(f"could not lock {target.shown!r}: {lock} keeps reappearing")
    try:
        yield
    finally:
        if _read_json(lock) == {**_owner(), "command": target.command}:
            lock.unlink(missing_ok=True)


def _write_marker(folder: Path, role: str, **fields) -> None:
    record = {**_owner(), "role": role, **fields}
    write_bytes_atomic(folder / MARKER, (json.dumps(record, indent=1, sort_keys=True) + "\n").encode())


def scratch_folder(next_to: Path, kind: str) -> Path:
    """A new, marked folder ``.<name>.<kind>-<pid>-XXXX`` beside ``next_to`` (removed by :func:`remove_stale` if abandoned)."""
    folder = Path(tempfile.mkdtemp(dir=next_to.parent, prefix=f".{next_to.name}.{kind}-{os.getpid()}-"))
    os.chmod(folder, 0o777 & ~umask())
    _write_marker(folder, {"tmp": "staging", "old": "backup"}.get(kind, kind))
    return folder


@contextmanager
def deferred_interrupts() -> Iterator[None]:
    """Hold SIGINT and SIGTERM until the block is done (main thread only), then deliver them.

    Used around moving files into place and around cleaning up, so a signal never leaves half of each.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received: list[int] = []
    signals = (signal.SIGINT, signal.SIGTERM)
    previous = {sig: signal.signal(sig, lambda signum, frame: received.append(signum)) for sig in signals}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler if handler is not None else signal.SIG_DFL)
        for sig in dict.fromkeys(received):
            signal.raise_signal(sig)


# --- staging and installing -------------------------------------------------------------------------


def _tree(folder: Path) -> tuple[list[str], list[str]]:
    """Relative files and folders under ``folder`` (the marker excluded), parents before children."""
    files, dirs = [], []
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        if rel == MARKER:
            continue
        (dirs if path.is_dir() and not path.is_symlink() else files).append(rel)
    return files, dirs


def _install(staging: Path, target: OutputTarget) -> None:
    """Move the staged output into ``target.path``, replacing only the files its previous run recorded."""
    out = target.path
    files, dirs = _tree(staging)
    if not out.exists():
        _write_marker(staging, "output", command=target.command, files=files, dirs=dirs)
        os.replace(staging, out)
        return
    blocked = sorted(
        {d for d in dirs if os.path.lexists(out / d) and ((out / d).is_symlink() or not (out / d).is_dir())}
        | {f for f in files if os.path.lexists(out / f) and f not in target.previous_files}
    )
    if blocked:
        raise ReportError(
            f"refusing to replace {', '.join(blocked[:5])} in {target.shown!r}: coverage-compare did "
            "not write them (its marker does not list them); move them or choose another folder"
        )
    backup = scratch_folder(out, "old")
    moved_old, moved_new, made_dirs = [], [], []
    try:
        for rel in sorted(target.previous_files):
            old = out / rel
            if (
                os.path.lexists(old)
                and not (old.is_dir() and not old.is_symlink())
                and _inside(old.parent, out)
            ):
                (backup / rel).parent.mkdir(parents=True, exist_ok=True)
                os.replace(old, backup / rel)
                moved_old.append(rel)
        for rel in dirs:
            if not (out / rel).is_dir():
                (out / rel).mkdir()
                made_dirs.append(rel)
        for rel in files:
            os.replace(staging / rel, out / rel)
            moved_new.append(rel)
        _write_marker(out, "output", command=target.command, files=files, dirs=dirs)
    except BaseException:
        for rel in reversed(moved_new):
            os.replace(out / rel, staging / rel)
        for rel in reversed(made_dirs):
            (out / rel).rmdir()
        for rel in reversed(moved_old):
            os.replace(backup / rel, out / rel)
        shutil.rmtree(backup, ignore_errors=True)
        raise
    for rel in sorted(target.previous_dirs - set(dirs), key=lambda d: -len(PurePosixPath(d).parts)):
        folder = out / rel
        if folder.is_dir() and not folder.is_symlink() and not any(folder.iterdir()):
            folder.rmdir()
    shutil.rmtree(backup, ignore_errors=True)


def _inside(folder: Path, root: Path) -> bool:
    """Whether ``folder`` is ``root`` or below it once symbolic links are followed."""
    return _is_within(folder.resolve(), root)


@contextmanager
def output_folder(
    out: str | os.PathLike,
    *,
    command: str,
    corpus: str | os.PathLike | None = None,
    force: bool = False,
    entries: Iterable[str] = (),
    log=None,
) -> Iterator[Path]:
    """Check ``out``, lock it, and yield a staging folder that replaces ``out`` when the block succeeds.

    On any exception (a failed notebook, SIGINT, SIGTERM) the staging folder is removed and ``out``
    is left as it was; the lock is released either way.

    Raises
    ------
    ReportError
        When ``out`` breaks the rules (see the module docstring), is locked by a live run, or cannot
        be written (read-only parent, missing permissions), in one line.
    """
    target = check_output(out, command=command, corpus=corpus, force=force, entries=entries)
    with ExitStack() as stack:
        with _write_errors(target):
            target.path.parent.mkdir(parents=True, exist_ok=True)
            stack.enter_context(_locked(target))
            remove_stale(target, log)
            staging = scratch_folder(target.path, "tmp")
        try:
            yield staging
            with deferred_interrupts(), _write_errors(target):
                _install(staging, target)
        finally:
            with deferred_interrupts():
                shutil.rmtree(staging, ignore_errors=True)


@contextmanager
def _write_errors(target: OutputTarget) -> Iterator[None]:
    """Turn a failed file operation on the output side into one line naming the folder."""
    try:
        yield
    except OSError as exc:
        where = f" ({exc.filename})" if exc.filename else ""
        raise ReportError(f"cannot write to {target.shown!r}: {exc.strerror or exc}{where}") from None
