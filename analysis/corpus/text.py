"""The shared tokenizer, sentence splitter and quotation tracker.

Pure functions, no I/O. Every analysis in the package tokenizes through
:func:`tokenize` / :func:`token_spans` so counts, contrasts and evidence
snippets agree (a common complaint about Scattertext is that they do not).

Tokenizer rules
---------------
* Hyphenated names stay whole: ``Nagorno-Karabakh`` -> ``nagorno-karabakh``.
* Curly and straight apostrophes are folded, and the possessive ``'s`` is
  removed: ``Russia’s`` and ``Russia's`` both count as ``russia``; a plural
  possessive (``Armenians’``) loses its trailing apostrophe.
* Numbers stay whole with their separators: ``6,650``, ``120,000``, ``2.5``;
  ``44-day`` is one token.
* Dotted abbreviations stay whole without their final dot: ``U.S.`` -> ``u.s``.
* Everything is lower-cased (``str.lower``); no stemming.

The regular expression :data:`TOKEN_PATTERN` uses no look-around, so the same
pattern works in Python's ``re`` and in Rust-regex engines (polars), which
lets vectorized counting paths share the exact tokenization.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

__all__ = [
    "TOKEN_PATTERN",
    "ABBREVIATIONS",
    "normalize_token",
    "tokenize",
    "token_spans",
    "count_words",
    "split_sentences",
    "split_paragraphs",
    "quote_spans",
]

_WORD = r"[^\W_]+(?:[-'’][^\W_]+)*"
_NUMBER = r"\d+(?:[.,]\d+)*(?:-[^\W\d_]+)*"
_ABBREV = r"(?:[^\W\d_]\.){2,}"
#: Regex for one raw token (before :func:`normalize_token`).
TOKEN_PATTERN = f"{_ABBREV}|{_NUMBER}|{_WORD}"
_TOKEN_RE = re.compile(TOKEN_PATTERN)

_POSSESSIVE_RE = re.compile(r"'s$")


def normalize_token(raw: str) -> str:
    """Lower-case a raw token, fold apostrophes and drop a possessive ``'s``.

    Parameters
    ----------
    raw : str
        A match of :data:`TOKEN_PATTERN`.

    Returns
    -------
    str
        The normalized token (``"Russia’s"`` -> ``"russia"``, ``"U.S."`` -> ``"u.s"``).
    """
    token = raw.lower().replace("’", "'")
    if token.endswith("."):
        token = token[:-1]
    return _POSSESSIVE_RE.sub("", token)


def token_spans(text: str) -> list[tuple[int, int, str]]:
    """Tokens of ``text`` with their character offsets.

    Returns
    -------
    list of (start, end, token)
        ``text[start:end]`` is the raw token, ``token`` its normalized form.
    """
    return [(m.start(), m.end(), normalize_token(m.group())) for m in _TOKEN_RE.finditer(text)]


def tokenize(text: str) -> list[str]:
    """Normalized tokens of ``text`` (see the module docstring for the rules)."""
    return [normalize_token(t) for t in _TOKEN_RE.findall(text)]


def count_words(text: str) -> int:
    """Number of tokens in ``text``, the word count used throughout the package."""
    return len(_TOKEN_RE.findall(text))


# --------------------------------------------------------------------------
# Paragraphs
# --------------------------------------------------------------------------

_LINE_RE = re.compile(r"[^\r\n]+")


def split_paragraphs(text: str) -> list[tuple[int, int]]:
    """Character spans of the paragraphs of ``text``.

    A paragraph is a non-blank line; blank lines are ignored. Hard-wrapped
    text (most lines of similar length, broken mid-sentence, with blank lines
    between paragraphs) is detected and its wrapped lines are joined so that a
    paragraph is the block between blank lines.

    Returns
    -------
    list of (start, end)
        Offsets into ``text``, leading and trailing whitespace excluded.
    """
    lines = [(m.start(), m.end()) for m in _LINE_RE.finditer(text) if m.group().strip()]
    if _looks_hard_wrapped(text, lines):
        blocks = re.finditer(r"\S(?:.|\n(?![ \t]*\r?\n))*", text)
        spans = [(b.start(), b.end()) for b in blocks]
    else:
        spans = lines
    return [_strip_span(text, s, e) for s, e in spans]


def _strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    chunk = text[start:end]
    left = len(chunk) - len(chunk.lstrip())
    right = len(chunk.rstrip())
    return start + left, start + right


def _looks_hard_wrapped(text: str, lines: list[tuple[int, int]]) -> bool:
    if len(lines) < 8 or not re.search(r"\n[ \t]*\r?\n", text):
        return False
    lengths = sorted(e - s for s, e in lines)
    p90 = lengths[int(0.9 * (len(lengths) - 1))]
    if p90 > 100:
        return False
    unterminated = sum(1 for s, e in lines if not re.search(r"[.!?:\"”’)]\s*$", text[s:e]))
    return unterminated / len(lines) > 0.5


# --------------------------------------------------------------------------
# Sentences
# --------------------------------------------------------------------------

#: Lower-cased abbreviations (without the final dot) after which a full stop
#: does not end a sentence. Extend with :func:`split_sentences`'s argument.
ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof sr jr st gen col lt capt cmdr adm sgt maj gov sen rep rev
    hon pres amb supt insp jan feb mar apr jun jul aug sep sept oct nov dec
    vol pp fig approx est inc ltd corp co bros vs al cf
    ave blvd rd mt ft""".split()
)

_SENTENCE_END_RE = re.compile(
    r"""(?P<end>[.!?]+["'”’)\]]*)        # terminal punctuation and closing quotes
        (?=\s+["“‘'(\[]?[\dA-Z]         # whitespace, then an opening quote/digit/capital
          | [A-Z][a-z])                 # or a capital glued to the full stop
    """,
    re.VERBOSE,
)
_PREV_WORD_RE = re.compile(r"([^\W\d_]+(?:\.[^\W\d_]+)*)\.$")


def split_sentences(
    text: str, start: int = 0, end: int | None = None, abbreviations: Iterable[str] | None = None
) -> list[tuple[int, int]]:
    """Character spans of the sentences in ``text[start:end]``.

    Rules: a sentence ends at ``.``, ``!`` or ``?`` (with any closing quotes or
    brackets) followed by whitespace and an upper-case letter, a digit or an
    opening quote; or at a full stop glued to a capitalised word after a
    lower-case word of two or more letters (``integrity.Armenian``). It does
    not end after a known abbreviation (``Sept.``, ``Mr.``), a dotted acronym
    (``U.S.``) or a single initial (``J. Smith``); a full stop followed by a
    lower-case word (machine-translation residue such as ``last week. forced``)
    does not end a sentence either.

    Returns
    -------
    list of (start, end)
        Offsets into ``text``, whitespace trimmed.
    """
    end = len(text) if end is None else end
    abbrevs = ABBREVIATIONS if abbreviations is None else ABBREVIATIONS | {a.lower() for a in abbreviations}
    spans: list[tuple[int, int]] = []
    cursor = start
    for m in _SENTENCE_END_RE.finditer(text, start, end):
        punct_end = m.end("end")
        glued = m.end() == punct_end and not text[punct_end : punct_end + 1].isspace()
        if text[m.start()] == "." and _is_abbreviation(text, cursor, m.start() + 1, abbrevs, glued):
            continue
        spans.append(_strip_span(text, cursor, punct_end))
        cursor = punct_end
    if text[cursor:end].strip():
        spans.append(_strip_span(text, cursor, end))
    return [s for s in spans if s[1] > s[0]]


def _is_abbreviation(text: str, sent_start: int, dot_end: int, abbrevs: frozenset[str], glued: bool) -> bool:
    match = _PREV_WORD_RE.search(text, max(sent_start, dot_end - 48), dot_end)
    if match is None:
        return False
    word = match.group(1)
    if glued:
        # 'integrity.Armenian' splits; 'U.S.Army' or 'Mr.Smith' do not.
        return "." in word or len(word) < 2 or word.lower() in abbrevs or not word.islower()
    if "." in word:  # dotted acronym such as U.S. or e.g.
        return True
    if len(word) == 1 and word.isupper():  # an initial
        return True
    return word.lower() in abbrevs


# --------------------------------------------------------------------------
# Quotations
# --------------------------------------------------------------------------

_OPEN_CLOSE = {"“": "”", "„": "”", "«": "»"}
_QUOTE_MARK_RE = re.compile('["“”„«»]')


def quote_spans(text: str, paragraphs: Iterable[tuple[int, int]]) -> Iterator[tuple[int, int, bool]]:
    """Spans of text inside double quotation marks, across paragraphs.

    Straight (``"``) and typographic (``“ ” „ « »``) double quotes are
    tracked. Following news style, a paragraph that opens a quotation without
    closing it continues the quotation into the next paragraph, which then
    re-opens it with a new opening mark; a paragraph that neither opens nor
    closes one ends the run.

    Parameters
    ----------
    text : str
        The article text.
    paragraphs : iterable of (start, end)
        Paragraph spans in reading order (see :func:`split_paragraphs`).

    Yields
    ------
    (start, end, closed)
        Offsets of the quoted text *including* its marks, per paragraph;
        ``closed`` is False when the quotation runs on past the paragraph end.
    """
    for p_start, p_end in paragraphs:
        open_at: int | None = None
        closer = ""
        for mark in _QUOTE_MARK_RE.finditer(text, p_start, p_end):
            i, ch = mark.start(), mark.group()
            if open_at is None:
                if ch in {"”", "»"}:
                    continue  # stray closer with nothing open: ignore
                open_at, closer = i, _OPEN_CLOSE.get(ch, '"')
            elif ch == closer or (closer == "”" and ch == '"'):  # “..." closes with a straight mark too
                yield open_at, i + 1, True
                open_at = None
        if open_at is not None:
            yield open_at, p_end, False
