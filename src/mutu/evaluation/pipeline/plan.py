"""What the evaluation pipeline evaluates: the :class:`EvaluationPlan`.

A plan names the programs, instruments and covariates each part of the
evaluation uses. Its defaults fit a BKPSDM that runs the programs of
``docs/synthetic-world.md`` (and the demo world); another regency writes its
own plan (a dict or a TOML file) instead of changing code. Nothing specific to
one world lives outside these defaults.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

import pandas as pd

from mutu.domain.errors import MutuValueError

__all__ = ["COVARIATES", "COVARIATE_LABELS", "EvaluationPlan", "covariate_text"]

#: Covariates the pipeline can derive from the stored frames (``docs/evaluation.md``).
COVARIATES: dict[str, str] = {
    "age": "age in years at the event (rating mid-year, activity start, appointment)",
    "rank": "golongan rank within the status (PNS I/a = 1 … IV/e = 17; PPPK I = 1 … XVII = 17)",
    "pppk": "1 for PPPK, 0 for PNS",
    "part_time": "1 for part-time PPPK",
    "skp_prior": "mean SKP score of the years before the first evaluated year",
    "distance_km": "road distance of the unit's kecamatan from the capital",
    "workload": "1 when the unit's kind is a heavy-workload kind (plan)",
    "skpk": "the top-level unit (SKPK) the unit belongs to",
    "unit_kind": "the kind of the unit",
    "degree": "1 for a degree (plan.degree_levels)",
    "female": "1 for women",
    "year": "the year of the observation (categorical)",
    "activity_kind": "program and form of the activity (categorical)",
    "before": "the before-rating of the same person and year (L3 only)",
    "batch": "the internship batch a young ASN was eligible for (magang only, categorical)",
}


#: Readable covariate names for the summaries, Indonesian and English.
COVARIATE_LABELS: dict[str, tuple[str, str]] = {
    "age": ("usia", "age"),
    "rank": ("pangkat golongan", "golongan rank"),
    "pppk": ("status PPPK", "PPPK status"),
    "part_time": ("PPPK paruh waktu", "part-time PPPK"),
    "skp_prior": ("nilai SKP sebelumnya", "prior SKP score"),
    "distance_km": ("jarak dari ibu kota", "distance from the capital"),
    "workload": ("beban kerja berat", "heavy workload"),
    "skpk": ("SKPK", "SKPK"),
    "unit_kind": ("jenis unit", "unit kind"),
    "degree": ("gelar sarjana", "degree"),
    "female": ("jenis kelamin", "sex"),
    "year": ("tahun", "year"),
    "activity_kind": ("jenis kegiatan", "activity kind"),
    "before": ("penilaian sebelum pelatihan", "before-rating"),
    "batch": ("angkatan magang", "internship batch"),
}


def covariate_text(names: Sequence[str], lang: str) -> str:
    """Covariate names joined for a sentence: ``usia, jarak dan tahun``."""
    k = 0 if lang == "id" else 1
    words = [COVARIATE_LABELS.get(n, (n, n))[k] for n in names]
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + (" dan " if lang == "id" else " and ") + words[-1]


def _tuple(value: Any, name: str) -> tuple[Any, ...]:
    if isinstance(value, str) or not isinstance(value, Sequence):
        raise MutuValueError(
            f"Rencana evaluasi: {name} harus berupa daftar.",
            f"Evaluation plan: {name} must be a list.",
            field=name,
        )
    return tuple(value)


@dataclass(frozen=True)
class EvaluationPlan:
    """Which programs, instruments and covariates the evaluation uses.

    Every field has a default that works on a database loaded from the demo
    world; ``EvaluationPlan.from_dict`` / ``from_toml`` read a plan written by
    an evaluator (unknown keys are refused), ``to_dict`` gives it back as
    JSON-ready data.

    Attributes
    ----------
    year
        The report year: L1/L2 tables and ``learning_gain`` use it; the
        multi-year designs (L3, L4, incentives, magang) use every year up to
        it. ``None``: the last year with activities.
    l3_program
        Program whose training is the L3 intervention (work-plan quality).
    rating_instrument, rating_dimension, rating_before, rating_after
        Supervisor-rating instrument, the dimension (items) scored, and the
        occasions of the ratings before and after training.
    did_program
        Program whose staggered adoption (``program_units.adoption_year``)
        defines the L4 difference-in-differences.
    did_control
        ``"never"`` (never-adopting units) or ``"notyet"`` comparison units.
    ikm_source
        ``"skm_results"`` (NRR per unit, year and element) or ``"responses"``
        (the SKM answers, through :func:`mutu.indices.skm`).
    skm_instrument
        Code of the SKM instrument (for ``ikm_source = "responses"``).
    incentive_schemes
        Incentive scheme codes whose offers are evaluated; empty = all.
    attendance_rule
        ``"first_session"`` (present at the activity's first session) or
        ``"any_session"``.
    magang_form
        Form-of-development code of the internship activities.
    young_max_age, young_window_months
        Young ASN: PNS appointed at most this old whose appointment falls
        ``(lo, hi]`` months before an internship batch starts.
    test_pre_occasion, test_post_occasion
        Occasions of the pre- and post-tests (tests are the instruments whose
        items carry an answer key).
    reaction_kind
        Instrument kind of the L1 reaction survey.
    l3_covariates, incentive_covariates, magang_covariates
        Covariates of each adjusted comparison (names in :data:`COVARIATES`).
    heavy_workload_unit_kinds
        Unit kinds counted as heavy workload.
    degree_levels
        Education levels counted as a degree.
    prior_skp_years
        How many years before the first evaluated year the prior SKP averages.
    distance_bands_km
        Upper limits of the distance bands of the attendance table.
    min_n
        Fewer observations than this in a group: "too few", nothing claimed.
    level
        Family-wise (Holm) / false-discovery (BH) level.
    bootstrap_resamples, seed
        Resamples and seed of the seeded bootstraps (magang median difference).
    benefit_per_workplan_point_rp, benefit_per_learning_point_rp, benefit_per_ikm_point_rp
        Rupiah value of one point of each outcome per trained person (or per
        unit-year for the IKM) and year; ``None`` = not monetised, and then no
        ROI is computed (Phillips: intangibles are listed, not monetised).
    roi_attribution, roi_confidence
        Share of the isolated effect credited to the program and the
        confidence in that share (Phillips), 0–1.
    """

    year: int | None = None
    l3_program: str = "TKPB"
    rating_instrument: str = "PENILAIAN-ATASAN"
    rating_dimension: str = "kualitas_rencana_kerja"
    rating_before: str = "before"
    rating_after: str = "after"
    did_program: str = "PMPP"
    did_control: str = "never"
    ikm_source: str = "skm_results"
    skm_instrument: str = "SKM"
    incentive_schemes: tuple[str, ...] = ()
    attendance_rule: str = "first_session"
    magang_form: str = "magang"
    young_max_age: float = 35.0
    young_window_months: tuple[int, int] = (2, 8)
    test_pre_occasion: str = "pre"
    test_post_occasion: str = "post"
    reaction_kind: str = "reaction"
    l3_covariates: tuple[str, ...] = (
        "before",
        "skp_prior",
        "age",
        "rank",
        "distance_km",
        "skpk",
        "year",
    )
    incentive_covariates: tuple[str, ...] = (
        "distance_km",
        "workload",
        "age",
        "part_time",
        "activity_kind",
        "year",
    )
    magang_covariates: tuple[str, ...] = ("degree", "age", "distance_km", "batch")
    heavy_workload_unit_kinds: tuple[str, ...] = ("sekolah", "puskesmas", "rumah_sakit")
    degree_levels: tuple[str, ...] = ("D4", "S1", "S2", "S3")
    prior_skp_years: int = 3
    distance_bands_km: tuple[float, ...] = (5.0, 10.0, 20.0, 40.0)
    min_n: int = 10
    level: float = 0.05
    bootstrap_resamples: int = 1000
    seed: int = 20240601
    benefit_per_workplan_point_rp: float | None = None
    benefit_per_learning_point_rp: float | None = None
    benefit_per_ikm_point_rp: float | None = None
    roi_attribution: float = 1.0
    roi_confidence: float = 1.0

    def __post_init__(self) -> None:
        for name in ("l3_covariates", "incentive_covariates", "magang_covariates"):
            unknown = [c for c in getattr(self, name) if c not in COVARIATES]
            if unknown:
                raise MutuValueError(
                    f"Rencana evaluasi: kovariat tidak dikenal di {name}: {unknown} "
                    f"(yang tersedia: {sorted(COVARIATES)}).",
                    f"Evaluation plan: unknown covariates in {name}: {unknown} "
                    f"(available: {sorted(COVARIATES)}).",
                    field=name,
                )
        choices = {
            "did_control": ("never", "notyet"),
            "ikm_source": ("skm_results", "responses"),
            "attendance_rule": ("first_session", "any_session"),
        }
        for name, allowed in choices.items():
            if getattr(self, name) not in allowed:
                raise MutuValueError(
                    f"Rencana evaluasi: {name} harus salah satu dari {list(allowed)}.",
                    f"Evaluation plan: {name} must be one of {list(allowed)}.",
                    field=name,
                )
        lo, hi = self.young_window_months
        if not 0 <= lo < hi:
            raise MutuValueError(
                "Rencana evaluasi: young_window_months harus (lo, hi) dengan 0 <= lo < hi.",
                "Evaluation plan: young_window_months must be (lo, hi) with 0 <= lo < hi.",
                field="young_window_months",
            )
        shares = {"roi_attribution": self.roi_attribution, "roi_confidence": self.roi_confidence}
        for name, value in {**shares, "level": self.level}.items():
            if not 0.0 < float(value) <= 1.0:
                raise MutuValueError(
                    f"Rencana evaluasi: {name} harus di antara 0 dan 1.",
                    f"Evaluation plan: {name} must lie between 0 and 1.",
                    field=name,
                )
        if self.min_n < 2 or self.bootstrap_resamples < 100 or self.prior_skp_years < 1:
            raise MutuValueError(
                "Rencana evaluasi: min_n >= 2, bootstrap_resamples >= 100, prior_skp_years >= 1.",
                "Evaluation plan: min_n >= 2, bootstrap_resamples >= 100, prior_skp_years >= 1.",
            )
        for name in (
            "benefit_per_workplan_point_rp",
            "benefit_per_learning_point_rp",
            "benefit_per_ikm_point_rp",
        ):
            value = getattr(self, name)
            if value is not None and not float(value) >= 0:
                raise MutuValueError(
                    f"Rencana evaluasi: {name} harus angka tidak negatif atau kosong.",
                    f"Evaluation plan: {name} must be a non-negative number or empty.",
                    field=name,
                )

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> EvaluationPlan:
        """A plan from a mapping (e.g. parsed JSON or TOML); unknown keys are refused."""
        known = {f.name: f for f in fields(cls)}
        unknown = sorted(set(data) - set(known))
        if unknown:
            raise MutuValueError(
                f"Rencana evaluasi: kunci tidak dikenal {unknown}.",
                f"Evaluation plan: unknown keys {unknown}.",
            )
        values: dict[str, Any] = {}
        for key, value in data.items():
            default = known[key].default
            if isinstance(default, tuple):
                values[key] = _tuple(value, key)
            else:
                values[key] = value
        return cls(**values)

    @classmethod
    def from_toml(cls, source: str | Path) -> EvaluationPlan:
        """A plan from TOML text or a ``.toml`` file (top-level keys as in :meth:`from_dict`)."""
        if isinstance(source, Path) or (
            isinstance(source, str) and source.endswith(".toml") and "\n" not in source
        ):
            text = Path(source).read_text(encoding="utf-8")
        else:
            text = str(source)
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise MutuValueError(
                f"Rencana evaluasi: TOML tidak valid ({exc}).",
                f"Evaluation plan: invalid TOML ({exc}).",
            ) from exc
        return cls.from_dict(data)

    def to_dict(self) -> dict[str, Any]:
        """The plan as JSON-ready data (tuples become lists)."""
        return {k: list(v) if isinstance(v, tuple) else v for k, v in asdict(self).items()}

    def check_against(self, frames: Mapping[str, pd.DataFrame]) -> None:
        """Refuse a plan naming programs, instruments or schemes the data do not have.

        Only frames that are present are checked: a missing frame makes its
        section say "no data" instead.
        """
        programs = frames.get("programs")
        if programs is not None and "code" in programs.columns and len(programs):
            codes = set(programs["code"].dropna().astype(str))
            for name in ("l3_program", "did_program"):
                code = getattr(self, name)
                if code not in codes:
                    raise MutuValueError(
                        f"Rencana evaluasi: program {code!r} ({name}) tidak ada di data "
                        f"(program yang ada: {sorted(codes)}).",
                        f"Evaluation plan: program {code!r} ({name}) is not in the data "
                        f"(programs present: {sorted(codes)}).",
                        field=name,
                    )
        schemes = frames.get("incentive_schemes")
        if schemes is not None and "code" in schemes.columns and self.incentive_schemes:
            codes = set(schemes["code"].dropna().astype(str))
            unknown = [s for s in self.incentive_schemes if s not in codes]
            if unknown:
                raise MutuValueError(
                    f"Rencana evaluasi: skema insentif tidak ada di data: {unknown}.",
                    f"Evaluation plan: incentive schemes not in the data: {unknown}.",
                    field="incentive_schemes",
                )
        instruments = frames.get("instruments")
        if instruments is not None and "code" in instruments.columns and len(instruments):
            codes = set(instruments["code"].dropna().astype(str))
            if self.rating_instrument not in codes:
                raise MutuValueError(
                    f"Rencana evaluasi: instrumen {self.rating_instrument!r} tidak ada di data.",
                    f"Evaluation plan: instrument {self.rating_instrument!r} is not in the data.",
                    field="rating_instrument",
                )
