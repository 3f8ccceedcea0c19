"""Quotation marks: where quoted passages are in an article, and whether they are statements or scare quotes.

Double quotes (straight ``"`` and typographic ``“ ” „ « »``) are found with
:func:`analysis.corpus.text.quote_spans`; a paragraph that opens a quotation without
closing it continues into the next paragraph when that paragraph re-opens the
quotation (news style), so such a run becomes *one* passage whose pieces may
span several paragraphs. Single quotes (``‘…’`` or ``'…'``) are taken only as
short marked phrases (scare or naming quotes such as ‘peacekeeper’): the
opening mark must follow a space, bracket or line start and the closing mark
must not be followed by a letter, which keeps apostrophes (``Russia’s``,
``didn't``) out. Single quotes inside a double-quoted passage are nested
quotations and are left to the outer passage.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from analysis.corpus import text as textmod

__all__ = ["Passage", "find_passages", "naming_cue", "NAMING_RE", "MAX_SCARE_WORDS"]

#: Passages of at most this many words with no speech cue are scare or naming quotes.
MAX_SCARE_WORDS = 4

_SINGLE_RE = re.compile(
    r"(?:(?<=^)|(?<=[\s(\[—–-]))(?P<open>[‘'])(?P<body>[^‘’'\"“”\n]{1,60}?[^\s‘’'])(?P<close>[’'])(?![^\W_])"
)

#: Words right before a quoted phrase that make it a naming quote ('so-called', 'dubbed', 'refers to as').
NAMING_RE = re.compile(
    r"(?:so-called|self-styled|self-proclaimed|dubbed|branded|labell?ed|termed|nicknamed|known\s+as|"
    r"referred\s+to\s+as|refers?\s+to\s+(?:\w+\s+)?as|describ(?:ed|es|ing)\s+(?:\w+\s+)?as|"
    r"call(?:s|ed|ing)?(?:\s+(?:it|this|them|an?|the))?|what\s+(?:\w+\s+){1,3}call(?:s|ed)?(?:\s+an?|\s+the)?|"
    r"(?:an?|the|its|their|his|her)\s+)\s*$",
    re.IGNORECASE,
)


@dataclass
class Passage:
    """One quoted passage of an article.

    Attributes
    ----------
    start, end : int
        Offsets of the quoted words (marks excluded) in the article text.
    pieces : list of (start, end)
        Per-paragraph pieces of the content (one unless the quotation runs over paragraphs).
    open_mark, close_end : int
        Offset of the first opening mark and just after the last closing mark (or paragraph end).
    marks : str
        'double' or 'single'.
    closed : bool
        False when the last piece runs to its paragraph end without a closing mark.
    """

    start: int
    end: int
    pieces: list[tuple[int, int]]
    open_mark: int
    close_end: int
    marks: str
    closed: bool

    def text(self, article: str) -> str:
        """The quoted words, pieces joined by a space (equal to ``article[start:end]`` for one piece)."""
        return " ".join(article[s:e] for s, e in self.pieces)


def _content(article: str, start: int, end: int, closed: bool) -> tuple[int, int]:
    s, e = start + 1, end - 1 if closed else end
    while s < e and article[s].isspace():
        s += 1
    while e > s and (article[e - 1].isspace() or article[e - 1] in ",;"):
        e -= 1
    return s, e


def find_passages(article: str, paragraphs: list[tuple[int, int]]) -> list[Passage]:
    """Quoted passages of ``article`` within the given kept ``paragraphs`` (in reading order).

    Returns
    -------
    list of Passage
        Sorted by start offset; double-quoted passages merged across paragraphs
        where the quotation runs on, plus single-quoted short phrases outside them.
        Every passage has words (``start < end``): empty marks (``""``, an opening
        mark at a paragraph's end) make none, and add no empty piece to a run.
    """
    starts = [s for s, _ in paragraphs]

    def para_of(pos: int) -> int:
        return bisect.bisect_right(starts, pos) - 1

    passages: list[Passage] = []
    pending: Passage | None = None
    for q_start, q_end, closed in textmod.quote_spans(article, paragraphs):
        s, e = _content(article, q_start, q_end, closed)
        p = para_of(q_start)
        continues = (
            pending is not None and para_of(pending.close_end - 1) == p - 1 and q_start == paragraphs[p][0]
        )
        if continues:
            pending.close_end, pending.closed = q_end, closed
        else:
            if pending is not None and pending.pieces:
                passages.append(pending)
            pending = Passage(s, e, [], q_start, q_end, "double", closed)
        if e > s:
            if not pending.pieces:
                pending.start = s
            pending.pieces.append((s, e))
            pending.end = e
        if closed:
            if pending.pieces:
                passages.append(pending)
            pending = None
    if pending is not None and pending.pieces:
        passages.append(pending)
    inside = [(p.open_mark, p.close_end) for p in passages]
    for p_start, p_end in paragraphs:
        for m in _SINGLE_RE.finditer(article[:p_end], p_start):
            if any(a <= m.start() < b for a, b in inside):
                continue
            if textmod.count_words(m.group("body")) > MAX_SCARE_WORDS + 2:
                continue
            s, e = m.start("body"), m.end("body")
            passages.append(Passage(s, e, [(s, e)], m.start(), m.end(), "single", True))
    return sorted(passages, key=lambda p: p.start)


def naming_cue(article: str, line_start: int, open_mark: int) -> str | None:
    """The naming expression right before a quoted phrase ('so-called', 'what they called'), if any."""
    before = article[max(line_start, open_mark - 60) : open_mark]
    m = NAMING_RE.search(before)
    if m is None:
        return None
    cue = m.group().strip()
    return (
        cue
        if re.search(r"call|dub|brand|label|term|known|refer|describ|so-called|self-", cue, re.I)
        else None
    )
