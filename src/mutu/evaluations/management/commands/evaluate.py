"""``mutu evaluate``: read the database, compute L1–L5, the estimands and the indices."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mutu.domain.errors import MutuValueError
from mutu.evaluation.pipeline import EvaluationPlan, evaluate
from mutu.evaluations.selectors import evaluation_frames, frames_fingerprint
from mutu.evaluations.services import evaluation_run_store


def load_plan(path: Path | None) -> EvaluationPlan:
    """The default plan, or one read from a JSON file."""
    if path is None:
        return EvaluationPlan()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise CommandError(
            f"Rencana evaluasi {path} tidak dapat dibaca: {err} / "
            f"The evaluation plan {path} cannot be read: {err}"
        ) from err
    return EvaluationPlan.from_dict(data)


class Command(BaseCommand):
    help = (
        "Evaluasi program (Kirkpatrick L1–L4, Phillips L5, indeks) dari basis data. / "
        "Evaluate the program (Kirkpatrick L1–L4, Phillips L5, indices) from the database."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, default=None)
        parser.add_argument("--json", type=Path, default=None, help="Write the results here.")
        parser.add_argument("--plan", type=Path, default=None, help="Evaluation plan (JSON).")
        parser.add_argument("--lang", choices=["id", "en"], default="id")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        frames = evaluation_frames()
        if frames["employees"].empty:
            raise CommandError(
                "Basis data belum berisi pegawai; muat data dulu (mis. `mutu demo` atau "
                "`mutu load DIR`). / The database holds no employees yet; load data first "
                "(e.g. `mutu demo` or `mutu load DIR`)."
            )
        try:
            plan = load_plan(options["plan"])
            report = evaluate(frames, year=options["year"], plan=plan)
        except MutuValueError as err:
            raise CommandError(str(err)) from err
        results = report.to_json()
        data_hash = frames_fingerprint(frames)
        results["data_hash"] = data_hash
        run = evaluation_run_store(
            results=results, data_hash=data_hash, year=options["year"], plan=plan.to_dict()
        )
        if options["json"] is not None:
            options["json"].parent.mkdir(parents=True, exist_ok=True)
            options["json"].write_text(
                json.dumps(results, ensure_ascii=False, indent=2, allow_nan=False),
                encoding="utf-8",
            )
        self.stdout.write(report.summary(options["lang"]))
        self.stdout.write(
            f"\nDisimpan sebagai evaluasi #{run.pk} / stored as evaluation #{run.pk} "
            f"(data {data_hash[:12]}, {time.perf_counter() - started:.1f} s)"
        )
