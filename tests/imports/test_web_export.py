"""Downloads ``/ekspor/<kind>/``: the user's rows only, refused roles, the export log, the files."""

from __future__ import annotations

import csv
from datetime import date
from decimal import Decimal
from html import unescape
from io import BytesIO, StringIO
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook

from mutu.imports.models import ExportLog
from mutu.indicators.models import SkmResult
from tests.factories import make_activity, make_enrollment, make_program
from tests.imports.web_support import Registry, client_for, registry_load, upload_root, user_with

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry(settings: Any, tmp_path: Path) -> Registry:
    upload_root(settings, tmp_path)
    return registry_load()


def xlsx_rows(answer: Any) -> list[list[Any]]:
    assert answer.status_code == 200, answer.content[:500]
    assert answer["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(BytesIO(answer.content)).worksheets[0]
    return [list(r) for r in ws.iter_rows(values_only=True)]


def csv_rows(answer: Any) -> list[list[str]]:
    assert answer.status_code == 200, answer.content[:500]
    assert answer["Content-Type"].startswith("text/csv")
    assert answer.content.startswith(b"\xef\xbb\xbf")  # UTF-8 with a byte-order mark
    text = answer.content.decode("utf-8-sig")
    return list(csv.reader(StringIO(text), delimiter=";"))


def test_an_administrator_downloads_every_employee_as_a_workbook_and_it_is_logged(
    registry: Registry,
) -> None:
    user = user_with("admin")
    answer = client_for(user).get("/ekspor/employees/?format=xlsx")
    rows = xlsx_rows(answer)
    assert 'attachment; filename="employees-' in answer["Content-Disposition"]
    header, body = rows[0], rows[1:]
    assert header[:2] == ["NIP", "Nama"]
    nips = {r[0] for r in body}
    assert nips == {registry.nurse.nip, registry.midwife.nip, registry.clerk.nip}
    ws = load_workbook(BytesIO(answer.content)).worksheets[0]
    assert ws.cell(row=2, column=1).number_format == "@"  # NIPs are text: Excel cannot round them
    assert ws.cell(row=1, column=1).font.bold

    log = ExportLog.objects.get()
    assert (log.kind, log.channel, log.personal, log.rows) == ("employees", "web", True, 3)
    assert log.user == user and log.actor == user.get_username()
    assert log.file_name.endswith(".xlsx")


def test_a_unit_operator_gets_only_their_unit_and_its_sub_units(registry: Registry) -> None:
    client = client_for(user_with("unit_operator", unit=registry.dinkes))
    rows = csv_rows(client.get("/ekspor/employees/?format=csv"))
    header, body = rows[0], rows[1:]
    nip, birth, unit = header.index("NIP"), header.index("Tgl Lahir"), header.index("Kode Unit")
    assert {r[nip] for r in body} == {registry.nurse.nip, registry.midwife.nip}
    assert {r[unit] for r in body} == {"DINKES", "PKM-KTC"}
    assert {r[birth] for r in body} == {"08-08-1988"}  # dd-mm-YYYY
    log = ExportLog.objects.get()
    assert (log.rows, log.channel, log.personal) == (2, "web", True)
    assert log.filters == {"scope": "units of the user"}

    # Asking for another unit gives nothing of it.
    rows = csv_rows(client.get("/ekspor/employees/?format=csv&unit=DINSOS"))
    assert rows[1:] == []
    assert ExportLog.objects.order_by("-pk").first().filters["unit"] == "DINSOS"  # type: ignore[union-attr]


def test_the_unit_filter_takes_the_sub_units_too(registry: Registry) -> None:
    client = client_for(user_with("admin"))
    rows = csv_rows(client.get("/ekspor/employees/?format=csv&unit=DINKES"))
    assert sorted(r[0] for r in rows[1:]) == sorted([registry.nurse.nip, registry.midwife.nip])
    rows = csv_rows(client.get("/ekspor/employees/?format=csv&unit=PKM-KTC"))
    assert [r[0] for r in rows[1:]] == [registry.midwife.nip]


@pytest.mark.parametrize("kind", ["employees", "enrollments", "attendance", "course_history"])
def test_an_analyst_is_refused_personal_data_and_nothing_is_logged(
    registry: Registry, kind: str
) -> None:
    client = client_for(user_with("analyst"), "en")
    answer = client.get(f"/ekspor/{kind}/?format=xlsx")
    assert answer.status_code == 403
    assert "may not download personal data" in unescape(answer.content.decode())
    assert not ExportLog.objects.exists()


def test_an_analyst_downloads_data_without_people(registry: Registry) -> None:
    make_activity(code="BIMTEK-1", title="Bimtek Pelayanan")
    client = client_for(user_with("analyst"))
    rows = xlsx_rows(client.get("/ekspor/activities/?format=xlsx"))
    assert [r[0] for r in rows[1:]] == ["BIMTEK-1"]
    units = csv_rows(client.get("/ekspor/units/?format=csv"))
    assert {r[0] for r in units[1:]} >= {"DINKES", "PKM-KTC", "DINSOS"}
    logs = list(ExportLog.objects.order_by("pk").values_list("kind", "personal", "channel"))
    assert logs == [("activities", False, "web"), ("units", False, "web")]


def test_a_unit_head_downloads_their_units_but_no_personal_data(registry: Registry) -> None:
    client = client_for(user_with("unit_head", unit=registry.dinkes))
    assert client.get("/ekspor/employees/").status_code == 403
    units = csv_rows(client.get("/ekspor/units/?format=csv"))
    assert sorted(r[0] for r in units[1:]) == ["DINKES", "PKM-KTC"]


@pytest.mark.parametrize("kind", ["units", "activities", "employees"])
def test_participants_and_supervisors_download_nothing(registry: Registry, kind: str) -> None:
    for role in ("participant", "supervisor"):
        client = client_for(user_with(role, employee=registry.nurse))
        answer = client.get(f"/ekspor/{kind}/")
        assert answer.status_code == 403
        assert 'data-testid="export-refused"' in answer.content.decode()
    assert not ExportLog.objects.exists()


def test_enrollments_of_an_activity_only_the_operators_people(registry: Registry) -> None:
    activity = make_activity(code="BIMTEK-2")
    for person in (registry.nurse, registry.clerk):
        make_enrollment(activity=activity, employee=person)
    make_enrollment(employee=registry.midwife)  # another activity
    operator = client_for(user_with("unit_operator", unit=registry.dinkes))
    rows = csv_rows(operator.get("/ekspor/enrollments/?format=csv&kegiatan=BIMTEK-2"))
    assert [(r[0], r[1]) for r in rows[1:]] == [("BIMTEK-2", registry.nurse.nip)]
    admin = client_for(user_with("admin"))
    rows = csv_rows(admin.get("/ekspor/enrollments/?format=csv&activity=BIMTEK-2"))
    assert sorted(r[1] for r in rows[1:]) == sorted([registry.nurse.nip, registry.clerk.nip])
    log = ExportLog.objects.order_by("-pk").first()
    assert log is not None and log.filters == {"activity": "BIMTEK-2"} and log.rows == 2


@pytest.mark.parametrize(
    ("url", "status", "fragment"),
    [
        ("/ekspor/activities/?tahun=20x5", 400, "Tahun '20x5' tidak sah"),
        ("/ekspor/activities/?format=pdf", 400, "Format unduhan harus xlsx atau csv"),
        ("/ekspor/course_history/?shape=simpeg", 400, "Bentuk 'simpeg' tidak ada"),
        ("/ekspor/employees/?unit=TIDAK-ADA", 400, "Unit 'TIDAK-ADA' tidak ada"),
        ("/ekspor/gaji/", 404, ""),
    ],
)
def test_a_bad_download_request_is_refused_clearly(
    registry: Registry, url: str, status: int, fragment: str
) -> None:
    answer = client_for(user_with("admin")).get(url)
    assert answer.status_code == status
    assert fragment in unescape(answer.content.decode())
    assert not ExportLog.objects.exists()


def test_the_siasn_shape_of_course_history(registry: Registry) -> None:
    answer = client_for(user_with("admin")).get("/ekspor/course_history/?format=csv&shape=siasn")
    rows = csv_rows(answer)
    assert rows[0][:3] == ["NIP", "namaKursus", "institusiPenyelenggara"]
    assert "course_history-siasn-" in answer["Content-Disposition"]


def test_anonymous_visitors_are_sent_to_sign_in(registry: Registry) -> None:
    answer = Client().get("/ekspor/employees/")
    assert answer.status_code == 302 and answer["Location"].startswith("/masuk/")


def test_list_pages_show_the_buttons_a_role_may_use(registry: Registry) -> None:
    activity = make_activity(code="BIMTEK-3", program=make_program(owner_unit=registry.dinkes))
    make_enrollment(activity=activity, employee=registry.nurse)

    admin = client_for(user_with("admin"))
    page = admin.get("/kegiatan/?year=2026").content.decode()
    assert 'data-testid="export-activities"' in page
    assert "/ekspor/activities/?format=xlsx&amp;year=2026" in page
    page = admin.get(f"/kegiatan/{activity.pk}/").content.decode()
    assert "/ekspor/enrollments/?format=csv&amp;activity=BIMTEK-3" in page
    page = admin.get("/dasbor/unit/DINKES/").content.decode()
    assert "/ekspor/employees/?format=xlsx&amp;unit=DINKES" in page

    analyst = client_for(user_with("analyst"))
    page = analyst.get("/kegiatan/").content.decode()
    assert 'data-testid="export-activities"' in page
    page = analyst.get(f"/kegiatan/{activity.pk}/").content.decode()
    assert 'data-testid="export-enrollments"' not in page  # personal data: no button
    page = analyst.get("/dasbor/unit/DINKES/").content.decode()
    assert 'data-testid="export-employees"' not in page
    page = analyst.get("/laporan/").content.decode()
    assert 'data-testid="export-skm_results"' in page
    assert 'data-testid="export-course_history"' not in page


def test_skm_means_over_too_few_respondents_are_withheld_except_for_administrators(
    registry: Registry,
) -> None:
    for unit, n in ((registry.dinkes, 3), (registry.dinsos, 40)):
        SkmResult.objects.create(
            unit=unit,
            period_start=date(2025, 1, 1),
            period_end=date(2025, 12, 31),
            element="U1",
            nrr=Decimal("3.25"),
            respondent_count=n,
        )
    analyst = client_for(user_with("analyst"))
    rows = csv_rows(analyst.get("/ekspor/skm_results/?format=csv&tahun=2025"))
    header = rows[0]
    u1, n = header.index("U1"), header.index("Responden")
    by_unit = {r[0]: (r[n], r[u1]) for r in rows[1:]}
    assert by_unit == {"DINKES": ("3", ""), "DINSOS": ("40", "3,25")}
    admin = client_for(user_with("admin"))
    rows = csv_rows(admin.get("/ekspor/skm_results/?format=csv&tahun=2025"))
    assert {r[0]: r[u1] for r in rows[1:]} == {"DINKES": "3,25", "DINSOS": "3,25"}
