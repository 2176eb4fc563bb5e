"""Sentences about one estimated effect: the estimate, its interval, the claim, the assumption.

Every sentence about an effect is made here, so the claim rules of
:mod:`mutu.reporting.formatting` hold everywhere: the estimate always comes
with its interval, "significant" only after the multiple-testing correction,
effect sizes in Cohen's words, and an observational estimate with the
assumption it rests on.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from django.utils.translation import gettext as _

from mutu.reporting.compose.source import Results, join, sentence
from mutu.reporting.formatting import (
    Claim,
    claim_words,
    effect_size_words,
    no_evidence_text,
    too_few_text,
)
from mutu.reporting.model import Block, Callout, Inline, Number, NumberKind, Paragraph

#: Standardised effect sizes the results may carry in an estimand's ``details``.
STANDARDISED = ("d_z", "d", "hedges_g", "smd")

HEADLINE = (
    "learning_gain",
    "workplan_quality_att",
    "ikm_att",
    "incentive_attendance_effect",
    "magang_months_to_proficiency_diff",
)


@dataclass(frozen=True)
class EstimandInfo:
    """How the report names and prints one estimand."""

    key: str
    label: str
    question: str
    unit: str
    short_unit: str
    kind: NumberKind
    digits: int
    better: Literal["higher", "lower"]


def estimand_info(key: str, res: Results) -> EstimandInfo:
    """Names and units of an estimand in the active language (unknown keys: from the JSON)."""
    known: dict[str, tuple[str, str, str, str, NumberKind, int, Literal["higher", "lower"]]] = {
        "learning_gain": (
            _("Learning gain (L2)"),
            _("did participants learn?"),
            _("points on the 0–100 test"),
            _("points (0–100)"),
            "decimal",
            1,
            "higher",
        ),
        "workplan_quality_att": (
            _("Work-plan quality after training (L3)"),
            _("do trained staff write better work plans?"),
            _("points on the 1–5 supervisor rating"),
            _("points (1–5)"),
            "decimal",
            2,
            "higher",
        ),
        "ikm_att": (
            _("Public satisfaction (IKM) after adoption (L4)"),
            _("do citizens rate the service of adopting units higher?"),
            _("IKM points"),
            _("IKM points"),
            "decimal",
            2,
            "higher",
        ),
        "incentive_attendance_effect": (
            _("Effect of incentive offers on attendance"),
            _("do incentive offers make nominees come?"),
            "",
            _("percentage points"),
            "percent_points",
            1,
            "higher",
        ),
        "magang_months_to_proficiency_diff": (
            _("Internship (magang) and time to proficiency"),
            _("do interns reach their position's standard sooner?"),
            _("months (difference of medians)"),
            _("months"),
            "decimal",
            1,
            "lower",
        ),
    }
    if key in known:
        label, question, unit, short, kind, digits, better = known[key]
        return EstimandInfo(key, label, question, unit, short, kind, digits, better)
    raw_label = res.get("estimands", key, "label")
    raw_unit = res.get("estimands", key, "unit")
    return EstimandInfo(
        key,
        str(raw_label or key),
        _("what is the program's effect?"),
        str(raw_unit or ""),
        str(raw_unit or ""),
        "decimal",
        2,
        "higher",
    )


def alpha(res: Results) -> float:
    """The family-wise / false-discovery level the results were corrected at (default 0.05)."""
    value = res.value("multiple_testing", "level")
    return value if value is not None else 0.05


def claim_for(res: Results, key: str) -> Claim:
    """The claim the estimate of ``key`` supports.

    On top of :func:`~mutu.reporting.formatting.claim_words`, the evaluation's
    own verdict is respected: an estimand whose ``status`` is not ``"ok"``
    (e.g. ``"too_few"``) or whose ``significant`` flag is false is never called
    significant, whatever its p-value.
    """
    base = ("estimands", key)
    status = res.get(*base, "status")
    if status == "no_data":
        return claim_words(None, None, None, None)
    claim = claim_words(
        res.value(*base, "estimate"),
        res.value(*base, "ci_low"),
        res.value(*base, "ci_high"),
        res.value(*base, "p_adjusted"),
        alpha(res),
    )
    if status not in (None, "ok") and claim.kind != "no_data":
        return Claim("too_few", False, too_few_text())
    if claim.significant and res.get(*base, "significant") is False:
        return Claim("no_evidence", False, no_evidence_text())
    return claim


def level(res: Results, *keys: str | int) -> Number | str:
    """The confidence level as printed ("95%"): the record's, else the results' own."""
    for path in ((*keys, "confidence"), ("confidence",)):
        if res.value(*path) is not None:
            return res.num(*path, kind="percent", digits=0)
    return "95%"


def interval(
    res: Results,
    *keys: str | int,
    kind: NumberKind,
    digits: int,
    low: str = "ci_low",
    high: str = "ci_high",
) -> tuple[Inline, ...]:
    """``95% CI 10.97 to 13.37`` for the record at ``keys``."""
    return sentence(
        _("%(level)s CI %(low)s to %(high)s"),
        level=level(res, *keys),
        low=res.num(*keys, low, kind=kind, digits=digits, unit=False),
        high=res.num(*keys, high, kind=kind, digits=digits, unit=False),
    )


def assumption(res: Results, key: str) -> tuple[Inline, ...]:
    """The assumption the estimate rests on, by the design that produced it."""
    texts = {
        "learning_gain": _(
            "This is a before-and-after comparison of the same participants without a "
            "comparison group: it assumes they would not have improved without the training "
            "(for example from sitting the same test twice)."
        ),
        "workplan_quality_att": _(
            "This estimate is observational: it assumes that, once the measured "
            "characteristics (the earlier rating, prior SKP, age, rank, distance, unit and "
            "year) are taken into account, trained and untrained staff would have been rated "
            "alike without the training (no unmeasured confounding)."
        ),
        "ikm_att": _(
            "This estimate is observational (difference-in-differences): it assumes that "
            "adopting and non-adopting units would have followed parallel IKM trends "
            "without the program."
        ),
        "incentive_attendance_effect": _(
            "This estimate is observational: it assumes that offers were as good as random "
            "once distance, workload, age, part-time status and the activity are taken into "
            "account."
        ),
        "magang_months_to_proficiency_diff": _(
            "This estimate is observational: it assumes that interns and other young ASN "
            "would have progressed alike without the internship, apart from the measured "
            "differences; those not yet proficient are counted as censored (Kaplan–Meier)."
        ),
    }
    if key in texts:
        return (texts[key],)
    return (
        _(
            "This estimate is observational: it assumes that the compared groups differ only "
            "in the program and in what was measured."
        ),
    )


def effect_sentence(res: Results, key: str) -> tuple[Inline, ...]:
    """ "Estimated effect: +12.17 points (95% CI 10.97 to 13.37; n = 402).\""""
    info = estimand_info(key, res)
    base = ("estimands", key)
    estimate = res.num(*base, "estimate", kind=info.kind, digits=info.digits, signed=True)
    parts = sentence(
        _("Estimated effect: %(estimate)s %(unit)s (%(interval)s)."),
        estimate=estimate,
        unit=info.unit,
        interval=interval(res, *base, kind=info.kind, digits=info.digits),
    )
    if not info.unit:
        parts = sentence(
            _("Estimated effect: %(estimate)s (%(interval)s)."),
            estimate=estimate,
            interval=interval(res, *base, kind=info.kind, digits=info.digits),
        )
    if res.value(*base, "n") is not None:
        parts = join(parts, sentence(_("Based on n = %(n)s."), n=res.num(*base, "n", kind="count")))
    return parts


def estimand_blocks(res: Results, key: str) -> list[Block]:
    """The paragraph (or "cannot answer" callout) on one estimand."""
    info = estimand_info(key, res)
    base = ("estimands", key)
    source = res.path(*base)
    if res.value(*base, "estimate") is None:
        return [
            Callout(
                "no_data",
                info.label,
                sentence(
                    _("The data cannot answer the question %(question)s"),
                    question=f"“{info.question}”",
                ),
                source,
            )
        ]
    claim = claim_for(res, key)
    claim_parts: tuple[Inline, ...] = (claim.text,)
    if res.value(*base, "p_adjusted") is not None:
        claim_parts = sentence(
            _("%(claim)s (Corrected p-value: %(p)s.)"),
            claim=claim.text,
            p=res.num(*base, "p_adjusted", kind="p_value", digits=3, unit=False),
        )
    pieces = [effect_sentence(res, key), claim_parts]
    if claim.significant:
        good = (claim.kind == "increase") == (info.better == "higher")
        pieces.append((_("This is an improvement.") if good else _("This is a deterioration."),))
    for name in STANDARDISED:
        d = res.value(*base, "details", name)
        if d is not None:
            pieces.append(
                sentence(
                    _("In standardised terms the effect is %(size)s (%(name)s = %(d)s)."),
                    size=effect_size_words(d),
                    name=name,
                    d=res.num(*base, "details", name, digits=2),
                )
            )
            break
    if res.value(*base, "naive") is not None:
        pieces.append(
            sentence(
                _("For comparison, the unadjusted difference is %(naive)s."),
                naive=res.num(*base, "naive", kind=info.kind, digits=info.digits, signed=True),
            )
        )
    pieces.append(assumption(res, key))
    return [Paragraph(join(*pieces), source)]
