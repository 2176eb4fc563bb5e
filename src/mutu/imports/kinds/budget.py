"""Kinds ``budget`` (budget lines, the pagu) and ``spending`` (expenditures, the realisasi).

A budget line is a planned cost of a program in a fiscal year on one budget
account (kode rekening), optionally for one of its activities.  The model has
no unique constraint, so the natural key is what tells two lines apart in a
DPA: (program code, fiscal year, account code, activity code or none).  An
expenditure is money paid against a line, named by its document (SP2D, kuitansi):
natural key (the line's key, document number).

Amounts are Rupiah: ``Rp 1.250.000``, ``1.250.000,-``, ``1250000`` and
``1,250,000`` all read as one million two hundred and fifty thousand (a dot
before three digits is a thousands separator in an amount of money).
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from mutu.domain.cells import (
    Cell,
    CellError,
    Parsed,
    cell_text,
    read_choice,
    read_date,
    read_decimal,
    read_int,
    read_text,
)
from mutu.imports.engine import (
    Action,
    Change,
    Column,
    ImportRun,
    Kind,
    Row,
    changed_fields,
    save_changes,
    text_or_blank,
    validate,
)
from mutu.imports.kinds._lookups import Directory, choice_labels
from mutu.imports.kinds.activities import activity_directory
from mutu.programs.models import Activity, BudgetLine, CostType, Expenditure, Program

_ID_MONEY = re.compile(r"^\d{1,3}(?:\.\d{3})+(?:,\d{1,2})?$")
_EN_MONEY = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d{1,2})?$")
#: Below the 16 digits (2 of them decimals) the amount fields hold.
MAX_AMOUNT = Decimal("1e14")


def read_rupiah(cell: Cell) -> Parsed[Decimal]:
    """An amount of Rupiah, not negative, with at most two decimals (sen).

    Raises
    ------
    CellError
        ``number_invalid``, ``out_of_range``.
    """
    if isinstance(cell, str):
        text = re.sub(r"(?i)^rp\.?", "", cell.strip()).replace(" ", "").replace("\u00a0", "")
        text = re.sub(r"[.,]-$", "", text)
        if _ID_MONEY.match(text):
            text = text.replace(".", "").replace(",", ".")
        elif _EN_MONEY.match(text):
            text = text.replace(",", "")
        try:
            number = Parsed(Decimal(text)) if re.fullmatch(r"-?\d+(\.\d+)?", text) else None
        except InvalidOperation:
            number = None
        if number is None:
            number = read_decimal(cell)
    else:
        number = read_decimal(cell)
    value = number.value
    shown = cell_text(cell).strip()
    if value < 0:
        raise CellError(
            f"Jumlah {shown} negatif; jumlah uang tidak boleh negatif.",
            f"The amount {shown} is negative; an amount of money cannot be.",
            code="out_of_range",
        )
    if value >= MAX_AMOUNT or value != value.quantize(Decimal("0.01")):
        raise CellError(
            f"Jumlah {shown} terlalu besar atau punya lebih dari dua desimal.",
            f"The amount {shown} is too large or has more than two decimals.",
            code="out_of_range",
        )
    return Parsed(value.quantize(Decimal("0.01")), number.notes)


def read_year(cell: Cell) -> Parsed[int]:
    year = read_int(cell)
    if not 2000 <= year.value <= 2100:
        raise CellError(
            f"Tahun anggaran {year.value} tidak masuk akal (2000–2100).",
            f"The fiscal year {year.value} is not plausible (2000–2100).",
            code="out_of_range",
        )
    return year


def program_directory() -> Directory:
    return Directory(
        Program.objects.all(),
        code=lambda p: p.code,
        names=lambda p: [p.name],
        what_id="Program",
        what_en="program",
    )


LineKey = tuple[str, int, str, str]  # program code, year, account, activity code or ""


def line_key(line: BudgetLine) -> LineKey:
    activity = line.activity.code if line.activity is not None else ""
    return (line.program.code, line.fiscal_year, line.account_code, activity)


def stored_lines() -> dict[LineKey, list[BudgetLine]]:
    out: dict[LineKey, list[BudgetLine]] = {}
    for line in BudgetLine.objects.select_related("program", "activity"):
        out.setdefault(line_key(line), []).append(line)
    return out


LINE_COLUMNS = (
    Column("program", "Kode Program", ("program", "program code"), required=True),
    Column(
        "year",
        "Tahun Anggaran",
        ("tahun", "ta", "fiscal year", "tahun anggaran dpa"),
    ),
    Column(
        "account",
        "Kode Rekening",
        ("rekening", "kode akun", "akun", "account code", "kode rekening belanja"),
        required=True,
    ),
    Column("activity", "Kode Kegiatan", ("kegiatan", "activity code", "kode diklat")),
)


def _read_line_key(
    row: Row, programs: Directory, activities: Directory, year: int | None
) -> tuple[Program, int, str, Activity | None] | None:
    program = row.read("program", programs.reader(), required=True)
    account = row.read("account", read_text, required=True)
    activity = None
    if row.has("activity") and not row.blank("activity"):
        activity = row.read("activity", activities.reader(by_name=False))
        if activity is None:
            return None
    if account is not None and len(account) > 60:
        row.error("account", "Kode rekening terlalu panjang.", "The account code is too long.")
        return None
    if program is None or account is None or year is None:
        return None
    if activity is not None and activity.program_id != program.pk:
        row.error(
            "activity",
            f"Kegiatan {activity.code} milik program lain, bukan {program.code}.",
            f"The activity {activity.code} belongs to another program, not {program.code}.",
            code="other_program",
        )
        return None
    return program, year, account, activity


# --- budget -----------------------------------------------------------------------------------


@dataclass
class BudgetRecord:
    program: Program
    year: int
    account: str
    activity: Activity | None
    cost_type: str | None
    description: str | None
    amount: Decimal


class BudgetKind(Kind[BudgetRecord]):
    name = "budget"
    title_id = "anggaran (pagu)"
    title_en = "budget lines"
    personal = False
    filters = ("year",)
    key_columns = ("program", "year", "account", "activity")
    field_columns = {
        "planned_amount": "amount",
        "cost_type": "cost_type",
        "description": "description",
        "activity": "activity",
        "fiscal_year": "year",
        "account_code": "account",
    }
    columns = (
        Column("no", "No", ("nomor",)),
        *(
            Column(c.key, c.label, c.aliases, required=True) if c.key == "year" else c
            for c in LINE_COLUMNS
        ),
        Column("cost_type", "Jenis Biaya", ("jenis belanja", "kategori biaya", "cost type")),
        Column(
            "description",
            "Uraian",
            ("uraian belanja", "deskripsi", "keterangan", "nama belanja", "description"),
        ),
        Column(
            "amount",
            "Pagu",
            ("pagu anggaran", "anggaran", "jumlah anggaran", "rencana", "planned amount"),
            required=True,
        ),
    )

    def prepare(self, run: ImportRun) -> None:
        self.programs = program_directory()
        self.activities = activity_directory()
        self.cost_types = choice_labels(CostType.choices)

    def parse(self, row: Row) -> BudgetRecord | None:
        year = row.read("year", read_year, required=True)
        key = _read_line_key(row, self.programs, self.activities, year)
        cost_type = None
        if row.has("cost_type") and not row.blank("cost_type"):
            cost_type = row.read(
                "cost_type",
                lambda c: read_choice(
                    c, self.cost_types, what_id="Jenis biaya", what_en="cost type"
                ),
            )
        description = (
            text_or_blank(row, "description", read_text) if row.has("description") else None
        )
        amount = row.read("amount", read_rupiah, required=True)
        if key is None or amount is None or row.failed:
            return None
        program, year_, account, activity = key
        return BudgetRecord(program, year_, account, activity, cost_type, description, amount)

    def key(self, record: BudgetRecord) -> Hashable:
        code = record.activity.code if record.activity else ""
        return (record.program.code, record.year, record.account, code)

    def plan(self, items: list[tuple[Row, BudgetRecord]]) -> list[Change[BudgetRecord]]:
        stored = stored_lines()
        changes: list[Change[BudgetRecord]] = []
        for row, rec in items:
            key: LineKey = (
                rec.program.code,
                rec.year,
                rec.account,
                rec.activity.code if rec.activity else "",
            )
            label = " ".join(str(k) for k in key if k)
            found = stored.get(key, [])
            if len(found) > 1:
                row.error(
                    "account",
                    f"Ada {len(found)} baris anggaran tersimpan dengan program, tahun, rekening "
                    "dan kegiatan ini; Mutu tidak tahu yang mana. Perbaiki lewat halaman admin.",
                    f"{len(found)} stored budget lines share this program, year, account and "
                    "activity; Mutu cannot tell which one is meant. Fix them in the admin.",
                    code="ambiguous",
                )
                continue
            values: dict[str, Any] = {"planned_amount": rec.amount}
            if rec.cost_type is not None:
                values["cost_type"] = rec.cost_type
            if rec.description is not None:
                values["description"] = rec.description
            action: Action
            fields: tuple[str, ...] = ()
            if not found:
                if not rec.description:
                    row.error(
                        "description",
                        "Uraian wajib diisi untuk baris anggaran baru.",
                        "A new budget line needs a description (Uraian).",
                        code="required",
                    )
                    continue
                line = BudgetLine(
                    program=rec.program,
                    fiscal_year=rec.year,
                    account_code=rec.account,
                    activity=rec.activity,
                    **values,
                )
                action = "create"
            else:
                line = found[0]
                fields = changed_fields(line, values)
                if not fields:
                    changes.append(Change("unchanged", row, label, rec, line))
                    continue
                for name in fields:
                    setattr(line, name, values[name])
                action = "update"
            if validate(line, row, self.field_columns, exclude=["program", "activity"]):
                changes.append(Change(action, row, label, rec, line, fields))
        return changes

    def apply(self, changes: list[Change[BudgetRecord]]) -> None:
        save_changes(BudgetLine, changes, ["planned_amount", "cost_type", "description"])

    def export_columns(self, shape: str = "mutu") -> list[str]:
        return [c.label for c in self.columns if c.key != "no"]

    def export_rows(self, shape: str = "mutu", **filters: Any) -> Iterator[list[Any]]:
        lines = BudgetLine.objects.select_related("program", "activity").order_by(
            "fiscal_year", "program__code", "activity__code", "account_code", "pk"
        )
        if "year" in filters:
            lines = lines.filter(fiscal_year=filters["year"])
        for line in lines:
            yield [
                line.program.code,
                line.fiscal_year,
                line.account_code,
                line.activity.code if line.activity else None,
                line.cost_type,
                line.description,
                line.planned_amount,
            ]


# --- spending ---------------------------------------------------------------------------------


@dataclass
class SpendingRecord:
    line: tuple[str, int, str, str]
    program: Program
    activity: Activity | None
    day: date
    amount: Decimal
    description: str | None
    document: str


class SpendingKind(Kind[SpendingRecord]):
    name = "spending"
    title_id = "realisasi anggaran"
    title_en = "spending"
    personal = False
    filters = ("year",)
    key_columns = ("program", "account", "activity", "document")
    field_columns = {"amount": "amount", "date": "date", "description": "description"}
    columns = (
        Column("no", "No", ("nomor",)),
        *LINE_COLUMNS,
        Column("date", "Tanggal", ("tgl", "tanggal bayar", "tanggal sp2d", "date"), required=True),
        Column(
            "document",
            "No Dokumen",
            (
                "nomor dokumen",
                "no sp2d",
                "nomor sp2d",
                "no bukti",
                "nomor bukti",
                "no kuitansi",
                "document number",
            ),
            required=True,
        ),
        Column(
            "description", "Uraian", ("uraian belanja", "deskripsi", "keterangan", "description")
        ),
        Column(
            "amount",
            "Jumlah",
            ("realisasi", "jumlah realisasi", "nilai", "jumlah bayar", "amount"),
            required=True,
        ),
    )

    def prepare(self, run: ImportRun) -> None:
        self.programs = program_directory()
        self.activities = activity_directory()

    def parse(self, row: Row) -> SpendingRecord | None:
        day = row.read("date", read_date, required=True)
        year = row.read("year", read_year) if row.has("year") and not row.blank("year") else None
        if year is None and day is not None:
            year = day.year
        key = _read_line_key(row, self.programs, self.activities, year)
        document = row.read("document", read_text, required=True)
        description = (
            text_or_blank(row, "description", read_text) if row.has("description") else None
        )
        amount = row.read("amount", read_rupiah, required=True)
        if document is not None and len(document) > 100:
            row.error(
                "document", "Nomor dokumen terlalu panjang.", "The document number is too long."
            )
            return None
        if key is None or day is None or document is None or amount is None or row.failed:
            return None
        program, year_, account, activity = key
        code = activity.code if activity else ""
        return SpendingRecord(
            (program.code, year_, account, code),
            program,
            activity,
            day,
            amount,
            description,
            document,
        )

    def key(self, record: SpendingRecord) -> Hashable:
        return (*record.line, record.document)

    def plan(self, items: list[tuple[Row, SpendingRecord]]) -> list[Change[SpendingRecord]]:
        lines = stored_lines()
        stored: dict[tuple[int, str], list[Expenditure]] = {}
        for e in Expenditure.objects.all():
            stored.setdefault((e.budget_line_id, e.document_number), []).append(e)
        changes: list[Change[SpendingRecord]] = []
        for row, rec in items:
            program, year, account, code = rec.line
            found_lines = lines.get(rec.line, [])
            label = f"{program} {year} {account} {code} {rec.document}".replace("  ", " ")
            if len(found_lines) != 1:
                if found_lines:
                    mid = (
                        "Ada lebih dari satu baris anggaran dengan kunci ini; Mutu tidak tahu "
                        "yang mana."
                    )
                    men = "More than one budget line has this key; Mutu cannot tell which one."
                else:
                    what = f" kegiatan {code}" if code else ""
                    what_en = f" activity {code}" if code else ""
                    mid = (
                        f"Tidak ada baris anggaran {program} tahun {year} rekening {account}"
                        f"{what}; impor anggarannya (mutu import budget) lebih dulu."
                    )
                    men = (
                        f"There is no budget line {program} {year} account {account}{what_en}; "
                        "import the budget (mutu import budget) first."
                    )
                row.error("account", mid, men, code="unknown_reference")
                continue
            line = found_lines[0]
            found = stored.get((line.pk, rec.document), [])
            if len(found) > 1:
                row.error(
                    "document",
                    f"Ada {len(found)} realisasi tersimpan dengan dokumen {rec.document} pada "
                    "baris anggaran ini; perbaiki lewat halaman admin.",
                    f"{len(found)} stored expenditures of this budget line have document "
                    f"{rec.document}; fix them in the admin.",
                    code="ambiguous",
                )
                continue
            values: dict[str, Any] = {"date": rec.day, "amount": rec.amount}
            if rec.description is not None:
                values["description"] = rec.description
            action: Action
            fields: tuple[str, ...] = ()
            if not found:
                spent = Expenditure(budget_line=line, document_number=rec.document, **values)
                action = "create"
            else:
                spent = found[0]
                fields = changed_fields(spent, values)
                if not fields:
                    changes.append(Change("unchanged", row, label, rec, spent))
                    continue
                for name in fields:
                    setattr(spent, name, values[name])
                action = "update"
            if validate(spent, row, self.field_columns, exclude=["budget_line"]):
                changes.append(Change(action, row, label, rec, spent, fields))
        return changes

    def apply(self, changes: list[Change[SpendingRecord]]) -> None:
        save_changes(Expenditure, changes, ["date", "amount", "description"])

    def export_columns(self, shape: str = "mutu") -> list[str]:
        return [c.label for c in self.columns if c.key != "no"]

    def export_rows(self, shape: str = "mutu", **filters: Any) -> Iterator[list[Any]]:
        spent = Expenditure.objects.select_related(
            "budget_line__program", "budget_line__activity"
        ).order_by("budget_line__fiscal_year", "date", "document_number", "pk")
        if "year" in filters:
            spent = spent.filter(budget_line__fiscal_year=filters["year"])
        for e in spent:
            line = e.budget_line
            yield [
                line.program.code,
                line.fiscal_year,
                line.account_code,
                line.activity.code if line.activity else None,
                e.date,
                e.document_number,
                e.description,
                e.amount,
            ]
