"""``mutu evaluate``: read the database, compute L1–L5, the estimands and the indices."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.checks import Tags
from django.core.management.base import BaseCommand, CommandError, CommandParser

from mutu.domain.errors import MutuValueError
from mutu.evaluation.pipeline import EvaluationPlan, EvaluationReport, evaluate
from mutu.evaluation.pipeline.timing import Stopwatch, stage
from mutu.evaluations.models import EvaluationRun
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
    try:
        return EvaluationPlan.from_dict(data)
    except MutuValueError as err:
        raise CommandError(str(err)) from err


class Command(BaseCommand):
    # The evaluation needs the models, not the URLconf: checking every URL first would
    # import the whole web layer (views, report renderers) before reading a row.
    requires_system_checks = [Tags.models]
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
        plan = load_plan(options["plan"])
        outcome = evaluate_database(year=options["year"], plan=plan, json_path=options["json"])
        self.stdout.write(outcome.report.summary(options["lang"]))
        self.stdout.write(
            f"\nDisimpan sebagai evaluasi #{outcome.run.pk} / stored as evaluation "
            f"#{outcome.run.pk} (data {outcome.data_hash[:12]}, "
            f"{time.perf_counter() - started:.1f} s)"
        )


@dataclass(frozen=True)
class EvaluationOutcome:
    """What :func:`evaluate_database` produced: the report, its JSON and the stored run."""

    report: EvaluationReport
    results: dict[str, Any]
    data_hash: str
    run: EvaluationRun


def evaluate_database(
    *,
    year: int | None,
    plan: EvaluationPlan,
    json_path: Path | None = None,
    stopwatch: Stopwatch | None = None,
) -> EvaluationOutcome:
    """What ``mutu evaluate`` does: read the frames, evaluate, store the run, write the JSON.

    ``stopwatch`` records the stages (``read``, the pipeline's stages of
    :func:`mutu.evaluation.pipeline.evaluate`, ``to_json``, ``fingerprint``,
    ``store``, ``write_json``); ``scripts/bench_evaluate.py`` times it this way.

    Raises
    ------
    CommandError
        When the database holds no employees, or the plan does not fit the data.
    """
    with stage(stopwatch, "read"):
        frames = evaluation_frames()
    if frames["employees"].empty:
        raise CommandError(
            "Basis data belum berisi pegawai; muat data dulu (mis. `mutu demo` atau "
            "`mutu load DIR`). / The database holds no employees yet; load data first "
            "(e.g. `mutu demo` or `mutu load DIR`)."
        )
    try:
        report = evaluate(frames, year=year, plan=plan, stopwatch=stopwatch)
    except MutuValueError as err:
        raise CommandError(str(err)) from err
    with stage(stopwatch, "to_json"):
        results = report.to_json()
    with stage(stopwatch, "fingerprint"):
        data_hash = frames_fingerprint(frames)
    results["data_hash"] = data_hash
    with stage(stopwatch, "store"):
        run = evaluation_run_store(
            results=results, data_hash=data_hash, year=year, plan=plan.to_dict()
        )
    if json_path is not None:
        with stage(stopwatch, "write_json"):
            json_path.parent.mkdir(parents=True, exist_ok=True)
            json_path.write_text(
                json.dumps(results, ensure_ascii=False, indent=2, allow_nan=False),
                encoding="utf-8",
            )
    return EvaluationOutcome(report, results, data_hash, run)
