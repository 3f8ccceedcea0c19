"""The term explorer: its data equal the contrast tables and in_context, the sample is capped and seeded,
the page stays small, and in a browser a searched or clicked term lists its sentences, highlighted."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from analysis import terms
from analysis.report import save_term_explorer
from analysis.report._explorer import EXPLORER_FILE
from analysis.report._html import build_report_html

CONTEXT = ["term", "outlet", "article_id", "paragraph_id", "sentence_id", "start", "end", "match", "text"]
TINY = [
    {
        "article_id": "a1",
        "outlet": "A",
        "title": "Truce news",
        "text": "Ceasefire talks stalled. The ceasefire held.\n\nTalks resumed today.",
    },
    ("b1", "B", "Ceasefire collapsed overnight."),
    ("c1", "C", "Talks continued. Talks ended."),
]


def contrasts(corpus, unit="paragraphs"):
    """One-vs-rest and pairwise log-odds contrasts, as notebook 03 computes them."""
    counts = terms.count_terms(corpus.units(unit), by="outlet", ngram_range=(1, 2))
    sites = terms.outlet_sites(corpus.articles)
    scores = terms.contrast(counts, sites=sites)
    pairs = terms.contrast(counts, comparison="pairwise", sites=sites)
    return scores, pairs


@pytest.fixture
def tiny(make_corpus):
    return make_corpus(*TINY)


@pytest.fixture(scope="module")
def seeds_explorer(seeds_corpus):
    scores, pairs = contrasts(seeds_corpus)
    return terms.term_explorer_data(seeds_corpus, scores, pair_scores=pairs, top_k=300, max_sentences=20)


def test_counts_and_scores_are_the_contrast_tables_rows(tiny):
    scores, pairs = contrasts(tiny)
    explorer = terms.term_explorer_data(tiny, scores, pair_scores=pairs, top_k=50)
    both = pd.concat([scores, pairs]).set_index(["outlet", "other", "term"])
    shown = explorer.terms.set_index(["outlet", "other", "term"])
    pd.testing.assert_frame_equal(shown, both.loc[shown.index, shown.columns])
    assert shown.loc[("A", "rest", "ceasefire"), ["n", "n_other"]].tolist() == [2, 1]
    assert shown.loc[("A", "C", "talks"), ["n", "n_other"]].tolist() == [2, 2]
    assert shown.loc[("B", "C", "ceasefire"), ["n", "n_other"]].tolist() == [1, 0]
    # one-vs-rest for each outlet, then each unordered pair once, first outlet first
    assert explorer.comparisons[["outlet", "other"]].values.tolist() == [
        ["A", "rest"],
        ["B", "rest"],
        ["C", "rest"],
        ["A", "B"],
        ["A", "C"],
        ["B", "C"],
    ]
    assert (explorer.comparisons["n_shown"] == explorer.comparisons["n_terms"]).all()  # top_k covers all


def test_uses_are_found_as_in_context_finds_them_with_offsets(tiny):
    scores, pairs = contrasts(tiny)
    explorer = terms.term_explorer_data(tiny, scores, pair_scores=pairs, top_k=50)
    ceasefire = explorer.uses.loc[(explorer.uses["term"] == "ceasefire") & (explorer.uses["outlet"] == "A")]
    assert sorted(
        zip(ceasefire["start"], ceasefire["end"], ceasefire["match"], ceasefire["text"], strict=True)
    ) == [
        (0, 9, "Ceasefire", "Ceasefire talks stalled."),
        (29, 38, "ceasefire", "The ceasefire held."),
    ]
    assert sorted(ceasefire["text_start"]) == [0, 25] and set(ceasefire["headline"]) == {"Truce news"}
    assert sorted(ceasefire["sample_rank"]) == [1, 2]
    expected = terms.in_context(tiny, sorted(explorer.terms["term"].unique()))
    order = ["term", "article_id", "start"]
    pd.testing.assert_frame_equal(
        explorer.uses[CONTEXT].sort_values(order).reset_index(drop=True),
        expected[CONTEXT].sort_values(order).reset_index(drop=True),
    )


def test_every_use_of_the_seeds_explorer_terms_is_an_in_context_row(seeds_corpus):
    scores, pairs = contrasts(seeds_corpus)
    explorer = terms.term_explorer_data(
        seeds_corpus, scores, pair_scores=pairs, top_k=40, max_sentences=10**6
    )
    expected = terms.in_context(seeds_corpus, sorted(explorer.terms["term"].unique()))
    order = ["term", "article_id", "start"]
    assert len(expected) > 1000
    pd.testing.assert_frame_equal(
        explorer.uses[CONTEXT].sort_values(order).reset_index(drop=True),
        expected[CONTEXT].sort_values(order).reset_index(drop=True),
    )


def test_sample_is_capped_per_term_and_outlet_and_seeded(seeds_corpus, seeds_explorer):
    scores, pairs = contrasts(seeds_corpus)
    uses = seeds_explorer.uses
    kept = uses.groupby(["term", "outlet"]).size()
    shown = scores.loc[scores["term"].isin(uses["term"]) & (scores["n"] > 0)]
    expected = shown.set_index(["term", "outlet"])["n"].clip(upper=20).sort_index()  # every outlet's uses
    pd.testing.assert_series_equal(kept.sort_index(), expected, check_names=False)
    assert (uses.groupby(["term", "outlet"])["sample_rank"].max() == kept).all()
    again = terms.term_explorer_data(seeds_corpus, scores, pair_scores=pairs, top_k=300, max_sentences=20)
    pd.testing.assert_frame_equal(again.uses, uses)
    other_seed = terms.term_explorer_data(
        seeds_corpus, scores, pair_scores=pairs, top_k=300, max_sentences=20, random_state=1
    )
    assert not other_seed.uses["start"].equals(uses["start"])
    # coordinated: the sample shares sentences, far fewer than one per use
    assert uses["sentence_id"].nunique() < len(uses) / 5


def test_top_k_keeps_each_end_and_the_most_used_terms(tiny):
    scores, pairs = contrasts(tiny)
    explorer = terms.term_explorer_data(tiny, scores, pair_scores=pairs, top_k=1)
    for (outlet, other), shown in explorer.terms.groupby(["outlet", "other"]):
        table = pd.concat([scores, pairs])
        table = table.loc[(table["outlet"] == outlet) & (table["other"] == other)]
        table = table.loc[(table["n"] + table["n_other"] > 0) & (table["set_aside"] == "")]
        top = table.loc[table["n"] > 0].sort_values(["z", "term"], ascending=[False, True])["term"].iloc[0]
        low = table.loc[table["n_other"] > 0].sort_values(["z", "term"])["term"].iloc[0]
        freq = table.assign(f=table["n"] + table["n_other"]).sort_values(
            ["f", "term"], ascending=[False, True]
        )
        assert set(shown["term"]) == {top, low, freq["term"].iloc[0]}, (outlet, other)


def test_an_explorer_of_some_outlets_keeps_only_their_uses(tiny, tmp_path):
    # notebook 03 passes the comparisons of at most max_panels outlets: the other outlets' uses stay out
    scores, pairs = contrasts(tiny)
    shown = scores[scores["outlet"].isin(["A", "B"])]
    explorer = terms.term_explorer_data(
        tiny,
        shown,
        pair_scores=pairs[pairs["outlet"].isin(["A", "B"]) & pairs["other"].isin(["A", "B"])],
        top_k=5,
        max_sentences=3,
    )
    assert set(explorer.uses["outlet"]) == {"A", "B"}
    assert set(explorer.comparisons["outlet"]) == {"A", "B"}
    data = json.loads(save_term_explorer(explorer, tmp_path)["json"].read_text(encoding="utf-8"))
    assert data["groups"] == ["A", "B"]


def test_counts_from_other_units_are_refused(tiny):
    scores, pairs = contrasts(tiny, unit="paragraphs")  # "continued talks" crosses a sentence end
    with pytest.raises(ValueError, match="do not add up to the counts"):
        terms.term_explorer_data(tiny, scores, pair_scores=pairs, unit="sentences", top_k=50)
    with pytest.raises(ValueError, match="paragraphs' or 'sentences'"):
        terms.term_explorer_data(tiny, scores, unit="articles")


def decode(data: dict) -> pd.DataFrame:
    """The uses of the compact form, back as a tidy table (the page's reading of it)."""
    rows = []
    flat = data["uses"]
    for i in range(0, len(flat), 4):
        term, sentence, start, length = flat[i : i + 4]
        article, offset, text = data["sentences"][sentence]
        group, article_id, headline = data["articles"][article]
        rows.append(
            {
                "term": data["terms"][term],
                "outlet": data["groups"][group],
                "article_id": article_id,
                "start": offset + start,
                "end": offset + start + length,
                "match": text[start : start + length],
                "text": text,
                "headline": headline,
            }
        )
    return pd.DataFrame(rows)


def test_compact_form_decodes_to_the_tables(seeds_explorer, tmp_path):
    paths = save_term_explorer(seeds_explorer, tmp_path)
    data = json.loads(paths["json"].read_text(encoding="utf-8"))
    columns = ["term", "outlet", "article_id", "start", "end", "match", "text", "headline"]
    pd.testing.assert_frame_equal(decode(data), seeds_explorer.uses[columns].reset_index(drop=True))
    rows = [
        (data["groups"][c["outlet"]], "rest" if c["other"] < 0 else data["groups"][c["other"]], *row)
        for c in data["comparisons"]
        for row in c["rows"]
    ]
    table = seeds_explorer.terms
    assert [(o, t, data["terms"][k], n, m) for o, t, k, n, m, _, _ in rows] == list(
        zip(table["outlet"], table["other"], table["term"], table["n"], table["n_other"], strict=True)
    )
    assert [z for *_, z, _ in rows] == [round(z, 4) for z in table["z"]]
    assert [c["n_terms"] for c in data["comparisons"]] == seeds_explorer.comparisons["n_terms"].tolist()
    assert pd.read_csv(paths["csv"])["term"].tolist() == table["term"].tolist()
    save_term_explorer(seeds_explorer, tmp_path / "again")
    assert (tmp_path / "again" / EXPLORER_FILE).read_bytes() == paths["json"].read_bytes()


def report_folder(tmp_path: Path, explorer) -> Path:
    """A report folder whose section 03 holds only the term explorer."""
    section = tmp_path / "03_term_contrasts"
    section.mkdir(parents=True)
    if explorer is not None:
        save_term_explorer(explorer, section)
    return tmp_path


def test_seeds_explorer_adds_at_most_3_mb_to_report_html(seeds_explorer, tmp_path):
    without = build_report_html(report_folder(tmp_path / "without", None)).stat().st_size
    page = build_report_html(report_folder(tmp_path / "with", seeds_explorer))
    added = page.stat().st_size - without
    print(f"term explorer of the seeds: {added:,} bytes added to report.html")
    assert 50_000 < added <= 3_000_000
    text = page.read_text(encoding="utf-8")
    assert text.count('class="figure explorer"') == 1 and "<mark" not in text  # uses are drawn by the script


@pytest.mark.slow
def test_ten_thousand_articles_add_at_most_7_mb(tmp_path):
    from analysis.corpus import load_corpus
    from analysis.scale import write_corpus

    path = tmp_path / "synthetic.jsonl"
    write_corpus(path, 10_000, 4, random_state=0)
    corpus = load_corpus(path)
    scores, pairs = contrasts(corpus)
    explorer = terms.term_explorer_data(corpus, scores, pair_scores=pairs)  # the notebook's defaults
    assert (explorer.comparisons["n_shown"] < explorer.comparisons["n_terms"]).all()
    assert explorer.uses.groupby(["term", "outlet"]).size().max() == 10
    without = build_report_html(report_folder(tmp_path / "without", None)).stat().st_size
    added = build_report_html(report_folder(tmp_path / "with", explorer)).stat().st_size - without
    print(f"term explorer of 10,000 synthetic articles: {added:,} bytes added to report.html")
    assert added <= 7_000_000  # measured 6.35 MB; the whole report.html of 10,000 articles stays within 15 MB


# --- in the browser ---------------------------------------------------------------------------------

CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)


@pytest.fixture(scope="module")
def page(seeds_explorer, tmp_path_factory):
    """The explorer of the seeds in report.html, open in headless Chromium; console errors and warnings."""
    if CHROMIUM is None:
        pytest.skip("no system Chromium installed (Debian packages chromium and chromium-driver)")
    from playwright.sync_api import sync_playwright
    from test_report_html import CHROMIUM_ARGS

    html_path = build_report_html(report_folder(tmp_path_factory.mktemp("explorer"), seeds_explorer))
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        tab = browser.new_page()
        messages, requests = [], []
        tab.on(
            "console",
            lambda m: (
                messages.append(f"{m.type}: {m.text}")
                if m.type in ("error", "warning") or "WARN" in m.text
                else None
            ),
        )
        tab.on("pageerror", lambda e: messages.append(f"pageerror: {e}"))
        tab.on("request", lambda r: requests.append(r.url))
        tab.goto(html_path.resolve().as_uri())
        tab.wait_for_selector("div.explorer-plot svg g.mark-symbol path", timeout=60_000)
        yield tab, messages, requests
        browser.close()


def listed(tab) -> dict:
    """What the page lists for the picked term: per side, its heading, the uses' texts and highlights."""
    return tab.evaluate(
        """() => Array.from(document.querySelectorAll('div.explorer-side')).map(s => ({
            side: s.dataset.side,
            heading: s.querySelector('h4').textContent,
            items: Array.from(s.querySelectorAll('li')).map(li => ({
                meta: li.querySelector('.meta').textContent,
                text: li.textContent.slice(li.querySelector('.meta').textContent.length),
                mark: li.querySelector('mark').textContent}))}))"""
    )


def expected_sides(explorer, outlet: str, other: str, term: str) -> list[dict]:
    """The headings and uses the page must list, from the Python tables."""
    row = explorer.terms.set_index(["outlet", "other", "term"]).loc[(outlet, other, term)]
    groups = list(dict.fromkeys(explorer.comparisons["outlet"]))
    sides = []
    for name, members, total in (
        (outlet, [outlet], row["n"]),
        (
            "the rest" if other == "rest" else other,
            [g for g in groups if g != outlet] if other == "rest" else [other],
            row["n_other"],
        ),
    ):
        uses = explorer.uses.loc[(explorer.uses["term"] == term) & explorer.uses["outlet"].isin(members)]
        uses = uses.assign(_g=uses["outlet"].map(groups.index)).sort_values(["_g", "sample_rank"])
        sides.append(
            {
                "heading": f"{name}: showing {len(uses):,} of {total:,} uses",
                "texts": uses["text"].tolist(),
                "marks": uses["match"].tolist(),
                "offsets": [
                    f"characters {s}\u2013{e}" for s, e in zip(uses["start"], uses["end"], strict=True)
                ],
            }
        )
    return sides


def check_listing(tab, explorer, outlet, other, term):
    seen = listed(tab)
    for side, want in zip(seen, expected_sides(explorer, outlet, other, term), strict=True):
        assert side["heading"] == want["heading"]
        assert [i["text"] for i in side["items"]] == want["texts"]
        assert [i["mark"] for i in side["items"]] == want["marks"]
        assert [i["meta"].rsplit(" \u00b7 ", 1)[1] for i in side["items"]] == want["offsets"]


@pytest.mark.browser
@pytest.mark.parametrize(
    ("comparison", "outlet", "other", "term"),
    [
        ("Kyiv Independent vs the rest", "Kyiv Independent", "rest", "russia"),
        ("NHK World vs the rest", "NHK World", "rest", "azerbaijan"),
        ("aggregator vs Kyiv Independent", "aggregator", "Kyiv Independent", "peacekeepers"),
    ],
)
def test_searching_a_term_lists_its_sentences_as_the_tables_say(
    page, seeds_explorer, comparison, outlet, other, term
):
    tab, messages, requests = page
    tab.select_option("div.explorer select.explorer-comparison", label=comparison)
    tab.wait_for_selector("div.explorer-plot svg g.mark-symbol path")
    box = tab.locator("div.explorer input.explorer-search")
    box.fill("")
    box.fill(term)  # an exact term is picked as it is typed
    tab.wait_for_function(
        f"document.querySelector('h4.explorer-term') && document.querySelector('h4.explorer-term').textContent.includes({json.dumps(term)})"
    )
    check_listing(tab, seeds_explorer, outlet, other, term)
    z = seeds_explorer.terms.set_index(["outlet", "other", "term"]).loc[(outlet, other, term), "z"]
    assert tab.locator("h4.explorer-term").text_content() == f"\u201c{term}\u201d: z = {z:.2f}"
    assert messages == [] and [u for u in requests if not u.startswith("file://")] == []


@pytest.mark.browser
def test_clicking_a_dot_lists_that_terms_sentences(page, seeds_explorer):
    tab, messages, _ = page
    tab.select_option("div.explorer select.explorer-comparison", label="wire-style vs the rest")
    tab.wait_for_selector("div.explorer-plot svg g.mark-symbol path")
    tab.locator("div.explorer input.explorer-search").fill("")
    dot = tab.locator("div.explorer-plot svg g.mark-symbol path").first
    term = dot.evaluate("path => path.__data__.datum.term")  # the scene-graph item Vega attached
    dot.dispatch_event("click")
    tab.wait_for_function(
        f"document.querySelector('h4.explorer-term') && document.querySelector('h4.explorer-term').textContent.includes({json.dumps(term)})"
    )
    check_listing(tab, seeds_explorer, "wire-style", "rest", term)
    assert messages == []


def test_corpus_markup_reaches_the_page_only_escaped(make_corpus, tmp_path):
    evil = '<script>window.__pwned = 1</script><img src=x onerror="alert(1)">'
    corpus = make_corpus(
        {"article_id": "a1", "outlet": "A", "title": evil, "text": f"Talks {evil} stalled."},
        ("b1", "B", "Talks ended."),
    )
    scores, pairs = contrasts(corpus)
    explorer = terms.term_explorer_data(corpus, scores, pair_scores=pairs)
    assert evil in set(explorer.uses["headline"])  # the data keep the text as written
    page = build_report_html(report_folder(tmp_path, explorer)).read_text(encoding="utf-8")
    assert "<script>window.__pwned" not in page and "<img src=x" not in page
    assert "\\u003cscript\\u003ewindow.__pwned" in page
