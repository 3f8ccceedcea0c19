"""Benchmark: ``load_corpus`` throughput on pathological text next to ordinary text, in one run.

Inputs (each a one-line .jsonl file of about ``--mb`` MB of article text, default 1):

ordinary       the five seed articles, repeated as separate articles
dots           one article: ``He said so`` + a run of dots + ``x`` (used to be quadratic in the splitter)
spaces         one article: ``He`` + one line of spaces + ``said so.`` (quadratic in the headline rule)
quotes         one article: ``He said.`` + a run of straight double quotes + `` x``
dot-space      one article: ``. `` repeated, each stop followed by a lower-case word
no-terminator  one article: a single line of words without any punctuation
cjk            one article: Japanese sentences ending in ``。`` with no spaces

Every input is loaded once untimed (imports, compiled patterns), then ``--repeat`` times, keeping
the best. A linear loader shows throughputs of the same order for every row; a quadratic one
collapses on the pathological rows as ``--mb`` grows (try ``--mb 4``).

Usage: ``.venv/bin/python benchmarks/bench_pathological.py [--mb 1] [--repeat 3]``
"""

from __future__ import annotations

import argparse
import json
import platform
import tempfile
import time
from pathlib import Path

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def _articles(kind: str, size: int) -> list[str]:
    """Texts of about ``size`` characters for one kind of input."""
    if kind == "ordinary":
        seeds = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
        texts, total = [], 0
        while total < size:
            texts.append(seeds[len(texts) % len(seeds)])
            total += len(texts[-1])
        return texts
    body = {
        "dots": lambda n: "He said so" + "." * n + "x",
        "spaces": lambda n: "He" + " " * n + "said so.",
        "quotes": lambda n: "He said." + '"' * n + " x",
        "dot-space": lambda n: "Start" + ". word" * (n // 6) + ".",
        "no-terminator": lambda n: "word " * (n // 5) + "end",
        "cjk": lambda n: "東京で会議が開かれた。" * (n // 33),  # 3 bytes a character
    }[kind]
    return [body(size)]


def _write(folder: Path, kind: str, size: int) -> tuple[Path, int]:
    path = folder / f"{kind}.jsonl"
    texts = _articles(kind, size)
    rows = [{"article_id": f"{kind}{i}", "outlet": "A", "text": t} for i, t in enumerate(texts)]
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path, sum(len(t.encode("utf-8")) for t in texts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=1.0, help="MB of text per input (default 1)")
    parser.add_argument("--repeat", type=int, default=3, help="timed loads per input, best kept (default 3)")
    args = parser.parse_args()

    from analysis.corpus import load_corpus

    kinds = ["ordinary", "dots", "spaces", "quotes", "dot-space", "no-terminator", "cjk"]
    size = int(args.mb * 1_000_000)
    print(
        f"load_corpus on {args.mb:g} MB inputs, best of {args.repeat} ({platform.python_version()}, "
        f"{platform.machine()})"
    )
    print(
        f"{'input':<14} {'MB':>6} {'articles':>9} {'sentences':>10} {'seconds':>8} {'MB/s':>7} {'vs ordinary':>12}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        baseline = None
        for kind in kinds:
            path, n_bytes = _write(Path(tmp), kind, size)
            corpus = load_corpus(path)  # untimed warm-up
            best = min(_timed(load_corpus, path) for _ in range(args.repeat))
            rate = n_bytes / 1e6 / best
            baseline = baseline or rate
            print(
                f"{kind:<14} {n_bytes / 1e6:>6.2f} {len(corpus.articles):>9} {len(corpus.sentences):>10} "
                f"{best:>8.3f} {rate:>7.2f} {rate / baseline:>11.2f}x"
            )


def _timed(fn, *args) -> float:
    start = time.perf_counter()
    fn(*args)
    return time.perf_counter() - start


if __name__ == "__main__":
    main()
