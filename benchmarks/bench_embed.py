"""Embedding throughput (paragraphs/s) of each back end side by side, and of reads from the cache.

Run: ``.venv/bin/python benchmarks/bench_embed.py [--sizes 50 200 1000] [--chunk 100]``. Texts are
distinct, paragraph-sized and real: the seed corpus's paragraphs, then gensim's bundled Lee news
texts cut into two-sentence chunks. For each size every path embeds the same texts without the
cache, interleaved chunk by chunk so that on a shared machine every path meets the same load
(wall and CPU seconds are both printed). Paths: the current one (sentence-transformers on torch,
batches of 64), ONNX Runtime in batches of 1, 4, 8 (the default), 16 and 64 and, on CPUs with AMX, the bf16 back end
(bfloat16 autocast, batches of 16; ``--bf16-batches`` adds other sizes). Each row
prints the largest cosine deviation from the current path's vectors (1 - min cosine, in float64),
the largest difference of a coordinate, and whether the vectors are byte-identical to those of
the same back end in one call on all the texts in reverse order (batches of 1 for ONNX). The default path is then embedded into an empty cache and read back. Model loading (and the ONNX export, into a temporary cache) is
timed once, apart. Nothing touches the network.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

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


#: (label, back end, batch size); the first is the current path, the reference of every ratio.
PATHS = (
    ("torch b64 (current)", "torch", 64),
    ("onnx b1", "onnx", 1),
    ("onnx b4", "onnx", 4),
    ("onnx b8 (default)", "onnx", 8),
    ("onnx b16", "onnx", 16),
    ("onnx b64", "onnx", 64),
)


def paths(bf16_batches: list[int]) -> tuple[tuple[str, str, int], ...]:
    """:data:`PATHS`, then the bf16 back end in each of ``bf16_batches`` where this CPU runs it."""
    from analysis.nlp._bf16 import bf16_supported

    bf16 = tuple((f"bf16 b{size}", "bf16", size) for size in bf16_batches) if bf16_supported() else ()
    return PATHS + bf16


def time_loading(embed) -> str:
    """Seconds to load the torch model, export the ONNX model (into the empty cache), open its session
    and check the bf16 back end."""
    from analysis.nlp import _onnx as onnx

    info = embed.model_info()
    start = time.perf_counter()
    embed._load(info.path, None)
    torch_s = time.perf_counter() - start
    start = time.perf_counter()
    assert embed._verified_onnx(info.path, info.sha256).session is not None
    export_s = time.perf_counter() - start
    embed._verified_onnx.cache_clear()
    onnx._session.cache_clear()
    start = time.perf_counter()
    assert embed._verified_onnx(info.path, info.sha256).session is not None
    session_s = time.perf_counter() - start
    loading = f"load: torch {torch_s:.2f} s, onnx export + check {export_s:.1f} s (once), onnx session {session_s:.2f} s"
    if embed.bf16_supported():
        start = time.perf_counter()
        embed._verified_bf16(info.path)
        loading += f", bf16 check {time.perf_counter() - start:.2f} s"
    return loading


def compare_paths(embed, texts: list[str], chunk: int, compared: tuple[tuple[str, str, int], ...]) -> None:
    """Paragraphs/s of every path on ``texts``, interleaved chunk by chunk, with deviations from the current path.

    Each chunk of ``chunk`` texts is embedded by every path in turn (the order reversed every other
    chunk), so that on a shared machine every path meets the same load; a path's time is its sum over
    the chunks. Wall time and this process's CPU time (all its threads) are both summed.
    """
    wall = dict.fromkeys((label for label, *_ in compared), 0.0)
    cpu = dict(wall)
    parts: dict[str, list[np.ndarray]] = {label: [] for label in wall}
    for k, start in enumerate(range(0, len(texts), chunk)):
        for label, backend, batch_size in compared if k % 2 == 0 else compared[::-1]:
            t0, c0 = time.perf_counter(), time.process_time()
            parts[label].append(
                embed.embed_texts(
                    texts[start : start + chunk],
                    backend=backend,
                    batch_size=batch_size,
                    use_cache=False,
                    progress=False,
                )
            )
            wall[label] += time.perf_counter() - t0
            cpu[label] += time.process_time() - c0
    vectors = {label: np.vstack(found) for label, found in parts.items()}
    current = compared[0][0]
    for label, backend, batch_size in compared:
        ours, reference = vectors[label].astype(np.float64), vectors[current].astype(np.float64)
        cosine = (
            (ours * reference).sum(axis=1) / np.linalg.norm(ours, axis=1) / np.linalg.norm(reference, axis=1)
        )
        apart = embed.embed_texts(
            texts[::-1],
            backend=backend,
            batch_size=1 if backend == "onnx" else batch_size,
            use_cache=False,
            progress=False,
        )[::-1]
        same = "yes" if (vectors[label] == apart).all() else "no"
        print(
            f"{len(texts):>10} {label:<20} {wall[label]:>8.2f} {len(texts) / wall[label]:>8.1f} "
            f"{wall[current] / wall[label]:>7.2f}x {cpu[label]:>8.2f} {cpu[current] / cpu[label]:>7.2f}x "
            f"{1 - cosine.min():>12.2e} {np.abs(ours - reference).max():>10.1e} {same:>10}"
        )


def time_cache(embed, texts: list[str]) -> None:
    """Seconds to embed ``texts`` into an empty embedding cache with the default back end, then to read them."""
    shutil.rmtree(embed.cache_dir() / "embeddings", ignore_errors=True)
    embed._store.cache_clear()
    t0 = time.perf_counter()
    first = embed.embed_texts(texts, progress=False)
    t1 = time.perf_counter()
    embed._store.cache_clear()  # a new process: read the shards from disk
    second = embed.embed_texts(texts, progress=False)
    t2 = time.perf_counter()
    assert (first == second).all()
    print(
        f"{len(texts):>10} default ({embed.resolve_backend(None)}) into an empty cache {t1 - t0:.2f} s, "
        f"read back {t2 - t1:.3f} s = {len(texts) / (t2 - t1):,.0f} paragraphs/s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[50, 200, 1000])
    parser.add_argument("--chunk", type=int, default=100, help="texts per chunk of the interleaving")
    parser.add_argument(
        "--bf16-batches", type=int, nargs="+", default=[16], help="batch sizes of the bf16 path"
    )
    args = parser.parse_args()

    import torch

    from analysis.nlp import _embed as embed

    pool = paragraph_pool()
    if max(args.sizes) > len(pool):
        raise SystemExit(f"only {len(pool)} distinct paragraphs available; lower --sizes")
    info = embed.model_info()
    words = sum(len(t.split()) for t in pool[: max(args.sizes)]) / max(args.sizes)
    print(
        f"model {info.name} (sha256 {info.sha256[:12]}), torch threads {torch.get_num_threads()} "
        f"(interop {torch.get_num_interop_threads()}), cpu cores {os.cpu_count()}, "
        f"mean {words:.0f} words per paragraph, paths interleaved by chunks of {args.chunk}, "
        f"AMX bfloat16: {'yes' if embed.bf16_supported() else 'no'}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["COVERAGE_COMPARE_CACHE"] = tmp  # cold: nothing exported or embedded yet
        print(time_loading(embed))
        print(
            f"{'paragraphs':>10} {'path':<20} {'wall s':>8} {'para/s':>8} {'ratio':>8} {'cpu s':>8} "
            f"{'ratio':>8} {'1 - min cos':>12} {'max |diff|':>10} {'= reversed':>10}"
        )
        for size in args.sizes:
            compare_paths(embed, pool[:size], args.chunk, paths(args.bf16_batches))
        for size in args.sizes:
            time_cache(embed, pool[:size])


if __name__ == "__main__":
    main()
