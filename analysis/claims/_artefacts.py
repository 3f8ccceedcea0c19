"""Machine-translation artefacts and aggregator signatures, with evidence spans.

Signals, each a pattern over an article's kept paragraphs (offsets into the original text):

``stray_capitals``
    A sentence that opens with an all-capitals *function word* followed by a
    word ('TO Azerbaijan military offensive'): translation engines keep the
    casing of a headline or a segment start. Acronyms and datelines (RIGA,
    NKR) are content words and do not count.
``doubled_word``
    A word repeated with nothing, or only 'and'/'or', between ('influence and
    influence', 'the the'); numbers are ignored.
``split_sentence``
    A full stop that cuts a sentence: a full stop followed by a lower-case
    word ('last week. forced'), or stray stops around punctuation ('. .', '. ,').
    Abbreviations (U.S., Sept.) are excluded.
``lowercased_name``
    A word written in lower case that the corpus otherwise capitalises on its
    own in mid-sentence (at least ``min_name_count`` times, and in at least two
    thirds of its stand-alone uses, so that a minority of lower-case slips does
    not hide the name), e.g. 'azerbaijan', 'ukraine'. Words seen capitalised
    only inside multi-word titles ('Criminal Court') are not names.
``missing_space``
    Punctuation glued to the next word ('Caucasus,effectively'). Reported,
    but not part of the translation score: it comes from text extraction and
    hand typing as much as from translation.
``aggregator_signature``
    Patterns of ``analysis/data/claims_aggregator_signatures.csv`` over the
    whole original text (aggregator disclaimers are usually removed as
    boilerplate, so removed paragraphs are searched too).

The translation score of an article is the weighted number of translation
signals per 1,000 words. ``stray_capitals``, ``doubled_word`` and
``split_sentence`` weigh 1: they are characteristic of segment-by-segment
machine translation. ``lowercased_name`` weighs 0.5: it is also what careless
typing produces (a wire report typed in haste lowercases names but does not
split sentences).
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pandas as pd
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from analysis.corpus import Corpus
from analysis.corpus.text import ABBREVIATIONS, count_words
from analysis.data import read_table
from analysis.schemas import frame, validate
from analysis.schemas.claims import ArtefactEvidence, ArtefactScores

__all__ = ["translation_artefacts", "aggregator_signatures", "artefact_scores", "SIGNAL_WEIGHTS"]

#: Weight of each signal in the translation score (missing_space and signatures are reported, not scored).
SIGNAL_WEIGHTS = {"stray_capitals": 1.0, "doubled_word": 1.0, "split_sentence": 1.0, "lowercased_name": 0.5}

_STRAY_CAPS = re.compile(r"(?:^|[.!?][\"”’)]?\s+)(?P<w>[A-Z]{2,})(?=\s+[A-Za-z])")
_DOUBLED = re.compile(r"\b(?P<w>[^\W\d_]{2,})(?:\s+(?:and|or))?\s+(?P=w)\b", re.IGNORECASE)
_SPLIT = re.compile(
    r"(?P<prev>[\w.]+)\.\s+(?P<next>[a-z][a-z]+)\b|\.\s*\.(?!\.)|\s\.(?=\s)|,\s*\.(?!\d)|\.\s+,"
)
_MISSING_SPACE = re.compile(r"[a-z]{2}[,;.](?=[A-Za-z])")
_WORD = re.compile(r"[^\W\d_][\w’'-]*")
_POSSESSIVE = re.compile(r"[’']s?$")
_SENT_START = re.compile(r"(?:^|[.!?:][\"”’)]?\s+|[“\"(]\s*)$")


def _context(text: str, start: int, end: int, width: int = 40) -> str:
    return text[max(0, start - width) : end + width].replace("\n", " ")


def _proper_names(corpus: Corpus, min_count: int) -> set[str]:
    """Words the corpus treats as names (lower-cased keys).

    A name is capitalised mid-sentence on its own (neither neighbour
    capitalised, so words of multi-word titles such as 'International Criminal
    Court' do not count) at least ``min_count`` times, and such uses are at
    least two thirds of its capitalised-alone plus lower-case uses.
    """
    caps: Counter[str] = Counter()
    lower: Counter[str] = Counter()
    for text in corpus.sentences["text"]:
        words = list(_WORD.finditer(text))
        for i, m in enumerate(words):
            if m.start() == 0 or _SENT_START.search(text[: m.start()]):
                continue
            word = m.group()
            key = _POSSESSIVE.sub("", word.lower())
            if word.islower():
                lower[key] += 1
            elif word[0].isupper() and not word.isupper():
                neighbours = [words[j].group() for j in (i - 1, i + 1) if 0 <= j < len(words)]
                if not any(n[0].isupper() for n in neighbours):
                    caps[key] += 1
    return {
        w
        for w, n in caps.items()
        if n >= min_count and n / (n + lower[w]) >= 2 / 3 and w not in ENGLISH_STOP_WORDS
    }


def translation_artefacts(corpus: Corpus, *, min_name_count: int = 3) -> pd.DataFrame:
    """Every translation and formatting artefact in the kept paragraphs, with offsets.

    Returns
    -------
    DataFrame
        Schema :class:`analysis.schemas.claims.ArtefactEvidence`: ``article_id``,
        ``outlet``, ``signal``, ``start``, ``end``, ``text``, ``context``.
    """
    names = _proper_names(corpus, min_name_count)
    texts = corpus.articles.set_index("article_id")["text"]
    rows = []

    def add(para, signal: str, s: int, e: int) -> None:
        full = texts[para.article_id]
        rows.append(
            dict(
                article_id=para.article_id,
                outlet=para.outlet,
                signal=signal,
                start=para.start + s,
                end=para.start + e,
                text=para.text[s:e],
                context=_context(full, para.start + s, para.start + e),
            )
        )

    for para in corpus.paragraphs.itertuples(index=False):
        text = para.text
        for m in _STRAY_CAPS.finditer(text):
            if m.group("w").lower() in ENGLISH_STOP_WORDS:
                add(para, "stray_capitals", m.start("w"), m.end("w"))
        for m in _DOUBLED.finditer(text):
            add(para, "doubled_word", m.start(), m.end())
        for m in _SPLIT.finditer(text):
            prev = m.group("prev")
            if prev is not None and ("." in prev or prev.lower() in ABBREVIATIONS or len(prev) == 1):
                continue
            add(para, "split_sentence", m.start() + (len(prev) if prev else 0), m.end())
        for m in _MISSING_SPACE.finditer(text):
            add(para, "missing_space", m.start() + 2, m.end() + 1)
        for m in _WORD.finditer(text):
            if m.group().islower() and _POSSESSIVE.sub("", m.group()) in names:
                add(para, "lowercased_name", m.start(), m.end())
    table = frame(rows, ArtefactEvidence)
    table = pd.concat([table, aggregator_signatures(corpus)], ignore_index=True)
    table = table.sort_values(["article_id", "start", "signal"], kind="stable").reset_index(drop=True)
    return validate(table, ArtefactEvidence, table="artefact_evidence")


def _signatures(path: str | Path | None) -> pd.DataFrame:
    return read_table("claims_aggregator_signatures.csv", path)


def aggregator_signatures(corpus: Corpus, *, signatures: str | Path | None = None) -> pd.DataFrame:
    """Aggregator signatures in each article's full original text (removed boilerplate included).

    Returns
    -------
    DataFrame
        Schema ``ArtefactEvidence`` with ``signal`` = 'aggregator_signature'
        and ``text`` = the matched text; one row per match.
    """
    rules = _signatures(signatures)
    rows = []
    for art in corpus.articles.itertuples(index=False):
        for pattern in rules["pattern"]:
            for m in re.finditer(pattern, art.text, re.IGNORECASE | re.MULTILINE):
                rows.append(
                    dict(
                        article_id=art.article_id,
                        outlet=art.outlet,
                        signal="aggregator_signature",
                        start=m.start(),
                        end=m.end(),
                        text=m.group(),
                        context=_context(art.text, *m.span()),
                    )
                )
    table = frame(rows, ArtefactEvidence)
    return table


def artefact_scores(corpus: Corpus, evidence: pd.DataFrame) -> pd.DataFrame:
    """Counts and rates of each signal per article, plus the weighted translation score ('total').

    Returns
    -------
    DataFrame
        Schema :class:`analysis.schemas.claims.ArtefactScores`: ``article_id``,
        ``outlet``, ``n_words`` (kept words), ``signal``, ``n``, ``score``
        (per 1,000 words; for 'total' the weighted sum of :data:`SIGNAL_WEIGHTS`).
    """
    signals = [*SIGNAL_WEIGHTS, "missing_space", "aggregator_signature"]
    rows = []
    for art in corpus.articles.itertuples(index=False):
        n_words = int(art.n_words) or count_words(art.text)
        counts = evidence.loc[evidence["article_id"] == art.article_id, "signal"].value_counts()
        total = 0.0
        for signal in signals:
            n = int(counts.get(signal, 0))
            rows.append(
                dict(
                    article_id=art.article_id,
                    outlet=art.outlet,
                    n_words=n_words,
                    signal=signal,
                    n=n,
                    score=round(1000 * n / n_words, 4),
                )
            )
            total += SIGNAL_WEIGHTS.get(signal, 0.0) * n
        n_scored = int(sum(counts.get(s, 0) for s in SIGNAL_WEIGHTS))
        rows.append(
            dict(
                article_id=art.article_id,
                outlet=art.outlet,
                n_words=n_words,
                signal="total",
                n=n_scored,
                score=round(1000 * total / n_words, 4),
            )
        )
    return validate(frame(rows, ArtefactScores), ArtefactScores, table="artefact_scores")
