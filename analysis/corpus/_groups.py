"""Outlet groups: each outlet's group (a manifest column or a user's table) and a corpus compared by group.

:func:`outlet_groups` maps each outlet to one group. :func:`group_corpus` returns a corpus whose
``outlet`` column holds each article's group label, so that every table and figure built from it
compares groups exactly as it compares outlets; the article's own outlet is kept in
``member_outlet``. A group label names its column and value, ``"outlet_type=wire"`` or
``"leaning=left"``, so that an exported figure says what was grouped; :func:`is_group_label`
recognises one (an outlet whose own name looks like ``column=value`` would be taken for a group).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.corpus._load import Corpus
from analysis.data import read_table
from analysis.schemas import validate
from analysis.schemas.corpus import OutletGroups, group_value, is_group_label

__all__ = ["articles_of", "outlet_groups", "group_corpus", "is_group_label", "group_note"]


def articles_of(corpus) -> pd.DataFrame:
    """The articles table of a Corpus, or ``corpus`` itself when it is one (``article_id``, ``outlet``)."""
    articles = corpus.articles if hasattr(corpus, "articles") else corpus
    if not isinstance(articles, pd.DataFrame):
        raise TypeError(f"corpus must be a Corpus or an articles DataFrame, not {type(corpus).__name__}")
    missing = {"article_id", "outlet"} - set(articles.columns)
    if missing:
        raise ValueError(f"articles lack column(s) {sorted(missing)}")
    return articles


def outlet_groups(
    corpus, *, by: str = "outlet_type", table: str | Path | pd.DataFrame | None = None
) -> pd.DataFrame:
    """Each outlet's group: a column of the corpus's articles, or of a user table ``outlet -> group``.

    Parameters
    ----------
    corpus : Corpus or DataFrame
        The corpus (or its articles table).
    by : str
        The group column: ``outlet_type``, ``country``, ``language`` (or any article column), or a
        column of ``table``.
    table : str, Path or DataFrame, optional
        A CSV (or table) with ``outlet`` and the ``by`` column (e.g. ``outlet,leaning``). Every outlet
        of the corpus must be listed; rows of outlets the corpus lacks are left out.

    Returns
    -------
    DataFrame
        Schema :class:`analysis.schemas.corpus.OutletGroups`: ``outlet`` and the ``by`` column (only
        ``outlet`` when ``by='outlet'``), one row per outlet in corpus order. An empty or missing
        value is the group 'unknown'.

    Raises
    ------
    ValueError
        When ``by`` is not a column, an outlet has two groups, or the table misses an outlet.
    """
    articles = articles_of(corpus)
    outlets = list(dict.fromkeys(articles["outlet"].astype(str)))
    if by == "outlet":
        return validate(pd.DataFrame({"outlet": outlets}), OutletGroups, table="outlet_groups")
    if table is None:
        source, where = articles, "the corpus's articles"
    elif isinstance(table, pd.DataFrame):
        source, where = table, "the group table"
    else:
        source, where = read_table(str(table), table), f"the group table {table}"
    missing = {"outlet", by} - set(source.columns)
    if missing:
        raise ValueError(f"{where} lacks column(s) {sorted(missing)}")
    values = source[by].map(group_value)
    pairs = pd.DataFrame({"outlet": source["outlet"].astype(str), by: values}).drop_duplicates()
    twice = pairs["outlet"][pairs["outlet"].duplicated()]
    if not twice.empty:
        raise ValueError(f"outlet {twice.iat[0]!r} has more than one {by} in {where}")
    absent = sorted(set(outlets) - set(pairs["outlet"]))
    if absent:
        raise ValueError(f"{where} gives no {by} for outlet(s) {absent[:5]}")
    out = pairs.set_index("outlet").loc[outlets].reset_index()
    return validate(out, OutletGroups, table="outlet_groups")


def _group_label(by: str, group: str) -> str:
    """The label of the outlets whose ``by`` is ``group``: ``'outlet_type=wire'``."""
    return f"{by}={group}"


def _relabel(table: pd.DataFrame, label_of: dict[str, str]) -> pd.DataFrame:
    """A copy of ``table`` whose ``outlet`` is its group label, the outlet kept in ``member_outlet`` next to it."""
    if "outlet" not in table.columns:
        return table
    out = table.copy()
    out.insert(out.columns.get_loc("outlet") + 1, "member_outlet", out["outlet"])
    out["outlet"] = out["outlet"].astype(str).map(label_of).astype(object)
    return out


def group_corpus(
    corpus: Corpus, *, by: str = "outlet", table: str | Path | pd.DataFrame | None = None
) -> Corpus:
    """The corpus with outlets replaced by their groups, so that every comparison compares groups.

    Parameters
    ----------
    corpus : Corpus
        A loaded corpus; it is not modified.
    by : str
        ``'outlet'`` (the corpus itself is returned), a column of the articles (``outlet_type``,
        ``country``, ``language``...) or a column of ``table``.
    table : str, Path or DataFrame, optional
        A CSV (or table) ``outlet,<by>`` giving every outlet's group (:func:`outlet_groups`).

    Returns
    -------
    Corpus
        A new corpus (same ``source``) whose ``articles``, ``paragraphs``, ``removed`` and (built
        when first read) ``sentences`` have ``outlet`` = the label ``'<by>=<group>'`` of the outlet's group,
        e.g. ``'outlet_type=wire'``, and ``member_outlet`` = the article's own outlet.

    Raises
    ------
    ValueError
        When the corpus is already grouped, or as :func:`outlet_groups` (``by`` is not a column, the
        table misses an outlet, which it names).
    """
    if by == "outlet":
        return corpus
    if "member_outlet" in corpus.articles.columns:
        raise ValueError(
            f"the corpus is already grouped (outlets {corpus.outlets[:3]}); group the loaded corpus"
        )
    groups = outlet_groups(corpus, by=by, table=table)
    label_of = {
        outlet: _group_label(by, group) for outlet, group in zip(groups["outlet"], groups[by], strict=True)
    }
    grouped = Corpus(
        articles=_relabel(corpus.articles, label_of),
        paragraphs=_relabel(corpus.paragraphs, label_of),
        removed=_relabel(corpus.removed, label_of),
        source=corpus.source,
    )
    if corpus.sentences_built:  # keep what was built; otherwise it is built from the grouped paragraphs
        object.__setattr__(grouped, "_sentences", _relabel(corpus.sentences, label_of))
    return grouped


def group_note(corpus: Corpus) -> str:
    """One sentence naming a grouped corpus's groups and their outlets ("" for an ungrouped corpus).

    Returns
    -------
    str
        e.g. "Outlets compared as groups: outlet_type=wire (Reuters, AP); outlet_type=digital (Site)."
    """
    articles = corpus.articles
    if "member_outlet" not in articles.columns:
        return ""
    members = articles.groupby("outlet", sort=False)["member_outlet"].unique()
    return (
        "Outlets compared as groups: "
        + "; ".join(f"{group} ({', '.join(map(str, outlets))})" for group, outlets in members.items())
        + "."
    )
