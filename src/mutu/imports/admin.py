"""The export log in the admin: read-only, since it is evidence."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from mutu.imports.models import ExportLog
from mutu.reference.admin_base import ReadOnlyAdmin


@admin.register(ExportLog)
class ExportLogAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "actor", "kind", "shape", "rows", "personal", "channel"]
    list_filter = ["kind", "personal", "channel"]
    search_fields = ["actor", "file_name"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
