"""Terms set aside from the headline figures: an outlet's references to itself, and house style.

A term contrast finds what each outlet says more than the others. Two kinds of terms win that
contest without saying anything about coverage:

* **self-references**: an outlet names itself ('told the Daily Planet', 'Fox News reported',
  its site name 'huffpost'), and no other outlet does so as often;
* **house style**: honorifics and courtesy titles ('Mr.', 'Ms.', ``analysis/data/house_style_en.txt``)
  and dotted abbreviations ('U.S.' against 'US', 'a.m.'), which one outlet's style guide uses and
  another's does not.

They stay in the contrast table, flagged in ``set_aside`` with the reason, and
:func:`analysis.terms.top_terms` leaves them out unless asked. Stop words would hide them from
every table instead; :func:`analysis.terms.count_terms` takes ``extra_stop_words`` for that.

A term is a self-reference *for its own outlet only* (another outlet citing the Daily Planet is
coverage) when, for one of the outlet's *forms* (its name and its site name from the url domain,
tokenized as the counts were, leading and trailing stop words dropped):

* the term contains the form ('daily planet', 'told the daily planet', 'daily planet reported');
* or the term overlaps the form, running into it or out of it ('told the daily', 'planet
  reported': n-grams cut from 'told the Daily Planet' and 'Daily Planet reported') or lying
  inside it ('planet'), and at least half of the outlet's uses of the term can be uses of the
  name: its count in the outlet is at most twice the form's. When the form itself was not
  counted (a three-word name counted with bigrams) such terms are set aside. The counts cannot
  tell 'World Bank' from a cut of 'NHK World', so a term used mostly in the name is set aside
  and one used mostly elsewhere ('kyiv' in the Kyiv Independent's reporting on Kyiv) is kept.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import cache
from urllib.parse import urlsplit

import numpy as np
import pandas as pd
import polars as pl

from analysis.corpus import is_group_label
from analysis.corpus import text as textmod
from analysis.data import read_word_list

__all__ = ["flag_set_aside", "outlet_sites", "SELF_REFERENCE", "HOUSE_STYLE"]

#: Reasons written in the ``set_aside`` column ("" when a term is kept).
SELF_REFERENCE = "self-reference"
HOUSE_STYLE = "house style"

_DOTTED = re.compile(r"^(?:[a-z]\.)+[a-z]$")  # 'u.s', 'a.m', 'u.k' after normalization
#: Domain labels that are suffixes, not site names ('co.uk', 'or.jp', 'com').
_SUFFIX_LABELS = frozenset("com org net gov edu int info biz news co or ac ne go gob gouv".split())


@cache
def _honorifics() -> frozenset[str]:
    return read_word_list("house_style_en.txt")


@cache
def _edge_stops() -> frozenset[str]:
    return read_word_list("stopwords_en.txt")


def _site_name(url: str) -> str:
    """The site's own label of a url: 'https://www.dailyplanet.co.uk/x' -> 'dailyplanet'."""
    host = urlsplit(url if "//" in url else f"//{url}").hostname or ""
    labels = [label for label in host.split(".") if label and label != "www"]
    while len(labels) > 1 and (labels[-1] in _SUFFIX_LABELS or len(labels[-1]) == 2):
        labels.pop()
    return labels[-1] if labels else ""


def outlet_sites(articles: pd.DataFrame) -> dict[str, list[str]]:
    """Site names of each outlet from the articles' ``url`` column (the manifest's urls).

    Parameters
    ----------
    articles : DataFrame
        ``Corpus.articles`` (columns ``outlet`` and, when urls are known, ``url``; ``member_outlet``
        in a corpus grouped by :func:`analysis.corpus.group_corpus`).

    Returns
    -------
    dict
        outlet -> sorted distinct site names and hosts (['dailyplanet', 'dailyplanet.com'] for
        https://www.dailyplanet.com/...); outlets without urls are absent. In a grouped corpus,
        group label -> its member outlets' names and sites, so that each member's references to
        itself are still found.
    """
    sites: dict[str, set[str]] = {}
    outlets = articles["outlet"].astype(str)
    for outlet, url in zip(outlets, articles.get("url", pd.Series(None, index=articles.index)), strict=True):
        if not (isinstance(url, str) and url):
            continue
        host = urlsplit(url if "//" in url else f"//{url}").hostname or ""
        host = host.removeprefix("www.")
        names = {name for name in (_site_name(url), host) if name}
        sites.setdefault(outlet, set()).update(names)
    if "member_outlet" in articles.columns:  # a grouped corpus: its members' names are a group's forms
        for group, member in zip(outlets, articles["member_outlet"].astype(str), strict=True):
            sites.setdefault(group, set()).add(member)
    return {outlet: sorted(names) for outlet, names in sites.items()}


def _forms(outlet: str, sites: Iterable[str]) -> list[tuple[str, ...]]:
    """Token sequences an outlet names itself with, edge stop words dropped ('The Daily Planet').

    A group label ('leaning=left', :func:`analysis.corpus.group_corpus`) names no outlet: a group's
    forms are its members' names and sites, which :func:`outlet_sites` lists under the label.
    """
    stops, forms = _edge_stops(), []
    for name in [*([] if is_group_label(outlet) else [outlet]), *sites]:
        tokens = textmod.tokenize(name)
        while tokens and tokens[0] in stops:
            tokens = tokens[1:]
        while tokens and tokens[-1] in stops:
            tokens = tokens[:-1]
        if tokens and tuple(tokens) not in forms:
            forms.append(tuple(tokens))
    return forms


def _overlap(term: tuple[str, ...], form: tuple[str, ...]) -> str:
    """How a term's tokens meet a form's: 'contains' (the whole form), 'partial' or '' (no overlap)."""
    m, k = len(term), len(form)
    partial = False
    for shift in range(-(m - 1), k):  # term[i] sits at form[i + shift]
        inside = [i for i in range(m) if 0 <= i + shift < k]
        if all(term[i] == form[i + shift] for i in inside):
            if len(inside) == k:
                return "contains"
            partial = True
    return "partial" if partial else ""


class _TermTokens:
    """The space-separated tokens of some of the distinct ``terms``, one flat column: each is split once.

    Only the terms at ``codes`` are split: those a substring search found to hold at least one of the
    tokens tested (:func:`_maybe_holding`); the others hold none of them, so no token test needs them.
    """

    def __init__(self, terms: pl.Series, codes: np.ndarray):
        self.terms = terms
        self.n_terms = len(terms)
        self.texts = terms.gather(codes)
        split = self.texts.str.split(" ")
        self.codes = codes
        self.term_of_token = np.repeat(codes, split.list.len().to_numpy())
        self.tokens = split.explode()

    def any_token(self, token_test: pl.Expr) -> np.ndarray:
        """Whether any token of each term (all ``n_terms``) passes ``token_test`` (an expression on ``t``)."""
        passes = self.tokens.to_frame("t").select(token_test).to_series().to_numpy()
        return np.bincount(self.term_of_token[passes], minlength=self.n_terms) > 0

    def sharing(self, token_sets: list[list[str]]) -> list[np.ndarray]:
        """For each list of tokens, the terms (ascending codes) with at least one token in it.

        One join of the terms' tokens with every list's tokens, not one pass over the terms per list.
        """
        wanted = pl.DataFrame(
            {
                "t": pl.Series([t for tokens in token_sets for t in tokens], dtype=pl.String),
                "k": np.repeat(np.arange(len(token_sets)), [len(tokens) for tokens in token_sets]),
            }
        )
        found = (
            pl.DataFrame({"t": self.tokens, "term": self.term_of_token})
            .join(wanted, on="t")
            .select("k", "term")
            .unique()
            .sort("k", "term")
        )
        ends = np.cumsum(np.bincount(found["k"].to_numpy(), minlength=len(token_sets)))
        terms = found["term"].to_numpy()
        return [terms[ends[k - 1] if k else 0 : ends[k]] for k in range(len(token_sets))]

    def codes_of(self, texts: Iterable[str]) -> dict[str, int]:
        """Code of each of ``texts`` that is one of the split terms (terms are distinct)."""
        texts = list(dict.fromkeys(texts))
        if not texts:
            return {}
        found = np.flatnonzero(self.texts.is_in(pl.Series(texts, dtype=pl.String).implode()).to_numpy())
        return dict(zip(self.texts.gather(found).to_list(), self.codes[found].tolist(), strict=True))


def _maybe_holding(terms: pl.Series, substrings: list[str]) -> np.ndarray:
    """Codes (ascending) of the ``terms`` holding one of ``substrings``: every term with a token among
    them, and some others (one search of all terms, no split)."""
    if not substrings:
        return np.zeros(0, dtype=np.int64)
    return np.flatnonzero(terms.str.contains_any(sorted(set(substrings))).to_numpy())


def _self_references(
    rows: np.ndarray,
    term_codes: np.ndarray,
    n: np.ndarray,
    tokens: _TermTokens,
    forms: list[tuple[str, ...]],
    form_codes: Mapping[str, int],
    sharing: np.ndarray,
) -> np.ndarray:
    """Which of the outlet's ``rows`` (ascending positions in the table, at least all those of its
    terms in ``sharing``) hold one of its self-references (rules in the module docstring);
    ``term_codes`` index each row's term in ``tokens.terms``, ``n`` is each row's count,
    ``form_codes`` the term code of each form that was counted and ``sharing`` the codes of the
    terms that share a token with a form (every alignment of a term with a form needs one: the
    other terms overlap no form, and a counted form is one of them)."""
    flags = np.zeros(len(rows), dtype=bool)
    if not forms or not len(sharing):
        return flags
    row_codes = term_codes[rows]
    candidates = np.flatnonzero(np.isin(row_codes, sharing))
    if not len(candidates):
        return flags
    form_n = {}  # the outlet's count of each form that was counted (its last row, as a dict keeps it)
    for form in forms:
        code = form_codes.get(" ".join(form))
        at = np.flatnonzero(row_codes == code) if code is not None else candidates[:0]
        form_n[form] = n[rows[at[-1]]] if len(at) else None
    candidate_codes = row_codes[candidates]
    distinct = np.unique(candidate_codes)
    texts = dict(zip(distinct.tolist(), tokens.terms.gather(distinct).to_list(), strict=True))
    for k, code in zip(candidates.tolist(), candidate_codes.tolist(), strict=True):
        term_tokens = tuple(texts[code].split(" "))
        for form in forms:
            how = _overlap(term_tokens, form)
            mostly_the_name = form_n[form] is None or n[rows[k]] <= 2 * form_n[form]
            if how == "contains" or (how == "partial" and mostly_the_name):
                flags[k] = True
                break
    return flags


#: The reason of each code of :func:`set_aside_codes`.
REASONS = np.array(["", HOUSE_STYLE, SELF_REFERENCE], dtype=object)
_HOUSE_CODE, _SELF_CODE = 1, 2


def set_aside_codes(
    terms: np.ndarray | pl.Series,
    term_codes: np.ndarray,
    outlets: list[str],
    outlet_codes: np.ndarray,
    n: np.ndarray,
    *,
    sites: Mapping[str, Iterable[str]] | None = None,
    self_references: bool = True,
    house_style: bool = True,
    by: str = "outlet",
) -> np.ndarray:
    """:func:`flag_set_aside` of a table given by codes, as codes into :data:`REASONS`: row r has term
    ``terms[term_codes[r]]``, outlet ``outlets[outlet_codes[r]]`` and count ``n[r]``.

    ``terms`` are distinct, as Python strings or a polars String column. One substring search of
    all terms finds those that may hold an honorific, a dotted abbreviation or a token of an outlet's
    name; only those are split and tested, each once. Per row there are a few array operations,
    and a Python pass over the rows whose term shares a token with their outlet's name.

    Returns
    -------
    ndarray of int8
        One code per row: 0 (kept), 1 ('house style') or 2 ('self-reference').
    """
    terms = terms if isinstance(terms, pl.Series) else pl.Series(terms, dtype=pl.String)
    honorifics = sorted(_honorifics()) if house_style else []
    forms, token_sets = [], []
    if self_references and by == "outlet":
        sites = sites or {}
        forms = [_forms(outlet, sites.get(outlet, ())) for outlet in outlets]
        token_sets = [[t for form in outlet_forms for t in form] for outlet_forms in forms]
    searched = [*honorifics, *(["."] if house_style else []), *(t for tokens in token_sets for t in tokens)]
    tokens = _TermTokens(terms, _maybe_holding(terms, searched))
    codes = np.zeros(len(term_codes), dtype=np.int8)
    if house_style:
        styled = tokens.any_token(
            pl.col("t").is_in(pl.Series(honorifics, dtype=pl.String).implode())
            # _DOTTED is ASCII without look-around or a final newline: Rust reads it as Python does
            | pl.col("t").str.contains(_DOTTED.pattern)
        )
        codes[styled[term_codes]] = _HOUSE_CODE
    if forms:
        form_codes = tokens.codes_of(" ".join(form) for outlet_forms in forms for form in outlet_forms)
        sharing = tokens.sharing(token_sets)
        # the rows whose term shares a token with some outlet's names, grouped by outlet (ascending)
        shares = np.zeros(len(terms), dtype=bool)
        shares[np.concatenate(sharing)] = True
        rows = np.flatnonzero(shares[term_codes] & (term_codes >= 0))  # -1: a missing term (pd.factorize)
        rows = rows[np.argsort(outlet_codes[rows], kind="stable")]
        ends = np.cumsum(np.bincount(outlet_codes[rows], minlength=len(outlets)))
        for k, outlet_forms in enumerate(forms):
            outlet_rows = rows[ends[k - 1] if k else 0 : ends[k]]
            flags = _self_references(outlet_rows, term_codes, n, tokens, outlet_forms, form_codes, sharing[k])
            codes[outlet_rows[flags]] = _SELF_CODE
    return codes


def flag_set_aside(
    scores: pd.DataFrame,
    *,
    sites: Mapping[str, Iterable[str]] | None = None,
    self_references: bool = True,
    house_style: bool = True,
    by: str = "outlet",
) -> pd.Series:
    """The reason each row of a contrast table is set aside from the headline figures, or "".

    Parameters
    ----------
    scores : DataFrame
        Rows with ``by``, ``term`` and ``n`` (the output of :func:`analysis.terms.contrast`).
    sites : mapping, optional
        outlet -> site names (:func:`outlet_sites` of ``Corpus.articles``); the outlet's own
        name (the ``by`` value) is always a form.
    self_references, house_style : bool
        Which kinds to set aside. Self-references apply only when ``by == 'outlet'``.

    Returns
    -------
    Series of str
        Aligned with ``scores``: 'self-reference', 'house style' or "".
    """
    term_codes, terms = pd.factorize(scores["term"])  # each distinct term is tested once
    outlets, outlet_codes = [], np.zeros(len(scores), dtype=np.int64)
    if self_references and by == "outlet":
        outlet_codes, names = pd.factorize(scores[by].astype(str))  # in order of first appearance
        outlets = list(names)
    codes = set_aside_codes(
        np.asarray(terms, dtype=object),
        term_codes,
        outlets,
        outlet_codes,
        scores["n"].to_numpy(),
        sites=sites,
        self_references=self_references,
        house_style=house_style,
        by=by,
    )
    return pd.Series(REASONS[codes], index=scores.index, dtype=object)
