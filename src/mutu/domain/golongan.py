"""Golongan (grade) and pangkat (rank) of ASN, and education levels.

PNS golongan run I/a … IV/e (17 steps, each with a pangkat name, PP 99/2000);
PPPK have golongan of their own, written as Roman numerals I, II, … (PP
49/2018).  The lists and the entry golongan by education come from the
``golongan`` rulebook, never from constants here, so a new regulation is a new
rulebook version.

People type golongan many ways ("III/a", "III-a", "3a", "IIIa"); :func:`parse_golongan`
accepts them all and answers with the canonical :class:`Golongan`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

from mutu.domain.errors import MutuValueError
from mutu.rulebooks import Rulebook, RulebookError, Value, resolve

Kind = Literal["PNS", "PPPK"]

_ROMAN = (("X", 10), ("IX", 9), ("V", 5), ("IV", 4), ("I", 1))
_TOKEN = re.compile(r"^(?P<num>[IVX]+|\d+)\s*[/\-.\s]?\s*(?P<ruang>[A-Z]?)$")


class UnknownGolongan(MutuValueError):
    """A golongan text that matches no golongan of the rulebook; lists the valid ones."""

    def __init__(self, message_id: str, message_en: str) -> None:
        super().__init__(message_id, message_en, field="golongan")


class UnknownEducation(MutuValueError):
    """An education level that is not one of :class:`Education`."""

    def __init__(self, message_id: str, message_en: str) -> None:
        super().__init__(message_id, message_en, field="education")


class Education(StrEnum):
    """Highest completed education, lowest first.

    ``SMA`` stands for SLTA (SMA/SMK/MA) and ``SMP`` for SLTP; ``D4`` (diploma
    IV, sarjana terapan) is counted like ``S1`` where a rule says so.
    """

    SD = "SD"
    SMP = "SMP"
    SMA = "SMA"
    D1 = "D1"
    D2 = "D2"
    D3 = "D3"
    D4 = "D4"
    S1 = "S1"
    S2 = "S2"
    S3 = "S3"

    @property
    def rank(self) -> int:
        """Position in the order SD (1) … S3 (10); D4 and S1 are adjacent, not equal."""
        return list(Education).index(self) + 1


_EDUCATION_ALIASES: dict[str, Education] = {
    "SLTP": Education.SMP,
    "SMPSEDERAJAT": Education.SMP,
    "MTS": Education.SMP,
    "SLTA": Education.SMA,
    "SMK": Education.SMA,
    "MA": Education.SMA,
    "SMASEDERAJAT": Education.SMA,
    "DI": Education.D1,
    "DII": Education.D2,
    "DIII": Education.D3,
    "DIV": Education.D4,
    "SARJANATERAPAN": Education.D4,
    "SARJANA": Education.S1,
    "MAGISTER": Education.S2,
    "DOKTOR": Education.S3,
}


def parse_education(text: str | Education) -> Education:
    """Read an education level as people write it ("S-1", "D IV", "SLTA", "s2").

    Raises
    ------
    UnknownEducation
        With the valid levels, in Indonesian and English.
    """
    if isinstance(text, Education):
        return text
    key = re.sub(r"[\s\-./]+", "", str(text)).upper()
    try:
        return Education(key)
    except ValueError:
        pass
    if key in _EDUCATION_ALIASES:
        return _EDUCATION_ALIASES[key]
    valid = ", ".join(e.value for e in Education)
    raise UnknownEducation(
        f"Jenjang pendidikan {str(text)!r} tidak dikenal. Yang valid: {valid}.",
        f"Unknown education level {str(text)!r}. Valid levels: {valid}.",
    )


@dataclass(frozen=True, slots=True, order=False)
class Golongan:
    """One golongan of a PNS or PPPK.

    Attributes
    ----------
    code
        Canonical text: ``"III/a"`` for PNS, ``"IX"`` for PPPK.
    kind
        ``"PNS"`` or ``"PPPK"``.
    rank
        Order within the kind, 1 for the lowest (I/a, or PPPK I).
    ruang
        The ruang letter of a PNS golongan (``"a"`` … ``"e"``), ``None`` for PPPK.
    pangkat
        The rank name of a PNS golongan ("Penata Muda"), ``None`` for PPPK.
    """

    code: str
    kind: Kind
    rank: int
    ruang: str | None = None
    pangkat: str | None = None

    @property
    def roman(self) -> str:
        """The Roman-numeral part: ``"III"`` of ``"III/a"``, ``"IX"`` of PPPK ``"IX"``."""
        return self.code.split("/", 1)[0]

    def __str__(self) -> str:
        return self.code

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Golongan) or other.kind != self.kind:
            return NotImplemented
        return self.rank < other.rank

    def __le__(self, other: object) -> bool:
        if not isinstance(other, Golongan) or other.kind != self.kind:
            return NotImplemented
        return self.rank <= other.rank

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, Golongan) or other.kind != self.kind:
            return NotImplemented
        return self.rank > other.rank

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, Golongan) or other.kind != self.kind:
            return NotImplemented
        return self.rank >= other.rank


def _check_kind(kind: str) -> Kind:
    upper = str(kind).strip().upper()
    if upper == "PNS":
        return "PNS"
    if upper == "PPPK":
        return "PPPK"
    raise MutuValueError(
        f"Jenis ASN {kind!r} tidak dikenal; gunakan 'PNS' atau 'PPPK'.",
        f"Unknown ASN kind {kind!r}; use 'PNS' or 'PPPK'.",
        field="kind",
    )


def _field(record: Mapping[str, Value], name: str, book: Rulebook, key: str) -> str:
    value = record.get(name)
    if not isinstance(value, str) or not value:
        raise RulebookError(
            f"Setiap baris '{key}' di rulebook {book.label} harus punya teks '{name}'.",
            f"Every row of '{key}' in rulebook {book.label} needs a text '{name}'.",
            path=book.origin,
            key=key,
        )
    return value


def golongan_table(kind: Kind = "PNS", *, rulebook: Rulebook | None = None) -> tuple[Golongan, ...]:
    """All golongan of one kind, lowest first.

    Parameters
    ----------
    kind
        ``"PNS"`` (I/a … IV/e, PP 99/2000, confirmed) or ``"PPPK"`` (I … XVII,
        PP 49/2018; the range is unconfirmed).
    rulebook
        A ``golongan`` rulebook; the version in force today when ``None``.

    Returns
    -------
    tuple of Golongan
        In rank order, ``rank`` 1 first.
    """
    which = _check_kind(kind)
    book = resolve("golongan", rulebook)
    if which == "PNS":
        return tuple(
            Golongan(
                code=_field(rec, "code", book, "pns"),
                kind="PNS",
                rank=i,
                ruang=_field(rec, "ruang", book, "pns"),
                pangkat=_field(rec, "pangkat", book, "pns"),
            )
            for i, rec in enumerate(book.records("pns"), start=1)
        )
    out: list[Golongan] = []
    for i, item in enumerate(book.sequence("pppk"), start=1):
        if not isinstance(item, str):
            raise RulebookError(
                f"'pppk' di rulebook {book.label} harus daftar teks (I, II, …).",
                f"'pppk' in rulebook {book.label} must be a list of texts (I, II, …).",
                path=book.origin,
                key="pppk",
            )
        out.append(Golongan(code=item, kind="PPPK", rank=i))
    return tuple(out)


def _to_roman(n: int) -> str:
    out = []
    for letters, value in _ROMAN:
        while n >= value:
            out.append(letters)
            n -= value
    return "".join(out)


def _from_roman(text: str) -> int | None:
    total, i = 0, 0
    while i < len(text):
        for letters, value in _ROMAN:
            if text.startswith(letters, i):
                total += value
                i += len(letters)
                break
        else:  # pragma: no cover - the token regex admits only I, V and X
            return None
    # Only the canonical spelling counts ("IIII" is not 4).
    return total if total and _to_roman(total) == text else None


def _canonical(text: str, kind: Kind) -> str | None:
    """The canonical code for ``text`` ("3a" → "III/a"), or None when it cannot be one."""
    compact = str(text).strip().upper()
    m = _TOKEN.match(compact)
    if not m:
        return None
    num_text, ruang = m.group("num"), m.group("ruang")
    number = int(num_text) if num_text.isdigit() else _from_roman(num_text)
    if number is None or number < 1 or number > 39:
        return None
    roman = _to_roman(number)
    if kind == "PNS":
        return f"{roman}/{ruang.lower()}" if ruang else None
    return None if ruang else roman


def parse_golongan(text: str, *, kind: Kind = "PNS", rulebook: Rulebook | None = None) -> Golongan:
    """Read a golongan as people type it.

    Accepted for PNS: ``"III/a"``, ``"III-a"``, ``"III a"``, ``"IIIa"``, ``"3a"``,
    ``"3/A"``, ``" iii/a "``; for PPPK: ``"IX"``, ``"ix"``, ``"9"``.

    Parameters
    ----------
    text
        The golongan as typed.
    kind
        ``"PNS"`` or ``"PPPK"``.
    rulebook
        A ``golongan`` rulebook (PP 99/2000; PP 49/2018); the version in force
        today when ``None``.

    Raises
    ------
    UnknownGolongan
        When ``text`` is no golongan of that kind; the message (Indonesian and
        English) lists the valid values.

    Examples
    --------
    >>> g = parse_golongan("3a")
    >>> (g.code, g.pangkat, g.rank)
    ('III/a', 'Penata Muda', 9)
    """
    which = _check_kind(kind)
    table = golongan_table(which, rulebook=rulebook)
    code = _canonical(text, which)
    for g in table:
        if g.code == code:
            return g
    valid = ", ".join(g.code for g in table)
    raise UnknownGolongan(
        f"Golongan {which} {str(text).strip()!r} tidak dikenal. Nilai yang valid: {valid}.",
        f"Unknown {which} golongan {str(text).strip()!r}. Valid values: {valid}.",
    )


def entry_golongan(education: str | Education, *, rulebook: Rulebook | None = None) -> Golongan:
    """The golongan a new PNS (CPNS) starts in, by the education of the formation.

    SD I/a, SMP I/b, SMA II/a, D1–D2 II/b, D3 II/c, S1 III/a, S2 III/b,
    S3 III/c (secondary source); D4 like S1 (unconfirmed).

    Parameters
    ----------
    education
        An :class:`Education` or text accepted by :func:`parse_education`.
    rulebook
        A ``golongan`` rulebook (key ``entry.<EDUCATION>``); the version in
        force today when ``None``.

    Raises
    ------
    UnknownEducation
        When the education level is not recognised.
    """
    level = parse_education(education)
    book = resolve("golongan", rulebook)
    return parse_golongan(book.text(f"entry.{level.value}"), kind="PNS", rulebook=book)
