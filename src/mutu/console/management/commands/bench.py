"""``mutu bench``: time every evaluation stage, check it against a naive loop (docs/scale.md)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mutu.domain.errors import MutuValueError
from mutu.evaluation.fast.bench import run_bench
from mutu.synthetic.config import SCALES
from mutu.synthetic.national import NATIONAL_SCALES


def parse_bench_scale(text: str) -> str | int:
    """``kabupaten``, ``kecil``, ``nasional`` or a headcount (1,500 or more)."""
    if text in SCALES or text in NATIONAL_SCALES:
        return text
    if text.isdigit() and int(text) >= 1500:
        return int(text)
    names = ", ".join([*SCALES, *NATIONAL_SCALES])
    raise CommandError(
        f"Skala tidak dikenal: {text!r} (pilih {names}, atau jumlah ASN ≥ 1500). / "
        f"Unknown scale: {text!r} (choose {names}, or a headcount ≥ 1500)."
    )


def postgres_database_url(choice: str | None) -> str | None:
    """``--database postgres``: the URL of Django's PostgreSQL database; refused otherwise."""
    if choice is None:
        return None
    if choice != "postgres":
        raise CommandError(
            f"--database tidak dikenal: {choice!r} (hanya postgres). / "
            f"Unknown --database: {choice!r} (only postgres)."
        )
    from django.conf import settings

    params = settings.DATABASES["default"]
    if params["ENGINE"] != "django.db.backends.postgresql":
        raise CommandError(
            "--database postgres butuh DATABASE_URL yang menunjuk ke PostgreSQL; basis data "
            "sekarang SQLite. / --database postgres needs DATABASE_URL pointing at PostgreSQL; "
            "the database now is SQLite."
        )
    from psycopg.conninfo import make_conninfo

    return make_conninfo(
        host=params["HOST"] or None,
        port=str(params["PORT"]) if params["PORT"] else None,
        user=params["USER"] or None,
        password=params["PASSWORD"] or None,
        dbname=params["NAME"],
    )


class Command(BaseCommand):
    help = (
        "Ukur waktu dan memori setiap tahap evaluasi, bandingkan dengan perulangan naif. / "
        "Time each evaluation stage and its peak memory, and check it against a naive loop."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--scale", default="kabupaten", help="kabupaten, kecil, nasional or a headcount"
        )
        parser.add_argument("--json", type=Path, required=True, dest="json_path")
        parser.add_argument("--seed", type=int, default=11)
        parser.add_argument("--world", type=Path, default=None)
        parser.add_argument("--sample", type=int, default=20)
        parser.add_argument(
            "--workdir", type=Path, default=None, help="where a national world is written"
        )
        parser.add_argument(
            "--no-report",
            action="store_true",
            help="regency worlds: skip the full evaluation and the report rendering",
        )
        parser.add_argument(
            "--database",
            default=None,
            help="postgres: also compare SQL push-down with moving rows on the PostgreSQL "
            "database of DATABASE_URL (national worlds only)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        scale = parse_bench_scale(str(options["scale"]))
        target: Path = options["json_path"]
        if not target.parent.is_dir():
            raise CommandError(
                f"Folder untuk JSON tidak ada: {target.parent}. / "
                f"The folder for the JSON does not exist: {target.parent}."
            )
        if options["sample"] < 1:
            raise CommandError("--sample harus ≥ 1. / --sample must be ≥ 1.")
        postgres_url = postgres_database_url(options["database"])
        try:
            result = run_bench(
                scale=scale,
                seed=options["seed"],
                world=options["world"],
                sample=options["sample"],
                workdir=options["workdir"],
                postgres_url=postgres_url,
                report=not options["no_report"],
            )
        except MutuValueError as exc:
            raise CommandError(f"{exc.message_id} / {exc.message_en}") from exc
        data = result.as_dict()
        tmp = target.with_name(target.name + ".tmp")
        tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")
        tmp.replace(target)
        out = self.stdout
        counts = data["counts"]
        out.write(
            f"scale {data['scale']} ({data['source']}): {counts['asn']} ASN, "
            f"{counts['answers']} answers, {counts['activities_l1']} activities (L1), "
            f"{counts['activities_l2']} (L2), {counts['activities_l3']} (L3), "
            f"{counts['activities_l5']} (L5), {counts['partitions']} partition(s)"
        )
        out.write(f"{'stage':<38} {'seconds':>9} {'peak MiB':>9}")
        for stage in data["stages"]:
            out.write(f"{stage['name']:<38} {stage['seconds']:>9.2f} {stage['peak_rss_mib']:>9.0f}")
        out.write(f"{'total (without naive)':<38} {data['total_seconds']:>9.2f}")
        for skip in data["skipped"]:
            out.write(f"skipped: {skip['name']} — {skip['reason']}")
        out.write(
            f"naive baseline: {data['baseline_ratio']}× slower (estimated over all activities "
            "and ASN), "
            f"max |fast − naive| = {data['baseline_max_abs_diff']} "
            f"(per level: {data['baseline']['max_abs_diff_by_part']})"
        )
        ip, tb = data["results"].get("ip_asn"), data["results"].get("talent_box")
        if ip:
            out.write(
                f"IP ASN: {ip['n_scored']} of {ip['n']} ASN scored, mean {ip['mean_total']}, "
                f"bands {ip['bands']}"
            )
        if tb:
            out.write(
                f"talent box: {tb['n_boxed']} of {tb['n']} ASN placed, succession pool "
                f"{tb['succession_pool']}, national pool {tb['national_pool']}"
            )
        rep = data["results"].get("report")
        if rep:
            sizes = ", ".join(f"{fmt} {n / 1024:.0f} KiB" for fmt, n in rep["bytes"].items())
            out.write(f"report ({rep['lang']}, {rep['year']}): {sizes}")
        pg = data["results"].get("postgres")
        if pg:
            out.write(
                f"PostgreSQL {pg['server_version']}: push-down {pg['pushdown_seconds']} s "
                f"(rows out {pg['pushdown_rows_out']}); moving rows {pg['rows_seconds']} s "
                f"(rows out {pg['rows_rows_out']}); max |diff| {pg['max_abs_diff']}"
            )
        out.write(f"JSON: {target}")
