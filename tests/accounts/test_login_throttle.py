"""Argon2 password hashing, login throttling and lockout, and the sign-in audit trail."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth.hashers import make_password
from django.test import Client, RequestFactory

from mutu.accounts.models import LoginEvent, LoginOutcome

PASSWORD = "a-long-password-9"
LOCKED_ID = "Terlalu banyak percobaan masuk yang gagal"
LOCKED_EN = "Too many failed sign-ins"


@pytest.fixture
def siti() -> Any:
    return get_user_model().objects.create_user(username="siti", password=PASSWORD)


def sign_in(client: Client, password: str, *, username: str = "siti", **extra: Any) -> Any:
    return client.post("/masuk/", {"username": username, "password": password}, **extra)


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def outcomes() -> list[str]:
    return list(LoginEvent.objects.order_by("at", "pk").values_list("outcome", flat=True))


@pytest.mark.django_db
def test_passwords_are_hashed_with_argon2_and_old_hashes_are_upgraded(client: Client) -> None:
    user = get_user_model().objects.create_user(username="budi", password=PASSWORD)
    assert user.password.startswith("argon2$argon2id$")
    user.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
    user.save()
    assert sign_in(client, PASSWORD, username="budi").status_code == 302
    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$")


@pytest.mark.django_db
def test_five_failures_lock_the_name_from_that_address_even_with_the_right_password(
    client: Client, siti: Any, settings: Any
) -> None:
    assert settings.MUTU_LOGIN_MAX_FAILURES == 5
    for _ in range(5):
        answer = sign_in(client, "salah")
        assert "kata sandi salah" in answer.content.decode()
    refused = sign_in(client, PASSWORD)
    assert refused.status_code == 200
    assert not signed_in(client)
    text = refused.content.decode()
    assert LOCKED_ID in text
    assert "15 menit" in text
    assert outcomes() == ["failed"] * 5 + ["locked"]
    # The same refusal in English, and trying again while locked does not extend the lockout.
    english = sign_in(client, PASSWORD, HTTP_ACCEPT_LANGUAGE="en")
    assert LOCKED_EN in english.content.decode()
    assert "15 more minutes" in english.content.decode()
    assert LoginEvent.objects.filter(outcome=LoginOutcome.FAILED).count() == 5

    # Another address is not locked out; nor is this one once the lockout has run out.
    other = Client(REMOTE_ADDR="10.20.30.40")
    assert sign_in(other, PASSWORD).status_code == 302
    LoginEvent.objects.filter(client_ip="127.0.0.1").update(
        at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    )
    assert sign_in(client, PASSWORD).status_code == 302
    assert signed_in(client)
    latest = LoginEvent.objects.order_by("-at", "-pk").first()
    assert latest is not None
    assert (latest.outcome, latest.user, latest.client_ip) == ("succeeded", siti, "127.0.0.1")


@pytest.mark.django_db
def test_a_success_resets_the_count_and_the_name_is_counted_case_blind(
    client: Client, siti: Any
) -> None:
    for _ in range(4):
        sign_in(client, "salah", username="SITI")
    assert sign_in(client, PASSWORD).status_code == 302
    client.post("/keluar/")
    for _ in range(4):
        sign_in(client, "salah")
    assert sign_in(client, PASSWORD).status_code == 302
    assert outcomes() == ["failed"] * 4 + ["succeeded", "signed_out"] + ["failed"] * 4 + [
        "succeeded"
    ]
    assert set(LoginEvent.objects.values_list("username", flat=True)) == {"siti"}


@pytest.mark.django_db
def test_unknown_names_are_throttled_too_and_recorded_without_a_user(client: Client) -> None:
    for _ in range(5):
        sign_in(client, "tebak", username="tidak-ada")
    assert LOCKED_ID in sign_in(client, "tebak", username="tidak-ada").content.decode()
    assert not LoginEvent.objects.filter(user__isnull=False).exists()


@pytest.mark.django_db
def test_the_admin_sign_in_and_any_authenticate_call_are_locked_as_well(
    client: Client, siti: Any
) -> None:
    siti.is_staff = True
    siti.save()
    for _ in range(5):
        client.post("/admin/login/", {"username": "siti", "password": "salah"})
    answer = client.post("/admin/login/?next=/admin/", {"username": "siti", "password": PASSWORD})
    assert answer.status_code == 200
    assert LOCKED_ID in answer.content.decode()
    request = RequestFactory().post("/api/", REMOTE_ADDR="127.0.0.1")
    assert authenticate(request, username="siti", password=PASSWORD) is None
    assert outcomes()[-2:] == ["locked", "locked"]
    # Without a request (a script, `mutu` commands) there is no address to lock.
    assert authenticate(None, username="siti", password=PASSWORD) == siti


@pytest.mark.django_db
def test_a_proxy_on_the_same_machine_passes_the_client_address(client: Client, siti: Any) -> None:
    for _ in range(5):
        sign_in(client, "salah", HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert LoginEvent.objects.filter(client_ip="203.0.113.7").count() == 5
    assert (
        LOCKED_ID in sign_in(client, PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.7").content.decode()
    )
    # A client cannot pick its own address: only the entry the proxy appended counts.
    assert (
        sign_in(client, PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.7, 198.51.100.2").status_code
        == 302
    )


@pytest.mark.django_db
def test_the_limits_are_settings(client: Client, siti: Any, settings: Any) -> None:
    settings.MUTU_LOGIN_MAX_FAILURES = 2
    settings.MUTU_LOGIN_LOCKOUT_MINUTES = 60
    sign_in(client, "salah")
    sign_in(client, "salah")
    assert "60 menit" in sign_in(client, PASSWORD).content.decode()
    settings.MUTU_LOGIN_MAX_FAILURES = 0  # off
    assert sign_in(client, PASSWORD).status_code == 302
