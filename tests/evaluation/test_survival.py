"""Kaplan–Meier, medians and the log-rank test against R ``survival``.

Sources:

* ``survival`` package regression test ``tests/doaml.Rout.save`` (therneau/survival):
  ``fit <- survfit(Surv(aml$time, aml$status) ~ aml$x)``; ``print(fit)`` gives medians
  31 [18, NA] (Maintained) and 23 [8, NA] (Nonmaintained); ``summary(fit)`` the table
  below; ``survdiff(Surv(aml$time, aml$status) ~ aml$x)``: Observed 7 / 11, Expected
  10.69 / 7.31, (O-E)^2/V 3.40, "Chisq= 3.4 on 1 degrees of freedom, p= 0.0653".
* ``survfit(Surv(time, status) ~ 1, data = lung)`` prints n 228, events 165, median 310,
  0.95LCL 285, 0.95UCL 363 (R output quoted in the survival tutorials, e.g. the
  ``print(m0)`` and ``summary(m0, times = 365.25)`` of a lung exercise: time 365,
  n.risk 65, n.event 121, survival 0.409, std.err 0.0358, CI 0.345–0.486).

``aml`` (Miller 1981; R ``survival::aml``): weeks to relapse of acute myelogenous
leukaemia, maintained chemotherapy or not (status 0 = censored).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from mutu.domain.errors import MutuValueError
from mutu.evaluation.survival import kaplan_meier, logrank_test, median_difference

DATA = Path(__file__).parent / "reference_data"

MAINTAINED = ([9, 13, 13, 18, 23, 28, 31, 34, 45, 48, 161], [1, 1, 0, 1, 1, 0, 1, 1, 0, 1, 0])
NONMAINTAINED = ([5, 5, 8, 8, 12, 16, 23, 27, 30, 33, 43, 45], [1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1])

# summary(fit): time, n.risk, n.event, survival, std.err, lower 95% CI, upper 95% CI.
R_MAINTAINED = [
    (9, 11, 1, 0.909, 0.0867, 0.7541, 1.000),
    (13, 10, 1, 0.818, 0.1163, 0.6192, 1.000),
    (18, 8, 1, 0.716, 0.1397, 0.4884, 1.000),
    (23, 7, 1, 0.614, 0.1526, 0.3769, 0.999),
    (31, 5, 1, 0.491, 0.1642, 0.2549, 0.946),
    (34, 4, 1, 0.368, 0.1627, 0.1549, 0.875),
    (48, 2, 1, 0.184, 0.1535, 0.0359, 0.944),
]
R_NONMAINTAINED = [
    (5, 12, 2, 0.8333, 0.1076, 0.6470, 1.000),
    (8, 10, 2, 0.6667, 0.1361, 0.4468, 0.995),
    (12, 8, 1, 0.5833, 0.1423, 0.3616, 0.941),
    (23, 6, 1, 0.4861, 0.1481, 0.2675, 0.883),
    (27, 5, 1, 0.3889, 0.1470, 0.1854, 0.816),
    (30, 4, 1, 0.2917, 0.1387, 0.1148, 0.741),
    (33, 3, 1, 0.1944, 0.1219, 0.0569, 0.664),
    (43, 2, 1, 0.0972, 0.0919, 0.0153, 0.620),
    (45, 1, 1, 0.0000, np.nan, np.nan, np.nan),
]


def _decimals(value: float) -> int:
    """Decimals R printed (at least 3: "1.000" is read back as 1.0)."""
    text = f"{value}"
    return max(3, len(text.split(".")[1]) if "." in text else 0)


@pytest.mark.parametrize(
    ("data", "expected", "median"),
    [
        (MAINTAINED, R_MAINTAINED, (31, 18, np.nan)),
        (NONMAINTAINED, R_NONMAINTAINED, (23, 8, np.nan)),
    ],
)
def test_kaplan_meier_matches_survfit_on_aml(
    data: tuple[list[int], list[int]],
    expected: list[tuple[float, ...]],
    median: tuple[float, float, float],
) -> None:
    r = kaplan_meier(*data)
    assert len(r.table) == len(expected)
    for row, ref in zip(r.table.itertuples(index=False), expected, strict=True):
        time, n_risk, n_event, surv, se, lo, hi = ref
        assert (row.time, row.n_risk, row.n_event) == (time, n_risk, n_event)
        for got, want in (
            (row.survival, surv),
            (row.std_err, se),
            (row.ci_low, lo),
            (row.ci_high, hi),
        ):
            if np.isnan(want):
                assert np.isnan(got)
            else:  # R prints 3-4 significant digits: agree to half a unit of the last one
                assert got == pytest.approx(want, abs=0.5 * 10 ** -_decimals(want) + 1e-12)
    assert r.median == median[0]
    assert r.median_ci_low == median[1]
    assert np.isnan(r.median_ci_high)
    assert r.conf_type == "log"


def test_lung_median_and_one_year_survival() -> None:
    lung = pd.read_csv(DATA / "lung.csv")
    r = kaplan_meier(lung["time"], lung["status"])
    assert (r.n, r.n_events) == (228, 165)
    assert (r.median, r.median_ci_low, r.median_ci_high) == (310, 285, 363)
    one_year = r.at([365.25]).iloc[0]
    assert one_year.n_risk == 65
    assert one_year.n_event == 121
    assert one_year.survival == pytest.approx(0.409, abs=5e-4)
    assert one_year.std_err == pytest.approx(0.0358, abs=5e-5)
    assert one_year.ci_low == pytest.approx(0.345, abs=5e-4)
    assert one_year.ci_high == pytest.approx(0.486, abs=5e-4)
    text = r.summary()
    assert "Dari 228 orang, 165 mengalami kejadian" in text
    assert "310,0 (IK 95% 285,0–363,0" in text
    assert "median time to the event is 310.0" in r.summary("en")


def test_logrank_matches_survdiff_on_aml() -> None:
    time = MAINTAINED[0] + NONMAINTAINED[0]
    event = MAINTAINED[1] + NONMAINTAINED[1]
    group = ["Maintained"] * 11 + ["Nonmaintained"] * 12
    chi2, df, p, table = logrank_test(time, event, group)
    assert df == 1
    assert chi2 == pytest.approx(3.40, abs=5e-3)
    assert p == pytest.approx(0.0653, abs=5e-5)
    assert table.loc["Maintained", "observed"] == 7
    assert table.loc["Maintained", "expected"] == pytest.approx(10.69, abs=5e-3)
    assert table.loc["Nonmaintained", "expected"] == pytest.approx(7.31, abs=5e-3)


def test_median_difference_on_aml() -> None:
    time = MAINTAINED[0] + NONMAINTAINED[0]
    event = MAINTAINED[1] + NONMAINTAINED[1]
    group = [1] * 11 + [0] * 12
    r = median_difference(time, event, group, seed=7)
    assert (r.median_1, r.median_0, r.difference) == (31, 23, 8)
    assert r.logrank_p == pytest.approx(0.0653, abs=5e-5)
    assert r.ci_low < r.difference < r.ci_high
    assert r.se > 0
    assert r.n_valid_resamples >= 0.9 * r.n_resamples
    again = median_difference(time, event, group, seed=7)
    assert (again.ci_low, again.ci_high, again.se) == (r.ci_low, r.ci_high, r.se)
    text = r.summary()
    assert "31,0 pada kelompok 1" in text
    assert "selisih 8,0 (IK bootstrap 95%" in text
    assert "p = 0,065 (belum dikoreksi)" in text
    assert "difference 8.0" in r.summary("en")


def test_bootstrap_medians_agree_with_single_fits() -> None:
    # The vectorised bootstrap median equals a Kaplan–Meier fit on the same resample.
    from mutu.evaluation.survival import _boot_medians

    rng = np.random.default_rng(3)
    t = np.array(NONMAINTAINED[0], dtype=float)
    e = np.array(NONMAINTAINED[1], dtype=float)
    counts = rng.multinomial(len(t), np.full(len(t), 1 / len(t)), size=50).astype(float)
    fast = _boot_medians(t, e, counts)
    for row, got in zip(counts.astype(int), fast, strict=True):
        idx = np.repeat(np.arange(len(t)), row)
        want = kaplan_meier(t[idx], e[idx]).median
        assert (np.isnan(got) and np.isnan(want)) or got == want


def test_median_on_a_plateau_at_one_half_is_the_midpoint() -> None:
    # S drops to exactly 0.5 at t = 2 and next drops at t = 4: R reports (2 + 4) / 2.
    r = kaplan_meier([1, 2, 3, 4], [1, 1, 0, 1])
    assert r.table["survival"].tolist()[1] == pytest.approx(0.5)
    assert r.median == 3.0


def test_other_interval_types_and_not_reached_median() -> None:
    r = kaplan_meier(*MAINTAINED, conf_type="log-log")
    assert (
        (r.table["ci_low"] <= r.table["survival"]) & (r.table["survival"] <= r.table["ci_high"])
    ).all()
    plain = kaplan_meier(*MAINTAINED, conf_type="plain")
    assert (plain.table["ci_high"] <= 1).all()
    r = kaplan_meier([1, 2, 3, 4, 5, 6], [1, 0, 0, 0, 0, 0])
    assert np.isnan(r.median)
    assert "belum tercapai" in r.summary()
    assert kaplan_meier([1, 2], [1, 1]).summary().startswith("Terlalu sedikit data")


def test_refuses_bad_input() -> None:
    with pytest.raises(MutuValueError, match="equal length"):
        kaplan_meier([1, 2, 3], [1, 0])
    with pytest.raises(MutuValueError, match="1 \\(event\\) or 0"):
        kaplan_meier([1, 2, 3], [1, 2, 0])
    with pytest.raises(MutuValueError, match="negative"):
        kaplan_meier([-1, 2], [1, 0])
    with pytest.raises(MutuValueError, match="empty"):
        kaplan_meier([], [])
    with pytest.raises(MutuValueError, match="missing"):
        kaplan_meier([1, np.nan], [1, 0])
    with pytest.raises(MutuValueError, match="conf_type"):
        kaplan_meier([1, 2], [1, 0], conf_type="arcsin")  # type: ignore[arg-type]
    with pytest.raises(MutuValueError, match="exactly two groups"):
        median_difference([1, 2, 3], [1, 1, 1], ["a", "b", "c"])
    with pytest.raises(MutuValueError, match="At least two groups"):
        logrank_test([1, 2, 3], [1, 1, 1], ["a", "a", "a"])
