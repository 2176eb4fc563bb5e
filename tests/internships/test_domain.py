"""The pure rules of the internship: eligibility, the weekly logbook, the rubric, the JP."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from mutu.domain import magang
from mutu.domain.errors import MutuValueError
from mutu.rulebooks import Confidence, load

ON = date(2025, 3, 1)


def test_the_rulebook_marks_local_policy_unconfirmed() -> None:
    book = load("magang", ON)
    assert book.label == "magang 2023.1"
    for key in (
        "eligibility.max_age_at_appointment",
        "eligibility.min_months_since_appointment",
        "eligibility.max_months_since_appointment",
        "eligibility.employment_kinds",
        "rubric.pass_mean",
    ):
        assert book.confidence(key) is Confidence.UNCONFIRMED, key
    assert book.confidence("form_code") is Confidence.CONFIRMED


@pytest.mark.parametrize(
    ("start", "day", "months"),
    [
        (date(2025, 1, 15), date(2025, 3, 15), 2),
        (date(2025, 1, 15), date(2025, 3, 14), 1),
        (date(2025, 1, 31), date(2025, 2, 28), 0),
        (date(2024, 12, 1), date(2025, 3, 1), 3),
        (date(2025, 3, 1), date(2025, 1, 15), -1),
    ],
)
def test_months_since_counts_whole_months(start: date, day: date, months: int) -> None:
    assert magang.months_since(start, day) == months


# Hand-worked cases on 1 March 2025, default rules: PNS, at most 35 at TMT,
# 2 to 24 whole months since TMT, no internship before.
@pytest.mark.parametrize(
    ("status", "birth", "tmt", "had", "reasons"),
    [
        # 30 at TMT 1 Sep 2024 (6 months): eligible.
        ("PNS", date(1994, 5, 10), date(2024, 9, 1), False, ()),
        # Exactly 2 months (1 Jan → 1 Mar) is in.
        ("PNS", date(1994, 5, 10), date(2025, 1, 1), False, ()),
        # Exactly 24 months (1 Mar 2023) is in; 25 months is out.
        ("PNS", date(1994, 5, 10), date(2023, 3, 1), False, ()),
        ("PNS", date(1994, 5, 10), date(2023, 2, 1), False, ("too_long_ago",)),
        # 1 Jan 2025 + 1 day: 1 month and 30 days, still too new.
        ("PNS", date(1994, 5, 10), date(2025, 1, 2), False, ("too_new",)),
        # 35 on the TMT day is in; 36 on it (born 31 Aug 1988) is out.
        ("PNS", date(1989, 9, 1), date(2024, 9, 1), False, ()),
        ("PNS", date(1988, 8, 31), date(2024, 9, 1), False, ("too_old",)),
        # A PPPK is not covered; an earlier internship closes the door.
        ("PPPK", date(1994, 5, 10), date(2024, 9, 1), False, ("employment_kind",)),
        ("PNS", date(1994, 5, 10), date(2024, 9, 1), True, ("already_interned",)),
        ("PNS", None, None, False, ("no_appointment_date",)),
        (
            "PPPK",
            date(1980, 1, 1),
            date(2025, 2, 20),
            True,
            ("employment_kind", "too_old", "too_new", "already_interned"),
        ),
    ],
)
def test_eligibility_hand_worked(
    status: str, birth: date | None, tmt: date | None, had: bool, reasons: tuple[str, ...]
) -> None:
    result = magang.eligible(status=status, birth_date=birth, tmt=tmt, on=ON, had_internship=had)
    assert result.reasons == reasons
    assert result.eligible is (reasons == ())
    assert result.rulebook == "magang 2023.1"
    assert "eligibility.max_age_at_appointment" in result.unconfirmed
    assert len(result.reason_texts("en")) == len(reasons)


def test_eligibility_follows_a_changed_rulebook() -> None:
    book = load("magang", ON)
    assert magang.eligible(
        status="PPPK", birth_date=date(1994, 5, 10), tmt=date(2024, 9, 1), on=ON, rulebook=book
    ).reasons == ("employment_kind",)
    jp_book = load("jp", ON)
    with pytest.raises(MutuValueError):
        magang.eligible(status="PNS", birth_date=None, tmt=None, on=ON, rulebook=jp_book)


def test_missing_weeks_wait_for_the_grace_days() -> None:
    start, end = date(2025, 3, 3), date(2025, 3, 30)  # four weeks, Monday to Sunday
    assert magang.week_starts(start, end) == (
        date(2025, 3, 3),
        date(2025, 3, 10),
        date(2025, 3, 17),
        date(2025, 3, 24),
    )
    written = [date(2025, 3, 3), date(2025, 3, 19)]  # week 1, and week 3 by a mid-week date
    # On 13 March week 1's grace (3 days after 9 March) has passed, week 2 is running.
    assert (
        magang.missing_weeks(start=start, end=end, written=written, today=date(2025, 3, 13)) == ()
    )
    # Week 2 ends 16 March; missing from 20 March on (16 + 3 < 20).
    assert (
        magang.missing_weeks(start=start, end=end, written=written, today=date(2025, 3, 19)) == ()
    )
    assert magang.missing_weeks(start=start, end=end, written=written, today=date(2025, 3, 20)) == (
        date(2025, 3, 10),
    )
    assert magang.missing_weeks(start=start, end=end, written=written, today=date(2025, 5, 1)) == (
        date(2025, 3, 10),
        date(2025, 3, 24),
    )


def test_rubric_checked_mean_and_pass() -> None:
    good = magang.rubric_check(
        {"penguasaan_tugas": "3", "inisiatif": 4, "kerja_sama": 3, "disiplin": 2}
    )
    assert magang.rubric_mean(good) == Decimal(3)
    assert magang.rubric_passes(good)
    low = dict(good, disiplin=1)
    assert magang.rubric_mean(low) == Decimal("2.75") and not magang.rubric_passes(low)


@pytest.mark.parametrize(
    "scores",
    [
        {"penguasaan_tugas": 3, "inisiatif": 4, "kerja_sama": 3},  # one missing
        {"penguasaan_tugas": 5, "inisiatif": 4, "kerja_sama": 3, "disiplin": 2},  # above 4
        {"penguasaan_tugas": "x", "inisiatif": 4, "kerja_sama": 3, "disiplin": 2},
        {"penguasaan_tugas": True, "inisiatif": 4, "kerja_sama": 3, "disiplin": 2},
        {"penguasaan_tugas": 3, "inisiatif": 4, "kerja_sama": 3, "disiplin": 2, "lain": 1},
    ],
)
def test_bad_rubrics_are_refused_in_both_languages(scores: dict[str, object]) -> None:
    with pytest.raises(MutuValueError) as refused:
        magang.rubric_check(scores)
    assert refused.value.message("id") != refused.value.message("en")


def test_magang_jp_uses_the_jp_rulebook_and_says_it_is_unconfirmed() -> None:
    jp, factor = magang.magang_jp(60)
    assert jp == Decimal("60.00")
    assert factor.confidence is Confidence.UNCONFIRMED


# --------------------------------------------------------------------------- windows and quotas


def test_the_midpoint_window_comes_from_the_rulebook_and_stays_inside_the_placement() -> None:
    book = load("magang", ON)
    assert book.integer("rubric.midpoint_window_days") == 14
    assert book.confidence("rubric.midpoint_window_days") is Confidence.UNCONFIRMED
    start, end = date(2025, 3, 3), date(2025, 5, 31)  # 89 days: the midpoint is day 44
    assert magang.midpoint(start, end) == date(2025, 4, 16)
    assert magang.midpoint_window(start, end) == (date(2025, 4, 2), date(2025, 4, 30))
    # A four-week placement: the window is clipped to its own days.
    short = (date(2025, 3, 3), date(2025, 3, 30))
    assert magang.midpoint_window(*short) == (date(2025, 3, 3), date(2025, 3, 30))


def test_the_final_assessment_opens_before_the_end_never_before_the_start() -> None:
    book = load("magang", ON)
    assert book.confidence("final_assessment.earliest_days_before_end") is Confidence.UNCONFIRMED
    assert magang.final_assessment_opens(date(2025, 3, 3), date(2025, 5, 31)) == date(2025, 5, 17)
    assert magang.final_assessment_opens(date(2025, 3, 3), date(2025, 3, 10)) == date(2025, 3, 3)


def test_quotas_count_per_calendar_year_or_over_the_agreement() -> None:
    assert magang.quota_period() == "year"
    assert load("magang", ON).confidence("agreement.quota_period") is Confidence.UNCONFIRMED
    starts = [date(2024, 3, 1), date(2024, 9, 2), date(2025, 3, 3)]
    assert magang.quota_counts(starts, period="year") == {2024: 2, 2025: 1}
    assert magang.quota_counts(starts, period="agreement") == {None: 3}
    assert magang.quota_counts([], period="year") == {}
