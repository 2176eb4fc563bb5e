"""The regency dashboard of one year, from the stored evaluation (no database reads).

Tiles and panels for JP against the yearly floor, the IP ASN, the IKM per
unit, the headline effects (L1–L5) with their intervals and the Holm verdict,
the participation funnel and the budget. The chart specs follow the report's
figures (same kinds, labels and colours), for the chosen year.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from mutu.dashboard.blocks import (
    Kpi,
    Panel,
    fmt,
    result_kpi,
)
from mutu.dashboard.indices import (
    UnitUrl,
    ikm_panel,
    ip_panel,
    jp_floor,
    jp_panel,
    units_panel,
)
from mutu.dashboard.program import budget_panel, effects_panel, funnel_panel
from mutu.dashboard.tree import UnitTree
from mutu.reporting.compose.source import Results
from mutu.reporting.formatting import active_lang, format_decimal


@dataclass(frozen=True)
class RegencyPage:
    kpis: tuple[Kpi, ...]
    panels: tuple[Panel, ...]
    evaluated_year: int | None


# --- tiles ----------------------------------------------------------------------------


def regency_kpis(res: Results, year: int) -> list[Kpi]:
    y = str(year)
    jp = ("indices", "regency", y, "jp")
    ip = ("indices", "regency", y, "ip_asn")
    skm = ("indices", "regency", y, "skm")
    floor = jp_floor(res, year)
    kpis = [
        result_kpi(
            res,
            _("PNS meeting the %(floor)s JP floor") % {"floor": format_decimal(floor, 0)},
            *jp,
            "share_pns_compliant",
            kind="percent",
            digits=1,
            sub=_("%(k)s of %(n)s PNS")
            % {
                "k": fmt(res.value(*jp, "pns_compliant"), "count"),
                "n": fmt(res.value(*jp, "n_pns"), "count"),
            },
        ),
        result_kpi(res, _("Mean JP per PNS"), *jp, "mean_jp_pns", kind="jp", digits=1),
    ]
    band = res.get(*ip, "band_label_en" if active_lang() == "en" else "band_label")
    kpis.append(
        result_kpi(
            res,
            _("IP ASN, mean"),
            *ip,
            "mean_total",
            digits=1,
            sub=str(band) if band else "",
        )
    )
    label = res.get(*skm, "label_en" if active_lang() == "en" else "label_id")
    grade = res.get(*skm, "grade")
    kpis.append(
        result_kpi(
            res,
            _("Public satisfaction (IKM)"),
            *skm,
            "ikm",
            digits=2,
            sub=f"{grade} · {label}" if grade and label else "",
            group=res.value(*skm, "n"),
        )
    )
    l1 = ("sections", "l1_reaction")
    if res.get(*l1, "year") == year and res.value(*l1, "scale_mean") is not None:
        kpis.append(
            result_kpi(
                res,
                _("Reaction (L1), mean of 1–5"),
                *l1,
                "scale_mean",
                digits=2,
                sub=_("%(n)s respondents") % {"n": fmt(res.value(*l1, "n_respondents"), "count")},
                group=res.value(*l1, "n_respondents"),
            )
        )
    funnel = res.table("participation", "funnel_by_year")
    row = next((i for i, r in funnel if r.get("year") == year), None)
    if row is not None:
        base = ("sections", "participation", "tables", "funnel_by_year", row)
        kpis.append(
            result_kpi(
                res,
                _("Nominations attended"),
                *base,
                "attended_rate",
                kind="percent",
                digits=0,
                sub=_("%(k)s of %(n)s")
                % {
                    "k": fmt(res.value(*base, "attended"), "count"),
                    "n": fmt(res.value(*base, "nominated"), "count"),
                },
            )
        )
    costs = res.table("l5_roi", "per_year")
    row = next((i for i, r in costs if r.get("year") == year), None)
    if row is not None:
        base = ("sections", "l5_roi", "tables", "per_year", row)
        planned = res.value(*base, "planned")
        spent = res.value(*base, "spent")
        share = spent / planned if spent is not None and planned else None
        kpis.append(
            result_kpi(
                res,
                _("Budget spent"),
                *base,
                "spent",
                kind="rupiah",
                compact=True,
                sub=_("%(share)s of %(planned)s planned")
                % {
                    "share": fmt(share, "percent", 0),
                    "planned": fmt(planned, "rupiah", compact=True),
                },
            )
        )
        kpis.append(
            result_kpi(
                res,
                _("Cost per participant-JP (L5)"),
                *base,
                "cost_per_jp",
                kind="rupiah",
                digits=0,
            )
        )
    return kpis


def regency_page(res: Results, year: int, tree: UnitTree, unit_url: UnitUrl) -> RegencyPage:
    """Tiles and panels of the regency dashboard for one year."""
    panels = (
        jp_panel(res, year),
        ip_panel(res, year),
        ikm_panel(res, year, tree, unit_url),
        effects_panel(res, year),
        funnel_panel(res, year),
        budget_panel(res, year),
        units_panel(res, year, tree, unit_url),
    )
    return RegencyPage(tuple(regency_kpis(res, year)), panels, res.year)
