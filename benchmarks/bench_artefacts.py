"""False-positive rate of the translation-artefact flag on native English news, and the seeds' ranking.

Usage: ``.venv/bin/python benchmarks/bench_artefacts.py PATH [--seeds seeds]``

PATH is a corpus of native English news (any format ``load_corpus`` reads; for PolNeAR, a folder
with a ``manifest.csv`` naming its ``data/train/text/*.txt`` files, outlet = the file-name prefix).
Keep such text outside the checkout. Prints the share of native articles flagged
(``analysis.claims.FLAG_SCORE``, ``analysis.claims.FLAG_MIN_SIGNALS``),
the share with any translation signal, the signals found, and the seeds ranked by score.
"""

from __future__ import annotations

import argparse
import time

import analysis
from analysis.claims import FLAG_MIN_SIGNALS, FLAG_SCORE, artefact_scores, translation_artefacts
from analysis.corpus import load_corpus


def _totals(path: str):
    corpus = load_corpus(path)
    evidence = translation_artefacts(corpus)
    scores = artefact_scores(corpus, evidence)
    return evidence, scores[scores["signal"] == "total"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("native", help="corpus of native English news")
    parser.add_argument("--seeds", default="seeds", help="corpus whose ranking is printed (default: seeds)")
    args = parser.parse_args()
    analysis.setup()
    started = time.perf_counter()
    evidence, native = _totals(args.native)
    seconds = time.perf_counter() - started
    n = len(native)
    print(f"native corpus: {n} articles, {native['outlet'].nunique()} outlets ({seconds:.1f} s)")
    print(f"flag threshold: score >= {FLAG_SCORE} per 1,000 words and weighted signals >= {FLAG_MIN_SIGNALS}")
    print(f"false-positive rate (flagged): {native['flagged'].sum()}/{n} = {native['flagged'].mean():.2%}")
    print(f"articles with any translation signal: {(native['score'] > 0).mean():.2%}")
    print(f"score: mean {native['score'].mean():.3f}, max {native['score'].max():.3f}")
    print("signals found in the native corpus:")
    print(evidence["signal"].value_counts().to_string())
    _, seeds = _totals(args.seeds)
    ranking = seeds.sort_values(["score", "article_id"], ascending=[False, True])
    print("\nseeds ranked by translation score:")
    print(ranking[["article_id", "outlet", "n", "score", "flagged"]].to_string(index=False))


if __name__ == "__main__":
    main()
