"""Make an executed notebook safe to keep: no live HTML from the corpus, no paths of this machine or run.

Outputs keep only MIME types that nbconvert and JupyterLab show as inert content: plain text, PNG/JPEG
images, JSON and Vega/Vega-Lite specs (rendered by Vega, which draws text, never HTML). ``text/html``
(Altair's output embeds the chart data, so corpus text, inside a ``<script>``), JavaScript, SVG,
Markdown and widget outputs are dropped; an output left with nothing gets a one-line note. The
figures themselves are in ``<out>/NN_slug/`` and in ``report.html``.

Absolute paths of the run (staging folder, corpus, notebooks folder, working directory, Python
prefix, home folder) are replaced with the paths the user gave or a short placeholder.
"""

from __future__ import annotations

import re
from pathlib import Path

__all__ = ["clean_executed_notebook", "path_replacements"]

_SAFE_MIME = re.compile(
    r"^(text/plain|image/png|image/jpeg|application/json|application/vnd\.vega(lite)?\.v\d+\+json)$"
)
_REMOVED_NOTE = (
    "[output not kept in the saved notebook: it was HTML or script; the figures are in report.html]"
)


def path_replacements(pairs: dict[str, str]) -> list[tuple[str, str]]:
    """``(absolute path, shown as)`` pairs, longest first, leaving out ones too short to replace safely (``/``)."""
    usable = {src: dst for src, dst in pairs.items() if src and len(src.rstrip("/")) > 1}
    return sorted(usable.items(), key=lambda item: -len(item[0]))


def _replace(value, replacements: list[tuple[str, str]]):
    if isinstance(value, str):
        for src, dst in replacements:
            value = value.replace(src, dst)
        return value
    if isinstance(value, list):
        return [_replace(v, replacements) for v in value]
    if isinstance(value, dict):
        return {k: _replace(v, replacements) for k, v in value.items()}
    return value


def _clean_output(output: dict) -> dict:
    if output.get("output_type") not in ("display_data", "execute_result"):
        return output
    data = output.get("data", {})
    kept = {mime: content for mime, content in data.items() if _SAFE_MIME.match(mime)}
    if len(kept) < len(data) and "text/plain" not in kept:
        kept["text/plain"] = _REMOVED_NOTE
    metadata = {k: v for k, v in output.get("metadata", {}).items() if k in kept}
    return {**output, "data": kept, "metadata": metadata}


def clean_executed_notebook(path: Path, replacements: list[tuple[str, str]]) -> None:
    """Rewrite the executed notebook at ``path`` in place (see the module docstring)."""
    import nbformat

    nb = nbformat.read(path, as_version=4)
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = [_clean_output(o) for o in cell.outputs]
    cleaned = nbformat.from_dict(_replace(nb, replacements))
    nbformat.write(cleaned, path)
