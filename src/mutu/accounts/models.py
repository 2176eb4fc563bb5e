"""Role assignments: a user's roles, each with the unit, activity or person it covers."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """The doors into Mutu (issue 7), from widest to narrowest."""

    ADMIN = "admin", _("BKPSDM administrator")
    ANALYST = "analyst", _("analyst")
    UNIT_OPERATOR = "unit_operator", _("unit operator")
    UNIT_HEAD = "unit_head", _("unit head")
    TRAINER = "trainer", _("trainer")
    SUPERVISOR = "supervisor", _("supervisor")
    PARTICIPANT = "participant", _("participant")


#: Roles that cover a unit and its sub-units.
UNIT_ROLES = (Role.UNIT_OPERATOR, Role.UNIT_HEAD)
#: Roles that are a person (an ASN): their own record, and for supervisors their staff.
PERSON_ROLES = (Role.PARTICIPANT, Role.SUPERVISOR)


class RoleAssignment(models.Model):
    """One role of one user, with what it covers.

    Unit roles name a unit (its sub-units are covered too); a trainer names an
    activity (one assignment per activity); participants and supervisors name
    the employee they are. Administrators and analysts cover everything.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="role_assignments",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    unit = models.ForeignKey(
        "people.Unit",
        verbose_name=_("unit"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="role_assignments",
    )
    activity = models.ForeignKey(
        "programs.Activity",
        verbose_name=_("activity"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="role_assignments",
    )
    employee = models.ForeignKey(
        "people.Employee",
        verbose_name=_("employee"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="role_assignments",
    )
    is_demo = models.BooleanField(
        _("demo account"),
        default=False,
        help_text=_("Created by `mutu demo`; production mode refuses to start while one exists."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        ordering = ["user", "role", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(role__in=[r.value for r in UNIT_ROLES]) | Q(unit__isnull=False),
                name="accounts_unit_role_names_unit",
                violation_error_message=_("A unit operator or unit head needs a unit."),
            ),
            models.CheckConstraint(
                condition=~Q(role=Role.TRAINER.value) | Q(activity__isnull=False),
                name="accounts_trainer_names_activity",
                violation_error_message=_("A trainer assignment needs an activity."),
            ),
            models.CheckConstraint(
                condition=~Q(role__in=[r.value for r in PERSON_ROLES]) | Q(employee__isnull=False),
                name="accounts_person_role_names_employee",
                violation_error_message=_("A participant or supervisor account needs an employee."),
            ),
        ]

    def __str__(self) -> str:
        what = self.unit or self.activity or self.employee
        return f"{self.user}: {self.get_role_display()}" + (f" ({what})" if what else "")


class LoginOutcome(models.TextChoices):
    """What became of one sign-in attempt (or a sign-out)."""

    SUCCEEDED = "succeeded", _("signed in")
    FAILED = "failed", _("wrong user name or password")
    LOCKED = "locked", _("refused: too many failed attempts")
    SIGNED_OUT = "signed_out", _("signed out")


class LoginEvent(models.Model):
    """One sign-in, failed sign-in, refusal or sign-out: the audit trail of logins.

    The failed attempts of a user name from one client address are also what
    the login throttle counts (:mod:`mutu.accounts.throttle`), so the lockout
    holds across every server process. ``username`` is the name as given,
    lower-cased (the person may not exist); ``user`` is set when it does.
    """

    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    username = models.CharField(_("user name given"), max_length=150)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="login_events",
    )
    outcome = models.CharField(_("outcome"), max_length=12, choices=LoginOutcome.choices)
    client_ip = models.GenericIPAddressField(_("client address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("login event")
        verbose_name_plural = _("login events")
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["username", "client_ip", "at"], name="accounts_login_throttle"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.username} {self.outcome}"


class AuditAction(models.TextChoices):
    """What a write did to a row (or, for ``load`` and ``purge``, to many rows at once)."""

    CREATE = "create", _("created")
    UPDATE = "update", _("changed")
    DELETE = "delete", _("deleted")
    LOAD = "load", _("bulk load")
    PURGE = "purge", _("purge")


class AuditEvent(models.Model):
    """One write to Mutu's data: who, when, which row, which fields (never their values).

    Written by :mod:`mutu.accounts.audit` from Django's ``post_save`` and
    ``post_delete`` signals. ``actor`` is the signed-in user's name, or
    ``mutu <command>`` for a write outside a web request. Writes to the
    responses and answers of anonymous instruments are never recorded (a row
    beside the writes of a signed-in person would tie the answers to them).
    """

    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    actor = models.CharField(_("actor"), max_length=150)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="audit_events",
    )
    action = models.CharField(_("action"), max_length=10, choices=AuditAction.choices)
    model = models.CharField(_("model"), max_length=100, db_index=True)
    object_pk = models.CharField(_("object id"), max_length=64, blank=True)
    fields = models.JSONField(
        _("fields changed"),
        default=list,
        blank=True,
        help_text=_("Names of the fields written, never their values."),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    client_ip = models.GenericIPAddressField(_("client address"), null=True, blank=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return (
            f"{self.at:%Y-%m-%d %H:%M:%S} {self.actor} {self.action} {self.model} {self.object_pk}"
        )
