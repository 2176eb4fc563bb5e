"""Every URL of the project, requested by every role (issue 7's authorisation walk).

The walk enumerates the URL patterns themselves, so a new page is checked the
moment it is routed: anonymous visitors are sent to the sign-in page unless the
page is on the public list, nobody meets a server error, a unit head gets 404
(or 403) for another unit's objects, a unit operator for the unit head's, and
a participant or supervisor for anyone else's personal records.

Path parameters are filled with real objects of a small loaded world. How is
decided by two tables below: :data:`URL_KINDS` (per URL name) and
:data:`PARAMETER_KINDS` (per parameter name, for names that mean one thing
everywhere). A URL with a parameter neither table fills fails
:func:`test_every_url_parameter_can_be_filled`, so no page escapes the walk.

Adding a URL: map its name to an existing kind in :data:`URL_KINDS`, or write
a new kind with ``@kind(...)``: a function of the :class:`Cast` that returns,
per *variant*, the value of the parameter (or a dict of values when one object
fills several parameters). Variants:

- ``inside``: in the demo unit head's subtree (and outside the demo unit
  operator's), belonging to neither the demo participant nor their supervisor;
- ``outside``: in the demo unit operator's unit, outside the unit head's;
- ``own``: the demo participant's own (personal kinds);
- ``any``: one object, for kinds nobody's scope limits (public links).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

# --------------------------------------------------------------------------- the URLs


@dataclass(frozen=True)
class Route:
    """One URL pattern: its full name, its path template and its parameters."""

    name: str
    template: str
    parameters: tuple[str, ...]

    def url(self, values: dict[str, str]) -> str:
        return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: values[m.group(1)], self.template)


#: Prefixes left out: Django admin has its own checks, and the language switch is Django's.
SKIPPED_PREFIXES = ("admin/", "i18n/")


def routes() -> list[Route]:
    """Every named URL pattern of the project (admin and the i18n view excepted)."""
    found: list[Route] = []

    def walk(patterns: list[Any], prefix: str, namespace: str) -> None:
        for entry in patterns:
            part = str(entry.pattern)
            if (prefix + part).startswith(SKIPPED_PREFIXES):
                continue
            if isinstance(entry, URLResolver):
                space = namespace
                if entry.namespace:
                    space = f"{namespace}{entry.namespace}:"
                walk(entry.url_patterns, prefix + part, space)
            elif isinstance(entry, URLPattern):
                template = prefix + part
                if not entry.name:
                    raise AssertionError(f"URL {template!r} has no name; the walk needs one")
                params = tuple(re.findall(r"<(?:\w+:)?(\w+)>", template))
                found.append(Route(namespace + entry.name, template, params))

    walk(get_resolver().url_patterns, "", "")
    return found


#: URLs anyone may open without signing in (everything else sends them to /masuk/).
PUBLIC = {
    "web:health",
    "login",
    "logout",  # POST only; signing out when signed out changes nothing
    "programs:verify",  # certificate verification from its QR code
    "instruments:skm",  # the citizens' SKM form of a service unit
    "instruments:skm_thanks",
    "instruments:skm_poster",
    "instruments:link",  # personal survey links: the token is the key
    "instruments:link_save",
    "api:schema",  # the OpenAPI schema: shapes, never data
}

#: URLs a signed-in walk must not POST to (it would end the walk's own session).
SIGN_OUT = {"logout"}

# --------------------------------------------------------------------------- the cast


#: The demo accounts, one per role, and who the walk signs in as.
ROLES = {
    "anonymous": None,
    "admin": "demo-admin",
    "analyst": "demo-analis",
    "unit_operator": "demo-operator",
    "unit_head": "demo-kepala",
    "trainer": "demo-pelatih",
    "supervisor": "demo-atasan",
    "participant": "demo-peserta",
}


@dataclass(frozen=True)
class Cast:
    """What the demo accounts cover, as sets of ids."""

    head_units: frozenset[int]
    operator_units: frozenset[int]
    participant: int
    supervisor: int
    staff: frozenset[int]

    @property
    def strangers(self) -> frozenset[int]:
        """People no personal role of the demo reaches."""
        return self.staff | {self.participant, self.supervisor}

    @classmethod
    def load(cls) -> Cast:
        from mutu.accounts.scope import scope_for

        users = get_user_model().objects
        head = scope_for(users.get(username="demo-kepala"))
        operator = scope_for(users.get(username="demo-operator"))
        participant = scope_for(users.get(username="demo-peserta"))
        supervisor = scope_for(users.get(username="demo-atasan"))
        assert participant.employee_id is not None and supervisor.employee_id is not None
        assert not head.read_units & operator.read_units, "the demo units must not overlap"
        return cls(
            head_units=head.read_units,
            operator_units=operator.read_units,
            participant=participant.employee_id,
            supervisor=supervisor.employee_id,
            staff=supervisor.staff_ids,
        )


# --------------------------------------------------------------------------- the kinds

Values = dict[str, str | dict[str, str]]


@dataclass(frozen=True)
class Kind:
    """A kind of object a URL names, and how the walk finds one per variant."""

    name: str
    find: Callable[[Cast], Values]
    #: A unit head must not reach the ``outside`` one, nor a unit operator the ``inside`` one.
    unit_scoped: bool = False
    #: A participant and a supervisor must not reach the ``inside`` and ``outside`` ones.
    personal: bool = False
    #: When set, every other signed-in role must be refused.
    only: frozenset[str] | None = None


KINDS: dict[str, Kind] = {}


def kind(
    name: str,
    *,
    unit_scoped: bool = False,
    personal: bool = False,
    only: tuple[str, ...] | None = None,
) -> Callable[[Callable[[Cast], Values]], Callable[[Cast], Values]]:
    def register(find: Callable[[Cast], Values]) -> Callable[[Cast], Values]:
        roles = frozenset(only) if only is not None else None
        KINDS[name] = Kind(name, find, unit_scoped=unit_scoped, personal=personal, only=roles)
        return find

    return register


def first(qs: QuerySet[Any], what: str) -> Any:
    found = qs.order_by("pk").first()
    if found is None:
        raise AssertionError(f"the small world has no {what}")
    return found


def _employee(cast: Cast, units: frozenset[int]) -> Any:
    from mutu.people.models import Employee

    return first(
        Employee.objects.filter(unit_id__in=units).exclude(pk__in=cast.strangers),
        "employee in the unit",
    )


@kind("unit", unit_scoped=True)
def unit_code(cast: Cast) -> Values:
    from mutu.people.models import Unit

    return {
        "inside": Unit.objects.get(pk=_employee(cast, cast.head_units).unit_id).code,
        "outside": Unit.objects.get(pk=_employee(cast, cast.operator_units).unit_id).code,
    }


@kind("employee", unit_scoped=True, personal=True)
def employee_pk(cast: Cast) -> Values:
    return {
        "inside": str(_employee(cast, cast.head_units).pk),
        "outside": str(_employee(cast, cast.operator_units).pk),
        "own": str(cast.participant),
    }


def _activities(cast: Cast) -> dict[str, Any]:
    """Finished activities a unit's staff reach only through their own units' participants.

    ``inside``: with participants from the unit head's units and none from the unit
    operator's, organised by neither; ``outside``: the other way round; ``own``: one the
    demo participant took part in.
    """
    from mutu.programs.models import Activity, Enrollment

    def reached_only_by(units: frozenset[int], others: frozenset[int]) -> Any:
        mine = Enrollment.objects.filter(employee__unit_id__in=units).values("activity_id")
        theirs = Enrollment.objects.filter(employee__unit_id__in=others).values("activity_id")
        qs = Activity.objects.filter(pk__in=mine, status="done").exclude(pk__in=theirs)
        qs = qs.exclude(Q(program__owner_unit_id__in=units | others))
        return first(qs, "activity reached by one demo unit only")

    own = Enrollment.objects.filter(employee_id=cast.participant).values("activity_id")
    return {
        "inside": reached_only_by(cast.head_units, cast.operator_units),
        "outside": reached_only_by(cast.operator_units, cast.head_units),
        "own": first(Activity.objects.filter(pk__in=own), "activity of the participant"),
    }


@kind("activity", unit_scoped=True)
def activity_pk(cast: Cast) -> Values:
    return {variant: str(a.pk) for variant, a in _activities(cast).items()}


@kind("activity_code", unit_scoped=True)
def activity_code(cast: Cast) -> Values:
    return {variant: a.code for variant, a in _activities(cast).items()}


def _sessions(cast: Cast) -> dict[str, Any]:
    return {
        variant: first(a.sessions.all(), f"session of {a.code}")
        for variant, a in _activities(cast).items()
    }


@kind("session", unit_scoped=True)
def session_pk(cast: Cast) -> Values:
    return {variant: str(s.pk) for variant, s in _sessions(cast).items()}


@kind("session_checkin", unit_scoped=True)
def session_checkin(cast: Cast) -> Values:
    """The QR check-in address of a session: its pk and its secret."""
    return {
        variant: {"pk": str(s.pk), "secret": s.checkin_secret or "x" * 16}
        for variant, s in _sessions(cast).items()
    }


def _certificates(cast: Cast) -> dict[str, Any]:
    from mutu.programs.models import Certificate

    def of(units: frozenset[int]) -> Any:
        qs = Certificate.objects.filter(enrollment__employee__unit_id__in=units)
        return first(qs.exclude(enrollment__employee_id__in=cast.strangers), "certificate")

    return {
        "inside": of(cast.head_units),
        "outside": of(cast.operator_units),
        "own": first(
            Certificate.objects.filter(enrollment__employee_id=cast.participant),
            "certificate of the participant",
        ),
    }


@kind("certificate", unit_scoped=True, personal=True)
def certificate_pk(cast: Cast) -> Values:
    return {variant: str(c.pk) for variant, c in _certificates(cast).items()}


@kind("certificate_token")
def certificate_token(cast: Cast) -> Values:
    return {"any": _certificates(cast)["inside"].verification_token}


@kind("external_jp", unit_scoped=True, personal=True)
def external_jp_pk(cast: Cast) -> Values:
    """JP earned elsewhere, waiting for a decision where the world has one, with evidence."""
    from django.core.files.base import ContentFile

    from mutu.programs.models import JpLedgerEntry

    def of(cond: Q) -> str:
        qs = JpLedgerEntry.objects.filter(cond, source="external").order_by("-approval_status")
        entry = first(qs, "external JP entry")
        if not entry.evidence:  # the world's entries carry no file; the evidence page needs one
            entry.evidence.save("bukti.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=True)
        return str(entry.pk)

    strangers = ~Q(employee_id__in=cast.strangers)
    return {
        "inside": of(Q(employee__unit_id__in=cast.head_units) & strangers),
        "outside": of(Q(employee__unit_id__in=cast.operator_units) & strangers),
        "own": of(Q(employee_id=cast.participant)),
    }


def _attachment(activity: Any) -> Any:
    """The activity's reaction survey (attached here when the world has none)."""
    from mutu.instruments.field_services import activity_instrument_attach
    from mutu.instruments.fieldwork import ActivityInstrument
    from mutu.instruments.models import InstrumentVersion

    found = ActivityInstrument.objects.filter(activity=activity).order_by("pk").first()
    if found is not None:
        return found
    version = first(InstrumentVersion.objects.filter(instrument__code="REAKSI"), "REAKSI")
    return activity_instrument_attach(activity=activity, version=version, occasion="end")


@kind("attachment", unit_scoped=True)
def attachment(cast: Cast) -> Values:
    """An instrument attached to an activity: the activity's code and the attachment's pk."""
    return {
        variant: {"code": a.code, "pk": str(_attachment(a).pk)}
        for variant, a in _activities(cast).items()
    }


@kind("link_token")
def link_token(cast: Cast) -> Values:
    """A personal survey link (public: the token is the key)."""
    from mutu.instruments.fieldwork import InstrumentLink
    from mutu.instruments.tokens import token_for

    _attachment(_activities(cast)["own"])
    return {"any": token_for(first(InstrumentLink.objects.all(), "survey link").nonce)}


@kind("service_unit")
def service_unit_code(cast: Cast) -> Values:
    """A unit citizens rate on the public SKM form (one with SKM answers in the world)."""
    from mutu.instruments.models import Response
    from mutu.people.models import Unit

    rated = Response.objects.filter(version__instrument__kind="skm").values("unit_id")
    return {"any": first(Unit.objects.filter(pk__in=rated), "unit with SKM answers").code}


@kind("report_file", only=("admin", "analyst"))
def report_file(cast: Cast) -> Values:
    """A written evaluation report of the stored run (a small file put where the page looks)."""
    from django.conf import settings

    from mutu.evaluations.models import EvaluationRun

    run = first(EvaluationRun.objects.all(), "evaluation run")
    folder = Path(settings.MEDIA_ROOT) / "reports" / f"evaluasi-{run.pk}"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "laporan-evaluasi.html").write_text("<html></html>", encoding="utf-8")
    return {"any": {"run": str(run.pk), "name": "laporan-evaluasi.html"}}


@kind("planning_page", only=("admin", "analyst"))
def planning_page(cast: Cast) -> Values:
    """The planning pages without parameters (list, new, compare): admin and analyst only."""
    return {"any": {}}


@kind("scenario", only=("admin", "analyst"))
def scenario_pk(cast: Cast) -> Values:
    """A saved plan scenario (a small plan stored directly: the walk does not run the solver)."""
    from mutu.scenarios.services import scenario_store

    curve = [
        {"share": s, "budget": s * 1e9, "objective": 100 * s, "bound": 101 * s, "mip_gap": 0.01}
        for s in (0.5, 1.0, 2.0)
    ]
    plan = {
        "year": 2027, "budget": 1e9, "total_cost": 9.5e8, "objective": 100.0, "bound": 101.0,
        "mip_gap": 0.0099, "status": "time_limit_feasible", "coverage_curve": curve,
        "activities": [{"activity": "ELASN", "classes": 1, "seats": 9, "cost": 9.5e8,
                        "seats_per_unit": {"RSUD": 9}, "expected_jp": 45.0, "weight": 1.0}],
        "below_20jp": {"floor_jp": 20.0, "before": 12, "after": 3},
    }  # fmt: skip
    scenario = scenario_store(
        name="Walk", year=2027, budget=1e9, fairness_floor=None, plan=plan,
        participation=None, created_by=None,
    )  # fmt: skip
    return {"any": str(scenario.pk)}


def _internships(cast: Cast) -> dict[str, Any]:
    """Placements of someone in the unit head's units, the operator's, and the participant.

    The world's magang cohort is used where it reaches these units; otherwise a
    placement is made through the programs service (the walk checks access, not
    eligibility).
    """
    from datetime import date

    from mutu.people.models import Employee
    from mutu.programs.models import Internship, Partner
    from mutu.programs.services import internship_create, partner_create

    def of(employee: Any) -> Any:
        found = Internship.objects.filter(employee=employee).order_by("pk").first()
        if found is not None:
            return found
        partner = Partner.objects.order_by("pk").first() or partner_create(
            name="Universitas Gunung Leuser", kind="university"
        )
        return internship_create(
            employee=employee,
            start=date(2025, 3, 3),
            end=date(2025, 5, 30),
            host_partner=partner,
            mentor_name="Dr. Pembimbing",
        )

    def in_units(units: frozenset[int]) -> Any:
        placed = Internship.objects.filter(employee__unit_id__in=units).exclude(
            employee_id__in=cast.strangers
        )
        found = placed.order_by("pk").first()
        return found if found is not None else of(_employee(cast, units))

    return {
        "inside": in_units(cast.head_units),
        "outside": in_units(cast.operator_units),
        "own": of(Employee.objects.get(pk=cast.participant)),
    }


@kind("internship", unit_scoped=True, personal=True)
def internship_pk(cast: Cast) -> Values:
    return {variant: str(i.pk) for variant, i in _internships(cast).items()}


@kind("internship_log", unit_scoped=True, personal=True)
def internship_log_pk(cast: Cast) -> Values:
    """A logbook week of each placement (written here when the placement has none)."""
    from mutu.programs.services import internship_log_add

    def entry(internship: Any) -> str:
        found = internship.log_entries.order_by("pk").first()
        if found is None:
            found = internship_log_add(
                internship=internship, week_start=internship.start, text="Orientasi"
            )
        return str(found.pk)

    return {variant: entry(i) for variant, i in _internships(cast).items()}


@kind("export_kind", only=("admin", "unit_operator"))
def export_kind(cast: Cast) -> Values:
    """A download of personal data (employees): administrators and unit operators only."""
    return {"any": "employees"}


PROGRAM_ROLES = ("admin", "analyst", "unit_operator", "unit_head")


@kind("program_page", only=PROGRAM_ROLES)
def program_page(cast: Cast) -> Values:
    """The program list: administrators, analysts and the unit roles only."""
    return {"any": {}}


@kind("program", unit_scoped=True, only=PROGRAM_ROLES)
def program_pk(cast: Cast) -> Values:
    """A program targeting only the unit head's units (inside) or the operator's (outside).

    Made here through the service, owned by a unit outside both, with no activity, so only
    its target unit brings it into a unit role's scope.
    """
    from datetime import date

    from mutu.people.models import Unit
    from mutu.programs.models import Program
    from mutu.programs.services import program_create

    owner = first(
        Unit.objects.exclude(pk__in=cast.head_units | cast.operator_units), "unit outside both"
    )

    def of(units: frozenset[int], code: str) -> str:
        found = Program.objects.filter(code=code).first()
        if found is None:
            found = program_create(
                code=code, name=f"Program {code}", owner_unit=owner,
                period_start=date(2026, 1, 1), period_end=date(2026, 12, 31),
                target_units=[Unit.objects.get(pk=_employee(cast, units).unit_id)],
            )  # fmt: skip
        return str(found.pk)

    return {
        "inside": of(cast.head_units, "WALK-IN"),
        "outside": of(cast.operator_units, "WALK-OUT"),
    }


#: What the parameters of each URL name (one kind fills all of a URL's parameters).
@kind("partner", only=("admin", "analyst"))
def partner_pk(cast: Cast) -> Values:
    """A partner (the magang partner pages: administrators edit, analysts read)."""
    from mutu.programs.models import Partner

    return {"any": str(first(Partner.objects.all(), "partner").pk)}


@kind("partner_admin", only=("admin",))
def partner_admin_pk(cast: Cast) -> Values:
    """A partner, on a page that changes it: administrators only."""
    return partner_pk(cast)


@kind("partner_admin_page", only=("admin",))
def partner_admin_page(cast: Cast) -> Values:
    """A page without parameters that changes partners: administrators only."""
    return {"any": {}}


@kind("admin_page", only=("admin",))
def admin_page(cast: Cast) -> Values:
    """A page without parameters for administrators only (the audit trail)."""
    return {"any": {}}


@kind("agreement_admin", only=("admin",))
def agreement_pk(cast: Cast) -> Values:
    """A partner's agreement, on the page that changes it: administrators only."""
    from mutu.programs.models import PartnerAgreement

    return {"any": str(first(PartnerAgreement.objects.all(), "partner agreement").pk)}


URL_KINDS: dict[str, str] = {
    "dashboard:unit": "unit",
    "dashboard:activity": "activity_code",
    "dashboard:person": "employee",
    "programs:activity": "activity",
    "programs:nominate": "activity",
    "programs:register": "activity",
    "programs:complete": "activity",
    "programs:attendance": "session",
    "programs:session_qr": "session",
    "programs:session_count": "session",
    "programs:check_in": "session_checkin",
    "programs:certificate_pdf": "certificate",
    "programs:verify": "certificate_token",
    "programs:external_decide": "external_jp",
    "programs:external_evidence": "external_jp",
    "instruments:activity": "activity_code",
    "instruments:detach": "attachment",
    "instruments:links_csv": "activity_code",
    "instruments:links_whatsapp": "activity_code",
    "instruments:skm": "service_unit",
    "instruments:skm_thanks": "service_unit",
    "instruments:skm_poster": "service_unit",
    "instruments:link": "link_token",
    "instruments:link_save": "link_token",
    "reports:download": "report_file",
    "internships:detail": "internship",
    "internships:log_write": "internship",
    "internships:assess": "internship",
    "internships:complete": "internship",
    "internships:mentor_link": "internship",
    "internships:log_review": "internship_log",
    "internships:final_competency": "internship",
    "internships:partners": "planning_page",
    "internships:partner_new": "partner_admin_page",
    "internships:partner": "partner",
    "internships:partner_edit": "partner_admin",
    "internships:agreement_new": "partner_admin",
    "internships:agreement_edit": "agreement_admin",
    "scenarios:list": "planning_page",
    "scenarios:new": "planning_page",
    "scenarios:compare": "planning_page",
    "scenarios:detail": "scenario",
    "api:unit": "unit",
    "api:employee": "employee",
    "api:activity": "activity",
    "imports:export": "export_kind",
    "accounts:audit": "admin_page",
    "program_pages:list": "program_page",
    "program_pages:detail": "program",
}

#: Parameter names that mean the same kind in every URL (used when URL_KINDS has no entry).
PARAMETER_KINDS: dict[str, str] = {
    "unit_code": "unit",
    "employee_pk": "employee",
    "activity_pk": "activity",
    "session_pk": "session",
    "token": "link_token",
}


def kind_of(route: Route) -> Kind | None:
    """The kind that fills a route's parameters; None if the tables do not say."""
    name = URL_KINDS.get(route.name)
    if name is None and len(route.parameters) == 1:
        name = PARAMETER_KINDS.get(route.parameters[0])
    return KINDS.get(name) if name else None


def requests_for(route: Route, cast: Cast) -> Iterator[tuple[str, str]]:
    """(variant, URL) pairs to request for a route."""
    if not route.parameters:
        yield "any", route.url({})
        return
    found = kind_of(route)
    assert found is not None, f"no kind fills {route.name}"
    for variant, value in found.find(cast).items():
        values = value if isinstance(value, dict) else {route.parameters[0]: value}
        assert set(values) == set(route.parameters), (
            f"kind {found.name} fills {sorted(values)} but {route.name} needs "
            f"{sorted(route.parameters)}"
        )
        yield variant, route.url(values)


# --------------------------------------------------------------------------- the checks


def test_every_url_parameter_can_be_filled() -> None:
    """A new URL whose parameters the tables cannot fill fails here: add it to URL_KINDS."""
    unfilled = [
        f"{r.name} ({r.template}): {', '.join(r.parameters)}"
        for r in routes()
        if r.parameters and kind_of(r) is None
    ]
    assert unfilled == [], "add these to URL_KINDS or PARAMETER_KINDS:\n" + "\n".join(unfilled)
    stale = sorted(set(URL_KINDS) - {r.name for r in routes()})
    assert stale == [], f"URL_KINDS names URLs that no longer exist: {stale}"
    assert set(URL_KINDS.values()) | set(PARAMETER_KINDS.values()) <= set(KINDS)


def test_the_walk_sees_the_whole_project() -> None:
    names = {r.name for r in routes()}
    assert {"web:home", "web:health", "login", "logout"} <= names
    assert not any(r.template.startswith(SKIPPED_PREFIXES) for r in routes())
    assert not PUBLIC - names - {"logout"}, f"public names not routed: {PUBLIC - names}"


def refused(status: int) -> bool:
    return status in (403, 404)


def check(
    role: str, route: Route, variant: str, kind_: Kind | None, status: int, where: str
) -> str:
    """What is wrong with one answer ('' when nothing)."""
    if status >= 500:
        return f"{status} server error"
    if role == "anonymous":
        if route.name in PUBLIC:
            return ""
        if route.name.startswith("api:"):  # the REST API answers 401, it does not redirect
            return "" if status == 401 else f"anonymous got {status} from the API, not 401"
        if status != 302 or not where.startswith("/masuk/"):
            return f"anonymous got {status} {where}, not a redirect to /masuk/"
        return ""
    if kind_ is None:
        return ""
    if role == "admin" and status == 404:
        return "admin got 404: the walk's object does not exist (fix the kind)"
    if kind_.only is not None and role not in kind_.only and not refused(status):
        return f"{role} reached a page only for {', '.join(sorted(kind_.only))} ({status})"
    if kind_.unit_scoped and role == "unit_head" and variant == "outside" and not refused(status):
        return f"unit head reached another unit's object ({status})"
    operator = kind_.unit_scoped and role == "unit_operator" and variant == "inside"
    if operator and not refused(status):
        return f"unit operator reached another unit's object ({status})"
    personal = kind_.personal and role in ("participant", "supervisor")
    if personal and variant in ("inside", "outside") and not refused(status):
        return f"{role} reached someone else's record ({status})"
    return ""


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(ROLES))
def test_every_url_answers_each_role_within_its_scope(
    role: str, walk_world: Path, settings: Any, tmp_path: Path
) -> None:
    """GET every URL (and an empty POST where GET is not allowed: the scope check is the same)."""
    settings.MEDIA_ROOT = tmp_path  # evidence files the kinds attach go here
    cast = Cast.load()
    client = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="id")
    username = ROLES[role]
    if username is not None:
        client.force_login(get_user_model().objects.get(username=username))
    problems: list[str] = []
    requested = 0
    for route in routes():
        kind_ = kind_of(route)
        for variant, url in requests_for(route, cast):
            methods = ("get", "post") if role == "anonymous" else ("get",)
            for method in methods:
                answer = getattr(client, method)(url)
                if answer.status_code == 405 and method == "get" and route.name not in SIGN_OUT:
                    method, answer = "post", client.post(url)
                requested += 1
                where = answer.get("Location", "") if answer.status_code in (301, 302) else ""
                problem = check(role, route, variant, kind_, answer.status_code, where)
                if problem:
                    problems.append(f"{method.upper()} {url} [{route.name}, {variant}]: {problem}")
    assert requested >= len(routes())
    assert problems == [], f"{len(problems)} problems for {role}:\n" + "\n".join(problems)


@pytest.mark.parametrize(
    ("role", "variant", "status", "where", "flagged"),
    [
        ("anonymous", "any", 200, "", True),  # a private page shown to a stranger
        ("anonymous", "any", 302, "/masuk/?next=/x/", False),
        ("anonymous", "any", 302, "/elsewhere/", True),
        ("admin", "inside", 404, "", True),  # the walk's object is not real
        ("admin", "inside", 500, "", True),
        ("unit_head", "outside", 200, "", True),
        ("unit_head", "outside", 404, "", False),
        ("unit_head", "inside", 200, "", False),
        ("unit_operator", "inside", 302, "", True),
        ("unit_operator", "outside", 200, "", False),
        ("participant", "outside", 200, "", True),
        ("supervisor", "inside", 403, "", False),
        ("participant", "own", 200, "", False),
        ("trainer", "any", 200, "", True),  # a page only for admin and analyst
    ],
)
def test_the_checks_flag_what_they_must(
    role: str, variant: str, status: int, where: str, flagged: bool
) -> None:
    """The walk's judgement itself, on made-up answers (so a silent walk means something)."""
    route = Route("x:page", "x/<int:pk>/", ("pk",))
    scoped = Kind("thing", lambda cast: {}, unit_scoped=True, personal=True)
    kind_ = (
        Kind("report", lambda cast: {}, only=frozenset({"admin"})) if role == "trainer" else scoped
    )
    assert bool(check(role, route, variant, kind_, status, where)) is flagged
