"""People, organisations, places and groups discovered from the corpus, with their aliases merged.

* :func:`entity_mentions` finds every mention (spaCy's named entities, or patterns without spaCy),
  strips titles and links aliases to one canonical entity per corpus ('Mr. Trump', 'Trump' and
  'Donald J. Trump' are 'Donald Trump'), typed once for the corpus from title rules;
* :func:`entities` gives one row per entity; :func:`table_share` says how much of the corpus a user
  table names;
* :func:`corpus_settings` / :func:`table_setting` read a corpus folder's ``coverage-compare.toml``,
  which names the tables (actors, terms) that corpus uses instead of discovery;
* :func:`parse_sentences` is the cached spaCy parse, shared with the framing roles.

Framing (actors) and sourcing (speakers) build on these tables; this package imports only corpus,
nlp, infra, data and schemas. See ``docs/people.md``.
"""

from __future__ import annotations

from analysis.people._entities import (
    MIN_TABLE_SHARE,
    entities,
    entity_mentions,
    load_people_table,
    table_note,
    table_share,
)
from analysis.people._names import clean_name, person_key
from analysis.people._parse import parse_sentences
from analysis.people._settings import SETTINGS_FILE, corpus_settings, table_setting

__all__ = [
    "MIN_TABLE_SHARE",
    "SETTINGS_FILE",
    "clean_name",
    "corpus_settings",
    "entities",
    "entity_mentions",
    "load_people_table",
    "parse_sentences",
    "person_key",
    "table_note",
    "table_setting",
    "table_share",
]
