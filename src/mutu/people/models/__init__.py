"""People: units, positions and their competency standards, employees and their records."""

from mutu.people.models.employee import (
    EducationLevel,
    Employee,
    EmploymentType,
    PositionHistory,
    Sex,
)
from mutu.people.models.organisation import (
    Competency,
    CompetencyStandard,
    CompetencyType,
    Position,
    PositionKind,
    PositionLevel,
    Unit,
    UnitKind,
)
from mutu.people.models.records import (
    AssessmentMethod,
    CompetencyAssessment,
    DisciplineLevel,
    DisciplineRecord,
    PerformanceRecord,
    SkpPredikat,
)

__all__ = [
    "AssessmentMethod",
    "Competency",
    "CompetencyAssessment",
    "CompetencyStandard",
    "CompetencyType",
    "DisciplineLevel",
    "DisciplineRecord",
    "EducationLevel",
    "Employee",
    "EmploymentType",
    "PerformanceRecord",
    "Position",
    "PositionHistory",
    "PositionKind",
    "PositionLevel",
    "Sex",
    "SkpPredikat",
    "Unit",
    "UnitKind",
]
