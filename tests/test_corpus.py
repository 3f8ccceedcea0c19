"""Corpus layer on the seeds (exact expectations) and on bad input (one test per case)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pandas as pd
import pytest

from analysis.corpus._load import CorpusError, build_corpus, load_corpus

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
SEED_SHA256 = {
    "000_9938383b5004fa83.txt": "fafc72c121f2e4a61f002752288bb4f3e4390af1f4dc9260dae4ce6fdab6290f",
    "001_55948427a9adf828.txt": "5a39a542be83f4884a477ad420d90fd138d18c1192970fc9832d08861ce0bb77",
    "002_2db2f79e78af98da.txt": "e8b5a0e38a257023618088fd5b7e42d95987887e429b92cdaf0525765be066a5",
    "003_f45008bd38756352.txt": "8ce7630c5cd5ceb6dc6b42c29df5f86e36aae714688bf249b1279bd0bcd52cce",
    "004_c5755e4756db7259.txt": "386a5a9111585332a35d969596c4d2fa934f681fd7cbcbedae6613649899a134",
}


def test_seed_files_are_byte_identical_to_the_originals():
    for name, digest in SEED_SHA256.items():
        assert hashlib.sha256((SEEDS / name).read_bytes()).hexdigest() == digest


def test_manifest_describes_every_seed():
    m = pd.read_csv(SEEDS / "manifest.csv", dtype=str, keep_default_na=False)
    assert m["article_id"].tolist() == ["000", "001", "002", "003", "004"]
    assert set(m["file"]) == set(SEED_SHA256)
    assert m["outlet"].tolist() == ["NHK World", "aggregator", "aggregator", "Kyiv Independent", "wire-style"]
    for col in [
        "outlet_type",
        "country",
        "language",
        "published",
        "published_precision",
        "headline",
        "provenance",
    ]:
        assert col in m.columns
    assert set(m["published_precision"]) <= {"day", "week", "month", "unknown"}


def test_seed_tables(seeds_corpus):
    c = seeds_corpus
    assert c.outlets == ["NHK World", "aggregator", "Kyiv Independent", "wire-style"]
    assert c.articles["n_words"].tolist() == [480, 1279, 603, 2173, 405]
    assert c.paragraphs.groupby("article_id").size().to_dict() == {
        "000": 19,
        "001": 31,
        "002": 11,
        "003": 65,
        "004": 6,
    }
    assert c.sentences.groupby("article_id").size().to_dict() == {
        "000": 34,
        "001": 43,
        "002": 33,
        "003": 75,
        "004": 16,
    }


def test_offsets_trace_back_to_the_original_text(seeds_corpus):
    texts = dict(zip(seeds_corpus.articles["article_id"], seeds_corpus.articles["text"], strict=True))
    for table in (seeds_corpus.paragraphs, seeds_corpus.sentences, seeds_corpus.removed):
        for row in table.itertuples():
            assert texts[row.article_id][row.start : row.end] == row.text
    # sentences tile their paragraph (only whitespace between them)
    for pid, sents in seeds_corpus.sentences.groupby("paragraph_id"):
        para = seeds_corpus.paragraphs.set_index("paragraph_id").loc[pid]
        assert sents["start"].min() == para["start"] and sents["end"].max() == para["end"]


def test_every_seed_boilerplate_is_removed_with_its_rule(seeds_corpus):
    got = seeds_corpus.removed[["paragraph_id", "rule_id"]].values.tolist()
    assert got == [
        ["002:p11", "site_chrome_nav"],  # Reference
        ["002:p12", "aggregator_disclaimer"],
        ["002:p13", "aggregator_disclaimer"],
        ["002:p14", "image_rights"],  # DMCA compliant image
        ["002:p15", "site_chrome_nav"],  # Leave a Comment
        ["003:p0", "site_chrome_nav"],  # Categories
        ["003:p1", "site_chrome_nav"],  # Saved web pages
        ["003:p3", "ai_audio_notice"],
        ["003:p13", "photo_caption"],
        ["003:p27", "photo_caption"],
        ["003:p40", "photo_caption"],
        ["003:p49", "photo_caption"],
        ["003:p62", "photo_caption"],
        ["003:p73", "reader_appeal"],
    ]
    kept = " ".join(seeds_corpus.paragraphs["text"])
    for gone in ["Getty Images", "Denial of responsibility", "Please consider supporting", "Leave a Comment"]:
        assert gone not in kept


def test_headlines_and_subheads(seeds_corpus):
    p = seeds_corpus.paragraphs
    assert p.loc[p["role"] == "headline", "paragraph_id"].tolist() == ["000:p0", "002:p0", "003:p2", "004:p0"]
    assert p.loc[p["role"] == "subhead", "text"].tolist() == [
        "Why didn't Russia, Armenia's ally, help?",
        "Concerns rising for the ethnic Armenians",
        "Swift demise",
        "History of violence",
        "Russia abandons Karabakh",
    ]
    # 004 has no headline in the manifest... it has one; 001 has none and none is invented
    assert seeds_corpus.articles.set_index("article_id").loc["001", "title"] is None


def test_tricky_seed_sentences(seeds_corpus):
    s = seeds_corpus.sentences.set_index("sentence_id")["text"]
    assert s["003:p4:s0"].startswith("On Sept. 19, just under three years")  # 'Sept.' does not split
    assert s["000:p5:s1"] == 'Armenia had no choice but to accept this humiliating ceasefire agreement."'
    assert s["001:p1:s0"].startswith("TO Azerbaijan military offensive last week. forced")  # stray full stop
    assert s["004:p3:s2"].startswith("Armenian Prime minister Nikol Pashinyan")  # 'integrity.Armenian'
    assert s["001:p7:s0"].startswith("Two senior U.S. officials, Samantha Power")


def test_multi_paragraph_quotes_count_as_quoted(seeds_corpus):
    p = seeds_corpus.paragraphs.set_index("paragraph_id")
    # NHK: 'He said, "Basically, ...' opens a quote that runs to the paragraph end
    assert (
        p.loc["000:p4", "quoted_chars"]
        == p.loc["000:p4", "end"] - p.loc["000:p4", "text"].index('"') - p.loc["000:p4", "start"]
    )
    assert p.loc["004:p1", "quoted_chars"] == 0


def test_table_inputs_match_folder_input(tmp_path, seeds_corpus):
    arts = seeds_corpus.articles[["article_id", "outlet", "outlet_type", "title", "text"]]
    arts.to_csv(tmp_path / "c.csv", index=False)
    arts.to_parquet(tmp_path / "c.parquet")
    with (tmp_path / "c.jsonl").open("w", encoding="utf-8") as fh:
        for rec in arts.to_dict("records"):
            fh.write(json.dumps(rec) + "\n")
    for name in ["c.csv", "c.parquet", "c.jsonl"]:
        c = load_corpus(tmp_path / name)
        pd.testing.assert_frame_equal(
            c.sentences.reset_index(drop=True), seeds_corpus.sentences.reset_index(drop=True)
        )


def test_user_rules_extend_the_shipped_ones(make_corpus):
    from analysis.corpus._load import boilerplate_rules

    extra = pd.DataFrame(
        [
            {
                "rule_id": "newsletter_box",
                "category": "site_chrome",
                "match": "fullmatch",
                "pattern": "sign up for our briefing",
                "description": "test",
            }
        ]
    )
    c = make_corpus(
        ("a1", "X", "Real news here.\nSign up for our briefing\nMore news."), rules=boilerplate_rules(extra)
    )
    assert c.removed["rule_id"].tolist() == ["newsletter_box"]
    assert c.paragraphs["text"].tolist() == ["Real news here.", "More news."]


# ---------------------------------------------------------------- bad input


def _folder(tmp_path, rows, files):
    for name, content in files.items():
        (tmp_path / name).write_bytes(content if isinstance(content, bytes) else content.encode())
    header = "article_id,file,outlet,encoding\n"
    (tmp_path / "manifest.csv").write_text(
        header + "".join(",".join(r) + "\n" for r in rows), encoding="utf-8"
    )
    return tmp_path


def _error(path) -> str:
    with pytest.raises(CorpusError) as info:
        load_corpus(path)
    msg = str(info.value)
    assert "\n" not in msg
    return msg


def test_bad_missing_manifest(tmp_path):
    (tmp_path / "a.txt").write_text("Text.")
    assert "no manifest.csv or manifest.toml" in _error(tmp_path)


def test_bad_file_without_manifest_entry(tmp_path):
    _folder(tmp_path, [("a", "a.txt", "X", "")], {"a.txt": "Text.", "b.txt": "Other."})
    msg = _error(tmp_path)
    assert "manifest.csv" in msg and "no manifest entry for b.txt" in msg


def test_bad_missing_file(tmp_path):
    _folder(tmp_path, [("a", "a.txt", "X", ""), ("b", "gone.txt", "Y", "")], {"a.txt": "Text."})
    msg = _error(tmp_path)
    assert "manifest.csv:3" in msg and "'gone.txt' does not exist" in msg


def test_bad_unreadable_file(tmp_path, monkeypatch):
    _folder(tmp_path, [("a", "a.txt", "X", "")], {"a.txt": "Text."})
    real = Path.read_bytes

    def deny(self):
        if self.name == "a.txt":
            raise PermissionError(13, "Permission denied")
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", deny)
    assert "a.txt: cannot read (Permission denied)" in _error(tmp_path)


def test_bad_not_utf8_is_refused_with_a_hint(tmp_path):
    _folder(tmp_path, [("a", "a.txt", "X", "")], {"a.txt": "Café de Flore".encode("latin-1")})
    msg = _error(tmp_path)
    assert "a.txt: not valid utf-8" in msg and "encoding" in msg


def test_declared_encoding_is_decoded(tmp_path):
    _folder(tmp_path, [("a", "a.txt", "X", "latin-1")], {"a.txt": "Café de Flore.".encode("latin-1")})
    assert load_corpus(tmp_path).articles["text"].tolist() == ["Café de Flore."]


def test_bad_empty_article(tmp_path):
    _folder(
        tmp_path, [("a", "a.txt", "X", ""), ("b", "b.txt", "X", "")], {"a.txt": "Text.", "b.txt": "  \n\n"}
    )
    assert "article 'b' is empty" in _error(tmp_path)


def test_bad_duplicate_ids(tmp_path):
    _folder(
        tmp_path, [("a", "a.txt", "X", ""), ("a", "b.txt", "X", "")], {"a.txt": "Text.", "b.txt": "Other."}
    )
    assert "duplicate article_id 'a'" in _error(tmp_path)


def test_bad_path_outside_corpus_is_refused(tmp_path):
    (tmp_path / "secret.txt").write_text("Secret.")
    inner = tmp_path / "corpus"
    inner.mkdir()
    _folder(inner, [("a", "../secret.txt", "X", "")], {})
    assert "points outside the corpus folder; refused" in _error(inner)


def test_bad_jsonl_line_and_missing_columns(tmp_path):
    bad = tmp_path / "c.jsonl"
    bad.write_text('{"article_id": "a", "outlet": "X", "text": "Fine."}\n\n{not json\n', encoding="utf-8")
    assert "c.jsonl:line 3: invalid JSON" in _error(bad)
    csv = tmp_path / "c.csv"
    csv.write_text("article_id,text\na,Text.\n", encoding="utf-8")
    assert "c.csv: missing required column(s) ['outlet']" in _error(csv)


def test_bad_id_with_colon(make_corpus):
    with pytest.raises(CorpusError, match="must be non-empty with no ':'"):
        make_corpus(("a:1", "X", "Text."))


def test_inputs_are_never_modified(tmp_path):
    _folder(
        tmp_path, [("a", "a.txt", "X", "")], {"a.txt": "Caption (Photo by A/AFP via Getty Images)\nBody."}
    )
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    load_corpus(tmp_path)
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


def test_build_corpus_requires_some_text():
    with pytest.raises(CorpusError, match="no text left after boilerplate removal"):
        build_corpus([{"article_id": "a", "outlet": "X", "text": "Leave a comment", "source": "t"}])


# ---------------------------------------------------------------- streaming


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "parquet", "shards", "folder"])
def test_batches_concatenate_to_the_in_memory_corpus(tmp_path, seeds_corpus, fmt):
    from analysis.corpus._load import iter_corpus

    arts = seeds_corpus.articles[["article_id", "outlet", "outlet_type", "title", "text"]]
    if fmt == "jsonl":
        path = tmp_path / "c.jsonl"
        path.write_text("".join(json.dumps(r) + "\n" for r in arts.to_dict("records")), encoding="utf-8")
    elif fmt == "csv":
        path = tmp_path / "c.csv"
        arts.to_csv(path, index=False)
    elif fmt == "parquet":
        path = tmp_path / "c.parquet"
        arts.to_parquet(path, row_group_size=2)
    elif fmt == "shards":
        path = tmp_path / "shards"
        path.mkdir()
        arts.iloc[:3].to_parquet(path / "part-0.parquet")
        arts.iloc[3:].to_parquet(path / "part-1.parquet")
    else:
        path = SEEDS
    batches = list(iter_corpus(path, batch_size=2))
    assert [len(b.articles) for b in batches] == [2, 2, 1]
    for table in ("paragraphs", "sentences", "removed"):
        joined = pd.concat([getattr(b, table) for b in batches], ignore_index=True)
        expected = getattr(seeds_corpus, table).reset_index(drop=True)
        pd.testing.assert_frame_equal(joined[expected.columns], expected, check_dtype=False)


def test_duplicate_ids_across_batches_are_refused(tmp_path):
    from analysis.corpus._load import iter_corpus

    path = tmp_path / "c.jsonl"
    rows = [{"article_id": i, "outlet": "X", "text": "Text."} for i in ["a", "b", "c", "a"]]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    with pytest.raises(CorpusError, match=r"c.jsonl:line 4: duplicate article_id 'a' \(also in .*line 1\)"):
        list(iter_corpus(path, batch_size=2))


def test_streaming_never_holds_the_whole_input(tmp_path, monkeypatch):
    """A corpus larger than the batch is read chunk by chunk: the reader is never asked for more rows
    than one chunk ahead of what has been yielded."""
    from analysis.corpus import _readers as readers
    from analysis.corpus._load import iter_corpus

    path = tmp_path / "big.parquet"
    n = 5_000
    pd.DataFrame(
        {
            "article_id": [f"a{i}" for i in range(n)],
            "outlet": ["X", "Y"] * (n // 2),
            "text": [f"Article number {i} says something." for i in range(n)],
        }
    ).to_parquet(path, row_group_size=500)
    pulled = []
    real = readers._record

    def spy(row, where, **options):
        pulled.append(where)
        return real(row, where, **options)

    monkeypatch.setattr(readers, "_record", spy)
    seen_articles = 0
    for batch in iter_corpus(path, batch_size=500):
        seen_articles += len(batch.articles)
        assert len(pulled) - seen_articles <= 500  # at most one batch read ahead
    assert seen_articles == n
