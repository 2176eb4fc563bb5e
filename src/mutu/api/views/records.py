"""Reads of the registry and the running program: units, employees, activities, enrollments, JP.

Each list is the caller's scope applied to the model (the same filters the web
pages use: :meth:`Scope.units`, :meth:`Scope.employees`,
:func:`mutu.programs.access.activities_in_scope` and
:func:`~mutu.programs.access.visible_enrollments`), then the query filters,
then a stable order ending in a unique key.  A detail outside the scope is
answered 404, exactly like one that does not exist.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from mutu.accounts.scope import Scope
from mutu.api.base import UNIT_PARAMETER, YEAR_PARAMETER, ApiView, errors
from mutu.api.errors import not_found
from mutu.api.serializers import (
    ActivitySerializer,
    EmployeeSerializer,
    EnrollmentSerializer,
    JpEntrySerializer,
    TokenInfoSerializer,
    UnitSerializer,
)
from mutu.people.models import Employee, Unit
from mutu.programs.access import activities_in_scope
from mutu.programs.models import (
    Activity,
    ActivityStatus,
    ApprovalStatus,
    Enrollment,
    EnrollmentStatus,
    JpLedgerEntry,
    JpSource,
)
from mutu.programs.selectors import activity_list
from mutu.reference.models import EmploymentKind

__all__ = [
    "ActivityDetail",
    "ActivityList",
    "EmployeeDetail",
    "EmployeeList",
    "EnrollmentList",
    "JpLedgerList",
    "Me",
    "UnitDetail",
    "UnitList",
    "enrollments_in_scope",
]


def enrollments_in_scope(scope: Scope) -> QuerySet[Enrollment]:
    """The enrollments the web shows the scope: its activities' participants it may see by name.

    The union over :func:`activities_in_scope` of
    :func:`mutu.programs.access.visible_enrollments`, as one query.
    """
    qs = Enrollment.objects.filter(activity__in=activities_in_scope(scope))
    if scope.all_units:
        return qs
    units = list(scope.read_units)
    cond = (
        Q(activity_id__in=list(scope.activities))
        | Q(activity__program__owner_unit_id__in=units)
        | Q(employee__unit_id__in=units)
    )
    if scope.employee_id is not None:
        cond |= Q(employee_id=scope.employee_id)
    return qs.filter(cond)


# -- who am I ----------------------------------------------------------------------------------


class Me(ApiView):
    """The caller: username, roles and what they cover."""

    serializer_class = TokenInfoSerializer
    pagination_class = None

    @extend_schema(responses={200: TokenInfoSerializer, **errors(401)})
    def get(self, request: Request) -> Response:
        scope = self.scope
        roots = Unit.objects.filter(pk__in=scope.read_units).exclude(parent_id__in=scope.read_units)
        return Response(
            {
                "username": request.user.get_username(),
                "roles": sorted(scope.roles),
                "employee": scope.employee_id,
                "all_units": scope.all_units,
                "units": sorted(u.code for u in roots),
            }
        )


# -- units -------------------------------------------------------------------------------------


class UnitList(ApiView):
    """Units the caller may read, by code."""

    serializer_class = UnitSerializer

    def get_queryset(self) -> QuerySet[Unit]:
        qs = self.scope.units(Unit.objects.select_related("parent", "kecamatan"))
        found = self.unit_filter()
        if found is not None:
            qs = qs.filter(pk__in=found[1])
        return qs.order_by("code", "pk")

    @extend_schema(
        parameters=[UNIT_PARAMETER], responses={200: UnitSerializer(many=True), **errors()}
    )
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class UnitDetail(ApiView):
    serializer_class = UnitSerializer
    pagination_class = None

    @extend_schema(responses={200: UnitSerializer, **errors(401, 404)})
    def get(self, request: Request, code: str) -> Response:
        unit = Unit.objects.select_related("parent", "kecamatan").filter(code=code[:40]).first()
        if unit is None or not self.scope.can_read_unit(unit.pk):
            raise not_found("Unit", "The unit")
        return Response(UnitSerializer(unit).data)


# -- employees ---------------------------------------------------------------------------------

EMPLOYEE_PARAMETERS = [
    UNIT_PARAMETER,
    OpenApiParameter("status", str, enum=list(EmploymentKind.values), description="PNS or PPPK."),
    OpenApiParameter("active", bool, description="Only active (true) or inactive (false) staff."),
]


def _employees() -> QuerySet[Employee]:
    return Employee.objects.select_related("unit", "position", "golongan")


class EmployeeList(ApiView):
    """Employees in the caller's scope (``Scope.employees``: the rows the web shows them)."""

    serializer_class = EmployeeSerializer

    def get_queryset(self) -> QuerySet[Employee]:
        qs = self.scope.employees(_employees())
        found = self.unit_filter()
        if found is not None:
            qs = qs.filter(unit_id__in=found[1])
        status = self.text("status", EmploymentKind.values)
        if status:
            qs = qs.filter(status=status)
        active = self.flag("active")
        if active is not None:
            qs = qs.filter(is_active=active)
        return qs.order_by("name", "nip", "pk")

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "scope": self.scope}

    @extend_schema(
        parameters=EMPLOYEE_PARAMETERS,
        responses={200: EmployeeSerializer(many=True), **errors()},
    )
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class EmployeeDetail(ApiView):
    serializer_class = EmployeeSerializer
    pagination_class = None

    @extend_schema(responses={200: EmployeeSerializer, **errors(401, 404)})
    def get(self, request: Request, pk: int) -> Response:
        employee = _employees().filter(pk=pk).first()
        if employee is None or not self.scope.can_read_employee(employee):
            raise not_found("Pegawai", "The employee")
        return Response(EmployeeSerializer(employee, context={"scope": self.scope}).data)


# -- activities ---------------------------------------------------------------------------------

ACTIVITY_PARAMETERS = [
    YEAR_PARAMETER,
    OpenApiParameter(
        "unit",
        str,
        description="A unit code: activities its subtree organises or has participants in.",
    ),
    OpenApiParameter("status", str, enum=list(ActivityStatus.values)),
    OpenApiParameter("form", str, description="A form-of-development code, e.g. bimtek."),
]


def _participants() -> QuerySet[Enrollment]:
    return Enrollment.objects.exclude(status=EnrollmentStatus.WITHDRAWN)


class ActivityList(ApiView):
    """Activities the caller may open (the web's activity list), newest first."""

    serializer_class = ActivitySerializer

    def get_queryset(self) -> QuerySet[Activity]:
        qs = activities_in_scope(self.scope)
        found = self.unit_filter()
        if found is not None:
            units = list(found[1])
            reached = Enrollment.objects.filter(employee__unit_id__in=units).values("activity_id")
            qs = qs.filter(Q(program__owner_unit_id__in=units) | Q(pk__in=reached))
        listed = activity_list(
            qs,
            year=self.year(),
            form=self.text("form"),
            status=self.text("status", ActivityStatus.values),
        )
        return listed.select_related("program__owner_unit").order_by("-start_date", "code", "pk")

    @extend_schema(
        parameters=ACTIVITY_PARAMETERS, responses={200: ActivitySerializer(many=True), **errors()}
    )
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class ActivityDetail(ApiView):
    serializer_class = ActivitySerializer
    pagination_class = None

    @extend_schema(responses={200: ActivitySerializer, **errors(401, 404)})
    def get(self, request: Request, pk: int) -> Response:
        activity = activity_list(activities_in_scope(self.scope).filter(pk=pk)).first()
        if activity is None:
            raise not_found("Kegiatan", "The activity")
        return Response(ActivitySerializer(activity).data)


# -- enrollments and the JP ledger --------------------------------------------------------------

ENROLLMENT_PARAMETERS = [
    YEAR_PARAMETER,
    OpenApiParameter("unit", str, description="A unit code: participants of its subtree."),
    OpenApiParameter("activity", str, description="An activity code."),
    OpenApiParameter("employee", int, description="An employee id."),
    OpenApiParameter("status", str, enum=list(EnrollmentStatus.values)),
]


class EnrollmentList(ApiView):
    """Enrollments of the caller's activities, of the participants they may see by name."""

    serializer_class = EnrollmentSerializer

    def get_queryset(self) -> QuerySet[Enrollment]:
        qs = enrollments_in_scope(self.scope).select_related("activity", "employee__unit")
        year = self.year()
        if year is not None:
            qs = qs.filter(activity__start_date__year=year)
        found = self.unit_filter()
        if found is not None:
            qs = qs.filter(employee__unit_id__in=found[1])
        activity = self.text("activity")
        if activity:
            qs = qs.filter(activity__code=activity)
        employee = self.integer("employee")
        if employee is not None:
            qs = qs.filter(employee_id=employee)
        status = self.text("status", EnrollmentStatus.values)
        if status:
            qs = qs.filter(status=status)
        return qs.annotate(
            sessions_present=Count("attendance", filter=Q(attendance__present=True))
        ).order_by("-activity__start_date", "activity__code", "employee__name", "pk")

    @extend_schema(
        parameters=ENROLLMENT_PARAMETERS,
        responses={200: EnrollmentSerializer(many=True), **errors()},
    )
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


LEDGER_PARAMETERS = [
    YEAR_PARAMETER,
    OpenApiParameter("unit", str, description="A unit code: entries of its subtree's people."),
    OpenApiParameter("employee", int, description="An employee id."),
    OpenApiParameter("source", str, enum=list(JpSource.values)),
    OpenApiParameter("approval_status", str, enum=list(ApprovalStatus.values)),
]


class JpLedgerList(ApiView):
    """JP ledger entries of the employees in the caller's scope (as on their person pages)."""

    serializer_class = JpEntrySerializer

    def get_queryset(self) -> QuerySet[JpLedgerEntry]:
        people = self.scope.employees(Employee.objects.all()).values("pk")
        qs = JpLedgerEntry.objects.filter(employee_id__in=people).select_related(
            "employee__unit", "enrollment__activity"
        )
        year = self.year()
        if year is not None:
            qs = qs.filter(year=year)
        found = self.unit_filter()
        if found is not None:
            qs = qs.filter(employee__unit_id__in=found[1])
        employee = self.integer("employee")
        if employee is not None:
            qs = qs.filter(employee_id=employee)
        source = self.text("source", JpSource.values)
        if source:
            qs = qs.filter(source=source)
        approval = self.text("approval_status", ApprovalStatus.values)
        if approval:
            qs = qs.filter(approval_status=approval)
        return qs.order_by("employee__name", "employee__nip", "date", "pk")

    @extend_schema(
        parameters=LEDGER_PARAMETERS, responses={200: JpEntrySerializer(many=True), **errors()}
    )
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)
