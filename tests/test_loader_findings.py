"""Every loader reproducer of ../shared/findings/reliability.md sections 3-5 (the case ids are the
findings'): each ends in one ``CorpusError`` line naming the file or row, or loads correctly."""

from __future__ import annotations

import json
import os
import signal
import unicodedata
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
import pytest
from conftest import unblock_fifo_after

from analysis.corpus import CorpusError, load_corpus
from analysis.corpus.text import split_sentences

HEADER = "article_id,file,outlet\n"


def _error(path) -> str:
    with pytest.raises(CorpusError) as info:
        load_corpus(path)
    msg = str(info.value)
    assert "\n" not in msg
    return msg


def _folder(folder: Path, manifest: str, files: dict[str, str | bytes], name: str = "manifest.csv") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(manifest, encoding="utf-8")
    for fname, content in files.items():
        target = folder / fname
        target.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return folder


def _jsonl(path: Path, *rows: dict | str) -> Path:
    path.write_text(
        "".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in rows), encoding="utf-8"
    )
    return path


# ---------------------------------------------------------------- 3. crashes


def test_a52_toml_article_that_is_a_string(tmp_path):
    _folder(tmp_path, 'article = "x"\n', {}, "manifest.toml")
    msg = _error(tmp_path)
    assert (
        "manifest.toml: 'article' must be an array of tables, one [[article]] per article (found a str)"
        in msg
    )


def test_a53_toml_single_article_table(tmp_path):
    toml = '[article]\narticle_id = "a1"\nfile = "a.txt"\noutlet = "A"\n'
    _folder(tmp_path, toml, {"a.txt": "Text."}, "manifest.toml")
    assert "(found one [article] table); refused" in _error(tmp_path)


def test_a57_nul_byte_in_manifest_csv_file_name(tmp_path):
    tmp_path.joinpath("manifest.csv").write_bytes(b"article_id,file,outlet\na1,a\x00.txt,A\n")
    assert "manifest.csv:2: file 'a\\x00.txt' contains a NUL byte; refused" in _error(tmp_path)


def test_a55_nul_byte_in_manifest_toml_file_name(tmp_path):
    _folder(
        tmp_path, '[[article]]\narticle_id = "a1"\nfile = "a\\u0000.txt"\noutlet = "A"\n', {}, "manifest.toml"
    )
    assert "manifest.toml: article 1: file 'a\\x00.txt' contains a NUL byte; refused" in _error(tmp_path)


@pytest.mark.parametrize("manifest", ["manifest.csv", "manifest.toml"])
def test_a58_over_long_file_name(tmp_path, manifest):
    name = "x" * 300 + ".txt"
    text = (
        HEADER + f"a1,{name},A\n"
        if manifest == "manifest.csv"
        else f'[[article]]\narticle_id = "a1"\nfile = "{name}"\noutlet = "A"\n'
    )
    _folder(tmp_path, text, {}, manifest)
    where = "manifest.csv:2" if manifest == "manifest.csv" else "manifest.toml: article 1"
    assert f"{where}: file '{name}': cannot read (File name too long)" in _error(tmp_path)


def test_a59_symlink_loop(tmp_path):
    os.symlink("loop.txt", tmp_path / "loop.txt")
    _folder(tmp_path, HEADER + "a1,loop.txt,A\n", {})
    msg = _error(tmp_path)
    assert "manifest.csv:2: file 'loop.txt' cannot be resolved" in msg and "refused" in msg


def test_a77_lone_surrogate_in_jsonl_is_refused(tmp_path):
    path = tmp_path / "a77.jsonl"
    path.write_text('{"article_id":"a1","outlet":"A","text":"bad \\ud800 x."}\n', encoding="utf-8")
    assert _error(path) == (
        f"{path}:line 1: 'text' holds a lone surrogate U+D800 at character 4 (an unpaired "
        "\\u escape), which is not Unicode text; refused"
    )


def test_a84_corrupt_parquet_pages(tmp_path):
    path = tmp_path / "a84.parquet"
    texts = [f"Article {i} says something quite long about event {i * 7}. " * 20 for i in range(50)]
    pd.DataFrame(
        {"article_id": [f"a{i}" for i in range(50)], "outlet": ["X"] * 50, "text": texts}
    ).to_parquet(path, compression="snappy")
    data = bytearray(path.read_bytes())
    data[200:1200] = b"\xff" * 1000  # inside the first column chunk's pages; the footer stays intact
    path.write_bytes(bytes(data))
    msg = _error(path)
    assert msg.startswith(f"{path}:row 0: cannot read as parquet (")


# ---------------------------------------------------------------- 4. hangs and quadratic time


@pytest.mark.parametrize("where", ["c.jsonl", "c.csv", "c.parquet", "corpus/manifest.csv", "corpus/a.txt"])
def test_a97_fifos_are_refused_without_being_opened(tmp_path, where):
    fifo = tmp_path / where
    if where.startswith("corpus/"):
        other = {"a.txt": "Text."} if where.endswith("manifest.csv") else {}
        _folder(tmp_path / "corpus", HEADER + "a1,a.txt,A\n", other)
        fifo.unlink(missing_ok=True)
    os.mkfifo(fifo)
    target = tmp_path / "corpus" if where.startswith("corpus/") else fifo
    with unblock_fifo_after(fifo, 3.0):
        msg = _error(target)
    assert "is a named pipe (FIFO), not a regular file; refused" in msg
    assert where.split("/")[-1] in msg


@contextmanager
def _abort_after(seconds: float):
    """Raise TimeoutError in this thread after ``seconds`` (regex matching checks for signals), so a
    quadratic regression fails the test instead of hanging it."""

    def handler(signum, frame):
        raise TimeoutError(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, handler)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@pytest.mark.parametrize(
    ("case", "text"),
    [
        ("a98_50000_dots", "He said so" + "." * 50_000 + "x"),
        ("a104_200000_spaces", "He" + " " * 200_000 + "said so."),
    ],
)
def test_pathological_articles_load_without_hanging(tmp_path, case, text):
    path = _jsonl(tmp_path / f"{case}.jsonl", {"article_id": "a1", "outlet": "A", "text": text})
    load_corpus(
        _jsonl(tmp_path / "warm.jsonl", {"article_id": "a1", "outlet": "A", "text": "Warm up."})
    )  # imports
    with _abort_after(20):  # a hang guard, not a timing: benchmarks/bench_pathological.py measures
        corpus = load_corpus(path)
    assert corpus.articles["n_chars"].tolist() == [len(text)]


def test_a105_sentence_splitter_is_linear_on_a_run_of_dots():
    text = "He said so" + "." * 200_000 + "x"
    with _abort_after(20):  # a hang guard (quadratic: minutes), not a timing
        spans = split_sentences(text)
    assert spans == [(0, len(text))]


# ---------------------------------------------------------------- 5. accepted silently


def test_a45_duplicate_column_in_manifest_csv(tmp_path):
    _folder(tmp_path, "article_id,file,outlet,outlet\na1,a.txt,A,B\n", {"a.txt": "Text."})
    assert _error(tmp_path) == f"{tmp_path / 'manifest.csv'}: duplicate column name(s) ['outlet']; refused"


def test_a46_duplicate_column_in_csv_table(tmp_path):
    path = tmp_path / "a46.csv"
    path.write_text("article_id,outlet,text,text\na1,A,First.,Second.\n", encoding="utf-8")
    assert _error(path) == f"{path}: duplicate column name(s) ['text']; refused"


def test_a81_duplicate_column_in_parquet(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = tmp_path / "a81.parquet"
    arrays = [pa.array(["a1"]), pa.array(["A"]), pa.array(["First."]), pa.array(["Second."])]
    pq.write_table(pa.Table.from_arrays(arrays, names=["article_id", "outlet", "text", "text"]), path)
    assert _error(path) == f"{path}: duplicate column name(s) ['text']; refused"


def test_duplicate_key_in_jsonl(tmp_path):
    path = _jsonl(
        tmp_path / "d.jsonl", '{"article_id": "a1", "outlet": "A", "text": "First.", "text": "Second."}'
    )
    assert _error(path) == f"{path}:line 1: duplicate key 'text'; refused"


def test_a47_manifest_row_with_extra_fields(tmp_path):
    _folder(tmp_path, HEADER + "a1,a.txt,A\na2,b.txt,B,extra\n", {"a.txt": "Text.", "b.txt": "Other."})
    assert (
        _error(tmp_path) == f"{tmp_path / 'manifest.csv'}:line 3: 4 fields, but the header names 3; refused"
    )


def test_csv_table_row_with_extra_fields_names_its_physical_line(tmp_path):
    path = tmp_path / "c.csv"
    path.write_text('article_id,outlet,text\na1,A,"two\nlines."\na2,B,Text.,extra\n', encoding="utf-8")
    assert _error(path) == f"{path}:line 4: 4 fields, but the header names 3; refused"


@pytest.mark.parametrize(
    ("case", "text"),
    [
        ("a09_nul_bytes", "\x00" * 4096),
        ("a20_zero_width_spaces", "\u200b" * 40),
        ("a21_punctuation", "... --- !!!"),
    ],
)
def test_zero_word_articles_are_refused(tmp_path, case, text):
    path = _jsonl(
        tmp_path / f"{case}.jsonl",
        {"article_id": "a1", "outlet": "A", "text": "Fine text."},
        {"article_id": "a2", "outlet": "B", "text": text},
    )
    assert _error(path) == (
        f"{path}:line 2: article 'a2' has no words (only punctuation, symbols or invisible "
        "characters); empty articles are refused"
    )


@pytest.mark.parametrize("second", ["a.txt", "./a.txt"])
def test_a34_two_rows_one_file(tmp_path, second):
    _folder(tmp_path, HEADER + f"a1,a.txt,A\na2,{second},B\n", {"a.txt": "Text."})
    assert _error(tmp_path) == (
        f"{tmp_path / 'manifest.csv'}:3: file '{second}' is the same file as in "
        f"{tmp_path / 'manifest.csv'}:2; each article needs its own file"
    )


def test_a34_a_symlink_to_a_listed_file_is_the_same_file(tmp_path):
    _folder(tmp_path, HEADER + "a1,a.txt,A\na2,b.txt,B\n", {"a.txt": "Text."})
    os.symlink("a.txt", tmp_path / "b.txt")
    assert "file 'b.txt' is the same file as in" in _error(tmp_path)


def test_a28_ids_with_invisible_characters_are_refused(tmp_path):
    path = _jsonl(
        tmp_path / "a28.jsonl",
        {"article_id": "a1", "outlet": "A", "text": "One."},
        {"article_id": "a\u200b1", "outlet": "B", "text": "Two."},
    )
    assert _error(path) == (
        f"{path}:line 2: article_id 'a\\u200b1' contains the invisible character U+200B "
        "(ZERO WIDTH SPACE); refused"
    )


def test_a29_ids_and_outlets_are_normalised_to_nfc(tmp_path):
    nfc, nfd = "café", unicodedata.normalize("NFD", "café")
    assert nfc != nfd
    ok = _jsonl(
        tmp_path / "ok.jsonl",
        {"article_id": nfd, "outlet": nfd, "text": "One."},
        {"article_id": "b", "outlet": nfc, "text": "Two."},
    )
    corpus = load_corpus(ok)
    assert corpus.articles["article_id"].tolist() == [nfc, "b"]
    assert corpus.outlets == [nfc]
    assert corpus.paragraphs["paragraph_id"].tolist() == [f"{nfc}:p0", "b:p0"]
    dup = _jsonl(
        tmp_path / "dup.jsonl",
        {"article_id": nfc, "outlet": "A", "text": "One."},
        {"article_id": nfd, "outlet": "B", "text": "Two."},
    )
    assert _error(dup) == f"{dup}:line 2: duplicate article_id 'café' (also in {dup}:line 1)"


@pytest.mark.parametrize(
    ("field", "value", "kind"),
    [
        ("article_id", ["a"], "list"),
        ("outlet", {"name": "X"}, "dict"),
        ("article_id", True, "bool"),
        ("outlet", 1.5, "float"),
    ],
)
def test_a30_non_string_ids_and_outlets_from_json_are_refused(tmp_path, field, value, kind):
    path = _jsonl(tmp_path / "a30.jsonl", {"article_id": "a1", "outlet": "A", "text": "One.", field: value})
    assert _error(path) == f"{path}:line 1: '{field}' must be a string or an integer, not a {kind}"


def test_a38_non_string_metadata_is_refused(tmp_path):
    path = _jsonl(tmp_path / "a38.jsonl", {"article_id": "a1", "outlet": "A", "text": "One.", "title": ["x"]})
    assert _error(path) == f"{path}:line 1: 'title' must be a string, not a list"


def test_a54_non_string_id_from_toml_is_refused(tmp_path):
    _folder(
        tmp_path,
        '[[article]]\narticle_id = ["a1"]\nfile = "a.txt"\noutlet = "A"\n',
        {"a.txt": "Text."},
        "manifest.toml",
    )
    assert _error(tmp_path).endswith(
        "manifest.toml: article 1: 'article_id' must be a string or an integer, not a list"
    )


def test_integer_ids_and_outlets_are_read_as_decimal_strings(tmp_path):
    path = _jsonl(tmp_path / "ints.jsonl", {"article_id": 7, "outlet": 2024, "text": "One."})
    corpus = load_corpus(path)
    assert corpus.articles[["article_id", "outlet"]].values.tolist() == [["7", "2024"]]


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (
            "Café au lait, 東京.".encode(),
            "the bytes are valid UTF-8 and decoding them as utf-16-le gives mojibake",
        ),
        (b"Plain ASCII text.!", "the file has no NUL byte, so it is not utf-16-le text"),
    ],
)
def test_a16_utf8_declared_utf16_is_refused(tmp_path, content, problem):
    assert len(content) % 2 == 0  # so that utf-16 decodes it without an error
    _folder(tmp_path, "article_id,file,outlet,encoding\na1,a.txt,A,utf-16-le\n", {"a.txt": content})
    msg = _error(tmp_path)
    assert msg.startswith(f"{tmp_path.resolve() / 'a.txt'}: declared 'utf-16-le', but ") and problem in msg


def test_real_utf16_still_loads(tmp_path):
    _folder(
        tmp_path,
        "article_id,file,outlet,encoding\na1,a.txt,A,utf-16\n",
        {"a.txt": "Café, 東京.".encode("utf-16")},
    )
    assert load_corpus(tmp_path).articles["text"].tolist() == ["Café, 東京."]


def test_a03_jsonl_with_a_bom_loads(tmp_path):
    path = tmp_path / "a03.jsonl"
    path.write_bytes(
        b"\xef\xbb\xbf" + json.dumps({"article_id": "a1", "outlet": "A", "text": "One."}).encode()
    )
    assert load_corpus(path).articles["article_id"].tolist() == ["a1"]


def test_a64_csv_messages_name_the_physical_line(tmp_path):
    path = tmp_path / "a64.csv"
    path.write_text(
        'article_id,outlet,text\na1,A,"First line.\nSecond line.\nThird line."\na2,,Text.\n', encoding="utf-8"
    )
    assert _error(path) == f"{path}:line 5: article 'a2' has no outlet"


def test_csv_articles_longer_than_the_csv_module_default_field_limit(tmp_path):
    path = tmp_path / "long.csv"
    text = "A long sentence. " * 20_000  # 340,000 characters, over csv's 131,072 default
    pd.DataFrame({"article_id": ["a1"], "outlet": ["A"], "text": [text]}).to_csv(path, index=False)
    assert load_corpus(path).articles["n_chars"].tolist() == [len(text)]


# ---------------------------------------------------------------- sentences in other scripts


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "東京に行った。彼は来なかった！本当？うん",
            ["東京に行った。", "彼は来なかった！", "本当？", "うん"],
        ),
        ("「行こう。」と彼は言った。", ["「行こう。」", "と彼は言った。"]),
        ("राम घर गया। सीता आई॥ वह कब आएगी", ["राम घर गया।", "सीता आई॥", "वह कब आएगी"]),
        ("هل أنت بخير؟ نعم، شكرا۔ وداعا", ["هل أنت بخير؟", "نعم، شكرا۔", "وداعا"]),
        ("Նա եկավ։ Մենք գնացինք։", ["Նա եկավ։", "Մենք գնացինք։"]),
        ("He left。 Then?！ Done", ["He left。", "Then?！", "Done"]),
    ],
)
def test_non_latin_sentence_terminators(text, expected):
    assert [text[a:b] for a, b in split_sentences(text)] == expected


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_csv_with_any_line_end_loads_the_same_and_names_physical_lines(tmp_path, newline):
    """LF, CRLF and bare CR (old Mac files) all end a line, as Python's universal newlines read them;
    a quoted field keeps its own line break."""
    rows = ["article_id,outlet,text", 'a1,A,"First line.\nSecond line."', "a2,B,Troops arrived on Monday."]
    path = tmp_path / "corpus.csv"
    path.write_bytes(newline.join(rows).encode("utf-8") + newline.encode())
    corpus = load_corpus(path)
    assert corpus.articles["article_id"].tolist() == ["a1", "a2"]
    assert corpus.text_of("a1") == "First line.\nSecond line."
    assert corpus.articles["n_words"].tolist() == [4, 4]
    bad = tmp_path / "bad.csv"
    bad.write_bytes(newline.join([*rows, "a3,,No outlet here."]).encode("utf-8"))
    assert _error(bad) == f"{bad}:line 5: article 'a3' has no outlet"
