"""The activity page's results: L1 reaction and L2 pre/post of one activity.

Both come from the stored evaluation's ``per_activity`` tables; a group
smaller than the privacy minimum is withheld, value and chart alike.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from mutu.dashboard.blocks import Chart, Kpi, Panel, Table, columns, fmt, result_cell, text
from mutu.reporting.compose.source import Key, Results
from mutu.reporting.formatting import is_suppressed, suppressed_text
from mutu.reporting.model import ChartSpec, Series


def _row(res: Results, section: str, code: str) -> tuple[Key, ...] | None:
    for i, row in res.table(section, "per_activity"):
        if row.get("activity") == code:
            return ("sections", section, "tables", "per_activity", i)
    return None


def _missing(title: str, panel_id: str) -> Panel:
    return Panel(
        panel_id,
        title,
        note=_("The stored evaluation has no results for this activity."),
    )


def _withheld(title: str, panel_id: str, minimum: int) -> Panel:
    return Panel(
        panel_id,
        title,
        note=_("Withheld: fewer than %(minimum)s people answered.") % {"minimum": minimum},
    )


def reaction_panel(res: Results, code: str) -> Panel:
    title = _("Reaction (L1)")
    base = _row(res, "l1_reaction", code)
    if base is None:
        return _missing(title, "l1")
    minimum = res.privacy_minimum
    if is_suppressed(res.value(*base, "n_respondents"), minimum):
        return _withheld(title, "l1", minimum)
    section = ("sections", "l1_reaction")
    chart = Chart(
        "ch-l1",
        ChartSpec(
            "point_range",
            (code, _("All activities")),
            (
                Series(
                    _("Mean of 1–5"),
                    (res.num(*base, "scale_mean"), res.num(*section, "scale_mean")),
                    (res.num(*base, "ci_low"), res.num(*section, "scale_ci_low")),
                    (res.num(*base, "ci_high"), res.num(*section, "scale_ci_high")),
                ),
            ),
            x_label=_("Reaction (1–5)"),
            digits=2,
        ),
        _("Mean reaction of this activity and of all activities, with their intervals (95%)"),
        _("Point-and-interval chart of the mean reaction."),
        res.path(*base),
    )
    rows = (
        (text(_("Respondents")), result_cell(res, *base, "n_respondents", kind="count")),
        (text(_("Mean of 1–5")), result_cell(res, *base, "scale_mean", digits=2)),
        (text(_("95% CI, lower")), result_cell(res, *base, "ci_low", digits=2)),
        (text(_("95% CI, upper")), result_cell(res, *base, "ci_high", digits=2)),
        (
            text(_("Top box (4 or 5)")),
            result_cell(res, *base, "top_box_pct", kind="percent100", digits=0),
        ),
        (text(_("Lowest item")), text(str(res.get(*base, "lowest_item") or "–"))),
    )
    note = ""
    if res.get(*base, "too_few"):
        note = _("Few answers: read the mean as indicative only.")
    return Panel(
        "l1",
        title,
        (chart,),
        (Table(columns(_("Figure"), (_("Value"), True)), rows),),
        note=note,
    )


def learning_panel(res: Results, code: str) -> Panel:
    title = _("Learning (L2): pre-test and post-test")
    base = _row(res, "l2_learning", code)
    if base is None:
        return _missing(title, "l2")
    minimum = res.privacy_minimum
    if is_suppressed(res.value(*base, "n"), minimum):
        return _withheld(title, "l2", minimum)
    chart = Chart(
        "ch-l2",
        ChartSpec(
            "bar",
            (_("Pre-test"), _("Post-test")),
            (
                Series(
                    _("Mean score"),
                    (res.num(*base, "mean_pre", digits=1), res.num(*base, "mean_post", digits=1)),
                ),
            ),
            y_label=_("Score (0–100)"),
            digits=1,
        ),
        _("Mean pre-test and post-test score of the people with both"),
        _("Bar chart of the mean pre-test and post-test scores."),
        res.path(*base),
    )
    significant = res.get(*base, "significant_holm")
    verdict = (
        _("significant after the Holm correction across activities")
        if significant
        else _("not significant after the Holm correction across activities")
    )
    rows = (
        (text(_("People with both tests")), result_cell(res, *base, "n", kind="count")),
        (text(_("Mean pre-test")), result_cell(res, *base, "mean_pre", digits=1)),
        (text(_("Mean post-test")), result_cell(res, *base, "mean_post", digits=1)),
        (text(_("Mean change")), result_cell(res, *base, "mean_diff", digits=1, signed=True)),
        (text(_("95% CI, lower")), result_cell(res, *base, "ci_low", digits=1)),
        (text(_("95% CI, upper")), result_cell(res, *base, "ci_high", digits=1)),
        (
            text(_("Corrected p (Holm)")),
            result_cell(res, *base, "p_holm", kind="p_value", digits=3),
        ),
        (text(_("Effect size d_z")), result_cell(res, *base, "d_z", digits=2)),
    )
    note = verdict[:1].upper() + verdict[1:] + "."
    if res.get(*base, "too_few"):
        note += " " + _("Few pairs: read the change as indicative only.")
    return Panel(
        "l2",
        title,
        (chart,),
        (Table(columns(_("Figure"), (_("Value"), True)), rows),),
        note=note,
    )


def activity_kpis(res: Results | None, code: str) -> list[Kpi]:
    """Tiles of the activity's stored results (reaction mean, learning gain)."""
    if res is None:
        return []
    kpis: list[Kpi] = []
    minimum = res.privacy_minimum
    base = _row(res, "l1_reaction", code)
    if base is not None:
        if is_suppressed(res.value(*base, "n_respondents"), minimum):
            kpis.append(Kpi(_("Reaction (L1)"), suppressed_text(minimum), withheld=True))
        else:
            kpis.append(
                Kpi(
                    _("Reaction (L1)"),
                    fmt(res.value(*base, "scale_mean"), digits=2),
                    _("mean of 1–5"),
                    source=res.path(*base, "scale_mean"),
                )
            )
    base = _row(res, "l2_learning", code)
    if base is not None:
        if is_suppressed(res.value(*base, "n"), minimum):
            kpis.append(Kpi(_("Learning gain (L2)"), suppressed_text(minimum), withheld=True))
        else:
            kpis.append(
                Kpi(
                    _("Learning gain (L2)"),
                    fmt(res.value(*base, "mean_diff"), digits=1, signed=True),
                    _("points (0–100)"),
                    source=res.path(*base, "mean_diff"),
                )
            )
    return kpis
