"""Passage alignment across outlets and the coverage matrix it implies.

:func:`align_passages` gives every passage (sentence by default, or paragraph)
its best counterpart in every other outlet, scored as

    score = w_embed * cos(embeddings) + (1 - w_embed) * Jaccard(content words)

with ``w_embed`` = 0.7: the embedding carries paraphrase, the lexical overlap
rewards shared names and figures that embeddings blur. A pair is ``aligned``
when the score reaches ``align_threshold`` (0.5): with all-MiniLM-L6-v2,
sentences reporting the same fact in different words score about 0.55-0.85
in cosine, while sentences of one story about different facts score 0.2-0.45;
the lexical term only shifts borderline pairs.

:func:`coverage_matrix` turns alignments into content units: passages joined
by *reciprocal* best alignments (each is the other's best counterpart in that
outlet, a standard guard against one generic sentence absorbing many) are
merged best pair first, and two clusters merge only if no article would then
have two passages in the unit (a fact is stated once per article; without
this constraint generic sentences chain unrelated facts into one unit). Each
cluster is a content unit; each outlet either covers it or not. :func:`coverage_gaps` lists, per outlet, the units only it
covers (``exclusive``) and the units that most other outlets cover but it
does not (``omitted``; 'most' = more than ``omit_share`` of the other outlets).
Passages shorter than ``min_words`` tokens (datelines, subheads) are skipped.

All of it is done within stories (``stories=``, from :func:`analysis.topics.stories`): a passage
is matched only against passages of its own story, content units never span two stories, and an
outlet is listed in a story's coverage (and can omit its content) only when it covers the story.
Exclusive content is what an outlet alone reports *about this story*. The similarity work is
O(sum over stories of n_story^2); without ``stories`` the whole corpus is one story ('all').
"""

from __future__ import annotations

from collections import Counter
from typing import Literal

import numpy as np
import pandas as pd
from scipy.sparse import csr_matrix
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from analysis.corpus import Corpus, story_of
from analysis.corpus.text import tokenize
from analysis.nlp import embed_texts
from analysis.schemas import empty_frame, frame, validate
from analysis.schemas.claims import Alignments, Coverage, CoverageGaps

__all__ = ["passages", "align_passages", "coverage_matrix", "coverage_gaps"]


def passages(
    corpus: Corpus, *, unit: Literal["sentences", "paragraphs"] = "sentences", min_words: int = 5
) -> pd.DataFrame:
    """The passages to align: sentences or paragraphs of body and headline paragraphs.

    Returns
    -------
    DataFrame
        Columns ``unit_id``, ``article_id``, ``outlet``, ``start``, ``end``, ``text``.
    """
    roles = corpus.paragraphs.set_index("paragraph_id")["role"]
    table = corpus.units(unit)
    id_col = "sentence_id" if unit == "sentences" else "paragraph_id"
    pid = table["paragraph_id"]
    keep = (pid.map(roles) != "subhead") & (table["n_words"] >= min_words)
    out = table.loc[keep, [id_col, "article_id", "outlet", "start", "end", "text"]].rename(
        columns={id_col: "unit_id"}
    )
    return out.reset_index(drop=True)


def _content_matrix(texts: list[str]):
    """Binary passage x content-word matrix (CSR): tokens of :func:`tokenize` minus stop words and 1-letter tokens."""
    vocab: dict[str, int] = {}
    rows, cols = [], []
    for i, text in enumerate(texts):
        for t in {t for t in tokenize(text) if t not in ENGLISH_STOP_WORDS and len(t) > 1}:
            rows.append(i)
            cols.append(vocab.setdefault(t, len(vocab)))
    return csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(texts), max(len(vocab), 1)))


def _jaccard(a, b) -> np.ndarray:
    """Jaccard similarity of the rows of two binary sparse matrices."""
    inter = (a @ b.T).toarray()
    union = np.asarray(a.sum(axis=1)) + np.asarray(b.sum(axis=1)).T - inter
    return np.divide(inter, union, out=np.zeros_like(inter), where=union > 0)


def align_passages(
    corpus: Corpus,
    *,
    stories: pd.DataFrame | None = None,
    unit: Literal["sentences", "paragraphs"] = "sentences",
    align_threshold: float = 0.5,
    w_embed: float = 0.7,
    min_words: int = 5,
    model: str | None = None,
) -> pd.DataFrame:
    """Best counterpart of every passage in every other outlet of its story.

    Parameters
    ----------
    corpus : Corpus
    stories : DataFrame, optional
        :func:`analysis.topics.stories` of the corpus; None: the whole corpus is one story.
    unit : {'sentences', 'paragraphs'}
    align_threshold : float
        Minimum combined score for ``aligned`` (see the module docstring).
    w_embed : float
        Weight of embedding cosine; ``1 - w_embed`` goes to content-word Jaccard.
    min_words : int
        Shorter passages are not aligned.
    model : str, optional
        Embedding model (default: the verified all-MiniLM-L6-v2).

    Returns
    -------
    DataFrame
        Schema :class:`analysis.schemas.claims.Alignments`: ``story_id``, ``unit_id``,
        ``article_id``, ``outlet``, ``other_outlet``, ``counterpart_id``,
        ``embed_sim``, ``lexical_sim``, ``score``, ``aligned``, ``start``,
        ``end``, ``counterpart_start``, ``counterpart_end``; one row per
        passage and other outlet of its story.
    """
    units = passages(corpus, unit=unit, min_words=min_words)
    units["story_id"] = story_of(units, stories)
    if units.empty:
        return validate(empty_frame(Alignments), Alignments, table="alignments")
    vectors = embed_texts(units["text"].tolist(), model=model)
    words = _content_matrix(units["text"].tolist())
    outlets = units["outlet"].to_numpy()
    rows = []
    for story, members in units.groupby("story_id", sort=False).indices.items():
        mine = outlets[members]
        for other in dict.fromkeys(mine):  # one block of columns per outlet: memory n_story x n_other
            cols = members[mine == other]
            cosine = np.clip(vectors[members] @ vectors[cols].T, -1, 1)
            lexical = _jaccard(words[members], words[cols])
            score = w_embed * cosine + (1 - w_embed) * lexical
            best = np.argmax(score, axis=1)
            for row in np.flatnonzero(mine != other):
                i, k = members[row], best[row]
                j = cols[k]
                rows.append(
                    dict(
                        story_id=story,
                        unit_id=units.at[i, "unit_id"],
                        article_id=units.at[i, "article_id"],
                        outlet=outlets[i],
                        other_outlet=other,
                        counterpart_id=units.at[j, "unit_id"],
                        embed_sim=round(float(cosine[row, k]), 4),
                        lexical_sim=round(float(lexical[row, k]), 4),
                        score=round(float(score[row, k]), 4),
                        aligned=bool(score[row, k] >= align_threshold),
                        start=int(units.at[i, "start"]),
                        end=int(units.at[i, "end"]),
                        counterpart_start=int(units.at[j, "start"]),
                        counterpart_end=int(units.at[j, "end"]),
                    )
                )
    table = frame(rows, Alignments)
    order = {u: k for k, u in enumerate(units["unit_id"])}
    table = table.assign(_o=table["unit_id"].map(order)).sort_values(["_o", "other_outlet"], kind="stable")
    return validate(table.drop(columns="_o").reset_index(drop=True), Alignments, table="alignments")


def _label(texts: list[str], idf: dict[str, float], k: int = 4) -> str:
    """Salient words of a content unit: words shared by most of its passages, rarest first."""
    sets = [
        {t for t in tokenize(text) if t not in ENGLISH_STOP_WORDS and len(t) > 2 and not t[0].isdigit()}
        for text in texts
    ]
    share = Counter(t for s in sets for t in s)
    ranked = sorted(share, key=lambda t: (-share[t], -idf.get(t, 0.0), t))
    return " · ".join(ranked[:k])


def _content_units(alignments: pd.DataFrame, index: dict[str, int], articles: list[str]) -> list[int]:
    """Cluster id per passage: reciprocal aligned pairs merged best-first, one passage per article per unit."""
    aligned = alignments[alignments["aligned"]]
    score = {
        (a, b): sc
        for a, b, sc in zip(aligned["unit_id"], aligned["counterpart_id"], aligned["score"], strict=True)
    }
    edges = sorted(
        ((sc + score[(b, a)]) / 2, index[a], index[b])
        for (a, b), sc in score.items()
        if (b, a) in score and a < b and a in index and b in index
    )
    parent = list(range(len(articles)))
    members = {k: {articles[k]} for k in range(len(articles))}

    def root(k: int) -> int:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for _, i, j in sorted(edges, key=lambda e: (-e[0], e[1], e[2])):
        ri, rj = root(i), root(j)
        if ri != rj and not members[ri] & members[rj]:
            parent[rj] = ri
            members[ri] |= members.pop(rj)
    return [root(k) for k in range(len(articles))]


def coverage_matrix(
    corpus: Corpus,
    alignments: pd.DataFrame,
    *,
    stories: pd.DataFrame | None = None,
    min_words: int = 5,
    unit: Literal["sentences", "paragraphs"] = "sentences",
) -> pd.DataFrame:
    """Content units (clusters of reciprocally aligned passages) x the outlets covering their story.

    ``stories`` must be those :func:`align_passages` was given (None: the whole corpus is one story).

    Returns
    -------
    DataFrame
        Schema :class:`analysis.schemas.claims.Coverage`: ``story_id``, ``content_id``,
        ``content_label`` (up to four words, those shared by
        most of the unit's passages first, rarer words first among ties), ``outlet``, ``covered``, ``n_outlets``,
        ``n_passages``, ``unit_ids``, ``example``; one row per content unit
        and outlet covering its story, units numbered by their first passage in corpus order.
    """
    units = passages(corpus, unit=unit, min_words=min_words)
    units["story_id"] = story_of(units, stories)
    if len(alignments):
        given = dict(zip(units["unit_id"], units["story_id"], strict=True))
        if (alignments["unit_id"].map(given) != alignments["story_id"]).any():
            raise ValueError(
                "alignments were computed with other stories than those given to coverage_matrix"
            )
    index = {u: k for k, u in enumerate(units["unit_id"])}
    n = len(units)
    component = _content_units(alignments, index, units["article_id"].tolist())
    first = {}
    for k, c in enumerate(component):
        first.setdefault(c, k)
    number = {c: f"c{rank + 1}" for rank, c in enumerate(sorted(first, key=first.get))}
    units["content_id"] = [number[c] for c in component]
    doc_freq = Counter(t for text in units["text"] for t in set(tokenize(text)))
    idf = {t: float(np.log(n / df)) for t, df in doc_freq.items()}
    covering = story_of(corpus.articles, stories).groupby(corpus.articles["outlet"], sort=False).agg(set)
    outlets = {
        story: [o for o in corpus.outlets if story in covering[o]] for story in units["story_id"].unique()
    }
    # plain lists, not a frame per content unit: there are thousands of units on a few hundred articles
    text, outlet_of, unit_id, story_of_unit = (
        units[c].tolist() for c in ("text", "outlet", "unit_id", "story_id")
    )
    rows = []
    for cid, members in units.groupby("content_id", sort=False).indices.items():
        label = _label([text[i] for i in members], idf)
        n_outlets = len({outlet_of[i] for i in members})
        story = story_of_unit[members[0]]
        for outlet in outlets[story]:
            mine = [i for i in members if outlet_of[i] == outlet]
            rows.append(
                dict(
                    story_id=story,
                    content_id=cid,
                    content_label=label,
                    outlet=outlet,
                    covered=bool(mine),
                    n_outlets=n_outlets,
                    n_passages=len(mine),
                    unit_ids=" ".join(unit_id[i] for i in mine),
                    example=text[mine[0]] if mine else "",
                )
            )
    table = frame(rows, Coverage)
    table = table.sort_values("content_id", key=lambda s: s.str[1:].astype(int), kind="stable").reset_index(
        drop=True
    )
    return validate(table, Coverage, table="coverage")


def coverage_gaps(coverage: pd.DataFrame, *, omit_share: float = 0.5) -> pd.DataFrame:
    """Per outlet and story: content it alone covers, and content more than ``omit_share`` of the story's
    other outlets cover but it omits.

    ``coverage`` carries its stories (``story_id``, from :func:`coverage_matrix`): 'the others' are the
    other outlets covering the same story, never outlets that did not report on it.

    Returns
    -------
    DataFrame
        Schema :class:`analysis.schemas.claims.CoverageGaps`: ``story_id``, ``outlet``,
        ``status`` ('exclusive' or 'omitted'), ``content_id``,
        ``content_label``, ``n_outlets``, ``evidence_ids`` (the outlet's own
        passages for exclusive content, the other outlets' for omissions),
        ``evidence`` (first such passage).
    """
    n_covering = coverage.groupby("story_id")["outlet"].nunique().to_dict()
    # plain lists, not a frame per content unit (see coverage_matrix)
    col = {
        c: coverage[c].tolist() for c in ("story_id", "outlet", "covered", "n_outlets", "unit_ids", "example")
    }
    labels = coverage["content_label"].tolist()
    rows = []
    for cid, members in coverage.groupby("content_id", sort=False).indices.items():
        story = col["story_id"][members[0]]
        n_total = n_covering[story]
        covered = [i for i in members if col["covered"][i]]
        for i in members:
            if col["covered"][i] and col["n_outlets"][i] == 1 and n_total > 1:
                status, evidence_ids, evidence = "exclusive", col["unit_ids"][i], col["example"][i]
            elif not col["covered"][i] and col["n_outlets"][i] > omit_share * (n_total - 1):
                status, evidence_ids, evidence = (
                    "omitted",
                    " ".join(col["unit_ids"][j] for j in covered),
                    col["example"][covered[0]],
                )
            else:
                continue
            rows.append(
                dict(
                    story_id=story,
                    outlet=col["outlet"][i],
                    status=status,
                    content_id=cid,
                    content_label=labels[i],
                    n_outlets=col["n_outlets"][i],
                    evidence_ids=evidence_ids,
                    evidence=evidence,
                )
            )
    table = frame(rows, CoverageGaps)
    return validate(table, CoverageGaps, table="coverage_gaps")
