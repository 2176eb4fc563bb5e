"""Forms of the programs pages: filters, nomination, JP earned elsewhere, decisions.

Forms only parse what a person typed; the rules (JP above zero, dates in
order, the evidence's type and size …) live in the services, which explain a
refusal in Indonesian and English.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from mutu.people.models.organisation import PositionKind
from mutu.programs.models import ActivityStatus


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class ActivityFilterForm(forms.Form):
    """Filters of the activity list (all optional; an unknown value is ignored)."""

    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)
    program = forms.TypedChoiceField(
        label=_("Program"), required=False, coerce=int, empty_value=None
    )
    form = forms.ChoiceField(label=_("Form of development"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)

    def __init__(
        self,
        data: Any,
        *,
        years: list[int],
        programs: list[tuple[int, str]],
        forms_: list[tuple[str, str]],
    ) -> None:
        super().__init__(data)
        everything = ("", _("all"))
        self.fields["year"].choices = [everything, *[(y, str(y)) for y in years]]  # type: ignore[attr-defined]
        self.fields["program"].choices = [everything, *programs]  # type: ignore[attr-defined]
        self.fields["form"].choices = [everything, *forms_]  # type: ignore[attr-defined]
        self.fields["status"].choices = [everything, *ActivityStatus.choices]  # type: ignore[attr-defined]


class NominationFilterForm(forms.Form):
    """Who to offer for nomination: unit, position, JP deficit, competency gap."""

    unit = forms.TypedChoiceField(label=_("Unit"), required=False, coerce=int, empty_value=None)
    subunits = forms.BooleanField(label=_("with its sub-units"), required=False, initial=True)
    position_kind = forms.ChoiceField(label=_("Kind of position"), required=False)
    position = forms.CharField(label=_("Position name contains"), required=False, max_length=100)
    jp_deficit = forms.BooleanField(label=_("Below the yearly JP floor (PNS)"), required=False)
    gap = forms.BooleanField(label=_("Has a competency gap"), required=False)

    def __init__(self, data: Any, *, units: list[tuple[int, str]]) -> None:
        super().__init__(data)
        self.fields["unit"].choices = [("", _("all my units")), *units]  # type: ignore[attr-defined]
        self.fields["position_kind"].choices = [("", _("all")), *PositionKind.choices]  # type: ignore[attr-defined]


class ExternalJpForm(forms.Form):
    """JP earned elsewhere, with its evidence."""

    nip = forms.CharField(
        label=_("NIP of the employee"),
        required=False,
        max_length=18,
        help_text=_("Leave empty to record your own JP."),
    )
    title = forms.CharField(label=_("Title of the course"), max_length=250, required=False)
    organiser = forms.CharField(label=_("Organiser"), max_length=200, required=False)
    start_date = forms.DateField(label=_("Start date"), required=False, widget=DateInput())
    end_date = forms.DateField(label=_("End date"), required=False, widget=DateInput())
    jp = forms.CharField(
        label=_("JP"),
        required=False,
        max_length=20,
        help_text=_("Lesson hours on the certificate; 1 JP = 45 minutes."),
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    certificate_number = forms.CharField(
        label=_("Certificate number"), max_length=100, required=False
    )
    evidence = forms.FileField(
        label=_("Evidence (certificate)"),
        required=False,
        help_text=_("PDF, JPG or PNG, at most 5 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )

    def __init__(self, *args: Any, for_staff: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not for_staff:
            del self.fields["nip"]


class DecisionForm(forms.Form):
    """Approve or reject JP earned elsewhere."""

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve")), ("reject", _("Reject"))],
    )
    reason = forms.CharField(
        label=_("Reason (required to reject)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
