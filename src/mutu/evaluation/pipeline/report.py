"""The typed results of the pipeline: estimands, sections and the whole report."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from mutu.evaluation.multiple_testing import adjust_pvalues
from mutu.evaluation.pipeline.jsonable import jsonable, table_records
from mutu.evaluation.pipeline.plan import EvaluationPlan
from mutu.evaluation.result import Lang, Result, check_lang, format_number, format_p

__all__ = [
    "ESTIMAND_NAMES",
    "Estimand",
    "EvaluationReport",
    "NoData",
    "Section",
    "adjust_family",
]

ESTIMAND_NAMES = (
    "learning_gain",
    "workplan_quality_att",
    "ikm_att",
    "incentive_attendance_effect",
    "magang_months_to_proficiency_diff",
)

#: Labels, units and display digits of each estimand, in both languages.
LABELS: dict[str, dict[str, Any]] = {
    "learning_gain": {
        "id": "Kenaikan nilai tes peserta (post − pre)",
        "en": "Participants' test score gain (post − pre)",
        "unit_id": "poin (skala 0–100)",
        "unit_en": "points (0–100 scale)",
        "digits": 1,
    },
    "workplan_quality_att": {
        "id": "Pengaruh pelatihan pada kualitas rencana kerja menurut atasan",
        "en": "Effect of the training on work-plan quality as rated by supervisors",
        "unit_id": "poin (skala 1–5)",
        "unit_en": "points (1–5 scale)",
        "digits": 2,
    },
    "ikm_att": {
        "id": "Pengaruh program pada Indeks Kepuasan Masyarakat (IKM) unit layanan",
        "en": "Effect of the program on the public-satisfaction index (IKM) of service units",
        "unit_id": "poin IKM",
        "unit_en": "IKM points",
        "digits": 2,
    },
    "incentive_attendance_effect": {
        "id": "Pengaruh tawaran insentif pada peluang hadir",
        "en": "Effect of an incentive offer on the chance of attending",
        "unit_id": "poin persentase",
        "unit_en": "percentage points",
        "digits": 1,
    },
    "magang_months_to_proficiency_diff": {
        "id": "Selisih median bulan sampai standar kompetensi teknis (magang − tanpa magang)",
        "en": "Difference in median months to the technical standard (internship − none)",
        "unit_id": "bulan",
        "unit_en": "months",
        "digits": 1,
    },
}


def _range(lo: float | None, hi: float | None, digits: int, lang: Lang) -> str:
    a, b = format_number(lo, digits, lang), format_number(hi, digits, lang)
    if (lo is not None and lo < 0) or (hi is not None and hi < 0):
        return f"{a} {'hingga' if lang == 'id' else 'to'} {b}"
    return f"{a}–{b}"


@dataclass(frozen=True, eq=False)
class Estimand(Result):
    """One headline quantity with its uncertainty, method and multiplicity-corrected test.

    ``p_adjusted`` is Holm's adjustment over the five estimands; only
    ``significant`` (``p_adjusted <= level``) may be read as "significant".
    ``status`` is ``"ok"``, ``"too_few"`` (shown, not concluded) or
    ``"no_data"``.
    """

    name: str
    estimate: float | None
    se: float | None
    ci_low: float | None
    ci_high: float | None
    method: str
    n: int
    p_value: float | None
    naive: float | None = None
    naive_definition: str = ""
    method_id: str = ""
    naive_definition_id: str = ""
    population: str = ""
    confidence: float = 0.95
    status: str = "ok"
    p_adjusted: float | None = None
    significant: bool = False
    level: float = 0.05
    details: tuple[tuple[str, Any], ...] = ()

    @classmethod
    def no_data(cls, name: str, reason: str) -> Estimand:
        """An estimand that could not be computed, and why (English, for the record)."""
        return cls(name, None, None, None, None, f"no data: {reason}", 0, None, status="no_data")

    def to_json(self) -> dict[str, Any]:
        """JSON-ready dict: the five headline fields first, then the rest."""
        out = {
            "estimate": self.estimate,
            "se": self.se,
            "ci_low": self.ci_low,
            "ci_high": self.ci_high,
            "method": self.method,
            "method_id": self.method_id or self.method,
            "n": self.n,
            "p_value": self.p_value,
            "p_adjusted": self.p_adjusted,
            "significant": self.significant,
            "naive": self.naive,
            "bias_removed": (
                None if self.naive is None or self.estimate is None else self.naive - self.estimate
            ),
            "naive_definition": self.naive_definition,
            "naive_definition_id": self.naive_definition_id or self.naive_definition,
            "population": self.population,
            "unit": LABELS[self.name]["unit_en"] if self.name in LABELS else "",
            "confidence": self.confidence,
            "status": self.status,
            "details": dict(self.details),
        }
        return {k: jsonable(v) for k, v in out.items()}

    def summary(self, lang: str = "id") -> str:
        """The headline paragraph: estimate, interval, n, method, corrected test, naive value."""
        lng = check_lang(lang)
        info = LABELS.get(self.name, {"id": self.name, "en": self.name, "digits": 2})
        title = info[lng]
        unit = info.get(f"unit_{lng}", "")
        digits = int(info["digits"])
        if self.status == "no_data" or self.estimate is None:
            return (
                f"{title}: tidak ada data untuk menghitungnya."
                if lng == "id"
                else f"{title}: no data to compute it."
            )
        est = format_number(self.estimate, digits, lng)
        pct = format_number(100 * self.confidence, 0, lng)
        ci = _range(self.ci_low, self.ci_high, digits, lng)
        p_adj = format_p(self.p_adjusted, lng)
        if lng == "id":
            method = self.method_id or self.method
            text = f"{title}: {est} {unit} (IK {pct}% {ci}; n = {self.n}; {method})."
            if self.status == "too_few":
                text += " Datanya terlalu sedikit untuk menyimpulkan; angka ini hanya dicatat."
            elif self.significant:
                text += (
                    " Berbeda nyata dari nol setelah koreksi Holm atas lima estimand utama "
                    f"({p_adj})."
                )
            else:
                text += (
                    " Tidak berbeda nyata dari nol setelah koreksi Holm atas lima estimand "
                    f"utama ({p_adj}); arah dan besarnya belum dapat dipastikan."
                )
            if self.naive is not None and math.isfinite(self.naive):
                text += (
                    " Perbandingan naif "
                    f"({self.naive_definition_id or self.naive_definition or 'tanpa penyesuaian'}) "
                    f"memberi {format_number(self.naive, digits, lng)}."
                )
            return text
        text = f"{title}: {est} {unit} ({pct}% CI {ci}; n = {self.n}; {self.method})."
        if self.status == "too_few":
            text += " Too few data to conclude; the number is recorded only."
        elif self.significant:
            text += (
                f" Different from zero after Holm's correction over the five estimands ({p_adj})."
            )
        else:
            text += (
                " Not different from zero after Holm's correction over the five estimands "
                f"({p_adj}); its direction and size are not settled."
            )
        if self.naive is not None and math.isfinite(self.naive):
            text += (
                f" The naive comparison ({self.naive_definition or 'unadjusted'}) gives "
                f"{format_number(self.naive, digits, lng)}."
            )
        return text


def adjust_family(
    estimands: Mapping[str, Estimand], *, level: float, method: str = "holm"
) -> dict[str, Estimand]:
    """Holm (default) over the estimands with a p-value; ``significant`` only after it."""
    names = list(estimands)
    p = np.array(
        [
            np.nan if estimands[n].p_value is None else float(estimands[n].p_value)  # type: ignore[arg-type]
            for n in names
        ]
    )
    adjusted = np.asarray(adjust_pvalues(p, method))
    out: dict[str, Estimand] = {}
    for name, adj in zip(names, adjusted, strict=True):
        est = estimands[name]
        p_adj = float(adj) if math.isfinite(adj) else None
        sig = p_adj is not None and p_adj <= level and est.status == "ok"
        out[name] = replace(est, p_adjusted=p_adj, significant=sig, level=level)
    return out


@dataclass(frozen=True, eq=False, kw_only=True)
class Section(Result):
    """A part of the report (L1 … L5, participation, magang) with its tables."""

    key: ClassVar[str] = "section"
    status: str = "ok"
    notes: tuple[str, ...] = ()

    def tables(self) -> dict[str, pd.DataFrame | None]:
        """The section's tables by name (override)."""
        return {}

    def to_frame(self) -> pd.DataFrame:
        """The section's first table, or one row of its scalars when it has none."""
        for table in self.tables().values():
            if table is not None:
                return table.copy()
        return super().to_frame()

    def to_json(self) -> dict[str, Any]:
        """Scalars, tables (row lists) and notes, JSON-ready."""
        out: dict[str, Any] = {k: jsonable(v) for k, v in self.scalars().items()}
        out["notes"] = list(self.notes)
        out["tables"] = {name: table_records(t) for name, t in self.tables().items()}
        out["summary"] = {"id": self.summary("id"), "en": self.summary("en")}
        return out


@dataclass(frozen=True, eq=False, kw_only=True)
class NoData(Section):
    """A section without the data it needs; says which frames were missing."""

    key: ClassVar[str] = "no_data"
    section: str = ""
    missing: tuple[str, ...] = ()
    status: str = "no_data"

    def summary(self, lang: str = "id") -> str:
        """'No data' and what is missing."""
        lng = check_lang(lang)
        what = ", ".join(self.missing) or "-"
        if lng == "id":
            return f"Bagian {self.section}: tidak ada data ({what})."
        return f"Section {self.section}: no data ({what})."

    def to_json(self) -> dict[str, Any]:
        """``status: "no_data"`` with the missing inputs."""
        return {
            "status": "no_data",
            "missing": list(self.missing),
            "notes": list(self.notes),
            "summary": {"id": self.summary("id"), "en": self.summary("en")},
        }


@dataclass(frozen=True, eq=False)
class EvaluationReport(Result):
    """Everything :func:`~mutu.evaluation.pipeline.evaluate` found.

    ``estimands`` (the five headline quantities, Holm-corrected together),
    ``sections`` (L1 reaction, L2 learning, L3 behaviour, L4 results, L5 ROI,
    participation, magang), ``indices`` (:func:`mutu.indices.indices_overview`
    or ``None``), ``goals`` (each program goal against its measured figure,
    :func:`~mutu.evaluation.pipeline.goals.goal_progress`), the ``plan`` used,
    the ``rulebooks`` versions used, notes on
    the variants computed and a description of the ``data``.
    """

    estimands: Mapping[str, Estimand]
    sections: Mapping[str, Section]
    plan: EvaluationPlan
    rulebooks: tuple[str, ...]
    variant_notes: Mapping[str, str]
    data: Mapping[str, Any]
    confidence: float
    indices: Mapping[str, Any] | None = field(default=None, repr=False)
    goals: tuple[Mapping[str, Any], ...] = field(default=(), repr=False)

    def to_frame(self) -> pd.DataFrame:
        """One row per estimand: estimate, se, interval, method, n, p, adjusted p, significant."""
        rows = [{"estimand": n, **e.to_json()} for n, e in self.estimands.items()]
        return pd.DataFrame(rows).drop(columns=["details"]).set_index("estimand")

    def summary(self, lang: str = "id") -> str:
        """The headline paragraph of every estimand, one per line."""
        lng = check_lang(lang)
        head = (
            "Ringkasan evaluasi (p terkoreksi Holm atas lima estimand; IK = interval kepercayaan):"
            if lng == "id"
            else "Evaluation summary (Holm-corrected p over the five estimands; CI = confidence "
            "interval):"
        )
        return "\n".join([head, *(e.summary(lng) for e in self.estimands.values())])

    def to_json(self) -> dict[str, Any]:
        """The report as JSON-ready data (``json.dumps(..., allow_nan=False)`` works)."""
        indices: Any = (
            dict(self.indices)
            if self.indices is not None
            else {"status": "no_data", "note": "indices not computed"}
        )
        return {
            "estimands": {n: e.to_json() for n, e in self.estimands.items()},
            "sections": {n: s.to_json() for n, s in self.sections.items()},
            "indices": jsonable(indices),
            "goals": jsonable([dict(g) for g in self.goals]),
            "goals_summary": {
                "total": len(self.goals),
                **{
                    status: sum(1 for g in self.goals if g.get("status") == status)
                    for status in ("met", "not_met", "uncertain", "no_data")
                },
            },
            "plan": jsonable(self.plan.to_dict()),
            "rulebooks": list(self.rulebooks),
            "variant_notes": {k: str(v) for k, v in self.variant_notes.items()},
            "multiple_testing": {
                "family": list(self.estimands),
                "method": "holm",
                "level": self.plan.level,
            },
            "confidence": self.confidence,
            "data": jsonable(dict(self.data)),
            "summary": {"id": self.summary("id"), "en": self.summary("en")},
        }
