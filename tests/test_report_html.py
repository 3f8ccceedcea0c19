"""report.html: self-contained, escaped, every chart drawn in headless Chromium with no network;
run.json; reruns reproduce the figure data byte for byte; the committed sample matches a fresh run."""

from __future__ import annotations

import json
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest
from conftest import REPO, run_cli

from analysis.report._html import build_report_html
from analysis.report._runner import compare_figure_data

CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser():
    if CHROMIUM is None:
        pytest.skip(
            "no system Chromium installed (Debian packages chromium and chromium-driver; `make test` "
            "installs them when run as root)"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


def render(browser, html_path: Path) -> dict:
    """Open the page from disk; return chart mark counts, console errors and warnings, and every request made."""
    page = browser.new_page()
    errors, warnings, requests = [], [], []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("console", lambda m: warnings.append(m.text) if m.type == "warning" or "WARN" in m.text else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: requests.append(r.url))
    page.goto(html_path.resolve().as_uri())
    page.wait_for_function(
        "document.querySelectorAll('div.vis').length === document.querySelectorAll('div.vis > svg, div.vis canvas').length",
        timeout=60_000,
    )
    marks = page.evaluate(
        "Array.from(document.querySelectorAll('div.vis')).map(d => "
        "[d.parentElement.id, d.querySelectorAll('g.mark-rect path, g.mark-symbol path, g.mark-line path, g.mark-area path,"
        " g.mark-rule line, g.mark-text text, g.mark-arc path, g.mark-group path, g.mark-tick line, path.mark-rect, "
        'g[class*="mark-"] > *\').length])'
    )
    state = page.evaluate(
        "({pwned: window.__pwned === 1, tables: document.querySelectorAll('table').length})"
    )
    page.close()
    return {"marks": marks, "errors": errors, "warnings": warnings, "requests": requests, **state}


@pytest.mark.slow
@pytest.mark.browser
def test_every_chart_draws_with_no_errors_and_no_network(browser, seeds_report):
    html_path = seeds_report / "report.html"
    text = html_path.read_text(encoding="utf-8")
    assert (
        "http://" not in text.split("<script>")[0] and 'src="http' not in text and "cdn.jsdelivr" not in text
    )
    result = render(browser, html_path)
    figures = sorted(seeds_report.glob("[0-9][0-9]_*/*.svg"))
    assert len(result["marks"]) == len(figures) > 0
    empty = [fid for fid, n in result["marks"] if n == 0]
    assert not empty, f"charts drew no marks: {empty}"
    assert result["errors"] == []
    assert [u for u in result["requests"] if not u.startswith("file://")] == []


@pytest.mark.slow
@pytest.mark.browser
def test_report_opens_with_no_vega_warnings(browser, seeds_report):
    # Vega-Lite logs a WARN for specs it has to guess about (an opacity legend on an unsorted field, a
    # layered facet sized by step with independent scales): each names a figure to fix, not noise
    result = render(browser, seeds_report / "report.html")
    assert result["warnings"] == []


def sorted_first_column(
    browser, html_path: Path, table_id: str, clicks: list[str]
) -> list[tuple[list[str], list[str]]]:
    """Click the named headers of a table in turn; after each, the first column's values and the sort indicator."""
    page = browser.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(html_path.resolve().as_uri())
    table = page.locator(f"#{table_id}")
    seen = []
    for header in clicks:
        table.locator(f"thead th:text-is('{header}')").click()
        seen.append(
            (
                table.locator("tbody tr td:first-child").all_text_contents(),
                table.locator("thead th[aria-sort]").evaluate_all(
                    "hs => hs.map(h => h.textContent + ' ' + h.getAttribute('aria-sort') + "
                    "getComputedStyle(h, '::after').content)"
                ),
            )
        )
    page.close()
    assert errors == []
    return seen


@pytest.mark.slow
@pytest.mark.browser
def test_story_overview_sorts_by_a_clicked_header(browser, seeds_report):
    table_id = "table-07_stories-story_overview"
    expected = pd.read_csv(seeds_report / "07_stories" / "story_overview.csv")
    by_outlets = expected.sort_values("n_outlets", kind="stable")
    then_descending = by_outlets.sort_values("n_outlets", ascending=False, kind="stable")  # ties keep order
    seen = sorted_first_column(browser, seeds_report / "report.html", table_id, ["n_outlets", "n_outlets"])
    assert seen == [
        ([str(r) for r in by_outlets["rank"]], ['n_outlets ascending" ▲"']),
        ([str(r) for r in then_descending["rank"]], ['n_outlets descending" ▼"']),
    ]


@pytest.mark.browser
def test_tables_sort_numbers_as_numbers_and_text_by_locale(browser, tmp_path):
    section = tmp_path / "01_x"
    section.mkdir()
    pd.DataFrame(
        {"name": ["b", "a", "é", "c"], "n": [10, 9, 100, None], "label": ["x10", "x9", "X1", "x2"]}
    ).to_csv(section / "t.csv", index=False)
    (section / "index.json").write_text(json.dumps([{"name": "t", "kind": "table"}]))
    page = build_report_html(tmp_path)
    seen = sorted_first_column(browser, page, "table-01_x-t", ["n", "n", "label", "name", "name"])
    assert [names for names, _ in seen] == [
        ["a", "b", "é", "c"],  # 9 < 10 < 100 as numbers; the empty cell last
        ["é", "b", "a", "c"],  # reversed; the empty cell still last
        ["é", "c", "a", "b"],  # X1 < x2 < x9 < x10: locale order, digits as numbers
        ["a", "b", "c", "é"],
        ["é", "c", "b", "a"],
    ]
    assert [sort for _, sort in seen] == [
        ['n ascending" ▲"'],
        ['n descending" ▼"'],
        ['label ascending" ▲"'],
        ['name ascending" ▲"'],
        ['name descending" ▼"'],
    ]


def test_section_intro_markdown_is_rendered_and_raw_html_in_it_escaped(tmp_path):
    import nbformat

    (tmp_path / "01_x").mkdir()
    (tmp_path / "notebooks").mkdir()
    intro = "# 01 · X\n\nRead **this** first (`docs/x.md`):\n\n1. *one*;\n2. two <script>alert(1)</script>"
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(intro)])
    nbformat.write(nb, tmp_path / "notebooks" / "01_x.ipynb")
    page = build_report_html(tmp_path).read_text(encoding="utf-8")
    section = page[page.index('<section id="01_x">') : page.index("</section>")]
    assert section == (
        '<section id="01_x"><h2>01 · X</h2><div class="intro"><p>Read <strong>this</strong> first '
        "(<code>docs/x.md</code>):</p>\n<ol>\n<li><em>one</em>;</li>\n<li>two &lt;script&gt;alert(1)&lt;/script&gt;"
        "</li>\n</ol>\n</div>"
    )


@pytest.mark.parametrize(("max_rows", "note"), [(2, True), (5, False)])
def test_a_cut_table_says_how_many_rows_it_shows_and_links_the_full_csv(tmp_path, max_rows, note):
    section = tmp_path / "01_x"
    section.mkdir()
    pd.DataFrame({"n": range(5)}).to_csv(section / "quotes.csv", index=False)
    (section / "index.json").write_text(
        json.dumps([{"name": "quotes", "kind": "table", "max_rows": max_rows}])
    )
    page = build_report_html(tmp_path).read_text(encoding="utf-8")
    said = '<p class="note">Showing 2 of 5 rows; full table in <a href="01_x/quotes.csv">quotes.csv</a>.</p>'
    assert (said in page) is note
    assert page.count("<td>") == min(max_rows, 5)


EVIL = (
    '<script>window.__pwned = 1; alert(1)</script><img src=x onerror="window.__pwned=1; alert(1)">'
    "<style>@import url(https://example.com/x.css)</style>"
)


@pytest.fixture(scope="module")
def evil_report(tmp_path_factory):
    """Notebook 01 run on a corpus with script, event-handler and style payloads in outlets, titles and text."""
    folder = tmp_path_factory.mktemp("evil")
    corpus = folder / "evil.jsonl"
    rows = [
        {
            "article_id": "a1",
            "outlet": f"Outlet {EVIL}",
            "title": EVIL,
            "text": f'Headline\n\nBody {EVIL} said "x."',
        },
        {
            "article_id": "a2",
            "outlet": "Other",
            "text": f"Caption {EVIL} (Photo by A/AFP via Getty Images)\nReal text.",
        },
    ]
    corpus.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    out = folder / "out"
    result = run_cli("report", "--corpus", corpus, "--out", out, "--notebooks", "01")
    assert result.returncode == 0, result.stderr[-2000:]
    return out


class LiveElements(HTMLParser):
    """Script bodies, style bodies and event-handler attributes of a page, as a browser would parse them."""

    def __init__(self):
        super().__init__()
        self.scripts, self.styles, self.handlers, self.images, self._in = [], [], [], [], None

    def handle_starttag(self, tag, attrs):
        self.handlers += [f"{tag} {name}={value}" for name, value in attrs if name.startswith("on")]
        if tag == "img":
            self.images.append(dict(attrs).get("src"))
        self._in = tag if tag in ("script", "style") else None

    def handle_data(self, data):
        if self._in == "script":
            self.scripts.append(data)
        elif self._in == "style":
            self.styles.append(data)

    def handle_endtag(self, tag):
        self._in = None


def nbconvert_html(notebook: Path) -> str:
    from nbconvert import HTMLExporter

    return HTMLExporter().from_filename(str(notebook))[0]


@pytest.mark.slow
def test_executed_notebooks_carry_no_live_html_from_the_corpus(evil_report):
    converted = nbconvert_html(evil_report / "notebooks" / "01_corpus.ipynb")
    assert "Outlet &lt;script&gt;window.__pwned" in converted  # the corpus text is there, as text
    page = LiveElements()
    page.feed(converted)
    assert [s for s in page.scripts if "alert(1)" in s or "__pwned" in s] == []
    assert page.handlers == [] and "x" not in page.images
    assert [s for s in page.styles if "example.com" in s] == []


@pytest.mark.slow
@pytest.mark.browser
def test_executed_notebook_page_runs_nothing_in_a_browser(evil_report, browser, tmp_path):
    page_path = tmp_path / "01_corpus.html"
    page_path.write_text(nbconvert_html(evil_report / "notebooks" / "01_corpus.ipynb"), encoding="utf-8")
    page = browser.new_page()
    dialogs, requests = [], []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.on("request", lambda r: requests.append(r.url))
    page.goto(page_path.resolve().as_uri(), wait_until="load")
    pwned = page.evaluate("window.__pwned === 1")
    page.close()
    assert dialogs == [] and pwned is False
    assert [u for u in requests if "example.com" in u or u.endswith("/x")] == []


@pytest.mark.slow
@pytest.mark.browser
def test_corpus_text_is_escaped(evil_report, browser):
    html_text = (evil_report / "report.html").read_text(encoding="utf-8")
    assert "<script>window.__pwned" not in html_text and "<img src=x" not in html_text
    assert "&lt;script&gt;window.__pwned" in html_text  # shown as text in the removed-paragraphs table
    rendered = render(browser, evil_report / "report.html")
    assert rendered["pwned"] is False and rendered["errors"] == []


@pytest.mark.slow
def test_run_manifest_records_inputs_models_seeds_and_times(seeds_report):
    manifest = json.loads((seeds_report / "run.json").read_text())
    assert manifest["version"] and manifest["dependencies"]["pandas"]
    assert manifest["corpus"]["files_sha256"]["manifest.csv"]
    models = manifest["embedding_models"]
    assert (
        models["all-MiniLM-L6-v2"]["sha256"]
        == "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
    )
    for nb in manifest["notebooks"]:
        assert nb["ended"] >= nb["started"] and "corpus_path" in nb["parameters"]


@pytest.mark.slow
def test_rerun_reproduces_figure_data_byte_for_byte(seeds_report, report_env):
    result = run_cli("report", "--check", seeds_report, env=report_env)  # warm cache now: cold and warm agree
    assert result.returncode == 0, result.stdout + result.stderr[-2000:]
    assert "reproduced exactly" in result.stdout


@pytest.mark.slow
def test_committed_sample_matches_a_fresh_run(seeds_report):
    committed = REPO / "figures"
    assert (committed / "report.html").exists() and (committed / "run.json").exists()
    assert compare_figure_data(committed, seeds_report) == []


def test_compare_figure_data_reports_differences(tmp_path):
    a, b = tmp_path / "a" / "01_x", tmp_path / "b" / "01_x"
    a.mkdir(parents=True)
    b.mkdir(parents=True)
    (a / "f.csv").write_text("n\n1\n")
    (b / "f.csv").write_text("n\n2\n")
    (a / "gone.json").write_text("{}")
    (b / "new.json").write_text("{}")
    assert compare_figure_data(a.parent, b.parent) == [
        "missing in rerun: 01_x/gone.json",
        "new in rerun: 01_x/new.json",
        "differs: 01_x/f.csv",
    ]
