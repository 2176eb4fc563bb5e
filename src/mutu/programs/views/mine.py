"""A participant's own activities, certificates and JP this year."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from mutu.domain.jp import pns_min_jp
from mutu.people.models import Employee
from mutu.programs.models import ApprovalStatus, Enrollment, JpLedgerEntry, JpSource
from mutu.programs.selectors import attendance_counts
from mutu.programs.views._common import require, scope_of
from mutu.reference.models import EmploymentKind


@login_required
def my_activities(request: HttpRequest) -> HttpResponse:
    """Nominations to confirm, activities with attendance and certificates, JP this year."""
    scope = scope_of(request)
    require(scope.employee_id is not None)
    employee = get_object_or_404(Employee, pk=scope.employee_id or 0)
    year = timezone.localdate().year
    enrollments = list(
        Enrollment.objects.filter(employee=employee)
        .select_related("activity", "certificate")
        .order_by("-activity__start_date")
    )
    rows = []
    for e in enrollments:
        count = attendance_counts(e.activity_id).get(e.pk)
        rows.append({"e": e, "count": count, "certificate": getattr(e, "certificate", None)})
    credited = JpLedgerEntry.objects.filter(
        employee=employee, year=year, approval_status=ApprovalStatus.APPROVED
    ).aggregate(total=Sum("jp"))["total"]
    external = JpLedgerEntry.objects.filter(employee=employee, source=JpSource.EXTERNAL).order_by(
        "-date"
    )[:20]
    return render(
        request,
        "programs/mine.html",
        {
            "employee": employee,
            "rows": rows,
            "year": year,
            "jp_year": credited or 0,
            "floor": pns_min_jp() if employee.status == EmploymentKind.PNS else None,
            "external": external,
            "certificates_count": sum(1 for r in rows if r["certificate"] is not None),
        },
    )
