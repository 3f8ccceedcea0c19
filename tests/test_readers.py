"""The .jsonl reader record by record: values as the loader receives them, refusals as one line naming
the line, and byte ranges (the scale engine's partitions) that cover every line exactly once."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from analysis.corpus import CorpusError, jsonl_records

BOM = b"\xef\xbb\xbf"


def _line(article_id: str, /, **fields) -> bytes:
    return (
        json.dumps({"article_id": article_id, "outlet": "A", "text": "One two.", **fields}).encode() + b"\n"
    )


def _only_record(tmp_path: Path, **fields) -> dict:
    path = tmp_path / "one.jsonl"
    path.write_bytes(_line("a1", **fields))
    (record,) = jsonl_records(path)
    return record


def _refusal(tmp_path: Path, content: bytes) -> str:
    path = tmp_path / "bad.jsonl"
    path.write_bytes(content)
    with pytest.raises(CorpusError) as info:
        list(jsonl_records(path))
    return str(info.value).removeprefix(f"{path}:")


def test_a_record_has_every_optional_column_in_order(tmp_path):
    record = _only_record(tmp_path, url=" https://example.org/a ", extra={"kept": "out"})
    assert list(record) == [
        "outlet_type",
        "title",
        "published",
        "published_precision",
        "event_id",
        "language",
        "country",
        "url",
        "provenance",
        "article_id",
        "outlet",
        "text",
        "source",
    ]
    assert record["url"] == "https://example.org/a"
    assert record["source"] == f"{tmp_path / 'one.jsonl'}:line 1"
    assert [record[k] for k in ("title", "published", "outlet_type", "provenance")] == [None] * 4


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"published": 2023, "url": 1.5, "language": True}, ("2023", "1.5", "True")),
        ({"published": "  ", "url": None, "language": float("nan")}, (None, None, None)),
        ({"published": " 2023-09-19\u3000", "url": "\x85u\x1f", "language": "en"}, ("2023-09-19", "u", "en")),
    ],
)
def test_metadata_values_become_stripped_strings_or_none(tmp_path, fields, expected):
    record = _only_record(tmp_path, **fields)
    assert (record["published"], record["url"], record["language"]) == expected


@pytest.mark.parametrize(
    ("fields", "title"),
    [
        ({"title": " The title ", "headline": ["ignored while a title is given"]}, "The title"),
        ({"title": "  ", "headline": " The headline "}, "The headline"),
        ({"headline": 7}, "7"),
        ({"title": None}, None),
    ],
)
def test_the_headline_stands_in_for_a_missing_title(tmp_path, fields, title):
    assert _only_record(tmp_path, **fields)["title"] == title


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"url": ["x"], "title": {"a": 1}}, "line 1: 'title' must be a string, not a dict"),  # column order
        ({"headline": ["x"]}, "line 1: 'headline' must be a string, not a list"),
        ({"article_id": 7.0}, "line 1: 'article_id' must be a string or an integer, not a float"),
        ({"text": None}, "line 1: 'text' is missing or not a string"),
    ],
)
def test_non_string_values_are_refused_naming_the_first_column(tmp_path, fields, message):
    assert _refusal(tmp_path, _line("a1", **fields)) == message


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            _line("a1") + BOM + _line("a2"),
            "line 2: invalid JSON (Unexpected UTF-8 BOM (decode using utf-8-sig))",
        ),
        (BOM + BOM + _line("a1"), "line 1: invalid JSON (Unexpected UTF-8 BOM (decode using utf-8-sig))"),
        (b'{"article_id": "a1", "meta": {"k": 1, "k": 2}}\n', "line 1: duplicate key 'k'; refused"),
        (_line("a1") + b"\n  \n[1, 2]\n", "line 4: expected a JSON object"),
        (b'{"article_id": "a1", "text": "One."}\n', "line 1: missing required column(s) ['outlet']"),
        (_line("a1").rstrip() + b" {}\n", "line 1: invalid JSON (Extra data)"),
    ],
)
def test_bad_lines_are_refused_naming_the_line(tmp_path, content, message):
    assert _refusal(tmp_path, content) == message


@pytest.mark.parametrize("bom", [b"", BOM])
def test_byte_ranges_cut_at_line_starts_read_every_line_once(tmp_path, bom):
    lines = [_line(f"a{i}") for i in range(4)]
    path = tmp_path / "ranges.jsonl"
    path.write_bytes(bom + b"".join(lines))
    starts = [0] + [len(bom) + sum(map(len, lines[:i])) for i in range(1, 4)] + [path.stat().st_size]
    read = [
        (record["article_id"], record["source"])
        for i in range(4)
        for record in jsonl_records(path, (starts[i], starts[i + 1]), first_line=i + 1)
    ]
    assert read == [(f"a{i}", f"{path}:line {i + 1}") for i in range(4)]
    assert [r["article_id"] for r in jsonl_records(path)] == ["a0", "a1", "a2", "a3"]
