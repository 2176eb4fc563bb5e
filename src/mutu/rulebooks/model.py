"""The rulebook value types: a parsed, immutable version of one regulation table.

A :class:`Rulebook` is one version of one table (``ip_asn 2019.1``).  Its
numbers live in a TOML data file (see ``docs/rulebooks.md``); this module only
holds them once read.  Every leaf is a :class:`RulebookValue` that carries its
value together with how sure we are of it (:class:`Confidence`) and where it
comes from, so a computation can report "IP ASN per ip_asn 2019.1; 3 of the
weights used are unconfirmed".
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from pathlib import Path
from typing import TypeAlias, Union

from mutu.domain.errors import MutuValueError

#: A value held by a rulebook leaf.  TOML floats are read as exact
#: :class:`~decimal.Decimal` (``88.31`` stays ``88.31``), arrays become tuples
#: and tables read-only mappings, so a cached rulebook cannot be changed by a
#: caller by accident.
Value: TypeAlias = Union[  # noqa: UP007 (a recursive alias needs the Union spelling)
    str, bool, int, Decimal, date, tuple["Value", ...], Mapping[str, "Value"]
]


class RulebookError(MutuValueError):
    """A rulebook file, key or version problem, explained in Indonesian and English.

    Parameters
    ----------
    message_id, message_en
        The explanation in Bahasa Indonesia and in English.
    path
        The file the problem is in, when there is one; it is put in front of
        both messages.
    key
        The dotted key the problem is about, when there is one.
    """

    def __init__(
        self,
        message_id: str,
        message_en: str,
        *,
        path: Path | None = None,
        key: str | None = None,
    ) -> None:
        self.path = path
        self.key = key
        if path is not None:
            message_id = f"{path}: {message_id}"
            message_en = f"{path}: {message_en}"
        super().__init__(message_id, message_en, field="rulebook")


class Confidence(StrEnum):
    """How sure we are of a rulebook value (the marks of ``asn-rules.md``).

    ``confirmed`` [C]
        The regulation or an official source states it.
    ``secondary`` [S]
        A secondary source states it, or it is arithmetic derived from
        confirmed values.
    ``unconfirmed`` [U]
        An editable default we could not confirm; results that use it must say so.
    """

    CONFIRMED = "confirmed"
    SECONDARY = "secondary"
    UNCONFIRMED = "unconfirmed"

    @property
    def mark(self) -> str:
        """The one-letter mark used in ``asn-rules.md``: ``C``, ``S`` or ``U``."""
        return self.value[0].upper()

    @property
    def label_id(self) -> str:
        """Indonesian label: ``terkonfirmasi``, ``sekunder`` or ``belum terkonfirmasi``."""
        return _CONFIDENCE_LABELS[self][0]

    @property
    def label_en(self) -> str:
        """English label: ``confirmed``, ``secondary`` or ``unconfirmed``."""
        return _CONFIDENCE_LABELS[self][1]


_CONFIDENCE_LABELS: dict[Confidence, tuple[str, str]] = {
    Confidence.CONFIRMED: ("terkonfirmasi", "confirmed"),
    Confidence.SECONDARY: ("sekunder", "secondary"),
    Confidence.UNCONFIRMED: ("belum terkonfirmasi", "unconfirmed"),
}


@dataclass(frozen=True, slots=True)
class Source:
    """A legal or documentary source cited by a rulebook (``PermenPANRB 38/2018``)."""

    citation: str
    url: str | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class RulebookValue:
    """One leaf of a rulebook: the value, how sure we are of it, and why.

    ``source`` is the leaf's own source, or the file's ``default_source`` when
    the leaf names none.
    """

    value: Value
    confidence: Confidence
    source: str | None = None
    note: str | None = None

    @property
    def is_confirmed(self) -> bool:
        """True when the value is marked ``confirmed``."""
        return self.confidence is Confidence.CONFIRMED


@dataclass(frozen=True)
class Rulebook:
    """One version of one regulation table, read from a TOML data file.

    Build one with :func:`mutu.rulebooks.load` (the version in force on a date)
    or :func:`mutu.rulebooks.read_file` (one file); do not construct it by hand.

    Attributes
    ----------
    name
        The table's name, e.g. ``"ip_asn"``; also its folder name.
    version
        The version string, e.g. ``"2019.1"``; also its file name.
    effective_from, effective_until
        First and last day (both inclusive) the version applies to;
        ``effective_until`` is ``None`` while no end is known.
    title_id, title_en
        Human titles in Indonesian and English.
    sources
        The regulations and documents the values come from.
    origin
        The file the version was read from.
    note
        An optional remark on the whole file.
    """

    name: str
    version: str
    effective_from: date
    effective_until: date | None
    title_id: str
    title_en: str
    sources: tuple[Source, ...]
    origin: Path
    note: str | None = None
    entries: Mapping[str, RulebookValue] = field(
        default_factory=dict, compare=False, hash=False, repr=False
    )

    # -- identity -----------------------------------------------------------

    @property
    def label(self) -> str:
        """Name and version, the way results cite it: ``"ip_asn 2019.1"``."""
        return f"{self.name} {self.version}"

    def __str__(self) -> str:
        return self.label

    def is_in_force(self, on: date) -> bool:
        """True when ``effective_from <= on <= effective_until`` (open end if none)."""
        return self.effective_from <= on and (
            self.effective_until is None or on <= self.effective_until
        )

    # -- keys ---------------------------------------------------------------

    def keys(self) -> tuple[str, ...]:
        """Dotted keys of every leaf, in file order (e.g. ``"weights.kualifikasi"``)."""
        return tuple(self.entries)

    def items(self) -> tuple[tuple[str, RulebookValue], ...]:
        """``(key, entry)`` pairs of every leaf, in file order."""
        return tuple(self.entries.items())

    def __contains__(self, key: object) -> bool:
        return key in self.entries

    def __iter__(self) -> Iterator[str]:
        return iter(self.entries)

    def keys_with(self, confidence: Confidence | str) -> tuple[str, ...]:
        """Keys of the leaves marked with ``confidence``."""
        wanted = Confidence(confidence)
        return tuple(k for k, v in self.entries.items() if v.confidence is wanted)

    def unconfirmed_keys(self) -> tuple[str, ...]:
        """Keys of the leaves marked ``unconfirmed``: the values a result must flag."""
        return self.keys_with(Confidence.UNCONFIRMED)

    def section(self, prefix: str) -> dict[str, RulebookValue]:
        """The leaves under a group, keyed relative to it.

        ``rulebook.section("weights")`` gives ``{"kualifikasi": ..., "kompetensi": ...}``.

        Raises
        ------
        RulebookError
            When no leaf lies under ``prefix``.
        """
        start = prefix.rstrip(".") + "."
        found = {k[len(start) :]: v for k, v in self.entries.items() if k.startswith(start)}
        if not found:
            raise self._unknown(prefix)
        return found

    # -- values -------------------------------------------------------------

    def entry(self, key: str) -> RulebookValue:
        """The leaf at a dotted key, with its confidence, source and note.

        Raises
        ------
        RulebookError
            When the key is unknown; the message lists the nearest keys, or the
            leaves of the group when ``key`` names a group.
        """
        try:
            return self.entries[key]
        except KeyError:
            raise self._unknown(key) from None

    def value(self, key: str) -> Value:
        """The value at a dotted key (see :meth:`entry` for its confidence)."""
        return self.entry(key).value

    def confidence(self, key: str) -> Confidence:
        """The confidence mark of the value at a dotted key."""
        return self.entry(key).confidence

    def integer(self, key: str) -> int:
        """The value at ``key`` as an ``int``; a whole-number decimal is accepted."""
        v = self.value(key)
        if isinstance(v, Decimal) and v == v.to_integral_value():
            return int(v)
        if isinstance(v, bool) or not isinstance(v, int):
            raise self._wrong_type(key, v, "bilangan bulat", "an integer")
        return v

    def decimal(self, key: str) -> Decimal:
        """The value at ``key`` as an exact :class:`~decimal.Decimal` (ints are widened)."""
        v = self.value(key)
        if isinstance(v, bool) or not isinstance(v, int | Decimal):
            raise self._wrong_type(key, v, "angka", "a number")
        return Decimal(v)

    def fraction(self, key: str) -> Fraction:
        """The value at ``key`` as an exact :class:`~fractions.Fraction`.

        Accepts a string such as ``"1/9"`` (how exact weights are stored), an
        integer or a decimal.
        """
        v = self.value(key)
        if isinstance(v, str):
            try:
                return Fraction(v)
            except (ValueError, ZeroDivisionError):
                pass
        elif isinstance(v, int | Decimal) and not isinstance(v, bool):
            return Fraction(v)
        raise self._wrong_type(key, v, "pecahan seperti '1/9'", "a fraction such as '1/9'")

    def text(self, key: str) -> str:
        """The value at ``key`` as a string."""
        v = self.value(key)
        if not isinstance(v, str):
            raise self._wrong_type(key, v, "teks", "text")
        return v

    def table(self, key: str) -> Mapping[str, Value]:
        """The value at ``key`` as a read-only mapping (a TOML table value)."""
        v = self.value(key)
        if not isinstance(v, Mapping):
            raise self._wrong_type(key, v, "tabel", "a table")
        return v

    def sequence(self, key: str) -> tuple[Value, ...]:
        """The value at ``key`` as a tuple (a TOML array value)."""
        v = self.value(key)
        if not isinstance(v, tuple):
            raise self._wrong_type(key, v, "daftar", "a list")
        return v

    def records(self, key: str) -> tuple[Mapping[str, Value], ...]:
        """The value at ``key`` as a tuple of tables (e.g. a list of bands)."""
        items = self.sequence(key)
        out: list[Mapping[str, Value]] = []
        for item in items:
            if not isinstance(item, Mapping):
                raise self._wrong_type(key, item, "daftar tabel", "a list of tables")
            out.append(item)
        return tuple(out)

    # -- errors -------------------------------------------------------------

    def _unknown(self, key: str) -> RulebookError:
        under = [k for k in self.entries if k.startswith(key.rstrip(".") + ".")]
        if under:
            listing = ", ".join(under)
            return RulebookError(
                f"'{key}' di rulebook {self.label} adalah kelompok, bukan nilai; "
                f"nilainya: {listing}.",
                f"'{key}' in rulebook {self.label} is a group, not a value; its values: {listing}.",
                path=self.origin,
                key=key,
            )
        head = key.split(".", 1)[0]
        near = [k for k in self.entries if k.split(".", 1)[0] == head] or list(self.entries)
        listing = ", ".join(near[:12]) + (", …" if len(near) > 12 else "")
        return RulebookError(
            f"Kunci '{key}' tidak ada di rulebook {self.label}. Kunci yang ada: {listing}.",
            f"Key '{key}' is not in rulebook {self.label}. Known keys: {listing}.",
            path=self.origin,
            key=key,
        )

    def _wrong_type(self, key: str, value: object, want_id: str, want_en: str) -> RulebookError:
        return RulebookError(
            f"Nilai '{key}' di rulebook {self.label} harus {want_id}; isinya {value!r}.",
            f"Value '{key}' in rulebook {self.label} must be {want_en}; it is {value!r}.",
            path=self.origin,
            key=key,
        )
