"""Naming and labelling: which variant of a contested term each outlet uses, and in whose voice.

A contested-terms table lists, per ``group`` (the thing being named), the naming
``variant`` and an optional case-insensitive regex ``pattern`` (default: the
variant itself). By default it is discovered from the corpus
(:func:`analysis.framing._variants.naming_variants`); a user's table (CSV or
DataFrame; the seeds' example is ``analysis/data/terms_nk2023.csv``) replaces it.
Every occurrence gets a *voice*:

``scare_quoted``
    a distancing phrase just before it ('so-called', 'what they called',
    'what Baku calls'); single quotation marks around it ('peacekeeper');
    or a short double-quoted span (at most ``short_quote_words`` words) with
    no attribution cue in the sentence.
``attributed``
    inside a longer quotation (quotations are tracked across paragraphs by
    :func:`analysis.corpus.text.quote_spans`), inside a short quotation whose
    sentence names a speaker or speech act, after a naming attribution
    ('which Armenians call', 'described by Baku as'), after a speech or
    cognition verb in the same sentence ('Pashinyan warned that ...'), or in a
    sentence with an attribution anywhere ('according to', '..., officials said').
``asserted``
    none of the above: the outlet's own voice.

The cue lexicon is ``analysis/data/framing_attribution.csv`` (kinds
``distancing``, ``naming``, ``speech``, ``anywhere``), replaceable by a path.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis.corpus import Corpus, story_of
from analysis.corpus import text as textmod
from analysis.framing._io import FramingDataError, read_table, word_bounded
from analysis.framing._variants import MIN_CONFIDENCE, load_terms, naming_variants
from analysis.schemas import validate
from analysis.schemas.framing import NamingChoices, NamingMentions

__all__ = ["attribution_cues", "naming_mentions", "naming_choices", "single_quote_spans", "terms_table_note"]

_SINGLE_QUOTE = re.compile(r"(?<![\w’'])[‘'](?=\S)([^‘’'\n\"“”]{1,60}?)(?<=\S)[’'](?![\w])")
_WINDOW = 80
#: A speech verb attributes a term that follows it within this many words (same sentence).
_CLAUSE_WORDS = 15


@dataclass(frozen=True)
class _Cues:
    distancing: re.Pattern[str]
    naming: re.Pattern[str]
    speech: re.Pattern[str]
    anywhere: re.Pattern[str]


def attribution_cues(table: str | Path | pd.DataFrame | None = None) -> pd.DataFrame:
    """The attribution and distancing cue lexicon (default ``analysis/data/framing_attribution.csv``).

    Returns
    -------
    DataFrame
        Columns ``kind`` ('distancing', 'naming', 'speech' or 'anywhere'), ``pattern`` (regex), ``note``.
    """
    df = read_table(table, "framing_attribution.csv", ("kind", "pattern"))
    bad = sorted(set(df["kind"]) - {"distancing", "naming", "speech", "anywhere"})
    if bad:
        raise FramingDataError(f"attribution cues: unknown kind(s) {bad}")
    return df


def _compile_cues(table: pd.DataFrame) -> _Cues:
    def alt(kind: str, tail: str) -> re.Pattern[str]:
        pats = table.loc[table["kind"] == kind, "pattern"].tolist() or [r"(?!x)x"]
        src = "|".join(f"(?:{p})" for p in pats)
        return re.compile(f"(?P<cue>{word_bounded(src) if kind != 'anywhere' else src}){tail}", re.IGNORECASE)

    # distancing/naming cues must end right before the term (up to two words in between)
    tail = r"\s+[\"“‘']?(?:[\w’'-]+\s+){0,2}[\"“‘']?$"
    return _Cues(alt("distancing", tail), alt("naming", tail), alt("speech", ""), alt("anywhere", ""))


def _cue(m: re.Match[str]) -> str:
    return " ".join(m.group("cue").split())


def single_quote_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Spans (marks included) of short single-quoted phrases such as ‘peacekeeper’ (apostrophes are not quotes)."""
    end = len(text) if end is None else end
    return [(m.start(), m.end()) for m in _SINGLE_QUOTE.finditer(text, start, end)]


def _last_speech_cue(cues: _Cues, before: str) -> re.Match[str] | None:
    """The last speech verb before the term, if the term follows it within ``_CLAUSE_WORDS`` words."""
    hits = list(cues.speech.finditer(before))
    if hits and textmod.count_words(before[hits[-1].end() :]) <= _CLAUSE_WORDS:
        return hits[-1]
    return None


def _quote_rows(quotes: pd.DataFrame | None, article_id: str) -> list[tuple[int, int, str, str]]:
    if quotes is None:
        return []
    missing = {"article_id", "start", "end", "kind", "speaker"} - set(quotes.columns)
    if missing:
        raise ValueError(f"quotes table lacks column(s) {sorted(missing)}")
    rows = quotes[quotes["article_id"] == article_id]
    return [
        (int(r.start), int(r.end), str(r.kind), "" if pd.isna(r.speaker) else str(r.speaker))
        for r in rows.itertuples(index=False)
    ]


def _voice(
    text: str,
    sent_start: int,
    sent_end: int,
    a: int,
    b: int,
    doubles: list[tuple[int, int]],
    cues: _Cues,
    short_words: int,
    quote_rows: list[tuple[int, int, str, str]] = (),
) -> tuple[str, str]:
    before = text[max(sent_start, a - _WINDOW) : a]
    sentence_before = text[sent_start:a]
    m = cues.distancing.search(before)
    if m:
        return "scare_quoted", f"distancing: {_cue(m)}"
    row = next((r for r in quote_rows if r[0] <= a and b <= r[1]), None)
    if row is not None:
        voice = "scare_quoted" if row[2] == "scare" else "attributed"
        return voice, f"quote table: {row[2]}" + (f", {row[3]}" if row[3] and voice == "attributed" else "")
    dq = next(((s, e) for s, e in doubles if s <= a and b <= e), None)
    sq = next(
        ((s, e) for s, e in single_quote_spans(text, sent_start, max(b + 2, a)) if s < a and b <= e), None
    )
    long_quote = dq is not None and textmod.count_words(text[dq[0] : dq[1]]) > short_words
    if sq is not None and not long_quote:
        return "scare_quoted", "single quotation marks"
    if dq is not None:
        if long_quote:
            return "attributed", "quotation"
        sentence = text[sent_start : max(sent_end, dq[1])]
        hit = _last_speech_cue(cues, sentence_before) or cues.anywhere.search(sentence)
        if hit is None:
            return "scare_quoted", "short quotation without a speaker"
        return "attributed", f"short quotation: {_cue(hit)}"
    m = cues.naming.search(before)
    if m:
        return "attributed", f"naming: {_cue(m)}"
    m = _last_speech_cue(cues, sentence_before) or cues.anywhere.search(text[sent_start:sent_end])
    if m:
        return "attributed", f"speech: {_cue(m)}"
    return "asserted", ""


def naming_mentions(
    corpus: Corpus,
    terms: str | Path | pd.DataFrame | None = None,
    *,
    cues: str | Path | pd.DataFrame | None = None,
    short_quote_words: int = 4,
    quotes: pd.DataFrame | None = None,
    stories: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Every occurrence of a contested-term variant, with its voice, the cue that decided it and its story.

    Parameters
    ----------
    corpus : Corpus
    terms : path or DataFrame, optional
        Contested-terms table, such as :func:`naming_variants` output or a user's CSV (the seeds' example:
        ``analysis/data/terms_nk2023.csv``). ``None`` or ``""``: the groups of ``naming_variants(corpus)``
        with ``confidence >= MIN_CONFIDENCE`` (0.5: those backed by a link sentence).
    cues : path or DataFrame, optional
        Attribution/distancing lexicon (default: shipped ``framing_attribution.csv``).
    short_quote_words : int
        A double-quoted span of at most this many words is a candidate scare quote.
    quotes : DataFrame, optional
        A quote table with ``article_id``, ``start``, ``end``, ``kind`` and ``speaker``, such as
        ``analysis.sourcing.extract_quotes(corpus)`` (the notebook passes it: framing never computes it).
        When given, an occurrence inside one of its rows (and not after a distancing phrase) takes its
        voice from that row: ``kind == 'scare'`` gives scare_quoted, any other kind attributed (cue
        ``'quote table: <kind>, <speaker>'``); occurrences outside every row fall back to the rules above.
    stories : DataFrame, optional
        ``analysis.topics.stories(corpus)``: gives each row its article's ``story_id``; without it every
        row has ``story_id`` = ``'all'`` (``analysis.corpus.WHOLE_CORPUS``, the whole corpus as one story).

    Returns
    -------
    DataFrame
        Columns ``article_id``, ``outlet``, ``story_id``, ``sentence_id``, ``group``, ``variant``, ``start``, ``end``
        (offsets in the article text), ``matched``, ``voice`` ('asserted', 'attributed', 'scare_quoted'),
        ``cue``. Within a group, overlapping matches keep the longest (then earliest).
    """
    table = _terms_or_discovered(corpus, terms)
    compiled = _compile_cues(attribution_cues(cues))
    patterns = [
        (g, v, re.compile(word_bounded(p), re.IGNORECASE))
        for g, v, p in zip(table["group"], table["variant"], table["pattern"], strict=True)
    ]
    rows = []
    paras = corpus.paragraphs.sort_values(["article_id", "paragraph_index"], kind="stable")
    spans_by_article = paras.groupby("article_id", sort=False)[["start", "end"]].apply(
        lambda g: list(zip(g["start"], g["end"], strict=True))
    )
    for article_id, sents in corpus.sentences.groupby("article_id", sort=False):
        text = corpus.text_of(article_id)
        doubles = [(s, e) for s, e, _ in textmod.quote_spans(text, spans_by_article[article_id])]
        table = _quote_rows(quotes, article_id)
        for s in sents.itertuples(index=False):
            for group, hits in _group_hits(patterns, text, s.start, s.end):
                for variant, a, b in hits:
                    voice, cue = _voice(
                        text, s.start, s.end, a, b, doubles, compiled, short_quote_words, table
                    )
                    rows.append(
                        (article_id, s.outlet, s.sentence_id, group, variant, a, b, text[a:b], voice, cue)
                    )
    cols = [
        "article_id",
        "outlet",
        "sentence_id",
        "group",
        "variant",
        "start",
        "end",
        "matched",
        "voice",
        "cue",
    ]
    out = pd.DataFrame(rows, columns=cols).astype({"start": "int64", "end": "int64"})
    out.insert(2, "story_id", story_of(out, stories))
    return validate(out, NamingMentions, table="naming_mentions")


def _terms_or_discovered(corpus: Corpus, terms: str | Path | pd.DataFrame | None) -> pd.DataFrame:
    """The given terms table, or the groups discovered from ``corpus`` when none is given."""
    if terms is None or (not isinstance(terms, pd.DataFrame) and str(terms) == ""):
        found = naming_variants(corpus)
        return load_terms(found[found["confidence"] >= MIN_CONFIDENCE])
    return load_terms(terms)


def terms_table_note(terms: str | Path | pd.DataFrame, mentions: pd.DataFrame) -> str:
    """A sentence saying how much of a given terms table the corpus uses, warning when it is little.

    Parameters
    ----------
    terms : path or DataFrame
        The contested-terms table the mentions were found with.
    mentions : DataFrame
        :func:`naming_mentions` output.

    Returns
    -------
    str
        'The terms table matched N of its M variants (K of its G groups) ...'; when at most a third
        of the groups matched, it adds that the table may have been written for another corpus. For
        a discovered table (every ``note`` is 'discovered'), how many groups were discovered.
    """
    table = load_terms(terms)
    found = set(mentions["variant"])
    variants = sum(v in found for v in table["variant"])
    groups = table.loc[table["variant"].isin(found), "group"].nunique()
    n_groups = table["group"].nunique()
    if len(table) and (table["note"] == "discovered").all():
        return (
            f"{n_groups} naming groups discovered in this corpus ({len(table)} variants, {len(mentions)} "
            "occurrences); naming_variants(corpus) lists them with their evidence."
        )
    note = (
        f"The terms table matched {variants} of its {len(table)} variants ({groups} of its {n_groups} groups) "
        f"in this corpus, {len(mentions)} occurrences."
    )
    if groups * 3 <= n_groups:
        note += (
            " That is little: the table may have been written for another corpus; "
            "naming_variants(corpus) discovers this corpus's own groups."
        )
    return note


def _group_hits(patterns: Iterable[tuple[str, str, re.Pattern[str]]], text: str, start: int, end: int):
    by_group: dict[str, list[tuple[str, int, int]]] = {}
    for group, variant, pat in patterns:
        by_group.setdefault(group, []).extend(
            (variant, m.start(), m.end()) for m in pat.finditer(text, start, end)
        )
    for group, hits in by_group.items():
        kept: list[tuple[str, int, int]] = []
        for hit in sorted(hits, key=lambda h: (-(h[2] - h[1]), h[1])):
            if all(hit[2] <= k[1] or hit[1] >= k[2] for k in kept):
                kept.append(hit)
        if kept:
            yield group, sorted(kept, key=lambda h: h[1])


def naming_choices(
    corpus: Corpus,
    terms: str | Path | pd.DataFrame | None = None,
    *,
    mentions: pd.DataFrame | None = None,
    cues: str | Path | pd.DataFrame | None = None,
    short_quote_words: int = 4,
    quotes: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Which variant each article uses, how often, and in which voice.

    Parameters
    ----------
    corpus : Corpus
    terms : path or DataFrame, optional
        Contested-terms table (see :func:`naming_mentions`; ``None``: discovered). Give the table the
        mentions were found with, for the order of rows.
    mentions : DataFrame, optional
        Output of :func:`naming_mentions` (computed when not given, with the next three arguments).
    cues, short_quote_words, quotes
        As in :func:`naming_mentions`; used only when ``mentions`` is not given.

    Returns
    -------
    DataFrame
        Columns ``article_id``, ``outlet``, ``group``, ``variant``, ``n``, ``voice``, ``sentence_ids``
        (space-separated); one row per article, variant and voice, in table order of groups and variants.
    """
    table = _terms_or_discovered(corpus, terms) if mentions is None or terms is not None else None
    m = (
        naming_mentions(corpus, table, cues=cues, short_quote_words=short_quote_words, quotes=quotes)
        if mentions is None
        else mentions
    )
    variants = table["variant"] if table is not None else m["variant"].drop_duplicates()
    order = {v: i for i, v in enumerate(variants)}
    g = m.groupby(["article_id", "outlet", "group", "variant", "voice"], sort=False)
    out = g.agg(
        n=("start", "size"), sentence_ids=("sentence_id", lambda s: " ".join(dict.fromkeys(s)))
    ).reset_index()
    out = out.assign(_o=out["variant"].map(order)).sort_values(["article_id", "_o", "voice"], kind="stable")
    out = out.drop(columns="_o").reset_index(drop=True)[
        ["article_id", "outlet", "group", "variant", "n", "voice", "sentence_ids"]
    ]
    return validate(out.astype({"n": "int64"}), NamingChoices, table="naming_choices")
