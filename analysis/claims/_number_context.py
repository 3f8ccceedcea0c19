"""Context of a number: unit, qualifier and bounds, what is counted, source, time reference.

Used by :func:`analysis.claims._numbers.extract_numbers`; the lexicons live in
``analysis/data/claims_number_words.csv``, ``claims_qualifiers.csv`` and
``claims_units.csv`` (pass another path to the loaders to override them).

What is counted is read with deterministic token patterns, not a parser, so
results do not depend on whether spaCy is installed: the noun phrase after the
number (after ``of`` for vague plurals and percentages), plus the participle
that tells what happened to it: a passive or perfect verb after it ('142
protesters were detained' -> 'protesters detained'), a participle right after
it ('120,000 Armenians living'), or a transitive verb before the number
('killed at least 200 people' -> 'people killed'); 'home to' before the number reads as
'living' ('home to thousands of Armenians' -> 'Armenians living'). Reporting verbs (said,
reported) are not events; events are compared through classes of synonyms
(:func:`event_class`: 'killed' and 'died' are both 'death'). When no noun
follows the number, a trend construction gives the subject ('the death toll
rose to 2,600' -> 'death toll'). A number in apposition to a noun ('the population of
X, approximately 120,000 people') is about that noun too: 'people (population)'.
The source is the sentence's 'according to X' phrase, else the subject of a
reporting verb; the time reference is the time expression of the sentence
nearest to the number (since Sunday, by Friday, on Sept. 20, last week).
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.data import read_table

__all__ = [
    "number_words",
    "number_word_values",
    "number_word_values_of",
    "qualifiers",
    "units",
    "DATE_RE",
    "MONTH_RE",
    "unit_after",
    "qualifier_near",
    "bounds",
    "counted_phrase",
    "event_class",
    "counted_class",
    "attributed_source",
    "time_reference",
]


@lru_cache(maxsize=16)
def _read(name: str, path: str | Path | None) -> pd.DataFrame:
    """A lexicon table (cached: lexicons are read once per process and never modified)."""
    return read_table(name, path)


def number_words(path: str | Path | None = None) -> pd.DataFrame:
    """Number words: columns ``word``, ``value`` (float), ``kind`` (cardinal, scale, fraction, vague, ordinal)."""
    table = _read("claims_number_words.csv", path)
    return table.assign(value=table["value"].astype(float))


def qualifiers(path: str | Path | None = None) -> pd.DataFrame:
    """Qualifiers: columns ``phrase``, ``position`` (before/after), ``bound`` (min, max, approx, ...)."""
    return _read("claims_qualifiers.csv", path)


def units(path: str | Path | None = None) -> pd.DataFrame:
    """Units: columns ``word``, ``kind``, ``unit`` (canonical), ``factor`` (to the canonical unit)."""
    table = _read("claims_units.csv", path)
    return table.assign(factor=table["factor"].astype(float))


# Lookups built once per process from the shipped lexicons: extraction runs them for every number, and
# rebuilding a pandas index (or parsing a .query) each time made extraction the slowest step of a report.
@lru_cache(maxsize=1)
def number_word_values() -> pd.Series:
    """Value of each number word (index ``word``; a word listed twice, such as 'third', has two rows)."""
    return number_words().set_index("word")["value"]


@lru_cache(maxsize=8)
def number_word_values_of(kind: str) -> pd.Series:
    """Value of each number word of one ``kind`` (cardinal, scale, fraction, vague, ordinal), by word."""
    table = number_words()
    return table[table["kind"] == kind].set_index("word")["value"]


@lru_cache(maxsize=1)
def _units_by_word() -> pd.DataFrame:
    return units().set_index("word")


@lru_cache(maxsize=1)
def _qualifier_rules() -> list[tuple[str, str, str, re.Pattern[str]]]:
    """(phrase, position, bound, compiled pattern) of every qualifier, longest phrase first."""
    table = qualifiers()
    table = table.iloc[table["phrase"].str.len().argsort()[::-1]]
    rules = []
    for phrase, position, bound in zip(table["phrase"], table["position"], table["bound"], strict=True):
        pat = re.escape(phrase).replace(r"\ ", r"\s+")
        pattern = rf"(?<!\w){pat}\s*[“\"‘]?\s*$" if position == "before" else rf"^[”\"’]?\s+{pat}\b"
        rules.append((phrase, position, bound, re.compile(pattern, re.IGNORECASE)))
    return rules


MONTH_RE = (
    r"(?:Jan(?:uary|\.)?|Feb(?:ruary|\.)?|Mar(?:ch|\.)?|Apr(?:il|\.)?|May|June?|July?|Aug(?:ust|\.)?"
    r"|Sept?(?:ember|\.)?|Oct(?:ober|\.)?|Nov(?:ember|\.)?|Dec(?:ember|\.)?)"
)
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
DATE_RE = re.compile(
    rf"\b{MONTH_RE}\s+\d{{1,2}}(?:\s*[-–]\s*\d{{1,2}})?(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?\b"
    rf"|\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{MONTH_RE}(?:,?\s+\d{{4}})?\b"
    rf"|\b\d{{4}}[/-]\d{{1,2}}[/-]\d{{1,2}}\b|\b\d{{1,2}}/\d{{1,2}}/\d{{4}}\b"
    rf"|\b{MONTH_RE}\s+(?:of\s+)?\d{{4}}\b"
)


_DURATION_AFTER = re.compile(
    r"^(?:\s+|-)(?P<u>second|minute|hour|day|night|week|fortnight|month|year|decade|century"
    r"|centuries)s?\b",
    re.IGNORECASE,
)
_PERCENT_AFTER = re.compile(r"^\s*(?:%|per\s?cent\b|percentage points?\b)", re.IGNORECASE)
_MONEY_AFTER = re.compile(
    r"^\s+(?P<u>dollars|usd|euros|eur|pounds|gbp|yen|rubles|roubles|manats|drams)\b", re.IGNORECASE
)
_TOKEN_RE = re.compile(r"(?:[^\W\d_]\.){2,}|[^\W\d_][\w’'-]*|\d[\d,.]*|[^\w\s]")
_FUNCTION = frozenset(
    """a an the of in on at by for from to with without into onto over under and or but nor as than then that
    which who whom whose this these those there their its his her our your my more most less fewer others other
    were was is are be been being have has had will would could should may might must can do does did not no
    also only just about some such each every all both many much few several including while when where since
    until after before during per out up down off again so very too what if it they them he she we you i
    within across among against between through toward towards behind beyond near around amid despite via
    inside outside along upon though although because however""".split()
)
_AUX = r"(?:(?:were|was|are|is|have|has|had|be|been|being|will|would|could|may|might|reportedly|also|already|now)\s+)+"
_REPORTING = frozenset(
    "said says reported reports told claimed claims stated announced added estimated estimates "
    "according noted warned insisted confirmed denied".split()
)
_TIME_RE = re.compile(
    rf"\b(?:(?i:since|by|on|as of|until|till|before|after|from|in|during|through|late on|early on|earlier|later)\s+)?"
    rf"(?:(?:the\s+(?:morning|afternoon|evening|night|end)\s+of\s+)?(?:{DATE_RE.pattern}|{_WEEKDAY})"
    rf"|(?:last|this|next|past)\s+(?:week|month|year|weekend|{_WEEKDAY})"
    rf"|(?:mid-|early\s+|late\s+)?{MONTH_RE}(?=\b)|(?:19|20)\d\d|(?:yesterday|today|tonight))\b"
)
_ACCORDING_RE = re.compile(r"\baccording to\s+(?P<src>[^,.;:()“”\"]+)", re.IGNORECASE)
_REPORT_RE = re.compile(
    r"(?P<src>(?:[\w’'-]+\s+){1,7}?)(?:has\s+|have\s+|had\s+)?(?P<verb>said|says|reported|told"
    r"|estimated|estimates|announced|claimed|stated|warned|confirmed)\b"
)


def unit_after(after: str, family: str) -> tuple[str, str, float, int]:
    """Kind, canonical unit, factor and length of the unit text that follows a number."""
    if m := _PERCENT_AFTER.match(after):
        unit = "percentage_point" if "point" in m.group().lower() else "percent"
        return "percent", unit, 1.0, m.end()
    if m := _DURATION_AFTER.match(after):
        word = m.group("u").lower().replace("centuries", "century")
        factor = _units_by_word().loc[word, "factor"]
        return "duration", "day", float(factor), m.end()
    if m := _MONEY_AFTER.match(after):
        row = _units_by_word().loc[m.group("u").lower()]
        return "money", row["unit"], 1.0, m.end()
    return "count", "", 1.0, 0


def qualifier_near(before: str, after: str) -> tuple[str, str, int, int]:
    """(phrase, bound, chars before, chars after) of the qualifier next to a number, or ('', 'exact', 0, 0)."""
    for phrase, position, bound, pattern in _qualifier_rules():
        if position == "before" and (m := pattern.search(before)):
            return phrase, bound, len(before) - m.start(), 0
        if position == "after" and (m := pattern.match(after)):
            return phrase, bound, 0, m.end()
    return "", "exact", 0, 0


def bounds(value: float, bound: str, tol: float) -> tuple[float, float]:
    return {
        "exact": (value, value),
        "min": (value, np.inf),
        "max": (np.nan, value),
        "approx": (value * (1 - tol), value * (1 + tol)),
        "below_near": (value * (1 - tol), value),
        "above_near": (value, value * (1 + tol)),
    }[bound]


def _noun_phrase(after: str) -> tuple[list[str], str]:
    """Content words after a number (head last) and the rest of the text after them."""
    tokens = [(m.group(), m.end()) for m in _TOKEN_RE.finditer(after)]
    i = 0
    while i < len(tokens) and tokens[i][0] in {"”", '"', "’", "-", "–"}:
        i += 1
    if i < len(tokens) and tokens[i][0].lower() == "of":
        i += 1
        while i < len(tokens) and tokens[i][0].lower() in {"the", "an", "a", "its", "their"}:
            i += 1
    words, end = [], 0
    while i < len(tokens) and len(words) < 4:
        tok = tokens[i][0]
        low = tok.lower()
        if not tok[0].isalpha() or low in _FUNCTION or low.endswith("ly"):
            break
        if words and (low.endswith("ing") or (low.endswith("ed") and not tok[0].isupper())):
            break
        if "-" in tok and re.search(r"-[a-z]+(?:ing|ed)$", tok):  # 'residents-living' (missing spaces)
            words.append(tok[: tok.index("-")])
            end = tokens[i][1] - len(tok) + tok.index("-") + 1
            break
        words.append(tok)
        end = tokens[i][1]
        i += 1
    return words, after[end:]


_APPOSED_RE = re.compile(
    r"\b(?:the|an?|its|their|his|her)\s+(?:[\w’'-]+\s+){0,2}?(?P<noun>[a-z][a-z-]+)(?:\s+of\s+[\w’'-]+(?:\s+[A-Z][\w’'-]+)?)?\s*(?:,|-|–|—|\()\s*$"
)


_TREND_RE = re.compile(
    r"(?P<np>[a-z][\w-]*(?:\s+[a-z][\w-]*)?)\s+(?:has\s+|had\s+|have\s+)?(?:rose|risen|climbed|reached|stood|stands"
    r"|increased|jumped|grew|grown|fell|fallen|dropped|hit|passed|topped|exceeded)\s+(?:to\s+|at\s+|by\s+)?$"
)


@lru_cache(maxsize=4)
def _event_classes(path: str | None = None) -> dict[str, str]:
    table = _read("claims_event_classes.csv", path)
    return dict(zip(table["event"], table["class"], strict=True))


def event_class(event: str) -> str:
    """The class of an event participle ('killed' and 'died' -> 'death'); unknown events are their own class.

    Classes come from ``analysis/data/claims_event_classes.csv``.
    """
    return _event_classes().get(event.lower(), event.lower())


@lru_cache(maxsize=4)
def _counted_nouns(path: str | None = None) -> dict[str, tuple[str, str]]:
    table = _read("claims_counted_nouns.csv", path)
    return {n: (c, e) for n, c, e in zip(table["noun"], table["class"], table["event"], strict=True)}


def _singular(word: str) -> str:
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        return word[:-1]
    return word


def counted_class(head: str, counted: str) -> tuple[str, str]:
    """(noun class, implied event class) of what a figure counts; ('', '') when nothing is counted.

    Nouns of ``analysis/data/claims_counted_nouns.csv`` map to their class ('residents', 'population'
    -> 'people'; 'deaths' -> 'people' with the event class 'death'); a capitalised plural head
    ('Armenians', 'Azerbaijanis') is a group of people; any other head is its own class (singular).
    """
    head = head.lower()
    if not head:
        return "", ""
    if head in _counted_nouns():
        return _counted_nouns()[head]
    written = re.search(rf"\b{re.escape(head)}\b", counted, re.IGNORECASE)
    if written and written.group()[0].isupper() and head.endswith(("s", "ese")):
        return "people", ""
    return _singular(head), ""


def counted_phrase(before: str, after: str, kind: str) -> tuple[str, str, str]:
    """('what is counted', head noun, event participle) from the text around a number.

    A number in apposition to a noun ('the population of X, approximately 120,000
    people') is about that noun too: it is added in brackets ('people (population)').
    """
    words, rest = _noun_phrase(after)
    if not words:
        if m := _TREND_RE.search(before):  # 'the death toll rose to 2,600'
            return m.group("np"), m.group("np").split()[-1].lower(), ""
        return "", "", ""
    phrase = " ".join(words)
    verb = ""
    if m := re.match(
        rf"^\s*(?:{_AUX})?(?P<v>[a-z]+(?:ed|en|ing)|left|fled|kept|held|lost|hit|built|sent|taken)\b", rest
    ):
        verb = m.group("v")
    elif kind == "count" and (
        m := re.search(
            r"\b(?P<v>[a-z]+ed|left|fled|lost|hit|sent|taken)\s+"
            r"(?:[a-z]+\s+){0,2}$",
            before,
        )
    ):
        verb = m.group("v")
    elif kind == "count" and re.search(r"\bhome\s+to\s+(?:[a-z]+\s+){0,2}$", before):
        verb = "living"  # 'a region home to thousands of Armenians': the people living there
    if verb in _REPORTING:
        verb = ""
    if (m := _APPOSED_RE.search(before)) and m.group("noun") not in _FUNCTION:
        phrase = f"{phrase} ({m.group('noun')})"
    return f"{phrase} {verb}".strip(), words[-1].lower(), verb


def attributed_source(sentence: str) -> str:
    if m := _ACCORDING_RE.search(sentence):
        return m.group("src").strip()
    for m in _REPORT_RE.finditer(sentence):
        words = re.split(r"[,;:“”\"]|\bthat\b", m.group("src"))[-1].split()
        while words and words[0].lower() in _FUNCTION and words[0].lower() not in {"the", "a", "an"}:
            words = words[1:]
        if words and words[-1].lower() not in _FUNCTION:
            return " ".join(words)
    return ""


def time_reference(sentence: str, start: int, end: int) -> str:
    best, dist = "", None
    for m in _TIME_RE.finditer(sentence):
        if m.start() < end and m.end() > start:
            continue
        d = start - m.end() if m.end() <= start else m.start() - end
        if dist is None or d < dist:
            best, dist = m.group().strip(), d
    return best
