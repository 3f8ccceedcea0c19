"""Schemas of term counts and term contrasts (``analysis.terms._counts``, ``analysis.terms._contrast``)."""

from __future__ import annotations

import pandera.pandas as pa
from pandera.typing import Series

import analysis.schemas._fields as fields
from analysis.schemas._fields import SharedField
from analysis.schemas._table import GROUP_COLUMNS, Table

OTHER = SharedField("other", str, "Comparison group: another outlet, or 'rest' (all other outlets pooled).")


class TermCounts(Table, grain=(GROUP_COLUMNS, "term")):
    """One row per (group, term): the grouping column(s) (usually ``outlet``) come first and are not fixed here."""

    term: Series[str] = fields.term(str_length={"min_value": 1})
    ngram: Series[int] = pa.Field(ge=1, description="Number of tokens in the term.")
    n: Series[int] = fields.n(of="occurrences of the term in the group", ge=1)
    n_units: Series[int] = pa.Field(
        ge=1, description="Units (paragraphs, sentences or articles counted) containing the term."
    )
    n_articles: Series[int] = fields.n_articles(of="the group containing the term", ge=1)


class TermContrast(Table, grain=("outlet", "other", "term")):
    """One row per (outlet, other, term) over the pooled vocabulary; ``outlet`` is the target group.

    Method columns appear when requested.
    """

    outlet: Series[str] = fields.outlet()
    other: Series[str] = OTHER()
    term: Series[str] = fields.term()
    n: Series[int] = fields.n(of="the term in the target outlet (y_w^i; may be 0)")
    n_other: Series[int] = pa.Field(ge=0, description="Count in the comparison (y_w^j; may be 0).")
    n_articles: Series[int] = fields.n_articles(of="the target outlet using the term")
    dispersion_flag: Series[bool] = pa.Field(
        description="True when the target count comes from a single article."
    )
    set_aside: Series[str] | None = pa.Field(
        isin=["", "self-reference", "house style"],
        description="Why the term is left out of the headline figures: the outlet naming itself "
        "('self-reference') or an honorific or dotted abbreviation ('house style'); '' when kept.",
    )
    delta: Series[float] | None = pa.Field(
        description="Log-odds ratio with Dirichlet prior (Monroe et al. 2008, eq. 16)."
    )
    se: Series[float] | None = fields.se(of="delta (eq. 20, or full delta method)", gt=0)
    z: Series[float] | None = pa.Field(description="delta / se (eq. 22).")
    p: Series[float] | None = pa.Field(ge=0, le=1, description="Two-sided normal p-value of z.")
    q: Series[float] | None = pa.Field(
        ge=0, le=1, description="Benjamini-Hochberg adjusted p within the comparison."
    )
    g2: Series[float] | None = pa.Field(
        description="Signed log-likelihood G2 (Dunning 1993), + when overused by the outlet."
    )
    g2_p: Series[float] | None = pa.Field(
        ge=0, le=1, description="p-value of |g2| from chi-squared with 1 df."
    )
    chi2: Series[float] | None = pa.Field(description="Signed Pearson chi-squared, no Yates correction.")
    chi2_p: Series[float] | None = pa.Field(
        ge=0, le=1, description="p-value of |chi2| from chi-squared with 1 df."
    )
    pmi: Series[float] | None = pa.Field(
        nullable=True, description="ln(O11 / E11); NaN when the outlet never uses the term."
    )
    log_ratio: Series[float] | None = pa.Field(
        description="Hardie's Log Ratio, log2 of the relative-frequency ratio, zeros as 0.5."
    )
    scaled_f: Series[float] | None = pa.Field(
        nullable=True,
        ge=-1,
        le=1,
        description="Kessler's scaled F-score (beta=2), signed: + outlet side wins.",
    )


class TextSufficiency(Table, grain=("outlet",)):
    """One row per outlet: is there enough text for the requested comparison."""

    outlet: Series[str] = fields.outlet()
    n_tokens: Series[int] = pa.Field(
        ge=0,
        description="Counted words of the outlet: sum of n over its unigrams (shortest n-grams counted).",
    )
    n_articles: Series[int] = fields.n_articles(of="the outlet")
    enough: Series[bool] = pa.Field(
        description="True when n_tokens >= min_tokens and n_articles >= min_articles."
    )
    note: Series[str] = pa.Field(
        description="Plain-language verdict shown in charts instead of a confident figure."
    )


class TermIntervals(Table, grain=("outlet", "other", "term")):  # one stat per table (``stat`` is constant)
    """Article-level bootstrap percentile intervals for selected terms; ``outlet`` is the target group."""

    outlet: Series[str] = fields.outlet()
    other: Series[str] = OTHER()
    term: Series[str] = fields.term()
    stat: Series[str] = pa.Field(description="Score column the interval is for (e.g. 'z', 'delta').")
    ci_low: Series[float] = fields.ci_low(
        of="the percentile interval; NaN when the outlet has one article", nullable=True
    )
    ci_high: Series[float] = fields.ci_high(
        of="the percentile interval; NaN when the outlet has one article", nullable=True
    )
    n_boot: Series[int] = pa.Field(ge=0, description="Bootstrap replicates used.")


class TermContext(Table, grain=("term", "article_id", "start")):
    """One row per occurrence of a term: the sentence(s) around it, with ids and offsets.

    ``sentence_id`` is the sentence where the occurrence starts.
    """

    term: Series[str] = fields.term()
    outlet: Series[str] = fields.outlet()
    article_id: Series[str] = fields.article_id()
    paragraph_id: Series[str] = fields.paragraph_id()
    sentence_id: Series[str] = fields.sentence_id()
    start: Series[int] = fields.start(of="the matched text")
    end: Series[int] = fields.end(of="the matched text")
    match: Series[str] = pa.Field(description="The matched text as written.")
    text: Series[str] = pa.Field(description="The sentence(s) covering the occurrence.")


_CLASS = "shifterator's class: sign of "


class WordShift(Table, grain=("outlet", "other", "story_id", "term")):
    """One row per term of a word shift of ``outlet`` (system a) against ``other`` (reference b).

    Gallagher et al. (2021): contribution = p_diff * s_ref_diff + p_avg * s_diff, summing to ``total``.
    """

    outlet: Series[str] = fields.outlet()
    other: Series[str] = OTHER()
    story_id: Series[str] = fields.story_id(of="the story compared within ('all': the whole corpus)")
    kind: Series[str] = pa.Field(
        isin=["proportion", "shannon", "jsd", "sentiment"], description="What differs (the kind of shift)."
    )
    term: Series[str] = fields.term()
    n: Series[int] = fields.n(of="the term in the outlet (a)")
    n_other: Series[int] = pa.Field(ge=0, description="Count of the term in the reference (b).")
    p_a: Series[float] = pa.Field(ge=0, le=1, description="Relative frequency in a (over the terms shifted).")
    p_b: Series[float] = pa.Field(ge=0, le=1, description="Relative frequency in b (over the terms shifted).")
    score_a: Series[float] = pa.Field(description="The term's score in a (lexicon score, surprisal, ...).")
    score_b: Series[float] = pa.Field(description="The term's score in b.")
    p_diff: Series[float] = pa.Field(description="p_a - p_b.")
    s_diff: Series[float] = pa.Field(description="score_a - score_b (0 with one lexicon).")
    p_avg: Series[float] = pa.Field(ge=0, le=1, description="(p_a + p_b) / 2.")
    s_ref_diff: Series[float] = pa.Field(description="(score_a + score_b) / 2 - reference.")
    frequency_part: Series[float] = pa.Field(description="p_diff * s_ref_diff: the change in use.")
    score_part: Series[float] = pa.Field(description="p_avg * s_diff: the change in score.")
    contribution: Series[float] = pa.Field(
        description="frequency_part + score_part: the term's share of total."
    )
    frequency_class: Series[str] = pa.Field(
        isin=["pos_s_pos_p", "pos_s_neg_p", "neg_s_pos_p", "neg_s_neg_p"],
        description=_CLASS + "s_ref_diff (pos_s when > 0), then of p_diff (pos_p when > 0).",
    )
    score_class: Series[str] = pa.Field(
        isin=["pos_s", "neg_s"], description=_CLASS + "s_diff (pos_s when > 0)."
    )
    rank: Series[int] = pa.Field(ge=1, description="Position by |contribution|, 1 = largest.")
    cumulative: Series[float] = pa.Field(description="Sum of contributions down to this rank.")
    total: Series[float] = pa.Field(
        description="The difference a - b explained: mean score, entropy (bits), JSD (bits) or 0 (proportion)."
    )
    reference: Series[float] = pa.Field(description="s_ref, the score that splits terms above and below.")


class ShiftInterval(Table, grain=("outlet", "other", "story_id")):
    """Article-level bootstrap percentile interval of a word shift's total."""

    outlet: Series[str] = fields.outlet()
    other: Series[str] = OTHER()
    story_id: Series[str] = fields.story_id(of="the story compared within ('all': the whole corpus)")
    kind: Series[str] = pa.Field(
        isin=["proportion", "shannon", "jsd", "sentiment"], description="What differs (the kind of shift)."
    )
    total: Series[float] = pa.Field(description="The word shift's total difference (point estimate).")
    ci_low: Series[float] = fields.ci_low(
        of="the percentile interval; NaN when a group has one article", nullable=True
    )
    ci_high: Series[float] = fields.ci_high(
        of="the percentile interval; NaN when a group has one article", nullable=True
    )
    n_boot: Series[int] = pa.Field(
        ge=0, description="Bootstrap replicates used (0 when none could be drawn)."
    )


class SemioticSquare(Table, grain=("outlet", "other", "story_id", "term")):
    """One row per term: its place on the a-vs-b and (a + b)-vs-neutral axes (Scattertext's semiotic square)."""

    outlet: Series[str] = fields.outlet()
    other: Series[str] = OTHER()
    story_id: Series[str] = fields.story_id(of="the story compared within ('all': the whole corpus)")
    term: Series[str] = fields.term()
    n: Series[int] = fields.n(of="the term in the outlet (a)")
    n_other: Series[int] = pa.Field(ge=0, description="Count of the term in b.")
    n_neutral: Series[int] = pa.Field(ge=0, description="Count of the term in the neutral groups together.")
    x: Series[float] = pa.Field(ge=-1, le=1, description="Rank difference a - b, stretched to [-1, 1].")
    y: Series[float] = pa.Field(
        ge=-1, le=1, description="Rank difference (a + b) - neutral, stretched to [-1, 1]."
    )
    part: Series[str] = pa.Field(
        isin=["a", "b", "not_a", "not_b", "a_and_b", "not_a_and_not_b", "a_and_not_b", "b_and_not_a"],
        description="Sector of the square (Scattertext's names), from the angle of (x, y).",
    )
    magnitude: Series[float] = pa.Field(ge=0, description="x² + y²: the term's weight in its sector.")
    rank: Series[int] = pa.Field(ge=1, description="Position in its sector by magnitude, 1 = heaviest.")
