"""Errors of the pure core that carry their message in Indonesian and English.

Every refusal a person can meet (a bad NIP, an unknown golongan, a negative JP)
is a :class:`MutuValueError`: a ``ValueError`` whose text gives both languages,
so a terminal user, a log reader and the web form (which picks one) all see
what is wrong and how to fix it.
"""

from __future__ import annotations

from typing import Literal

Lang = Literal["id", "en"]


class MutuValueError(ValueError):
    """A value refused by a domain rule, explained in Indonesian and English.

    Parameters
    ----------
    message_id
        The explanation in Bahasa Indonesia.
    message_en
        The same explanation in English.
    field
        Optional name of the input the message is about (e.g. ``"nip"``).
    """

    def __init__(self, message_id: str, message_en: str, *, field: str | None = None) -> None:
        self.message_id = message_id
        self.message_en = message_en
        self.field = field
        super().__init__(f"{message_id} / {message_en}")

    def message(self, lang: str = "id") -> str:
        """The message in one language (``"id"`` unless ``lang`` starts with ``"en"``)."""
        return self.message_en if lang.lower().startswith("en") else self.message_id
