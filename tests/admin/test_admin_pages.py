"""The Django admin: every page opens, it speaks Indonesian, and it refuses bad input."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from mutu.people.models import Employee
from mutu.programs.models import Activity, JpLedgerEntry
from tests.factories import (
    make_activity,
    make_employee,
    make_form,
    make_golongan,
    make_program,
    make_unit,
    pns_nip,
)

pytestmark = pytest.mark.django_db

MUTU_APPS = {"reference", "people", "programs", "instruments", "indicators"}


def _registered() -> list[tuple[type[Any], admin.ModelAdmin[Any]]]:
    return [
        (model, model_admin)
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label in MUTU_APPS
    ]


def _inline_management(prefixes: list[str]) -> dict[str, str]:
    data: dict[str, str] = {}
    for prefix in prefixes:
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": "0",
                f"{prefix}-INITIAL_FORMS": "0",
                f"{prefix}-MIN_NUM_FORMS": "0",
                f"{prefix}-MAX_NUM_FORMS": "1000",
            }
        )
    return data


def test_every_model_of_the_five_apps_is_registered() -> None:
    from django.apps import apps

    ours = {m for m in apps.get_models() if m._meta.app_label in MUTU_APPS}
    assert ours == {model for model, _ in _registered()}


def test_index_changelists_and_add_pages_open(admin_client: Client) -> None:
    assert admin_client.get(reverse("admin:index")).status_code == 200
    for model, model_admin in _registered():
        name = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        assert admin_client.get(reverse(f"{name}_changelist")).status_code == 200, name
        add = admin_client.get(reverse(f"{name}_add"))
        expected = 200 if model_admin.has_add_permission(add.wsgi_request) else 403
        assert add.status_code == expected, name


def test_change_pages_open(admin_client: Client) -> None:
    employee = make_employee()
    activity = make_activity()
    for obj in (employee, employee.unit, activity, activity.program):
        url = reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])
        assert admin_client.get(url).status_code == 200, url


def test_the_admin_speaks_indonesian(admin_client: Client) -> None:
    make_employee()
    page = admin_client.get(reverse("admin:people_employee_changelist")).content.decode()
    assert "Pegawai" in page  # verbose_name_plural "employees"
    assert "Kepegawaian" in page  # the app's verbose name "People"
    add = admin_client.get(reverse("admin:people_employee_add")).content.decode()
    assert "Tanggal lahir" in add
    assert "Atasan langsung" in add


# -- refusals in the add forms --------------------------------------------------


def _employee_form(**overrides: str) -> dict[str, str]:
    data = {
        "nip": pns_nip(),
        "name": "Rahmah",
        "status": "PNS",
        "employment_type": "",
        "birth_date": "",
        "sex": "",
        "tmt_cpns": "",
        "golongan": str(make_golongan("III/a").pk),
        "education_level": "S1",
        "unit": str(make_unit().pk),
        "position": "",
        "supervisor": "",
        "is_active": "on",
        **_inline_management(["position_history", "performance_records"]),
    }
    data.update(overrides)
    return data


def _post_employee(client: Client, **overrides: str) -> str:
    response = client.post(reverse("admin:people_employee_add"), _employee_form(**overrides))
    assert response.status_code == 200, "the form should be shown again with its errors"
    assert Employee.objects.count() == 0
    return response.content.decode()


def test_admin_adds_a_valid_employee(admin_client: Client) -> None:
    data = _employee_form(nip=pns_nip(sex=2))
    response = admin_client.post(reverse("admin:people_employee_add"), data)
    assert response.status_code == 302
    employee = Employee.objects.get()
    assert employee.sex == "P"
    assert employee.birth_date is not None


def test_admin_refuses_a_malformed_nip_in_indonesian(admin_client: Client) -> None:
    page = _post_employee(admin_client, nip="19860926201505100")
    assert "NIP harus 18 digit" in page


def test_admin_refuses_an_unknown_golongan(admin_client: Client) -> None:
    page = _post_employee(admin_client, golongan="987654")
    assert "Masukkan pilihan yang valid" in page


def test_admin_refuses_a_golongan_of_the_other_kind_in_indonesian(admin_client: Client) -> None:
    page = _post_employee(admin_client, golongan=str(make_golongan("IX", "PPPK").pk))
    assert "tidak dikenal" in page
    assert "Golongan PNS" in page


def test_admin_refuses_an_appointment_before_the_18th_birthday(admin_client: Client) -> None:
    nip = pns_nip(birth=date(1990, 5, 20), appointed=(2008, 5))
    page = _post_employee(admin_client, nip=nip, tmt_cpns="2008-05-01")
    assert "sebelum ulang tahun ke-18" in page


def test_admin_refuses_a_nip_that_appoints_before_the_18th_birthday(admin_client: Client) -> None:
    nip = pns_nip(birth=date(2000, 5, 20), appointed=(2017, 6))
    page = _post_employee(admin_client, nip=nip)
    assert "ulang tahun ke-18" in page


def test_admin_refuses_negative_jp_for_an_activity(admin_client: Client) -> None:
    data = {
        "program": str(make_program().pk),
        "code": "A-ADMIN",
        "title": "Bimtek pelayanan publik",
        "form": str(make_form().pk),
        "jp": "-4",
        "venue": "",
        "kecamatan": "",
        "organiser": "",
        "partner": "",
        "capacity": "",
        "start_date": "2026-03-02",
        "end_date": "2026-03-03",
        "status": "planned",
        **_inline_management(["sessions"]),
    }
    response = admin_client.post(reverse("admin:programs_activity_add"), data)
    assert response.status_code == 200
    assert "JP tidak boleh negatif" in response.content.decode()
    assert Activity.objects.count() == 0


def test_admin_refuses_negative_jp_in_the_ledger(admin_client: Client) -> None:
    data = {
        "employee": str(make_employee().pk),
        "date": "2026-04-01",
        "jp": "-1",
        "minutes": "",
        "source": "external",
        "enrollment": "",
        "title": "Seminar",
        "organiser": "",
        "approval_status": "pending",
    }
    response = admin_client.post(reverse("admin:programs_jpledgerentry_add"), data)
    assert response.status_code == 200
    assert "JP tidak boleh negatif" in response.content.decode()
    assert JpLedgerEntry.objects.count() == 0


def test_response_identity_is_read_only_and_not_inline(admin_client: Client) -> None:
    from mutu.instruments.admin import ResponseAdmin
    from mutu.instruments.models import ResponseIdentity

    assert all(inline.model is not ResponseIdentity for inline in ResponseAdmin.inlines)
    response = admin_client.get(reverse("admin:instruments_responseidentity_add"))
    assert response.status_code == 403


def test_a_locked_version_is_shown_but_cannot_be_changed(admin_client: Client) -> None:
    from mutu.instruments import services as instrument_services
    from mutu.instruments.models import Item, ItemOption
    from tests.factories import make_instrument_version

    version = make_instrument_version()
    open_item = Item.objects.get(version=version, code="Q3")
    # Before publishing the item's page can be saved; after, it is read-only.
    page = admin_client.get(reverse("admin:instruments_item_change", args=[open_item.pk]))
    assert 'name="_save"' in page.content.decode()
    instrument_services.version_publish(version=version)
    item = Item.objects.get(version=version, code="Q2")
    option = ItemOption.objects.filter(item=item).first()
    assert option is not None
    for name, pk in [
        ("instruments_instrumentversion", version.pk),
        ("instruments_item", item.pk),
        ("instruments_itemoption", option.pk),
        ("instruments_scale", Item.objects.get(version=version, code="Q1").scale_id),
    ]:
        url = reverse(f"admin:{name}_change", args=[pk])
        page = admin_client.get(url)
        assert page.status_code == 200, name  # still shown
        assert 'name="_save"' not in page.content.decode(), name
        before = item.text_id
        answer = admin_client.post(url, {"text_id": "Diubah", "code": "X"})
        assert answer.status_code == 403, name
        item.refresh_from_db()
        assert item.text_id == before
        delete = admin_client.post(reverse(f"admin:{name}_delete", args=[pk]), {"post": "yes"})
        assert delete.status_code == 403, name
    assert Item.objects.filter(version=version).count() == 3
    # A new item cannot be put into the locked version from the add form either.
    answer = admin_client.post(
        reverse("admin:instruments_item_add"),
        {"version": version.pk, "order": 9, "code": "Q9", "text_id": "Baru", "item_type": "text"},
    )
    assert answer.status_code == 200  # the form again, with the error
    assert not Item.objects.filter(version=version, code="Q9").exists()
