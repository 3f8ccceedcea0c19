"""Evidence that two figures are about the same fact, from the words of their sentences.

:func:`analysis.claims.compare_numbers` matches figures by what they count ('people killed'), their
unit, their context embedding and their values. Within one story that is not enough:
'328 injured in the factory fire in Ashford' and '200 wounded in three nights of US airstrikes
near Jalalabad' count the same kind of thing, read alike to a sentence-embedding model (cosine
~0.5) and lie within a factor of 3, and were reported as a disputed figure. So two figures that
are not identical (same value, same bounds) may be grouped only when their sentences do not say
they are about different things, which this module measures per pair of claims:

* **names** (:meth:`SameFact.names_differ`): when both sentences name something (a place, group,
  organisation or person: 'Nagorno-Karabakh', 'Armenians', 'Lori') and nothing in common, they
  report two facts ('in Ashford' / 'near Jalalabad'). A sentence that names nothing ('30 people
  were killed in the flood', the usual second mention of a story's toll) can be about any figure of
  its story. A *name* is a word that the
  claim sentences of the input mostly capitalise in mid-sentence (more capitalised non-initial
  occurrences than lower-case ones): a sentence-initial capital or one after a colon does not make
  a name, and a name written in lower case ('armenian forces') still is one. Plurals and
  possessives fold ('Armenians', 'Armenians’' -> 'armenian'). Weekday and month names are not
  names (times are compared through ``time_key``). A name inside the counted phrase counts:
  '120,000 Armenians' says whose population it is, which the counted class ('people') does not;
  generic counted nouns ('injured', 'years') are never names;
* **near-duplicate sentences** (:meth:`SameFact.near_duplicates`): with the figure and every
  numeral removed, the two sentences share at least :data:`NEAR_DUPLICATE` of their IDF-weighted
  vocabulary (weighted Jaccard: the sum of ``idf`` over words in both, divided by the sum over
  words in either), where ``idf = ln((1 + n) / (1 + df)) + 1`` over the ``n`` distinct claim
  sentences of the input (function words weigh least; with two sentences it is plain Jaccard).
  Versions of one wire sentence ('At least 80 ...' / 'At least 77 ...') are near-duplicates. The
  threshold, 0.5, was fixed before measuring: most of what either sentence says, weighted by how
  rare its words are, the other says too.

Identical figures ('at least 200' twice) need no such check: one figure, one counted class and
event, and similar context are evidence enough that two outlets report one number (the seeds'
'at least 200 people killed' / '"at least 200" deaths'). Near-duplicate sentences link whatever
they name. Any other pair, disputed or compatible, must not name different things.

Why names and not overlapping content words: measured on the seeds and on a 300-article synthetic
corpus (benchmarks/data/report_scale_300.jsonl), the IDF-weighted overlap of the sentences' words
does not separate real disputes from unrelated figures: the seeds' population dispute (120,000 vs
100,000 Armenians, four articles) overlaps 0.02-0.09, unrelated casualty figures 0.00-0.19.
Outlets that dispute a figure word it differently, and unrelated sentences share function words
and reporting verbs; what unrelated figures of one story have is different referents. Requiring a
name in common (tried first) lost the commonest real dispute, a toll restated without its place
('30 people were killed in the flood' vs 'at least 40 ... in Eastbrook'). On report_scale_300 the
rule takes the disputed groups from 19 to 7 (requiring a shared name: 2): 25 vs 26 killed in one
pair of bombings (real), two attacks that both name 'Palestinian', and five pairs in which one
sentence names nothing (the generator resamples convention speeches into event stories). Texts
in a script without capitals have no names: there the rule never separates two figures.

**Relative times** (:func:`relative_times`): 'twenty years ago', 'two days earlier' measure the
distance from the writer's present (or another event) to some event, so two of them are one fact
only when their sentences are near-duplicates, even when the values are equal.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse

from analysis.claims._number_context import MONTH_RE
from analysis.corpus.text import token_spans

__all__ = ["NEAR_DUPLICATE", "RELATIVE_WORDS", "SameFact", "same_fact", "relative_times"]

#: Weighted Jaccard of two sentences' vocabularies at which they are near-duplicates (module docstring).
NEAR_DUPLICATE = 0.5

#: Words after a duration that make it a relative time ('20 years ago'): its counted head.
RELATIVE_WORDS = frozenset({"ago", "earlier", "later"})

_TIME_WORDS = re.compile(
    rf"^(?:{MONTH_RE}|monday|tuesday|wednesday|thursday|friday|saturday|sunday|sept)\.?$", re.IGNORECASE
)


def _fold(token: str) -> str:
    """A name token without plural or possessive ending ('armenians', 'armenians’' -> 'armenian')."""
    token = token.rstrip("’'")
    if token.endswith("s") and not token.endswith("ss") and len(token) > 3:
        return token[:-1]
    return token


def _name_words(sentences: dict[str, list[tuple[int, int, str]]]) -> frozenset[str]:
    """Folded words the sentences (text -> token spans) mostly capitalise in mid-sentence (module docstring)."""
    capital, lower = Counter(), Counter()
    for sentence, spans in sentences.items():
        for k, (start, _, token) in enumerate(spans):
            if len(token) < 2 or not token[0].isalpha():
                continue
            written = sentence[start]
            if written.isupper() and k > 0:
                capital[_fold(token)] += 1
            elif written.islower():
                lower[_fold(token)] += 1
    return frozenset(w for w, n in capital.items() if n > lower[w] and not _TIME_WORDS.match(w))


def _masked_words(sentence: str, spans: list[tuple[int, int, str]], number: str) -> set[str]:
    """The sentence's words without those of the figure's own text and without numerals."""
    start = sentence.find(number)
    end = start + len(number) if start >= 0 else -1
    return {t for s, e, t in spans if not (s < end and e > start) and not t[0].isdigit()}


def _incidence(rows: list[set[str]], vocabulary: dict[str, int]) -> sparse.csr_matrix:
    """Binary claims x words matrix of ``rows`` over ``vocabulary``."""
    indptr, indices = [0], []
    for words in rows:
        indices += sorted(vocabulary[w] for w in words)
        indptr.append(len(indices))
    data = np.ones(len(indices), dtype=np.float64)
    return sparse.csr_matrix((data, indices, indptr), shape=(len(rows), len(vocabulary)))


@dataclass(frozen=True)
class SameFact:
    """Per-claim word sets of a claims table (from :func:`same_fact`), for the pairs of any subset of its rows.

    Attributes
    ----------
    words : sparse matrix
        Claims x vocabulary: the words of each claim's sentence, its own figure and numerals removed.
    weighted : sparse matrix
        ``words`` times each word's ``idf``.
    named : sparse matrix
        The names among each claim's words (folded).
    """

    words: sparse.csr_matrix
    weighted: sparse.csr_matrix
    named: sparse.csr_matrix

    def near_duplicates(self, rows: np.ndarray) -> np.ndarray:
        """Boolean (k, k) matrix: the sentences of the claims at ``rows`` (positions) are near-duplicates."""
        weighted, words = self.weighted[rows], self.words[rows]
        shared = (weighted @ words.T).toarray()
        mass = np.asarray(weighted.sum(axis=1)).ravel()
        union = mass[:, None] + mass[None, :] - shared
        return shared >= NEAR_DUPLICATE * np.maximum(union, 1e-12)

    def shares_name(self, rows: np.ndarray) -> np.ndarray:
        """Boolean (k, k) matrix: the sentences of the claims at ``rows`` (positions) share a name."""
        named = self.named[rows]
        return (named @ named.T).toarray() > 0

    def names_differ(self, rows: np.ndarray) -> np.ndarray:
        """Boolean (k, k) matrix: both sentences of the claims at ``rows`` (positions) name something,
        and nothing in common."""
        named = self.named[rows]
        names_some = np.asarray(named.sum(axis=1)).ravel() > 0
        return names_some[:, None] & names_some[None, :] & ~self.shares_name(rows)

    def for_rows(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(may be one fact: near-duplicates, or names that do not differ; are near-duplicates):
        boolean (k, k) matrices of the claims at ``rows`` (positions)."""
        duplicate = self.near_duplicates(rows)
        return duplicate | ~self.names_differ(rows), duplicate


def same_fact(claims: pd.DataFrame) -> SameFact:
    """Words, IDF weights and names of each claim's sentence; names and IDF are statistics of all of ``claims``.

    Parameters
    ----------
    claims : DataFrame
        Rows of :func:`analysis.claims.extract_numbers` (``sentence``, ``text``).

    Returns
    -------
    SameFact
        Rows aligned with ``claims``.
    """
    sentences = claims["sentence"].tolist()
    spans = {s: token_spans(s) for s in dict.fromkeys(sentences)}
    names = _name_words(spans)
    words = [_masked_words(s, spans[s], t) for s, t in zip(sentences, claims["text"], strict=True)]
    named = [{_fold(t) for t in w} & names for w in words]
    df = Counter(word for found in spans.values() for word in {t for _, _, t in found})
    vocabulary = {w: k for k, w in enumerate(sorted(set().union(*words, *named)))}
    idf = np.array([math.log((1 + len(spans)) / (1 + df[w])) + 1 for w in vocabulary])
    incidence = _incidence(words, vocabulary)
    return SameFact(
        words=incidence,
        weighted=incidence.multiply(idf[None, :]).tocsr(),
        named=_incidence(named, vocabulary),
    )


def relative_times(claims: pd.DataFrame) -> np.ndarray:
    """Boolean per claim: a duration measured back or forward from an event ('20 years ago')."""
    head = claims["counted_head"].str.lower()
    return ((claims["kind"] == "duration") & head.isin(RELATIVE_WORDS)).to_numpy()
