from __future__ import annotations

import pytest

from mutu import rulebooks
from mutu.domain.development_forms import all_forms
from mutu.domain.golongan import golongan_table
from mutu.reference.models import DevelopmentForm, Golongan, Kecamatan, RulebookVersion
from mutu.reference.services import reference_data_load

pytestmark = pytest.mark.django_db


def test_loads_every_table() -> None:
    counts = reference_data_load()

    assert Kecamatan.objects.count() == 16
    assert counts["kecamatan"].created == 16
    assert Golongan.objects.filter(kind="PNS").count() == 17
    assert Golongan.objects.filter(kind="PPPK").count() == len(golongan_table("PPPK"))
    assert DevelopmentForm.objects.count() == len(all_forms())
    assert RulebookVersion.objects.count() == len(rulebooks.available())
    assert counts["rulebook_version"].created == RulebookVersion.objects.count()


def test_kecamatan_of_aceh_tenggara() -> None:
    reference_data_load()

    kutacane = Kecamatan.objects.get(name="Babussalam")
    assert kutacane.kabupaten_code == "11.02"
    assert kutacane.code.startswith("11.02.")
    # The codes are placeholders until checked against the Kemendagri list.
    assert not Kecamatan.objects.filter(code_confirmed=True).exists()


def test_golongan_mirror_the_domain_table() -> None:
    reference_data_load()

    penata_muda = Golongan.objects.get(kind="PNS", code="III/a")
    assert (penata_muda.rank, penata_muda.ruang, penata_muda.pangkat) == (9, "a", "Penata Muda")
    assert list(Golongan.objects.filter(kind="PNS").values_list("code", flat=True)) == [
        g.code for g in golongan_table("PNS")
    ]


def test_a_second_run_changes_nothing() -> None:
    reference_data_load()
    before = {
        model.__name__: list(model.objects.order_by("pk").values())
        for model in (Kecamatan, Golongan, DevelopmentForm, RulebookVersion)
    }

    counts = reference_data_load()

    assert all(c.created == 0 and c.updated == 0 for c in counts.values())
    assert counts["golongan"].unchanged == Golongan.objects.count()
    after = {
        model.__name__: list(model.objects.order_by("pk").values())
        for model in (Kecamatan, Golongan, DevelopmentForm, RulebookVersion)
    }
    assert after == before


def test_a_changed_row_is_put_back() -> None:
    reference_data_load()
    Kecamatan.objects.filter(name="Ketambe").update(name="Ketambe (typo)")
    DevelopmentForm.objects.filter(code="bimtek").update(label_en="?")

    counts = reference_data_load()

    assert counts["kecamatan"].updated == 1
    assert counts["development_form"].updated == 1
    assert Kecamatan.objects.filter(name="Ketambe").exists()


def test_a_form_the_domain_no_longer_has_is_retired_not_deleted() -> None:
    reference_data_load()
    DevelopmentForm.objects.create(code="old_form", category="x", label_id="Lama", label_en="Old")

    counts = reference_data_load()

    assert counts["development_form"].updated == 1
    assert DevelopmentForm.objects.get(code="old_form").is_active is False
    assert reference_data_load()["development_form"].updated == 0


def test_rulebook_registry_records_file_and_hash() -> None:
    reference_data_load()

    book = rulebooks.available()[0]
    row = RulebookVersion.objects.get(name=book.name, version=book.version)
    assert row.source_path == str(book.origin)
    assert len(row.sha256) == 64
    assert row.effective_from == book.effective_from
