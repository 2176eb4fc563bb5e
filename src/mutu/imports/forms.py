"""The upload page's form: which kind of data, and the file."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


class UploadForm(forms.Form):
    """A kind the user may import and an ``.xlsx`` or ``.csv`` file.

    The file's type, size and content are checked by
    :func:`mutu.imports.uploads.upload_store`, whose refusals carry both
    languages; the form only asks that both fields are given.
    """

    kind = forms.ChoiceField(label=_("Kind of data"))
    file = forms.FileField(
        label=_("File (.xlsx or .csv)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    instrument = forms.CharField(
        label=_("Instrument code (survey responses and test scores)"),
        required=False,
        max_length=40,
        help_text=_("For example REAKSI or TEST-PMPP-PRE; other kinds of data leave it empty."),
    )
    activity = forms.CharField(
        label=_("Activity code (when the file does not name it)"),
        required=False,
        max_length=40,
    )
    sheet = forms.CharField(
        label=_("Sheet name (workbooks with several sheets)"),
        required=False,
        max_length=31,  # Excel's limit for a sheet name
        help_text=_("Empty: the first sheet. A CSV file has no sheets."),
    )

    def __init__(self, *args: Any, kinds: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kinds  # type: ignore[attr-defined]
