"""Schemas of the people package: entity mentions and the entities discovered from a corpus."""

from __future__ import annotations

import pandera.pandas as pa
from pandera.typing import Series

import analysis.schemas._fields as fields
from analysis.schemas._table import Table

_KINDS = ["person", "organisation", "place", "group", "other"]
_ENTITY_ID = "Canonical entity id: '<kind>:<name in lower case, words joined by _>'."
_TYPE = (
    "One type per entity for the whole corpus: head_of_government, official, military, expert, journalist, "
    "civilian, organisation (from the title rules of sourcing_speaker_types.csv), else the kind; or the user table's."
)
_TYPE_RULE = (
    "What decided the type: a rule id of sourcing_speaker_types.csv, 'kind' (no rule matched) or 'table'."
)


class EntityMentions(Table, grain=("article_id", "start")):
    """One row per mention of an entity (:func:`analysis.people.entity_mentions`)."""

    article_id: Series[str] = fields.article_id()
    outlet: Series[str] = fields.outlet()
    sentence_id: Series[str] = fields.sentence_id()
    start: Series[int] = fields.start(of="the mention")
    end: Series[int] = fields.end(of="the mention")
    text: Series[str] = pa.Field(description="The mention as written.")
    name: Series[str] = pa.Field(description="The mention without leading titles, 'the' and possessive 's.")
    entity_id: Series[str] = pa.Field(description=_ENTITY_ID)
    entity: Series[str] = pa.Field(description="Canonical name of the entity (its most frequent full form).")
    kind: Series[str] = pa.Field(isin=_KINDS, description="person, organisation, place, group or other.")
    entity_type: Series[str] = pa.Field(description=_TYPE)
    type_rule: Series[str] = pa.Field(description=_TYPE_RULE)
    label: Series[str] = pa.Field(
        description="spaCy entity label, 'PATTERN' (fallback), 'GROUP' (group noun) or 'TABLE' (user table)."
    )
    method: Series[str] = pa.Field(isin=["spacy", "patterns", "table"], description="What found the mention.")
    link: Series[str] = pa.Field(
        isin=["name", "place", "same_article", "corpus", "corpus_dominant", "acronym", "table"],
        description="How the mention joined its entity (docs/people.md).",
    )
    descriptor: Series[str] = pa.Field(
        description="Title words before the mention and an appositive after it."
    )


class Entities(Table, grain=("entity_id",)):
    """One row per canonical entity of a corpus (:func:`analysis.people.entities`), most mentioned first."""

    entity_id: Series[str] = pa.Field(description=_ENTITY_ID)
    name: Series[str] = pa.Field(description="Canonical name.")
    entity_type: Series[str] = pa.Field(description=_TYPE)
    type_rule: Series[str] = pa.Field(description=_TYPE_RULE)
    kind: Series[str] = pa.Field(isin=_KINDS, description="person, organisation, place, group or other.")
    n_mentions: Series[int] = pa.Field(ge=1, description="Mentions in the corpus.")
    n_articles: Series[int] = fields.n_articles(of="the corpus mentioning the entity", ge=1)
    n_outlets: Series[int] = fields.n_outlets(of="the corpus mentioning the entity")
    aliases: Series[str] = pa.Field(
        description="Names as written (titles stripped), ' | '-joined, most frequent first."
    )
    from_table: Series[bool] = pa.Field(description="Named by the user table.")
