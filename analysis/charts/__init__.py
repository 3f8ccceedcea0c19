"""Altair figures: one theme, builders per capability, and :func:`save_chart`.

Builders (in the submodules ``charts.corpus``, ``charts.terms``, ...) take
validated tidy tables, never models, and return Altair charts whose data is the
aggregated table behind the figure. :func:`save_chart` writes each figure as
``.svg``, ``.png`` and Vega-Lite ``.json`` (rendered with vl-convert: no
browser, no network) plus a ``.csv`` of its data, atomically and with stable
bytes so that reruns can be compared. The theme is registered and enabled by
:func:`enable_theme`, which :func:`analysis.setup` calls: importing this module changes nothing.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal

import altair as alt
import pandas as pd

from analysis.infra.atomic import write_bytes_atomic
from analysis.infra.cache import cached_bytes

__all__ = [
    "THEME",
    "OUTLET_PALETTE",
    "enable_theme",
    "save_chart",
    "save_table",
    "save_summary",
    "chart_data",
    "outlet_color",
    "note_chart",
    "add_outlet_selection",
    "render",
    "write_bytes_atomic",
]

#: Per-folder list of what a notebook exported, in order; read by the HTML report.
INDEX_FILE = "index.json"

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


def _too_few_outlets(outlets: list[str], comparison: str) -> str:
    """A sentence saying ``comparison`` needs at least two outlets when ``outlets`` has fewer, else ""."""
    if len(outlets) >= 2:
        return ""
    found = f"one ({outlets[0]})" if outlets else "none"
    return f"{comparison} needs at least two outlets; this corpus has {found}."


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
    spec = add_outlet_selection(chart.to_dict())
    spec_json = json.dumps(spec, indent=2, sort_keys=True, ensure_ascii=False, allow_nan=False, default=str)
    table = chart_data(chart) if data is None else data
    files = {
        "json": (spec_json + "\n").encode("utf-8"),
        "svg": render(spec_json, "svg"),
        "png": render(spec_json, "png"),
        "csv": table.to_csv(index=False, lineterminator="\n").encode("utf-8"),
    }
    paths = {}
    for ext, payload in files.items():
        paths[ext] = out / f"{name}.{ext}"
        write_bytes_atomic(paths[ext], payload)
    _register(out, {"kind": "figure", "name": name, "title": _title_of(spec)})
    return paths


def render(spec_json: str, fmt: Literal["svg", "png"]) -> bytes:
    """The Vega-Lite spec rendered by vl-convert as ``"svg"`` or ``"png"`` (scale 2), via the render cache.

    Rendering is the slow part of an export (0.2-0.5 s a figure); the bytes depend only on the spec,
    the format and the vl-convert version, which together key :func:`analysis.infra.cache.cached_bytes`.
    """
    import vl_convert as vlc

    if fmt == "svg":
        draw = lambda: vlc.vegalite_to_svg(json.loads(spec_json)).encode("utf-8")  # noqa: E731
    elif fmt == "png":
        draw = lambda: vlc.vegalite_to_png(json.loads(spec_json), scale=2)  # noqa: E731
    else:
        raise ValueError(f"cannot render {fmt!r}: use 'svg' or 'png'")
    return cached_bytes("render", ["vl-convert", vlc.__version__, fmt, "scale=2", spec_json], draw)


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


def _colour_field(encoding: dict) -> str | None:
    color = encoding.get("color")
    return color.get("field") if isinstance(color, dict) else None
