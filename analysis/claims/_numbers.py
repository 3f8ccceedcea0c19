"""Numeric claims: every quantity in a corpus, with bounds, unit, what is counted, source and time.

:func:`extract_numbers` scans each sentence of a :class:`~analysis.corpus._load.Corpus`
with ordered pattern families; an earlier family claims its characters first:

1. dates (``Sept. 20``, ``Nov. 8, 2022``, ``2023/09/20``, ``September 2020``);
   clock times, times of day and identifiers (``10:30``, ``5 p.m.``, ``9am``, ``F-16``,
   ``COVID-19``, ``G7``) are consumed here and dropped: they are not quantities;
2. money (``$2 billion``, ``$5m``), shares (``two-thirds of``, ``half of``:
   percentages), fractions of a scale (``half a million``), vague plurals
   (``tens of thousands``, ``hundreds``, ``dozens``), years (``2020``,
   ``1990s``), numeral ranges (``10-15``, ``between 10 and 15``), ordinals
   (``2nd``), numerals (``6,650``, ``2.5 million``, ``44-day``), number words
   (``two``, ``twenty-five``, ``three-decade``), ordinal words (``second``,
   ``fourth-century``).

Kinds: ``count``, ``percent``, ``duration`` (value in days), ``money``,
``year``, ``date``, ``ordinal``. Only ``count``, ``percent``, ``duration`` and
``money`` are quantities that :func:`analysis.claims.compare_numbers` compares;
years, dates and ordinals are kept apart so that '2020' never meets '2,000'.

Bounds come from the qualifier next to the number (``analysis/data/claims_qualifiers.csv``):
``min`` (at least, more than, over) gives ``[value, +inf)``; ``max`` (up to,
under) gives ``(-inf, value]`` (stored as missing ``lower``); ``approx``
(about, approximately, estimated) gives ``value * (1 ± tol)``; ``below_near``
(nearly, just under) gives ``[value * (1 - tol), value]``; ``above_near`` the
mirror image. ``tol`` (``approx_tolerance``, default 0.05) is the rounding a
reporter's approximator covers: two outlets rounding the same estimate write
the same round figure, so distinct round figures more than 5% apart are
distinct estimates. Vague plurals are read as lower bounds, the charitable
reading of news usage ('home to thousands' does not contradict '120,000'):
'thousands' = [1,000, inf),
'tens of thousands' = [10,000, inf), with the lower end as ``value``.

What is counted, the event, the source and the time reference come from
:mod:`analysis.claims._number_context`.
"""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np
import pandas as pd

from analysis.claims._number_context import (
    DATE_RE,
    attributed_source,
    bounds,
    counted_phrase,
    number_word_values,
    number_word_values_of,
    number_words,
    qualifier_near,
    qualifiers,
    time_reference,
    unit_after,
    units,
)
from analysis.corpus import Corpus
from analysis.schemas import frame, validate
from analysis.schemas.claims import Numbers

__all__ = ["extract_numbers", "number_words", "qualifiers", "units", "COMPARABLE_KINDS"]

#: Kinds that are quantities (compared across outlets); the others are kept apart.
COMPARABLE_KINDS = ("count", "percent", "duration", "money")

# --------------------------------------------------------------------------
# Patterns
# --------------------------------------------------------------------------

_NUMERAL = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_SCALE = r"(?:\s+(?:hundred|thousand|million|billion|trillion)\b)?"


@lru_cache(maxsize=4)
def _patterns() -> dict[str, re.Pattern[str]]:
    words = number_words()
    cardinals = "|".join(sorted(words.loc[words["kind"] == "cardinal", "word"], key=len, reverse=True))
    ordinals = "|".join(sorted(words.loc[words["kind"] == "ordinal", "word"], key=len, reverse=True))
    vague = "|".join(words.loc[words["kind"] == "vague", "word"])
    scale = "|".join(words.loc[words["kind"] == "scale", "word"])
    word_num = rf"(?:{cardinals}|{scale})(?:[\s-]+(?:{cardinals}|{scale}))*"
    return {
        "date": DATE_RE,
        # clock times and identifiers (10:30, F-16, COVID-19, G7) are not quantities: consumed, then dropped
        # times of day ('5 p.m.', '9.30am', "10 o'clock") are never counts
        "skip": re.compile(
            r"\b\d{1,2}(?:[:.]\d{2})?\s*(?:[aApP]\.\s?[mM]\.|[aApP][mM]\b|o['’]clock\b)"
            r"|\b\d{1,2}:\d{2}\b|\b[A-Za-z]+-\d+\b|\b[A-Z]+\d+[A-Za-z]*\b"
        ),
        "money": re.compile(
            rf"(?:\b(?:US|C|A|HK|NZ)|\B)?[$€£¥]\s?(?:{_NUMERAL})(?:{_SCALE[:-1]}|\s?(?:m|mn|bn|k)\b)?",
            re.IGNORECASE,
        ),
        "share": re.compile(
            r"\b(?:(?:one|two|three|four)[-\s](?:thirds?|quarters?|fifths?)|(?:a|one)[-\s](?:third|quarter|fifth)|half)"
            r"(?=\s+of\b)",
            re.IGNORECASE,
        ),
        "fraction": re.compile(
            rf"\b(?:(?:a|one)\s+)?(?:half|quarter|third)(?:\s+of)?\s+(?:a|one)\s+(?:{scale})\b", re.IGNORECASE
        ),
        "vague": re.compile(
            rf"\b(?:tens|hundreds|{vague})(?:\s+of\s+(?:thousands|millions|billions))?\b", re.IGNORECASE
        ),
        "year": re.compile(
            r"(?<![\d$€£.,])\b(?:1[5-9]\d\d|20\d\d)(?:s\b|\b)(?![,.]\d)"
            r"(?!\s+(?!(?:was|is|has|as|its|this|his|us)\b)[a-z]{2,}s\b)"
        ),
        "range": re.compile(
            rf"\bbetween\s+(?P<a>{_NUMERAL})\s+and\s+(?P<b>{_NUMERAL}){_SCALE}(?![\d/])"
            rf"|(?<![\w.,/])(?P<c>{_NUMERAL})\s*(?:-|–|\bto\b)\s*(?P<d>{_NUMERAL}){_SCALE}(?![\d/])",
            re.IGNORECASE,
        ),
        "ordinal_num": re.compile(r"\b\d+(?:st|nd|rd|th)\b"),
        "numeral": re.compile(rf"(?<![\w.,/])(?:{_NUMERAL}){_SCALE}(?![\d/])", re.IGNORECASE),
        "word": re.compile(rf"\b(?:(?:a|one)\s+(?=(?:{scale}|dozen)\b))?{word_num}\b", re.IGNORECASE),
        "ordinal_word": re.compile(rf"\b(?:{ordinals})\b", re.IGNORECASE),
    }


_FAMILY_KIND = {
    "date": "date",
    "money": "money",
    "ordinal_num": "ordinal",
    "ordinal_word": "ordinal",
    "year": "year",
}


@lru_cache(maxsize=1)
def _word_values_and_scales() -> tuple[dict[str, float], frozenset[str]]:
    """Number word -> value (a word listed twice: its last row) and the scale words (built once)."""
    table = number_words()
    values = dict(zip(table["word"], table["value"], strict=True))
    return values, frozenset(table.loc[table["kind"] == "scale", "word"])


def _word_value(text: str) -> float:
    """Value of a number-word phrase such as 'twenty-five thousand' or 'a dozen'."""
    values, scales = _word_values_and_scales()
    total, current = 0.0, 0.0
    for token in re.split(r"[\s-]+", text.lower()):
        if token in {"a", "one"} and current == 0:
            current = 1.0
            continue
        value = values[token]
        if token in scales:
            current = (current or 1.0) * value
            if value >= 1000:
                total, current = total + current, 0.0
        elif token == "dozen":
            current = (current or 1.0) * value
        else:
            current += value
    return total + current


_ABBREVIATED_SCALE = {"k": 1e3, "m": 1e6, "mn": 1e6, "bn": 1e9}
_SHARE = {"half": 0.5, "third": 1 / 3, "quarter": 0.25, "fifth": 0.2}


def _numeral_value(text: str) -> float:
    match = re.search(_NUMERAL, text)
    value = float(match.group().replace(",", ""))
    if scale := re.search(r"(hundred|thousand|million|billion|trillion)", text, re.IGNORECASE):
        value *= number_word_values().loc[scale.group(1).lower()]
    elif scale := re.search(r"\d\s?(k|m|mn|bn)\b", text, re.IGNORECASE):
        value *= _ABBREVIATED_SCALE[scale.group(1).lower()]
    return value


def _share_value(text: str) -> float:
    """'two-thirds' -> 66.67 (percent), 'half' -> 50."""
    parts = re.split(r"[-\s]+", text.lower())
    numerator = 1.0 if parts[0] in {"a", "one", "half"} else float(_word_value(parts[0]))
    return 100 * numerator * _SHARE[parts[-1].rstrip("s")]


def _vague_interval(text: str) -> tuple[float, float]:
    words = number_word_values()
    parts = text.lower().split()
    if parts == ["tens"]:
        return 10.0, np.inf
    if parts[0] == "tens":
        low = 10 * words[parts[-1]]
    elif len(parts) > 1:  # 'hundreds of thousands'
        low = (
            words[parts[0].rstrip("s")] * words[parts[-1]] if parts[0] != "dozens" else 24 * words[parts[-1]]
        )
    else:
        low = words[parts[0]]
    return low, np.inf


# --------------------------------------------------------------------------
# Extraction
# --------------------------------------------------------------------------


def _candidates(sentence: str) -> list[tuple[int, int, str]]:
    """Non-overlapping (start, end, family) spans, earlier families first."""
    taken = np.zeros(len(sentence) + 1, dtype=bool)
    found = []
    for family, pattern in _patterns().items():
        for m in pattern.finditer(sentence):
            s, e = m.span()
            if e > s and not taken[s:e].any():
                taken[s:e] = True
                found.append((s, e, family))
    return sorted(f for f in found if f[2] != "skip")


def _one(sentence: str, s: int, e: int, family: str, tol: float) -> dict:
    surface = sentence[s:e]
    after, before = sentence[e:], sentence[:s]
    kind, unit, factor = _FAMILY_KIND.get(family, "count"), "", 1.0
    value = lower = upper = np.nan
    if family == "date" or family == "ordinal_word" or family == "ordinal_num":
        if family != "date":
            # 'third' is both an ordinal and a fraction in the word table: look it up as an ordinal
            ordinals = number_word_values_of("ordinal")
            value = float(re.sub(r"\D", "", surface) or ordinals[surface.lower()])
        lower = upper = value
        return dict(kind=kind, value=value, lower=lower, upper=upper, unit=unit, qualifier="", span=(s, e))
    if family == "year":
        value = float(surface[:4])
        lower, upper = (value, value + 9) if surface.endswith("s") else (value, value)
        return dict(kind=kind, value=value, lower=lower, upper=upper, unit="year", qualifier="", span=(s, e))
    if family == "money":
        symbol = re.match(r"\D+", surface).group()
        known = units().set_index("word")["unit"]
        unit, value = (
            known.get(symbol.strip().lower(), symbol.strip()),
            _numeral_value(surface[len(symbol) :]),
        )
        bound = "exact"
    elif family == "vague":
        lower, upper = _vague_interval(surface)
        value, bound = lower, "vague"
    elif family == "range":
        m = _patterns()["range"].match(sentence, s)
        ga, gb = ("a", "b") if m.group("a") else ("c", "d")
        a, b = (float(m.group(x).replace(",", "")) for x in (ga, gb))
        mult = _numeral_value("1" + surface[m.end(gb) - s :]) if m.end(gb) < e else 1.0
        lower, upper, value, bound = a * mult, b * mult, (a + b) / 2 * mult, "range"
    elif family == "share":
        kind, unit, value, bound = "percent", "percent", _share_value(surface), "exact"
    elif family == "fraction":
        parts = surface.lower().split()
        frac = number_word_values_of("fraction")
        value = frac[next(p for p in parts if p in frac.index)] * number_word_values().loc[parts[-1]]
        bound = "exact"
    elif family == "numeral":
        value, bound = _numeral_value(surface), "exact"
    else:
        value, bound = _word_value(surface), "exact"
    if kind == "count":
        kind_u, unit_u, factor, ulen = unit_after(after, family)
        kind, unit = kind_u, unit_u or unit
        e_unit = e + ulen
    else:
        e_unit = e
    qual, qbound, qlen_before, qlen_after = qualifier_near(before, sentence[e_unit:])
    if bound in {"exact"} and qual:
        bound = qbound
    if bound not in {"vague", "range"}:
        lower, upper = bounds(value, bound, tol)
    value, lower, upper = value * factor, lower * factor, upper * factor
    return dict(
        kind=kind,
        value=value,
        lower=lower,
        upper=upper,
        unit=unit,
        qualifier=qual or bound_word(bound),
        span=(s - qlen_before, e_unit + qlen_after),
        num_span=(s, e_unit),
    )


def bound_word(bound: str) -> str:
    """Qualifier label for bounds that have no qualifier phrase ('vague', 'range')."""
    return bound if bound in {"vague", "range"} else ""


def extract_numbers(corpus: Corpus, *, approx_tolerance: float = 0.05) -> pd.DataFrame:
    """Every quantity, year, date and ordinal in the corpus's sentences.

    Parameters
    ----------
    corpus : Corpus
    approx_tolerance : float
        Relative half-width of 'about'/'approximately'/'estimated' and the
        width of 'nearly'/'just under' (see the module docstring).

    Returns
    -------
    DataFrame
        Schema :class:`analysis.schemas.claims.Numbers`: ``claim_id``,
        ``article_id``, ``outlet``, ``paragraph_id``, ``sentence_id``,
        ``start``/``end`` (offsets of the number with its qualifier and unit
        into the article text), ``text`` (that span), ``kind``, ``value``,
        ``lower``, ``upper`` (missing lower = unbounded below, ``inf`` upper =
        unbounded above; durations in days), ``unit``, ``qualifier``,
        ``counted``, ``counted_head``, ``event``, ``source``, ``time_ref``, ``sentence``.
    """
    rows = []
    for sent in corpus.sentences.itertuples(index=False):
        for k, (s, e, family) in enumerate(_candidates(sent.text)):
            found = _one(sent.text, s, e, family, approx_tolerance)
            span_s, span_e = found.pop("span")
            num_s, num_e = found.pop("num_span", (s, e))
            counted, head, event = ("", "", "")
            if found["kind"] in COMPARABLE_KINDS:
                counted, head, event = counted_phrase(sent.text[:span_s], sent.text[num_e:], found["kind"])
            rows.append(
                dict(
                    claim_id=f"{sent.sentence_id}:n{k}",
                    article_id=sent.article_id,
                    outlet=sent.outlet,
                    paragraph_id=sent.paragraph_id,
                    sentence_id=sent.sentence_id,
                    start=sent.start + span_s,
                    end=sent.start + span_e,
                    text=sent.text[span_s:span_e],
                    counted=counted,
                    counted_head=head,
                    event=event,
                    source=attributed_source(sent.text),
                    time_ref=time_reference(sent.text, span_s, span_e),
                    sentence=sent.text,
                    **found,
                )
            )
    return validate(frame(rows, Numbers), Numbers, table="numbers")
