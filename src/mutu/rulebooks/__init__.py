"""Versioned regulation tables ("rulebooks") and their loader.

Every number Mutu takes from a regulation (IP ASN weights, SKM elements and
bands, JP rules, job-person-match bands, 9-box rules, golongan list, discipline
sanctions) lives in a TOML data file ``data/<name>/<version>.toml`` with its
legal source, effective dates and a confidence mark per value — never as a
constant in code.  Regulations change; an administrator adds a version by
putting a file in ``$MUTU_HOME/rulebooks/<name>/`` (or with :func:`install`).

>>> from datetime import date
>>> rb = load("skm", date(2024, 1, 1))
>>> rb.label, rb.fraction("weight"), rb.integer("conversion_factor")
('skm 2017.1', Fraction(1, 9), 25)

See ``docs/rulebooks.md`` for the file format and the keys of each rulebook.
"""

from __future__ import annotations

from mutu.rulebooks.loader import (
    BUILTIN_DIR,
    DEFAULT_MUTU_HOME,
    available,
    default_search_path,
    install,
    load,
    resolve,
    versions,
)
from mutu.rulebooks.model import (
    Confidence,
    Rulebook,
    RulebookError,
    RulebookValue,
    Source,
    Value,
)
from mutu.rulebooks.reader import clear_cache, read_file

#: The rulebooks shipped with Mutu.
SHIPPED: tuple[str, ...] = (
    "costing",
    "discipline",
    "golongan",
    "ip_asn",
    "jp",
    "jpm",
    "magang",
    "nine_box",
    "skm",
)

__all__ = [
    "BUILTIN_DIR",
    "DEFAULT_MUTU_HOME",
    "SHIPPED",
    "Confidence",
    "Rulebook",
    "RulebookError",
    "RulebookValue",
    "Source",
    "Value",
    "available",
    "clear_cache",
    "default_search_path",
    "install",
    "load",
    "read_file",
    "resolve",
    "versions",
]
