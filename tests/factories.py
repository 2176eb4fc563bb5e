"""Plain functions that build valid objects for the tests (no factory library).

Every builder goes through the services where there is one, so a factory can
never build what the application would refuse.  Identifiers come from a
counter, so any number of objects can coexist in one test.
"""

from __future__ import annotations

import itertools
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from django.utils import timezone

from mutu.domain.development_forms import get_form
from mutu.domain.golongan import parse_golongan
from mutu.instruments import services as instrument_services
from mutu.instruments.models import Instrument, InstrumentVersion, ItemType, Scale
from mutu.people import services as people_services
from mutu.people.models import Competency, CompetencyType, Employee, Position, Unit
from mutu.programs import services as program_services
from mutu.programs.models import Activity, Enrollment, Partner, Program
from mutu.reference.models import DevelopmentForm, Golongan

_counter = itertools.count(1)


def next_id() -> int:
    """A number not handed out before in this test run."""
    return next(_counter)


def pns_nip(
    serial: int | None = None,
    *,
    birth: date = date(1990, 1, 15),
    appointed: tuple[int, int] = (2015, 3),
    sex: int = 1,
) -> str:
    """A valid 18-digit PNS NIP: birth date, TMT year+month, sex digit, serial."""
    serial = serial if serial is not None else next_id() % 999 + 1
    year, month = appointed
    return f"{birth:%Y%m%d}{year:04d}{month:02d}{sex}{serial:03d}"


def pppk_nip(
    serial: int | None = None,
    *,
    birth: date = date(1995, 6, 1),
    year: int = 2022,
    code: int = 21,
    sex: int = 2,
) -> str:
    """A valid 18-digit NI PPPK: birth date, appointment year, contract code, sex, serial."""
    serial = serial if serial is not None else next_id() % 999 + 1
    return f"{birth:%Y%m%d}{year:04d}{code:02d}{sex}{serial:03d}"


def make_golongan(code: str = "III/a", kind: str = "PNS") -> Golongan:
    """The reference row of a golongan of the pure core's table (created if missing)."""
    parsed = parse_golongan(code, kind=kind)  # type: ignore[arg-type]
    row, _ = Golongan.objects.get_or_create(
        kind=parsed.kind,
        code=parsed.code,
        defaults={
            "rank": parsed.rank,
            "ruang": parsed.ruang or "",
            "pangkat": parsed.pangkat or "",
        },
    )
    return row


def make_unit(**overrides: Any) -> Unit:
    n = next_id()
    fields: dict[str, Any] = {"code": f"U{n:04d}", "name": f"Dinas Contoh {n}", "kind": "skpk"}
    fields.update(overrides)
    return people_services.unit_create(**fields)


def make_position(**overrides: Any) -> Position:
    n = next_id()
    fields: dict[str, Any] = {"code": f"J{n:05d}", "name": f"Analis {n}", "kind": "pelaksana"}
    fields.update(overrides)
    if "unit" not in fields:
        fields["unit"] = make_unit()
    return people_services.position_create(**fields)


def make_competency(**overrides: Any) -> Competency:
    n = next_id()
    fields: dict[str, Any] = {
        "code": f"K{n:03d}",
        "name": f"Kompetensi {n}",
        "type": CompetencyType.MANAJERIAL,
    }
    fields.update(overrides)
    competency = Competency(**fields)
    competency.full_clean()
    competency.save()
    return competency


def make_employee(*, kind: str = "PNS", **overrides: Any) -> Employee:
    """A valid employee: PNS III/a by default; ``kind="PPPK"`` gives a full-time PPPK IX."""
    if kind == "PPPK":
        fields: dict[str, Any] = {
            "nip": pppk_nip(),
            "golongan": make_golongan("IX", "PPPK"),
            "employment_type": "full_time",
        }
    else:
        fields = {"nip": pns_nip(), "golongan": make_golongan("III/a", "PNS")}
    fields["name"] = f"Pegawai {next_id()}"
    fields.update(overrides)
    if "unit" not in fields:
        fields["unit"] = make_unit()
    return people_services.employee_create(**fields)


def make_form(code: str = "bimtek") -> DevelopmentForm:
    """The reference row of a form of development (created from the pure core if missing)."""
    form = get_form(code)
    row, _ = DevelopmentForm.objects.get_or_create(
        code=form.code,
        defaults={
            "category": form.category,
            "label_id": form.label_id,
            "label_en": form.label_en,
            "siasn_type": form.siasn_type,
        },
    )
    return row


def make_partner(**overrides: Any) -> Partner:
    fields: dict[str, Any] = {"name": f"Universitas Contoh {next_id()}", "kind": "university"}
    fields.update(overrides)
    return program_services.partner_create(**fields)


def make_program(**overrides: Any) -> Program:
    n = next_id()
    fields: dict[str, Any] = {
        "code": f"P{n:04d}",
        "name": f"Program {n}",
        "period_start": date(2026, 1, 1),
        "period_end": date(2026, 12, 31),
    }
    fields.update(overrides)
    if "owner_unit" not in fields:
        fields["owner_unit"] = make_unit(kind="skpk")
    return program_services.program_create(**fields)


def aware(day: date, hour: int, minute: int = 0) -> datetime:
    """A time of day in the project's time zone."""
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def make_activity(**overrides: Any) -> Activity:
    n = next_id()
    fields: dict[str, Any] = {
        "code": f"A{n:04d}",
        "title": f"Bimtek {n}",
        "jp": Decimal("16"),
        "start_date": date(2026, 3, 2),
        "end_date": date(2026, 3, 3),
    }
    fields.update(overrides)
    if "program" not in fields:
        fields["program"] = make_program()
    if "form" not in fields:
        fields["form"] = make_form()
    return program_services.activity_create(**fields)


def make_enrollment(**overrides: Any) -> Enrollment:
    fields: dict[str, Any] = dict(overrides)
    if "activity" not in fields:
        fields["activity"] = make_activity()
    if "employee" not in fields:
        fields["employee"] = make_employee()
    return program_services.enrollment_create(**fields)


def make_scale(**overrides: Any) -> Scale:
    fields: dict[str, Any] = {
        "name": f"Likert {next_id()}",
        "min_value": 1,
        "max_value": 4,
        "labels": {"1": {"id": "Tidak setuju", "en": "Disagree"}, "4": {"id": "Setuju"}},
    }
    fields.update(overrides)
    scale = Scale(**fields)
    scale.full_clean()
    scale.save()
    return scale


def make_instrument_version(
    *, anonymous: bool = False, kind: str = "reaction"
) -> InstrumentVersion:
    """An instrument whose version holds ``Q1`` (rating), ``Q2`` (choice) and ``Q3`` (text)."""
    n = next_id()
    instrument: Instrument = instrument_services.instrument_create(
        code=f"I{n:04d}", title_id=f"Survei {n}", kind=kind, is_anonymous=anonymous
    )
    version = instrument_services.instrument_version_create(instrument=instrument)
    instrument_services.item_add(
        version=version,
        code="Q1",
        text_id="Materi bermanfaat",
        item_type=ItemType.LIKERT,
        scale=make_scale(),
    )
    instrument_services.item_add(
        version=version,
        code="Q2",
        text_id="Ibu kota Aceh Tenggara?",
        item_type=ItemType.MULTIPLE_CHOICE,
        answer_key="b",
        options=[
            instrument_services.OptionSpec("a", "Blangkejeren"),
            instrument_services.OptionSpec("b", "Kutacane", is_correct=True),
        ],
    )
    instrument_services.item_add(
        version=version, code="Q3", text_id="Saran", item_type=ItemType.TEXT
    )
    return version
