"""How well `framing.naming_variants` discovers naming choices: the seeds' known groups, and any corpus.

    .venv/bin/python benchmarks/bench_naming.py                      # the seeds only
    .venv/bin/python benchmarks/bench_naming.py PATH [--top 40]      # also a corpus of your own

Seeds: the example table ``terms_nk2023.csv`` lists the naming groups a reader of the five articles
knows (Stepanakert/Khankendi, Nagorno-Karabakh/Artsakh, offensive/anti-terrorist operation ...). A
table group counts as found when one discovered group (confidence >= ``framing.MIN_CONFIDENCE``)
holds two or more of its variants; each discovered group is listed with its method so a reader
can judge its precision. PATH: a corpus without a gold table; the script prints the discovered
groups, most confident first, with their evidence words and outlet skew, for a person to mark
right or wrong (docs/framing.md gives the counts we marked on PolNeAR). Prints wall time too.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import pandas as pd

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def _groups(variants: pd.DataFrame, min_confidence: float) -> pd.DataFrame:
    kept = variants[variants["confidence"] >= min_confidence]
    return (
        kept.groupby("group", sort=False)
        .agg(
            variants=("variant", lambda v: " / ".join(v)),
            methods=("method", lambda m: ",".join(sorted({x for x in m if x}))),
            confidence=("confidence", "first"),
            p=("p", "min"),
            evidence=("evidence", "first"),
        )
        .reset_index()
        .sort_values(["confidence", "group"], ascending=[False, True], kind="mergesort")
    )


def seeds_recovery(
    corpus, table: pd.DataFrame, variants: pd.DataFrame, min_confidence: float
) -> pd.DataFrame:
    """Per table group: how many of its variants occur, and whether one discovered group holds two.

    Returns
    -------
    DataFrame
        ``group``, ``variants`` (of the table), ``found`` (bool), ``discovered_group`` ('' if none).
    """
    kept = variants[(variants["confidence"] >= min_confidence) & (variants["method"] != "table")]
    rows = []
    for group, g in table.groupby("group", sort=False):
        wanted = {v.casefold() for v in g["variant"]}
        hit = ""
        for name, d in kept.groupby("group", sort=False):
            if len(wanted & {v.casefold() for v in d["variant"]}) >= 2:
                hit = name
                break
        rows.append((group, " / ".join(g["variant"]), bool(hit), hit))
    return pd.DataFrame(rows, columns=["group", "variants", "found", "discovered_group"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", help="a corpus folder or file (optional)")
    parser.add_argument("--top", type=int, default=40, help="discovered groups printed for PATH")
    args = parser.parse_args(argv)

    import analysis
    from analysis import framing, people
    from analysis.corpus import load_corpus

    analysis.setup()
    pd.set_option("display.width", 200, "display.max_colwidth", 70, "display.max_rows", 500)
    seeds = load_corpus(REPO / "seeds")
    t = time.perf_counter()
    discovered = framing.naming_variants(seeds)
    seconds = time.perf_counter() - t
    groups = _groups(discovered, framing.MIN_CONFIDENCE)
    table_path, _origin = people.table_setting(seeds, "terms_table", "")  # seeds/coverage-compare.toml
    table = framing.load_terms(table_path)
    recovery = seeds_recovery(seeds, table, discovered, framing.MIN_CONFIDENCE)
    print(
        f"seeds: {len(groups)} discovered groups at confidence >= {framing.MIN_CONFIDENCE} ({seconds:.1f} s)"
    )
    print(groups[["group", "variants", "methods", "confidence"]].to_string(index=False))
    print(f"\nseeds: table groups found {int(recovery['found'].sum())} of {len(recovery)}")
    print(recovery.to_string(index=False))
    if args.path:
        corpus = load_corpus(args.path)
        t = time.perf_counter()
        found = framing.naming_variants(corpus)
        seconds = time.perf_counter() - t
        all_groups = _groups(found, 0.0)
        confident = all_groups[all_groups["confidence"] >= framing.MIN_CONFIDENCE]
        print(
            f"\n{args.path}: {len(corpus.articles)} articles, {len(all_groups)} groups proposed, "
            f"{len(confident)} at confidence >= {framing.MIN_CONFIDENCE} ({seconds:.1f} s)"
        )
        print(all_groups.head(args.top).to_string(index=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
