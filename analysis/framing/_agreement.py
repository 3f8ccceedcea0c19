"""Agreement of frame codes: the model against human coders, and human coders among themselves.

Krippendorff's alpha for nominal data (Krippendorff 2011, "Computing Krippendorff's
alpha-reliability"; Content Analysis, 4th ed. 2019, ch. 12) from the coincidence counts of each
unit: with ``n_cu`` coders giving value ``c`` to unit ``u``, ``m_u = sum_c n_cu`` pairable values
(units with ``m_u >= 2`` only), ``n_c = sum_u n_cu`` and ``n = sum_c n_c``,

    alpha = 1 - (n - 1) * sum_u (m_u^2 - sum_c n_cu^2) / (m_u - 1)  /  (n^2 - sum_c n_c^2)

(observed over expected disagreement). Both sums add over units, so a bootstrap replicate that
draws units with replacement is a weighted sum: replicates are computed as one matrix product.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.framing._coding import unit_predictions
from analysis.schemas import validate
from analysis.schemas.framing import FrameAgreement

__all__ = ["agreement", "nominal_alpha"]


def _alpha(disagreement: np.ndarray, totals: np.ndarray) -> np.ndarray:
    """Alpha from summed per-unit disagreement (...,) and value totals (..., categories); NaN when undefined."""
    n = totals.sum(axis=-1)
    expected = n**2 - (totals**2).sum(axis=-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(expected > 0, 1 - (n - 1) * disagreement / expected, np.nan)


def _unit_terms(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per unit: ordered disagreeing pairs / (m_u - 1), and the value counts of pairable units."""
    m = counts.sum(axis=1)
    pairable = m >= 2
    with np.errstate(divide="ignore", invalid="ignore"):
        disagreement = np.where(pairable, (m**2 - (counts**2).sum(axis=1)) / (m - 1), 0.0)
    return disagreement, counts * pairable[:, None]


def nominal_alpha(values: np.ndarray) -> float:
    """Krippendorff's alpha (nominal) of a coders x units array; NaN (float) or None marks a missing value.

    Returns
    -------
    float
        Alpha, NaN when no unit has two values or all values are the same.
    """
    values = np.asarray(values, dtype=object)
    present = ~pd.isna(values)
    categories = sorted({v for v in values[present]}, key=str)
    counts = np.stack([(present & (values == c)).sum(axis=0) for c in categories], axis=1).astype(float)
    disagreement, totals = _unit_terms(counts)
    return float(_alpha(disagreement.sum(), totals.sum(axis=0)))


def _f1(tp: np.ndarray, fp: np.ndarray, fn: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(2 * tp + fp + fn > 0, 2 * tp / (2 * tp + fp + fn), np.nan)


def _ratio(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(b > 0, a / b, np.nan)


def _model_vs_coders(model: np.ndarray, yes: np.ndarray, no: np.ndarray) -> dict[str, np.ndarray]:
    """Per-unit sums over (unit, coder) pairs: tp, fp, fn and the alpha terms of two-value units."""
    tp, fn = yes * model, yes * (1 - model)
    fp = no * model
    # each pair is a unit with two values: disagreement 2 when they differ; totals per value 0/1
    disagreement = 2.0 * (fp + fn)
    totals = np.stack([no + (yes + no) * (1 - model), yes + (yes + no) * model], axis=1)
    return {"tp": tp, "fp": fp, "fn": fn, "disagreement": disagreement, "totals": totals}


def _statistics(sums: dict[str, np.ndarray], comparison: str) -> dict[str, np.ndarray]:
    """Statistics from unit sums (last axis summed already); works on replicates too."""
    alpha = _alpha(sums["disagreement"], sums["totals"])
    if comparison == "between_coders":
        return {"f1": _f1(sums["tp"], sums["fp"], sums["fn"]), "alpha": alpha}
    return {
        "precision": _ratio(sums["tp"], sums["tp"] + sums["fp"]),
        "recall": _ratio(sums["tp"], sums["tp"] + sums["fn"]),
        "f1": _f1(sums["tp"], sums["fp"], sums["fn"]),
        "alpha": alpha,
    }


def _rows(terms: dict[str, np.ndarray], weights: np.ndarray, comparison: str, ci: float) -> list[dict]:
    point = _statistics({k: v.sum(axis=0) for k, v in terms.items()}, comparison)
    boot = _statistics({k: np.tensordot(weights, v, axes=(1, 0)) for k, v in terms.items()}, comparison)
    rows = []
    for stat, score in point.items():
        finite = boot[stat][np.isfinite(boot[stat])]
        low, high = np.quantile(finite, [(1 - ci) / 2, (1 + ci) / 2]) if len(finite) else (np.nan, np.nan)
        rows.append(
            dict(
                comparison=comparison,
                stat=stat,
                score=round(float(score), 6),
                ci_low=round(float(low), 6),
                ci_high=round(float(high), 6),
                n_boot=len(finite),
            )
        )
    return rows


def agreement(
    coded: pd.DataFrame,
    predicted: pd.DataFrame,
    *,
    ci: float = 0.95,
    n_boot: int = 1000,
    random_state: int = 0,
) -> pd.DataFrame:
    """Agreement per frame of the model with human coders, and of the coders among themselves.

    *Model vs coders* pools the (unit, coder) pairs: precision, recall and F1 of the model's
    ``present`` with each coder's code as reference, and Krippendorff's nominal alpha of those
    pairs (with one coder, exactly alpha between the model and that coder). *Between coders*
    (only when some units have two or more coders): alpha over all coders of those units, and F1
    pooled over pairs of coders (symmetric: with both orders pooled, precision = recall = F1).
    Intervals are percentile bootstrap intervals that resample units (all of a unit's codes
    together), the same draws for every frame and statistic.

    Parameters
    ----------
    coded : DataFrame
        :func:`read_coding` output.
    predicted : DataFrame
        :func:`frame_scores` (articles) or :func:`sentence_frames` (sentences) output.
    ci : float
    n_boot : int
    random_state : int

    Returns
    -------
    DataFrame
        Columns ``frame``, ``comparison`` ('model_vs_coders', 'between_coders'), ``stat``
        ('precision', 'recall', 'f1', 'alpha'), ``score``, ``ci_low``, ``ci_high``, ``n_units``,
        ``n_coders``, ``n_boot``. Frames in the order of ``coded``.
    """
    model = unit_predictions(predicted, coded).set_index(["unit_id", "frame"])["present"]
    units = pd.Index(sorted(coded["unit_id"].unique()))  # sorted: the draws do not depend on row order
    rng = np.random.default_rng(random_state)
    weights = rng.multinomial(len(units), np.full(len(units), 1 / len(units)), size=n_boot).astype(float)
    rows = []
    for frame, g in coded.groupby("frame", sort=False):
        per_unit = g.groupby("unit_id")["present"].agg(["sum", "size"]).reindex(units, fill_value=0)
        yes = per_unit["sum"].to_numpy(dtype=float)
        no = (per_unit["size"] - per_unit["sum"]).to_numpy(dtype=float)
        says = model.reindex(pd.MultiIndex.from_arrays([units, [frame] * len(units)])).fillna(False)
        coded_units = (yes + no) > 0
        terms = _model_vs_coders(says.to_numpy(dtype=float), yes, no)
        found = _rows(terms, weights, "model_vs_coders", ci)
        for row in found:
            row.update(n_units=int(coded_units.sum()), n_coders=g["coder"].nunique())
        rows += [dict(frame=frame, **r) for r in found]
        several = (yes + no) >= 2
        if several.any():
            disagreement, totals = _unit_terms(np.stack([no, yes], axis=1))
            pairs_yes, pairs_split = yes * (yes - 1) / 2, yes * no
            terms = {
                "tp": pairs_yes,
                "fp": pairs_split / 2,
                "fn": pairs_split / 2,
                "disagreement": disagreement,
                "totals": totals,
            }
            found = _rows(terms, weights, "between_coders", ci)
            coders = g[g["unit_id"].isin(units[several])]["coder"].nunique()
            for row in found:
                row.update(n_units=int(several.sum()), n_coders=coders)
            rows += [dict(frame=frame, **r) for r in found]
    columns = ["frame", "comparison", "stat", "score", "ci_low", "ci_high", "n_units", "n_coders", "n_boot"]
    out = pd.DataFrame(rows, columns=columns).astype(
        {"n_units": "int64", "n_coders": "int64", "n_boot": "int64"}
    )
    return validate(out, FrameAgreement, table="frame_agreement")
