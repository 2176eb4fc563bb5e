"""Instruments as XLSForm: export → import gives the identical instrument; Kobo forms import;
malformed forms are refused row by row, in both languages, leaving the database as it was.

The exported workbooks are checked with pyxform (the XLSForm → XForm converter
ODK and KoboToolbox use), without ODK Validate (Java).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from openpyxl import Workbook, load_workbook
from pyxform.xls2xform import convert

from mutu.instruments.field_services import skm_instrument_ensure
from mutu.instruments.models import (
    Instrument,
    InstrumentVersion,
    Item,
    ItemOption,
    Scale,
)
from mutu.instruments.xlsform import XlsformError, read_xlsform
from mutu.instruments.xlsform_services import (
    form_from_version,
    xlsform_export,
    xlsform_import,
)
from mutu.rulebooks import BUILTIN_DIR, load
from mutu.synthetic.config import make_config
from mutu.synthetic.instruments import build_instruments
from tests.factories import make_instrument_version
from tests.imports.helpers import database_state, mutu

pytestmark = pytest.mark.django_db

# --- helpers ------------------------------------------------------------------------------


def seed_instruments() -> None:
    """The demo world's instruments (``mutu world``'s frames), stored as ``mutu load`` does."""
    config = make_config(seed=11, scale="kecil", scenario="baseline", years=(2023, 2026))
    skm = load("skm", config.as_of, search_path=[BUILTIN_DIR])
    frames = build_instruments(config, np.random.default_rng(11), skm)
    scales = {}
    for r in frames.scales.to_dict("records"):
        scales[r["name"]] = Scale.objects.create(
            name=r["name"],
            min_value=int(r["min_value"]),
            max_value=int(r["max_value"]),
            labels=json.loads(r["labels"]),
        )
    instruments = {
        r["code"]: Instrument.objects.create(
            code=r["code"],
            title_id=r["title_id"],
            title_en=r["title_en"],
            kind=r["kind"],
            is_anonymous=bool(r["is_anonymous"]),
        )
        for r in frames.instruments.to_dict("records")
    }
    versions = {}
    for r in frames.versions.to_dict("records"):
        versions[(r["instrument"], int(r["version"]))] = InstrumentVersion.objects.create(
            instrument=instruments[r["instrument"]],
            version=int(r["version"]),
            published_at=r["published_at"].to_pydatetime().replace(tzinfo=ZoneInfo("UTC")),
            is_locked=bool(r["is_locked"]),
        )
    items = {}
    for r in frames.items.to_dict("records"):
        key = (r["instrument"], int(r["version"]))
        items[(*key, r["code"])] = Item.objects.create(
            version=versions[key],
            code=r["code"],
            order=int(r["order"]),
            text_id=r["text_id"],
            text_en=r["text_en"] or "",
            dimension=r["dimension"] or "",
            item_type=r["item_type"],
            scale=scales.get(r["scale"]) if isinstance(r["scale"], str) else None,
            is_reverse=bool(r["is_reverse"]),
            answer_key=r["answer_key"] or "",
            points=Decimal(str(r["points"])),
        )
    for r in frames.options.to_dict("records"):
        ItemOption.objects.create(
            item=items[(r["instrument"], int(r["version"]), r["item"])],
            code=r["code"],
            order=int(r["order"]),
            text_id=r["text_id"],
            text_en=r["text_en"] or "",
            is_correct=bool(r["is_correct"]),
        )


def snapshot() -> dict[str, list[tuple[Any, ...]]]:
    """Every field of every instrument, version, scale, item and option (keys, not ids)."""
    return {
        "instruments": sorted(
            Instrument.objects.values_list("code", "title_id", "title_en", "kind", "is_anonymous")
        ),
        "versions": sorted(
            InstrumentVersion.objects.values_list(
                "instrument__code", "version", "published_at", "is_locked"
            )
        ),
        "scales": sorted(
            (n, lo, hi, json.dumps(lab, sort_keys=True))
            for n, lo, hi, lab in Scale.objects.values_list(
                "name", "min_value", "max_value", "labels"
            )
        ),
        "items": sorted(
            Item.objects.values_list(
                "version__instrument__code",
                "version__version",
                "code",
                "order",
                "text_id",
                "text_en",
                "dimension",
                "item_type",
                "scale__name",
                "is_reverse",
                "answer_key",
                "points",
            ),
            key=repr,
        ),
        "options": sorted(
            ItemOption.objects.values_list(
                "item__version__instrument__code",
                "item__version__version",
                "item__code",
                "code",
                "order",
                "text_id",
                "text_en",
                "is_correct",
            )
        ),
    }


def delete_all_instruments() -> None:
    ItemOption.objects.all().delete()
    Item.objects.all().delete()
    InstrumentVersion.objects.all().delete()
    Instrument.objects.all().delete()
    Scale.objects.all().delete()


def export_all(folder: Path) -> list[Path]:
    paths = []
    for version in InstrumentVersion.objects.select_related("instrument"):
        _chosen, data = xlsform_export(code=version.instrument.code, version=version.version)
        path = folder / f"{version.instrument.code}-v{version.version}.xlsx"
        path.write_bytes(data)
        paths.append(path)
    return paths


def to_xform(path: Path) -> tuple[str, list[str]]:
    """pyxform's XForm of a workbook and its warnings (raises on an invalid XLSForm)."""
    warnings: list[str] = []
    result = convert(str(path), warnings=warnings)
    return result.xform, warnings


def workbook(path: Path, sheets: dict[str, Sequence[Sequence[Any]]]) -> Path:
    book = Workbook()
    first = book.active
    assert first is not None
    book.remove(first)
    for title, rows in sheets.items():
        ws = book.create_sheet(title)
        for row in rows:
            ws.append(list(row))
    book.save(path)
    return path


# --- round trips --------------------------------------------------------------------------


def test_every_demo_instrument_round_trips_identically(tmp_path: Path) -> None:
    seed_instruments()
    before = snapshot()
    assert len(before["instruments"]) == 8 and len(before["versions"]) == 10
    assert len(before["options"]) == 440  # 110 test items x 4 options
    forms = {
        (v.instrument.code, v.version): form_from_version(v)
        for v in InstrumentVersion.objects.select_related("instrument")
    }
    paths = export_all(tmp_path)
    assert len(paths) == 10

    for path in paths:
        xform, warnings = to_xform(path)
        assert warnings == [], (path.name, warnings)
        assert "mutu_" not in xform  # Mutu columns (answer keys!) stay out of the XForm
        assert "<h:title>" in xform

    delete_all_instruments()
    assert Instrument.objects.count() == Scale.objects.count() == 0
    for path in paths:
        result = xlsform_import(source=path)
        assert result.action == "created"
        assert result.notices == ()  # a Mutu export says everything Mutu needs
    assert snapshot() == before
    for version in InstrumentVersion.objects.select_related("instrument"):
        assert form_from_version(version) == forms[(version.instrument.code, version.version)]

    state = database_state()
    for path in paths:
        out, err = mutu("xlsform", "import", str(path))
        assert err is None
        assert "0 baru/created, 0 diperbarui/updated" in out
    assert database_state() == state


def test_the_exported_form_says_what_mutu_knows(tmp_path: Path) -> None:
    seed_instruments()
    _version, data = xlsform_export(code="REAKSI")
    path = tmp_path / "reaksi.xlsx"
    path.write_bytes(data)
    book = load_workbook(path)
    survey = [list(r) for r in book["survey"].iter_rows(values_only=True)]
    header = survey[0]
    rows = [dict(zip(header, r, strict=True)) for r in survey[1:]]
    assert [r["type"] for r in rows][:2] == ["begin_group", "select_one scale_Likert_1-5_setuju_"]
    r4 = next(r for r in rows if r["name"] == "R4")
    assert (r4["mutu_reverse"], r4["appearance"], r4["mutu_scale"]) == (
        "yes",
        "likert",
        "Likert 1-5 (setuju)",
    )
    assert r4["label::English (en)"] == "The content is hard to apply in my work."
    settings = dict(zip(*book["settings"].iter_rows(values_only=True), strict=True))
    assert settings["form_id"] == "REAKSI"
    assert settings["version"] == "1"
    assert (settings["mutu_kind"], settings["mutu_anonymous"]) == ("reaction", "yes")

    _version, data = xlsform_export(code="TEST-PMPP-PRE", version=1)
    form = read_xlsform(data)
    first = form.items[0]
    assert first.answer_key and [o.is_correct for o in first.options].count(True) == 1
    assert next(o for o in first.options if o.is_correct).code == first.answer_key


def test_factory_and_rulebook_instruments_round_trip(tmp_path: Path) -> None:
    """Partly labelled scales (the factory's) and the SKM built from its rulebook."""
    make_instrument_version(anonymous=True)
    skm_instrument_ensure(code="SKM-RB")
    before = snapshot()
    paths = export_all(tmp_path)
    for path in paths:
        _xform, _warnings = to_xform(path)  # blank scale labels warn, never fail
    delete_all_instruments()
    for path in paths:
        xlsform_import(source=path)
    assert snapshot() == before


# --- a KoboToolbox form -------------------------------------------------------------------

KOBO_SURVEY = [
    [
        "type",
        "name",
        "label::English (en)",
        "label::Bahasa Indonesia (id)",
        "hint::English (en)",
        "required",
        "relevant",
        "appearance",
    ],
    ["start", "start", "", "", "", "", "", ""],
    ["end", "end", "", "", "", "", "", ""],
    ["note", "intro", "Thank you for taking part", "Terima kasih", "", "", "", ""],
    ["begin_group", "pelayanan", "Service", "Pelayanan", "", "", "", "field-list"],
    [
        "select_one agree5",
        "q_clear",
        "The procedure is clear",
        "Prosedur jelas",
        "Pick one",
        "yes",
        "",
        "likert",
    ],
    ["select_one agree5", "q_fast", "Service is fast", "Pelayanan cepat", "", "yes", "", "likert"],
    ["end_group", "", "", "", "", "", "", ""],
    ["select_one yn", "visited", "Visited before?", "Pernah datang?", "", "true()", "", ""],
    ["integer", "visits", "How many times?", "Berapa kali?", "", "", "${visited} = 'y'", ""],
    ["text", "comment", "Comments", "Saran", "", "", "", ""],
]
KOBO_CHOICES = [
    ["list_name", "name", "label::English (en)", "label::Bahasa Indonesia (id)"],
    *[
        ["agree5", p, en, id_]
        for p, en, id_ in [
            (1, "Strongly disagree", "Sangat tidak setuju"),
            (2, "Disagree", "Tidak setuju"),
            (3, "Neutral", "Netral"),
            (4, "Agree", "Setuju"),
            (5, "Strongly agree", "Sangat setuju"),
        ]
    ],
    ["yn", "y", "Yes", "Ya"],
    ["yn", "n", "No", "Tidak"],
]
KOBO_SETTINGS = [
    ["form_title", "form_id", "version", "default_language"],
    ["Survei layanan", "layanan_2024", "vH7xQ2 (2024-03-01 10:00:00)", "English (en)"],
]


def kobo_form(path: Path, survey: Sequence[Sequence[Any]] = KOBO_SURVEY) -> Path:
    return workbook(path, {"survey": survey, "choices": KOBO_CHOICES, "settings": KOBO_SETTINGS})


def test_a_kobotoolbox_form_imports_with_sensible_defaults(tmp_path: Path) -> None:
    path = kobo_form(tmp_path / "kobo.xlsx")
    _xform, _warnings = to_xform(path)  # it is a valid XLSForm to begin with
    result = xlsform_import(source=path)
    assert (result.action, result.version, result.instrument_created) == ("created", 1, True)
    assert result.scales_created == ("agree5",)
    instrument = Instrument.objects.get(code="layanan_2024")
    assert (instrument.title_id, instrument.kind, instrument.is_anonymous) == (
        "Survei layanan",
        "other",
        False,
    )
    version = instrument.versions.get()
    assert (version.published_at, version.is_locked) == (None, False)
    items = list(version.items.order_by("order"))
    assert [(i.code, i.item_type, i.dimension, i.order) for i in items] == [
        ("q_clear", "likert", "pelayanan", 1),
        ("q_fast", "likert", "pelayanan", 2),
        ("visited", "multiple_choice", "", 3),
        ("visits", "numeric", "", 4),
        ("comment", "text", "", 5),
    ]
    assert (items[0].text_id, items[0].text_en) == ("Prosedur jelas", "The procedure is clear")
    scale = Scale.objects.get(name="agree5")
    assert (scale.min_value, scale.max_value) == (1, 5)
    assert scale.labels["4"] == {"id": "Setuju", "en": "Agree"}
    assert list(items[2].options.values_list("code", "text_id", "is_correct")) == [
        ("y", "Ya", False),
        ("n", "Tidak", False),
    ]
    notes = " ".join(n.message_en for n in result.notices)
    for expected in ("kind", "Anonymity", "not a Mutu version", "type start", "type note"):
        assert expected in notes
    assert "column relevant" in notes and "column hint::English (en)" in notes

    state = database_state()
    again = xlsform_import(source=path)
    assert (again.action, again.version) == ("unchanged", 1)
    assert database_state() == state

    changed = [list(r) for r in KOBO_SURVEY]
    changed[-1][2] = "Any other comments"
    revised = xlsform_import(source=kobo_form(tmp_path / "kobo2.xlsx", changed))
    assert (revised.action, revised.version, revised.instrument_created) == ("created", 2, False)
    assert instrument.versions.count() == 2


def test_dry_run_checks_everything_and_writes_nothing(tmp_path: Path) -> None:
    path = kobo_form(tmp_path / "kobo.xlsx")
    state = database_state()
    out, err = mutu("xlsform", "import", str(path), "--dry-run")
    assert err is None
    assert "dry run, nothing written" in out and "layanan_2024 v1: 5 butir/items" in out
    assert database_state() == state


# --- refusals -----------------------------------------------------------------------------


def refused(path: Path) -> tuple[str, str]:
    """Import through the command: what it printed and its error; the database unchanged."""
    state = database_state()
    out, err = mutu("xlsform", "import", str(path))
    assert err is not None, out
    assert "nothing was written" in err and "tidak ada yang disimpan" in err
    assert database_state() == state
    return out, err


def test_a_workbook_without_survey_sheet_is_refused(tmp_path: Path) -> None:
    path = workbook(tmp_path / "x.xlsx", {"Sheet1": [["type", "name"]], "settings": []})
    out, _err = refused(path)
    assert "lembar/sheet survey" in out
    assert "There is no 'survey' sheet" in out and "Lembar 'survey' tidak ada" in out


def test_malformed_forms_name_every_bad_row_and_column(tmp_path: Path) -> None:
    make_instrument_version()  # something in the database to leave alone
    survey = [
        ["type", "name", "label::Indonesian (id)", "label::English (en)"],
        ["text", "q1", "Satu", "One"],  # row 2
        ["begin_group", "g1", "Grup", "Group"],  # row 3: never closed
        ["integer", "q1", "Dua", "Two"],  # row 4: duplicate name
        ["select_one nolist", "q3", "Tiga", "Three"],  # row 5: unknown list
        ["geopoint", "where", "Lokasi", "Location"],  # row 6: unsupported
        ["select_multiple yn", "q4", "Empat", "Four"],  # row 7: one option per answer
        ["select_one yn", "q5", "Lima", "Five"],  # row 8: fine
        ["begin_repeat", "r", "Ulang", "Repeat"],  # row 9: repeats unsupported
    ]
    choices = [["list_name", "name", "label"], ["yn", "y", "Ya"], ["yn", "y", "Ya lagi"]]
    path = workbook(
        tmp_path / "bad.xlsx",
        {"survey": survey, "choices": choices, "settings": [["form_id"], ["BAD"]]},
    )
    out, err = refused(path)
    expected = [
        ("baris/row 4, kolom/column name (B)", "already used in row 2", "sudah dipakai"),
        ("baris/row 5, kolom/column type (A)", "'nolist' is not on the choices", "tidak ada"),
        ("baris/row 6, kolom/column type (A)", "'geopoint' cannot be kept", "tidak dapat"),
        ("baris/row 7, kolom/column type (A)", "one option only", "satu pilihan saja"),
        ("baris/row 9, kolom/column type (A)", "(a repeat) is not supported", "pengulangan"),
        ("baris/row 3, kolom/column type (A)", "'g1' is opened here but never", "tidak ditutup"),
        ("lembar/sheet choices, baris/row 3, kolom/column name (B)", "already in list", "sudah"),
    ]
    lines = out.splitlines()
    for where, english, indonesian in expected:
        assert any(where in line and english in line and indonesian in line for line in lines), (
            where,
            out,
        )
    assert err.startswith("7 kesalahan")
    assert not Instrument.objects.filter(code="BAD").exists()


def test_bad_mutu_columns_are_refused(tmp_path: Path) -> None:
    survey = [
        ["type", "name", "label", "mutu_reverse", "mutu_correct", "mutu_points", "appearance"],
        ["text", "t", "Teks", "yes", "", "", ""],  # reverse on text
        ["select_one yn", "c", "Pilih", "", "z", "-1", ""],  # key not a choice; negative points
        ["select_one yn", "s", "Skala", "", "", "", "likert"],  # y/n are not points
    ]
    choices = [["list_name", "name", "label"], ["yn", "y", "Ya"], ["yn", "n", "Tidak"]]
    settings = [["form_id", "mutu_kind", "mutu_anonymous"], ["X1", "quiz", "maybe"]]
    path = workbook(
        tmp_path / "bad.xlsx", {"survey": survey, "choices": choices, "settings": settings}
    )
    with pytest.raises(XlsformError) as caught:
        xlsform_import(source=path)
    found = {(i.sheet, i.row, (i.column or "").split(" ")[0]) for i in caught.value.issues}
    assert found == {
        ("survey", 2, "mutu_reverse"),
        ("survey", 3, "mutu_correct"),
        ("survey", 3, "mutu_points"),
        ("choices", 2, "name"),
        ("settings", 2, "mutu_kind"),
        ("settings", 2, "mutu_anonymous"),
    }
    assert all(i.message_id and i.message_en for i in caught.value.issues)
    assert Instrument.objects.count() == 0


def test_conflicts_with_the_database_are_refused_and_write_nothing(tmp_path: Path) -> None:
    seed_instruments()
    _version, data = xlsform_export(code="EFIKASI")
    path = tmp_path / "efikasi.xlsx"
    path.write_bytes(data)

    book = load_workbook(path)
    book["survey"]["C3"] = "Teks yang diubah"  # first item's Indonesian text
    book.save(tmp_path / "changed.xlsx")
    out, _err = refused(tmp_path / "changed.xlsx")
    assert "Version 1 of EFIKASI is already stored with other content (E1)" in out

    book = load_workbook(path)
    book["settings"]["F2"] = "other"  # mutu_kind
    book["settings"]["C2"] = "2"  # a new version, but the instrument's kind differs
    book.save(tmp_path / "kind.xlsx")
    out, _err = refused(tmp_path / "kind.xlsx")
    assert "already exists with kind 'self_efficacy'; the form gives 'other'" in out

    book = load_workbook(path)
    book["settings"]["B2"] = "EFIKASI-BARU"  # a new instrument …
    book["choices"]["C2"] = "Sangat tidak setuju sekali"  # … on a changed scale of that name
    book.save(tmp_path / "scale.xlsx")
    out, _err = refused(tmp_path / "scale.xlsx")
    assert "Scale 'Likert 1-5 (setuju)' already exists in Mutu with other points" in out
    assert not Instrument.objects.filter(code="EFIKASI-BARU").exists()


def test_not_a_workbook_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "form.xlsx"
    path.write_text("type,name,label\ntext,q,Q\n")
    out, _err = refused(path)
    assert "not a readable Excel workbook" in out


def test_export_command(tmp_path: Path) -> None:
    seed_instruments()
    out, err = mutu(
        "xlsform", "export", "TEST-PMPP-PRE", "--version", "1", "--out", str(tmp_path / "t.xlsx")
    )
    assert err is None and "TEST-PMPP-PRE v1: 20 butir/items" in out
    form = read_xlsform(tmp_path / "t.xlsx")
    assert (form.code, form.version, len(form.items)) == ("TEST-PMPP-PRE", 1, 20)
    assert form.published_at == datetime(2023, 1, 2, 8, 0, tzinfo=ZoneInfo("UTC"))

    _out, err = mutu("xlsform", "export", "NOPE", "--out", str(tmp_path / "n.xlsx"))
    assert err is not None and "There is no instrument 'NOPE'" in err
    _out, err = mutu(
        "xlsform", "export", "REAKSI", "--version", "9", "--out", str(tmp_path / "n.xlsx")
    )
    assert err is not None and "has no version 9; its versions: 1" in err
    assert not (tmp_path / "n.xlsx").exists()


def test_an_english_only_form_keeps_english_as_the_indonesian_text(tmp_path: Path) -> None:
    path = workbook(
        tmp_path / "en.xlsx",
        {
            "survey": [["type", "name", "label::English (en)"], ["text", "q", "Any comments?"]],
            "settings": [["form_id", "mutu_kind", "mutu_anonymous"], ["EN1", "reaction", "yes"]],
        },
    )
    out, err = mutu("xlsform", "import", str(path), "--lang", "en")
    assert err is None and "EN1 v1: 1 butir/items" in out
    item = Item.objects.get(version__instrument__code="EN1")
    assert (item.text_id, item.text_en) == ("Any comments?", "Any comments?")
    assert Instrument.objects.get(code="EN1").is_anonymous

    _out, err = mutu("xlsform", "import", str(tmp_path / "missing.xlsx"))
    assert err is not None and "There is no file" in err
