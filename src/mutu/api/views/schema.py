"""``/api/openapi.json``: the OpenAPI 3 schema (drf-spectacular), public, itself left out of it."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularJSONAPIView
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

__all__ = ["SchemaView"]


class SchemaView(SpectacularJSONAPIView):
    """The schema as JSON; anyone may read it (it describes shapes, never data)."""

    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []

    @extend_schema(exclude=True)
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)  # type: ignore[no-untyped-call]
