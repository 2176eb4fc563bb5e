"""The JSON shapes of the API (read-only views of the models, and the two write bodies).

Field names are English identifiers with Indonesian regulatory terms kept
(``nip``, ``golongan``, ``jp``); units, activities and people are named by
their natural keys (unit code, activity code, NIP) beside their ids.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from mutu.accounts.scope import Scope
from mutu.people.models import Employee, Unit
from mutu.programs.models import Activity, Enrollment, JpLedgerEntry

# -- units and people ----------------------------------------------------------------------


class UnitSerializer(serializers.ModelSerializer):  # type: ignore[misc]
    parent = serializers.CharField(
        source="parent.code", allow_null=True, read_only=True, help_text="The parent unit's code."
    )
    kecamatan = serializers.CharField(
        source="kecamatan.code", allow_null=True, read_only=True, help_text="Kemendagri code."
    )

    class Meta:
        model = Unit
        fields = ["id", "code", "name", "kind", "parent", "kecamatan", "is_active"]
        read_only_fields = fields


class PersonalSerializer(serializers.Serializer):  # type: ignore[misc]
    """Personal data (UU 27/2022): shown to administrators, the unit's operators and the person."""

    birth_date = serializers.DateField(allow_null=True)
    sex = serializers.CharField()
    education_level = serializers.CharField()
    tmt_cpns = serializers.DateField(allow_null=True)
    supervisor = serializers.IntegerField(allow_null=True, help_text="The supervisor's id.")


def sees_personal(scope: Scope, employee: Employee) -> bool:
    """Who sees an employee's personal fields: admin, an operator of their unit, themselves."""
    return (
        scope.is_admin
        or employee.unit_id in scope.write_units
        or (scope.employee_id is not None and employee.pk == scope.employee_id)
    )


class EmployeeSerializer(serializers.ModelSerializer):  # type: ignore[misc]
    """An employee; ``personal`` is ``null`` unless the caller may see personal data."""

    unit = serializers.CharField(source="unit.code", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    position = serializers.CharField(source="position.name", allow_null=True, read_only=True)
    position_kind = serializers.CharField(source="position.kind", allow_null=True, read_only=True)
    golongan = serializers.CharField(source="golongan.code", allow_null=True, read_only=True)
    employment_type = serializers.CharField(
        read_only=True, help_text="A PPPK's full_time or part_time; empty for a PNS."
    )
    personal = serializers.SerializerMethodField()

    class Meta:
        model = Employee
        fields = [
            "id",
            "nip",
            "name",
            "status",
            "employment_type",
            "golongan",
            "unit",
            "unit_name",
            "position",
            "position_kind",
            "is_active",
            "personal",
        ]
        read_only_fields = fields

    @extend_schema_field(PersonalSerializer(allow_null=True))
    def get_personal(self, obj: Employee) -> dict[str, Any] | None:
        scope: Scope | None = self.context.get("scope")
        if scope is None or not sees_personal(scope, obj):
            return None
        return {
            "birth_date": obj.birth_date,
            "sex": obj.sex,
            "education_level": obj.education_level,
            "tmt_cpns": obj.tmt_cpns,
            "supervisor": obj.supervisor_id,
        }


# -- activities, enrollments, JP -------------------------------------------------------------


class ActivitySerializer(serializers.ModelSerializer):  # type: ignore[misc]
    program = serializers.CharField(source="program.code", read_only=True)
    program_name = serializers.CharField(source="program.name", read_only=True)
    owner_unit = serializers.CharField(source="program.owner_unit.code", read_only=True)
    form = serializers.CharField(source="form.code", read_only=True)
    n_participants = serializers.IntegerField(
        read_only=True, help_text="Enrollments not withdrawn (all units)."
    )
    n_sessions = serializers.IntegerField(read_only=True)
    jp = serializers.DecimalField(
        max_digits=6, decimal_places=2, coerce_to_string=False, read_only=True
    )

    class Meta:
        model = Activity
        fields = [
            "id",
            "code",
            "title",
            "program",
            "program_name",
            "owner_unit",
            "form",
            "status",
            "start_date",
            "end_date",
            "jp",
            "capacity",
            "n_participants",
            "n_sessions",
        ]
        read_only_fields = fields


class EnrollmentSerializer(serializers.ModelSerializer):  # type: ignore[misc]
    activity = serializers.CharField(source="activity.code", read_only=True)
    activity_id = serializers.IntegerField(read_only=True)
    employee = serializers.IntegerField(source="employee_id", read_only=True)
    nip = serializers.CharField(source="employee.nip", read_only=True)
    name = serializers.CharField(source="employee.name", read_only=True)
    unit = serializers.CharField(source="employee.unit.code", read_only=True)
    sessions_present = serializers.IntegerField(read_only=True)

    class Meta:
        model = Enrollment
        fields = [
            "id",
            "activity",
            "activity_id",
            "employee",
            "nip",
            "name",
            "unit",
            "status",
            "registered_on",
            "sessions_present",
        ]
        read_only_fields = fields


class JpEntrySerializer(serializers.ModelSerializer):  # type: ignore[misc]
    employee = serializers.IntegerField(source="employee_id", read_only=True)
    nip = serializers.CharField(source="employee.nip", read_only=True)
    name = serializers.CharField(source="employee.name", read_only=True)
    unit = serializers.CharField(source="employee.unit.code", read_only=True)
    activity = serializers.CharField(
        source="enrollment.activity.code", allow_null=True, read_only=True
    )
    jp = serializers.DecimalField(
        max_digits=6, decimal_places=2, coerce_to_string=False, read_only=True
    )

    class Meta:
        model = JpLedgerEntry
        fields = [
            "id",
            "employee",
            "nip",
            "name",
            "unit",
            "year",
            "date",
            "jp",
            "source",
            "approval_status",
            "title",
            "activity",
        ]
        read_only_fields = fields


# -- indices ---------------------------------------------------------------------------------


class UnitIndexSerializer(serializers.Serializer):  # type: ignore[misc]
    """One unit's indices of a year, pooled over its sub-units.

    A figure over fewer people than the privacy minimum is ``null`` and its
    name is listed in ``suppressed``.
    """

    unit = serializers.CharField()
    name = serializers.CharField()
    year = serializers.IntegerField()
    n_pns = serializers.IntegerField()
    pns_compliant = serializers.IntegerField(allow_null=True)
    jp_share = serializers.FloatField(allow_null=True, help_text="Share of PNS at the JP floor.")
    mean_jp = serializers.FloatField(allow_null=True, help_text="Mean approved JP per PNS.")
    ip_scored = serializers.IntegerField()
    ip_mean = serializers.FloatField(allow_null=True, help_text="Mean IP ASN (0–100).")
    ip_bands = serializers.DictField(child=serializers.IntegerField(), allow_null=True)
    skm_n = serializers.IntegerField()
    ikm = serializers.FloatField(allow_null=True, help_text="IKM (25–100) of the SKM answers.")
    suppressed = serializers.ListField(child=serializers.CharField())
    privacy_minimum = serializers.IntegerField()


class EmployeeIndexSerializer(serializers.Serializer):  # type: ignore[misc]
    """One employee's JP of a year against the floor (PNS) or the ceiling (PPPK)."""

    employee = serializers.IntegerField()
    nip = serializers.CharField()
    name = serializers.CharField()
    unit = serializers.CharField()
    status = serializers.CharField()
    year = serializers.IntegerField()
    jp = serializers.FloatField(help_text="Approved JP credited in the year.")
    jp_floor = serializers.FloatField(allow_null=True, help_text="PNS only: the yearly floor.")
    jp_ceiling = serializers.FloatField(allow_null=True, help_text="PPPK only: the ceiling.")
    meets_floor = serializers.BooleanField(allow_null=True)


class EvaluationSerializer(serializers.Serializer):  # type: ignore[misc]
    """The stored evaluation's summary (figures over too few people withheld)."""

    run = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    year = serializers.IntegerField(allow_null=True, help_text="The year the run was made for.")
    evaluated_year = serializers.IntegerField(allow_null=True)
    years = serializers.ListField(child=serializers.IntegerField())
    privacy_minimum = serializers.IntegerField()
    summary = serializers.DictField(child=serializers.CharField(), help_text="'id' and 'en'.")
    estimands = serializers.DictField(child=serializers.DictField())
    sections = serializers.DictField(child=serializers.DictField())
    goals_summary = serializers.DictField(allow_null=True)
    multiple_testing = serializers.DictField(allow_null=True)
    confidence = serializers.FloatField(allow_null=True)
    rulebooks = serializers.ListField(child=serializers.CharField())


# -- writes ----------------------------------------------------------------------------------


class AttendanceRowSerializer(serializers.Serializer):  # type: ignore[misc]
    enrollment = serializers.IntegerField()
    employee = serializers.IntegerField()
    nip = serializers.CharField()
    name = serializers.CharField()
    unit = serializers.CharField()
    status = serializers.CharField()
    present = serializers.BooleanField(allow_null=True, help_text="null: not recorded yet.")


class SessionAttendanceSerializer(serializers.Serializer):  # type: ignore[misc]
    session = serializers.IntegerField()
    activity = serializers.CharField()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    roster = AttendanceRowSerializer(many=True)


class AttendanceMarkSerializer(serializers.Serializer):  # type: ignore[misc]
    """Mark one enrolled person present or absent (the same mark twice changes nothing)."""

    enrollment = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    present = serializers.BooleanField()


class AttendanceResultSerializer(serializers.Serializer):  # type: ignore[misc]
    session = serializers.IntegerField()
    enrollment = serializers.IntegerField()
    present = serializers.BooleanField()
    changed = serializers.BooleanField(help_text="False when the mark was already stored.")


class FormSerializer(serializers.Serializer):  # type: ignore[misc]
    """One of the caller's own forms (a personal link)."""

    token = serializers.CharField()
    instrument = serializers.CharField()
    activity = serializers.CharField()
    occasion = serializers.CharField()
    role = serializers.CharField()
    subject_name = serializers.CharField()
    closes_on = serializers.DateField()
    state = serializers.CharField()


class ChoiceSerializer(serializers.Serializer):  # type: ignore[misc]
    value = serializers.CharField()
    label = serializers.CharField()


class FormItemSerializer(serializers.Serializer):  # type: ignore[misc]
    number = serializers.IntegerField()
    code = serializers.CharField(help_text="The key of this item's answer.")
    text = serializers.CharField()
    kind = serializers.CharField()
    required = serializers.BooleanField()
    choices = ChoiceSerializer(many=True)


class FormDetailSerializer(serializers.Serializer):  # type: ignore[misc]
    instrument = serializers.CharField()
    title = serializers.CharField()
    anonymous = serializers.BooleanField()
    activity = serializers.CharField()
    occasion = serializers.CharField()
    state = serializers.CharField()
    may_submit = serializers.BooleanField()
    items = FormItemSerializer(many=True)


class AnswersSerializer(serializers.Serializer):  # type: ignore[misc]
    """The answers of a form: item code → value (a scale point, an option code, a number, text)."""

    answers = serializers.DictField(
        child=serializers.CharField(allow_blank=True, max_length=4000),
        help_text='Item code → answer, e.g. {"R1": "4", "T2": "b"}.',
    )


class SubmissionSerializer(serializers.Serializer):  # type: ignore[misc]
    created = serializers.BooleanField(
        help_text="True when this call stored the answers; false when the form was submitted "
        "before (nothing stored again)."
    )
    anonymous = serializers.BooleanField()
    response = serializers.IntegerField(
        allow_null=True, help_text="The response id; always null for an anonymous instrument."
    )
    detail = serializers.CharField()
    detail_id = serializers.CharField()
    detail_en = serializers.CharField()


class TokenInfoSerializer(serializers.Serializer):  # type: ignore[misc]
    """Who the caller is (``GET /api/me/``)."""

    username = serializers.CharField()
    roles = serializers.ListField(child=serializers.CharField())
    employee = serializers.IntegerField(allow_null=True)
    all_units = serializers.BooleanField()
    units = serializers.ListField(child=serializers.CharField(), help_text="Root units read.")
