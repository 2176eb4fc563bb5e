"""Partners and agreements: pages for BKPSDM (edit) and analysts (read), quotas and dates."""

from __future__ import annotations

import html
from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from mutu.accounts.models import Role
from mutu.internships.services import agreement_save
from mutu.programs.models import Internship, Partner, PartnerAgreement
from tests.factories import make_partner
from tests.internships.support import World, make_world, young_pns
from tests.programs.test_web_support import client_for, user_with

pytestmark = pytest.mark.django_db


def _text(page: Any) -> str:
    """The page's text with HTML entities resolved (an apostrophe is sent as &#x27;)."""
    return html.unescape(page.content.decode())


def _agreement(partner: Partner, **change: Any) -> PartnerAgreement:
    today = timezone.localdate()
    fields: dict[str, Any] = {
        "agreement_id": None,
        "partner_id": partner.pk,
        "number": "070/045/BKPSDM/2026",
        "title": "Perjanjian kerja sama magang ASN muda",
        "start": today - timedelta(days=10),
        "end": today + timedelta(days=365),
        "quota": 1,
        "contact_person": "Dekan FKIP",
        **change,
    }
    return agreement_save(**fields)


def _placement(world: World, employee_nip: str, **change: str) -> dict[str, str]:
    today = timezone.localdate()
    return {
        "nip": employee_nip,
        "partner": str(world.partner.pk),
        "start": today.isoformat(),
        "end": (today + timedelta(days=60)).isoformat(),
        "mentor_name": "Dr. Rahmad",
        **change,
    }


# --------------------------------------------------------------------------- partners


def test_bkpsdm_registers_and_edits_a_partner_and_analysts_only_read() -> None:
    world = make_world()
    admin = client_for(user_with(Role.ADMIN), lang="en")
    answer = admin.post(
        "/magang/mitra/baru/",
        {
            "name": "  Lembaga   Alas Leuser ",
            "kind": "ngo",
            "contact": "Kutacane",
            "is_active": "on",
        },
    )
    partner = Partner.objects.get(name="Lembaga Alas Leuser")
    assert answer.status_code == 302 and answer["Location"] == f"/magang/mitra/{partner.pk}/"
    assert partner.kind == "ngo" and partner.contact == "Kutacane" and partner.is_active
    edited = admin.post(
        f"/magang/mitra/{partner.pk}/ubah/",
        {"name": "Lembaga Alas Leuser", "kind": "ngo", "contact": "Jl. Ahmad Yani"},
    )
    assert edited.status_code == 302
    partner.refresh_from_db()
    assert partner.contact == "Jl. Ahmad Yani" and not partner.is_active
    listing = admin.get("/magang/mitra/").content.decode()
    assert "Lembaga Alas Leuser" in listing and world.partner.name in listing
    assert "/magang/mitra/baru/" in listing
    only_ngo = admin.get("/magang/mitra/?jenis=ngo").content.decode()
    assert "Lembaga Alas Leuser" in only_ngo and world.partner.name not in only_ngo
    analyst = client_for(user_with(Role.ANALYST), lang="en")
    read = analyst.get(f"/magang/mitra/{world.partner.pk}/").content.decode()
    assert world.partner.name in read and "Edit partner" not in read
    assert "/magang/mitra/baru/" not in analyst.get("/magang/mitra/").content.decode()
    assert analyst.get("/magang/mitra/baru/").status_code == 404
    assert analyst.post(f"/magang/mitra/{partner.pk}/ubah/", {"name": "x"}).status_code == 404
    partner.refresh_from_db()
    assert partner.name == "Lembaga Alas Leuser"
    for user in (
        user_with(Role.UNIT_HEAD, unit=world.unit_a),
        user_with(Role.PARTICIPANT, employee=world.intern),
        world.mentor,
    ):
        assert client_for(user).get("/magang/mitra/").status_code == 404
        assert client_for(user).get(f"/magang/mitra/{world.partner.pk}/").status_code == 404


@pytest.mark.parametrize(
    ("form", "id_text", "en_text"),
    [
        ({"name": " ", "kind": "ngo"}, "Isi nama mitra", "Give the partner's name"),
        ({"name": "x" * 201, "kind": "ngo"}, "terlalu panjang", "too long"),
        ({"name": "Mitra Baru", "kind": ""}, "Pilih jenis mitra", "Choose the kind of partner"),
        ({"name": "DUPLICATE", "kind": "ngo"}, "Sudah ada mitra bernama", "already a partner"),
    ],
)
def test_bad_partners_are_refused_in_both_languages_and_nothing_is_written(
    form: dict[str, str], id_text: str, en_text: str
) -> None:
    world = make_world()
    if form["name"] == "DUPLICATE":
        form = dict(form, name=world.partner.name.upper())
    before = list(Partner.objects.values_list("name", flat=True))
    admin = user_with(Role.ADMIN)
    for lang, text in (("id", id_text), ("en", en_text)):
        page = client_for(admin, lang=lang).post("/magang/mitra/baru/", form)
        assert page.status_code == 200 and text in _text(page)
    assert list(Partner.objects.values_list("name", flat=True)) == before


# --------------------------------------------------------------------------- agreements


def test_bkpsdm_records_an_agreement_and_its_quota_use_shows() -> None:
    world = make_world()
    admin = client_for(user_with(Role.ADMIN), lang="en")
    today = timezone.localdate()
    answer = admin.post(
        f"/magang/mitra/{world.partner.pk}/perjanjian/baru/",
        {
            "number": "070/045/BKPSDM/2026",
            "title": "PKS magang ASN muda",
            "start": (today - timedelta(days=10)).isoformat(),
            "end": (today + timedelta(days=365)).isoformat(),
            "quota": "2",
            "contact_person": "Dekan FKIP",
        },
    )
    assert answer.status_code == 302
    agreement = PartnerAgreement.objects.get(partner=world.partner)
    assert (agreement.quota, agreement.contact_person) == (2, "Dekan FKIP")
    placed = admin.post("/magang/baru/", _placement(world, world.candidate.nip))
    assert placed.status_code == 302
    assert Internship.objects.get(employee=world.candidate).agreement == agreement
    page = admin.get(f"/magang/mitra/{world.partner.pk}/").content.decode()
    assert f"1 of 2 places used in {today.year}" in page and "Dekan FKIP" in page
    assert "in force" in page
    detail = admin.get(f"/magang/{Internship.objects.get(employee=world.candidate).pk}/")
    assert "070/045/BKPSDM/2026" in detail.content.decode()
    # The quota may grow, not drop below the places already used.
    edit = {
        "number": agreement.number,
        "title": agreement.title,
        "start": agreement.start.isoformat(),
        "end": agreement.end.isoformat() if agreement.end else "",
        "quota": "0",
    }
    refused = admin.post(f"/magang/perjanjian/{agreement.pk}/ubah/", edit)
    assert "the quota cannot be less than 1" in _text(refused)
    later = dict(edit, quota="5", start=(today + timedelta(days=1)).isoformat())
    refused = admin.post(f"/magang/perjanjian/{agreement.pk}/ubah/", later)
    assert "would fall outside the agreement" in _text(refused)
    agreement.refresh_from_db()
    assert agreement.quota == 2 and agreement.start == today - timedelta(days=10)
    assert (
        admin.post(f"/magang/perjanjian/{agreement.pk}/ubah/", dict(edit, quota="5")).status_code
        == 302
    )
    agreement.refresh_from_db()
    assert agreement.quota == 5
    analyst = client_for(user_with(Role.ANALYST))
    assert analyst.get(f"/magang/perjanjian/{agreement.pk}/ubah/").status_code == 404
    assert analyst.get(f"/magang/mitra/{world.partner.pk}/perjanjian/baru/").status_code == 404


@pytest.mark.parametrize(
    ("change", "id_text", "en_text"),
    [
        ({"number": ""}, "Isi nomor perjanjian", "Give the agreement's number"),
        ({"title": " "}, "Isi judul perjanjian", "Give the agreement's title"),
        ({"start": ""}, "Isi tanggal mulai perjanjian", "Give the agreement's start date"),
        ({"end": "2000-01-01"}, "tidak boleh sebelum", "cannot be before"),
        ({"quota": "-1"}, "Kuota tidak boleh negatif", "The quota cannot be negative"),
        ({"number": "SAME"}, "sudah punya perjanjian bernomor", "already has an agreement"),
    ],
)
def test_bad_agreements_are_refused_in_both_languages_and_nothing_is_written(
    change: dict[str, str], id_text: str, en_text: str
) -> None:
    world = make_world()
    existing = _agreement(world.partner, number="SAME", quota=None)
    form = {
        "number": "800/1/2026",
        "title": "PKS",
        "start": "2026-01-01",
        "end": "2026-12-31",
        "quota": "3",
        **change,
    }
    admin = user_with(Role.ADMIN)
    for lang, text in (("id", id_text), ("en", en_text)):
        page = client_for(admin, lang=lang).post(
            f"/magang/mitra/{world.partner.pk}/perjanjian/baru/", form
        )
        assert page.status_code == 200 and text in _text(page)
    assert list(PartnerAgreement.objects.all()) == [existing]


# --------------------------------------------------------------------------- placements


def test_a_placement_beyond_the_quota_is_refused_in_both_languages() -> None:
    world = make_world()
    agreement = _agreement(world.partner, quota=1)
    admin = user_with(Role.ADMIN)
    assert (
        client_for(admin).post("/magang/baru/", _placement(world, world.candidate.nip)).status_code
        == 302
    )
    second = young_pns(world.unit_a, timezone.localdate(), name="Dewi Kedua")
    year = timezone.localdate().year
    for lang, text in (
        ("id", f"Kuota perjanjian {agreement.number} untuk tahun {year} sudah penuh"),
        ("en", f"The quota of the agreement {agreement.number} for {year} is full"),
    ):
        page = client_for(admin, lang=lang).post("/magang/baru/", _placement(world, second.nip))
        assert page.status_code == 200 and text in _text(page)
        assert "(1 dari 1 tempat terpakai)" in _text(page) or lang == "en"
    assert not Internship.objects.filter(employee=second).exists()
    assert Internship.objects.filter(agreement=agreement).count() == 1


def test_a_placement_outside_the_agreement_dates_or_of_another_partner_is_refused() -> None:
    world = make_world()
    today = timezone.localdate()
    ends_soon = _agreement(world.partner, end=today + timedelta(days=30), quota=None)
    other = _agreement(make_partner(name="BPSDM Aceh", kind="bpsdm"), number="800/231")
    admin = user_with(Role.ADMIN)
    cases = [
        (
            {},
            "di luar masa setiap perjanjian dengan",
            "lies outside every agreement with",
        ),
        (
            {"agreement": str(ends_soon.pk)},
            f"di luar masa perjanjian {ends_soon.number}",
            f"lies outside the agreement {ends_soon.number}",
        ),
        (
            {"agreement": str(other.pk)},
            "bukan milik mitra penerima",
            "not the host partner's",
        ),
    ]
    for change, id_text, en_text in cases:
        for lang, text in (("id", id_text), ("en", en_text)):
            page = client_for(admin, lang=lang).post(
                "/magang/baru/", _placement(world, world.candidate.nip, **change)
            )
            assert page.status_code == 200 and text in _text(page)
    assert not Internship.objects.filter(employee=world.candidate).exists()
    # Inside the dates it goes through, under the agreement.
    short = _placement(world, world.candidate.nip, end=(today + timedelta(days=20)).isoformat())
    assert client_for(admin).post("/magang/baru/", short).status_code == 302
    assert Internship.objects.get(employee=world.candidate).agreement == ends_soon


def test_the_quota_counts_per_calendar_year() -> None:
    world = make_world()
    today = timezone.localdate()
    agreement = _agreement(
        world.partner,
        start=date(today.year - 1, 1, 1),
        end=date(today.year + 1, 12, 31),
        quota=1,
    )
    last_year = date(today.year - 1, 3, 1)
    Internship.objects.filter(pk=world.finished_internship.pk).update(
        agreement=agreement, start=last_year, end=last_year + timedelta(days=60)
    )
    admin = client_for(user_with(Role.ADMIN), lang="en")
    assert admin.post("/magang/baru/", _placement(world, world.candidate.nip)).status_code == 302
    page = admin.get(f"/magang/mitra/{world.partner.pk}/").content.decode()
    assert f"1 of 1 places used in {today.year}" in page
    assert f"{today.year - 1}: 1 · {today.year}: 1" in page
