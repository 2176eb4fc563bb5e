"""Loading instruments, responses and answers (the largest frame)."""

from __future__ import annotations

import json

import pandas as pd

from mutu.console.world_load.base import (
    BATCH,
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
    tokens = answers["token"].tolist()
    items = answers["item"].tolist()
    options = answers["option"].tolist()
    values = answers["value"].tolist()
    texts = answers["text"].tolist()
    objects: list[Answer] = []
    for token, item, option, value, text in zip(tokens, items, options, values, texts, strict=True):
        instrument, version = version_of[token]
        item_key = (instrument, int(version), item)
        option_value = value_of(option)
        objects.append(
            Answer(
                pk=ids.take(Answer),
                response_id=ids.resolve("response", token, "answers"),
                item_id=ids.resolve("item", item_key, "answers"),
                value=as_decimal(value),
                option_id=None
                if option_value is None
                else ids.resolve("option", (*item_key, option_value), "answers"),
                text=as_text(text),
            )
        )
    for start in range(0, len(objects), 20_000):
        Answer.objects.bulk_create(objects[start : start + 20_000], batch_size=BATCH)
    report.rows["instruments.Answer"] = len(objects)
