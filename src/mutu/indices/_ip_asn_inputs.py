"""Reading and checking the input frames of the IP ASN (see :func:`mutu.indices.ip_asn`).

Each reader returns a tidy frame keyed by NIP with the values the scoring
needs, or refuses the input naming the rows.  Nothing here scores.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

import numpy as np
import pandas as pd

from mutu.domain.development_forms import UnknownDevelopmentForm, get_form
from mutu.domain.golongan import UnknownEducation, parse_education
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
    text_column,
)
from mutu.rulebooks import Rulebook

#: Position kinds (``people.PositionKind``) and the IP ASN scoring path of each.
PATH_OF_KIND: Mapping[str, str] = {
    "jpt_utama": "struktural_fungsional",
    "jpt_madya": "struktural_fungsional",
    "jpt_pratama": "struktural_fungsional",
    "administrator": "struktural_fungsional",
    "pengawas": "struktural_fungsional",
    "fungsional_keahlian": "struktural_fungsional",
    "fungsional_keterampilan": "struktural_fungsional",
    "pelaksana": "pelaksana",
}

#: Forms of development (``mutu.domain.development_forms``) counted under each
#: kompetensi item, used only when the rulebook has no ``kompetensi.forms.<item>``
#: (the shipped ``ip_asn 2019.1`` has none).  The result lists the keys it
#: filled from here in ``fallbacks``.  Peraturan BKN 8/2019: technical
#: training; seminar/workshop/magang/kursus; leadership training (Diklatpim:
#: PKN/PKA/PKP) or functional training.
FALLBACK_FORMS: Mapping[str, tuple[str, ...]] = {
    "pelatihan_teknis": ("pelatihan_teknis",),
    "seminar_workshop": ("seminar", "workshop", "magang", "kursus"),
    "pelatihan_kepemimpinan_fungsional": ("pkn", "pka", "pkp", "pelatihan_fungsional"),
}


def check_nips_known(frame_name: str, nips: pd.Series, known: pd.Index, index: pd.Index) -> None:
    """Refuse rows of a history frame whose NIP is not among the employees."""
    refuse_rows(
        frame_name,
        ~isin(nips, known),
        index,
        "NIP tidak ada di daftar pegawai",
        "NIP is not among the employees",
    )


def read_education(employees: pd.DataFrame) -> pd.Series:
    """``education_level`` as :class:`~mutu.domain.golongan.Education` codes; ``<NA>`` if empty."""
    raw = text_column(employees, "education_level")
    mapping: dict[str, str] = {}
    bad: list[str] = []
    for value in raw.dropna().unique():
        try:
            mapping[str(value)] = parse_education(str(value)).value
        except UnknownEducation:
            bad.append(str(value))
    refuse_rows(
        "employees",
        raw.isin(bad).fillna(False).astype(bool),
        employees.index,
        "education_level tidak dikenal (SD, SMP, SMA, D1–D4, S1–S3)",
        "unknown education_level (SD, SMP, SMA, D1–D4, S1–S3)",
    )
    return raw.map(mapping).astype("string")


def read_position_kind(employees: pd.DataFrame) -> pd.Series:
    """``position_kind`` as a ``people.PositionKind`` value; ``<NA>`` if empty."""
    raw = text_column(employees, "position_kind").str.lower()
    refuse_rows(
        "employees",
        raw.notna() & ~raw.isin(list(PATH_OF_KIND)).fillna(False).astype(bool),
        employees.index,
        f"position_kind tidak dikenal ({', '.join(PATH_OF_KIND)})",
        f"unknown position_kind ({', '.join(PATH_OF_KIND)})",
    )
    return raw


def form_items(book: Rulebook, items: set[str], flags: Flags) -> tuple[dict[str, str], list[str]]:
    """Form code → kompetensi item, from ``kompetensi.forms.<item>`` or the fallback."""
    out: dict[str, str] = {}
    fallbacks: list[str] = []
    for item in sorted(items):
        key = f"kompetensi.forms.{item}"
        if key in book:
            flags.use(book, key)
            codes = [str(c) for c in book.sequence(key)]
        else:
            fallbacks.append(key)
            codes = list(FALLBACK_FORMS.get(item, ()))
        for code in codes:
            out[get_form(code).code] = item
    return out, fallbacks


def read_trainings(
    trainings: pd.DataFrame,
    known: pd.Index,
    on: date,
    search_path: SearchPath,
    flags: Flags,
) -> pd.DataFrame:
    """Approved development records up to ``on``: ``nip``, ``form``, ``jp``, ``end``, ``relevant``.

    ``jp`` may be empty where ``minutes`` is given (converted with the ``jp``
    rulebook in force on ``on``).  ``relevant`` is a nullable boolean.
    """
    name = "trainings"
    require_columns(trainings, name, ["nip", "form", "end"])
    index = trainings.index
    nips = nip_column(trainings, name)
    check_nips_known(name, nips, known, index)
    raw_form = text_column(trainings, "form")
    refuse_rows(name, raw_form.isna(), index, "form kosong", "form is empty")
    forms: dict[str, str] = {}
    bad: list[str] = []
    for value in raw_form.dropna().unique():
        try:
            forms[str(value)] = get_form(str(value)).code
        except UnknownDevelopmentForm:
            bad.append(str(value))
    refuse_rows(
        name,
        raw_form.isin(bad).fillna(False).astype(bool),
        index,
        "kode bentuk pengembangan tidak dikenal (mutu.domain.development_forms)",
        "unknown form-of-development code (mutu.domain.development_forms)",
    )
    end = date_column(trainings, "end", name)
    refuse_rows(name, end.isna(), index, "tanggal selesai (end) kosong", "end date is empty")
    nan = pd.Series(np.nan, index=index)
    jp = numeric_column(trainings, "jp", name) if "jp" in trainings.columns else nan
    minutes = numeric_column(trainings, "minutes", name) if "minutes" in trainings.columns else nan
    for values, col in ((jp, "jp"), (minutes, "minutes")):
        refuse_rows(
            name,
            (values < 0) | np.isinf(values),
            index,
            f"{col} negatif atau tak hingga",
            f"{col} is negative or infinite",
        )
    refuse_rows(
        name, jp.isna() & minutes.isna(), index, "jp dan minutes kosong", "jp and minutes empty"
    )
    if bool((jp.isna()).any()):
        jp_book = pick_rulebook("jp", None, on, search_path)
        flags.use(jp_book, "minutes_per_jp")
        jp = jp.fillna(minutes / float(jp_book.decimal("minutes_per_jp")))
    relevant = _boolean(trainings, "relevant", name)
    keep = pd.Series(True, index=index)
    if "approval_status" in trainings.columns:
        keep &= (text_column(trainings, "approval_status").str.lower() == "approved").fillna(False)
    return pd.DataFrame(
        {
            "nip": nips,
            "form": raw_form.map(forms),
            "jp": jp.round(6),
            "end": end,
            "relevant": relevant,
        }
    )[keep.to_numpy()]


def _boolean(frame: pd.DataFrame, column: str, name: str) -> pd.Series:
    """A nullable boolean column (True/False/1/0/ya/tidak/yes/no); absent → all ``<NA>``."""
    if column not in frame.columns:
        return pd.Series(pd.NA, index=frame.index, dtype="boolean")
    text = text_column(frame, column).str.lower()
    truth = {"true": True, "1": True, "1.0": True, "ya": True, "yes": True, "y": True}
    truth.update({"false": False, "0": False, "0.0": False, "tidak": False, "no": False})
    truth["n"] = False
    values = text.map(truth)
    refuse_rows(
        name,
        text.notna() & values.isna(),
        frame.index,
        f"{column} harus benar/salah",
        f"{column} must be true/false",
    )
    return values.astype("boolean")


def read_performance(performance: pd.DataFrame, known: pd.Index, year: int) -> pd.DataFrame:
    """SKP of ``year`` by NIP: ``predikat`` (lower-case code) and ``score`` (0–100)."""
    name = "performance"
    require_columns(performance, name, ["nip", "year"])
    if "predikat" not in performance.columns and "score" not in performance.columns:
        raise IndexInputError(
            "performance: perlu kolom predikat atau score.",
            "performance: a predikat or score column is needed.",
            field=name,
        )
    index = performance.index
    nips = nip_column(performance, name)
    check_nips_known(name, nips, known, index)
    years = numeric_column(performance, "year", name)
    refuse_rows(name, years.isna(), index, "tahun kosong", "year is empty")
    dup = pd.DataFrame({"n": nips, "y": years}).duplicated(keep=False)
    refuse_rows(
        name, dup, index, "lebih dari satu SKP untuk NIP dan tahun yang sama", "NIP+year repeated"
    )
    predikat = (
        text_column(performance, "predikat").str.lower().str.replace(" ", "_")
        if "predikat" in performance.columns
        else pd.Series(pd.NA, index=index, dtype="string")
    )
    score = (
        numeric_column(performance, "score", name)
        if "score" in performance.columns
        else pd.Series(np.nan, index=index)
    )
    refuse_rows(
        name, (score < 0) | (score > 100), index, "score di luar 0–100", "score outside 0–100"
    )
    take = (years == year).to_numpy()
    out = pd.DataFrame({"predikat": predikat, "score": score}, index=index)[take]
    out.index = pd.Index(nips[take], name="nip")
    return out


def read_discipline(discipline: pd.DataFrame, known: pd.Index, levels: list[str]) -> pd.DataFrame:
    """Sanctions: ``nip``, ``level`` (one of ``levels``), ``decided_on``."""
    name = "discipline"
    require_columns(discipline, name, ["nip", "level", "decided_on"])
    index = discipline.index
    nips = nip_column(discipline, name)
    check_nips_known(name, nips, known, index)
    level = text_column(discipline, "level").str.lower()
    refuse_rows(
        name,
        ~level.isin(levels).fillna(False).astype(bool),
        index,
        f"level harus salah satu dari {', '.join(levels)}",
        f"level must be one of {', '.join(levels)}",
    )
    decided = date_column(discipline, "decided_on", name)
    refuse_rows(name, decided.isna(), index, "decided_on kosong", "decided_on is empty")
    return pd.DataFrame({"nip": nips, "level": level, "decided_on": decided})
