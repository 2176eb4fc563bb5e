"""Numbers, dates and Rupiah in each language; effect-size words; claim rules; privacy."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.utils import translation

from mutu.reporting.formatting import (
    MINUS,
    claim_words,
    effect_size_label,
    effect_size_words,
    format_date,
    format_decimal,
    format_number,
    format_p,
    format_rupiah,
    format_value,
    is_suppressed,
    month_name,
    suppressed_text,
)
from mutu.reporting.model import Number

INDONESIAN_MONTHS = [
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
]  # fmt: skip


@pytest.mark.parametrize(
    ("value", "digits", "lang", "expected"),
    [
        (1234567.891, 2, "id", "1.234.567,89"),
        (1234567.891, 2, "en", "1,234,567.89"),
        (0.5, 1, "id", "0,5"),
        (-12.345, 1, "id", MINUS + "12,3"),
        (-0.001, 2, "id", "0,00"),  # no "−0,00"
        (999.5, 0, "en", "1,000"),
    ],
)
def test_decimal(value: float, digits: int, lang: str, expected: str) -> None:
    assert format_decimal(value, digits, lang) == expected


def test_signed_and_missing() -> None:
    assert format_decimal(12.17, 2, "id", signed=True) == "+12,17"
    assert format_decimal(0.0, 2, "id", signed=True) == "0,00"
    assert format_decimal(None, 2, "id") == "–"
    assert format_decimal(float("nan"), 2, "en") == "–"


def test_rupiah() -> None:
    assert format_rupiah(1250000, "id") == "Rp 1.250.000"
    assert format_rupiah(1250000, "en") == "Rp 1,250,000"
    assert format_rupiah(-5000, "id") == MINUS + "Rp 5.000"
    with translation.override("id"):
        assert format_rupiah(2_390_000_000, "id", compact=True) == "Rp 2,39 miliar"
        assert format_rupiah(850_000_000, "id", compact=True) == "Rp 850 juta"
        assert format_rupiah(85_300_000, "id", compact=True) == "Rp 85,3 juta"
        assert format_rupiah(900_000, "id", compact=True) == "Rp 900.000"
    with translation.override("en"):
        assert format_rupiah(2_390_000_000, "en", compact=True) == "Rp 2.39 billion"


def test_kinds() -> None:
    assert format_value(0.423, "percent", 1, "id") == "42,3%"
    assert format_value(0.423, "percent", 1, "en") == "42.3%"
    assert format_value(20, "jp", 0, "id") == "20 JP"
    assert format_value(2210, "count", 0, "id") == "2.210"
    with translation.override("id"):
        assert format_value(14.56, "percent_points", 1, "id") == "14,6 poin persentase"
        assert format_value(14.56, "percent_points", 1, "id", unit=False) == "14,6"
    with translation.override("en"):
        assert format_value(14.56, "percent_points", 1, "en") == "14.6 percentage points"
    assert format_number(Number(1250000, "rupiah", 0), "id") == "Rp 1.250.000"
    assert format_number(Number(1250000, "rupiah", 0), "id", unit=False) == "1.250.000"


def test_p_values() -> None:
    assert format_p(0.0341, "id") == "p = 0,034"
    assert format_p(0.0341, "en") == "p = 0.034"
    assert format_p(1e-9, "id") == "p < 0,001"
    assert format_p(1e-9, "en", prefix=False) == "< 0.001"


def test_dates_and_months() -> None:
    day = dt.date(2026, 11, 28)
    assert format_date(day, "id") == "28 November 2026"
    assert format_date(day, "en") == "28 November 2026"
    assert format_date(dt.date(2026, 8, 17), "id") == "17 Agustus 2026"
    assert format_date(dt.date(2026, 8, 17), "en") == "17 August 2026"
    assert [month_name(m, "id") for m in range(1, 13)] == INDONESIAN_MONTHS
    assert month_name(5, "en") == "May"


def test_effect_size_scale_is_cohens() -> None:
    assert [effect_size_label(d) for d in (0.0, 0.19, 0.2, 0.49, 0.5, 0.79, 0.8, 2.0)] == [
        "negligible", "negligible", "small", "small", "medium", "medium", "large", "large",
    ]  # fmt: skip
    assert effect_size_label(-0.6) == "medium"
    with translation.override("id"):
        assert [effect_size_words(d) for d in (0.1, 0.3, 0.6, 1.0)] == [
            "sangat kecil", "kecil", "sedang", "besar",
        ]  # fmt: skip
    with translation.override("en"):
        assert effect_size_words(0.3) == "small"


@pytest.mark.parametrize("lang", ["id", "en"])
def test_claims_never_say_significant_without_corrected_evidence(lang: str) -> None:
    word = "signifikan" if lang == "id" else "significant"
    grid = itertools.product(
        [-2.0, -0.1, 0.0, 0.1, 2.0],  # estimate
        [(-1.0, 1.0), (0.05, 3.0), (-3.0, -0.05), (None, None)],  # interval
        [None, 0.0001, 0.049, 0.05, 0.2, 1.0],  # corrected p
    )
    with translation.override(lang):
        for estimate, (low, high), p_adj in grid:
            claim = claim_words(estimate, low, high, p_adj, 0.05)
            allowed = (
                p_adj is not None
                and p_adj < 0.05
                and estimate != 0
                and (low is None or low > 0 or high < 0)  # type: ignore[operator]
            )
            assert claim.significant == allowed, (estimate, low, high, p_adj)
            assert (word in claim.text.lower()) == allowed, claim.text
            if allowed:
                assert claim.kind == ("increase" if estimate > 0 else "decrease")


def test_claim_texts() -> None:
    with translation.override("id"):
        assert "signifikan" in claim_words(2.0, 1.0, 3.0, 0.001).text
        assert "tidak ada bukti" in claim_words(0.1, -1.0, 1.0, 0.6).text.lower()
        assert claim_words(None, None, None, None).kind == "no_data"
    with translation.override("en"):
        assert "no evidence of a change" in claim_words(0.1, -1.0, 1.0, 0.6).text
        # A p-value without the interval excluding zero is not enough.
        assert not claim_words(0.5, -0.1, 1.1, 0.01).significant


def test_privacy_suppression() -> None:
    assert is_suppressed(4) and is_suppressed(None) and not is_suppressed(5)
    assert is_suppressed(9, minimum=10)
    with translation.override("id"):
        assert suppressed_text() == "data disembunyikan (n < 5)"
    with translation.override("en"):
        assert suppressed_text(10) == "withheld (n < 10)"
