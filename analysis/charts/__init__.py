"""Altair figures: one theme, builders per capability, and :func:`save_chart`.

Builders (in the submodules ``charts.corpus``, ``charts.terms``, ...) take
validated tidy tables, never models, and return Altair charts whose data is the
aggregated table behind the figure. :func:`save_chart` writes each figure as
``.svg``, ``.png`` and Vega-Lite ``.json`` (rendered with vl-convert: no
browser, no network) plus a ``.csv`` of its data, atomically and with stable
bytes so that reruns can be compared; no PNG is over :data:`MAX_PNG_SIDE` pixels on a side.

Figures are bounded whatever the corpus: builders draw at most :data:`MAX_ROWS` rows (articles,
stories, actors) or :data:`MAX_PANELS` small multiples, chosen by :func:`cap_rows`, say on the
chart what they left out (:func:`with_note`) and label articles by outlet, headline and date
(:func:`article_label`), never by a cut id. The ``.csv`` always holds every row. The theme is registered and enabled by
:func:`enable_theme`, which :func:`analysis.setup` calls: importing this module changes nothing.
"""

from __future__ import annotations

import json
import math
import re
import struct
from pathlib import Path
from typing import Literal

import altair as alt
import pandas as pd

from analysis.infra.atomic import write_bytes_atomic
from analysis.infra.cache import cached_bytes
from analysis.schemas.corpus import compared_noun

__all__ = [
    "THEME",
    "OUTLET_PALETTE",
    "enable_theme",
    "save_chart",
    "save_table",
    "save_summary",
    "chart_data",
    "cap_rows",
    "with_note",
    "article_label",
    "MAX_ROWS",
    "MAX_PANELS",
    "MAX_PNG_SIDE",
    "outlet_color",
    "note_chart",
    "add_outlet_selection",
    "render",
    "write_bytes_atomic",
]

#: Per-folder list of what a notebook exported, in order; read by the HTML report.
INDEX_FILE = "index.json"

#: Most rows (articles, stories, actors, topics) a figure draws; the rest are summed up in a note.
MAX_ROWS = 60
#: Most small multiples (panels) a figure draws.
MAX_PANELS = 12
#: Longest side of an exported PNG, in pixels.
MAX_PNG_SIDE = 5000
#: PNG pixels per chart pixel (sharp on high-density screens), lowered to keep within MAX_PNG_SIDE.
PNG_SCALE = 2.0
#: Below this many PNG pixels per chart pixel text is no longer legible: the PNG is not written.
MIN_PNG_SCALE = 1.0

THEME = "coverage_compare"
#: Colour-blind safe categorical palette (Okabe-Ito, then Tableau 10 extras).
OUTLET_PALETTE = [
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#D55E00",
    "#CC79A7",
    "#56B4E9",
    "#F0E442",
    "#000000",
    "#8c564b",
    "#7f7f7f",
    "#bcbd22",
    "#17becf",
]


def _theme() -> alt.theme.ThemeConfig:
    return {
        "config": {
            "font": "DejaVu Sans, Helvetica, Arial, sans-serif",
            "view": {"continuousWidth": 420, "continuousHeight": 280, "stroke": None},
            "axis": {"labelFontSize": 11, "titleFontSize": 12, "grid": True, "gridOpacity": 0.4},
            "legend": {"labelFontSize": 11, "titleFontSize": 12, "labelLimit": 260},
            "title": {"fontSize": 14, "anchor": "start", "subtitleFontSize": 11, "subtitleColor": "#555"},
            "range": {"category": OUTLET_PALETTE},
            "background": "white",
        }
    }


def enable_theme() -> None:
    """Register and enable the :data:`THEME`, and let charts embed tables of any length.

    Changes Altair's global state, so it is called by :func:`analysis.setup`, never on import. Charts
    embed their (already aggregated) data; the default 5,000-row guard would otherwise refuse large
    evidence tables. Calling it again changes nothing.
    """
    alt.theme.register(THEME, enable=True)(_theme)
    alt.data_transformers.disable_max_rows()


def outlet_color(outlets: list[str], *, title: str = "Outlet", legend: bool = True) -> alt.Color:
    """A nominal colour encoding that gives each outlet the same colour in every figure."""
    palette = [OUTLET_PALETTE[i % len(OUTLET_PALETTE)] for i in range(len(outlets))]
    scale = alt.Scale(domain=list(outlets), range=palette)
    return alt.Color("outlet:N", title=title, scale=scale, legend=alt.Legend() if legend else None)


def note_chart(notes: str | list[str], title: str | dict | None = None) -> alt.Chart:
    """A figure that says in words why there is nothing to draw (nothing found, too little text)."""
    notes = [notes] if isinstance(notes, str) else list(notes)
    chart = (
        alt.Chart(pd.DataFrame({"note": notes, "row": range(len(notes))}))
        .mark_text(align="left", baseline="middle", fontSize=12, color="#8a3b00", x=5)
        .encode(y=alt.Y("row:O", axis=None), text="note:N")
        .properties(width=560, height=alt.Step(22))
    )
    return chart.properties(title=title) if title else chart


def _interval_tooltip(*fields: str | alt.Tooltip, estimate: str = "estimate", fmt: str = ".2f") -> list:
    """Tooltip entries: ``fields`` as given, then the ``estimate`` column, ``ci_low`` and ``ci_high`` in ``fmt``."""
    return [*fields, *(alt.Tooltip(f"{column}:Q", format=fmt) for column in (estimate, "ci_low", "ci_high"))]


def _interval_marks(
    base: alt.Chart, x: alt.X, tooltip: list, shape: str | None = None
) -> tuple[alt.Chart, alt.Chart]:
    """Layers drawing each row of ``base`` as a bar from ``ci_low`` (encoded by ``x``, which names the axis)
    to ``ci_high`` and a point at ``estimate`` (of ``shape``; None: Vega-Lite's default circle)."""
    point = {} if shape is None else {"shape": shape}
    return (
        base.mark_rule(strokeWidth=2).encode(x=x, x2="ci_high:Q"),
        base.mark_point(size=70, filled=True, **point).encode(x="estimate:Q", tooltip=tooltip),
    )


def _measure_columns(titles: dict[str, str]) -> alt.Column:
    """Facet columns, one per value of ``measure`` in the order of ``titles``, each headed by its title."""
    return alt.Column(
        "measure:N",
        sort=list(titles),
        title=None,
        header=alt.Header(labelExpr=f"{titles}[datum.value]", labelFontSize=11),
    )


def _too_few_outlets(outlets: list[str], comparison: str) -> str:
    """A sentence saying ``comparison`` needs at least two outlets (or groups, when ``outlets`` are group
    labels) when ``outlets`` has fewer, else ""."""
    if len(outlets) >= 2:
        return ""
    found = f"one ({outlets[0]})" if outlets else "none"
    return f"{comparison} needs at least two {compared_noun(outlets)}s; this corpus has {found}."


def cap_rows(
    table: pd.DataFrame,
    by: str | list[str],
    top_k: int = MAX_ROWS,
    *,
    rank: str | None = None,
    ascending: bool = False,
    noun: str = "rows",
) -> tuple[pd.DataFrame, str]:
    """The rows of the ``top_k`` groups of ``by`` that rank first, and a note on the groups left out.

    Parameters
    ----------
    table : DataFrame
    by : str or list of str
        Columns naming a group (one bar, one panel): a group's rows are kept or left out together.
    top_k : int
        Groups kept.
    rank : str, optional
        Column summed per group to rank the groups (default: the group's number of rows); ties keep
        the order in which the groups first appear.
    ascending : bool
        Rank the smallest sums first.
    noun : str
        Plural name of a group in the note ("articles", "stories").

    Returns
    -------
    (DataFrame, str)
        The kept rows in their input order (same columns), and "" when nothing was left out, else
        a note such as "+ 212 more articles not shown; see the csv".
    """
    keys = [by] if isinstance(by, str) else list(by)
    sizes = table.groupby(keys, sort=False)[rank].sum() if rank else table.groupby(keys, sort=False).size()
    if len(sizes) <= top_k:
        return table, ""
    kept = sizes.sort_values(ascending=ascending, kind="stable").index[:top_k]
    rows = table.set_index(keys).index.isin(kept)
    left = len(sizes) - top_k
    return table[rows], f"+ {left:,} more {noun} not shown; see the csv"


def with_note(title: dict, *notes: str) -> dict:
    """``title`` (a dict with ``text`` and optional ``subtitle``) with the non-empty ``notes`` as subtitle lines."""
    notes = [n for n in notes if n]
    if not notes:
        return title
    subtitle = title.get("subtitle", [])
    subtitle = [subtitle] if isinstance(subtitle, str) else list(subtitle)
    return {**title, "subtitle": [*subtitle, *notes]}


def _shorten(text: str, max_chars: int) -> str:
    """``text`` cut at the last word boundary within ``max_chars``, with an ellipsis when cut."""
    text = " ".join(str(text).split())
    if len(text) <= max_chars:
        return text
    cut = text[: max_chars - 1].rsplit(" ", 1)[0].rstrip(" ,;:-–—")
    return (cut or text[: max_chars - 1]) + "…"


def article_label(
    table: pd.DataFrame, articles: pd.DataFrame | None = None, *, max_chars: int = 48
) -> pd.Series:
    """A short readable name per row's article: 'outlet · headline cut at a word · date'.

    Parameters
    ----------
    table : DataFrame
        Rows with ``article_id`` and ``outlet`` (and optionally ``title``, ``published``).
    articles : DataFrame, optional
        The corpus's articles (``article_id``, ``title``, ``published``), read when ``table`` lacks them.
    max_chars : int
        Longest headline kept, cut at a word boundary.

    Returns
    -------
    Series
        Aligned with ``table``. Without a headline the full article id stands in its place; two
        articles that would share a label get their ids appended, so a label names one article.
    """
    meta = table[["article_id"]].copy()
    for col in ("title", "published"):
        if col in table:
            meta[col] = table[col]
        elif articles is not None and col in articles:
            meta[col] = meta["article_id"].map(
                articles.drop_duplicates("article_id").set_index("article_id")[col]
            )
        else:
            meta[col] = None
    headline = [
        _shorten(t, max_chars) if isinstance(t, str) and t.strip() else str(a)
        for t, a in zip(meta["title"], meta["article_id"], strict=True)
    ]
    date = [f" · {str(p)[:10]}" if isinstance(p, str) and p else "" for p in meta["published"]]
    label = pd.Series(
        [f"{o} · {h}{d}" for o, h, d in zip(table["outlet"], headline, date, strict=True)], index=table.index
    )
    ids = table["article_id"].astype(str)
    clash = label.groupby(label).transform(lambda s: ids[s.index].nunique() > 1)
    return label.where(~clash, label + " (" + ids + ")")


def chart_data(chart: alt.TopLevelMixin) -> pd.DataFrame:
    """The table behind ``chart``: its top-level data, else its first sub-chart's."""
    data = getattr(chart, "data", alt.Undefined)
    if isinstance(data, pd.DataFrame):
        return data
    for attr in ("layer", "hconcat", "vconcat", "concat"):
        for sub in getattr(chart, attr, None) or []:
            found = chart_data(sub)
            if not found.empty:
                return found
    spec = getattr(chart, "spec", None)
    return chart_data(spec) if spec is not None else pd.DataFrame()


def save_chart(
    chart: alt.TopLevelMixin, out_dir: str | Path, name: str, *, data: pd.DataFrame | None = None
) -> dict:
    """Export ``chart`` as ``name``.svg/.png/.json and its data as ``name``.csv.

    The PNG is drawn at :data:`PNG_SCALE` pixels per chart pixel, less when that would make a side
    longer than :data:`MAX_PNG_SIDE`; a figure that would need fewer than :data:`MIN_PNG_SCALE`
    gets no PNG (the .svg has it at full size), and its index entry says so in ``note``.

    Parameters
    ----------
    chart : altair chart
    out_dir : path
        Folder for the files (created if missing), conventionally ``<out>/NN_slug``.
    name : str
        File stem, snake_case.
    data : DataFrame, optional
        The table to write as CSV when it is not the chart's own data.

    Returns
    -------
    dict
        Paths written, keyed by extension.
    """
    out = Path(out_dir)
    spec = titled_tooltips(add_outlet_selection(chart.to_dict()))
    spec_json = json.dumps(spec, indent=2, sort_keys=True, ensure_ascii=False, allow_nan=False, default=str)
    table = chart_data(chart) if data is None else data
    svg = render(spec_json, "svg")
    width, height = svg_size(svg)
    scale = png_scale(width, height)
    files = {"json": (spec_json + "\n").encode("utf-8"), "svg": svg}
    entry = {"kind": "figure", "name": name, "title": _title_of(spec)}
    if scale:
        files["png"] = render(spec_json, "png", scale=scale)
    else:
        (out / f"{name}.png").unlink(missing_ok=True)  # an earlier, smaller version of this figure
        entry["formats"] = ["svg", "json", "csv"]
        entry["note"] = (
            f"No PNG: the figure is {width:,.0f} x {height:,.0f} px, too large for a legible PNG of at most "
            f"{MAX_PNG_SIDE:,} px a side; open the .svg."
        )
    files["csv"] = table.to_csv(index=False, lineterminator="\n").encode("utf-8")
    paths = {}
    for ext, payload in files.items():
        paths[ext] = out / f"{name}.{ext}"
        write_bytes_atomic(paths[ext], payload)
    _register(out, entry)
    return paths


def svg_size(svg: bytes) -> tuple[float, float]:
    """Width and height in pixels declared by the root element of a vl-convert SVG."""
    head = svg[:2000].decode("utf-8", errors="replace")
    width = re.search(r'<svg[^>]*\swidth="([\d.]+)', head)
    height = re.search(r'<svg[^>]*\sheight="([\d.]+)', head)
    if not (width and height):
        raise ValueError("the SVG declares no width and height")
    return float(width.group(1)), float(height.group(1))


def png_scale(width: float, height: float) -> float:
    """PNG pixels per chart pixel for a ``width`` x ``height`` figure: :data:`PNG_SCALE`, lowered so that
    no side exceeds :data:`MAX_PNG_SIDE` (rounded down to 1/100); 0.0 when that is below :data:`MIN_PNG_SCALE`."""
    longest = max(width, height, 1.0)
    scale = min(PNG_SCALE, math.floor(100 * (MAX_PNG_SIDE - 1) / longest) / 100)
    return scale if scale >= MIN_PNG_SCALE else 0.0


def png_size(png: bytes) -> tuple[int, int]:
    """Width and height in pixels from a PNG's header."""
    if png[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    width, height = struct.unpack(">II", png[16:24])
    return width, height


def render(spec_json: str, fmt: Literal["svg", "png"], *, scale: float = PNG_SCALE) -> bytes:
    """The Vega-Lite spec rendered by vl-convert as ``"svg"`` or ``"png"`` (``scale`` pixels per chart
    pixel), via the render cache.

    Rendering is the slow part of an export (0.2-0.5 s a figure); the bytes depend only on the spec,
    the format, the scale and the vl-convert version, which together key
    :func:`analysis.infra.cache.cached_bytes`.
    """
    import vl_convert as vlc

    if fmt == "svg":
        draw = lambda: vlc.vegalite_to_svg(json.loads(spec_json)).encode("utf-8")  # noqa: E731
    elif fmt == "png":
        draw = lambda: vlc.vegalite_to_png(json.loads(spec_json), scale=scale)  # noqa: E731
    else:
        raise ValueError(f"cannot render {fmt!r}: use 'svg' or 'png'")
    return cached_bytes("render", ["vl-convert", vlc.__version__, fmt, f"scale={scale:g}", spec_json], draw)


def save_table(
    table: pd.DataFrame, out_dir: str | Path, name: str, *, title: str = "", max_rows: int = 200
) -> Path:
    """Export a key table as ``name.csv`` and list it in the HTML report (first ``max_rows`` rows shown).

    Returns
    -------
    Path
        The CSV written.
    """
    out = Path(out_dir)
    path = out / f"{name}.csv"
    write_bytes_atomic(path, table.to_csv(index=False, lineterminator="\n").encode("utf-8"))
    _register(
        out, {"kind": "table", "name": name, "title": title or name.replace("_", " "), "max_rows": max_rows}
    )
    return path


def save_summary(out_dir: str | Path, sentences: list[str]) -> Path:
    """Write the section's auto-generated summary (plain sentences) for the HTML report."""
    out = Path(out_dir)
    path = out / "summary.json"
    write_bytes_atomic(
        path, (json.dumps(list(sentences), indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    )
    return path


def _register(out: Path, entry: dict) -> None:
    index_path = out / INDEX_FILE
    entries = json.loads(index_path.read_text(encoding="utf-8")) if index_path.exists() else []
    entries = [e for e in entries if not (e["name"] == entry["name"] and e["kind"] == entry["kind"])] + [
        entry
    ]
    write_bytes_atomic(index_path, (json.dumps(entries, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))


def _title_of(spec: dict) -> str:
    title = spec.get("title", "")
    if isinstance(title, dict):
        title = title.get("text", "")
    return " ".join(title) if isinstance(title, list) else str(title)


_COMPOSITE_MARKS = {"boxplot", "errorbar", "errorband"}


def add_outlet_selection(spec: dict) -> dict:
    """Make every view coloured by ``outlet`` selectable: click a mark (or its legend entry) to highlight
    that outlet, shift-click to add more, double-click to reset.

    Works on the Vega-Lite dict (unit, layer, facet and concat specs); views that already define
    parameters or an opacity encoding are left alone. Static renderings are unchanged (an empty
    selection selects everything).
    """
    counter = [0]

    def visit(node):
        if isinstance(node, dict):
            enc = node.get("encoding")
            mark = node.get("mark")
            mark_type = mark.get("type") if isinstance(mark, dict) else mark
            if (
                mark_type
                and mark_type not in _COMPOSITE_MARKS
                and isinstance(enc, dict)
                and _colour_field(enc) == "outlet"
                and "opacity" not in enc
                and "params" not in node
            ):
                name = f"outlet_pick_{counter[0]}"
                counter[0] += 1
                param = {"name": name, "select": {"type": "point", "fields": ["outlet"]}}
                if enc["color"].get("legend", {}) is not None:
                    param["bind"] = "legend"
                node["params"] = [param]
                enc["opacity"] = {"condition": {"param": name, "value": 1}, "value": 0.2}
            for key in ("layer", "hconcat", "vconcat", "concat", "spec"):
                child = node.get(key)
                for sub in child if isinstance(child, list) else [child] if child else []:
                    visit(sub)
        return node

    return visit(spec)


#: Reader-facing names of the fields shown in tooltips (others: the field with spaces for underscores).
TOOLTIP_TITLES = {
    "article_id": "Article",
    "other_article_id": "Other article",
    "article": "Article",
    "outlet": "Outlet",
    "other_outlet": "Other outlet",
    "story_id": "Story",
    "group_id": "Claim group",
    "content_id": "Content unit",
    "content_label": "Content",
    "unit_id": "Unit",
    "unit_ids": "Passages",
    "quote_id": "Quote",
    "topic_name": "Topic",
    "n": "Count",
    "n_words": "Words",
    "n_chars": "Characters",
    "quoted_chars": "Characters quoted",
    "article_words": "Words in the article",
    "n_quotes": "Quotes",
    "n_direct": "Direct quotes",
    "n_partial": "Partial quotes",
    "n_indirect": "Indirect quotes",
    "words_quoted": "Words quoted",
    "words_reported": "Words reported",
    "share_of_words": "Share of its quoted words",
    "speaker_type": "Speaker type",
    "cue": "Verb",
    "cue_lemma": "Verb",
    "cue_category": "Verb type",
    "per_1000": "Per 1,000 words",
    "per_1000_words": "Per 1,000 words",
    "n_sentences": "Sentences",
    "n_stories": "Stories",
    "ci_low": "Interval low",
    "ci_high": "Interval high",
    "label": "Verdict",
    "open_bound": "Open bound",
    "paragraph_ids": "Paragraphs",
    "sentence_ids": "Sentences",
    "rule_id": "Rule",
}


def titled_tooltips(spec: dict) -> dict:
    """Give every tooltip field of the Vega-Lite dict ``spec`` a reader-facing title (see :data:`TOOLTIP_TITLES`).

    Fields that already have a title keep it; an aggregated field is named after its aggregate
    ("mean of compound"). Returns ``spec``, changed in place.
    """

    def title_of(item: dict) -> str:
        field = str(item["field"])
        name = TOOLTIP_TITLES.get(field, field.replace("_", " "))
        aggregate = item.get("aggregate")
        if aggregate:
            return f"{aggregate} of {name.lower()}"
        return name[:1].upper() + name[1:]

    def visit(node):
        if isinstance(node, dict):
            tooltip = (
                node.get("encoding", {}).get("tooltip") if isinstance(node.get("encoding"), dict) else None
            )
            for item in (
                tooltip if isinstance(tooltip, list) else [tooltip] if isinstance(tooltip, dict) else []
            ):
                if "field" in item and "title" not in item:
                    item["title"] = title_of(item)
            for value in node.values():
                visit(value)
        elif isinstance(node, list):
            for value in node:
                visit(value)
        return node

    return visit(spec)


def _colour_field(encoding: dict) -> str | None:
    color = encoding.get("color")
    return color.get("field") if isinstance(color, dict) else None
