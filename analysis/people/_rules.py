"""Shared rule tables: title/role rules (entity types, group nouns) and places (countries, capitals, demonyms).

Both are the sourcing tables, extended rather than duplicated: ``sourcing_speaker_types.csv`` (its
``entity_type`` column names the corpus-level type a rule gives) and ``sourcing_affiliations.csv``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from analysis.data import read_table

__all__ = ["Rules", "load_rules", "GROUP_TYPES"]

#: Entity types whose plural nouns are group actors ('troops', 'peacekeepers', 'residents', 'refugees').
GROUP_TYPES = ("military", "civilian")


@dataclass(frozen=True)
class Rules:
    """Compiled rules: typing patterns in order, group nouns, and place terms -> affiliation."""

    types: tuple[tuple[str, str, re.Pattern[str]], ...]  # (rule_id, entity_type, pattern)
    group_noun: re.Pattern[str]
    place_of: dict[str, str]  # a country's name or capital -> the country
    demonym_of: dict[str, str]  # 'Russian', 'Russians' -> Russia

    def entity_type(self, words: str) -> tuple[str, str] | None:
        """(entity_type, rule_id) of the first rule matching ``words``, or None."""
        for rule_id, kind, pattern in self.types:
            if pattern.search(words):
                return kind, rule_id
        return None


def _is_demonym(term: str, affiliation: str, terms: set[str]) -> bool:
    if term == affiliation:
        return False
    return (
        (
            term.startswith(affiliation[:4])
            or f"{term}s" in terms
            or term.endswith(("ans", "ese", "ish", "is", "ch"))
            or (term.endswith("s") and term[:-1] in terms)
        )
        and term[:1].isupper()
        and " " not in term
        and not term.isupper()
    )


@lru_cache(maxsize=1)
def load_rules() -> Rules:
    """The shipped rule tables, compiled (``sourcing_speaker_types.csv``, ``sourcing_affiliations.csv``)."""
    table = read_table("sourcing_speaker_types.csv")
    types = tuple(
        (r.rule_id, r.entity_type or r.speaker_type, re.compile(r.pattern, re.IGNORECASE))
        for r in table.itertuples(index=False)
    )
    group = "|".join(
        f"(?:{r.pattern})" for r in table.itertuples(index=False) if r.speaker_type in GROUP_TYPES
    )
    place_of: dict[str, str] = {}
    demonym_of: dict[str, str] = {}
    for r in read_table("sourcing_affiliations.csv").itertuples(index=False):
        terms = set(r.terms.split("|"))
        for term in sorted(terms):
            if _is_demonym(term, r.affiliation, terms):
                demonym_of.setdefault(term, r.affiliation)
            else:
                place_of.setdefault(term, r.affiliation)
    return Rules(types, re.compile(rf"^(?:{group})$", re.IGNORECASE), place_of, demonym_of)
