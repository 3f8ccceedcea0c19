"""Wall time and peak memory of `coverage-compare report` on realistic multi-event corpora, cold and warm.

    .venv/bin/python benchmarks/bench_report_scale.py                 # 300 and 3,000 articles
    .venv/bin/python benchmarks/bench_report_scale.py --sizes 300 --notebooks 01,03

Corpora: articles resampled from real sentences (:func:`analysis.scale.generate_articles`, 3 outlets,
~250 words), each opened by a lead paragraph on one of 20+ events (a flood in a named town, ...) with
planted figures (dead, injured, evacuated) that outlets sometimes report differently, an event id,
a publication date over eight weeks and a headline. They are cached in benchmarks/data/.

Cold: an empty ``$COVERAGE_COMPARE_CACHE`` (embeddings, rendered figures, numba kernels); warm: the
same command again on the filled cache. Peak RSS is that of the whole process tree (the runner and
every kernel, summed, sampled every 0.2 s with psutil); per notebook, run.json's ``seconds`` and
its kernel's own peak (``peak_rss_mb``, the kernel's VmHWM). Targets (issue 17, 2 cores): 300
articles cold <= 5 min, warm <= 90 s, peak <= 3 GB; 3,000 articles cold <= 30 min, peak <= 6 GB.
Sizes: report.html <= 8 MB and the output folder <= 60 MB at 300 articles, report.html <= 15 MB at
10,000, no PNG over 5,000 px a side at any size.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np
import pandas as pd
import psutil

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "benchmarks" / "data"
sys.path.insert(0, str(REPO))

#: (cold seconds, warm seconds or None, peak GB) per corpus size.
TARGETS = {300: (5 * 60, 90, 3.0), 3000: (30 * 60, None, 6.0)}
#: (report.html MB, output folder MB) per corpus size; every size: no PNG over MAX_PNG_SIDE px a side.
SIZE_TARGETS = {300: (8.0, 60.0), 10000: (15.0, None)}
MAX_PNG_SIDE = 5000
OUTLETS = ("Daily Ledger", "Wire Service", "Evening Broadcast")
PLACES = (
    "Riverton Ashford Bellmere Carrow Dunmore Eastfield Farlow Glenrock Harwick Ivybridge Kingsmoor "
    "Larchmont Milbrook Northam Oakhurst Pemberton Queensbury Redcliff Stanmore Thornbury Upfield "
    "Valemont Westerly Yarrow Zelford Brackley Cresswell Dalston Elmstead Foxley"
).split()
KINDS = ("flood", "factory fire", "bridge collapse", "earthquake", "train derailment", "wildfire", "storm")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def build_corpus(n_articles: int, *, random_state: int = 0) -> pd.DataFrame:
    """A multi-event corpus of ``n_articles`` articles from three outlets.

    Returns
    -------
    DataFrame
        ``article_id``, ``outlet``, ``title`` (the headline), ``published`` (ISO date), ``event_id``, ``text``.
    """
    from analysis.scale import generate_articles

    _, chunks = generate_articles(n_articles, len(OUTLETS), words_per_article=250, random_state=random_state)
    articles = pd.concat(list(chunks), ignore_index=True)
    rng = np.random.default_rng(random_state)
    n_events = max(20, n_articles // 15)
    start = pd.Timestamp("2024-03-01")
    events = pd.DataFrame(
        {
            "place": [PLACES[e % len(PLACES)] for e in range(n_events)],
            "kind": [KINDS[e % len(KINDS)] for e in range(n_events)],
            "day": [start + pd.Timedelta(days=int(d)) for d in np.linspace(0, 55, n_events)],
            "dead": rng.integers(3, 120, n_events),
            "injured": rng.integers(10, 400, n_events),
            "evacuated": rng.integers(1, 40, n_events) * 250,
        }
    )
    # three consecutive articles (one per outlet) cover the same event; one in five is moved to another
    event = (np.arange(n_articles) // len(OUTLETS)) % n_events
    moved = rng.random(n_articles) < 0.2
    event[moved] = rng.integers(0, n_events, int(moved.sum()))
    rows = []
    for i, art in enumerate(articles.itertuples(index=False)):
        ev = events.iloc[event[i]]
        dead = int(ev.dead) + (int(rng.integers(1, 10)) if rng.random() < 0.3 else 0)  # a disputed toll
        day = ev.day + pd.Timedelta(days=int(rng.integers(0, 4)))
        lead = (
            f"At least {dead} people were killed and {ev.injured} injured in the {ev.kind} in {ev.place} "
            f"on {WEEKDAYS[ev.day.dayofweek]}, officials said. Rescue teams were still searching on "
            f"{WEEKDAYS[day.dayofweek]}, and {ev.evacuated:,} residents had been evacuated."
        )
        rows.append(
            {
                "article_id": art.article_id,
                "outlet": OUTLETS[int(art.outlet.rsplit("_", 1)[1])],
                "title": f"{ev.kind.capitalize()} in {ev.place}: {dead} dead, {art.title[:50].rstrip()}",
                "published": day.date().isoformat(),
                "event_id": f"event-{event[i]:03d}",
                "text": f"{lead}\n\n{art.text}",
            }
        )
    return pd.DataFrame(rows)


def corpus_file(n_articles: int) -> Path:
    path = DATA / f"report_scale_{n_articles}.jsonl"
    if not path.exists():
        print(f"generating {path.name} ...", file=sys.stderr)
        DATA.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.tmp")
        tmp.write_text(build_corpus(n_articles).to_json(orient="records", lines=True, force_ascii=False))
        tmp.replace(path)
    return path


def run_measured(cmd: list[str], env: dict) -> tuple[float, int, int]:
    """Run ``cmd``, passing its stderr through; returns (wall seconds, peak summed RSS bytes, exit status)."""
    started = time.perf_counter()
    proc = psutil.Popen(cmd, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    peak = 0
    done = threading.Event()

    def sample():
        nonlocal peak
        while not done.is_set():
            try:
                tree = [proc, *proc.children(recursive=True)]
            except psutil.NoSuchProcess:
                break
            total = 0
            for p in tree:
                try:
                    total += p.memory_info().rss
                except psutil.Error:
                    pass
            peak = max(peak, total)
            done.wait(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    for line in proc.stdout:  # universal newlines: each redraw of a progress bar is a line; show the last
        if line.strip() and not (line.lstrip().startswith("Batches:") and "100%" not in line):
            sys.stderr.write(f"    | {line}")
    status = proc.wait()
    done.set()
    sampler.join()
    return time.perf_counter() - started, peak, status


def measure(
    n_articles: int, *, jobs: int, notebooks: str | None, warm: bool, keep: Path | None = None
) -> list[dict]:
    corpus = corpus_file(n_articles)
    results = []
    with tempfile.TemporaryDirectory(prefix="bench_report_scale_") as tmp:
        env = {**os.environ, "COVERAGE_COMPARE_CACHE": str(Path(tmp) / "cache"), "HF_HUB_OFFLINE": "1"}
        out = Path(tmp) / "out"
        cmd = [
            sys.executable,
            "-m",
            "analysis.report.cli",
            "report",
            "--corpus",
            str(corpus),
            "--out",
            str(out),
        ]
        cmd += ["--jobs", str(jobs), *(["--notebooks", notebooks] if notebooks else [])]
        for state in ("cold", "warm") if warm else ("cold",):
            print(f"{n_articles} articles, {state} cache: {' '.join(cmd[1:])}", file=sys.stderr)
            seconds, peak, status = run_measured(cmd, env)
            manifest = json.loads((out / "run.json").read_text()) if status == 0 else {"notebooks": []}
            size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file()) if status == 0 else 0
            html = out / "report.html"
            results.append(
                dict(
                    n=n_articles,
                    state=state,
                    status=status,
                    seconds=seconds,
                    peak_gb=peak / 2**30,
                    out_mb=size / 2**20,
                    html_mb=html.stat().st_size / 2**20 if status == 0 and html.exists() else 0.0,
                    png_px=max((png_side(p) for p in out.rglob("*.png")), default=0) if status == 0 else 0,
                    notebooks=manifest["notebooks"],
                )
            )
        if keep is not None and status == 0:
            shutil.copytree(out, keep / f"report_{n_articles}", dirs_exist_ok=False)
    return results


def png_side(path: Path) -> int:
    """The longer side of a PNG in pixels, from its IHDR header."""
    with path.open("rb") as fh:
        header = fh.read(24)
    return max(int.from_bytes(header[16:20], "big"), int.from_bytes(header[20:24], "big"))


def verdict(value: float, limit: float | None, unit: str) -> str:
    return (
        "no target"
        if limit is None
        else f"target <= {limit:g} {unit}: {'met' if value <= limit else 'NOT met'}"
    )


def report(result: dict) -> None:
    cold_s, warm_s, peak_gb = TARGETS.get(result["n"], (None, None, None))
    limit_s = cold_s if result["state"] == "cold" else warm_s
    print(f"\n{result['n']:,} articles, {result['state']} cache (exit status {result['status']})")
    for nb in result["notebooks"]:
        peak = nb.get("peak_rss_mb")
        print(f"  {nb['notebook']:<24} {nb['seconds']:8.1f} s   kernel peak {peak if peak else '?':>6} MB")
    print(
        f"  {'total wall time':<24} {result['seconds']:8.1f} s   ({verdict(result['seconds'], limit_s, 's')})"
    )
    print(
        f"  {'peak RSS, process tree':<24} {result['peak_gb']:8.2f} GB  ({verdict(result['peak_gb'], peak_gb, 'GB')})"
    )
    html_mb, out_mb = SIZE_TARGETS.get(result["n"], (None, None))
    print(f"  {'output folder':<24} {result['out_mb']:8.1f} MB  ({verdict(result['out_mb'], out_mb, 'MB')})")
    print(f"  {'report.html':<24} {result['html_mb']:8.1f} MB  ({verdict(result['html_mb'], html_mb, 'MB')})")
    print(
        f"  {'largest PNG side':<24} {result['png_px']:8,d} px  ({verdict(result['png_px'], MAX_PNG_SIDE, 'px')})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes", default="300,3000", help="comma-separated corpus sizes (default: %(default)s)"
    )
    parser.add_argument("--jobs", type=int, default=2, help="notebooks at once (default: %(default)s)")
    parser.add_argument("--notebooks", default=None, help="prefixes passed to --notebooks (default: all)")
    parser.add_argument(
        "--keep",
        type=Path,
        default=None,
        help="copy each size's report folder to KEEP/report_N (must not exist yet) to inspect it",
    )
    parser.add_argument(
        "--no-warm",
        action="store_true",
        help="skip the warm run (default: warm runs after every size's cold run)",
    )
    args = parser.parse_args()
    for n in (int(s) for s in args.sizes.split(",")):
        for result in measure(
            n, jobs=args.jobs, notebooks=args.notebooks, warm=not args.no_warm, keep=args.keep
        ):
            report(result)
            sys.stdout.flush()


if __name__ == "__main__":
    main()
