"""The main web forms fuzzed with generated posts (hypothesis): never a server error.

Each target is a form a person fills in: sign-in, the personal survey link
(submit, save for later, and the htmx save of each change), the citizens' SKM
form, nomination, registration and the attendance checklist of an activity,
an external JP record (with a random evidence file), a new planning scenario
(only refused inputs: the year is never a plain number, so the solver never
runs), the upload page (random bytes as the file) and the internship logbook.

The field names come from the form's own page (every ``name="…"``) plus the
ones the view reads, and junk names; each post holds a random subset of them
(missing fields), each field 1–3 values: text with unicode and control
characters, huge strings and numbers, dates, the page's own option values and
the world's real ids.  For every post:

* the answer's status is below 500;
* when the post is refused (a 4xx, an error message, a form with errors),
  :func:`tests.imports.helpers.database_state` is unchanged and the refusal
  shows a message.

Every example runs inside a transaction rolled back after it, so each starts
from the same small world (:mod:`tests.factories`).  ``MUTU_FUZZ_EXAMPLES``
multiplies the examples per target (``make soak``); the number of posts tried
per target is written to ``fuzz/forms.json`` under pytest's base temporary
folder and printed.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.contrib.messages import constants as message_levels
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mutu.accounts.models import Role
from mutu.instruments.field_services import links_ensure, skm_instrument_ensure
from mutu.instruments.tokens import token_for
from mutu.programs.models import Enrollment
from mutu.reference.services import reference_data_load
from tests.factories import make_instrument_version
from tests.imports.helpers import database_state
from tests.imports.web_support import upload_root
from tests.instruments.test_web_support import attach, enrol, link_of, open_activity
from tests.internships import support as internship_support
from tests.programs.test_web_support import client_for, make_world, user_with

pytestmark = pytest.mark.django_db

#: Posts per target in ``make test``; ``MUTU_FUZZ_EXAMPLES`` scales it (a multiplier).
BASE_EXAMPLES = 15
SCALE = max(1, int(os.environ.get("MUTU_FUZZ_EXAMPLES", "1") or "1"))
EXAMPLES = BASE_EXAMPLES * SCALE

TRIED: dict[str, int] = {}

JUNK_NAMES = ["", "id", "pk", "__proto__", "a[b]", "q_", "x" * 300, "ñ", "next"]

TEXT = st.text(max_size=20)  # any code point but surrogates


@dataclass
class Target:
    """A form: who posts it, where, its field names, useful values and its file fields."""

    client: Client
    url: str
    fields: list[str]
    values: list[str] = field(default_factory=list)
    files: tuple[str, ...] = ()
    #: A field always posted with a value the service refuses (the scenario's year).
    forced: dict[str, st.SearchStrategy[str]] = field(default_factory=dict)


def page_names(client: Client, url: str) -> tuple[list[str], list[str]]:
    """The field names and option values on the page at ``url``."""
    html = client.get(url).content.decode()
    names = sorted(set(re.findall(r'name="([^"]+)"', html)) - {"csrfmiddlewaretoken"})
    values = sorted(set(re.findall(r'value="([^"]{0,40})"', html)))
    return names, values


def value_strategy(useful: list[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        TEXT,
        st.just(""),
        st.sampled_from(useful or ["1"]),
        st.integers(min_value=-(10**30), max_value=10**30).map(str),
        st.floats().map(repr),
        st.dates().map(lambda d: d.isoformat()),
        st.sampled_from(["\x00", "'; DROP TABLE x;--", "<script>alert(1)</script>", "1e309"]),
        st.sampled_from(["x" * 20_000, "9" * 400, "-0", "٣", "１２", "on", "true", "null"]),
    )


def posts(target: Target) -> st.SearchStrategy[dict[str, Any]]:
    names = [*target.fields, *JUNK_NAMES]
    values = value_strategy(target.values)

    @st.composite
    def build(draw: st.DrawFn) -> dict[str, Any]:
        data: dict[str, Any] = draw(
            st.dictionaries(
                st.sampled_from(names), st.lists(values, min_size=1, max_size=3), max_size=8
            )
        )
        for name, strategy in target.forced.items():
            data[name] = draw(strategy)
        for name in target.files:
            if draw(st.booleans()) or name == "file":
                suffix = draw(st.sampled_from([".csv", ".xlsx", ".xls", ".pdf", ".jpg", ""]))
                content = draw(st.binary(max_size=300))
                data[name] = SimpleUploadedFile(f"f{suffix}", content)
        return data

    return build()


def refusal(response: Any) -> str | None:
    """What the page said when it refused the post; None when it did not refuse."""
    stored = getattr(response.wsgi_request, "_messages", None)
    queued = getattr(stored, "_queued_messages", [])  # this answer's, not older ones
    errors = [str(m) for m in queued if m.level >= message_levels.ERROR]
    if errors:
        return " ".join(errors)
    context = response.context
    if context is not None:
        if context.get("error"):
            return str(context["error"])
        form = context.get("form")
        if form is not None and getattr(form, "errors", None):
            return str(form.errors)
    if response.status_code >= 400:
        return response.content.decode(errors="replace") or str(response.status_code)
    return None


# --- the targets -------------------------------------------------------------------------


def sign_in() -> Target:
    return Target(Client(), "/masuk/", ["username", "password", "next"], ["demo-admin"])


def survey_link() -> Target:
    activity = open_activity()
    enrollment = enrol(activity)
    attachment = attach(activity, make_instrument_version(kind="reaction"), "end")
    links_ensure(activity=activity)
    token = token_for(link_of(attachment, enrollment.employee).nonce)
    client = Client()
    names, values = page_names(client, f"/isian/{token}/")
    return Target(client, f"/isian/{token}/", [*names, "action"], [*values, "save", "submit"])


def survey_save() -> Target:
    target = survey_link()
    target.url += "simpan/"
    return target


def skm() -> Target:
    reference_data_load()
    skm_instrument_ensure()
    world = make_world()
    client = Client()
    url = f"/isian/skm/{world.unit_a.code}/"
    names, values = page_names(client, url)
    return Target(client, url, names, values)


def _operator_world() -> tuple[Client, Any, list[str]]:
    world = make_world()
    operator = client_for(user_with(Role.UNIT_OPERATOR, unit=world.unit_a))
    ids = [
        str(pk)
        for pk in (
            world.alice.pk,
            world.budi.pk,
            world.citra.pk,
            *Enrollment.objects.values_list("pk", flat=True),
        )
    ]
    return operator, world, ids


def nominate() -> Target:
    client, world, ids = _operator_world()
    url = f"/kegiatan/{world.activity.pk}/nominasi/"
    names, values = page_names(client, url)
    return Target(client, url, [*names, "employee", "filtered"], [*values, *ids])


def register() -> Target:
    client, world, ids = _operator_world()
    return Target(
        client, f"/kegiatan/{world.activity.pk}/pendaftaran/", ["enrollment", "next"], ids
    )


def attendance() -> Target:
    client, world, ids = _operator_world()
    session = world.activity.sessions.order_by("pk").first()
    url = f"/kegiatan/sesi/{session.pk}/presensi/"
    names, values = page_names(client, url)
    return Target(client, url, [*names, "roster", "present", "all"], [*values, *ids])


def external_jp() -> Target:
    world = make_world()
    client = client_for(user_with(Role.PARTICIPANT, employee=world.alice))
    names, values = page_names(client, "/kegiatan/jp-luar/baru/")
    return Target(
        client, "/kegiatan/jp-luar/baru/", names, [*values, world.alice.nip], files=("evidence",)
    )


def scenario() -> Target:
    client = client_for(user_with(Role.ADMIN))
    not_a_year = TEXT.filter(lambda s: not s.strip().isdigit())
    return Target(
        client,
        "/rencana/baru/",
        ["name", "year", "budget", "fairness_floor"],
        ["2026", "1000000", "0.5"],
        forced={"year": not_a_year},
    )


def upload() -> Target:
    world = make_world()
    client = client_for(user_with(Role.UNIT_OPERATOR, unit=world.unit_a))
    names, values = page_names(client, "/impor/")
    return Target(client, "/impor/", names, [*values, world.activity.code], files=("file",))


def logbook() -> Target:
    world = internship_support.make_world()
    client = client_for(user_with(Role.PARTICIPANT, employee=world.intern))
    today = timezone.localdate()
    weeks = [(today - timedelta(days=7 * n + today.weekday())).isoformat() for n in range(5)]
    return Target(client, f"/magang/{world.internship.pk}/catatan/", ["week_start", "text"], weeks)


TARGETS: dict[str, Callable[[], Target]] = {
    "sign_in": sign_in,
    "survey_link_submit": survey_link,
    "survey_link_save": survey_save,
    "skm_public": skm,
    "nomination": nominate,
    "registration": register,
    "attendance_checklist": attendance,
    "external_jp": external_jp,
    "scenario_new_refused": scenario,
    "upload": upload,
    "internship_logbook": logbook,
}


@pytest.fixture(scope="module")
def tried_log(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, int]]:
    yield TRIED
    folder = tmp_path_factory.getbasetemp() / "fuzz"
    folder.mkdir(exist_ok=True)
    (folder / "forms.json").write_text(json.dumps(TRIED, indent=1, sort_keys=True))
    print(f"\nform fuzz: posts tried per target {TRIED} (total {sum(TRIED.values())})")


@pytest.mark.parametrize("name", list(TARGETS))
def test_every_generated_post_is_answered_without_a_server_error(
    name: str, settings_: Any, tried_log: dict[str, int]
) -> None:
    target = TARGETS[name]()
    outcome = {"n": 0, "refused": 0}

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(data=posts(target))
    def attempt(data: dict[str, Any]) -> None:
        outcome["n"] += 1
        with transaction.atomic():
            before = database_state()
            for upload_file in data.values():
                if isinstance(upload_file, SimpleUploadedFile):
                    upload_file.seek(0)
            response = target.client.post(target.url, data)
            assert response.status_code < 500, (name, data)
            said = refusal(response)
            if said is not None:
                outcome["refused"] += 1
                assert said.strip(), (name, data)
                assert database_state() == before, (name, data)
            if name == "scenario_new_refused":
                assert said is not None and response.status_code == 400, data
            transaction.set_rollback(True)  # every post starts from the same world

    attempt()
    tried_log[name] = outcome["n"]
    assert outcome["n"] >= min(EXAMPLES, 5)
    assert outcome["refused"] > 0  # junk was refused at least once: the check above ran


@pytest.fixture
def settings_(settings: Any, tmp_path: Path) -> Any:
    """Pending uploads in the test's folder."""
    upload_root(settings, tmp_path)
    return settings
