"""XLSForm in and out, without Django: a workbook ⇄ plain dataclasses.

XLSForm (https://xlsform.org/en/, the spreadsheet standard of ODK and
KoboToolbox) describes a form in three sheets:

``survey``
    one row per question or group: ``type``, ``name``, ``label`` or
    ``label::<Language> (<code>)``, ``hint``, ``required``, ``relevant``,
    ``constraint``, ``appearance`` …
``choices``
    the answer lists: ``list_name``, ``name``, ``label`` / ``label::…``
``settings``
    one row: ``form_title``, ``form_id``, ``version``, ``default_language`` …

:func:`read_xlsform` reads such a workbook into a :class:`FormDef` (an
instrument, one version, its items, options and rating scales) and collects
*every* fault with its sheet, row and column, in Indonesian and English,
before it raises :class:`XlsformError`.  :func:`write_xlsform` builds the
workbook from a :class:`FormDef`.  Mutu facts XLSForm has no column for are
kept in ``mutu_*`` columns, which ODK and KoboToolbox ignore (pyxform leaves
unknown survey and settings columns out of the XForm), so an exported form
reads back into an identical :class:`FormDef`:

=====================  ========  =================================================
column                 sheet     meaning
=====================  ========  =================================================
``mutu_code``          survey    the item code (``name`` is its XML-safe form)
``mutu_order``         survey    the item's order number
``mutu_dimension``     survey    the dimension (empty: none); without the column,
                                 the innermost group's name
``mutu_scale``         survey    the rating scale's name (the row is a rating)
``mutu_reverse``       survey    ``yes`` for a reverse-scored rating
``mutu_correct``       survey    the correct choice of a test item (answer key)
``mutu_correct_options`` survey  the choices marked correct, space-separated;
                                 without the column, the answer key alone
``mutu_points``        survey    the points of the item (default 1)
``mutu_code``          choices   the option code, when it differs from ``name``
``mutu_order``         choices   the option's order, when not 1, 2, 3 …
``mutu_kind``          settings  the instrument kind (default ``other``)
``mutu_anonymous``     settings  ``yes`` / ``no`` (default ``no``)
``mutu_title_en``      settings  the English title (``form_title`` is Indonesian)
``mutu_published_at``  settings  when the version was published (ISO 8601)
``mutu_locked``        settings  ``yes`` when the version is locked
=====================  ========  =================================================

The correct answer sits on the *survey* sheet on purpose: pyxform copies
extra ``choices`` columns into the XForm, where a respondent could read them.

Type mapping (Mutu → XLSForm → Mutu):

* rating (likert) ↔ ``select_one <list>`` with ``appearance`` ``likert``,
  the list's choice names being the scale's points ``min … max``;
* multiple choice ↔ ``select_one <list>``;
* number ↔ ``decimal`` (``integer`` and ``range`` also read as numbers);
* free text ↔ ``text``;
* dimensions ↔ ``begin_group`` / ``end_group`` around the items of one
  dimension.

``note``, ``calculate``, ``hidden`` and the metadata types (``start``,
``end``, ``today``, ``deviceid``, ``username`` …) hold no answer a person
gives; they are skipped with a notice.  Every other type (``select_multiple``,
``geopoint``, ``image``, ``date``, ``begin_repeat`` …) is refused, naming its
row: Mutu stores one number, option or text per answer and no repeats.
"""

from __future__ import annotations

import io
import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import IO, Any

from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from mutu.domain.errors import MutuValueError

__all__ = [
    "LANG_EN",
    "LANG_ID",
    "FormDef",
    "Issue",
    "ItemDef",
    "OptionDef",
    "ScaleDef",
    "XlsformError",
    "read_xlsform",
    "write_xlsform",
    "xlsform_bytes",
]

#: The language columns Mutu writes (``label::Indonesian (id)`` …).
LANG_ID = "Indonesian (id)"
LANG_EN = "English (en)"

# Mutu item types (the values of ``mutu.instruments.models.ItemType``; this module
# does not import Django).
LIKERT = "likert"
MULTIPLE_CHOICE = "multiple_choice"
NUMERIC = "numeric"
TEXT = "text"

DEFAULT_KIND = "other"
#: Longest codes and texts the models hold.
MAX_CODE = 40
MAX_DIMENSION = 60
MAX_TITLE = 250
MAX_OPTION_TEXT = 500
MAX_SCALE_NAME = 100
MAX_SMALL = 32767

SURVEY_COLUMNS = (
    "type",
    "name",
    f"label::{LANG_ID}",
    f"label::{LANG_EN}",
    "appearance",
    "mutu_code",
    "mutu_order",
    "mutu_dimension",
    "mutu_scale",
    "mutu_reverse",
    "mutu_correct",
    "mutu_correct_options",
    "mutu_points",
)
SETTINGS_COLUMNS = (
    "form_title",
    "form_id",
    "version",
    "default_language",
    "mutu_title_en",
    "mutu_kind",
    "mutu_anonymous",
    "mutu_published_at",
    "mutu_locked",
)

NUMERIC_TYPES = frozenset({"integer", "int", "decimal", "range"})
TEXT_TYPES = frozenset({"text", "string"})
#: Types without an answer a person gives: skipped with a notice.
SKIPPED_TYPES = frozenset(
    {
        "note",
        "calculate",
        "hidden",
        "start",
        "end",
        "today",
        "deviceid",
        "subscriberid",
        "simserial",
        "phonenumber",
        "username",
        "email",
        "audit",
        "start-geopoint",
        "background-audio",
        "xml-external",
        "csv-external",
    }
)
#: Survey columns whose content Mutu does not keep (a notice names them).
DROPPED_COLUMNS = (
    "hint",
    "required",
    "required_message",
    "relevant",
    "constraint",
    "constraint_message",
    "default",
    "read_only",
    "calculation",
    "choice_filter",
    "parameters",
    "repeat_count",
    "trigger",
    "guidance_hint",
)
YES = frozenset({"yes", "y", "true", "true()", "1", "ya"})
NO = frozenset({"no", "n", "false", "false()", "0", "tidak"})
XML_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")
INDONESIAN_NAMES = frozenset({"indonesian", "indonesia", "bahasa indonesia", "bahasa"})
ENGLISH_NAMES = frozenset({"english", "inggris", "bahasa inggris"})


# --- the result ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Issue:
    """A fault or a notice, located by sheet, Excel row (header = 1) and column."""

    sheet: str
    row: int | None
    column: str | None
    message_id: str
    message_en: str

    def where(self) -> str:
        parts = [f"lembar/sheet {self.sheet}"]
        if self.row is not None:
            parts.append(f"baris/row {self.row}")
        if self.column:
            parts.append(f"kolom/column {self.column}")
        return ", ".join(parts)

    def line(self, lang: str = "both") -> str:
        """``where: message`` in Indonesian, English (``lang`` ``id``/``en``) or both."""
        if lang == "id":
            text = self.message_id
        elif lang == "en":
            text = self.message_en
        else:
            text = f"{self.message_id} / {self.message_en}"
        return f"{self.where()}: {text}"


class XlsformError(MutuValueError):
    """A form Mutu cannot take, with every fault found (see :attr:`issues`)."""

    def __init__(self, issues: Sequence[Issue]) -> None:
        self.issues = tuple(issues)
        n = len(self.issues)
        first = self.issues[0].line() if self.issues else ""
        super().__init__(
            f"Formulir XLSForm memiliki {n} kesalahan; tidak ada yang disimpan. {first}",
            f"The XLSForm has {n} error(s); nothing was written. {first}",
        )


@dataclass(frozen=True, slots=True)
class ScaleDef:
    """A rating scale: its points ``min_value … max_value`` and their labels."""

    name: str
    min_value: int
    max_value: int
    #: Per point, the label in each language: ``{"1": {"id": "…", "en": "…"}}``.
    labels: dict[str, dict[str, str]]


@dataclass(frozen=True, slots=True)
class OptionDef:
    """A choice of a multiple-choice item."""

    code: str
    order: int
    text_id: str
    text_en: str = ""
    is_correct: bool = False


@dataclass(frozen=True, slots=True)
class ItemDef:
    """A question; ``scale`` names a :class:`ScaleDef` of the form (ratings only)."""

    code: str
    order: int
    text_id: str
    item_type: str
    text_en: str = ""
    dimension: str = ""
    scale: str | None = None
    is_reverse: bool = False
    answer_key: str = ""
    points: Decimal = Decimal(1)
    options: tuple[OptionDef, ...] = ()
    #: The survey row it was read from (not part of equality).
    row: int | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class FormDef:
    """An instrument with one version: what an XLSForm holds for Mutu.

    ``version`` is ``None`` when the form's ``version`` setting is not a Mutu
    version number (1–32767); the importer then chooses it.  Equality
    compares everything but :attr:`notices` and the items' rows.
    """

    code: str
    title_id: str
    kind: str
    items: tuple[ItemDef, ...]
    scales: tuple[ScaleDef, ...] = ()
    title_en: str = ""
    is_anonymous: bool = False
    version: int | None = None
    published_at: datetime | None = None
    is_locked: bool = False
    notices: tuple[Issue, ...] = field(default=(), compare=False)

    def normalized(self) -> FormDef:
        """Items in (order, code) order, options likewise, scales in order of first use."""
        items = tuple(
            replace(i, options=tuple(sorted(i.options, key=lambda o: (o.order, o.code))))
            for i in sorted(self.items, key=lambda i: (i.order, i.code))
        )
        by_name = {s.name: s for s in self.scales}
        used: list[ScaleDef] = []
        for item in items:
            if item.scale is not None and item.scale in by_name:
                scale = by_name.pop(item.scale)
                used.append(scale)
        return replace(self, items=items, scales=tuple(used) + tuple(by_name.values()))


# --- reading ------------------------------------------------------------------------------


@dataclass(slots=True)
class _Sheet:
    """One sheet as text: headers (normalised), their letters, and the data rows."""

    title: str
    headers: list[str]
    letters: dict[str, str]
    rows: list[tuple[int, dict[str, str]]]

    def has(self, column: str) -> bool:
        return column in self.letters

    def col(self, column: str) -> str:
        """``name (C)`` for a message; the bare name when the sheet lacks the column."""
        letter = self.letters.get(column)
        return f"{column} ({letter})" if letter else column


def _text(value: Any) -> str:
    """A cell as text: whole numbers without ``.0``, booleans as yes/no, dates in ISO."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value).strip()


def _header(value: Any) -> str:
    """``Label::English (en)`` → ``label::English (en)``: the part before ``::`` lower-cased."""
    text = _text(value)
    if "::" in text:
        base, _sep, rest = text.partition("::")
        return f"{base.strip().lower()}::{rest.strip()}"
    return text.lower()


def _read_sheet(ws: Worksheet, issues: list[Issue]) -> _Sheet:
    rows = ws.iter_rows(values_only=True)
    first = next(rows, None) or ()
    headers: list[str] = []
    letters: dict[str, str] = {}
    for index, value in enumerate(first, start=1):
        name = _header(value)
        headers.append(name)
        if not name:
            continue
        letter = get_column_letter(index)
        if name in letters:
            issues.append(
                Issue(
                    ws.title,
                    1,
                    f"{name} ({letter})",
                    f"Kolom {name} muncul dua kali (juga di {letters[name]}); hapus salah satunya.",
                    f"Column {name} appears twice (also in {letters[name]}); delete one of them.",
                )
            )
            continue
        letters[name] = letter
    data: list[tuple[int, dict[str, str]]] = []
    for number, values in enumerate(rows, start=2):
        row = {
            headers[i]: _text(v)
            for i, v in enumerate(values)
            if i < len(headers) and headers[i] and v is not None
        }
        if any(row.values()):
            data.append((number, row))
    return _Sheet(ws.title, headers, letters, data)


def _language(spec: str) -> str:
    """``Indonesian (id)`` → ``id``; ``English`` → ``en``; anything else as given (lower-cased)."""
    text = spec.strip()
    match = re.search(r"\(([^()]*)\)\s*$", text)
    if match:
        code = match.group(1).strip().lower()
        if code in {"id", "ind", "in"}:
            return "id"
        if code in {"en", "eng"}:
            return "en"
    name = re.sub(r"\s*\([^()]*\)\s*$", "", text).strip().lower()
    if name in INDONESIAN_NAMES:
        return "id"
    if name in ENGLISH_NAMES:
        return "en"
    return name or text.lower()


@dataclass(frozen=True, slots=True)
class _Labels:
    """Which columns hold the label in which language (plain ``label`` = default language)."""

    columns: tuple[tuple[str, str], ...]  # (column, language)

    @classmethod
    def of(cls, sheet: _Sheet, default_language: str) -> _Labels:
        found: list[tuple[str, str]] = []
        for name in sheet.headers:
            if name == "label":
                found.append((name, default_language))
            elif name.startswith("label::"):
                found.append((name, _language(name.split("::", 1)[1])))
        return cls(tuple(found))

    def texts(self, row: dict[str, str]) -> dict[str, str]:
        texts: dict[str, str] = {}
        for column, lang in self.columns:
            value = row.get(column, "")
            if value and lang not in texts:
                texts[lang] = value
        return texts

    def pair(self, row: dict[str, str]) -> tuple[str, str]:
        """(Indonesian, English); without Indonesian, English or another language stands in."""
        texts = self.texts(row)
        text_en = texts.get("en", "")
        text_id = texts.get("id", "")
        if not text_id:
            others = [v for k, v in texts.items() if k not in {"id", "en"}]
            text_id = text_en or (others[0] if others else "")
        return text_id, text_en


def _yes_no(
    value: str, *, default: bool, sheet: _Sheet, row: int, column: str, issues: list[Issue]
) -> bool:
    text = value.strip().lower()
    if not text:
        return default
    if text in YES:
        return True
    if text in NO:
        return False
    issues.append(
        Issue(
            sheet.title,
            row,
            sheet.col(column),
            f"{value!r} bukan ya/tidak; tulis yes atau no.",
            f"{value!r} is not yes/no; write yes or no.",
        )
    )
    return default


def _whole(value: str, *, low: int, high: int) -> int | None:
    text = value.strip()
    if not re.fullmatch(r"[+-]?\d+", text):
        return None
    number = int(text)
    return number if low <= number <= high else None


def _open(source: Path | str | bytes | IO[bytes]) -> Any:
    if isinstance(source, bytes):
        return load_workbook(io.BytesIO(source), data_only=True)
    return load_workbook(source, data_only=True)


def read_xlsform(
    source: Path | str | bytes | IO[bytes],
    *,
    fallback_code: str = "",
    kinds: Collection[str] | None = None,
) -> FormDef:
    """Read an XLSForm workbook (``.xlsx``) into a :class:`FormDef`.

    Parameters
    ----------
    source
        A path, the file's bytes, or a binary file object.
    fallback_code
        The instrument code when the settings sheet has no ``form_id``
        (pyxform uses the file name the same way).
    kinds
        The instrument kinds allowed in ``mutu_kind``; ``None`` accepts any.

    Raises
    ------
    XlsformError
        With every fault found, each with its sheet, row and column.
    """
    issues: list[Issue] = []
    notices: list[Issue] = []
    try:
        book = _open(source)
    except Exception as err:  # openpyxl raises many kinds for a file that is no workbook
        raise XlsformError(
            [
                Issue(
                    "-",
                    None,
                    None,
                    f"Berkas ini bukan buku kerja Excel (.xlsx) yang dapat dibaca: {err}",
                    f"This file is not a readable Excel workbook (.xlsx): {err}",
                )
            ]
        ) from err
    sheets = {ws.title.strip().lower(): ws for ws in book.worksheets}
    if "survey" not in sheets:
        raise XlsformError(
            [
                Issue(
                    "survey",
                    None,
                    None,
                    "Lembar 'survey' tidak ada; XLSForm memerlukan lembar survey "
                    f"(lembar yang ada: {', '.join(ws.title for ws in book.worksheets)}).",
                    "There is no 'survey' sheet; an XLSForm needs one "
                    f"(sheets found: {', '.join(ws.title for ws in book.worksheets)}).",
                )
            ]
        )
    survey = _read_sheet(sheets["survey"], issues)
    choices = _read_sheet(sheets["choices"], issues) if "choices" in sheets else None
    settings = _read_sheet(sheets["settings"], issues) if "settings" in sheets else None

    head = _settings(settings, fallback_code, kinds, issues, notices)
    default_language = _language(head["default_language"]) if head["default_language"] else "id"
    lists = _choice_lists(choices, default_language, issues)
    items, scales = _survey(survey, lists, choices, default_language, issues, notices)
    if issues:
        raise XlsformError(issues)
    form = FormDef(
        code=head["code"],
        title_id=head["title_id"],
        title_en=head["title_en"],
        kind=head["kind"],
        is_anonymous=head["anonymous"],
        version=head["version"],
        published_at=head["published_at"],
        is_locked=head["locked"],
        items=tuple(items),
        scales=tuple(scales),
        notices=tuple(notices),
    )
    return form.normalized()


def _settings(
    sheet: _Sheet | None,
    fallback_code: str,
    kinds: Collection[str] | None,
    issues: list[Issue],
    notices: list[Issue],
) -> dict[str, Any]:
    """The settings row: code, titles, kind, anonymity, version, published, locked."""
    name = sheet.title if sheet is not None else "settings"
    row_number = sheet.rows[0][0] if sheet is not None and sheet.rows else 2
    row = sheet.rows[0][1] if sheet is not None and sheet.rows else {}
    probe = sheet or _Sheet(name, [], {}, [])

    def note(column: str, message_id: str, message_en: str) -> None:
        notices.append(Issue(name, row_number, probe.col(column), message_id, message_en))

    def fault(column: str, message_id: str, message_en: str) -> None:
        issues.append(Issue(name, row_number, probe.col(column), message_id, message_en))

    code = row.get("form_id", "")
    if not code:
        code = fallback_code
        if code:
            note(
                "form_id",
                f"form_id kosong; kode instrumen diambil dari nama berkas: {code}.",
                f"form_id is empty; the instrument code is taken from the file name: {code}.",
            )
        else:
            fault(
                "form_id",
                "form_id kosong; Mutu memakainya sebagai kode instrumen.",
                "form_id is empty; Mutu uses it as the instrument code.",
            )
    if len(code) > MAX_CODE:
        fault(
            "form_id",
            f"form_id {code!r} lebih dari {MAX_CODE} karakter (kode instrumen).",
            f"form_id {code!r} is longer than {MAX_CODE} characters (the instrument code).",
        )
    title_id = row.get("form_title", "")
    if not title_id:
        title_id = code
        if code:
            note(
                "form_title",
                f"form_title kosong; judul diisi dengan kode {code}.",
                f"form_title is empty; the title is set to the code {code}.",
            )
    title_en = row.get("mutu_title_en", "")
    for column, title in (("form_title", title_id), ("mutu_title_en", title_en)):
        if len(title) > MAX_TITLE:
            fault(
                column,
                f"Judul lebih dari {MAX_TITLE} karakter.",
                f"The title is longer than {MAX_TITLE} characters.",
            )
    kind = row.get("mutu_kind", "").strip().lower()
    if not kind:
        kind = DEFAULT_KIND
        note(
            "mutu_kind",
            f"Jenis instrumen tidak diberikan (kolom mutu_kind); dipakai '{DEFAULT_KIND}'.",
            f"No instrument kind given (column mutu_kind); '{DEFAULT_KIND}' is used.",
        )
    elif kinds is not None and kind not in kinds:
        fault(
            "mutu_kind",
            f"Jenis instrumen {kind!r} tidak dikenal; pilih salah satu: {', '.join(kinds)}.",
            f"Unknown instrument kind {kind!r}; choose one of: {', '.join(kinds)}.",
        )
    if "mutu_anonymous" not in row:
        note(
            "mutu_anonymous",
            "Anonimitas tidak diberikan (kolom mutu_anonymous); instrumen dibuat tidak anonim.",
            "Anonymity not given (column mutu_anonymous); the instrument is made not anonymous.",
        )
    anonymous = _yes_no(
        row.get("mutu_anonymous", ""),
        default=False,
        sheet=probe,
        row=row_number,
        column="mutu_anonymous",
        issues=issues,
    )
    locked = _yes_no(
        row.get("mutu_locked", ""),
        default=False,
        sheet=probe,
        row=row_number,
        column="mutu_locked",
        issues=issues,
    )
    raw_version = row.get("version", "")
    version = _whole(raw_version, low=1, high=MAX_SMALL) if raw_version else None
    if raw_version and version is None:
        note(
            "version",
            f"Versi {raw_version!r} bukan nomor versi Mutu (1-{MAX_SMALL}); Mutu memberi nomor "
            "sendiri (1 untuk instrumen baru, atau versi berikutnya bila isinya berubah).",
            f"Version {raw_version!r} is not a Mutu version number (1-{MAX_SMALL}); Mutu numbers "
            "it itself (1 for a new instrument, or the next version when the content changed).",
        )
    published_at: datetime | None = None
    raw_published = row.get("mutu_published_at", "")
    if raw_published:
        try:
            published_at = datetime.fromisoformat(raw_published)
        except ValueError:
            fault(
                "mutu_published_at",
                f"{raw_published!r} bukan waktu ISO 8601 (contoh 2024-01-02T08:00:00+07:00).",
                f"{raw_published!r} is not an ISO 8601 time (e.g. 2024-01-02T08:00:00+07:00).",
            )
        else:
            if published_at.tzinfo is None:
                published_at = None
                fault(
                    "mutu_published_at",
                    "Waktu terbit tanpa zona waktu; tambahkan, mis. +07:00.",
                    "The publication time has no time zone; add one, e.g. +07:00.",
                )
    return {
        "code": code,
        "title_id": title_id,
        "title_en": title_en,
        "kind": kind,
        "anonymous": anonymous,
        "locked": locked,
        "version": version,
        "published_at": published_at,
        "default_language": row.get("default_language", ""),
    }


@dataclass(slots=True)
class _Choice:
    row: int
    name: str
    code: str
    order: int | None
    text_id: str
    text_en: str
    texts: dict[str, str]


def _choice_lists(
    sheet: _Sheet | None, default_language: str, issues: list[Issue]
) -> dict[str, list[_Choice]]:
    """The choices sheet by list name, each list in row order."""
    lists: dict[str, list[_Choice]] = {}
    if sheet is None:
        return lists
    missing = [c for c in ("list_name", "name") if not sheet.has(c)]
    for column in missing:
        issues.append(
            Issue(
                sheet.title,
                1,
                column,
                f"Kolom {column} tidak ada di lembar choices.",
                f"The choices sheet has no column {column}.",
            )
        )
    if missing:
        return lists
    labels = _Labels.of(sheet, default_language)
    seen: dict[tuple[str, str], int] = {}
    for number, row in sheet.rows:
        list_name = row.get("list_name", "")
        name = row.get("name", "")
        if not list_name or not name:
            column = "list_name" if not list_name else "name"
            issues.append(
                Issue(
                    sheet.title,
                    number,
                    sheet.col(column),
                    f"{column} kosong; setiap pilihan memerlukan list_name dan name.",
                    f"{column} is empty; every choice needs a list_name and a name.",
                )
            )
            continue
        key = (list_name, name)
        if key in seen:
            issues.append(
                Issue(
                    sheet.title,
                    number,
                    sheet.col("name"),
                    f"Pilihan {name!r} sudah ada di daftar {list_name!r} (baris {seen[key]}).",
                    f"Choice {name!r} is already in list {list_name!r} (row {seen[key]}).",
                )
            )
            continue
        seen[key] = number
        code = row.get("mutu_code", "") or name
        order: int | None = None
        if row.get("mutu_order"):
            order = _whole(row["mutu_order"], low=0, high=MAX_SMALL)
            if order is None:
                issues.append(
                    Issue(
                        sheet.title,
                        number,
                        sheet.col("mutu_order"),
                        f"mutu_order {row['mutu_order']!r} bukan bilangan bulat 0-{MAX_SMALL}.",
                        f"mutu_order {row['mutu_order']!r} is not a whole number 0-{MAX_SMALL}.",
                    )
                )
        text_id, text_en = labels.pair(row)
        lists.setdefault(list_name, []).append(
            _Choice(number, name, code, order, text_id, text_en, labels.texts(row))
        )
    return lists


def _parse_type(raw: str) -> tuple[str, list[str]]:
    """``select_one  yes_no`` → (``select_one``, [``yes_no``]); spaced aliases joined."""
    words = raw.strip().lower().split()
    if not words:
        return "", []
    base = words[0]
    rest = raw.strip().split()[1:]
    if base in {"begin", "end"} and rest and rest[0].lower() in {"group", "repeat"}:
        return f"{base}_{rest[0].lower()}", rest[1:]
    if base == "select" and rest and rest[0].lower() in {"one", "multiple"}:
        return f"select_{rest[0].lower()}", rest[1:]
    if base == "select1":
        return "select_one", rest
    return base, rest


def _survey(
    sheet: _Sheet,
    lists: dict[str, list[_Choice]],
    choices: _Sheet | None,
    default_language: str,
    issues: list[Issue],
    notices: list[Issue],
) -> tuple[list[ItemDef], list[ScaleDef]]:
    """The questions of the survey sheet (groups give dimensions), with their scales."""
    name = sheet.title
    before = len(issues)
    for column in ("type", "name"):
        if not sheet.has(column):
            issues.append(
                Issue(
                    name,
                    1,
                    column,
                    f"Kolom {column} tidak ada di lembar survey.",
                    f"The survey sheet has no column {column}.",
                )
            )
    if not any(h == "label" or h.startswith("label::") for h in sheet.headers):
        issues.append(
            Issue(
                name,
                1,
                "label",
                "Lembar survey tidak memiliki kolom label (label atau label::Bahasa (kode)).",
                "The survey sheet has no label column (label or label::Language (code)).",
            )
        )
    if len(issues) > before:
        return [], []
    dropped = [h for h in sheet.headers if h and h.split("::", 1)[0] in DROPPED_COLUMNS]
    for column in dropped:
        used = [n for n, row in sheet.rows if row.get(column)]
        if used:
            notices.append(
                Issue(
                    name,
                    used[0],
                    sheet.col(column),
                    f"Mutu tidak menyimpan kolom {column} ({len(used)} baris); isinya diabaikan.",
                    f"Mutu does not keep column {column} ({len(used)} rows); it is ignored.",
                )
            )
    labels = _Labels.of(sheet, default_language)
    has_dimension = sheet.has("mutu_dimension")
    has_correct_options = sheet.has("mutu_correct_options")
    groups: list[tuple[str, int]] = []
    items: list[ItemDef] = []
    codes: dict[str, int] = {}
    scales: dict[str, tuple[ScaleDef, int]] = {}
    skipped: dict[str, list[int]] = {}
    position = 0

    def fault(row: int, column: str, message_id: str, message_en: str) -> None:
        issues.append(Issue(name, row, sheet.col(column), message_id, message_en))

    for number, row in sheet.rows:
        raw_type = row.get("type", "")
        kind, args = _parse_type(raw_type)
        if not kind:
            fault(
                number,
                "type",
                "type kosong; setiap baris memerlukan jenis pertanyaan.",
                "type is empty; every row needs a question type.",
            )
            continue
        if kind == "begin_group":
            group = row.get("name", "")
            if not group:
                fault(
                    number,
                    "name",
                    "Grup tanpa name.",
                    "A group without a name.",
                )
            groups.append((group, number))
            continue
        if kind == "end_group":
            if not groups:
                fault(
                    number,
                    "type",
                    "end_group tanpa begin_group sebelumnya.",
                    "end_group without a begin_group before it.",
                )
            else:
                groups.pop()
            continue
        if kind in {"begin_repeat", "end_repeat"}:
            if kind == "begin_repeat":
                fault(
                    number,
                    "type",
                    f"Jenis {raw_type!r} (pengulangan) tidak didukung: Mutu menyimpan satu "
                    "jawaban per pertanyaan.",
                    f"Type {raw_type!r} (a repeat) is not supported: Mutu keeps one answer per "
                    "question.",
                )
            continue
        if kind in SKIPPED_TYPES:
            skipped.setdefault(kind, []).append(number)
            continue
        item_type: str
        list_name = ""
        if kind == "select_one":
            if len(args) != 1:
                extra = " ".join(args[1:]) if len(args) > 1 else ""
                fault(
                    number,
                    "type",
                    f"{raw_type!r}: select_one memerlukan tepat satu nama daftar"
                    + (f"; {extra!r} (mis. or_other) tidak didukung." if extra else "."),
                    f"{raw_type!r}: select_one needs exactly one list name"
                    + (f"; {extra!r} (e.g. or_other) is not supported." if extra else "."),
                )
                continue
            list_name = args[0]
            if list_name not in lists:
                fault(
                    number,
                    "type",
                    f"Daftar pilihan {list_name!r} tidak ada di lembar choices.",
                    f"Choice list {list_name!r} is not on the choices sheet.",
                )
                continue
            appearance = row.get("appearance", "").lower().split()
            item_type = (
                LIKERT if row.get("mutu_scale") or "likert" in appearance else (MULTIPLE_CHOICE)
            )
        elif kind in NUMERIC_TYPES:
            item_type = NUMERIC
        elif kind in TEXT_TYPES:
            item_type = TEXT
        elif kind == "select_multiple":
            fault(
                number,
                "type",
                f"Jenis {raw_type!r} tidak didukung: jawaban Mutu memuat satu pilihan saja. "
                "Pecah menjadi pertanyaan ya/tidak (select_one) per pilihan.",
                f"Type {raw_type!r} is not supported: a Mutu answer holds one option only. "
                "Split it into one yes/no question (select_one) per choice.",
            )
            continue
        else:
            fault(
                number,
                "type",
                f"Jenis {raw_type!r} tidak dapat disimpan Mutu (hanya penilaian skala, pilihan "
                "ganda select_one, angka integer/decimal dan teks).",
                f"Type {raw_type!r} cannot be kept by Mutu (only ratings, select_one choices, "
                "integer/decimal numbers and text).",
            )
            continue

        position += 1
        xml_name = row.get("name", "")
        code = row.get("mutu_code", "") or xml_name
        if not xml_name:
            fault(number, "name", "name kosong.", "name is empty.")
        if not code:
            continue
        if len(code) > MAX_CODE:
            fault(
                number,
                "mutu_code" if row.get("mutu_code") else "name",
                f"Kode butir {code!r} lebih dari {MAX_CODE} karakter.",
                f"Item code {code!r} is longer than {MAX_CODE} characters.",
            )
        if code in codes:
            fault(
                number,
                "mutu_code" if row.get("mutu_code") else "name",
                f"Kode butir {code!r} sudah dipakai di baris {codes[code]}; setiap butir "
                "memerlukan kode unik.",
                f"Item code {code!r} is already used in row {codes[code]}; every item needs a "
                "unique code.",
            )
            continue
        codes[code] = number
        text_id, text_en = labels.pair(row)
        if not text_id:
            fault(
                number,
                "label",
                "Pertanyaan tanpa label (teks).",
                "A question without a label (text).",
            )
        order = position
        if row.get("mutu_order"):
            parsed = _whole(row["mutu_order"], low=0, high=MAX_SMALL)
            if parsed is None:
                fault(
                    number,
                    "mutu_order",
                    f"mutu_order {row['mutu_order']!r} bukan bilangan bulat 0-{MAX_SMALL}.",
                    f"mutu_order {row['mutu_order']!r} is not a whole number 0-{MAX_SMALL}.",
                )
            else:
                order = parsed
        if has_dimension:
            dimension = row.get("mutu_dimension", "")
        else:
            dimension = groups[-1][0] if groups else ""
        if len(dimension) > MAX_DIMENSION:
            fault(
                number,
                "mutu_dimension" if has_dimension else "name",
                f"Dimensi {dimension!r} lebih dari {MAX_DIMENSION} karakter.",
                f"Dimension {dimension!r} is longer than {MAX_DIMENSION} characters.",
            )
        points = Decimal(1)
        if row.get("mutu_points"):
            try:
                points = Decimal(row["mutu_points"].replace(",", "."))
            except InvalidOperation:
                points = Decimal(-1)
            if not points.is_finite() or points < 0 or points >= 10_000:
                fault(
                    number,
                    "mutu_points",
                    f"mutu_points {row['mutu_points']!r} bukan angka 0-9999.",
                    f"mutu_points {row['mutu_points']!r} is not a number 0-9999.",
                )
                points = Decimal(1)
        reverse = _yes_no(
            row.get("mutu_reverse", ""),
            default=False,
            sheet=sheet,
            row=number,
            column="mutu_reverse",
            issues=issues,
        )
        if reverse and item_type != LIKERT:
            fault(
                number,
                "mutu_reverse",
                "Hanya butir penilaian skala (likert) yang dapat dibalik.",
                "Only a rating (likert) item can be reverse-scored.",
            )
        correct = row.get("mutu_correct", "")
        if correct and item_type != MULTIPLE_CHOICE:
            fault(
                number,
                "mutu_correct",
                "Hanya butir pilihan ganda (select_one tanpa skala) yang memiliki kunci jawaban.",
                "Only a multiple-choice item (select_one without a scale) has an answer key.",
            )
            correct = ""
        scale_name: str | None = None
        options: tuple[OptionDef, ...] = ()
        answer_key = ""
        if item_type == LIKERT:
            scale_name = row.get("mutu_scale", "") or list_name
            scale = _scale(scale_name, list_name, lists[list_name], choices, issues)
            if scale is not None:
                known = scales.get(scale_name)
                if known is None:
                    scales[scale_name] = (scale, number)
                elif known[0] != scale:
                    fault(
                        number,
                        "mutu_scale" if row.get("mutu_scale") else "type",
                        f"Skala {scale_name!r} di baris {known[1]} memiliki titik atau label "
                        "lain; satu nama skala untuk satu isi.",
                        f"Scale {scale_name!r} in row {known[1]} has other points or labels; "
                        "one scale name, one content.",
                    )
        elif item_type == MULTIPLE_CHOICE:
            listed = lists[list_name]
            by_name = {c.name: c for c in listed}
            if correct and correct not in by_name:
                fault(
                    number,
                    "mutu_correct",
                    f"Kunci jawaban {correct!r} bukan pilihan daftar {list_name!r}.",
                    f"Answer key {correct!r} is not a choice of list {list_name!r}.",
                )
                correct = ""
            marked: set[str] = {correct} if correct else set()
            if has_correct_options:
                marked = set(row.get("mutu_correct_options", "").split())
                unknown = sorted(marked - set(by_name))
                if unknown:
                    fault(
                        number,
                        "mutu_correct_options",
                        f"Pilihan {', '.join(unknown)} tidak ada di daftar {list_name!r}.",
                        f"Choices {', '.join(unknown)} are not in list {list_name!r}.",
                    )
            answer_key = by_name[correct].code if correct else ""
            options = _options(listed, marked, choices, issues)
        if len(answer_key) > MAX_CODE:
            answer_key = answer_key[:MAX_CODE]
        items.append(
            ItemDef(
                code=code,
                order=order,
                text_id=text_id,
                text_en=text_en,
                dimension=dimension,
                item_type=item_type,
                scale=scale_name,
                is_reverse=reverse,
                answer_key=answer_key,
                points=points,
                options=options,
                row=number,
            )
        )
    for group, number in groups:
        issues.append(
            Issue(
                name,
                number,
                sheet.col("type"),
                f"Grup {group!r} dibuka di sini tetapi tidak ditutup (end_group).",
                f"Group {group!r} is opened here but never closed (end_group).",
            )
        )
    for kind, rows in skipped.items():
        notices.append(
            Issue(
                name,
                rows[0],
                sheet.col("type"),
                f"{len(rows)} baris berjenis {kind} dilewati: tidak memuat jawaban responden.",
                f"{len(rows)} row(s) of type {kind} skipped: they hold no respondent's answer.",
            )
        )
    if not items and not issues:
        issues.append(
            Issue(
                name,
                None,
                None,
                "Formulir tidak memiliki pertanyaan yang dapat disimpan Mutu.",
                "The form has no question Mutu can keep.",
            )
        )
    return items, [s for s, _row in scales.values()]


def _scale(
    scale_name: str,
    list_name: str,
    listed: list[_Choice],
    choices: _Sheet | None,
    issues: list[Issue],
) -> ScaleDef | None:
    """A scale from a choice list whose names are consecutive whole numbers."""
    title = choices.title if choices is not None else "choices"
    points = [_whole(c.name, low=-MAX_SMALL, high=MAX_SMALL) for c in listed]
    numbers = [p for p in points if p is not None]
    consecutive = len(numbers) == len(listed) and numbers == list(
        range(numbers[0], numbers[0] + len(numbers))
    )
    if not consecutive or len(numbers) < 2:
        issues.append(
            Issue(
                title,
                listed[0].row,
                "name",
                f"Daftar {list_name!r} dipakai sebagai skala penilaian, jadi nama pilihannya harus "
                "bilangan bulat berurutan naik (mis. 1, 2, 3, 4, 5).",
                f"List {list_name!r} is used as a rating scale, so its choice names must be "
                "consecutive whole numbers, ascending (e.g. 1, 2, 3, 4, 5).",
            )
        )
        return None
    if len(scale_name) > MAX_SCALE_NAME:
        issues.append(
            Issue(
                title,
                listed[0].row,
                "list_name",
                f"Nama skala {scale_name!r} lebih dari {MAX_SCALE_NAME} karakter.",
                f"Scale name {scale_name!r} is longer than {MAX_SCALE_NAME} characters.",
            )
        )
    labels: dict[str, dict[str, str]] = {}
    for point, choice in zip(numbers, listed, strict=True):
        texts = {k: v for k, v in choice.texts.items() if k in {"id", "en"}}
        if texts:
            labels[str(point)] = {k: texts[k] for k in ("id", "en") if k in texts}
    return ScaleDef(scale_name, numbers[0], numbers[-1], labels)


def _options(
    listed: list[_Choice], marked: set[str], choices: _Sheet | None, issues: list[Issue]
) -> tuple[OptionDef, ...]:
    title = choices.title if choices is not None else "choices"
    options: list[OptionDef] = []
    for position, choice in enumerate(listed, start=1):
        problem = ""
        if len(choice.code) > MAX_CODE:
            problem = "code"
            issues.append(
                Issue(
                    title,
                    choice.row,
                    "name",
                    f"Kode pilihan {choice.code!r} lebih dari {MAX_CODE} karakter.",
                    f"Option code {choice.code!r} is longer than {MAX_CODE} characters.",
                )
            )
        if not choice.text_id:
            problem = "label"
            issues.append(
                Issue(
                    title,
                    choice.row,
                    "label",
                    "Pilihan tanpa label (teks).",
                    "A choice without a label (text).",
                )
            )
        elif max(len(choice.text_id), len(choice.text_en)) > MAX_OPTION_TEXT:
            problem = "label"
            issues.append(
                Issue(
                    title,
                    choice.row,
                    "label",
                    f"Teks pilihan lebih dari {MAX_OPTION_TEXT} karakter.",
                    f"The choice text is longer than {MAX_OPTION_TEXT} characters.",
                )
            )
        if problem:
            continue
        options.append(
            OptionDef(
                code=choice.code,
                order=position if choice.order is None else choice.order,
                text_id=choice.text_id,
                text_en=choice.text_en,
                is_correct=choice.name in marked,
            )
        )
    return tuple(options)


# --- writing ------------------------------------------------------------------------------


def _xml_name(text: str, used: set[str], prefix: str = "") -> str:
    """An XML name (letters, digits, ``_ . -``; not starting with a digit) unique in ``used``."""
    base = prefix + re.sub(r"[^A-Za-z0-9_.-]+", "_", text.strip())
    if not XML_NAME.match(base):
        base = "_" + base
    name = base
    n = 2
    while name.lower() in used:
        name = f"{base}_{n}"
        n += 1
    used.add(name.lower())
    return name


def _flag(value: bool) -> str:
    return "yes" if value else "no"


def _points_text(points: Decimal) -> str:
    return format(points.normalize(), "f") if points == points.to_integral() else str(points)


def _choice_name(code: str, used: set[str]) -> str:
    """An option's choice name: its code when that has no spaces and is new in the list."""
    if code and not re.search(r"\s", code) and code.lower() not in used:
        used.add(code.lower())
        return code
    return _xml_name(code or "option", used)


def write_xlsform(form: FormDef) -> Workbook:
    """The XLSForm workbook (sheets survey, choices, settings) of ``form``.

    Items are written in (order, code) order; consecutive items of one
    dimension are wrapped in a group named after it.  Ratings share one
    choice list per scale (``scale_<name>``), each multiple-choice item has
    its own list (``opt_<item>``).  Every cell is written as text.
    """
    form = form.normalized()
    scales = {s.name: s for s in form.scales}
    book = Workbook()
    survey = book.active
    assert survey is not None
    survey.title = "survey"
    choices = book.create_sheet("choices")
    settings = book.create_sheet("settings")

    survey.append(list(SURVEY_COLUMNS))
    names: set[str] = set()
    list_names: set[str] = set()
    scale_lists: dict[str, str] = {}
    choice_rows: list[dict[str, str]] = []
    need_code = False
    need_order = False
    open_group: str | None = None

    def row(**cells: str) -> None:
        survey.append([cells.get(key, "") for key in _KEYS])

    for item in form.items:
        dimension = item.dimension or None
        if dimension != open_group:
            if open_group is not None:
                row(type="end_group")
            if dimension is not None:
                row(
                    type="begin_group",
                    name=_xml_name(dimension, names),
                    label_id=dimension,
                    label_en=dimension,
                )
            open_group = dimension
        name = _xml_name(item.code, names)
        cells = {
            "name": name,
            "label_id": item.text_id,
            "label_en": item.text_en,
            "mutu_code": item.code,
            "mutu_order": str(item.order),
            "mutu_dimension": item.dimension,
            "mutu_points": _points_text(item.points),
        }
        if item.item_type == LIKERT and item.scale is not None:
            scale = scales[item.scale]
            if scale.name not in scale_lists:
                list_name = _xml_name(scale.name, list_names, prefix="scale_")
                scale_lists[scale.name] = list_name
                for point in range(scale.min_value, scale.max_value + 1):
                    label = scale.labels.get(str(point), {})
                    choice_rows.append(
                        {
                            "list_name": list_name,
                            "name": str(point),
                            "label_id": label.get("id", ""),
                            "label_en": label.get("en", ""),
                        }
                    )
            cells |= {
                "type": f"select_one {scale_lists[scale.name]}",
                "appearance": "likert",
                "mutu_scale": scale.name,
                "mutu_reverse": _flag(item.is_reverse),
            }
        elif item.item_type == MULTIPLE_CHOICE:
            list_name = _xml_name(name, list_names, prefix="opt_")
            used: set[str] = set()
            by_code: dict[str, str] = {}
            for position, option in enumerate(item.options, start=1):
                choice = _choice_name(option.code, used)
                by_code[option.code] = choice
                need_code = need_code or choice != option.code
                need_order = need_order or option.order != position
                choice_rows.append(
                    {
                        "list_name": list_name,
                        "name": choice,
                        "label_id": option.text_id,
                        "label_en": option.text_en,
                        "mutu_code": option.code,
                        "mutu_order": str(option.order),
                    }
                )
            cells |= {
                "type": f"select_one {list_name}",
                "mutu_correct": by_code.get(item.answer_key, item.answer_key),
                "mutu_correct_options": " ".join(
                    by_code[o.code] for o in item.options if o.is_correct
                ),
            }
        elif item.item_type == NUMERIC:
            cells["type"] = "decimal"
        else:
            cells["type"] = "text"
        row(**cells)
    if open_group is not None:
        row(type="end_group")

    header = ["list_name", "name", f"label::{LANG_ID}", f"label::{LANG_EN}"]
    keys = ["list_name", "name", "label_id", "label_en"]
    if need_code:
        header.append("mutu_code")
        keys.append("mutu_code")
    if need_order:
        header.append("mutu_order")
        keys.append("mutu_order")
    choices.append(header)
    for cells in choice_rows:
        choices.append([cells.get(k, "") for k in keys])

    settings.append(list(SETTINGS_COLUMNS))
    settings.append(
        [
            form.title_id,
            form.code,
            "" if form.version is None else str(form.version),
            LANG_ID,
            form.title_en,
            form.kind,
            _flag(form.is_anonymous),
            "" if form.published_at is None else form.published_at.isoformat(),
            _flag(form.is_locked),
        ]
    )
    for ws in (survey, choices, settings):
        for cells_row in ws.iter_rows():
            for cell in cells_row:
                cell.number_format = "@"
    return book


#: The keyword of each survey column in ``write_xlsform``'s ``row``.
_KEYS = tuple(
    {"label::" + LANG_ID: "label_id", "label::" + LANG_EN: "label_en"}.get(c, c)
    for c in SURVEY_COLUMNS
)


def xlsform_bytes(form: FormDef) -> bytes:
    """The ``.xlsx`` file of ``form`` (see :func:`write_xlsform`)."""
    buffer = io.BytesIO()
    write_xlsform(form).save(buffer)
    return buffer.getvalue()


def issue_lines(issues: Iterable[Issue], lang: str = "both") -> list[str]:
    """One line per issue (see :meth:`Issue.line`)."""
    return [issue.line(lang) for issue in issues]
