"""The report: papermill runner, run manifest, report.html, generated summaries and the CLI.

* :func:`run_report` executes the notebooks and exports every figure; :func:`check_report`
  reruns what a ``run.json`` describes and lists figure data that differs;
* :mod:`analysis.report.summaries` writes each section's generated sentences (used by notebooks);
* :func:`save_term_explorer` writes the data of report.html's term explorer (notebook 03);
* :mod:`analysis.report.cli` is the ``coverage-compare`` command.
"""

from __future__ import annotations

from analysis.report._errors import ReportError
from analysis.report._explorer import save_term_explorer  # standard library only: --help stays fast

__all__ = ["ReportError", "check_report", "discover_notebooks", "run_report", "save_term_explorer"]

_RUNNER_NAMES = ("check_report", "discover_notebooks", "run_report")


def __getattr__(name: str):
    """The runner's functions, imported on first use so that ``coverage-compare --help`` answers at once."""
    if name in _RUNNER_NAMES:
        from analysis.report import _runner  # defers papermill, nbformat and altair until a report runs

        return getattr(_runner, name)
    raise AttributeError(f"module 'analysis.report' has no attribute {name!r}")
