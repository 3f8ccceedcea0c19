"""Provenance: which articles share copy, which are rewrites, and where statistics would double count.

For every pair of articles of one story (``stories=``, from :func:`analysis.topics.stories`;
without it the whole corpus is one story) :func:`provenance_pairs` measures

* ``shingle_jaccard``: MinHash (datasketch, ``num_perm`` permutations, fixed
  seed) estimate of the Jaccard similarity of word 5-gram shingles of the kept
  text, normalised by :func:`analysis.corpus.text.tokenize`;
* ``containment``: exact share of the smaller article's shingles found in the
  other (Broder's containment; detects a short wire story inside a long one);
* ``embed_sim``: cosine of the articles' mean sentence embeddings;
* ``paraphrase_share``: share of the smaller article's sentences whose best
  counterpart in the other scores at least ``paraphrase_threshold`` in cosine.

Verdicts, first that applies (thresholds are parameters):

``near_duplicate``  shingle_jaccard >= 0.5: the same text with light edits.
``shared_copy``     containment >= 0.2 and at least ``min_shared`` (10) shared
                    5-grams: a fifth of the smaller article's 5-grams, and at
                    least a sentence's worth, reappear verbatim; independent
                    reports of one event share names and short phrases, but
                    rarely 5-word runs (the floor keeps one common phrase in a
                    very short text from counting as copy).
``rewrite``         paraphrase_share >= 0.3 with paraphrase_threshold 0.75,
                    and at least ``min_paraphrased`` (3) such sentences: a
                    third of the sentences closely paraphrased (translation or
                    rewording of one source); one shared sentence is a shared
                    fact, not a rewrite. Cosine 0.75 is where this
                    model's scores for sentence paraphrases begin; same-topic
                    sentences sit around 0.4-0.6.
``same_story``      embed_sim >= 0.6: same event, own words.
``independent``     otherwise.

Articles of different stories are never paired: a verdict is always about two reports of one
event, and the pair work is O(sum over stories of n_story^2), not O(n^2) over the corpus.

:func:`provenance_warnings` lists the pairs whose texts would be counted
twice by per-outlet statistics (near duplicates, shared copy, rewrites).
:func:`analysis.claims.provenance` wraps all of it with the translation
artefacts of :mod:`analysis.claims._artefacts`.
"""

from __future__ import annotations

from itertools import combinations

import numpy as np
import pandas as pd
from datasketch import MinHash

from analysis.corpus import Corpus, story_of
from analysis.corpus.text import tokenize
from analysis.nlp import embed_texts
from analysis.schemas import frame, validate
from analysis.schemas.claims import ProvenancePairs

__all__ = [
    "shingles",
    "provenance_pairs",
    "provenance_warnings",
    "double_counted_claims",
    "DOUBLE_COUNT_RELATIONS",
]

#: Relations under which two articles are not independent evidence.
DOUBLE_COUNT_RELATIONS = ("near_duplicate", "shared_copy", "rewrite")


def shingles(text: str, k: int = 5) -> set[str]:
    """Word k-gram shingles of ``text`` (tokens from :func:`analysis.corpus.text.tokenize`)."""
    tokens = tokenize(text)
    if len(tokens) < k:
        return {" ".join(tokens)} if tokens else set()
    return {" ".join(tokens[i : i + k]) for i in range(len(tokens) - k + 1)}


def _minhash(items: set[str], num_perm: int, seed: int) -> MinHash:
    m = MinHash(num_perm=num_perm, seed=seed)
    for item in sorted(items):
        m.update(item.encode("utf-8"))
    return m


def provenance_pairs(
    corpus: Corpus,
    *,
    stories: pd.DataFrame | None = None,
    shingle_size: int = 5,
    num_perm: int = 128,
    random_state: int = 1,
    near_duplicate: float = 0.5,
    shared_copy: float = 0.2,
    min_shared: int = 10,
    min_paraphrased: int = 3,
    rewrite: float = 0.3,
    paraphrase_threshold: float = 0.75,
    same_story: float = 0.6,
    model: str | None = None,
) -> pd.DataFrame:
    """Text overlap between every two articles.

    Parameters
    ----------
    corpus : Corpus
    stories : DataFrame, optional
        :func:`analysis.topics.stories` of the corpus: only articles of one story are paired.
    shingle_size : int
        Shingle length in words.
    num_perm : int
        MinHash permutations.
    random_state : int
        Seed of the MinHash permutations (deterministic).
    near_duplicate, shared_copy, rewrite, paraphrase_threshold, same_story : float
        Verdict thresholds (see the module docstring).
    min_shared : int
        Shared 5-grams needed besides ``shared_copy`` containment.
    min_paraphrased : int
        Paraphrased sentences needed besides the ``rewrite`` share.
    model : str, optional
        Embedding model.

    Returns
    -------
    DataFrame
        Schema :class:`analysis.schemas.claims.ProvenancePairs`: ``story_id``, ``article_id``,
        ``other_article_id``, ``outlet``, ``other_outlet``, ``shingle_jaccard``,
        ``containment``, ``embed_sim``, ``paraphrase_share``, ``relation``,
        ``evidence`` (best sentence pair); one row per unordered pair of articles of one story,
        stories in order of their first article, pairs in corpus order.
    """
    arts = corpus.articles["article_id"].tolist()
    story = story_of(corpus.articles, stories).tolist()
    outlet = dict(zip(corpus.articles["article_id"], corpus.articles["outlet"], strict=True))
    kept = corpus.paragraphs.groupby("article_id", sort=False)["text"].apply("\n".join)
    sh = {a: shingles(kept.get(a, ""), shingle_size) for a in arts}
    mh = {a: _minhash(sh[a], num_perm, random_state) for a in arts}
    sents = corpus.sentences
    vectors = embed_texts(sents["text"].tolist(), model=model) if len(sents) else np.zeros((0, 1))
    positions = sents.groupby("article_id", sort=False).indices if len(sents) else {}
    rows_of = {a: positions.get(a, np.zeros(0, dtype=np.int64)) for a in arts}
    means = {}
    for a in arts:
        v = vectors[rows_of[a]].mean(axis=0) if len(rows_of[a]) else np.zeros(vectors.shape[1])
        means[a] = v / (np.linalg.norm(v) or 1.0)
    members: dict[str, list[str]] = {}
    for a, sid in zip(arts, story, strict=True):
        members.setdefault(sid, []).append(a)
    rows = []
    pairs = ((sid, a, b) for sid, in_story in members.items() for a, b in combinations(in_story, 2))
    for sid, a, b in pairs:
        small = min(len(sh[a]), len(sh[b])) or 1
        containment = len(sh[a] & sh[b]) / small
        jac = float(mh[a].jaccard(mh[b]))
        ra, rb = rows_of[a], rows_of[b]
        share, evidence, n_para = 0.0, "", 0
        if len(ra) and len(rb):
            sim = vectors[ra] @ vectors[rb].T
            if len(ra) <= len(rb):
                best = sim.max(axis=1)
            else:
                best = sim.max(axis=0)
            n_para = int((best >= paraphrase_threshold).sum())
            share = float((best >= paraphrase_threshold).mean())
            i_best, j_best = np.unravel_index(np.argmax(sim), sim.shape)
            evidence = f"{sents.at[ra[i_best], 'sentence_id']} | {sents.at[rb[j_best], 'sentence_id']}"
        emb = float(np.clip(means[a] @ means[b], -1, 1))
        if jac >= near_duplicate:
            relation = "near_duplicate"
        elif containment >= shared_copy and len(sh[a] & sh[b]) >= min_shared:
            relation = "shared_copy"
        elif share >= rewrite and n_para >= min_paraphrased:
            relation = "rewrite"
        elif emb >= same_story:
            relation = "same_story"
        else:
            relation = "independent"
        rows.append(
            dict(
                story_id=sid,
                article_id=a,
                other_article_id=b,
                outlet=outlet[a],
                other_outlet=outlet[b],
                shingle_jaccard=round(jac, 4),
                containment=round(containment, 4),
                embed_sim=round(emb, 4),
                paraphrase_share=round(share, 4),
                relation=relation,
                evidence=evidence,
            )
        )
    table = frame(rows, ProvenancePairs)
    return validate(table, ProvenancePairs, table="provenance_pairs")


def provenance_warnings(pairs: pd.DataFrame) -> pd.DataFrame:
    """Pairs that per-outlet statistics would count twice, with a message to show the reader.

    Returns
    -------
    DataFrame
        Columns ``story_id``, ``article_id``, ``other_article_id``, ``outlet``, ``other_outlet``,
        ``relation``, ``message``.
    """
    flagged = pairs[pairs["relation"].isin(DOUBLE_COUNT_RELATIONS)]
    messages = [
        f"{r.article_id} ({r.outlet}) and {r.other_article_id} ({r.other_outlet}) are a {r.relation.replace('_', ' ')} "
        f"(5-gram Jaccard {r.shingle_jaccard:.2f}, containment {r.containment:.2f}, paraphrased sentences "
        f"{r.paraphrase_share:.0%}): counts that add up both articles count this story twice."
        for r in flagged.itertuples(index=False)
    ]
    cols = ["story_id", "article_id", "other_article_id", "outlet", "other_outlet", "relation"]
    return flagged[cols].assign(message=messages).reset_index(drop=True)


def double_counted_claims(groups: pd.DataFrame, pairs: pd.DataFrame) -> pd.DataFrame:
    """Claims of one group that come from articles that are not independent of each other.

    Two outlets 'agreeing' on a figure is no corroboration when one copied or
    rewrote the other; this lists such claim pairs so a reader can discount them.

    Parameters
    ----------
    groups : DataFrame
        Output of :func:`analysis.claims.compare_numbers`.
    pairs : DataFrame
        Output of :func:`provenance_pairs`.

    Returns
    -------
    DataFrame
        Columns ``story_id``, ``group_id``, ``label``, ``claim_id``, ``other_claim_id``,
        ``article_id``, ``other_article_id``, ``relation``, ``message``.
    """
    cols = [
        "story_id",
        "group_id",
        "label",
        "claim_id",
        "other_claim_id",
        "article_id",
        "other_article_id",
        "relation",
        "message",
    ]
    flagged = pairs[pairs["relation"].isin(DOUBLE_COUNT_RELATIONS)]
    relation = {}
    for r in flagged.itertuples(index=False):
        relation[(r.article_id, r.other_article_id)] = relation[(r.other_article_id, r.article_id)] = (
            r.relation
        )
    rows = []
    for gid, group in groups.groupby("group_id", sort=False):
        claims = list(group.itertuples(index=False))
        for i, a in enumerate(claims):
            for b in claims[i + 1 :]:
                rel = relation.get((a.article_id, b.article_id))
                if rel is None:
                    continue
                rows.append(
                    dict(
                        story_id=a.story_id,
                        group_id=gid,
                        label=a.label,
                        claim_id=a.claim_id,
                        other_claim_id=b.claim_id,
                        article_id=a.article_id,
                        other_article_id=b.article_id,
                        relation=rel,
                        message=f"{a.claim_id} '{a.text}' and {b.claim_id} '{b.text}' come from a "
                        f"{rel.replace('_', ' ')} pair of articles: one source, not two.",
                    )
                )
    return pd.DataFrame(rows, columns=cols)
