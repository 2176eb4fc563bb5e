"""The API's views: reads (records, indices, evaluation) and the two writes (attendance, forms)."""

from mutu.api.views.indices import EmployeeIndexList, EvaluationSummary, UnitIndexList
from mutu.api.views.records import (
    ActivityDetail,
    ActivityList,
    EmployeeDetail,
    EmployeeList,
    EnrollmentList,
    JpLedgerList,
    Me,
    UnitDetail,
    UnitList,
)
from mutu.api.views.writes import FormDetail, FormList, SessionAttendance

__all__ = [
    "ActivityDetail",
    "ActivityList",
    "EmployeeDetail",
    "EmployeeIndexList",
    "EmployeeList",
    "EnrollmentList",
    "EvaluationSummary",
    "FormDetail",
    "FormList",
    "JpLedgerList",
    "Me",
    "SessionAttendance",
    "UnitDetail",
    "UnitIndexList",
    "UnitList",
]
