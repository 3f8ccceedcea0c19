"""Columns that several tables share, declared once: dtype, checks and description.

Calling a :class:`SharedField` gives the pandera field of that column in one model, so that
``article_id`` is described and checked the same way in every table::

    class Hedges(Table, grain=("article_id", "marker", "start")):
        article_id: Series[str] = fields.article_id()
        start: Series[int] = fields.start(of="the matched words")

Identifiers and labels (``article_id``, ``outlet``, ``topic``, ...) have one description
everywhere. Measures whose subject depends on the table (``n``, ``start``, ``n_articles``, ...)
have a description with an ``{of}`` slot that each model fills ("Count of {of}."). A model may
tighten a shared column's checks (``unique``, ``ge=1``) but not loosen its description.
Fields shared only within one capability are declared the same way at the top of its module.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import pandera.pandas as pa

__all__ = ["SharedField", "shared_fields"]


@dataclass(frozen=True)
class SharedField:
    """A column shared by several tables: its name, dtype, description and checks."""

    name: str
    dtype: type
    description: str
    checks: dict[str, Any] = field(default_factory=dict)

    def __call__(self, of: str | None = None, **checks: Any) -> Any:
        """The pandera field for one model; ``of`` fills the description's slot, ``checks`` add to the shared ones."""
        if ("{of}" in self.description) != (of is not None):
            raise TypeError(
                f"{self.name}: "
                + (
                    "say what the column is of: of='...'"
                    if of is None
                    else "the description is shared as is; it takes no 'of'"
                )
            )
        text = self.description.format(of=of) if of is not None else self.description
        return pa.Field(description=text, **{**self.checks, **checks})

    def describes(self, text: str) -> bool:
        """Whether ``text`` is this field's description (with any subject in its ``{of}`` slot)."""
        pattern = ".+".join(re.escape(part) for part in self.description.split("{of}"))
        return re.fullmatch(pattern, text) is not None


def shared_fields(namespace: dict[str, Any]) -> dict[str, SharedField]:
    """The shared fields defined in a module's namespace, by column name."""
    return {f.name: f for f in namespace.values() if isinstance(f, SharedField)}


# --------------------------------------------------------------------------
# Identifiers and labels: one description everywhere
# --------------------------------------------------------------------------

article_id = SharedField("article_id", str, "Article identifier (no ':' or spaces).")
outlet = SharedField("outlet", str, "Outlet label, the group that tables compare.")
member_outlet = SharedField(
    "member_outlet",
    str,
    "The article's own outlet when 'outlet' holds its group's label (analysis.corpus.group_corpus); "
    "absent from ungrouped tables.",
    {"required": False},
)
outlet_type = SharedField(
    "outlet_type",
    str,
    "Kind of outlet (wire, aggregator, public_broadcaster, ...), when given.",
    {"nullable": True},
)
paragraph_id = SharedField(
    "paragraph_id",
    str,
    "Paragraph identifier, '<article_id>:p<index>' (index over all paragraphs of the raw text, removed ones included).",
)
sentence_id = SharedField("sentence_id", str, "Sentence identifier, '<paragraph_id>:s<index>'.")
unit_id = SharedField(
    "unit_id",
    str,
    "Identifier of a unit of text: the paragraph_id, sentence_id or article_id of the units analysed.",
)
term = SharedField("term", str, "Normalized n-gram: tokens of the shared tokenizer joined by one space.")
story_id = SharedField("story_id", str, "Story (event) identifier: {of}.")
#: ``story_id`` of every row computed without stories: the whole corpus as one story (docs/stories.md).
WHOLE_CORPUS = "all"
topic = SharedField(
    "topic",
    int,
    "Topic number: 0 is the largest topic; -1 means no topic (a unit with no term in the vocabulary).",
    {"ge": -1},
)
frame = SharedField("frame", str, "Frame id in the codebook.")
speaker = SharedField(
    "speaker",
    str,
    "Canonical speaker: a person's full name or a group's words ('unknown' or null when none is found).",
)
actor = SharedField(
    "actor", str, "Actor, as named in the alias table ('(all)' in summaries over all sentences)."
)
sentence = SharedField("sentence", str, "The sentence the row was found in, for evidence.")

# --------------------------------------------------------------------------
# Measures: the model says what they are of
# --------------------------------------------------------------------------

start = SharedField("start", int, "Offset of {of} into the article's original text.", {"ge": 0})
end = SharedField("end", int, "End offset (exclusive) of {of} into the article's original text.", {"ge": 1})
n = SharedField("n", int, "Count of {of}.", {"ge": 0})
n_words = SharedField("n_words", int, "Words (analysis.corpus.text.count_words) of {of}.", {"ge": 0})
n_articles = SharedField("n_articles", int, "Distinct articles of {of}.", {"ge": 0})
n_outlets = SharedField("n_outlets", int, "Distinct outlets of {of}.", {"ge": 1})
sentence_ids = SharedField("sentence_ids", str, "Ids of {of}, space-separated, in corpus order.")
se = SharedField("se", float, "Standard error of {of}.")
ci_low = SharedField("ci_low", float, "Lower bound of {of}.")
ci_high = SharedField("ci_high", float, "Upper bound of {of}.")
