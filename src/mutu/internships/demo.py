"""The demo world's internships made followable: agreements, the mentor's rubrics, ``demo-mentor``.

The synthetic world (``mutu.synthetic.magang``) loads placements and their
weekly logbooks but no agreement link and no rubric. :func:`demo_magang_prepare`,
run by ``mutu demo`` with the other demo accounts, adds what the pages need to
follow the cohort from placement to certificate:

- each placement at a partner is linked to the partner's agreement that holds
  its period (one with a quota first), so the agreement's quota use shows;
- the mentor's rubrics: the mid-point one (dated at the placement's midpoint)
  once that day has passed, and the end one (dated at the placement's last
  day) for every placement whose intern received the certificate. Scores are
  whole numbers on the ``magang`` rulebook's scale, fixed by the intern's NIP
  (no random stream: the world's own numbers are untouched); an end rubric of
  a certified intern always reaches ``rubric.pass_mean``, a drop-out's
  mid-point rubric stays below it;
- the account ``demo-mentor``: a lecturer from outside government with no
  role, linked to every placement of the mentor who has the most placements
  running today (else the most placements), so they see only their interns.

Everything is idempotent: a placement that already has an agreement or a
rubric keeps it, an existing ``demo-mentor`` keeps its password.
"""

from __future__ import annotations

import zlib
from collections import Counter
from datetime import date

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from mutu.domain import magang
from mutu.programs.models import (
    AssessmentStage,
    Certificate,
    Internship,
    InternshipAssessment,
    PartnerAgreement,
)
from mutu.rulebooks import load

__all__ = ["DEMO_MENTOR", "DemoMentor", "demo_magang_prepare"]

#: The demo mentor's user name (its password is the other demo accounts').
DEMO_MENTOR = "demo-mentor"


class DemoMentor:
    """What :func:`demo_magang_prepare` did: the mentor's name and how many placements."""

    def __init__(self, username: str, mentor_name: str, placements: int, rubrics: int) -> None:
        self.username = username
        self.mentor_name = mentor_name
        self.placements = placements
        self.rubrics = rubrics


def _scores(
    nip: str, stage: str, passed: bool, codes: list[str], low: int, high: int
) -> dict[str, int]:
    """Whole scores per criterion, fixed by the NIP and stage; a certified intern's are all ≥ 3."""
    seed = zlib.crc32(f"{nip}:{stage}".encode())
    out: dict[str, int] = {}
    for k, code in enumerate(codes):
        bump = (seed >> (3 * k)) % 3  # 0, 1 or 2
        # A certified intern: 3 or 4 on every criterion; a drop-out: 2 or 3.
        value = 3 + (bump == 2) if passed else 2 + (bump == 2)
        out[code] = max(low, min(high, value))
    return out


def _link_agreements(items: list[Internship]) -> None:
    agreements: dict[int, list[PartnerAgreement]] = {}
    for a in PartnerAgreement.objects.order_by("-start"):
        agreements.setdefault(a.partner_id, []).append(a)
    changed = []
    for i in items:
        if i.agreement_id is not None or i.host_partner_id is None:
            continue
        covering = [
            a
            for a in agreements.get(i.host_partner_id, [])
            if a.start <= i.start and (a.end is None or i.end <= a.end)
        ]
        covering.sort(key=lambda a: a.quota is None)
        if covering:
            i.agreement = covering[0]
            changed.append(i)
    Internship.objects.bulk_update(changed, ["agreement"], batch_size=500)


@transaction.atomic
def demo_magang_prepare(password: str, today: date | None = None) -> DemoMentor | None:
    """Link agreements, add the rubrics and the ``demo-mentor`` account (see the module).

    ``None`` when the world has no internship with a named mentor.
    """
    today = today or timezone.localdate()
    items = list(Internship.objects.select_related("employee").order_by("start", "pk"))
    named = [i for i in items if i.mentor_name]
    if not named:
        return None
    _link_agreements(items)
    running = Counter(i.mentor_name for i in named if i.start <= today <= i.end)
    total = Counter(i.mentor_name for i in named)
    mentor_name = max(total, key=lambda m: (running[m], total[m], m))
    users = get_user_model()
    user, created = users.objects.get_or_create(username=DEMO_MENTOR)
    if created:
        user.set_password(password)
        user.save()
    mine = [i for i in named if i.mentor_name == mentor_name]
    for i in mine:
        i.mentor_user = user
    Internship.objects.bulk_update(mine, ["mentor_user"], batch_size=500)
    certified = set(
        Certificate.objects.filter(enrollment__activity__internships__isnull=False).values_list(
            "enrollment__activity_id", "enrollment__employee_id"
        )
    )
    has = set(InternshipAssessment.objects.values_list("internship_id", "stage"))
    book_cache: dict[date, tuple[list[str], int, int, str]] = {}
    made = []
    for i in items:
        book = load("magang", i.start)
        if book.effective_from not in book_cache:
            book_cache[book.effective_from] = (
                [str(c["code"]) for c in book.records("rubric.criteria")],
                book.integer("rubric.min_score"),
                book.integer("rubric.max_score"),
                book.label,
            )
        codes, low, high, label = book_cache[book.effective_from]
        passed = (i.activity_id, i.employee_id) in certified
        by = user.pk if i.mentor_user_id == user.pk else None
        middle = magang.midpoint(i.start, i.end)
        if middle <= today and (i.pk, AssessmentStage.MIDPOINT.value) not in has:
            made.append(
                InternshipAssessment(
                    internship=i,
                    stage=AssessmentStage.MIDPOINT,
                    scores=_scores(i.employee.nip, "mid", passed, codes, low, high),
                    comment="Perkembangan sesuai rencana." if passed else "Perlu pendampingan.",
                    rulebook=label,
                    assessed_on=middle,
                    assessed_by_id=by,
                )
            )
        if passed and (i.pk, AssessmentStage.END.value) not in has:
            made.append(
                InternshipAssessment(
                    internship=i,
                    stage=AssessmentStage.END,
                    scores=_scores(i.employee.nip, "end", True, codes, low, high),
                    comment="Tujuan pembelajaran tercapai.",
                    rulebook=label,
                    assessed_on=i.end,
                    assessed_by_id=by,
                )
            )
    InternshipAssessment.objects.bulk_create(made, batch_size=500)
    return DemoMentor(user.get_username(), mentor_name, len(mine), len(made))
