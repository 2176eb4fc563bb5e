"""Admin for partners, programs, activities, enrollment, the JP ledger, internships, money."""

from __future__ import annotations

from django.contrib import admin

from mutu.programs.models import (
    Activity,
    ActivitySession,
    Attendance,
    BudgetLine,
    Certificate,
    Enrollment,
    Expenditure,
    IncentiveOffer,
    IncentiveScheme,
    Internship,
    InternshipAssessment,
    InternshipLogEntry,
    JpLedgerEntry,
    Partner,
    PartnerAgreement,
    Program,
    ProgramGoal,
    ProgramUnit,
)
from mutu.reference.admin_base import ModelAdmin, TabularInline

EMPLOYEE_SEARCH = ["employee__nip", "employee__name"]


class PartnerAgreementInline(TabularInline):
    model = PartnerAgreement
    extra = 0


@admin.register(Partner)
class PartnerAdmin(ModelAdmin):
    list_display = ["name", "kind", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name"]
    inlines = [PartnerAgreementInline]


@admin.register(PartnerAgreement)
class PartnerAgreementAdmin(ModelAdmin):
    list_display = ["number", "partner", "title", "start", "end", "quota"]
    list_filter = ["partner__kind"]
    search_fields = ["number", "title", "partner__name"]
    autocomplete_fields = ["partner"]


class ProgramGoalInline(TabularInline):
    model = ProgramGoal
    extra = 0


class ProgramUnitInline(TabularInline):
    model = ProgramUnit
    extra = 0
    autocomplete_fields = ["unit"]


@admin.register(Program)
class ProgramAdmin(ModelAdmin):
    list_display = ["code", "name", "period_start", "period_end", "owner_unit", "is_recurring"]
    list_filter = ["is_recurring", "recurrence"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["owner_unit", "target_competencies"]
    inlines = [ProgramGoalInline, ProgramUnitInline]


@admin.register(ProgramUnit)
class ProgramUnitAdmin(ModelAdmin):
    list_display = ["program", "unit", "adoption_year"]
    list_filter = ["adoption_year", "program"]
    search_fields = ["unit__code", "unit__name", "program__code"]
    autocomplete_fields = ["program", "unit"]


@admin.register(ProgramGoal)
class ProgramGoalAdmin(ModelAdmin):
    list_display = ["program", "dimension", "indicator", "baseline", "target", "unit_of_measure"]
    list_filter = ["dimension"]
    search_fields = ["indicator", "statement", "program__code", "program__name"]
    autocomplete_fields = ["program"]


class ActivitySessionInline(TabularInline):
    model = ActivitySession
    extra = 1


@admin.register(Activity)
class ActivityAdmin(ModelAdmin):
    list_display = ["code", "title", "form", "jp", "start_date", "end_date", "status"]
    list_filter = ["status", "form", "kecamatan"]
    search_fields = ["code", "title", "organiser"]
    autocomplete_fields = ["program", "form", "kecamatan", "partner"]
    date_hierarchy = "start_date"
    inlines = [ActivitySessionInline]


@admin.register(ActivitySession)
class ActivitySessionAdmin(ModelAdmin):
    list_display = ["activity", "starts_at", "ends_at", "topic", "trainer_name"]
    search_fields = ["activity__code", "activity__title", "topic", "trainer_name"]
    autocomplete_fields = ["activity"]


class AttendanceInline(TabularInline):
    model = Attendance
    extra = 0
    autocomplete_fields = ["session"]


@admin.register(Enrollment)
class EnrollmentAdmin(ModelAdmin):
    list_display = [
        "employee",
        "activity",
        "status",
        "nominated_by",
        "nominated_on",
        "completed_on",
    ]
    list_filter = ["status"]
    search_fields = [*EMPLOYEE_SEARCH, "activity__code", "activity__title"]
    autocomplete_fields = ["activity", "employee", "nominated_by"]
    list_select_related = ["employee", "activity"]
    inlines = [AttendanceInline]


@admin.register(Attendance)
class AttendanceAdmin(ModelAdmin):
    list_display = ["enrollment", "session", "present", "checked_in_at", "method"]
    list_filter = ["present", "method"]
    search_fields = ["enrollment__employee__nip", "enrollment__employee__name"]
    autocomplete_fields = ["enrollment", "session"]


@admin.register(Certificate)
class CertificateAdmin(ModelAdmin):
    list_display = ["number", "enrollment", "issued_on"]
    search_fields = ["number", "enrollment__employee__nip", "enrollment__employee__name"]
    autocomplete_fields = ["enrollment"]
    readonly_fields = ["verification_token"]


@admin.register(JpLedgerEntry)
class JpLedgerEntryAdmin(ModelAdmin):
    list_display = ["employee", "date", "jp", "source", "title", "approval_status"]
    list_filter = ["source", "approval_status", "year"]
    search_fields = [*EMPLOYEE_SEARCH, "title", "organiser"]
    autocomplete_fields = ["employee", "enrollment"]
    readonly_fields = ["year", "approved_by", "decided_at", "created_at"]
    date_hierarchy = "date"


class InternshipLogEntryInline(TabularInline):
    model = InternshipLogEntry
    extra = 0


@admin.register(Internship)
class InternshipAdmin(ModelAdmin):
    list_display = ["employee", "host_partner", "host_unit", "mentor_name", "start", "end"]
    search_fields = [*EMPLOYEE_SEARCH, "mentor_name"]
    autocomplete_fields = ["employee", "host_partner", "host_unit", "mentor_employee", "activity"]
    inlines = [InternshipLogEntryInline]


@admin.register(InternshipLogEntry)
class InternshipLogEntryAdmin(ModelAdmin):
    list_display = ["internship", "week_start"]
    search_fields = ["internship__employee__nip", "internship__employee__name", "text"]
    autocomplete_fields = ["internship"]


@admin.register(InternshipAssessment)
class InternshipAssessmentAdmin(ModelAdmin):
    list_display = ["internship", "stage", "assessed_on"]
    search_fields = ["internship__employee__nip", "internship__employee__name"]
    autocomplete_fields = ["internship"]


class ExpenditureInline(TabularInline):
    model = Expenditure
    extra = 0


@admin.register(BudgetLine)
class BudgetLineAdmin(ModelAdmin):
    list_display = [
        "program",
        "fiscal_year",
        "cost_type",
        "account_code",
        "description",
        "planned_amount",
    ]
    list_filter = ["fiscal_year", "cost_type"]
    search_fields = ["account_code", "description", "program__code", "program__name"]
    autocomplete_fields = ["program", "activity"]
    inlines = [ExpenditureInline]


@admin.register(Expenditure)
class ExpenditureAdmin(ModelAdmin):
    list_display = ["budget_line", "date", "amount", "document_number"]
    search_fields = ["description", "document_number", "budget_line__account_code"]
    autocomplete_fields = ["budget_line"]
    date_hierarchy = "date"


@admin.register(IncentiveScheme)
class IncentiveSchemeAdmin(ModelAdmin):
    list_display = ["code", "name", "kind", "start", "end"]
    list_filter = ["kind"]
    search_fields = ["code", "name"]


@admin.register(IncentiveOffer)
class IncentiveOfferAdmin(ModelAdmin):
    list_display = ["scheme", "employee", "activity", "offered_on", "accepted"]
    list_filter = ["scheme", "accepted"]
    search_fields = EMPLOYEE_SEARCH
    autocomplete_fields = ["scheme", "employee", "activity"]
