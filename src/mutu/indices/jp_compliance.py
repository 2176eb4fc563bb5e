"""The yearly JP rule: a PNS floor, a PPPK ceiling (PP 17/2020; PP 49/2018).

A PNS must reach at least 20 JP of competency development a year (PP 11/2017
as amended by PP 17/2020, Pasal 203(4)); a PPPK gets at most 24 JP per
contract year (PP 49/2018 Pasal 40).  1 JP = 45 minutes (Peraturan LAN
5/2018).  All three numbers come from the ``jp`` rulebook.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from mutu.evaluation.result import Result, check_lang, format_number
from mutu.indices._common import (
    Flags,
    IndexInputError,
    SearchPath,
    date_column,
    isin,
    nip_column,
    numeric_column,
    pick_rulebook,
    refuse_rows,
    require_columns,
    share,
    text_column,
    unique_nips,
    unit_column,
)
from mutu.rulebooks import Rulebook

__all__ = ["APPROVAL_STATUSES", "JpComplianceResult", "check_employees", "jp_compliance"]

#: Values of ``approval_status`` (programs.ApprovalStatus); only ``approved`` counts.
APPROVAL_STATUSES = ("approved", "pending", "rejected")
#: Totals are rounded to this many decimals before comparing, to drop binary noise
#: (15 entries of 60 minutes are 20 JP, not 19.999999999999996).
_DECIMALS = 6


@dataclass(frozen=True, eq=False)
class JpComplianceResult(Result):
    """JP earned in a year per ASN, the floor or ceiling it is held to, per unit and regency.

    Attributes
    ----------
    year
        The calendar year assessed.
    persons
        One row per employee (index ``nip``): ``unit``, ``status``, ``jp``
        (approved JP earned in the year), ``limit`` (the PNS floor or the
        PPPK ceiling), ``compliant``, ``state`` (``memenuhi`` /
        ``belum_memenuhi`` for PNS, ``dalam_batas`` / ``melebihi_batas`` for
        PPPK), ``deficit`` (JP short of the floor, PNS; else NaN), ``excess``
        (JP over the ceiling, PPPK; else NaN), ``entries`` (approved ledger
        rows counted).
    units
        One row per unit (index ``unit``): ``n``, ``n_pns``, ``pns_compliant``,
        ``share_pns_compliant``, ``mean_jp_pns``, ``deficit_jp``, ``n_pppk``,
        ``pppk_within``, ``share_pppk_within``, ``share_compliant``.
    regency
        The same columns for all employees, one row (index ``"regency"``).
    n, n_pns, share_pns_compliant, n_pppk, share_pppk_within, share_compliant
        Regency totals and shares (0–1; ``None`` when there is nobody to share).
    floor_jp, ceiling_jp, minutes_per_jp
        The rule applied.
    entries_counted, entries_not_approved
        Ledger rows of the year that counted / were pending or rejected.
    rulebook, unconfirmed
        The ``jp`` version used and its unconfirmed values used (``jp.<key>``).
    """

    year: int
    persons: pd.DataFrame = field(repr=False)
    units: pd.DataFrame = field(repr=False)
    regency: pd.DataFrame = field(repr=False)
    n: int
    n_pns: int
    share_pns_compliant: float | None
    n_pppk: int
    share_pppk_within: float | None
    share_compliant: float | None
    floor_jp: float
    ceiling_jp: float
    minutes_per_jp: float
    entries_counted: int
    entries_not_approved: int
    rulebook: str
    unconfirmed: tuple[str, ...]

    def to_frame(self) -> pd.DataFrame:
        """The ``persons`` table."""
        return self.persons.copy()

    def summary(self, lang: str = "id") -> str:
        """Share of PNS meeting the floor and of PPPK within the ceiling."""
        lang = check_lang(lang)
        reg = self.regency.iloc[0]
        pns_pct = format_number(_pct(self.share_pns_compliant), 1, lang)
        pppk_pct = format_number(_pct(self.share_pppk_within), 1, lang)
        floor = format_number(self.floor_jp, 0, lang)
        ceiling = format_number(self.ceiling_jp, 0, lang)
        deficit = format_number(float(reg["deficit_jp"]), 2, lang)
        met = int(reg["pns_compliant"])
        within = int(reg["pppk_within"])
        if lang == "id":
            text = (
                f"Tahun {self.year}: {pns_pct}% PNS ({met} dari {self.n_pns}) memenuhi minimal "
                f"{floor} JP; kekurangan seluruhnya {deficit} JP."
            )
            if self.n_pppk:
                text += f" {pppk_pct}% PPPK ({within} dari {self.n_pppk}) dalam batas {ceiling} JP."
            if self.entries_not_approved:
                text += (
                    f" {self.entries_not_approved} entri JP belum/tidak disetujui "
                    "dan tidak dihitung."
                )
            return f"{text} Aturan: {self.rulebook}."
        text = (
            f"In {self.year}: {pns_pct}% of PNS ({met} of {self.n_pns}) reached the {floor} JP "
            f"floor; the total shortfall is {deficit} JP."
        )
        if self.n_pppk:
            text += f" {pppk_pct}% of PPPK ({within} of {self.n_pppk}) stayed within {ceiling} JP."
        if self.entries_not_approved:
            text += f" {self.entries_not_approved} JP entries not approved were not counted."
        return f"{text} Rule: {self.rulebook}."


def _pct(value: float | None) -> float | None:
    return None if value is None else 100.0 * value


def check_employees(employees: pd.DataFrame, *, need: tuple[str, ...] = ()) -> pd.DataFrame:
    """Validated ``nip``, ``status`` (PNS/PPPK) and ``unit`` of an employees frame, by NIP.

    Raises
    ------
    IndexInputError
        For a missing column, an empty or repeated NIP, a status other than
        PNS/PPPK or an empty unit, naming the rows.
    """
    name = "employees"
    require_columns(employees, name, ["nip", "unit", *need])
    nips = unique_nips(employees, name)
    unit = unit_column(employees, name)
    out = pd.DataFrame({"nip": nips, "unit": unit}, index=employees.index)
    if "status" in need:
        status = text_column(employees, "status").str.upper()
        bad = ~status.isin(["PNS", "PPPK"]).fillna(False).astype(bool)
        refuse_rows(
            name, bad, employees.index, "status harus PNS atau PPPK", "status must be PNS or PPPK"
        )
        out["status"] = status
    return out.set_index("nip")


def _ledger_year(ledger: pd.DataFrame) -> pd.Series:
    name = "ledger"
    if "year" in ledger.columns:
        year = numeric_column(ledger, "year", name)
    elif "date" in ledger.columns:
        year = date_column(ledger, "date", name).dt.year.astype(float)
    else:
        raise IndexInputError(
            "ledger: perlu kolom year atau date.",
            "ledger: a year or date column is needed.",
            field=name,
        )
    refuse_rows(name, year.isna(), ledger.index, "tahun kosong", "year is empty")
    return year


def jp_compliance(
    ledger: pd.DataFrame,
    employees: pd.DataFrame,
    *,
    year: int,
    rulebook: Rulebook | None = None,
    search_path: SearchPath = None,
) -> JpComplianceResult:
    r"""JP earned in a year per ASN against the PNS floor or the PPPK ceiling.

    Parameters
    ----------
    ledger
        One row per JP ledger entry (``programs.JpLedgerEntry``): ``nip``;
        ``year`` (or ``date``); ``jp`` and/or ``minutes`` (an entry's JP is
        its ``jp``, or ``minutes`` ÷ minutes-per-JP when ``jp`` is empty, as
        the model derives it); ``approval_status`` (``approved``, ``pending``
        or ``rejected``).  Only approved entries of ``year`` count.
    employees
        One row per ASN to assess: ``nip``, ``status`` (``PNS``/``PPPK``),
        ``unit`` (unit code).  Pass the people employed in the year; an
        employee without ledger rows earned 0 JP.
    year
        Calendar year assessed.
    rulebook
        A ``jp`` rulebook; by default the version in force on 31 December of
        ``year``.
    search_path
        Folders searched for rulebook versions.

    Returns
    -------
    JpComplianceResult

    Raises
    ------
    IndexInputError
        For a ledger row whose NIP is not among the employees, a negative or
        non-numeric ``jp`` / ``minutes``, a row with neither, an unknown
        ``approval_status``, or a bad employees frame; the message names the
        rows.

    Notes
    -----
    :math:`\mathrm{JP}_p = \sum \mathrm{jp} + (\sum \mathrm{minutes}) / 45` over
    the person's approved entries of the year, the minutes summed before
    dividing (900 minutes are exactly 20 JP), rounded to 6 decimals to drop
    binary noise.  A PNS complies when :math:`\mathrm{JP}_p \ge 20`; the
    deficit is :math:`\max(0, 20 - \mathrm{JP}_p)`.  A PPPK complies when
    :math:`\mathrm{JP}_p \le 24` (a ceiling, PP 49/2018 Pasal 40); its
    contract year is taken as the calendar year, since the ledger holds no
    contract dates.

    References
    ----------
    PP 11/2017 as amended by PP 17/2020, Pasal 203(4); PP 49/2018 Pasal 40;
    Peraturan LAN 5/2018 (1 JP = 45 minutes).
    """
    book = pick_rulebook("jp", rulebook, date(int(year), 12, 31), search_path)
    flags = Flags()
    mpj = _number(book, "minutes_per_jp", flags)
    floor = _number(book, "pns_min_jp_per_year", flags)
    ceiling = _number(book, "pppk_max_jp_per_contract_year", flags)

    people = check_employees(employees, need=("status",))
    name = "ledger"
    require_columns(ledger, name, ["nip", "approval_status"])
    if "jp" not in ledger.columns and "minutes" not in ledger.columns:
        raise IndexInputError(
            "ledger: perlu kolom jp atau minutes.",
            "ledger: a jp or minutes column is needed.",
            field=name,
        )
    nips = nip_column(ledger, name)
    stranger = ~isin(nips, people.index)
    refuse_rows(
        name,
        stranger,
        ledger.index,
        "NIP tidak ada di daftar pegawai",
        "NIP is not among the employees",
    )
    status = text_column(ledger, "approval_status").str.lower()
    refuse_rows(
        name,
        ~status.isin(APPROVAL_STATUSES).fillna(False).astype(bool),
        ledger.index,
        f"approval_status harus salah satu dari {', '.join(APPROVAL_STATUSES)}",
        f"approval_status must be one of {', '.join(APPROVAL_STATUSES)}",
    )
    nan = pd.Series(np.nan, index=ledger.index)
    jp = numeric_column(ledger, "jp", name) if "jp" in ledger.columns else nan
    minutes = numeric_column(ledger, "minutes", name) if "minutes" in ledger.columns else nan
    for values, col in ((jp, "jp"), (minutes, "minutes")):
        refuse_rows(
            name,
            (values < 0) | np.isinf(values),
            ledger.index,
            f"{col} negatif atau tak hingga",
            f"{col} is negative or infinite",
        )
    refuse_rows(
        name,
        jp.isna() & minutes.isna(),
        ledger.index,
        "jp dan minutes sama-sama kosong",
        "both jp and minutes are empty",
    )
    in_year = _ledger_year(ledger) == int(year)
    counted = in_year & (status == "approved")
    if bool((counted & jp.isna()).any()):
        flags.use(book, "minutes_per_jp")
    frame = pd.DataFrame(
        {
            "nip": nips[counted],
            "jp": jp[counted].fillna(0.0),
            "minutes": minutes[counted].where(jp[counted].isna(), 0.0).fillna(0.0),
        }
    )
    per = frame.groupby("nip").agg(
        jp=("jp", "sum"), minutes=("minutes", "sum"), entries=("jp", "size")
    )
    earned = (per["jp"] + per["minutes"] / mpj).round(_DECIMALS)

    persons = people.copy()
    persons["jp"] = earned.reindex(persons.index).fillna(0.0)
    persons["entries"] = per["entries"].reindex(persons.index).fillna(0).astype(int)
    is_pns = persons["status"] == "PNS"
    persons["limit"] = np.where(is_pns, floor, ceiling)
    persons["compliant"] = np.where(is_pns, persons["jp"] >= floor, persons["jp"] <= ceiling)
    persons["state"] = np.select(
        [is_pns & persons["compliant"], is_pns, persons["compliant"]],
        ["memenuhi", "belum_memenuhi", "dalam_batas"],
        default="melebihi_batas",
    )
    persons["deficit"] = (floor - persons["jp"]).clip(lower=0.0).where(is_pns)
    persons["excess"] = (persons["jp"] - ceiling).clip(lower=0.0).where(~is_pns)
    persons = persons[
        ["unit", "status", "jp", "limit", "compliant", "state", "deficit", "excess", "entries"]
    ]

    units = _aggregate(persons, persons["unit"])
    regency = _aggregate(persons, pd.Series("regency", index=persons.index))
    regency.index.name = None
    reg = regency.iloc[0] if len(regency) else None
    return JpComplianceResult(
        year=int(year),
        persons=persons,
        units=units,
        regency=regency,
        n=len(persons),
        n_pns=int(is_pns.sum()),
        share_pns_compliant=_opt(reg, "share_pns_compliant"),
        n_pppk=int((~is_pns).sum()),
        share_pppk_within=_opt(reg, "share_pppk_within"),
        share_compliant=_opt(reg, "share_compliant"),
        floor_jp=floor,
        ceiling_jp=ceiling,
        minutes_per_jp=mpj,
        entries_counted=int(counted.sum()),
        entries_not_approved=int((in_year & (status != "approved")).sum()),
        rulebook=flags.labels(),
        unconfirmed=flags.unconfirmed(),
    )


def _number(book: Rulebook, key: str, flags: Flags) -> float:
    flags.use(book, key)
    return float(book.decimal(key))


def _opt(row: pd.Series | None, column: str) -> float | None:
    if row is None or pd.isna(row[column]):
        return None
    return float(row[column])


def _aggregate(persons: pd.DataFrame, key: pd.Series) -> pd.DataFrame:
    """Counts and shares per value of ``key`` (a unit, or one label for the regency)."""
    is_pns = persons["status"] == "PNS"
    work = pd.DataFrame(
        {
            "key": key.to_numpy(),
            "one": 1,
            "pns": is_pns.astype(int).to_numpy(),
            "pns_ok": (is_pns & persons["compliant"]).astype(int).to_numpy(),
            "jp_pns": persons["jp"].where(is_pns).to_numpy(),
            "deficit": persons["deficit"].fillna(0.0).to_numpy(),
            "pppk": (~is_pns).astype(int).to_numpy(),
            "pppk_ok": (~is_pns & persons["compliant"]).astype(int).to_numpy(),
            "ok": persons["compliant"].astype(int).to_numpy(),
        }
    )
    g = work.groupby("key", sort=True)
    out = pd.DataFrame(
        {
            "n": g["one"].sum(),
            "n_pns": g["pns"].sum(),
            "pns_compliant": g["pns_ok"].sum(),
            "mean_jp_pns": g["jp_pns"].mean(),
            "deficit_jp": g["deficit"].sum().round(_DECIMALS),
            "n_pppk": g["pppk"].sum(),
            "pppk_within": g["pppk_ok"].sum(),
        }
    )
    out["share_pns_compliant"] = share(out["pns_compliant"], out["n_pns"])
    out["share_pppk_within"] = share(out["pppk_within"], out["n_pppk"])
    out["share_compliant"] = share(g["ok"].sum(), out["n"])
    out.index.name = "unit"
    return out
