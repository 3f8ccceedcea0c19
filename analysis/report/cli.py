"""The ``coverage-compare`` command.

``coverage-compare report --corpus PATH --out DIR`` runs every notebook;
``coverage-compare inspect PATH`` prints what the loader makes of a corpus.
Errors in the input or in a notebook end the command with one line on stderr
and a non-zero exit status, never a traceback.
"""

from __future__ import annotations

import argparse
import ast
import sys

__all__ = ["main"]


def _parse_param(item: str) -> tuple[str, object]:
    if "=" not in item:
        raise argparse.ArgumentTypeError(f"--param expects KEY=VALUE, got {item!r}")
    key, raw = item.split("=", 1)
    try:
        value = ast.literal_eval(raw)
    except (ValueError, SyntaxError):
        value = raw
    return key.strip(), value


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="coverage-compare", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)

    rep = sub.add_parser("report", help="run the notebooks on a corpus and export figures")
    rep.add_argument("--corpus", default="seeds", help="corpus folder (with manifest) or .jsonl/.csv/.parquet file")
    rep.add_argument("--out", default="figures", help="output folder, replaced only when the run succeeds")
    rep.add_argument("--notebooks", default=None, help="comma-separated name prefixes to run, e.g. 01,03")
    rep.add_argument("--notebooks-dir", default=None, help="folder of NN_slug.ipynb notebooks")
    rep.add_argument("--param", action="append", type=_parse_param, default=[], metavar="KEY=VALUE",
                     help="notebook parameter (Python literal or plain string); repeatable")
    rep.add_argument("--kernel", default=None, help="Jupyter kernel name (default: the notebooks' own)")
    rep.add_argument("--jobs", type=int, default=2, help="notebooks run at once (default 2; results do not depend on it)")
    rep.add_argument("--check", metavar="DIR", default=None,
                     help="rerun the report recorded in DIR/run.json and list figure data (.csv/.json) that differs")

    ter = sub.add_parser("terms", help="term counts and log-odds contrasts over a corpus of any size, in batches")
    ter.add_argument("corpus", help="manifest folder, .jsonl/.csv/.parquet file or folder of .parquet shards")
    ter.add_argument("--out", required=True, help="folder for counts.parquet and contrast.parquet")
    ter.add_argument("--engine", choices=["local", "dask"], default="local")
    ter.add_argument("--scheduler", default=None, help="dask.distributed scheduler address (default: a LocalCluster)")
    ter.add_argument("--workers", type=int, default=2, help="LocalCluster workers when no --scheduler is given")
    ter.add_argument("--batch-size", type=int, default=10_000, help="articles per batch")
    ter.add_argument("--ngram", type=int, nargs=2, default=[1, 2], metavar=("LOW", "HIGH"))
    ter.add_argument("--unit", choices=["paragraphs", "sentences", "articles"], default="paragraphs")
    ter.add_argument("--min-count", type=int, default=1)
    ter.add_argument("--max-terms", type=int, default=None, help="bound the merged vocabulary (reported when it prunes)")

    ins = sub.add_parser("inspect", help="load a corpus and print its outlets, sizes and removed boilerplate")
    ins.add_argument("corpus")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit status."""
    args = _build_parser().parse_args(argv)
    from analysis.corpus._load import CorpusError
    from analysis.report._runner import ReportError

    try:
        if args.command == "report":
            return _report(args)
        if args.command == "terms":
            return _terms(args)
        return _inspect(args)
    except (CorpusError, ReportError) as exc:
        print(f"coverage-compare: error: {exc}", file=sys.stderr)
        return 2 if isinstance(exc, CorpusError) else 1


def _report(args) -> int:
    from analysis.report._runner import check_report, run_report

    if args.check:
        diffs = check_report(args.check, jobs=args.jobs, log=lambda msg: print(msg, file=sys.stderr))
        for line in diffs:
            print(line)
        print(f"{args.check}: {'reproduced exactly' if not diffs else f'{len(diffs)} file(s) differ'}")
        return 1 if diffs else 0
    only = [p.strip() for p in args.notebooks.split(",")] if args.notebooks else None
    runs = run_report(
        args.corpus, args.out, notebooks_dir=args.notebooks_dir, only=only, parameters=dict(args.param),
        kernel_name=args.kernel, jobs=args.jobs, log=lambda msg: print(msg, file=sys.stderr),
    )
    total = sum(r.seconds for r in runs)
    print(f"wrote {args.out}: {len(runs)} notebooks, {sum(len(r.figures) for r in runs)} files, {total:.1f} s")
    return 0


def _terms(args) -> int:
    from pathlib import Path

    from analysis.infra.atomic import write_bytes_atomic
    from analysis.scale._engine import count_terms_at_scale
    from analysis.terms._contrast import contrast

    result = count_terms_at_scale(
        args.corpus, unit=args.unit, ngram_range=tuple(args.ngram), min_count=args.min_count, max_terms=args.max_terms,
        batch_size=args.batch_size, engine=args.engine, scheduler=args.scheduler, n_workers=args.workers,
    )
    scores = contrast(result.counts)
    out = Path(args.out)
    for name, table in (("counts", result.counts), ("contrast", scores)):
        write_bytes_atomic(out / f"{name}.parquet", table.to_parquet(index=False))
    print(f"{result.n_articles} articles, {result.n_tokens} tokens, {result.n_batches} batches, "
          f"{len(result.counts)} (outlet, term) rows -> {out}/counts.parquet, {out}/contrast.parquet")
    for note in result.notes:
        print(f"note: {note}")
    return 0


def _inspect(args) -> int:
    from analysis.corpus._describe import outlet_summary, removed_summary
    from analysis.corpus._load import load_corpus

    corpus = load_corpus(args.corpus)
    print(outlet_summary(corpus).to_string(index=False))
    removed = removed_summary(corpus)
    print(f"\nremoved: {len(corpus.removed)} paragraphs")
    if not removed.empty:
        print(removed.drop(columns="paragraph_ids").to_string(index=False))
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
