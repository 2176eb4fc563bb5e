"""Every kind and column is documented; the export log is kept and cannot be edited."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from mutu.imports.kinds import KINDS
from mutu.imports.models import ExportLog
from mutu.reference.services import reference_data_load
from tests.factories import make_unit
from tests.imports.helpers import mutu

DOC = Path(__file__).resolve().parents[2] / "docs" / "imports.md"


def test_every_kind_and_column_is_documented() -> None:
    text = DOC.read_text(encoding="utf-8")
    missing = []
    for name, kind in KINDS.items():
        if f"### `{name}`" not in text:
            missing.append(name)
        for column in kind.columns:
            label = column.label.replace("{n}", "1")
            if column.key != "no" and f"`{label}`" not in text:
                missing.append(f"{name}.{column.label}")
    assert missing == []


@pytest.mark.django_db
def test_an_export_is_logged_with_who_and_what(tmp_path: Path) -> None:
    reference_data_load()
    make_unit(code="BKPSDM")
    user = get_user_model().objects.create_user("operator", password="x")
    out, error = mutu("export", "units", "--out", str(tmp_path / "u.csv"), "--user", "operator")
    assert error is None
    assert "data pribadi" not in out
    log = ExportLog.objects.get()
    assert (log.kind, log.rows, log.personal, log.user, log.actor) == (
        "units",
        1,
        False,
        user,
        "operator",
    )
    assert log.filters == {}
    assert log.file_name.endswith("u.csv")
    _out, error = mutu("export", "units", "--out", str(tmp_path / "u.txt"))
    assert error is not None and ".xlsx or .csv" in error
    _out, error = mutu("export", "units", "--out", str(tmp_path / "u.xlsx"), "--shape", "siasn")
    assert error is not None and "mutu" in error
    _out, error = mutu("export", "units", "--out", str(tmp_path / "u.xlsx"), "--year", "2026")
    assert error is not None and "cannot be filtered by --year" in error
    assert ExportLog.objects.count() == 1
    out, error = mutu("export", "skm_results", "--out", str(tmp_path / "s.xlsx"), "--year", "2026")
    assert error is None
    assert ExportLog.objects.latest("pk").filters == {"year": "2026"}


@pytest.mark.django_db
def test_the_export_log_is_read_only_in_the_admin(admin_client: Client, tmp_path: Path) -> None:
    reference_data_load()
    mutu("export", "units", "--out", str(tmp_path / "u.xlsx"))
    log = ExportLog.objects.get()
    assert admin_client.get(reverse("admin:imports_exportlog_changelist")).status_code == 200
    assert admin_client.get(reverse("admin:imports_exportlog_add")).status_code == 403
    change = admin_client.get(reverse("admin:imports_exportlog_change", args=[log.pk]))
    assert change.status_code == 200
    assert b'name="_save"' not in change.content
    delete = admin_client.get(reverse("admin:imports_exportlog_delete", args=[log.pk]))
    assert delete.status_code == 403
