"""The shell: sign-in page, sign-in, language switch, health."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client


def test_health_answers_without_the_database(client: Client) -> None:
    assert client.get("/health/").json() == {"status": "ok"}


@pytest.mark.django_db
def test_sign_in_page_is_indonesian_first_and_switches_to_english(client: Client) -> None:
    page = client.get("/", follow=True)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Masuk" in html and 'lang="id"' in html
    client.post("/i18n/setlang/", {"language": "en", "next": "/masuk/"})
    assert "Sign in" in client.get("/masuk/").content.decode()


@pytest.mark.django_db
def test_wrong_password_says_so_and_right_one_signs_in(client: Client) -> None:
    get_user_model().objects.create_user(username="siti", password="a-long-password-9")
    wrong = client.post("/masuk/", {"username": "siti", "password": "nope"})
    assert wrong.status_code == 200
    assert "kata sandi salah" in wrong.content.decode()
    right = client.post("/masuk/", {"username": "siti", "password": "a-long-password-9"})
    assert right.status_code == 302
