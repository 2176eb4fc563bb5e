"""Admin for units, positions, competencies, employees and their records."""

from __future__ import annotations

from django.contrib import admin

from mutu.people.models import (
    Competency,
    CompetencyAssessment,
    CompetencyStandard,
    DisciplineRecord,
    Employee,
    PerformanceRecord,
    Position,
    PositionHistory,
    Unit,
)
from mutu.reference.admin_base import ModelAdmin, TabularInline

EMPLOYEE_SEARCH = ["employee__nip", "employee__name"]


@admin.register(Unit)
class UnitAdmin(ModelAdmin):
    list_display = ["code", "name", "kind", "parent", "kecamatan", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["parent", "kecamatan"]


class CompetencyStandardInline(TabularInline):
    model = CompetencyStandard
    extra = 1
    autocomplete_fields = ["competency"]


@admin.register(Position)
class PositionAdmin(ModelAdmin):
    list_display = ["code", "name", "kind", "level", "unit"]
    list_filter = ["kind", "level"]
    search_fields = ["code", "name", "unit__name"]
    autocomplete_fields = ["unit"]
    inlines = [CompetencyStandardInline]


@admin.register(Competency)
class CompetencyAdmin(ModelAdmin):
    list_display = ["code", "name", "type"]
    list_filter = ["type"]
    search_fields = ["code", "name"]


@admin.register(CompetencyStandard)
class CompetencyStandardAdmin(ModelAdmin):
    list_display = ["position", "competency", "required_level"]
    list_filter = ["competency__type", "required_level"]
    search_fields = ["position__name", "competency__name"]
    autocomplete_fields = ["position", "competency"]


class PositionHistoryInline(TabularInline):
    model = PositionHistory
    extra = 0
    autocomplete_fields = ["position", "unit"]


class PerformanceRecordInline(TabularInline):
    model = PerformanceRecord
    extra = 0


@admin.register(Employee)
class EmployeeAdmin(ModelAdmin):
    list_display = ["nip", "name", "status", "golongan", "unit", "position", "is_active"]
    list_filter = ["status", "employment_type", "education_level", "is_active", "golongan"]
    search_fields = ["nip", "name"]
    autocomplete_fields = ["unit", "position", "supervisor"]
    readonly_fields = ["created_at", "updated_at"]
    list_select_related = ["golongan", "unit", "position"]
    fields = [
        "nip",
        "name",
        "status",
        "employment_type",
        "birth_date",
        "sex",
        "tmt_cpns",
        "golongan",
        "education_level",
        "unit",
        "position",
        "supervisor",
        "is_active",
        "created_at",
        "updated_at",
    ]
    inlines = [PositionHistoryInline, PerformanceRecordInline]


@admin.register(PositionHistory)
class PositionHistoryAdmin(ModelAdmin):
    list_display = ["employee", "position", "unit", "start", "end"]
    search_fields = EMPLOYEE_SEARCH
    autocomplete_fields = ["employee", "position", "unit"]
    date_hierarchy = "start"


@admin.register(CompetencyAssessment)
class CompetencyAssessmentAdmin(ModelAdmin):
    list_display = ["employee", "competency", "level", "assessed_on", "method"]
    list_filter = ["method", "level", "competency__type"]
    search_fields = EMPLOYEE_SEARCH
    autocomplete_fields = ["employee", "competency"]


@admin.register(PerformanceRecord)
class PerformanceRecordAdmin(ModelAdmin):
    list_display = ["employee", "year", "predikat", "score"]
    list_filter = ["year", "predikat"]
    search_fields = EMPLOYEE_SEARCH
    autocomplete_fields = ["employee"]


@admin.register(DisciplineRecord)
class DisciplineRecordAdmin(ModelAdmin):
    list_display = ["employee", "level", "decided_on", "start", "end", "decree_number"]
    list_filter = ["level"]
    search_fields = [*EMPLOYEE_SEARCH, "decree_number"]
    autocomplete_fields = ["employee"]
