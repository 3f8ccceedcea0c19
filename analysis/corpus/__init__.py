"""The corpus: loading, streaming, segmentation, cleaning rules, the tokenizer and descriptive tables.

Everything else in the package starts from a :class:`Corpus`:

* :func:`load_corpus` reads a folder with a manifest, or a .jsonl/.csv/.parquet file, and builds
  ``articles``, ``paragraphs``, ``sentences`` and ``removed`` with offsets into the original text;
* :func:`iter_corpus` streams any input as ``Corpus`` batches; :func:`build_corpus` builds one from
  records (handy in tests);
* :func:`outlet_summary`, :func:`unit_lengths`, :func:`quoted_share`, :func:`removed_summary`
  describe what was loaded (notebook 01);
* :func:`story_of` tags a table's rows with their story (``analysis.topics.stories``), the scope of
  every comparison between outlets.
* :func:`outlet_groups` maps outlets to groups (a manifest column or a user's table);
  :func:`group_corpus` returns the corpus with each outlet replaced by its group label
  (``'outlet_type=wire'``, the outlet kept in ``member_outlet``), so that every comparison can
  compare groups; :func:`group_note` says which outlets each group holds.

The tokenizer and sentence splitter shared by every analysis live in :mod:`analysis.corpus.text`;
:func:`raw_token_ids` runs the same tokenizer compiled over many texts at once (:class:`RawTokens`:
one integer per token, naming its raw form), which is how terms are counted.
"""

from __future__ import annotations

from analysis.corpus._describe import outlet_summary, quoted_share, removed_summary, unit_lengths
from analysis.corpus._groups import articles_of, group_corpus, group_note, is_group_label, outlet_groups
from analysis.corpus._load import (
    Corpus,
    CorpusError,
    boilerplate_rules,
    build_corpus,
    iter_corpus,
    load_corpus,
)
from analysis.corpus._readers import iter_records, jsonl_records, parquet_records, require_file
from analysis.corpus._stories import WHOLE_CORPUS, story_of
from analysis.corpus._tokens import RawTokens, recorded_tokens


def __getattr__(name: str):
    """``raw_token_ids`` (the compiled scanner) imports numba on first use."""
    if name == "raw_token_ids":
        from analysis.corpus import _scan  # numba: the scanner compiles and loads on first use

        return getattr(_scan, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "articles_of",
    "WHOLE_CORPUS",
    "Corpus",
    "CorpusError",
    "boilerplate_rules",
    "build_corpus",
    "group_corpus",
    "group_note",
    "is_group_label",
    "iter_corpus",
    "iter_records",
    "jsonl_records",
    "load_corpus",
    "outlet_groups",
    "outlet_summary",
    "parquet_records",
    "quoted_share",
    "raw_token_ids",
    "RawTokens",
    "recorded_tokens",
    "removed_summary",
    "require_file",
    "story_of",
    "unit_lengths",
]
