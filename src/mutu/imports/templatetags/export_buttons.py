"""``{% export_buttons "employees" unit=node.code %}``: Excel and CSV download links on a list page.

Load with ``{% load export_buttons %}``.  Several kinds may be given at once,
comma-separated (``"enrollments,attendance"``).  The buttons appear only for
kinds the signed-in user may download (:func:`mutu.imports.scoping.may_export`);
the download itself (``/ekspor/<kind>/``) checks again and keeps only the
user's rows.  Filters the kind does not take are left out of the link.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import template
from django.urls import reverse
from django.utils import translation

from mutu.imports.kinds import KINDS
from mutu.imports.scoping import may_export

register = template.Library()


@register.inclusion_tag("imports/_export_buttons.html", takes_context=True)
def export_buttons(
    context: template.Context, kinds: str, shape: str = "mutu", **filters: Any
) -> dict[str, Any]:
    request = context.get("request")
    scope = getattr(request, "scope", None)
    english = (translation.get_language() or "id").startswith("en")
    buttons = []
    for kind in (k.strip() for k in kinds.split(",")):
        if scope is None or not may_export(scope, kind):
            continue
        cls = KINDS[kind]
        params = {k: str(v) for k, v in filters.items() if v not in (None, "") and k in cls.filters}
        if shape != "mutu":
            params["shape"] = shape
        url = reverse("imports:export", args=[kind])
        buttons.append(
            {
                "kind": kind,
                "title": cls.title_en if english else cls.title_id,
                "personal": cls.personal,
                "xlsx": f"{url}?{urlencode({'format': 'xlsx', **params})}",
                "csv": f"{url}?{urlencode({'format': 'csv', **params})}",
            }
        )
    return {"buttons": buttons}
