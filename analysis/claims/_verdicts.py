"""Disagreements stated in full: the story, both figures, both articles and both sentences.

A 'disagree' group of :func:`analysis.claims.compare_numbers` says that some of its claims
contradict each other; its ``conflicts`` column says which. :func:`disagreements` turns every
such pair into one row with a verdict a reader can check without opening the corpus.
"""

from __future__ import annotations

import pandas as pd

from analysis.corpus import WHOLE_CORPUS
from analysis.schemas import frame, validate
from analysis.schemas.claims import Disagreements

__all__ = ["disagreements"]


def _side(claim) -> str:
    return f"{claim.outlet} (article {claim.article_id}, sentence {claim.sentence_id}) gives '{claim.text}': “{claim.sentence}”"


def disagreements(groups: pd.DataFrame) -> pd.DataFrame:
    """One row per pair of claims that contradict each other within a story.

    Parameters
    ----------
    groups : DataFrame
        Output of :func:`analysis.claims.compare_numbers`.

    Returns
    -------
    DataFrame
        Schema :class:`analysis.schemas.claims.Disagreements`: ``story_id``, ``group_id``,
        ``group_label``, ``claim_id``, ``other_claim_id`` (the pair, ``claim_id`` first in the
        group's order), ``article_id``, ``other_article_id``, ``outlet``, ``other_outlet``,
        ``text``, ``other_text``, ``sentence_id``, ``other_sentence_id``, ``sentence``,
        ``other_sentence``, ``verdict`` ('In story S, <figure> counted as ...: A (article, sentence)
        gives 'x': “…”; B ... gives 'y': “…”.').
    """
    disputed = groups[groups["conflicts"] != ""]
    by_id = {c.claim_id: c for c in disputed.itertuples(index=False)}
    order = {cid: k for k, cid in enumerate(disputed["claim_id"])}
    rows = []
    for a in disputed.itertuples(index=False):
        for other_id in a.conflicts.split():
            if order[other_id] < order[a.claim_id]:
                continue
            b = by_id[other_id]
            where = "In the corpus" if a.story_id == WHOLE_CORPUS else f"In story {a.story_id}"
            rows.append(
                dict(
                    story_id=a.story_id,
                    group_id=a.group_id,
                    group_label=a.group_label,
                    claim_id=a.claim_id,
                    other_claim_id=b.claim_id,
                    article_id=a.article_id,
                    other_article_id=b.article_id,
                    outlet=a.outlet,
                    other_outlet=b.outlet,
                    text=a.text,
                    other_text=b.text,
                    sentence_id=a.sentence_id,
                    other_sentence_id=b.sentence_id,
                    sentence=a.sentence,
                    other_sentence=b.sentence,
                    verdict=f"{where}, the figures for {a.group_label} disagree: {_side(a)}; {_side(b)}.",
                )
            )
    return validate(frame(rows, Disagreements), Disagreements, table="disagreements")
