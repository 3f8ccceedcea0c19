"""The ``coverage-compare`` command.

``coverage-compare report --corpus PATH --out DIR`` runs every notebook;
``coverage-compare terms PATH --out DIR`` counts terms at any scale;
``coverage-compare inspect PATH`` prints what the loader makes of a corpus;
``coverage-compare ingest SOURCES... --out DIR`` turns saved pages, WARC files and feeds into a corpus.
Every error (input, output folder, parameter, notebook, kernel, scheduler) ends
the command with one line on stderr and a non-zero exit status; ``--debug``
shows the traceback instead. SIGINT and SIGTERM stop a run with one line, after
every kernel is shut down and the unfinished output removed. ``report`` shows its
own progress on stderr (a bar while texts are embedded, each notebook as "notebook
k of n" with the time elapsed) and ends with the real wall time; third-party
warnings and progress bars reach the console only with ``--verbose``.
"""

from __future__ import annotations

import argparse
import ast
import signal
import socket
import sys
import threading
import time
import warnings
from contextlib import nullcontext
from pathlib import Path
from urllib.parse import urlsplit

from analysis.report._errors import ReportError

__all__ = ["main"]

#: Seconds ``terms --engine dask --scheduler ADDRESS`` waits for the scheduler before giving up.
SCHEDULER_TIMEOUT_S = 10

DESCRIPTION = (
    "coverage-compare: compare how news outlets covered the same events. 'report' runs the analysis "
    "notebooks on a corpus and writes figures, tables, the executed notebooks and report.html; 'terms' "
    "counts terms and contrasts outlets over a corpus of any size; 'inspect' prints what the loader makes "
    "of a corpus. Errors end with one line on stderr and a non-zero exit status (--debug shows the traceback)."
)

OUTPUT_RULES = """\
output folder rules:
  --out is written only if it does not exist, is an empty folder, or holds an
  earlier output of the same command (it carries a .coverage-compare-output
  marker listing the files that run wrote). Any other folder is refused unless
  --force is given; with --force the output is added next to the folder's own
  files, and none of them is deleted or replaced.
  Refused even with --force: an empty path, a symbolic link, a file, the
  filesystem root, your home folder, the working directory or any folder that
  contains it, the corpus, any folder that contains the corpus, and any folder
  inside the corpus folder (it would be read as input).
  The output is built in a hidden staging folder next to --out and moved in only
  when the run succeeds; replacing an earlier output deletes only the files that
  run recorded. A second run into the same folder is refused while the first
  holds its lock (.OUT.lock next to the folder). Ctrl-C or SIGTERM stops the run,
  shuts every kernel down and leaves --out as it was.
"""


class _Parser(argparse.ArgumentParser):
    """argparse with one-line usage errors."""

    def error(self, message: str):
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


class _Terminated(KeyboardInterrupt):
    """SIGTERM, raised like Ctrl-C so that every cleanup that handles one handles both."""


def _raise_terminated(signum, frame):
    raise _Terminated


def _parse_param(item: str) -> tuple[str, object]:
    if "=" not in item:
        raise argparse.ArgumentTypeError(f"--param expects KEY=VALUE, got {item!r}")
    key, raw = item.split("=", 1)
    try:
        value = ast.literal_eval(raw)
    except (ValueError, SyntaxError):
        value = raw
    return key.strip(), value


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number >= 1, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number >= 1, got {value}")
    return value


def _build_parser() -> argparse.ArgumentParser:
    common = _Parser(add_help=False)
    common.add_argument("--debug", action="store_true", help="show the full traceback of an error")
    parser = _Parser(prog="coverage-compare", description=DESCRIPTION)
    sub = parser.add_subparsers(dest="command", required=True, metavar="{report,terms,inspect,ingest}")
    raw = argparse.RawDescriptionHelpFormatter

    rep = sub.add_parser(
        "report",
        parents=[common],
        formatter_class=raw,
        epilog=OUTPUT_RULES,
        help="run the notebooks on a corpus and export figures",
        description="Run the analysis notebooks on a corpus and write figures, tables, the executed\n"
        "notebooks, run.json and report.html to --out.",
    )
    rep.add_argument(
        "--corpus",
        default="seeds",
        help="corpus folder (with manifest) or .jsonl/.csv/.parquet file (default: %(default)s)",
    )
    rep.add_argument(
        "--out", default="figures", help="output folder; see the rules below (default: %(default)s)"
    )
    rep.add_argument(
        "--force",
        action="store_true",
        help="write into a non-empty folder that coverage-compare did not write (its files are kept)",
    )
    rep.add_argument(
        "--notebooks",
        default=None,
        metavar="PREFIXES",
        help="comma-separated name prefixes to run, e.g. 01,03 (default: all notebooks)",
    )
    rep.add_argument(
        "--notebooks-dir",
        default=None,
        metavar="DIR",
        help="folder of NN_slug.ipynb notebooks (default: the checkout's notebooks/)",
    )
    rep.add_argument(
        "--param",
        action="append",
        type=_parse_param,
        default=[],
        metavar="KEY=VALUE",
        help="notebook parameter (Python literal or plain string), checked against the type and "
        "range the notebook declares; repeatable. corpus_path and out_dir come from --corpus/--out",
    )
    rep.add_argument(
        "--kernel", default=None, help="installed Jupyter kernel name (default: the notebooks' own)"
    )
    rep.add_argument(
        "--jobs",
        type=_positive_int,
        default=2,
        help="notebooks run at once (default: %(default)s; results do not depend on it)",
    )
    rep.add_argument(
        "--verbose",
        action="store_true",
        help="let third-party libraries print their warnings and progress bars (model loading, "
        "transformers) on the console; by default only the report's own progress is shown",
    )
    rep.add_argument(
        "--check",
        metavar="DIR",
        default=None,
        help="rerun the report recorded in DIR/run.json and list every file that differs "
        "(run.json and the executed notebooks are not compared: they record times)",
    )

    ter = sub.add_parser(
        "terms",
        parents=[common],
        formatter_class=raw,
        epilog=OUTPUT_RULES,
        help="term counts and log-odds contrasts over a corpus of any size, in batches",
        description="Count terms per outlet in batches and write counts.parquet and\n"
        "contrast.parquet (log-odds, informative prior) to --out.",
    )
    ter.add_argument("corpus", help="manifest folder, .jsonl/.csv/.parquet file or folder of .parquet shards")
    ter.add_argument(
        "--out", required=True, help="folder for counts.parquet and contrast.parquet; see the rules below"
    )
    ter.add_argument(
        "--force",
        action="store_true",
        help="write into a non-empty folder that coverage-compare did not write (its files are kept)",
    )
    ter.add_argument(
        "--engine",
        choices=["local", "dask"],
        default="local",
        help="where batches run: this process, or a dask.distributed cluster (default: %(default)s)",
    )
    ter.add_argument(
        "--scheduler",
        default=None,
        metavar="ADDRESS",
        help=f"dask.distributed scheduler, e.g. tcp://host:8786; given up after {SCHEDULER_TIMEOUT_S} s "
        "without an answer (default: a LocalCluster on this machine)",
    )
    ter.add_argument(
        "--workers",
        type=_positive_int,
        default=2,
        help="processes counting batches (local engine) or LocalCluster workers when no --scheduler is "
        "given (default: %(default)s)",
    )
    ter.add_argument(
        "--batch-size", type=_positive_int, default=10_000, help="articles per batch (default: %(default)s)"
    )
    ter.add_argument(
        "--ngram",
        type=_positive_int,
        nargs=2,
        default=[1, 2],
        metavar=("LOW", "HIGH"),
        help="shortest and longest n-gram counted, 1 <= LOW <= HIGH (default: 1 2)",
    )
    ter.add_argument(
        "--unit",
        choices=["paragraphs", "sentences", "articles"],
        default="paragraphs",
        help="text unit whose term frequencies are counted (default: %(default)s)",
    )
    ter.add_argument(
        "--min-count",
        type=_positive_int,
        default=1,
        help="drop (outlet, term) pairs seen fewer times than this (default: %(default)s)",
    )
    ter.add_argument(
        "--max-terms",
        type=_positive_int,
        default=None,
        help="bound the merged vocabulary (reported when it prunes; default: no bound)",
    )

    ins = sub.add_parser(
        "inspect",
        parents=[common],
        help="load a corpus and print its outlets, sizes and removed boilerplate",
        description="Load a corpus and print its outlets, sizes and the boilerplate the loader removed.",
    )
    ins.add_argument("corpus", help="corpus folder (with manifest) or .jsonl/.csv/.parquet file")
    _add_ingest_parser(sub, common)
    return parser


def _add_ingest_parser(sub, common) -> None:
    ing = sub.add_parser(
        "ingest",
        parents=[common],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=OUTPUT_RULES.replace("the corpus", "a source"),
        help="turn saved web pages, WARC files and RSS/Atom or sitemap files into a corpus folder",
        description="Extract articles (main text, title, author, date, outlet) from saved .html pages,\n"
        ".warc/.warc.gz files and feeds or sitemaps into --out: manifest.csv, texts/, diffs/ and\n"
        "skipped.csv, a corpus folder that 'report' reads. Duplicates and versions are linked, not dropped.",
    )
    ing.add_argument(
        "sources", nargs="+", metavar="SOURCE", help=".html, .warc(.gz), .xml/.rss/.atom files or folders"
    )
    ing.add_argument("--out", required=True, help="corpus folder to write; see the rules below")
    ing.add_argument(
        "--force",
        action="store_true",
        help="write into a non-empty folder that coverage-compare did not write (its files are kept)",
    )
    ing.add_argument(
        "--outlet-map",
        metavar="CSV",
        default=None,
        help="CSV with columns domain,outlet naming the outlet of each domain (default: the URL's domain)",
    )
    ing.add_argument(
        "--fetch",
        action="store_true",
        help="download the URLs that feeds list and no saved page holds (needs the network)",
    )
    ing.add_argument(
        "--near-duplicate",
        type=float,
        default=0.8,
        metavar="JACCARD",
        help="shingle Jaccard from which two texts are near-duplicates (default: %(default)s)",
    )
    ing.add_argument(
        "--engine",
        choices=["local", "dask"],
        default="local",
        help="where pages are extracted (default: %(default)s; results do not depend on it)",
    )
    ing.add_argument(
        "--scheduler", default=None, metavar="ADDRESS", help="dask.distributed scheduler address"
    )
    ing.add_argument(
        "--workers", type=_positive_int, default=2, help="LocalCluster workers (default: %(default)s)"
    )


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:500] or type(exc).__name__


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit status (0 success, 1 error, 2 bad input or usage, 130/143 interrupted)."""
    parser = _build_parser()
    args = parser.parse_args(argv)
    if args.command == "terms" and args.ngram[0] > args.ngram[1]:
        parser.error(f"--ngram LOW HIGH needs LOW <= HIGH, got {args.ngram[0]} {args.ngram[1]}")
    from analysis.corpus import CorpusError  # defers pandas: --help and usage errors answer at once

    in_main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _raise_terminated) if in_main_thread else None
    try:
        if args.command == "report":
            return _report(args)
        if args.command == "terms":
            return _terms(args)
        if args.command == "ingest":
            return _ingest(args)
        return _inspect(args)
    except KeyboardInterrupt as exc:
        signum = signal.SIGTERM if isinstance(exc, _Terminated) else signal.SIGINT
        cleaned = (
            "; kernels were shut down and the unfinished output removed" if args.command != "inspect" else ""
        )
        print(f"coverage-compare: stopped by {signum.name}{cleaned}", file=sys.stderr)
        return 128 + signum
    except (CorpusError, ReportError) as exc:
        if args.debug:
            raise
        print(f"coverage-compare: error: {_one_line(exc)}", file=sys.stderr)
        return 2 if isinstance(exc, CorpusError) else 1
    except Exception as exc:
        if args.debug:
            raise
        print(
            f"coverage-compare: error: {type(exc).__name__}: {_one_line(exc)} (rerun with --debug for the traceback)",
            file=sys.stderr,
        )
        return 1
    finally:
        if in_main_thread:
            signal.signal(signal.SIGTERM, previous if previous is not None else signal.SIG_DFL)


def _log(msg: str) -> None:
    print(msg, file=sys.stderr)


def _report(args) -> int:
    started = time.perf_counter()
    with warnings.catch_warnings():
        if not args.verbose:
            _third_party_warnings_off()
        from analysis.report._runner import (  # defers papermill and nbformat until a report runs
            NOT_COMPARED,
            RENDERING_NOTE,
            check_report,
            run_report,
        )

        if args.check:
            diffs = check_report(args.check, jobs=args.jobs, log=_log, verbose=args.verbose)
            for line in diffs:
                print(line)
            print("not compared: " + "; ".join(f"{name} ({why})" for name, why in NOT_COMPARED.items()))
            print(f"note: {RENDERING_NOTE}")
            print(f"{args.check}: {'reproduced exactly' if not diffs else f'{len(diffs)} file(s) differ'}")
            return 1 if diffs else 0
        only = args.notebooks.split(",") if args.notebooks is not None else None
        runs = run_report(
            args.corpus,
            args.out,
            notebooks_dir=args.notebooks_dir,
            only=only,
            parameters=dict(args.param),
            kernel_name=args.kernel,
            jobs=args.jobs,
            force=args.force,
            log=_log,
            progress=True,
            verbose=args.verbose,
        )
    wall, kernel_time = time.perf_counter() - started, sum(r.seconds for r in runs)
    print(
        f"wrote {args.out}: {len(runs)} notebooks, {sum(len(r.figures) for r in runs)} files in "
        f"{wall:.1f} s wall time (notebooks {kernel_time:.1f} s in all, up to {args.jobs} at a time)"
    )
    return 0


def _third_party_warnings_off() -> None:
    """Ignore warnings raised outside ``analysis`` (call inside a ``warnings.catch_warnings()`` block).

    Libraries warn about their own deprecations and defaults (FutureWarning from pandas, torch, ...);
    on the console of a report they are noise a user cannot act on. ``--verbose`` shows them.
    """
    warnings.filterwarnings("ignore")
    warnings.filterwarnings("default", module=r"analysis(\.|$)")


def _probe_scheduler(address: str, timeout: float = SCHEDULER_TIMEOUT_S) -> None:
    """Refuse a Dask scheduler address that does not accept a connection within ``timeout`` seconds."""
    parts = urlsplit(address if "://" in address else f"tcp://{address}")
    if parts.scheme not in ("tcp", "tls"):
        return  # inproc://, ucx://...: left to dask
    try:
        host, port = parts.hostname, parts.port
    except ValueError:
        host, port = None, None
    if not host or not port:
        raise ReportError(f"--scheduler {address!r}: expected tcp://HOST:PORT")
    try:
        socket.create_connection((host, port), timeout=timeout).close()
    except OSError as exc:
        raise ReportError(
            f"cannot reach the Dask scheduler at {address} within {timeout:g} s: "
            f"{exc.strerror or _one_line(exc)}"
        ) from None


def _dask_timeouts():
    """Dask's connect timeout set to :data:`SCHEDULER_TIMEOUT_S` (its default is 30 s)."""
    import dask

    return dask.config.set({"distributed.comm.timeouts.connect": f"{SCHEDULER_TIMEOUT_S}s"})


def _terms(args) -> int:
    from analysis.infra.atomic import write_bytes_atomic  # light, imported here with its neighbours
    from analysis.report._output import check_output, output_folder  # light, imported with its neighbours
    from analysis.scale import count_terms_at_scale  # defers polars, numba and Dask until terms are counted
    from analysis.terms import contrast  # defers scipy until terms are contrasted

    entries = ("counts.parquet", "contrast.parquet")
    check_output(args.out, command="terms", corpus=args.corpus, force=args.force, entries=entries)
    if args.engine == "dask" and args.scheduler:
        _probe_scheduler(args.scheduler)
    with output_folder(
        args.out, command="terms", corpus=args.corpus, force=args.force, entries=entries, log=_log
    ) as staging:
        with _dask_timeouts() if args.engine == "dask" else nullcontext():
            result = count_terms_at_scale(
                args.corpus,
                unit=args.unit,
                ngram_range=tuple(args.ngram),
                min_count=args.min_count,
                max_terms=args.max_terms,
                batch_size=args.batch_size,
                engine=args.engine,
                scheduler=args.scheduler,
                n_workers=args.workers,
            )
        scores = contrast(result.counts)
        for name, table in (("counts", result.counts), ("contrast", scores)):
            write_bytes_atomic(staging / f"{name}.parquet", table.to_parquet(index=False))
    out = Path(args.out)
    print(
        f"{result.n_articles} articles, {result.n_tokens} tokens, {result.n_batches} batches, "
        f"{len(result.counts)} (outlet, term) rows -> {out}/counts.parquet, {out}/contrast.parquet"
    )
    for note in result.notes:
        print(f"note: {note}")
    return 0


def _ingest(args) -> int:
    from analysis.ingest import OUTPUT_ENTRIES, ingest  # defers lxml and pandas until pages are ingested
    from analysis.report._output import check_output, output_folder  # light, imported with its neighbours

    if not 0 < args.near_duplicate <= 1:
        raise ReportError(f"--near-duplicate must be in (0, 1], got {args.near_duplicate}")
    for source in args.sources:  # --out may not be, contain or lie inside any source
        check_output(args.out, command="ingest", corpus=source, force=args.force, entries=OUTPUT_ENTRIES)
    if args.engine == "dask" and args.scheduler:
        _probe_scheduler(args.scheduler)
    with output_folder(
        args.out, command="ingest", corpus=args.sources[0], force=args.force, entries=OUTPUT_ENTRIES, log=_log
    ) as staging:
        with _dask_timeouts() if args.engine == "dask" else nullcontext():
            result = ingest(
                args.sources,
                staging,
                outlet_map=args.outlet_map,
                fetch=args.fetch,
                near_duplicate=args.near_duplicate,
                engine=args.engine,
                scheduler=args.scheduler,
                n_workers=args.workers,
            )
    articles = result.articles
    print(
        f"{len(articles)} articles, duplicate groups: {articles['duplicate_group'].nunique()}, URLs with "
        f"several versions: {articles['version_of'].nunique()}, inputs set aside: {len(result.skipped)} "
        f"-> {Path(args.out) / 'manifest.csv'}"
    )
    if len(result.skipped):
        print(f"note: each input set aside and why: {Path(args.out) / 'skipped.csv'}")
    return 0


def _inspect(args) -> int:
    from analysis.corpus import (  # defers pandas until a corpus is read
        load_corpus,
        outlet_summary,
        removed_summary,
    )

    corpus = load_corpus(args.corpus)
    print(outlet_summary(corpus).to_string(index=False))
    removed = removed_summary(corpus)
    print(f"\nremoved: {len(corpus.removed)} paragraphs")
    if not removed.empty:
        print(removed.drop(columns="paragraph_ids").to_string(index=False))
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
