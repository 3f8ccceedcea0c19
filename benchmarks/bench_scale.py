"""Throughput and peak memory of batched counting + log-odds contrast as the corpus grows: the local
engine with one process and with two (the calling process and one spawned process sharing the
partitions), and a Dask LocalCluster of one and two workers, printed side by side in one run.

    .venv/bin/python benchmarks/bench_scale.py                      # 10k and 100k articles
    .venv/bin/python benchmarks/bench_scale.py --sizes 1000000 --dask-size 100000
    .venv/bin/python benchmarks/bench_scale.py --batch-cpu     # CPU per batch, stage by stage

Corpora are synthetic (analysis.scale._synthetic: real sentences resampled with outlet-specific vocabulary
shifts, ~600 words per article, 4 outlets) and cached in benchmarks/data/. Each measurement runs in
its own process tree, so its peak RSS (ru_maxrss) is its own: ``peak`` is the calling process,
``worker`` the largest pool or cluster process (the local engine's calling process counts a share
of the partitions too, so its ``peak`` includes one batch). ``cpu`` is user + system time of the whole tree
after the imports (the workers' imports included), so
``tok/cpu-s`` moves less than wall-clock throughput when other work shares the machine; the load
average (1 minute) before each run is printed with it. ``--batch-cpu`` times one process's work per
2,000-article batch (read, build, count, hand-off) in CPU seconds, the minimum over rounds: the
figure to compare before/after a change on a busy machine. Targets (issue 18): the local engine on 2
cores >= 4 M tokens/s with memory <= 2 GB; 2 Dask workers >= 1.8x one. Dask runs twice: once with a
LocalCluster started by ``count_terms_at_scale`` (its start-up, a few seconds whatever the worker
count, is timed), once on a cluster started and warmed up (on the 10,000-article corpus) before the
clock starts, as with ``scheduler=`` a running cluster's address. Single runs of a Dask cluster vary
by up to a third on this machine, so the ratio on running clusters is finally measured with a
1-worker and a 2-worker cluster both running, warmed up, timed in turn ``--repeat`` times (default 3),
best of each.
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
analysis.setup()  # as the notebooks and the runner do
from analysis.scale import count_terms_at_scale
from analysis.terms import contrast
if __name__ == "__main__":
    cluster = scheduler = None
    if {warm_path!r}:  # a running cluster, its workers warmed up on a small corpus: no start-up timed
        from analysis.infra.cluster import local_cluster  # as count_terms_at_scale starts one
        cluster = local_cluster({workers})
        scheduler = cluster.scheduler_address
        count_terms_at_scale({warm_path!r}, ngram_range=(1, 1), batch_size={batch}, engine="dask", scheduler=scheduler)
    cpu0 = resource.getrusage(resource.RUSAGE_SELF)
    t0 = time.perf_counter()
    r = count_terms_at_scale({path!r}, ngram_range=(1, 1), batch_size={batch}, engine={engine!r}, n_workers={workers},
                             scheduler=scheduler)
    t1 = time.perf_counter()
    scores = contrast(r.counts)
    t2 = time.perf_counter()
    if cluster is not None:
        cluster.close()  # its workers end: their CPU (warm-up included) and memory are counted below
    me, children = (resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    print(json.dumps(dict(articles=r.n_articles, tokens=r.n_tokens, rows=len(r.counts), count_s=t1 - t0,
                          contrast_s=t2 - t1, peak_mb=me.ru_maxrss / 1024, worker_mb=children.ru_maxrss / 1024,
                          cpu_s=sum(u.ru_utime + u.ru_stime for u in (me, children)) - cpu0.ru_utime - cpu0.ru_stime)))
"""


RUNNING = r"""
import json, sys, time
sys.path.insert(0, {repo!r})
import analysis
analysis.setup()
from analysis.scale import count_terms_at_scale
if __name__ == "__main__":
    from analysis.infra.cluster import local_cluster  # as count_terms_at_scale starts one
    clusters = {{n: local_cluster(n) for n in (1, 2)}}
    for cluster in clusters.values():  # every worker warmed up (numba, pandera) before any clock starts
        count_terms_at_scale({warm_path!r}, ngram_range=(1, 1), batch_size={batch}, engine="dask",
                             scheduler=cluster.scheduler_address)
    times = {{n: [] for n in clusters}}
    for _ in range({repeat}):  # interleaved: both clusters meet the same machine
        for n, cluster in clusters.items():
            t0 = time.perf_counter()
            r = count_terms_at_scale({path!r}, ngram_range=(1, 1), batch_size={batch}, engine="dask",
                                     scheduler=cluster.scheduler_address)
            times[n].append(time.perf_counter() - t0)
    for cluster in clusters.values():
        cluster.close()
    print(json.dumps(dict(tokens=r.n_tokens, times={{str(n): t for n, t in times.items()}})))
"""


def _script(code: str, *, one_polars_thread: bool = True) -> str:
    """The last line ``code`` prints, run in a fresh interpreter (offline; with one polars thread the
    process counts on one core, so the worker or process count is what scales)."""
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    if one_polars_thread:
        env["POLARS_MAX_THREADS"] = "1"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    return out.stdout.strip().splitlines()[-1]


def running(path: Path, warm_path: Path, repeat: int = 3, batch: int = 2_000) -> dict[int, list[float]]:
    """Count times on a running 1-worker and 2-worker Dask cluster, interleaved ``repeat`` times
    in one process tree (both clusters started and warmed up before the first clock starts)."""
    code = RUNNING.format(
        repo=str(REPO), path=str(path), warm_path=str(warm_path), batch=batch, repeat=repeat
    )
    result = json.loads(_script(code))
    return {int(n): t for n, t in result["times"].items()}


BATCH_CPU = r"""
import pickle, sys, time
sys.path.insert(0, {repo!r})
import analysis
analysis.setup()
from analysis.corpus import boilerplate_rules, build_corpus
from analysis.scale._engine import _BatchCounter, _partition_records, _Totals, plan_partitions
parts = plan_partitions({path!r}, batch_size=2_000)
rules = boilerplate_rules()
counter = _BatchCounter("paragraphs", (("ngram_range", (1, 1)), ("stop_words", "english")))
stages = ("read", "build", "count", "hand-off")
runs = []  # (CPU seconds per token, seconds per stage, tokens) of each batch
for index, part in enumerate(parts[: {rounds} + 1]):  # the first batch warms up (numba, pandera)
    clock = [time.process_time()]
    records = list(_partition_records(part))
    clock.append(time.process_time())
    corpus = build_corpus(records, rules=rules, sentences=False, lean=True)
    clock.append(time.process_time())
    batch = counter(corpus)
    clock.append(time.process_time())
    _Totals(None).add(pickle.loads(pickle.dumps(batch)).counts)
    clock.append(time.process_time())
    if index:
        runs.append(((clock[-1] - clock[0]) / batch.n_tokens, [b - a for a, b in zip(clock, clock[1:])], batch.n_tokens))
_, spent, tokens = min(runs)  # the least disturbed batch
print("  ".join(f"{{s}} {{t * 1000:.0f}} ms" for s, t in zip(stages, spent))
      + f"  total {{sum(spent) * 1000:.0f}} ms for {{tokens / 1e6:.2f}} M tokens: {{tokens / sum(spent) / 1e6:.2f}} M tok/cpu-s")
"""


def batch_cpu(path: Path, rounds: int = 8) -> None:
    """CPU per batch, stage by stage, of the least disturbed of ``rounds`` batches (one process, one polars thread)."""
    code = BATCH_CPU.format(repo=str(REPO), path=str(path), rounds=rounds)
    load = os.getloadavg()[0]
    print(f"per batch of 2,000 ({path.name}, CPU, best of {rounds}): {_script(code)}  load {load:.1f}")


def corpus(n: int) -> Path:
    path = DATA / f"synthetic_{n}.parquet"
    if not path.exists():
        from analysis.scale import write_corpus

        print(f"generating {path.name} ...", file=sys.stderr)
        write_corpus(path, n, n_outlets=4, words_per_article=600, random_state=0, row_group_size=2_000)
    return path


def measure(
    path: Path, *, engine: str, workers: int, batch: int = 2_000, warm_path: Path | None = None
) -> dict:
    """One run of count_terms_at_scale + contrast in a fresh interpreter (imports excluded).

    ``warm_path``: Dask only, on a cluster started and warmed up on that corpus before the clock
    starts (as with a running scheduler); otherwise the cluster's start-up is timed too.
    """
    code = MEASURE.format(
        repo=str(REPO),
        path=str(path),
        batch=batch,
        engine=engine,
        workers=workers,
        warm_path=str(warm_path) if warm_path else "",
    )
    load = os.getloadavg()[0]
    return {**json.loads(_script(code, one_polars_thread=engine == "dask")), "load": load}


def seconds(m: dict) -> float:
    return m["count_s"] + m["contrast_s"]


def line(label: str, m: dict) -> str:
    return (
        f"{label:<26} {m['articles']:>9,} art {m['tokens'] / 1e6:>6.1f} M tok  count {m['count_s']:>6.1f} s  "
        f"contrast {m['contrast_s']:>4.2f} s  {m['tokens'] / seconds(m) / 1e6:>5.2f} M tok/s  "
        f"{m['tokens'] / m['cpu_s'] / 1e6:>5.2f} M tok/cpu-s  peak {m['peak_mb']:>5.0f} MB  "
        f"worker {m['worker_mb']:>5.0f} MB  load {m['load']:.1f}"
    )


def run(label: str, path: Path, **how) -> dict:
    m = measure(path, **how)
    print(line(label, m), flush=True)
    return m


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--dask-size", type=int, default=100_000)
    parser.add_argument("--batch-cpu", action="store_true", help="only CPU per batch, stage by stage")
    parser.add_argument("--repeat", type=int, default=3, help="interleaved runs on the running Dask clusters")
    args = parser.parse_args()
    sys.path.insert(0, str(REPO))
    if args.batch_cpu:
        batch_cpu(corpus(100_000))
        return
    sizes = [int(s) for s in args.sizes.split(",")]
    local = {n: run(f"local 2 processes, {n:,}", corpus(n), engine="local", workers=2) for n in sizes}
    path = corpus(args.dask_size)
    label = f"{args.dask_size:,}"
    one = run(f"local 1 process, {label}", path, engine="local", workers=1)
    two = local.get(args.dask_size) or run(f"local 2 processes, {label}", path, engine="local", workers=2)
    dask_one = run(f"dask 1 worker, {label}", path, engine="dask", workers=1)
    dask_two = run(f"dask 2 workers, {label}", path, engine="dask", workers=2)
    small = corpus(10_000)
    warm_one = run(f"dask 1 worker running, {label}", path, engine="dask", workers=1, warm_path=small)
    warm_two = run(f"dask 2 workers running, {label}", path, engine="dask", workers=2, warm_path=small)
    rate = {n: m["tokens"] / seconds(m) for n, m in local.items()}
    print(
        "throughput vs smallest      : " + ", ".join(f"{n:,}: {rate[n] / rate[sizes[0]]:.2f}x" for n in sizes)
    )
    print(
        f"local, largest ({sizes[-1]:,})   : {rate[sizes[-1]] / 1e6:.2f} M tokens/s (target >= 4), "
        f"peak {local[sizes[-1]]['peak_mb']:.0f} MB + 1 spawned x {local[sizes[-1]]['worker_mb']:.0f} MB "
        "(target <= 2 GB)"
    )
    print(f"local 2 vs 1 process ({label}) : {seconds(one) / seconds(two):.2f}x")
    print(
        f"dask 2 vs 1 worker ({label})   : {seconds(dask_one) / seconds(dask_two):.2f}x with the cluster's "
        f"start-up, {seconds(warm_one) / seconds(warm_two):.2f}x on a running cluster (one run each)"
    )
    times = running(path, small, repeat=args.repeat)
    print(
        f"dask running, interleaved x{args.repeat}: 1 worker "
        + ", ".join(f"{t:.1f}" for t in times[1])
        + " s; 2 workers "
        + ", ".join(f"{t:.1f}" for t in times[2])
        + f" s; best {min(times[1]) / min(times[2]):.2f}x (target >= 1.8x)"
    )


if __name__ == "__main__":
    main()
