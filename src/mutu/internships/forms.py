"""Forms of the internship pages. They only parse; the services judge and explain refusals."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from mutu.people.models import AssessmentMethod
from mutu.programs.forms import DateInput
from mutu.programs.models import PartnerKind


class PlacementForm(forms.Form):
    """A new placement of an eligible young ASN."""

    nip = forms.CharField(label=_("NIP of the intern"), max_length=18, required=False)
    partner = forms.TypedChoiceField(
        label=_("Host partner"), coerce=int, empty_value=None, required=False
    )
    activity = forms.TypedChoiceField(
        label=_("Internship activity"),
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_("Needed for the certificate and the JP at the end."),
    )
    agreement = forms.TypedChoiceField(
        label=_("Agreement"),
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_("Left empty: the host partner's agreement in force for the whole period."),
    )
    start = forms.DateField(label=_("Start date"), required=False, widget=DateInput())
    end = forms.DateField(label=_("End date"), required=False, widget=DateInput())
    mentor_name = forms.CharField(label=_("Mentor"), max_length=200, required=False)
    competency = forms.TypedChoiceField(
        label=_("Competency of the position's standard"),
        coerce=int,
        empty_value=None,
        required=False,
    )
    objectives = forms.CharField(
        label=_("Learning objectives"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(
        self,
        *args: Any,
        partners: list[tuple[int, str]],
        activities: list[tuple[int, str]],
        competencies: list[tuple[int, str]],
        agreements: list[tuple[int, str]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        blank = [("", "—")]
        self.fields["agreement"].choices = blank + (agreements or [])  # type: ignore[attr-defined]
        self.fields["partner"].choices = blank + partners  # type: ignore[attr-defined]
        self.fields["activity"].choices = blank + activities  # type: ignore[attr-defined]
        self.fields["competency"].choices = blank + competencies  # type: ignore[attr-defined]


class LogForm(forms.Form):
    week_start = forms.DateField(label=_("Week"), required=False, widget=forms.HiddenInput())
    text = forms.CharField(
        label=_("What did you do and learn this week?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 2000}),
    )


class ReviewForm(forms.Form):
    comment = forms.CharField(
        label=_("Mentor comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class MentorAccountForm(forms.Form):
    username = forms.CharField(label=_("Mentor's user name"), max_length=150, required=False)
    password = forms.CharField(
        label=_("Initial password (new account only)"),
        required=False,
        widget=forms.PasswordInput(render_value=False),
    )


class PartnerForm(forms.Form):
    """A partner: university, NGO, BPSDM, LAN or another host."""

    name = forms.CharField(label=_("Name"), required=False)
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", "—"), *PartnerKind.choices], required=False
    )
    contact = forms.CharField(
        label=_("Contact (address, telephone, e-mail)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)


class AgreementForm(forms.Form):
    """A partner's agreement (MoU, PKS): number, title, period, quota, contact person."""

    number = forms.CharField(label=_("Agreement number"), required=False)
    title = forms.CharField(label=_("Title"), required=False)
    start = forms.DateField(label=_("Start date"), required=False, widget=DateInput())
    end = forms.DateField(
        label=_("End date"),
        required=False,
        widget=DateInput(),
        help_text=_("Empty when the agreement has no end date."),
    )
    quota = forms.IntegerField(
        label=_("Quota (places)"),
        required=False,
        help_text=_("Internship places the partner offers; empty when none was agreed."),
    )
    contact_person = forms.CharField(label=_("Contact person"), required=False)


class FinalCompetencyForm(forms.Form):
    """The final competency assessment: method and assessor (levels come as ``level_<id>``)."""

    method = forms.ChoiceField(
        label=_("Method"), choices=[("", "—"), *AssessmentMethod.choices], required=False
    )
    assessor = forms.CharField(label=_("Assessed by"), max_length=200, required=False)
