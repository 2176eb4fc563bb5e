"""The dashboards' JP floor: the evaluation's, else the jp rulebook's, never a constant."""

from __future__ import annotations

from datetime import date

from mutu.dashboard.indices import jp_floor, rulebook_jp_floor
from mutu.reporting.compose.source import Results
from mutu.rulebooks import load


def test_the_evaluation_s_floor_is_used_when_it_has_one() -> None:
    res = Results({"indices": {"regency": {"2026": {"jp": {"floor_jp": 24.0}}}}})
    assert jp_floor(res, 2026) == 24.0


def test_without_it_the_floor_is_the_rulebook_s_of_that_year() -> None:
    # PP 11/2017 as amended by PP 17/2020, Pasal 203(4): at least 20 JP a year for a PNS,
    # read from the jp rulebook in force on 31 December of the year.
    expected = float(load("jp", date(2026, 12, 31)).decimal("pns_min_jp_per_year"))
    assert expected == 20.0
    assert rulebook_jp_floor(2026) == expected
    assert jp_floor(Results({}), 2026) == expected
