"""Boilerplate rules applied to many paragraphs at once, with exactly the verdicts of Python's ``re``.

A rule is a case-insensitive Python regex (``re.IGNORECASE | re.DOTALL``) that must match the
whole stripped paragraph (``fullmatch``) or somewhere in it (``search``); the first rule in file
order that matches removes the paragraph. Python's ``re`` scans about 15 MB/s, so the rules used to
cost more than everything else the loader does. Here the Rust engine (polars) first marks the
paragraphs that *may* match and Python's ``re`` decides only those, so the verdicts are Python's.

Rust may stand in for Python only where both engines provably agree on whether a match exists:

* the pattern uses only plain regular syntax (:func:`rust_pattern` refuses anything else: look-around,
  back-references, inline flags, possessive quantifiers, nested or set-operation classes, ``\\<``,
  non-ASCII characters ...); existence of a match is then a property of the language the pattern
  denotes, whichever engine searches;
* the paragraph is written in :data:`SAFE_CHARACTERS` (ASCII except U+001C..U+001F, which are
  whitespace to Python and not to Rust, plus common punctuation). On those characters ``\\s``, ``\\w``,
  ``\\d``, ``\\b`` and case-insensitive ASCII letters mean the same in both engines
  (``tests/test_segmentation_equivalence.py`` checks every one). Other paragraphs always go to Python.

If any rule falls outside that syntax, every paragraph goes to Python, as before.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd
import polars as pl

__all__ = [
    "SAFE_CHARACTERS",
    "CompiledRules",
    "candidates",
    "compile_rules",
    "matching_rule",
    "rule_hits",
    "rust_pattern",
]

#: Non-ASCII characters on which the two engines agree (none is a word character, a digit or the
#: case variant of an ASCII letter in either; the no-break space is whitespace in both).
SAFE_PUNCTUATION = "\u00a0’‘“”„—–…«»•·€£°§¶"
#: Paragraphs written only in these characters may be screened by the Rust engine.
SAFE_CHARACTERS = "".join(map(chr, range(0x1C))) + "".join(map(chr, range(0x20, 0x80))) + SAFE_PUNCTUATION
_UNSAFE_RE = "[^" + "".join(f"\\x{{{ord(c):x}}}" for c in SAFE_CHARACTERS) + "]"

_CLASS_ITEM = r"""(?:
      [a-z]-[a-z] | [A-Z]-[A-Z] | [0-9]-[0-9]
    | \\[sSdDwW]
    | \\[!-/:;=?@\[-`{-~]                   # escaped ASCII punctuation except < and >
    | [A-Za-z0-9 !"#%',/:;=@_`()*+.?|${}]
)"""
_SYNTAX_RE = re.compile(
    rf"""
      (?P<group>\(\?:|\((?!\?))
    | (?P<quantifier>(?:[*+?]|\{{\d{{1,3}}(?:,\d{{0,3}})?\}})\??)
    | [)|.^$]
    | \\[bBsSdDwW]
    | \\[!-/:;=?@\[-`{{-~]                   # escaped ASCII punctuation except < and >
    | [A-Za-z0-9 !"#%&',\-/:;<=>@_`~]
    | \[\^?{_CLASS_ITEM}+\]
    """,
    re.VERBOSE,
)


def rust_pattern(pattern: str) -> str | None:
    """``pattern`` for the Rust screen, or None if it uses syntax that the two engines may read apart.

    Word boundaries become ASCII ones (``(?-u:\\b)``), which keep Rust's fast automaton on
    non-ASCII text: on :data:`SAFE_CHARACTERS` they sit where Python's do (no safe non-ASCII
    character is a word character), and inside a multi-byte character they can only add matches,
    which Python then rejects.
    """
    pos, after_quantifier, parts = 0, False, []
    while pos < len(pattern):
        token = _SYNTAX_RE.match(pattern, pos)
        if token is None or (after_quantifier and token.lastgroup == "quantifier"):
            return None
        after_quantifier = token.lastgroup == "quantifier"
        parts.append(f"(?-u:{token.group()})" if token.group() in {"\\b", "\\B"} else token.group())
        pos = token.end()
    return "".join(parts)


@dataclass(frozen=True)
class CompiledRules:
    """Rules in file order, one Python alternation per match type, and the Rust screen if there is one.

    ``screen`` is a polars regex matching every safe paragraph that some rule matches (None when a
    rule uses syntax that :func:`rust_pattern` refuses).
    """

    ordered: list[tuple[str, str, re.Pattern[str], bool]]
    any_full: re.Pattern[str] | None
    any_search: re.Pattern[str] | None
    screen: str | None


def compile_rules(rules: pd.DataFrame) -> CompiledRules:
    """Compile a boilerplate rules table (see ``analysis.corpus.boilerplate_rules``)."""
    flags = re.IGNORECASE | re.DOTALL
    ordered = [
        (r.rule_id, r.category, re.compile(r.pattern, flags), r.match == "fullmatch")
        for r in rules.itertuples(index=False)
    ]

    def union(full: bool) -> re.Pattern[str] | None:
        parts = [p.pattern for _, _, p, f in ordered if f == full]
        return re.compile("|".join(f"(?:{p})" for p in parts), flags) if parts else None

    translated = [(rust_pattern(p.pattern), full) for _, _, p, full in ordered]
    screen = None
    if ordered and all(t is not None for t, _ in translated):
        screen = "(?is)" + "|".join(f"^(?:{t})$" if full else f"(?:{t})" for t, full in translated)
    return CompiledRules(ordered, union(True), union(False), screen)


def matching_rule(paragraph: str, rules: CompiledRules) -> tuple[str, str] | None:
    """The first rule (in file order) matching the stripped paragraph, or None."""
    stripped = paragraph.strip()
    if (rules.any_full is None or rules.any_full.fullmatch(stripped) is None) and (
        rules.any_search is None or rules.any_search.search(stripped) is None
    ):
        return None
    for rule_id, category, pattern, full in rules.ordered:
        if (pattern.fullmatch(stripped) if full else pattern.search(stripped)) is not None:
            return rule_id, category
    return None


def candidates(paragraphs: pl.Expr, rules: CompiledRules) -> pl.Expr:
    """Which paragraphs (already stripped) Python's ``re`` must decide: those written with a character
    outside :data:`SAFE_CHARACTERS` or matched by the Rust screen, in one pass; every one when there
    is no screen."""
    if rules.screen is None:
        return pl.repeat(True, pl.len(), dtype=pl.Boolean)
    # the unsafe class keeps its own case-sensitive flags: case-folding would make it skip U+212A
    return paragraphs.str.contains(f"(?is)(?-i:{_UNSAFE_RE})|{rules.screen.removeprefix('(?is)')}")


def rule_hits(
    paragraphs: pl.Series, rules: CompiledRules, screened: pl.Series | None = None
) -> dict[int, tuple[str, str]]:
    """The paragraphs (already stripped) that a rule matches: position -> the first such rule, as
    (rule_id, category), in ascending positions.

    ``screened`` is :func:`candidates` of ``paragraphs`` when the caller computed it already.
    """
    if not rules.ordered:
        return {}
    if screened is None:
        screened = pl.DataFrame({"text": paragraphs}).select(candidates(pl.col("text"), rules)).to_series()
    texts = paragraphs.filter(screened).to_list()
    found = (
        (index, matching_rule(text, rules))
        for index, text in zip(screened.arg_true().to_list(), texts, strict=True)
    )
    return {index: hit for index, hit in found if hit is not None}
