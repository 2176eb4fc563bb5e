"""Job-person match: measured competency levels against the position's standard.

PermenPANRB 38/2017 sets a standard level (1–5) for each competency of a
position; an assessment measures each employee's level.  The match is

.. math:: \\mathrm{JPM} = \\frac{\\sum_c \\min(a_c, s_c)}{\\sum_c s_c} \\times 100

over the competencies of the standard (``jpm`` rulebook, ``formula``,
unconfirmed), banded optimal / cukup optimal / kurang optimal.  The gap
profile per unit (which competencies fall short most) feeds the needs
analysis of the yearly plan.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

import numpy as np
import pandas as pd

from mutu.evaluation.result import Result, check_lang, format_number
from mutu.indices._common import (
    Flags,
    IndexInputError,
    SearchPath,
    as_date,
    band_label,
    band_of,
    band_summary,
    bands,
    date_column,
    isin,
    join_per_group,
    nip_column,
    number,
    numeric_column,
    pick_rulebook,
    refuse_rows,
    require_columns,
    text_column,
    unique_nips,
    unit_column,
)
from mutu.rulebooks import Rulebook

__all__ = ["JobPersonMatchResult", "job_person_match"]

Missing = Literal["exclude", "zero", "assessed"]


@dataclass(frozen=True, eq=False)
class JobPersonMatchResult(Result):
    """JPM per ASN, unit summaries, and the competency gap profile per unit.

    Attributes
    ----------
    persons
        Index ``nip``: ``unit``, ``n_competencies`` (in the standard),
        ``n_assessed``, ``jpm`` (percent), ``band``, ``band_label``,
        ``missing`` (competencies of the standard never assessed).
    units
        Index ``unit``: ``n``, ``n_scored``, ``n_incomplete``, ``mean_jpm``,
        ``band_of_mean``, ``n_<band>``, ``share_<band>``.
    gaps
        Index ``(unit, competency)``: ``n`` (people whose standard has it),
        ``n_assessed``, ``mean_required``, ``mean_actual``, ``mean_gap``
        (mean of :math:`\\max(0, s - a)` over the assessed), ``share_below``
        (share of the assessed under the standard) and ``rank`` (1 = the
        unit's largest mean gap).
    regency, regency_gaps
        The same for all employees (one row; per competency).
    on
        Assessments up to this date count (the latest per competency).
    missing_policy, rulebook, unconfirmed
        As in the other index results.
    """

    persons: pd.DataFrame = field(repr=False)
    units: pd.DataFrame = field(repr=False)
    gaps: pd.DataFrame = field(repr=False)
    regency: pd.DataFrame = field(repr=False)
    regency_gaps: pd.DataFrame = field(repr=False)
    on: date
    n: int
    n_scored: int
    mean_jpm: float | None
    missing_policy: str
    rulebook: str
    unconfirmed: tuple[str, ...]

    def to_frame(self) -> pd.DataFrame:
        """The ``persons`` table."""
        return self.persons.copy()

    def summary(self, lang: str = "id") -> str:
        """Regency mean JPM and the competency most lacking."""
        lang = check_lang(lang)
        mean = format_number(self.mean_jpm, 1, lang)
        top = self.regency_gaps.sort_values("mean_gap", ascending=False).head(1)
        worst = str(top.index[0]) if len(top) else "–"
        if lang == "id":
            return (
                f"Rata-rata job-person match {mean}% dari {self.n_scored} ASN (dari {self.n}); "
                f"kesenjangan terbesar pada kompetensi {worst}. Aturan: {self.rulebook}."
            )
        return (
            f"Mean job-person match {mean}% over {self.n_scored} ASN (of {self.n}); the "
            f"largest gap is in competency {worst}. Rule: {self.rulebook}."
        )


def _levels(frame: pd.DataFrame, column: str, name: str, low: float, high: float) -> pd.Series:
    values = numeric_column(frame, column, name)
    bad = values.notna() & ((values < low) | (values > high) | (values != values.round()))
    refuse_rows(
        name,
        bad,
        frame.index,
        f"{column} di luar {low:g}–{high:g} atau bukan bilangan bulat",
        f"{column} outside {low:g}–{high:g} or not whole",
    )
    return values


def _default_key(kind: pd.Series, level: pd.Series) -> pd.Series:
    """``standard_level`` key per person: the kind, or ``fungsional_<level>``."""
    fungsional = kind.str.startswith("fungsional").fillna(False).astype(bool)
    return kind.where(~fungsional, "fungsional_" + level.fillna(""))


def _person_standards(
    standards: pd.DataFrame,
    employees: pd.DataFrame | None,
    book: Rulebook,
    flags: Flags,
    low: float,
    high: float,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(people with ``unit``, standard rows ``nip, competency, required``)."""
    name = "standards"
    require_columns(standards, name, ["competency", "required_level"])
    competency = text_column(standards, "competency")
    refuse_rows(name, competency.isna(), standards.index, "competency kosong", "empty competency")
    required = _levels(standards, "required_level", name, low, high)
    if employees is None:
        require_columns(standards, name, ["nip", "unit"])
        rows = pd.DataFrame(
            {
                "nip": nip_column(standards, name),
                "unit": unit_column(standards, name),
                "competency": competency,
                "required": required,
            }
        )
        people = rows.groupby("nip")["unit"].agg(["first", "nunique"])
        many = rows["nip"].map(people["nunique"]) > 1
        refuse_rows(
            name, many, standards.index, "satu NIP di beberapa unit", "one NIP in two units"
        )
        people = people[["first"]].rename(columns={"first": "unit"})
        refuse_rows(
            name, required.isna(), standards.index, "required_level kosong", "empty required_level"
        )
    else:
        require_columns(employees, "employees", ["nip", "unit", "position"])
        require_columns(standards, name, ["position"])
        people = pd.DataFrame(
            {
                "unit": unit_column(employees, "employees").to_numpy(),
                "position": text_column(employees, "position").to_numpy(),
            },
            index=pd.Index(unique_nips(employees, "employees").to_numpy(), name="nip"),
        )
        std = pd.DataFrame(
            {
                "position": text_column(standards, "position"),
                "competency": competency,
                "required": required,
            }
        )
        dup = std.duplicated(["position", "competency"], keep=False)
        refuse_rows(
            name, dup, standards.index, "posisi+kompetensi berulang", "position+competency repeated"
        )
        rows = people.reset_index().merge(std, on="position", how="inner")
        if rows["required"].isna().any():
            rows["required"] = rows["required"].fillna(
                _defaults(rows, employees, book, flags, low, high)
            )
        people = people[["unit"]]
    dup = rows.duplicated(["nip", "competency"], keep=False)
    if dup.any():
        listing = ", ".join(
            sorted({f"{n}/{c}" for n, c in rows.loc[dup, ["nip", "competency"]].to_numpy()})
        )
        raise IndexInputError(
            f"standards: kompetensi berulang untuk NIP: {listing}.",
            f"standards: competency repeated for NIP: {listing}.",
            field=name,
        )
    return people, rows[["nip", "competency", "required"]]


def _defaults(
    rows: pd.DataFrame,
    employees: pd.DataFrame,
    book: Rulebook,
    flags: Flags,
    low: float,
    high: float,
) -> pd.Series:
    """Default required levels (``standard_level.<kind>``) for standard rows left empty."""
    if "position_kind" not in employees.columns:
        raise IndexInputError(
            "standards: required_level kosong dan employees tidak punya position_kind "
            "untuk memakai tingkat bawaan rulebook.",
            "standards: required_level is empty and employees has no position_kind to take "
            "the rulebook's default level.",
            field="standards",
        )
    by_nip = employees.assign(
        _nip=nip_column(employees, "employees"),
        _kind=text_column(employees, "position_kind").str.lower(),
        _level=(
            text_column(employees, "position_level").str.lower()
            if "position_level" in employees.columns
            else pd.Series(pd.NA, index=employees.index, dtype="string")
        ),
    ).set_index("_nip")
    key = _default_key(by_nip["_kind"], by_nip["_level"]).reindex(rows["nip"]).to_numpy()
    need = rows["required"].isna().to_numpy()
    keys = {str(k) for k in key[need] if isinstance(k, str)}
    values: dict[str, float] = {}
    for k in sorted(keys):
        full = f"standard_level.{k}"
        if full in book:
            values[k] = number(book, full, flags)
    out = pd.Series([values.get(str(k), np.nan) for k in key], index=rows.index)
    unresolved = need & out.isna().to_numpy()
    if unresolved.any():
        who = sorted({str(n) for n in rows.loc[unresolved, "nip"]})
        raise IndexInputError(
            f"standards: tidak ada tingkat bawaan untuk jabatan NIP {', '.join(who[:10])}.",
            f"standards: no default level for the position of NIP {', '.join(who[:10])}.",
            field="standards",
        )
    return out.clip(lower=low, upper=high)


def job_person_match(
    assessments: pd.DataFrame,
    standards: pd.DataFrame,
    *,
    employees: pd.DataFrame | None = None,
    on: date | str | None = None,
    missing: Missing = "exclude",
    rulebook: Rulebook | None = None,
    search_path: SearchPath = None,
) -> JobPersonMatchResult:
    r"""Job-person match per ASN and the gap profile per unit.

    Parameters
    ----------
    assessments
        ``people.CompetencyAssessment`` rows: ``nip``, ``competency``,
        ``level`` (1–5) and ``assessed_on``; the latest assessment of each
        competency up to ``on`` counts.  Without ``assessed_on`` a repeated
        NIP+competency is refused.  Competencies outside the person's
        standard are ignored.
    standards
        Either per position (``people.CompetencyStandard``): ``position``,
        ``competency``, ``required_level`` — then ``employees`` links people
        to positions; or per person: ``nip``, ``unit``, ``competency``,
        ``required_level``.  An empty ``required_level`` takes the rulebook's
        default for the position kind (``standard_level.<kind>``, for
        fungsional ``standard_level.fungsional_<level>``), which needs
        ``position_kind`` (and ``position_level``) in ``employees``.
    employees
        ``nip``, ``unit``, ``position`` (and ``position_kind``,
        ``position_level`` for defaults).  Needed with per-position standards.
    on
        Assessment cut-off and rulebook date (default today).
    missing
        ``"exclude"`` (default): a person with a standard competency never
        assessed has no JPM; ``"zero"``: it counts as level 0 (the full
        standard is the gap); ``"assessed"``: the JPM runs over the
        standard's competencies that were assessed (e.g. the managerial and
        socio-cultural ones of an assessment centre), and a person with none
        assessed has no JPM.  ``missing`` names the unassessed competencies
        in every case.
    rulebook
        A ``jpm`` rulebook (default: the version in force on ``on``).
    search_path
        Folders searched for rulebook versions.

    Returns
    -------
    JobPersonMatchResult

    Raises
    ------
    IndexInputError
        For levels outside the rulebook's ``levels`` or not whole, a repeated
        NIP, position+competency or NIP+competency, an assessment whose NIP
        has no standard, or missing columns.

    Notes
    -----
    The gap profile uses the assessed competencies:
    :math:`\mathrm{gap} = \max(0, s - a)`; ``rank`` orders a unit's
    competencies by mean gap, then by the share below standard.

    References
    ----------
    PermenPANRB 38/2017 (standar kompetensi jabatan ASN, levels 1–5); the
    JPM formula and bands are secondary/unconfirmed (``jpm`` rulebook).
    """
    when = as_date(on) if on is not None else date.today()
    if missing not in ("exclude", "zero", "assessed"):
        raise IndexInputError(
            f"missing harus 'exclude', 'zero' atau 'assessed', bukan {missing!r}.",
            f"missing must be 'exclude', 'zero' or 'assessed', not {missing!r}.",
            field="missing",
        )
    book = pick_rulebook("jpm", rulebook, when, search_path)
    flags = Flags()
    low = number(book, "levels.min", flags)
    high = number(book, "levels.max", flags)
    flags.use(book, "formula")
    people, std = _person_standards(standards, employees, book, flags, low, high)

    name = "assessments"
    require_columns(assessments, name, ["nip", "competency", "level"])
    a = pd.DataFrame(
        {
            "nip": nip_column(assessments, name),
            "competency": text_column(assessments, "competency"),
            "level": _levels(assessments, "level", name, low, high),
        }
    )
    refuse_rows(name, a["level"].isna(), assessments.index, "level kosong", "level is empty")
    refuse_rows(
        name,
        ~isin(a["nip"], people.index),
        assessments.index,
        "NIP tanpa standar kompetensi / tidak di daftar pegawai",
        "NIP has no competency standard / is not among the employees",
    )
    if "assessed_on" in assessments.columns:
        a["assessed_on"] = date_column(assessments, "assessed_on", name)
        refuse_rows(
            name, a["assessed_on"].isna(), assessments.index, "assessed_on kosong", "no date"
        )
        a = a[a["assessed_on"] <= pd.Timestamp(when)]
        a = a.sort_values("assessed_on", kind="stable").drop_duplicates(
            ["nip", "competency"], keep="last"
        )
    else:
        refuse_rows(
            name,
            a.duplicated(["nip", "competency"], keep=False),
            assessments.index,
            "NIP+kompetensi berulang tanpa assessed_on",
            "NIP+competency repeated without assessed_on",
        )
    m = std.merge(a[["nip", "competency", "level"]], on=["nip", "competency"], how="left")
    m["assessed"] = m["level"].notna()
    actual = m["level"].fillna(0.0) if missing == "zero" else m["level"]
    m["met"] = np.minimum(actual, m["required"])
    m["gap"] = (m["required"] - m["level"]).clip(lower=0.0)
    g = m.groupby("nip")
    persons = people.copy()
    persons["n_competencies"] = g.size().reindex(persons.index).fillna(0).astype(int)
    persons["n_assessed"] = g["assessed"].sum().reindex(persons.index).fillna(0).astype(int)
    met = g["met"].sum(min_count=1)
    counted = m["required"].where(m["assessed"]) if missing == "assessed" else m["required"]
    req = counted.groupby(m["nip"]).sum()
    complete = persons["n_assessed"] == persons["n_competencies"]
    jpm = (100.0 * met / req.where(req > 0)).reindex(persons.index)
    if missing == "exclude":
        ok = complete & (persons["n_competencies"] > 0)
    elif missing == "zero":
        ok = persons["n_competencies"] > 0
    else:
        ok = persons["n_assessed"] > 0
    persons["jpm"] = jpm.where(ok)
    band_records = bands(book, "bands", "code", flags)
    persons["band"] = band_of(persons["jpm"], band_records, "code")
    persons["band_label"] = persons["band"].map(band_label(band_records, "code", "id"))
    gone = m[~m["assessed"]].sort_values(["nip", "competency"], kind="stable")
    unassessed = join_per_group(gone["nip"], gone["competency"])
    no_std = persons["n_competencies"] == 0
    persons["missing"] = unassessed.reindex(persons.index).fillna("").where(~no_std, "standar")

    m["unit"] = m["nip"].map(persons["unit"])
    units = band_summary(persons, persons["unit"], value="jpm", band_records=band_records)
    everyone = pd.Series("regency", index=persons.index)
    regency = band_summary(persons, everyone, value="jpm", band_records=band_records)
    regency.index.name = None
    gaps = _gaps(m, ["unit", "competency"])
    regency_gaps = _gaps(m, ["competency"])
    reg_mean = regency["mean_jpm"].iloc[0] if len(regency) else np.nan
    return JobPersonMatchResult(
        persons=persons,
        units=units,
        gaps=gaps,
        regency=regency,
        regency_gaps=regency_gaps,
        on=when,
        n=len(persons),
        n_scored=int(persons["jpm"].notna().sum()),
        mean_jpm=None if pd.isna(reg_mean) else float(reg_mean),
        missing_policy=missing,
        rulebook=flags.labels(),
        unconfirmed=flags.unconfirmed(),
    )


def _gaps(m: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    work = m.assign(
        below=(m["level"] < m["required"]).where(m["assessed"]).astype(float),
        actual=m["level"],
    )
    g = work.groupby(keys, sort=True)
    out = pd.DataFrame(
        {
            "n": g.size(),
            "n_assessed": g["assessed"].sum(),
            "mean_required": g["required"].mean(),
            "mean_actual": g["actual"].mean(),
            "mean_gap": g["gap"].mean(),
            "share_below": g["below"].mean(),
        }
    )
    order = out.reset_index().sort_values(
        [*keys[:-1], "mean_gap", "share_below"],
        ascending=[True] * (len(keys) - 1) + [False, False],
        na_position="last",
        kind="stable",
    )
    order["rank"] = (
        order.groupby(keys[:-1]).cumcount() + 1 if keys[:-1] else np.arange(1, len(order) + 1)
    )
    return order.set_index(keys)
