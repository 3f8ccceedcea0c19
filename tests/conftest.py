"""Shared fixtures. Tests never touch the network: any connection to a host other
than this machine raises, and the embedding cache lives in the checkout's .cache/.
The session is configured as the notebooks and the report runner are: ``analysis.setup()``
runs once before any test module is imported (figures drawn in tests use the theme)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("COVERAGE_COMPARE_CACHE", str(REPO / ".cache" / "tests"))

_LOCAL = ("127.", "::1", "localhost", "0.0.0.0")
_real_connect = socket.socket.connect


def _guarded_connect(self, address):
    host = address[0] if isinstance(address, tuple) else address
    if (
        isinstance(host, str)
        and self.family in (socket.AF_INET, socket.AF_INET6)
        and not host.startswith(_LOCAL)
    ):
        raise RuntimeError(f"test tried to reach the network: {address!r}")
    return _real_connect(self, address)


socket.socket.connect = _guarded_connect


def pytest_configure(config):
    import analysis

    analysis.setup()


@pytest.fixture(scope="session")
def seeds_corpus():
    from analysis.corpus._load import load_corpus

    return load_corpus(SEEDS)


@pytest.fixture
def make_corpus():
    """Build a tiny corpus from (article_id, outlet, text) tuples or dicts."""
    from analysis.corpus._load import build_corpus

    def _make(*articles, **kwargs):
        records = []
        for i, art in enumerate(articles):
            rec = (
                dict(zip(("article_id", "outlet", "text"), art, strict=False))
                if isinstance(art, tuple)
                else dict(art)
            )
            rec.setdefault("source", f"test:{i}")
            records.append(rec)
        return build_corpus(records, **kwargs)

    return _make


def run_cli(*args, cwd=REPO, timeout=1800, env=None):
    """Run ``coverage-compare`` with this interpreter; returns the CompletedProcess."""
    return subprocess.run(
        [sys.executable, "-m", "analysis.report.cli", *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **(env or {})},
    )


@pytest.fixture(scope="session")
def report_env(tmp_path_factory):
    """An empty embedding cache of its own, as `make report` on a fresh machine has (see the Makefile)."""
    return {"COVERAGE_COMPARE_CACHE": str(tmp_path_factory.mktemp("report_cache"))}


@pytest.fixture(scope="session")
def seeds_report_run(tmp_path_factory, report_env):
    """One full `coverage-compare report` on the seeds: (output folder, CompletedProcess with its console
    output), shared by the tests that inspect what it wrote and printed."""
    out = tmp_path_factory.mktemp("report") / "figures"
    result = run_cli("report", "--corpus", SEEDS, "--out", out, env=report_env)
    assert result.returncode == 0, result.stderr[-3000:]
    return out, result


@pytest.fixture(scope="session")
def seeds_report(seeds_report_run):
    """The output folder of that one report run."""
    return seeds_report_run[0]


@contextmanager
def unblock_fifo_after(fifo: Path, seconds: float):
    """If the code under test opens ``fifo`` (a bug), open its write end after ``seconds`` so the read
    returns end-of-file (and the test fails) instead of blocking the test run forever."""

    def unblock():
        try:
            os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        except OSError:  # nobody is reading: the FIFO was never opened
            pass

    timer = threading.Timer(seconds, unblock)
    timer.start()
    try:
        yield
    finally:
        timer.cancel()
