"""The program list (``/program/``) and one program's page (``/program/<pk>/``).

The figures the pages show are checked against the world the test built (the
numbers written below) *and* against counts taken straight from the database
with plain ORM queries, not through the pages' selectors.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext

from mutu.accounts.models import Role
from mutu.people.models import Employee, Unit
from mutu.programs.models import (
    Activity,
    ActivityStatus,
    ApprovalStatus,
    Enrollment,
    EnrollmentStatus,
    Expenditure,
    JpLedgerEntry,
    Program,
)
from mutu.programs.services import (
    activity_set_status,
    budget_line_create,
    enrollment_complete,
    enrollment_set_status,
    expenditure_record,
    program_goal_add,
)
from tests.factories import make_activity, make_employee, make_enrollment, make_program, make_unit
from tests.programs.test_web_support import client_for, user_with

pytestmark = pytest.mark.django_db


@dataclass
class Programs:
    """Unit A (with sub-unit A1), unit B, the BKPSDM; three programs of 2026."""

    bkpsdm: Unit
    unit_a: Unit
    unit_a1: Unit
    unit_b: Unit
    main: Program  # BKPSDM's; people of A1 in one activity, of B in another
    small: Program  # unit B's; three participants
    targeted: Program  # BKPSDM's; targets unit A, no activity
    done: Activity
    planned: Activity
    cancelled: Activity
    older: Activity  # of ``main``, in 2025


def build() -> Programs:
    bkpsdm, unit_a, unit_b = make_unit(name="BKPSDM"), make_unit(), make_unit()
    unit_a1 = make_unit(parent=unit_a)
    main = make_program(
        code="PMPP",
        name="Pelayanan Publik",
        owner_unit=bkpsdm,
        period_start=date(2025, 1, 1),
        period_end=date(2026, 12, 31),
    )
    program_goal_add(
        program=main,
        dimension="competence",
        statement="Peserta menguasai pelayanan prima.",
        indicator="Rata-rata nilai post-test",
        baseline="62.5",
        target=75,
        unit_of_measure="poin",
    )
    running = ActivityStatus.RUNNING
    done = make_activity(program=main, code="PMPP-1", jp=16, status=running)
    people_a = [make_employee(unit=unit_a1) for _ in range(6)]
    enrollments = [make_enrollment(activity=done, employee=e) for e in people_a]
    for e in enrollments[:4]:
        enrollment_complete(enrollment=e)
    enrollment_set_status(enrollment=enrollments[4], status=EnrollmentStatus.WITHDRAWN)
    activity_set_status(activity=done, status=ActivityStatus.DONE)
    planned = make_activity(
        program=main, code="PMPP-2", start_date=date(2026, 5, 4), end_date=date(2026, 5, 5)
    )
    for _ in range(2):
        make_enrollment(activity=planned, employee=make_employee(unit=unit_b))
    cancelled = make_activity(program=main, code="PMPP-X", status=running)
    for _ in range(3):
        make_enrollment(activity=cancelled, employee=make_employee(unit=unit_b))
    activity_set_status(activity=cancelled, status=ActivityStatus.CANCELLED)
    older = make_activity(
        program=main,
        code="PMPP-0",
        jp=8,
        start_date=date(2025, 6, 2),
        end_date=date(2025, 6, 3),
        status=running,
    )
    for _ in range(5):
        enrollment_complete(enrollment=make_enrollment(activity=older, employee=make_employee()))
    activity_set_status(activity=older, status=ActivityStatus.DONE)
    whole = budget_line_create(
        program=main,
        fiscal_year=2026,
        account_code="5.1.02.01",
        description="Konsumsi",
        planned_amount=10_000_000,
    )
    expenditure_record(budget_line=whole, date=date(2026, 3, 3), amount=2_500_000)
    expenditure_record(budget_line=whole, date=date(2026, 4, 3), amount="1250000.75")
    line_done = budget_line_create(
        program=main,
        fiscal_year=2026,
        account_code="5.1.02.02",
        description="Honor narasumber",
        planned_amount=5_000_000,
        activity=done,
    )
    expenditure_record(budget_line=line_done, date=date(2026, 3, 3), amount=4_000_000)
    line_old = budget_line_create(
        program=main,
        fiscal_year=2025,
        account_code="5.1.02.01",
        description="Konsumsi 2025",
        planned_amount=7_000_000,
        activity=older,
    )
    expenditure_record(budget_line=line_old, date=date(2025, 6, 3), amount=6_000_000)

    small = make_program(code="KECIL", name="Program Kecil", owner_unit=unit_b)
    tiny = make_activity(program=small, code="KECIL-1", jp=10, status=running)
    for _ in range(3):
        enrollment_complete(
            enrollment=make_enrollment(activity=tiny, employee=make_employee(unit=unit_b))
        )
    targeted = make_program(
        code="SASAR", name="Program Sasaran", owner_unit=bkpsdm, target_units=[unit_a]
    )
    return Programs(
        bkpsdm, unit_a, unit_a1, unit_b, main, small, targeted, done, planned, cancelled, older
    )


def row_of(html: str, code: str) -> str:
    """The table row (``<tr>…</tr>``) of the list or detail page that names ``code``."""
    rows = [r for r in re.findall(r"<tr>.*?</tr>", html, flags=re.S) if code in r]
    assert len(rows) == 1, f"{len(rows)} rows name {code}"
    return re.sub(r"\s+", " ", rows[0])


def figure(html: str, name: str) -> str:
    found = re.search(rf'data-figure="{name}">([^<]*)<', html)
    assert found is not None, name
    return found.group(1)


def admin() -> object:
    return client_for(user_with(Role.ADMIN))


# --------------------------------------------------------------------------- figures


def test_list_figures_equal_the_database() -> None:
    w = build()
    html = admin().get("/program/?year=2026").content.decode()
    row = row_of(html, "PMPP ·")
    # straight from the database: the 2026 activities that are not cancelled
    acts = Activity.objects.filter(program=w.main, start_date__year=2026).exclude(
        status=ActivityStatus.CANCELLED
    )
    places = Enrollment.objects.filter(activity__in=acts).exclude(status=EnrollmentStatus.WITHDRAWN)
    completed = places.filter(status=EnrollmentStatus.COMPLETED).count()
    jp = JpLedgerEntry.objects.filter(
        enrollment__activity__in=acts, approval_status=ApprovalStatus.APPROVED
    ).aggregate(t=Sum("jp"))["t"]
    planned = w.main.budget_lines.filter(fiscal_year=2026).aggregate(t=Sum("planned_amount"))["t"]
    spent = Expenditure.objects.filter(
        budget_line__program=w.main, budget_line__fiscal_year=2026
    ).aggregate(t=Sum("amount"))["t"]
    assert (acts.count(), acts.filter(status="done").count()) == (2, 1)
    assert (places.count(), completed, jp) == (7, 4, Decimal(64))
    assert (planned, spent) == (Decimal(15_000_000), Decimal("7750000.75"))
    assert "1 / 2" in row
    assert ">7<" in row.replace(" ", "")
    assert "4 <span" in row and "(57%)" in row  # 4 of 7
    assert "64 JP" in row
    assert "Rp 15.000.000" in row
    assert "Rp 7.750.001" in row and "(52%)" in row  # whole rupiah, rounded


def test_detail_figures_for_the_whole_program_and_for_a_year() -> None:
    w = build()
    client = admin()
    html = client.get(f"/program/{w.main.pk}/").content.decode()
    # whole program: PMPP-0 (2025: 5 completed of 5, 8 JP each) joins the 2026 activities
    assert figure(html, "activities") == "2 / 3"
    assert figure(html, "enrolled") == str(7 + 5)
    assert figure(html, "completed") == str(4 + 5)
    assert figure(html, "jp") == "104 JP"  # 4 × 16 + 5 × 8
    assert figure(html, "planned") == "Rp 22.000.000"
    assert figure(html, "spent") == "Rp 13.750.001"
    year = client.get(f"/program/{w.main.pk}/?year=2025").content.decode()
    assert figure(year, "activities") == "1 / 1"
    assert figure(year, "jp") == "40 JP"
    assert figure(year, "planned") == "Rp 7.000.000"
    assert "PMPP-1" not in year and "PMPP-0" in year


def test_detail_lists_goals_target_units_activities_and_budget_lines() -> None:
    w = build()
    html = admin().get(f"/program/{w.main.pk}/?year=2026").content.decode()
    assert "Peserta menguasai pelayanan prima." in html
    assert "62,5 poin" in html and "75 poin" in html
    line = row_of(html, "Honor narasumber")
    assert "Rp 5.000.000" in line and "Rp 4.000.000" in line and "PMPP-1" in line
    line = row_of(html, "Konsumsi<")
    assert "Rp 10.000.000" in line and "Rp 3.750.001" in line
    activity = row_of(html, "PMPP-1 ·")
    assert f'href="/kegiatan/{w.done.pk}/"' in activity
    assert "Rp 5.000.000" in activity and "64 JP" in activity
    cancelled = row_of(html, "PMPP-X ·")
    assert "status-cancelled" in cancelled and ">3<" in cancelled.replace(" ", "")
    targets = admin().get(f"/program/{w.targeted.pk}/").content.decode()
    assert w.unit_a.name in targets


# --------------------------------------------------------------------------- privacy


def test_outcomes_of_fewer_than_five_participants_are_withheld() -> None:
    w = build()
    html = admin().get("/program/?year=2026").content.decode()
    small = row_of(html, "KECIL ·")
    assert small.count("data disembunyikan (n &lt; 5)") == 2
    assert "30 JP" not in small and ">3<" in small.replace(" ", "")  # the group size stays
    assert "disembunyikan" not in row_of(html, "PMPP ·")
    detail = admin().get(f"/program/{w.main.pk}/?year=2026").content.decode()
    planned = row_of(detail, "PMPP-2 ·")  # two participants
    assert "disembunyikan" in planned
    assert "disembunyikan" not in row_of(detail, "PMPP-1 ·")
    tiny = admin().get(f"/program/{w.small.pk}/").content.decode()
    assert "disembunyikan" in figure(tiny, "completed") and "disembunyikan" in figure(tiny, "jp")


# --------------------------------------------------------------------------- filters


def test_the_year_filter_and_the_search() -> None:
    w = build()
    client = admin()
    assert "PMPP ·" in client.get("/program/").content.decode()  # this year or the latest
    old = client.get("/program/?year=2025").content.decode()
    assert "PMPP ·" in old and "KECIL ·" not in old  # KECIL runs in 2026 only
    assert "40 JP" in row_of(old, "PMPP ·")
    found = client.get("/program/?year=2026&q=kecil").content.decode()
    assert "KECIL ·" in found and "PMPP ·" not in found
    by_code = client.get("/program/?year=2026&q=sasar").content.decode()
    assert "SASAR ·" in by_code and "KECIL ·" not in by_code
    assert w.main.name in client.get("/program/?year=2026&q=Pelayanan").content.decode()


@pytest.mark.parametrize("bad", ["abc", "2019", "99999999999999999999999", "2026x", "-1"])
def test_a_bad_year_gives_a_clear_message_and_the_default(bad: str) -> None:
    w = build()
    client = admin()
    answer = client.get("/program/", {"year": bad})
    assert answer.status_code == 200
    html = answer.content.decode()
    assert f"Tidak ada data untuk tahun {bad[:8]}" in html
    assert "PMPP ·" in html  # the default year is shown instead
    english = client_for(user_with(Role.ANALYST), "en").get("/program/", {"year": bad})
    assert f"There is no data for the year {bad[:8]}; showing 2026 instead." in (
        english.content.decode()
    )
    detail = client.get(f"/program/{w.main.pk}/", {"year": bad})
    assert detail.status_code == 200
    assert "Tidak ada data untuk tahun" in detail.content.decode()


# --------------------------------------------------------------------------- scope


def test_a_unit_head_sees_the_programs_of_their_units_only() -> None:
    w = build()
    head = client_for(user_with(Role.UNIT_HEAD, unit=w.unit_a))
    html = head.get("/program/?year=2026").content.decode()
    assert "PMPP ·" in html  # people of A1 (a sub-unit of A) take part
    assert "SASAR ·" in html  # targets unit A
    assert "KECIL ·" not in html
    assert head.get(f"/program/{w.main.pk}/").status_code == 200
    assert head.get(f"/program/{w.targeted.pk}/").status_code == 200
    assert head.get(f"/program/{w.small.pk}/").status_code == 404
    operator = client_for(user_with(Role.UNIT_OPERATOR, unit=w.unit_b))
    listed = operator.get("/program/?year=2026").content.decode()
    assert "PMPP ·" in listed and "KECIL ·" in listed and "SASAR ·" not in listed
    assert operator.get(f"/program/{w.targeted.pk}/").status_code == 404


def test_roles_without_programs_get_404_and_strangers_sign_in(client: object) -> None:
    w = build()
    person = Employee.objects.filter(unit=w.unit_a1).first()
    assert person is not None
    for user in (
        user_with(Role.PARTICIPANT, employee=person),
        user_with(Role.SUPERVISOR, employee=person),
        user_with(Role.TRAINER, activity=w.done),
    ):
        c = client_for(user)
        assert c.get("/program/").status_code == 404
        assert c.get(f"/program/{w.main.pk}/").status_code == 404
    assert client_for(user_with(Role.ADMIN)).get("/program/999999/").status_code == 404
    anonymous = client.get("/program/")  # type: ignore[attr-defined]
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/masuk/")


def test_the_menu_shows_programs_to_the_roles_that_may_see_them() -> None:
    w = build()
    assert 'href="/program/"' in admin().get("/program/").content.decode()
    head = client_for(user_with(Role.UNIT_HEAD, unit=w.unit_a))
    assert 'href="/program/"' in head.get("/kegiatan/").content.decode()
    trainer = client_for(user_with(Role.TRAINER, activity=w.done))
    assert 'href="/program/"' not in trainer.get("/kegiatan/").content.decode()


def test_the_export_buttons_show_for_the_kinds_the_role_may_download() -> None:
    build()
    assert (
        "/ekspor/programs/?format=xlsx&amp;year=2026"
        in admin().get("/program/?year=2026").content.decode()
    )
    # the programs export is the BKPSDM's (all units): a unit head sees no button
    head = client_for(user_with(Role.UNIT_HEAD, unit=make_unit()))
    assert "/ekspor/programs/" not in head.get("/program/").content.decode()


# --------------------------------------------------------------------------- language


def test_the_english_page_writes_numbers_the_english_way() -> None:
    w = build()
    english = client_for(user_with(Role.ADMIN), "en")
    html = english.get("/program/?year=2026").content.decode()
    assert '<html lang="en">' in html and "Budget planned" in html
    row = row_of(html, "PMPP ·")
    assert "Rp 15,000,000" in row and "Rp 7,750,001" in row
    small = row_of(html, "KECIL ·")
    assert "withheld (n &lt; 5)" in small
    detail = english.get(f"/program/{w.main.pk}/").content.decode()
    assert figure(detail, "planned") == "Rp 22,000,000" and "62.5 poin" in detail
    indonesian = admin().get("/program/?year=2026").content.decode()
    assert '<html lang="id">' in indonesian and "Realisasi" in indonesian


# --------------------------------------------------------------------------- queries


def _queries(url: str) -> int:
    client = admin()
    client.get(url)  # warm the session and the scope
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_pages_read_a_bounded_number_of_queries() -> None:
    """One query for all the rows' figures: more programs or activities add no query."""
    w = build()
    few_list = _queries("/program/?year=2026")
    few_detail = _queries(f"/program/{w.main.pk}/")
    for i in range(4):
        extra = make_program(code=f"EXTRA{i}", owner_unit=w.bkpsdm)
        activity = make_activity(program=extra, status=ActivityStatus.RUNNING)
        make_enrollment(activity=activity)
        more = make_activity(program=w.main, code=f"PMPP-E{i}", status=ActivityStatus.RUNNING)
        make_enrollment(activity=more)
        budget_line_create(
            program=w.main,
            fiscal_year=2026,
            account_code=f"5.9.{i}",
            description=f"Tambahan {i}",
            planned_amount=1000,
            activity=more,
        )
    assert Program.objects.count() == 7
    assert _queries("/program/?year=2026") == few_list <= 12
    assert _queries(f"/program/{w.main.pk}/") == few_detail <= 16
