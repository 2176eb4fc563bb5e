"""A small registry, users with roles and signed-in clients, for the upload and download pages."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.test import Client

from mutu.accounts.services import role_assign
from mutu.people.models import Employee, Unit
from mutu.reference.services import reference_data_load
from tests.factories import make_employee, make_golongan, make_unit, next_id, pns_nip

HEADER = ["NIP", "Nama", "Tgl Lahir", "Status", "Gol", "Unit Kerja", "Pendidikan", "TMT CPNS"]


def user_with(role: str, **covers: Any) -> Any:
    """A user with one role (``unit=`` or ``employee=`` as the role needs)."""
    user = get_user_model().objects.create_user(username=f"w{next_id()}", password="x-long-pw-9")
    role_assign(user_id=user.pk, role=role, **covers)
    return user


def client_for(user: Any, lang: str = "id") -> Client:
    client = Client(headers={"accept-language": lang})
    client.force_login(user)
    client.cookies["django_language"] = lang
    return client


@dataclass
class Registry:
    """DINKES with its puskesmas below it, and DINSOS beside it; one person in each."""

    dinkes: Unit
    puskesmas: Unit
    dinsos: Unit
    nurse: Employee  # DINKES
    midwife: Employee  # PUSKESMAS (inside DINKES's subtree)
    clerk: Employee  # DINSOS

    def row(self, serial: int, name: str, unit: str, gol: str = "III/a") -> list[str]:
        """A valid employee row (a new NIP from ``serial``) in ``unit`` (a name or code)."""
        nip = pns_nip(serial, birth=date(1991, 4, 5), appointed=(2018, 2))
        return [nip, name, "05-04-1991", "PNS", gol, unit, "S1", "01-02-2018"]

    def existing(self, employee: Employee, **changes: str) -> list[str]:
        """``employee`` as a row, as stored, with ``changes`` (keys: gol, unit)."""
        assert employee.golongan is not None
        return [
            employee.nip,
            employee.name,
            f"{employee.birth_date:%d-%m-%Y}" if employee.birth_date else "",
            employee.status,
            changes.get("gol", employee.golongan.code),
            changes.get("unit", employee.unit.code),
            employee.education_level,
            f"{employee.tmt_cpns:%d-%m-%Y}" if employee.tmt_cpns else "",
        ]


def registry_load() -> Registry:
    reference_data_load()
    dinkes = make_unit(code="DINKES", name="Dinas Kesehatan")
    puskesmas = make_unit(
        code="PKM-KTC", name="Puskesmas Kutacane", kind="puskesmas", parent=dinkes
    )
    dinsos = make_unit(code="DINSOS", name="Dinas Sosial")

    def person(serial: int, name: str, unit: Unit) -> Employee:
        return make_employee(
            nip=pns_nip(serial, birth=date(1988, 8, 8), appointed=(2012, 3)),
            name=name,
            unit=unit,
            golongan=make_golongan("III/b"),
            education_level="S1",
            tmt_cpns=date(2012, 3, 1),
        )

    return Registry(
        dinkes=dinkes,
        puskesmas=puskesmas,
        dinsos=dinsos,
        nurse=person(101, "Perawat Dinkes", dinkes),
        midwife=person(102, "Bidan Puskesmas", puskesmas),
        clerk=person(103, "Staf Dinsos", dinsos),
    )


def upload_root(settings: Any, tmp_path: Path) -> Path:
    """Point the pending uploads at a folder of the test."""
    root = tmp_path / "uploads"
    settings.MUTU_IMPORT_UPLOAD_ROOT = root
    return root


def token_of(location: str) -> str:
    """The upload token in a preview address (``/impor/pratinjau/?berkas=…``)."""
    found = re.search(r"berkas=([0-9a-f]{32})", location)
    assert found, location
    return found.group(1)


def text_of(html: str, testid: str) -> str:
    """The text inside the element with ``data-testid=testid`` (tags stripped)."""
    found = re.search(rf'data-testid="{testid}"[^>]*>(.*?)</', html, re.S)
    assert found, testid
    return re.sub(r"<[^>]+>", "", found.group(1)).strip()
