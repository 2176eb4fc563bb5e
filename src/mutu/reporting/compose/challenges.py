"""Section 5 (Tantangan yang Dihadapi): the problems the data show, each with its number."""

from __future__ import annotations

from django.utils.translation import gettext as _

from mutu.reporting.compose.estimands import alpha, claim_for, estimand_info
from mutu.reporting.compose.planning import planning_challenges
from mutu.reporting.compose.source import Results, sentence
from mutu.reporting.compose.summary import estimand_keys
from mutu.reporting.model import Block, Bullets, Inline, Paragraph, Section


def _coverage_items(res: Results) -> list[tuple[Inline, ...]]:
    items: list[tuple[Inline, ...]] = []
    jp = res.regency("jp")
    share = res.value(*jp, "share_pns_compliant")
    if share is not None and share < 1:
        items.append(
            sentence(
                _(
                    "Development hours: only %(share)s of PNS reached the yearly JP floor in "
                    "%(year)s."
                ),
                share=res.num(*jp, "share_pns_compliant", kind="percent", digits=1),
                year=str(res.year),
            )
        )
    costs = ("sections", "l5_roi")
    planned, spent = res.value(*costs, "planned"), res.value(*costs, "spent")
    if planned is not None and spent is not None and spent < planned:
        items.append(
            sentence(
                _(
                    "Budget: of %(planned)s planned, %(spent)s was spent; activities that were "
                    "not held or not filled leave money and development hours unused."
                ),
                planned=res.num(*costs, "planned", kind="rupiah", compact=True),
                spent=res.num(*costs, "spent", kind="rupiah", compact=True),
            )
        )
    part = ("sections", "participation")
    near, far = (
        res.value(*part, "attendance_nearest_band"),
        res.value(*part, "attendance_farthest_band"),
    )
    if near is not None and far is not None and far < near:
        items.append(
            sentence(
                _(
                    "Distance: %(near)s of nominees working nearest to the capital attended, "
                    "against %(far)s of those farthest away."
                ),
                near=res.num(*part, "attendance_nearest_band", kind="percent", digits=0),
                far=res.num(*part, "attendance_farthest_band", kind="percent", digits=0),
            )
        )
    if res.value(*part, "completion_rate") is not None:
        items.append(
            sentence(
                _("Completion: only %(rate)s of all nominations ended in a completed activity."),
                rate=res.num(*part, "completion_rate", kind="percent", digits=0),
            )
        )
    return items


def _evidence_items(res: Results) -> list[tuple[Inline, ...]]:
    items: list[tuple[Inline, ...]] = []
    pretrend = res.value("sections", "l4_results", "pretrend_p")
    if pretrend is not None and pretrend < alpha(res):
        items.append(
            (
                _(
                    "Evidence: units that adopted the program were already changing differently "
                    "before adoption, so the IKM effect is uncertain."
                ),
            )
        )
    unclear = [
        estimand_info(k, res).label
        for k in estimand_keys(res)
        if claim_for(res, k).kind in ("no_evidence", "too_few", "no_data")
    ]
    if unclear:
        items.append(
            sentence(
                _(
                    "Evidence: for %(list)s the data do not show a change; the program cannot "
                    "claim success there on this evidence."
                ),
                list="; ".join(unclear),
            )
        )
    dropped = res.value("sections", "l3_behaviour", "n_dropped")
    if dropped:
        items.append(
            sentence(
                _(
                    "Data: %(n)s work-plan ratings could not be used (a rating or a covariate "
                    "was missing)."
                ),
                n=res.num("sections", "l3_behaviour", "n_dropped", kind="count"),
            )
        )
    unconfirmed = res.get("indices", "unconfirmed")
    if isinstance(unconfirmed, list) and unconfirmed:
        items.append(
            sentence(
                _(
                    "Rules: %(count)s regulation values used by the indices are not yet "
                    "confirmed against the legal text (see annex C)."
                ),
                count=str(len(unconfirmed)),
            )
        )
    if res.suppressed:
        items.append(
            sentence(
                _(
                    "Small groups: %(count)s groups had fewer than %(minimum)s people and are "
                    "withheld, so their results are not shown."
                ),
                count=str(len(res.suppressed)),
                minimum=str(res.privacy_minimum),
            )
        )
    return items


def challenge_items(res: Results) -> list[tuple[Inline, ...]]:
    """One item per challenge the results show, most structural first."""
    return _coverage_items(res) + _evidence_items(res)


def challenges(res: Results) -> Section:
    """5. Tantangan yang Dihadapi."""
    items = challenge_items(res)
    blocks: list[Block] = [
        Paragraph(
            (
                _(
                    "The challenges below come from the data, not from impressions; each "
                    "names the figure it rests on."
                ),
            )
        )
    ]
    if items:
        blocks.append(Bullets(tuple(items)))
    else:
        blocks.append(Paragraph((_("No challenge stands out in the data."),)))
    blocks.extend(planning_challenges(res))
    return Section("5", _("Challenges Encountered"), tuple(blocks), id="s-5")
