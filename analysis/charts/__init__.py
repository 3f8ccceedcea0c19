"""Altair figures: one theme, builders per capability, and :func:`save_chart`.

Builders (in the submodules ``charts.corpus``, ``charts.terms``, ...) take
validated tidy tables, never models, and return Altair charts whose data is the
aggregated table behind the figure. :func:`save_chart` writes each figure as
``.svg``, ``.png`` and Vega-Lite ``.json`` (rendered with vl-convert: no
browser, no network) plus a ``.csv`` of its data, atomically and with stable
bytes so that reruns can be compared.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import altair as alt
import pandas as pd

__all__ = ["THEME", "OUTLET_PALETTE", "save_chart", "chart_data", "outlet_color", "write_bytes_atomic"]

THEME = "coverage_compare"
#: Colour-blind safe categorical palette (Okabe-Ito, then Tableau 10 extras).
OUTLET_PALETTE = [
    "#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000",
    "#8c564b", "#7f7f7f", "#bcbd22", "#17becf",
]


@alt.theme.register(THEME, enable=True)
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


# Charts embed their (already aggregated) data; the default 5,000-row guard
# would otherwise refuse large evidence tables.
alt.data_transformers.disable_max_rows()


def outlet_color(outlets: list[str], *, title: str = "Outlet", legend: bool = True) -> alt.Color:
    """A nominal colour encoding that gives each outlet the same colour in every figure."""
    palette = [OUTLET_PALETTE[i % len(OUTLET_PALETTE)] for i in range(len(outlets))]
    scale = alt.Scale(domain=list(outlets), range=palette)
    return alt.Color("outlet:N", title=title, scale=scale, legend=alt.Legend() if legend else None)


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


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def save_chart(chart: alt.TopLevelMixin, out_dir: str | Path, name: str, *, data: pd.DataFrame | None = None) -> dict:
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
    import vl_convert as vlc

    out = Path(out_dir)
    spec = chart.to_dict()
    spec_json = json.dumps(spec, indent=2, sort_keys=True, ensure_ascii=False, allow_nan=False, default=str)
    table = chart_data(chart) if data is None else data
    files = {
        "json": (spec_json + "\n").encode("utf-8"),
        "svg": vlc.vegalite_to_svg(spec).encode("utf-8"),
        "png": vlc.vegalite_to_png(spec, scale=2),
        "csv": table.to_csv(index=False, lineterminator="\n").encode("utf-8"),
    }
    paths = {}
    for ext, payload in files.items():
        paths[ext] = out / f"{name}.{ext}"
        write_bytes_atomic(paths[ext], payload)
    return paths
