"""The summary of effects: every estimand, its interval and what it supports."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from mutu.reporting.compose.estimands import HEADLINE, claim_for, estimand_info
from mutu.reporting.compose.source import Results
from mutu.reporting.formatting import Claim
from mutu.reporting.model import Cell, Column, Table


def claim_label(claim: Claim) -> str:
    """The claim in a few words, for a table cell."""
    return {
        "increase": _("significant increase"),
        "decrease": _("significant decrease"),
        "no_evidence": _("no evidence of a change"),
        "too_few": _("too few data"),
        "no_data": _("cannot be answered"),
    }[claim.kind]


def estimand_keys(res: Results) -> list[str]:
    """The headline estimands first (in the evaluation's order), then any others."""
    present = [k for k, v in (res.get("estimands") or {}).items() if isinstance(v, dict)]
    return [k for k in HEADLINE if k in present] + [k for k in present if k not in HEADLINE]


def summary_table(res: Results) -> Table:
    """Every estimand with its interval, corrected p-value and what may be claimed."""
    rows: list[tuple[Cell, ...]] = []
    for key in estimand_keys(res):
        info = estimand_info(key, res)
        base = ("estimands", key)
        rows.append(
            (
                info.label,
                info.short_unit,
                res.num(*base, "estimate", kind=info.kind, digits=info.digits, signed=True),
                res.num(*base, "ci_low", kind=info.kind, digits=info.digits),
                res.num(*base, "ci_high", kind=info.kind, digits=info.digits),
                res.num(*base, "p_adjusted", kind="p_value", digits=3),
                claim_label(claim_for(res, key)),
            )
        )
    return Table(
        "tab-effects",
        _("The program's effects: estimates, intervals and what they support"),
        (
            Column("estimand", _("Effect")),
            Column("unit", pgettext("of measurement", "Unit")),
            Column("estimate", _("Estimate"), "decimal", 2),
            Column("ci_low", _("CI lower"), "decimal", 2),
            Column("ci_high", _("CI upper"), "decimal", 2),
            Column("p_adjusted", _("Corrected p"), "p_value", 3),
            Column("claim", _("Conclusion")),
        ),
        tuple(rows),
        res.path("estimands"),
        definitions=(
            (_("Estimate"), _("The estimated effect of the program, in the unit of its outcome.")),
            (_("CI lower"), _("Lower end of the confidence interval.")),
            (_("CI upper"), _("Upper end of the confidence interval.")),
            (_("Corrected p"), _("p-value after the correction for multiple testing.")),
            (_("Conclusion"), _("What the estimate supports under the report's claim rules.")),
        ),
        sheet=_("Effects"),
    )
