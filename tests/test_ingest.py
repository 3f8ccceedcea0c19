"""Ingest (analysis.ingest, `coverage-compare ingest`): saved pages, WARC records and feeds into a corpus
folder that load_corpus reads. Fixtures in tests/fixtures/ingest/ carry site chrome (navigation, cookie
banners, related links, footers); the WARC file is built here with warcio. Nothing touches the network."""

from __future__ import annotations

import io
import random
import shutil

import pandas as pd
import pytest
from conftest import REPO

from analysis.corpus import CorpusError, load_corpus
from analysis.ingest import OUTPUT_ENTRIES, ingest
from analysis.report.cli import main

FIXTURES = REPO / "tests" / "fixtures" / "ingest"
PAGES = FIXTURES / "pages"
FEEDS = FIXTURES / "feeds"
FLOOD_URL = "https://www.harbourtimes.example/2024/03/12/river-aln-flood-warning"

FLOOD_PARAGRAPHS = [
    "River Aln flood warning raised as rain continues",
    "The environment agency raised a severe flood warning for the River Aln on Tuesday morning after a third "
    "day of heavy rain across the county.",
    "Residents of the lower town were told to move valuables upstairs and to prepare for the river to burst "
    "its banks before high tide on Wednesday.",
    '"We have not seen levels like this since the winter of 2015," said Ellen Rook, who chairs the harbour '
    "residents' association.",
    "Forecasters expect the rain to ease by Thursday, but warned that water from the hills would keep the "
    "river high for several days.",
]
UPDATE = (
    "By Tuesday evening the river had burst its banks at Mill Lane, and forty homes were evacuated to the "
    "community hall."
)


@pytest.fixture(autouse=True)
def _no_bars(monkeypatch):
    monkeypatch.setenv("COVERAGE_COMPARE_NO_PROGRESS", "1")


def _text(out, row) -> str:
    return (out / row["file"]).read_text(encoding="utf-8")


def _row(articles: pd.DataFrame, origin_name: str) -> pd.Series:
    return articles.loc[articles["origin"].str.endswith(origin_name)].iloc[0]


@pytest.fixture(scope="module")
def ingested(tmp_path_factory):
    out = tmp_path_factory.mktemp("ingest") / "corpus"
    return out, ingest([PAGES, FEEDS], out, progress=False)


# ---------------------------------------------------------------- text


def test_extracted_text_is_what_a_reader_sees(ingested):
    out, result = ingested
    original = _row(result.articles, "harbour_flood.html")
    assert (
        _text(out, original).split("\n\n") == FLOOD_PARAGRAPHS
    )  # no nav, banner, byline, related links, footer
    syndicated = _row(result.articles, "coastwire_flood_syndicated.html")
    assert _text(out, syndicated).split("\n\n") == [
        *FLOOD_PARAGRAPHS,
        "This article first appeared in The Harbour Times.",
    ]


def test_non_utf8_page_is_decoded_from_its_declared_encoding(ingested):
    out, result = ingested
    row = _row(result.articles, "vallee_prix_cp1252.html")
    assert _text(out, row).split("\n\n") == [
        "Les prix du marché s’envolent",
        "Au marché couvert de la vallée, le kilo de pommes coûte désormais 3,20 €, soit presque un euro de "
        "plus qu’il y a un an.",
        "« Nous n’avons jamais vu une hausse pareille », explique Renée Dupré, qui tient un étal de fruits "
        "depuis vingt-deux ans.",
        "Les producteurs accusent le gel tardif du printemps dernier, qui a détruit une grande partie des "
        "fleurs dans les vergers.",
    ]
    assert (row["author"], row["language"], row["outlet"]) == ("Renée Dupré", "fr", "valleecourrier.example")
    assert "encoding: cp1252 (<meta charset>)" in row["provenance"]


def test_metadata_and_its_provenance(ingested):
    _, result = ingested
    row = _row(result.articles, "harbour_flood.html")
    assert row[["title", "author", "language", "url", "outlet"]].tolist() == [
        "River Aln flood warning raised as rain continues",
        "Mara Quill",
        "en",
        FLOOD_URL,
        "harbourtimes.example",
    ]
    parts = dict(part.split(": ", 1) for part in row["provenance"].split("; "))
    assert parts["url"] == "canonical link or og:url in the page (trafilatura)"
    assert parts["outlet"] == "domain of the URL (harbourtimes.example)"
    assert parts["language"] == "<html lang> 'en-GB'"
    assert parts["published"] == "page metadata or byline (htmldate), time from '2024-03-12T08:30:00+01:00'"


# ---------------------------------------------------------------- dates


@pytest.mark.parametrize(
    ("name", "published", "precision", "how"),
    [
        ("harbour_flood.html", "2024-03-12T08:30:00+01:00", "minute", "page metadata or byline"),
        ("coastwire_flood_syndicated.html", "2024-03-12T14:05:00+00:00", "minute", "page metadata or byline"),
        ("harbour_council_undated.html", "2024-03-08T18:00:00+00:00", "minute", "RSS item in"),
        ("vallee_prix_cp1252.html", "2024-02-19T07:00:00+01:00", "minute", "sitemap entry in"),
    ],
)
def test_dates_come_from_the_page_before_feeds(ingested, name, published, precision, how):
    row = _row(ingested[1].articles, name)
    assert (row["published"], row["published_precision"]) == (published, precision)
    assert row["provenance"].split("published: ", 1)[1].startswith(how)


def test_without_feeds_the_url_then_nothing(tmp_path):
    result = ingest(
        [PAGES / "vallee_prix_cp1252.html", PAGES / "harbour_council_undated.html"],
        tmp_path / "c",
        progress=False,
    )
    vallee = _row(result.articles, "vallee_prix_cp1252.html")
    assert (vallee["published"], vallee["published_precision"]) == ("2024-02", "month")
    assert vallee["provenance"].endswith("published: year and month in the URL")
    undated = _row(result.articles, "harbour_council_undated.html")
    assert (undated["published"], undated["published_precision"]) == (None, "unknown")
    assert undated["provenance"].endswith("published: no date found")


# ---------------------------------------------------------------- WARC


def _page(title: str, body: str, head: str = "") -> bytes:
    return (
        f"<html lang='en'><head><title>{title}</title>{head}</head><body>"
        "<nav><a href='/'>Home</a> <a href='/news'>News</a></nav>"
        f"<article><h1>{title}</h1>{body}</article>"
        "<footer><p>Copyright Dockside Daily</p></footer></body></html>"
    ).encode()


_P1 = (
    "<p>The dockers' union voted on Monday to accept the port authority's offer of a four per cent rise.</p>"
)
_P2 = "<p>The agreement ends a dispute that had held up ferries and container ships for three weeks.</p>"
_P3 = "<p>The city library will stay open until nine in the evening from next month, the council said.</p>"
_P4 = "<p>Volunteers will run reading groups for children on Saturday mornings in the east wing.</p>"
_P5 = "<p>Fishermen said the new quotas would halve their catch of cod in the northern grounds.</p>"
_P6 = "<p>The ministry said the quotas follow scientific advice and would be reviewed in a year.</p>"
_P7 = "<p>A new cycle path along the seafront will open in the summer after two years of works.</p>"
_P8 = "<p>Shop owners on the promenade had asked for the path to avoid the market square.</p>"


def _meta(value: str) -> str:
    return f"<meta property='article:published_time' content='{value}'>"


def write_warc(path) -> None:
    """A small .warc.gz: warcinfo, a request, HTML responses (dated, undated, impossible dates, one URL
    captured twice with the same text), an image and a 404."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    def response(writer, url, when, body, status="200 OK", content_type="text/html; charset=utf-8"):
        http = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
        record = writer.create_warc_record(
            url,
            "response",
            payload=io.BytesIO(body),
            http_headers=http,
            warc_headers_dict={"WARC-Date": when},
        )
        writer.write_record(record)

    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        writer.write_record(writer.create_warcinfo_record("crawl.warc.gz", {"software": "test"}))
        request = StatusAndHeaders("GET /news/dock-deal HTTP/1.1", [("Host", "docksidedaily.example")])
        writer.write_record(
            writer.create_warc_record(
                "https://docksidedaily.example/news/dock-deal", "request", http_headers=request
            )
        )
        t1, t2 = "2024-04-01T10:00:00Z", "2024-04-02T10:00:00Z"
        deal = _page("Dockers accept pay offer", _P1 + _P2, _meta("2024-03-30T18:20:00+02:00"))
        response(writer, "https://docksidedaily.example/news/dock-deal", t1, deal)
        response(writer, "https://docksidedaily.example/news/library", t1, _page("Library hours", _P3 + _P4))
        response(
            writer,
            "https://docksidedaily.example/news/quotas",
            t1,
            _page("Quotas", _P5 + _P6, _meta("1985-06-01")),
        )
        cycle = _page("Cycle path", _P7 + _P8, _meta("2024-05-01T09:00:00+00:00"))
        response(writer, "https://docksidedaily.example/news/cycle-path", t1, cycle)
        response(writer, "https://docksidedaily.example/logo.png", t1, b"\x89PNG", content_type="image/png")
        response(writer, "https://docksidedaily.example/gone", t1, b"<html></html>", status="404 Not Found")
        response(writer, "https://docksidedaily.example/news/dock-deal", t2, deal)


def test_warc_records_become_articles_with_crawl_dates_and_refusals(tmp_path):
    warc = tmp_path / "crawl.warc.gz"
    write_warc(warc)
    result = ingest([warc], tmp_path / "c", progress=False)
    by_url = result.articles.set_index("url")
    got = by_url[["published", "published_precision", "crawled"]].to_dict("index")
    base = "https://docksidedaily.example/news/"
    assert got == {
        f"{base}cycle-path": {
            "published": "2024-04-01T10:00:00Z",
            "published_precision": "crawl",
            "crawled": "2024-04-01T10:00:00Z",
        },
        f"{base}dock-deal": {
            "published": "2024-03-30T18:20:00+02:00",
            "published_precision": "minute",
            "crawled": "2024-04-01T10:00:00Z",
        },
        f"{base}library": {
            "published": "2024-04-01T10:00:00Z",
            "published_precision": "crawl",
            "crawled": "2024-04-01T10:00:00Z",
        },
        f"{base}quotas": {
            "published": "2024-04-01T10:00:00Z",
            "published_precision": "crawl",
            "crawled": "2024-04-01T10:00:00Z",
        },
    }
    assert by_url.loc[f"{base}quotas", "provenance"].endswith(
        "published: crawl time (WARC-Date): published on or before it; "
        "refused 1985-06-01 from page metadata or byline: before 1990"
    )
    assert (
        "refused 2024-05-01T09:00:00+00:00 from page metadata or byline: after the crawl time"
        in (by_url.loc[f"{base}cycle-path", "provenance"])
    )
    assert by_url.loc[f"{base}dock-deal", "provenance"].endswith(f"same text also in {warc}#record 9")
    assert by_url.loc[f"{base}dock-deal", "origin"] == f"{warc}#record 3"
    assert result.skipped[["origin", "reason"]].values.tolist() == [
        [f"{warc}#record 7", "not an HTML page (image/png)"],
        [f"{warc}#record 8", "HTTP status 404"],
    ]
    assert load_corpus(tmp_path / "c").articles["url"].tolist() == result.articles["url"].tolist()


# ---------------------------------------------------------------- duplicates and versions


def test_duplicates_are_linked_and_versions_numbered_with_a_diff(ingested):
    out, result = ingested
    original = _row(result.articles, "harbour_flood.html")
    updated = _row(result.articles, "harbour_flood_updated.html")
    syndicated = _row(result.articles, "coastwire_flood_syndicated.html")
    first = original["article_id"]
    assert [(r["duplicate_group"], r["duplicate_kind"]) for r in (original, updated, syndicated)] == [
        (first, "first"),
        (first, "near"),
        (first, "near"),
    ]
    assert [(r["version_of"], r["version"]) for r in (original, updated, syndicated)] == [
        (None, 1),
        (first, 2),
        (None, 1),
    ]
    assert updated["modified"] == "2024-03-12T17:45:00+01:00"
    diff = (out / updated["diff"]).read_text(encoding="utf-8").splitlines()
    assert diff[:2] == [f"--- {first}", f"+++ {updated['article_id']}"]
    assert [line for line in diff[2:] if line.startswith(("+", "-"))] == [f"+{UPDATE}"]
    alone = result.articles.loc[result.articles["duplicate_group"].isna(), "origin"]
    assert sorted(p.rsplit("/", 1)[1] for p in alone) == [
        "harbour_council_undated.html",
        "vallee_prix_cp1252.html",
    ]


def test_exact_duplicates_under_two_urls(tmp_path):
    (tmp_path / "in").mkdir()
    source = (PAGES / "harbour_flood.html").read_text(encoding="utf-8")
    (tmp_path / "in" / "a.html").write_text(source, encoding="utf-8")
    (tmp_path / "in" / "b.html").write_text(
        source.replace(FLOOD_URL, "https://mirror.example/flood"), encoding="utf-8"
    )
    articles = ingest([tmp_path / "in"], tmp_path / "c", progress=False).articles
    assert sorted(articles["duplicate_kind"]) == ["exact", "first"]
    assert articles["duplicate_group"].nunique() == 1


def test_the_same_links_whatever_the_input_order_and_batch_size(tmp_path, ingested):
    _, reference = ingested
    files = sorted([*PAGES.iterdir(), *FEEDS.iterdir()])
    for attempt, batch_size in enumerate((1, 2, 7)):
        random.Random(attempt).shuffle(files)
        out = tmp_path / f"c{attempt}"
        result = ingest(files, out, batch_size=batch_size, progress=False)
        pd.testing.assert_frame_equal(result.articles, reference.articles)
        pd.testing.assert_frame_equal(result.skipped, reference.skipped)


# ---------------------------------------------------------------- feeds, outlets


def test_feed_entries_without_a_page_are_listed_not_dropped(ingested):
    skipped = ingested[1].skipped
    assert skipped[["url", "reason"]].values.tolist() == [
        [
            "https://www.harbourtimes.example/2024/03/10/storm-damage",
            "RSS item without a saved page or WARC record (pass --fetch to download it)",
        ]
    ]


def test_outlet_map_names_domains_and_their_subdomains(tmp_path):
    mapping = tmp_path / "outlets.csv"
    mapping.write_text("domain,outlet\ncoastwire.example,Coastwire\nharbourtimes.example,The Harbour Times\n")
    files = [PAGES / "harbour_flood.html", PAGES / "coastwire_flood_syndicated.html"]
    result = ingest(files, tmp_path / "c", outlet_map=mapping, progress=False)
    assert sorted(result.articles["outlet"]) == ["Coastwire", "The Harbour Times"]
    assert (
        "outlet: outlet_map entry for coastwire.example"
        in _row(result.articles, "syndicated.html")["provenance"]
    )
    bad = tmp_path / "bad.csv"
    bad.write_text("host,name\nx,y\n")
    with pytest.raises(CorpusError, match="columns 'domain' and 'outlet'"):
        ingest(files, tmp_path / "d", outlet_map=bad, progress=False)


# ---------------------------------------------------------------- output safety


def test_python_api_never_replaces_or_deletes(tmp_path):
    out = tmp_path / "c"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    (out / "manifest.csv").write_text("mine too")
    with pytest.raises(CorpusError, match="already holds manifest.csv"):
        ingest([PAGES / "harbour_flood.html"], out, progress=False)
    assert sorted(p.name for p in out.iterdir()) == ["manifest.csv", "notes.txt"]
    assert (out / "manifest.csv").read_text() == "mine too"


def test_a_failed_ingest_removes_only_what_it_created(tmp_path):
    broken = tmp_path / "in"
    broken.mkdir()
    shutil.copy(PAGES / "harbour_flood.html", broken / "a.html")
    (broken / "b.warc.gz").write_bytes(b"this is not a WARC file")
    out = tmp_path / "c"
    with pytest.raises(CorpusError, match="b.warc.gz: record 1: not a readable WARC record"):
        ingest([broken], out, progress=False)
    assert not out.exists()
    out.mkdir()
    (out / "keep.txt").write_text("mine")
    with pytest.raises(CorpusError):
        ingest([broken], out, progress=False)
    assert [p.name for p in out.iterdir()] == ["keep.txt"]


def _cli(capsys, *argv) -> tuple[int, str, str]:
    try:
        status = main([str(a) for a in argv])
    except SystemExit as exc:
        status = exc.code
    captured = capsys.readouterr()
    return status, captured.out, captured.err


@pytest.mark.parametrize(
    ("args", "status", "message"),
    [
        (["{tmp}/missing.html"], 2, "coverage-compare: error: {tmp}/missing.html: no such file or folder"),
        (
            ["{tmp}/notes.txt"],
            2,
            "coverage-compare: error: {tmp}/notes.txt: expected a saved page (.html, .htm), a WARC file",
        ),
        (
            [str(PAGES), "--near-duplicate", "1.5"],
            1,
            "coverage-compare: error: --near-duplicate must be in (0, 1], got 1.5",
        ),
        (
            [str(PAGES), "--out", str(PAGES / "corpus")],
            1,
            f"coverage-compare: error: refusing to write to '{PAGES / 'corpus'}': it is inside the corpus folder",
        ),
        (
            [str(PAGES), "--out", "{tmp}"],
            1,
            "coverage-compare: error: refusing to write to '{tmp}': the folder is not empty and was not written",
        ),
    ],
)
def test_cli_errors_are_one_line(capsys, tmp_path, args, status, message):
    (tmp_path / "notes.txt").write_text("mine")
    args = [a.format(tmp=tmp_path) for a in args]
    if "--out" not in args:
        args += ["--out", str(tmp_path / "c")]
    got, _, err = _cli(capsys, "ingest", *args)
    lines = err.strip().splitlines()
    assert got == status and len(lines) == 1 and "Traceback" not in err, err
    assert lines[0].startswith(message.format(tmp=tmp_path)), lines[0]
    assert (tmp_path / "notes.txt").read_text() == "mine"


def test_cli_writes_a_marked_folder_replaces_its_own_output_and_keeps_other_files(capsys, tmp_path):
    out = tmp_path / "c"
    status, stdout, _ = _cli(capsys, "ingest", PAGES, FEEDS, "--out", out)
    assert status == 0
    assert stdout.splitlines()[0] == (
        f"5 articles, duplicate groups: 1, URLs with several versions: 1, inputs set aside: 1 -> {out}/manifest.csv"
    )
    assert sorted(p.name for p in out.iterdir()) == sorted([*OUTPUT_ENTRIES, ".coverage-compare-output"])
    status, _, _ = _cli(
        capsys, "ingest", PAGES / "harbour_flood.html", "--out", out
    )  # its own output: replaced
    assert status == 0 and len(list((out / "texts").iterdir())) == 1 and not (out / "diffs").exists()
    other = tmp_path / "other"
    other.mkdir()
    (other / "keep.txt").write_text("mine")
    status, _, _ = _cli(capsys, "ingest", PAGES / "harbour_flood.html", "--out", other, "--force")
    assert status == 0 and (other / "keep.txt").read_text() == "mine"


# ---------------------------------------------------------------- end to end


def test_ingested_folder_loads_as_a_corpus(ingested):
    out, result = ingested
    corpus = load_corpus(out)
    articles = corpus.articles.set_index("article_id")
    expected = result.articles.set_index("article_id")
    assert sorted(articles.index) == sorted(expected.index)
    for column in ("outlet", "title", "published", "published_precision", "language", "url", "provenance"):
        assert articles[column].to_dict() == expected[column].to_dict(), column
    first = corpus.paragraphs.groupby("article_id").first()
    assert set(first["role"]) == {"headline"}
    original = _row(result.articles, "harbour_flood.html")["article_id"]
    body = corpus.paragraphs.loc[corpus.paragraphs["article_id"] == original, "text"].tolist()
    assert body == FLOOD_PARAGRAPHS
    assert corpus.removed.empty


@pytest.mark.slow
def test_dask_engine_gives_the_same_corpus(tmp_path, ingested):
    result = ingest([PAGES, FEEDS], tmp_path / "c", engine="dask", n_workers=2, batch_size=2, progress=False)
    pd.testing.assert_frame_equal(result.articles, ingested[1].articles)
