"""Balance tables before and after adjustment, shared by the adjusted comparisons."""

from __future__ import annotations

import numpy as np
import pandas as pd

from mutu.domain.errors import MutuValueError
from mutu.evaluation.balance import balance
from mutu.evaluation.propensity import ipw_weights

__all__ = ["balance_tables"]


def _att_weights(
    frame: pd.DataFrame, treatment: str, covariates: list[str]
) -> tuple[np.ndarray, str]:
    """ATT weights; comparison units in categories without participants get weight 0.

    For the ATT such units have no counterpart to stand in for (and they make
    the logistic model diverge), so they are set aside before the fit.
    """
    keep = np.ones(len(frame), dtype=bool)
    treated = frame[treatment].to_numpy(dtype=float) == 1
    for col in covariates:
        if not pd.api.types.is_numeric_dtype(frame[col]):
            levels = set(frame.loc[treated, col])
            keep &= frame[col].isin(list(levels)).to_numpy()
    weights = np.zeros(len(frame))
    usable = [c for c in covariates if frame.loc[keep, c].nunique() > 1]
    w = ipw_weights(frame[keep], treatment=treatment, covariates=usable, estimand="ATT")
    weights[np.flatnonzero(keep)] = w.reindex(frame.index[keep]).fillna(0.0).to_numpy()
    dropped = int((~keep).sum())
    note = "after: ATT inverse-probability weights p/(1 − p) from a logistic propensity score"
    if dropped:
        note += f"; {dropped} comparison units in categories without participants get weight 0"
    return weights, note


def balance_tables(
    data: pd.DataFrame, *, treatment: str, covariates: tuple[str, ...]
) -> tuple[pd.DataFrame, pd.DataFrame | None, str]:
    """Balance before adjustment and after ATT inverse-probability weighting.

    The "after" table uses ATT weights ``p/(1 − p)`` for the comparison units
    from a logistic propensity score on the same covariates. When that model
    cannot be fitted, it is refitted on the numeric covariates only (the note
    says so); when that fails too, there is no "after" table.

    Returns
    -------
    (before, after, note)
    """
    cols = [treatment, *covariates]
    frame = data[cols].dropna()
    before = balance(frame, treatment=treatment, covariates=list(covariates))
    try:
        w, note = _att_weights(frame, treatment, list(covariates))
        after = balance(frame, treatment=treatment, covariates=list(covariates), weights=w)
        return before, after, note
    except MutuValueError:
        numeric = [c for c in covariates if pd.api.types.is_numeric_dtype(frame[c])]
        try:
            if not numeric:
                raise
            w2 = ipw_weights(frame, treatment=treatment, covariates=numeric, estimand="ATT")
        except MutuValueError:
            return before, None, "after: the propensity model could not be fitted"
        after = balance(frame, treatment=treatment, covariates=list(covariates), weights=w2)
        return (
            before,
            after,
            "after: ATT inverse-probability weights from the numeric covariates only "
            "(the categorical ones separate the groups)",
        )


#: Label of the pooled level of sparse categories.
OTHER = "(other)"


def pool_sparse_levels(
    data: pd.DataFrame, *, treatment: str, covariates: list[str], min_control: int = 2
) -> tuple[pd.DataFrame, list[str]]:
    """Pool categorical levels with too few comparison units, so the outcome model is estimable.

    A level (e.g. a small SKPK) with fewer than ``min_control`` comparison
    units cannot have its own coefficient in a model fitted on the
    comparison units. Such levels are pooled into one level ``"(other)"``;
    when the pooled level itself has too few comparison units, it joins the
    largest level. Returns the data and a note per pooled covariate.
    """
    out = data.copy()
    notes = []
    control = out[treatment].to_numpy(dtype=float) == 0
    for col in covariates:
        if pd.api.types.is_numeric_dtype(out[col]):
            continue
        counts = out.loc[control, col].value_counts()
        levels = pd.unique(out[col].dropna())
        sparse = [lv for lv in levels if counts.get(lv, 0) < min_control]
        if not sparse:
            continue
        values = out[col].astype(object).where(~out[col].isin(sparse), OTHER)
        if int((values[control] == OTHER).sum()) < min_control:
            values = values.where(values != OTHER, counts.idxmax())
            target = str(counts.idxmax())
        else:
            target = OTHER
        out[col] = values
        notes.append(
            f"{col}: {len(sparse)} levels with < {min_control} comparison units pooled "
            f"into {target!r}"
        )
    return out, notes
