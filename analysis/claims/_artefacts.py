"""Machine-translation artefacts and aggregator signatures, with evidence spans.

Signals, each a pattern over an article's kept paragraphs (offsets into the original text):

``stray_capitals``
    A sentence that opens with an all-capitals *function word* (an article, preposition,
    conjunction or auxiliary of ``analysis/data/stopwords_en.txt``) followed by a word that is
    not itself in capitals ('TO Azerbaijan military offensive'): translation engines keep the
    casing of a headline or a segment start. Acronyms and datelines (RIGA, NKR) are content
    words, and all-capitals lines ('FULL TEXT', 'HOW TO SPOT BEDBUGS', 'IN BRIEF') are house
    style: neither counts.
``doubled_word``
    A word repeated with nothing between ('the the', 'made made'), or a clause that ends on
    'X and X' / 'X or X' ('vie for influence and influence.'). Numbers, a change of case
    ('trump Trump'), words inside markup or URLs, grammatical doubles ('that that', 'had had',
    'came in in 1979'), interjections ('ha ha') and English reduplication ('over and over',
    'more and more', 'millions and millions', 'bigger and bigger', 'talking and talking',
    'inflation and inflation expectations') do not count.
``split_sentence``
    A full stop that cuts a sentence: a full stop followed by a lower-case word ('last week.
    forced'), or stray stops around punctuation ('. .', '. ,'). Ellipses ('...', '. . .', '…'),
    URLs after a full stop ('. pic.twitter.com', '. https://'), abbreviations (U.S., Sept.,
    etc.) and short capitalised abbreviations such as state names ('Calif. win') do not count.
``lowercased_name``
    A word written in lower case that the corpus otherwise capitalises on its own in
    mid-sentence (at least ``min_name_count`` times, and in at least two thirds of its
    stand-alone uses, so that a minority of lower-case slips does not hide the name), e.g.
    'azerbaijan', 'ukraine'. Words seen capitalised only inside multi-word titles ('Criminal
    Court') or headline-case lines are not names; a word that articles of two or more outlets
    write in lower case is an ordinary word that is also a name ('house' and 'House',
    'march', 'democratic'), not a slip; hashtags, handles and URLs are not words.
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
split sentences). An article is *flagged* as likely machine-translated when its
score is at least :data:`FLAG_SCORE` and its weighted signals add up to at least
:data:`FLAG_MIN_SIGNALS` (one typo in a short native article is not a pattern).
The rules and the threshold were calibrated on native English news (PolNeAR:
840 US news articles of 2016 from 7 outlets); ``benchmarks/bench_artefacts.py``
measures the false-positive rate and docs/claims.md states it.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from functools import cache
from pathlib import Path

import pandas as pd
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from analysis.corpus import Corpus
from analysis.corpus.text import ABBREVIATIONS, count_words
from analysis.data import read_table, read_word_list
from analysis.schemas import frame, validate
from analysis.schemas.claims import ArtefactEvidence, ArtefactScores

__all__ = [
    "translation_artefacts",
    "aggregator_signatures",
    "artefact_scores",
    "SIGNAL_WEIGHTS",
    "FLAG_SCORE",
    "FLAG_MIN_SIGNALS",
]

#: Weight of each signal in the translation score (missing_space and signatures are reported, not scored).
SIGNAL_WEIGHTS = {"stray_capitals": 1.0, "doubled_word": 1.0, "split_sentence": 1.0, "lowercased_name": 0.5}
#: Translation score (weighted signals per 1,000 words) from which an article is flagged.
FLAG_SCORE = 3.0
#: Fewest weighted translation signals an article needs to be flagged, whatever its length.
FLAG_MIN_SIGNALS = 3.0

_STRAY_CAPS = re.compile(r"(?:^|[.!?][\"”’)]?\s+)(?P<w>[A-Z]{2,})\s+(?P<next>[A-Za-z][\w’'-]*)")
_DOUBLED = re.compile(
    r"(?<![\w<@#/.=-])(?P<w>[^\W\d_]{2,})(?P<conj>\s+(?:and|or))?\s+(?P<second>(?P=w))(?![\w’'=-])"
    r"(?=(?P<after>\W?))",
    re.IGNORECASE,
)
#: Doubles that English grammar or speech produces ('that that', 'had had', 'came in in 1979', 'ha ha').
_GRAMMATICAL_DOUBLES = frozenset(
    "that had in is do very really many so no yes blah ha tsk bye please well now".split()
)
#: Words that English repeats around 'and'/'or' for emphasis or duration ('over and over', 'on and on').
_REDUPLICATED = frozenset(
    "over again on through round around back forth up down out in off away far wide long more less "
    "neck side hand one".split()
)
_SPLIT = re.compile(
    r"(?P<prev>[\w.]+)\.\s+(?P<next>[a-z][a-z]+)\b(?![.:]\w|:/)|\.\s*\.(?!\.)|\s\.(?=\s)|,\s*\.(?!\d)|\.\s+,"
)
_ELLIPSIS = re.compile(r"\.(?:\s?\.){2,}|…")
#: Abbreviations missing from the shared list that native text puts before a lower-case word.
_MORE_ABBREVIATIONS = frozenset({"etc", "ca", "viz", "ie", "eg"})
_MISSING_SPACE = re.compile(r"[a-z]{2}[,;.](?=[A-Za-z])")
_WORD = re.compile(r"(?<![@#/.\w])[^\W\d_][\w’'-]*(?![\w@/]|\.\w)")
_POSSESSIVE = re.compile(r"[’']s?$")
_SENT_START = re.compile(r"(?:^|[.!?:][\"”’)]?\s+|[“\"(]\s*)$")


@cache
def _function_words() -> frozenset[str]:
    """Articles, prepositions, conjunctions and auxiliaries (the shipped English stop list)."""
    return read_word_list("stopwords_en.txt")


def _context(text: str, start: int, end: int, width: int = 40) -> str:
    return text[max(0, start - width) : end + width].replace("\n", " ")


def _headline_case(words: list[str]) -> bool:
    """True for a title-case line: all of its words of four letters or more (two at least) are capitalised."""
    long = [w for w in words if len(w) >= 4]
    return len(long) >= 2 and all(w[0].isupper() for w in long)


def _proper_names(corpus: Corpus, min_count: int) -> set[str]:
    """Words the corpus treats as names (lower-cased keys).

    A name is capitalised mid-sentence on its own (neither neighbour
    capitalised, so words of multi-word titles such as 'International Criminal
    Court' do not count; nor do headline-case lines) at least ``min_count`` times,
    such uses are at least two thirds of its capitalised-alone plus lower-case
    uses, and no two outlets write it in lower case (then it is also an ordinary
    word: 'house', 'march').
    """
    caps: Counter[str] = Counter()
    lower: Counter[str] = Counter()
    lower_outlets: defaultdict[str, set] = defaultdict(set)
    for text, outlet in zip(corpus.sentences["text"], corpus.sentences["outlet"], strict=True):
        words = list(_WORD.finditer(text))
        if _headline_case([m.group() for m in words]):
            continue
        for i, m in enumerate(words):
            if m.start() == 0 or _SENT_START.search(text[: m.start()]):
                continue
            word = m.group()
            key = _POSSESSIVE.sub("", word.lower())
            if word.islower():
                lower[key] += 1
                lower_outlets[key].add(outlet)
            elif word[0].isupper() and not word.isupper():
                neighbours = [words[j].group() for j in (i - 1, i + 1) if 0 <= j < len(words)]
                if not any(n[0].isupper() for n in neighbours):
                    caps[key] += 1
    return {
        w
        for w, n in caps.items()
        if n >= min_count
        and n / (n + lower[w]) >= 2 / 3
        and w not in ENGLISH_STOP_WORDS
        and len(lower_outlets[w]) < 2
    }


def _is_doubled_artefact(m: re.Match) -> bool:
    """Whether a repeated word looks like a translation slip rather than English (see ``doubled_word``)."""
    first, second = m.group("w"), m.group("second")
    word = first.lower()
    if m.group("conj"):
        ends_clause = m.group("after") in ("", *'.,;:!?"”’)')
        reduplicated = (
            word in _REDUPLICATED
            or word.endswith(("er", "s", "ing", "ed"))
            or not first.islower()  # 'Democratic or Democratic-leaning', 'Iranian and Iranian-American'
        )
        return ends_clause and not reduplicated
    return first == second and first.islower() and word not in _GRAMMATICAL_DOUBLES


def _is_split_artefact(m: re.Match, ellipses: list[tuple[int, int]]) -> bool:
    """Whether a full-stop match cuts a sentence (not an ellipsis, URL or abbreviation)."""
    if any(s <= m.start() < e or s < m.end() <= e for s, e in ellipses):
        return False
    prev = m.group("prev")
    if prev is None:
        return True
    short_capitalised = prev[0].isupper() and len(prev) <= 5  # 'Calif.', 'Ariz.', 'Pa.'
    known = prev.lower() in ABBREVIATIONS or prev.lower() in _MORE_ABBREVIATIONS
    return not ("." in prev or known or len(prev) == 1 or short_capitalised)


def translation_artefacts(corpus: Corpus, *, min_name_count: int = 3) -> pd.DataFrame:
    """Every translation and formatting artefact in the kept paragraphs, with offsets.

    Returns
    -------
    DataFrame
        Schema :class:`analysis.schemas.claims.ArtefactEvidence`: ``article_id``,
        ``outlet``, ``signal``, ``start``, ``end``, ``text``, ``context``.
    """
    names = _proper_names(corpus, min_name_count)
    function_words = _function_words()
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
            if m.group("w").lower() in function_words and not m.group("next").isupper():
                add(para, "stray_capitals", m.start("w"), m.end("w"))
        for m in _DOUBLED.finditer(text):
            if _is_doubled_artefact(m):
                add(para, "doubled_word", m.start(), m.end())
        ellipses = [e.span() for e in _ELLIPSIS.finditer(text)]
        for m in _SPLIT.finditer(text):
            if _is_split_artefact(m, ellipses):
                prev = m.group("prev")
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
        (per 1,000 words; for 'total' the weighted sum of :data:`SIGNAL_WEIGHTS`),
        ``flagged`` (on the 'total' row: score >= :data:`FLAG_SCORE` and weighted
        signals >= :data:`FLAG_MIN_SIGNALS`; False on every other row).
    """
    signals = [*SIGNAL_WEIGHTS, "missing_space", "aggregator_signature"]
    counts_of = {aid: signal.value_counts() for aid, signal in evidence.groupby("article_id")["signal"]}
    rows = []
    for art in corpus.articles.itertuples(index=False):
        n_words = int(art.n_words) or count_words(art.text)
        counts = counts_of.get(art.article_id, pd.Series(dtype="int64"))
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
                    flagged=False,
                )
            )
            total += SIGNAL_WEIGHTS.get(signal, 0.0) * n
        n_scored = int(sum(counts.get(s, 0) for s in SIGNAL_WEIGHTS))
        score = round(1000 * total / n_words, 4)
        rows.append(
            dict(
                article_id=art.article_id,
                outlet=art.outlet,
                n_words=n_words,
                signal="total",
                n=n_scored,
                score=score,
                flagged=score >= FLAG_SCORE and total >= FLAG_MIN_SIGNALS,
            )
        )
    return validate(frame(rows, ArtefactScores), ArtefactScores, table="artefact_scores")
