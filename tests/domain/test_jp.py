"""JP arithmetic from the jp rulebook (Peraturan LAN 5/2018, PP 17/2020, PP 49/2018)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from mutu.domain.development_forms import UnknownDevelopmentForm
from mutu.domain.errors import MutuValueError
from mutu.domain.jp import (
    InvalidJp,
    conversion_factor,
    converted_jp,
    jp_from_minutes,
    minutes_from_jp,
    minutes_per_jp,
    pns_min_jp,
    pppk_max_jp,
)
from mutu.rulebooks import BUILTIN_DIR, Confidence, Rulebook, load


@pytest.fixture
def custom_jp(tmp_path: Path) -> Rulebook:
    """An administrator's jp version with other numbers, to prove they are read, not fixed."""
    text = (BUILTIN_DIR / "jp" / "2020.1.toml").read_text(encoding="utf-8")
    text = text.replace('version = "2020.1"', 'version = "2031.1"')
    text = text.replace("effective_from = 2020-01-01", "effective_from = 2031-01-01")
    for old, new in [
        ("value = 45", "value = 60"),
        ("value = 20", "value = 30"),
        ("value = 24", "value = 12"),
    ]:
        assert old in text
        text = text.replace(old, new)
    folder = tmp_path / "jp"
    folder.mkdir()
    (folder / "2031.1.toml").write_text(text, encoding="utf-8")
    return load("jp", date(2031, 1, 1), search_path=[BUILTIN_DIR, tmp_path])


@pytest.mark.parametrize(
    ("minutes", "jp"),
    [
        (90, "2.00"),
        (60, "1.33"),
        (45, "1.00"),
        (30, "0.67"),
        (0, "0.00"),
        ("-0", "0.00"),
        (1, "0.02"),
        (900, "20.00"),
        ("0.225", "0.01"),  # exactly 0.005 JP: half up, not half even
        (Decimal("67.5"), "1.50"),
        (90.0, "2.00"),
    ],
)
def test_jp_from_minutes(minutes: int | str | Decimal | float, jp: str) -> None:
    result = jp_from_minutes(minutes)
    assert result == Decimal(jp)
    assert str(result) == jp  # always two decimals


@pytest.mark.parametrize(("jp", "minutes"), [(2, 90), ("1.33", 60), (Decimal("0.5"), 23), (0, 0)])
def test_minutes_from_jp(jp: int | str | Decimal, minutes: int) -> None:
    assert minutes_from_jp(jp) == minutes


@pytest.mark.parametrize("bad", [-1, "-0.5", Decimal("-45")])
def test_negative_is_refused(bad: int | str | Decimal) -> None:
    with pytest.raises(InvalidJp) as err:
        jp_from_minutes(bad)
    assert isinstance(err.value, MutuValueError)
    assert "tidak boleh negatif" in err.value.message("id")
    assert "cannot be negative" in err.value.message("en")
    with pytest.raises(InvalidJp, match="JP tidak boleh negatif"):
        minutes_from_jp(bad)
    with pytest.raises(InvalidJp, match="JP tidak boleh negatif"):
        converted_jp(bad, "seminar")


@pytest.mark.parametrize(
    "bad",
    [float("nan"), float("inf"), "NaN", "Infinity", Decimal("NaN"), True, False, "abc", "", None],
)
def test_non_numbers_are_refused(bad: object) -> None:
    with pytest.raises(InvalidJp):
        jp_from_minutes(bad)  # type: ignore[arg-type]
    with pytest.raises(InvalidJp):
        minutes_from_jp(bad)  # type: ignore[arg-type]


def test_floor_and_ceiling_from_rulebook() -> None:
    assert pns_min_jp() == 20
    assert pppk_max_jp() == 24
    assert minutes_per_jp() == 45


def test_numbers_are_read_from_the_given_rulebook(custom_jp: Rulebook) -> None:
    assert pns_min_jp(custom_jp) == 30
    assert pppk_max_jp(custom_jp) == 12
    assert jp_from_minutes(90, rulebook=custom_jp) == Decimal("1.50")
    assert minutes_from_jp(2, rulebook=custom_jp) == 120


def test_converted_jp() -> None:
    assert converted_jp(10, "outbound") == Decimal("12.00")
    assert converted_jp("7.5", "outbound") == Decimal("9.00")
    assert converted_jp(10, "komunitas_belajar") == Decimal("10.00")
    assert converted_jp(24, "pelatihan_teknis") == Decimal("24.00")


def test_conversion_factor_reports_confidence() -> None:
    outbound = conversion_factor("outbound")
    assert outbound.value == Decimal("1.2")
    assert outbound.confidence is Confidence.CONFIRMED
    default = conversion_factor("coaching")
    assert default.value == Decimal("1.0")
    assert default.confidence is Confidence.UNCONFIRMED


def test_unknown_form_is_not_silently_credited() -> None:
    with pytest.raises(UnknownDevelopmentForm):
        converted_jp(10, "webinar")
