"""The one exception the report package raises for anything a user can fix."""

from __future__ import annotations

__all__ = ["ReportError"]


class ReportError(RuntimeError):
    """A report run (or ``terms``) was refused or failed; the message is one line naming what and why."""
