"""The batch segmentation (polars) gives exactly the tables of the article-by-article loader it replaced.

``_reference_*`` below is that loader's segmentation, kept verbatim (commit 311b1bf,
``analysis/corpus/_load.py``) as the oracle: paragraphs, boilerplate removal, word counts, roles,
quoted characters, detected titles and the refusals of empty articles. Generated texts mix news
fragments, boilerplate lines, blank and whitespace-only lines, hard-wrapped blocks and odd Unicode.
The Rust screen of the boilerplate rules is checked on its own: every safe character means the
same to both regex engines, unsupported syntax is refused, and verdicts equal Python's.
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Mapping
from pathlib import Path

import pandas as pd
import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.corpus import iter_records
from analysis.corpus import text as textmod
from analysis.corpus._load import CorpusError, _frame, boilerplate_rules, build_corpus, load_corpus
from analysis.corpus._rules import (
    _UNSAFE_RE,
    SAFE_CHARACTERS,
    candidates,
    compile_rules,
    matching_rule,
    rule_hits,
    rust_pattern,
)
from analysis.corpus._segment import PYTHON_WHITESPACE
from analysis.schemas.corpus import Paragraphs, Removed

SEEDS = Path(__file__).resolve().parent.parent / "seeds"

# --------------------------------------------------------------------------------------------
# The reference: the loader's segmentation of one article, before it was vectorised
# --------------------------------------------------------------------------------------------

_TERMINAL_MARKS = frozenset('.!:;,"”’)')


def _reference_compile(rules: pd.DataFrame):
    flags = re.IGNORECASE | re.DOTALL
    ordered = [
        (r.rule_id, r.category, re.compile(r.pattern, flags), r.match == "fullmatch")
        for r in rules.itertuples(index=False)
    ]
    return ordered


def _reference_rule(paragraph: str, ordered) -> tuple[str, str] | None:
    stripped = paragraph.strip()
    for rule_id, category, pattern, full in ordered:
        if (pattern.fullmatch(stripped) if full else pattern.search(stripped)) is not None:
            return rule_id, category
    return None


def _reference_unterminated(text: str) -> bool:
    return bool(text) and (text[-1].isspace() or text[-1] not in _TERMINAL_MARKS)


def _reference_title(s: str) -> str:
    return " ".join(s.replace("’", "'").replace("‘", "'").split()).casefold()


def _reference_role(text: str, n_words: int, is_first: bool, title: str | None) -> str:
    if is_first and title and _reference_title(text) == _reference_title(title):
        return "headline"
    unterminated = _reference_unterminated(text)
    if is_first and not title and n_words <= 20 and unterminated and not text.endswith("?"):
        return "headline"
    if n_words <= 12 and unterminated:
        return "subhead"
    return "body"


def _reference_segment(record: Mapping, ordered) -> tuple[list[dict], list[dict], str | None]:
    article_id, outlet, otype = record["article_id"], record["outlet"], record.get("outlet_type")
    text = record["text"]
    paragraphs, removed, kept_spans = [], [], []
    detected_title = None
    for index, (start, end) in enumerate(textmod.split_paragraphs(text)):
        para = text[start:end]
        pid = f"{article_id}:p{index}"
        hit = _reference_rule(para, ordered)
        n_words = textmod.count_words(para)
        if hit is not None:
            removed.append(
                dict(
                    article_id=article_id,
                    outlet=outlet,
                    paragraph_id=pid,
                    rule_id=hit[0],
                    category=hit[1],
                    start=start,
                    end=end,
                    text=para,
                    n_words=n_words,
                )
            )
            continue
        role = _reference_role(para, n_words, not kept_spans, record.get("title"))
        if role == "headline" and not record.get("title"):
            detected_title = para
        kept_spans.append((start, end))
        paragraphs.append(
            dict(
                paragraph_id=pid,
                article_id=article_id,
                outlet=outlet,
                outlet_type=otype,
                paragraph_index=index,
                role=role,
                start=start,
                end=end,
                text=para,
                n_words=n_words,
                quoted_chars=0,
            )
        )
    starts = [s for s, _ in kept_spans]
    for q_start, q_end, _closed in textmod.quote_spans(text, kept_spans):
        paragraphs[bisect.bisect_right(starts, q_start) - 1]["quoted_chars"] += q_end - q_start
    return paragraphs, removed, detected_title


def _reference_tables(records: list[dict], rules: pd.DataFrame | None = None):
    """(paragraphs, removed, titles, n_words) of the old loader, or the CorpusError message it raised."""
    ordered = _reference_compile(boilerplate_rules() if rules is None else rules)
    paras, rems, titles, n_words = [], [], [], []
    for rec in records:
        p, r, detected = _reference_segment(rec, ordered)
        if not p:
            return (
                f"{rec['source']}: article {rec['article_id']!r} has no text left after boilerplate removal "
                f"(rules matched: {sorted({x['rule_id'] for x in r})})"
            )
        if not any(x["n_words"] for x in p):
            return (
                f"{rec['source']}: article {rec['article_id']!r} has no words (only punctuation, symbols or "
                "invisible characters); empty articles are refused"
            )
        paras.extend(p)
        rems.extend(r)
        titles.append(rec.get("title") or detected)
        n_words.append(sum(x["n_words"] for x in p))
    return _frame(paras, Paragraphs), _frame(rems, Removed), titles, n_words


def assert_same_as_reference(records: list[dict], rules: pd.DataFrame | None = None) -> None:
    expected = _reference_tables(records, rules)
    if isinstance(expected, str):
        with pytest.raises(CorpusError) as refused:
            build_corpus(records, rules=rules)
        assert str(refused.value) == expected
        return
    corpus = build_corpus(records, rules=rules)
    paragraphs, removed, titles, n_words = expected
    pd.testing.assert_frame_equal(corpus.paragraphs, paragraphs, check_exact=True)
    pd.testing.assert_frame_equal(corpus.removed, removed, check_exact=True)
    assert corpus.articles["title"].tolist() == titles
    assert corpus.articles["n_words"].tolist() == n_words


# --------------------------------------------------------------------------------------------
# Generated articles
# --------------------------------------------------------------------------------------------

_LINES = [
    "Armenians fled Nagorno-Karabakh on Monday.",
    "Peskov told reporters the U.S. and Mr. Smith agreed in Sept. 2023.",
    'He said "the talks failed" and left.',
    "“We will stay,” she said. „Never” «jamais»",
    'An open quote "runs on',
    "Advertisement",
    "Share this article",
    "Read more:",
    "Tags: war, peace",
    "Image credit: AFP",
    "Please consider supporting our journalism.",
    "Thanks for reading!",
    "Refugees at the border (Photo by Jane Doe/AFP via Getty Images)",
    "Disclaimer: this story is auto-generated from a syndicated feed.",
    "This article was generated with AI assistance.",
    "A short subhead",
    "Is this a headline?",
    "About 100,000 people, 12 percent, left; 6,650 stayed.",
    "भारत सरकार ने कहा। दूसरा वाक्य।",
    "東京で会議。続く！",
    "cafe\u0301 Vie\u0323\u0302t می\u200cخواهم 👨\u200d👩\u200d👧 🙂 ² ½ ① 𝐀𝐁𝐂",
    "THANKS FOR READING\u212a",
    "ſubscribe to our newsletter, ıt said",
    "…",
    "—",
    "()",
    "\u200b",
]
_SEPARATORS = [
    "\n",
    "\n\n",
    "\r\n",
    "\r",
    "\n \t\n",
    "\n\xa0\n",
    "\n\u3000\n",
    "\n\x1c\n",
    "\x85",
    "\u2028",
    " ",
]
_PADDING = ["", " ", "\t", "\xa0", "\x1f", "\u2003", "  "]
_line = st.one_of(
    st.sampled_from(_LINES),
    st.sampled_from(_LINES),
    st.text(st.characters(exclude_categories=("Cs",)), max_size=12),
)


@st.composite
def _article_text(draw) -> str:
    if draw(st.integers(0, 4)) == 0:  # hard-wrapped: short unterminated lines, blank lines between blocks
        words = draw(
            st.lists(st.sampled_from(["peace", "war", "the", "talks", "Armenians", "said"]), min_size=30)
        )
        lines = [" ".join(words[i : i + 4]) for i in range(0, len(words), 4)]
        blocks = ["\n".join(lines[i : i + 3]) for i in range(0, len(lines), 3)]
        return draw(st.sampled_from(["\n\n", "\n \n", "\r\n\r\n"])).join(blocks) + "."
    parts = draw(st.lists(st.tuples(st.sampled_from(_PADDING), _line, st.sampled_from(_PADDING)), min_size=1))
    seps = draw(st.lists(st.sampled_from(_SEPARATORS), min_size=len(parts), max_size=len(parts)))
    return "".join(f"{a}{line}{b}{sep}" for (a, line, b), sep in zip(parts, seps, strict=True)) + "peace"


@st.composite
def _articles(draw) -> list[dict]:
    n = draw(st.integers(1, 4))
    return [
        dict(
            article_id=f"a{i}",
            outlet=draw(st.sampled_from(["A", "B"])),
            outlet_type=draw(st.sampled_from([None, "wire"])),
            title=draw(
                st.sampled_from([None, "", "Armenians fled Nagorno-Karabakh on Monday.", "A Short Subhead"])
            ),
            text=draw(_article_text()),
            source=f"gen:{i}",
        )
        for i in range(n)
    ]


_SETTINGS = settings(
    max_examples=30,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@_SETTINGS
@given(_articles())
def test_batch_segmentation_equals_the_article_by_article_reference(records):
    assert_same_as_reference(records)


_EXTRA_RULES = pd.DataFrame(
    {
        "rule_id": ["no_lookahead", "dangling"],
        "category": ["test", "test"],
        "match": ["search", "fullmatch"],
        "pattern": [r"peace(?! talks)", r".*\bruns on"],
        "description": ["", ""],
    }
)


@_SETTINGS
@given(_articles())
def test_equal_with_extra_rules_that_only_python_reads(records):
    rules = boilerplate_rules(_EXTRA_RULES)
    assert compile_rules(rules).screen is None  # the look-ahead sends every paragraph to Python
    assert_same_as_reference(records, rules)


@pytest.mark.parametrize(
    "text",
    [
        "Title line\n\n" + "\n\n".join("\n".join(["short wrapped line of text"] * 3) for _ in range(4)),
        "peace\n\n" + "\n".join(f"line {i} of a list" for i in range(12)),
        "Advertisement\n\nArmenians fled.\n\nRead more:",
        "A headline without a stop\nBody text follows here.",
        '"Quoted\nStill quoted" he said.\n“Open\n„Reopened” done.',
        "\x1cpeace\x1f\n\x1d war \x1e",
        "peace\r\n\r\nwar\rtalks\n",
    ],
)
def test_edge_articles_equal_the_reference(text):
    assert_same_as_reference([dict(article_id="x", outlet="A", text=text, source="t")])


def test_the_seed_corpus_equals_the_reference():
    assert_same_as_reference(list(iter_records(SEEDS)))


# --------------------------------------------------------------------------------------------
# Refusals are reported in the order the articles come
# --------------------------------------------------------------------------------------------


def test_an_all_boilerplate_article_is_reported_before_a_later_duplicate_id():
    records = [
        dict(article_id="a", outlet="A", text="Advertisement\n\nRead more:", source="r1"),
        dict(article_id="a", outlet="A", text="peace", source="r2"),
    ]
    with pytest.raises(CorpusError, match=r"^r1: article 'a' has no text left after boilerplate removal"):
        build_corpus(records)


def test_an_all_boilerplate_line_is_reported_before_a_later_broken_line(tmp_path):
    path = tmp_path / "c.jsonl"
    first = json.dumps(dict(article_id="a", outlet="A", text="Advertisement"))
    path.write_text(first + "\n{not json\n", encoding="utf-8")
    with pytest.raises(CorpusError, match=r"line 1: article 'a' has no text left"):
        load_corpus(path)


def test_a_broken_line_after_good_articles_is_reported(tmp_path):
    path = tmp_path / "c.jsonl"
    path.write_text(
        json.dumps(dict(article_id="a", outlet="A", text="peace")) + "\n{not json\n", encoding="utf-8"
    )
    with pytest.raises(CorpusError, match=r"line 2"):
        load_corpus(path)


# --------------------------------------------------------------------------------------------
# The Rust screen of the boilerplate rules
# --------------------------------------------------------------------------------------------


def test_python_whitespace_is_what_str_isspace_says():
    assert PYTHON_WHITESPACE == "".join(c for c in map(chr, range(0x110000)) if c.isspace())


_PROBES = [
    r"\b",
    r"\B",
    r"\s",
    r"\S",
    r"\w",
    r"\W",
    r"\d",
    r"\D",
    r".",
    r"[^()]",
    r"x\bY",
    r"^.$",
    r"[a-z]",
    "k",
    "s",
    "i",
]


@pytest.mark.parametrize("probe", _PROBES)
def test_every_safe_character_means_the_same_to_both_engines(probe):
    texts = (
        [c for c in SAFE_CHARACTERS]
        + [f"x{c}Y" for c in SAFE_CHARACTERS]
        + [f"{c}k" for c in SAFE_CHARACTERS]
    )
    python = [re.search(probe, t, re.IGNORECASE | re.DOTALL) is not None for t in texts]
    rust = pl.Series(texts).str.contains("(?is)" + rust_pattern(probe)).to_list()
    assert python == rust


@pytest.mark.parametrize(
    "pattern",
    [
        r"a(?=b)",
        r"(?<!a)b",
        r"(a)\1",
        r"(?i)a",
        r"a*+",
        r"a{,3}",
        r"[[a]]",
        r"[a&&b]",
        r"[a--b]",
        r"\<a",
        "é",
        r"\Z",
        r"(?P<x>a)",
        r"a{1",
        r"\x41",
    ],
)
def test_syntax_the_engines_may_read_apart_is_refused(pattern):
    assert rust_pattern(pattern) is None


def test_the_shipped_rules_are_screened_in_rust():
    assert rust_pattern(r"\bab\\b[^()\s]{0,120}?$") == r"(?-u:\b)ab\\b[^()\s]{0,120}?$"
    assert compile_rules(boilerplate_rules()).screen is not None


@pytest.mark.parametrize(
    ("paragraph", "screened"),
    [
        ("Plain news text.", False),
        ("Share this article", True),  # a rule's full match
        ("share this article", True),  # case-insensitive
        ("Read more:", True),
        ("Read more about the vote.", False),  # the rule must match the whole paragraph
        ("\u212a", True),  # KELVIN SIGN folds to 'k': unsafe all the same, never folded away
        ("Caſe", True),  # LONG S folds to 's'
        ("Café", True),  # outside the safe characters: Python decides
        ("“Quoted” — text…", False),  # safe punctuation
    ],
)
def test_one_pass_screen_is_unsafe_characters_or_a_rule(paragraph, screened):
    rules = compile_rules(boilerplate_rules())
    texts = pl.Series([paragraph], dtype=pl.String)
    one_pass = pl.DataFrame({"text": texts}).select(candidates(pl.col("text"), rules)).to_series()
    two_passes = texts.str.contains(_UNSAFE_RE) | texts.str.contains(rules.screen)
    assert one_pass.to_list() == two_passes.to_list() == [screened]


def test_without_a_screen_every_paragraph_is_a_candidate():
    rules = compile_rules(
        pd.DataFrame([{"rule_id": "x", "category": "c", "match": "search", "pattern": "a(?=b)"}])
    )
    assert rules.screen is None
    frame = pl.DataFrame({"text": ["ab", "zz", "ac"]})
    assert frame.select(candidates(pl.col("text"), rules)).to_series().to_list() == [True, True, True]
    assert rule_hits(frame["text"], rules) == {0: ("x", "c")}


_safe_or_not = st.text(
    st.sampled_from(list(SAFE_CHARACTERS) + ["\u212a", "ſ", "ı", "é", "\x1c", "\u3000"]), max_size=20
)


@_SETTINGS
@given(
    st.lists(
        st.tuples(_safe_or_not, st.sampled_from(_LINES), _safe_or_not).map("".join), min_size=1, max_size=20
    )
)
def test_rule_verdicts_equal_python_on_every_paragraph(paragraphs):
    rules = compile_rules(boilerplate_rules())
    stripped = [p.strip() for p in paragraphs]
    expected = {i: matching_rule(p, rules) for i, p in enumerate(stripped)}
    assert rule_hits(pl.Series(stripped, dtype=pl.String), rules) == {
        i: hit for i, hit in expected.items() if hit is not None
    }
