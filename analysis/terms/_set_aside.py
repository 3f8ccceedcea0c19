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
    """The space-separated tokens of each distinct term, one flat column: each term is split once."""

    def __init__(self, terms: np.ndarray):
        split = pl.Series(terms, dtype=pl.String).str.split(" ")
        self.n_terms = len(terms)
        self.term_of_token = np.repeat(np.arange(len(terms)), split.list.len().to_numpy())
        self.tokens = split.explode()

    def any_token(self, token_test: pl.Expr) -> np.ndarray:
        """Whether any token of each term passes ``token_test`` (an expression on the column ``t``)."""
        passes = self.tokens.to_frame("t").select(token_test).to_series().to_numpy()
        return np.bincount(self.term_of_token[passes], minlength=self.n_terms) > 0


def _self_references(
    scores: pd.DataFrame,
    rows: np.ndarray,
    term_codes: np.ndarray,
    terms: np.ndarray,
    tokens: _TermTokens,
    forms: list[tuple[str, ...]],
) -> np.ndarray:
    """Which of the outlet's ``rows`` (positions in ``scores``) hold one of its self-references
    (rules in the module docstring); ``term_codes`` index each row's term in ``terms``."""
    flags = np.zeros(len(scores), dtype=bool)
    if not forms:
        return flags
    # every alignment of a term with a form needs one shared token: the other terms overlap no form
    form_tokens = pl.Series([t for f in forms for t in f], dtype=pl.String).implode()
    shares = tokens.any_token(pl.col("t").is_in(form_tokens))
    candidates = rows[shares[term_codes[rows]]]
    if not len(candidates):
        return flags
    n = scores["n"].to_numpy()
    form_n = {}  # the outlet's count of each form that was counted (its last row, as a dict keeps it)
    for form in forms:
        at = rows[np.isin(term_codes[rows], np.flatnonzero(terms == " ".join(form)))]
        form_n[form] = n[at[-1]] if len(at) else None
    for index in candidates:
        term_tokens = tuple(terms[term_codes[index]].split(" "))
        for form in forms:
            how = _overlap(term_tokens, form)
            mostly_the_name = form_n[form] is None or n[index] <= 2 * form_n[form]
            if how == "contains" or (how == "partial" and mostly_the_name):
                flags[index] = True
                break
    return flags


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
    reasons = np.full(len(scores), "", dtype=object)
    term_codes, terms = pd.factorize(scores["term"])  # each distinct term is tested once
    terms = np.asarray(terms, dtype=object)
    tokens = _TermTokens(terms)
    if house_style:
        honorifics = _honorifics()
        # _DOTTED is ASCII without look-around or a final newline: Rust reads it as Python does
        styled = tokens.any_token(
            pl.col("t").is_in(pl.Series(sorted(honorifics), dtype=pl.String).implode())
            | pl.col("t").str.contains(_DOTTED.pattern)
        )
        reasons[styled[term_codes]] = HOUSE_STYLE
    if self_references and by == "outlet":
        sites = sites or {}
        outlet_codes, outlets = pd.factorize(scores[by].astype(str))  # in order of first appearance
        for k, outlet in enumerate(outlets):
            rows = np.flatnonzero(outlet_codes == k)
            forms = _forms(outlet, sites.get(outlet, ()))
            reasons[_self_references(scores, rows, term_codes, terms, tokens, forms)] = SELF_REFERENCE
    return pd.Series(reasons, index=scores.index, dtype=object)
