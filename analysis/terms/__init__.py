"""Term counts and contrasts: which words set each outlet (or any group) apart.

* :func:`count_terms` counts unigrams/n-grams per group with unit and article frequencies
  (polars + a compiled tally); :func:`collapse_counts` pools groups; :func:`tally_terms` gives the
  same rows unvalidated, in polars, for callers that sum batches (``scale.count_terms_at_scale``);
* :func:`contrast` scores every term of the pooled vocabulary (log-odds with informative prior,
  G², χ², PMI, log ratio, scaled F), one vs rest or pairwise; :func:`text_sufficiency`,
  :func:`bootstrap_intervals` and :func:`top_terms` make the ranking honest on small corpora,
  :func:`largest_outlets` bounds the outlets a pairwise contrast compares;
* :func:`in_context` / :func:`evidence` show the sentences behind a term;
  :func:`term_explorer_data` keeps each comparison's terms and a seeded sample of their uses for
  report.html's term explorer;
* :func:`word_shift` explains a difference between two groups (mean word score, entropy, JSD,
  term shares) term by term (Gallagher et al. 2021), :func:`word_shift_interval` bounds its total;
  :func:`semiotic_square` sets two groups against each other and against a neutral reference;
* :func:`flag_set_aside` (run by :func:`contrast`) and :func:`outlet_sites` mark an outlet's
  references to itself and house style, kept in the table but out of the headline figures.

The per-method scorers (closed forms, tested by hand) are in :mod:`analysis.terms._keyness`.
"""

from __future__ import annotations

from analysis.terms._context import evidence, in_context
from analysis.terms._contrast import (
    METHODS,
    RANK_STAT,
    bootstrap_intervals,
    comparison_note,
    contrast,
    largest_outlets,
    text_sufficiency,
    top_terms,
)
from analysis.terms._counts import collapse_counts, count_terms, stop_words, tally_terms
from analysis.terms._explorer_data import term_explorer_data
from analysis.terms._set_aside import flag_set_aside, outlet_sites
from analysis.terms._shift import vader_lexicon, word_shift, word_shift_interval
from analysis.terms._square import semiotic_square

__all__ = [
    "METHODS",
    "RANK_STAT",
    "bootstrap_intervals",
    "collapse_counts",
    "comparison_note",
    "contrast",
    "count_terms",
    "evidence",
    "flag_set_aside",
    "in_context",
    "largest_outlets",
    "outlet_sites",
    "semiotic_square",
    "stop_words",
    "tally_terms",
    "term_explorer_data",
    "text_sufficiency",
    "top_terms",
    "vader_lexicon",
    "word_shift",
    "word_shift_interval",
]
