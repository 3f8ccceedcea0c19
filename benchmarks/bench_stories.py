"""Accuracy of :func:`analysis.topics.cluster_stories` against gold event ids, and its run time.

    .venv/bin/python benchmarks/bench_stories.py benchmarks/data/report_scale_300.jsonl
    .venv/bin/python benchmarks/bench_stories.py benchmarks/data/report_scale_3000.jsonl --gold event_id
    .venv/bin/python benchmarks/bench_stories.py CORPUS.jsonl --split dev --diagnose 5
    .venv/bin/python benchmarks/bench_stories.py convert-uci uci-news-aggregator.csv OUT.jsonl

For each corpus (anything ``analysis.corpus.load_corpus`` reads, with a gold event/cluster id column
named by ``--gold``) it prints pairwise precision, recall and F1 (over all pairs of articles: a pair
is positive when both are in one story), the adjusted Rand index, the stories that merge more than
one gold event (their sizes and how their articles split between events), the gold events split
over several stories, and the seconds spent embedding leads (cached after the first run) and
clustering (with the spaCy parse of the leads' places, cached after the first run). ``--split dev|test`` keeps half of the gold events (chosen by a hash of the id, never
by what they contain): look at errors on ``dev``, report ``test``. ``--no-boilerplate`` reads the records as they are
(for headline-only corpora, where the loader would drop a headline ending in a photo credit as a
caption). ``--diagnose N`` prints, for
the N largest merges, the evidence joining their two largest events: mean lead cosine, mean
IDF-weighted entity overlap and the entities both sides share most (with how many cross pairs share each).

``convert-uci`` turns the UCI News Aggregator table (Gasparetti 2016: headlines of ~420,000
articles with the Google News story cluster, ``STORY``, of each; UCI ML repository) into the
loader's jsonl: ``article_id``, ``outlet`` (publisher), ``title``, ``published`` (UTC ISO time),
``text`` (the headline: the table has no bodies) and ``event_id`` (the story). Keep the source
and the converted file out of the repository (``~/.cache/cc-dev/stories/``). Nothing here touches
the network.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.metrics import adjusted_rand_score

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def pair_scores(gold: pd.Series, predicted: pd.Series) -> dict[str, float]:
    """Pairwise precision, recall and F1 of ``predicted`` against ``gold`` labels, and the ARI.

    Returns
    -------
    dict
        ``precision``, ``recall``, ``f1``, ``ari`` (1.0 where a side has no pair at all).
    """
    table = pd.crosstab(gold.to_numpy(), predicted.to_numpy()).to_numpy()

    def pairs(n):
        return float((n * (n - 1) // 2).sum())

    both, in_gold, in_pred = pairs(table), pairs(table.sum(axis=1)), pairs(table.sum(axis=0))
    precision = both / in_pred if in_pred else 1.0
    recall = both / in_gold if in_gold else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return dict(precision=precision, recall=recall, f1=f1, ari=adjusted_rand_score(gold, predicted))


def merges_and_splits(gold: pd.Series, predicted: pd.Series) -> tuple[pd.DataFrame, pd.Series]:
    """Stories holding more than one gold event, and gold events spread over several stories.

    Returns
    -------
    (DataFrame, Series)
        Merges: ``story_id``, ``n_articles``, ``n_events``, ``events`` (articles per event, largest
        first), largest story first. Splits: number of stories per split gold event.
    """
    frame = pd.DataFrame({"gold": gold.to_numpy(), "story": predicted.to_numpy()})
    rows = []
    for story, group in frame.groupby("story", sort=False):
        counts = group["gold"].value_counts()
        if len(counts) > 1:
            rows.append((story, len(group), len(counts), dict(counts)))
    merges = pd.DataFrame(rows, columns=["story_id", "n_articles", "n_events", "events"])
    merges = merges.sort_values(["n_articles", "story_id"], ascending=[False, True], ignore_index=True)
    stories_per_event = frame.groupby("gold")["story"].nunique()
    return merges, stories_per_event[stories_per_event > 1].sort_values(ascending=False)


def in_split(event_id: str, split: str) -> bool:
    """Whether an event belongs to ``split`` ('dev': even first byte of its id's MD5, 'test': odd)."""
    return split == "all" or (hashlib.md5(str(event_id).encode()).digest()[0] % 2 == 0) == (split == "dev")


def diagnose(
    merge: pd.Series, gold: pd.Series, leads: pd.DataFrame, embeddings: np.ndarray, overlap: np.ndarray
) -> str:
    """What joins the two largest events of one merged story: cosine, entity overlap, shared entities."""
    (first, n_first), (second, n_second) = list(merge["events"].items())[:2]
    members = pd.Series(np.arange(len(gold)), index=gold.index)
    in_story = leads["story_id"] == merge["story_id"]
    a = members[in_story & (gold == first)].to_numpy()
    b = members[in_story & (gold == second)].to_numpy()
    cos = float((embeddings[a] @ embeddings[b].T).mean())
    ents = leads["entities"].to_numpy()
    jac = float(overlap[np.ix_(a, b)].mean())
    shared = Counter(e for i in a for j in b for e in ents[i] & ents[j]).most_common(6)
    titles = [leads["lead"].iloc[i].split("\n")[0][:70] for i in (a[0], b[0])]
    return (
        f"  {merge['story_id']}: {first} ({n_first}) + {second} ({n_second}): cos {cos:.2f}, "
        f"entity overlap {jac:.2f}, shared {shared}\n    {titles[0]!r}\n    {titles[1]!r}"
    )


def run(
    path: Path, *, gold_column: str, split: str, n_diagnose: int, boilerplate: bool, options: dict
) -> None:
    from analysis.corpus import iter_records, load_corpus
    from analysis.nlp import embed_texts
    from analysis.topics import _stories, cluster_stories

    if boilerplate:
        corpus = load_corpus(path)
        articles, paragraphs = corpus.articles, corpus.paragraphs
    else:  # headline-only corpora: a headline with a photo credit would be dropped as a caption
        articles, paragraphs = pd.DataFrame(list(iter_records(path))), None
    if gold_column not in articles.columns:
        raise SystemExit(f"{path}: no gold column {gold_column!r} (--gold)")
    articles = articles[[in_split(e, split) for e in articles[gold_column]]].reset_index(drop=True)
    start = time.perf_counter()
    leads = _stories.story_leads(articles, paragraphs)
    embeddings = embed_texts(leads["lead"].tolist())
    embed_s = time.perf_counter() - start
    start = time.perf_counter()
    stories = cluster_stories(articles, paragraphs, embeddings=embeddings, **options)
    cluster_s = time.perf_counter() - start
    gold = articles[gold_column].astype(str)
    scores = pair_scores(gold, stories["story_id"])
    merges, splits = merges_and_splits(gold, stories["story_id"])
    print(
        f"{path.name} [{split}] {len(articles)} articles, {gold.nunique()} events -> "
        f"{stories['story_id'].nunique()} stories | pairwise P {scores['precision']:.3f} "
        f"R {scores['recall']:.3f} F1 {scores['f1']:.3f} | ARI {scores['ari']:.3f} | "
        f"embed {embed_s:.1f} s, cluster {cluster_s:.1f} s"
    )
    sizes = ", ".join(
        f"{n} ({k} events)" for n, k in zip(merges["n_articles"], merges["n_events"], strict=True)
    )
    print(f"  stories merging >1 event: {len(merges)}" + (f": sizes {sizes[:300]}" if len(merges) else ""))
    print(
        f"  events split over >1 story: {len(splits)} of {gold.nunique()} (max {splits.max() if len(splits) else 1})"
    )
    leads["story_id"] = stories["story_id"].to_numpy()
    overlap = _stories.entity_overlap(leads["entities"].tolist()) if n_diagnose else None
    for _, merge in merges.head(n_diagnose).iterrows():
        print(diagnose(merge, gold, leads, np.asarray(embeddings, dtype=float), overlap))


def convert_uci(source: Path, target: Path) -> None:
    """Write the UCI News Aggregator csv as the loader's jsonl (module docstring)."""
    n = 0
    with open(source, newline="", encoding="utf-8") as src, open(target, "w", encoding="utf-8") as out:
        for row in csv.DictReader(src):
            if not all(row.get(k) for k in ("ID", "TITLE", "STORY", "TIMESTAMP")):
                continue  # the source's last line may be cut short
            published = pd.Timestamp(int(row["TIMESTAMP"]), unit="ms", tz="UTC").isoformat()
            record = dict(
                article_id=f"uci{row['ID']}",
                outlet=row["PUBLISHER"] or row["HOSTNAME"] or "unknown",
                title=row["TITLE"],
                published=published,
                text=row["TITLE"],
                event_id=row["STORY"],
            )
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            n += 1
    print(f"{target}: {n} articles")


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["convert-uci"]:
        convert_uci(Path(argv[1]), Path(argv[2]))
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("paths", nargs="+", type=Path)
    parser.add_argument("--gold", default="event_id", help="column holding the gold event id")
    parser.add_argument("--split", choices=("all", "dev", "test"), default="all")
    parser.add_argument("--diagnose", type=int, default=0, metavar="N")
    parser.add_argument(
        "--no-boilerplate",
        action="store_true",
        help="read records as they are (no boilerplate rules, no paragraphs)",
    )
    parser.add_argument("--threshold", type=float)
    parser.add_argument("--max-days", type=float)
    parser.add_argument(
        "--no-split-places",
        action="store_true",
        help="let articles whose leads name disjoint places join (cluster_stories(split_places=False))",
    )
    args = parser.parse_args(argv)
    options = {k: v for k, v in (("threshold", args.threshold), ("max_days", args.max_days)) if v is not None}
    if args.no_split_places:
        options["split_places"] = False
    for path in args.paths:
        run(
            path,
            gold_column=args.gold,
            split=args.split,
            n_diagnose=args.diagnose,
            boilerplate=not args.no_boilerplate,
            options=options,
        )


if __name__ == "__main__":
    main()
