"""Assemble ``report.html``: one self-contained page from a report output folder.

Vega, Vega-Lite and vega-embed are inlined (the bundle that ships inside
vl-convert-python), every figure is embedded as its Vega-Lite spec with its
data, so the page opens offline in any browser and requests nothing from any
host. Text from the corpus reaches the page only HTML-escaped (tables,
summaries) or inside JSON with every ``<`` escaped (specs), so a corpus
containing ``<script>`` executes nothing. Tables can be filtered (a search box) and sorted (a click
on a column header) by the page's one inline loader script.
"""

from __future__ import annotations

import html
import json
from pathlib import Path

import pandas as pd

from analysis.charts import INDEX_FILE
from analysis.infra.atomic import write_bytes_atomic
from analysis.infra.cache import cached_bytes
from analysis.report._explorer import EXPLORER_CSS, EXPLORER_FILE, EXPLORER_SCRIPT, explorer_html

__all__ = ["build_report_html"]

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;margin:0;color:#222;background:#fafafa}
header{background:#1f3b57;color:#fff;padding:1.2rem 2rem}header h1{margin:0 0 .3rem 0;font-size:1.6rem}
header p{margin:.2rem 0;opacity:.9}nav{padding:.6rem 2rem;background:#e8eef3;font-size:.95rem}
nav a{margin-right:1rem;color:#1f3b57}main{padding:0 2rem 3rem 2rem;max-width:1400px}
section{background:#fff;margin:1.5rem 0;padding:1rem 1.5rem;border-radius:6px;box-shadow:0 1px 3px rgba(0,0,0,.08)}
section h2{margin-top:.3rem}.intro{color:#444;max-width:70rem}.intro code{font-size:.9em}.summary{background:#f3f7ee;border-left:4px solid #5a8f29;padding:.5rem 1rem}
.summary li{margin:.25rem 0}.figure{margin:1.2rem 0;overflow-x:auto}.figure h3{font-size:1.05rem;margin:.2rem 0}
.links{font-size:.85rem;color:#666}.links a{margin-right:.6rem}table{border-collapse:collapse;font-size:.85rem;margin:.5rem 0}
th,td{border:1px solid #ddd;padding:.25rem .5rem;text-align:left;vertical-align:top;max-width:40rem}
th{background:#f0f0f0;position:sticky;top:0}.tablewrap{max-height:28rem;overflow:auto}
input.filter{margin:.3rem 0;padding:.3rem .5rem;width:20rem}.tablewrap th{cursor:pointer;user-select:none}
.tablewrap th[aria-sort=ascending]::after{content:" \\25B2"}.tablewrap th[aria-sort=descending]::after{content:" \\25BC"}
footer{padding:1rem 2rem;color:#666;font-size:.85rem}
.note{color:#8a5300}
"""

_LOADER = """
(function(){
  var opts={actions:false,renderer:"svg"};
  document.querySelectorAll("div.vis").forEach(function(el){
    var spec=JSON.parse(document.getElementById(el.dataset.spec).textContent);
    window.vegaEmbed(el,spec,opts).catch(function(err){el.textContent="Figure failed to render: "+err;});
  });
  document.querySelectorAll("input.filter").forEach(function(box){
    box.addEventListener("input",function(){
      var needle=box.value.toLowerCase();
      document.querySelectorAll("#"+box.dataset.table+" tbody tr").forEach(function(tr){
        tr.style.display=tr.textContent.toLowerCase().indexOf(needle)>=0?"":"none";
      });
    });
  });
  var collator=new Intl.Collator(undefined,{numeric:true});
  function sortBy(table,heads,th,col){
    var body=table.tBodies[0],rows=Array.from(body.rows);
    var dir=th.getAttribute("aria-sort")==="ascending"?-1:1;
    var cells=rows.map(function(tr){return tr.cells[col].textContent.trim();});
    var numeric=cells.some(function(v){return v!=="";})&&cells.every(function(v){return v===""||isFinite(Number(v));});
    var order=rows.map(function(tr,i){return i;});
    order.sort(function(a,b){
      var x=cells[a],y=cells[b];
      if(x===""||y===""){return (x==="")-(y==="")||a-b;}
      return dir*(numeric?Number(x)-Number(y):collator.compare(x,y))||a-b;
    });
    heads.forEach(function(h){h.removeAttribute("aria-sort");});
    th.setAttribute("aria-sort",dir>0?"ascending":"descending");
    order.forEach(function(i){body.appendChild(rows[i]);});
  }
  document.querySelectorAll(".tablewrap table").forEach(function(table){
    var heads=Array.from(table.tHead.rows[0].cells);
    heads.forEach(function(th,col){
      th.tabIndex=0;
      th.title="Sort by this column (again to reverse)";
      th.addEventListener("click",function(){sortBy(table,heads,th,col);});
      th.addEventListener("keydown",function(e){
        if(e.key==="Enter"||e.key===" "){e.preventDefault();sortBy(table,heads,th,col);}
      });
    });
  });
})();
"""


def _vega_bundle() -> str:
    """Vega, Vega-Lite and vega-embed as one script, from vl-convert (cached: ~1 s to build)."""
    import vl_convert as vlc

    data = cached_bytes(
        "render",
        ["vl-convert", vlc.__version__, "javascript_bundle"],
        lambda: vlc.javascript_bundle().encode("utf-8"),
    )
    return data.decode("utf-8")


def _json_for_script(obj) -> str:
    text = json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _section_heading(notebook: Path) -> tuple[str, str]:
    """Title and the rest of a notebook's first markdown cell (Markdown source)."""
    import nbformat

    if not notebook.exists():
        return notebook.stem, ""
    for cell in nbformat.read(notebook, as_version=4).cells:
        if cell.cell_type == "markdown":
            lines = cell.source.strip().splitlines()
            title = lines[0].lstrip("# ").strip() if lines else notebook.stem
            return title, "\n".join(lines[1:]).strip()
    return notebook.stem, ""


def markdown_html(text: str) -> str:
    """CommonMark ``text`` as HTML, raw HTML in it escaped (shown as text, never run)."""
    from markdown_it import MarkdownIt  # a dependency of jupytext

    return MarkdownIt("commonmark", {"html": False}).render(text)


def _table_html(csv_path: Path, csv_href: str, table_id: str, max_rows: int) -> str:
    """A filterable, sortable table of the first ``max_rows`` rows, saying how many more the CSV has."""
    df = pd.read_csv(csv_path, dtype=str, keep_default_na=False)
    shown = df.head(max_rows)
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in shown.columns)
    rows = "".join(
        "<tr>" + "".join(f"<td>{html.escape(v)}</td>" for v in row) + "</tr>"
        for row in shown.itertuples(index=False)
    )
    more = (
        f'<p class="note">Showing {len(shown):,} of {len(df):,} rows; full table in '
        f'<a href="{html.escape(csv_href)}">{html.escape(csv_path.name)}</a>.</p>'
        if len(df) > len(shown)
        else ""
    )
    return (
        f'<input class="filter" type="search" placeholder="Filter rows…" data-table="{table_id}">'
        f'<div class="tablewrap"><table id="{table_id}"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table></div>{more}'
    )


def _section_html(section: Path, out: Path, specs: list[tuple[str, dict]]) -> tuple[str, str]:
    slug = section.name
    title, intro = _section_heading(out / "notebooks" / f"{slug}.ipynb")
    parts = [f'<section id="{html.escape(slug)}"><h2>{html.escape(title)}</h2>']
    if intro:
        parts.append(f'<div class="intro">{markdown_html(intro)}</div>')
    summary_path = section / "summary.json"
    if summary_path.exists():
        items = "".join(
            f"<li>{html.escape(s)}</li>" for s in json.loads(summary_path.read_text(encoding="utf-8"))
        )
        parts.append(f'<div class="summary"><strong>In short</strong><ul>{items}</ul></div>')
    index_path = section / INDEX_FILE
    entries = json.loads(index_path.read_text(encoding="utf-8")) if index_path.exists() else []
    for entry in entries:
        name = entry["name"]
        rel = f"{slug}/{name}"
        anchor = html.escape(f"{slug}-{name}")
        heading = f"<h3>{html.escape(entry.get('title') or name)}</h3>"
        if entry["kind"] == "figure":
            spec_id = f"spec-{anchor}"
            specs.append((spec_id, json.loads((section / f"{name}.json").read_text(encoding="utf-8"))))
            formats = entry.get("formats", ("svg", "png", "json", "csv"))  # no PNG for an oversized figure
            links = " ".join(f'<a href="{html.escape(rel)}.{ext}">.{ext}</a>' for ext in formats)
            note = f'<p class="note">{html.escape(entry["note"])}</p>' if entry.get("note") else ""
            parts.append(
                f'<div class="figure" id="{anchor}"><div class="vis" data-spec="{spec_id}"></div>'
                f'<p class="links">Files: {links}</p>{note}</div>'
            )
        elif entry["kind"] == "table":
            table = _table_html(
                section / f"{name}.csv", f"{rel}.csv", f"table-{anchor}", int(entry.get("max_rows", 200))
            )
            parts.append(
                f'<div class="figure" id="{anchor}">{heading}{table}'
                f'<p class="links">Files: <a href="{html.escape(rel)}.csv">.csv</a></p></div>'
            )
    if (section / EXPLORER_FILE).exists():  # written by notebook 03 (analysis.report.save_term_explorer)
        data_id = f"data-{slug}-term_explorer"
        specs.append((data_id, json.loads((section / EXPLORER_FILE).read_text(encoding="utf-8"))))
        parts.append(explorer_html(slug, data_id))
    parts.append("</section>")
    return "".join(parts), f'<a href="#{html.escape(slug)}">{html.escape(title)}</a>'


def build_report_html(out: str | Path, *, title: str = "Coverage comparison") -> Path:
    """Write ``<out>/report.html`` from the figures, tables and summaries in ``out``.

    Parameters
    ----------
    out : path
        A report folder: ``NN_slug/`` sub-folders with ``index.json``, ``notebooks/`` and ``run.json``.
    title : str
        Page title.

    Returns
    -------
    Path
        The page written.
    """
    out = Path(out)
    run = json.loads((out / "run.json").read_text(encoding="utf-8")) if (out / "run.json").exists() else {}
    corpus = run.get("corpus", {})
    specs: list[tuple[str, dict]] = []
    sections, nav = [], []
    for section in sorted(p for p in out.glob("[0-9][0-9]_*") if p.is_dir()):
        body, link = _section_html(section, out, specs)
        sections.append(body)
        nav.append(link)
    outlets = ", ".join(html.escape(o) for o in corpus.get("outlets", []))
    corpus_name = html.escape(Path(corpus.get("path", "corpus")).name)
    explorer = any(sid.startswith("data-") for sid, _ in specs)  # its style and script only when drawn
    explorer_css, explorer_script = (
        (EXPLORER_CSS, f"<script>{EXPLORER_SCRIPT}</script>") if explorer else ("", "")
    )
    spec_tags = "".join(
        f'<script type="application/json" id="{sid}">{_json_for_script(spec)}</script>' for sid, spec in specs
    )
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval'; style-src 'unsafe-inline'; img-src data: blob:; font-src data:">
<title>{html.escape(title)}</title><style>{_CSS}{explorer_css}</style></head><body>
<header><h1>{html.escape(title)}</h1><p>Corpus <strong>{corpus_name}</strong>: {corpus.get("n_articles", "?")} articles from {outlets}.</p>
<p>coverage-compare {html.escape(str(run.get("version", "")))} · every figure links to its .svg, .png, Vega-Lite .json and the .csv of its data · run details in <a style="color:#fff" href="run.json">run.json</a></p></header>
<nav>{"".join(nav)}</nav><main>{"".join(sections)}</main>
<footer>Click a mark or a legend entry to highlight an outlet (shift-click for several, double-click to reset). Hover for details.</footer>
<script>{_vega_bundle()}</script>{spec_tags}<script>{_LOADER}</script>{explorer_script}
</body></html>
"""
    path = out / "report.html"
    write_bytes_atomic(path, page.encode("utf-8"))
    return path
