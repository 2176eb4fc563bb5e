"""``mutu links``: one unguessable link per participant and instrument, never stored as such."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client, override_settings

from mutu.instruments.field_services import links_ensure
from mutu.instruments.models import InstrumentLink
from mutu.instruments.tokens import TOKEN_LENGTH, token_for
from tests.factories import make_activity, make_instrument_version
from tests.instruments.test_web_support import (
    attach,
    enrol,
    link_of,
    make_test_version,
    open_activity,
)

pytestmark = pytest.mark.django_db


def _links(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("links", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_links_prints_name_nip_and_link_per_participant() -> None:
    activity = open_activity()
    ani, budi = enrol(activity, name="Ani Lubis"), enrol(activity, name="Budi Desky")
    reaction = attach(activity, make_instrument_version(anonymous=True, kind="reaction"), "end")
    post = attach(activity, make_test_version("post_test"), "post")

    out, err = _links("--activity", activity.code, "--base-url", "https://mutu.example.id/")

    lines = [line.split("\t") for line in out.splitlines() if not line.startswith("#")]
    assert len(lines) == 4
    expected = f"https://mutu.example.id/isian/{token_for(link_of(post, ani.employee).nonce)}/"
    assert ["Ani Lubis", ani.employee.nip, expected] in lines
    assert any(line[:2] == ["Budi Desky", budi.employee.nip] for line in lines)
    assert out.count("# ") == 2 and reaction.version.instrument.code in out
    assert "4 links, 0 new" in err  # attaching already made them
    again, _ = _links("--activity", activity.code, "--base-url", "https://mutu.example.id")
    assert again == out  # the same links every time


def test_tokens_are_long_random_and_only_their_hash_is_stored() -> None:
    activity = open_activity()
    for _ in range(3):
        enrol(activity)
    attachment = attach(activity, make_instrument_version(kind="reaction"), "end")
    tokens = [token_for(link.nonce) for link in attachment.links.all()]
    assert len(set(tokens)) == 3 and all(len(t) == TOKEN_LENGTH for t in tokens)
    stored = {str(v) for row in InstrumentLink.objects.values_list() for v in row}
    assert not any(t in v for t in tokens for v in stored)


def test_a_changed_secret_key_re_keys_the_links_when_they_are_printed() -> None:
    activity = open_activity()
    person = enrol(activity).employee
    attachment = attach(activity, make_instrument_version(kind="reaction"), "end")
    old = f"/isian/{token_for(link_of(attachment, person).nonce)}/"
    assert Client().get(old).status_code == 200
    with override_settings(SECRET_KEY="another-secret-key-" + "x" * 40):
        out, _ = _links("--activity", activity.code)
        new = f"/isian/{token_for(link_of(attachment, person).nonce)}/"
        assert new != old and new in out
        assert Client().get(new).status_code == 200
        assert Client().get(old).status_code == 404


def test_links_refuses_an_unknown_activity_or_one_without_instruments() -> None:
    with pytest.raises(CommandError, match=r"tidak ada.*There is no activity 'NOPE'"):
        _links("--activity", "NOPE")
    bare = make_activity()
    with pytest.raises(CommandError, match=r"belum memiliki instrumen.*has no instrument yet"):
        _links("--activity", bare.code)


def test_links_are_created_once_for_late_enrollments_too() -> None:
    activity = open_activity()
    enrol(activity)
    attachment = attach(activity, make_instrument_version(kind="reaction"), "end")
    late = enrol(activity)
    withdrawn = enrol(activity, status="withdrawn")
    assert links_ensure(activity=activity) == 1
    assert links_ensure(activity=activity) == 0
    assert attachment.links.filter(respondent=late.employee).exists()
    assert not attachment.links.filter(respondent=withdrawn.employee).exists()
