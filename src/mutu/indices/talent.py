"""The talent 9-box: kinerja × potensial (PermenPANRB 3/2020).

Kinerja (vertical) and potensial (horizontal) are each cut into three levels;
the box number comes from the ``nine_box`` rulebook's ``grid`` (top row 4 · 7
· 9, middle 2 · 5 · 8, bottom 1 · 3 · 6).  Boxes 7–9 form the agency's
succession pool, box 9 feeds the national pool, provided the track record
holds (no sedang/berat sanction in the look-back window).  The thresholds that
turn an SKP predikat and an assessment score into levels are editable
defaults, marked unconfirmed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from mutu.evaluation.result import Result, check_lang, format_number
from mutu.indices._common import (
    Flags,
    SearchPath,
    date_column,
    join_per_group,
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
from mutu.rulebooks import Rulebook, RulebookError

__all__ = ["TalentBoxResult", "talent_box"]


@dataclass(frozen=True, eq=False)
class TalentBoxResult(Result):
    """The 9-box of each ASN and the box counts per unit.

    Attributes
    ----------
    persons
        Index ``nip``: ``unit`` (when employees were given), ``kinerja_level``
        and ``potensial_level`` (1–3, nullable), ``box`` (1–9, nullable),
        ``track_record_ok``, ``succession_pool``, ``national_pool``,
        ``skp_years`` (SKP years used), ``missing``.
    units
        Index ``unit`` (all in one ``"regency"`` row when units are unknown):
        ``n``, ``n_boxed``, ``n_box_1`` … ``n_box_9``, ``n_succession_pool``,
        ``share_succession_pool`` (of the boxed).
    year
        Last SKP year of the look-back window.
    rulebook, unconfirmed
        The ``nine_box`` version used and its unconfirmed values used.
    """

    persons: pd.DataFrame = field(repr=False)
    units: pd.DataFrame = field(repr=False)
    year: int
    n: int
    n_boxed: int
    n_succession_pool: int
    rulebook: str
    unconfirmed: tuple[str, ...]

    def to_frame(self) -> pd.DataFrame:
        """The ``persons`` table."""
        return self.persons.copy()

    def summary(self, lang: str = "id") -> str:
        """How many were placed, and how many enter the succession pool."""
        lang = check_lang(lang)
        pct = format_number(
            100.0 * self.n_succession_pool / self.n_boxed if self.n_boxed else None, 1, lang
        )
        if lang == "id":
            return (
                f"9-box {self.year}: {self.n_boxed} dari {self.n} ASN dapat ditempatkan; "
                f"{self.n_succession_pool} ({pct}%) masuk kelompok suksesi (kotak 7–9, rekam "
                f"jejak bersih). Ambang batas belum terkonfirmasi. Aturan: {self.rulebook}."
            )
        return (
            f"9-box {self.year}: {self.n_boxed} of {self.n} ASN could be placed; "
            f"{self.n_succession_pool} ({pct}%) enter the succession pool (boxes 7–9, clean "
            f"track record). The thresholds are unconfirmed. Rule: {self.rulebook}."
        )


def _int_list(book: Rulebook, key: str, flags: Flags) -> list[int]:
    flags.use(book, key)
    return [int(str(v)) for v in book.sequence(key)]


def _grid(book: Rulebook, flags: Flags) -> np.ndarray:
    flags.use(book, "grid")
    rows = [[int(str(v)) for v in row] for row in book.sequence("grid") if isinstance(row, tuple)]
    grid = np.array(rows, dtype=int)
    if grid.shape != (3, 3):
        raise RulebookError(
            f"'grid' di rulebook {book.label} harus 3 × 3.",
            f"'grid' in rulebook {book.label} must be 3 × 3.",
            path=book.origin,
            key="grid",
        )
    return grid


def _potential_levels(potential: pd.DataFrame, book: Rulebook, flags: Flags) -> pd.Series:
    """Potensial level 1–3 per NIP: given as ``level``, or tertiles of ``score`` per cohort."""
    name = "potential"
    require_columns(potential, name, ["nip"])
    nips = unique_nips(potential, name)
    if "level" in potential.columns:
        level = numeric_column(potential, "level", name)
        refuse_rows(
            name,
            level.notna() & ~level.isin([1, 2, 3]),
            potential.index,
            "level harus 1, 2 atau 3",
            "level must be 1, 2 or 3",
        )
        return pd.Series(level.to_numpy(), index=pd.Index(nips.to_numpy(), name="nip"))
    require_columns(potential, name, ["score"])
    flags.use(book, "thresholds.potensial_method")
    method = book.text("thresholds.potensial_method")
    if method != "tertiles":
        raise RulebookError(
            f"Metode potensial '{method}' di {book.label} belum didukung (tertiles).",
            f"Potential method '{method}' in {book.label} is not supported (tertiles).",
            path=book.origin,
            key="thresholds.potensial_method",
        )
    score = numeric_column(potential, "score", name)
    cohort = (
        text_column(potential, "cohort").fillna("")
        if "cohort" in potential.columns
        else pd.Series("", index=potential.index)
    )
    g = score.groupby(cohort)
    q1 = cohort.map(g.quantile(1 / 3)).astype(float)
    q2 = cohort.map(g.quantile(2 / 3)).astype(float)
    level = 1.0 + (score > q1).astype(float) + (score > q2).astype(float)
    return pd.Series(level.where(score.notna()).to_numpy(), index=pd.Index(nips, name="nip"))


def talent_box(
    performance: pd.DataFrame,
    potential: pd.DataFrame,
    *,
    year: int | None = None,
    employees: pd.DataFrame | None = None,
    discipline: pd.DataFrame | None = None,
    rulebook: Rulebook | None = None,
    search_path: SearchPath = None,
) -> TalentBoxResult:
    r"""The 9-box number of each ASN from SKP predikat and potential.

    Parameters
    ----------
    performance
        SKP rows: ``nip``, ``year``, ``predikat`` (``people.SkpPredikat``).
        The years ``year - L + 1`` … ``year`` count (``L`` =
        ``lookback_years``); the kinerja level is the lowest of those years'
        levels (``thresholds.kinerja_from_predikat``).
    potential
        One row per assessed person: ``nip`` and either ``level`` (1–3) or
        ``score`` (with optional ``cohort``: people assessed together); scores
        are cut into levels by tertiles within each cohort
        (``thresholds.potensial_method``; a score above the upper tertile is
        level 3, above the lower one level 2).
    year
        Last SKP year (default: the latest year in ``performance``).
    employees
        Optional ``nip``, ``unit``: every employee gets a row (missing inputs
        named) and units are summarised.
    discipline
        Optional sanctions ``nip``, ``level``, ``decided_on``; one of the
        ``failing_sanction_levels`` decided in the look-back window fails the
        track record.
    rulebook
        A ``nine_box`` rulebook (default: in force on 31 December of ``year``).
    search_path
        Folders searched for rulebook versions.

    Returns
    -------
    TalentBoxResult

    Raises
    ------
    IndexInputError
        For an unknown predikat, a level outside 1–3, repeated NIP(+year), or
        a NIP not among ``employees``.

    Notes
    -----
    Box = ``grid[3 - kinerja][potensial - 1]`` (row 0 = kinerja above
    expectation).  A person lacking either level has no box; ``missing``
    says which.  Pools require the box *and* a clean track record.

    References
    ----------
    PermenPANRB 3/2020 on ASN talent management.
    """
    name = "performance"
    require_columns(performance, name, ["nip", "year", "predikat"])
    nips = nip_column(performance, name)
    years = numeric_column(performance, "year", name)
    refuse_rows(name, years.isna(), performance.index, "tahun kosong", "year is empty")
    last = int(years.max()) if year is None and len(years) else int(year or date.today().year)
    book = pick_rulebook("nine_box", rulebook, date(last, 12, 31), search_path)
    flags = Flags()
    flags.use(book, "lookback_years")
    span = book.integer("lookback_years")
    flags.use(book, "thresholds.kinerja_from_predikat")
    by_pred = {
        str(k): int(str(v)) for k, v in book.table("thresholds.kinerja_from_predikat").items()
    }
    predikat = text_column(performance, "predikat").str.lower().str.replace(" ", "_")
    refuse_rows(
        name,
        ~predikat.isin(list(by_pred)).fillna(False).astype(bool),
        performance.index,
        f"predikat harus salah satu dari {', '.join(by_pred)}",
        f"predikat must be one of {', '.join(by_pred)}",
    )
    refuse_rows(
        name,
        pd.DataFrame({"n": nips, "y": years}).duplicated(keep=False),
        performance.index,
        "NIP+tahun berulang",
        "NIP+year repeated",
    )
    window = (years > last - span) & (years <= last)
    perf = pd.DataFrame({"nip": nips, "year": years, "level": predikat.map(by_pred)})[window]
    kinerja = perf.groupby("nip")["level"].min()
    ordered = perf.sort_values(["nip", "year"], kind="stable")
    skp_years = join_per_group(ordered["nip"], ordered["year"].astype(int))
    potensial = _potential_levels(potential, book, flags)

    if employees is not None:
        require_columns(employees, "employees", ["nip", "unit"])
        index = pd.Index(unique_nips(employees, "employees").to_numpy(), name="nip")
        unit = pd.Series(unit_column(employees, "employees").to_numpy(), index=index)
        for frame, label, who in (
            (performance, "performance", nips),
            (potential, "potential", nip_column(potential, "potential")),
        ):
            refuse_rows(
                label,
                ~who.isin(index),
                frame.index,
                "NIP tidak ada di daftar pegawai",
                "NIP is not among the employees",
            )
    else:
        index = pd.Index(sorted(set(kinerja.index) | set(potensial.index)), name="nip")
        unit = pd.Series("regency", index=index)

    persons = pd.DataFrame(index=index)
    if employees is not None:
        persons["unit"] = unit
    persons["kinerja_level"] = kinerja.reindex(index).astype("Int64")
    persons["potensial_level"] = potensial.reindex(index).astype("Int64")
    grid = _grid(book, flags)
    both = persons["kinerja_level"].notna() & persons["potensial_level"].notna()
    k = persons["kinerja_level"].fillna(1).astype(int).to_numpy()
    p = persons["potensial_level"].fillna(1).astype(int).to_numpy()
    box = pd.Series(grid[3 - k, p - 1], index=index).where(both.to_numpy())
    persons["box"] = box.astype("Int64")
    persons["track_record_ok"] = _track_record(discipline, index, book, flags, last, span)
    succession = set(_int_list(book, "succession_pool_boxes", flags))
    national = set(_int_list(book, "national_pool_boxes", flags))
    persons["succession_pool"] = (box.isin(succession) & persons["track_record_ok"]).astype(bool)
    persons["national_pool"] = (box.isin(national) & persons["track_record_ok"]).astype(bool)
    persons["skp_years"] = skp_years.reindex(index).fillna("")
    persons["missing"] = np.select(
        [
            persons["kinerja_level"].isna() & persons["potensial_level"].isna(),
            persons["kinerja_level"].isna(),
            persons["potensial_level"].isna(),
        ],
        ["kinerja, potensial", "kinerja", "potensial"],
        default="",
    )
    units = _units(persons, unit)
    return TalentBoxResult(
        persons=persons,
        units=units,
        year=last,
        n=len(persons),
        n_boxed=int(both.sum()),
        n_succession_pool=int(persons["succession_pool"].sum()),
        rulebook=flags.labels(),
        unconfirmed=flags.unconfirmed(),
    )


def _track_record(
    discipline: pd.DataFrame | None,
    index: pd.Index,
    book: Rulebook,
    flags: Flags,
    last: int,
    span: int,
) -> pd.Series:
    ok = pd.Series(True, index=index)
    if discipline is None:
        return ok
    name = "discipline"
    require_columns(discipline, name, ["nip", "level", "decided_on"])
    flags.use(book, "failing_sanction_levels")
    failing = [str(v) for v in book.sequence("failing_sanction_levels")]
    nips = nip_column(discipline, name)
    decided = date_column(discipline, "decided_on", name)
    refuse_rows(name, decided.isna(), discipline.index, "decided_on kosong", "no decided_on")
    level = text_column(discipline, "level").str.lower()
    start = pd.Timestamp(date(last - span + 1, 1, 1))
    end = pd.Timestamp(date(last, 12, 31))
    hit = level.isin(failing).fillna(False) & (decided >= start) & (decided <= end)
    bad = set(nips[hit.astype(bool)])
    return ok & ~pd.Series(index.isin(list(bad)), index=index)


def _units(persons: pd.DataFrame, unit: pd.Series) -> pd.DataFrame:
    work = pd.DataFrame(
        {
            "key": unit.reindex(persons.index).to_numpy(),
            "one": 1,
            "boxed": persons["box"].notna().astype(int).to_numpy(),
            "pool": persons["succession_pool"].astype(int).to_numpy(),
        }
    )
    for b in range(1, 10):
        work[f"n_box_{b}"] = (persons["box"] == b).fillna(False).astype(int).to_numpy()
    g = work.groupby("key", sort=True)
    out = pd.DataFrame({"n": g["one"].sum(), "n_boxed": g["boxed"].sum()})
    for b in range(1, 10):
        out[f"n_box_{b}"] = g[f"n_box_{b}"].sum()
    out["n_succession_pool"] = g["pool"].sum()
    out["share_succession_pool"] = share(out["n_succession_pool"], out["n_boxed"])
    out.index.name = "unit"
    return out
