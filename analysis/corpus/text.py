"""The shared tokenizer, sentence splitter and quotation tracker.

Pure functions, no I/O. Every analysis in the package tokenizes through
:func:`tokenize` / :func:`token_spans` so counts, contrasts and evidence
snippets agree (a common complaint about Scattertext is that they do not).

Tokenizer rules
---------------
* A token is a run of letters, combining marks and numbers (Unicode general
  categories L*, M*, N*) that starts with a letter or a number, so combining
  marks stay inside their word (Hindi ``सरकार``, decomposed ``café``). Everything
  else separates tokens: punctuation, symbols (emoji, ``©``, circled letters),
  spaces, the underscore, and characters not assigned in Unicode 14.0 (the
  version the classes in :mod:`analysis.corpus._unicode_classes` are fixed at).
  Emoji are never tokens.
* Inside a word, a hyphen, an apostrophe or a zero-width (non-)joiner joins
  two runs: ``"می\\u200cخواهم"`` (Persian, with a zero-width non-joiner) is one
  token. A joiner between symbols (the ZWJs of an emoji sequence) is not.
* Hyphenated names stay whole: ``Nagorno-Karabakh`` -> ``nagorno-karabakh``.
* Curly and straight apostrophes are folded, and the possessive ``'s`` is
  removed: ``Russia’s`` and ``Russia's`` both count as ``russia``; a plural
  possessive (``Armenians’``) loses its trailing apostrophe.
* Numbers (decimal digits) stay whole with their separators: ``6,650``,
  ``120,000``, ``2.5``; ``44-day`` is one token. Other numbers (``²``, ``½``,
  ``Ⅻ``) count as letters: ``km²`` is one token.
* Dotted abbreviations stay whole without their final dot: ``U.S.`` -> ``u.s``.
* Everything is lower-cased (``str.lower``); no stemming.

The regular expression :data:`TOKEN_PATTERN` spells every character class as
explicit code-point ranges and uses no look-around, so Python's ``re`` and the
Rust regex engine (polars) find exactly the same tokens, which lets vectorized
counting paths share the tokenization (``\\w`` would not: the engines disagree
on it for about 12,900 code points). ``tests/test_tokenizer_unicode.py`` checks
both engines on every code point.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator

import numpy as np

from analysis.corpus import _unicode_classes as uc

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

_ASTRAL = 0x10000  # first code point beyond the Basic Multilingual Plane


def _char_class(*tables: tuple[tuple[int, int], ...], below: int) -> str:
    """A regex character class of the code points of ``tables`` that lie below ``below``."""

    def code(cp: int) -> str:
        return f"\\u{cp:04x}" if cp <= 0xFFFF else f"\\U{cp:08x}"

    spans = sorted((a, min(b, below - 1)) for table in tables for a, b in table if a < below)
    return "[" + "".join(code(a) if a == b else f"{code(a)}-{code(b)}" for a, b in spans) + "]"


def _token_pattern(below: int = 0x110000) -> str:
    """The token regex restricted to code points below ``below`` (the rules: module docstring)."""
    alpha = _char_class(uc.LETTER, uc.OTHER_NUMBER, below=below)
    alpha_or_mark = _char_class(uc.LETTER, uc.MARK, uc.OTHER_NUMBER, below=below)
    first = _char_class(uc.LETTER, uc.DIGIT, uc.OTHER_NUMBER, below=below)
    inner = _char_class(uc.LETTER, uc.MARK, uc.DIGIT, uc.OTHER_NUMBER, below=below)
    digit = _char_class(uc.DIGIT, below=below)
    mark = _char_class(uc.MARK, below=below)
    abbreviation = rf"(?:{alpha}{mark}*\.){{2,}}"
    number = rf"{digit}+(?:[.,]{digit}+)*(?:-{alpha}{alpha_or_mark}*)*"
    word = rf"{first}{inner}*(?:[-'’\u200c\u200d]{first}{inner}*)*"
    return f"{abbreviation}|{number}|{word}"


#: Regex for one raw token (before :func:`normalize_token`); runs unchanged in polars.
TOKEN_PATTERN = _token_pattern()


# Python's ``re`` tests a character against the classes' ranges beyond the Basic Multilingual
# Plane one by one (hundreds of them), which makes TOKEN_PATTERN several times slower than it
# needs to be. The reference tokenizer therefore runs the same pattern restricted to the BMP, on
# the text itself when it has no character beyond the BMP, else on a copy in which each such
# character is replaced by a BMP stand-in of the same class (a letter by "a", a mark by U+0300,
# ...; anything else by NUL). Every class of the pattern is a union of these classes, and the copy
# has the same length, so the matches and their offsets are exactly those of TOKEN_PATTERN.
@functools.cache
def _bmp_token_re() -> re.Pattern[str]:
    """TOKEN_PATTERN below the astral planes, compiled on first use (about 0.03 s, which loading a
    corpus never pays: it counts words in polars)."""
    return re.compile(_token_pattern(below=_ASTRAL))


_ASTRAL_RE = re.compile(r"[\U00010000-\U0010ffff]")
_STAND_INS = ((uc.LETTER, "a"), (uc.MARK, "\u0300"), (uc.DIGIT, "0"), (uc.OTHER_NUMBER, "\u00bd"))
_ASTRAL_RANGES = np.array(
    sorted(
        (max(a, _ASTRAL), b, ord(stand_in))
        for table, stand_in in _STAND_INS
        for a, b in table
        if b >= _ASTRAL
    ),
    dtype=np.uint32,
)


def _with_stand_ins(text: str) -> str:
    """``text`` with each character beyond the BMP replaced by its class's BMP stand-in (or NUL)."""
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).copy()
    astral = codes >= _ASTRAL
    found = np.searchsorted(_ASTRAL_RANGES[:, 0], codes[astral], side="right") - 1
    inside = (found >= 0) & (codes[astral] <= _ASTRAL_RANGES[found, 1])
    codes[astral] = np.where(inside, _ASTRAL_RANGES[found, 2], 0)
    return codes.tobytes().decode("utf-32-le")


def _token_matches(text: str) -> Iterator[re.Match]:
    """Matches of :data:`TOKEN_PATTERN` in ``text``: use their offsets, not their groups."""
    if _ASTRAL_RE.search(text) is not None:
        return _bmp_token_re().finditer(_with_stand_ins(text))
    return _bmp_token_re().finditer(text)


def _raw_tokens(text: str) -> list[str]:
    """The substrings of ``text`` that match :data:`TOKEN_PATTERN`, in order."""
    if _ASTRAL_RE.search(text) is None:
        return _bmp_token_re().findall(text)
    return [text[m.start() : m.end()] for m in _token_matches(text)]


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
    return token[:-2] if token.endswith("'s") else token


def token_spans(text: str) -> list[tuple[int, int, str]]:
    """Tokens of ``text`` with their character offsets.

    Returns
    -------
    list of (start, end, token)
        ``text[start:end]`` is the raw token, ``token`` its normalized form.
    """
    return [(m.start(), m.end(), normalize_token(text[m.start() : m.end()])) for m in _token_matches(text)]


def tokenize(text: str) -> list[str]:
    """Normalized tokens of ``text`` (see the module docstring for the rules)."""
    return [normalize_token(t) for t in _raw_tokens(text)]


def count_words(text: str) -> int:
    """Number of tokens in ``text``, the word count used throughout the package."""
    return len(_raw_tokens(text))


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

#: Sentence-final marks of scripts without the Latin capital-letter cue: CJK 。！？｡, the Devanagari
#: danda and double danda ।॥, Arabic ؟ and Urdu ۔, Armenian ։, Ethiopic ።፧, Myanmar ။, Khmer ។៕.
WIDE_TERMINATORS = "。！？｡।॥؟۔։።፧။។៕"
_WIDE_CLOSERS = "\"'”’)\\]」』）】〕〉》］｝"
# Every run is possessive (``++``, ``*+``) and may start only where no terminator precedes it, so
# each character is scanned a bounded number of times: the splitter is linear in the text length
# (a run of 50,000 dots used to take minutes). Possessive runs never change a match here: what
# follows a run can never be matched by giving characters back to it.
_SENTENCE_END_RE = re.compile(
    rf"""(?<![.!?{WIDE_TERMINATORS}])
        (?: (?P<end>[.!?]++["'”’)\]]*+)      # Latin terminal punctuation and closing quotes
            (?=\s++["“‘'(\[]?[\dA-Z]        # whitespace, then an opening quote/digit/capital
              | [A-Z][a-z])                 # or a capital glued to the full stop
          | (?P<wide>[.!?]*+[{WIDE_TERMINATORS}][.!?{WIDE_TERMINATORS}]*+[{_WIDE_CLOSERS}]*+)
            (?=\s*+\S)                     # a wide terminator ends a sentence before any more text
        )
    """,
    re.VERBOSE,
)
_PREV_WORD_RE = re.compile(r"([^\W\d_]+(?:\.[^\W\d_]+)*)\.$")
#: Lower-cased number signs: a full stop after one of them, followed by a numeral, ends no sentence.
NUMBER_SIGNS = frozenset({"no", "nos"})
_DIGIT_NEXT_RE = re.compile(r"\s+\d")


def split_sentences(
    text: str, start: int = 0, end: int | None = None, abbreviations: Iterable[str] | None = None
) -> list[tuple[int, int]]:
    """Character spans of the sentences in ``text[start:end]``.

    Rules: a sentence ends at ``.``, ``!`` or ``?`` (with any closing quotes or
    brackets) followed by whitespace and an upper-case letter, a digit or an
    opening quote; or at a full stop glued to a capitalised word after a
    lower-case word of two or more letters (``integrity.Armenian``). It does
    not end after a known abbreviation (``Sept.``, ``Mr.``), a dotted acronym
    (``U.S.``), a single initial (``J. Smith``) or a number sign before a numeral
    (``the No. 2``); a full stop followed by a
    lower-case word (machine-translation residue such as ``last week. forced``)
    does not end a sentence either. In scripts without capital letters a sentence ends after
    any run of :data:`WIDE_TERMINATORS` (``。！？``, ``।``, ``؟``, ``։`` ...) and its closing
    quotes or brackets, whatever follows. Linear in the length of the text.

    Returns
    -------
    list of (start, end)
        Offsets into ``text``, whitespace trimmed.
    """
    end = len(text) if end is None else end
    abbrevs = ABBREVIATIONS if abbreviations is None else ABBREVIATIONS | {a.lower() for a in abbreviations}
    spans: list[tuple[int, int]] = []
    cursor = start
    # matched on the slice so that the look-behind cannot see text before ``start``
    for m in _SENTENCE_END_RE.finditer(text[start:end]):
        punct_start, punct_end = start + m.start(), start + m.end()
        glued = not text[punct_end : punct_end + 1].isspace()
        latin_stop = m.group("end") is not None and text[punct_start] == "."
        if latin_stop and _is_abbreviation(text, cursor, punct_start + 1, abbrevs, glued):
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
    if word.lower() in NUMBER_SIGNS and _DIGIT_NEXT_RE.match(text, dot_end):
        return True  # 'the No. 2 in the leadership': news style never opens a sentence with a numeral
    return word.lower() in abbrevs


# --------------------------------------------------------------------------
# Quotations
# --------------------------------------------------------------------------

_OPEN_CLOSE = {"“": "”", "„": "”", "«": "»"}
_QUOTE_MARK_RE = re.compile('["“”„«»]')
_DOUBLE_MARKS = frozenset('"“”„')


def _closing_position(text: str, i: int, p_end: int) -> bool:
    """A mark at ``i`` that ends a quotation: right after a non-space, not before a letter or digit."""
    return i > 0 and not text[i - 1].isspace() and (i + 1 >= p_end or not text[i + 1].isalnum())


def _opening_position(text: str, i: int, p_start: int, p_end: int) -> bool:
    """A mark at ``i`` that starts a quotation: at the paragraph start or after a space, before a word."""
    return (i == p_start or text[i - 1].isspace()) and i + 1 < p_end and text[i + 1].isalnum()


def _closes(text: str, i: int, mark: str, opener: str, p_end: int) -> bool:
    """Whether ``mark`` at ``i`` closes the quotation that ``opener`` opened.

    Its own closer always does, and so does a straight mark after a typographic opener. Other
    double marks close it only in closing position (:func:`_closing_position`): a typographic
    closer after a straight opener ('"words.”') and an opening mark typed for a closer
    ('“words.“'). Guillemets pair only with each other.
    """
    if mark == _OPEN_CLOSE.get(opener, '"') or (mark == '"' and opener in _OPEN_CLOSE):
        return True
    if mark not in _DOUBLE_MARKS or opener not in _DOUBLE_MARKS:
        return False
    return _closing_position(text, i, p_end)


def quote_spans(text: str, paragraphs: Iterable[tuple[int, int]]) -> Iterator[tuple[int, int, bool]]:
    """Spans of text inside double quotation marks, across paragraphs.

    Straight (``"``) and typographic (``“ ” „ « »``) double quotes are
    tracked. Following news style, a paragraph that opens a quotation without
    closing it continues the quotation into the next paragraph, which then
    re-opens it with a new opening mark; a paragraph that neither opens nor
    closes one ends the run.

    Marks are paired within a paragraph, never across one. Mixed and
    mistyped marks are paired by position: an opening mark is closed by the
    next mark of its pair (``“ ”``, ``« »``, ``" "``), by a straight mark,
    or by any other double mark in closing position (after a non-space
    character and not before a letter or digit: ``"words.”``,
    ``“words.“``). A closing mark ``”`` in opening position (at the
    paragraph start or after a space, before a letter or digit) opens a
    quotation; elsewhere a closer with nothing open is ignored.

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
        opener = ""
        for mark in _QUOTE_MARK_RE.finditer(text, p_start, p_end):
            i, ch = mark.start(), mark.group()
            if open_at is None:
                if ch == "»" or (ch == "”" and not _opening_position(text, i, p_start, p_end)):
                    continue  # stray closer with nothing open: ignore
                open_at, opener = i, ch
            elif _closes(text, i, ch, opener, p_end):
                yield open_at, i + 1, True
                open_at = None
        if open_at is not None:
            yield open_at, p_end, False
