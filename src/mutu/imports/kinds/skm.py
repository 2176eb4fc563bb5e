"""Kind ``skm_results``: public-satisfaction survey results per unit and period.

One row per unit and period, one column per element as SKM reports lay them
out (``U1`` … ``U9``, the mean score NRR on the 1–4 scale of PermenPANRB
14/2017), and the number of respondents.  Natural key: (unit, period start,
period end, element); an empty element cell changes nothing.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from mutu.domain.cells import Cell, CellError, Parsed, read_date, read_decimal, read_int
from mutu.imports.engine import Change, Column, ImportRun, Issue, Kind, Row, save_changes, validate
from mutu.imports.kinds._lookups import Directory, in_chunks
from mutu.indicators.models import SkmElement, SkmResult
from mutu.people.models import Unit

NRR_RANGE = (Decimal(1), Decimal(4))
ELEMENTS = [e.value for e in SkmElement]


def read_nrr(cell: Cell) -> Parsed[Decimal]:
    """A mean element score, 1 to 4 (a score out of that range is refused)."""
    number = read_decimal(cell)
    low, high = NRR_RANGE
    if not low <= number.value <= high:
        raise CellError(
            f"Nilai {number.value} di luar rentang 1–4 (skala SKM); periksa apakah ini nilai "
            "konversi (25–100) atau salah ketik.",
            f"The score {number.value} is outside 1–4 (the SKM scale); check whether it is a "
            "converted value (25–100) or a typing error.",
            code="out_of_range",
        )
    return number


@dataclass
class SkmRecord:
    unit: Unit
    start: date
    end: date
    respondents: int
    scores: dict[str, tuple[Decimal, int]]  # element → (NRR, column)


class SkmResultsKind(Kind[SkmRecord]):
    name = "skm_results"
    title_id = "hasil SKM"
    title_en = "SKM results"
    personal = False
    filters = ("year",)
    key_columns = ("unit", "start", "end")
    field_columns = {"nrr": "element", "respondent_count": "respondents"}
    columns = (
        Column("no", "No", ("nomor",)),
        Column("unit", "Kode Unit", ("unit", "unit kerja", "unit layanan", "unor"), required=True),
        Column("start", "Periode Mulai", ("mulai", "awal periode", "period start"), required=True),
        Column("end", "Periode Selesai", ("selesai", "akhir periode", "period end"), required=True),
        Column(
            "respondents",
            "Responden",
            ("jumlah responden", "n responden", "respondents"),
            required=True,
        ),
        Column("element", "U{n}", (), pattern=r"(?:nrr\s*)?(?:u|unsur)\s*(\d+)"),
    )

    def prepare(self, run: ImportRun) -> None:
        self.units = Directory(
            Unit.objects.all(),
            code=lambda u: u.code,
            names=lambda u: [u.name],
            what_id="Unit kerja",
            what_en="unit",
        )
        numbers = sorted(run.layout.numbered.get("element", {}))
        wrong = [n for n in numbers if not 1 <= n <= len(ELEMENTS)]
        for n in wrong:
            col = run.layout.numbered["element"][n]
            run.report.issues.append(
                _header_issue(
                    run,
                    col,
                    f"SKM hanya punya unsur U1–U9; kolom U{n} tidak dikenal.",
                    f"SKM has elements U1–U9 only; column U{n} is unknown.",
                )
            )
        if not numbers:
            run.report.issues.append(
                _header_issue(
                    run,
                    None,
                    "Tidak ada kolom unsur (U1 … U9).",
                    "There are no element columns (U1 … U9).",
                )
            )

    def parse(self, row: Row) -> SkmRecord | None:
        unit = row.read("unit", self.units.reader(), required=True)
        start = row.read("start", read_date, required=True)
        end = row.read("end", read_date, required=True)
        respondents = row.read("respondents", read_int, required=True)
        scores: dict[str, tuple[Decimal, int]] = {}
        for number, col in sorted(row.numbered("element").items()):
            if 1 <= number <= len(ELEMENTS):
                value = row.read_at(col, read_nrr)
                if value is not None:
                    scores[f"U{number}"] = (value, col)
        if start is not None and end is not None and end < start:
            row.error("end", "Periode berakhir sebelum mulai.", "The period ends before it starts.")
        if respondents is not None and respondents < 0:
            row.error(
                "respondents", "Jumlah responden negatif.", "The respondent count is negative."
            )
        if unit is None or start is None or end is None or respondents is None:
            return None
        return SkmRecord(unit, start, end, respondents, scores)

    def key(self, record: SkmRecord) -> Hashable:
        return (record.unit.code, record.start, record.end)

    def plan(self, items: list[tuple[Row, SkmRecord]]) -> list[Change[SkmRecord]]:
        stored = {
            (r.unit_id, r.period_start, r.period_end, r.element): r
            for r in in_chunks(
                lambda part: SkmResult.objects.filter(unit_id__in=part),
                {rec.unit.pk for _row, rec in items},
            )
        }
        changes: list[Change[SkmRecord]] = []
        for row, rec in items:
            for element, (nrr, _col) in rec.scores.items():
                label = f"{rec.unit.code} {rec.start:%d-%m-%Y}–{rec.end:%d-%m-%Y} {element}"
                found = stored.get((rec.unit.pk, rec.start, rec.end, element))
                if found is None:
                    result = SkmResult(
                        unit=rec.unit,
                        period_start=rec.start,
                        period_end=rec.end,
                        element=element,
                        nrr=nrr,
                        respondent_count=rec.respondents,
                    )
                    if validate(result, row, {}, exclude=["unit"]):
                        changes.append(Change("create", row, label, rec, result))
                    continue
                changed = tuple(
                    name
                    for name, value in (("nrr", nrr), ("respondent_count", rec.respondents))
                    if getattr(found, name) != value
                )
                if not changed:
                    changes.append(Change("unchanged", row, label, rec, found))
                    continue
                found.nrr, found.respondent_count = nrr, rec.respondents
                if validate(found, row, {}, exclude=["unit"]):
                    changes.append(Change("update", row, label, rec, found, changed))
        return changes

    def apply(self, changes: list[Change[SkmRecord]]) -> None:
        save_changes(SkmResult, changes, ["nrr", "respondent_count"])

    def export_columns(self, shape: str = "mutu") -> list[str]:
        return ["Kode Unit", "Periode Mulai", "Periode Selesai", "Responden", *ELEMENTS]

    def export_rows(self, shape: str = "mutu", **filters: Any) -> Iterator[list[Any]]:
        rows = SkmResult.objects.select_related("unit").order_by("unit__code", "period_start")
        if "year" in filters:
            rows = rows.filter(period_start__year=filters["year"])
        grouped: dict[tuple[str, date, date], dict[str, SkmResult]] = {}
        for r in rows:
            grouped.setdefault((r.unit.code, r.period_start, r.period_end), {})[r.element] = r
        for (code, start, end), by_element in grouped.items():
            counts = {r.respondent_count for r in by_element.values()}
            yield [
                code,
                start,
                end,
                max(counts),
                *(by_element[e].nrr if e in by_element else None for e in ELEMENTS),
            ]


def _header_issue(run: ImportRun, col: int | None, message_id: str, message_en: str) -> Issue:
    label = run.layout.labels[col] if col is not None else ""
    return Issue(
        "unknown_element", message_id, message_en, "error", run.report.header_row, col, label
    )
