"""Untyped-generic admin bases for the Mutu apps.

django-stubs makes ``ModelAdmin`` and the inlines generic, but settings do not
call ``django_stubs_ext.monkeypatch()``, so ``ModelAdmin[Model]`` cannot be
written at run time; these bases take the one ``type: ignore`` for all apps.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest


class ModelAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """``admin.ModelAdmin`` for Mutu's models."""


class TabularInline(admin.TabularInline):  # type: ignore[type-arg]
    """``admin.TabularInline`` for Mutu's models."""


class StackedInline(admin.StackedInline):  # type: ignore[type-arg]
    """``admin.StackedInline`` for Mutu's models."""


class ReadOnlyAdmin(ModelAdmin):
    """Shows rows; changes come from code (a loader or a service), never from the form."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
