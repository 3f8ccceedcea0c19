"""Output folder safety: nothing the tool did not write is ever deleted, every refusal is one line,
interrupted runs leave no staging folder, no lock and no kernel behind (reliability findings 1 and 2)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
from conftest import REPO, SEEDS

from analysis.report import ReportError, run_report
from analysis.report._output import MARKER, check_output, deferred_interrupts, output_folder


def snapshot(root: Path) -> dict[str, bytes | None]:
    """Every path under ``root`` (files with their bytes, folders as None), to show nothing changed."""
    return {
        p.relative_to(root).as_posix(): (None if p.is_dir() else p.read_bytes())
        for p in sorted(root.rglob("*"))
    }


@pytest.fixture
def workspace(tmp_path, monkeypatch):
    """A project folder (the working directory) with a copy of the seeds and a file of the user's."""
    project = tmp_path / "project"
    shutil.copytree(SEEDS, project / "corpus")
    (project / "notes.txt").write_text("keep me")
    monkeypatch.chdir(project)
    return project


def dead_pid() -> int:
    """The pid of a process that has ended."""
    proc = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    return int(proc.stdout)


def write_output(out: Path, files: dict[str, str], **kwargs) -> None:
    """Write ``files`` into ``out`` the way a command does: staged, then moved into place."""
    with output_folder(out, command="report", **kwargs) as staging:
        for name, text in files.items():
            (staging / name).parent.mkdir(parents=True, exist_ok=True)
            (staging / name).write_text(text)


# --- folders refused, with or without --force (B01-B09) ---------------------------------------------


@pytest.mark.parametrize("force", [False, True])
@pytest.mark.parametrize(
    "out", ["corpus", ".", "", "..", "notes.txt", "corpus/sub", "corpus/manifest.csv", "/"]
)
def test_refused_folders_leave_every_file_in_place(workspace, out, force):
    before = snapshot(workspace.parent)
    with pytest.raises(ReportError, match="refusing to write|empty path") as err:
        run_report("corpus", out, only=["01"], force=force)
    assert "\n" not in str(err.value)
    assert snapshot(workspace.parent) == before


def test_home_folder_and_the_corpus_parent_are_refused(workspace, monkeypatch):
    monkeypatch.setenv("HOME", str(workspace))
    (workspace / "sub").mkdir()
    monkeypatch.chdir(workspace / "sub")
    with pytest.raises(ReportError, match="is your home folder"):
        check_output(workspace, command="report", corpus=workspace / "corpus", force=True)
    monkeypatch.chdir(REPO)
    monkeypatch.setenv("HOME", str(workspace / "sub"))
    with pytest.raises(ReportError, match="contains the corpus"):
        check_output(
            workspace / "elsewhere" / "..", command="report", corpus=workspace / "corpus", force=True
        )


def test_symlink_is_refused_and_its_target_kept(workspace):
    target = workspace / "target"
    target.mkdir()
    (target / "data.csv").write_text("x")
    (workspace / "link").symlink_to(target)
    for force in (False, True):
        with pytest.raises(ReportError, match="symbolic link"):
            run_report("corpus", "link", only=["01"], force=force)
    assert (target / "data.csv").read_text() == "x"


def test_folder_of_unrelated_files_needs_force_and_keeps_them(workspace):
    out = workspace / "results"
    out.mkdir()
    (out / "thesis.docx").write_text("years of work")
    with pytest.raises(
        ReportError, match="not empty and was not written by `coverage-compare report`.*--force"
    ):
        run_report("corpus", out, only=["01"])
    write_output(out, {"01_x/a.csv": "new"}, force=True)
    assert (out / "thesis.docx").read_text() == "years of work" and (out / "01_x/a.csv").read_text() == "new"


def test_force_refuses_to_overwrite_a_file_it_did_not_write(workspace):
    out = workspace / "results"
    out.mkdir()
    (out / "report.html").write_text("mine")
    with pytest.raises(ReportError, match="already holds report.html"):
        check_output(out, command="report", force=True, entries=["report.html", "run.json"])
    (out / "01_x").mkdir()
    (out / "01_x" / "a.csv").write_text("mine too")
    with pytest.raises(ReportError, match=r"refusing to replace 01_x/a.csv"):
        write_output(out, {"01_x/a.csv": "new"}, force=True)
    assert (out / "01_x" / "a.csv").read_text() == "mine too" and (out / "report.html").read_text() == "mine"
    assert [p.name for p in workspace.iterdir() if p.name.startswith(".results")] == []


# --- replacing an earlier output deletes only what it recorded ------------------------------------------


def test_rerun_replaces_only_recorded_files(workspace):
    out = workspace / "figures"
    write_output(out, {"run.json": "{}", "01_x/a.csv": "1", "01_x/b.csv": "1", "02_y/c.csv": "1"})
    marker = json.loads((out / MARKER).read_text())
    assert (
        marker["files"] == ["01_x/a.csv", "01_x/b.csv", "02_y/c.csv", "run.json"]
        and marker["role"] == "output"
    )
    (out / "notes.txt").write_text("user")
    (out / "02_y" / "mine.txt").write_text("user")
    write_output(out, {"run.json": "{}", "01_x/a.csv": "2"})
    assert snapshot(out) | {MARKER: None} == {
        MARKER: None,
        "01_x": None,
        "01_x/a.csv": b"2",
        "02_y": None,
        "02_y/mine.txt": b"user",
        "notes.txt": b"user",
        "run.json": b"{}",
    }
    assert [p.name for p in workspace.iterdir() if p.name.startswith(".figures")] == []


def test_report_folder_from_before_the_marker_is_recognised_by_its_run_json(workspace):
    out = workspace / "figures"
    (out / "01_x").mkdir(parents=True)
    (out / "run.json").write_text(
        json.dumps(
            {
                "package": "coverage-compare",
                "notebooks": [{"notebook": "01_x.ipynb", "files": ["01_x/a.csv"]}],
            }
        )
    )
    (out / "01_x" / "a.csv").write_text("old")
    (out / "01_x" / "user.txt").write_text("user")
    write_output(out, {"run.json": "{}", "01_x/b.csv": "new"})
    assert sorted(snapshot(out)) == [MARKER, "01_x", "01_x/b.csv", "01_x/user.txt", "run.json"]


def test_a_forged_marker_cannot_delete_outside_the_folder(workspace):
    out = workspace / "figures"
    out.mkdir()
    (out / MARKER).write_text(
        json.dumps(
            {
                "tool": "coverage-compare",
                "role": "output",
                "command": "report",
                "files": ["../notes.txt", "/etc/hostname", str(workspace / "notes.txt")],
            }
        )
    )
    write_output(out, {"run.json": "{}"})
    assert (workspace / "notes.txt").read_text() == "keep me"


def test_terms_output_is_not_a_report_folder(workspace):
    out = workspace / "counts"
    with output_folder(out, command="terms") as staging:
        (staging / "counts.parquet").write_text("x")
    assert check_output(out, command="terms").previous_files == {"counts.parquet"}
    with pytest.raises(ReportError, match="not written by `coverage-compare report`"):
        check_output(out, command="report")


# --- failures and interruptions leave the previous output untouched ------------------------------------


@pytest.mark.parametrize("error", [KeyboardInterrupt, ValueError])
def test_failure_inside_the_run_removes_staging_and_keeps_previous_output(workspace, error):
    out = workspace / "figures"
    write_output(out, {"run.json": "old"})
    before = snapshot(out)
    with pytest.raises(error):
        with output_folder(out, command="report") as staging:
            (staging / "run.json").write_text("new")
            raise error("stop")
    assert snapshot(out) == before
    assert sorted(p.name for p in workspace.iterdir()) == [
        "corpus",
        "figures",
        "notes.txt",
    ]  # no staging, no lock


def test_stale_staging_and_backup_folders_are_removed_by_the_next_run(workspace):
    gone = dead_pid()
    stale = [workspace / f".figures.tmp-{gone}-abc", workspace / f".figures.old-{gone}-def"]
    kept = [workspace / f".figures.tmp-{os.getpid()}-live", workspace / ".figures.tmp-1-nomarker"]
    for folder in stale + kept:
        folder.mkdir()
        (folder / "big.bin").write_bytes(b"0" * 100)
    for folder, pid in [(stale[0], gone), (stale[1], gone), (kept[0], os.getpid())]:
        (folder / MARKER).write_text(
            json.dumps(
                {"tool": "coverage-compare", "pid": pid, "role": "staging", "host": os.uname().nodename}
            )
        )
    write_output(workspace / "figures", {"run.json": "{}"})
    assert [p.exists() for p in stale] == [False, False]
    assert [p.exists() for p in kept] == [True, True]


def test_second_run_into_the_same_folder_is_refused_and_a_stale_lock_replaced(workspace):
    lock = workspace / ".figures.lock"
    lock.write_text(
        json.dumps({"tool": "coverage-compare", "pid": os.getppid(), "host": os.uname().nodename})
    )
    with pytest.raises(
        ReportError, match=rf"being written by another coverage-compare run \(pid {os.getppid()}\)"
    ):
        write_output(workspace / "figures", {"run.json": "{}"})
    assert not (workspace / "figures").exists()
    lock.write_text(json.dumps({"tool": "coverage-compare", "pid": dead_pid(), "host": os.uname().nodename}))
    write_output(workspace / "figures", {"run.json": "{}"})
    assert (workspace / "figures" / "run.json").exists() and not lock.exists()


def test_unwritable_parent_is_one_line():
    with pytest.raises(ReportError, match=r"^cannot write to '/proc/coverage-compare-test/out': "):
        write_output(Path("/proc/coverage-compare-test/out"), {"a": "b"})


def test_signals_are_held_until_files_are_in_place():
    received = []
    previous = signal.signal(signal.SIGUSR1, lambda *a: None)
    signal.signal(signal.SIGINT, lambda signum, frame: received.append("handled"))
    try:
        with deferred_interrupts():
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(0.05)
            received.append("block done")
    finally:
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.signal(signal.SIGUSR1, previous)
    assert received == ["block done", "handled"]


# --- a real run interrupted: kernels, staging folder, previous output (B13-B15) ---------------------------


def sleeping_notebooks(folder: Path) -> Path:
    """One notebook that writes its kernel's pid to $CC_TEST_KERNEL_PID, starts a child process, then sleeps."""
    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell('corpus_path = "x"\nout_dir = "y"')
    params.metadata["tags"] = ["parameters"]
    body = (
        "import os, pathlib, subprocess, sys, time\n"
        "child = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(300)'])\n"
        "pathlib.Path(os.environ['CC_TEST_KERNEL_PID']).write_text(f'{os.getpid()} {child.pid}')\n"
        "time.sleep(300)"
    )
    nb.cells = [params, nbformat.v4.new_code_cell(body)]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    folder.mkdir()
    nbformat.write(nb, folder / "01_sleep.ipynb")
    return folder


def gone(pid: int) -> bool:
    """The process has ended (a zombie waiting to be reaped counts as ended)."""
    import psutil

    try:
        return psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


@pytest.mark.slow
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_signal_stops_every_kernel_and_leaves_the_previous_output(tmp_path, signum):
    import psutil

    out = tmp_path / "figures"
    write_output(out, {"run.json": "previous"})
    before = snapshot(out)
    flag = tmp_path / "kernel.pid"
    cmd = [
        sys.executable,
        "-m",
        "analysis.report.cli",
        "report",
        "--corpus",
        str(SEEDS),
        "--out",
        str(out),
        "--notebooks-dir",
        str(sleeping_notebooks(tmp_path / "nb")),
    ]
    proc = subprocess.Popen(
        cmd,
        cwd=REPO,
        env={**os.environ, "CC_TEST_KERNEL_PID": str(flag)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.time() + 240
        while not flag.exists() or len(flag.read_text().split()) < 2:
            assert proc.poll() is None and time.time() < deadline, proc.communicate()
            time.sleep(0.2)
        kernel_pid, grandchild_pid = map(int, flag.read_text().split())
        descendants = [p.pid for p in psutil.Process(proc.pid).children(recursive=True)]
        assert kernel_pid in descendants
        proc.send_signal(signum)
        _, stderr = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert proc.returncode == 128 + signum
    assert stderr.strip().splitlines()[-1] == (
        f"coverage-compare: stopped by {signum.name}; kernels were shut down "
        "and the unfinished output removed"
    ), stderr
    assert "Traceback" not in stderr
    assert [pid for pid in {*descendants, kernel_pid, grandchild_pid} if not gone(pid)] == []
    assert snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["figures", "kernel.pid", "nb"]
