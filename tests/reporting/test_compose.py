"""Composing the report from a hand-made results dict: structure, traceability, claims."""

from __future__ import annotations

import datetime as dt

import pytest

from mutu.reporting import compose_report
from mutu.reporting.model import (
    Callout,
    Figure,
    Number,
    Suppressed,
    Table,
    iter_blocks,
    iter_numbers,
)
from tests.reporting.fixtures import baseline_results, null_results
from tests.reporting.helpers import (
    SIX_EN,
    SIX_ID,
    body_text,
    significance_claims,
    untraced_numbers,
)

DAY = dt.date(2026, 11, 28)


@pytest.mark.parametrize(("lang", "six"), [("id", SIX_ID), ("en", SIX_EN)])
def test_six_sections_in_order_then_the_annex(lang: str, six: list[str]) -> None:
    report = compose_report(baseline_results(), lang=lang, date=DAY, synthetic=True)
    assert [s.heading for s in report.sections] == six
    assert [s.number for s in report.sections] == ["1", "2", "3", "4", "5", "6"]
    assert [s.number for s in report.annex] == ["A", "B", "C", "D"]
    assert report.regency == "Kabupaten Aceh Tenggara"
    assert report.period == "2023–2026"
    assert report.warning  # synthetic data is labelled
    assert not compose_report(baseline_results(), lang=lang, date=DAY).warning


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize("make", [baseline_results, null_results])
def test_every_number_equals_its_source(lang: str, make: object) -> None:
    results = make()  # type: ignore[operator]
    report = compose_report(results, lang=lang, date=DAY)
    numbers = list(iter_numbers(report))
    assert len(numbers) > 100
    assert all(n.source.startswith("/") for n in numbers)
    assert untraced_numbers(report, results) == []


def test_the_traceability_check_can_fail() -> None:
    results = baseline_results()
    report = compose_report(results, lang="id", date=DAY)
    results["estimands"]["learning_gain"]["estimate"] = 99.0
    assert "/estimands/learning_gain/estimate" in " ".join(untraced_numbers(report, results))


@pytest.mark.parametrize("lang", ["id", "en"])
def test_null_world_claims_no_significant_change(lang: str) -> None:
    report = compose_report(null_results(), lang=lang, date=DAY)
    assert significance_claims(report) == []
    kinds = {b.title for b in iter_blocks(report) if isinstance(b, Callout) and b.kind == "caution"}
    assert (
        "Tidak ada pengaruh yang terbukti" if lang == "id" else "No demonstrated effect"
    ) in kinds
    text = " ".join(body_text(report))
    assert ("tidak ada bukti perubahan" if lang == "id" else "no evidence of a change") in text


def test_baseline_reports_headline_effects_with_intervals() -> None:
    report = compose_report(baseline_results(), lang="id", date=DAY)
    text = " ".join(body_text(report))
    assert "Estimasi pengaruh: +12,2 poin pada tes 0–100 (IK 95% 11,0 sampai 13,4)" in text
    assert "+2,49 poin IKM (IK 95% 1,10 sampai 3,88)" in text
    assert "+14,6 poin persentase (IK 95% 8,5 sampai 20,6)" in text
    assert "signifikan secara statistik" in text
    assert len(significance_claims(report)) >= 4
    # Observational estimates carry their assumption.
    assert text.count("Estimasi ini observasional") >= 4
    en = " ".join(body_text(compose_report(baseline_results(), lang="en", date=DAY)))
    assert "Estimated effect: +12.2 points on the 0–100 test (95% CI 11.0 to 13.4)" in en


def test_significance_follows_the_corrected_p_value_not_the_raw_one() -> None:
    results = baseline_results()
    e = results["estimands"]["magang_months_to_proficiency_diff"]
    e.update(p_value=0.01, p_adjusted=0.08, significant=False)
    report = compose_report(results, lang="en", date=DAY)
    lines = [t for t in body_text(report) if t.startswith("Internship (magang)")]
    assert lines and all("significant" not in t for t in lines)


def test_too_few_is_never_significant() -> None:
    results = baseline_results()
    results["estimands"]["ikm_att"]["status"] = "too_few"
    report = compose_report(results, lang="en", date=DAY)
    table = next(b for b in iter_blocks(report) if isinstance(b, Table) and b.id == "tab-effects")
    row = next(r for r in table.rows if str(r[0]).startswith("Public satisfaction"))
    assert row[-1] == "too few data"


def test_small_groups_are_withheld() -> None:
    report = compose_report(baseline_results(), lang="id", date=DAY)
    blocks = list(iter_blocks(report))
    reaction = next(b for b in blocks if isinstance(b, Table) and b.id == "tab-reaction")
    row = next(r for r in reaction.rows if r[0] == "NGOYAN-2026-01")
    assert isinstance(row[1], Suppressed) and row[2:] == (None, None, None, None)
    chart = next(b for b in blocks if isinstance(b, Figure) and b.id == "fig-distance")
    assert ">60 km" not in chart.chart.categories and "0-5 km" in chart.chart.categories
    learning = next(b for b in blocks if isinstance(b, Figure) and b.id == "fig-learning")
    assert "ELDIG-2026-01" not in learning.chart.categories
    ikm = next(b for b in blocks if isinstance(b, Table) and b.id == "tab-ikm-units")
    leuser = next(r for r in ikm.rows if r[0] == "KEC-LEUSER")
    assert isinstance(leuser[1], Suppressed) and isinstance(leuser[2], Number)
    text = " ".join(body_text(report))
    assert "Kelompok kecil: 4 kelompok beranggotakan kurang dari 5 orang" in text
    # A higher minimum withholds more.
    strict = compose_report(baseline_results(), lang="en", date=DAY, privacy_minimum=30)
    rows = next(b for b in iter_blocks(strict) if isinstance(b, Table) and b.id == "tab-reaction")
    assert all(isinstance(r[1], Suppressed) for r in rows.rows)


def test_what_the_data_cannot_answer_is_said() -> None:
    results = baseline_results()
    del results["estimands"]["workplan_quality_att"]["estimate"]
    results["sections"]["l1_reaction"] = {"status": "no_data", "missing": ["responses"]}
    report = compose_report(results, lang="en", date=DAY)
    no_data = [b for b in iter_blocks(report) if isinstance(b, Callout) and b.kind == "no_data"]
    titles = {b.title for b in no_data}
    assert {"No measurable targets", "ROI not computed", "JP distribution not available"} <= titles
    assert any("cannot answer" in str(b.parts) for b in no_data)
    assert any("no data for this part" in str(b.parts) for b in no_data)
    text = " ".join(body_text(compose_report(results, lang="en", date=DAY)))
    assert "Work-plan quality after training (L3): The data cannot answer" in text


def test_jp_histogram_against_the_floor_when_the_results_have_it() -> None:
    results = baseline_results()
    jp = results["indices"]["regency"]["2026"]["jp"]
    jp["floor_jp"] = 20
    jp["distribution"] = {"edges": [0, 10, 20, 30, 40], "counts": [500, 407, 180, 54]}
    report = compose_report(results, lang="id", date=DAY)
    figure = next(b for b in iter_blocks(report) if isinstance(b, Figure) and b.id == "fig-jp")
    assert figure.chart.kind == "histogram"
    assert figure.chart.reference is not None and figure.chart.reference.value == 20
    assert figure.chart.reference.label == "20 JP"
    assert untraced_numbers(report, results) == []
    text = " ".join(body_text(report))
    assert "paling sedikit 20 JP setahun" in text


def test_unknown_language_is_refused() -> None:
    with pytest.raises(ValueError, match="Unknown language"):
        compose_report(baseline_results(), lang="fr")
