"""Programs: partners, programs, activities, enrollment, the JP ledger, internships, money."""

from mutu.programs.models.activities import (
    Activity,
    ActivitySession,
    ActivityStatus,
    Attendance,
    AttendanceMethod,
    Certificate,
    Enrollment,
    EnrollmentStatus,
)
from mutu.programs.models.internships import Internship, InternshipLogEntry
from mutu.programs.models.ledger import ApprovalStatus, JpLedgerEntry, JpSource
from mutu.programs.models.plans import (
    BudgetLine,
    Expenditure,
    GoalDimension,
    IncentiveKind,
    IncentiveOffer,
    IncentiveScheme,
    Partner,
    PartnerAgreement,
    PartnerKind,
    Program,
    ProgramGoal,
    Recurrence,
)

__all__ = [
    "Activity",
    "ActivitySession",
    "ActivityStatus",
    "ApprovalStatus",
    "Attendance",
    "AttendanceMethod",
    "BudgetLine",
    "Certificate",
    "Enrollment",
    "EnrollmentStatus",
    "Expenditure",
    "GoalDimension",
    "IncentiveKind",
    "IncentiveOffer",
    "IncentiveScheme",
    "Internship",
    "InternshipLogEntry",
    "JpLedgerEntry",
    "JpSource",
    "Partner",
    "PartnerAgreement",
    "PartnerKind",
    "Program",
    "ProgramGoal",
    "Recurrence",
]
