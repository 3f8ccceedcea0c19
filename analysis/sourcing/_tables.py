"""Sourcing tables built on :func:`analysis.sourcing._extract.extract_quotes`: speakers, verbs, hedges, quotation share.

All functions take the quotes table (and the corpus where article sizes are
needed) and return tidy tables validated against
:mod:`analysis.schemas.sourcing`, with quote ids kept for tracing.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from analysis import people
from analysis.corpus import Corpus
from analysis.data import read_table
from analysis.schemas import validate
from analysis.schemas.sourcing import Hedges, Speakers, Verbs
from analysis.sourcing._speaker_types import (
    load_affiliations,
    load_speaker_mapping,
    load_speaker_rules,
    speaker_type,
)

__all__ = [
    "speaker_table",
    "verb_table",
    "kind_mix",
    "quotation_share",
    "find_hedges",
    "canonical_speakers",
    "load_hedges",
    "UNKNOWN",
]

#: Speaker label for quotes whose speaker could not be found (kept visible, never dropped).
UNKNOWN = "unknown"
_STATEMENTS = ["direct", "partial", "indirect"]


def _statements(quotes: pd.DataFrame) -> pd.DataFrame:
    out = quotes.loc[quotes["kind"].isin(_STATEMENTS)].copy()
    out["speaker"] = out["speaker"].fillna(UNKNOWN)
    out["quoted_words"] = out["n_words"].where(out["kind"] != "indirect", 0)
    out["reported_words"] = out["n_words"].where(out["kind"] == "indirect", 0)
    return out


def canonical_speakers(statements: pd.DataFrame, entities: pd.DataFrame) -> pd.Series:
    """Each statement's speaker as its canonical entity (:func:`analysis.people.entity_mentions`).

    Titles are stripped ('Mr. Trump' -> 'Trump'); the name then joins the entity that the same words name
    in the same article, else the one entity whose last (or first) word it is in that article, else the
    one entity the corpus names so (people and organisations only); otherwise it stays as written.
    ``unknown`` stays ``unknown``.
    """
    by_article: dict[tuple[str, str], set[str]] = {}
    in_corpus: dict[str, set[str]] = {}
    named = entities[entities["kind"].isin(["person", "organisation"])]  # groups keep the words of the quote
    for article, name, entity in named[["article_id", "name", "entity"]].itertuples(index=False):
        words = [w.casefold() for w in people.clean_name(name, person=True).split()]
        for form in {" ".join(words), *people.person_key(" ".join(words))}:
            by_article.setdefault((article, form), set()).add(entity)
            in_corpus.setdefault(form, set()).add(entity)
        by_article.setdefault((article, entity.casefold()), set()).add(entity)
        in_corpus.setdefault(entity.casefold(), set()).add(entity)

    def resolve(article: str, speaker: str) -> str:
        if speaker == UNKNOWN:
            return speaker
        name = people.clean_name(speaker, person=True)
        form = name.casefold()
        for found in (by_article.get((article, form)), in_corpus.get(form)):
            if found and len(found) == 1:
                return next(iter(found))
        return name

    return pd.Series(
        [resolve(a, sp) for a, sp in zip(statements["article_id"], statements["speaker"], strict=True)],
        index=statements.index,
        dtype=object,
    )


def _descriptors(corpus: Corpus, statements: pd.DataFrame) -> dict[tuple[str, str], str]:
    """Words describing each (article, speaker): the mentions used at the cues, and for a person
    also up to six words before each full mention and an appositive after it ('Dmitry Peskov, Putin's
    spokesperson,')."""
    texts = dict(zip(corpus.articles["article_id"], corpus.articles["text"], strict=True))
    found: dict[tuple[str, str], str] = {}
    for (article_id, speaker), group in statements.groupby(["article_id", "speaker"], sort=False):
        words = [
            m for m in group["speaker_mention"].dropna().unique() if m.lower() not in {"he", "she", "they"}
        ]
        if _is_person(group):
            text = texts[article_id]
            for m in re.finditer(rf"{re.escape(speaker)}(?:,\s*([^,]{{3,90}}),)?", text):
                before = re.split(r"[;:]|\.\s", text[max(0, m.start() - 80) : m.start()])[-1].split()[-6:]
                words += [" ".join(before), m.group(1) or ""]
        found[(article_id, speaker)] = " ".join(w for w in words if w)
    return found


def _is_person(group: pd.DataFrame) -> bool:
    """A speaker is a person when it has two or more capitalised words and was once named by them or a pronoun."""
    speaker = group["speaker"].iloc[0]
    words = speaker.split()
    return (
        len(words) >= 2
        and all(w[:1].isupper() for w in words)
        and any(
            str(m).lower() in {"he", "she"} or str(m).split()[-1:] == words[-1:]
            for m in group["speaker_mention"].dropna()
        )
    )


def speaker_table(
    quotes: pd.DataFrame,
    corpus: Corpus,
    *,
    speaker_mapping: str | Path | None = None,
    rules: str | Path | None = None,
    entities: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Who each outlet quotes, how often and how much, one canonical name per speaker.

    Speakers are merged with the entities of the corpus (:func:`canonical_speakers`: 'Donald Trump',
    'Mr. Trump', 'Trump' and 'Donald J. Trump' are one speaker), and each speaker gets one type for the
    whole corpus (the type of most of its quotes' outlets' rows; ties: the first outlet).

    Parameters
    ----------
    quotes : DataFrame
        From :func:`analysis.sourcing._extract.extract_quotes`.
    corpus : Corpus
        The same corpus (for article word counts and speaker descriptions).
    speaker_mapping : path, optional
        CSV with ``speaker``, ``speaker_type`` and optionally ``affiliation``; wins over
        the rules (None or "" = the shipped ``analysis/data/sourcing_speakers.csv``).
    rules : path, optional
        Title/role rules replacing ``analysis/data/sourcing_speaker_types.csv``.
    entities : DataFrame, optional
        :func:`analysis.people.entity_mentions` of the corpus (computed when not given).

    Returns
    -------
    DataFrame
        Schema ``Speakers``: ``outlet``, ``speaker``, ``speaker_type``, ``affiliation``,
        ``type_rule``, ``n_quotes``, ``n_direct``, ``n_partial``, ``n_indirect``,
        ``words_quoted``, ``words_reported``, ``share_of_words``, ``n_articles``, ``quote_ids``;
        sorted by outlet (corpus order) and words quoted, ``unknown`` (quotes with no speaker, kept
        visible) last in each outlet.
    """
    st = _statements(quotes)
    if not st.empty:
        st["speaker"] = canonical_speakers(
            st, people.entity_mentions(corpus) if entities is None else entities
        )
    columns = list(Speakers.to_schema().columns)
    if st.empty:
        return validate(
            pd.DataFrame(
                {c: pd.Series(dtype="int64" if c.startswith(("n_", "words")) else object) for c in columns}
            ).astype({"share_of_words": "float64"}),
            Speakers,
            table="speakers",
        )
    mapping, type_rules, affiliations = (
        load_speaker_mapping(speaker_mapping),
        load_speaker_rules(rules),
        load_affiliations(),
    )
    descriptors = _descriptors(corpus, st)
    person = {key: _is_person(group) for key, group in st.groupby(["article_id", "speaker"], sort=False)}
    for kind in ("direct", "partial", "indirect"):
        st[f"n_{kind}"] = (st["kind"] == kind).astype("int64")
    grouped = st.groupby(["outlet", "speaker"], sort=False)
    out = grouped.agg(
        n_quotes=("kind", "size"),
        n_direct=("n_direct", "sum"),
        n_partial=("n_partial", "sum"),
        n_indirect=("n_indirect", "sum"),
        words_quoted=("quoted_words", "sum"),
        words_reported=("reported_words", "sum"),
        n_articles=("article_id", "nunique"),
        quote_ids=("quote_id", " ".join),
        articles=("article_id", lambda a: sorted(set(a))),
    ).reset_index()
    words = dict(zip(corpus.articles["article_id"], corpus.articles["n_words"], strict=True))
    out["share_of_words"] = [
        round(wq / max(sum(words[a] for a in arts), 1), 4)
        for wq, arts in zip(out["words_quoted"], out["articles"], strict=True)
    ]
    typed = []
    for row in out.itertuples(index=False):
        desc = " ".join(descriptors.get((a, row.speaker), "") for a in row.articles)
        is_person = any(person.get((a, row.speaker), False) for a in row.articles)
        typed.append(
            ("unknown", "", "unknown")
            if row.speaker == UNKNOWN
            else speaker_type(
                row.speaker, desc, is_person, rules=type_rules, affiliations=affiliations, mapping=mapping
            )
        )
    out[["speaker_type", "affiliation", "type_rule"]] = pd.DataFrame(typed, index=out.index)
    out = _one_type_per_speaker(out)
    order = {o: i for i, o in enumerate(corpus.outlets)}
    out["is_unknown"] = out["speaker"] == UNKNOWN
    out = out.sort_values(
        ["outlet", "is_unknown", "words_quoted", "n_quotes", "speaker"],
        ascending=[True, True, False, False, True],
        key=lambda s: s.map(order) if s.name == "outlet" else s,
        kind="mergesort",
    )
    return validate(out[columns].reset_index(drop=True), Speakers, table="speakers")


def _one_type_per_speaker(out: pd.DataFrame) -> pd.DataFrame:
    """Give each speaker the type (and affiliation, rule) decided on most of its rows; 'unknown' only if all are."""
    typed = out[out["speaker_type"] != "unknown"]
    best = (
        typed.groupby(["speaker", "speaker_type", "affiliation", "type_rule"], sort=False)["n_quotes"]
        .sum()
        .reset_index()
        .sort_values("n_quotes", ascending=False, kind="mergesort")
        .drop_duplicates("speaker")
        .set_index("speaker")
    )
    for column in ("speaker_type", "affiliation", "type_rule"):
        out[column] = out["speaker"].map(best[column]).fillna(out[column])
    return out


def verb_table(quotes: pd.DataFrame, *, by: tuple[str, ...] = ("outlet", "speaker")) -> pd.DataFrame:
    """Attribution cues per outlet and speaker (neutral vs loaded).

    Returns
    -------
    DataFrame
        Schema ``Verbs``: ``outlet``, ``speaker``, ``cue_lemma``, ``cue_category``, ``n``, ``quote_ids``.
        Only statements with a verb-lexicon cue count (scare and carried quotes have none).
    """
    st = _statements(quotes)
    st = st.loc[st["cue_category"].isin(["neutral", "loaded"])]
    keys = [*by, "cue_lemma", "cue_category"]
    out = (
        st.groupby(keys, sort=True)
        .agg(n=("quote_id", "size"), quote_ids=("quote_id", " ".join))
        .reset_index()
    )
    for col in ("outlet", "speaker"):
        if col not in out:
            out[col] = "all"
    out["n"] = out["n"].astype("int64")
    return validate(out[list(Verbs.to_schema().columns)], Verbs, table="verbs")


def kind_mix(quotes: pd.DataFrame, outlets: list[str]) -> pd.DataFrame:
    """Quotes of each kind per outlet and their share of the outlet's quotes.

    Returns
    -------
    DataFrame
        Columns ``outlet``, ``kind``, ``n``, ``share``; every outlet x kind pair present (n = 0 included).
    """
    full = pd.MultiIndex.from_product(
        [outlets, ["direct", "partial", "indirect", "scare"]], names=["outlet", "kind"]
    )
    counts = quotes.groupby(["outlet", "kind"]).size().reindex(full, fill_value=0).rename("n").reset_index()
    totals = counts.groupby("outlet")["n"].transform("sum")
    counts["share"] = (counts["n"] / totals.where(totals > 0, 1)).round(4)
    counts["n"] = counts["n"].astype("int64")
    return counts


def quotation_share(quotes: pd.DataFrame, corpus: Corpus) -> pd.DataFrame:
    """Share of each article's words that are quoted (direct + partial) or reported (indirect).

    Returns
    -------
    DataFrame
        Columns ``article_id``, ``outlet``, ``kind`` ('quoted' or 'reported'), ``n_words``
        (words of that kind), ``article_words``, ``share``; two rows per article.
    """
    st = _statements(quotes)
    arts = corpus.articles[["article_id", "outlet", "n_words"]].rename(columns={"n_words": "article_words"})
    sums = st.groupby("article_id")[["quoted_words", "reported_words"]].sum()
    wide = arts.join(sums, on="article_id").fillna({"quoted_words": 0, "reported_words": 0})
    long = wide.melt(
        id_vars=["article_id", "outlet", "article_words"],
        value_vars=["quoted_words", "reported_words"],
        var_name="kind",
        value_name="n_words",
    )
    long["kind"] = long["kind"].str.replace("_words", "")
    long["n_words"] = long["n_words"].astype("int64")
    long["share"] = (long["n_words"] / long["article_words"].clip(lower=1)).round(4)
    return long.sort_values(["article_id", "kind"]).reset_index(drop=True)[
        ["article_id", "outlet", "kind", "n_words", "article_words", "share"]
    ]


def load_hedges(path: str | Path | None = None) -> pd.DataFrame:
    """Hedge and evidentiality markers (``analysis/data/sourcing_hedges.csv`` or ``path``).

    Returns
    -------
    DataFrame
        Columns ``marker``, ``category`` (hedge or evidential), ``pattern`` (case-insensitive regex), ``description``.
    """
    return read_table("sourcing_hedges.csv", path)


def find_hedges(
    corpus: Corpus, quotes: pd.DataFrame | None = None, *, hedges: str | Path | None = None
) -> pd.DataFrame:
    """Every hedge or evidentiality marker in the kept sentences.

    Parameters
    ----------
    corpus : Corpus
    quotes : DataFrame, optional
        Quotes table; markers inside direct or partial quotes are flagged ``in_quote``.
    hedges : path, optional
        Marker table replacing the shipped one.

    Returns
    -------
    DataFrame
        Schema ``Hedges``: ``article_id``, ``outlet``, ``paragraph_id``, ``sentence_id``, ``marker``,
        ``category``, ``start``, ``end``, ``match``, ``in_quote``, ``sentence``. Overlapping
        matches of two markers are both kept (``alleged`` inside ``allegedly`` is not: word bounds).
    """
    table = load_hedges(hedges)
    compiled = [
        (r.marker, r.category, re.compile(r.pattern, re.IGNORECASE)) for r in table.itertuples(index=False)
    ]
    spans: dict[str, list[tuple[int, int]]] = {}
    if quotes is not None:
        for r in quotes.loc[quotes["kind"].isin(["direct", "partial"])].itertuples(index=False):
            spans.setdefault(r.article_id, []).append((r.start, r.end))
    texts = dict(zip(corpus.articles["article_id"], corpus.articles["text"], strict=True))
    rows = []
    for s in corpus.sentences.itertuples(index=False):
        text = texts[s.article_id]
        for marker, category, pattern in compiled:
            for m in pattern.finditer(text, s.start, s.end):
                inside = any(a <= m.start() < b for a, b in spans.get(s.article_id, []))
                rows.append(
                    dict(
                        article_id=s.article_id,
                        outlet=s.outlet,
                        paragraph_id=s.paragraph_id,
                        sentence_id=s.sentence_id,
                        marker=marker,
                        category=category,
                        start=m.start(),
                        end=m.end(),
                        match=m.group(),
                        in_quote=inside,
                        sentence=s.text,
                    )
                )
    columns = list(Hedges.to_schema().columns)
    out = pd.DataFrame(rows, columns=columns)
    out = out.astype({"start": "int64", "end": "int64", "in_quote": "bool"})
    out = out.sort_values(["article_id", "start", "marker"], kind="mergesort").reset_index(drop=True)
    return validate(out, Hedges, table="hedges")
