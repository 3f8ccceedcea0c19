"""Frame prevalence corrected for coding error: prediction-powered inference on a human-coded sample.

Angelopoulos, A. N., Bates, S., Fannjiang, C., Jordan, M. I. & Zrnic, T. (2023). Prediction-powered
inference. Science 382(6671), 669-674 (doi:10.1126/science.adi6000). Within a group, the model codes
all N units; humans code a random sample of n of them (``Y``, the share of coders who found the
frame, for several coders). The mean estimator is

    share = mean(model on the N - n uncoded units) + mean(Y - model on the n coded units)

(the model's share plus its average error, the "rectifier"), with the CLT interval
``share +- z * sqrt(var(model, uncoded) / (N - n) + var(Y - model, coded) / n)``. It is valid
whatever the model's errors, when the coded units are a random sample of the group's units
(:func:`coding_sheet` draws them so, per group). The naive share, the model's share on all units
with a binomial interval, is what :func:`frame_profile` reports; it is biased by the model's errors
and its interval ignores them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.stats import norm

from analysis.framing._coding import unit_predictions
from analysis.schemas import validate
from analysis.schemas.framing import FramePrevalence

__all__ = ["prevalence"]

_METHODS = ("naive", "coded", "prediction_powered")


def _variance(x: np.ndarray) -> float:
    return float(np.var(x, ddof=1)) if len(x) >= 2 else np.nan


def _estimates(model: np.ndarray, coded: np.ndarray) -> dict[str, tuple[float, float]]:
    """(share, se) per method; ``coded`` holds Y for coded units and NaN elsewhere."""
    labelled = ~np.isnan(coded)
    f_all, f_lab, f_unlab, y = model, model[labelled], model[~labelled], coded[labelled]
    naive = f_all.mean()
    out = {"naive": (naive, np.sqrt(naive * (1 - naive) / len(f_all)))}
    out["coded"] = (y.mean() if len(y) else np.nan, np.sqrt(_variance(y) / len(y)) if len(y) else np.nan)
    if not len(f_unlab):  # everything coded: the humans' share is the answer
        out["prediction_powered"] = out["coded"]
    elif not len(y):
        out["prediction_powered"] = (np.nan, np.nan)
    else:
        rectifier = y - f_lab
        share = f_unlab.mean() + rectifier.mean()
        out["prediction_powered"] = (
            share,
            np.sqrt(_variance(f_unlab) / len(f_unlab) + _variance(rectifier) / len(y)),
        )
    return out


def prevalence(
    predicted: pd.DataFrame,
    coded: pd.DataFrame,
    *,
    by: str = "outlet",
    ci: float = 0.95,
) -> pd.DataFrame:
    """Share of units with each frame per group: the model's (naive), the coders', and corrected for the model's errors.

    Parameters
    ----------
    predicted : DataFrame
        :func:`frame_scores` (articles) or :func:`sentence_frames` (sentences): the model's
        ``present`` for every unit of the corpus, with the ``by`` column.
    coded : DataFrame
        :func:`read_coding` output for a random sample of those units (stratified by ``by``);
        a unit's human value is the share of its coders who found the frame present.
    by : str
        Grouping column of ``predicted``.
    ci : float

    Returns
    -------
    DataFrame
        Columns ``by``, ``frame``, ``method`` ('naive', 'coded', 'prediction_powered'), ``share``,
        ``se``, ``ci_low``, ``ci_high`` (normal interval; share and bounds clipped to [0, 1]),
        ``n_units``, ``n_coded``. Groups and frames in the order of ``predicted``.
    """
    if by not in predicted:
        raise ValueError(f"predicted has no column {by!r}; merge it from corpus.articles on article_id")
    human = coded.groupby(["unit_id", "frame"], sort=False, as_index=False)["present"].mean()
    model = unit_predictions(predicted, coded).merge(
        human.rename(columns={"present": "human"}), on=["unit_id", "frame"], how="left"
    )
    frames = list(dict.fromkeys(coded["frame"]))
    z = norm.ppf(0.5 + ci / 2)
    rows = []
    for (group, frame), g in model[model["frame"].isin(frames)].groupby([by, "frame"], sort=False):
        estimates = _estimates(g["present"].to_numpy(dtype=float), g["human"].to_numpy(dtype=float))
        for method in _METHODS:
            share, se = estimates[method]
            rows.append(
                {
                    by: group,
                    "frame": frame,
                    "method": method,
                    "share": round(float(np.clip(share, 0, 1)), 6),
                    "se": round(float(se), 6),
                    "ci_low": round(float(np.clip(share - z * se, 0, 1)), 6),
                    "ci_high": round(float(np.clip(share + z * se, 0, 1)), 6),
                    "n_units": len(g),
                    "n_coded": int(g["human"].notna().sum()),
                }
            )
    out = pd.DataFrame(rows).astype({"n_units": "int64", "n_coded": "int64"})
    return validate(out, FramePrevalence, table="frame_prevalence", by=by)
