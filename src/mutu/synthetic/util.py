"""Small vectorised helpers: calendar arithmetic on ``datetime64[D]`` arrays, tokens."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

Days = npt.NDArray[np.datetime64]


def day(
    year: npt.ArrayLike, month: npt.ArrayLike, dom: npt.ArrayLike = 1
) -> npt.NDArray[np.datetime64]:
    """Dates from year, month and day-of-month arrays (the day is not range-checked)."""
    y = np.asarray(year, dtype=np.int64)
    m = np.asarray(month, dtype=np.int64)
    d = np.asarray(dom, dtype=np.int64)
    months = ((y - 1970) * 12 + (m - 1)).astype("datetime64[M]")
    out: npt.NDArray[np.datetime64] = months.astype("datetime64[D]") + (d - 1).astype(
        "timedelta64[D]"
    )
    return out


def first_of_month(d: npt.NDArray[np.datetime64]) -> npt.NDArray[np.datetime64]:
    """The first day of each date's month."""
    return np.asarray(d).astype("datetime64[M]").astype("datetime64[D]")


def add_months(d: npt.NDArray[np.datetime64], months: npt.ArrayLike) -> npt.NDArray[np.datetime64]:
    """Shift dates by whole months, keeping the day of month (clipped to 28)."""
    dd = np.asarray(d, dtype="datetime64[D]")
    month_start = dd.astype("datetime64[M]")
    dom = (dd - month_start.astype("datetime64[D]")).astype(np.int64)
    shifted = month_start + np.asarray(months, dtype=np.int64).astype("timedelta64[M]")
    out: npt.NDArray[np.datetime64] = shifted.astype("datetime64[D]") + np.minimum(dom, 27).astype(
        "timedelta64[D]"
    )
    return out


def years_between(
    a: npt.NDArray[np.datetime64], b: npt.NDArray[np.datetime64] | np.datetime64
) -> npt.NDArray[np.float64]:
    """Years from ``a`` to ``b`` (days / 365.25)."""
    diff = (np.asarray(b, dtype="datetime64[D]") - np.asarray(a, dtype="datetime64[D]")).astype(
        np.int64
    )
    return np.asarray(diff / 365.25, dtype=np.float64)


def months_between(
    a: npt.NDArray[np.datetime64], b: npt.NDArray[np.datetime64]
) -> npt.NDArray[np.float64]:
    """Months from ``a`` to ``b`` (days / (365.25 / 12))."""
    return years_between(a, b) * 12.0


def days_to_datetime(d: npt.ArrayLike) -> npt.NDArray[np.datetime64]:
    """``datetime64[D]`` values as ``datetime64[ms]`` (the frames' date dtype)."""
    return np.asarray(d, dtype="datetime64[D]").astype("datetime64[ms]")


def year_of(d: npt.NDArray[np.datetime64]) -> npt.NDArray[np.int64]:
    """Calendar year of each date."""
    return np.asarray(d).astype("datetime64[Y]").astype(np.int64) + 1970


def tokens(rng: np.random.Generator, n: int, prefix: str = "") -> list[str]:
    """``n`` distinct 32-hex-digit tokens drawn from ``rng`` (128 random bits each).

    Raises
    ------
    RuntimeError
        In the (astronomically unlikely) case of a collision.
    """
    bits = rng.integers(0, np.iinfo(np.int64).max, size=(n, 2), dtype=np.int64, endpoint=True)
    out = [f"{prefix}{a:016x}{b:016x}" for a, b in bits.tolist()]
    if len(set(out)) != n:  # pragma: no cover - 2^-100 odds
        raise RuntimeError("token collision")
    return out


def logistic(x: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """The logistic function 1 / (1 + exp(-x))."""
    return np.asarray(1.0 / (1.0 + np.exp(-np.asarray(x, dtype=np.float64))), dtype=np.float64)


def gumbel_top_k(
    rng: np.random.Generator, log_weight: npt.NDArray[np.float64], k: int
) -> npt.NDArray[np.int64]:
    """Indices of a weighted sample of ``k`` without replacement (Gumbel top-k).

    Equivalent to drawing one at a time with probability proportional to
    ``exp(log_weight)`` among those not yet drawn.  Ties are broken by index.
    """
    keys = log_weight + rng.gumbel(size=len(log_weight))
    k = min(k, len(keys))
    order = np.lexsort((np.arange(len(keys)), -keys))
    return np.sort(order[:k]).astype(np.int64)


def dates(values: object) -> npt.NDArray[np.datetime64]:
    """A date column (any datetime64 resolution) as ``datetime64[D]``."""
    return np.asarray(values).astype("datetime64[D]")
