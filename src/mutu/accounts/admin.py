"""Role assignments (editable), and the audit and login trails (read-only: they are evidence)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from mutu.accounts.models import AuditEvent, LoginEvent, RoleAssignment
from mutu.reference.admin_base import ModelAdmin, ReadOnlyAdmin


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(ModelAdmin):
    list_display = ("user", "role", "unit", "activity", "employee", "is_demo")
    list_filter = ("role", "is_demo")
    search_fields = ("user__username", "unit__code", "employee__nip", "activity__code")
    raw_id_fields = ("unit", "activity", "employee")


class _TrailAdmin(ReadOnlyAdmin):
    """A trail shown to administrators; nobody adds, changes or deletes a row, not even a
    superuser (``mutu purge`` removes rows past their retention)."""

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(_TrailAdmin):
    list_display = ("at", "actor", "action", "model", "object_pk", "client_ip")
    list_filter = ("action", "model")
    search_fields = ("actor", "model", "object_pk")
    date_hierarchy = "at"


@admin.register(LoginEvent)
class LoginEventAdmin(_TrailAdmin):
    list_display = ("at", "username", "user", "outcome", "client_ip")
    list_filter = ("outcome",)
    search_fields = ("username", "client_ip")
    date_hierarchy = "at"
