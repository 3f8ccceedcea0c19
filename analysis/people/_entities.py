"""Entities discovered from the corpus: every mention with its canonical entity, and one row per entity.

Mentions come from spaCy's named entities (the verified pipeline, parsed once and cached by
:func:`analysis.people._parse.parse_sentences`) or, without spaCy (or with ``parser="patterns"``), from
the pattern fallback of :mod:`analysis.people._find`; aliases are merged by :mod:`analysis.people._merge`.

A user table (CSV or DataFrame) extends or overrides what is discovered. Columns: ``entity`` (or
``actor``, as in the shipped example ``actors_nk2023.csv``), ``alias`` (empty: the entity's own name),
and optionally ``case_sensitive`` (yes/no), ``kind`` ('alias', or 'block' for text that must never
count, such as an outlet named after a capital), ``entity_type`` and ``entity_kind`` (person,
organisation, place, group). Its aliases are matched as whole words (longest first) and win over
any discovered mention they overlap; a discovered entity whose canonical name is an alias joins
the table's entity.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Literal

import pandas as pd

from analysis.corpus import Corpus
from analysis.data import read_table, read_word_list
from analysis.people._find import capitalised_words, descriptor, pattern_mentions, spacy_mentions
from analysis.people._merge import KINDS, canonical, merge_mentions, slug
from analysis.people._names import TITLE_WORDS
from analysis.people._parse import parse_sentences
from analysis.people._rules import load_rules
from analysis.schemas import validate
from analysis.schemas.people import Entities, EntityMentions

__all__ = ["entity_mentions", "entities", "load_people_table", "table_share", "table_note", "MIN_TABLE_SHARE"]

#: Below this share of entity mentions named by a user table, the notebooks say the table matches little.
MIN_TABLE_SHARE = 0.2


def load_people_table(table: str | Path | pd.DataFrame) -> pd.DataFrame:
    """A user table of aliases and types (see module doc), normalised.

    Returns
    -------
    DataFrame
        Columns ``entity``, ``alias``, ``case_sensitive`` (bool), ``kind`` ('alias' or 'block'),
        ``entity_type`` and ``entity_kind`` ('' when not given).
    """
    df = table.copy() if isinstance(table, pd.DataFrame) else read_table("", table, comment="#")
    df = df.fillna("").astype(str).rename(columns={"actor": "entity"})
    if "entity" not in df:
        raise ValueError("people table: needs an 'entity' (or 'actor') column")
    for column, default in (
        ("alias", ""),
        ("case_sensitive", "no"),
        ("kind", "alias"),
        ("entity_type", ""),
        ("entity_kind", ""),
    ):
        df[column] = df[column].replace("", default) if column in df else default
    df["alias"] = df["alias"].where(df["alias"] != "", df["entity"])
    df["case_sensitive"] = df["case_sensitive"].str.lower().isin(["yes", "true", "1"])
    if (
        not set(df["kind"]) <= {"alias", "block"}
        or ((df["kind"] == "alias") & (df["entity"].str.strip() == "")).any()
    ):
        raise ValueError("people table: every 'alias' row needs an entity; kind must be 'alias' or 'block'")
    if not set(df["entity_kind"]) <= {"", *KINDS}:
        raise ValueError(f"people table: entity_kind must be one of {KINDS}")
    return df[["entity", "alias", "case_sensitive", "kind", "entity_type", "entity_kind"]].reset_index(
        drop=True
    )


def _table_hits(table: pd.DataFrame, text: str) -> list[tuple[int, int, str, str]]:
    """Non-overlapping alias matches, longest first: (start, end, entity, kind 'alias'/'block')."""
    hits = []
    for r in table.itertuples(index=False):
        body = r"\s+".join(re.escape(w).replace("'", "['’]") for w in r.alias.split())
        pattern = re.compile(rf"(?<![\w])(?:{body})(?![\w])", 0 if r.case_sensitive else re.IGNORECASE)
        hits += [(m.start(), m.end(), r.entity, r.kind) for m in pattern.finditer(text)]
    kept: list[tuple] = []
    for h in sorted(hits, key=lambda h: (h[0] - h[1], h[0])):
        if all(h[1] <= k[0] or h[0] >= k[1] for k in kept):
            kept.append(h)
    return sorted(kept)


def _stop_words() -> frozenset[str]:
    return read_word_list("stopwords_en.txt")


def _raw_mentions(corpus: Corpus, parser: str, table: pd.DataFrame | None) -> pd.DataFrame:
    rules = load_rules()
    sents = corpus.sentences
    texts = sents["text"].tolist()
    docs = None if parser == "patterns" else parse_sentences(texts)
    if parser == "spacy" and docs is None:
        raise RuntimeError(
            "parser='spacy' but the spaCy pipeline is unavailable (or COVERAGE_COMPARE_NO_SPACY=1)"
        )
    if docs is None:
        capitalised = capitalised_words(texts)
        stop = _stop_words()
    rows = []
    for i, s in enumerate(sents[["article_id", "outlet", "sentence_id", "start"]].itertuples(index=False)):
        text = texts[i]
        found = (
            spacy_mentions(docs[i], rules)
            if docs is not None
            else pattern_mentions(text, rules, capitalised, stop)
        )
        method = "spacy" if docs is not None else "patterns"
        hits = _table_hits(table, text) if table is not None else []
        for a, b, entity, kind in hits:
            if kind == "alias":
                covered = [f[2] for f in found if f[0] < b and a < f[1]]
                rows.append((s, a, b, covered[0] if covered else "", "TABLE", "table", entity))
        for a, b, kind, label in found:
            if not any(h[0] < b and a < h[1] for h in hits):
                rows.append((s, a, b, kind, label, method, ""))
    records = []
    text_of = dict(zip(sents["sentence_id"], texts, strict=True))
    for s, a, b, kind, label, method, entity in rows:
        t = text_of[s.sentence_id]
        records.append(
            (
                s.article_id,
                s.outlet,
                s.sentence_id,
                s.start + a,
                s.start + b,
                t[a:b],
                kind,
                label,
                method,
                entity,
                descriptor(t, a, b, rules, TITLE_WORDS),
            )
        )
    columns = [
        "article_id",
        "outlet",
        "sentence_id",
        "start",
        "end",
        "text",
        "kind",
        "label",
        "method",
        "table_entity",
        "descriptor",
    ]
    return pd.DataFrame(records, columns=columns).astype({"start": "int64", "end": "int64"})


def entity_mentions(
    corpus: Corpus,
    *,
    table: str | Path | pd.DataFrame | None = None,
    parser: Literal["auto", "spacy", "patterns"] = "auto",
) -> pd.DataFrame:
    """Every mention of a person, organisation, place or group, with its canonical entity.

    Parameters
    ----------
    corpus : Corpus
    table : path or DataFrame, optional
        User table of aliases and types that extends or overrides discovery (see module doc).
    parser : {'auto', 'spacy', 'patterns'}
        'auto' uses spaCy's entities when :func:`analysis.nlp.load_spacy` gives a pipeline, else patterns.

    Returns
    -------
    DataFrame
        Schema ``EntityMentions``: ``article_id``, ``outlet``, ``sentence_id``, ``start``, ``end`` (offsets
        in the article text), ``text`` (as written), ``name`` (titles and possessive stripped),
        ``entity_id``, ``entity`` (canonical name), ``kind``, ``entity_type``, ``type_rule``, ``label`` (spaCy label, 'PATTERN', 'GROUP'
        or 'TABLE'), ``method`` ('spacy', 'patterns' or 'table'), ``link`` (how the mention joined its
        entity: 'name', 'place', 'same_article', 'corpus', 'acronym' or 'table'), ``descriptor``
        (title words before, appositive after); in corpus order.
    """
    if parser not in {"auto", "spacy", "patterns"}:
        raise ValueError(f"parser must be 'auto', 'spacy' or 'patterns', not {parser!r}")
    user = (
        load_people_table(table)
        if table is not None and not (isinstance(table, str) and table == "")
        else None
    )
    rules = load_rules()
    raw = _raw_mentions(corpus, parser, user)
    if raw.empty:
        return _empty(EntityMentions)
    merged = merge_mentions(raw.assign(kind=raw["kind"].replace("", "other")), rules)
    if (
        user is not None
    ):  # table matches, and discovered entities named by a table alias, join the table's entity
        alias_of = {a.casefold(): e for a, e in zip(user["alias"], user["entity"], strict=True) if a}
        alias_of.update({e.casefold(): e for e in user["entity"] if e})
        names = canonical(merged, rules).set_index("key")["name"]
        renamed = merged["key"].map(lambda k: alias_of.get(names[k].casefold()))
        is_table = merged["method"] == "table"
        merged.loc[is_table, "key"] = "t:" + merged.loc[is_table, "table_entity"]
        merged.loc[is_table, "name"] = merged.loc[is_table, "table_entity"]
        joined = ~is_table & renamed.notna()
        merged.loc[joined, "key"] = "t:" + renamed[joined]
        merged.loc[is_table | joined, "link"] = "table"
    info = canonical(merged, rules).set_index("key")
    if user is not None:
        info = _apply_table_types(info, user)
    merged["entity"] = merged["key"].map(info["name"])
    merged["kind"] = merged["key"].map(info["kind"])
    merged["entity_type"] = merged["key"].map(info["entity_type"])
    merged["type_rule"] = merged["key"].map(info["type_rule"])
    merged["entity_id"] = merged["kind"] + ":" + merged["entity"].map(slug)
    columns = list(EntityMentions.to_schema().columns)
    out = merged.sort_values(["article_id", "start"], kind="mergesort")[columns].reset_index(drop=True)
    order = {a: i for i, a in enumerate(corpus.articles["article_id"])}
    out = out.sort_values("article_id", key=lambda s: s.map(order), kind="mergesort").reset_index(drop=True)
    return validate(out, EntityMentions, table="entity_mentions")


def _apply_table_types(info: pd.DataFrame, user: pd.DataFrame) -> pd.DataFrame:
    info = info.copy()
    for entity, rows in user[user["kind"] == "alias"].groupby("entity", sort=False):
        key = f"t:{entity}"
        if key not in info.index:
            continue
        if kind := next((k for k in rows["entity_kind"] if k), ""):
            info.loc[key, "kind"] = kind
        elif info.loc[key, "kind"] == "":
            info.loc[key, "kind"] = "other"
        if etype := next((t for t in rows["entity_type"] if t), ""):
            info.loc[key, ["entity_type", "type_rule"]] = [etype, "table"]
    return info


def _empty(schema) -> pd.DataFrame:
    cols = schema.to_schema().columns
    return pd.DataFrame({c: pd.Series(dtype=str(col.dtype)) for c, col in cols.items()})


def entities(mentions: pd.DataFrame) -> pd.DataFrame:
    """One row per canonical entity of :func:`entity_mentions`, most mentioned first.

    Returns
    -------
    DataFrame
        Schema ``Entities``: ``entity_id``, ``name``, ``entity_type``, ``type_rule``, ``kind``,
        ``n_mentions``, ``n_articles``, ``n_outlets``, ``aliases`` (the names as written, ' | '-joined,
        most frequent first), ``from_table`` (named by the user table).
    """
    if mentions.empty:
        return _empty(Entities)
    g = mentions.groupby("entity_id", sort=False)
    out = g.agg(
        name=("entity", "first"),
        kind=("kind", "first"),
        entity_type=("entity_type", "first"),
        type_rule=("type_rule", "first"),
        n_mentions=("start", "size"),
        n_articles=("article_id", "nunique"),
        n_outlets=("outlet", "nunique"),
        from_table=("link", lambda s: bool((s == "table").any())),
    ).reset_index()
    names = g["name"].apply(list)  # once: per entity it made this quadratic (76 s on 300 articles)
    out["aliases"] = [
        " | ".join(v for v, _ in sorted(Counter(names[e]).items(), key=lambda kv: (-kv[1], kv[0])))
        for e in out["entity_id"]
    ]
    out = out.sort_values(
        ["n_mentions", "n_articles", "name"], ascending=[False, False, True], kind="mergesort"
    )
    columns = list(Entities.to_schema().columns)
    return validate(out[columns].reset_index(drop=True), Entities, table="entities")


def table_share(mentions: pd.DataFrame) -> float:
    """Share of entity mentions that a user table named (``link == 'table'``); 0.0 for no mentions."""
    return round(float((mentions["link"] == "table").mean()), 4) if len(mentions) else 0.0


def table_note(mentions: pd.DataFrame, table: str, origin: str) -> str:
    """One sentence for a notebook: which table extends discovery, where it was chosen, how much it names.

    Below :data:`MIN_TABLE_SHARE` of the entity mentions, the sentence says plainly that the table
    matches little of the corpus.
    """
    if not table:
        return "Actors: the entities discovered from the corpus (no user table)."
    share = table_share(mentions)
    note = (
        f"Actor table {Path(table).name} (chosen by {Path(origin).name}) names {share:.0%} of the "
        f"{len(mentions)} entity mentions; the rest are discovered."
    )
    if share < MIN_TABLE_SHARE:
        note += (
            f" It matches little of this corpus (under {MIN_TABLE_SHARE:.0%}): it was probably written for "
            "other events, and the actor figures rest mostly on discovered entities."
        )
    return note
