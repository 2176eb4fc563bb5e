"""Writes for accounts: role assignments and the demo accounts."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Max

from mutu.accounts.models import Role, RoleAssignment
from mutu.domain.errors import MutuValueError
from mutu.people.models import Employee, Unit
from mutu.programs.models import Activity, Enrollment

__all__ = ["DemoAccount", "demo_accounts_create", "demo_accounts_exist", "role_assign"]

#: The password of every demo account; printed by `mutu demo`, never valid outside demo mode.
DEMO_PASSWORD = "demo-mutu-2026"


@dataclass(frozen=True)
class DemoAccount:
    """A demo login, as `mutu demo` prints it."""

    role: str
    username: str
    password: str
    covers: str


def role_assign(
    *,
    user_id: int,
    role: str,
    unit: Unit | None = None,
    activity: Activity | None = None,
    employee: Employee | None = None,
    is_demo: bool = False,
) -> RoleAssignment:
    """Give a user a role; validates what the role must cover before saving."""
    if role not in Role.values:
        raise MutuValueError(f"Peran tidak dikenal: {role!r}.", f"Unknown role: {role!r}.")
    assignment = RoleAssignment(
        user_id=user_id, role=role, unit=unit, activity=activity, employee=employee, is_demo=is_demo
    )
    try:
        assignment.full_clean()
    except ValidationError as exc:
        raise MutuValueError(
            "Penugasan peran tidak valid: " + "; ".join(exc.messages),
            "Invalid role assignment: " + "; ".join(exc.messages),
        ) from exc
    assignment.save()
    return assignment


def demo_accounts_exist() -> bool:
    """True when any demo account is in the database."""
    return RoleAssignment.objects.filter(is_demo=True).exists()


def _busiest_unit(exclude: set[int]) -> Unit:
    unit = (
        Unit.objects.exclude(pk__in=exclude)
        .annotate(n=Count("employees"))
        .filter(n__gt=0)
        .order_by("-n", "code")
        .first()
    )
    if unit is None:
        raise MutuValueError(
            "Tidak ada unit dengan pegawai untuk akun demo.", "No unit with employees for the demo."
        )
    return unit


@transaction.atomic
def demo_accounts_create() -> list[DemoAccount]:
    """One account per role on the loaded demo world (idempotent: existing ones are kept).

    The unit operator and the unit head get two different units, so the demo
    shows that neither reaches the other's people; the participant completed an
    activity in the latest year, and the supervisor is that participant's
    direct supervisor.
    """
    user_model = get_user_model()
    latest = Activity.objects.aggregate(m=Max("start_date"))["m"]
    activity = Activity.objects.filter(start_date=latest).order_by("code").first()
    done = (
        Enrollment.objects.filter(status="completed", employee__supervisor__isnull=False)
        .select_related("employee", "employee__supervisor", "activity")
        .order_by("-activity__start_date", "employee__nip")
        .first()
    )
    if activity is None or done is None:
        raise MutuValueError(
            "Akun demo butuh dunia demo yang sudah dimuat (`mutu load`).",
            "Demo accounts need a loaded demo world (`mutu load`).",
        )
    boss = done.employee.supervisor
    assert boss is not None  # filtered above
    boss = done.employee.supervisor
    assert boss is not None  # the enrollment was chosen among people with a supervisor
    operator_unit = _busiest_unit(set())
    head_unit = _busiest_unit({operator_unit.pk})
    plan: list[tuple[str, str, dict[str, object], str]] = [
        ("admin", Role.ADMIN, {}, "semua / everything"),
        ("analis", Role.ANALYST, {}, "baca semua / read everything"),
        ("operator", Role.UNIT_OPERATOR, {"unit": operator_unit}, operator_unit.name),
        ("kepala", Role.UNIT_HEAD, {"unit": head_unit}, head_unit.name),
        ("pelatih", Role.TRAINER, {"activity": activity}, activity.code),
        ("atasan", Role.SUPERVISOR, {"employee": boss}, boss.nip),
        ("peserta", Role.PARTICIPANT, {"employee": done.employee}, done.employee.nip),
    ]
    accounts: list[DemoAccount] = []
    for username, role, covers, label in plan:
        user, created = user_model.objects.get_or_create(
            username=f"demo-{username}", defaults={"is_staff": role == Role.ADMIN}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            if role == Role.ADMIN:
                user.is_superuser = True
            user.save()
            role_assign(user_id=user.pk, role=role, is_demo=True, **covers)  # type: ignore[arg-type]
        accounts.append(DemoAccount(str(role), user.get_username(), DEMO_PASSWORD, label))
    from mutu.internships.demo import demo_magang_prepare  # magang: mentor account, rubrics

    mentor = demo_magang_prepare(DEMO_PASSWORD)
    if mentor is not None:
        label = f"{mentor.mentor_name} ({mentor.placements})"
        accounts.append(DemoAccount("mentor", mentor.username, DEMO_PASSWORD, label))
    return accounts
