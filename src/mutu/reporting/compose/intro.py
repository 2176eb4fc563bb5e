"""Sections 1 (Pendahuluan) and 2 (Tujuan Program)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from mutu.reporting.compose.estimands import alpha
from mutu.reporting.compose.source import Results, sentence
from mutu.reporting.model import (
    Block,
    Bullets,
    Callout,
    Cell,
    Column,
    Inline,
    Number,
    NumberKind,
    Paragraph,
    Section,
    Table,
)


def _coverage(res: Results) -> Paragraph | None:
    if res.value("data", "rows", "employees") is None:
        return None
    rows = ("data", "rows")
    values: dict[str, Number] = {
        "employees": res.num(*rows, "employees", kind="count"),
        "units": res.num(*rows, "units", kind="count"),
        "activities": res.num(*rows, "activities", kind="count"),
        "enrollments": res.num(*rows, "enrollments", kind="count"),
    }
    if res.value(*res.regency("jp", "n_pns")) is not None:
        template = _(
            "The evaluation covers %(employees)s ASN (%(pns)s PNS and %(pppk)s PPPK in "
            "%(year)s) in %(units)s units, %(activities)s development activities and "
            "%(enrollments)s enrollments."
        )
        return Paragraph(
            sentence(
                template,
                **values,
                pns=res.num(*res.regency("jp", "n_pns"), kind="count"),
                pppk=res.num(*res.regency("jp", "n_pppk"), kind="count"),
                year=str(res.year),
            ),
            res.path("data", "rows"),
        )
    template = _(
        "The evaluation covers %(employees)s ASN in %(units)s units, %(activities)s "
        "development activities and %(enrollments)s enrollments."
    )
    return Paragraph(sentence(template, **values), res.path("data", "rows"))


def introduction(res: Results, *, regency: str, period: str, synthetic: bool) -> Section:
    """1. Pendahuluan: what is evaluated, from which data, and how to read the report."""
    blocks: list[Block] = [
        Paragraph(
            sentence(
                _(
                    "This report evaluates the competency-development program for the civil "
                    "servants (ASN) of %(regency)s in %(period)s. Mutu wrote it directly from "
                    "the evaluation results: every number in it comes from those results and "
                    "can be traced back to them, and every claim is only as strong as its "
                    "evidence."
                ),
                regency=regency,
                period=period,
            )
        )
    ]
    coverage = _coverage(res)
    if coverage is not None:
        blocks.append(coverage)
    if synthetic:
        blocks.append(
            Callout(
                "caution",
                _("Synthetic data"),
                (
                    _(
                        "This report was produced from Mutu's synthetic demonstration world. "
                        "Every person, unit and number in it is invented; it is not the "
                        "regency's data and must not be presented as such."
                    ),
                ),
            )
        )
    method = str(res.get("multiple_testing", "method") or "holm")
    method_name = {"holm": "Holm", "bh": "Benjamini–Hochberg", "fdr_bh": "Benjamini–Hochberg"}
    level: Inline = (
        res.num("multiple_testing", "level", digits=2)
        if res.value("multiple_testing", "level") is not None
        else str(alpha(res))
    )
    reading = Bullets(
        (
            (
                _(
                    "Every effect is reported with its confidence interval: the range of "
                    "values that are compatible with the data."
                ),
            ),
            sentence(
                _(
                    "A result is called statistically significant only when its p-value, "
                    "corrected for multiple testing (%(method)s), is below %(alpha)s and its "
                    "interval excludes zero; otherwise the report says that there is no "
                    "evidence of a change."
                ),
                method=method_name.get(method, method),
                alpha=level,
            ),
            (
                _(
                    "Standardised effect sizes are named by Cohen's conventions: below 0.2 "
                    "negligible, from 0.2 small, from 0.5 medium, from 0.8 large."
                ),
            ),
            sentence(
                _("Groups of fewer than %(minimum)s people are withheld to protect privacy."),
                minimum=str(res.privacy_minimum),
            ),
            (_("Where the data cannot answer a question, the report says so."),),
        )
    )
    how = Section("1.1", _("How to read this report"), (reading,), id="s-1-1")
    return Section("1", _("Introduction"), tuple(blocks), (how,), id="s-1")


_GOAL_KIND: dict[str, NumberKind] = {"percent": "percent100", "count": "count"}


def _goal_status(status: object) -> str:
    labels = {
        "met": _("met"),
        "not_met": _("not met"),
        "uncertain": _("cannot tell (the interval contains the target)"),
        "no_data": _("not computed"),
    }
    return str(labels.get(str(status), labels["no_data"]))


def _goal_table(res: Results) -> Table | None:
    rows: list[tuple[Cell, ...]] = []
    for i, goal in res.records("goals"):
        kind = _GOAL_KIND.get(str(goal.get("kind")), "decimal")
        digits = 0 if kind == "count" else 2
        rows.append(
            (
                str(goal.get("indicator", "")),
                res.num("goals", i, "baseline", kind=kind, digits=digits),
                res.num("goals", i, "target", kind=kind, digits=digits),
                res.num("goals", i, "actual", kind=kind, digits=digits),
                res.num("goals", i, "ci_low", kind=kind, digits=digits),
                res.num("goals", i, "ci_high", kind=kind, digits=digits),
                _goal_status(goal.get("status")),
            )
        )
    if not rows:
        return None
    return Table(
        "tab-goals",
        _("Program targets and what was achieved"),
        (
            Column("goal", _("Indicator")),
            Column("baseline", _("Baseline"), "decimal", 2),
            Column("target", _("Target value"), "decimal", 2),
            Column("actual", _("Achieved"), "decimal", 2),
            Column("ci_low", _("CI low"), "decimal", 2),
            Column("ci_high", _("CI high"), "decimal", 2),
            Column("status", _("Status")),
        ),
        tuple(rows),
        res.path("goals"),
        definitions=(
            (
                _("met"),
                _(
                    "The achieved figure reaches the target; for a figure estimated from a "
                    "sample, the whole confidence interval does."
                ),
            ),
            (
                _("cannot tell (the interval contains the target)"),
                _("The target lies inside the confidence interval of a sampled figure."),
            ),
            (
                _("not computed"),
                _("The goal names no figure Mutu computes, or the data for it are missing."),
            ),
        ),
        sheet=_("Targets"),
    )


def _goal_counts(res: Results) -> Paragraph | None:
    if not res.value("goals_summary", "total"):
        return None
    return Paragraph(
        sentence(
            _(
                "Of %(total)s targets, %(met)s were met, %(not_met)s were not met, for "
                "%(uncertain)s the data cannot tell, and %(no_data)s are not computed."
            ),
            **{
                key: res.num("goals_summary", key, kind="count", digits=0)
                for key in ("total", "met", "not_met", "uncertain", "no_data")
            },
        ),
        res.path("goals_summary"),
    )


def goals(res: Results) -> Section:
    """2. Tujuan Program: the aim, the evaluation questions and the measurable targets."""
    blocks: list[Block] = [
        Paragraph(
            (
                _(
                    "The program aims to raise the quality of the regency's ASN — competent, "
                    "professional and with integrity — through classroom training, workshops, "
                    "seminars, e-learning and internships (magang) run with partners such as "
                    "universities, BPSDM and NGOs."
                ),
            )
        ),
        Paragraph((_("The evaluation asks five questions, each answered in section 4:"),)),
        Bullets(
            (
                (_("Reaction (L1): did participants find the training useful and relevant?"),),
                (_("Learning (L2): did participants' test scores rise?"),),
                (_("Behaviour (L3): do trained staff work as their supervisors expect?"),),
                (_("Results (L4): did public satisfaction (IKM) at the units rise?"),),
                (_("Return (L5): are the benefits worth the cost?"),),
            ),
            ordered=True,
        ),
    ]
    floor = res.regency("jp", "floor_jp")
    if res.value(*floor) is not None:
        blocks.append(
            Paragraph(
                sentence(
                    _(
                        "By regulation every PNS must complete at least %(floor)s of "
                        "competency development a year; the program is the regency's main way "
                        "to meet that floor."
                    ),
                    floor=res.num(*floor, kind="jp", digits=0),
                ),
                res.path(*floor),
            )
        )
    else:
        blocks.append(
            Paragraph(
                (
                    _(
                        "By regulation every PNS must complete a yearly minimum of competency "
                        "development hours (JP); the program is the regency's main way to meet "
                        "that floor."
                    ),
                )
            )
        )
    table = _goal_table(res)
    counts = _goal_counts(res)
    if table is not None:
        blocks.append(Paragraph((_("The measurable targets and what was achieved:"),)))
        blocks.append(table)
        if counts is not None:
            blocks.append(counts)
    else:
        blocks.append(
            Callout(
                "no_data",
                _("No measurable targets"),
                (
                    _(
                        "The program's measurable targets are not recorded with the evaluation "
                        "results, so progress against them cannot be assessed here."
                    ),
                ),
                res.path("goals"),
            )
        )
    return Section("2", _("Program Objectives"), tuple(blocks), id="s-2")
