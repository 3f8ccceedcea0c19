"""The report: papermill runner, run manifest, report.html, generated summaries and the CLI.

* :func:`run_report` executes the notebooks and exports every figure; :func:`check_report`
  reruns what a ``run.json`` describes and lists figure data that differs;
* :mod:`analysis.report.summaries` writes each section's generated sentences (used by notebooks);
* :mod:`analysis.report.cli` is the ``coverage-compare`` command.
"""

from __future__ import annotations

from analysis.report._runner import ReportError, check_report, discover_notebooks, run_report

__all__ = ["ReportError", "check_report", "discover_notebooks", "run_report"]
