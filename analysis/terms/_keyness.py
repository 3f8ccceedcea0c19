"""Keyness scores for one comparison: pure numpy functions over count vectors.

Each function takes the counts of every vocabulary term in the target (``y_i``,
``a`` in the 2x2 notation) and in the comparison (``y_j``, ``b``) plus, where
needed, the totals ``n_i = N1`` and ``n_j = N2``, and returns a dict of column
name -> array. :func:`analysis.terms._contrast.contrast` assembles them into tidy
tables; use these directly to score your own count vectors.

2x2 notation (Evert 2023, "Measuring keyness"): a = f1 (term in target),
b = f2 (term in comparison), c = N1 - f1, d = N2 - f2, N = N1 + N2, expected
E_rc = row total x column total / N with rows (term, not term) and columns
(target, comparison).
"""

from __future__ import annotations

import numpy as np
from scipy import special, stats

__all__ = ["log_odds", "g2", "chi2", "pmi", "log_ratio", "scaled_f", "SCORERS", "METHOD_COLUMNS"]

#: Output columns of each method.
METHOD_COLUMNS = {
    "log_odds": ["delta", "se", "z", "p", "q"],
    "g2": ["g2", "g2_p"],
    "chi2": ["chi2", "chi2_p"],
    "pmi": ["pmi"],
    "log_ratio": ["log_ratio"],
    "scaled_f": ["scaled_f"],
}


def log_odds(y_i, y_j, alpha_w, *, variance: str = "monroe") -> dict[str, np.ndarray]:
    """Log-odds ratio with a Dirichlet prior (Monroe, Colaresi & Quinn 2008, "Fightin' Words").

    Omega_w^i = (y_w^i + a_w) / (n^i + a_0 - y_w^i - a_w), delta_w = log Omega_w^i
    - log Omega_w^j (eq. 16), with n^i = sum of y^i and a_0 = sum of a_w over the vocabulary.
    Variance ``"monroe"``: 1/(y_w^i + a_w) + 1/(y_w^j + a_w), the paper's approximation (eq. 20);
    ``"exact"`` adds 1/(n^i + a_0 - y_w^i - a_w) + 1/(n^j + a_0 - y_w^j - a_w) (full delta method,
    what Scattertext computes). z = delta / sqrt(variance) (eq. 22); p two-sided from the
    standard normal; q Benjamini-Hochberg over the vocabulary of this comparison.
    A one-term vocabulary has no rest to set the term's odds against (n^i + a_0 - y_w^i - a_w
    = 0 on both sides): both sides use the term for every word, so it scores no difference,
    delta = 0, z = 0, p = q = 1, with se from the paper's two terms (eq. 20) for either variance.

    Parameters
    ----------
    y_i, y_j : array of counts over the whole vocabulary (their sums are n^i, n^j); 2-D arrays
        hold one comparison per row, scored row by row (the same numbers as one row at a time)
    alpha_w : array of prior pseudo-counts, one per term, all > 0

    Returns
    -------
    dict
        ``delta``, ``se``, ``z``, ``p``, ``q``.
    """
    y_i, y_j, alpha_w = (np.asarray(v, dtype=float) for v in (y_i, y_j, alpha_w))
    if variance not in {"monroe", "exact"}:
        raise ValueError(f"variance must be 'monroe' or 'exact', not {variance!r}")
    if (alpha_w <= 0).any():
        raise ValueError("every prior pseudo-count alpha_w must be > 0")
    if y_i.shape[-1] == 1:  # one-term vocabulary: the odds are undefined, the shares equal (1 and 1)
        se = np.sqrt(1.0 / (y_i + alpha_w) + 1.0 / (y_j + alpha_w))
        shape = se.shape
        return {
            "delta": np.zeros(shape),
            "se": se,
            "z": np.zeros(shape),
            "p": np.ones(shape),
            "q": np.ones(shape),
        }
    a0 = alpha_w.sum()
    rest_i = y_i.sum(axis=-1, keepdims=True) + a0 - y_i - alpha_w
    rest_j = y_j.sum(axis=-1, keepdims=True) + a0 - y_j - alpha_w
    delta = np.log(y_i + alpha_w) - np.log(rest_i) - np.log(y_j + alpha_w) + np.log(rest_j)
    var = 1.0 / (y_i + alpha_w) + 1.0 / (y_j + alpha_w)
    if variance == "exact":
        var = var + 1.0 / rest_i + 1.0 / rest_j
    se = np.sqrt(var)
    z = delta / se
    p = 2.0 * special.ndtr(-np.abs(z))  # stats.norm.sf(|z|) is ndtr(-|z|), without the distribution's checks
    q = stats.false_discovery_control(p, method="bh", axis=-1) if p.size else p
    return {"delta": delta, "se": se, "z": z, "p": p, "q": q}


def _table(a, b, n1, n2):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    n1, n2 = float(n1), float(n2)
    if (a > n1).any() or (b > n2).any():
        raise ValueError("a term count exceeds its corpus total")
    return a, b, n1 - a, n2 - b, n1 + n2


def g2(a, b, n1, n2, *, williams: bool = False) -> dict[str, np.ndarray]:
    """Signed log-likelihood G2 (Dunning 1993; Rayson & Garside 2000; Evert 2023).

    G2 = 2 * sum over the four cells of O ln(O / E) (0 ln 0 = 0), signed + when
    a > E11 (the target uses the term more than expected), p from chi-squared(1) of
    |G2|. ``williams=True`` divides by Williams' correction
    q = 1 + (N/(a+b) + N/(c+d) - 1)(N/(a+c) + N/(b+d) - 1) / (6N).
    A term absent from both sides scores 0 with p = 1.

    Returns
    -------
    dict
        ``g2``, ``g2_p``.
    """
    a, b, c, d, n = _table(a, b, n1, n2)
    r1, r2 = a + b, c + d
    with np.errstate(divide="ignore", invalid="ignore"):
        expected = [r1 * n1 / n, r1 * n2 / n, r2 * n1 / n, r2 * n2 / n]
        observed = [a, b, c, d]
        value = 2.0 * sum(
            special.xlogy(o, o) - special.xlogy(o, e) for o, e in zip(observed, expected, strict=True)
        )
        value = np.where(r1 > 0, np.maximum(value, 0.0), 0.0)
        if williams:
            corr = 1.0 + (n / r1 + n / r2 - 1.0) * (n / n1 + n / n2 - 1.0) / (6.0 * n)
            value = np.where(r1 > 0, value / corr, 0.0)
    return {"g2": np.sign(a - expected[0]) * value, "g2_p": stats.chi2.sf(value, 1)}


def chi2(a, b, n1, n2) -> dict[str, np.ndarray]:
    """Pearson's chi-squared of the 2x2 table without Yates' correction, signed like G2.

    chi2 = N (ad - bc)^2 / ((a+b)(c+d)(a+c)(b+d)); p from chi-squared(1). A term absent
    from both sides (a + b = 0) scores 0 with p = 1.

    Returns
    -------
    dict
        ``chi2``, ``chi2_p``.
    """
    a, b, c, d, n = _table(a, b, n1, n2)
    denom = (a + b) * (c + d) * n1 * n2
    with np.errstate(divide="ignore", invalid="ignore"):
        value = np.where(denom > 0, n * (a * d - b * c) ** 2 / denom, 0.0)
    return {"chi2": np.sign(a * d - b * c) * value, "chi2_p": stats.chi2.sf(value, 1)}


def pmi(a, b, n1, n2) -> dict[str, np.ndarray]:
    """Pointwise mutual information of term and target, ln(O11 / E11) = ln(a N / ((a + b) N1)).

    Natural log; NaN when a = 0 (the target never uses the term: PMI is minus infinity).

    Returns
    -------
    dict
        ``pmi``.
    """
    a, b, _c, _d, n = _table(a, b, n1, n2)
    with np.errstate(divide="ignore", invalid="ignore"):
        value = np.log(a * n / ((a + b) * n1))
    return {"pmi": np.where(a > 0, value, np.nan)}


def log_ratio(a, b, n1, n2) -> dict[str, np.ndarray]:
    """Log Ratio (Hardie 2014): log2((f1 / N1) / (f2 / N2)).

    Small-count adjustment (Hardie's recommendation): a zero frequency on either side is
    replaced by 0.5 before dividing, so the score is finite; a term absent from both sides
    scores log2(N2 / N1). One point is a doubling of the relative frequency.

    Returns
    -------
    dict
        ``log_ratio``.
    """
    a, b, _c, _d, _n = _table(a, b, n1, n2)
    a, b = np.where(a == 0, 0.5, a), np.where(b == 0, 0.5, b)
    return {"log_ratio": np.log2(a / n1) - np.log2(b / n2)}


def _normcdf_scale(values: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Map ``values`` through the normal CDF with the masked entries' own mean and (population) sd."""
    out = np.full(values.shape, np.nan)
    if not mask.any():
        return out
    mean, sd = values[mask].mean(), values[mask].std()
    out[mask] = 0.5 if sd == 0 else stats.norm.cdf(values[mask], mean, sd)
    return out


def _one_sided_f(a, b, mask, beta):
    with np.errstate(divide="ignore", invalid="ignore"):
        precision = np.where(mask, a / (a + b), 0.0)
        frequency = a / a.sum() if a.sum() > 0 else np.zeros_like(a)
    sp, sf = _normcdf_scale(precision, mask), _normcdf_scale(frequency, mask)
    denom = beta**2 * sp + sf
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(denom > 0, (1 + beta**2) * sp * sf / denom, 0.0)


def scaled_f(a, b, n1=None, n2=None, *, beta: float = 2.0) -> dict[str, np.ndarray]:
    """Kessler's scaled F-score (Scattertext, Kessler 2017), signed.

    For the target: precision = a / (a + b), frequency = a / N1 (N1 = sum of a); each is
    mapped through the normal CDF with the mean and population standard deviation over the
    terms used by either side, and the score is their weighted harmonic mean
    (1 + beta^2) P F / (beta^2 P + F) with beta = 2 (Scattertext's default). The same is
    computed for the comparison side with a and b swapped; the larger one wins:
    + target score if it is larger, - comparison score if that is larger, 0 on a tie.
    (Scattertext then min-max rescales each sign to [0, 1]; we keep the unrescaled value,
    which does not depend on the rest of the vocabulary's extremes.) NaN for terms absent
    from both sides. ``n1``/``n2`` are accepted for a uniform signature and ignored.

    Returns
    -------
    dict
        ``scaled_f`` in [-1, 1].
    """
    if beta <= 0:
        raise ValueError("beta must be > 0")
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    mask = (a + b) > 0
    s_i, s_j = _one_sided_f(a, b, mask, beta), _one_sided_f(b, a, mask, beta)
    value = np.where(s_i > s_j, s_i, np.where(s_j > s_i, -s_j, 0.0))
    return {"scaled_f": np.where(mask, value, np.nan)}


#: Two-by-two scorers with the signature f(a, b, n1, n2) -> dict.
SCORERS = {"g2": g2, "chi2": chi2, "pmi": pmi, "log_ratio": log_ratio, "scaled_f": scaled_f}
