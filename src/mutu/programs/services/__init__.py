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
from mutu.programs.services.ledger import jp_entry_decide, jp_entry_record
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
    "activity_create",
    "activity_session_add",
    "activity_set_status",
    "attendance_record",
    "budget_line_create",
    "certificate_issue",
    "enrollment_complete",
    "enrollment_create",
    "enrollment_set_status",
    "expenditure_record",
    "incentive_offer_record",
    "internship_create",
    "internship_log_add",
    "jp_entry_decide",
    "jp_entry_record",
    "partner_create",
    "program_create",
    "program_goal_add",
]
