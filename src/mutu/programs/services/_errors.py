"""Refusals of the program services, in Indonesian and English."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import translation

from mutu.domain.errors import MutuValueError


def bilingual(err: ValidationError, prefix_id: str = "", prefix_en: str = "") -> MutuValueError:
    """A model's :class:`ValidationError` as a :class:`MutuValueError` in both languages."""
    texts = {}
    for lang in ("id", "en"):
        with translation.override(lang):
            texts[lang] = "; ".join(str(m) for m in err.messages)
    return MutuValueError(prefix_id + texts["id"], prefix_en + texts["en"])
