"""Reliability findings that were fixed without a test of their own (audit of
/work/shared/findings/reliability.md; the other findings are covered by test_output_safety.py,
test_loader_findings.py, test_cli.py, test_report.py, test_tokenizer_unicode.py and test_properties.py).

Every case here is refused before a kernel starts, so the file runs in a few seconds."""

from __future__ import annotations

import errno
import os
import shutil
from pathlib import Path

import pytest
from conftest import SEEDS

from analysis.report.cli import main

NOT_OURS = (
    "the folder is not empty and was not written by `coverage-compare report` "
    "(no .coverage-compare-output file); choose a new or empty folder, or pass --force to add the "
    "output next to its files (nothing of theirs is deleted)"
)


def snapshot(root: Path) -> dict[str, bytes | None]:
    """Every path under ``root`` (files with their bytes, folders as None), to show nothing changed."""
    return {
        p.relative_to(root).as_posix(): (None if p.is_dir() else p.read_bytes())
        for p in sorted(root.rglob("*"))
    }


def report(capsys, *argv: str | Path) -> tuple[int, str]:
    """Exit status and stderr of ``coverage-compare report *argv`` run in this process."""
    status = main(["report", *map(str, argv)])
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    return status, err.strip()


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A project folder (the working directory) holding a copy of the seeds as ``corpus``."""
    root = tmp_path / "project"
    shutil.copytree(SEEDS, root / "corpus")
    monkeypatch.chdir(root)
    return root


def test_b05_shared_scratch_root_holding_other_peoples_folders_is_refused(project, capsys):
    scratch = project / "scratch"
    (scratch / "alice").mkdir(parents=True)
    (scratch / "alice" / "results.csv").write_text("alice's work")
    (scratch / "bob").mkdir()  # an empty folder of someone else's counts as content too
    before = snapshot(project.parent)
    status, err = report(capsys, "--corpus", "corpus", "--out", scratch, "--notebooks", "01")
    assert (status, err) == (1, f"coverage-compare: error: refusing to write to {str(scratch)!r}: {NOT_OURS}")
    assert snapshot(project.parent) == before


def test_b08_default_out_does_not_replace_a_projects_own_figures_folder(project, capsys):
    (project / "figures").mkdir()
    (project / "figures" / "plot.png").write_bytes(b"\x89PNG my own figure")
    before = snapshot(project.parent)
    status, err = report(capsys, "--corpus", "corpus", "--notebooks", "01")  # no --out: "figures"
    assert (status, err) == (1, f"coverage-compare: error: refusing to write to 'figures': {NOT_OURS}")
    assert snapshot(project.parent) == before


def test_b11_parent_without_write_permission_is_one_line(project, capsys, monkeypatch):
    parent = project / "readonly"
    parent.mkdir()
    lock = parent / ".out.lock"
    real_open = os.open

    def denied(path, *args, **kwargs):  # what a 0555 folder answers a non-root user (root ignores modes)
        if Path(path) == lock:
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", denied)
    status, err = report(capsys, "--corpus", "corpus", "--out", parent / "out", "--notebooks", "01")
    assert (status, err) == (
        1,
        f"coverage-compare: error: cannot write to {str(parent / 'out')!r}: Permission denied ({lock})",
    )
    assert list(parent.iterdir()) == []
