"""All indices per regency, unit and year as one JSON-ready dictionary.

``mutu evaluate`` puts this under ``"indices"``; the demo prints from it.  It
only calls the index functions, one call per year (never per employee), and
turns their tables into plain dicts, lists, numbers and strings.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from mutu.indices._common import (
    SearchPath,
    column_cache,
    records,
    require_columns,
    text_column,
)
from mutu.indices._skm_inputs import Population
from mutu.indices.ip_asn import ip_asn
from mutu.indices.jp_compliance import jp_compliance
from mutu.indices.jpm import job_person_match
from mutu.indices.skm import skm
from mutu.indices.trends import index_trend, skm_trend

__all__ = ["indices_overview", "with_position_kind"]


def with_position_kind(employees: pd.DataFrame, positions: pd.DataFrame) -> pd.DataFrame:
    """``employees`` with ``position_kind`` and ``position_level`` from ``positions``.

    ``positions`` has ``code``, ``kind`` and ``level`` (``docs/frames.md``);
    ``employees.position`` holds the code.  An unknown position code leaves
    the kind empty, which the IP ASN then reports as missing for that person.
    """
    require_columns(employees, "employees", ["position"])
    require_columns(positions, "positions", ["code", "kind"])
    kind = pd.Series(text_column(positions, "kind").to_numpy(), index=positions["code"])
    level = (
        pd.Series(text_column(positions, "level").to_numpy(), index=positions["code"])
        if "level" in positions.columns
        else pd.Series(pd.NA, index=positions["code"], dtype="string")
    )
    out = employees.copy()
    out["position_kind"] = out["position"].map(kind)
    out["position_level"] = out["position"].map(level)
    return out


def _first(frame: pd.DataFrame) -> dict[str, Any]:
    """The first row of a one-row table, keeping each column's type (ints stay ints)."""
    return records(frame.reset_index(drop=True).head(1))[0]


def indices_overview(
    *,
    employees: pd.DataFrame,
    years: Sequence[int],
    ledger: pd.DataFrame | None = None,
    trainings: pd.DataFrame | None = None,
    performance: pd.DataFrame | None = None,
    discipline: pd.DataFrame | None = None,
    skm_responses: pd.DataFrame | None = None,
    skm_population: Population = None,
    units: pd.DataFrame | None = None,
    positions: pd.DataFrame | None = None,
    assessments: pd.DataFrame | None = None,
    standards: pd.DataFrame | None = None,
    search_path: SearchPath = None,
) -> dict[str, Any]:
    """The indices per regency, unit and year, ready for ``json.dumps``.

    Parameters
    ----------
    employees
        ``nip``, ``status``, ``unit``, ``education_level`` and
        ``position_kind`` (or ``position`` with ``positions`` given).  The
        same employees are assessed every year (a snapshot).
    years
        The calendar years to report.  IP ASN is measured on 31 December of
        each year (SKP of the year before); JP compliance per calendar year;
        JPM with the assessments up to 31 December.
    ledger, trainings, performance, discipline
        The inputs of :func:`~mutu.indices.jp_compliance` and
        :func:`~mutu.indices.ip_asn`; an index whose inputs are ``None`` is
        left out (``ip_asn`` needs at least ``performance``).
    skm_responses
        Wide SKM answers (see :func:`~mutu.indices.frames.skm_wide`) with
        ``unit`` and ``date``/``year``.
    skm_population
        Service population per unit for the sample check (optional).
    units
        ``code`` and ``kind`` of the units, for IKM per unit kind.
    positions
        ``code``, ``kind``, ``level`` of positions (when ``employees`` has
        ``position`` but no ``position_kind``).
    assessments, standards
        The inputs of :func:`~mutu.indices.job_person_match` (per-position
        standards, linked through ``employees.position``); the JPM runs over
        the assessed competencies (``missing="assessed"``).
    search_path
        Folders searched for rulebook versions.

    Returns
    -------
    dict
        ``years``; ``regency[year][index]``; ``units[unit][year][index]``;
        ``skm_by_unit_kind[year][kind]``; ``trends`` (regency series of the
        IP ASN mean, the share of PNS meeting the JP floor and the IKM with
        its Welch interval, and the IKM change per unit); ``rulebooks`` (the
        versions used per index); ``unconfirmed``; ``fallbacks``.  Missing
        numbers are ``None``; years are string keys.
    """
    emp = employees
    if positions is not None and "position_kind" not in emp.columns:
        emp = with_position_kind(emp, positions)
    out: dict[str, Any] = {
        "years": [int(y) for y in years],
        "regency": {},
        "units": {},
        "skm_by_unit_kind": {},
        "trends": {"regency": {}, "units_ikm": []},
        "rulebooks": {},
        "unconfirmed": [],
        "fallbacks": [],
    }
    unconfirmed: set[str] = set()
    fallbacks: set[str] = set()
    used: dict[str, set[str]] = {}

    def put(year: int, index: str, regency: dict[str, Any], per_unit: pd.DataFrame) -> None:
        out["regency"].setdefault(str(year), {})[index] = regency
        for row in records(per_unit):
            unit = str(row.pop("unit"))
            out["units"].setdefault(unit, {}).setdefault(str(year), {})[index] = row

    def note(index: str, label: str, flags: Sequence[str]) -> None:
        used.setdefault(index, set()).update(label.split("; "))
        unconfirmed.update(flags)

    inputs = [emp, employees, ledger, trainings, performance, discipline, skm_responses]
    inputs += [units, positions, assessments, standards]
    with column_cache(inputs):
        ip_rows: list[dict[str, Any]] = []
        jp_rows: list[dict[str, Any]] = []
        for year in (int(y) for y in years):
            if ledger is not None:
                jp = jp_compliance(ledger, emp, year=year, search_path=search_path)
                reg_jp = _first(jp.regency)
                reg_jp["floor_jp"] = float(jp.floor_jp)
                reg_jp["distribution"] = _jp_distribution(jp.persons, jp.floor_jp)
                put(year, "jp", reg_jp, jp.units)
                note("jp", jp.rulebook, jp.unconfirmed)
                jp_rows.append({"year": year, "value": jp.share_pns_compliant})
            if performance is not None:
                ip = ip_asn(
                    emp,
                    on=date(year, 12, 31),
                    trainings=trainings,
                    performance=performance,
                    discipline=discipline,
                    search_path=search_path,
                )
                reg = _first(ip.regency)
                reg.update(band_label=ip.band_label, band_label_en=ip.band_label_en)
                put(year, "ip_asn", reg, ip.units)
                note("ip_asn", ip.rulebook, ip.unconfirmed)
                fallbacks.update(ip.fallbacks)
                ip_rows.append({"year": year, "value": ip.mean_total})
            if assessments is not None and standards is not None:
                jpm = job_person_match(
                    assessments,
                    standards,
                    employees=emp,
                    on=date(year, 12, 31),
                    missing="assessed",
                    search_path=search_path,
                )
                reg = _first(jpm.regency)
                reg["top_gaps"] = records(jpm.regency_gaps.head(5))
                put(year, "jpm", reg, jpm.units)
                note("jpm", jpm.rulebook, jpm.unconfirmed)
        if skm_responses is not None:
            _skm(out, skm_responses, years, skm_population, units, search_path, note)
    trends = out["trends"]["regency"]
    if ip_rows:
        trends["ip_asn_mean"] = records(index_trend(pd.DataFrame(ip_rows), value="value").frame)
    if jp_rows:
        trends["jp_share_pns_compliant"] = records(
            index_trend(pd.DataFrame(jp_rows), value="value").frame
        )
    out["rulebooks"] = {k: sorted(v) for k, v in sorted(used.items())}
    out["unconfirmed"] = sorted(unconfirmed)
    out["fallbacks"] = sorted(fallbacks)
    return out


def _jp_distribution(persons: pd.DataFrame, floor: float) -> dict[str, list[float] | list[int]]:
    """Counts of PNS by JP earned, in bins of a quarter of the floor.

    Bins run from 0 to three times the floor; one more bin of the same width
    holds everyone at or above three times the floor (its edges are
    ``[3·floor, 3·floor + step]``, so the chart keeps an even scale).
    """
    pns = persons.loc[persons["status"] == "PNS", "jp"].astype(float).to_numpy()
    step = floor / 4 if floor > 0 else 5.0
    top = max(3 * floor, step)
    n_bins = round(top / step) + 1
    edges = [round(step * i, 6) for i in range(n_bins + 1)]
    clipped = np.minimum(pns, top + step / 2)
    counts, _ = np.histogram(clipped, bins=np.asarray(edges, dtype=float))
    return {"edges": edges, "counts": [int(c) for c in counts]}


def _skm(
    out: dict[str, Any],
    responses: pd.DataFrame,
    years: Sequence[int],
    population: Population,
    units: pd.DataFrame | None,
    search_path: SearchPath,
    note: Any,
) -> None:
    data = responses
    if "year" not in data.columns:
        data = data.assign(year=pd.to_datetime(data["date"]).dt.year)
    data = data[data["year"].isin([int(y) for y in years]).to_numpy()]
    if len(data) == 0:
        return
    per_unit = skm(data, by=["unit", "year"], population=population, search_path=search_path)
    note("skm", per_unit.rulebook, per_unit.unconfirmed)
    drop = ["reference_date", "rulebook"]
    for row in records(per_unit.groups.drop(columns=drop)):
        unit, year = str(row.pop("unit")), str(int(row.pop("year")))
        out["units"].setdefault(unit, {}).setdefault(year, {})["skm"] = row
    per_year = skm(data, by="year", search_path=search_path)
    for row in records(per_year.groups.drop(columns=[*drop, "population"])):
        out["regency"].setdefault(str(int(row.pop("year"))), {})["skm"] = row
    if per_year.groups.shape[0] > 0:
        out["trends"]["regency"]["ikm"] = records(skm_trend(per_year).frame)
    out["trends"]["units_ikm"] = records(skm_trend(per_unit).frame)
    if units is not None:
        require_columns(units, "units", ["code", "kind"])
        kinds: Mapping[Any, Any] = dict(zip(units["code"], text_column(units, "kind"), strict=True))
        by_kind = data.assign(unit_kind=data["unit"].map(kinds))
        result = skm(by_kind, by=["unit_kind", "year"], search_path=search_path)
        for row in records(result.groups.drop(columns=[*drop, "population"])):
            kind, year = str(row.pop("unit_kind")), str(int(row.pop("year")))
            out["skm_by_unit_kind"].setdefault(year, {})[kind] = row
