"""Claims and coverage: what each outlet reported, omitted, disputed or copied.

The public entry points of the capability, re-exported from the modules that
implement them:

* :func:`extract_numbers` (:mod:`analysis.claims._numbers`): every quantity with
  bounds, unit, what is counted, source and time reference;
* :func:`compare_numbers` (:mod:`analysis.claims._groups`): claims about the
  same quantity grouped across outlets and labelled agree / compatible /
  disagree / different_reference;
* :func:`align_passages`, :func:`coverage_matrix`, :func:`coverage_gaps`
  (:mod:`analysis.claims._alignment`): best counterparts per outlet, content units x
  outlets, exclusive and omitted content;
* :func:`provenance` (:mod:`analysis.claims._provenance`, :mod:`analysis.claims._artefacts`):
  shared copy and rewrites between articles, machine-translation artefacts,
  aggregator signatures, and double-counting warnings.

Every comparison is made within a story (pass ``stories=analysis.topics.stories(corpus)``;
without it the whole corpus is one story, ``story_id`` 'all'): figures, passages and articles
of different events are never compared (docs/stories.md). :func:`disagreements` states each
contradiction in full: the story, both figures, both articles and both sentences.

Every row carries its story, article ids, sentence or passage ids and character offsets
into the original text, so each number in a figure can be traced back.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis.claims._alignment import align_passages, coverage_gaps, coverage_matrix, passages
from analysis.claims._artefacts import (
    FLAG_MIN_SIGNALS,
    FLAG_SCORE,
    SIGNAL_WEIGHTS,
    aggregator_signatures,
    artefact_scores,
    translation_artefacts,
)
from analysis.claims._groups import claim_texts, compare_numbers, pair_scores
from analysis.claims._numbers import COMPARABLE_KINDS, extract_numbers
from analysis.claims._provenance import double_counted_claims, provenance_pairs, provenance_warnings
from analysis.claims._verdicts import disagreements
from analysis.corpus import WHOLE_CORPUS, Corpus

__all__ = [
    "COMPARABLE_KINDS",
    "Provenance",
    "WHOLE_CORPUS",
    "extract_numbers",
    "compare_numbers",
    "claim_texts",
    "disagreements",
    "pair_scores",
    "passages",
    "align_passages",
    "coverage_matrix",
    "coverage_gaps",
    "provenance",
    "provenance_pairs",
    "provenance_warnings",
    "double_counted_claims",
    "translation_artefacts",
    "aggregator_signatures",
    "artefact_scores",
    "SIGNAL_WEIGHTS",
    "FLAG_SCORE",
    "FLAG_MIN_SIGNALS",
]


@dataclass(frozen=True)
class Provenance:
    """Tables of :func:`provenance`.

    Attributes
    ----------
    pairs : DataFrame
        Article pairs with overlap measures and a verdict (schema ``ProvenancePairs``).
    warnings : DataFrame
        Pairs that statistics would count twice, with a message (see :func:`provenance_warnings`).
    artefacts : DataFrame
        Every translation artefact and aggregator signature with offsets (schema ``ArtefactEvidence``).
    scores : DataFrame
        Per article and signal: count and rate per 1,000 words; 'total' is the translation score
        (schema ``ArtefactScores``).
    """

    pairs: pd.DataFrame
    warnings: pd.DataFrame
    artefacts: pd.DataFrame
    scores: pd.DataFrame


def provenance(
    corpus: Corpus,
    *,
    stories: pd.DataFrame | None = None,
    min_name_count: int = 3,
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
) -> Provenance:
    """Rewrites, shared copy, translation artefacts and aggregator signatures of a corpus.

    Parameters
    ----------
    corpus : Corpus
    stories : DataFrame, optional
        :func:`analysis.topics.stories` of the corpus: only articles of one story are paired
        (None: the whole corpus is one story).
    min_name_count : int
        See :func:`analysis.claims._artefacts.translation_artefacts`.
    shingle_size, num_perm, random_state, near_duplicate, shared_copy, min_shared, min_paraphrased, rewrite, paraphrase_threshold, same_story, model
        Passed to :func:`analysis.claims._provenance.provenance_pairs`.

    Returns
    -------
    Provenance
        ``pairs`` (``story_id``, ``article_id``, ``other_article_id``, ``outlet``, ``other_outlet``,
        ``shingle_jaccard``, ``containment``, ``embed_sim``, ``paraphrase_share``,
        ``relation``, ``evidence``), ``warnings`` (``story_id``, ``article_id``, ``other_article_id``,
        ``outlet``, ``other_outlet``, ``relation``, ``message``), ``artefacts``
        (``article_id``, ``outlet``, ``signal``, ``start``, ``end``, ``text``, ``context``)
        and ``scores`` (``article_id``, ``outlet``, ``n_words``, ``signal``, ``n``, ``score``).
    """
    pairs = provenance_pairs(
        corpus,
        stories=stories,
        shingle_size=shingle_size,
        num_perm=num_perm,
        random_state=random_state,
        near_duplicate=near_duplicate,
        shared_copy=shared_copy,
        min_shared=min_shared,
        min_paraphrased=min_paraphrased,
        rewrite=rewrite,
        paraphrase_threshold=paraphrase_threshold,
        same_story=same_story,
        model=model,
    )
    evidence = translation_artefacts(corpus, min_name_count=min_name_count)
    return Provenance(
        pairs=pairs,
        warnings=provenance_warnings(pairs),
        artefacts=evidence,
        scores=artefact_scores(corpus, evidence),
    )
