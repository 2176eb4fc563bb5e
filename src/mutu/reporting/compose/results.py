"""Section 4 (Evaluasi Hasil), first part: the summary of effects, reaction (L1),
learning (L2) and behaviour (L3)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

from mutu.reporting.compose.estimands import (
    alpha,
    estimand_blocks,
    level,
)
from mutu.reporting.compose.source import Results, join, sentence
from mutu.reporting.compose.summary import claim_label, summary_table
from mutu.reporting.formatting import Claim, claim_words, no_evidence_text, too_few_text
from mutu.reporting.model import (
    Block,
    Callout,
    Cell,
    ChartSpec,
    Column,
    Figure,
    Number,
    Paragraph,
    Ref,
    ReferenceLine,
    Section,
    Series,
    Table,
)

L1 = "l1_reaction"
L2 = "l2_learning"


def _reaction(res: Results) -> Section:
    base = ("sections", L1)
    blocks: list[Block] = []
    if not res.section_ok(L1):
        return Section("4.2", _("Reaction (L1)"), (_no_data(res, L1),), id="s-4-2")
    if res.value(*base, "scale_mean") is not None:
        text = sentence(
            _(
                "In %(year)s, %(n)s participants rated their training at %(mean)s on average on "
                "the reaction scale (%(interval)s); %(top)s of answers were in the two highest "
                "categories."
            ),
            year=str(res.get(*base, "year") or res.year),
            n=res.num(*base, "n_respondents", kind="count"),
            mean=res.num(*base, "scale_mean", digits=2),
            interval=sentence(
                _("%(level)s CI %(low)s to %(high)s"),
                level=level(res, *base),
                low=res.num(*base, "scale_ci_low", digits=2),
                high=res.num(*base, "scale_ci_high", digits=2),
            ),
            top=res.num(*base, "top_box_pct", kind="percent100", digits=0),
        )
        if res.value(*base, "alpha") is not None:
            text = join(
                text,
                sentence(
                    _("The scale's reliability (Cronbach's alpha) is %(alpha)s."),
                    alpha=res.num(*base, "alpha", digits=2),
                ),
            )
        blocks.append(Paragraph(text, res.path(*base)))
    rows: list[tuple[Cell, ...]] = []
    for i, r in res.table(L1, "per_activity"):
        row = res.table_path(L1, "per_activity", i)
        name = str(r.get("activity"))
        if res.small(*row, "n_respondents"):
            rows.append(
                (name, res.count_or_suppressed(*row, "n_respondents"), None, None, None, None)
            )
            continue
        rows.append(
            (
                name,
                res.num(*row, "n_respondents", kind="count"),
                res.num(*row, "scale_mean", digits=2),
                res.num(*row, "ci_low", digits=2),
                res.num(*row, "ci_high", digits=2),
                res.num(*row, "top_box_pct", kind="percent100", digits=0),
            )
        )
    if rows:
        blocks.append(
            Paragraph(
                sentence(
                    _(
                        "%(ref)s shows the rating of each activity. A favourable reaction is "
                        "necessary but says nothing yet about learning or work."
                    ),
                    ref=Ref("tab-reaction"),
                )
            )
        )
        blocks.append(
            Table(
                "tab-reaction",
                _("Participants' reaction per activity"),
                (
                    Column("activity", _("Activity")),
                    Column("n", _("Respondents"), "count"),
                    Column("mean", _("Mean"), "decimal", 2),
                    Column("ci_low", _("CI lower"), "decimal", 2),
                    Column("ci_high", _("CI upper"), "decimal", 2),
                    Column("top2", _("Agree (top 2)"), "percent100", 0),
                ),
                tuple(rows),
                res.path(*res.table_path(L1, "per_activity")),
                definitions=(
                    (
                        _("Mean"),
                        _(
                            "Mean of the reaction scale (items averaged per respondent, "
                            "reverse-keyed items turned)."
                        ),
                    ),
                    (_("Agree (top 2)"), _("Share of answers in the two highest categories.")),
                ),
                sheet=_("Reaction L1"),
            )
        )
    return Section("4.2", _("Reaction (L1)"), tuple(blocks), id="s-4-2")


def _no_data(res: Results, part: str) -> Callout:
    return Callout(
        "no_data",
        _("No data"),
        (_("The results hold no data for this part, so it cannot be evaluated."),),
        res.path("sections", part),
    )


def activity_claim(res: Results, row: tuple[str | int, ...], record: Mapping[str, Any]) -> Claim:
    """The claim of one activity's gain: Holm within the activities, never when too few."""
    claim = claim_words(
        res.value(*row, "mean_diff"),
        res.value(*row, "ci_low"),
        res.value(*row, "ci_high"),
        res.value(*row, "p_holm"),
        alpha(res),
    )
    if record.get("too_few"):
        return Claim("too_few", False, too_few_text())
    if claim.significant and record.get("significant_holm") is False:
        return Claim("no_evidence", False, no_evidence_text())
    return claim


def _learning(res: Results) -> Section:
    blocks: list[Block] = list(estimand_blocks(res, "learning_gain"))
    gain = res.value("estimands", "learning_gain", "details", "normalized_gain")
    if gain is not None:
        blocks.append(
            Paragraph(
                sentence(
                    _(
                        "The class-average normalised gain (Hake) is %(g)s: the share of the "
                        "possible improvement that was achieved."
                    ),
                    g=res.num("estimands", "learning_gain", "details", "normalized_gain", digits=2),
                ),
                res.path("estimands", "learning_gain", "details"),
            )
        )
    acts = [
        (i, r)
        for i, r in res.table(L2, "per_activity")
        if not res.small(*res.table_path(L2, "per_activity", i, "n"))
    ]
    if acts:

        def num(i: int, key: str, **kw: Any) -> Number:
            return res.num(*res.table_path(L2, "per_activity", i, key), **kw)

        chart = ChartSpec(
            "point_range",
            tuple(str(r.get("activity")) for _i, r in acts),
            (
                Series(
                    _("Gain"),
                    tuple(num(i, "mean_diff", digits=1) for i, _r in acts),
                    tuple(num(i, "ci_low", digits=1) for i, _r in acts),
                    tuple(num(i, "ci_high", digits=1) for i, _r in acts),
                ),
            ),
            x_label=_("Post-test minus pre-test (points), with confidence interval"),
            value_kind="decimal",
            digits=1,
            reference=ReferenceLine(0.0),
        )
        blocks.append(
            Figure(
                "fig-learning",
                chart,
                _("Test-score gain per activity with its confidence interval; 0 = no change"),
                _("Point-range chart of the pre/post gain per activity."),
                res.path(*res.table_path(L2, "per_activity")),
            )
        )
        rows: list[tuple[Cell, ...]] = []
        for i, r in acts:
            rows.append(
                (
                    str(r.get("activity")),
                    num(i, "n", kind="count"),
                    num(i, "mean_pre", digits=1),
                    num(i, "mean_post", digits=1),
                    num(i, "mean_diff", digits=1, signed=True),
                    num(i, "ci_low", digits=1),
                    num(i, "ci_high", digits=1),
                    num(i, "d_z", digits=2),
                    num(i, "p_holm", kind="p_value", digits=3),
                    claim_label(activity_claim(res, res.table_path(L2, "per_activity", i), r)),
                )
            )
        blocks.append(
            Table(
                "tab-learning",
                _("Pre- and post-test scores per activity (0–100)"),
                (
                    Column("activity", _("Activity")),
                    Column("n", "n", "count"),
                    Column("pre", _("Pre"), "decimal", 1),
                    Column("post", _("Post"), "decimal", 1),
                    Column("gain", _("Gain"), "decimal", 1),
                    Column("ci_low", _("CI lower"), "decimal", 1),
                    Column("ci_high", _("CI upper"), "decimal", 1),
                    Column("d_z", "d_z", "decimal", 2),
                    Column("p_holm", _("Corrected p"), "p_value", 3),
                    Column("claim", _("Conclusion")),
                ),
                tuple(rows),
                res.path(*res.table_path(L2, "per_activity")),
                definitions=(
                    ("n", _("Participants with both a pre-test and a post-test.")),
                    (_("Gain"), _("Mean of post-test minus pre-test score.")),
                    (
                        "d_z",
                        _(
                            "Mean gain divided by the standard deviation of the gains "
                            "(Lakens 2013)."
                        ),
                    ),
                    (_("Corrected p"), _("Holm-corrected over the activities of the year.")),
                ),
                sheet=_("Learning L2"),
            )
        )
    return Section("4.3", _("Learning (L2)"), tuple(blocks), id="s-4-3")


def _behaviour(res: Results) -> Section:
    blocks: list[Block] = list(estimand_blocks(res, "workplan_quality_att"))
    rows = res.table("l3_behaviour", "per_year")
    if rows:

        def num(i: int, key: str, **kw: Any) -> Number:
            return res.num(*res.table_path("l3_behaviour", "per_year", i, key), **kw)

        blocks.append(
            Table(
                "tab-behaviour",
                _("Mean work-plan rating after training, trained and not (yet) trained"),
                (
                    Column("year", _("Year")),
                    Column("n_t", _("Trained"), "count"),
                    Column("m_t", _("Rating, trained"), "decimal", 2),
                    Column("n_c", _("Not trained"), "count"),
                    Column("m_c", _("Rating, not trained"), "decimal", 2),
                ),
                tuple(
                    (
                        str(r.get("year")),
                        num(i, "size_treated", kind="count"),
                        num(i, "mean_treated", digits=2),
                        num(i, "size_control", kind="count"),
                        num(i, "mean_control", digits=2),
                    )
                    for i, r in rows
                ),
                res.path(*res.table_path("l3_behaviour", "per_year")),
                note=_(
                    "Unadjusted means: the trained were chosen, so the difference between "
                    "these columns is not the effect; the estimate above adjusts for it."
                ),
                sheet=_("Behaviour L3"),
            )
        )
    return Section("4.4", _("Behaviour at work (L3)"), tuple(blocks), id="s-4-4")


def evaluation_overview(res: Results) -> tuple[list[Block], list[Section]]:
    """The opening of section 4 and its first subsections (L1, L2, L3)."""
    intro: list[Block] = [
        Paragraph(
            sentence(
                _(
                    "%(ref)s lists every effect the evaluation estimated, with its interval, its "
                    "corrected p-value and the conclusion it supports; the subsections explain "
                    "each one."
                ),
                ref=Ref("tab-effects"),
            )
        ),
        summary_table(res),
    ]
    summary = Section("4.1", _("Summary of effects"), tuple(intro), id="s-4-1")
    lead: list[Block] = [
        Paragraph(
            (
                _(
                    "This section follows Kirkpatrick's four levels — reaction, learning, "
                    "behaviour, results — and Phillips' return on investment."
                ),
            )
        )
    ]
    return lead, [summary, _reaction(res), _learning(res), _behaviour(res)]
