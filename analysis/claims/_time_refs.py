"""Time references made comparable: 'on Wednesday' in an article of Thursday 21 Sept is 'Sept. 20'.

:func:`time_key` turns the time expression next to a figure (``time_ref`` of
:func:`analysis.claims.extract_numbers`) into a key that two figures share when they refer to
the same time:

* a day and month ('Sept. 20', '20 September', '2023/09/20', '9/20/2023') -> ``date:09-20``;
* a weekday, 'today', 'tonight' or 'yesterday', resolved against the article's publication date
  when it is known (the latest such day on or before it) -> ``date:MM-DD``;
* anything else -> the expression lower-cased with punctuation removed ('by tuesday', '2020').

Prepositions are dropped from resolved dates ('on Sept. 20' and 'as of the evening of Sept. 20'
are one time); they are kept in unresolved expressions, as before.
"""

from __future__ import annotations

import re

import pandas as pd

__all__ = ["time_key"]

_MONTHS = {
    m: i
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1
    )
}
_DAY_MONTH = re.compile(
    r"\b(?P<month>jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+(?P<day>\d{1,2})(?!\d)"
    r"|\b(?P<day2>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<month2>jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)"
)
_NUMERIC = re.compile(
    r"\b\d{4}[/-](?P<m>\d{1,2})[/-](?P<d>\d{1,2})\b|\b(?P<m2>\d{1,2})/(?P<d2>\d{1,2})/\d{4}\b"
)
_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_RELATIVE = {"today": 0, "tonight": 0, "yesterday": 1}


def _norm(text: str) -> str:
    return re.sub(r"\W+", " ", text.lower()).strip()


def time_key(time_ref: str, published=None) -> str:
    """A key equal for two time expressions that name the same time (module docstring); '' for none."""
    if not time_ref:
        return ""
    text = time_ref.lower()
    if m := _NUMERIC.search(text):
        month, day = int(m.group("m") or m.group("m2")), int(m.group("d") or m.group("d2"))
        return f"date:{month:02d}-{day:02d}"
    if m := _DAY_MONTH.search(text):
        month = _MONTHS[m.group("month") or m.group("month2")]
        return f"date:{month:02d}-{int(m.group('day') or m.group('day2')):02d}"
    if published is not None and not pd.isna(published):
        words = set(_norm(text).split())
        # 'last Tuesday' also resolves to the latest Tuesday; 'next Tuesday' is left as written
        if "next" not in words:
            for word in words:
                back = _RELATIVE.get(word)
                if word in _WEEKDAYS:
                    back = (published.weekday() - _WEEKDAYS.index(word)) % 7
                if back is not None:
                    day = published - pd.Timedelta(days=back)
                    return f"date:{day.month:02d}-{day.day:02d}"
    return _norm(text)
