"""The shape every statistical result in :mod:`mutu.evaluation` shares.

A result is a frozen dataclass: its fields are the numbers, ``variant`` says
which variant was computed (e.g. ``"d_z"``, ``"wilcoxon: normal approximation
with continuity and tie correction"``), ``to_frame()`` gives a tidy
``pandas.DataFrame`` and ``summary(lang)`` a plain-language paragraph in
Bahasa Indonesia (``"id"``, the default) or English (``"en"``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields
from typing import Any, Literal

import pandas as pd

Lang = Literal["id", "en"]


def check_lang(lang: str) -> Lang:
    """``"id"`` or ``"en"``; anything else is refused with a bilingual message."""
    if lang not in ("id", "en"):
        raise ValueError(
            f"Bahasa tidak dikenal: {lang!r} (pilih 'id' atau 'en'). / "
            f"Unknown language: {lang!r} (choose 'id' or 'en')."
        )
    return lang  # type: ignore[return-value]


def format_number(value: float | None, digits: int = 2, lang: Lang = "id") -> str:
    """A number for a sentence: Indonesian ``1.234,56``, English ``1,234.56``; "–" for None/NaN."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    text = f"{value:,.{digits}f}"
    if lang == "id":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text


def format_p(p: float | None, lang: Lang = "id") -> str:
    """A p-value as people read it: ``p < 0,001`` or ``p = 0,034``."""
    if p is None or math.isnan(p):
        return "p = –"
    if p < 0.001:
        return "p < " + format_number(0.001, 3, lang)
    return "p = " + format_number(p, 3, lang)


@dataclass(frozen=True)
class Result:
    """Base class of the frozen, typed results.

    Subclasses are ``@dataclass(frozen=True)`` and implement
    :meth:`summary`; :meth:`to_frame` has a default (one row of the scalar
    fields) that subclasses with tables override or extend.
    """

    def scalars(self) -> dict[str, Any]:
        """The scalar fields (numbers, strings, booleans, None) by name."""
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if value is None or isinstance(value, int | float | str | bool):
                out[f.name] = value
        return out

    def to_frame(self) -> pd.DataFrame:
        """One row holding the scalar fields."""
        return pd.DataFrame([self.scalars()])

    def summary(self, lang: str = "id") -> str:  # pragma: no cover - abstract
        """A plain-language paragraph in Bahasa Indonesia (``"id"``) or English (``"en"``)."""
        raise NotImplementedError
