from __future__ import annotations

from django.contrib import admin

from mutu.accounts.models import RoleAssignment
from mutu.reference.admin_base import ModelAdmin


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(ModelAdmin):
    list_display = ("user", "role", "unit", "activity", "employee", "is_demo")
    list_filter = ("role", "is_demo")
    search_fields = ("user__username", "unit__code", "employee__nip", "activity__code")
    raw_id_fields = ("unit", "activity", "employee")
