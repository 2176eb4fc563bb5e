"""Admin for SKM results and unit indicators."""

from __future__ import annotations

from django.contrib import admin

from mutu.indicators.models import SkmResult, UnitIndicator
from mutu.reference.admin_base import ModelAdmin


@admin.register(SkmResult)
class SkmResultAdmin(ModelAdmin):
    list_display = ["unit", "period_start", "period_end", "element", "nrr", "respondent_count"]
    list_filter = ["element", "period_start"]
    search_fields = ["unit__code", "unit__name"]
    autocomplete_fields = ["unit"]


@admin.register(UnitIndicator)
class UnitIndicatorAdmin(ModelAdmin):
    list_display = ["unit", "code", "name", "period_start", "period_end", "value"]
    list_filter = ["code"]
    search_fields = ["code", "name", "unit__code", "unit__name"]
    autocomplete_fields = ["unit"]
