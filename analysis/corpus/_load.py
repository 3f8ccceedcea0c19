"""The corpus layer: load articles, drop boilerplate (recorded, never silent), segment.

``load_corpus(path)`` accepts

* a folder holding ``manifest.csv`` (or ``manifest.toml``) and one text file per
  article; the manifest needs ``article_id``, ``file`` and ``outlet`` and may give
  ``outlet_type``, ``country``, ``language``, ``published``,
  ``published_precision``, ``headline`` (or ``title``), ``event_id``, ``url``,
  ``provenance`` and ``encoding`` (default UTF-8);
* a ``.jsonl``, ``.csv`` or ``.parquet`` file with columns ``article_id``,
  ``outlet``, ``text`` and optionally ``title``, ``published``, ``url``,
  ``outlet_type``, ``event_id``.

It returns a :class:`Corpus` of tidy tables whose character offsets point into
each article's original text. Bad input raises :class:`CorpusError` with one
line naming the file or row and the problem. Input files are only read. The
rules (non-regular files, duplicate columns and files, NFC ids, encodings, empty
articles, linear time) are listed in ``docs/corpus.md``.
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from analysis.corpus import text as textmod
from analysis.corpus._formats import OPTIONAL_COLUMNS, CorpusError
from analysis.corpus._paragraphs import ParagraphStream
from analysis.corpus._readers import iter_records
from analysis.corpus._rules import compile_rules
from analysis.corpus._segment import Segments, segment_articles
from analysis.corpus._tokens import record_tokens
from analysis.data import read_table
from analysis.infra.imports import hidden_modules
from analysis.schemas import validate
from analysis.schemas.corpus import Articles, Paragraphs, Removed, Sentences

__all__ = ["Corpus", "CorpusError", "load_corpus", "iter_corpus", "build_corpus", "boilerplate_rules"]

#: The fields of an article row taken from its record as they are.
_ARTICLE_FIELDS = ("article_id", "outlet", *OPTIONAL_COLUMNS)
#: What an article id must be: non-empty, with no ':' or whitespace.
_ID_RE = re.compile(r"[^:\s]+")
#: Text (characters) read between two hand-overs to the paragraph stream: big enough that polars'
#: per-call costs do not show, small enough that tokenizing starts early.
STREAM_CHARS = 1 << 21


@dataclass(frozen=True)
class Corpus:
    """Tidy tables of a loaded corpus.

    ``sentences`` is built on first access from ``articles`` and ``paragraphs`` (the term pipeline
    never reads it), validated, and cached on the object; a pickled corpus carries the table only
    if it was built.

    Attributes
    ----------
    articles : DataFrame
        One row per article (schema :class:`analysis.schemas.corpus.Articles`), with the original text.
    paragraphs : DataFrame
        Kept paragraphs (schema ``Paragraphs``), ids such as ``003:p12``.
    sentences : DataFrame
        Sentences of kept paragraphs (schema ``Sentences``), ids such as ``003:p12:s2``; lazy.
    removed : DataFrame
        Paragraphs dropped as boilerplate and the rule that dropped each (schema ``Removed``).
    source : str
        The path the corpus was loaded from.
    """

    articles: pd.DataFrame
    paragraphs: pd.DataFrame
    removed: pd.DataFrame
    source: str = ""
    _sentences: pd.DataFrame | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def sentences(self) -> pd.DataFrame:
        """Sentences of kept paragraphs, built and validated on first access, then cached."""
        if self._sentences is None:
            object.__setattr__(self, "_sentences", _sentence_table(self.articles, self.paragraphs))
        return self._sentences

    @property
    def sentences_built(self) -> bool:
        """Whether the sentence table has been built (or loaded with a pickled corpus)."""
        return self._sentences is not None

    @property
    def outlets(self) -> list[str]:
        """Outlet labels in order of first appearance."""
        return list(dict.fromkeys(self.articles["outlet"]))

    def text_of(self, article_id: str) -> str:
        """The original text of one article."""
        row = self.articles.loc[self.articles["article_id"] == article_id, "text"]
        if row.empty:
            raise KeyError(f"no article with id {article_id!r}")
        return row.iloc[0]

    def units(self, unit: Literal["paragraphs", "sentences", "articles"] = "paragraphs") -> pd.DataFrame:
        """The table for ``unit``: 'articles', 'paragraphs' or 'sentences'."""
        if unit not in {"articles", "paragraphs", "sentences"}:
            raise ValueError(f"unit must be 'articles', 'paragraphs' or 'sentences', not {unit!r}")
        return getattr(self, unit)


# --------------------------------------------------------------------------
# Boilerplate rules
# --------------------------------------------------------------------------


def boilerplate_rules(extra: str | Path | pd.DataFrame | None = None) -> pd.DataFrame:
    """The boilerplate rules: the shipped table plus any ``extra`` rules.

    Parameters
    ----------
    extra : path or DataFrame, optional
        More rules with the same columns as ``analysis/data/boilerplate.csv``.

    Returns
    -------
    DataFrame
        Columns ``rule_id``, ``category``, ``match`` ('fullmatch' or 'search'),
        ``pattern`` (case-insensitive regex on the stripped paragraph), ``description``.
    """
    rules = read_table("boilerplate.csv")
    if extra is not None:
        more = (
            extra if isinstance(extra, pd.DataFrame) else pd.read_csv(extra, dtype=str, keep_default_na=False)
        )
        rules = pd.concat([rules, more], ignore_index=True)
    bad = rules.loc[~rules["match"].isin(["fullmatch", "search"]), "rule_id"].tolist()
    if bad:
        raise CorpusError(f"boilerplate rules {bad}: 'match' must be 'fullmatch' or 'search'")
    for rule_id, pattern in zip(rules["rule_id"], rules["pattern"], strict=True):
        try:
            re.compile(pattern)
        except re.error as exc:
            raise CorpusError(f"boilerplate rule '{rule_id}': invalid regex ({exc})") from None
    return rules


# --------------------------------------------------------------------------
# Sentences (built lazily)
# --------------------------------------------------------------------------


def _paragraph_sentences(text: str, paragraph: Mapping) -> Iterator[dict]:
    """Sentence rows of one kept paragraph (a row of the paragraphs table) of the article ``text``."""
    pid = paragraph["paragraph_id"]
    for s_index, (s_start, s_end) in enumerate(
        textmod.split_sentences(text, paragraph["start"], paragraph["end"])
    ):
        sent = text[s_start:s_end]
        yield dict(
            sentence_id=f"{pid}:s{s_index}",
            paragraph_id=pid,
            article_id=paragraph["article_id"],
            outlet=paragraph["outlet"],
            outlet_type=paragraph["outlet_type"],
            sentence_index=s_index,
            start=s_start,
            end=s_end,
            text=sent,
            n_words=textmod.count_words(sent),
        )


def _sentence_table(articles: pd.DataFrame, paragraphs: pd.DataFrame) -> pd.DataFrame:
    """The validated sentences table (schema ``Sentences``) of the kept ``paragraphs``.

    Returns
    -------
    DataFrame
        ``sentence_id``, ``paragraph_id``, ``article_id``, ``outlet`` (and ``member_outlet`` when the
        paragraphs have it), ``outlet_type``, ``sentence_index``, ``start``, ``end``, ``text``, ``n_words``.
    """
    texts = dict(zip(articles["article_id"], articles["text"], strict=True))
    columns = ["paragraph_id", "article_id", "outlet", "outlet_type", "start", "end"]
    rows = [
        sent
        for para in paragraphs[columns].to_dict("records")
        for sent in _paragraph_sentences(texts[para["article_id"]], para)
    ]
    table = _frame(rows, Sentences)
    if "member_outlet" in paragraphs.columns:  # a grouped corpus (analysis.corpus.group_corpus)
        member = dict(zip(paragraphs["paragraph_id"], paragraphs["member_outlet"], strict=True))
        table.insert(table.columns.get_loc("outlet") + 1, "member_outlet", table["paragraph_id"].map(member))
    return validate(table, Sentences, table="sentences")


# --------------------------------------------------------------------------
# Building and loading
# --------------------------------------------------------------------------


def build_corpus(
    records: Iterable[Mapping],
    *,
    rules: pd.DataFrame | None = None,
    source: str = "",
    seen_ids: dict[str, str] | None = None,
    sentences: bool = True,
    lean: bool = False,
) -> Corpus:
    """Build a :class:`Corpus` from article records.

    Parameters
    ----------
    records : iterable of mappings
        Each with ``article_id``, ``outlet``, ``text``, ``source`` (file/row, for
        messages) and any of the optional metadata columns.
    rules : DataFrame, optional
        Boilerplate rules (default :func:`boilerplate_rules`).
    source : str
        Where the corpus came from.
    seen_ids : dict, optional
        Ids already loaded (id -> where), shared between batches to refuse duplicates across them.
    sentences : bool
        ``True`` (default): ``Corpus.sentences`` is built on first access (never, for callers that
        only read paragraphs). ``False`` makes it an empty table.
    lean : bool
        ``True`` for callers that only count terms (``count_terms_at_scale``'s batches): paragraph
        roles are all ``'body'``, ``quoted_chars`` all 0 and titles are not detected (see
        :func:`~analysis.corpus._segment.segment_articles`); the same records are checked and refused.

    Returns
    -------
    Corpus
    """
    _load_pandera_lean()
    compiled = compile_rules(boilerplate_rules() if rules is None else rules)
    stream = ParagraphStream(lean=lean)
    try:
        checked, problem = _checked_records(records, {} if seen_ids is None else seen_ids, stream)
        segments = segment_articles(checked, compiled, lean=lean, stream=stream)
    finally:
        stream.close()
    empty = np.flatnonzero((segments.n_kept == 0) | (segments.n_words == 0))
    if len(empty):
        raise CorpusError(_empty_article_message(checked[empty[0]], segments))
    if problem is not None:
        raise problem
    if not checked:
        raise CorpusError(f"{source}: no articles found")
    texts = [rec["text"] for rec in checked]
    articles = {k: [rec.get(k) for rec in checked] for k in _ARTICLE_FIELDS}
    articles["title"] = [t or d for t, d in zip(articles["title"], segments.detected_titles, strict=True)]
    articles.update(
        source=[rec.get("source", "?") for rec in checked],
        text=texts,
        n_chars=[len(t) for t in texts],
        sha256=[hashlib.sha256(t.encode("utf-8")).hexdigest() for t in texts],
        n_words=segments.n_words,
    )
    corpus = Corpus(
        articles=validate(_frame(pd.DataFrame(articles), Articles), Articles, table="articles"),
        paragraphs=validate(_frame(segments.paragraphs, Paragraphs), Paragraphs, table="paragraphs"),
        removed=validate(_frame(segments.removed, Removed), Removed, table="removed"),
        source=source,
    )
    if segments.tokens is not None:  # a lean or large batch: count_terms reuses them
        record_tokens(corpus.paragraphs, segments.tokens)
    if not sentences:
        object.__setattr__(corpus, "_sentences", _empty_sentences().copy())
    return corpus


@functools.cache
def _empty_sentences() -> pd.DataFrame:
    """The validated empty sentences table, built once per process (each corpus gets a copy)."""
    return validate(_frame([], Sentences), Sentences, table="sentences")


def _load_pandera_lean() -> None:
    """Import the parts of pandera that validation loads lazily, without its optional heavy imports.

    At its first validation pandera imports Dask (to type Dask frames; ~0.6 s, seconds on a busy
    machine) and hypothesis (for its data-synthesis strategies; ~0.4 s), which a process that only
    loads a corpus would pay at its first ``load_corpus``. Both are hidden while pandera loads, as
    :func:`analysis.setup` hides Dask (:mod:`analysis.infra.imports`); lasting effect: pandera does
    not type Dask frames nor synthesize data, neither of which anything here uses. Nothing is
    hidden from a process that already imported them.
    """
    with hidden_modules("dask.dataframe", unless_loaded=("pandera.typing.dask",)):
        import pandera.typing.dask  # noqa: F401
    with hidden_modules("hypothesis", unless_loaded=("pandera.strategies.pandas_strategies",)):
        import pandera.strategies.pandas_strategies  # noqa: F401


def _checked_records(
    records: Iterable[Mapping], seen: dict[str, str], stream: ParagraphStream
) -> tuple[list[Mapping], CorpusError | None]:
    """The records before the first bad one, checked (ids and outlets in NFC), and that one's error.

    The error (a failed check, or one the reader raised) is returned, not raised, so that a problem
    the segmentation finds in an earlier record is reported first, as when articles were segmented
    one at a time. ``seen`` (id -> where) gains every id checked. Every :data:`STREAM_CHARS` of
    text, the records checked so far go to ``stream``, which splits them into paragraphs (and
    tokenizes a large corpus on another core) while the next ones are read.
    """
    checked: list[Mapping] = []
    iterator = iter(records)
    pending = 0
    while True:
        try:
            rec = next(iterator, None)
        except CorpusError as exc:  # the reader refused the next record: report it after the earlier ones
            return checked, exc
        if rec is None:
            return checked, None
        rec, problem = _checked(rec, seen)
        if problem is not None:
            return checked, CorpusError(problem)
        checked.append(rec)
        pending += len(rec["text"])
        if pending >= STREAM_CHARS:
            stream.add([r["text"] for r in checked[stream.n_articles :]])
            pending = 0


def _checked(rec: Mapping, seen: dict[str, str]) -> tuple[Mapping, str | None]:
    """``rec`` with its id and outlet in NFC, and what is wrong with it (None if nothing)."""
    where = rec.get("source", "?")
    article_id, outlet = _nfc(rec["article_id"]), _nfc(rec.get("outlet"))
    if article_id != rec["article_id"] or outlet != rec.get("outlet"):
        rec = {**rec, "article_id": article_id, "outlet": outlet}
    if not _ID_RE.fullmatch(article_id):
        return rec, f"{where}: article_id {article_id!r} must be non-empty with no ':' or whitespace"
    invisible = _first_invisible(article_id)
    if invisible is not None:
        return rec, (
            f"{where}: article_id {article_id!r} contains the invisible character "
            f"U+{ord(invisible):04X} ({unicodedata.name(invisible, 'unnamed')}); refused"
        )
    if article_id in seen:
        return rec, f"{where}: duplicate article_id {article_id!r} (also in {seen[article_id]})"
    seen[article_id] = where
    if not str(rec.get("outlet") or "").strip():
        return rec, f"{where}: article {article_id!r} has no outlet"
    if rec["text"].isspace() or not rec["text"]:  # what strip() finds, without copying the text
        return rec, f"{where}: article {article_id!r} is empty"
    return rec, None


def _empty_article_message(rec: Mapping, segments: Segments) -> str:
    """Why ``rec`` is refused: every paragraph removed, or no words in what is left."""
    where, article_id = rec.get("source", "?"), rec["article_id"]
    removed = segments.removed
    if not (segments.paragraphs["article_id"] == article_id).any():
        rule_ids = sorted(set(removed.loc[removed["article_id"] == article_id, "rule_id"]))
        return (
            f"{where}: article {article_id!r} has no text left after boilerplate removal "
            f"(rules matched: {rule_ids})"
        )
    return (
        f"{where}: article {article_id!r} has no words (only punctuation, symbols or "
        "invisible characters); empty articles are refused"
    )


#: Characters that render as nothing: controls, format characters (zero-width space, joiners, BOM,
#: bidi marks), surrogates, private-use and unassigned code points, plus the blank Hangul fillers and
#: the blank Braille pattern. Two ids that differ only by one of them would look identical.
_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp", "Zs"})
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")


def _first_invisible(s: str) -> str | None:
    """The first character of ``s`` that renders as nothing, or None."""
    if s.isascii() and s.isprintable():
        return None
    return next(
        (c for c in s if c in _BLANK_LETTERS or unicodedata.category(c) in _INVISIBLE_CATEGORIES), None
    )


def _nfc(value):
    """``value`` in Unicode normalisation form NFC (ids and outlets compare as they look); non-strings as they are."""
    if not isinstance(value, str) or unicodedata.is_normalized("NFC", value):
        return value
    return unicodedata.normalize("NFC", value)


def _frame(rows: list[dict] | pd.DataFrame, schema) -> pd.DataFrame:
    extra = rows.columns if isinstance(rows, pd.DataFrame) else (rows[0] if rows else [])
    # optional columns (member_outlet) only when the rows have them
    columns = [name for name, col in schema.to_schema().columns.items() if col.required or name in extra]
    df = pd.DataFrame(rows, columns=list(dict.fromkeys([*columns, *extra])))
    for name, col in schema.to_schema().columns.items():
        if name not in df.columns:
            continue
        dtype = "int64" if str(col.dtype).startswith("int") else object if str(col.dtype) == "str" else None
        if dtype is not None and df[name].dtype != dtype:  # a column already so typed is not copied
            df[name] = df[name].astype(dtype)
    return df


def load_corpus(path: str | Path, *, boilerplate: str | Path | pd.DataFrame | None = None) -> Corpus:
    """Load a corpus from a manifest folder or a .jsonl/.csv/.parquet file (or a folder of parquet shards).

    Parameters
    ----------
    path : str or Path
        Folder with ``manifest.csv``/``manifest.toml`` and text files, a table file, or a folder of
        ``.parquet`` shards.
    boilerplate : path or DataFrame, optional
        Extra boilerplate rules added to the shipped ones (see :func:`boilerplate_rules`).

    Returns
    -------
    Corpus

    Raises
    ------
    CorpusError
        One line naming the file or row and what is wrong.
    """
    return build_corpus(iter_records(path), rules=boilerplate_rules(boilerplate), source=str(path))


def iter_corpus(
    path: str | Path, *, batch_size: int = 10_000, boilerplate: str | Path | pd.DataFrame | None = None
) -> Iterator[Corpus]:
    """Stream a corpus as :class:`Corpus` batches of at most ``batch_size`` articles.

    Only one batch of texts is held at a time (readers stream .jsonl lines, .csv chunks and
    parquet record batches). Ids are checked for duplicates across batches; every other check is
    the same as :func:`load_corpus`, and the concatenated batches equal ``load_corpus(path)``.

    Yields
    ------
    Corpus
    """
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    rules = boilerplate_rules(boilerplate)
    seen: dict[str, str] = {}
    batch: list[dict] = []
    for record in iter_records(path, chunk_rows=batch_size):
        batch.append(record)
        if len(batch) == batch_size:
            yield build_corpus(batch, rules=rules, source=str(path), seen_ids=seen)
            batch = []
    if batch or not seen:
        yield build_corpus(batch, rules=rules, source=str(path), seen_ids=seen)
