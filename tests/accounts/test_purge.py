"""`mutu purge`: each kind of data past its MUTU_RETENTION_* days goes, in one transaction."""

from __future__ import annotations

import datetime as dt
import io
import json
import time
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from mutu.accounts.management.commands import purge
from mutu.accounts.models import AuditEvent, LoginEvent, LoginOutcome
from mutu.imports.models import ExportLog
from mutu.instruments.field_services import activity_instrument_attach
from mutu.instruments.models import InstrumentLink, Response, ResponseIdentity
from mutu.instruments.services import response_submit
from tests.factories import make_activity, make_enrollment, make_instrument_version


@pytest.fixture
def retention(settings: Any, tmp_path: Path) -> Any:
    settings.MUTU_RETENTION_LOGIN_EVENTS_DAYS = 30
    settings.MUTU_RETENTION_AUDIT_EVENTS_DAYS = 60
    settings.MUTU_RETENTION_EXPORT_LOGS_DAYS = 90
    settings.MUTU_RETENTION_SURVEY_LINKS_DAYS = 100
    settings.MUTU_RETENTION_RESPONSE_IDENTITIES_DAYS = 100
    settings.MUTU_IMPORT_UPLOAD_ROOT = str(tmp_path / "impor")
    settings.MUTU_IMPORT_UPLOAD_TTL = 3600
    return settings


def _days_ago(days: int) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=days)


def _upload(root: Path, token: str, created: float) -> Path:
    folder = root / "7" / token
    folder.mkdir(parents=True)
    (folder / "manifest.json").write_text(json.dumps({"created": created}), encoding="utf-8")
    return folder


def _world(settings: Any) -> dict[str, Any]:
    """Old and recent rows of every kind; returns what must go and what must stay."""
    old_login = LoginEvent.objects.create(username="a", outcome=LoginOutcome.FAILED)
    LoginEvent.objects.filter(pk=old_login.pk).update(at=_days_ago(31))
    new_login = LoginEvent.objects.create(username="b", outcome=LoginOutcome.FAILED)
    old_export = ExportLog.objects.create(kind="employees", file_name="x", rows=1, actor="a")
    ExportLog.objects.filter(pk=old_export.pk).update(created_at=_days_ago(91))
    new_export = ExportLog.objects.create(kind="employees", file_name="y", rows=1, actor="a")

    today = timezone.localdate()
    version = make_instrument_version(kind="reaction")
    stale = make_activity(
        start_date=today - dt.timedelta(days=200), end_date=today - dt.timedelta(days=199)
    )
    fresh = make_activity(
        start_date=today - dt.timedelta(days=20), end_date=today - dt.timedelta(days=19)
    )
    stale_person = make_enrollment(activity=stale).employee
    fresh_person = make_enrollment(activity=fresh).employee
    for activity in (stale, fresh):
        activity_instrument_attach(activity=activity, version=version, occasion="end")
    answers = {"Q1": 3}
    old_response = response_submit(
        version=version,
        answers=answers,
        respondent_role="participant",
        activity=stale,
        employee=stale_person,
        occasion="end",
    )
    new_response = response_submit(
        version=version,
        answers=answers,
        respondent_role="participant",
        activity=fresh,
        employee=fresh_person,
        occasion="end",
    )
    # every audit event so far is old; one recent one stays
    AuditEvent.objects.update(at=_days_ago(61))
    recent_audit = AuditEvent.objects.create(actor="x", action="update", model="people.Unit")
    root = Path(settings.MUTU_IMPORT_UPLOAD_ROOT)
    return {
        "old_login": old_login.pk,
        "new_login": new_login.pk,
        "old_export": old_export.pk,
        "new_export": new_export.pk,
        "stale_links": set(
            InstrumentLink.objects.filter(attachment__activity=stale).values_list("pk", flat=True)
        ),
        "fresh_links": set(
            InstrumentLink.objects.filter(attachment__activity=fresh).values_list("pk", flat=True)
        ),
        "old_response": old_response.pk,
        "new_response": new_response.pk,
        "old_audit": AuditEvent.objects.exclude(pk=recent_audit.pk).count(),
        "recent_audit": recent_audit.pk,
        "old_upload": _upload(root, "a" * 32, time.time() - 7200),
        "new_upload": _upload(root, "b" * 32, time.time() - 60),
    }


def _counts(text: str) -> dict[str, int]:
    return {
        line.split(":")[0]: int(line.split(":")[1].split()[0]) for line in text.strip().splitlines()
    }


@pytest.mark.django_db
def test_dry_run_counts_and_deletes_nothing_then_purge_deletes_exactly_what_is_past(
    retention: Any, django_capture_on_commit_callbacks: Any
) -> None:
    world = _world(retention)
    assert world["stale_links"] and world["fresh_links"]
    out = io.StringIO()
    call_command("purge", "--dry-run", stdout=out)
    expected = {
        "login events": 1,
        "audit events": world["old_audit"],
        "export log": 1,
        "survey links": len(world["stale_links"]),
        "response identities": 1,
        "pending uploads": 1,
    }
    assert _counts(out.getvalue()) == expected
    assert LoginEvent.objects.filter(pk=world["old_login"]).exists()
    assert InstrumentLink.objects.filter(pk__in=world["stale_links"]).count() == len(
        world["stale_links"]
    )
    assert world["old_upload"].is_dir()

    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("purge", stdout=out)
    assert _counts(out.getvalue()) == expected
    assert not LoginEvent.objects.filter(pk=world["old_login"]).exists()
    assert LoginEvent.objects.filter(pk=world["new_login"]).exists()
    assert not ExportLog.objects.filter(pk=world["old_export"]).exists()
    assert ExportLog.objects.filter(pk=world["new_export"]).exists()
    assert not InstrumentLink.objects.filter(pk__in=world["stale_links"]).exists()
    assert InstrumentLink.objects.filter(pk__in=world["fresh_links"]).count() == len(
        world["fresh_links"]
    )
    # the name goes, the answers stay
    assert not ResponseIdentity.objects.filter(response_id=world["old_response"]).exists()
    assert Response.objects.get(pk=world["old_response"]).answers.count() == 1
    assert ResponseIdentity.objects.filter(response_id=world["new_response"]).exists()
    assert not world["old_upload"].exists() and world["new_upload"].is_dir()
    # old audit events gone; the recent one and one purge event per kind emptied remain
    assert AuditEvent.objects.filter(pk=world["recent_audit"]).exists()
    purges = AuditEvent.objects.filter(action="purge")
    assert purges.count() == 5 and set(purges.values_list("actor", flat=True)) == {"mutu purge"}
    # a second purge finds nothing
    out = io.StringIO()
    call_command("purge", stdout=out)
    assert set(_counts(out.getvalue()).values()) == {0}


@pytest.mark.django_db
def test_zero_days_keeps_for_ever(retention: Any) -> None:
    retention.MUTU_RETENTION_LOGIN_EVENTS_DAYS = 0
    old = LoginEvent.objects.create(username="a", outcome=LoginOutcome.FAILED)
    LoginEvent.objects.filter(pk=old.pk).update(at=_days_ago(5000))
    found = {row.kind: row for row in purge.purge_run()}
    assert found["login events"].count == 0
    assert LoginEvent.objects.filter(pk=old.pk).exists()


@pytest.mark.django_db
def test_a_failure_half_way_deletes_nothing(
    retention: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    for days in (31, 91):
        event = LoginEvent.objects.create(username="a", outcome=LoginOutcome.FAILED)
        LoginEvent.objects.filter(pk=event.pk).update(at=_days_ago(days))
    export = ExportLog.objects.create(kind="employees", file_name="x", rows=1, actor="a")
    ExportLog.objects.filter(pk=export.pk).update(created_at=_days_ago(91))
    real = purge.audit_record
    calls: list[str] = []

    def fail_on_the_export_log(**kwargs: Any) -> Any:
        calls.append(kwargs["model"])
        if kwargs["model"] == "imports.ExportLog":
            raise RuntimeError("disk full")
        return real(**kwargs)

    monkeypatch.setattr(purge, "audit_record", fail_on_the_export_log)
    with pytest.raises(RuntimeError):
        purge.purge_run()
    assert calls[0] == "accounts.LoginEvent"  # the login events had been deleted by then
    assert LoginEvent.objects.count() == 2 and ExportLog.objects.count() == 1
