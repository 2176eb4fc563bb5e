"""Sample sizes: t-tests by the noncentral t (as R ``pwr``), surveys, clusters.

The t-test functions solve the exact power equation of the two-sided test with
the noncentral t distribution, as R ``pwr::pwr.t.test`` / ``pwr.t2n.test`` do,
and report the real-valued ``n`` (R's number) and the whole number to recruit
(rounded up).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from scipy import optimize, stats

from mutu.domain.errors import MutuValueError
from mutu.evaluation.result import Result, check_lang, format_number

__all__ = [
    "SampleSizeResult",
    "design_effect",
    "krejcie_morgan",
    "sample_size_paired",
    "sample_size_survey",
    "sample_size_two_groups",
]


@dataclass(frozen=True)
class SampleSizeResult(Result):
    """A required sample size: ``n`` as computed and ``n_required`` rounded up.

    For two groups ``n`` is the first group's size and ``n_other`` the second's
    (``ratio · n``); for a survey ``n0`` is the infinite-population size.
    """

    n: float
    n_required: int
    n_other: float | None
    n_total_required: int
    design: str
    effect_size: float | None
    power: float | None
    alpha: float | None
    margin: float | None
    population: int | None
    variant: str

    def summary(self, lang: str = "id") -> str:
        """Plain statement of how many people are needed and for what."""
        lang = check_lang(lang)
        n_exact = format_number(self.n, 2, lang)
        if self.design == "survey":
            margin = format_number(100 * (self.margin or 0.0), 1, lang)
            conf = format_number(100 * (1 - (self.alpha or 0.0)), 0, lang)
            pop = (
                (
                    f" dari populasi {self.population}"
                    if lang == "id"
                    else f" from a population of {self.population}"
                )
                if self.population
                else ""
            )
            if lang == "id":
                return (
                    f"Untuk memperkirakan proporsi dengan margin ±{margin}% pada tingkat "
                    f"kepercayaan {conf}%{pop}, dibutuhkan {self.n_required} responden "
                    f"({n_exact} sebelum dibulatkan ke atas; rumus Cochran"
                    f"{' dengan koreksi populasi terbatas' if self.population else ''})."
                )
            return (
                f"To estimate a proportion within ±{margin}% at {conf}% confidence{pop}, "
                f"{self.n_required} respondents are needed ({n_exact} before rounding up; "
                f"{self.variant})."
            )
        d = format_number(self.effect_size, 2, lang)
        pw = format_number(100 * (self.power or 0.0), 0, lang)
        a = format_number(self.alpha, 2, lang)
        if self.design == "paired":
            if lang == "id":
                return (
                    f"Untuk mendeteksi efek d_z = {d} dengan kekuatan {pw}% pada α = {a} "
                    f"(uji t berpasangan, dua sisi), dibutuhkan {self.n_required} peserta dengan "
                    f"nilai pre dan post ({n_exact} sebelum dibulatkan ke atas)."
                )
            return (
                f"To detect an effect of d_z = {d} with {pw}% power at α = {a} (paired t-test, "
                f"two-sided), {self.n_required} participants with both scores are needed "
                f"({n_exact} before rounding up)."
            )
        other = math.ceil(self.n_other or 0.0)
        if lang == "id":
            return (
                f"Untuk mendeteksi selisih d = {d} dengan kekuatan {pw}% pada α = {a} (uji t dua "
                f"kelompok, dua sisi), dibutuhkan {self.n_required} peserta di kelompok pertama "
                f"dan {other} di kelompok kedua ({n_exact} sebelum dibulatkan ke atas)."
            )
        return (
            f"To detect a difference of d = {d} with {pw}% power at α = {a} (two-group t-test, "
            f"two-sided), {self.n_required} people are needed in the first group and {other} in "
            f"the second ({n_exact} before rounding up)."
        )


def _check(effect_size: float, power: float, alpha: float) -> None:
    if not (math.isfinite(effect_size) and effect_size != 0):
        raise MutuValueError(
            "Besaran efek harus angka bukan nol.", "The effect size must be a non-zero number."
        )
    if not 0.0 < alpha < 1.0 or not alpha < power < 1.0:
        raise MutuValueError(
            "α harus di antara 0 dan 1 dan kekuatan di antara α dan 1.",
            "α must lie between 0 and 1 and power between α and 1.",
        )


def _two_sided_power(ncp: float, df: float, alpha: float) -> float:
    crit = stats.t.isf(alpha / 2.0, df)
    return float(stats.nct.sf(crit, df, ncp) + stats.nct.cdf(-crit, df, ncp))


def _solve(f: Callable[[float], float], target: float, low: float) -> float:
    """Smallest real ``n`` with ``f(n) = target`` (power increases with ``n``)."""
    if f(low) >= target:  # even the smallest design has the power
        return low
    high = max(4.0, low * 2)
    while f(high) < target:
        high *= 2.0
        if high > 1e9:
            raise MutuValueError(
                "Besaran efek terlalu kecil: sampel yang dibutuhkan tak terhingga.",
                "The effect size is too small: the required sample is unbounded.",
            )
    return float(optimize.brentq(lambda n: f(n) - target, low, high, xtol=1e-10))


def sample_size_paired(
    effect_size: float, *, power: float = 0.8, alpha: float = 0.05
) -> SampleSizeResult:
    r"""Pairs needed for a two-sided paired t-test (R ``pwr.t.test(type = "paired")``).

    Parameters
    ----------
    effect_size
        Standardised mean difference of the pairs, :math:`d_z = \mu_d / \sigma_d`.
    power
        Wanted power (default 0.8).
    alpha
        Two-sided significance level (default 0.05).

    Returns
    -------
    SampleSizeResult

    Notes
    -----
    Solves :math:`P(|T| > t_{1-\alpha/2,n-1}) = 1-\beta` for ``n`` with
    :math:`T \sim t_{n-1}(\delta = d_z\sqrt n)`.

    References
    ----------
    Cohen, J. (1988). *Statistical Power Analysis for the Behavioral Sciences*,
    2nd ed. Champely, S. R package ``pwr``, ``pwr.t.test``.
    """
    _check(effect_size, power, alpha)
    d = abs(effect_size)
    n = _solve(lambda n: _two_sided_power(d * math.sqrt(n), n - 1.0, alpha), power, 2.0 + 1e-10)
    need = math.ceil(n - 1e-9)
    return SampleSizeResult(
        n=n,
        n_required=need,
        n_other=None,
        n_total_required=need,
        design="paired",
        effect_size=effect_size,
        power=power,
        alpha=alpha,
        margin=None,
        population=None,
        variant="paired t-test, two-sided, noncentral t (as R pwr.t.test type='paired')",
    )


def sample_size_two_groups(
    effect_size: float, *, power: float = 0.8, alpha: float = 0.05, ratio: float = 1.0
) -> SampleSizeResult:
    r"""People per group for a two-sided two-sample t-test (R ``pwr.t.test`` / ``pwr.t2n.test``).

    Parameters
    ----------
    effect_size
        Cohen's d (difference of means over the common standard deviation).
    power, alpha
        Wanted power (default 0.8) and two-sided level (default 0.05).
    ratio
        Size of the second group relative to the first (default 1: equal groups).

    Returns
    -------
    SampleSizeResult
        ``n`` is the first group's size, ``n_other = ratio · n``.

    Notes
    -----
    :math:`T \sim t_{n_1+n_2-2}(\delta = d / \sqrt{1/n_1 + 1/n_2})`, solved for
    :math:`n_1` with :math:`n_2 = r n_1`.

    References
    ----------
    Cohen, J. (1988), chapter 2. Champely, S. R package ``pwr``.
    """
    _check(effect_size, power, alpha)
    if not (math.isfinite(ratio) and ratio > 0):
        raise MutuValueError(
            "Rasio ukuran kelompok harus positif.", "The group-size ratio must be positive."
        )
    d = abs(effect_size)

    def power_of(n1: float) -> float:
        n2 = ratio * n1
        return _two_sided_power(d / math.sqrt(1.0 / n1 + 1.0 / n2), n1 + n2 - 2.0, alpha)

    n1 = _solve(power_of, power, 2.0 + 1e-10)  # pwr: uniroot over c(2 + 1e-10, 1e9)
    need1 = math.ceil(n1 - 1e-9)
    need2 = math.ceil(ratio * n1 - 1e-9)
    return SampleSizeResult(
        n=n1,
        n_required=need1,
        n_other=ratio * n1,
        n_total_required=need1 + need2,
        design="two_groups",
        effect_size=effect_size,
        power=power,
        alpha=alpha,
        margin=None,
        population=None,
        variant=(
            f"two-sample t-test (equal variances), two-sided, noncentral t, ratio {ratio:g} "
            "(as R pwr.t.test / pwr.t2n.test)"
        ),
    )


def sample_size_survey(
    *,
    margin: float,
    confidence: float = 0.95,
    proportion: float = 0.5,
    population: int | None = None,
) -> SampleSizeResult:
    r"""Respondents needed to estimate a proportion within a margin (Cochran).

    Parameters
    ----------
    margin
        Half-width of the interval as a proportion (0.05 for ±5 percentage points).
    confidence
        Confidence level (default 0.95).
    proportion
        Expected proportion; 0.5 (default) is the most conservative.
    population
        Size of a finite population; applies the finite-population correction.

    Returns
    -------
    SampleSizeResult
        ``n`` is the corrected size (or :math:`n_0` without a population).

    Notes
    -----
    :math:`n_0 = z^2 p(1-p)/e^2`, and with a population of ``N``,
    :math:`n = n_0 / (1 + (n_0 - 1)/N)`.

    References
    ----------
    Cochran, W. G. (1977). *Sampling Techniques*, 3rd ed., Wiley, eq. 4.2 and 4.3.
    """
    if not 0.0 < margin < 1.0:
        raise MutuValueError(
            "Margin kesalahan harus di antara 0 dan 1 (mis. 0,05).",
            "The margin must lie between 0 and 1 (e.g. 0.05).",
        )
    if not 0.0 < confidence < 1.0 or not 0.0 < proportion < 1.0:
        raise MutuValueError(
            "Tingkat kepercayaan dan proporsi harus di antara 0 dan 1.",
            "The confidence level and the proportion must lie between 0 and 1.",
        )
    if population is not None and int(population) < 1:
        raise MutuValueError(
            "Ukuran populasi harus bilangan bulat positif.",
            "The population size must be a positive whole number.",
        )
    z = float(stats.norm.ppf(0.5 + confidence / 2.0))
    n0 = z * z * proportion * (1.0 - proportion) / (margin * margin)
    n = n0 if population is None else n0 / (1.0 + (n0 - 1.0) / int(population))
    need = math.ceil(n - 1e-9)
    return SampleSizeResult(
        n=n,
        n_required=need,
        n_other=None,
        n_total_required=need,
        design="survey",
        effect_size=None,
        power=None,
        alpha=1.0 - confidence,
        margin=margin,
        population=None if population is None else int(population),
        variant=(
            f"Cochran n0 = z²p(1−p)/e² = {n0:.2f}"
            + ("" if population is None else " with finite-population correction")
        ),
    )


def design_effect(cluster_size: float, icc: float) -> float:
    r"""Kish's design effect of a cluster sample: :math:`1 + (m - 1)\rho`.

    Parameters
    ----------
    cluster_size
        Average number of people per cluster ``m`` (at least 1).
    icc
        Intraclass correlation :math:`\rho` of the outcome within clusters (0–1).

    Returns
    -------
    float
        The factor by which a simple-random-sample size must be multiplied.

    References
    ----------
    Kish, L. (1965). *Survey Sampling*. Wiley, section 5.4.
    """
    if not (math.isfinite(cluster_size) and cluster_size >= 1):
        raise MutuValueError(
            "Ukuran klaster harus paling sedikit 1.", "The cluster size must be at least 1."
        )
    if not 0.0 <= icc <= 1.0:
        raise MutuValueError("ICC harus di antara 0 dan 1.", "The ICC must lie between 0 and 1.")
    return 1.0 + (cluster_size - 1.0) * icc


def krejcie_morgan(population: int) -> int:
    r"""Sample size from Krejcie & Morgan's (1970) table formula.

    Parameters
    ----------
    population
        Population size ``N``.

    Returns
    -------
    int
        :math:`s = \chi^2 N P(1-P) / (d^2 (N-1) + \chi^2 P(1-P))` with
        :math:`\chi^2 = 3.841`, :math:`P = 0.5`, :math:`d = 0.05`, rounded to the
        nearest whole number as in the published table.

    References
    ----------
    Krejcie, R. V. & Morgan, D. W. (1970). Determining sample size for research
    activities. *Educational and Psychological Measurement* 30, 607–610.
    """
    if int(population) != population or population < 1:
        raise MutuValueError(
            "Ukuran populasi harus bilangan bulat positif.",
            "The population size must be a positive whole number.",
        )
    chi2, p, d = 3.841, 0.5, 0.05
    s = chi2 * population * p * (1 - p) / (d * d * (population - 1) + chi2 * p * (1 - p))
    return math.floor(s + 0.5)
