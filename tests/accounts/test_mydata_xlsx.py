"""`/saya/data/unduh/?format=xlsx`: the JSON's data as a workbook, nothing anonymous."""

from __future__ import annotations

import datetime as dt
import io
import json
from typing import Any

import pytest
from django.core.serializers.json import DjangoJSONEncoder
from django.test import Client
from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook

from mutu.accounts.mydata import ANSWER_SHEETS, SHEETS, mydata_collect
from mutu.imports.models import ExportLog
from mutu.people.services import discipline_record_create
from tests.accounts import test_mydata

pytestmark = pytest.mark.django_db

#: The named and anonymous forms' person, from the JSON download's tests.
person = test_mydata.person

URL = "/saya/data/unduh/"


def signed_in(person: dict[str, Any], language: str = "id") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(person["user"])
    return client


def workbook(client: Client) -> Workbook:
    answer = client.get(URL, {"format": "xlsx"})
    assert answer.status_code == 200
    assert answer["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )
    assert 'filename="data-saya-rahmat-' in answer["Content-Disposition"]
    assert answer["Content-Disposition"].endswith('.xlsx"')
    return load_workbook(io.BytesIO(answer.content))


def sheet_rows(book: Workbook, title: str) -> tuple[list[Any], list[str], list[dict[str, Any]]]:
    """(Indonesian headers, JSON keys, rows as dicts keyed by the JSON keys)."""
    values = list(book[title].iter_rows(values_only=True))
    headers, keys = list(values[0]), [str(k) for k in values[1]]
    return headers, keys, [dict(zip(keys, row, strict=True)) for row in values[2:]]


def test_the_workbook_holds_the_same_rows_as_the_json_per_section(
    person: dict[str, Any],
) -> None:
    client = signed_in(person)
    # the JSON document as the JSON download writes it, taken before the workbook's
    # download (each download is logged, and the log is part of the next one)
    document = json.loads(
        json.dumps(
            mydata_collect(user=person["user"], employee_id=person["employee"].pk),
            cls=DjangoJSONEncoder,
        )
    )
    book = workbook(client)
    assert book.sheetnames[0] == "Tentang"
    compared = 0
    for key, (title, _en) in SHEETS.items():
        assert key in document, key
        assert title in book.sheetnames, title
        headers, keys, rows = sheet_rows(book, title)
        section = document[key]
        expected = [section] if isinstance(section, dict) else section
        assert len(rows) == len(expected), key
        if expected and "id" in expected[0]:
            assert [r["id"] for r in rows] == [e["id"] for e in expected], key
        for got, want in zip(rows, expected, strict=True):
            assert set(keys) == set(want) or set(keys) >= set(want), key
            for field, value in want.items():
                if isinstance(value, str) and value and not value[:4].isdigit():
                    assert got[field] == value, (key, field)  # texts as they are
                    compared += 1
        assert len(headers) == len(keys)
    assert compared > 20
    # the named form's answers, one row per answer, with the form's id
    [given] = document["responses_given"]
    _h, _k, answers = sheet_rows(book, ANSWER_SHEETS["responses_given"][0])
    assert [a["item"] for a in answers] == [a["item"] for a in given["answers"]]
    assert {a["response"] for a in answers} == {given["id"]}
    assert "Materinya jelas" in [a["text"] for a in answers]
    # the overview sheet counts each sheet's rows
    about = list(book["Tentang"].iter_rows(values_only=True))
    counted = {row[2]: row[3] for row in about[6:] if row and row[2]}
    assert counted["enrollments"] == len(document["enrollments"])
    assert counted["responses_given[].answers"] == len(given["answers"])


def test_headers_are_indonesian_first_with_the_json_keys_below(person: dict[str, Any]) -> None:
    book = workbook(signed_in(person, "en"))  # the workbook is Indonesian-first in any language
    headers, keys, [account] = sheet_rows(book, SHEETS["account"][0])
    assert keys[0] == "username" and account["username"] == "rahmat"
    assert headers[0] == "nama pengguna"  # Django's own Indonesian name of the field
    headers, keys, _rows = sheet_rows(book, SHEETS["role_assignments"][0])
    named = dict(zip(keys, headers, strict=True))
    assert named["id"] == "ID" and named["employee_id"].endswith(" (id)")
    assert named["role_label"].endswith(" (keterangan)")


def test_nothing_anonymous_nor_secret_is_in_the_workbook(person: dict[str, Any]) -> None:
    book = workbook(signed_in(person))
    cells = [
        str(value)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    ]
    text = "\n".join(cells)
    assert "Materinya jelas" in text  # the named answer is there
    assert "Pelatihnya buruk sekali" not in text
    secret = person["secret"].instrument
    assert "Survei Rahasia Anonim" not in text and secret.code not in text
    assert "Orang Lain Sekali" not in text
    assert "argon2" not in text and "password" not in text and "token_hash" not in text
    assert len([c for c in cells if c == "Materinya jelas"]) == 1


def test_the_download_is_logged_like_the_json_one(person: dict[str, Any]) -> None:
    client = signed_in(person)
    client.get(URL)
    workbook(client)
    json_log, xlsx_log = ExportLog.objects.filter(kind="my_data").order_by("pk")
    assert (json_log.shape, xlsx_log.shape) == ("json", "xlsx")
    # the same count, plus the JSON download's own log entry, now among the exports
    assert xlsx_log.rows == json_log.rows + 1 > 1
    assert (xlsx_log.user_id, xlsx_log.personal, xlsx_log.channel) == (
        person["user"].pk,
        True,
        "web",
    )
    assert xlsx_log.file_name.endswith(".xlsx")


def test_a_formula_in_the_data_stays_text(person: dict[str, Any]) -> None:
    discipline_record_create(
        employee=person["employee"],
        level="ringan",
        sanction='=HYPERLINK("http://contoh.invalid","klik")',
        decided_on=dt.date(2025, 6, 2),
        start=dt.date(2025, 6, 2),
    )
    book = workbook(signed_in(person))
    sheet = book[SHEETS["discipline_records"][0]]
    cells = [c for row in sheet.iter_rows(min_row=3) for c in row if c.value]
    formula = [c for c in cells if str(c.value).startswith("=HYPERLINK")]
    assert formula and all(c.data_type == "s" for c in formula)


@pytest.mark.parametrize(
    ("language", "message"),
    [("id", "Format unduhan tidak dikenal"), ("en", "Unknown download format")],
)
def test_an_unknown_format_is_refused_and_not_logged(
    person: dict[str, Any], language: str, message: str
) -> None:
    answer = signed_in(person, language).get(URL, {"format": "pdf"})
    assert answer.status_code == 400
    assert message in answer.content.decode()
    assert not ExportLog.objects.filter(kind="my_data").exists()


def test_the_page_offers_both_downloads_and_anonymous_is_sent_to_sign_in(
    person: dict[str, Any],
) -> None:
    html = signed_in(person).get("/saya/data/").content.decode()
    assert 'href="/saya/data/unduh/?format=xlsx"' in html and 'href="/saya/data/unduh/"' in html
    answer = Client().get(URL, {"format": "xlsx"})
    assert answer.status_code == 302 and answer["Location"].startswith("/masuk/")
