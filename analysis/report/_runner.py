"""Batch-run the notebooks with papermill and assemble the output folder.

The output folder is built in a staging folder beside it and moved into place
only when every notebook succeeded, so a failed or interrupted run never leaves
half a ``figures/`` behind. Which folders may be written, and what may be
replaced there, is decided by :mod:`analysis.report._output` (docs/report.md).
Layout of ``<out>``::

    <out>/NN_slug/<figure>.{svg,png,json,csv}   figures written by the notebooks
    <out>/notebooks/NN_slug.ipynb               the executed notebooks (inert outputs only)
    <out>/run.json                              run manifest
    <out>/report.html                           the report page
    <out>/.coverage-compare-output              marker: the files this run wrote
"""

from __future__ import annotations

import json
import logging
import os
import platform
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass, field
from fnmatch import fnmatch
from importlib import metadata
from pathlib import Path

import analysis
from analysis.claims import claim_texts, extract_numbers
from analysis.corpus import load_corpus
from analysis.infra.atomic import write_bytes_atomic
from analysis.infra.cache import RENDER_CACHE_MAX_BYTES, file_sha256, prune
from analysis.infra.imports import without_iri_grammar
from analysis.nlp import (
    NO_PROGRESS_ENV,
    VERBOSE_ENV,
    EmbeddingModelError,
    embed_apart,
    model_info,
    parse_apart,
    resolve_backend,
)
from analysis.report._errors import ReportError
from analysis.report._executed import clean_executed_notebook, path_replacements
from analysis.report._html import build_report_html
from analysis.report._kernels import KernelGroup, RunInterrupted
from analysis.report._output import MARKER, check_output, deferred_interrupts, output_folder, scratch_folder
from analysis.report._params import check_parameter
from analysis.topics import story_leads

__all__ = [
    "ReportError",
    "NotebookRun",
    "discover_notebooks",
    "notebook_parameters",
    "run_report",
    "check_report",
    "compare_figure_data",
    "compare_report_files",
    "default_notebooks_dir",
    "NOT_COMPARED",
    "RENDERING_NOTE",
]

#: Parameters the runner fills in for every notebook that declares them.
RUNNER_PARAMETERS = ("corpus_path", "out_dir")


@dataclass
class NotebookRun:
    """What happened when one notebook ran."""

    notebook: str
    parameters: dict
    started: float
    ended: float
    figures: list[str] = field(default_factory=list)
    peak_rss: int | None = None  # the kernel's peak resident memory in bytes (Linux), None where unknown

    @property
    def seconds(self) -> float:
        return round(self.ended - self.started, 3)

    @property
    def peak_rss_mb(self) -> float | None:
        return None if self.peak_rss is None else round(self.peak_rss / 2**20, 1)


def default_notebooks_dir() -> Path:
    """``notebooks/`` of the source checkout this package was installed from."""
    return Path(__file__).resolve().parents[2] / "notebooks"


def discover_notebooks(notebooks_dir: Path, only: list[str] | None = None) -> list[Path]:
    """Notebooks named ``NN_slug.ipynb`` in run order, optionally only those whose name starts with one of ``only``.

    ``only`` must be None (all notebooks) or non-empty prefixes that each match a notebook; an empty
    list or an empty prefix (``--notebooks ""``, ``"01,"``) is an error, never "all".
    """
    if not Path(notebooks_dir).is_dir():
        raise ReportError(f"notebooks folder {notebooks_dir} does not exist")
    found = sorted(p for p in Path(notebooks_dir).glob("[0-9][0-9]_*.ipynb"))
    if not found:
        raise ReportError(f"no notebooks (NN_slug.ipynb) in {notebooks_dir}")
    if only is None:
        return found
    prefixes = [str(prefix).strip() for prefix in only]
    if not prefixes or not all(prefixes):
        raise ReportError(
            f"--notebooks needs name prefixes separated by commas, e.g. 01,03; got {','.join(only)!r}"
        )
    unmatched = [prefix for prefix in prefixes if not any(p.stem.startswith(prefix) for p in found)]
    if unmatched:
        raise ReportError(
            f"no notebook in {notebooks_dir} matches {', '.join(unmatched)} "
            f"(there are {', '.join(p.stem for p in found)})"
        )
    return [p for p in found if any(p.stem.startswith(prefix) for prefix in prefixes)]


def _papermill():
    with without_iri_grammar():
        import papermill
    return papermill


def notebook_parameters(notebook: Path) -> dict[str, object]:
    """Names and default literals of the ``parameters`` cell of ``notebook``.

    Raises
    ------
    ReportError
        When the file is not a readable notebook or its parameters cell holds something other than literals.
    """
    import ast

    import nbformat

    try:
        params = _papermill().inspect_notebook(str(notebook))
    except (OSError, ValueError, KeyError, TypeError, AttributeError, nbformat.reader.NotJSONError) as exc:
        raise ReportError(
            f"{notebook.name}: not a readable notebook ({type(exc).__name__}: "
            f"{' '.join(str(exc).split())[:200]})"
        ) from None
    try:
        return {name: ast.literal_eval(info["default"]) for name, info in params.items()}
    except (ValueError, SyntaxError) as exc:
        raise ReportError(f"{notebook.name}: its parameters cell must assign literals only ({exc})") from None


def _selected_parameters(
    notebooks: list[Path],
    declared: dict[Path, dict],
    notebooks_dir: Path,
    parameters: dict,
    per_notebook: dict[str, dict],
) -> dict[Path, dict]:
    """The parameters each notebook gets, after refusing runner-owned, undeclared and ill-typed ones."""
    owned = sorted((set(parameters) | {k for p in per_notebook.values() for k in p}) & set(RUNNER_PARAMETERS))
    if owned:
        raise ReportError(
            f"parameter {owned[0]} is set by the runner (from --corpus and --out, so run.json "
            f"describes what was analysed); use {'--corpus' if owned[0] == 'corpus_path' else '--out'}"
        )
    unknown = sorted(set(parameters) - {name for params in declared.values() for name in params})
    if unknown:
        others = [nb for nb in discover_notebooks(notebooks_dir) if nb not in declared]
        holders = {name: [nb.name for nb in others if name in notebook_parameters(nb)] for name in unknown}
        if any(holders.values()):
            raise ReportError(
                "; ".join(
                    f"parameter {name} is declared only by {', '.join(nbs)}, which --notebooks does not select"
                    if nbs
                    else f"parameter {name}: no notebook declares it"
                    for name, nbs in holders.items()
                )
            )
        raise ReportError(f"unknown parameter(s) {unknown}: no notebook declares them")
    given = {}
    for nb in notebooks:
        mine = per_notebook.get(nb.stem, {})
        wrong = sorted(set(mine) - set(declared[nb]))
        if wrong:
            raise ReportError(f"{nb.name} does not declare parameter(s) {wrong}")
        given[nb] = {k: v for k, v in {**parameters, **mine}.items() if k in declared[nb]}
        for name, value in given[nb].items():
            check_parameter(nb.name, name, value, declared[nb][name])
    return given


def _check_kernels(notebooks: list[Path], kernel_name: str | None) -> None:
    """Refuse a kernel name (given, or a notebook's own) that no installed kernelspec provides."""
    import nbformat
    from jupyter_client.kernelspec import KernelSpecManager

    installed = KernelSpecManager().find_kernel_specs()
    for nb in notebooks:
        name = kernel_name or nbformat.read(nb, as_version=4).metadata.get("kernelspec", {}).get("name")
        if not name:
            raise ReportError(
                f"{nb.name} names no Jupyter kernel; pass --kernel (installed: {', '.join(sorted(installed))})"
            )
        if name not in installed:
            where = "--kernel" if kernel_name else f"{nb.name}'s kernelspec"
            raise ReportError(
                f"no Jupyter kernel named {name!r} ({where}); installed: {', '.join(sorted(installed))}"
            )


def _shown(path: str | os.PathLike) -> str:
    """``path`` relative to the working directory (as run.json and saved notebooks show it)."""
    try:
        return os.path.relpath(Path(path).resolve(), Path.cwd().resolve())
    except ValueError:  # another drive on Windows
        return os.fspath(path)


def input_hashes(corpus_path: Path) -> dict[str, str]:
    """SHA-256 of every file of the corpus (a folder's files, or the one table file)."""
    files = (
        [corpus_path] if corpus_path.is_file() else sorted(p for p in corpus_path.rglob("*") if p.is_file())
    )
    base = corpus_path.parent if corpus_path.is_file() else corpus_path
    return {str(p.relative_to(base)): file_sha256(p) for p in files}


def _versions() -> dict[str, str]:
    return {d.metadata["Name"].lower(): d.version for d in metadata.distributions() if d.metadata["Name"]}


def _execute(
    notebook: Path,
    output: Path,
    parameters: dict,
    kernel_name: str | None,
    cwd: Path,
    kernel_manager_class: type,
) -> None:
    papermill = _papermill()
    from papermill.exceptions import PapermillExecutionError

    env_defaults = {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "PYTHONHASHSEED": "0"}
    for key, value in env_defaults.items():
        os.environ.setdefault(key, value)
    try:
        papermill.execute_notebook(
            str(notebook),
            str(output),
            parameters=parameters,
            kernel_name=kernel_name,
            cwd=str(cwd),
            progress_bar=False,
            log_output=False,
            report_mode=False,
            kernel_manager_class=kernel_manager_class,
        )
    except PapermillExecutionError as exc:
        raise ReportError(
            f"{notebook.name}: {_describe_cell(notebook, exc.source)} failed: "
            f"{exc.ename}: {' '.join(str(exc.evalue).split())[:400]}"
        ) from None


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
    force: bool = False,
    log=print,
    progress: bool = False,
    verbose: bool = False,
) -> list[NotebookRun]:
    """Run every notebook on ``corpus`` and write figures, executed notebooks and ``run.json`` to ``out``.

    Parameters
    ----------
    corpus : path
        Anything :func:`analysis.corpus._load.load_corpus` accepts.
    out : path
        Output folder, written only if it is absent, empty or an earlier report's folder (holding
        its marker); replaced only when every notebook succeeded, and then only the files the
        earlier report recorded writing. See docs/report.md for the folders always refused.
    notebooks_dir : path, optional
        Where the ``NN_slug.ipynb`` notebooks are (default: the checkout's ``notebooks/``).
    only : list of str, optional
        Run only notebooks whose names start with one of these prefixes (e.g. ``["01", "03"]``);
        each prefix must match a notebook.
    parameters : dict, optional
        Extra notebook parameters; each name must be declared by a selected notebook, and each value
        must fit the declared literal's type and the range its name implies (``top_k`` >= 1, ...).
        ``corpus_path`` and ``out_dir`` are the runner's (``corpus`` and ``out``).
    per_notebook : dict, optional
        Parameters for single notebooks, keyed by notebook stem (``"02_topics"``); they override
        ``parameters`` and must be declared by that notebook.
    kernel_name : str, optional
        Jupyter kernel (default: the notebook's own kernelspec); must be installed.
    jobs : int
        Notebooks run at once (they are independent; outputs do not depend on this).
    force : bool
        Write into a non-empty folder that no report wrote; its files are kept, and a file of its
        own where the report writes one stops the run.
    log : callable
        Receives progress lines: each notebook as it starts and ends ("notebook k of n", with the
        time since the run started).
    progress : bool
        Show a bar on stderr while paragraphs and sentences are embedded (when some are not cached).
    verbose : bool
        Let third-party libraries print their loading bars and warnings, here and in the kernels
        (sets ``$COVERAGE_COMPARE_VERBOSE`` for the run).

    Returns
    -------
    list of NotebookRun

    Raises
    ------
    ReportError
        One line: a refused output folder, parameter or kernel, a locked output folder, or a failing
        notebook (naming the notebook, the cell and the error). ``out`` is left untouched.
    KeyboardInterrupt
        On SIGINT (and SIGTERM where the caller turns it into one): every kernel is killed, the
        staging folder removed and ``out`` left untouched.
    """
    analysis.setup()
    run_started = time.perf_counter()
    corpus_path = Path(corpus).resolve()
    nb_dir = Path(notebooks_dir).resolve() if notebooks_dir else default_notebooks_dir()
    notebooks = discover_notebooks(nb_dir, only)
    entries = ["run.json", "report.html", "notebooks", *(nb.stem for nb in notebooks)]
    check_output(
        out, command="report", corpus=corpus_path, force=force, entries=entries
    )  # before any slow step
    declared = {nb: notebook_parameters(nb) for nb in notebooks}
    given = _selected_parameters(notebooks, declared, nb_dir, dict(parameters or {}), per_notebook or {})
    _check_kernels(notebooks, kernel_name)
    loaded = load_corpus(corpus_path)  # fail fast, with the loader's one-line message
    shown_corpus, shown_out, out_path = _shown(corpus_path), _shown(out), Path(out).resolve()

    with output_folder(
        out, command="report", corpus=corpus_path, force=force, entries=entries, log=log
    ) as staging:
        (staging / "notebooks").mkdir()
        replacements = path_replacements(
            {
                str(staging): shown_out,
                str(corpus_path): shown_corpus,
                str(nb_dir): _shown(nb_dir),
                sys.prefix: "<python>",
                str(Path.cwd().resolve()): ".",
                str(Path.home()): "~",
            }
        )
        plans = [
            (
                nb,
                {
                    **{
                        k: v
                        for k, v in {"corpus_path": str(corpus_path), "out_dir": str(staging)}.items()
                        if k in declared[nb]
                    },
                    **given[nb],
                },
            )
            for nb in notebooks
        ]
        parsing = _start_parse(loaded, notebooks, log)
        try:
            with _verbosity(verbose):
                _precompute_embeddings(
                    loaded,
                    {
                        params.get("embedding_model", declared[nb]["embedding_model"])
                        for nb, params in plans
                        if "embedding_model" in declared[nb]
                    },
                    log,
                    progress=progress,
                )
            if parsing is not None and parsing.poll() is None:
                log("waiting for the spaCy parse to finish ...")
            if parsing is not None and parsing.wait() != 0:
                log("the spaCy parse was not precomputed; notebooks that need it will parse")
        finally:
            if parsing is not None and parsing.poll() is None:
                parsing.kill()
                parsing.wait()
        # no progress bars in the kernels: papermill would keep every redraw in the executed notebook
        kernels = KernelGroup(env={NO_PROGRESS_ENV: "1", **({VERBOSE_ENV: "1"} if verbose else {})})
        manager_class = kernels.manager_class()
        position = {nb.name: k for k, nb in enumerate(notebooks, start=1)}

        def step(nb: Path) -> str:
            return f"[notebook {position[nb.name]} of {len(notebooks)}, {_elapsed(run_started)} elapsed]"

        def run_one(plan) -> NotebookRun:
            nb, params = plan
            if kernels.stopping:
                raise RunInterrupted(f"{nb.name} not started: the run was interrupted")
            log(f"running {nb.name} ... {step(nb)}")
            started = time.time()
            executed = staging / "notebooks" / nb.name
            _execute(nb, executed, params, kernel_name, nb_dir, manager_class)
            clean_executed_notebook(executed, replacements)
            fig_dir = staging / nb.stem
            files = (
                sorted(p.relative_to(staging).as_posix() for p in fig_dir.rglob("*") if p.is_file())
                if fig_dir.exists()
                else []
            )
            recorded = {**declared[nb], **params, "corpus_path": shown_corpus, "out_dir": shown_out}
            run = NotebookRun(
                nb.name,
                {k: v for k, v in recorded.items() if k in declared[nb]},
                started,
                time.time(),
                files,
                kernels.pop_peak(),
            )
            memory = f", peak {run.peak_rss_mb:,.0f} MB" if run.peak_rss is not None else ""
            log(f"  {nb.name}: {run.seconds:.1f} s, {len(files)} files{memory} {step(nb)}")
            return run

        runs = _run_notebooks(plans, run_one, jobs, kernels, out_path)
        _write_manifest(staging, corpus_path, out_path, loaded, runs)
        build_report_html(staging)
    prune("render", RENDER_CACHE_MAX_BYTES)
    return runs


def _run_notebooks(
    plans: list, run_one, jobs: int, kernels: KernelGroup, out_path: Path
) -> list[NotebookRun]:
    """Run the plans on worker threads while the main thread waits, waking twice a second.

    A signal may land on any thread, but Python runs its handler only in the main thread, and only
    when that thread runs: a main thread blocked in an untimed wait would sit on SIGINT/SIGTERM for
    as long as the notebooks take. When anything goes wrong (a failing notebook, an interrupt),
    every kernel still running is killed and notebooks not yet started never start, before the
    exception goes on.
    """
    pool = ThreadPoolExecutor(max_workers=max(1, min(jobs, len(plans))), thread_name_prefix="notebook")
    try:
        pending = {pool.submit(run_one, plan) for plan in _longest_first(plans, out_path)}
        finished = {}
        while pending:
            done, pending = wait(pending, timeout=0.5, return_when=FIRST_EXCEPTION)
            for future in done:
                run = future.result()  # raises the notebook's error
                finished[run.notebook] = run
    except BaseException:
        papermill_log = logging.getLogger("papermill")
        quiet = papermill_log.disabled
        papermill_log.disabled = (
            True  # "Kernel died while waiting...": the kernels are being stopped on purpose
        )
        try:
            with deferred_interrupts():
                kernels.stop_all()
                pool.shutdown(wait=True, cancel_futures=True)
        finally:
            papermill_log.disabled = quiet
        raise
    pool.shutdown()
    return [finished[nb.name] for nb, _ in plans]


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


@contextmanager
def _verbosity(verbose: bool) -> Iterator[None]:
    """``$COVERAGE_COMPARE_VERBOSE`` set to 1 while the block runs when ``verbose``, then as it was."""
    previous = os.environ.get(VERBOSE_ENV)
    if verbose:
        os.environ[VERBOSE_ENV] = "1"
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop(VERBOSE_ENV, None)
        else:
            os.environ[VERBOSE_ENV] = previous


def _elapsed(since: float) -> str:
    """Wall time since ``since`` (a ``time.perf_counter()`` reading) as H:MM:SS."""
    seconds = int(time.perf_counter() - since)
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


#: What a notebook's code calls that parses (see :func:`_start_parse`): articles or sentences.
_PARSING_CALLS = {"articles": ("extract_quotes(",), "sentences": ("entity_mentions(", "actor_mentions(")}


def _start_parse(corpus, notebooks: list[Path], log) -> subprocess.Popen | None:
    """Start parsing, in a child process beside the embedding, the texts the notebooks will parse with
    spaCy: every article when a notebook extracts quotes, every sentence when one finds entities or actors.

    Those texts are parsed once, whatever the number of notebooks that read the parse and however many
    run side by side (:func:`analysis.nlp.parse_apart`; each notebook then reads the cache). Which
    notebooks parse is read from their code (the calls in ``_PARSING_CALLS``); None when none does or
    spaCy is off (``$COVERAGE_COMPARE_NO_SPACY=1``).
    """
    if os.environ.get("COVERAGE_COMPARE_NO_SPACY") == "1":
        return None
    code = " ".join(nb.read_text(encoding="utf-8") for nb in notebooks)
    texts = {
        "articles": corpus.articles["text"].tolist(),
        "sentences": corpus.sentences["text"].tolist(),
    }
    batches = {what: texts[what] for what, calls in _PARSING_CALLS.items() if any(c in code for c in calls)}
    if not batches:
        return None
    log(
        "parsing "
        + " and ".join(f"{len(t):,} {what}" for what, t in batches.items())
        + " with spaCy alongside"
    )
    return parse_apart(batches)


def _precompute_embeddings(corpus, models: set, log, *, progress: bool = False) -> None:
    """Embed every text the notebooks embed, once, in a fixed order, before notebooks run: every
    paragraph and sentence, every article's story lead, and every figure's masked sentence and
    counted phrase.

    A vector's last bits depend on the batch it was computed in. Filling the cache first, in corpus
    order, means notebooks running side by side read the same vector for the same text (no race over
    who computes it first), and a cold run gives the figures a warm run gives. Leads and figures are
    embedded in the calls :func:`analysis.topics.cluster_stories` and
    :func:`analysis.claims.compare_numbers` make, so their vectors are the ones those would compute.
    No kernel then loads the model (each load costs seconds and several hundred MB per kernel), and
    no two kernels embed the same text side by side. The embedding runs in a child process
    (:func:`analysis.nlp.embed_apart`), so the runner does not hold torch while the notebooks run.
    """
    if not models:
        return
    contexts, counted = claim_texts(extract_numbers(corpus))
    batches = {
        "paragraphs and sentences": list(
            dict.fromkeys([*corpus.paragraphs["text"], *corpus.sentences["text"]])
        ),
        "story leads": story_leads(corpus.articles, corpus.paragraphs)["lead"].tolist(),
        "figures in context": contexts,
        "counted phrases of figures": counted,
    }
    for model in sorted(models, key=str):
        try:
            embed_apart(batches, model=model or None, progress=progress)
        except EmbeddingModelError as exc:
            log(f"embeddings not precomputed ({exc}); notebooks that need them will report it")


def _seeds_of(runs: list[NotebookRun]) -> dict:
    return {
        r.notebook: {k: v for k, v in r.parameters.items() if "seed" in k or "random_state" in k}
        for r in runs
    }


def _import_relative(path: str) -> str:
    """``path`` relative to the ``sys.path`` entry that holds it (as a package would be imported), so that a
    committed run.json names no machine-specific folder; unchanged when no entry holds it."""
    resolved = Path(path).resolve()
    entries = sorted({Path(e).resolve() for e in sys.path if e}, key=lambda e: len(e.parts), reverse=True)
    for entry in entries:
        if resolved.is_relative_to(entry) and resolved != entry:
            return resolved.relative_to(entry).as_posix()
    return path


def _embedding_models(runs: list[NotebookRun]) -> dict:
    names = {r.parameters.get("embedding_model") or None for r in runs if "embedding_model" in r.parameters}
    models = {}
    for name in sorted(names, key=str) or [None]:
        try:
            info = model_info(name)
            models[info.name] = {
                "path": _import_relative(info.path),
                "sha256": info.sha256,
                "backend": resolve_backend(None, model=name),
            }
        except EmbeddingModelError as exc:
            models[str(name)] = {"error": str(exc)}
    return models


def _write_manifest(
    staging: Path, corpus_path: Path, out_path: Path, corpus, runs: list[NotebookRun]
) -> None:
    """``run.json``: corpus (path relative to the working directory and to ``out``; no absolute path), hashes,
    models, seeds, notebooks with their parameters, times and files, and package versions."""
    manifest = {
        "package": "coverage-compare",
        "version": metadata.version("coverage-compare"),
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "corpus": {
            "path": _shown(corpus_path),
            "path_from_out": os.path.relpath(corpus_path, out_path),
            "n_articles": int(len(corpus.articles)),
            "outlets": corpus.outlets,
            "files_sha256": input_hashes(corpus_path),
        },
        "embedding_models": _embedding_models(runs),
        "random_seeds": _seeds_of(runs),
        "notebooks": [
            {
                "notebook": r.notebook,
                "parameters": r.parameters,
                "started": r.started,
                "ended": r.ended,
                "seconds": r.seconds,
                "peak_rss_mb": r.peak_rss_mb,
                "files": r.figures,
            }
            for r in runs
        ],
        "dependencies": _versions(),
    }
    write_bytes_atomic(staging / "run.json", (json.dumps(manifest, indent=2, sort_keys=True) + "\n").encode())


#: Files ``--check`` does not compare, and why (every other file of the folder is compared byte for byte).
NOT_COMPARED = {
    "run.json": "it records times, durations and package versions",
    "notebooks/*.ipynb": "they record execution times",
    MARKER: "it records the process id",
}
#: What a byte-for-byte comparison of the drawn figures depends on.
RENDERING_NOTE = (
    ".svg and .png files are compared too; their bytes depend on the installed fonts and the "
    "vl-convert version, so on another machine they can differ while the figure data agree"
)


def _read_manifest(out: Path) -> dict:
    """``<out>/run.json``, checked for what a rerun needs; one-line :class:`ReportError` otherwise."""
    path = out / "run.json"
    if not path.is_file():
        raise ReportError(f"{out}: no run.json; not a report folder")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise ReportError(f"{path}: not valid JSON ({exc}); cannot check this folder") from None
    corpus = manifest.get("corpus") if isinstance(manifest, dict) else None
    entries = manifest.get("notebooks") if isinstance(manifest, dict) else None
    problem = (
        "is not a JSON object"
        if not isinstance(manifest, dict)
        else "records no corpus path (corpus.path)"
        if not isinstance(corpus, dict) or not isinstance(corpus.get("path"), str)
        else "lists no notebooks"
        if not isinstance(entries, list) or not entries
        else "has a notebooks entry without a notebook name and parameters"
        if not all(
            isinstance(e, dict)
            and isinstance(e.get("notebook"), str)
            and isinstance(e.get("parameters"), dict)
            for e in entries
        )
        else None
    )
    if problem:
        raise ReportError(f"{path} {problem}; cannot check this folder")
    return manifest


def _recorded_corpus(out: Path, corpus: dict) -> Path:
    """The corpus a run.json names: ``path_from_out`` (relative to ``out``); older files: ``path`` (same) or ``absolute_path``."""
    candidates = (
        [out / corpus["path_from_out"]]
        if isinstance(corpus.get("path_from_out"), str)
        else [
            out / corpus["path"],
            *([Path(corpus["absolute_path"])] if isinstance(corpus.get("absolute_path"), str) else []),
        ]
    )
    for candidate in candidates:
        if candidate.exists():
            return candidate.resolve()
    raise ReportError(f"the corpus recorded in {out / 'run.json'} is not at {candidates[0]}; cannot rerun it")


def check_report(out: str | Path, *, jobs: int = 1, log=print, verbose: bool = False) -> list[str]:
    """Rerun the report recorded in ``<out>/run.json`` and compare every file it wrote byte for byte.

    Files in :data:`NOT_COMPARED` are skipped (they record times); figure data, figures (.svg, .png;
    see :data:`RENDERING_NOTE`), tables, summaries and ``report.html`` are compared.

    Returns
    -------
    list of str
        One line per file that differs, is missing or is new; empty when the rerun reproduced every file.

    Raises
    ------
    ReportError
        When ``out`` has no readable run.json (truncated, missing keys, no notebooks), in one line.
    """
    out = Path(out).resolve()
    manifest = _read_manifest(out)
    corpus = _recorded_corpus(out, manifest["corpus"])
    per_notebook = {
        Path(e["notebook"]).stem: {k: v for k, v in e["parameters"].items() if k not in RUNNER_PARAMETERS}
        for e in manifest["notebooks"]
    }
    scratch = scratch_folder(out, "check")
    try:
        fresh = scratch / "rerun"
        run_report(
            corpus,
            fresh,
            only=list(per_notebook),
            per_notebook=per_notebook,
            jobs=jobs,
            log=log,
            verbose=verbose,
        )
        return compare_report_files(out, fresh)
    finally:
        with deferred_interrupts():
            shutil.rmtree(scratch, ignore_errors=True)


def compare_report_files(expected: Path, actual: Path) -> list[str]:
    """Lines naming every file that differs between two report folders, except those in :data:`NOT_COMPARED`."""

    def files(root: Path) -> dict[str, Path]:
        found = {p.relative_to(root).as_posix(): p for p in sorted(root.rglob("*")) if p.is_file()}
        return {name: p for name, p in found.items() if not any(fnmatch(name, skip) for skip in NOT_COMPARED)}

    old, new = files(Path(expected)), files(Path(actual))
    lines = [f"missing in rerun: {name}" for name in sorted(set(old) - set(new))]
    lines += [f"new in rerun: {name}" for name in sorted(set(new) - set(old))]
    lines += [
        f"differs: {name}"
        for name in sorted(set(old) & set(new))
        if old[name].read_bytes() != new[name].read_bytes()
    ]
    return lines


def compare_figure_data(expected: Path, actual: Path) -> list[str]:
    """Lines naming every figure-data file (``NN_slug/*.csv|json``) that differs between two report folders."""

    def files(root: Path) -> dict[str, bytes]:
        return {
            str(p.relative_to(root)): p.read_bytes()
            for p in sorted(root.glob("[0-9][0-9]_*/*"))
            if p.suffix in {".csv", ".json"}
        }

    old, new = files(Path(expected)), files(Path(actual))
    lines = [f"missing in rerun: {name}" for name in sorted(set(old) - set(new))]
    lines += [f"new in rerun: {name}" for name in sorted(set(new) - set(old))]
    lines += [f"differs: {name}" for name in sorted(set(old) & set(new)) if old[name] != new[name]]
    return lines
