"""Throughput and peak memory of batched counting + log-odds contrast as the corpus grows, locally and
on a 2-worker Dask LocalCluster, printed side by side in one run.

    .venv/bin/python benchmarks/bench_scale.py                      # 10k and 100k articles
    .venv/bin/python benchmarks/bench_scale.py --sizes 10000,100000,1000000

Corpora are synthetic (analysis.scale._synthetic: real sentences resampled with outlet-specific vocabulary
shifts, ~600 words per article, 4 outlets) and cached in benchmarks/data/. Each measurement runs in
its own process so its peak RSS (ru_maxrss) is its own. Targets (issue 9): throughput flat or better
as N grows, peak memory under the stated bound, 2 Dask workers at least 1.6x one.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "benchmarks" / "data"

MEASURE = r"""
import json, resource, sys, time
sys.path.insert(0, {repo!r})
import analysis
analysis.setup()  # as the notebooks and the runner do (pandera's vectorised string check)
from analysis.scale._engine import count_terms_at_scale
from analysis.terms._contrast import contrast
if __name__ == "__main__":
    t0 = time.perf_counter()
    r = count_terms_at_scale({path!r}, ngram_range=(1, 1), batch_size={batch}, engine={engine!r}, n_workers={workers})
    t1 = time.perf_counter()
    scores = contrast(r.counts)
    t2 = time.perf_counter()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(dict(articles=r.n_articles, tokens=r.n_tokens, rows=len(r.counts), count_s=t1 - t0,
                          contrast_s=t2 - t1, peak_mb=peak_mb)))
"""


def corpus(n: int) -> Path:
    path = DATA / f"synthetic_{n}.parquet"
    if not path.exists():
        from analysis.scale._synthetic import write_corpus

        print(f"generating {path.name} ...", file=sys.stderr)
        write_corpus(path, n, n_outlets=4, words_per_article=600, random_state=0, row_group_size=2_000)
    return path


def measure(path: Path, *, engine: str = "local", workers: int = 2, batch: int = 2_000) -> dict:
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    if engine == "dask":
        env["POLARS_MAX_THREADS"] = "1"  # one core per worker, so the worker count is what scales
    code = MEASURE.format(repo=str(REPO), path=str(path), batch=batch, engine=engine, workers=workers)
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def line(label: str, m: dict) -> str:
    total = m["count_s"] + m["contrast_s"]
    return (
        f"{label:<28} {m['articles']:>9,} art {m['tokens'] / 1e6:>8.1f} M tok  count {m['count_s']:>7.1f} s  "
        f"contrast {m['contrast_s']:>5.2f} s  {m['tokens'] / total / 1e3:>7.0f} k tok/s  peak {m['peak_mb']:>6.0f} MB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--dask-size", type=int, default=100_000)
    args = parser.parse_args()
    sys.path.insert(0, str(REPO))
    sizes = [int(s) for s in args.sizes.split(",")]
    results = {}
    for n in sizes:
        results[n] = measure(corpus(n))
        print(line(f"local, {n:,}", results[n]), flush=True)
    path = corpus(args.dask_size)
    one = measure(path, engine="dask", workers=1)
    print(line(f"dask 1 worker, {args.dask_size:,}", one), flush=True)
    two = measure(path, engine="dask", workers=2)
    print(line(f"dask 2 workers, {args.dask_size:,}", two), flush=True)
    rate = {n: r["tokens"] / (r["count_s"] + r["contrast_s"]) for n, r in results.items()}
    first = sizes[0]
    print("throughput vs smallest    : " + ", ".join(f"{n:,}: {rate[n] / rate[first]:.2f}x" for n in sizes))
    print(
        f"dask speed-up 2 vs 1 worker: {(one['count_s'] + one['contrast_s']) / (two['count_s'] + two['contrast_s']):.2f}x "
        "(target >= 1.6x)"
    )
    print(
        f"peak memory, largest local : {results[sizes[-1]]['peak_mb']:.0f} MB (client process; workers hold one batch each)"
    )


if __name__ == "__main__":
    main()
