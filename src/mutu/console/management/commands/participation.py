"""``mutu participation``: the funnel, the non-attendance model and incentive policies."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mutu.console.management.commands.plan import load_inputs, parse_rupiah, write_json
from mutu.domain.errors import MutuValueError
from mutu.planning.participation import participation_analysis


class Command(BaseCommand):
    help = (
        "Partisipasi: corong, model ketidakhadiran yang divalidasi, simulasi kebijakan insentif. / "
        "Participation: the funnel, a validated non-attendance model, incentive policies simulated."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, required=True, help="Plan year.")
        parser.add_argument("--json", type=Path, required=True, help="Write the results here.")
        parser.add_argument("--far-km", type=float, default=20.0, help="'far' policy: km.")
        parser.add_argument(
            "--low-share", type=float, default=0.25, help="'predicted_low' policy: share."
        )
        parser.add_argument("--offer-cost", type=str, default=None, help="Rupiah per offer.")
        parser.add_argument(
            "--attendee-cost", type=str, default=None, help="Rupiah per offered attendee."
        )
        parser.add_argument("--draws", type=int, default=2000)
        parser.add_argument("--seed", type=int, default=20240601)
        parser.add_argument("--lang", choices=["id", "en"], default="id")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        costs = {
            name: None if options[name] is None else parse_rupiah(options[name])
            for name in ("offer_cost", "attendee_cost")
        }
        if not 0 < options["low_share"] < 1:
            raise CommandError(
                "--low-share harus di antara 0 dan 1. / --low-share must lie between 0 and 1."
            )
        if options["draws"] < 100:
            raise CommandError("--draws paling sedikit 100. / --draws must be at least 100.")
        year = int(options["year"])
        frames, stored = load_inputs(year)
        try:
            result = participation_analysis(
                frames,
                stored.results,
                year=year,
                far_km=options["far_km"],
                low_share=options["low_share"],
                draws=options["draws"],
                seed=options["seed"],
                offer_cost=costs["offer_cost"],
                attendee_cost=costs["attendee_cost"],
            )
        except MutuValueError as err:
            raise CommandError(str(err)) from err
        out = {"evaluation": {"run": stored.run.pk, "year": stored.evaluated_year}}
        out.update(result.to_json())
        write_json(options["json"], out)
        self.stdout.write(
            f"{result.summary(options['lang'])} ({time.perf_counter() - started:.1f} s)"
        )
