"""Per-employee covariates derived from the stored frames.

The database keeps what the registry holds; the covariates the adjusted
comparisons need are derived here, vectorised over every employee at once:
distance from the unit's kecamatan, workload from the unit's kind, the SKPK
from the unit tree, golongan rank from the ``golongan`` rulebook, prior SKP
from the performance records, part-time from the employment type.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from mutu.domain.golongan import golongan_table
from mutu.evaluation.pipeline.plan import EvaluationPlan

__all__ = ["age_years", "employee_table", "months_between", "top_units"]

#: Depth limit of the unit tree walk (a regency tree is 3-4 levels deep).
MAX_DEPTH = 32


def age_years(birth: pd.Series | np.ndarray, when: pd.Series | np.ndarray) -> np.ndarray:
    """Age in years (days / 365.25) at ``when``; NaN where a date is missing."""
    b = pd.to_datetime(pd.Series(np.asarray(birth))).to_numpy(dtype="datetime64[D]")
    w = pd.to_datetime(pd.Series(np.asarray(when))).to_numpy(dtype="datetime64[D]")
    days = (w - b).astype("timedelta64[D]").astype(float)
    days[np.isnat(b) | np.isnat(w)] = np.nan
    return np.asarray(days / 365.25, dtype=float)


def months_between(start: pd.Series, end: pd.Series) -> np.ndarray:
    """Whole calendar months from ``start`` to ``end`` (a day-of-month not yet reached counts 0)."""
    s, e = pd.to_datetime(start), pd.to_datetime(end)
    months = (e.dt.year - s.dt.year) * 12 + (e.dt.month - s.dt.month) - (e.dt.day < s.dt.day)
    return np.asarray(months.to_numpy(dtype=float), dtype=float)


def top_units(units: pd.DataFrame) -> pd.Series:
    """Each unit's top-level unit (the SKPK: the child of the root), by unit code.

    The root itself (no parent) maps to itself. One vectorised step per level
    of the tree.
    """
    parent = pd.Series(units["parent"].to_numpy(dtype=object), index=units["code"].to_numpy())
    roots = set(parent.index[parent.isna()])
    cur = pd.Series(parent.index.to_numpy(dtype=object), index=parent.index)
    for _ in range(MAX_DEPTH):
        up = cur.map(parent)
        move = (up.notna() & ~up.isin(list(roots))).to_numpy(dtype=bool)
        if not move.any():
            break
        cur = cur.where(~move, up)
    return cur


def _ranks(employees: pd.DataFrame) -> pd.Series:
    """Golongan rank within the status, from the ``golongan`` rulebook in force."""
    pns = {g.code: g.rank for g in golongan_table("PNS")}
    pppk = {g.code: g.rank for g in golongan_table("PPPK")}
    status = employees["status"].astype(object)
    gol = employees["golongan"].astype(object)
    rank = np.where(status == "PPPK", gol.map(pppk), gol.map(pns)).astype(float)
    return pd.Series(rank, index=employees.index)


def pay_group(employees: pd.DataFrame) -> pd.Series:
    """The costing group: ``pns_i`` … ``pns_iv``, ``pppk``, ``pppk_part_time`` (else None)."""
    status = employees["status"].astype(object)
    roman = employees["golongan"].astype(object).str.split("/").str[0].str.lower()
    etype = employees.get("employment_type", pd.Series(None, index=employees.index))
    part = (etype == "part_time").to_numpy(dtype=bool)
    out = pd.Series(None, index=employees.index, dtype=object)
    pns = (status == "PNS").to_numpy(dtype=bool) & roman.notna().to_numpy(dtype=bool)
    pppk = (status == "PPPK").to_numpy(dtype=bool)
    out[pns] = "pns_" + roman[pns].astype(str)
    out[pppk & part] = "pppk_part_time"
    out[pppk & ~part] = "pppk"
    return out


def employee_table(
    frames: Mapping[str, pd.DataFrame], plan: EvaluationPlan, *, first_year: int
) -> pd.DataFrame:
    """Covariates of every employee, indexed by NIP.

    Columns: ``status``, ``pppk``, ``part_time``, ``rank``, ``pay_group``,
    ``birth_date``, ``tmt``, ``female``, ``degree``, ``unit``, ``unit_kind``,
    ``skpk``, ``distance_km``, ``workload``, ``skp_prior``, ``position``,
    ``position_kind``, ``supervisor``. Missing inputs leave NaN / None.
    """
    emp = frames["employees"]
    out = pd.DataFrame(index=pd.Index(emp["nip"].to_numpy(dtype=object), name="nip"))
    status = emp["status"].astype(object).to_numpy()
    out["status"] = status
    out["pppk"] = (status == "PPPK").astype(float)
    etype = emp["employment_type"] if "employment_type" in emp.columns else None
    out["part_time"] = (
        (etype.to_numpy(dtype=object) == "part_time").astype(float) if etype is not None else 0.0
    )
    out["rank"] = _ranks(emp).to_numpy()
    out["pay_group"] = pay_group(emp).to_numpy()
    out["birth_date"] = emp["birth_date"].to_numpy()
    out["tmt"] = emp["tmt_cpns"].to_numpy()
    out["female"] = (emp["sex"].to_numpy(dtype=object) == "P").astype(float)
    edu = emp["education_level"].astype(object)
    out["education"] = edu.to_numpy()
    out["degree"] = edu.isin(list(plan.degree_levels)).to_numpy(dtype=float)
    out["unit"] = emp["unit"].to_numpy(dtype=object)
    out["position"] = emp["position"].to_numpy(dtype=object)
    out["supervisor"] = (
        emp["supervisor"].to_numpy(dtype=object) if "supervisor" in emp.columns else None
    )
    units = frames.get("units")
    if units is not None and len(units):
        kind = pd.Series(units["kind"].to_numpy(dtype=object), index=units["code"].to_numpy())
        out["unit_kind"] = out["unit"].map(kind).to_numpy()
        out["skpk"] = out["unit"].map(top_units(units)).to_numpy()
        out["workload"] = out["unit_kind"].isin(list(plan.heavy_workload_unit_kinds)).astype(float)
        kec = frames.get("kecamatan")
        if kec is not None and len(kec):
            dist = pd.Series(kec["distance_km"].to_numpy(dtype=float), index=kec["code"].to_numpy())
            unit_kec = pd.Series(
                units["kecamatan"].to_numpy(dtype=object), index=units["code"].to_numpy()
            )
            out["distance_km"] = out["unit"].map(unit_kec).map(dist).astype(float).to_numpy()
            names = pd.Series(kec["name"].to_numpy(dtype=object), index=kec["code"].to_numpy())
            out["kecamatan"] = out["unit"].map(unit_kec).map(names).to_numpy()
        else:
            out["distance_km"] = np.nan
            out["kecamatan"] = None
    else:
        out["unit_kind"] = None
        out["skpk"] = None
        out["workload"] = np.nan
        out["distance_km"] = np.nan
        out["kecamatan"] = None
    perf = frames.get("performance_records")
    if perf is not None and len(perf):
        years = perf["year"].astype(float)
        window = (years < first_year) & (years >= first_year - plan.prior_skp_years)
        prior = perf.loc[window.to_numpy(), ["nip", "score"]].groupby("nip")["score"].mean()
        out["skp_prior"] = pd.Series(out.index).map(prior).to_numpy(dtype=float)
    else:
        out["skp_prior"] = np.nan
    positions = frames.get("positions")
    if positions is not None and len(positions):
        pkind = pd.Series(
            positions["kind"].to_numpy(dtype=object), index=positions["code"].to_numpy()
        )
        out["position_kind"] = out["position"].map(pkind).to_numpy()
    else:
        out["position_kind"] = None
    return out[~out.index.duplicated(keep="first")]


#: Covariates taken straight from :func:`employee_table`.
PERSON_COLUMNS = (
    "rank",
    "pppk",
    "part_time",
    "skp_prior",
    "distance_km",
    "kecamatan",
    "workload",
    "skpk",
    "unit_kind",
    "degree",
    "female",
)


def attach_covariates(
    data: pd.DataFrame,
    employees: pd.DataFrame,
    names: tuple[str, ...],
    *,
    nip: str = "nip",
    when: str | None = None,
) -> pd.DataFrame:
    """``data`` with the person covariates among ``names`` joined by NIP.

    ``age`` is computed at the dates in column ``when``. Names that are not
    person covariates (``year``, ``activity_kind``, ``before``, ``batch``) must
    already be columns of ``data``.
    """
    out = data.copy()
    person = employees.reindex(out[nip].to_numpy())
    for name in names:
        if name in PERSON_COLUMNS:
            out[name] = person[name].to_numpy()
        elif name == "age":
            if when is None:
                raise ValueError("age needs a date column")  # pragma: no cover - programming error
            out["age"] = age_years(person["birth_date"].to_numpy(), out[when].to_numpy())
    return out
