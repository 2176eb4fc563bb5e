"""Kind ``responses``: answers to a questionnaire, from Mutu's template or KoboToolbox/ODK.

Two shapes of file are read, always for one instrument (``--instrument CODE``):

- **Mutu's template**, what ``mutu export responses --instrument CODE`` writes:
  one row per response, ``Token`` (the natural key), ``Versi``, ``Waktu Isi``,
  ``Peran``, ``Kesempatan``, ``Kode Kegiatan``, ``Kode Unit``, for an instrument
  that is not anonymous ``NIP`` (who answered) and ``NIP Dinilai`` (the
  employee rated), then one column per item code.  A row typed by staff (a
  paper questionnaire) gives its own token: any code up to 64 characters, the
  questionnaire's number for example, so that importing the file again adds
  nothing.
- **A KoboToolbox or ODK CSV export** ("XML values and headers"): the
  submission's instance ID (``meta/instanceID``, ``uuid:…``, or Kobo's
  ``_uuid``) is the natural key and is kept in ``Response.external_id``;
  ``end`` (else ``start``, else ``_submission_time``, which is UTC) is the time
  of the response; a question inside a group is read by the last part of its
  path (``grp_materi/q1`` → item ``q1``); Kobo's and ODK's metadata columns
  (``start``, ``today``, ``deviceid``, ``_id``, ``_index``, ``_status``,
  ``__version__``, ``formhub/uuid``, ``meta/…`` …) are skipped, and so are the
  one-column-per-choice copies of a select_multiple question (``q1/a``).
  ``;``, ``,`` and tab separators are all read (the engine's CSV reader).

Cells are read per item type: a rating (a whole number on the item's scale),
a number, a multiple-choice option by its code (or, with a note, by its
label), or free text.  Mutu has no select_multiple item: several choices in
one cell are refused.  An empty cell is "not recorded" and changes nothing.

**Anonymous instruments** never take identity: a file with a ``NIP``,
``NIP Dinilai`` or ``Nama`` column is refused as a whole, and the time of a
response is kept as its day only (as the personal links do), so a response
cannot be matched to a person by when it was given.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone

from mutu.domain.cells import (
    Cell,
    CellError,
    Note,
    Parsed,
    cell_text,
    is_blank,
    read_choice,
    read_date,
    read_datetime,
    read_decimal,
    read_int,
    read_nip,
    read_text,
    text_key,
)
from mutu.domain.errors import MutuValueError
from mutu.imports.engine import Change, Column, ImportRun, Issue, Kind, Row, validate
from mutu.imports.kinds._lookups import Directory, choice_labels, in_chunks
from mutu.imports.kinds.activities import activity_directory
from mutu.imports.kinds.participation import NIP_ALIASES, employees_by_nip
from mutu.instruments.field_services import MAX_TEXT
from mutu.instruments.models import (
    Answer,
    Instrument,
    InstrumentKind,
    InstrumentVersion,
    Item,
    ItemOption,
    ItemType,
    Occasion,
    RespondentRole,
    Response,
    ResponseIdentity,
)
from mutu.people.models import Employee, Unit
from mutu.programs.models import Activity

# --- answers: shared with the test-score kind -------------------------------------------------


@dataclass(frozen=True)
class Given:
    """One answer read from a cell: a number, an option, or text (one of them)."""

    value: Decimal | None = None
    option: ItemOption | None = None
    text: str = ""

    def same_as(self, answer: Answer) -> bool:
        option_id = self.option.pk if self.option is not None else None
        return (
            answer.value == self.value
            and answer.option_id == option_id
            and answer.text == self.text
        )

    def put(self, answer: Answer) -> None:
        answer.value, answer.option, answer.text = self.value, self.option, self.text


class VersionItems:
    """A version's items by code, with their options and scale, loaded once."""

    def __init__(self, version: InstrumentVersion) -> None:
        self.version = version
        self.items: dict[str, Item] = {i.code: i for i in version.items.all()}
        self.by_fold: dict[str, Item] = {c.casefold(): i for c, i in self.items.items()}
        self.options: dict[int, list[ItemOption]] = {
            i.pk: list(i.options.all()) for i in self.items.values()
        }
        self.option_by_pk = {o.pk: o for opts in self.options.values() for o in opts}
        self.code_by_pk = {i.pk: c for c, i in self.items.items()}

    def given(self, answer: Answer) -> Given:
        """A stored answer as :class:`Given` (its option from the loaded ones, no query)."""
        option = self.option_by_pk.get(answer.option_id) if answer.option_id else None
        return Given(answer.value, option, answer.text)

    def item(self, code: str) -> Item | None:
        return self.items.get(code) or self.by_fold.get(code.casefold())

    def score(self, answers: dict[str, Given]) -> Decimal | None:
        """100 × points of keyed items answered with the key ÷ points of all keyed items.

        The score as :func:`mutu.evaluation.pipeline.l2_learning.test_scores`
        computes it (an unanswered item earns nothing); None without keyed items.
        """
        keyed = [i for i in self.items.values() if i.answer_key]
        total = sum((i.points for i in keyed), Decimal(0))
        if not keyed or total <= 0:
            return None
        earned = sum(
            (
                i.points
                for i in keyed
                if (g := answers.get(i.code)) is not None
                and g.option is not None
                and g.option.code == i.answer_key
            ),
            Decimal(0),
        )
        return Decimal(100) * earned / total


def load_versions(instruments: Iterable[int]) -> dict[int, VersionItems]:
    """Every version of the instruments, by version id, with items, options and scales."""
    items = Item.objects.select_related("scale").prefetch_related("options").order_by("order")
    versions = (
        InstrumentVersion.objects.filter(instrument_id__in=list(instruments))
        .select_related("instrument")
        .prefetch_related(Prefetch("items", queryset=items))
        .order_by("instrument_id", "version")
    )
    return {v.pk: VersionItems(v) for v in versions}


def answer_reader(items: VersionItems, item: Item) -> Callable[[Cell], Parsed[Given]]:
    """A cell reader for one item: a rating, a number, an option or text, checked."""
    options = items.options.get(item.pk, [])

    def read(cell: Cell) -> Parsed[Given]:
        if item.item_type == ItemType.MULTIPLE_CHOICE:
            return _read_option(item, options, cell)
        if item.item_type == ItemType.TEXT:
            text = read_text(cell)
            if len(text.value) > MAX_TEXT:
                raise CellError(
                    f"Jawaban terlalu panjang (paling banyak {MAX_TEXT:,} karakter).".replace(
                        ",", "."
                    ),
                    f"The answer is too long (at most {MAX_TEXT:,} characters).",
                    code="text_too_long",
                )
            return Parsed(Given(text=text.value), text.notes)
        number = read_decimal(cell)
        value = number.value
        if item.item_type == ItemType.LIKERT and item.scale is not None:
            low, high = item.scale.min_value, item.scale.max_value
            if value % 1 or not low <= value <= high:
                raise CellError(
                    f"Nilai {cell_text(cell).strip()} di luar skala butir {item.code} "
                    f"({low}–{high}, bilangan bulat).",
                    f"The rating {cell_text(cell).strip()} is outside the scale of item "
                    f"{item.code} ({low}–{high}, a whole number).",
                    code="out_of_range",
                )
        if abs(value) >= Decimal("1e8") or value != value.quantize(Decimal("0.0001")):
            raise CellError(
                f"Angka {cell_text(cell).strip()} terlalu besar atau terlalu banyak desimal "
                "(paling banyak 4).",
                f"The number {cell_text(cell).strip()} is too large or has too many decimals "
                "(at most 4).",
                code="out_of_range",
            )
        return Parsed(Given(value=value.normalize() + 0), number.notes)

    return read


def _read_option(item: Item, options: list[ItemOption], cell: Cell) -> Parsed[Given]:
    text = read_text(cell)
    raw = text.value
    by_code = {o.code: o for o in options}
    by_fold = {o.code.casefold(): o for o in options}
    found = by_code.get(raw) or by_fold.get(raw.casefold())
    if found is not None:
        return Parsed(Given(option=found), text.notes)
    by_label: dict[str, ItemOption] = {}
    for o in options:
        for label in (o.text_id, o.text_en):
            if label:
                by_label.setdefault(text_key(label), o)
    if text_key(raw) in by_label:
        o = by_label[text_key(raw)]
        note = Note(
            "option_label",
            f"Jawaban {raw!r} dibaca dari teks pilihannya: pilihan {o.code}.",
            f"The answer {raw!r} was read from its option text: option {o.code}.",
        )
        return Parsed(Given(option=o), (*text.notes, note))
    codes = ", ".join(o.code for o in options)
    parts = raw.split()
    if len(parts) > 1 and all(p.casefold() in by_fold for p in parts):
        raise CellError(
            f"Butir {item.code} hanya menerima satu pilihan, bukan {len(parts)} ({raw}); Mutu "
            "tidak punya pertanyaan pilihan ganda-banyak (select_multiple).",
            f"Item {item.code} takes one option, not {len(parts)} ({raw}); Mutu has no "
            "select_multiple questions.",
            code="option_multiple",
        )
    if raw in {"0", "1"} and raw.casefold() not in by_fold:
        raise CellError(
            f"{raw!r} adalah tanda benar/salah, bukan pilihan jawaban. Mutu menyimpan pilihan "
            f"yang dijawab ({codes}): nilai dihitung dari pilihan itu terhadap kunci jawaban, "
            "dan tanda 0 tidak mengatakan pilihan mana yang dijawab. Isi dengan pilihan dari "
            "lembar jawaban.",
            f"{raw!r} is a right/wrong mark, not an answer option. Mutu stores the option "
            f"chosen ({codes}): the score is computed from it against the answer key, and a "
            "mark 0 does not say which option was chosen. Enter the option from the answer "
            "sheet.",
            code="mark_not_option",
        )
    raise CellError(
        f"{raw!r} bukan pilihan butir {item.code}; pilihannya: {codes}.",
        f"{raw!r} is not an option of item {item.code}; its options are: {codes}.",
        code="option_invalid",
    )


def header_issue(
    run: ImportRun, col: int | None, message_id: str, message_en: str, code: str
) -> Issue:
    """An error on the header row (a column the kind cannot take), or on the file."""
    label = run.layout.labels[col] if col is not None else ""
    row = run.report.header_row if col is not None else None
    return Issue(code, message_id, message_en, "error", row, col, label)


def unmapped_columns(run: ImportRun) -> list[tuple[int, str]]:
    """Columns no rule of the kind took, with their header text: the item columns."""
    out = []
    for col in run.layout.ignored:
        label = run.layout.labels[col].strip() if col < len(run.layout.labels) else ""
        if label:
            out.append((col, label))
    return out


def rows_without_key(run: ImportRun, item_cols: Iterable[int], needed: str) -> None:
    """Refuse rows with answers whose other cells are all empty (the engine would skip them).

    The engine skips a row when every column it knows is empty; item columns
    are the kind's own, so a row of answers without its key would vanish
    silently.
    """
    layout, table = run.layout, run.table
    mapped = set(layout.columns.values())
    items = list(item_cols)
    for index in range(layout.data_start, len(table.rows)):
        cells = table.rows[index]
        if all(is_blank(cells[c]) for c in mapped if c < len(cells)) and any(
            c < len(cells) and not is_blank(cells[c]) for c in items
        ):
            run.report.issues.append(
                Issue(
                    "required",
                    f"Baris ini berisi jawaban tetapi {needed} kosong.",
                    f"This row holds answers but {needed} is empty.",
                    "error",
                    table.numbers[index],
                )
            )


def plan_answers(
    row: Row,
    items: VersionItems,
    given: dict[str, tuple[Given, int]],
    stored: dict[int, Answer],
    response: Response | None,
) -> tuple[list[Answer], list[Answer], list[str]] | None:
    """New and changed answers of one response (stored: item id → answer); None on an error."""
    new: list[Answer] = []
    changed: list[Answer] = []
    codes: list[str] = []
    ok = True
    for code, (value, col) in given.items():
        item = items.item(code)
        if item is None:
            row.error_at(
                col,
                f"Butir {code} tidak ada di {items.version}; kosongkan sel ini.",
                f"Item {code} is not in {items.version}; leave this cell empty.",
                "unknown_item",
            )
            ok = False
            continue
        found = stored.get(item.pk)
        if found is not None and value.same_as(found):
            continue
        answer = found if found is not None else Answer(item=item)
        value.put(answer)
        if response is not None:
            answer.response = response
        (changed if found is not None else new).append(answer)
        codes.append(item.code)
    return (new, changed, codes) if ok else None


def stored_answers(responses: Iterable[int]) -> dict[int, dict[int, Answer]]:
    """Response id → item id → its stored answer."""
    out: dict[int, dict[int, Answer]] = {}
    for a in in_chunks(lambda part: Answer.objects.filter(response_id__in=part), responses):
        out.setdefault(a.response_id, {})[a.item_id] = a
    return out


def answer_cell(answer: Answer, options: dict[int, str]) -> Any:
    """An answer as an export writes it: the option code, the number, or the text."""
    if answer.option_id is not None:
        return options[answer.option_id]
    if answer.value is not None:
        return answer.value.normalize() + 0
    return answer.text or None


def round_minute(moment: dt.datetime) -> dt.datetime:
    """A time to the nearest minute (what a CSV export writes and Excel keeps exactly)."""
    return (moment + dt.timedelta(seconds=30)).replace(second=0, microsecond=0)


def local_naive(moment: dt.datetime) -> dt.datetime:
    return timezone.localtime(moment).replace(tzinfo=None)


def lock_versions(versions: Iterable[int]) -> None:
    """Lock the versions that now have responses (as ``response_submit`` does)."""
    InstrumentVersion.objects.filter(pk__in=list(versions), is_locked=False).update(is_locked=True)


@dataclass
class ResponsePlan:
    """What an import writes for one response: the response, its identity and its answers."""

    response: Response
    new_answers: list[Answer] = field(default_factory=list)
    changed_answers: list[Answer] = field(default_factory=list)
    employee: Employee | None = None
    identity: ResponseIdentity | None = None
    save_response: bool = False


def apply_plans(plans: list[tuple[bool, ResponsePlan]], response_fields: list[str]) -> None:
    """Write new responses (with identity and answers) and the changes of stored ones."""
    created = [p for new, p in plans if new]
    Response.objects.bulk_create([p.response for p in created])
    answers: list[Answer] = []
    identities: list[ResponseIdentity] = []
    for p in created:
        for a in p.new_answers:
            a.response = p.response
            answers.append(a)
        if p.employee is not None:
            identities.append(ResponseIdentity(response=p.response, employee=p.employee))
    updated = [p for new, p in plans if not new]
    for p in updated:
        answers.extend(p.new_answers)
        if p.identity is not None and p.identity.pk is None:
            identities.append(p.identity)
    Answer.objects.bulk_create(answers)
    ResponseIdentity.objects.bulk_create(identities)
    changed = [a for p in updated for a in p.changed_answers]
    if changed:
        Answer.objects.bulk_update(changed, ["value", "option", "text"])
    moved = [p.identity for p in updated if p.identity is not None and p.identity.pk is not None]
    if moved:
        ResponseIdentity.objects.bulk_update(moved, ["employee"])
    saved = [p.response for p in updated if p.save_response]
    if saved and response_fields:
        Response.objects.bulk_update(saved, response_fields)
    lock_versions({p.response.version_id for _new, p in plans})


# --- the kind --------------------------------------------------------------------------------

#: Columns KoboToolbox and ODK add to every export (header keys); not questions.
KOBO_META = {
    "today",
    "deviceid",
    "subscriberid",
    "simserial",
    "phonenumber",
    "username",
    "email",
    "audit",
    "audit url",
    "id",
    "index",
    "parent index",
    "parent table name",
    "validation status",
    "status",
    "submitted by",
    "version",
    "tags",
    "notes",
    "attachments",
    "geolocation",
    "xform id string",
    "bamboo dataset id",
    "media count",
    "total media",
    "media all received",
}

DEFAULT_ROLE = {
    InstrumentKind.SKM: RespondentRole.CITIZEN,
    InstrumentKind.SUPERVISOR_RATING: RespondentRole.SUPERVISOR,
}
DEFAULT_OCCASION = {
    InstrumentKind.PRE_TEST: Occasion.PRE,
    InstrumentKind.POST_TEST: Occasion.POST,
    InstrumentKind.REACTION: Occasion.END,
}
IDENTITY_COLUMNS = ("nip", "subject", "name")


def instrument_from_options(options: dict[str, Any]) -> Instrument:
    """The instrument named by ``--instrument``; a bilingual refusal when missing or unknown."""
    code = options.get("instrument")
    if not code:
        raise MutuValueError(
            "Instrumen mana? Sebutkan kodenya (--instrument KODE, atau kolom Kode instrumen "
            "di halaman unggah).",
            "Which instrument? Name its code (--instrument CODE, or the Instrument code field "
            "on the upload page).",
        )
    found = Instrument.objects.filter(code__iexact=str(code).strip()).first()
    if found is None:
        raise MutuValueError(
            f"Instrumen {code!r} tidak ada di Mutu.", f"There is no instrument {code!r} in Mutu."
        )
    return found


def _kobo_id(text: str) -> str:
    """``uuid:1f0c…`` and Kobo's bare ``1f0c…`` as one key: ``uuid:`` + the lower-case UUID."""
    value = text.strip()
    if value.casefold().startswith("uuid:"):
        value = value[5:]
    return f"uuid:{value.strip().casefold()}"


def read_moment(cell: Cell, *, naive_is_utc: bool = False) -> Parsed[dt.datetime]:
    """An aware time: ISO 8601 with or without an offset (Kobo, ODK), or ``dd-mm-YYYY HH:MM``.

    A time without an offset is local (WIB), except Kobo's ``_submission_time``,
    which is UTC (``naive_is_utc``).
    """
    if isinstance(cell, str):
        text = cell.strip()
        try:
            moment = dt.datetime.fromisoformat(text)
        except ValueError:
            moment = None
        if moment is not None and moment.tzinfo is not None:
            return Parsed(moment)
        if moment is not None and naive_is_utc:
            return Parsed(moment.replace(tzinfo=dt.UTC))
        if moment is not None:
            return Parsed(timezone.make_aware(moment))
    try:
        parsed = read_datetime(cell)
    except CellError:
        day = read_date(cell)  # a day only (an anonymous instrument's export): midnight
        parsed = Parsed(dt.datetime.combine(day.value, dt.time()), day.notes)
    value = parsed.value
    if naive_is_utc:
        return Parsed(value.replace(tzinfo=dt.UTC), parsed.notes)
    return Parsed(timezone.make_aware(value), parsed.notes)


def read_moment_utc(cell: Cell) -> Parsed[dt.datetime]:
    """Kobo's ``_submission_time``: a time without an offset is UTC."""
    return read_moment(cell, naive_is_utc=True)


@dataclass
class ResponseRecord:
    key: str  # the token or the external ID
    external: bool
    version: int | None  # the Versi column
    submitted_at: dt.datetime | None
    role: str | None
    occasion: str | None
    activity: Activity | None
    unit: Unit | None
    nip: str | None
    subject: str | None
    answers: dict[str, int]  # item code → column; read in plan, against the row's version


class ResponsesKind(Kind[ResponseRecord]):
    name = "responses"
    title_id = "jawaban kuesioner"
    title_en = "survey responses"
    filters = ("instrument", "activity", "year")
    key_columns = ("token",)
    field_columns = {
        "submitted_at": "submitted",
        "respondent_role": "role",
        "activity": "activity",
        "unit": "unit",
        "subject": "subject",
        "occasion": "occasion",
        "employee": "nip",
    }
    columns = (
        Column("no", "No", ("nomor",)),
        Column("token", "Token", ("token respons", "response token", "no kuesioner")),
        Column("version", "Versi", ("versi instrumen", "instrument version")),
        Column("submitted", "Waktu Isi", ("waktu", "waktu pengisian", "submitted at")),
        Column("role", "Peran", ("peran responden", "respondent role")),
        Column("occasion", "Kesempatan", ("occasion", "waktu pemberian")),
        Column("activity", "Kode Kegiatan", ("activity code", "kegiatan")),
        Column("unit", "Kode Unit", ("unit", "unit layanan", "unit kerja", "unor")),
        Column("nip", "NIP", (*NIP_ALIASES, "nip responden")),
        Column("name", "Nama", ("nama lengkap", "nama responden", "name")),
        Column("subject", "NIP Dinilai", ("nip pegawai dinilai", "subject nip")),
        # KoboToolbox / ODK
        Column("instance", "meta/instanceID", ("instanceID", "meta instance id")),
        Column("uuid", "_uuid", ()),
        Column("start", "start", ()),
        Column("end", "end", ()),
        Column("received", "_submission_time", ()),
    )

    def prepare(self, run: ImportRun) -> None:
        issues = run.report.issues
        self.ready = False
        try:
            self.instrument = instrument_from_options(self.options.extra)
        except MutuValueError as err:
            issues.append(Issue("instrument_missing", err.message_id, err.message_en))
            return
        layout = run.layout.columns
        self.kobo = "token" not in layout and ("instance" in layout or "uuid" in layout)
        if "token" not in layout and not self.kobo:
            issues.append(
                header_issue(
                    run,
                    None,
                    "Tidak ada kolom Token (templat Mutu) atau meta/instanceID / _uuid (ekspor "
                    "KoboToolbox/ODK): tanpa itu, mengimpor ulang berkas yang sama akan "
                    "menambah jawaban dua kali.",
                    "There is no Token column (Mutu's template) nor meta/instanceID / _uuid "
                    "(a KoboToolbox/ODK export): without one, importing the same file again would "
                    "add the responses twice.",
                    "column_missing",
                )
            )
            return
        if self.instrument.is_anonymous:
            named = [k for k in IDENTITY_COLUMNS if k in layout]
            for key in named:
                col = layout[key]
                issues.append(
                    header_issue(
                        run,
                        col,
                        f"{self.instrument.code} anonim: berkasnya tidak boleh berisi identitas "
                        "responden. Hapus kolom ini (seluruh kolom) lalu impor lagi.",
                        f"{self.instrument.code} is anonymous: its file must not hold who "
                        "answered. Delete this column (all of it) and import again.",
                        "anonymous_identity",
                    )
                )
            if named:
                return
        self.versions = load_versions([self.instrument.pk])
        self.latest = max(self.versions.values(), key=lambda v: v.version.version, default=None)
        if self.latest is None:
            issues.append(
                header_issue(
                    run,
                    None,
                    f"{self.instrument.code} belum punya versi dengan butir pertanyaan.",
                    f"{self.instrument.code} has no version with items yet.",
                    "no_version",
                )
            )
            return
        item_cols = self._item_columns(run)
        if item_cols is None:
            return
        self.item_cols_ready: dict[int, str] = item_cols
        rows_without_key(run, item_cols, "meta/instanceID" if self.kobo else "Token")
        self.activities = activity_directory()
        self.units = Directory(
            Unit.objects.all(),
            code=lambda u: u.code,
            names=lambda u: [u.name],
            what_id="Unit kerja",
            what_en="unit",
        )
        self.roles = choice_labels(RespondentRole.choices)
        self.occasions = choice_labels(Occasion.choices)
        self.ready = True

    def _item_columns(self, run: ImportRun) -> dict[int, str] | None:
        """Item column → item code; unknown columns are errors on the header."""
        known = {c.casefold(): c for v in self.versions.values() for c in v.items}
        out: dict[int, str] = {}
        paths: dict[str, int] = {}
        seen: dict[str, int] = {}
        skipped: list[str] = []
        ok = True
        for col, label in unmapped_columns(run):
            parts = [p for p in label.split("/") if p]
            last = parts[-1] if parts else label
            key = text_key(label)
            if self.kobo and (
                label.startswith("_")
                or key in KOBO_META
                or label.casefold().startswith(("meta/", "formhub/"))
            ):
                skipped.append(label)
                continue
            code = known.get(last.casefold())
            if self.kobo and len(parts) > 1 and code is None and "/".join(parts[:-1]) in paths:
                skipped.append(label)  # a select_multiple's column per choice
                continue
            if code is None:
                hint_id = hint_en = ""
                if self.kobo:
                    hint_id = (
                        " Ekspor dari KoboToolbox dengan pilihan 'XML values and headers' "
                        "(nama pertanyaan, bukan labelnya)."
                    )
                    hint_en = (
                        " Export from KoboToolbox with 'XML values and headers' (question "
                        "names, not their labels)."
                    )
                run.report.issues.append(
                    header_issue(
                        run,
                        col,
                        f"Kolom {label!r} bukan butir {self.instrument.code} dan bukan kolom yang "
                        f"dikenal; hapus kolomnya atau periksa kode butirnya.{hint_id}",
                        f"The column {label!r} is not an item of {self.instrument.code} nor a "
                        f"known column; delete it or check the item code.{hint_en}",
                        "unknown_item",
                    )
                )
                ok = False
                continue
            if code in seen:
                run.report.issues.append(
                    header_issue(
                        run,
                        col,
                        f"Butir {code} muncul dua kali; hapus salah satu kolomnya.",
                        f"Item {code} appears twice; delete one of its columns.",
                        "header_duplicate",
                    )
                )
                ok = False
                continue
            seen[code] = col
            paths["/".join(parts)] = col
            out[col] = code
        if skipped:
            shown = ", ".join(skipped[:8]) + (" …" if len(skipped) > 8 else "")
            run.report.issues.append(
                Issue(
                    "kobo_meta",
                    f"Kolom metadata KoboToolbox/ODK dilewati: {shown}.",
                    f"KoboToolbox/ODK metadata columns skipped: {shown}.",
                    "notice",
                )
            )
        if ok and not out:
            run.report.issues.append(
                header_issue(
                    run,
                    None,
                    f"Tidak ada kolom butir {self.instrument.code} (kode butir sebagai judul "
                    "kolom).",
                    f"There are no item columns of {self.instrument.code} (item codes as headers).",
                    "column_missing",
                )
            )
            ok = False
        return out if ok else None

    def parse(self, row: Row) -> ResponseRecord | None:
        if not self.ready:
            return None
        external = self.kobo
        if external:
            key_col = "instance" if row.has("instance") and not row.blank("instance") else "uuid"
            raw = row.read(key_col, read_text, required=True)
            key = _kobo_id(raw) if raw else None
            if key is not None and len(key) > 100:
                row.error(key_col, "ID terlalu panjang.", "The ID is too long.")
                key = None
        else:
            key = row.read("token", read_text)
            if key is None:
                row.error(
                    "token",
                    "Token wajib diisi: untuk kuesioner kertas, tulis nomor kuesionernya (kode "
                    "unik apa saja), agar impor ulang tidak menambahkannya dua kali.",
                    "The Token is required: for a paper questionnaire write its number (any "
                    "unique code), so that importing again does not add it twice.",
                    code="required",
                )
            elif len(key) > 64:
                row.error(
                    "token",
                    "Token paling panjang 64 karakter.",
                    "A token has at most 64 characters.",
                )
                key = None
        version = row.read("version", read_int) if row.has("version") else None
        submitted = self._moment(row)
        role = None
        if row.has("role") and not row.blank("role"):
            role = row.read(
                "role",
                lambda c: read_choice(c, self.roles, what_id="Peran", what_en="role"),
            )
        occasion = None
        if row.has("occasion") and not row.blank("occasion"):
            occasion = row.read(
                "occasion",
                lambda c: read_choice(c, self.occasions, what_id="Kesempatan", what_en="occasion"),
            )
        activity = (
            row.read("activity", self.activities.reader(by_name=False))
            if row.has("activity")
            else None
        )
        unit = row.read("unit", self.units.reader()) if row.has("unit") else None
        nip = row.read("nip", read_nip) if row.has("nip") else None
        subject = row.read("subject", read_nip) if row.has("subject") else None
        answers = {c: col for col, c in self.item_cols_ready.items() if not is_blank(row._at(col))}
        if key is None:
            return None
        return ResponseRecord(
            key,
            external,
            version,
            submitted,
            role,
            occasion,
            activity,
            unit,
            nip,
            subject,
            answers,
        )

    def _moment(self, row: Row) -> dt.datetime | None:
        moment: dt.datetime | None = None
        if self.kobo:
            for col_key, utc in (("end", False), ("start", False), ("received", True)):
                if row.has(col_key) and not row.blank(col_key):
                    moment = row.read(col_key, read_moment_utc if utc else read_moment)
                    break
        elif row.has("submitted") and not row.blank("submitted"):
            moment = row.read("submitted", read_moment)
        if moment is not None and self.instrument.is_anonymous:
            day = timezone.localtime(moment).date()
            moment = timezone.make_aware(dt.datetime.combine(day, dt.time()))
        return moment

    def key(self, record: ResponseRecord) -> Hashable:
        return record.key

    def plan(self, items: list[tuple[Row, ResponseRecord]]) -> list[Change[ResponseRecord]]:
        if not self.ready:
            return []
        field_name = "external_id" if self.kobo else "token"
        stored: dict[str, Response] = {
            getattr(r, field_name): r
            for r in in_chunks(
                lambda part: Response.objects.filter(**{f"{field_name}__in": part}).select_related(
                    "version", "activity", "unit", "subject"
                ),
                {rec.key for _row, rec in items},
            )
        }
        identities = {
            i.response_id: i
            for i in in_chunks(
                lambda part: ResponseIdentity.objects.filter(response_id__in=part).select_related(
                    "employee"
                ),
                {r.pk for r in stored.values()},
            )
        }
        answers = stored_answers({r.pk for r in stored.values()})
        people = employees_by_nip(
            {n for _row, rec in items for n in (rec.nip, rec.subject) if n is not None}
        )
        by_number = {v.version.version: v for v in self.versions.values()}
        changes: list[Change[ResponseRecord]] = []
        for row, rec in items:
            found = stored.get(rec.key)
            if found is not None and found.version.instrument_id != self.instrument.pk:
                row.error(
                    "instance" if self.kobo else "token",
                    f"{rec.key} adalah jawaban instrumen lain; periksa --instrument.",
                    f"{rec.key} is a response to another instrument; check --instrument.",
                    code="other_instrument",
                )
                continue
            if found is not None:
                items_of = self.versions[found.version_id]
                if rec.version is not None and rec.version != found.version.version:
                    row.error(
                        "version",
                        f"Jawaban ini tersimpan untuk versi {found.version.version}; versinya "
                        "tidak bisa diganti.",
                        f"This response is stored for version {found.version.version}; its "
                        "version cannot change.",
                        code="version_locked",
                    )
                    continue
            elif rec.version is not None:
                got = by_number.get(rec.version)
                if got is None:
                    row.error(
                        "version",
                        f"{self.instrument.code} tidak punya versi {rec.version}.",
                        f"{self.instrument.code} has no version {rec.version}.",
                        code="unknown_reference",
                    )
                    continue
                items_of = got
            else:
                assert self.latest is not None
                items_of = self.latest
            given = read_item_answers(row, items_of, rec.answers)
            employee = subject = None
            for key, nip in (("nip", rec.nip), ("subject", rec.subject)):
                if nip is None:
                    continue
                person = people.get(nip)
                if person is None:
                    row.error(
                        key,
                        f"Tidak ada pegawai dengan NIP {nip} di Mutu.",
                        f"There is no employee with NIP {nip} in Mutu.",
                        code="unknown_reference",
                    )
                    continue
                if key == "nip":
                    employee = person
                else:
                    subject = person
            if given is None or row.failed:
                continue
            if found is None:
                self._plan_new(row, rec, items_of, given, employee, subject, changes)
            else:
                self._plan_stored(
                    row,
                    rec,
                    found,
                    items_of,
                    given,
                    employee,
                    subject,
                    identities.get(found.pk),
                    answers.get(found.pk, {}),
                    changes,
                )
        return changes

    def _defaults(self) -> tuple[str, str]:
        kind = self.instrument.kind
        role = DEFAULT_ROLE.get(InstrumentKind(kind), RespondentRole.PARTICIPANT)
        return str(role), str(DEFAULT_OCCASION.get(InstrumentKind(kind), ""))

    def _plan_new(
        self,
        row: Row,
        rec: ResponseRecord,
        items_of: VersionItems,
        given: dict[str, tuple[Given, int]],
        employee: Employee | None,
        subject: Employee | None,
        changes: list[Change[ResponseRecord]],
    ) -> None:
        role, occasion = self._defaults()
        response = Response(
            version=items_of.version,
            activity=rec.activity,
            unit=rec.unit,
            respondent_role=rec.role or role,
            occasion=rec.occasion if rec.occasion is not None else occasion,
            subject=subject,
            submitted_at=rec.submitted_at or timezone.now(),
        )
        if rec.external:
            response.external_id = rec.key
        else:
            response.token = rec.key
        if not self._valid(row, response):
            return
        planned = plan_answers(row, items_of, given, {}, None)
        new = planned[0] if planned is not None else []
        if not new:
            row.notice(
                None,
                "Baris tanpa jawaban dilewati.",
                "A row without answers was skipped.",
                code="no_answers",
            )
            return
        plan = ResponsePlan(response, new_answers=new, employee=employee)
        changes.append(Change("create", row, rec.key, rec, plan))

    def _plan_stored(
        self,
        row: Row,
        rec: ResponseRecord,
        found: Response,
        items_of: VersionItems,
        given: dict[str, tuple[Given, int]],
        employee: Employee | None,
        subject: Employee | None,
        identity: ResponseIdentity | None,
        stored: dict[int, Answer],
        changes: list[Change[ResponseRecord]],
    ) -> None:
        fields: list[str] = []
        wanted: dict[str, Any] = {}
        if rec.submitted_at is not None and not self._same_time(
            rec.submitted_at, found.submitted_at
        ):
            wanted["submitted_at"] = rec.submitted_at
        if rec.role is not None:
            wanted["respondent_role"] = rec.role
        if rec.occasion is not None:
            wanted["occasion"] = rec.occasion
        row_has = row.has
        if row_has("activity"):
            wanted["activity_id"] = rec.activity.pk if rec.activity else None
        if row_has("unit"):
            wanted["unit_id"] = rec.unit.pk if rec.unit else None
        if row_has("subject"):
            wanted["subject_id"] = subject.pk if subject else None
        for name, value in wanted.items():
            if getattr(found, name) != value:
                setattr(found, name, value)
                fields.append(name)
        plan_result = plan_answers(row, items_of, given, stored, found)
        if plan_result is None:
            return
        new, changed, codes = plan_result
        plan = ResponsePlan(found, new, changed, save_response=bool(fields))
        if row_has("nip"):
            current = identity.employee if identity is not None else None
            if employee is not None and (current is None or current.pk != employee.pk):
                if identity is None:
                    identity = ResponseIdentity(response=found, employee=employee)
                else:
                    identity.employee = employee
                plan.identity = identity
                fields.append("employee")
        if fields and not self._valid(row, found):
            return
        if not fields and not codes:
            changes.append(Change("unchanged", row, rec.key, rec, plan))
            return
        shown = tuple(f.removesuffix("_id") for f in fields) + tuple(codes)
        changes.append(Change("update", row, rec.key, rec, plan, shown))

    def _same_time(self, given: dt.datetime, stored: dt.datetime) -> bool:
        """To the minute; for an anonymous instrument, the day (all its file gives)."""
        if self.instrument.is_anonymous:
            return timezone.localtime(given).date() == timezone.localtime(stored).date()
        return round_minute(given) == round_minute(stored)

    def _valid(self, row: Row, response: Response) -> bool:
        return validate(
            response,
            row,
            dict(self.field_columns),
            exclude=["version", "activity", "unit", "subject", "token"],
        )

    def apply(self, changes: list[Change[ResponseRecord]]) -> None:
        plans = [(c.action == "create", c.obj) for c in changes]
        fields = sorted(
            {
                f
                for c in changes
                if c.action == "update"
                for f in c.fields
                if f
                in {"submitted_at", "respondent_role", "occasion", "activity", "unit", "subject"}
            }
        )
        apply_plans(plans, fields)

    # -- export
    def export_table(
        self, shape: str = "mutu", **filters: Any
    ) -> tuple[list[str], Iterable[list[Any]]]:
        instrument = instrument_from_options(filters)
        versions = load_versions([instrument.pk])
        codes: list[str] = []
        for v in versions.values():
            for code in v.items:
                if code not in codes:
                    codes.append(code)
        people = [] if instrument.is_anonymous else ["NIP", "Nama", "NIP Dinilai"]
        header = [
            "Token",
            "Versi",
            "Waktu Isi",
            "Peran",
            "Kesempatan",
            "Kode Kegiatan",
            "Kode Unit",
            *people,
            *codes,
        ]
        return header, self._export_rows(instrument, versions, codes, filters)

    def holds_personal(self, header: list[str]) -> bool:
        """Only a named instrument's export says who answered (an anonymous one has no NIP)."""
        return "NIP" in header

    def _export_rows(
        self,
        instrument: Instrument,
        versions: dict[int, VersionItems],
        codes: list[str],
        filters: dict[str, Any],
    ) -> Iterator[list[Any]]:
        rows = (
            Response.objects.filter(version__instrument=instrument)
            .select_related("version", "activity", "unit", "subject")
            .order_by("submitted_at", "pk")
        )
        if "activity" in filters:
            rows = rows.filter(activity__code=filters["activity"])
        if "year" in filters:
            rows = rows.filter(submitted_at__year=filters["year"])
        responses = list(rows)
        answers = stored_answers({r.pk for r in responses})
        options = {
            o.pk: o.code for v in versions.values() for opts in v.options.values() for o in opts
        }
        who: dict[int, Employee] = {}
        if not instrument.is_anonymous:
            who = {
                i.response_id: i.employee
                for i in in_chunks(
                    lambda part: ResponseIdentity.objects.filter(
                        response_id__in=part
                    ).select_related("employee"),
                    {r.pk for r in responses},
                )
            }
        for r in responses:
            items_of = versions[r.version_id]
            by_code = {items_of.items[c].pk: c for c in items_of.items}
            got = {
                by_code[a.item_id]: answer_cell(a, options) for a in answers.get(r.pk, {}).values()
            }
            people: list[Any] = []
            if not instrument.is_anonymous:
                person = who.get(r.pk)
                people = [
                    person.nip if person else None,
                    person.name if person else None,
                    r.subject.nip if r.subject else None,
                ]
            yield [
                r.token,
                r.version.version,
                timezone.localtime(r.submitted_at).date()
                if instrument.is_anonymous
                else local_naive(round_minute(r.submitted_at)),
                r.respondent_role,
                r.occasion or None,
                r.activity.code if r.activity else None,
                r.unit.code if r.unit else None,
                *people,
                *(got.get(c) for c in codes),
            ]


def read_item_answers(
    row: Row, items_of: VersionItems, answers: dict[str, int]
) -> dict[str, tuple[Given, int]] | None:
    """Each item column's answer (item code → (answer, column)); None when any cell is bad.

    ``answers`` maps the item codes of the header to their columns.  A code the
    version does not have, or an answer the item cannot take, is an error on its
    cell; every cell is read, so all faults of the row are reported at once.
    """
    out: dict[str, tuple[Given, int]] = {}
    ok = True
    for code, col in answers.items():
        item = items_of.item(code)
        if item is None:
            row.error_at(
                col,
                f"Butir {code} tidak ada di {items_of.version}; kosongkan sel ini.",
                f"Item {code} is not in {items_of.version}; leave this cell empty.",
                "unknown_item",
            )
            ok = False
            continue
        value = row.read_at(col, answer_reader(items_of, item))
        if value is None:
            ok = False
            continue
        out[item.code] = (value, col)
    return out if ok else None
