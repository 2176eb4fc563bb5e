"""Needs analysis: what each ASN lacks, and where the regency lacks it most.

Four needs per ASN, all from the stored frames (``docs/frames.md``):

* **JP deficit** against the PNS floor of the ``jp`` rulebook in the
  reference year (approved ledger JP, :func:`mutu.indices.jp_compliance`),
  and the *plan-year* deficit: the floor minus the JP the person is expected
  to earn outside the program (their approved external JP of the reference
  year; the program's own JP of last year does not recur by itself).  PPPK
  have no floor but a ceiling; their room under it is ``ceiling − external``.
* **Competency gaps** from the job-person match (:func:`mutu.indices.job_person_match`,
  latest assessment per competency, gap = max(0, standard − level)).
* **Mandatory trainings due**: a structural position whose leadership
  training (``pengawas`` → PKP, ``administrator`` → PKA by default) has no
  completed enrollment in the data.
* **Time since last development**: years from the last approved JP entry to
  the end of the reference year (missing when there is none in the data).

Aggregates per unit and per competency say what the regency most lacks, and
where.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from mutu.domain.errors import MutuValueError
from mutu.indices import job_person_match, jp_compliance, with_position_kind
from mutu.rulebooks import Rulebook, load

__all__ = ["MANDATORY_TRAINING", "NeedsResult", "needs_analysis"]

#: Leadership training a structural position must have (position kind → form code).
#: Peraturan LAN on PKP/PKA; the regulation is not yet confirmed in asn-rules.md, so the
#: mapping is an argument of :func:`needs_analysis` and is named in every result.
MANDATORY_TRAINING: Mapping[str, str] = {"pengawas": "pkp", "administrator": "pka"}

_NEEDED = (
    "employees",
    "positions",
    "units",
    "jp_ledger",
    "enrollments",
    "activities",
    "competency_assessments",
    "competency_standards",
)


@dataclass(frozen=True, eq=False)
class NeedsResult:
    """Needs per ASN, per unit and per competency.

    Attributes
    ----------
    year
        Reference year of the JP figures (the last complete data year).
    persons
        Index ``nip``: ``unit``, ``kecamatan``, ``status``, ``position_kind``,
        ``jp`` (approved JP of ``year``), ``jp_external`` (of which not from
        the program's activities), ``jp_deficit`` (PNS: floor − jp, ≥ 0;
        PPPK 0), ``plan_deficit`` (PNS: floor − jp_external, ≥ 0), ``jp_room``
        (PPPK: ceiling − jp_external, ≥ 0; PNS infinite), ``jpm``,
        ``gap_total`` (levels short over the assessed competencies),
        ``n_gaps``, ``mandatory_due`` (form code or ``""``),
        ``last_development``, ``years_since_development``.
    gaps
        One row per ASN and competency with a gap: ``nip``, ``competency``,
        ``gap`` (levels).
    units
        Index ``unit``: ``n``, ``n_pns``, ``n_below_floor``, ``jp_deficit``,
        ``plan_deficit``, ``mean_jpm``, ``gap_total``, ``n_mandatory_due``,
        ``n_never_developed``, ``median_years_since``.
    competencies
        Index ``competency``: ``n_with_gap``, ``gap_total``, ``mean_gap``
        (over the assessed), ``share_below``.
    unit_competencies
        The job-person match gap profile per unit and competency.
    floor_jp, ceiling_jp
        From the ``jp`` rulebook (``rulebook``).
    mandatory
        The position kind → form mapping applied.
    """

    year: int
    persons: pd.DataFrame = field(repr=False)
    gaps: pd.DataFrame = field(repr=False)
    units: pd.DataFrame = field(repr=False)
    competencies: pd.DataFrame = field(repr=False)
    unit_competencies: pd.DataFrame = field(repr=False)
    floor_jp: float
    ceiling_jp: float
    rulebook: str
    mandatory: Mapping[str, str]

    def to_json(self) -> dict[str, object]:
        """Regency totals, units and competencies as plain JSON values."""
        p = self.persons
        pns = p["status"] == "PNS"
        return {
            "year": self.year,
            "floor_jp": self.floor_jp,
            "ceiling_jp": self.ceiling_jp,
            "rulebook": self.rulebook,
            "mandatory": dict(self.mandatory),
            "n": len(p),
            "n_pns": int(pns.sum()),
            "n_below_floor": int((p["jp_deficit"] > 0)[pns].sum()),
            "jp_deficit": float(p["jp_deficit"].sum()),
            "plan_deficit": float(p["plan_deficit"].sum()),
            "n_mandatory_due": int((p["mandatory_due"] != "").sum()),
            "units": _records(self.units, "unit"),
            "competencies": _records(self.competencies, "competency"),
        }


def _records(frame: pd.DataFrame, key: str) -> list[dict[str, object]]:
    out = []
    for row in frame.reset_index().to_dict("records"):
        clean: dict[str, object] = {}
        for k, v in row.items():
            if isinstance(v, float | np.floating):
                clean[str(k)] = None if not np.isfinite(v) else float(v)
            elif isinstance(v, np.integer):
                clean[str(k)] = int(v)
            else:
                clean[str(k)] = v
        out.append(clean)
    return out


def _require(frames: Mapping[str, pd.DataFrame]) -> None:
    missing = [n for n in _NEEDED if n not in frames]
    if missing:
        names = ", ".join(missing)
        raise MutuValueError(
            f"Analisis kebutuhan memerlukan frame: {names}.",
            f"The needs analysis needs the frames: {names}.",
            field="frames",
        )


def reference_year(frames: Mapping[str, pd.DataFrame], year: int) -> int:
    """The last ledger year up to ``year`` (the plan year, or the year before it)."""
    years = pd.to_numeric(frames["jp_ledger"]["year"], errors="coerce").dropna().astype(int)
    usable = years[years <= year]
    if usable.empty:
        return year
    return int(usable.max())


def needs_analysis(
    frames: Mapping[str, pd.DataFrame],
    *,
    year: int,
    rulebook: Rulebook | None = None,
    mandatory: Mapping[str, str] = MANDATORY_TRAINING,
) -> NeedsResult:
    """Needs per ASN for planning ``year``, from the frames of ``docs/frames.md``.

    Parameters
    ----------
    frames
        ``employees``, ``positions``, ``units``, ``jp_ledger``, ``enrollments``,
        ``activities``, ``competency_assessments``, ``competency_standards``.
    year
        The plan year.  JP figures come from the last ledger year up to it
        (:func:`reference_year`): planning 2027 on data to 2026 uses 2026.
    rulebook
        A ``jp`` rulebook (default: the version in force on 31 December of the
        reference year).  The floor and ceiling are never constants here.
    mandatory
        Position kind → form code of the leadership training it requires.

    Returns
    -------
    NeedsResult
    """
    _require(frames)
    ref = reference_year(frames, year)
    end = date(ref, 12, 31)
    book = rulebook if rulebook is not None else load("jp", end)
    floor = float(book.decimal("pns_min_jp_per_year"))
    ceiling = float(book.decimal("pppk_max_jp_per_contract_year"))

    emp = with_position_kind(frames["employees"], frames["positions"])
    units = frames["units"].set_index("code")
    emp = emp.assign(kecamatan=emp["unit"].map(units["kecamatan"]))
    ledger = frames["jp_ledger"]
    jp = jp_compliance(ledger, emp[["nip", "status", "unit"]], year=ref, rulebook=book)
    persons = pd.DataFrame(
        {
            "unit": emp["unit"].to_numpy(),
            "kecamatan": emp["kecamatan"].to_numpy(),
            "status": emp["status"].to_numpy(),
            "position_kind": emp["position_kind"].to_numpy(),
        },
        index=pd.Index(emp["nip"].astype(str).to_numpy(), name="nip"),
    )
    persons["jp"] = jp.persons["jp"].reindex(persons.index).fillna(0.0).to_numpy()

    approved = ledger[(ledger["approval_status"] == "approved").to_numpy()]
    in_year = approved[(approved["year"] == ref).to_numpy()]
    external = in_year[(in_year["source"] != "activity").to_numpy()].groupby("nip")["jp"].sum()
    persons["jp_external"] = external.reindex(persons.index).fillna(0.0).to_numpy()
    pns = persons["status"] == "PNS"
    persons["jp_deficit"] = np.where(pns, np.maximum(0.0, floor - persons["jp"]), 0.0)
    persons["plan_deficit"] = np.where(pns, np.maximum(0.0, floor - persons["jp_external"]), 0.0)
    persons["jp_room"] = np.where(pns, np.inf, np.maximum(0.0, ceiling - persons["jp_external"]))

    # Job-person match once per unit (the gap profile) and once with each person as
    # their own group, which gives the person-by-competency gaps through the same code.
    assessments = frames["competency_assessments"]
    standards = frames["competency_standards"]
    std_emp = emp[["nip", "unit", "position", "position_kind", "position_level"]]
    jpm = job_person_match(assessments, standards, employees=std_emp, on=end, missing="assessed")
    own = std_emp.assign(unit=std_emp["nip"])
    mine = job_person_match(assessments, standards, employees=own, on=end, missing="assessed")
    per = mine.gaps.reset_index().rename(columns={"unit": "nip", "mean_gap": "gap"})
    gaps = per.loc[per["gap"].fillna(0) > 0, ["nip", "competency", "gap"]].reset_index(drop=True)
    persons["jpm"] = jpm.persons["jpm"].reindex(persons.index).to_numpy()
    totals = gaps.groupby("nip")["gap"].agg(["sum", "size"])
    persons["gap_total"] = totals["sum"].reindex(persons.index).fillna(0.0).to_numpy()
    persons["n_gaps"] = totals["size"].reindex(persons.index).fillna(0).astype(int).to_numpy()

    persons["mandatory_due"] = _mandatory_due(frames, persons, mandatory)
    last = pd.to_datetime(
        approved.loc[(approved["year"] <= ref).to_numpy()].groupby("nip")["date"].max()
    )
    persons["last_development"] = last.reindex(persons.index).to_numpy()
    gap_days = (pd.Timestamp(end) - pd.to_datetime(persons["last_development"])).dt.days
    persons["years_since_development"] = (gap_days / 365.25).to_numpy()

    return NeedsResult(
        year=ref,
        persons=persons,
        gaps=gaps,
        units=_unit_summary(persons),
        competencies=_competency_summary(mine.gaps.reset_index(), gaps),
        unit_competencies=jpm.gaps,
        floor_jp=floor,
        ceiling_jp=ceiling,
        rulebook=f"{jp.rulebook}; {jpm.rulebook}",
        mandatory=dict(mandatory),
    )


def _mandatory_due(
    frames: Mapping[str, pd.DataFrame], persons: pd.DataFrame, mandatory: Mapping[str, str]
) -> np.ndarray:
    acts = frames["activities"].set_index("code")["form"]
    enr = frames["enrollments"]
    done = enr[(enr["status"] == "completed").to_numpy()]
    done_pairs = set(zip(done["nip"].astype(str), done["activity"].map(acts), strict=True))
    wanted = persons["position_kind"].map(dict(mandatory)).fillna("")
    due = [
        form if form and (nip, form) not in done_pairs else ""
        for nip, form in zip(persons.index, wanted, strict=True)
    ]
    return np.asarray(due, dtype=object)


def _unit_summary(p: pd.DataFrame) -> pd.DataFrame:
    pns = p["status"] == "PNS"
    work = p.assign(
        is_pns=pns.astype(int),
        below=((p["jp_deficit"] > 0) & pns).astype(int),
        due=(p["mandatory_due"] != "").astype(int),
        never=p["last_development"].isna().astype(int),
    )
    g = work.groupby("unit")
    out = pd.DataFrame(
        {
            "n": g.size(),
            "n_pns": g["is_pns"].sum(),
            "n_below_floor": g["below"].sum(),
            "jp_deficit": g["jp_deficit"].sum(),
            "plan_deficit": g["plan_deficit"].sum(),
            "mean_jpm": g["jpm"].mean(),
            "gap_total": g["gap_total"].sum(),
            "n_mandatory_due": g["due"].sum(),
            "n_never_developed": g["never"].sum(),
            "median_years_since": g["years_since_development"].median(),
        }
    )
    return out.sort_values(["plan_deficit", "gap_total"], ascending=False)


def _competency_summary(per_person: pd.DataFrame, gaps: pd.DataFrame) -> pd.DataFrame:
    assessed = per_person[per_person["n_assessed"] > 0]
    g = assessed.groupby("competency")
    out = pd.DataFrame(
        {
            "n_assessed": g.size(),
            "n_with_gap": gaps.groupby("competency").size(),
            "gap_total": gaps.groupby("competency")["gap"].sum(),
            "mean_gap": g["mean_gap"].mean(),
            "share_below": g["share_below"].mean(),
        }
    ).fillna({"n_with_gap": 0, "gap_total": 0.0})
    out["n_with_gap"] = out["n_with_gap"].astype(int)
    return out.sort_values("gap_total", ascending=False)
