"""Tokenizer, paragraph and sentence splitting, quote tracking: exact expectations."""

from __future__ import annotations

import re

import pytest

from analysis.corpus import text as T


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Nagorno-Karabakh", ["nagorno-karabakh"]),
        ("Russia’s and Russia's role", ["russia", "and", "russia", "role"]),
        ("the Armenians’ homes", ["the", "armenians", "homes"]),
        (
            "More than 6,650 Armenians; 120,000 residents",
            ["more", "than", "6,650", "armenians", "120,000", "residents"],
        ),
        ("the 44-day war", ["the", "44-day", "war"]),
        ("Two senior U.S. officials", ["two", "senior", "u.s", "officials"]),
        ("didn't help", ["didn't", "help"]),
        ("“anti-terror” operation.", ["anti-terror", "operation"]),
        ("2.5 percent", ["2.5", "percent"]),
        ("Caucasus,effectively", ["caucasus", "effectively"]),
    ],
)
def test_tokenize_exact(raw, expected):
    assert T.tokenize(raw) == expected


def test_token_spans_point_into_text():
    s = "Peskov’s aide said 6,650 left."
    spans = T.token_spans(s)
    assert [tok for _, _, tok in spans] == ["peskov", "aide", "said", "6,650", "left"]
    assert [s[a:b] for a, b, _ in spans] == ["Peskov’s", "aide", "said", "6,650", "left"]


def test_token_pattern_has_no_lookaround():
    # the same pattern must run in Rust-regex engines (polars)
    assert not re.search(r"\(\?[=!<]", T.TOKEN_PATTERN)


def _sentences(s):
    return [s[a:b] for a, b in T.split_sentences(s)]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("On Sept. 19, Baku moved. Russia did not.", ["On Sept. 19, Baku moved.", "Russia did not."]),
        (
            "Two senior U.S. officials met Mr. Pashinyan. He spoke.",
            ["Two senior U.S. officials met Mr. Pashinyan.", "He spoke."],
        ),
        ("It ended in 2020. In 2023 it resumed.", ["It ended in 2020.", "In 2023 it resumed."]),
        (
            "TO Azerbaijan military offensive last week. forced the government.",
            ["TO Azerbaijan military offensive last week. forced the government."],
        ),
        (
            "restoring its territorial integrity.Armenian Prime minister agreed.",
            ["restoring its territorial integrity.", "Armenian Prime minister agreed."],
        ),
        ("“It is happening,” he said. “We tried.”", ["“It is happening,” he said.", "“We tried.”"]),
        ("He said “no.” Then he left!", ["He said “no.”", "Then he left!"]),
        ("Was it J. Smith? Yes.", ["Was it J. Smith?", "Yes."]),
        ("A final sentence without a stop", ["A final sentence without a stop"]),
    ],
)
def test_split_sentences_exact(raw, expected):
    assert _sentences(raw) == expected


def test_split_paragraphs_lines_and_blank_lines():
    s = "Title\n\nFirst para.\nSecond para.\n\n\n  Third.  \n"
    assert [s[a:b] for a, b in T.split_paragraphs(s)] == ["Title", "First para.", "Second para.", "Third."]


def test_split_paragraphs_joins_hard_wrapped_text():
    line = "word " * 12
    para = "\n".join([line.strip()] * 3) + " end."
    s = "\n\n".join([para] * 4)
    spans = T.split_paragraphs(s)
    assert len(spans) == 4
    assert all(s[a:b] == para for a, b in spans)


def test_quote_spans_multi_paragraph():
    s = 'He said, "First part.\n\n"Second part." Done.\n\nNo quote here.'
    paras = T.split_paragraphs(s)
    spans = list(T.quote_spans(s, paras))
    assert [(s[a:b], closed) for a, b, closed in spans] == [('"First part.', False), ('"Second part."', True)]


def test_quote_spans_curly_and_stray_closer():
    s = "Aliyev promised a “paradise.” Stray ” mark."
    spans = list(T.quote_spans(s, [(0, len(s))]))
    assert [s[a:b] for a, b, _ in spans] == ["“paradise.”"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a straight opener closed by a typographic closer
        ('Kim said "we will win.” Then she left.', ['"we will win.”']),
        # an opening mark typed for the closer
        ("“We will win.“ Kim said.", ["“We will win.“"]),
        # a typographic opener closed by a straight mark, then a well-formed pair
        ('“We will win." Kim said, “and soon.”', ['“We will win."', "“and soon.”"]),
        # a closer typed for the opener
        ("Kim said ”we will win.” Then she left.", ["”we will win.”"]),
        # an opening mark in opening position does not close: the quotation runs to the closer
        ("“Call it “peace” if you like,” Kim said.", ["“Call it “peace”"]),
        # a stray closer after a word opens nothing
        ("Kim” said “yes.”", ["“yes.”"]),
    ],
)
def test_quote_spans_pairs_mixed_marks_by_position(text, expected):
    assert [text[a:b] for a, b, _ in T.quote_spans(text, [(0, len(text))])] == expected


def test_quote_spans_mixed_marks_never_span_past_a_paragraph():
    s = 'Kim said "we will win.\n\n“Soon.“ Lee said.'
    spans = list(T.quote_spans(s, T.split_paragraphs(s)))
    assert [(s[a:b], closed) for a, b, closed in spans] == [('"we will win.', False), ("“Soon.“", True)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Eric Cantor, the No. 2 in the leadership, put it plainly. Then he left.",
            ["Eric Cantor, the No. 2 in the leadership, put it plainly.", "Then he left."],
        ),
        ("Nos. 3 and 4 withdrew. It was over.", ["Nos. 3 and 4 withdrew.", "It was over."]),
        ("The answer was No. Then 40 more came.", ["The answer was No.", "Then 40 more came."]),
        ("He said no. Nothing else.", ["He said no.", "Nothing else."]),
    ],
)
def test_a_number_sign_before_a_numeral_ends_no_sentence(text, expected):
    assert [text[a:b] for a, b in T.split_sentences(text)] == expected
