"""Paragraph spans of article texts, batch by batch, and their tokens found on a second core meanwhile.

Lines are found by splitting all texts of a batch on ``\\r``/``\\n`` at once (polars) and trimmed with
Python's whitespace (:data:`PYTHON_WHITESPACE`, the characters of ``str.isspace``; Rust's own trim
differs on U+001C..U+001F); only the rare hard-wrapped articles go through
:func:`analysis.corpus.text.split_paragraphs`.

:class:`ParagraphStream` takes the texts of a corpus in batches as they are read. Once it holds
:data:`SCAN_MIN_BYTES` of paragraph text (and from the start for a lean batch), the compiled
scanner (:class:`~analysis.corpus._scan.RawTokenScanner`, one table of raw forms for the whole
corpus) finds the tokens of each batch's paragraphs on a thread of its own while the caller reads
and checks the next records, so that on two cores reading JSON and tokenizing overlap; with one
thread in polars' pool (the scale engine's processes) the tokens are found when the stream is
finished. Smaller corpora never import the scanner (numba).
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor

import numpy as np
import polars as pl

from analysis.corpus import text as textmod
from analysis.corpus._tokens import RawTokens

__all__ = ["PYTHON_WHITESPACE", "SCAN_MIN_BYTES", "ParagraphStream"]

#: Paragraph text (UTF-8 bytes) from which a corpus's tokens are found by the compiled scanner and
#: kept for ``count_terms``; smaller corpora only count their words, with the regex engine.
SCAN_MIN_BYTES = 1 << 20

#: The characters for which ``str.isspace()`` is true (what ``str.strip()`` and ``re``'s ``\\s`` use).
PYTHON_WHITESPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
    "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
#: A line ending in one of these (before trailing whitespace) is terminated, for the hard-wrap test.
_LINE_TERMINATORS = list('.!?:"”’)')


class ParagraphStream:
    """The paragraphs of article texts added batch by batch, and (for large corpora) their tokens.

    Parameters
    ----------
    lean : bool
        Find the tokens whatever the size (the scale engine's batches count terms).
    background : bool, optional
        Find the tokens on a thread of their own while more texts are added (default: when polars'
        pool has more than one thread).
    """

    def __init__(self, *, lean: bool = False, background: bool | None = None):
        self.lean = lean
        self.background = scan_aside() if background is None else background
        self.n_articles = 0
        self._frames: list[pl.DataFrame] = []
        self._n_bytes = 0
        self._scans: list[Future] = []
        self._pool: ThreadPoolExecutor | None = None
        self._scanner = None

    def add(self, texts: Sequence[str]) -> None:
        """Split ``texts`` (the next articles, in order) into paragraphs; start finding their tokens."""
        if not len(texts):
            return
        paras = _paragraphs(pl.Series("text", texts, dtype=pl.String), texts)
        if self.n_articles:
            paras = paras.with_columns(pl.col("article") + self.n_articles)
        self.n_articles += len(texts)
        self._frames.append(paras)
        self._n_bytes += int(paras["text"].str.len_bytes().sum())
        if self.background and self._scanning():
            if self._pool is None:
                self._scanner = _scanner()
                self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="scan")
            while len(self._scans) < len(self._frames):  # the scanner kernel releases the GIL
                frame = self._frames[len(self._scans)]
                self._scans.append(self._pool.submit(self._scanner.scan, frame["text"]))

    def finish(self) -> tuple[pl.DataFrame, RawTokens | None]:
        """Every paragraph added (``article``, ``paragraph_index``, ``start``, ``end``, ``text``) and,
        for a lean or large corpus, the tokens of each (None otherwise)."""
        try:
            paras = (
                pl.concat(self._frames) if self._frames else _paragraphs(pl.Series("text", [], pl.String), [])
            )
            if not self._scanning():
                return paras, None
            if self._scanner is None:  # scanned here, in one pass
                self._scanner = _scanner()
                self._scanner.scan(paras["text"])
            for scan in self._scans:  # in order, one thread: each batch's ids follow the last's
                scan.result()
            return paras, self._scanner.tokens()
        finally:
            self.close()

    def close(self) -> None:
        """Stop finding tokens: batches not yet started are dropped, the one under way ends."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def _scanning(self) -> bool:
        return self.lean or self._n_bytes >= SCAN_MIN_BYTES


def scan_aside() -> bool:
    """Whether a stream finds tokens on a thread of its own: when polars' pool has more than one."""
    return pl.thread_pool_size() > 1


def _scanner():
    """A new :class:`~analysis.corpus._scan.RawTokenScanner` (numba is imported here: only corpora
    that need it load it)."""
    from analysis.corpus._scan import RawTokenScanner  # numba, for lean and large corpora only

    return RawTokenScanner()


def _lines(texts: pl.Series) -> pl.DataFrame:
    """Non-blank lines (runs of characters other than CR and LF) of every text, trimmed.

    Returns
    -------
    polars DataFrame
        ``article``, ``raw_len`` (untrimmed length), ``start``, ``end``, ``text`` (trimmed).
    """
    pieces = (
        pl.DataFrame({"piece": texts})
        .with_row_index("article")
        .select("article", pl.col("piece").str.replace_all("\r", "\n", literal=True).str.split("\n"))
        .explode("piece")
        .with_columns(raw_len=pl.col("piece").str.len_chars().cast(pl.Int64))
    )
    step = pl.col("raw_len") + 1
    lead = pl.col("raw_len") - pl.col("piece").str.strip_chars_start(PYTHON_WHITESPACE).str.len_chars()
    return (
        pieces.with_columns(
            start=(step.cum_sum() - step).over("article") + lead,
            text=pl.col("piece").str.strip_chars(PYTHON_WHITESPACE),
        )
        .filter(pl.col("text") != "")
        .with_columns(end=pl.col("start") + pl.col("text").str.len_chars())
        .select("article", "raw_len", "start", "end", "text")
    )


def _hard_wrapped(texts: pl.Series, lines: pl.DataFrame) -> np.ndarray:
    """Indices of the articles whose lines look hard-wrapped (``text._looks_hard_wrapped``)."""
    n = pl.len()
    per_article = lines.group_by("article").agg(
        n_lines=n,
        p90=pl.col("raw_len").sort().gather(((n - 1) * 0.9).cast(pl.Int64)).first(),
        unterminated=(~pl.col("text").str.slice(-1).is_in(_LINE_TERMINATORS)).sum(),
    )
    candidates = per_article.filter(
        (pl.col("n_lines") >= 8) & (pl.col("p90") <= 100) & (pl.col("unterminated") / pl.col("n_lines") > 0.5)
    )["article"].to_numpy()
    blank_gap = texts.str.contains(r"\n[ \t]*\r?\n").to_numpy()
    return np.sort(candidates[blank_gap[candidates]])


def _paragraphs(texts: pl.Series, text_list: Sequence[str]) -> pl.DataFrame:
    """Paragraph spans of every text (``text.split_paragraphs``).

    Returns
    -------
    polars DataFrame
        ``article``, ``paragraph_index``, ``start``, ``end``, ``text``, in reading order.
    """
    lines = _lines(texts)
    wrapped = _hard_wrapped(texts, lines)
    lines = lines.drop("raw_len")
    if len(wrapped):
        rows = [
            (int(a), s, e, text_list[a][s:e])
            for a in wrapped
            for s, e in textmod.split_paragraphs(text_list[a])
        ]
        blocks = pl.DataFrame(
            rows,
            schema={"article": pl.UInt32, "start": pl.Int64, "end": pl.Int64, "text": pl.String},
            orient="row",
        )
        lines = pl.concat([lines.filter(~pl.col("article").is_in(wrapped.tolist())), blocks])
        lines = lines.sort("article", maintain_order=True)
    # lines come in article order: each one's index is its row minus its article's first row
    article = lines["article"].to_numpy().astype(np.int64)
    firsts = np.flatnonzero(np.diff(article, prepend=-1))
    index = np.arange(len(article)) - np.repeat(firsts, np.diff(np.append(firsts, len(article))))
    return lines.with_columns(paragraph_index=pl.Series(index, dtype=pl.Int64))
