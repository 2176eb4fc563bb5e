"""The two writes: attendance per session, and answers to a form.

Both go through the services the web uses
(:func:`mutu.programs.services.attendance_save`,
:func:`mutu.instruments.field_services.link_submit`) under the same rules,
and both are idempotent:

- marking a person present (or absent) twice stores the mark once; the
  answer says ``changed: false`` the second time;
- a form (a personal link, named by its token) is stored once; submitting it
  again answers 200 with ``created: false`` and stores nothing.  For an
  anonymous instrument the answer never carries the response's id.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from mutu.api.base import ApiView, errors
from mutu.api.errors import bad_request, forbidden, not_found
from mutu.api.serializers import (
    AnswersSerializer,
    AttendanceMarkSerializer,
    AttendanceResultSerializer,
    FormDetailSerializer,
    FormSerializer,
    SessionAttendanceSerializer,
    SubmissionSerializer,
)
from mutu.instruments.field_services import AlreadySubmitted, link_submit
from mutu.instruments.fieldwork import InstrumentLink
from mutu.instruments.selectors import (
    activity_access,
    field_name,
    form_items,
    link_by_token,
    link_response,
    link_state,
    person_links,
)
from mutu.programs import access
from mutu.programs.models import Activity, ActivitySession, Attendance, Enrollment, EnrollmentStatus
from mutu.programs.services import attendance_save

__all__ = ["FormDetail", "FormList", "SessionAttendance"]


# -- attendance --------------------------------------------------------------------------------


class SessionAttendance(ApiView):
    """A session's roster with its marks (GET); mark one participant present or absent (POST)."""

    serializer_class = AttendanceMarkSerializer
    pagination_class = None

    def _session(self, pk: int) -> tuple[ActivitySession, Activity]:
        """The session and its activity; 404 outside the scope, 403 for a role that may not mark."""
        session = ActivitySession.objects.filter(pk=pk).first()
        activity = (
            access.activities_in_scope(self.scope)
            .select_related("program")
            .filter(pk=session.activity_id)
            .first()
            if session is not None
            else None
        )
        if session is None or activity is None:
            raise not_found("Sesi", "The session")
        if not access.may_take_attendance(self.scope, activity):
            raise forbidden(
                "Anda tidak dapat mencatat kehadiran sesi ini (peran Anda, atau kegiatan "
                "dibatalkan).",
                "You may not take attendance for this session (your role, or the activity is "
                "cancelled).",
            )
        return session, activity

    def _roster(self, activity: Activity) -> QuerySet[Enrollment]:
        return access.visible_enrollments(self.scope, activity).select_related("employee__unit")

    @extend_schema(
        request=None, responses={200: SessionAttendanceSerializer, **errors(401, 403, 404)}
    )
    def get(self, request: Request, session_pk: int) -> Response:
        session, activity = self._session(session_pk)
        roster = list(
            self._roster(activity)
            .exclude(status=EnrollmentStatus.WITHDRAWN)
            .order_by("employee__name", "pk")
        )
        marks = dict(
            Attendance.objects.filter(
                session=session, enrollment_id__in=[e.pk for e in roster]
            ).values_list("enrollment_id", "present")
        )
        return Response(
            {
                "session": session.pk,
                "activity": activity.code,
                "starts_at": session.starts_at,
                "ends_at": session.ends_at,
                "roster": [
                    {
                        "enrollment": e.pk,
                        "employee": e.employee_id,
                        "nip": e.employee.nip,
                        "name": e.employee.name,
                        "unit": e.employee.unit.code,
                        "status": e.status,
                        "present": marks.get(e.pk),
                    }
                    for e in roster
                ],
            }
        )

    @extend_schema(
        request=AttendanceMarkSerializer,
        responses={200: AttendanceResultSerializer, **errors()},
    )
    def post(self, request: Request, session_pk: int) -> Response:
        session, activity = self._session(session_pk)
        body = AttendanceMarkSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        enrollment_id: int = body.validated_data["enrollment"]
        present: bool = body.validated_data["present"]
        if not self._roster(activity).filter(pk=enrollment_id).exists():
            raise not_found("Peserta", "The participant")
        saved = attendance_save(
            session_id=session.pk,
            roster_ids=[enrollment_id],
            present_ids=[enrollment_id] if present else [],
        )
        return Response(
            {
                "session": session.pk,
                "enrollment": enrollment_id,
                "present": present,
                "changed": saved.changed > 0,
            }
        )


# -- forms -------------------------------------------------------------------------------------


class FormList(ApiView):
    """The caller's own forms (as participant or supervisor), open ones first."""

    serializer_class = FormSerializer

    @extend_schema(responses={200: FormSerializer(many=True), **errors(400, 401, 404)})
    def get(self, request: Request) -> Response:
        employee = self.scope.employee_id
        links = person_links(employee) if employee is not None else []
        page = self.paginate_queryset(links)
        rows = [
            {
                "token": link.token,
                "instrument": link.instrument,
                "activity": link.activity,
                "occasion": link.occasion,
                "role": link.role,
                "subject_name": link.subject_name,
                "closes_on": link.closes_on,
                "state": str(link.state),
            }
            for link in page
        ]
        return self.get_paginated_response(FormSerializer(rows, many=True).data)


def _lang() -> str:
    from django.utils import translation

    return "en" if (translation.get_language() or "id").startswith("en") else "id"


class FormDetail(ApiView):
    """A form by its token: its questions (GET); submit its answers, once (POST).

    The respondent may read and submit; staff who see the activity's links for
    that participant (:func:`mutu.instruments.selectors.activity_access`) may
    read it only; anyone else is answered 404.
    """

    serializer_class = AnswersSerializer
    pagination_class = None

    def _link(self, token: str) -> tuple[InstrumentLink, bool]:
        """The link and whether the caller is its respondent; 404 for anyone it is not shown to."""
        link = link_by_token(token)
        if link is None:
            raise not_found("Formulir", "The form")
        own = self.scope.employee_id is not None and link.respondent_id == self.scope.employee_id
        if not own:
            reach = activity_access(self.scope, link.attachment.activity)
            if reach is None or not reach.covers(link.enrollment.employee.unit_id):
                raise not_found("Formulir", "The form")
        return link, own

    @extend_schema(request=None, responses={200: FormDetailSerializer, **errors(401, 404)})
    def get(self, request: Request, token: str) -> Response:
        link, own = self._link(token)
        version = link.attachment.version
        instrument = version.instrument
        lang = _lang()
        items = [
            {
                "number": item.number,
                "code": item.code,
                "text": item.text,
                "kind": item.kind,
                "required": item.required,
                "choices": [{"value": c.value, "label": c.label} for c in item.choices],
            }
            for item in form_items(version, lang)
        ]
        title = instrument.title_en if lang == "en" and instrument.title_en else instrument.title_id
        return Response(
            {
                "instrument": instrument.code,
                "title": title,
                "anonymous": instrument.is_anonymous,
                "activity": link.attachment.activity.code,
                "occasion": link.attachment.occasion,
                "state": str(link_state(link)),
                "may_submit": own,
                "items": items,
            }
        )

    @extend_schema(
        request=AnswersSerializer,
        responses={200: SubmissionSerializer, 201: SubmissionSerializer, **errors()},
    )
    def post(self, request: Request, token: str) -> Response:
        link, own = self._link(token)
        if not own:
            raise forbidden(
                "Hanya responden sendiri yang dapat mengirim formulir ini.",
                "Only the respondent may submit this form.",
            )
        body = AnswersSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        answers: dict[str, str] = body.validated_data["answers"]
        version = link.attachment.version
        known = set(version.items.values_list("code", flat=True))
        unknown = sorted(code for code in answers if code not in known)
        if unknown:
            listed = ", ".join(unknown[:10])
            raise bad_request(
                f"Kode pertanyaan tidak dikenal di formulir ini: {listed}.",
                f"Unknown question codes for this form: {listed}.",
                field="answers",
            )
        anonymous = version.instrument.is_anonymous
        data = {field_name(code): value for code, value in answers.items()}
        try:
            response = link_submit(link=link, data=data)
        except AlreadySubmitted as err:
            before = None if anonymous else link_response(link)
            return Response(
                _submission(False, anonymous, before.pk if before else None, err), status=200
            )
        return Response(
            _submission(True, anonymous, None if anonymous else response.pk, None), status=201
        )


def _submission(
    created: bool, anonymous: bool, response: int | None, err: AlreadySubmitted | None
) -> dict[str, Any]:
    if err is not None:
        message_id, message_en = err.message_id, err.message_en
    else:
        message_id, message_en = "Jawaban tersimpan. Terima kasih.", "Answers stored. Thank you."
    return {
        "created": created,
        "anonymous": anonymous,
        "response": response,
        "detail": message_en if _lang() == "en" else message_id,
        "detail_id": message_id,
        "detail_en": message_en,
    }
