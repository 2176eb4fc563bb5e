"""Template context for every page: the user's scope and the navigation it opens."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from mutu.accounts.models import Role

#: (url name, label, roles that see it; empty = every signed-in user)
NAVIGATION: tuple[tuple[str, Any, tuple[str, ...]], ...] = (
    ("dashboard:home", _("Dashboard"), ()),
    (
        "programs:activities",
        _("Activities"),
        (Role.ADMIN, Role.ANALYST, Role.UNIT_OPERATOR, Role.UNIT_HEAD, Role.TRAINER),
    ),
    (
        "program_pages:list",
        _("Programs"),
        (Role.ADMIN, Role.ANALYST, Role.UNIT_OPERATOR, Role.UNIT_HEAD),
    ),
    ("web:me", _("My record"), (Role.PARTICIPANT, Role.SUPERVISOR)),
    ("programs:mine", _("My activities"), (Role.PARTICIPANT,)),
    ("instruments:home", _("Forms"), (Role.ADMIN, Role.UNIT_OPERATOR, Role.TRAINER)),
    ("instruments:my_forms", _("My forms"), (Role.PARTICIPANT, Role.SUPERVISOR)),
    ("reports:home", _("Reports"), (Role.ADMIN, Role.ANALYST)),
    ("scenarios:list", _("Planning"), (Role.ADMIN, Role.ANALYST)),
    ("imports:upload", _("Import"), (Role.ADMIN, Role.UNIT_OPERATOR)),
    ("internships:home", _("Internships/Magang"), ()),
    ("accounts:audit", _("Audit trail"), (Role.ADMIN,)),
)


def navigation(request: HttpRequest) -> dict[str, Any]:
    """``nav``: the menu entries the signed-in user may open (routes not yet built are left out)."""
    if not request.user.is_authenticated:
        return {"nav": []}
    scope = request.scope  # type: ignore[attr-defined]
    entries = []
    for name, label, roles in NAVIGATION:
        if roles and not scope.has(*roles):
            continue
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        entries.append({"url": url, "label": label, "active": request.path.startswith(url)})
    return {"nav": entries, "scope": scope}
