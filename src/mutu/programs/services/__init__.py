"""Writes for programs: keyword-only, validated, one transaction each."""

from mutu.programs.services.activities import (
    SessionSpec,
    activity_create,
    activity_session_add,
    activity_set_status,
    attendance_record,
    certificate_issue,
    enrollment_complete,
    enrollment_create,
    enrollment_set_status,
)
from mutu.programs.services.attendance import attendance_check_in, attendance_save
from mutu.programs.services.completion import activity_complete
from mutu.programs.services.external import external_jp_decide, external_jp_record
from mutu.programs.services.ledger import jp_entry_decide, jp_entry_record
from mutu.programs.services.nomination import enrollment_nominate, enrollment_register
from mutu.programs.services.plans import (
    budget_line_create,
    expenditure_record,
    incentive_offer_record,
    internship_create,
    internship_log_add,
    partner_create,
    program_create,
    program_goal_add,
)

__all__ = [
    "SessionSpec",
    "activity_complete",
    "activity_create",
    "activity_session_add",
    "activity_set_status",
    "attendance_check_in",
    "attendance_record",
    "attendance_save",
    "budget_line_create",
    "certificate_issue",
    "enrollment_complete",
    "enrollment_create",
    "enrollment_nominate",
    "enrollment_register",
    "enrollment_set_status",
    "expenditure_record",
    "external_jp_decide",
    "external_jp_record",
    "incentive_offer_record",
    "internship_create",
    "internship_log_add",
    "jp_entry_decide",
    "jp_entry_record",
    "partner_create",
    "program_create",
    "program_goal_add",
]
