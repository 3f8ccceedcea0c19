"""Embedding throughput (paragraphs/s) at a few corpus sizes, computed vs read from the cache.

Run: ``.venv/bin/python benchmarks/bench_embed.py [--sizes 50 200 1000]``. Texts are
distinct, paragraph-sized and real: the seed corpus's paragraphs, then gensim's
bundled Lee news texts cut into two-sentence chunks. Each size is embedded
into a fresh temporary cache (computed), then embedded again (read from the
cache); model loading is timed once, apart. Nothing touches the network.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("HF_HUB_OFFLINE", "1")


def paragraph_pool() -> list[str]:
    """Distinct paragraph-sized texts: seed paragraphs, then two-sentence chunks of Lee news texts."""
    import gensim

    from analysis.corpus._load import load_corpus
    from analysis.corpus.text import split_sentences

    pool = load_corpus(REPO / "seeds").paragraphs["text"].tolist()
    lee = Path(gensim.__file__).parent / "test" / "test_data" / "lee_background.cor"
    for doc in lee.read_text(encoding="latin-1").splitlines():
        sents = [doc[s:e] for s, e in split_sentences(doc, 0, len(doc))]
        pool += [" ".join(sents[i : i + 2]) for i in range(0, len(sents), 2)]
    return list(dict.fromkeys(pool))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[50, 200, 1000])
    parser.add_argument("--batch-size", type=int, default=64)
    args = parser.parse_args()

    import torch

    from analysis.nlp import _embed as embed

    pool = paragraph_pool()
    if max(args.sizes) > len(pool):
        raise SystemExit(f"only {len(pool)} distinct paragraphs available; lower --sizes")
    info = embed.model_info()
    start = time.perf_counter()
    embed._load(info.path, None)
    load_s = time.perf_counter() - start
    words = sum(len(t.split()) for t in pool) / len(pool)
    print(
        f"model {info.name} (sha256 {info.sha256[:12]}), load {load_s:.2f} s, torch threads {torch.get_num_threads()}, "
        f"cpu cores {os.cpu_count()}, mean {words:.0f} words per paragraph"
    )
    print(
        f"{'paragraphs':>10} {'computed s':>11} {'para/s':>8} {'cached s':>9} {'para/s':>9} {'speed-up':>9}"
    )
    for size in args.sizes:
        texts = pool[:size]
        with tempfile.TemporaryDirectory() as tmp:
            os.environ["COVERAGE_COMPARE_CACHE"] = tmp
            embed._store.cache_clear()
            t0 = time.perf_counter()
            first = embed.embed_texts(texts, batch_size=args.batch_size)
            t1 = time.perf_counter()
            embed._store.cache_clear()  # a new process: read the shards from disk
            second = embed.embed_texts(texts, batch_size=args.batch_size)
            t2 = time.perf_counter()
        assert (first == second).all()
        computed, cached = t1 - t0, t2 - t1
        print(
            f"{size:>10} {computed:>11.2f} {size / computed:>8.0f} {cached:>9.3f} {size / cached:>9.0f} "
            f"{computed / cached:>8.0f}x"
        )


if __name__ == "__main__":
    main()
