"""NIP: the 18-digit identity number of a PNS, and the NI PPPK of a PPPK.

Layout (BKN; see ``shared/reference/asn-rules.md``)::

    PNS   YYYYMMDD  YYYYMM         S  NNN     birth date, TMT CPNS year+month, sex, serial
    PPPK  YYYYMMDD  YYYY    CC     S  NNN     birth date, first appointment year,
                                              contract code (not a month), sex, serial

Digits 13–14 tell the two apart: a month 01–12 means PNS, a known PPPK
contract code (21 and 24 have been seen) means PPPK, anything else is refused
as an invalid month.  Sex is 1 (laki-laki, "L") or 2 (perempuan, "P").
Birth date, sex and TMT derived from a NIP are personal data.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from typing import Literal

from mutu.domain.errors import MutuValueError

#: Contract codes seen in NI PPPK numbers (positions 13–14).  Both are
#: observations, not a published list; pass ``pppk_codes`` to widen it.
DEFAULT_PPPK_CODES: frozenset[int] = frozenset({21, 24})

#: Minimum age at appointment (UU 20/2023 and PP 11/2017: applicants are at least 18).
MIN_AGE_AT_APPOINTMENT = 18

_SEPARATORS = re.compile(r"[\s.\-]+")


class InvalidNip(MutuValueError):
    """A NIP that does not follow the BKN layout; the message names the faulty part."""

    def __init__(self, message_id: str, message_en: str) -> None:
        super().__init__(message_id, message_en, field="nip")


@dataclass(frozen=True, slots=True)
class Nip:
    """A parsed NIP.

    ``appointment_month`` is ``None`` for PPPK, whose number carries only the
    year; ``contract_code`` is ``None`` for PNS.
    """

    digits: str
    kind: Literal["PNS", "PPPK"]
    birth_date: date
    appointment_year: int
    appointment_month: int | None
    sex: Literal["L", "P"]
    serial: int
    contract_code: int | None = None

    def __str__(self) -> str:
        return self.digits

    @property
    def formatted(self) -> str:
        """The number grouped the way BKN prints it: ``19860926 201505 1 001``."""
        d = self.digits
        return f"{d[:8]} {d[8:14]} {d[14]} {d[15:]}"

    @property
    def earliest_appointment(self) -> date:
        """First day the appointment (TMT) can fall on, given what the NIP says."""
        return date(self.appointment_year, self.appointment_month or 1, 1)


def normalize_nip(text: str) -> str:
    """Strip the spaces, dots and dashes people type inside a NIP.

    Returns the remaining characters; it does not check them (see :func:`parse_nip`).
    """
    return _SEPARATORS.sub("", str(text).strip())


def eighteenth_birthday(birth: date) -> date:
    """The day someone born on ``birth`` turns 18, the earliest age of appointment.

    A 29 February birthday is reached on 28 February in a common year.
    """
    year = birth.year + MIN_AGE_AT_APPOINTMENT
    day = min(birth.day, calendar.monthrange(year, birth.month)[1])
    return date(year, birth.month, day)


def parse_nip(text: str, *, pppk_codes: Collection[int] = DEFAULT_PPPK_CODES) -> Nip:
    """Parse and check an 18-digit NIP (PNS) or NI PPPK.

    Parameters
    ----------
    text
        The number; spaces, dots and dashes between digits are accepted.
    pppk_codes
        Two-digit codes at positions 13–14 that mark a PPPK number.

    Raises
    ------
    InvalidNip
        With a message in Indonesian and English saying which part is wrong:
        length or characters, birth date, appointment month, appointment
        before the 18th birthday, sex digit, or serial.

    Examples
    --------
    >>> n = parse_nip("19860926 201505 1 001")
    >>> (n.kind, n.birth_date.isoformat(), n.appointment_year, n.appointment_month, n.sex)
    ('PNS', '1986-09-26', 2015, 5, 'L')
    """
    raw = normalize_nip(text)
    if not raw:
        raise InvalidNip("NIP kosong.", "The NIP is empty.")
    if not raw.isascii() or not raw.isdigit():
        bad = next(c for c in raw if not ("0" <= c <= "9"))
        raise InvalidNip(
            f"NIP hanya boleh berisi angka; ditemukan {bad!r}.",
            f"A NIP may contain digits only; found {bad!r}.",
        )
    if len(raw) != 18:
        raise InvalidNip(
            f"NIP harus 18 digit; yang diberikan {len(raw)} digit.",
            f"A NIP has 18 digits; this one has {len(raw)}.",
        )

    try:
        birth = date(int(raw[0:4]), int(raw[4:6]), int(raw[6:8]))
    except ValueError:
        raise InvalidNip(
            f"Tanggal lahir pada NIP (digit 1–8: {raw[0:8]}) bukan tanggal yang valid.",
            f"The birth date in the NIP (digits 1–8: {raw[0:8]}) is not a valid date.",
        ) from None
    if birth.year < 1900:
        raise InvalidNip(
            f"Tahun lahir pada NIP ({birth.year}) tidak masuk akal.",
            f"The birth year in the NIP ({birth.year}) is implausible.",
        )

    year = int(raw[8:12])
    code = int(raw[12:14])
    kind: Literal["PNS", "PPPK"]
    if 1 <= code <= 12:
        kind, month, contract = "PNS", code, None
    elif code in pppk_codes:
        kind, month, contract = "PPPK", None, code
    else:
        known = ", ".join(f"{c:02d}" for c in sorted(pppk_codes))
        raise InvalidNip(
            f"Bulan TMT CPNS pada NIP (digit 13–14: {raw[12:14]}) tidak valid: bulan harus "
            f"01–12 (atau kode PPPK {known}).",
            f"The appointment (TMT CPNS) month in the NIP (digits 13–14: {raw[12:14]}) is "
            f"invalid: the month must be 01–12 (or a PPPK code {known}).",
        )

    adult = eighteenth_birthday(birth)
    # PNS: the TMT is the first of a month, so the month of the 18th birthday is
    # the earliest allowed; PPPK: only the year is known.
    too_early = (year, month) < (adult.year, adult.month) if month else year < adult.year
    if too_early:
        when = f"{year}-{month:02d}" if month else str(year)
        raise InvalidNip(
            f"Pengangkatan pada NIP ({when}) sebelum ulang tahun ke-18 ({adult.isoformat()}).",
            f"The appointment in the NIP ({when}) is before the 18th birthday "
            f"({adult.isoformat()}).",
        )

    sex_digit = raw[14]
    if sex_digit not in "12":
        raise InvalidNip(
            f"Digit jenis kelamin pada NIP (digit 15: {sex_digit}) harus 1 (laki-laki) atau "
            "2 (perempuan).",
            f"The sex digit in the NIP (digit 15: {sex_digit}) must be 1 (male) or 2 (female).",
        )
    serial = int(raw[15:18])
    if serial == 0:
        raise InvalidNip(
            "Nomor urut pada NIP (digit 16–18) tidak boleh 000.",
            "The serial number in the NIP (digits 16–18) cannot be 000.",
        )
    return Nip(
        digits=raw,
        kind=kind,
        birth_date=birth,
        appointment_year=year,
        appointment_month=month,
        sex="L" if sex_digit == "1" else "P",
        serial=serial,
        contract_code=contract,
    )


def is_valid_nip(text: str, *, pppk_codes: Collection[int] = DEFAULT_PPPK_CODES) -> bool:
    """True when :func:`parse_nip` accepts ``text``."""
    try:
        parse_nip(text, pppk_codes=pppk_codes)
    except InvalidNip:
        return False
    return True
