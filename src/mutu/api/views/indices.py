"""Indices per unit and per employee, and the stored evaluation's summary.

The unit indices come from the stored evaluation
(:func:`mutu.evaluations.selectors.stored_evaluation`), pooled over the
unit's sub-units exactly as the unit dashboard pools them
(:func:`mutu.dashboard.tree.pooled_index`).  The privacy minimum of the
evaluation plan (default 5) holds everywhere: a mean, share or band count
over fewer people is ``null`` and named in ``suppressed``; an estimand or a
section over fewer people has its figures withheld.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from mutu.accounts.models import Role
from mutu.api.base import UNIT_PARAMETER, ApiView, errors
from mutu.api.errors import ApiError, forbidden
from mutu.api.serializers import (
    EmployeeIndexSerializer,
    EvaluationSerializer,
    UnitIndexSerializer,
)
from mutu.dashboard.tree import UnitTree, pooled_index
from mutu.dashboard.views import privacy_minimum
from mutu.domain.jp import pns_min_jp, pppk_max_jp
from mutu.evaluations.selectors import StoredEvaluation, stored_evaluation
from mutu.people.models import Employee, Unit
from mutu.people.selectors import unit_nodes
from mutu.programs.selectors import data_years, jp_by_employee
from mutu.reference.models import EmploymentKind

__all__ = ["EmployeeIndexList", "EvaluationSummary", "UnitIndexList", "withhold"]


def _no_evaluation() -> ApiError:
    return ApiError(
        404,
        "no_evaluation",
        "Belum ada evaluasi tersimpan; jalankan `mutu evaluate`.",
        "No evaluation is stored yet; run `mutu evaluate`.",
    )


def _small(n: int, minimum: int) -> bool:
    """A group of 1 to ``minimum - 1`` people: its figures are withheld (0 has none)."""
    return 0 < n < minimum


def unit_index_row(
    units: Mapping[str, Any], tree: UnitTree, unit: Unit, year: int, minimum: int
) -> dict[str, Any]:
    """One unit's pooled indices of ``year``, figures over too few people withheld."""
    codes = [n.code for n in tree.subtree(unit.pk)]
    ix = pooled_index(units, codes, year)
    suppressed: list[str] = []
    row: dict[str, Any] = {
        "unit": unit.code,
        "name": unit.name,
        "year": year,
        "n_pns": ix.n_pns,
        "pns_compliant": ix.pns_compliant if ix.n_pns else None,
        "jp_share": ix.jp_share,
        "mean_jp": ix.mean_jp,
        "ip_scored": ix.ip_scored,
        "ip_mean": ix.ip_mean,
        "ip_bands": dict(ix.bands) if ix.ip_scored else None,
        "skm_n": ix.skm_n,
        "ikm": ix.ikm,
        "privacy_minimum": minimum,
    }
    groups = (
        (ix.n_pns, ("pns_compliant", "jp_share", "mean_jp")),
        (ix.ip_scored, ("ip_mean", "ip_bands")),
        (ix.skm_n, ("ikm",)),
    )
    for n, names in groups:
        if _small(n, minimum):
            for name in names:
                row[name] = None
            suppressed.extend(names)
    row["suppressed"] = suppressed
    return row


class UnitIndexList(ApiView):
    """Per unit in the caller's scope: JP compliance, IP ASN and IKM of a year (pooled)."""

    serializer_class = UnitIndexSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "year", int, description="A year of the stored indices (default: the latest)."
            ),
            UNIT_PARAMETER,
        ],
        responses={200: UnitIndexSerializer(many=True), **errors()},
    )
    def get(self, request: Request) -> Response:
        year = self.year()
        found = self.unit_filter()
        ev = stored_evaluation(year) if year is not None else stored_evaluation()
        if ev is None:
            raise _no_evaluation()
        if year is None:
            year = ev.years[-1] if ev.years else ev.evaluated_year
        if year is None or year not in ev.years:
            raise ApiError(
                404,
                "no_indices",
                f"Tidak ada indeks untuk tahun {year}; tahun yang ada: "
                f"{', '.join(map(str, ev.years)) or '–'}.",
                f"There are no indices for {year}; the years there are: "
                f"{', '.join(map(str, ev.years)) or '–'}.",
            )
        qs = self.scope.units(Unit.objects.all())
        if found is not None:
            qs = qs.filter(pk__in=found[1])
        page = self.paginate_queryset(qs.order_by("code", "pk"))
        indices = ev.results.get("indices")
        units = indices.get("units") if isinstance(indices, Mapping) else None
        tree = UnitTree(unit_nodes())
        minimum = privacy_minimum(ev)
        rows = [
            unit_index_row(units if isinstance(units, Mapping) else {}, tree, u, year, minimum)
            for u in page
        ]
        return self.get_paginated_response(UnitIndexSerializer(rows, many=True).data)


class EmployeeIndexList(ApiView):
    """Per employee in the caller's scope: approved JP of a year against the floor or ceiling."""

    serializer_class = EmployeeIndexSerializer

    def get_queryset(self) -> QuerySet[Employee]:
        return self.scope.employees(Employee.objects.select_related("unit"))

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "year", int, description="The year (default: the latest year with data)."
            ),
            UNIT_PARAMETER,
            OpenApiParameter("status", str, enum=list(EmploymentKind.values)),
        ],
        responses={200: EmployeeIndexSerializer(many=True), **errors()},
    )
    def get(self, request: Request) -> Response:
        years = data_years()
        year = self.year(default=years[-1] if years else timezone.localdate().year)
        assert year is not None
        qs = self.get_queryset()
        found = self.unit_filter()
        if found is not None:
            qs = qs.filter(unit_id__in=found[1])
        status = self.text("status", EmploymentKind.values)
        if status:
            qs = qs.filter(status=status)
        qs = jp_by_employee(qs, year).order_by("name", "nip", "pk")
        page = self.paginate_queryset(qs)
        floor, ceiling = Decimal(pns_min_jp()), Decimal(pppk_max_jp())
        rows = []
        for e in page:
            jp = Decimal(e.jp_year or 0)
            pns = e.status == EmploymentKind.PNS
            rows.append(
                {
                    "employee": e.pk,
                    "nip": e.nip,
                    "name": e.name,
                    "unit": e.unit.code,
                    "status": e.status,
                    "year": year,
                    "jp": float(jp),
                    "jp_floor": float(floor) if pns else None,
                    "jp_ceiling": None if pns else float(ceiling),
                    "meets_floor": jp >= floor if pns else None,
                }
            )
        return self.get_paginated_response(EmployeeIndexSerializer(rows, many=True).data)


# -- the stored evaluation ----------------------------------------------------------------

#: The key of each section that counts the people its figures are over.
SECTION_GROUPS = {
    "l1_reaction": "n_respondents",
    "l2_learning": "n_pairs",
    "l3_behaviour": "n_treated",
    "participation": "n_nominated",
    "magang": "n_interns",
}


def withhold(values: Mapping[str, Any], n: object, minimum: int) -> dict[str, Any]:
    """``values`` with every non-integer number set to ``None`` when ``n`` is below ``minimum``.

    Counts (integers) stay: they are group sizes, not figures about the group.
    """
    out = dict(values)
    if isinstance(n, int) and not isinstance(n, bool) and _small(n, minimum):
        for key, value in values.items():
            if isinstance(value, float):
                out[key] = None
        out.pop("summary", None)
        out["suppressed"] = True
    return out


def evaluation_summary(ev: StoredEvaluation) -> dict[str, Any]:
    """The run's summary, estimands and section figures (no per-group tables)."""
    results = ev.results
    minimum = privacy_minimum(ev)
    estimands = results.get("estimands")
    sections = results.get("sections")
    summary = results.get("summary")
    rulebooks = results.get("rulebooks")
    confidence = results.get("confidence")
    return {
        "run": ev.run.pk,
        "created_at": ev.run.created_at,
        "year": ev.run.year,
        "evaluated_year": ev.evaluated_year,
        "years": ev.years,
        "privacy_minimum": minimum,
        "summary": {k: str(v) for k, v in summary.items() if k in ("id", "en")}
        if isinstance(summary, Mapping)
        else {},
        "estimands": {
            str(name): withhold(value, value.get("n"), minimum)
            for name, value in estimands.items()
            if isinstance(value, Mapping)
        }
        if isinstance(estimands, Mapping)
        else {},
        "sections": {
            str(name): withhold(
                {k: v for k, v in value.items() if k != "tables"},
                value.get(SECTION_GROUPS.get(str(name), "")),
                minimum,
            )
            for name, value in sections.items()
            if isinstance(value, Mapping)
        }
        if isinstance(sections, Mapping)
        else {},
        "goals_summary": results.get("goals_summary"),
        "multiple_testing": results.get("multiple_testing"),
        "confidence": confidence if isinstance(confidence, int | float) else None,
        "rulebooks": [str(r) for r in rulebooks] if isinstance(rulebooks, list) else [],
    }


class EvaluationSummary(ApiView):
    """The stored evaluation for a year (administrators and analysts, as the reports page)."""

    serializer_class = EvaluationSerializer
    pagination_class = None

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "year",
                int,
                description="The newest run made for this year (`mutu evaluate --year`); "
                "the newest run when there is none.",
            )
        ],
        responses={200: EvaluationSerializer, **errors()},
    )
    def get(self, request: Request) -> Response:
        if not self.scope.has(Role.ADMIN, Role.ANALYST):
            raise forbidden(
                "Hasil evaluasi hanya untuk administrator dan analis.",
                "Evaluation results are for administrators and analysts only.",
            )
        ev = stored_evaluation(self.year())
        if ev is None:
            raise _no_evaluation()
        return Response(evaluation_summary(ev))
