"""Actors and agency: who is mentioned, who acts on whom, and who is blamed.

By default the actors are the entities discovered from the corpus
(:func:`analysis.people.entity_mentions`: people, organisations, places and
groups, aliases merged), so no table is needed. A user alias table (CSV, such
as the example ``analysis/data/actors_nk2023.csv`` written for the seeds'
event) either extends discovery (pass it to ``people.entity_mentions(corpus,
table=...)`` and that table as ``entities=``, as notebook 05 does) or, passed
as ``actors``, replaces it: columns ``actor``, ``alias``, ``case_sensitive``
(yes/no) and ``kind`` (``alias``, or ``block`` for strings that must not
count, such as an outlet named after a capital). Overlapping aliases keep the
longest match.

Each mention gets a grammatical role:

* with the verified spaCy parser (:func:`analysis.nlp._spacy.load_spacy`), from the
  dependency of the mention's head after climbing ``conj``/``appos``/
  ``compound`` links: ``nsubj``/``csubj`` of a non-copular verb and ``pobj``
  of a passive's ``agent`` preposition are agents (a copular subject counts
  only with a blame adjective: 'was unable to'); ``nsubjpass``, ``dobj``,
  ``dative`` and the object of 'against'/'on' after an aggression noun or verb
  are patients; ``poss`` is possessor;
* without it (or with ``COVERAGE_COMPARE_NO_SPACY=1``), with the documented
  heuristic of :func:`heuristic_role`: part of a hyphenated modifier
  ('Russia-brokered') → other; possessive ``'s`` → possessor (of the last
  word before a preposition, verb or punctuation);
  followed by a passive ('was attacked') → patient; after '<participle> by'
  → agent; after another preposition → other (patient for 'attack on X',
  'offensive against X'); followed (optionally after 'and X', an appositive in commas, an
  auxiliary, 'not' or an adverb) by a known verb form or an -ed word → agent;
  preceded by a known verb form → patient.

Responsibility attribution (``blame``): the actor is the agent of a blame or
failure verb ('failed', 'blocked', 'attacked', 'abandoned', 'betrayed',
'refused to intervene', 'was unable to') or the possessor of a blame noun
('Russia's failure'). Verb forms and blame flags are in
``analysis/data/framing_verbs.csv``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from analysis import people
from analysis.corpus import Corpus, story_of
from analysis.data import shipped
from analysis.framing._io import FramingDataError, phrase_regex, read_table, word_bounded
from analysis.nlp import load_spacy
from analysis.schemas import validate
from analysis.schemas.framing import ActorMentions, ActorProfile

__all__ = ["load_actors", "load_verbs", "actor_mentions", "actor_profile", "heuristic_role"]

_AGGRESSION = {
    "attack",
    "offensive",
    "war",
    "invasion",
    "aggression",
    "strike",
    "assault",
    "campaign",
    "sanction",
    "operation",
    "shelling",
}


def load_actors(actors: str | Path | pd.DataFrame) -> pd.DataFrame:
    """An alias table: a path, a DataFrame, or the name of a table shipped in ``analysis/data/`` (``actors_nk2023.csv``).

    Returns
    -------
    DataFrame
        Columns ``actor``, ``alias``, ``case_sensitive`` (bool), ``kind`` ('alias' or 'block').
    """
    if actors is None or (isinstance(actors, str | Path) and str(actors) == ""):
        raise FramingDataError("no actor table given: actors are discovered unless a table is passed")
    if isinstance(actors, str | Path) and not Path(actors).is_file() and shipped(str(actors)).is_file():
        actors = str(shipped(str(actors)))  # a shipped example named explicitly ('actors_nk2023.csv')
    df = read_table(actors, "actors_nk2023.csv", ("actor", "alias"))
    for column, default in (("case_sensitive", "no"), ("kind", "alias")):
        df[column] = df[column].astype(str).replace("", default) if column in df else default
    df["case_sensitive"] = df["case_sensitive"].str.lower().isin(["yes", "true", "1"])
    bad = df[(df["kind"] == "alias") & (df["actor"].str.strip() == "")]
    if not bad.empty or not set(df["kind"]) <= {"alias", "block"}:
        raise FramingDataError(
            "actor table: every 'alias' row needs an actor; kind must be 'alias' or 'block'"
        )
    return df[["actor", "alias", "case_sensitive", "kind"]]


@dataclass(frozen=True)
class Verbs:
    """Verb/noun forms: form -> lemma, the blame lemmas, and the lemmas by part of speech."""

    lemma_of: dict[str, str]
    blame: frozenset[str]
    pos: dict[str, str]


def load_verbs(table: str | Path | pd.DataFrame | None = None) -> Verbs:
    """The verb-form and blame lexicon (default ``analysis/data/framing_verbs.csv``)."""
    df = read_table(table, "framing_verbs.csv", ("lemma", "forms", "blame"))
    lemma_of = {f.lower(): r.lemma for r in df.itertuples(index=False) for f in r.forms.split()}
    blame = frozenset(df.loc[df["blame"].str.lower().isin(["yes", "true", "1"]), "lemma"])
    pos = dict(
        zip(df["lemma"], df["pos"].replace("", "verb") if "pos" in df else ["verb"] * len(df), strict=True)
    )
    return Verbs(lemma_of, blame, pos)


def _alias_patterns(table: pd.DataFrame) -> list[tuple[str, str, str, re.Pattern[str]]]:
    return [
        (
            r.actor,
            r.alias,
            r.kind,
            re.compile(word_bounded(phrase_regex(r.alias)), 0 if r.case_sensitive else re.IGNORECASE),
        )
        for r in table.itertuples(index=False)
    ]


def _find(patterns, text: str) -> list[tuple[str, str, int, int]]:
    hits = [
        (actor, alias, kind, m.start(), m.end())
        for actor, alias, kind, p in patterns
        for m in p.finditer(text)
    ]
    kept: list[tuple] = []
    for h in sorted(hits, key=lambda h: (-(h[4] - h[3]), h[3])):
        if all(h[4] <= k[3] or h[3] >= k[4] for k in kept):
            kept.append(h)
    return sorted(((a, al, s, e) for a, al, kind, s, e in kept if kind == "alias"), key=lambda h: h[2])


# --------------------------------------------------------------------------
# Roles: heuristic
# --------------------------------------------------------------------------

_AUX = r"(?:has|have|had|will|would|could|can|did|does|do|may|might|must|should|shall|is|are|was|were|am)"
_BE = r"(?:was|were|is|are|been|being|be|has been|have been|had been|will be|would be|got|gets|get)"
_POSSESSIVE = re.compile(r"^(?:’s|'s|’|')(?=\s)")
_STOP_AFTER_NOUN = frozenset(
    """to of in on for with at by from and or but that which who whom was is has had were are will
    would could can may might must should as over after before since amid against during into""".split()
)
_PASSIVE = re.compile(rf"^\s*(?:,[^,]{{1,80}},\s*)?(?:\w+ly\s+)?{_BE}\s+(?:\w+ly\s+)?(\w+)\b", re.IGNORECASE)
_BE_ADJ = re.compile(rf"^\s*{_BE}\s+(unable|unwilling|reluctant|responsible)\b", re.IGNORECASE)
_BY_AGENT = re.compile(r"\b(\w+)\s+by\s+(?:the\s+)?$", re.IGNORECASE)
_NEG = r"(?:(?:do|does|did|could|would|should|is|was|are|were|has|have|had|ca|wo|must|need)n[’']t|cannot)"
_ADVERBIAL = (
    r"(?:(?:on|last|this|next|early|late|earlier|later)\s+[\w.]+\s+(?:\d{1,2},?\s+)?|(?:again|also|already|"
    r"still|now|then|later|earlier|initially|reportedly|allegedly|quickly|publicly|repeatedly|once|never|not|"
    r"just|long|\w+ly)\s+)"
)
_SUBJECT = re.compile(
    rf"^\s*(?:and\s+(?-i:[A-Z])[\w’'.-]*(?:\s+(?-i:[A-Z])[\w’'.-]*)*\s*)?(?:,[^,]{{1,80}},\s*)?{_ADVERBIAL}*"
    rf"(?:(?P<aux>{_AUX}|{_NEG})\s+)?{_ADVERBIAL}*(?P<verb>[\w’'-]+)",
    re.IGNORECASE,
)
_PREP = re.compile(
    r"(?:\b(\w+)\s+)?\b(in|at|on|of|for|with|from|to|into|toward|towards|against|about|over|under|"
    r"between|among|through|across|within|near|inside|outside|via|like|than)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
_OBJECT = re.compile(r"\b(\w+)\s+(?:the\s+|its\s+|their\s+|his\s+|her\s+)?(?:[A-Z][\w.-]*\s+){0,3}$")


def _participle(word: str, verbs: Verbs) -> str | None:
    w = word.lower()
    lemma = verbs.lemma_of.get(w)
    if lemma and verbs.pos.get(lemma, "verb") == "verb" and w != lemma and not w.endswith(("s", "ing")):
        return lemma
    return _crude_lemma(w, verbs) if w.endswith("ed") and len(w) > 4 else None


_E_ENDINGS = (
    "ated",
    "ized",
    "ised",
    "ured",
    "ived",
    "oved",
    "uded",
    "osed",
    "used",
    "aced",
    "iced",
    "ged",
    "ded",
)


def _crude_lemma(word: str, verbs: Verbs) -> str:
    w = word.lower()
    if w in verbs.lemma_of:
        return verbs.lemma_of[w]
    if w.endswith("ied"):
        return w[:-3] + "y"
    if w.endswith(_E_ENDINGS) and not w.endswith("dded"):
        return w[:-1]
    if w.endswith("ing") and len(w) > 5:
        return w[:-3]
    return w[:-2] if w.endswith("ed") else w


def _subject_verb(m: re.Match[str], verbs: Verbs) -> str | None:
    """Lemma of the verb after a subject mention, or None.

    A known verb form; any word after an auxiliary; an -ed word; or the auxiliary itself ('Moscow has
    about 2,000 ...'). A form of 'be' gives 'be' (copula, not agency) unless an -ing verb follows.
    """
    word, aux = m.group("verb").lower(), (m.group("aux") or "").lower()
    if verbs.lemma_of.get(re.sub(r"n[’']t$", "", aux)) == "be":  # progressive 'is moving', else copula
        return _crude_lemma(word, verbs) if word.endswith("ing") else "be"
    lemma = verbs.lemma_of.get(word)
    if lemma is not None and verbs.pos.get(lemma, "verb") == "verb":
        return lemma
    if aux and word.isalpha() and word not in {"the", "a", "an", "to", "about", "no", "its", "their"}:
        return _crude_lemma(word, verbs)
    if aux:
        return verbs.lemma_of.get(re.sub(r"n[’']t$", "", aux), None) or (
            "can" if aux in {"cannot", "can't"} else None
        )
    if word.endswith("ed") and len(word) > 4:
        return _crude_lemma(word, verbs)
    return None


def heuristic_role(sentence: str, start: int, end: int, verbs: Verbs) -> tuple[str, str, bool]:
    """Role of the mention ``sentence[start:end]`` without a parser: (role, verb lemma, blame). See module doc."""
    after, before = sentence[end:], sentence[:start]
    if after.startswith(("-", "–")) or before.endswith("-"):
        return "other", "", False  # part of a compound modifier: 'Russia-brokered', 'US-Armenia'
    m = _POSSESSIVE.match(after)
    if m:
        words = []
        for w in re.findall(r"[\w-]+|[^\w\s]", after[m.end() :])[:4]:
            if not re.fullmatch(r"[\w-]+", w) or w.lower() in _STOP_AFTER_NOUN or _participle(w, verbs):
                break  # the possessed noun phrase ends at a preposition, a past-tense verb or punctuation
            words.append(w.lower())
        noun = verbs.lemma_of.get(words[-1], words[-1]) if words else ""
        return "possessor", noun, noun in verbs.blame
    m = _PASSIVE.match(after)
    if m and (lemma := _participle(m.group(1), verbs)) is not None:
        return "patient", lemma, False
    m = _BE_ADJ.match(after)
    if m:
        return "agent", m.group(1).lower(), m.group(1).lower() in verbs.blame
    m = _BY_AGENT.search(before)
    if m and (lemma := _participle(m.group(1), verbs)) is not None:
        return "agent", lemma, lemma in verbs.blame
    m = _PREP.search(before)
    if m:
        head = m.group(1).lower() if m.group(1) else ""
        head = verbs.lemma_of.get(head, head[:-1] if head.endswith("s") else head)
        if m.group(2).lower() in {"against", "on"} and head in _AGGRESSION | verbs.blame:
            return "patient", head, False
        return "other", "", False
    m = _SUBJECT.match(after)
    if m and (lemma := _subject_verb(m, verbs)) is not None:
        return ("other", "be", False) if lemma == "be" else ("agent", lemma, lemma in verbs.blame)
    m = _OBJECT.search(before)
    if m and (m.group(1).lower() in verbs.lemma_of or m.group(1).lower().endswith("ed")):
        lemma = verbs.lemma_of.get(m.group(1).lower()) or _participle(m.group(1), verbs)
        if lemma and verbs.pos.get(lemma, "verb") == "verb":
            return "patient", lemma, False
    return "other", "", False


# --------------------------------------------------------------------------
# Roles: dependency parse
# --------------------------------------------------------------------------


def _parser_role(doc, start: int, end: int, verbs: Verbs) -> tuple[str, str, bool]:
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return "other", "", False
    tok = span.root
    while tok.dep_ in {"conj", "appos", "compound", "flat"} and tok.head is not tok:
        tok = tok.head
    head = tok.head
    if tok.dep_ in {"nsubj", "csubj"}:
        if head.lemma_ == "be":
            adj = next(
                (c.lemma_ for c in head.children if c.dep_ in {"acomp", "attr"} and c.lemma_ in verbs.blame),
                None,
            )
            return ("agent", adj, True) if adj else ("other", "be", False)
        return "agent", head.lemma_, head.lemma_ in verbs.blame
    if tok.dep_ == "pobj" and head.dep_ == "agent":
        return "agent", head.head.lemma_, head.head.lemma_ in verbs.blame
    if tok.dep_ in {"nsubjpass", "dobj", "obj", "dative", "iobj"}:
        return "patient", head.lemma_, False
    if (
        tok.dep_ == "pobj"
        and head.lemma_ in {"against", "on"}
        and head.head.lemma_ in _AGGRESSION | verbs.blame
    ):
        return "patient", head.head.lemma_, False
    if tok.dep_ == "poss":
        return "possessor", head.lemma_, head.lemma_ in verbs.blame
    return "other", "", False


def actor_mentions(
    corpus: Corpus,
    actors: str | Path | pd.DataFrame | None = None,
    *,
    verbs: str | Path | pd.DataFrame | None = None,
    parser: Literal["auto", "spacy", "heuristic"] = "auto",
    stories: pd.DataFrame | None = None,
    entities: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Every mention of an actor, with its grammatical role, whether it is blamed, and its story.

    Parameters
    ----------
    corpus : Corpus
    actors : path or DataFrame, optional
        Alias table that replaces discovery (a path, a DataFrame, or ``"actors_nk2023.csv"`` for the
        shipped example). Default: the entities discovered from the corpus.
    entities : DataFrame, optional
        :func:`analysis.people.entity_mentions` of this corpus (say with a user table that extends
        discovery); computed here when neither ``actors`` nor ``entities`` is given (with spaCy's entities
        when ``parser`` allows it, else the pattern fallback).
    verbs : path or DataFrame, optional
        Verb-form and blame lexicon (default: shipped ``framing_verbs.csv``).
    parser : {'auto', 'spacy', 'heuristic'}
        'auto' uses spaCy when :func:`analysis.nlp._spacy.load_spacy` returns a pipeline, else the heuristic.
    stories : DataFrame, optional
        ``analysis.topics.stories(corpus)``: gives each row its article's ``story_id``; without it every
        row has ``story_id`` = ``'all'`` (``analysis.corpus.WHOLE_CORPUS``, the whole corpus as one story).

    Returns
    -------
    DataFrame
        Columns ``article_id``, ``outlet``, ``story_id``, ``sentence_id``, ``actor``, ``alias``, ``start``, ``end``
        (offsets in the article text), ``matched``, ``role`` ('agent', 'patient', 'possessor', 'other'),
        ``verb`` (lemma), ``blame`` (bool), ``method`` ('parser' or 'heuristic').
    """
    if parser not in {"auto", "spacy", "heuristic"}:
        raise ValueError(f"parser must be 'auto', 'spacy' or 'heuristic', not {parser!r}")
    nlp = None if parser == "heuristic" else load_spacy()
    if parser == "spacy" and nlp is None:
        raise RuntimeError(
            "parser='spacy' but the spaCy pipeline is unavailable (or COVERAGE_COMPARE_NO_SPACY=1)"
        )
    if actors is not None and entities is not None:
        raise ValueError("give either actors (an alias table) or entities (discovered mentions), not both")
    lex = load_verbs(verbs)
    sents = corpus.sentences
    if actors is not None:
        patterns = _alias_patterns(load_actors(actors))
        found = [_find(patterns, t) for t in sents["text"]]
    else:
        if entities is None:
            entities = people.entity_mentions(corpus, parser="patterns" if nlp is None else "spacy")
        found = _discovered(sents, entities)
    todo = [i for i, f in enumerate(found) if f]
    parsed = people.parse_sentences(sents["text"].tolist()) if nlp and todo else None
    docs = {i: parsed[i] for i in todo} if parsed else {}
    rows = []
    for i in todo:
        s = sents.iloc[i]
        for actor, alias, a, b in found[i]:
            role = _parser_role(docs[i], a, b, lex) if nlp else heuristic_role(s.text, a, b, lex)
            rows.append(
                (
                    s.article_id,
                    s.outlet,
                    s.sentence_id,
                    actor,
                    alias,
                    s.start + a,
                    s.start + b,
                    s.text[a:b],
                    *role,
                    "parser" if nlp else "heuristic",
                )
            )
    cols = [
        "article_id",
        "outlet",
        "sentence_id",
        "actor",
        "alias",
        "start",
        "end",
        "matched",
        "role",
        "verb",
        "blame",
        "method",
    ]
    out = pd.DataFrame(rows, columns=cols).astype({"start": "int64", "end": "int64", "blame": bool})
    out.insert(2, "story_id", story_of(out, stories))
    return validate(out, ActorMentions, table="actor_mentions")


def _discovered(sents: pd.DataFrame, entities: pd.DataFrame) -> list[list[tuple[str, str, int, int]]]:
    """Per sentence, (actor, alias, start, end) of each discovered mention, offsets in the sentence."""
    position = {sid: i for i, sid in enumerate(sents["sentence_id"])}
    offset = sents["start"].to_numpy()
    found: list[list[tuple[str, str, int, int]]] = [[] for _ in range(len(sents))]
    for r in entities.itertuples(index=False):
        i = position[r.sentence_id]
        found[i].append((r.entity, r.name, int(r.start - offset[i]), int(r.end - offset[i])))
    return [sorted(f, key=lambda h: h[2]) for f in found]


def actor_profile(corpus: Corpus, mentions: pd.DataFrame, *, top_k: int | None = None) -> pd.DataFrame:
    """Salience, agency and blame of each actor per outlet.

    Shares are over the sentences that mention the actor: a sentence counts as 'agent' when at least one
    mention of the actor in it is an agent (likewise patient, blame).

    Returns
    -------
    DataFrame
        Columns ``outlet``, ``actor``, ``n`` (mentions), ``n_words`` (outlet's kept words),
        ``per_1000_words``, ``n_sentences``, ``n_agent``, ``n_patient``, ``n_blame``, ``agent_share``,
        ``patient_share``, ``blame_share`` (NaN when the outlet never mentions the actor). Every outlet x
        every actor that appears in ``mentions`` (with ``top_k``: the ``top_k`` actors with most mentions,
        ties by name).
    """
    words = corpus.articles.groupby("outlet", sort=False)["n_words"].sum()
    m = mentions.assign(is_agent=mentions["role"] == "agent", is_patient=mentions["role"] == "patient")
    per_sent = m.groupby(["outlet", "actor", "sentence_id"], sort=False).agg(
        n=("start", "size"), agent=("is_agent", "any"), patient=("is_patient", "any"), blame=("blame", "any")
    )
    agg = per_sent.groupby(["outlet", "actor"], sort=False).agg(
        n=("n", "sum"),
        n_sentences=("n", "size"),
        n_agent=("agent", "sum"),
        n_patient=("patient", "sum"),
        n_blame=("blame", "sum"),
    )
    actors = list(dict.fromkeys(mentions["actor"]))
    if top_k is not None:
        totals = mentions["actor"].value_counts()
        actors = sorted(actors, key=lambda a: (-totals[a], a))[:top_k]
    grid = pd.MultiIndex.from_product([corpus.outlets, actors], names=["outlet", "actor"])
    out = (
        agg.reindex(grid, fill_value=0)
        .reset_index()
        .astype({c: "int64" for c in ["n", "n_sentences", "n_agent", "n_patient", "n_blame"]})
    )
    out["n_words"] = out["outlet"].map(words).astype("int64")
    out["per_1000_words"] = (1000 * out["n"] / out["n_words"].where(out["n_words"] > 0)).fillna(0).round(6)
    denom = out["n_sentences"].where(out["n_sentences"] > 0, np.nan)
    for name in ("agent", "patient", "blame"):
        out[f"{name}_share"] = (out[f"n_{name}"] / denom).round(6)
    cols = list(ActorProfile.to_schema().columns)
    return validate(out[cols], ActorProfile, table="actor_profile")
