"""Speaker types and affiliations: the user-extendable tables in ``analysis/data/``.

* ``sourcing_speakers.csv`` (or a user file): canonical speaker -> type and affiliation; wins over rules.
* ``sourcing_speaker_types.csv``: title and role rules ('Prime Minister', 'spokesman', 'Secretary of',
  'analyst', 'residents' ...), first match wins.
* ``sourcing_affiliations.csv``: country and institution terms (demonyms, capitals, 'Kremlin').
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from analysis.data import read_table

__all__ = ["load_speaker_rules", "load_affiliations", "load_speaker_mapping", "speaker_type", "place_words"]


# --------------------------------------------------------------------------


def _read_csv(name: str, path: str | Path | None) -> pd.DataFrame:
    return read_table(name, path)


def load_speaker_rules(path: str | Path | None = None) -> pd.DataFrame:
    """Title and role rules that type speakers (``analysis/data/sourcing_speaker_types.csv`` or ``path``).

    Returns
    -------
    DataFrame
        Columns ``rule_id``, ``speaker_type``, ``pattern`` (case-insensitive regex on the
        speaker's words and descriptors), ``description``; the first matching rule wins.
    """
    return _read_csv("sourcing_speaker_types.csv", path)


def load_affiliations(path: str | Path | None = None) -> pd.DataFrame:
    """Country and institution terms (``sourcing_affiliations.csv``): columns ``affiliation``, ``terms`` ('|'-separated)."""
    return _read_csv("sourcing_affiliations.csv", path)


def load_speaker_mapping(path: str | Path | None = None) -> pd.DataFrame:
    """User mapping of canonical speakers to types (``sourcing_speakers.csv`` or ``path``; empty string = shipped).

    Returns
    -------
    DataFrame
        Columns ``speaker``, ``speaker_type``, ``affiliation``.
    """
    table = _read_csv("sourcing_speakers.csv", path or None)
    missing = {"speaker", "speaker_type"} - set(table.columns)
    if missing:
        raise ValueError(f"{path}: speaker mapping lacks column(s) {sorted(missing)}")
    if "affiliation" not in table.columns:
        table["affiliation"] = ""
    return table[["speaker", "speaker_type", "affiliation"]]


def speaker_type(
    speaker: str,
    descriptors: str,
    is_person: bool,
    *,
    rules: pd.DataFrame,
    affiliations: pd.DataFrame,
    mapping: pd.DataFrame,
) -> tuple[str, str, str]:
    """Type, affiliation and the rule that decided them for one speaker.

    The user mapping wins (rule ``mapping``); then the first title/role rule that
    matches the speaker's words plus descriptors; then a bare country or capital
    as speaker means its government (``place_as_government``); else ``unknown``.
    The affiliation is the first country or institution term found in the same words.

    Returns
    -------
    (speaker_type, affiliation, type_rule)
    """
    hit = mapping.loc[mapping["speaker"].str.casefold() == speaker.casefold()]
    words = f"{speaker} {descriptors}".strip()
    affiliation = ""
    for where in (speaker, descriptors):  # the speaker's own words first ("Russian officials")
        for row in affiliations.itertuples(index=False):
            terms = "|".join(re.escape(t) for t in row.terms.split("|"))
            if re.search(rf"(?<![\w.])(?:{terms})(?:['’]s?)?(?![\w])", where):
                affiliation = row.affiliation
                break
        if affiliation:
            break
    if not hit.empty:
        return hit.iloc[0]["speaker_type"], hit.iloc[0]["affiliation"] or affiliation, "mapping"
    for row in rules.itertuples(index=False):
        if re.search(row.pattern, words, re.IGNORECASE):
            return row.speaker_type, affiliation, row.rule_id
    if not is_person and affiliation and re.fullmatch(r"[\w.'’ -]+", speaker) and len(speaker.split()) <= 2:
        return "government", affiliation, "place_as_government"
    return "unknown", affiliation, "unknown"


def place_words(affiliations: pd.DataFrame) -> frozenset[str]:
    """Single words of the affiliation terms (countries, capitals, demonyms): never part of a person's name."""
    return frozenset(w for terms in affiliations["terms"] for t in terms.split("|") for w in t.split())
