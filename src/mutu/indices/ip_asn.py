"""Indeks Profesionalitas ASN (PermenPANRB 38/2018; Peraturan BKN 8/2019).

The index is the sum of four dimensions' points, 0–100: kualifikasi (highest
education), kompetensi (development in the look-back windows), kinerja (the
SKP) and disiplin (the heaviest sanction).  Every weight, point, look-back and
band comes from the ``ip_asn`` rulebook, many of them unconfirmed; the result
lists the unconfirmed values it used.
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
    join_flags,
    number,
    pick_rulebook,
    require_columns,
    unique_nips,
    unit_column,
)
from mutu.indices._ip_asn_inputs import (
    PATH_OF_KIND,
    form_items,
    read_discipline,
    read_education,
    read_performance,
    read_position_kind,
    read_trainings,
)
from mutu.rulebooks import Rulebook

__all__ = ["DIMENSIONS", "IpAsnResult", "ip_asn"]

#: The four dimensions, in the order of the regulation.
DIMENSIONS = ("kualifikasi", "kompetensi", "kinerja", "disiplin")

Missing = Literal["exclude", "zero"]


@dataclass(frozen=True, eq=False)
class IpAsnResult(Result):
    """IP ASN per ASN, with unit and regency means and band distributions.

    Attributes
    ----------
    on
        The measurement date (look-back windows end here).
    performance_year
        The SKP year used for kinerja.
    persons
        One row per employee (index ``nip``): ``unit``, ``position_kind``,
        ``path`` (``pelaksana`` or ``struktural_fungsional``),
        ``education_level``, the four dimension points, ``total``, ``band``,
        ``band_label`` (Indonesian), ``complete``, ``missing`` (the inputs
        missing, comma-separated), the kompetensi items earned
        (``pelatihan_teknis``, ``seminar_workshop``,
        ``pelatihan_kepemimpinan_fungsional``), ``assumed_relevant`` (an
        activity counted whose relevance was not recorded), ``predikat``,
        ``skp_score`` and ``sanction`` (heaviest level, or the rulebook's
        "never" level).
    units
        Per unit (index ``unit``): ``n``, ``n_scored``, ``n_incomplete``,
        ``mean_total``, ``mean_<dimension>``, ``band_of_mean``, ``n_<band>`` and
        ``share_<band>`` for each band (shares of the scored).
    regency
        The same for all employees, one row (index ``"regency"``).
    n, n_scored, mean_total, band_of_mean, band_label, band_label_en
        Regency figures: the mean and its band (code and labels); ``None``
        when nobody was scored.
    missing_policy
        ``"exclude"`` (an incomplete person has no total) or ``"zero"``.
    rulebook, unconfirmed
        The versions used (``ip_asn 2019.1``) and ``"<rulebook>.<key>"`` of the
        unconfirmed values that entered the result.
    fallbacks
        Rulebook keys absent from the version used, filled by a documented
        default in code (e.g. ``kompetensi.forms.seminar_workshop``).
    """

    on: date
    performance_year: int
    persons: pd.DataFrame = field(repr=False)
    units: pd.DataFrame = field(repr=False)
    regency: pd.DataFrame = field(repr=False)
    n: int
    n_scored: int
    mean_total: float | None
    band_of_mean: str | None
    band_label: str | None
    band_label_en: str | None
    missing_policy: str
    rulebook: str
    unconfirmed: tuple[str, ...]
    fallbacks: tuple[str, ...]

    def to_frame(self) -> pd.DataFrame:
        """The ``persons`` table."""
        return self.persons.copy()

    def summary(self, lang: str = "id") -> str:
        """Regency mean and band, how many were scored, and what is unconfirmed."""
        lang = check_lang(lang)
        mean = format_number(self.mean_total, 2, lang)
        band = (self.band_label_en if lang == "en" else self.band_label) or "–"
        k = len(self.unconfirmed)
        if lang == "id":
            text = (
                f"IP ASN per {self.on.isoformat()}: rata-rata {mean} ({band}) dari "
                f"{self.n_scored} ASN yang datanya lengkap (dari {self.n})."
            )
            if k:
                text += f" {k} nilai aturan yang dipakai belum terkonfirmasi."
            if self.fallbacks:
                text += f" Nilai bawaan kode dipakai untuk: {', '.join(self.fallbacks)}."
            return f"{text} Aturan: {self.rulebook}."
        text = (
            f"IP ASN on {self.on.isoformat()}: mean {mean} ({band}) over {self.n_scored} ASN "
            f"with complete data (of {self.n})."
        )
        if k:
            text += f" {k} rule values used are unconfirmed."
        if self.fallbacks:
            text += f" Code defaults were used for: {', '.join(self.fallbacks)}."
        return f"{text} Rule: {self.rulebook}."


def ip_asn(
    employees: pd.DataFrame,
    *,
    on: date | str,
    trainings: pd.DataFrame | None = None,
    performance: pd.DataFrame | None = None,
    discipline: pd.DataFrame | None = None,
    performance_year: int | None = None,
    missing: Missing = "exclude",
    rulebook: Rulebook | None = None,
    search_path: SearchPath = None,
) -> IpAsnResult:
    r"""IP ASN of every employee on a date, with unit and regency summaries.

    Parameters
    ----------
    employees
        One row per ASN: ``nip``, ``unit``, ``position_kind``
        (``people.PositionKind``: ``jpt_utama`` … ``pelaksana``),
        ``education_level`` (SD … S3; empty = missing).
    on
        The measurement date: look-back windows end on it and the rulebook
        in force on it is used.
    trainings
        Development history: ``nip``, ``form`` (a code of
        :mod:`mutu.domain.development_forms`), ``jp`` (or ``minutes``),
        ``end`` (date finished), optional ``relevant`` (true when the
        activity fits the position; empty = not recorded) and optional
        ``approval_status`` (then only ``approved`` rows count).  ``None``
        means the history is unknown: kompetensi is missing for everyone.
        An empty frame means nobody had any development.
    performance
        SKP: ``nip``, ``year``, ``predikat`` (``people.SkpPredikat``) and/or
        ``score`` (0–100, used when the predikat is empty).  ``None`` means
        kinerja is missing for everyone.
    discipline
        Sanctions: ``nip``, ``level`` (``ringan``/``sedang``/``berat``),
        ``decided_on``.  ``None`` means disiplin is missing for everyone; an
        empty frame means nobody was sanctioned.
    performance_year
        The SKP year scored (default: the year before ``on``).
    missing
        ``"exclude"`` (default): a person missing an input gets no total and
        is left out of means, counted in ``n_incomplete``.  ``"zero"``: a
        missing dimension scores 0 (unrecorded data earns no points).  Either
        way ``missing`` names the inputs per person.
    rulebook
        An ``ip_asn`` rulebook (default: the version in force on ``on``).
    search_path
        Folders searched for rulebook versions.

    Returns
    -------
    IpAsnResult

    Raises
    ------
    IndexInputError
        For a repeated NIP, an unknown position kind, education level, form
        code, predikat or sanction level, a history row whose NIP is not
        among the employees, or other bad values; the message names the rows.

    Notes
    -----
    :math:`\mathrm{IP} = K_{ual} + K_{om} + K_{in} + D`, each capped at its
    weight (``weights.*``: 25, 40, 30, 5).

    - Kualifikasi: ``kualifikasi.<education>``.
    - Kompetensi: per scoring path (``pelaksana`` for pelaksana, else
      ``struktural_fungsional``) each item of ``kompetensi.<path>`` scores
      its points once when earned: ``pelatihan_teknis`` — a technical
      training of at least ``kompetensi.pelatihan_teknis_min_jp`` JP;
      ``seminar_workshop`` — a seminar, workshop, magang or kursus;
      ``pelatihan_kepemimpinan_fungsional`` — PKN/PKA/PKP or a functional
      training.  An activity counts when it ended in
      :math:`(on - L, on]`, :math:`L` = ``lookback_years.<form>`` (else
      ``lookback_years.<item>``; no limit when neither exists, as for
      leadership training), and, except for technical training, when it
      is not marked irrelevant.
    - Kinerja: ``kinerja.predikat_points.<predikat>`` of the SKP of
      ``performance_year``; with only a score, the category of
      ``kinerja.categories`` it falls in, then ``kinerja.points.<category>``.
    - Disiplin: ``disiplin.points.<level>`` of the heaviest sanction decided
      on or before ``on`` (within ``lookback_years.disiplin`` years when the
      rulebook has that key), else the first level of ``disiplin.levels``
      ("never").

    The band is the one with the highest ``min`` not above the total.

    References
    ----------
    PermenPANRB 38/2018 on measuring the IP ASN; Peraturan BKN 8/2019 (its
    guideline); PermenPANRB 6/2022 (SKP predikat); PP 94/2021 (sanctions).
    """
    when = as_date(on)
    if missing not in ("exclude", "zero"):
        raise IndexInputError(
            f"missing harus 'exclude' atau 'zero', bukan {missing!r}.",
            f"missing must be 'exclude' or 'zero', not {missing!r}.",
            field="missing",
        )
    book = pick_rulebook("ip_asn", rulebook, when, search_path)
    flags = Flags()
    year = when.year - 1 if performance_year is None else int(performance_year)

    require_columns(employees, "employees", ["nip", "unit", "position_kind", "education_level"])
    nips = unique_nips(employees, "employees")
    unit = unit_column(employees, "employees")
    people = pd.DataFrame(
        {
            "unit": unit.to_numpy(),
            "position_kind": read_position_kind(employees).to_numpy(),
            "education_level": read_education(employees).to_numpy(),
        },
        index=pd.Index(nips.to_numpy(), name="nip"),
    )
    people["path"] = people["position_kind"].map(dict(PATH_OF_KIND)).astype("string")
    known = people.index
    caps = {d: number(book, f"weights.{d}", flags) for d in DIMENSIONS}
    gaps: dict[str, pd.Series] = {}

    # -- kualifikasi ----------------------------------------------------------
    edu = people["education_level"]
    points = {lvl: number(book, f"kualifikasi.{lvl}", flags) for lvl in edu.dropna().unique()}
    people["kualifikasi"] = edu.map(points).astype(float).clip(upper=caps["kualifikasi"])
    gaps["education_level"] = edu.isna()

    # -- kompetensi -----------------------------------------------------------
    fallbacks = _kompetensi(people, trainings, book, when, search_path, flags, caps["kompetensi"])
    gaps["position_kind"] = people["path"].isna()
    gaps["trainings"] = pd.Series(trainings is None, index=known)

    # -- kinerja --------------------------------------------------------------
    if performance is None:
        people["kinerja"] = np.nan
        people["predikat"] = pd.Series(pd.NA, index=known, dtype="string")
        people["skp_score"] = np.nan
    else:
        _kinerja(people, read_performance(performance, known, year), book, flags)
    people["kinerja"] = people["kinerja"].clip(upper=caps["kinerja"])
    gaps["kinerja"] = people["kinerja"].isna()

    # -- disiplin -------------------------------------------------------------
    _disiplin(people, discipline, book, when, flags)
    people["disiplin"] = people["disiplin"].clip(upper=caps["disiplin"])
    gaps["disiplin"] = people["disiplin"].isna()

    # -- total and band ---------------------------------------------------------
    gap_frame = pd.DataFrame(gaps)
    people["missing"] = join_flags(gap_frame)
    people["complete"] = ~gap_frame.any(axis=1)
    dims = people[list(DIMENSIONS)]
    if missing == "zero":
        people["total"] = dims.fillna(0.0).sum(axis=1)
    else:
        people["total"] = dims.sum(axis=1, min_count=4).where(people["complete"])
    band_records = bands(book, "bands", "code", flags)
    people["band"] = band_of(people["total"], band_records, "code")
    people["band_label"] = people["band"].map(band_label(band_records, "code", "id"))
    order = [
        "unit",
        "position_kind",
        "path",
        "education_level",
        *DIMENSIONS,
        "total",
        "band",
        "band_label",
        "complete",
        "missing",
    ]
    people = people[order + [c for c in people.columns if c not in order]]

    units = band_summary(
        people, people["unit"], value="total", band_records=band_records, means=DIMENSIONS
    )
    everyone = pd.Series("regency", index=people.index)
    regency = band_summary(
        people, everyone, value="total", band_records=band_records, means=DIMENSIONS
    )
    regency.index.name = None
    reg = regency.iloc[0] if len(regency) else None
    mean_total = None if reg is None or pd.isna(reg["mean_total"]) else float(reg["mean_total"])
    band = None if reg is None or pd.isna(reg["band_of_mean"]) else str(reg["band_of_mean"])
    return IpAsnResult(
        on=when,
        performance_year=year,
        persons=people,
        units=units,
        regency=regency,
        n=len(people),
        n_scored=int(people["total"].notna().sum()),
        mean_total=mean_total,
        band_of_mean=band,
        band_label=None if band is None else band_label(band_records, "code", "id")[band],
        band_label_en=None if band is None else band_label(band_records, "code", "en")[band],
        missing_policy=missing,
        rulebook=flags.labels(),
        unconfirmed=flags.unconfirmed(),
        fallbacks=tuple(fallbacks),
    )


def _kompetensi(
    people: pd.DataFrame,
    trainings: pd.DataFrame | None,
    book: Rulebook,
    on: date,
    search_path: SearchPath,
    flags: Flags,
    cap: float,
) -> list[str]:
    """Add the kompetensi points and the items earned per person; return the fallback keys."""
    paths = sorted(set(people["path"].dropna()))
    item_points = {
        path: {
            item: number(book, f"kompetensi.{path}.{item}", flags) for item in _items(book, path)
        }
        for path in paths
    }
    items = sorted({item for pts in item_points.values() for item in pts})
    for item in ("pelatihan_teknis", "seminar_workshop", "pelatihan_kepemimpinan_fungsional"):
        people[item] = False
    people["assumed_relevant"] = False
    if trainings is None:
        people["kompetensi"] = np.nan
        return []
    form_item, fallbacks = form_items(book, set(items), flags)
    t = read_trainings(trainings, people.index, on, search_path, flags)
    t["item"] = t["form"].map(form_item)
    t = t[t["item"].notna()]
    lookback = _lookbacks(book, t, flags)
    end_day = pd.Timestamp(on)
    cutoff = pd.Series(pd.NaT, index=t.index, dtype="datetime64[ns]")
    for years in lookback.dropna().unique():
        start = end_day - pd.DateOffset(months=round(12 * float(years)))
        cutoff = cutoff.mask(lookback == years, start)
    window = (t["end"] <= end_day) & (cutoff.isna() | (t["end"] > cutoff))
    min_jp = np.inf
    if "pelatihan_teknis" in items and (t["item"] == "pelatihan_teknis").any():
        min_jp = number(book, "kompetensi.pelatihan_teknis_min_jp", flags)
    teknis = (t["item"] == "pelatihan_teknis") & (t["jp"] >= min_jp)
    other = (t["item"] != "pelatihan_teknis") & (t["relevant"].fillna(True)).astype(bool)
    earned = t[window & (teknis | other)].copy()
    earned["assumed"] = (earned["item"] != "pelatihan_teknis") & earned["relevant"].isna()
    earned["path"] = earned["nip"].map(people["path"])
    allowed = {(p, i) for p, pts in item_points.items() for i in pts}
    pair = earned["path"].astype(str) + "|" + earned["item"].astype(str)
    earned = earned[pair.isin([f"{p}|{i}" for p, i in allowed]).to_numpy()]
    earned_items = (
        pd.crosstab(earned["nip"], earned["item"]).gt(0)
        if len(earned)
        else pd.DataFrame(index=pd.Index([], name="nip"))
    )
    total = pd.Series(0.0, index=people.index)
    for item in items:
        has = (
            earned_items[item].reindex(people.index, fill_value=False)
            if item in earned_items.columns
            else pd.Series(False, index=people.index)
        )
        people[item] = has.astype(bool)
        pts = people["path"].map({p: v.get(item, 0.0) for p, v in item_points.items()})
        total += has.astype(float) * pts.astype(float).fillna(0.0)
    assumed = earned.groupby("nip")["assumed"].any()
    people["assumed_relevant"] = assumed.reindex(people.index, fill_value=False).astype(bool)
    people["kompetensi"] = total.clip(upper=cap).where(people["path"].notna())
    return fallbacks


def _items(book: Rulebook, path: str) -> list[str]:
    return sorted(book.section(f"kompetensi.{path}"))


def _lookbacks(book: Rulebook, t: pd.DataFrame, flags: Flags) -> pd.Series:
    """Look-back years per training row: ``lookback_years.<form>``, else ``.<item>``, else NaN."""
    pair = t["form"].astype(str) + "|" + t["item"].astype(str)
    years: dict[str, float] = {}
    for form, item in t[["form", "item"]].drop_duplicates().itertuples(index=False):
        for key in (f"lookback_years.{form}", f"lookback_years.{item}"):
            if key in book:
                years[f"{form}|{item}"] = number(book, key, flags)
                break
        else:
            years[f"{form}|{item}"] = np.nan
    return pair.map(years).astype(float)


def _kinerja(people: pd.DataFrame, skp: pd.DataFrame, book: Rulebook, flags: Flags) -> None:
    """Add kinerja points from the predikat, or from the score's category."""
    pred = skp["predikat"]
    used_pred = pred.dropna().unique()
    known = set(book.section("kinerja.predikat_points"))
    bad = sorted(set(used_pred) - known)
    if bad:
        raise IndexInputError(
            f"performance: predikat tidak dikenal: {', '.join(bad)} (dikenal: "
            f"{', '.join(sorted(known))}).",
            f"performance: unknown predikat: {', '.join(bad)} (known: {', '.join(sorted(known))}).",
            field="performance",
        )
    by_pred = {p: number(book, f"kinerja.predikat_points.{p}", flags) for p in used_pred}
    points = pred.map(by_pred).astype(float)
    need_score = points.isna() & skp["score"].notna()
    if need_score.any():
        cats = bands(book, "kinerja.categories", "code", flags)
        cat = band_of(skp["score"].where(need_score), cats, "code")
        by_cat = {c: number(book, f"kinerja.points.{c}", flags) for c in cat.dropna().unique()}
        points = points.fillna(cat.map(by_cat).astype(float))
    people["kinerja"] = points.reindex(people.index)
    people["predikat"] = pred.reindex(people.index).astype("string")
    people["skp_score"] = skp["score"].reindex(people.index)


def _disiplin(
    people: pd.DataFrame,
    discipline: pd.DataFrame | None,
    book: Rulebook,
    on: date,
    flags: Flags,
) -> None:
    """Add disiplin points from the heaviest sanction decided up to ``on``."""
    flags.use(book, "disiplin.levels")
    levels = [str(v) for v in book.sequence("disiplin.levels")]
    if discipline is None:
        people["disiplin"] = np.nan
        people["sanction"] = pd.Series(pd.NA, index=people.index, dtype="string")
        return
    d = read_discipline(discipline, people.index, levels[1:])
    end_day = pd.Timestamp(on)
    window = d["decided_on"] <= end_day
    if "lookback_years.disiplin" in book:
        years = int(number(book, "lookback_years.disiplin", flags))
        window &= d["decided_on"] > end_day - pd.DateOffset(years=years)
    rank = {lvl: float(i) for i, lvl in enumerate(levels)}
    ranks = d["level"].map(rank).astype(float)[window]
    heaviest = ranks.groupby(d["nip"][window]).max()
    rank_of = heaviest.reindex(people.index).fillna(0.0).astype(int)
    sanction = rank_of.map(dict(enumerate(levels)))
    points = {lvl: number(book, f"disiplin.points.{lvl}", flags) for lvl in sanction.unique()}
    people["disiplin"] = sanction.map(points).astype(float)
    people["sanction"] = sanction.astype("string")
