"""Section 6 (Kesimpulan dan Rekomendasi): what the evidence supports, and what to do next.

Recommendations follow from the claims by fixed rules, so a recommendation to
scale something up appears only where its effect is significant, and an
unproven part gets "measure before you scale", never praise.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from mutu.reporting.compose.estimands import alpha, claim_for, estimand_info, interval
from mutu.reporting.compose.planning import planning_recommendations
from mutu.reporting.compose.source import Results, sentence
from mutu.reporting.compose.summary import estimand_keys
from mutu.reporting.formatting import Claim
from mutu.reporting.model import Block, Bullets, Callout, Inline, Paragraph, Section


def _finding(res: Results, key: str, claim: Claim) -> tuple[Inline, ...]:
    info = estimand_info(key, res)
    base = ("estimands", key)
    if claim.kind == "no_data":
        return sentence(_("%(label)s: %(claim)s"), label=info.label, claim=claim.text)
    return sentence(
        _("%(label)s: %(estimate)s (%(interval)s). %(claim)s"),
        label=info.label,
        estimate=res.num(*base, "estimate", kind=info.kind, digits=info.digits, signed=True),
        interval=interval(res, *base, kind=info.kind, digits=info.digits),
        claim=claim.text,
    )


def _recommendations(res: Results, claims: dict[str, Claim]) -> list[tuple[Inline, ...]]:
    def proven(key: str) -> bool:
        claim = claims.get(key)
        if claim is None or not claim.significant:
            return False
        better = estimand_info(key, res).better
        return (claim.kind == "increase") == (better == "higher")

    items: list[tuple[Inline, ...]] = []
    pretrend = res.value("sections", "l4_results", "pretrend_p")
    doubtful = pretrend is not None and pretrend < alpha(res)
    if proven("ikm_att") and doubtful:
        items.append(
            (
                _(
                    "Before extending the public-service training to more units, find out why "
                    "the adopting units were already changing before they adopted it; keep "
                    "measuring IKM every year."
                ),
            )
        )
    elif proven("ikm_att"):
        items.append(
            (
                _(
                    "Extend the public-service training to the service units that have "
                    "not adopted it yet, and keep measuring IKM every year."
                ),
            )
        )
    if proven("learning_gain"):
        items.append(
            (
                _(
                    "Keep the pre- and post-tests and extend them to every classroom "
                    "training, so that learning stays measured."
                ),
            )
        )
    if proven("workplan_quality_att"):
        items.append(
            (
                _(
                    "Continue the work-plan training and ask supervisors to keep rating "
                    "work plans before and after it."
                ),
            )
        )
    if proven("incentive_attendance_effect"):
        items.append(
            (
                _(
                    "Offer incentives first to those least likely to come — staff far "
                    "from the capital and in heavy-workload units."
                ),
            )
        )
    if proven("magang_months_to_proficiency_diff"):
        items.append(
            (
                _(
                    "Keep the internship for young ASN; it shortens the time to reach "
                    "the position's standard."
                ),
            )
        )
    for key, claim in claims.items():
        if not claim.significant:
            items.append(
                sentence(
                    _(
                        "%(label)s: do not scale up on the present evidence; improve the "
                        "measurement (more participants, a comparison group) and evaluate again."
                    ),
                    label=estimand_info(key, res).label,
                )
            )
    share = res.value(*res.regency("jp", "share_pns_compliant"))
    if share is not None and share < 1:
        items.append(
            (
                _(
                    "Close JP gaps at low cost: plan e-learning and in-unit coaching for "
                    "the PNS furthest below the floor, before more classroom training."
                ),
            )
        )
    if not res.get("sections", "l5_roi", "roi_computed"):
        items.append(
            (
                _(
                    "Agree on a Rupiah value for the main outcomes, so that the return "
                    "on investment can be computed next year."
                ),
            )
        )
    items.extend(planning_recommendations(res))
    return items


def conclusion(res: Results) -> Section:
    """6. Kesimpulan dan Rekomendasi."""
    claims = {key: claim_for(res, key) for key in estimand_keys(res)}
    findings = [_finding(res, key, claim) for key, claim in claims.items()]
    improved = [k for k, c in claims.items() if c.significant]
    blocks: list[Block] = []
    if claims and not improved:
        blocks.append(
            Callout(
                "caution",
                _("No demonstrated effect"),
                (
                    _(
                        "None of the program's effects is supported by the data after "
                        "correction for multiple testing. This does not show that the program "
                        "has no effect; it shows that an effect cannot be claimed."
                    ),
                ),
                res.path("estimands"),
            )
        )
    blocks.append(Paragraph((_("What the evidence supports:"),)))
    blocks.append(
        Bullets(tuple(findings)) if findings else Paragraph((_("No effects were estimated."),))
    )
    conclusions = Section("6.1", _("Conclusions"), tuple(blocks), id="s-6-1")
    recommendations = Section(
        "6.2",
        _("Recommendations"),
        (Bullets(tuple(_recommendations(res, claims)), ordered=True),),
        id="s-6-2",
    )
    return Section(
        "6", _("Conclusions and Recommendations"), (), (conclusions, recommendations), id="s-6"
    )
