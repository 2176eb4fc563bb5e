"""Forms of the instruments pages (the questionnaires themselves are rendered from the items)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from mutu.instruments.models import InstrumentKind, InstrumentVersion, Occasion


class VersionChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        instrument = obj.instrument
        return f"{instrument.code} v{obj.version} — {instrument.title_id}"


class AttachForm(forms.Form):
    """Attach an instrument version to an activity on one occasion."""

    version = VersionChoiceField(
        label=_("Instrument"),
        queryset=InstrumentVersion.objects.none(),
        error_messages={"invalid_choice": _("Choose an instrument from the list.")},
    )
    occasion = forms.ChoiceField(
        label=_("Occasion"),
        choices=Occasion.choices,
        error_messages={"invalid_choice": _("Choose an occasion from the list.")},
    )
    opens_on = forms.DateField(
        label=_("Opens on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Empty: a default that suits the occasion."),
    )
    closes_on = forms.DateField(
        label=_("Closes on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["version"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = (
            InstrumentVersion.objects.select_related("instrument")
            .exclude(instrument__kind=InstrumentKind.SKM)
            .filter(items__isnull=False)
            .distinct()
            .order_by("instrument__code", "-version")
        )
