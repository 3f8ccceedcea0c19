"""Batch-run the notebooks with papermill and assemble the output folder.

The output folder is built in a temporary sibling folder and moved into place
only when every notebook succeeded, so a failed run never leaves half a
``figures/`` behind. Layout of ``<out>``::

    <out>/NN_slug/<figure>.{svg,png,json,csv}   figures written by the notebooks
    <out>/notebooks/NN_slug.ipynb               the executed notebooks
    <out>/run.json                              run manifest
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from analysis.infra.atomic import umask, write_bytes_atomic
from analysis.infra.cache import RENDER_CACHE_MAX_BYTES, prune
from analysis.infra.imports import without_iri_grammar

__all__ = ["ReportError", "NotebookRun", "discover_notebooks", "notebook_parameters", "run_report", "check_report",
           "compare_figure_data", "default_notebooks_dir"]

#: Parameters the runner fills in for every notebook that declares them.
RUNNER_PARAMETERS = ("corpus_path", "out_dir")


class ReportError(RuntimeError):
    """A report run failed; the message names the notebook, the cell and the error."""


@dataclass
class NotebookRun:
    """What happened when one notebook ran."""

    notebook: str
    parameters: dict
    started: float
    ended: float
    figures: list[str] = field(default_factory=list)

    @property
    def seconds(self) -> float:
        return round(self.ended - self.started, 3)


def default_notebooks_dir() -> Path:
    """``notebooks/`` of the source checkout this package was installed from."""
    return Path(__file__).resolve().parents[2] / "notebooks"


def discover_notebooks(notebooks_dir: Path, only: list[str] | None = None) -> list[Path]:
    """Notebooks named ``NN_slug.ipynb`` in run order, optionally only those whose name starts with one of ``only``."""
    found = sorted(p for p in notebooks_dir.glob("[0-9][0-9]_*.ipynb"))
    if only:
        found = [p for p in found if any(p.stem.startswith(prefix) for prefix in only)]
        if not found:
            raise ReportError(f"no notebook in {notebooks_dir} matches {only}")
    if not found:
        raise ReportError(f"no notebooks (NN_slug.ipynb) in {notebooks_dir}")
    return found


def _papermill():
    with without_iri_grammar():
        import papermill
    return papermill


def notebook_parameters(notebook: Path) -> dict[str, str]:
    """Names and default literals of the ``parameters`` cell of ``notebook``."""
    import ast

    params = _papermill().inspect_notebook(str(notebook))
    return {name: ast.literal_eval(info["default"]) for name, info in params.items()}


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def input_hashes(corpus_path: Path) -> dict[str, str]:
    """SHA-256 of every file of the corpus (a folder's files, or the one table file)."""
    files = [corpus_path] if corpus_path.is_file() else sorted(p for p in corpus_path.rglob("*") if p.is_file())
    base = corpus_path.parent if corpus_path.is_file() else corpus_path
    return {str(p.relative_to(base)): _sha256(p) for p in files}


def _versions() -> dict[str, str]:
    return {d.metadata["Name"].lower(): d.version for d in metadata.distributions() if d.metadata["Name"]}


def _execute(notebook: Path, output: Path, parameters: dict, kernel_name: str | None, cwd: Path) -> None:
    papermill = _papermill()
    from papermill.exceptions import PapermillExecutionError

    env_defaults = {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "PYTHONHASHSEED": "0"}
    for key, value in env_defaults.items():
        os.environ.setdefault(key, value)
    try:
        papermill.execute_notebook(
            str(notebook), str(output), parameters=parameters, kernel_name=kernel_name, cwd=str(cwd),
            progress_bar=False, log_output=False, report_mode=False,
        )
    except PapermillExecutionError as exc:
        raise ReportError(f"{notebook.name}: {_describe_cell(notebook, exc.source)} failed: "
                          f"{exc.ename}: {' '.join(str(exc.evalue).split())[:400]}") from None


def _describe_cell(notebook: Path, source: str) -> str:
    """'code cell N (first line)' numbered as in the stored notebook (not counting the injected parameters)."""
    import nbformat

    code = [c.source for c in nbformat.read(notebook, as_version=4).cells if c.cell_type == "code"]
    number = next((i + 1 for i, src in enumerate(code) if src.strip() == source.strip()), None)
    first = source.strip().splitlines()[0][:60] if source.strip() else ""
    return f"code cell {number} ({first})" if number else f"injected cell ({first})"


def run_report(
    corpus: str | Path,
    out: str | Path,
    *,
    notebooks_dir: str | Path | None = None,
    only: list[str] | None = None,
    parameters: dict | None = None,
    per_notebook: dict[str, dict] | None = None,
    kernel_name: str | None = None,
    jobs: int = 1,
    log=print,
) -> list[NotebookRun]:
    """Run every notebook on ``corpus`` and write figures, executed notebooks and ``run.json`` to ``out``.

    Parameters
    ----------
    corpus : path
        Anything :func:`analysis.corpus._load.load_corpus` accepts.
    out : path
        Output folder; replaced only when every notebook succeeded.
    notebooks_dir : path, optional
        Where the ``NN_slug.ipynb`` notebooks are (default: the checkout's ``notebooks/``).
    only : list of str, optional
        Run only notebooks whose names start with one of these prefixes (e.g. ``["01", "03"]``).
    parameters : dict, optional
        Extra notebook parameters; each name must be declared by at least one notebook.
    per_notebook : dict, optional
        Parameters for single notebooks, keyed by notebook stem (``"02_topics"``); they override
        ``parameters`` and must be declared by that notebook.
    kernel_name : str, optional
        Jupyter kernel (default: the notebook's own kernelspec).
    jobs : int
        Notebooks run at once (they are independent; outputs do not depend on this).

    Returns
    -------
    list of NotebookRun

    Raises
    ------
    ReportError
        Naming the notebook, the cell and the error; ``out`` is left untouched.
    """
    from analysis.corpus._load import load_corpus

    corpus_path, out_path = Path(corpus).resolve(), Path(out).resolve()
    nb_dir = Path(notebooks_dir).resolve() if notebooks_dir else default_notebooks_dir()
    loaded = load_corpus(corpus_path)  # fail fast, with the loader's one-line message
    notebooks = discover_notebooks(nb_dir, only)
    declared = {nb: notebook_parameters(nb) for nb in notebooks}
    extra = dict(parameters or {})
    unknown = sorted(set(extra) - set().union(*map(set, declared.values())))
    if unknown:
        raise ReportError(f"unknown parameter(s) {unknown}: no notebook declares them")
    per_notebook = per_notebook or {}
    for nb in notebooks:
        wrong = sorted(set(per_notebook.get(nb.stem, {})) - set(declared[nb]))
        if wrong:
            raise ReportError(f"{nb.name} does not declare parameter(s) {wrong}")

    out_path.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=out_path.parent, prefix=f".{out_path.name}.tmp-"))
    os.chmod(staging, 0o777 & ~umask())
    (staging / "notebooks").mkdir()
    plans = []
    for nb in notebooks:
        given = {"corpus_path": str(corpus_path), "out_dir": str(staging), **extra, **per_notebook.get(nb.stem, {})}
        plans.append((nb, {k: v for k, v in given.items() if k in declared[nb]}))
    _precompute_embeddings(loaded, {params.get("embedding_model", declared[nb]["embedding_model"])
                                    for nb, params in plans if "embedding_model" in declared[nb]}, log)

    def run_one(plan) -> NotebookRun:
        nb, params = plan
        log(f"running {nb.name} ...")
        started = time.time()
        _execute(nb, staging / "notebooks" / nb.name, params, kernel_name, nb_dir)
        fig_dir = staging / nb.stem
        files = sorted(str(p.relative_to(staging)) for p in fig_dir.rglob("*") if p.is_file()) if fig_dir.exists() else []
        recorded = {**declared[nb], **params, "corpus_path": str(corpus), "out_dir": str(out)}
        run = NotebookRun(nb.name, {k: v for k, v in recorded.items() if k in declared[nb]}, started, time.time(), files)
        log(f"  {nb.name}: {run.seconds:.1f} s, {len(files)} files")
        return run

    try:
        if jobs > 1 and len(plans) > 1:
            from concurrent.futures import ThreadPoolExecutor

            with ThreadPoolExecutor(max_workers=jobs) as pool:
                finished = {run.notebook: run for run in pool.map(run_one, _longest_first(plans, out_path))}
            runs = [finished[nb.name] for nb, _ in plans]
        else:
            runs = [run_one(plan) for plan in plans]
        _write_manifest(staging, corpus_path, out_path, loaded, runs)
        from analysis.report._html import build_report_html

        build_report_html(staging)
        _swap_into_place(staging, out_path)
        prune("render", RENDER_CACHE_MAX_BYTES)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return runs


def _longest_first(plans: list, out_path: Path) -> list:
    """``plans`` with the notebooks that took longest in the previous run at ``out_path`` first.

    With several jobs this keeps the slowest notebook from starting last; without a previous
    ``run.json`` the order is unchanged. Outputs never depend on the order.
    """
    try:
        previous = json.loads((out_path / "run.json").read_text(encoding="utf-8"))["notebooks"]
        seconds = {run["notebook"]: float(run["seconds"]) for run in previous}
    except (OSError, ValueError, KeyError, TypeError):
        return list(plans)
    return sorted(plans, key=lambda plan: -seconds.get(plan[0].name, 0.0))


def _precompute_embeddings(corpus, models: set, log) -> None:
    """Embed every paragraph and sentence once, in a fixed order, before notebooks run.

    A vector's last bits depend on the batch it was computed in. Filling the cache first, in corpus
    order, means notebooks running side by side read the same vector for the same text (no race over
    who computes it first), and a cold run gives the figures a warm run gives.
    """
    if not models:
        return
    from analysis.nlp._embed import EmbeddingModelError, embed_texts

    texts = list(dict.fromkeys([*corpus.paragraphs["text"], *corpus.sentences["text"]]))
    for model in sorted(models, key=str):
        try:
            embed_texts(texts, model=model or None)
        except EmbeddingModelError as exc:
            log(f"embeddings not precomputed ({exc}); notebooks that need them will report it")


def _seeds_of(runs: list[NotebookRun]) -> dict:
    return {r.notebook: {k: v for k, v in r.parameters.items() if "seed" in k or "random_state" in k} for r in runs}


def _embedding_models(runs: list[NotebookRun]) -> dict:
    from analysis.nlp._embed import EmbeddingModelError, model_info

    names = {r.parameters.get("embedding_model") or None for r in runs if "embedding_model" in r.parameters}
    models = {}
    for name in sorted(names, key=str) or [None]:
        try:
            info = model_info(name)
            models[info.name] = {"path": info.path, "sha256": info.sha256}
        except EmbeddingModelError as exc:
            models[str(name)] = {"error": str(exc)}
    return models


def _write_manifest(staging: Path, corpus_path: Path, out_path: Path, corpus, runs: list[NotebookRun]) -> None:

    manifest = {
        "package": "coverage-compare",
        "version": metadata.version("coverage-compare"),
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "corpus": {
            "path": os.path.relpath(corpus_path, out_path),
            "absolute_path": str(corpus_path),
            "n_articles": int(len(corpus.articles)),
            "outlets": corpus.outlets,
            "files_sha256": input_hashes(corpus_path),
        },
        "embedding_models": _embedding_models(runs),
        "random_seeds": _seeds_of(runs),
        "notebooks": [
            {"notebook": r.notebook, "parameters": r.parameters, "started": r.started, "ended": r.ended,
             "seconds": r.seconds, "files": r.figures}
            for r in runs
        ],
        "dependencies": _versions(),
    }
    write_bytes_atomic(staging / "run.json", (json.dumps(manifest, indent=2, sort_keys=True) + "\n").encode())


def check_report(out: str | Path, *, jobs: int = 1, log=print) -> list[str]:
    """Rerun the report recorded in ``<out>/run.json`` and compare its figure data byte for byte.

    Returns
    -------
    list of str
        One line per ``.csv``/``.json`` file under ``NN_slug/`` that differs, is missing or is new;
        empty when the rerun reproduced every file.
    """
    out = Path(out).resolve()
    manifest_path = out / "run.json"
    if not manifest_path.exists():
        raise ReportError(f"{out}: no run.json; not a report folder")
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    corpus = (out / manifest["corpus"]["path"]).resolve()
    if not corpus.exists():
        corpus = Path(manifest["corpus"]["absolute_path"])
    per_notebook = {Path(e["notebook"]).stem: {k: v for k, v in e["parameters"].items() if k not in RUNNER_PARAMETERS}
                    for e in manifest["notebooks"]}
    with tempfile.TemporaryDirectory(dir=out.parent, prefix=f".{out.name}.check-") as tmp:
        fresh = Path(tmp) / "rerun"
        run_report(corpus, fresh, only=list(per_notebook), per_notebook=per_notebook, jobs=jobs, log=log)
        return compare_figure_data(out, fresh)


def compare_figure_data(expected: Path, actual: Path) -> list[str]:
    """Lines naming every figure-data file (``NN_slug/*.csv|json``) that differs between two report folders."""

    def files(root: Path) -> dict[str, bytes]:
        return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.glob("[0-9][0-9]_*/*"))
                if p.suffix in {".csv", ".json"}}

    old, new = files(Path(expected)), files(Path(actual))
    lines = [f"missing in rerun: {name}" for name in sorted(set(old) - set(new))]
    lines += [f"new in rerun: {name}" for name in sorted(set(new) - set(old))]
    lines += [f"differs: {name}" for name in sorted(set(old) & set(new)) if old[name] != new[name]]
    return lines


def _swap_into_place(staging: Path, out_path: Path) -> None:
    backup = None
    if out_path.exists():
        backup = out_path.with_name(f".{out_path.name}.old-{os.getpid()}")
        os.replace(out_path, backup)
    os.replace(staging, out_path)
    if backup is not None:
        shutil.rmtree(backup, ignore_errors=True)
