"""Schemas of term counts and term contrasts (``analysis.terms._counts``, ``analysis.terms._contrast``)."""

from __future__ import annotations

import pandera.pandas as pa
from pandera.typing import Series


class TermCounts(pa.DataFrameModel):
    """One row per (group, term): the grouping column(s) (usually ``outlet``) come first and are not fixed here."""

    term: Series[str] = pa.Field(str_length={"min_value": 1}, description="Normalized n-gram, tokens joined by one space.")
    ngram: Series[int] = pa.Field(ge=1, description="Number of tokens in the term.")
    n: Series[int] = pa.Field(ge=1, description="Occurrences of the term in the group.")
    n_units: Series[int] = pa.Field(ge=1, description="Units (paragraphs, sentences or articles counted) containing the term.")
    n_articles: Series[int] = pa.Field(ge=1, description="Distinct articles of the group containing the term.")


class TermContrast(pa.DataFrameModel):
    """One row per (outlet, other, term) over the pooled vocabulary; method columns appear when requested."""

    outlet: Series[str] = pa.Field(description="Target group.")
    other: Series[str] = pa.Field(description="Comparison group: another outlet, or 'rest' (all other outlets pooled).")
    term: Series[str] = pa.Field(description="Normalized n-gram.")
    n: Series[int] = pa.Field(ge=0, description="Count in the target outlet (y_w^i; may be 0).")
    n_other: Series[int] = pa.Field(ge=0, description="Count in the comparison (y_w^j; may be 0).")
    n_articles: Series[int] = pa.Field(ge=0, description="Distinct articles of the target outlet using the term.")
    dispersion_flag: Series[bool] = pa.Field(description="True when the target count comes from a single article.")
    delta: Series[float] | None = pa.Field(description="Log-odds ratio with Dirichlet prior (Monroe et al. 2008, eq. 16).")
    se: Series[float] | None = pa.Field(gt=0, description="Standard error of delta (eq. 20, or full delta method).")
    z: Series[float] | None = pa.Field(description="delta / se (eq. 22).")
    p: Series[float] | None = pa.Field(ge=0, le=1, description="Two-sided normal p-value of z.")
    q: Series[float] | None = pa.Field(ge=0, le=1, description="Benjamini-Hochberg adjusted p within the comparison.")
    g2: Series[float] | None = pa.Field(description="Signed log-likelihood G2 (Dunning 1993), + when overused by the outlet.")
    g2_p: Series[float] | None = pa.Field(ge=0, le=1, description="p-value of |g2| from chi-squared with 1 df.")
    chi2: Series[float] | None = pa.Field(description="Signed Pearson chi-squared, no Yates correction.")
    chi2_p: Series[float] | None = pa.Field(ge=0, le=1, description="p-value of |chi2| from chi-squared with 1 df.")
    pmi: Series[float] | None = pa.Field(nullable=True, description="ln(O11 / E11); NaN when the outlet never uses the term.")
    log_ratio: Series[float] | None = pa.Field(description="Hardie's Log Ratio, log2 of the relative-frequency ratio, zeros as 0.5.")
    scaled_f: Series[float] | None = pa.Field(nullable=True, ge=-1, le=1, description="Kessler's scaled F-score (beta=2), signed: + outlet side wins.")


class TextSufficiency(pa.DataFrameModel):
    """One row per outlet: is there enough text for the requested comparison."""

    outlet: Series[str] = pa.Field(description="Outlet label.")
    n_tokens: Series[int] = pa.Field(ge=0, description="Counted words of the outlet: sum of n over its unigrams (shortest n-grams counted).")
    n_articles: Series[int] = pa.Field(ge=0, description="Distinct articles of the outlet.")
    enough: Series[bool] = pa.Field(description="True when n_tokens >= min_tokens and n_articles >= min_articles.")
    note: Series[str] = pa.Field(description="Plain-language verdict shown in charts instead of a confident figure.")


class TermIntervals(pa.DataFrameModel):
    """Article-level bootstrap percentile intervals for selected terms."""

    outlet: Series[str] = pa.Field(description="Target outlet.")
    other: Series[str] = pa.Field(description="Comparison group.")
    term: Series[str] = pa.Field(description="Normalized n-gram.")
    stat: Series[str] = pa.Field(description="Score column the interval is for (e.g. 'z', 'delta').")
    ci_low: Series[float] = pa.Field(nullable=True, description="Lower percentile bound; NaN when the outlet has one article.")
    ci_high: Series[float] = pa.Field(nullable=True, description="Upper percentile bound; NaN when the outlet has one article.")
    n_boot: Series[int] = pa.Field(ge=0, description="Bootstrap replicates used.")


class TermContext(pa.DataFrameModel):
    """One row per occurrence of a term: the sentence(s) around it, with ids and offsets."""

    term: Series[str] = pa.Field(description="The term searched for.")
    outlet: Series[str] = pa.Field(description="Outlet label.")
    article_id: Series[str] = pa.Field(description="Article of the occurrence.")
    paragraph_id: Series[str] = pa.Field(description="Paragraph of the occurrence.")
    sentence_id: Series[str] = pa.Field(description="Sentence where the occurrence starts.")
    start: Series[int] = pa.Field(ge=0, description="Start offset of the matched text in the article's original text.")
    end: Series[int] = pa.Field(ge=1, description="End offset (exclusive) of the matched text.")
    match: Series[str] = pa.Field(description="The matched text as written.")
    text: Series[str] = pa.Field(description="The sentence(s) covering the occurrence.")
