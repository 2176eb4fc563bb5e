"""Every text the five apps show is translated into Bahasa Indonesia."""

from __future__ import annotations

import re
from pathlib import Path

import polib
from django.apps import apps
from django.utils import translation

import mutu

MUTU_APPS = {"reference", "people", "programs", "instruments", "indicators", "accounts", "web"}
PO = Path(mutu.__file__).parent / "locale" / "id" / "LC_MESSAGES" / "django.po"


def _catalog() -> dict[str, polib.POEntry]:
    return {entry.msgid: entry for entry in polib.pofile(str(PO)) if not entry.obsolete}


def _model_text_objects() -> list[object]:
    texts: list[object] = []
    for config in apps.get_app_configs():
        if config.label not in MUTU_APPS:
            continue
        texts.append(config.verbose_name)
        for model in config.get_models():
            texts += [model._meta.verbose_name, model._meta.verbose_name_plural]
            for field in model._meta.get_fields(include_hidden=False):
                if field.auto_created:
                    continue  # the primary key and reverse relations: Django's own texts
                for attr in ("verbose_name", "help_text"):
                    value = getattr(field, attr, "")
                    if value:
                        texts.append(value)
                for _value, label in getattr(field, "flatchoices", None) or []:
                    texts.append(label)
    return texts


def _model_texts() -> set[str]:
    with translation.override("en"):
        return {str(t) for t in _model_text_objects()}


def _bilingual_by_themselves() -> set[str]:
    """Texts that carry both languages (e.g. the goal metrics' labels from the pure core)."""
    out = set()
    for text in _model_text_objects():
        with translation.override("en"):
            en = str(text)
        with translation.override("id"):
            id_ = str(text)
        if en != id_:
            out.add(en)
    return out


def test_no_entry_is_empty_or_fuzzy() -> None:
    po = polib.pofile(str(PO))

    def empty(e: polib.POEntry) -> bool:
        if e.msgid_plural:
            return not e.msgstr_plural or not all(e.msgstr_plural.values())
        return not e.msgstr

    assert [e.msgid for e in po if empty(e) and not e.obsolete] == []
    assert [e.msgid for e in po if e.fuzzy] == []
    assert "fuzzy" not in po.metadata_is_fuzzy


def test_every_translation_keeps_the_placeholders() -> None:
    """A translation that drops %(n)s shows the wrong text, not an error: catch it here."""
    pattern = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}")
    wrong = []
    for entry in polib.pofile(str(PO)):
        if entry.obsolete:
            continue
        expected = sorted(pattern.findall(entry.msgid))
        outputs = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        wrong += [entry.msgid for out in outputs if sorted(pattern.findall(out)) != expected]
    assert wrong == []


def test_every_model_text_is_in_the_catalogue() -> None:
    catalog = _catalog()
    # Identifiers the models spell the same in both languages (e.g. "NIP") still need an entry.
    own = _bilingual_by_themselves() - set(catalog)
    missing = sorted(text for text in _model_texts() if text not in catalog and text not in own)
    assert missing == []


def test_the_compiled_catalogue_is_used() -> None:
    from mutu.people.models import Employee

    with translation.override("id"):
        assert str(Employee._meta.verbose_name_plural) == "pegawai"
        assert str(Employee._meta.get_field("birth_date").verbose_name) == "tanggal lahir"
