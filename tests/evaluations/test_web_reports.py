"""The reports page: admins and analysts write the report from the stored evaluation and
download it; bad input is refused in the active language and writes nothing; others 403."""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.test import Client

from mutu.accounts.models import Role
from mutu.accounts.services import role_assign
from mutu.evaluations.models import EvaluationRun
from mutu.evaluations.services import evaluation_run_store
from tests.dashboard.world import evaluation_json
from tests.factories import make_unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path / "media" / "reports"


@pytest.fixture
def run() -> EvaluationRun:
    results = evaluation_json()
    return evaluation_run_store(
        results=results, data_hash=results["data_hash"], year=None, plan=results["plan"]
    )


def user(role: str, **covers: object) -> AbstractBaseUser:
    account = get_user_model().objects.create_user(username=f"u-{role}", password=None)
    role_assign(user_id=account.pk, role=role, **covers)  # type: ignore[arg-type]
    return account


def test_an_analyst_writes_a_report_and_downloads_it(
    client: Client, media: Path, run: EvaluationRun
) -> None:
    year = run.results["data"]["year"]
    client.force_login(user(Role.ANALYST))
    form = client.get("/laporan/")
    assert form.status_code == 200
    assert f'<option value="{year}" selected>' in form.content.decode()
    response = client.post("/laporan/", {"tahun": year, "bahasa": "id", "format": ["html", "xlsx"]})
    assert response.status_code == 302 and response["Location"] == "/laporan/"
    folder = media / f"evaluasi-{run.pk}"
    written = sorted(p.name for p in folder.iterdir())
    assert written == [f"laporan-evaluasi-{year}.html", f"laporan-evaluasi-{year}.xlsx"]
    assert not [p for p in media.iterdir() if p.name.startswith(".")]  # no scratch left
    listing = client.get("/laporan/").content.decode()
    url = f"/laporan/unduh/{run.pk}/laporan-evaluasi-{year}.html"
    assert f'href="{url}"' in listing
    download = client.get(url)
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    body = b"".join(download.streaming_content)  # type: ignore[attr-defined]
    assert body.startswith(b"<!DOCTYPE html>") and b'lang="id"' in body


def test_the_english_report_has_its_english_name(
    client: Client, media: Path, run: EvaluationRun
) -> None:
    year = run.results["data"]["year"]
    client.force_login(user(Role.ADMIN))
    client.post("/laporan/", {"tahun": year, "bahasa": "en", "format": "html"})
    path = media / f"evaluasi-{run.pk}" / f"evaluation-report-{year}.html"
    assert path.exists() and 'lang="en"' in path.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("data", "indonesian", "english"),
    [
        ({"tahun": "1999", "bahasa": "id", "format": "html"}, "Tidak ada evaluasi", "no stored"),
        ({"tahun": "abc", "bahasa": "id", "format": "html"}, "Tidak ada evaluasi", "no stored"),
        ({"bahasa": "fr", "format": "html"}, "Pilih bahasa", "Choose the report's language"),
        ({"bahasa": "id"}, "paling sedikit satu format", "at least one format"),
        ({"bahasa": "id", "format": "odt"}, "paling sedikit satu format", "at least one format"),
    ],
)
def test_bad_input_is_refused_in_the_active_language_and_writes_nothing(
    client: Client,
    media: Path,
    run: EvaluationRun,
    data: dict[str, str],
    indonesian: str,
    english: str,
) -> None:
    data = {"tahun": str(run.results["data"]["year"]), **data}
    client.force_login(user(Role.ADMIN))
    response = client.post("/laporan/", data)
    assert response.status_code == 400
    assert indonesian in html.unescape(response.content.decode())
    response = client.post("/laporan/", data, HTTP_ACCEPT_LANGUAGE="en")
    assert english in html.unescape(response.content.decode())
    assert not media.exists() or not any(media.rglob("*.*"))


def test_other_roles_are_refused(client: Client, media: Path, run: EvaluationRun) -> None:
    year = run.results["data"]["year"]
    head = user(Role.UNIT_HEAD, unit=make_unit())
    client.force_login(head)
    assert client.get("/laporan/").status_code == 403
    refused = client.post("/laporan/", {"tahun": year, "bahasa": "id", "format": "html"})
    assert refused.status_code == 403
    assert not media.exists()
    assert client.get(f"/laporan/unduh/{run.pk}/laporan-evaluasi-{year}.html").status_code == 403
    client.logout()
    assert client.get("/laporan/")["Location"].startswith("/masuk/")


def test_only_written_report_files_can_be_downloaded(
    client: Client, media: Path, run: EvaluationRun
) -> None:
    client.force_login(user(Role.ADMIN))
    secret = media / f"evaluasi-{run.pk}" / "catatan.txt"
    secret.parent.mkdir(parents=True)
    secret.write_text("rahasia")
    for name in ("catatan.txt", "laporan-evaluasi-2026.html", "..%2F..%2Fsettings.py"):
        assert client.get(f"/laporan/unduh/{run.pk}/{name}").status_code == 404


def test_without_a_stored_evaluation_the_page_says_to_run_mutu_evaluate(
    client: Client, media: Path
) -> None:
    client.force_login(user(Role.ADMIN))
    text = client.get("/laporan/").content.decode()
    assert "mutu evaluate" in text and 'data-testid="report-form"' not in text
    assert (
        client.post("/laporan/", {"tahun": "2026", "bahasa": "id", "format": "html"}).status_code
        == 400
    )
    assert EvaluationRun.objects.count() == 0
