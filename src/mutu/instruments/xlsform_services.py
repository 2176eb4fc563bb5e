"""XLSForm in and out of the database: an instrument version from a form, a form from a version.

:func:`xlsform_import` reads a workbook (:func:`mutu.instruments.xlsform.read_xlsform`)
and creates the instrument (when new), the version, its items, options and
any rating scale not yet stored, in one transaction: every model check runs,
every fault is collected with its sheet and row, and when there is one
nothing is written.  Importing a form whose version is already stored with
the same content changes nothing; with other content it is refused.

:func:`xlsform_export` writes any stored version as an XLSForm workbook
(:func:`mutu.instruments.xlsform.write_xlsform`) that imports back into an
identical instrument.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation

from mutu.domain.errors import MutuValueError
from mutu.instruments.models import (
    Instrument,
    InstrumentKind,
    InstrumentVersion,
    Item,
    ItemOption,
    Scale,
)
from mutu.instruments.xlsform import (
    FormDef,
    Issue,
    ItemDef,
    OptionDef,
    ScaleDef,
    XlsformError,
    read_xlsform,
    xlsform_bytes,
)

__all__ = [
    "XlsformImport",
    "form_from_version",
    "xlsform_export",
    "xlsform_import",
]

#: The settings column that holds each instrument field.
_SETTINGS_COLUMN = {
    "title_id": "form_title",
    "title_en": "mutu_title_en",
    "kind": "mutu_kind",
    "is_anonymous": "mutu_anonymous",
}


@dataclass(frozen=True, slots=True)
class XlsformImport:
    """What an import did (or, with ``dry_run``, would do)."""

    code: str
    version: int
    #: ``created`` (a new version was written) or ``unchanged`` (it was already stored).
    action: str
    instrument_created: bool
    items: int
    options: int
    scales_created: tuple[str, ...]
    dry_run: bool
    notices: tuple[Issue, ...]


def _labels(raw: object) -> dict[str, dict[str, str]]:
    """A scale's labels without empty texts (an empty text is no label)."""
    labels: dict[str, dict[str, str]] = {}
    if not isinstance(raw, dict):
        return labels
    for point, texts in raw.items():
        if not isinstance(texts, dict):
            continue
        kept = {str(k): str(v) for k, v in texts.items() if v not in (None, "")}
        if kept:
            labels[str(point)] = kept
    return labels


def _scale_def(scale: Scale) -> ScaleDef:
    return ScaleDef(scale.name, scale.min_value, scale.max_value, _labels(scale.labels))


def form_from_version(version: InstrumentVersion) -> FormDef:
    """Everything Mutu stores of one version, as a :class:`FormDef` (items in order)."""
    instrument = version.instrument
    items: list[ItemDef] = []
    scales: dict[str, ScaleDef] = {}
    stored = version.items.select_related("scale").prefetch_related("options")
    for item in stored.order_by("order", "code"):
        if item.scale is not None and item.scale.name not in scales:
            scales[item.scale.name] = _scale_def(item.scale)
        items.append(
            ItemDef(
                code=item.code,
                order=item.order,
                text_id=item.text_id,
                text_en=item.text_en,
                dimension=item.dimension,
                item_type=item.item_type,
                scale=item.scale.name if item.scale is not None else None,
                is_reverse=item.is_reverse,
                answer_key=item.answer_key,
                points=item.points,
                options=tuple(
                    OptionDef(
                        code=o.code,
                        order=o.order,
                        text_id=o.text_id,
                        text_en=o.text_en,
                        is_correct=o.is_correct,
                    )
                    for o in sorted(item.options.all(), key=lambda o: (o.order, o.code))
                ),
            )
        )
    return FormDef(
        code=instrument.code,
        title_id=instrument.title_id,
        title_en=instrument.title_en,
        kind=instrument.kind,
        is_anonymous=instrument.is_anonymous,
        version=version.version,
        published_at=version.published_at,
        is_locked=version.is_locked,
        items=tuple(items),
        scales=tuple(scales.values()),
    ).normalized()


def _bilingual(err: ValidationError) -> tuple[str, str]:
    """A model's refusal in Indonesian and in English (Django's catalogue renders both)."""

    def render() -> str:
        if hasattr(err, "error_dict"):
            return "; ".join(
                f"{field}: {' '.join(messages)}" for field, messages in err.message_dict.items()
            )
        return " ".join(err.messages)

    with translation.override("id"):
        message_id = render()
    with translation.override("en"):
        message_en = render()
    return message_id, message_en


def _check(
    obj: Item | ItemOption | Instrument | InstrumentVersion | Scale, where: Issue
) -> list[Issue]:
    """``full_clean`` of ``obj``; its faults as issues located like ``where``."""
    try:
        obj.full_clean()
    except ValidationError as err:
        message_id, message_en = _bilingual(err)
        return [replace(where, message_id=message_id, message_en=message_en)]
    return []


def _content(form: FormDef) -> tuple[tuple[ItemDef, ...], tuple[ScaleDef, ...]]:
    """What a version holds, leaving out its publication state."""
    normal = form.normalized()
    return normal.items, normal.scales


def _differences(stored: FormDef, form: FormDef) -> list[str]:
    """Item codes (and scales) in which two forms differ, for a refusal message."""
    before = {i.code: i for i in stored.items}
    after = {i.code: i for i in form.items}
    changed = sorted(c for c in before.keys() | after.keys() if before.get(c) != after.get(c))
    scales_before = {s.name: s for s in stored.scales}
    changed += sorted(
        f"skala/scale {s.name}" for s in form.scales if scales_before.get(s.name, s) != s
    )
    return changed


def _settings_issue(column: str, message_id: str, message_en: str) -> Issue:
    return Issue("settings", 2, column, message_id, message_en)


def xlsform_import(
    *,
    source: Path | str | bytes | IO[bytes],
    fallback_code: str = "",
    dry_run: bool = False,
) -> XlsformImport:
    """Create an instrument version from an XLSForm; all of it or nothing.

    Parameters
    ----------
    source
        The workbook: a path, its bytes or a binary file object.
    fallback_code
        The instrument code when the form has no ``form_id`` (the file name).
    dry_run
        Check and create everything, then roll it back.

    The version number is the form's ``version`` setting.  When the form has
    none Mutu can use (KoboToolbox writes e.g. ``vH7x…``), a new instrument
    gets version 1; an existing one keeps its latest version when that holds
    the same items, and otherwise gets the next number.

    Raises
    ------
    XlsformError
        Every fault of the file (sheet, row, column) or of the database
        (an instrument of that code with another title, kind or anonymity;
        the version already stored with other items; a scale name already
        used for other points).  Nothing is written.
    """
    form = read_xlsform(source, fallback_code=fallback_code, kinds=InstrumentKind.values)
    with transaction.atomic():
        result = _import(form, dry_run=dry_run)
        if dry_run:
            transaction.set_rollback(True)
    return result


def _import(form: FormDef, *, dry_run: bool) -> XlsformImport:
    notices = list(form.notices)
    instrument = Instrument.objects.filter(code=form.code).first()
    if instrument is not None:
        clashes = [
            _settings_issue(
                _SETTINGS_COLUMN[name],
                f"Instrumen {form.code} sudah ada dengan {name} {getattr(instrument, name)!r}; "
                f"formulir memberi {getattr(form, name)!r}. Samakan formulir dengan Mutu atau "
                "pakai form_id lain.",
                f"Instrument {form.code} already exists with {name} "
                f"{getattr(instrument, name)!r}; the form gives {getattr(form, name)!r}. Make the "
                "form match Mutu or use another form_id.",
            )
            for name in _SETTINGS_COLUMN
            if getattr(instrument, name) != getattr(form, name)
        ]
        if clashes:
            raise XlsformError(clashes)
    number = form.version
    if instrument is not None:
        versions = instrument.versions.all()
        existing = (
            versions.order_by("-version").first()
            if number is None
            else versions.filter(version=number).first()
        )
        if existing is not None:
            stored = form_from_version(existing)
            if _content(stored) == _content(form):
                if (stored.published_at, stored.is_locked) != (form.published_at, form.is_locked):
                    notices.append(
                        _settings_issue(
                            "mutu_locked",
                            "Versi tersimpan memiliki status terbit/kunci lain; status di Mutu "
                            "dipertahankan.",
                            "The stored version has another published/locked state; Mutu's "
                            "state is kept.",
                        )
                    )
                return XlsformImport(
                    code=form.code,
                    version=existing.version,
                    action="unchanged",
                    instrument_created=False,
                    items=len(form.items),
                    options=sum(len(i.options) for i in form.items),
                    scales_created=(),
                    dry_run=dry_run,
                    notices=tuple(notices),
                )
            if number is not None:
                changed = ", ".join(_differences(stored, form)[:10])
                raise XlsformError(
                    [
                        _settings_issue(
                            "version",
                            f"Versi {number} dari {form.code} sudah tersimpan dengan isi lain "
                            f"({changed}); beri formulir nomor versi baru.",
                            f"Version {number} of {form.code} is already stored with other "
                            f"content ({changed}); give the form a new version number.",
                        )
                    ]
                )
            number = existing.version + 1
            notices.append(
                _settings_issue(
                    "version",
                    f"Isi berbeda dari versi {existing.version}; disimpan sebagai versi {number}.",
                    f"The content differs from version {existing.version}; stored as version "
                    f"{number}.",
                )
            )
    if number is None:
        number = 1
    return _create(form, instrument, number, notices, dry_run)


def _create(
    form: FormDef,
    instrument: Instrument | None,
    number: int,
    notices: list[Issue],
    dry_run: bool,
) -> XlsformImport:
    issues: list[Issue] = []
    scale_rows = {i.scale: i.row for i in reversed(form.items) if i.scale is not None}
    scales: dict[str, Scale] = {}
    created_scales: list[str] = []
    for spec in form.scales:
        where = Issue("survey", scale_rows.get(spec.name), "mutu_scale", "", "")
        stored = Scale.objects.filter(name=spec.name).first()
        if stored is not None:
            if _scale_def(stored) != spec:
                issues.append(
                    replace(
                        where,
                        message_id=f"Skala {spec.name!r} sudah ada di Mutu dengan titik atau label "
                        "lain; pakai nama skala lain (mutu_scale atau list_name).",
                        message_en=f"Scale {spec.name!r} already exists in Mutu with other points "
                        "or labels; use another scale name (mutu_scale or list_name).",
                    )
                )
            scales[spec.name] = stored
            continue
        scale = Scale(
            name=spec.name,
            min_value=spec.min_value,
            max_value=spec.max_value,
            labels=spec.labels,
        )
        found = _check(scale, where)
        issues += found
        if not found:
            scale.save()
            scales[spec.name] = scale
            created_scales.append(spec.name)
    instrument_created = instrument is None
    if instrument is None:
        instrument = Instrument(
            code=form.code,
            title_id=form.title_id,
            title_en=form.title_en,
            kind=form.kind,
            is_anonymous=form.is_anonymous,
        )
        found = _check(instrument, _settings_issue("form_id", "", ""))
        if found:
            raise XlsformError(issues + found)
        instrument.save()
    version = InstrumentVersion(instrument=instrument, version=number)
    found = _check(version, _settings_issue("version", "", ""))
    if found:
        raise XlsformError(issues + found)
    version.save()
    n_options = 0
    for item_spec in form.items:
        where = Issue("survey", item_spec.row, None, "", "")
        if item_spec.scale is not None and item_spec.scale not in scales:
            continue  # its scale's fault is already listed
        item = Item(
            version=version,
            code=item_spec.code,
            order=item_spec.order,
            text_id=item_spec.text_id,
            text_en=item_spec.text_en,
            dimension=item_spec.dimension,
            item_type=item_spec.item_type,
            scale=scales[item_spec.scale] if item_spec.scale is not None else None,
            is_reverse=item_spec.is_reverse,
            answer_key=item_spec.answer_key,
            points=item_spec.points,
        )
        found = _check(item, where)
        issues += found
        if found:
            continue
        item.save()
        for option_spec in item_spec.options:
            option = ItemOption(
                item=item,
                code=option_spec.code,
                order=option_spec.order,
                text_id=option_spec.text_id,
                text_en=option_spec.text_en,
                is_correct=option_spec.is_correct,
            )
            found = _check(option, where)
            issues += found
            if not found:
                option.save()
                n_options += 1
    if issues:
        raise XlsformError(issues)
    if form.published_at is not None or form.is_locked:
        version.published_at = form.published_at
        version.is_locked = form.is_locked
        version.save(update_fields=["published_at", "is_locked"])
    return XlsformImport(
        code=form.code,
        version=number,
        action="created",
        instrument_created=instrument_created,
        items=len(form.items),
        options=n_options,
        scales_created=tuple(created_scales),
        dry_run=dry_run,
        notices=tuple(notices),
    )


def xlsform_export(*, code: str, version: int | None = None) -> tuple[InstrumentVersion, bytes]:
    """The XLSForm ``.xlsx`` of an instrument's version (default: its latest version).

    Raises
    ------
    MutuValueError
        No instrument with that code, or no such version of it.
    """
    instrument = Instrument.objects.filter(code=code).first()
    if instrument is None:
        raise MutuValueError(
            f"Instrumen {code!r} tidak ada.", f"There is no instrument {code!r}.", field="code"
        )
    versions = instrument.versions.order_by("-version")
    chosen = versions.first() if version is None else versions.filter(version=version).first()
    if chosen is None:
        have = ", ".join(str(v) for v in versions.values_list("version", flat=True)) or "-"
        raise MutuValueError(
            f"Instrumen {code} tidak memiliki versi {version}; versi yang ada: {have}.",
            f"Instrument {code} has no version {version}; its versions: {have}.",
            field="version",
        )
    return chosen, xlsform_bytes(form_from_version(chosen))
