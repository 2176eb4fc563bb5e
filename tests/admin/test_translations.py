"""Every text the five apps show is translated into Bahasa Indonesia."""

from __future__ import annotations

from pathlib import Path

import polib
from django.apps import apps
from django.utils import translation

import mutu

MUTU_APPS = {"reference", "people", "programs", "instruments", "indicators"}
PO = Path(mutu.__file__).parent / "locale" / "id" / "LC_MESSAGES" / "django.po"


def _catalog() -> dict[str, polib.POEntry]:
    return {entry.msgid: entry for entry in polib.pofile(str(PO)) if not entry.obsolete}


def _model_texts() -> set[str]:
    texts: set[str] = set()
    with translation.override("en"):
        for config in apps.get_app_configs():
            if config.label not in MUTU_APPS:
                continue
            texts.add(str(config.verbose_name))
            for model in config.get_models():
                texts.update({str(model._meta.verbose_name), str(model._meta.verbose_name_plural)})
                for field in model._meta.get_fields(include_hidden=False):
                    if field.auto_created:
                        continue  # the primary key and reverse relations: Django's own texts
                    for attr in ("verbose_name", "help_text"):
                        value = getattr(field, attr, "")
                        if value:
                            texts.add(str(value))
                    for _value, label in getattr(field, "flatchoices", None) or []:
                        texts.add(str(label))
    return texts


def test_no_entry_is_empty_or_fuzzy() -> None:
    po = polib.pofile(str(PO))
    assert [e.msgid for e in po if not e.msgstr and not e.obsolete] == []
    assert [e.msgid for e in po if e.fuzzy] == []
    assert "fuzzy" not in po.metadata_is_fuzzy


def test_every_model_text_is_in_the_catalogue() -> None:
    catalog = _catalog()
    # Identifiers the models spell the same in both languages (e.g. "NIP") still need an entry.
    missing = sorted(text for text in _model_texts() if text not in catalog)
    assert missing == []


def test_the_compiled_catalogue_is_used() -> None:
    from mutu.people.models import Employee

    with translation.override("id"):
        assert str(Employee._meta.verbose_name_plural) == "pegawai"
        assert str(Employee._meta.get_field("birth_date").verbose_name) == "tanggal lahir"
