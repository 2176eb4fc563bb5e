"""Survei Kepuasan Masyarakat: the public-satisfaction index IKM (PermenPANRB 14/2017).

Each respondent scores nine service elements U1–U9 on a 1–4 scale.  Per
element the mean score is the NRR; the index is

.. math:: \\mathrm{IKM} = c \\sum_{i=1}^{9} w \\, \\mathrm{NRR}_i,
   \\qquad w = 1/9,\\; c = 25,

which runs from 25 to 100 and is graded A–D.  The elements, the scale, the
weight (the exact fraction ``1/9``, never the printed 0.111), the conversion
factor and the grades come from the ``skm`` rulebook.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from mutu.evaluation.power import krejcie_morgan
from mutu.evaluation.result import Result, check_lang, format_number
from mutu.indices._common import (
    Flags,
    IndexInputError,
    SearchPath,
    band_of,
    bands,
    refuse_rows,
    require_columns,
    row_list,
    rulebooks_for_dates,
)
from mutu.indices._skm_inputs import (
    Population,
    as_list,
    check_answers,
    element_codes,
    element_index,
    group_index,
    key_text,
    population_of,
    reference_dates,
    round2,
)
from mutu.rulebooks import Rulebook, RulebookError

__all__ = ["SkmResult", "skm"]

_ELEMENT_LIKE = re.compile(r"^U\d+$")


@dataclass(frozen=True, eq=False)
class SkmResult(Result):
    """IKM per survey (or per group of responses) with its elements and uncertainty.

    Attributes
    ----------
    ikm, grade, label, n, se, ci_low, ci_high
        The index (25–100, unrounded), its grade (A–D) and Indonesian label,
        the number of respondents, the standard error and confidence interval
        — for an ungrouped call; ``None`` when ``by`` was given (see ``groups``).
    population, n_required, sample_adequate
        Service population, the Krejcie–Morgan sample size for it and whether
        ``n`` reaches it (ungrouped call with a population; else ``None``).
    groups
        One row per group (or one row): ``n``, ``ikm``, ``grade``, ``label_id``,
        ``label_en``, ``se``, ``ci_low``, ``ci_high``, ``population``,
        ``n_required``, ``sample_adequate``, ``reference_date``, ``rulebook``.
    elements
        One row per group and element: ``name_id``, ``name_en``, ``n`` (answers),
        ``nrr``, ``nrr_weighted`` (NRR × weight), ``converted`` (NRR × factor)
        and ``grade`` (of the converted value).
    by
        The grouping columns (empty for an ungrouped call).
    confidence
        Level of the intervals.
    rulebook
        The version(s) used, e.g. ``"skm 2017.1"``.
    unconfirmed
        ``"skm.<key>"`` of each unconfirmed rulebook value used (none in 2017.1).
    variant
        How the standard error was computed.
    """

    ikm: float | None
    grade: str | None
    label: str | None
    n: int | None
    se: float | None
    ci_low: float | None
    ci_high: float | None
    population: int | None
    n_required: int | None
    sample_adequate: bool | None
    groups: pd.DataFrame = field(repr=False)
    elements: pd.DataFrame = field(repr=False)
    by: tuple[str, ...]
    confidence: float
    rulebook: str
    unconfirmed: tuple[str, ...]
    variant: str

    def to_frame(self) -> pd.DataFrame:
        """The ``groups`` table (one row for an ungrouped call)."""
        return self.groups.copy()

    def summary(self, lang: str = "id") -> str:
        """IKM, grade, interval and sample adequacy in Bahasa Indonesia or English."""
        lang = check_lang(lang)
        pct = format_number(100 * self.confidence, 0, lang)
        if not self.by and self.ikm is not None:
            value = format_number(self.ikm, 2, lang)
            low = format_number(self.ci_low, 2, lang)
            high = format_number(self.ci_high, 2, lang)
            row = self.groups.iloc[0]
            label = str(row["label_en"] if lang == "en" else row["label_id"])
            if lang == "id":
                text = (
                    f"IKM {value} (mutu pelayanan {self.grade}, {label}) dari {self.n} "
                    f"responden; IK {pct}%: {low}–{high}."
                )
            else:
                text = (
                    f"IKM {value} (service quality {self.grade}, {label}) from {self.n} "
                    f"respondents; {pct}% CI: {low}–{high}."
                )
            text += _sample_sentence(self.population, self.n_required, self.sample_adequate, lang)
        else:
            g = self.groups
            k = len(g)
            short = int((g["sample_adequate"] == False).sum())  # noqa: E712 (NA-aware)
            ikm = g["ikm"].to_numpy(dtype=float)
            top, bottom = int(np.nanargmax(ikm)), int(np.nanargmin(ikm))
            hi = format_number(float(ikm[top]), 2, lang)
            lo = format_number(float(ikm[bottom]), 2, lang)
            best, worst = _key_label(g.index[top]), _key_label(g.index[bottom])
            keys = ", ".join(self.by)
            if lang == "id":
                text = (
                    f"IKM dihitung untuk {k} kelompok ({keys}): tertinggi {hi} ({best}), "
                    f"terendah {lo} ({worst})."
                )
                if short:
                    text += f" {short} kelompok belum mencapai sampel Krejcie–Morgan."
            else:
                text = (
                    f"IKM computed for {k} groups ({keys}): highest {hi} ({best}), "
                    f"lowest {lo} ({worst})."
                )
                if short:
                    text += f" {short} groups fall short of the Krejcie–Morgan sample."
        rule = "Aturan" if lang == "id" else "Rule"
        return f"{text} {rule}: {self.rulebook} (PermenPANRB 14/2017)."


def _key_label(key: Any) -> str:
    parts = key if isinstance(key, tuple) else (key,)
    return "/".join(str(p.item() if isinstance(p, np.generic) else p) for p in parts)


def _sample_sentence(
    population: int | None, n_required: int | None, adequate: bool | None, lang: str
) -> str:
    if population is None or n_required is None:
        return ""
    if lang == "id":
        verdict = "cukup" if adequate else "belum cukup"
        return (
            f" Sampel {verdict} menurut tabel Krejcie–Morgan (perlu {n_required} "
            f"dari populasi {population})."
        )
    verdict = "adequate" if adequate else "too small"
    return (
        f" The sample is {verdict} by the Krejcie–Morgan table ({n_required} needed "
        f"from a population of {population})."
    )


def skm(
    responses: pd.DataFrame,
    *,
    by: str | Sequence[str] | None = None,
    population: Population = None,
    on: date | None = None,
    date_col: str = "date",
    confidence: float = 0.95,
    rulebook: Rulebook | None = None,
    search_path: SearchPath = None,
) -> SkmResult:
    r"""IKM of a public-satisfaction survey, per unit and period in one call.

    Parameters
    ----------
    responses
        One row per respondent; one column per element (``U1`` … ``U9``, the
        codes of the rulebook's ``elements``) holding the score 1–4, or NaN
        for an element left unanswered.  Other columns (``unit``, ``year``,
        ``date``, a token…) are kept for grouping and otherwise ignored; a
        column that looks like an element (``U`` + digits) but is not one is
        refused.
    by
        Column(s) to group by, e.g. ``["unit", "year"]``; ``None`` treats all
        rows as one survey.
    population
        The service population for the Krejcie–Morgan check: one number for
        every group, or a mapping / Series keyed by the group key (or by the
        value of the first ``by`` column, e.g. the unit code).
    on
        The date whose rulebook applies when ``responses`` has neither a
        ``date`` nor a ``year`` column (default today).
    date_col
        Name of the response-date column (default ``"date"``).
    confidence
        Level of the confidence intervals (default 0.95).
    rulebook
        An ``skm`` rulebook to use for every group; by default each group uses
        the version in force on its reference date: the latest response
        ``date`` of the group, else 31 December of its ``year``, else ``on``.
    search_path
        Folders searched for rulebook versions (default
        :func:`mutu.rulebooks.default_search_path`).

    Returns
    -------
    SkmResult

    Raises
    ------
    IndexInputError
        For an answer that is not a number, a score outside the scale or not
        whole, a row with no answer at all, an unknown or missing element
        column, or a group in which an element has no answer; the message
        names the rows or groups.

    Notes
    -----
    Per group and element, :math:`\mathrm{NRR}_i` is the mean of the answers
    given (item non-response leaves an element's denominator smaller, as
    the regulation's per-element NRR does).  The index uses the exact
    weight, :math:`\mathrm{IKM} = c\,w\sum_i \mathrm{NRR}_i` with
    :math:`w = 1/9`, :math:`c = 25`; nothing is rounded except the value
    read against the grades (2 decimals, half up, as the rulebook says).

    Standard error.  With complete answers the IKM equals the mean of the
    respondents' own indices :math:`\mathrm{IKM}_r = c\,w\sum_i y_{ri}`, so its
    standard error is :math:`s(\mathrm{IKM}_r)/\sqrt n`.  With item
    non-response the linearised (Taylor / Woodruff) value
    :math:`u_r = \mathrm{IKM} + c\,w\sum_i (n/n_i)\,m_{ri}(y_{ri} -
    \mathrm{NRR}_i)` is used instead (:math:`m_{ri}` = 1 when answered,
    :math:`n_i` the answers to element *i*); it reduces to
    :math:`\mathrm{IKM}_r` with complete data.  The interval is
    :math:`\mathrm{IKM} \pm t_{n-1}\,\mathrm{SE}`.  Respondents are treated
    as a simple random sample of the service's users.

    References
    ----------
    PermenPANRB 14/2017, Lampiran (pengolahan data: NRR, NRR tertimbang, IKM,
    mutu pelayanan).  Krejcie, R. V. & Morgan, D. W. (1970), *Educational and
    Psychological Measurement* 30, 607–610.  Woodruff, R. S. (1971), *JASA*
    66, 411–414 (linearised variance).

    Examples
    --------
    >>> import pandas as pd
    >>> answers = pd.DataFrame({f"U{i}": [3, 4, 3] for i in range(1, 10)})
    >>> round(skm(answers).ikm, 4)
    83.3333
    """
    require_columns(responses, "responses", [])
    if not 0.0 < confidence < 1.0:
        raise IndexInputError(
            "Tingkat kepercayaan harus di antara 0 dan 1.",
            "The confidence level must lie between 0 and 1.",
            field="confidence",
        )
    keys = as_list(by)
    require_columns(responses, "responses", keys)
    if len(responses) == 0:
        raise IndexInputError(
            "responses: tidak ada jawaban.", "responses: no responses.", field="responses"
        )
    when = reference_dates(responses, date_col, on, "year")
    group_id = (
        responses.groupby(keys, sort=True, dropna=False).ngroup()
        if keys
        else pd.Series(0, index=responses.index)
    )
    refuse_rows(
        "responses",
        responses[keys].isna().any(axis=1) if keys else np.zeros(len(responses), bool),
        responses.index,
        f"kolom pengelompokan ({', '.join(keys)}) kosong",
        f"grouping column ({', '.join(keys)}) is empty",
    )
    group_date = when.groupby(group_id).transform("max")
    labels, books = rulebooks_for_dates("skm", group_date, rulebook, search_path)
    flags = Flags()
    all_codes = {c for b in books.values() for c in element_codes(b, flags)}
    strays = [
        str(c) for c in responses.columns if _ELEMENT_LIKE.match(str(c)) and c not in all_codes
    ]
    if strays:
        known = ", ".join(sorted(all_codes, key=lambda c: int(c[1:])))
        raise IndexInputError(
            f"responses: unsur tidak dikenal: {', '.join(strays)} (unsur yang dikenal: {known}).",
            f"responses: unknown elements: {', '.join(strays)} (known elements: {known}).",
            field="responses",
        )
    group_parts: list[pd.DataFrame] = []
    element_parts: list[pd.DataFrame] = []
    for label, book in sorted(books.items()):
        rows = labels == label
        g, e = _compute(
            responses.loc[rows],
            group_id[rows],
            group_date[rows],
            keys,
            book,
            flags,
            population,
            confidence,
        )
        group_parts.append(g)
        element_parts.append(e)
    groups = pd.concat(group_parts).sort_index()
    elements = pd.concat(element_parts).sort_index()
    single = not keys
    first = groups.iloc[0]
    return SkmResult(
        ikm=float(first["ikm"]) if single else None,
        grade=str(first["grade"]) if single else None,
        label=str(first["label_id"]) if single else None,
        n=int(first["n"]) if single else None,
        se=_float(first["se"]) if single else None,
        ci_low=_float(first["ci_low"]) if single else None,
        ci_high=_float(first["ci_high"]) if single else None,
        population=_int(first["population"]) if single else None,
        n_required=_int(first["n_required"]) if single else None,
        sample_adequate=(
            None
            if not single or pd.isna(first["sample_adequate"])
            else bool(first["sample_adequate"])
        ),
        groups=groups,
        elements=elements,
        by=tuple(keys),
        confidence=confidence,
        rulebook=flags.labels(),
        unconfirmed=flags.unconfirmed(),
        variant=(
            "IKM = factor × weight × Σ NRR (exact weight); SE from respondent-level "
            "linearised values (= respondent IKM with complete answers), t interval, n − 1 df"
        ),
    )


def _float(value: Any) -> float | None:
    return None if pd.isna(value) else float(value)


def _int(value: Any) -> int | None:
    return None if pd.isna(value) else int(value)


def _compute(
    responses: pd.DataFrame,
    group_id: pd.Series,
    group_date: pd.Series,
    keys: list[str],
    book: Rulebook,
    flags: Flags,
    population: Population,
    confidence: float,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Groups and elements tables of the rows that use one rulebook version."""
    codes = element_codes(book, flags)
    absent = [c for c in codes if c not in responses.columns]
    if absent:
        raise IndexInputError(
            f"responses: kolom unsur tidak ada: {', '.join(absent)} ({book.label}).",
            f"responses: element columns missing: {', '.join(absent)} ({book.label}).",
            field="responses",
        )
    flags.use(book, "scale.min")
    flags.use(book, "scale.max")
    scale = (float(book.decimal("scale.min")), float(book.decimal("scale.max")))
    values = check_answers(responses, codes, scale)
    flags.use(book, "weight")
    flags.use(book, "conversion_factor")
    weight: Fraction = book.fraction("weight")
    factor = Fraction(book.decimal("conversion_factor"))
    cw = factor * weight  # c·w exactly, e.g. 25/9

    grouped = values.groupby(group_id)
    answered = values.notna().groupby(group_id).sum()
    nrr = grouped.mean()
    n = grouped.size()
    if (answered == 0).to_numpy().any():
        holes = [
            f"{key_text(responses, keys, group_id, gid)}: {c}"
            for gid in answered.index
            for c in codes
            if answered.loc[gid, c] == 0
        ]
        raise IndexInputError(
            f"responses: unsur tanpa jawaban dalam kelompok: {row_list(holes, 'id')}.",
            f"responses: element without any answer in group: {row_list(holes, 'en')}.",
            field="responses",
        )
    # Multiply by the exact c·w once, after summing: 25/9 is applied as ×25 ÷9.
    ikm = nrr.sum(axis=1) * cw.numerator / cw.denominator

    # Respondent-level linearised values (the respondent's own IKM with complete data).
    mean_row = grouped.transform("mean")
    answered_row = values.notna().groupby(group_id).transform("sum")
    n_row = group_id.map(n)
    dev = (values - mean_row).mul(n_row, axis=0) / answered_row
    z = dev.fillna(0.0).sum(axis=1) * cw.numerator / cw.denominator
    se: pd.Series = z.groupby(group_id).std(ddof=1) / np.sqrt(n)
    tcrit = pd.Series(stats.t.ppf(0.5 + confidence / 2.0, n - 1), index=n.index)
    tcrit = tcrit.where(n > 1)

    grade_bands = bands(book, "bands", "grade", flags)
    label_id = {str(r["grade"]): str(r.get("label_id", r["grade"])) for r in grade_bands}
    label_en = {str(r["grade"]): str(r.get("label_en", r["grade"])) for r in grade_bands}
    grade = band_of(round2(ikm), grade_bands, "grade")

    first_row = responses.groupby(group_id).head(1)
    index = group_index(first_row, keys, group_id)
    flags.use(book, "sample_size_method")
    method = book.text("sample_size_method")
    if method != "krejcie_morgan":
        raise RulebookError(
            f"Metode ukuran sampel '{method}' di {book.label} belum didukung (krejcie_morgan).",
            f"Sample-size method '{method}' in {book.label} is not supported (krejcie_morgan).",
            path=book.origin,
            key="sample_size_method",
        )
    pops = pd.Series(
        [population_of(population, key) for key in index], index=n.index, dtype="Int64"
    )
    required = pops.map(lambda p: krejcie_morgan(int(p)), na_action="ignore").astype("Int64")
    groups = pd.DataFrame(
        {
            "n": n.astype(int),
            "ikm": ikm,
            "grade": grade,
            "label_id": grade.map(label_id),
            "label_en": grade.map(label_en),
            "se": se,
            "ci_low": ikm - tcrit * se,
            "ci_high": ikm + tcrit * se,
            "population": pops,
            "n_required": required,
            "sample_adequate": (n.astype("Int64") >= required).astype("boolean"),
            "reference_date": group_date.groupby(group_id).max(),
            "rulebook": book.label,
        }
    )
    groups.index = index

    names = {str(r["code"]): r for r in book.records("elements")}
    converted = nrr * float(factor)
    el = pd.DataFrame(
        {
            "name_id": [str(names[c].get("name_id", c)) for c in codes] * len(nrr),
            "name_en": [str(names[c].get("name_en", c)) for c in codes] * len(nrr),
            "n": answered.to_numpy().ravel(),
            "nrr": nrr.to_numpy().ravel(),
            "nrr_weighted": (nrr * weight.numerator / weight.denominator).to_numpy().ravel(),
            "converted": converted.to_numpy().ravel(),
        }
    )
    el["grade"] = band_of(round2(el["converted"]), grade_bands, "grade").to_numpy()
    el["rulebook"] = book.label
    el.index = element_index(index, codes, keys)
    return groups, el
