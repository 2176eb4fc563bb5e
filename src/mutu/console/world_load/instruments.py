"""Loading instruments, responses and answers (the largest frame)."""

from __future__ import annotations

import json
from decimal import Decimal

import pandas as pd
from django.db import connection

from mutu.console.world_load.base import (
    Frames,
    Ids,
    WorldLoadReport,
    as_decimal,
    as_moment,
    as_text,
    value_of,
    write,
)
from mutu.instruments.models import (
    Answer,
    Instrument,
    InstrumentVersion,
    Item,
    ItemOption,
    Response,
    ResponseIdentity,
    Scale,
)


def load_instruments(frames: Frames, ids: Ids, report: WorldLoadReport) -> None:
    write(
        Scale,
        frames["scales"],
        lambda r: {
            "name": r["name"],
            "min_value": r["min_value"],
            "max_value": r["max_value"],
            "labels": json.loads(r["labels"]),
        },
        ids,
        report,
        key=lambda r: r["name"],
        kind="scale",
    )
    write(
        Instrument,
        frames["instruments"],
        lambda r: {
            "code": r["code"],
            "title_id": r["title_id"],
            "title_en": r["title_en"],
            "kind": r["kind"],
            "is_anonymous": bool(r["is_anonymous"]),
        },
        ids,
        report,
        key=lambda r: r["code"],
        kind="instrument",
    )
    write(
        InstrumentVersion,
        frames["instrument_versions"],
        lambda r: {
            "instrument_id": ids.resolve("instrument", r["instrument"], "instrument_versions"),
            "version": r["version"],
            "published_at": as_moment(r["published_at"]),
            "is_locked": bool(r["is_locked"]),
        },
        ids,
        report,
        key=lambda r: (r["instrument"], r["version"]),
        kind="version",
    )
    write(
        Item,
        frames["items"],
        lambda r: {
            "version_id": ids.resolve("version", (r["instrument"], r["version"]), "items"),
            "code": r["code"],
            "order": r["order"],
            "text_id": r["text_id"],
            "text_en": as_text(r["text_en"]),
            "dimension": as_text(r["dimension"]),
            "item_type": r["item_type"],
            "scale_id": ids.optional("scale", r["scale"], "items"),
            "is_reverse": bool(r["is_reverse"]),
            "answer_key": as_text(r["answer_key"]),
            "points": as_decimal(r["points"]),
        },
        ids,
        report,
        key=lambda r: (r["instrument"], r["version"], r["code"]),
        kind="item",
    )
    write(
        ItemOption,
        frames["item_options"],
        lambda r: {
            "item_id": ids.resolve(
                "item", (r["instrument"], r["version"], r["item"]), "item_options"
            ),
            "code": r["code"],
            "order": r["order"],
            "text_id": r["text_id"],
            "text_en": as_text(r["text_en"]),
            "is_correct": bool(r["is_correct"]),
        },
        ids,
        report,
        key=lambda r: (r["instrument"], r["version"], r["item"], r["code"]),
        kind="option",
    )
    responses = frames["responses"]
    write(
        Response,
        responses,
        lambda r: {
            "version_id": ids.resolve("version", (r["instrument"], r["version"]), "responses"),
            "activity_id": ids.optional("activity", r["activity"], "responses"),
            "unit_id": ids.optional("unit", r["unit"], "responses"),
            "submitted_at": as_moment(r["submitted_at"]),
            "token": r["token"],
            "respondent_role": r["respondent_role"],
            "occasion": as_text(r["occasion"]),
            "subject_id": ids.optional("employee", r["subject_nip"], "responses"),
        },
        ids,
        report,
        key=lambda r: r["token"],
        kind="response",
    )
    write(
        ResponseIdentity,
        frames["response_identities"],
        lambda r: {
            "response_id": ids.resolve("response", r["token"], "response_identities"),
            "employee_id": ids.resolve("employee", r["nip"], "response_identities"),
        },
        ids,
        report,
    )
    _load_answers(frames["answers"], responses, ids, report)


def _load_answers(
    answers: pd.DataFrame, responses: pd.DataFrame, ids: Ids, report: WorldLoadReport
) -> None:
    """Answers, the largest frame: keys resolved column-wise rather than row by row."""
    version_of = dict(
        zip(
            responses["token"],
            zip(responses["instrument"], responses["version"], strict=True),
            strict=True,
        )
    )
    first = ids.take(Answer)
    rows: list[tuple[int, int, int, Decimal | None, int | None, str]] = []
    for offset, (token, item, option, value, text) in enumerate(
        zip(
            answers["token"].tolist(),
            answers["item"].tolist(),
            answers["option"].tolist(),
            answers["value"].tolist(),
            answers["text"].tolist(),
            strict=True,
        )
    ):
        instrument, version = version_of[token]
        item_key = (instrument, int(version), item)
        option_value = value_of(option)
        rows.append(
            (
                first + offset,
                ids.resolve("response", token, "answers"),
                ids.resolve("item", item_key, "answers"),
                as_decimal(value),
                None
                if option_value is None
                else ids.resolve("option", (*item_key, option_value), "answers"),
                as_text(text),
            )
        )
    ids.next[Answer] = first + len(rows) - 1
    # A plain parameterised INSERT: the database still checks every constraint and
    # foreign key, without building 250,000 model instances first.
    table = connection.ops.quote_name(Answer._meta.db_table)
    columns = ", ".join(
        connection.ops.quote_name(c)
        for c in ("id", "response_id", "item_id", "value", "option_id", "text")
    )
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 10_000):
            cursor.executemany(
                f"INSERT INTO {table} ({columns}) VALUES (%s, %s, %s, %s, %s, %s)",
                rows[start : start + 10_000],
            )
    report.rows["instruments.Answer"] = len(rows)
