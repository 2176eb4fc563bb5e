"""Reading spreadsheet cells as staff and national systems fill them (pure core, no database)."""

from __future__ import annotations

import codecs
from datetime import date, datetime, time
from decimal import Decimal

import pytest

from mutu.domain.cells import (
    CellError,
    ColumnRule,
    column_letter,
    decode_text,
    duplicate_rows,
    excel_general,
    excel_serial_date,
    header_key,
    is_header_repeat,
    locate_header,
    read_attendance_mark,
    read_bool,
    read_choice,
    read_csv_bytes,
    read_date,
    read_datetime,
    read_decimal,
    read_int,
    read_nip,
    read_text,
    sniff_delimiter,
)

NIP = "199403162023032001"


# --- NIP -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "cell",
    [
        "1.99403E+17",  # as SIASN's CSV carries it after a trip through Excel
        "1,99403E+17",  # the same with a decimal comma
        1.99403162023032e17,  # a General number cell read by openpyxl
        199403162023032000,  # an integer whose digits beyond the 15th Excel zeroed
        Decimal("199403162023032000"),
    ],
)
def test_a_nip_excel_turned_into_a_number_says_to_format_the_column_as_text(cell: object) -> None:
    with pytest.raises(CellError) as caught:
        read_nip(cell)  # type: ignore[arg-type]
    err = caught.value
    assert err.code == "nip_precision"
    assert "15 digit" in err.message_id and "Teks" in err.message_id
    assert "15 digits" in err.message_en and "Format the NIP column as Text" in err.message_en


def test_excel_shows_a_large_number_the_way_the_message_quotes_it() -> None:
    assert excel_general(199403162023032001.0) == "1.99403E+17"
    assert excel_general(198609262015051001.0) == "1.98609E+17"


def test_a_nip_typed_with_spaces_is_read_with_a_note() -> None:
    parsed = read_nip("19861021 202121 2 001")
    assert parsed.value == "198610212021212001"
    assert [n.code for n in parsed.notes] == ["nip_separators"]


def test_an_exact_integer_nip_is_accepted_with_a_warning_to_use_text() -> None:
    parsed = read_nip(int(NIP))
    assert parsed.value == NIP
    assert [n.code for n in parsed.notes] == ["nip_number"]


def test_a_nip_as_plain_text_has_no_note() -> None:
    assert read_nip(f" {NIP} ").value == NIP
    assert read_nip(f" {NIP} ").notes == ()


@pytest.mark.parametrize(
    ("cell", "fragment"),
    [
        ("19810630202521200", "17"),  # a digit missing
        ("19940316202313200a", "digits only"),
        ("199403162023132001", "month"),  # month 13
        ("199403162023030001", "sex digit"),
    ],
)
def test_an_invalid_nip_names_the_faulty_part(cell: str, fragment: str) -> None:
    with pytest.raises(CellError) as caught:
        read_nip(cell)
    assert caught.value.code == "nip_invalid"
    assert fragment in caught.value.message_en
    assert cell in caught.value.message_id


def test_an_empty_nip_is_required() -> None:
    with pytest.raises(CellError) as caught:
        read_nip("  ")
    assert caught.value.code == "required"


# --- dates -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "cell",
    ["17-09-1996", "17/09/1996", "17.09.1996", "17-9-1996", "17 September 1996", "17 Sept 1996"],
)
def test_dates_in_indonesian_order_are_read_without_notes(cell: str) -> None:
    parsed = read_date(cell)
    assert parsed.value == date(1996, 9, 17)
    assert parsed.notes == ()


def test_an_indonesian_month_name_is_read() -> None:
    assert read_date("17 Agustus 1945").value == date(1945, 8, 17)
    assert read_date("1 Mei 2024").value == date(2024, 5, 1)


def test_an_iso_date_among_dd_mm_yyyy_is_read_with_a_note() -> None:
    parsed = read_date("1996-09-17")
    assert parsed.value == date(1996, 9, 17)
    assert [n.code for n in parsed.notes] == ["date_iso"]
    assert "17-09-1996" in parsed.notes[0].message_en


@pytest.mark.parametrize("cell", [45292, 45292.0, "45292"])
def test_an_excel_date_serial_is_read_with_a_note(cell: object) -> None:
    parsed = read_date(cell)  # type: ignore[arg-type]
    assert parsed.value == date(2024, 1, 1)
    assert [n.code for n in parsed.notes] == ["date_serial"]


def test_excel_serials_follow_excel_including_the_1900_leap_year_bug() -> None:
    # Reference values: Excel's DATEVALUE (1900 system) and the 1904 system of old Mac Excel.
    assert excel_serial_date(1).date() == date(1900, 1, 1)
    assert excel_serial_date(59).date() == date(1900, 2, 28)
    assert excel_serial_date(61).date() == date(1900, 3, 1)
    assert excel_serial_date(25569).date() == date(1970, 1, 1)
    assert excel_serial_date(45292.75) == datetime(2024, 1, 1, 18, 0)
    assert excel_serial_date(0, epoch_1904=True).date() == date(1904, 1, 1)
    with pytest.raises(CellError):
        excel_serial_date(60)  # 29-02-1900 never existed


def test_date_and_datetime_cells_pass_through() -> None:
    assert read_date(date(2024, 8, 17)).value == date(2024, 8, 17)
    assert read_date(datetime(2024, 8, 17, 0, 0)).value == date(2024, 8, 17)
    assert read_date("2024-08-17 00:00:00").value == date(2024, 8, 17)


@pytest.mark.parametrize(
    ("cell", "fragment"),
    [
        ("12-25-2024", "swapped"),  # month-day-year
        ("01-02-96", "two-digit year"),
        ("31-02-2024", "dd-mm-YYYY"),
        ("besok", "dd-mm-YYYY"),
        ("17-08-2024 08:30", "time"),
    ],
)
def test_an_unreadable_date_says_how_to_write_it(cell: str, fragment: str) -> None:
    with pytest.raises(CellError) as caught:
        read_date(cell)
    assert caught.value.code == "date_invalid"
    assert fragment in caught.value.message_en


def test_datetimes_are_read_as_local_wall_clock_times() -> None:
    assert read_datetime("17-08-2024 08:00").value == datetime(2024, 8, 17, 8, 0)
    assert read_datetime("2024-08-17T13:30:00").value == datetime(2024, 8, 17, 13, 30)
    assert read_datetime(45292.5).value == datetime(2024, 1, 1, 12, 0)
    with pytest.raises(CellError) as caught:
        read_datetime("17-08-2024")
    assert caught.value.code == "datetime_invalid"
    with pytest.raises(CellError):
        read_datetime("17-08-2024 25:00")


# --- numbers, text, choices ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("24", "24"),
        ("24,5", "24.5"),
        ("1.5", "1.5"),
        ("1.250.000", "1250000"),
        ("1.250.000,50", "1250000.50"),
        ("1,250,000.50", "1250000.50"),
        ("Rp 1.250.000", "1250000"),
        (24.5, "24.5"),
        (30, "30"),
    ],
)
def test_numbers_are_read_with_decimal_commas_and_thousands(cell: object, expected: str) -> None:
    assert read_decimal(cell).value == Decimal(expected)  # type: ignore[arg-type]


def test_a_non_number_is_refused() -> None:
    with pytest.raises(CellError) as caught:
        read_decimal("dua puluh")
    assert caught.value.code == "number_invalid"
    with pytest.raises(CellError):
        read_int("2,5")
    assert read_int("30,0").value == 30


def test_spaces_are_trimmed_with_a_note() -> None:
    parsed = read_text("Dinas Peternakan dan Perikanan ")
    assert parsed.value == "Dinas Peternakan dan Perikanan"
    assert [n.code for n in parsed.notes] == ["spaces"]
    assert read_text("Intan  Fitriani\u00a0Tanjung  ").value == "Intan Fitriani Tanjung"
    assert read_text("Rapi").notes == ()
    assert read_text(30.0).value == "30"


def test_yes_no_and_choices() -> None:
    assert read_bool("Ya").value is True
    assert read_bool("tidak").value is False
    assert read_bool(True).value is True
    with pytest.raises(CellError):
        read_bool("mungkin")
    statuses = {"PNS": "PNS", "PPPK Paruh Waktu": "part"}
    assert read_choice("pppk  paruh waktu", statuses, what_id="Status", what_en="status").value == (
        "part"
    )
    with pytest.raises(CellError) as caught:
        read_choice("Honorer", statuses, what_id="Status", what_en="status")
    assert "PPPK Paruh Waktu" in caught.value.message_en


def test_attendance_marks() -> None:
    assert read_attendance_mark("H").value is True
    assert read_attendance_mark("-").value is False
    assert read_attendance_mark("").value is None  # not recorded
    hadir = read_attendance_mark("Hadir")
    assert hadir.value is True
    assert [n.code for n in hadir.notes] == ["mark_variant"]
    assert read_attendance_mark("S").value is False  # sakit
    with pytest.raises(CellError) as caught:
        read_attendance_mark("?")
    assert caught.value.code == "mark_invalid"


# --- headers and rows ----------------------------------------------------------------------------

RULES = [
    ColumnRule("nip", ("NIP", "nip baru"), required=True),
    ColumnRule("name", ("Nama", "nama lengkap"), required=True),
    ColumnRule("birth", ("Tgl Lahir", "tanggal lahir")),
    ColumnRule("session", ("Sesi",), pattern=r"sesi\s*(\d+)"),
]


def test_header_names_are_compared_loosely() -> None:
    assert header_key("TGL_LAHIR") == header_key("Tgl. Lahir") == "tgl lahir"
    assert header_key("tanggalSelesaiKursus") == "tanggal selesai kursus"
    assert column_letter(0) == "A" and column_letter(27) == "AB"


def test_the_header_is_found_below_title_rows() -> None:
    rows = [
        ["DAFTAR PEGAWAI", None, None],
        [None, None, None],
        ["nip baru", "NAMA LENGKAP", "tanggal lahir"],
        [NIP, "Rahmah", "17-08-1990"],
    ]
    layout = locate_header(rows, RULES)
    assert layout.ok
    assert layout.header_rows == (2,)
    assert layout.columns == {"nip": 0, "name": 1, "birth": 2}
    assert [p.code for p in layout.problems] == ["title_rows"]
    assert layout.data_start == 3


def test_a_header_merged_over_two_rows_is_read_together() -> None:
    rows = [
        ["No", "NIP", "Nama", "Kehadiran", None, None],
        [None, None, None, "Sesi 1", "Sesi 2", "Sesi 3"],
        ["1", NIP, "Rahmah", "H", "-", "H"],
    ]
    layout = locate_header(rows, RULES)
    assert layout.ok
    assert layout.header_rows == (0, 1)
    assert layout.columns["nip"] == 1
    assert layout.numbered["session"] == {1: 3, 2: 4, 3: 5}
    assert "header_two_rows" in [p.code for p in layout.problems]


def test_a_missing_required_column_lists_the_names_accepted() -> None:
    layout = locate_header([["NIP", "Unit"], [NIP, "X"]], RULES)
    assert not layout.ok
    [problem] = [p for p in layout.problems if p.severity == "error"]
    assert problem.code == "column_missing"
    assert "nama lengkap" in problem.message_en


def test_a_column_given_twice_is_refused() -> None:
    layout = locate_header([["NIP", "Nama", "NIP Baru"], [NIP, "A", NIP]], RULES)
    assert [p.code for p in layout.problems] == ["header_duplicate"]
    assert "(columns A, C)" in layout.problems[0].message_en


def test_no_header_at_all() -> None:
    layout = locate_header([["a", "b"], ["1", "2"]], RULES)
    assert [p.code for p in layout.problems] == ["header_missing"]


def test_a_repeated_header_and_duplicate_rows_are_recognised() -> None:
    rows = [
        ["NIP", "Nama"],
        [NIP, "Rahmah"],
        ["NIP", "Nama"],
        [NIP, "Rahmah "],
        [None, None],
        [None, None],
    ]
    layout = locate_header(rows, RULES)
    assert is_header_repeat(rows[2], layout)
    assert not is_header_repeat(rows[1], layout)
    assert duplicate_rows(rows, [0, 1], start=1) == [(3, 1)]


# --- CSV ------------------------------------------------------------------------------------


def test_utf8_with_a_byte_order_mark_is_read_without_a_note() -> None:
    data = codecs.BOM_UTF8 + "NIP,Nama\r\n1,André\r\n".encode()
    decoded = read_csv_bytes(data)
    assert decoded.encoding == "utf-8-sig"
    assert decoded.delimiter == ","
    assert decoded.rows == [["NIP", "Nama"], ["1", "André"]]
    assert decoded.notes == ()


def test_windows_1252_is_the_fallback_with_a_note() -> None:
    data = "NIP;Nama\r\n1;Nur’aini\r\n2;Désy\r\n".encode("cp1252")
    decoded = read_csv_bytes(data)
    assert decoded.encoding == "cp1252"
    assert decoded.delimiter == ";"
    assert decoded.rows[1] == ["1", "Nur’aini"]
    assert decoded.rows[2] == ["2", "Désy"]
    assert [n.code for n in decoded.notes] == ["encoding"]
    assert "line 2" in decoded.notes[0].message_en


def test_bytes_undefined_in_windows_1252_still_decode() -> None:
    text, encoding, _notes = decode_text(b"a;\x81b\r\n")
    assert encoding == "latin-1"
    assert text.startswith("a;")


def test_the_separator_is_sniffed_from_the_first_line() -> None:
    assert sniff_delimiter('NIP;Nama;"Unit, Kerja"\n') == ";"
    assert sniff_delimiter("NIP,Nama,Unit\n") == ","
    assert sniff_delimiter("NIP\tNama\tUnit\n") == "\t"


def test_time_cells_are_not_dates() -> None:
    with pytest.raises(CellError):
        read_date(time(8, 0))
