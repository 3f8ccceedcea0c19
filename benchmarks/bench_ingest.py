"""Benchmark: pages per second of ``analysis.ingest.ingest`` on generated pages, and its peak memory.

Pages are synthetic articles (``analysis.scale.generate_articles``, ~600 words) wrapped in site
chrome (cookie banner, navigation, related links, footer) with a published time in ``<meta>``;
every tenth page is republished under a second domain with one sentence added (a near-duplicate).
The same pages are ingested, in one run, as

html      a folder of saved ``.html`` files
warc      one ``.warc.gz`` file holding them as HTTP responses (streamed record by record)

and each line prints pages/s (best of ``--repeat``, wall clock, one process, extraction, dates,
de-duplication and writing included), the duplicate groups found (one per republished page) and the
process's peak resident memory so far.

Usage: ``.venv/bin/python benchmarks/bench_ingest.py [--pages 300] [--repeat 2]``
"""

from __future__ import annotations

import argparse
import io
import os
import platform
import resource
import tempfile
import time
from pathlib import Path

from analysis.ingest import ingest
from analysis.scale import generate_articles

_PAGE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title} | {site}</title>
<link rel="canonical" href="{url}"><meta property="article:published_time" content="2024-03-{day:02d}T08:00:00+01:00">
</head><body><div class="cookie-consent">We use cookies. <button>Accept all cookies</button></div>
<nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></nav><main><article><h1>{title}</h1>
{paragraphs}</article><aside class="related"><h2>Related stories</h2><ul><li><a href="/a">Another story</a></li>
<li><a href="/b">And another</a></li></ul></aside></main><footer><p>© 2024 {site}</p></footer></body></html>"""


def _pages(n: int) -> list[tuple[str, bytes]]:
    """``(url, html)`` of ``n`` generated pages, every tenth one republished elsewhere."""
    _, chunks = generate_articles(n, 4, random_state=0, chunk_size=n)
    pages = []
    for row in next(iter(chunks)).itertuples():
        paragraphs = [f"<p>{p}</p>" for p in row.text.split("\n\n")]
        url = f"https://www.{row.outlet.replace('_', '')}.example/2024/03/{row.article_id}"
        fields = dict(title=row.title, site=row.outlet, url=url, day=1 + int(row.article_id[1:]) % 28)
        pages.append((url, _PAGE.format(paragraphs="\n".join(paragraphs), **fields).encode()))
        if int(row.article_id[1:]) % 10 == 0:
            copy = dict(fields, site="Wire", url=f"https://wire.example/{row.article_id}")
            extra = "\n".join([*paragraphs, "<p>This story first appeared elsewhere.</p>"])
            pages.append((copy["url"], _PAGE.format(paragraphs=extra, **copy).encode()))
    return pages


def _write_html(pages, folder: Path) -> None:
    folder.mkdir()
    for i, (_, html) in enumerate(pages):
        (folder / f"page_{i:06d}.html").write_bytes(html)


def _write_warc(pages, path: Path) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for url, html in pages:
            http = StatusAndHeaders(
                "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
            )
            record = writer.create_warc_record(
                url,
                "response",
                payload=io.BytesIO(html),
                http_headers=http,
                warc_headers_dict={"WARC-Date": "2024-04-01T00:00:00Z"},
            )
            writer.write_record(record)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=300, help="generated articles (default: 300)")
    parser.add_argument("--repeat", type=int, default=2, help="timed runs per input, best kept (default: 2)")
    args = parser.parse_args()
    os.environ.setdefault("COVERAGE_COMPARE_NO_PROGRESS", "1")
    pages = _pages(args.pages)
    print(
        f"# {len(pages)} pages ({args.pages} generated + near-duplicate copies); python {platform.python_version()}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        _write_html(pages, tmp / "html")
        _write_warc(pages, tmp / "crawl.warc.gz")
        ingest([tmp / "html" / "page_000000.html"], tmp / "warm", progress=False)  # imports, untimed
        for name, source in (("html", tmp / "html"), ("warc", tmp / "crawl.warc.gz")):
            best, groups = float("inf"), 0
            for run in range(args.repeat):
                start = time.perf_counter()
                result = ingest([source], tmp / f"{name}-{run}", progress=False)
                elapsed = time.perf_counter() - start
                if elapsed < best:
                    best = elapsed
                    groups = result.articles["duplicate_group"].nunique()
            peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            print(
                f"{name:<5} {len(pages) / best:7.1f} pages/s  ({best:.2f} s; {groups} duplicate groups; "
                f"peak RSS so far {peak_mb:.0f} MB)"
            )


if __name__ == "__main__":
    main()
