"""Benchmark: speaker attribution of ``sourcing.extract_quotes`` against PolNeAR's gold attributions.

PolNeAR (Newell, Margolin & Ruths, LREC 2018; github.com/networkdynamics/PolNeAR) annotates
every attribution of 1,008 articles from seven US outlets (2016 election) in brat standoff
files: a ``Source`` span (who), a ``Cue`` span and a ``Content`` span (what), linked by an
``E`` line. Its text is not ours to ship: extract it outside the checkout, for example::

    mkdir -p ~/.cache/cc-dev/polnear
    git -C PolNeAR archive HEAD data/train data/dev data/test | tar -x -C ~/.cache/cc-dev/polnear

Usage: ``.venv/bin/python benchmarks/bench_speakers.py ~/.cache/cc-dev/polnear/data
[--split dev test] [--no-spacy] [--sample N] [--errors N]``; ``--split train`` (840 articles)
is development data like ``dev``: read error listings of those, keep ``test`` held out. ``PATH`` is the folder that holds the split
folders (``dev/text/*.txt``, ``dev/attributions/*.ann``). Articles annotated by several
annotators use the first annotation file in name order.

Matching rules
--------------
Gold quote
    A gold attribution whose content span(s) hold a double quotation mark (``"“”``): the
    source is quoted in its own words, fully or partly. Attributions without marks (indirect
    speech, beliefs) are not scored: the extractor's ``indirect`` rows are not compared.
Match
    A predicted ``direct`` or ``partial`` quote matches a gold quote when their character spans
    overlap; a gold quote takes the overlapping prediction with the most shared characters.
    *Quote recall* is the share of gold quotes with a match.
Named gold speaker
    The gold source span holds a name: after dropping titles (``Mr.``, ``Sen.``,
    ``President`` ...), determiners and possessive tails (``Trump's campaign`` keeps ``Trump``),
    a capitalised word remains that is capitalised in at least 90% of its occurrences away
    from a sentence start in the split's texts (so ``Sources said`` or ``Officials said`` is
    not named; ``he``/``she`` is not named, PolNeAR has no gold coreference). A named gold
    speaker is a *person* when spaCy's recogniser (the verified pipeline, or none: then every
    named source counts) tags a PERSON entity inside the span.
Same speaker
    Both strings are reduced to their name words: capitalised words, possessives stripped,
    lower-cased, titles, generational suffixes (``Jr.``) and single-letter initials removed.
    The gold name words are those of the first PERSON entity in the source span (else of the
    first run of name words). The speakers are the same when one set of name words is a
    subset of the other (``Clinton`` = ``Hillary Clinton``, ``Hillary Rodham Clinton`` =
    ``Hillary Clinton``; ``Bill Clinton`` != ``Hillary Clinton``).

Figures printed per split
-------------------------
``gold_quotes``, ``quote_recall``; ``named`` (matched gold quotes with a named gold speaker)
and ``unattributed`` (share of them whose prediction has no speaker); ``persons`` (matched,
named, person, with a predicted speaker) and ``person_accuracy`` (share of them with the same
speaker); ``all_named_accuracy`` the same over every named source (people and organisations).
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from analysis.corpus import build_corpus  # noqa: E402  (the repository on the path first)
from analysis.nlp import load_spacy  # noqa: E402
from analysis.sourcing import extract_quotes  # noqa: E402

_TITLES = frozenset(
    """mr mrs ms miss dr sen senator rep representative gov governor president vice former
    secretary gen general adm prof professor rev sir lady lord mayor speaker chairman chairwoman
    chief judge justice attorney candidate nominee democratic republican u.s us jr sr ii iii""".split()
)
_DETERMINERS = frozenset("the a an this that these those his her their its our".split())
_QUOTE_MARKS = re.compile(r"[\"“”]")
_WORD = re.compile(r"[A-Za-z][\w.’'-]*")
_POSSESSIVE = re.compile(r"['’]s?$")


@dataclass
class Gold:
    article_id: str
    content: list[tuple[int, int]]
    source: tuple[int, int] | None
    source_text: str


def read_ann(path: Path, text: str) -> list[Gold]:
    """Gold attributions of one brat ``.ann`` file whose content holds a double quotation mark.

    Returns
    -------
    list of Gold
        ``content`` spans (discontinuous spans kept as pieces) and the ``source`` span, if any.
    """
    spans: dict[str, tuple[str, list[tuple[int, int]], str]] = {}
    events: list[dict[str, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        fields = line.split("\t")
        if (
            line.startswith("T") and len(fields) >= 2
        ):  # a span's text may run over lines: read it from the article
            label, ranges = fields[1].split(" ", 1)
            pieces = [tuple(int(x) for x in r.split()) for r in ranges.split(";")]
            spans[fields[0]] = (label, pieces, " ".join(text[s:e] for s, e in pieces))
        elif line.startswith("E"):
            events.append(dict(arg.split(":", 1) for arg in line.split("\t")[1].split()))
    golds = []
    for event in events:
        content = spans.get(event.get("Content", ""))
        if content is None or not _QUOTE_MARKS.search(content[2]):
            continue
        source = spans.get(event.get("Source", ""))
        golds.append(
            Gold(
                article_id=path.stem.rsplit("_", 1)[0],
                content=content[1],
                source=(source[1][0][0], source[1][-1][1]) if source else None,
                source_text=source[2] if source else "",
            )
        )
    return golds


def load_split(root: Path, split: str):
    """Texts (article_id -> text) and gold quotes of one split."""
    texts = {p.stem: p.read_text(encoding="utf-8") for p in sorted((root / split / "text").glob("*.txt"))}
    golds: list[Gold] = []
    seen: set[str] = set()
    for ann in sorted((root / split / "attributions").glob("*.ann")):
        article_id = ann.stem.rsplit("_", 1)[0]
        if article_id in texts and article_id not in seen:
            seen.add(article_id)
            golds.extend(read_ann(ann, texts[article_id]))
    return texts, golds


def name_words(text: str) -> list[str]:
    """Lower-cased name words of a speaker string (see the module docstring)."""
    words = []
    for w in _WORD.findall(text):
        base = _POSSESSIVE.sub("", w).rstrip(".")
        if not base[:1].isupper() or len(base) == 1 or base.lower() in _TITLES | _DETERMINERS:
            continue
        words.append(base.lower())
    return words


def proper_words(texts: dict[str, str]) -> set[str]:
    """Words capitalised in at least 90% of their occurrences not at a sentence start."""
    upper, total = Counter(), Counter()
    for text in texts.values():
        for m in re.finditer(r"\b[A-Za-z][a-z’'-]+\b", text):
            opener = text[max(0, m.start() - 4) : m.start()].rstrip()[-1:]
            if opener in {"", ".", "!", "?", "“", '"', "\n"} or text[m.start() - 1 : m.start()] == "\n":
                continue  # sentence or paragraph start: capitalised anyway
            total[m.group().lower()] += 1
            upper[m.group().lower()] += m.group()[0].isupper()
    return {w for w, n in total.items() if upper[w] >= 0.9 * n}


def same_speaker(predicted: str, gold: list[str]) -> bool:
    """Whether a predicted speaker string and gold name words refer to the same person."""
    mine = set(name_words(predicted))
    return bool(mine and gold) and (mine <= set(gold) or set(gold) <= mine)


def evaluate(texts: dict[str, str], golds: list[Gold], nlp, errors: int = 0) -> dict[str, float]:
    corpus = build_corpus(
        [dict(article_id=k, outlet=k.split("_", 1)[0], text=v, source=k) for k, v in texts.items()]
    )
    quotes = extract_quotes(corpus, nlp=nlp)
    quotes = quotes.loc[quotes["kind"].isin(["direct", "partial"])]
    by_article = {k: g for k, g in quotes.groupby("article_id")}
    docs = {}
    if nlp is not None:
        docs = dict(zip(texts, nlp.pipe(texts.values(), disable=["parser"]), strict=True))
    proper = proper_words(texts)
    stats = Counter()
    shown = 0
    for gold in golds:
        stats["gold_quotes"] += 1
        rows = by_article.get(gold.article_id)
        if rows is None:
            continue
        overlap = [
            sum(max(0, min(e, qe) - max(s, qs)) for s, e in gold.content)
            for qs, qe in zip(rows["start"], rows["end"], strict=True)
        ]
        best = max(range(len(overlap)), key=overlap.__getitem__, default=None)
        if best is None or overlap[best] == 0:
            continue
        stats["matched"] += 1
        words = [w for w in name_words(gold.source_text) if w in proper]
        if not words:
            continue
        person, gold_words = _gold_person(docs.get(gold.article_id), gold, words)
        speaker = rows["speaker"].iloc[best]
        stats["named"] += 1
        if not isinstance(speaker, str):
            stats["unattributed"] += 1
            if shown < errors:
                shown += 1
                print(
                    f"  none  | {gold.article_id}@{gold.content[0][0]} {gold.source_text!r}", file=sys.stderr
                )
            continue
        ok = same_speaker(speaker, gold_words)
        stats["named_attributed"] += 1
        stats["named_correct"] += ok
        if person:
            stats["persons"] += 1
            stats["person_correct"] += ok
        if not ok and shown < errors:
            shown += 1
            print(
                f"  wrong | {gold.article_id}@{gold.content[0][0]} {gold.source_text!r} -> {speaker!r} "
                f"({rows['rule_id'].iloc[best]})",
                file=sys.stderr,
            )
    return dict(
        gold_quotes=stats["gold_quotes"],
        quote_recall=stats["matched"] / max(stats["gold_quotes"], 1),
        named=stats["named"],
        unattributed=stats["unattributed"] / max(stats["named"], 1),
        persons=stats["persons"],
        person_accuracy=stats["person_correct"] / max(stats["persons"], 1),
        all_named_accuracy=stats["named_correct"] / max(stats["named_attributed"], 1),
    )


def _gold_person(doc, gold: Gold, words: list[str]) -> tuple[bool, list[str]]:
    """Whether the gold source names a person (spaCy PERSON inside it), and its name words."""
    if doc is None or gold.source is None:
        return True, _first_run(gold.source_text)
    s, e = gold.source
    for ent in doc.ents:
        possessive = _POSSESSIVE.search(ent.text) or re.match(r"['’]s?\b", doc.text[ent.end_char :])
        if ent.label_ == "PERSON" and s <= ent.start_char < e and name_words(ent.text) and not possessive:
            return True, name_words(ent.text)
    return False, _first_run(gold.source_text) or words


def _first_run(text: str) -> list[str]:
    run: list[str] = []
    for w in _WORD.findall(text):
        if name_words(w):
            run.extend(name_words(w))
            if _POSSESSIVE.search(w):
                break
        elif run:
            break
    return run


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("path", type=Path, help="folder holding the split folders (PolNeAR's data/)")
    parser.add_argument("--split", nargs="+", default=["dev", "test"])
    parser.add_argument("--no-spacy", action="store_true", help="pattern-only rules (nlp=None)")
    parser.add_argument("--sample", type=int, default=0, help="score only N evenly spaced articles per split")
    parser.add_argument("--errors", type=int, default=0, help="print this many errors per split (stderr)")
    args = parser.parse_args(argv)
    nlp = None if args.no_spacy else load_spacy()
    print(f"parser: {'spaCy ' + nlp.meta['name'] if nlp is not None else 'patterns only'}")
    for split in args.split:
        texts, golds = load_split(args.path.expanduser(), split)
        if args.sample and args.sample < len(texts):
            keep = set(list(texts)[:: len(texts) // args.sample][: args.sample])
            texts = {k: v for k, v in texts.items() if k in keep}
            golds = [g for g in golds if g.article_id in keep]
        figures = evaluate(texts, golds, nlp, errors=args.errors)
        shown = " ".join(f"{k}={v:.3f}" if isinstance(v, float) else f"{k}={v}" for k, v in figures.items())
        print(f"{split} ({len(texts)} articles): {shown}")


if __name__ == "__main__":
    main()
